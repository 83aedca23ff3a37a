#!/usr/bin/env bash
# Runs a kernel step once per Debian kernel series installed (tools/kdir.sh list: 6.1 and
# 6.12; with KDIR set, only that kernel) and records one result line per kernel, named after
# it, e.g. "kmod[6.12.117+deb12-amd64] 11 0 0 0" (tools/record_result.sh).
#
# usage: each_kernel.sh NAME CMD [ARGS...]
#   Each run gets KDIR=<that kernel's build dir> and KMOD_BUILD_DIR=<repo>/build/kmod/<release>;
#   its output goes to stdout and to <NAME>-<release>.log next to the results file, and the
#   counts come from its last "N passed, M failed[, K skipped]" line (else its exit code; a
#   "<x>: skip - " line with exit 0 is 1 skipped). No kernel found (or KDIR set to something
#   that is not a kernel tree): CMD runs once with the environment as it is and decides itself
#   (fail, or skip under KCHECK_SKIP_NO_KDIR=1), recorded as NAME[none].
# Env: TEST_RESULTS (default <repo>/build/test-results), as tools/record_result.sh.
# Exit status: 0 when every run exited 0.
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
name=${1:?usage: each_kernel.sh NAME CMD [ARGS...]}
shift
[[ $# -gt 0 ]] || { echo "usage: each_kernel.sh NAME CMD [ARGS...]" >&2; exit 2; }
results=${TEST_RESULTS:-$repo/build/test-results}
logdir=$(dirname "$results")
mkdir -p "$logdir"

kernels=$("$repo/tools/kdir.sh" list 2>/dev/null || true)
if [[ -z "$kernels" ]]; then
  # Not a Debian tree (or none): the one the scripts default to, if any.
  k=$("$repo/tools/kdir.sh" default 2>/dev/null || true)
  r=$([[ -n "$k" ]] && "$repo/tools/kdir.sh" release "$k" 2>/dev/null || true)
  [[ -n "$r" ]] && kernels="? $r $k"
fi

status=0
run() {  # run <release> <kdir or empty> CMD [ARGS...]
  local rel=$1 kdir=$2 log=$logdir/$name-$1.log rc
  shift 2
  if [[ -n "$kdir" ]]; then
    echo "-- $name on $rel ($kdir)"
    KDIR=$kdir KMOD_BUILD_DIR=$repo/build/kmod/$rel "$@" 2>&1 | tee "$log"
  else
    echo "-- $name: no kernel headers found${KDIR:+ (KDIR=$KDIR)}"
    "$@" 2>&1 | tee "$log"
  fi
  rc=${PIPESTATUS[0]}
  [[ $rc -eq 0 ]] || status=1
  "$repo/tools/record_result.sh" "$name[$rel]" "$rc" --from "$log"
}

if [[ -z "$kernels" ]]; then
  run none "" "$@"
else
  while read -r -u 3 _ rel kdir; do
    run "$rel" "$kdir" "$@"
  done 3<<<"$kernels"
fi
exit "$status"
