#!/usr/bin/env bash
# Builds the core's hot-path benchmarks in an opt build and runs them:
#
#   tools/bench/run.sh                          # 20 interleaved repetitions, fastest of each
#   tools/bench/run.sh --benchmark_filter=Key   # any Google Benchmark flag is passed on
#
# Prints the machine (CPUs, CPU model, kernel, load), Google Benchmark's table and the
# summary of bench/core_bench.cc: each hot path against its target and against memcpy of
# 1 KiB measured in the same run. Figures never fail the run (exit 0 unless the build or a
# benchmark breaks); docs/PERFORMANCE.md records the latest ones.
set -euo pipefail

cd "$(dirname "$0")/../.."
bazel=${BAZEL:-bazel}

# --symlink_prefix=/: no bazel-* symlinks are repointed at the opt tree, so bazel-bin keeps
# serving the default build other scripts use.
"$bazel" build -c opt --symlink_prefix=/ //bench:core_bench
bin="$("$bazel" info -c opt bazel-bin 2>/dev/null)/bench/core_bench"

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "machine: $(nproc) CPUs, ${cpu:-unknown CPU}; kernel $(uname -r); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "build:   bazel build -c opt //bench:core_bench ($(gcc -dumpfullversion 2>/dev/null | sed 's/^/gcc /'), -O2, TOOL_COPTS)"
echo

# 20 repetitions in random order across benchmarks (so a burst of load on the shared VM hits
# a few repetitions of each, not every repetition of one), 50 ms each; the summary reports the
# fastest repetition of each.
args=(--benchmark_repetitions=20 --benchmark_enable_random_interleaving=true
  --benchmark_min_time=0.05 --benchmark_report_aggregates_only=true --benchmark_color=false)
exec "$bin" "${args[@]}" "$@"
