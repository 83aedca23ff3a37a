# connac-core: the two commands of the README contract, and their parts.
#
#   make demo   build the `connac` CLI and run the #1036 framing demo, then boot the kernel
#               module under QEMU and show its self-test and the example's recovery report
#   make test   every test: Bazel suites (plain, ASan, UBSan), CLI contract, kernel-compile
#               check, kernel module (build, checks, QEMU load test); the kernel steps run once
#               per Debian kernel series installed (6.1 and 6.12: tools/kdir.sh list)
#
# Both install missing Debian packages first (tools/setup.sh; quick when nothing is missing).

BAZEL ?= bazel
BAZEL_FLAGS ?=
SHELL := /bin/bash

.PHONY: bench-recovery lint test-tsan fuzz fuzz-smoke bench rig-test rig-demo test-rig mt7925-test \
  test-mt7925 rig-compare
FUZZ_SECONDS ?= 20
.PHONY: all setup build demo demo-kmod test test-bazel test-asan test-ubsan kcheck kcheck-selftest \
	kmod kmod-test summary-test clean

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
	@$(MAKE) --no-print-directory rig-demo || \
	  echo "(the rig demo failed; build/rig/assoc-wpa2.stock.console has the guest console)"

# The rig (docs/rig.md): the stock Debian mt7925u driver on the virtual MT7925 in a QEMU guest.
#   make rig-test [SCENARIO=<name>] [DRIVER=stock|connac]
# writes build/rig/<scenario>.<driver>.json and .log, one summary line per scenario.
SCENARIO ?=
DRIVER ?= stock
rig-test: setup
	@BAZEL="$(BAZEL)" rig/run.sh "$(SCENARIO)" "$(DRIVER)"

# The connac-mt7925 package (docs/mt7925.md): checkpatch on the patch series, the patched
# stack built out of tree for the rig's guest kernel, DKMS add/build/install/remove in private
# trees (kmod/mt7925/check.sh).
mt7925-test: setup
	@kmod/mt7925/check.sh

# A few lines: the stock driver associating with WPA2 on the virtual device.
rig-demo: setup
	@BAZEL="$(BAZEL)" rig/demo.sh

# buildifier, clang-format and clang-tidy (tools/lint/run.sh); checkpatch runs in kmod-test.
lint: setup
	@echo "== lint"
	@mkdir -p build; tools/lint/run.sh | tee build/lint.log; rc=$${PIPESTATUS[0]}; \
	  tools/record_result.sh lint $$rc --from build/lint.log; exit $$rc

# libFuzzer (clang-14, ASan+UBSan) on every target for FUZZ_SECONDS each (tools/fuzz/run.sh).
fuzz: setup
	@FUZZ_SECONDS=$(FUZZ_SECONDS) tools/fuzz/run.sh

# The bounded run `make test` does: every target, 20 s each, fails on any crash.
fuzz-smoke:
	@echo "== fuzz smoke (20 s per target)"
	@mkdir -p build; FUZZ_SECONDS=20 tools/fuzz/run.sh | tee build/fuzz.log; rc=$${PIPESTATUS[0]}; \
	  ok=$$(grep -c '^fuzz: [a-z_]* ok execs=' build/fuzz.log); \
	  bad=$$(grep -c '^fuzz: [a-z_]* FAILED' build/fuzz.log); \
	  tools/record_result.sh fuzz $$rc $$ok $$bad; exit $$rc

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

# Each step appends "<name> <passed> <failed> <skipped> <exit code>" to build/test-results
# (tools/record_result.sh); tools/report_results.sh prints every step with its exit code and
# ends with the total, "summary: N passed, M failed, K skipped" (CI reads "N passed, M
# failed"). A step that exits non-zero, counts nothing or does not report at all is a
# failure there; skipped tests and gates are counted as skipped, never as passed. Kernel
# steps report once per kernel: "kmod[6.12.117+deb12-amd64]".
TEST_STEPS := summary-test bazel asan ubsan tsan kcheck kcheck-selftest lint fuzz kmod mt7925 rig
test: setup
	@mkdir -p build && : > build/test-results
	@$(MAKE) -k --no-print-directory summary-test test-bazel test-asan test-ubsan test-tsan \
	  kcheck kcheck-selftest \
	  lint fuzz-smoke \
	  kmod-test test-mt7925 test-rig; \
	  rc=$$?; \
	  tools/report_results.sh build/test-results $(TEST_STEPS); \
	  rrc=$$?; \
	  [[ $$rc -eq 0 && $$rrc -eq 0 ]]

