#!/usr/bin/env bash
# Why: a guard that never fails is worse than none. This runs tools/kcheck/check.sh once on
# the clean core (must pass) and once per fixture header in this directory, each injected
# into the C++ TU through KCHECK_EXTRA_HEADER (must FAIL, and on the check that is meant to
# catch that construct, not just any check). It also feeds a g++ that reports the wrong
# version (must FAIL the compiler-version check before building anything).
#
# Output: "ok N - name" / "not ok N - name" / "ok N - name # SKIP why" per case (check.sh's
# output follows a failed case, prefixed with "# "), then exactly one
# "kcheck-selftest: N passed, M failed, K skipped" line (a SKIP is not a pass).
# Exit status: 0 when no case failed, 1 otherwise.
#
# Environment: KDIR, KCHECK_CXX and KCHECK_ALLOW_UNDEF pass through to check.sh; an inherited
# KCHECK_EXTRA_HEADER is dropped so the clean case stays clean. See docs/kernel-compile-check.md.
set -uo pipefail
unset KCHECK_EXTRA_HEADER

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
check=$repo/tools/kcheck/check.sh

passed=0
failed=0
skipped=0
n=0
scratch=$(mktemp -d "${TMPDIR:-/tmp}/kcheck-selftest.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

report() {  # report <ok:0|1> <name> <output>
  n=$((n + 1))
  if [[ $1 -eq 1 ]]; then
    passed=$((passed + 1))
    echo "ok $n - $2"
  else
    failed=$((failed + 1))
    echo "not ok $n - $2"
    while IFS= read -r l; do echo "# $l"; done <<<"$3"
  fi
}

# expect_pass <name> [VAR=value...]: check.sh exits 0 with no FAIL line.
expect_pass() {
  local name=$1 out rc
  shift
  out=$(env "$@" "$check" 2>&1)
  rc=$?
  if [[ $rc -eq 0 ]] && ! grep -q '^kcheck: FAIL' <<<"$out" &&
    grep -q '^kcheck: all checks passed$' <<<"$out"; then
    report 1 "$name" "$out"
  else
    report 0 "$name (check.sh exited $rc; expected 0)" "$out"
  fi
}

# expect_fail <name> <check> <detail-regex> [VAR=value...]: check.sh exits 1 and prints
# "kcheck: FAIL - <check>: ..." whose detail matches <detail-regex>.
expect_fail() {
  local name=$1 check_name=$2 regex=$3 out rc line
  shift 3
  out=$(env "$@" "$check" 2>&1)
  rc=$?
  line=$(grep -E "^kcheck: FAIL - ${check_name}: .*${regex}" <<<"$out" | head -n 1)
  if [[ $rc -eq 1 && -n "$line" ]]; then
    report 1 "$name" "$out"
    echo "#   $line"
  else
    report 0 "$name (exit $rc; expected exit 1 and FAIL - $check_name matching /$regex/)" "$out"
  fi
}

fixture() { echo "KCHECK_EXTRA_HEADER=$here/$1"; }

# The kernel tree check.sh will pick (the same resolver), for config-dependent cases.
autoconf() {
  local k=${KDIR:-}
  [[ -n "$k" ]] || k=$("$repo/tools/kdir.sh" default 2>/dev/null || true)
  echo "${k:-/nonexistent}/include/config/auto.conf"
}
kconfig_y() { grep -q "^$1=y" "$(autoconf)" 2>/dev/null; }
skip() {
  n=$((n + 1))
  skipped=$((skipped + 1))
  echo "ok $n - $1 # SKIP $2"
}

# Same opt-out as check.sh for machines without kernel headers.
if [[ "${KCHECK_SKIP_NO_KDIR:-0}" == 1 && ! -f "$(autoconf)" ]]; then
  echo "ok 1 - kernel-compile check # SKIP no kernel headers"
  echo "kcheck-selftest: 0 passed, 0 failed, 1 skipped"
  exit 0
fi

expect_pass "clean core passes every check"

expect_fail "operator new is an undefined symbol" \
  "undefined symbols" '_Znwm' "$(fixture uses_new.h)"
expect_fail "std::array::at() pulls a libstdc++ throw helper" \
  "undefined symbols" '__throw_out_of_range_fmt' "$(fixture throws.h)"
expect_fail "global constructor emits .init_array" \
  "sections" '\.init_array' "$(fixture global_ctor.h)"
expect_fail "virtual destructor needs operator delete" \
  "undefined symbols" '_ZdlPvm' "$(fixture virtual_dtor.h)"
expect_fail "pure virtual leaves a weak __cxa_pure_virtual" \
  "undefined symbols" '__cxa_pure_virtual\(weak\)' "$(fixture pure_virtual.h)"

if kconfig_y CONFIG_X86_64; then
  expect_fail "thread_local needs TLS relocations" \
    "relocations" 'TPOFF32' "$(fixture thread_local.h)"
else
  skip "thread_local needs TLS relocations" "relocation check is x86-64 only"
fi

# CONFIG_RETHUNK was renamed CONFIG_MITIGATION_RETHUNK in 6.9.
if kconfig_y CONFIG_RETHUNK || kconfig_y CONFIG_MITIGATION_RETHUNK; then
  expect_fail "bare ret in asm is an objtool warning" \
    "objtool" "'naked' return" "$(fixture objtool_naked_ret.h)"
else
  skip "bare ret in asm is an objtool warning" "kernel has no CONFIG_RETHUNK"
fi

# A g++ whose version differs from the kernel's GCC: refused before any build.
fake_cxx=$scratch/g++-wrong-version
cat >"$fake_cxx" <<'EOF'
#!/bin/sh
# Reports a GCC version no kernel here was built with; otherwise behaves like g++.
if [ "$1" = "-dumpfullversion" ]; then echo 9.9.9; exit 0; fi
exec g++ "$@"
EOF
chmod +x "$fake_cxx"
expect_fail "g++ version must match CONFIG_GCC_VERSION" \
  "compiler version" "'9\.9\.9'" "KCHECK_CXX=$fake_cxx"

echo "kcheck-selftest: $passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 ]]
