// SPDX-License-Identifier: GPL-2.0
/*
 * connac_core_test.ko: the kernel test module of connac_core.ko. Loading it
 * runs every suite once and prints nested KTAP (version 1), as KUnit does:
 *
 *   frames, responses, names  the stateless C API on the case tables of
 *                             connac_cases.h (golden frames, parse rules)
 *   device                    connac::Device scripts through the C API:
 *                             fail fast, reset, restore, keys, the BSS
 *                             cipher first, peer wcids, a moved device
 *   fwsim-virtual             the core's recovery on the firmware simulator
 *                             with a virtual clock, in module context
 *                             (connac_test_sim.cc: FwSimHost scenarios)
 *   hang                      kthreads, kernel timers and a workqueue drive
 *                             a device over the C API while the simulated
 *                             firmware hangs; the core decides the reset,
 *                             this file only does the I/O
 *
 * Why a module of its own: test material never ships. connac_core.ko holds
 * no simulator, no case table and no self-test; this module brings them and
 * uses connac_core.ko only through its exported API, as a driver does.
 * kmod-test (tools/kmod/qemu_test.sh) loads connac_core.ko, then this, and
 * checks the KTAP. The case tables run in userspace too (kmod/capi_test.cc),
 * so a difference points at code generation, not at a different test.
 */

#define pr_fmt(fmt) fmt

#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/workqueue.h>

#include "connac_cases.h"
#include "connac_core.h"
#include "connac_test_sim.h"

/*
 * The core's check hook (core/include/connac/check.h) for this module's own
 * C++ (the simulator and the scenarios compile the core in): a WARN, which
 * kmod-test's console check turns into a failure.
 */
void connac_core_check_failed(const char *expr, const char *file, int line);
void connac_core_check_failed(const char *expr, const char *file, int line)
{
	WARN_ONCE(1, "connac_core_test: core check failed: %s (%s:%d)\n",
		  expr, file, line);
}

/* ---------------------------------------------------------------------------
 * KTAP output: a top-level plan of suites, each a nested (indented) run.
 */

#define KT_SUITES 6

struct kt {
	int suite;		/* top-level results so far */
	int failed_suites;
	int n;			/* results in the current suite */
	int failed;
	int plan;
	int total_failed;
	int total;
};

static void kt_begin(struct kt *k, const char *name, int plan)
{
	k->n = 0;
	k->failed = 0;
	k->plan = plan;
	pr_info("    KTAP version 1\n");
	pr_info("    # Subtest: %s\n", name);
	pr_info("    1..%d\n", plan);
}

static void kt_result(struct kt *k, bool ok, const char *name)
{
	k->n++;
	k->total++;
	if (!ok) {
		k->failed++;
		k->total_failed++;
	}
	pr_info("    %sok %d - %s\n", ok ? "" : "not ", k->n, name);
}

static void kt_end(struct kt *k, const char *name)
{
	/* Anything not run counts as failed: the plan stays honest. */
	while (k->n < k->plan)
		kt_result(k, false, "not run");
	k->suite++;
	if (k->failed)
		k->failed_suites++;
	pr_info("    # %s: pass:%d fail:%d total:%d\n", name, k->n - k->failed,
		k->failed, k->n);
	pr_info("%sok %d - %s\n", k->failed ? "not " : "", k->suite, name);
}

static bool kt_case(int ret, const struct connac_case_fail *f)
{
	if (ret)
		pr_info("    # %s (step %d: got %lld, want %lld)\n",
			f->what ? f->what : "?", f->step, f->got, f->want);
	return ret == 0;
}

/* ---------------------------------------------------------------------------
 * The stateless suites and the device scripts: the case tables.
 */

