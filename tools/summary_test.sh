#!/usr/bin/env bash
# Why: the last line of `make test` is what CI believes. This proves the scripts behind it
# (test_summary.sh, record_result.sh, report_results.sh, each_kernel.sh) cannot turn a
# stale, skipped, disabled, unbuilt or unreported test into a pass. Each case feeds them a
# fake input (a build-event file and test.xml files in a temp dir, a results file) with a
# known right answer. The old scripts fail every case here.
#
# usage: tools/summary_test.sh      (SCRIPTS=<dir> tests the scripts in another dir)
# Prints "ok N - name" / "not ok N - name" and "summary-test: N passed, M failed".
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
scripts=${SCRIPTS:-$here}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/summary-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
n=0

check() {  # check <name> <expected> <actual>
  n=$((n + 1))
  if [[ "$2" == "$3" ]]; then
    passed=$((passed + 1))
    echo "ok $n - $1"
  else
    failed=$((failed + 1))
    echo "not ok $n - $1"
    echo "#   expected: $2"
    echo "#   actual:   $3"
  fi
}

# --- fixtures: test.xml files in a fake testlogs tree ---------------------------------------
logs=$tmp/testlogs
mkdir -p "$logs"/{ok,skips,fail,leak,stale,gen}
xml() {  # xml <dir> <testcase lines...>: the totals as gtest writes them
  local d=$1 f d_
  shift
  f=$(printf '%s\n' "$@" | grep -c '<failure')
  d_=$(printf '%s\n' "$@" | grep -c 'status="notrun"')
  {
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    echo "<testsuites tests=\"$#\" failures=\"$f\" disabled=\"$d_\" errors=\"0\" name=\"AllTests\">"
    echo '  <testsuite name="S">'
    printf '    %s\n' "$@"
    echo '  </testsuite>'
    echo '</testsuites>'
  } >"$logs/$d/test.xml"
}
pass='<testcase name="A" status="run" result="completed" classname="S" />'
xml ok "$pass" "${pass/\"A\"/\"B\"}"
# gtest 1.12: GTEST_SKIP, then a DISABLED_ test; the suite's tests="3" has no failures.
xml skips "$pass" \
  '<testcase name="Skips" status="run" result="skipped" classname="S"><skipped message="m"/></testcase>' \
  '<testcase name="DISABLED_Off" status="notrun" result="suppressed" classname="S" />'
# A failure whose message contains markup (CDATA), which must not count as a test case.
xml fail "$pass" \
  '<testcase name="F" status="run" result="completed" classname="S"><failure message="x"><![CDATA[<testcase name="fake"/>]]></failure></testcase>'
# Every case passed, but the binary then failed (a leak report at exit): Bazel says FAILED.
xml leak "$pass"
# From an earlier invocation: a target that no longer builds left this behind.
xml stale "$pass" "$pass" "$pass"
# What Bazel writes for an sh_test.
cat >"$logs/gen/test.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<testsuites>
  <testsuite name="t/gen" tests="1" failures="0" errors="0">
    <testcase name="t/gen" status="run" duration="0" time="0"></testcase>
  </testsuite>
</testsuites>
EOF

# --- fixtures: build-event files -------------------------------------------------------------
cfg='"configuration":{"id":"c"}'
configured() { echo "{\"id\":{\"targetConfigured\":{\"label\":\"//t:$1\"}},\"configured\":{\"targetKind\":\"cc_test rule\",\"testSize\":\"SMALL\"}}"; }
attempt() {  # attempt <target> <status> <attempt number> <xml dir>
  echo "{\"id\":{\"testResult\":{\"label\":\"//t:$1\",\"run\":1,\"shard\":1,\"attempt\":$3,$cfg}},\"testResult\":{\"testActionOutput\":[{\"name\":\"test.log\",\"uri\":\"file://$logs/$4/test.log\"},{\"name\":\"test.xml\",\"uri\":\"file://$logs/$4/test.xml\"}],\"status\":\"$2\"}}"
}
tsummary() { echo "{\"id\":{\"testSummary\":{\"label\":\"//t:$1\",$cfg}},\"testSummary\":{\"overallStatus\":\"$2\"}}"; }
ran() {  # ran <target> <overallStatus>: built, one attempt, summary
  echo "{\"id\":{\"targetCompleted\":{\"label\":\"//t:$1\",$cfg}},\"completed\":{\"success\":true}}"
  attempt "$1" "$2" 1 "$1"
  tsummary "$1" "$2"
}
unbuilt() { echo "{\"id\":{\"targetCompleted\":{\"label\":\"//t:$1\",$cfg}},\"completed\":{\"failureDetail\":{\"message\":\"compile\"}}}"; }
aborted() { echo "{\"id\":{\"targetCompleted\":{\"label\":\"//t:$1\",$cfg}},\"aborted\":{${2:+\"reason\":\"$2\"}}}"; }
finished() { echo "{\"id\":{\"buildFinished\":{}},\"finished\":{\"exitCode\":{\"name\":\"$1\",\"code\":$2}}}"; }
summary() { "$scripts/test_summary.sh" "$1" 2>/dev/null; }

