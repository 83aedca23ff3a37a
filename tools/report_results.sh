#!/usr/bin/env bash
# Prints the per-step results `make test` collected and the total as the final line:
#
#   summary: N passed, M failed, K skipped
#
# (CI reads "N passed, M failed"; ", K skipped" was added after it.) The total can say
# 0 failed only when every expected step reported, exited 0 and counted at least one test:
#   - a step whose exit code is not 0 but counted no failed test adds 1 failed
#     (a Bazel build error, a crash before the count);
#   - a step that counted nothing at all (0 passed, 0 failed, 0 skipped) adds 1 failed;
#   - an expected step with no line adds 1 failed ("did not report");
#   - skipped tests and skipped gates are shown as skipped, never as passed. A step that only
#     skipped (e.g. KCHECK_SKIP_NO_KDIR=1) is printed "skipped" and does not fail the run.
#
# usage: report_results.sh RESULTS_FILE [EXPECTED_STEP...]
#   RESULTS_FILE: lines "<name> <passed> <failed> [<skipped> [<exit code>]]"
#   (tools/record_result.sh); an expected step matches "<step>" and "<step>[<kernel>]" lines.
# Exit status: 0 when nothing failed, 1 otherwise.
set -uo pipefail
file=${1:?usage: report_results.sh RESULTS_FILE [EXPECTED_STEP...]}
shift
total_p=0
total_f=0
total_s=0
bad=0
num() { [[ "${1:-}" =~ ^[0-9]+$ ]]; }

echo "== test summary"
printf '  %-38s %6s %6s %7s  %4s\n' step passed failed skipped exit
names=()
while read -r name p f s rc extra; do
  [[ -n "${name:-}" ]] || continue
  names+=("$name")
  s=${s:-0}
  rc=${rc:-?}
  note=
  if ! num "$p" || ! num "$f" || ! num "$s" || { [[ "$rc" != "?" ]] && ! num "$rc"; } ||
    [[ -n "${extra:-}" ]]; then
    note="FAILED (unreadable result line)"
    p=0 f=1 s=0
  elif [[ "$rc" != "?" && "$rc" -ne 0 && "$f" -eq 0 ]]; then
    note="FAILED (exit $rc with no failed test: counted 1 failed)"
    f=1
  elif [[ "$f" -ne 0 ]]; then
    note=FAILED
  elif [[ "$p" -eq 0 && "$s" -eq 0 ]]; then
    note="FAILED (counted no test: counted 1 failed)"
    f=1
  elif [[ "$p" -eq 0 ]]; then
    note=skipped
  elif [[ "$rc" == "?" ]]; then
    note="(exit code not recorded)"
  fi
  [[ "$f" -eq 0 ]] || bad=1
  printf '  %-38s %6s %6s %7s  %4s  %s\n' "$name" "$p" "$f" "$s" "$rc" "$note"
  total_p=$((total_p + p))
  total_f=$((total_f + f))
  total_s=$((total_s + s))
done < <(cat "$file" 2>/dev/null)

for step in "$@"; do
  found=0
  for n in "${names[@]}"; do
    if [[ "$n" == "$step" || "$n" == "$step["* ]]; then
      found=1
      break
    fi
  done
  if [[ $found -eq 0 ]]; then
    printf '  %-38s %6s %6s %7s  %4s  %s\n' "$step" - 1 - - "FAILED (did not report)"
    total_f=$((total_f + 1))
    bad=1
  fi
done

echo "summary: ${total_p} passed, ${total_f} failed, ${total_s} skipped"
exit "$bad"