static void kt_tables(struct kt *k, struct connac_case_scratch *s)
{
	struct connac_case_fail f;
	size_t i;
	bool ok;

	kt_begin(k, "frames", ARRAY_SIZE(connac_frame_cases) +
		 ARRAY_SIZE(connac_frame_err_cases));
	for (i = 0; s && i < ARRAY_SIZE(connac_frame_cases); i++) {
		memset(&f, 0, sizeof(f));
		ok = kt_case(connac_case_frame(&connac_frame_cases[i], s, &f), &f);
		kt_result(k, ok, connac_frame_cases[i].name);
	}
	for (i = 0; s && i < ARRAY_SIZE(connac_frame_err_cases); i++) {
		memset(&f, 0, sizeof(f));
		ok = kt_case(connac_case_frame_err(&connac_frame_err_cases[i], s,
						   &f), &f);
		kt_result(k, ok, connac_frame_err_cases[i].name);
	}
	kt_end(k, "frames");

	kt_begin(k, "responses", ARRAY_SIZE(connac_response_cases));
	for (i = 0; s && i < ARRAY_SIZE(connac_response_cases); i++) {
		memset(&f, 0, sizeof(f));
		ok = kt_case(connac_case_response(&connac_response_cases[i], s,
						  &f), &f);
		kt_result(k, ok, connac_response_cases[i].name);
	}
	kt_end(k, "responses");

	kt_begin(k, "names", ARRAY_SIZE(connac_name_cases) + 1);
	for (i = 0; i < ARRAY_SIZE(connac_name_cases); i++) {
		const struct connac_name_case *c = &connac_name_cases[i];

		memset(&f, 0, sizeof(f));
		ok = kt_case(connac_case_name(c, &f), &f);
		pr_info("    # command %08x: %s %s\n", c->cmd,
			c->kind ? c->kind : "-", c->name ? c->name : "(unknown)");
		kt_result(k, ok, c->name ? c->name : "an unknown id has no name");
	}
	memset(&f, 0, sizeof(f));
	ok = kt_case(connac_case_names(&f), &f);
	kt_result(k, ok, "errno, state and step names");
	kt_end(k, "names");

	kt_begin(k, "device", ARRAY_SIZE(connac_dev_cases));
	for (i = 0; s && i < ARRAY_SIZE(connac_dev_cases); i++) {
		memset(&f, 0, sizeof(f));
		ok = kt_case(connac_case_dev(&connac_dev_cases[i], s, &f), &f);
		kt_result(k, ok, connac_dev_cases[i].name);
	}
	kt_end(k, "device");
}

/* ---------------------------------------------------------------------------
 * fwsim-virtual: the simulator scenarios, each in a fresh allocation.
 */

static void kt_virtual(struct kt *k)
{
	unsigned long size = connac_vsim_mem_size();
	struct connac_vsim_result r;
	unsigned int i, n = connac_vsim_count();
	ktime_t t0 = ktime_get();
	void *mem;
	int ret;

	kt_begin(k, "fwsim-virtual", n);
	mem = kmalloc(size, GFP_KERNEL);
	for (i = 0; mem && i < n; i++) {
		ret = connac_vsim_run(i, mem, size, &r);
		if (ret)
			pr_info("    # check failed: %s (line %d: %lld, %lld)\n",
				r.check ? r.check : "bad argument", r.line, r.a,
				r.b);
		kt_result(k, ret == 0, connac_vsim_name(i));
	}
	pr_info("    # fwsim-virtual: %u scenarios in %lld ms, %lu bytes each (the device, the simulator, a trace)\n",
		n, ktime_ms_delta(ktime_get(), t0), size);
	kfree_sensitive(mem);
	kt_end(k, "fwsim-virtual");
}

/* ---------------------------------------------------------------------------
 * hang: a simulated device, the host, its waiters.
 */

#define ST_SCALE 10		/* virtual ns per real ns: 3 s -> 300 ms */
#define ST_THREADS 4
#define ST_CMDS 6		/* commands per thread */
#define ST_SETUP_CMDS 7		/* DEV_INFO, BSS_INFO, STA_REC, BSS cipher, 3 keys */
#define ST_ANSWERS 9		/* answered before the firmware hangs */
#define ST_WFSYS_FAILS 1	/* the first WFSYS reset fails */
#define ST_WAIT_CAP_MS 3000	/* safety net for one wait, whatever happens */
#define ST_RECOVERY_CAP_MS 10000	/* ... and for the whole reset */
#define ST_PACE_MS 40		/* thread i waits (i + 1) * 40 ms between commands */
#define ST_FRAME_MAX 160
#define ST_SLOTS 16		/* above any connac::Device's in-flight slots */

#define ST_DEV_INFO 0x00020001
#define ST_BSS_INFO 0x00020002
#define ST_STA_REC 0x00020003

/*
 * The device: FwSim behind its own lock, with a timer and a work item for
 * what it does by itself (answer after its latency, finish a reset step):
 * the interrupt and the register polls of a real one.
 */
struct st_dev {
	struct mutex lock;
	struct connac_fwsim sim;
	struct timer_list timer;
	struct work_struct work;
	bool step_active;
	unsigned int step;
	int step_ok;
	s64 step_done;
	bool hung_seen;
	ktime_t hung_at;
	u8 ev[CONNAC_FWSIM_EVENT_SIZE];	/* the work item is not reentrant */
};

struct st_waiter {
	struct completion done;
	struct connac_ticket ticket;
	int result;
	bool failed_fast;	/* CONNAC_ACT_FAIL -ESHUTDOWN: the core failed it */
	u8 frame[ST_FRAME_MAX];
};

