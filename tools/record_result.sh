#!/usr/bin/env bash
# Appends one step's result to the file `make test` sums up (tools/report_results.sh):
#
#   <name> <passed> <failed> <skipped> <exit code>
#
# usage: record_result.sh NAME RC                   1 passed if RC is 0, else 1 failed
#        record_result.sh NAME RC P F [S]           the step's own counts
#        record_result.sh NAME RC --from LOG        counts from LOG's last
#                                                   "N passed, M failed[, K skipped]" line;
#                                                   without one: 1 skipped if RC is 0 and LOG
#                                                   has a "<step>: skip - " line, else as NAME RC
# Env: TEST_RESULTS (default <repo>/build/test-results).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
name=${1:?usage: record_result.sh NAME RC [P F [S] | --from LOG]}
rc=${2:?exit code}
out=${TEST_RESULTS:-$repo/build/test-results}
[[ "$name" != *[[:space:]]* ]] || { echo "record_result: NAME must not contain spaces" >&2; exit 2; }
[[ "$rc" =~ ^[0-9]+$ ]] || { echo "record_result: RC must be a number: '$rc'" >&2; exit 2; }
shift 2

by_rc() { if [[ $rc -eq 0 ]]; then echo "1 0 0"; else echo "0 1 0"; fi; }

if [[ "${1:-}" == --from ]]; then
  log=${2:?--from LOG}
  line=$(grep -oE '[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?' "$log" 2>/dev/null | tail -n 1 || true)
  if [[ -n "$line" ]]; then
    read -r p f s < <(sed -E 's/([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?/\1 \2 \4/' <<<"$line")
    counts="$p $f ${s:-0}"
  elif [[ $rc -eq 0 ]] && grep -qE '^[A-Za-z0-9_-]+: skip - ' "$log" 2>/dev/null; then
    counts="0 0 1"
  else
    counts=$(by_rc)
  fi
elif [[ $# -ge 2 ]]; then
  for n in "$1" "$2" "${3:-0}"; do
    [[ "$n" =~ ^[0-9]+$ ]] || { echo "record_result: counts must be numbers: $*" >&2; exit 2; }
  done
  counts="$1 $2 ${3:-0}"
else
  counts=$(by_rc)
fi
mkdir -p "$(dirname "$out")"
echo "$name $counts $rc" >>"$out"
