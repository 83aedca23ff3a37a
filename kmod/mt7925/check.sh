#!/usr/bin/env bash
# The connac-mt7925 checks (docs/mt7925.md), for the rig's guest kernel or a given release:
#   series      checkpatch.pl --strict of the same Linux release on every patch (0 errors, 0
#               warnings, 0 checks; FILE_PATH_CHANGES is ignored: the mt76 subtree has no
#               MAINTAINERS to update for the new connac.c)
#   build       the package out of tree: the series applies to the kernel's linux-source,
#               connac_core.ko and the 8 modules build with 0 warnings (build.sh)
#   dkms        add, build, install into a private copy of the module tree, remove
#               (dkms-install.sh)
#   experiments each experiments/*.patch (never shipped, docs/mt7925.md) is checkpatch clean
#               and still applies on top of the series (the build's patched tree)
#
#   kmod/mt7925/check.sh [RELEASE]    prints "mt7925: N passed, M failed"; exit 1 on a failure
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
pass=0 fail=0
ok() { echo "  ok    $1"; pass=$((pass + 1)); }
bad() { echo "  FAIL  $1"; fail=$((fail + 1)); }

mapfile -t f < <("$repo/kmod/mt7925/fetch.sh" "$@") || { echo "mt7925: fetch failed" >&2; exit 1; }
checkpatch=$(dirname "${f[2]}")/scripts/checkpatch.pl
series_dir=$repo/kmod/mt7925/patches/6.12
findings=0
for p in $(grep -v '^#' "$series_dir/series"); do
  # From outside the repository: inside a git work tree checkpatch 6.12 took the patch's
  # blank context lines for trailing whitespace.
  out=$(cd "${TMPDIR:-/tmp}" && perl "$checkpatch" --no-tree --strict --show-types \
    --ignore FILE_PATH_CHANGES "$series_dir/$p" 2>&1)
  if ! grep -q 'total: 0 errors, 0 warnings, 0 checks' <<<"$out"; then
    echo "$out" | grep -v '^total:' | sed 's/^/    /'
    findings=$((findings + 1))
  fi
done
n=$(grep -vc '^#' "$series_dir/series")
if [[ $findings -eq 0 ]]; then ok "series: checkpatch --strict clean on $n patches"; else bad "series: $findings of $n patches with checkpatch findings"; fi

if out=$("$repo/kmod/mt7925/build.sh" "$@" 2>&1); then
  ok "build: $(grep -c '\.ko$' <<<"$out") modules, 0 warnings ($(grep -o 'built in [0-9]* s' <<<"$out"))"
else
  echo "$out" | tail -n 20 | sed 's/^/    /'
  bad "build"
fi

if out=$("$repo/kmod/mt7925/dkms-install.sh" "$@" 2>&1); then
  ok "dkms: $(grep '^dkms: ' <<<"$out" | sed 's/^dkms: //' | paste -sd ';' -)"
else
  echo "$out" | tail -n 20 | sed 's/^/    /'
  bad "dkms"
fi
patched=$repo/build/mt7925/${f[0]}/connac/mt76
for x in "$repo"/kmod/mt7925/experiments/*.patch; do
  [[ -f $x ]] || continue
  name=$(basename "$x" .patch)
  out=$(cd "${TMPDIR:-/tmp}" && perl "$checkpatch" --no-tree --strict --show-types \
    --ignore FILE_PATH_CHANGES "$x" 2>&1)
  if ! grep -q 'total: 0 errors, 0 warnings, 0 checks' <<<"$out"; then
    echo "$out" | grep -v '^total:' | sed 's/^/    /'
    bad "experiment $name: checkpatch findings"
  elif ! patch -p6 --dry-run -s -d "$patched" <"$x" >/dev/null 2>&1; then
    bad "experiment $name: does not apply on top of the series ($patched)"
  else
    ok "experiment $name: checkpatch --strict clean, applies on top of the series"
  fi
done
echo "mt7925: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