# The scripts behind the summary, on fake inputs (tools/summary_test.sh).
summary-test:
	@echo "== summary scripts (test_summary, record_result, report_results, each_kernel)"
	@mkdir -p build; tools/summary_test.sh | tee build/summary-test.log; rc=$${PIPESTATUS[0]}; \
	  tools/record_result.sh summary-test $$rc --from build/summary-test.log; exit $$rc

# $(call bazel-test,<step name>,<bazel test arguments>): counts only what this invocation
# configured and ran, from its build-event file (tools/test_summary.sh), not from
# bazel-testlogs. --keep_going: a target that does not build fails alone, the rest still run.
define bazel-test
	@mkdir -p build && rm -f build/bep-$(1).json
	@$(BAZEL) test $(BAZEL_FLAGS) --keep_going --build_event_json_file=$(CURDIR)/build/bep-$(1).json \
	  $(2); rc=$$?; \
	  tools/record_result.sh $(1) $$rc $$(tools/test_summary.sh build/bep-$(1).json); exit $$rc
endef

test-bazel:
	@echo "== bazel test //... (kernel-semantics flags)"
	$(call bazel-test,bazel,//...)

test-asan:
	@echo "== bazel test --config=asan //..."
	$(call bazel-test,asan,--config=asan //...)

test-tsan:
	@echo "== bazel test --config=tsan //kmod:capi_threads_test"
	$(call bazel-test,tsan,--config=tsan //kmod:capi_threads_test)

test-ubsan:
	@echo "== bazel test --config=ubsan //..."
	$(call bazel-test,ubsan,--config=ubsan //...)

# Once per Debian kernel series (tools/each_kernel.sh, tools/kdir.sh list); KDIR=... tests
# only that kernel.
kcheck:
	@echo "== kernel-compile check"
	@tools/each_kernel.sh kcheck tools/kcheck/check.sh

kcheck-selftest:
	@echo "== kernel-compile check self-test"
	@tools/each_kernel.sh kcheck-selftest userspace_test/kcheck/kcheck_selftest.sh

# Builds connac_core.ko, connac_example.ko and the test module connac_core_test.ko in
# build/kmod (docs/kmod.md).
kmod: setup
	@tools/kmod/build.sh

# The kernel module: build, guard, exports, symbols, footprint, checkpatch, DKMS, QEMU load
# test with the test module's KTAP, once per Debian kernel series (build/kmod/<release>/,
# logs build/kmod-<release>.log).
kmod-test:
	@echo "== kernel module: build, checks, QEMU load test"
	@tools/each_kernel.sh kmod tools/kmod/kmod_test.sh

clean:
	$(BAZEL) clean
	rm -rf build

# Every rig scenario on the stock driver, then on the connac-patched one (the DKMS package
# built from Debian's linux-source), then both side by side (rig/compare.sh: figures, not
# tests). Budget: about 5 minutes per driver on this 2-core machine. Steps rig[stock] and
# rig[connac] count scenarios.
test-rig:
	@mkdir -p build; rc=0; \
	for d in stock connac; do \
	  echo "== rig: $$d mt7925u on the virtual MT7925 (QEMU/TCG)"; \
	  BAZEL="$(BAZEL)" rig/run.sh "" $$d | tee build/rig-test.$$d.log; \
	  r=$${PIPESTATUS[0]}; [ $$r -eq 0 ] || rc=$$r; \
	  tools/record_result.sh "rig[$$d]" $$r --from build/rig-test.$$d.log; \
	done; \
	rig/compare.sh || true; exit $$rc

# The stock and connac reports of the last full runs side by side, written into
# docs/PERFORMANCE.md (rig-outage section): run after `make test` or both rig-test runs.
rig-compare:
	@rig/compare.sh --docs docs/PERFORMANCE.md

# The connac-mt7925 package as a make-test step: checkpatch, out-of-tree build, DKMS.
test-mt7925: setup
	@mkdir -p build; kmod/mt7925/check.sh 2>&1 | tee build/mt7925-test.log; \
	  rc=$${PIPESTATUS[0]}; tools/record_result.sh mt7925 $$rc --from build/mt7925-test.log; exit $$rc