{ configured ok; configured gen; ran ok PASSED; ran gen PASSED; finished SUCCESS 0; } >"$tmp/only.json"
check "test_summary: only the targets of this invocation (a stale test.xml is not counted)" \
  "3 0 0" "$(summary "$tmp/only.json")"

{ configured skips; ran skips PASSED; finished SUCCESS 0; } >"$tmp/skips.json"
check "test_summary: GTEST_SKIP and DISABLED_ count as skipped, not passed" \
  "1 0 2" "$(summary "$tmp/skips.json")"

{ configured ok; configured broken; ran ok PASSED; unbuilt broken; finished BUILD_FAILURE 1; } >"$tmp/broken.json"
check "test_summary: a test target that failed to build counts as failed" \
  "2 1 0" "$(summary "$tmp/broken.json")"

{ configured ok; configured fail; aborted ok; aborted fail; finished BUILD_FAILURE 1; } >"$tmp/aborted.json"
check "test_summary: targets aborted by an earlier build error count as failed" \
  "0 2 0" "$(summary "$tmp/aborted.json")"

{ configured ok; configured incompatible; ran ok PASSED; aborted incompatible SKIPPED; finished SUCCESS 0; } >"$tmp/incompat.json"
check "test_summary: a target Bazel skipped (incompatible) counts as skipped" \
  "2 0 1" "$(summary "$tmp/incompat.json")"

{ configured fail; ran fail FAILED; finished TESTS_FAILED 3; } >"$tmp/fail.json"
check "test_summary: failed cases count once each (markup inside a failure is not a case)" \
  "1 1 0" "$(summary "$tmp/fail.json")"

{ configured leak; ran leak FAILED; finished TESTS_FAILED 3; } >"$tmp/leak.json"
check "test_summary: a target Bazel failed with an all-pass XML (leak at exit) adds 1 failed" \
  "1 1 0" "$(summary "$tmp/leak.json")"

{ configured ok; attempt ok FAILED 1 fail; attempt ok PASSED 2 ok; tsummary ok FLAKY; finished SUCCESS 0; } >"$tmp/flaky.json"
check "test_summary: a flaky target counts its last attempt only" \
  "2 0 0" "$(summary "$tmp/flaky.json")"

{ configured ok; ran ok PASSED; } >"$tmp/unfinished.json"
check "test_summary: an invocation that never finished adds 1 failed" \
  "2 1 0" "$(summary "$tmp/unfinished.json")"

finished BUILD_FAILURE 1 >"$tmp/loading.json"
check "test_summary: an invocation that failed before configuring any test counts 1 failed" \
  "0 1 0" "$(summary "$tmp/loading.json")"

out=$("$scripts/test_summary.sh" "$tmp/missing.json" 2>/dev/null)
rc=$?
check "test_summary: no build-event file is 1 failed and a non-zero exit" "0 1 0 rc!=0" \
  "$out rc$([[ $rc -ne 0 ]] && echo '!=0' || echo "=$rc")"