/* A host driver: lock order host->lock, then fw.lock. */
struct st_host {
	struct connac_dev dev;		/* embedded, as a driver would */
	struct mutex lock;		/* serialises every call on dev */
	struct st_waiter *slot_waiter[ST_SLOTS];
	struct timer_list timer;	/* connac_dev_next_deadline() */
	struct work_struct tick_work;
	struct workqueue_struct *wq;
	struct connac_action act;	/* holds key bytes: wiped after each */
	u8 frame[ST_FRAME_MAX];		/* the frames the core asks for */
	ktime_t t0;
	bool stopping;			/* no re-arming: teardown */
	struct completion key_done;
	int key_status;
	/* What the core's actions made the host do. */
	ktime_t dead_at;
	ktime_t running_at;
	struct completion reported;
	int recovered;
	unsigned int timed_out;		/* FAIL -ETIMEDOUT */
	unsigned int failed_fast;	/* FAIL -ESHUTDOWN */
	unsigned int steps;		/* RUN_STEP */
	unsigned int restore_sends;
	unsigned int key_sends;
	unsigned int send_errors;
	unsigned int unexpected;	/* PROBE: the probe is off */
	unsigned int safety_hits;
	struct st_dev fw;
};

struct st_worker {
	struct st_host *h;
	struct task_struct *task;
	int index;
	struct st_waiter w;
	struct completion finished;
	ktime_t finished_at;
	int results[ST_CMDS];
	bool failed_fast[ST_CMDS];
};

static s64 st_now(struct st_host *h)
{
	return ktime_to_ns(ktime_sub(ktime_get(), h->t0)) * ST_SCALE;
}

/* A timer for virtual time @at (CONNAC_NEVER: none). */
static void st_arm(struct st_host *h, struct timer_list *t, s64 at)
{
	s64 delta;

	if (at == CONNAC_NEVER || READ_ONCE(h->stopping)) {
		del_timer(t);
		return;
	}
	delta = max_t(s64, at - st_now(h), 0);
	mod_timer(t, jiffies + nsecs_to_jiffies(div_s64(delta, ST_SCALE)) + 1);
}

/* Device side. fw.lock held. */
static void st_fw_rearm(struct st_host *h)
{
	s64 next = connac_fwsim_next_event_at(&h->fw.sim);

	if (h->fw.step_active)
		next = min(next, h->fw.step_done);
	st_arm(h, &h->fw.timer, next);
}

static void st_fw_timer_fn(struct timer_list *timer)
{
	struct st_dev *fw = from_timer(fw, timer, timer);

	queue_work(system_unbound_wq, &fw->work);
}

/* The bus: one frame to the device. */
static void st_fw_send(struct st_host *h, const u8 *frame, unsigned int len)
{
	struct connac_fwsim_state s;

	mutex_lock(&h->fw.lock);
	connac_fwsim_receive(&h->fw.sim, frame, len, st_now(h));
	if (!h->fw.hung_seen) {
		connac_fwsim_get_state(&h->fw.sim, &s);
		if (s.hung) {
			h->fw.hung_seen = true;
			h->fw.hung_at = ktime_get();
		}
	}
	st_fw_rearm(h);
	mutex_unlock(&h->fw.lock);
}

/* Starts reset step @step on the device; h->lock held. */
static void st_fw_run_step(struct st_host *h, unsigned int step)
{
	mutex_lock(&h->fw.lock);
	h->fw.step_ok = connac_fwsim_run_step(&h->fw.sim, step, st_now(h),
					      &h->fw.step_done);
	h->fw.step = step;
	h->fw.step_active = h->fw.step_ok >= 0;
	st_fw_rearm(h);
	mutex_unlock(&h->fw.lock);
}

/* ---------------------------------------------------------------------------
 * Host side: the I/O the core's actions ask for, nothing else.
 */

/* Hands @result to the waiter of @t, if it still waits. h->lock held. */
static void st_finish(struct st_host *h, const struct connac_ticket *t,
		      int result, bool failed_fast)
{
	struct st_waiter *w;

	if (t->slot >= ST_SLOTS)
		return;
	w = h->slot_waiter[t->slot];
	if (!w || !connac_ticket_eq(&w->ticket, t))
		return;
	h->slot_waiter[t->slot] = NULL;
	w->result = result;
	w->failed_fast = failed_fast;
	complete(&w->done);
}

/*
 * SEND: what the core needs sent, built as the driver builds it (the
 * simulator reads bss_idx and the station's wcid; key frames byte-exact).
 * h->lock held.
 */
static void st_send_for_core(struct st_host *h, const struct connac_action *a)
{
	u8 p[8] = { 0 };
	unsigned int plen = 4;
	long len;

	if (!a->is_restore && a->key.kind == CONNAC_KEY_ACTION_KEY) {
		h->key_sends++;
		len = connac_key_action_encode(CONNAC_MT7925, &a->key,
					       a->ticket.seq, h->frame,
					       sizeof(h->frame));
	} else {
		if (a->is_restore) {
			h->restore_sends++;
			p[0] = a->restore.bss_idx;
			if (a->restore.kind == CONNAC_RESTORE_STA) {
				/* sta_req_hdr {bss, wcid, tlv_num, append} */
				p[1] = a->restore.wcid;
				p[4] = 1;
				plen = sizeof(p);
			}
		} else {
			p[0] = a->key.bss_idx;	/* the BSS cipher's BSS_INFO */
		}
		len = connac_frame_encode(CONNAC_MT7925, a->cmd, a->ticket.seq,
					  0, p, plen, h->frame,
					  sizeof(h->frame));
	}
	if (len < 0) {
		/* Not sent: the core takes it as a failed command. */
		h->send_errors++;
		connac_dev_on_command_result(&h->dev, &a->ticket, (int)len,
					     st_now(h));
	} else {
		st_fw_send(h, h->frame, len);
	}
	memzero_explicit(h->frame, sizeof(h->frame));
}

