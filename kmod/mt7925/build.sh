#!/usr/bin/env bash
# Builds the connac-mt7925 package for one Debian 6.12 kernel out of the source tree, the way
# DKMS builds it: fetch (kmod/mt7925/fetch.sh), stage the package (stage.sh), run its
# Makefile against the kernel's headers with the pristine mt76 tree of the kernel's release.
#
#   kmod/mt7925/build.sh [--stock | --experiment NAME] [RELEASE]
#     --stock   no patch series: the stock stack, built out of tree (proves the glue)
#     --experiment NAME   the series plus kmod/mt7925/experiments/NAME.patch (never shipped),
#               into build/mt7925/<release>/connac-NAME/ (docs/mt7925.md)
#     RELEASE   default: the rig's guest kernel (fetch.sh)
#
# Output: build/mt7925/<release>/<connac|stock>/ (the package tree with the built modules);
# its build.log; the module list on stdout. Kbuild warnings fail the build.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
flavour=connac
patches=1
if [[ "${1:-}" == "--stock" ]]; then
  flavour=stock
  patches=0
  shift
fi
experiment=
if [[ "${1:-}" == "--experiment" ]]; then
  experiment=${2:?usage: build.sh --experiment NAME [RELEASE]}
  [[ -f "$repo/kmod/mt7925/experiments/$experiment.patch" ]] ||
    { echo "mt7925: no experiment kmod/mt7925/experiments/$experiment.patch" >&2; exit 2; }
  flavour=connac-$experiment
  shift 2
fi
mapfile -t f < <("$repo/kmod/mt7925/fetch.sh" "$@")
release=${f[0]} kdir=${f[1]} pristine=${f[2]}
out=$repo/build/mt7925/$release/$flavour
"$repo/kmod/mt7925/stage.sh" "$out"
if [[ -n "$experiment" ]]; then
  # Applied after the series of each kernel series, in the staged copy only.
  for d in "$out"/patches/*/; do
    cp "$repo/kmod/mt7925/experiments/$experiment.patch" "$d"
    echo "$experiment.patch" >>"$d/series"
  done
fi
start=$(date +%s)
# A fresh make: a parent make must not leak its flags or jobserver into kbuild.
if ! env -u MAKEFLAGS -u MFLAGS -u MAKEOVERRIDES -u MAKELEVEL -u GNUMAKEFLAGS \
  make -C "$out" KDIR="$kdir" KVER="$release" MT76_SRC="$pristine" PATCHES=$patches \
  -j"$(nproc 2>/dev/null || echo 2)" >"$out/build.log" 2>&1; then
  echo "mt7925: build failed ($out/build.log):" >&2
  grep -E -B2 -A3 '(error|ERROR|connac-mt7925:)' "$out/build.log" | head -n 40 >&2
  exit 1
fi
if grep -E '(warning|WARNING):' "$out/build.log" | grep -v 'Skipping BTF' >"$out/warnings.log"; then
  echo "mt7925: the build printed warnings (treated as errors):" >&2
  head -n 20 "$out/warnings.log" >&2
  exit 1
fi
grep 'connac-mt7925:' "$out/build.log" || true
echo "mt7925: $flavour stack for $release built in $(($(date +%s) - start)) s:"
(cd "$out" && find connac/connac_core mt76 -name '*.ko' | sort)
