#!/usr/bin/env bash
# Builds every libFuzzer target in fuzz/ with ASan + UBSan (clang++-14) into build/fuzz/ and
# runs each for FUZZ_SECONDS (default 20) on a scratch copy of its seed corpus.
#
#   tools/fuzz/run.sh                      # all targets
#   FUZZ_SECONDS=300 tools/fuzz/run.sh tlv # one target, longer
#
# Prints one line per target, "fuzz: <target> ok execs=<n> corpus=<n>", or
# "fuzz: <target> FAILED ..." with the crashing input's path, and exits 1 when any target
# crashed (or failed to build). The repository is not modified: the corpus grows in
# build/fuzz/work/<target>/, crashes land in build/fuzz/artifacts/<target>/, logs in
# build/fuzz/<target>.log. Reproduce a crash with: build/fuzz/<target> <crash-file>.
# docs/RELIABILITY.md describes the targets and their properties.
set -uo pipefail

cd "$(dirname "$0")/../.."
root=$PWD
secs=${FUZZ_SECONDS:-20}
out=build/fuzz
cxx=${FUZZ_CXX:-clang++-14}

all_targets=(frame_decode event_response tlv inflight keys_script diagnose keytable reset capi cli_parse)
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=("${all_targets[@]}")

if ! command -v "$cxx" >/dev/null; then
  echo "fuzz: $cxx not found (tools/setup.sh installs clang and libclang-rt-14-dev)" >&2
  exit 1
fi
if ! [[ "$secs" =~ ^[0-9]+$ ]]; then
  echo "fuzz: FUZZ_SECONDS must be a whole number of seconds, got '$secs'" >&2
  exit 1
fi

# The core's language (build_defs.bzl CORE_COPTS: kernel semantics, no exceptions or RTTI),
# with libFuzzer, ASan and UBSan; every UBSan finding aborts.
cxxflags=(
  -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
  -fno-exceptions -fno-rtti -fno-strict-aliasing -fno-strict-overflow
  -fno-delete-null-pointer-checks
  -ftrivial-auto-var-init=zero -enable-trivial-auto-var-init-zero-knowing-it-will-be-removed-from-clang
  -Wall -Wextra
  -I. -Icore/include -Ikmod/include -Ikmod/connac_core
)
# Debian's Abseil, linked as shared libraries (as third_party/abseil.BUILD :strings does).
absl_libs=(
  -labsl_str_format_internal -labsl_strings -labsl_strings_internal -labsl_int128
  -labsl_throw_delegate -labsl_raw_logging_internal -labsl_base -labsl_spinlock_wait
)

# Sources of each target beyond fuzz/<target>_fuzz.cc, and whether it links Abseil.
extra_srcs() {
  case $1 in
    keys_script) echo tools/keys_cmd.cc tools/cli_util.cc ;;
    cli_parse) echo tools/cli_util.cc ;;
    diagnose) echo tools/diagnose_{analyze,findings,format,line,render}.cc tools/cli_util.cc ;;
    # The C API as the kernel module builds it: the glue defines every function of the
    # header (the module adds only the generated export list).
    capi) echo kmod/connac_core/connac_glue.cc ;;
  esac
}
max_len() {
  case $1 in
    diagnose) echo 8192 ;;
    *) echo 4096 ;;
  esac
}

mkdir -p "$out"

# ---- build (in parallel, one job per CPU; a target is rebuilt only when a source changed)
build_one() {
  local t=$1 bin=$out/$1
  # core/check_abort.cc: the userspace check hook every core user links (connac/check.h).
  local srcs=("fuzz/${t}_fuzz.cc" core/check_abort.cc)
  # shellcheck disable=SC2207
  local extra=($(extra_srcs "$t"))
  srcs+=("${extra[@]}")
  local libs=()
  [[ ${#extra[@]} -gt 0 ]] && libs=("${absl_libs[@]}")
  # The command line is part of what is built: a different compiler or flag rebuilds.
  local cmd="$cxx ${cxxflags[*]} ${srcs[*]} ${libs[*]}"
  if [[ -x "$bin" && "$(cat "$bin.cmd" 2>/dev/null)" == "$cmd" ]] &&
    [[ -z "$(find "${srcs[@]}" fuzz/*.h core/include/connac tools/*.h kmod/include kmod/connac_core \
        -newer "$bin" -print -quit 2>/dev/null)" ]]; then
    return 0
  fi
  rm -f "$bin.cmd"
  "$cxx" "${cxxflags[@]}" "${srcs[@]}" "${libs[@]}" -o "$bin.tmp" >"$out/$t.build.log" 2>&1 &&
    mv "$bin.tmp" "$bin" && echo "$cmd" >"$bin.cmd"
}

jobs_max=$(nproc 2>/dev/null || echo 2)
start=$(date +%s)
declare -A build_pid
for t in "${targets[@]}"; do
  if [[ ! -f "fuzz/${t}_fuzz.cc" ]]; then
    echo "fuzz: unknown target '$t' (${all_targets[*]})" >&2
    exit 1
  fi
  while [[ $(jobs -rp | wc -l) -ge $jobs_max ]]; do wait -n; done
  build_one "$t" &
  build_pid[$t]=$!
done
failed=()
for t in "${targets[@]}"; do
  if ! wait "${build_pid[$t]}"; then
    echo "fuzz: $t FAILED to build (log: $out/$t.build.log)"
    sed -n '1,20p' "$out/$t.build.log"
    failed+=("$t")
  fi
done
echo "fuzz: built ${#targets[@]} target(s) with $cxx -fsanitize=fuzzer,address,undefined in $(($(date +%s) - start)) s"

# ---- run
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
for t in "${targets[@]}"; do
  [[ " ${failed[*]} " == *" $t "* ]] && continue
  work=$out/work/$t
  artifacts=$out/artifacts/$t/
  log=$out/$t.log
  rm -rf "$work"
  mkdir -p "$work" "$artifacts"
  seeds=$(find "fuzz/corpus/$t" -type f | wc -l)
  cp fuzz/corpus/"$t"/* "$work"/ 2>/dev/null
  if [[ $secs -eq 0 ]]; then
    limit=(-runs=0)  # only replay the seeds
  else
    limit=(-max_total_time="$secs")
  fi
  "$out/$t" "${limit[@]}" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
    -max_len="$(max_len "$t")" -artifact_prefix="$artifacts" "$work" >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  corpus=$(find "$work" -type f | wc -l)
  if [[ $rc -eq 0 ]]; then
    echo "fuzz: $t ok execs=${execs:-0} corpus=$corpus seeds=$seeds"
  else
    crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
    echo "fuzz: $t FAILED exit=$rc input=${crash:-none} log=$log"
    grep -m 5 -E 'ERROR: |FUZZ_CHECK failed|runtime error|SUMMARY' "$log" | sed 's/^/  /'
    [[ -n "$crash" ]] && echo "  reproduce: $root/$out/$t $root/$crash"
    failed+=("$t")
  fi
done

if [[ ${#failed[@]} -ne 0 ]]; then
  echo "fuzz: ${#failed[@]} of ${#targets[@]} target(s) failed: ${failed[*]}"
  exit 1
fi
echo "fuzz: all ${#targets[@]} target(s) ok (${secs} s each)"