static void st_execute(struct st_host *h, const struct connac_action *a)
{
	struct connac_report r;

	switch (a->kind) {
	case CONNAC_ACT_COMPLETE:
		st_finish(h, &a->ticket, a->status, false);
		break;
	case CONNAC_ACT_FAIL:
		if (a->status == -ETIMEDOUT)
			h->timed_out++;
		else
			h->failed_fast++;
		st_finish(h, &a->ticket, a->status, a->status == -ESHUTDOWN);
		break;
	case CONNAC_ACT_SEND:
		st_send_for_core(h, a);
		break;
	case CONNAC_ACT_KEY_OP_DONE:
		h->key_status = a->status;
		complete(&h->key_done);
		break;
	case CONNAC_ACT_STOP_TX:
		if (!h->dead_at)
			h->dead_at = ktime_get();
		break;
	case CONNAC_ACT_RUN_STEP:
		h->steps++;
		st_fw_run_step(h, a->step);
		break;
	case CONNAC_ACT_PROBE:
		h->unexpected++;
		break;
	case CONNAC_ACT_REPORT:
		connac_dev_get_report(&h->dev, &r, sizeof(r));
		h->recovered = r.recovered;
		h->running_at = ktime_get();
		complete(&h->reported);
		break;
	}
}

/* After every input: every action, then the timer. h->lock held. */
static void st_drain(struct st_host *h)
{
	while (connac_dev_next_action(&h->dev, &h->act) > 0)
		st_execute(h, &h->act);
	memzero_explicit(&h->act, sizeof(h->act));
	st_arm(h, &h->timer, connac_dev_next_deadline(&h->dev));
}

static void st_tick_work(struct work_struct *work)
{
	struct st_host *h = container_of(work, struct st_host, tick_work);

	mutex_lock(&h->lock);
	connac_dev_on_tick(&h->dev, st_now(h));
	st_drain(h);
	mutex_unlock(&h->lock);
}

static void st_timer_fn(struct timer_list *timer)
{
	struct st_host *h = from_timer(h, timer, timer);

	queue_work(h->wq, &h->tick_work);
}

/* The device's own work: deliver due events and a finished step. */
static void st_fw_work(struct work_struct *work)
{
	struct st_dev *fw = container_of(work, struct st_dev, work);
	struct st_host *h = container_of(fw, struct st_host, fw);
	unsigned int step = 0;
	bool step_done;
	int ok = 0;
	long n;

	for (;;) {
		mutex_lock(&fw->lock);
		n = connac_fwsim_poll_event(&fw->sim, st_now(h), fw->ev,
					    sizeof(fw->ev));
		step_done = n < 0 && fw->step_active &&
			    fw->step_done <= st_now(h);
		if (step_done) {
			fw->step_active = false;
			step = fw->step;
			ok = fw->step_ok;
		}
		if (n < 0 && !step_done)
			st_fw_rearm(h);
		mutex_unlock(&fw->lock);
		if (n <= 0 && !step_done)
			return;
		mutex_lock(&h->lock);
		if (n > 0)
			connac_dev_on_event(&h->dev, fw->ev, n, st_now(h));
		else
			connac_dev_on_step_result(&h->dev, step, ok, st_now(h));
		st_drain(h);
		mutex_unlock(&h->lock);
	}
}

/*
 * Submits @cmd with @payload, sends it and waits for the core to end it.
 * Returns the firmware status, -ETIMEDOUT, -ESHUTDOWN (failed fast by the
 * core, or refused unsent), or an error.
 */
