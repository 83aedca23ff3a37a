#!/usr/bin/env bash
# Sums the test cases Bazel recorded in bazel-testlogs/**/test.xml (gtest and sh_test
# results) and prints "<passed> <failed>". Run right after a `bazel test` invocation: the
# bazel-testlogs link points at the last configuration that ran.
set -euo pipefail
logs=${1:-bazel-testlogs}
passed=0
failed=0
while IFS= read -r -d '' xml; do
  line=$(grep -m1 -o '<testsuites\? [^>]*tests="[0-9]*"[^>]*>' "$xml" || true)
  if [[ -z "$line" ]]; then
    continue
  fi
  t=$(sed -n 's/.* tests="\([0-9]*\)".*/\1/p' <<<"$line")
  f=$(sed -n 's/.* failures="\([0-9]*\)".*/\1/p' <<<"$line")
  e=$(sed -n 's/.* errors="\([0-9]*\)".*/\1/p' <<<"$line")
  t=${t:-0}; f=${f:-0}; e=${e:-0}
  failed=$((failed + f + e))
  passed=$((passed + t - f - e))
done < <(find -L "$logs" -name test.xml -print0 2>/dev/null)
echo "$passed $failed"
