#!/usr/bin/env bash
# Prints the per-step test counts that `make test` collected and the total as the final
# line, "summary: N passed, M failed". Exits 1 when a step failed or counted no test.
set -uo pipefail
file=$1
total_p=0
total_f=0
bad=0
echo "== test summary"
while read -r name p f; do
  [[ -n "${name:-}" ]] || continue
  printf '  %-16s %5s passed, %s failed\n' "$name" "$p" "$f"
  total_p=$((total_p + p))
  total_f=$((total_f + f))
  if [[ "$p" -eq 0 || "$f" -ne 0 ]]; then bad=1; fi
done <"$file"
echo "summary: ${total_p} passed, ${total_f} failed"
exit "$bad"