static int st_cmd(struct st_host *h, struct st_waiter *w, unsigned int cmd,
		  const u8 *payload, unsigned int plen)
{
	long len;
	int ret, tries;

	w->failed_fast = false;
	for (tries = 0; ; tries++) {
		mutex_lock(&h->lock);
		ret = connac_dev_submit(&h->dev, cmd, CONNAC_ORIGIN_STACK,
					st_now(h), &w->ticket);
		if ((ret != -ENOSPC && ret != -EBUSY) || tries == 100)
			break;
		mutex_unlock(&h->lock);
		usleep_range(500, 1000);
	}
	if (ret) {
		mutex_unlock(&h->lock);
		return ret;	/* -ESHUTDOWN: the firmware is dead, not sent */
	}
	len = connac_frame_encode(CONNAC_MT7925, cmd, w->ticket.seq, 0,
				  payload, plen, w->frame, sizeof(w->frame));
	if (len < 0) {
		connac_dev_on_command_result(&h->dev, &w->ticket, (int)len,
					     st_now(h));
		st_drain(h);
		mutex_unlock(&h->lock);
		return len;
	}
	reinit_completion(&w->done);
	w->result = 1;
	h->slot_waiter[w->ticket.slot % ST_SLOTS] = w;
	st_drain(h);
	mutex_unlock(&h->lock);

	st_fw_send(h, w->frame, len);

	if (!wait_for_completion_timeout(&w->done,
					 msecs_to_jiffies(ST_WAIT_CAP_MS))) {
		mutex_lock(&h->lock);
		if (h->slot_waiter[w->ticket.slot % ST_SLOTS] == w) {
			h->slot_waiter[w->ticket.slot % ST_SLOTS] = NULL;
			w->result = -EINTR;
		}
		h->safety_hits++;
		mutex_unlock(&h->lock);
	}
	return w->result;
}

static int st_bss(struct st_host *h, struct st_waiter *w)
{
	static const u8 payload[4] = { 0 };	/* bss_idx 0 */

	return st_cmd(h, w, ST_BSS_INFO, payload, sizeof(payload));
}

static int st_worker_fn(void *arg)
{
	struct st_worker *wk = arg;
	static const u8 bss[4] = { 0 };
	static const u8 sta[8] = { 0, 1, 0, 0, 1, 0, 0, 0 };
	static const u8 dev[4] = { 0 };
	int i;

	/*
	 * Threads issue at different paces, so the commands in flight when
	 * the firmware hangs have different deadlines: the first one times
	 * out, the core fails the others; what follows is refused.
	 */
	for (i = 0; i < ST_CMDS; i++) {
		switch ((wk->index + i) % 3) {
		case 0:
			wk->results[i] = st_cmd(wk->h, &wk->w, ST_BSS_INFO, bss,
						sizeof(bss));
			break;
		case 1:
			wk->results[i] = st_cmd(wk->h, &wk->w, ST_STA_REC, sta,
						sizeof(sta));
			break;
		default:
			wk->results[i] = st_cmd(wk->h, &wk->w, ST_DEV_INFO, dev,
						sizeof(dev));
			break;
		}
		wk->failed_fast[i] = wk->w.failed_fast;
		if (wk->results[i] == 0)
			msleep(ST_PACE_MS * (wk->index + 1));
	}
	wk->finished_at = ktime_get();
	complete(&wk->finished);
	return 0;
}

static const u8 st_dev_addr[6] = { 0x02, 0xde, 0, 0, 0, 0 };
static const u8 st_bssid[6] = { 0x02, 0xb0, 0x55, 0x1d, 0, 0 };
static const u8 st_ap[6] = { 0x02, 0xa9, 0, 0, 0, 0 };

/* The keys installed on link 0: pairwise, GTK 1, IGTK 4. */
struct st_key {
	u32 cipher;
	u8 idx;
	s8 link;
	u8 base;
	u8 wcid;		/* where the firmware keeps it */
	u8 slot;
	u8 len;			/* an IGTK record holds the CCMP key too */
};

static const struct st_key st_keys[] = {
	{ CONNAC_SUITE_CCMP, 0, -1, 0x50, 1, 0, 16 },	/* peer wcid 1 */
	{ CONNAC_SUITE_CCMP, 1, 0, 0xc0, 19, 0, 16 },	/* BSS wcid 19 */
	{ CONNAC_SUITE_AES_CMAC, 4, 0, 0xa0, 19, 1, 32 },
};

/* One mac80211 set_key: the core sends, this waits for KEY_OP_DONE. */
static int st_set_key(struct st_host *h, const struct st_key *sk)
{
	struct connac_key_conf k;
	int ret, j;

	memset(&k, 0, sizeof(k));
	k.cipher = sk->cipher;
	k.keyidx = sk->idx;
	k.link_id = sk->link;
	k.key_len = 16;
	for (j = 0; j < 16; j++)
		k.key[j] = sk->base + j;
	mutex_lock(&h->lock);
	reinit_completion(&h->key_done);
	ret = connac_dev_set_key(&h->dev, CONNAC_KEY_SET, &k, st_now(h));
	if (!ret)
		st_drain(h);
	mutex_unlock(&h->lock);
	memzero_explicit(&k, sizeof(k));
	if (ret)
		return ret;
	if (!wait_for_completion_timeout(&h->key_done,
					 msecs_to_jiffies(ST_WAIT_CAP_MS)))
		return -ETIME;
	return h->key_status;
}

/*
 * Associates link 0 the way a driver does: the core learns the device, the
 * link and its AP station (for the restore), the driver sends its own
 * DEV_INFO, BSS_INFO and STA_REC, then the three keys go through the core.
 */
