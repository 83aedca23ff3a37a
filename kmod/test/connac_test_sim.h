/* SPDX-License-Identifier: GPL-2.0 */
/*
 * connac_test_sim.h - the test module's C view of its C++ test equipment
 * (connac_test_sim.cc): the mt7925 firmware simulator (connac::FwSim,
 * core/testing/fwsim.h) for the hang suite, and the fwsim-virtual suite's
 * scenarios (connac::testing::FwSimHost, core/testing/fwsim_host.h).
 *
 * Why: connac_core_test.c is kernel C and the simulator is header-only C++.
 * Test material: this never ships in connac_core.ko; only the test module
 * (kmod/test) and the userspace tests (kmod/BUILD) build it. Like the core,
 * it is sans-I/O and never locks: the caller serialises.
 */
#ifndef CONNAC_TEST_SIM_H
#define CONNAC_TEST_SIM_H

#include "connac_core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------
 * The firmware simulator.
 */

/* Bytes and alignment of struct connac_fwsim (checked against the core). */
#define CONNAC_FWSIM_SIZE 1856
#define CONNAC_FWSIM_ALIGN 8
/* An event is a 44-byte RXD plus the UNI result {cid, 3 pad, le32 status}. */
#define CONNAC_FWSIM_EVENT_SIZE 52

struct connac_fwsim {
	CONNAC_ALIGNAS(CONNAC_FWSIM_ALIGN) unsigned char opaque[CONNAC_FWSIM_SIZE];
};

/* connac::FwSimConfig; times are the firmware's (virtual) ns. */
struct connac_fwsim_config {
	long long latency_ns;		/* ordinary commands */
	long long slow_latency_ns;	/* SCAN_REQ, EFUSE_CTRL, ROC, MIB */
	unsigned int arm_after_cmds;	/* triggers ignore this many commands */
	unsigned int hang_at_cmd;	/* hang on the Nth command after them */
	unsigned int hang_on_cmd_word;	/* hang on the first such command */
	unsigned int assert_at_cmd;	/* COREDUMP at the Nth command */
	unsigned char step_failures[CONNAC_STEPS];	/* fail the first k runs */
	unsigned char hang_on_bss_after_sta_remove;	/* the #1036 trigger */
	unsigned char rsv;
	unsigned int hang_in_restore_times;
	unsigned int restore_hang_cmd;
	long long wfsys_ns;		/* a WFSYS reset takes this long */
	long long fw_load_ns;		/* semaphore + patch + RAM + ready */
	long long restore_step_ns;
};

struct connac_fwsim_state {
	unsigned char hung;
	unsigned char running;
	unsigned char device;		/* DEV_INFO received since the reload */
	unsigned char rsv;
	unsigned int commands;		/* frames received while alive */
	unsigned int swallowed;		/* frames received while hung or off */
	unsigned int responses;
	unsigned int resets;		/* successful WFSYS resets */
	unsigned int reloads;		/* the firmware became ready */
	unsigned int malformed;
};

/* Fills @c with connac::FwSimConfig's defaults (docs/reset.md). */
void connac_fwsim_default_config(struct connac_fwsim_config *c);

/* A running firmware. -EINVAL for a NULL argument or a negative time. */
int connac_fwsim_init(struct connac_fwsim *fw,
		      const struct connac_fwsim_config *c);

/* Takes one host-to-device frame at @now_ns. */
void connac_fwsim_receive(struct connac_fwsim *fw, const void *frame,
			  unsigned long len, long long now_ns);

/*
 * The next event due at or before @now_ns, written to @out: its length, or
 * -ENOENT (none due), -ENOBUFS (@cap < CONNAC_FWSIM_EVENT_SIZE), -EINVAL.
 */
long connac_fwsim_poll_event(struct connac_fwsim *fw, long long now_ns,
			     void *out, unsigned long cap);

/* When the next event is due, or CONNAC_NEVER. */
long long connac_fwsim_next_event_at(const struct connac_fwsim *fw);

/*
 * Runs reset step @step (enum connac_step) at @now_ns: *@done_ns is when the
 * host learns the outcome; returns 1 (it will succeed), 0 (it will fail) or
 * -EINVAL.
 */
int connac_fwsim_run_step(struct connac_fwsim *fw, unsigned int step,
			  long long now_ns, long long *done_ns);

/* The liveness probe: 0 when the firmware runs, else -ETIMEDOUT. */
int connac_fwsim_probe(const struct connac_fwsim *fw);

void connac_fwsim_get_state(const struct connac_fwsim *fw,
			    struct connac_fwsim_state *s);

/* 1 when BSS @bss_idx is active / station @wcid is present, else 0. */
int connac_fwsim_bss_active(const struct connac_fwsim *fw,
			    unsigned int bss_idx);
int connac_fwsim_sta_present(const struct connac_fwsim *fw,
			     unsigned int wcid);

/*
 * The key in WTBL entry @wcid, slot @slot (0: PTK/GTK, 1: IGTK): copies its
 * bytes (up to @cap) to @key and returns its length, or -ENOENT.
 */
int connac_fwsim_key(const struct connac_fwsim *fw, unsigned int wcid,
		     unsigned int slot, unsigned char *key, unsigned long cap);

/* ---------------------------------------------------------------------------
 * The fwsim-virtual suite: connac::Device driven by connac::testing::
 * FwSimHost on a virtual clock, the core's recovery decided and executed in
 * the caller's context (the kernel's, in the test module).
 */

/* Where a scenario failed: the check's text and line, and two values. */
struct connac_vsim_result {
	const char *check;		/* NULL: passed */
	int line;
	long long a;
	long long b;
};

/* The number of scenarios and the name of scenario @i (NULL past the end). */
unsigned int connac_vsim_count(void);
const char *connac_vsim_name(unsigned int i);

/* Bytes of memory a scenario runs in (8-byte aligned, e.g. kmalloc'd). */
unsigned long connac_vsim_mem_size(void);

/*
 * Runs scenario @i in @mem (connac_vsim_mem_size() bytes, wiped before it
 * returns). Returns 0 when it passed, else -1 with *@r saying where; -EINVAL
 * for a bad argument.
 */
int connac_vsim_run(unsigned int i, void *mem, unsigned long mem_size,
		    struct connac_vsim_result *r);

#ifdef __cplusplus
}
#endif

#endif /* CONNAC_TEST_SIM_H */
