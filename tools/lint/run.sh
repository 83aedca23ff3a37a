#!/usr/bin/env bash
# `make lint`: buildifier on the Bazel files, clang-format on the C++, clang-tidy on the core.
# The kernel C files are checked by checkpatch.pl in `make kmod-test` (tools/kmod/checkpatch.sh).
# Prints one line per check and "lint: N passed, M failed"; exits 1 if any failed.
set -uo pipefail
cd "$(dirname "$0")/../.."
pass=0
fail=0
report() {  # name rc detail-file
  if [[ $2 -eq 0 ]]; then
    pass=$((pass + 1)); echo "lint: ok - $1"
  else
    fail=$((fail + 1)); echo "lint: FAIL - $1"; sed 's/^/  /' "$3" | head -40
  fi
}
out=$(mktemp)
trap 'rm -rf "$out" "${tidy_inc:-}"' EXIT

# buildifier from the npm registry (@bazel/buildifier ships the binaries), cached in build/.
bf_dir=build/lint/buildifier
bf=$bf_dir/node_modules/@bazel/buildifier/buildifier-linux_amd64
if [[ ! -x $bf ]]; then
  mkdir -p "$bf_dir"
  npm install --prefix "$bf_dir" --no-audit --no-fund --silent @bazel/buildifier@8.2.1 >"$out" 2>&1 ||
    { report "buildifier install (npm @bazel/buildifier)" 1 "$out"; echo "lint: ${pass} passed, ${fail} failed"; exit 1; }
fi
mapfile -t bazel_files < <(git ls-files 'WORKSPACE' 'BUILD' '*/BUILD' '*.bzl' '*.BUILD')
# Bazel 4.2.3 has the native rules as globals, so the "load it from rules_cc" warnings do not
# apply to this workspace.
native=-native-cc-binary,-native-cc-library,-native-cc-test,-native-cc-import,-native-cc-proto
native+=,-native-cc-toolchain,-native-cc-toolchain-suite,-native-cc-objc-library
native+=,-native-sh-binary,-native-sh-test,-native-java-binary,-native-java-import
native+=,-native-java-library,-native-java-runtime,-native-java-toolchain
"$bf" --mode=check --lint=warn "--warnings=$native" "${bazel_files[@]}" >"$out" 2>&1
report "buildifier (${#bazel_files[@]} files)" $? "$out"

mapfile -t cxx < <(git ls-files '*.cc' '*.h' | grep -v '^kmod/.*\.h$' | grep -v '^kmod/connac_core/connac_shim.h$')
clang-format --dry-run --Werror "${cxx[@]}" >"$out" 2>&1
report "clang-format (${#cxx[@]} C++ files, .clang-format)" $? "$out"

# The test equipment (core/testing/, included as connac/testing/*.h, as Bazel's include_prefix
# maps it) is checked with the public headers.
tidy_inc=$(mktemp -d)
mkdir -p "$tidy_inc/connac" && ln -s "$PWD/core/testing" "$tidy_inc/connac/testing"
clang-tidy-14 --quiet --header-filter='core/include/connac/.*|/connac/testing/.*' \
  core/self_contained.cc -- -std=c++20 -Icore/include -I"$tidy_inc" -fno-exceptions -fno-rtti \
  >"$out" 2>&1
report "clang-tidy (core, .clang-tidy)" $? "$out"

echo "lint: ${pass} passed, ${fail} failed"
[[ $fail -eq 0 ]]