static int st_setup(struct st_host *h, struct st_waiter *w)
{
	static const u8 dev[4] = { 0 };
	static const u8 sta[8] = { 0, 1, 0, 0, 1, 0, 0, 0 };
	size_t i;
	int ret;

	mutex_lock(&h->lock);
	reinit_completion(&h->key_done);
	ret = connac_dev_set_device(&h->dev, st_dev_addr) ?:
	      connac_dev_link_add(&h->dev, 0, st_bssid, st_now(h), NULL);
	st_drain(h);
	reinit_completion(&h->key_done);
	ret = ret ?: connac_dev_sta_add(&h->dev, 0, st_ap, st_now(h)) ?:
	      connac_dev_link_associated(&h->dev, 0, st_ap, 1);
	st_drain(h);
	mutex_unlock(&h->lock);
	ret = ret ?: st_cmd(h, w, ST_DEV_INFO, dev, sizeof(dev)) ?:
	      st_bss(h, w) ?:
	      st_cmd(h, w, ST_STA_REC, sta, sizeof(sta));
	for (i = 0; !ret && i < ARRAY_SIZE(st_keys); i++)
		ret = st_set_key(h, &st_keys[i]);
	return ret;
}

/* Whether the firmware holds every key of st_keys again, byte for byte. */
static bool st_fw_keys_back(struct st_host *h, unsigned int *n)
{
	u8 key[CONNAC_KEY_MAX_LEN];
	size_t i;
	int len;

	*n = 0;
	for (i = 0; i < ARRAY_SIZE(st_keys); i++) {
		mutex_lock(&h->fw.lock);
		len = connac_fwsim_key(&h->fw.sim, st_keys[i].wcid,
				       st_keys[i].slot, key, sizeof(key));
		mutex_unlock(&h->fw.lock);
		if (len == st_keys[i].len &&
		    key[len - 16] == st_keys[i].base &&
		    key[len - 1] == st_keys[i].base + 15)
			(*n)++;
	}
	memzero_explicit(key, sizeof(key));
	return *n == ARRAY_SIZE(st_keys);
}

struct st_hang {
	struct st_host *h;
	struct st_worker *workers;
	struct st_waiter w;
};

/* Test 1: threads meet the hang; the core fails them fast. */
static void st_run_threads(struct kt *k, struct st_hang *x, int setup)
{
	struct st_host *h = x->h;
	unsigned int ok_n = 0, timeout_n = 0, fast_n = 0, refused_n = 0;
	unsigned int other_n = 0, worst_left = 0, started = 0;
	ktime_t all_done = 0;
	s64 timeout_ms = div_s64(connac_cmd_timeout_ns(CONNAC_MT7925, ST_BSS_INFO),
				 ST_SCALE * NSEC_PER_MSEC);
	s64 all_ms = -1, dead_ms = -1;
	bool ok;
	int i, j;

	for (i = 0; !setup && i < ST_THREADS; i++) {
		struct st_worker *wk = &x->workers[i];

		wk->h = h;
		wk->index = i;
		init_completion(&wk->w.done);
		init_completion(&wk->finished);
		wk->task = kthread_run(st_worker_fn, wk, "connac_kt/%d", i);
		if (IS_ERR(wk->task)) {
			wk->task = NULL;
			continue;
		}
		get_task_struct(wk->task);
		started++;
	}
	/*
	 * Wait for each worker to finish before kthread_stop(): a thread
	 * stopped before it first runs never calls its function. Every wait
	 * inside is capped, so this is bounded.
	 */
	for (i = 0; i < ST_THREADS; i++) {
		if (!x->workers[i].task)
			continue;
		wait_for_completion(&x->workers[i].finished);
		kthread_stop(x->workers[i].task);
		put_task_struct(x->workers[i].task);
	}
	for (i = 0; i < ST_THREADS; i++) {
		unsigned int left = 0;

		if (!x->workers[i].task)
			continue;
		if (ktime_after(x->workers[i].finished_at, all_done))
			all_done = x->workers[i].finished_at;
		for (j = 0; j < ST_CMDS; j++) {
			int r = x->workers[i].results[j];

			left += r != 0;
			if (r == 0)
				ok_n++;
			else if (r == -ETIMEDOUT)
				timeout_n++;
			else if (r == -ESHUTDOWN && x->workers[i].failed_fast[j])
				fast_n++;
			else if (r == -ESHUTDOWN)
				refused_n++;
			else
				other_n++;
		}
		worst_left = max(worst_left, left);
	}
	mutex_lock(&h->lock);
	if (h->dead_at && h->fw.hung_seen) {
		dead_ms = ktime_ms_delta(h->dead_at, h->fw.hung_at);
		all_ms = ktime_ms_delta(all_done, h->fw.hung_at);
	}
	mutex_unlock(&h->lock);

	pr_info("    # hang: setup (device, BSS, station, BSS cipher, 3 keys) through the core: %s\n",
		connac_errno_name(setup));
	pr_info("    # hang: %d threads x %d commands: %u answered, %u timed out, %u failed in flight by the core, %u refused unsent (-ESHUTDOWN), %u other\n",
		ST_THREADS, ST_CMDS, ok_n, timeout_n, fast_n, refused_n,
		other_n);
	pr_info("    # hang: timeout %lld ms (3000 ms / %d); the core failed everything %lld ms after the hang and every thread was done after %lld ms, where paying each timeout in turn would take %u x %lld = %lld ms\n",
		timeout_ms, ST_SCALE, dead_ms, all_ms, worst_left, timeout_ms,
		worst_left * timeout_ms);

	ok = !setup && started == ST_THREADS && other_n == 0 &&
	     !h->safety_hits &&
	     ok_n + timeout_n + fast_n + refused_n == ST_THREADS * ST_CMDS &&
	     ok_n == ST_ANSWERS && timeout_n >= 1 && refused_n >= 1 &&
	     timeout_n == h->timed_out && fast_n == h->failed_fast &&
	     dead_ms >= timeout_ms / 2 && all_ms >= dead_ms &&
	     all_ms < 2 * timeout_ms && worst_left >= 2;
	kt_result(k, ok, "threads, timers, workqueue on FwSim: the first timeout fails all, the rest is refused");
}