# --- record_result.sh ------------------------------------------------------------------------
export TEST_RESULTS=$tmp/results
: >"$TEST_RESULTS"
printf 'lint: ok - x\nlint: 2 passed, 1 failed\n' >"$tmp/lint.log"
"$scripts/record_result.sh" lint 1 --from "$tmp/lint.log"
printf 'kmod-test: 10 passed, 0 failed, 1 skipped\n' >"$tmp/kmod.log"
"$scripts/record_result.sh" "kmod[6.1.0-1-amd64]" 0 --from "$tmp/kmod.log"
printf 'kcheck: skip - kernel headers: none found\n' >"$tmp/skip.log"
"$scripts/record_result.sh" kcheck 0 --from "$tmp/skip.log"
"$scripts/record_result.sh" bazel 1 5 0 2
check "record_result: name, passed, failed, skipped and exit code per step; a skip line is 1 skipped" \
  "lint 2 1 0 1|kmod[6.1.0-1-amd64] 10 0 1 0|kcheck 0 0 1 0|bazel 5 0 2 1" \
  "$(paste -sd '|' "$TEST_RESULTS")"

# --- each_kernel.sh: a skipped kernel gate is recorded as skipped ----------------------------
: >"$TEST_RESULTS"
KDIR=$tmp/no-such-kernel KCHECK_SKIP_NO_KDIR=1 "$scripts/each_kernel.sh" kcheck \
  "$here/kcheck/check.sh" >/dev/null 2>&1
check "each_kernel: KCHECK_SKIP_NO_KDIR=1 without headers is recorded as skipped, not passed" \
  "kcheck[none] 0 0 1 0" "$(cat "$TEST_RESULTS")"
: >"$TEST_RESULTS"
KDIR=$tmp/no-such-kernel "$scripts/each_kernel.sh" kcheck "$here/kcheck/check.sh" >/dev/null 2>&1
check "each_kernel: no headers without the opt-out is recorded as failed with its exit code" \
  "kcheck[none] 0 1 0 2" "$(cat "$TEST_RESULTS")"

# --- report_results.sh -----------------------------------------------------------------------
report() {  # report <results lines> [expected steps...]: "<summary line> rc=<exit>"
  local lines=$1 out rc
  shift
  printf '%s\n' "$lines" >"$tmp/r"
  out=$("$scripts/report_results.sh" "$tmp/r" "$@")
  rc=$?
  echo "$(tail -n 1 <<<"$out") rc=$rc"
}
check "report_results: a skipped gate stays skipped and does not fail the run" \
  "summary: 5 passed, 0 failed, 1 skipped rc=0" \
  "$(report $'bazel 5 0 0 0\nkcheck[none] 0 0 1 0' bazel kcheck)"
check "report_results: skipped tests are totalled apart from passed ones" \
  "summary: 5 passed, 0 failed, 2 skipped rc=0" "$(report 'bazel 5 0 2 0' bazel)"
check "report_results: a non-zero exit with no failed test counts 1 failed" \
  "summary: 5 passed, 1 failed, 0 skipped rc=1" "$(report 'bazel 5 0 0 1' bazel)"
check "report_results: a step that counted nothing counts 1 failed" \
  "summary: 5 passed, 1 failed, 0 skipped rc=1" "$(report $'bazel 5 0 0 0\nubsan 0 0 0 0' bazel ubsan)"
check "report_results: an expected step that did not report counts 1 failed" \
  "summary: 5 passed, 1 failed, 0 skipped rc=1" "$(report 'bazel 5 0 0 0' bazel kmod)"
check "report_results: per-kernel lines match their step" \
  "summary: 22 passed, 0 failed, 0 skipped rc=0" \
  "$(report $'kmod[6.1.0-57-amd64] 11 0 0 0\nkmod[6.12.117+deb12-amd64] 11 0 0 0' kmod)"
check "report_results: failed tests fail the run" \
  "summary: 4 passed, 1 failed, 0 skipped rc=1" "$(report 'lint 4 1 0 1' lint)"
out=$(printf 'kcheck[none] 0 0 1 0\n' >"$tmp/r"; "$scripts/report_results.sh" "$tmp/r" |
  grep -c 'kcheck\[none\] .* 0 .* skipped$')
check "report_results: a skipped step is printed as skipped, with its exit code" "1" "$out"

echo "summary-test: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
