# connac-core: the two commands of the README contract, and their parts.
#
#   make demo   build the `connac` CLI and run the #1036 framing demo, then boot the kernel
#               module under QEMU and show its self-test and the example's recovery report
#   make test   every test: Bazel suites (plain, ASan, UBSan), CLI contract, kernel-compile
#               check, kernel module (build, checks, QEMU load test)
#
# Both install missing Debian packages first (tools/setup.sh; quick when nothing is missing).

BAZEL ?= bazel
BAZEL_FLAGS ?=
SHELL := /bin/bash

.PHONY: bench-recovery lint test-tsan fuzz fuzz-smoke bench
FUZZ_SECONDS ?= 20
.PHONY: all setup build demo demo-kmod test test-bazel test-asan test-ubsan kcheck kcheck-selftest \
	kmod kmod-test clean

all: build

setup:
	@tools/setup.sh

build: setup
	$(BAZEL) build $(BAZEL_FLAGS) //...

demo: setup
	$(BAZEL) build $(BAZEL_FLAGS) //tools:connac
	@tools/demo.sh bazel-bin/tools/connac
	@$(MAKE) --no-print-directory demo-kmod || \
	  echo "(the kernel-module demo failed; the CLI demo above does not depend on it)"

# buildifier, clang-format and clang-tidy (tools/lint/run.sh); checkpatch runs in kmod-test.
lint: setup
	@echo "== lint"
	@tools/lint/run.sh | tee build/lint.log; rc=$${PIPESTATUS[0]}; \
	  line=$$(grep -o '[0-9]* passed, [0-9]* failed' build/lint.log | tail -1); \
	  echo "lint $$(sed 's/ passed, / /; s/ failed//' <<<"$${line:-0 passed, 1 failed}")" >> build/test-results; \
	  exit $$rc

# libFuzzer (clang-14, ASan+UBSan) on every target for FUZZ_SECONDS each (tools/fuzz/run.sh).
fuzz: setup
	@FUZZ_SECONDS=$(FUZZ_SECONDS) tools/fuzz/run.sh

# The bounded run `make test` does: every target, 20 s each, fails on any crash.
fuzz-smoke:
	@echo "== fuzz smoke (20 s per target)"
	@FUZZ_SECONDS=20 tools/fuzz/run.sh | tee build/fuzz.log; rc=$${PIPESTATUS[0]}; \
	  ok=$$(grep -c '^fuzz: [a-z_]* ok execs=' build/fuzz.log); \
	  if [[ $$rc -eq 0 ]]; then echo "fuzz $$ok 0"; else echo "fuzz $$ok 1"; fi >> build/test-results; \
	  exit $$rc

# Hot-path benchmarks (opt build), ratios against a baseline in the same run (tools/bench/run.sh).
bench: setup
	@tools/bench/run.sh

# Recovery scenarios x policies on the firmware simulator (virtual clock): prints the table
# and writes it into docs/PERFORMANCE.md between its markers.
bench-recovery: setup
	$(BAZEL) build $(BAZEL_FLAGS) //tools/sim:bench_recovery
	@"$$($(BAZEL) info $(BAZEL_FLAGS) bazel-bin 2>/dev/null)/tools/sim/bench_recovery" docs/PERFORMANCE.md

# The kernel module in a QEMU guest: the self-test's KTAP and the example's report.
demo-kmod: setup
	@tools/kmod/demo.sh

# Each step appends "<name> <passed> <failed>" to build/test-results; the last line of
# `make test` is the total, in the plain "N passed, N failed" form CI reads.
test: setup
	@mkdir -p build && : > build/test-results
	@$(MAKE) -k --no-print-directory test-bazel test-asan test-ubsan test-tsan kcheck kcheck-selftest \
	  lint fuzz-smoke \
	  kmod-test; \
	  rc=$$?; \
	  tools/report_results.sh build/test-results; \
	  rrc=$$?; \
	  [[ $$rc -eq 0 && $$rrc -eq 0 ]]

test-bazel:
	@echo "== bazel test //... (kernel-semantics flags)"
	@$(BAZEL) test $(BAZEL_FLAGS) //... ; rc=$$?; \
	  echo "bazel $$(tools/test_summary.sh)" >> build/test-results; exit $$rc

test-asan:
	@echo "== bazel test --config=asan //..."
	@$(BAZEL) test $(BAZEL_FLAGS) --config=asan //... ; rc=$$?; \
	  echo "asan $$(tools/test_summary.sh)" >> build/test-results; exit $$rc

test-tsan:
	@echo "== bazel test --config=tsan //kmod:capi_threads_test"
	@$(BAZEL) test $(BAZEL_FLAGS) --config=tsan //kmod:capi_threads_test ; rc=$$?; \
	  echo "tsan $$(tools/test_summary.sh)" >> build/test-results; exit $$rc

test-ubsan:
	@echo "== bazel test --config=ubsan //..."
	@$(BAZEL) test $(BAZEL_FLAGS) --config=ubsan //... ; rc=$$?; \
	  echo "ubsan $$(tools/test_summary.sh)" >> build/test-results; exit $$rc

kcheck:
	@echo "== kernel-compile check"
	@tools/kcheck/check.sh; rc=$$?; \
	  if [[ $$rc -eq 0 ]]; then echo "kcheck 1 0"; else echo "kcheck 0 1"; fi >> build/test-results; exit $$rc

kcheck-selftest:
	@echo "== kernel-compile check self-test"
	@userspace_test/kcheck/kcheck_selftest.sh | tee build/kcheck-selftest.log; rc=$${PIPESTATUS[0]}; \
	  line=$$(grep -o '[0-9]* passed, [0-9]* failed' build/kcheck-selftest.log | tail -1); \
	  echo "kcheck-selftest $$(sed 's/ passed, / /; s/ failed//' <<<"$${line:-0 passed, 1 failed}")" >> build/test-results; \
	  exit $$rc

# Builds connac_core.ko and connac_example.ko in build/kmod (docs/kmod.md).
kmod: setup
	@tools/kmod/build.sh

# The kernel module: build, guard, footprint, checkpatch, DKMS, QEMU load test.
kmod-test:
	@echo "== kernel module: build, checks, QEMU load test"
	@mkdir -p build && tools/kmod/kmod_test.sh | tee build/kmod-test.log; rc=$${PIPESTATUS[0]}; \
	  line=$$(grep -o '^kmod-test: [0-9]* passed, [0-9]* failed' build/kmod-test.log | tail -1); \
	  line=$${line#kmod-test: }; \
	  echo "kmod $$(sed 's/ passed, / /; s/ failed//' <<<"$${line:-0 passed, 1 failed}")" >> build/test-results; \
	  exit $$rc

clean:
	$(BAZEL) clean
	rm -rf build