/* Test 2: the core ran the reset on the simulator and restored everything. */
static void st_check_reset(struct kt *k, struct st_hang *x)
{
	struct st_host *h = x->h;
	struct connac_counters c;
	struct connac_fwsim_state fs;
	unsigned int keys_back = 0;
	s64 reset_ms = -1, hang_ms = -1;
	bool reported, ok;
	int state;

	reported = wait_for_completion_timeout(&h->reported,
					       msecs_to_jiffies(ST_RECOVERY_CAP_MS));
	mutex_lock(&h->lock);
	state = connac_dev_state(&h->dev);
	connac_dev_get_counters(&h->dev, &c, sizeof(c));
	if (reported && h->dead_at && h->fw.hung_seen) {
		reset_ms = ktime_ms_delta(h->running_at, h->dead_at);
		hang_ms = ktime_ms_delta(h->running_at, h->fw.hung_at);
	}
	mutex_unlock(&h->lock);
	mutex_lock(&h->fw.lock);
	connac_fwsim_get_state(&h->fw.sim, &fs);
	ok = fs.device && connac_fwsim_bss_active(&h->fw.sim, 0) &&
	     connac_fwsim_sta_present(&h->fw.sim, 1);
	mutex_unlock(&h->fw.lock);
	ok &= st_fw_keys_back(h, &keys_back);

	pr_info("    # reset: %s after %u attempt(s) (%u failed: WFSYS failed %u time(s) and was retried at once), %u reset steps run on FwSim with timers; firmware resets %u, reloads %u\n",
		connac_state_name(state), c.attempts, c.failed_attempts,
		c.step_failures[CONNAC_STEP_WFSYS], h->steps, fs.resets,
		fs.reloads);
	pr_info("    # reset: the core sent %u restore items (device, BSS, station) and replayed %u keys, pairwise, group, IGTK; %u of %zu keys back in the firmware byte for byte\n",
		c.restore_items, c.keys_replayed, keys_back,
		ARRAY_SIZE(st_keys));
	pr_info("    # reset: back in RUNNING %lld ms after the firmware was declared dead, %lld ms after the hang; episodes %u recoveries %u coalesced %u stale %u refused %u step timeouts %u\n",
		reset_ms, hang_ms, c.episodes, c.recoveries, c.coalesced,
		c.stale_results, c.refused,
		c.step_timeouts[CONNAC_STEP_WFSYS] +
		c.step_timeouts[CONNAC_STEP_SEMAPHORE] +
		c.step_timeouts[CONNAC_STEP_PATCH] +
		c.step_timeouts[CONNAC_STEP_RAM] +
		c.step_timeouts[CONNAC_STEP_READY] +
		c.step_timeouts[CONNAC_STEP_RESTORE]);

	/*
	 * Generous where TCG may stall (a late timer can make a watchdog win
	 * and add an attempt), exact where the logic decides.
	 */
	ok &= reported && h->recovered && state == CONNAC_STATE_RUNNING &&
	      c.episodes == 1 && c.recoveries == 1 && c.wedged == 0 &&
	      c.step_failures[CONNAC_STEP_WFSYS] == ST_WFSYS_FAILS &&
	      c.attempts >= 1 + ST_WFSYS_FAILS &&
	      c.attempts + c.quick_relapses == c.failed_attempts + c.recoveries &&
	      h->steps >= 5 + ST_WFSYS_FAILS && fs.resets >= 1 &&
	      fs.reloads >= 1 && c.restore_items >= 3 &&
	      c.keys_replayed >= 3 && c.refused >= 1 && !h->unexpected &&
	      !h->send_errors && reset_ms >= 0 &&
	      reset_ms < ST_RECOVERY_CAP_MS;
	kt_result(k, ok, "reset: steps on FwSim with timers, restore and key replay by the core, back to RUNNING");
}

/* Test 3: after the reset, commands go through and nothing is left over. */
static void st_check_after(struct kt *k, struct st_hang *x)
{
	static const u8 sta[8] = { 0, 1, 0, 0, 1, 0, 0, 0 };
	struct st_host *h = x->h;
	struct connac_counters c;
	int r1, r2;

	r1 = st_bss(h, &x->w);
	r2 = st_cmd(h, &x->w, ST_STA_REC, sta, sizeof(sta));
	mutex_lock(&h->lock);
	connac_dev_get_counters(&h->dev, &c, sizeof(c));
	mutex_unlock(&h->lock);
	pr_info("    # after: BSS_INFO %s, STA_REC %s; in flight %u, quarantine %#x, timeouts %u\n",
		connac_errno_name(r1), connac_errno_name(r2), c.in_flight,
		c.quarantined, c.timeouts);
	kt_result(k, !r1 && !r2 && c.in_flight == 0 && c.quarantined == 0 &&
		  c.timeouts == h->timed_out && !h->safety_hits,
		  "after: commands answered again, nothing in flight or quarantined");
}

/* Stops every timer and work item; nothing re-arms once stopping is set. */
static void st_quiesce(struct st_host *h)
{
	int i;

	mutex_lock(&h->lock);
	WRITE_ONCE(h->stopping, true);
	mutex_unlock(&h->lock);
	for (i = 0; i < 2; i++) {
		del_timer_sync(&h->timer);
		cancel_work_sync(&h->tick_work);
		del_timer_sync(&h->fw.timer);
		cancel_work_sync(&h->fw.work);
	}
}

static void kt_hang(struct kt *k)
{
	struct connac_fwsim_config cfg;
	struct st_hang *x;
	struct st_host *h;
	int ret = -ENOMEM;

	kt_begin(k, "hang", 3);
	x = kzalloc(sizeof(*x), GFP_KERNEL);
	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!x || !h)
		goto out;
	x->h = h;
	x->workers = kcalloc(ST_THREADS, sizeof(*x->workers), GFP_KERNEL);
	if (!x->workers)
		goto out;
	h->wq = alloc_workqueue("connac_kt", WQ_UNBOUND, 0);
	if (!h->wq)
		goto out;
	ret = connac_dev_init(&h->dev, CONNAC_MT7925, 0, NULL);
	if (ret)
		goto out_wq;
	/*
	 * The simulated firmware: 2 ms latency, a WFSYS reset of 55 ms and a
	 * 150 ms reload (virtual), hangs on the ST_ANSWERS + 1st command after
	 * setup and fails its first WFSYS reset.
	 */
	connac_fwsim_default_config(&cfg);
	cfg.arm_after_cmds = ST_SETUP_CMDS;
	cfg.hang_at_cmd = ST_ANSWERS + 1;
	cfg.step_failures[CONNAC_STEP_WFSYS] = ST_WFSYS_FAILS;
	ret = connac_fwsim_init(&h->fw.sim, &cfg);
	if (ret)
		goto out_dev;
	mutex_init(&h->lock);
	mutex_init(&h->fw.lock);
	timer_setup(&h->timer, st_timer_fn, 0);
	timer_setup(&h->fw.timer, st_fw_timer_fn, 0);
	INIT_WORK(&h->tick_work, st_tick_work);
	INIT_WORK(&h->fw.work, st_fw_work);
	init_completion(&h->reported);
	init_completion(&h->key_done);
	init_completion(&x->w.done);
	h->t0 = ktime_get();

	st_run_threads(k, x, st_setup(h, &x->w));
	st_check_reset(k, x);
	st_check_after(k, x);

	st_quiesce(h);
out_dev:
	connac_dev_destroy(&h->dev);
out_wq:
	destroy_workqueue(h->wq);
out:
	if (ret)
		pr_info("    # hang: setup failed: %s\n", connac_errno_name(ret));
	if (x)
		kfree(x->workers);
	kfree(x);
	kfree_sensitive(h);
	kt_end(k, "hang");
}

static int __init connac_core_test_init(void)
{
	struct connac_case_scratch *s;
	struct kt k = { 0 };

	pr_info("KTAP version 1\n");
	pr_info("1..%d\n", KT_SUITES);
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	kt_tables(&k, s);
	kfree_sensitive(s);
	kt_virtual(&k);
	kt_hang(&k);
	pr_info("# connac_core_test: %d suites, %d tests: %d passed, %d failed\n",
		k.suite, k.total, k.total - k.total_failed, k.total_failed);
	return 0;
}

static void __exit connac_core_test_exit(void)
{
}

module_init(connac_core_test_init);
module_exit(connac_core_test_exit);

MODULE_DESCRIPTION("connac core tests: case tables, device scripts, the firmware simulator, a hang with kthreads and timers (KTAP)");
MODULE_LICENSE("GPL");
