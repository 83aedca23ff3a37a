// SPDX-License-Identifier: GPL-2.0
/*
 * In-kernel self-test of connac_core.ko (module parameter selftest=1).
 *
 * Why: the userspace tests prove the core's logic; only a run inside the
 * kernel proves it under the kernel's code generation, with kernel threads,
 * timers and workqueues driving the sans-I/O core as a driver would. Output
 * is KTAP version 1 on the kernel log, parsed by tools/kmod/qemu_test.sh.
 *
 * Two parts:
 *  1. The table-driven cases of connac_cases.h (frames, responses, names,
 *     in-flight, key, reset sequencer and restore scripts), run by the same
 *     runner functions the userspace GoogleTest (kmod/capi_test.cc) runs.
 *  2. A hang on the firmware simulator (connac::FwSim, connac_fwsim.h): a
 *     simulated device whose events and reset steps complete on a kernel
 *     timer and a work item, ST_THREADS kthreads issuing commands through one
 *     in-flight table under a mutex (the driver's mcu.mutex), and the reset
 *     sequencer wired as a driver wires it (connac_core.h): a timer armed for
 *     the earlier of the table's and the sequencer's deadlines queues the
 *     expiry work, the first timeout goes to connac_seq_on_timeout(), and its
 *     actions fail everything in flight, refuse new commands, run the reset
 *     steps on the simulator (FwSim::RunStep, completed by the device timer),
 *     replay the restore plan and the keys from a restore work item, and
 *     return to RUNNING. The first WFSYS reset fails, so the retry runs too.
 *     Time is scaled: the core and the simulator see ST_SCALE virtual ns per
 *     real ns, so mt7925's 3 s command timeout lasts 3 s / ST_SCALE.
 *
 * Everything here runs from module init and is done when it returns, so the
 * code is __init (freed after the load, like the kernel's lib/test_*.c).
 * Uses only the C API of connac_core.h, like any other module would, plus
 * the simulator's C view.
 */

#define pr_fmt(fmt) fmt

#include <linux/atomic.h>
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
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/workqueue.h>

#define CONNAC_CASES_FN __init
#include "connac_cases.h"
#include "connac_core.h"
#include "connac_fwsim.h"
#include "connac_selftest.h"

#define ST_SCALE 10		/* virtual ns per real ns: 3 s -> 300 ms */
#define ST_THREADS 4
#define ST_CMDS 6		/* commands per thread */
#define ST_SETUP_CMDS 6		/* DEV_INFO, BSS_INFO, STA_REC, three keys */
#define ST_ANSWERS 9		/* answered before the firmware hangs */
#define ST_WFSYS_FAILS 1	/* the first WFSYS reset fails */
#define ST_WAIT_CAP_MS 3000	/* safety net for one wait, whatever happens */
#define ST_RECOVERY_CAP_MS 10000	/* ... and for the whole reset */
#define ST_PACE_MS 40		/* thread i waits (i + 1) * 40 ms between commands */
#define ST_FRAME_MAX 160

#define ST_DEV_INFO 0x00020001
#define ST_BSS_INFO 0x00020002
#define ST_STA_REC 0x00020003

/* ---------------------------------------------------------------------------
 * KTAP output.
 */

struct st_ktap {
	int n;
	int failed;
};

static void __init st_result(struct st_ktap *k, bool ok, const char *prefix,
			     const char *name)
{
	k->n++;
	if (!ok)
		k->failed++;
	pr_info("%sok %d - %s%s\n", ok ? "" : "not ", k->n, prefix, name);
}

static bool __init st_check_case(int ret, const struct connac_case_fail *f)
{
	if (ret)
		pr_info("# %s (step %d: got %lld, want %lld)\n",
			f->what ? f->what : "?", f->step, f->got, f->want);
	return ret == 0;
}

static void __init st_run_tables(struct st_ktap *k,
				 struct connac_case_scratch *s)
{
	struct connac_case_fail f;
	bool ok;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(connac_frame_cases); i++) {
		memset(&f, 0, sizeof(f));
		ok = st_check_case(connac_case_frame(&connac_frame_cases[i], s, &f), &f);
		st_result(k, ok, "frame: ", connac_frame_cases[i].name);
	}
	for (i = 0; i < ARRAY_SIZE(connac_frame_err_cases); i++) {
		memset(&f, 0, sizeof(f));
		ok = st_check_case(connac_case_frame_err(&connac_frame_err_cases[i], s, &f), &f);
		st_result(k, ok, "frame: ", connac_frame_err_cases[i].name);
	}
	for (i = 0; i < ARRAY_SIZE(connac_response_cases); i++) {
		memset(&f, 0, sizeof(f));
		ok = st_check_case(connac_case_response(&connac_response_cases[i], s, &f), &f);
		st_result(k, ok, "response: ", connac_response_cases[i].name);
	}
	ok = true;
	for (i = 0; i < ARRAY_SIZE(connac_name_cases); i++) {
		memset(&f, 0, sizeof(f));
		ok &= st_check_case(connac_case_name(&connac_name_cases[i], &f), &f);
	}
	ok &= !strcmp(connac_errno_name(-110), "ETIMEDOUT") &&
	      !strcmp(connac_errno_name(0), "OK") &&
	      !strcmp(connac_seq_state_name(CONNAC_SEQ_WFSYS_RESET), "WFSYS_RESET") &&
	      !strcmp(connac_seq_step_name(CONNAC_SEQ_STEP_RESTORE), "restore");
	st_result(k, ok, "names: ", "command, errno, state and step names");
	for (i = 0; i < ARRAY_SIZE(connac_txn_cases); i++) {
		memset(&f, 0, sizeof(f));
		ok = st_check_case(connac_case_txn(&connac_txn_cases[i], s, &f), &f);
		st_result(k, ok, "", connac_txn_cases[i].name);
	}
	for (i = 0; i < ARRAY_SIZE(connac_key_cases); i++) {
		memset(&f, 0, sizeof(f));
		ok = st_check_case(connac_case_key(&connac_key_cases[i], s, &f), &f);
		st_result(k, ok, "", connac_key_cases[i].name);
	}
	for (i = 0; i < ARRAY_SIZE(connac_seq_cases); i++) {
		memset(&f, 0, sizeof(f));
		ok = st_check_case(connac_case_seq(&connac_seq_cases[i], s, &f), &f);
		st_result(k, ok, "", connac_seq_cases[i].name);
	}
	for (i = 0; i < ARRAY_SIZE(connac_restore_cases); i++) {
		memset(&f, 0, sizeof(f));
		ok = st_check_case(connac_case_restore(&connac_restore_cases[i], s, &f), &f);
		st_result(k, ok, "", connac_restore_cases[i].name);
	}
	memset(&f, 0, sizeof(f));
	ok = st_check_case(connac_case_move(s, &f), &f);
	st_result(k, ok, "dev: ", "a moved copy of struct connac_dev works on its own");
}

#define ST_TABLE_TESTS (ARRAY_SIZE(connac_frame_cases) + \
			ARRAY_SIZE(connac_frame_err_cases) + \
			ARRAY_SIZE(connac_response_cases) + 1 + \
			ARRAY_SIZE(connac_txn_cases) + \
			ARRAY_SIZE(connac_key_cases) + \
			ARRAY_SIZE(connac_seq_cases) + \
			ARRAY_SIZE(connac_restore_cases) + 1)
#define ST_HANG_TESTS 3

/* ---------------------------------------------------------------------------
 * The hang: a simulated device, the host, its waiters.
 */

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
	bool by_seq;		/* failed by the sequencer's FAIL_PENDING */
	u8 frame[ST_FRAME_MAX];
};

/* A host driver: lock order host->lock, then fw.lock. */
struct st_host {
	struct connac_dev dev;		/* embedded, as a driver would */
	struct mutex lock;		/* serialises every call on dev */
	struct st_waiter *slot_waiter[CONNAC_TXN_MAX_INFLIGHT];
	struct timer_list timer;	/* txn and sequencer deadlines */
	struct work_struct expire_work;
	struct work_struct restore_work;
	struct workqueue_struct *wq;
	ktime_t t0;
	bool stopping;			/* no re-arming: teardown */
	/* What the sequencer made the host do. */
	ktime_t dead_at;
	ktime_t running_at;
	struct completion reported;
	int recovered;
	unsigned int timed_out;
	unsigned int failed_in_flight;	/* FAIL_PENDING, thread commands */
	unsigned int failed_left;	/* fail_all at WFSYS: restore leftovers */
	unsigned int steps;
	unsigned int wfsys_runs;
	unsigned int restores;
	unsigned int unexpected;	/* PROBE: the probe is off */
	unsigned int safety_hits;
	/* The restore work's own. */
	long plan_items;
	unsigned int keys_replayed;
	struct connac_restore_item plan[CONNAC_RESTORE_MAX_ITEMS];
	struct connac_key_actions acts;
	struct st_waiter rw;
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
	bool by_seq[ST_CMDS];
};

static s64 __init st_now(struct st_host *h)
{
	return ktime_to_ns(ktime_sub(ktime_get(), h->t0)) * ST_SCALE;
}

/* A timer for virtual time @at (CONNAC_NEVER: none). */
static void __init st_arm(struct st_host *h, struct timer_list *t, s64 at)
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
static void __init st_fw_rearm(struct st_host *h)
{
	s64 next = connac_fwsim_next_event_at(&h->fw.sim);

	if (h->fw.step_active)
		next = min(next, h->fw.step_done);
	st_arm(h, &h->fw.timer, next);
}

static void __init st_fw_timer_fn(struct timer_list *timer)
{
	struct st_dev *fw = from_timer(fw, timer, timer);

	queue_work(system_unbound_wq, &fw->work);
}

/* The bus: one frame to the device. Called without h->lock. */
static void __init st_fw_send(struct st_host *h, const u8 *frame,
			      unsigned int len)
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
static void __init st_fw_run_step(struct st_host *h, unsigned int step)
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
 * Host side.
 */

/* Arms the host timer for the core's next deadline. h->lock held. */
static void __init st_rearm(struct st_host *h)
{
	st_arm(h, &h->timer, min(connac_txn_next_deadline(&h->dev),
				 connac_seq_next_deadline(&h->dev, CONNAC_NEVER)));
}

/* Hands @result to the waiter of @t, if it still waits. h->lock held. */
static void __init st_finish(struct st_host *h, const struct connac_ticket *t,
			     int result, bool by_seq)
{
	struct st_waiter *w;

	if (t->slot >= CONNAC_TXN_MAX_INFLIGHT)
		return;
	w = h->slot_waiter[t->slot];
	if (!w || !connac_ticket_eq(&w->ticket, t))
		return;
	h->slot_waiter[t->slot] = NULL;
	w->result = result;
	w->by_seq = by_seq;
	complete(&w->done);
}

/* Fails everything in flight with -ESHUTDOWN; returns how many. */
static unsigned int __init st_fail_all(struct st_host *h)
{
	struct connac_ticket t[CONNAC_TXN_MAX_INFLIGHT];
	unsigned int i, n;

	n = connac_txn_fail_all(&h->dev, t, ARRAY_SIZE(t));
	for (i = 0; i < n; i++)
		st_finish(h, &t[i], -ESHUTDOWN, true);
	return n;
}

/*
 * The sequencer's actions, in the order connac_core.h lists them. h->lock
 * held.
 */
static void __init st_handle(struct st_host *h,
			     const struct connac_seq_actions *a)
{
	struct connac_seq_report r;

	if (a->flags & CONNAC_SEQ_ACT_FAIL_PENDING) {
		h->failed_in_flight += st_fail_all(h);
		if (!h->dead_at)
			h->dead_at = ktime_get();
	}
	/* REJECT_NEW, STOP_TX: admission is connac_seq_admit(); no data path. */
	if (a->flags & CONNAC_SEQ_ACT_RUN_STEP) {
		h->steps++;
		if (a->step == CONNAC_SEQ_STEP_WFSYS) {
			h->wfsys_runs++;
			h->failed_left += st_fail_all(h);
			connac_key_reset_begin(&h->dev);
		}
		if (a->step == CONNAC_SEQ_STEP_RESTORE) {
			if (!READ_ONCE(h->stopping))
				queue_work(h->wq, &h->restore_work);
		} else {
			st_fw_run_step(h, a->step);
		}
	}
	if (a->flags & CONNAC_SEQ_ACT_PROBE)
		h->unexpected++;
	if (a->flags & CONNAC_SEQ_ACT_REPORT) {
		connac_seq_get_report(&h->dev, &r, sizeof(r));
		h->recovered = r.recovered;
		h->running_at = ktime_get();
		complete(&h->reported);
	}
}

static void __init st_expire_work(struct work_struct *work)
{
	struct st_host *h = container_of(work, struct st_host, expire_work);
	struct connac_ticket t[CONNAC_TXN_MAX_INFLIGHT];
	struct connac_seq_actions a;
	unsigned int i, n;
	s64 now;

	mutex_lock(&h->lock);
	now = st_now(h);
	n = connac_txn_expire(&h->dev, now, t, ARRAY_SIZE(t));
	for (i = 0; i < n; i++)
		st_finish(h, &t[i], -ETIMEDOUT, false);
	h->timed_out += n;
	if (n && !connac_seq_on_timeout(&h->dev, now, &a))
		st_handle(h, &a);
	if (!connac_seq_on_tick(&h->dev, now, CONNAC_NEVER, &a))
		st_handle(h, &a);
	st_rearm(h);
	mutex_unlock(&h->lock);
}

static void __init st_timer_fn(struct timer_list *timer)
{
	struct st_host *h = from_timer(h, timer, timer);

	queue_work(h->wq, &h->expire_work);
}

/* The receive path: one event into the table. */
static void __init st_host_rx(struct st_host *h, const u8 *ev, long len)
{
	struct connac_event_outcome o;
	struct connac_seq_actions a;
	int kind;

	mutex_lock(&h->lock);
	kind = connac_txn_on_event(&h->dev, ev, len, &o);
	if (kind == CONNAC_EV_COMPLETED)
		st_finish(h, &o.ticket, o.fw_status, false);
	/* An unsolicited COREDUMP (UNI eid 0x0a) is a firmware assert. */
	if (kind == CONNAC_EV_UNSOLICITED && len > 36 && ev[36] == 0x0a &&
	    !connac_seq_on_assert(&h->dev, st_now(h), &a))
		st_handle(h, &a);
	st_rearm(h);
	mutex_unlock(&h->lock);
}

/* A reset step finished on the device (its register poll said so). */
static void __init st_host_step_done(struct st_host *h, unsigned int step,
				     int ok)
{
	struct connac_seq_actions a;

	mutex_lock(&h->lock);
	if (!connac_seq_on_step_result(&h->dev, step, ok, st_now(h), &a))
		st_handle(h, &a);
	st_rearm(h);
	mutex_unlock(&h->lock);
}

/* The device's own work: deliver due events and a finished step. */
static void __init st_fw_work(struct work_struct *work)
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
		if (n > 0)
			st_host_rx(h, fw->ev, n);
		else if (step_done)
			st_host_step_done(h, step, ok);
		else
			return;
	}
}

/*
 * Arms @cmd, encodes it (a key action if @ka, else @payload), sends it and
 * waits. Commands from the stack ask connac_seq_admit() first; the restore's
 * own do not (@admit false). Returns the firmware status, -ETIMEDOUT,
 * -ESHUTDOWN (failed by the sequencer, or refused unsent), or an error.
 */
static int __init st_issue(struct st_host *h, struct st_waiter *w,
			   unsigned int cmd, const u8 *payload,
			   unsigned int plen, const struct connac_key_action *ka,
			   bool admit)
{
	long len;
	int ret, tries;

	w->by_seq = false;
	for (tries = 0; ; tries++) {
		mutex_lock(&h->lock);
		ret = admit ? connac_seq_admit(&h->dev) : 0;
		if (ret) {
			mutex_unlock(&h->lock);
			return ret;	/* -ESHUTDOWN: not sent */
		}
		ret = connac_txn_arm(&h->dev, cmd, st_now(h), &w->ticket);
		if ((ret != -ENOSPC && ret != -EBUSY) || tries == 100)
			break;
		mutex_unlock(&h->lock);
		usleep_range(500, 1000);
	}
	if (ret) {
		mutex_unlock(&h->lock);
		return ret;
	}
	if (ka)
		len = connac_key_action_encode(&h->dev, ka, w->ticket.seq,
					       w->frame, sizeof(w->frame));
	else
		len = connac_frame_encode(CONNAC_MT7925, cmd, w->ticket.seq, 0,
					  payload, plen, w->frame,
					  sizeof(w->frame));
	if (len < 0) {
		ret = connac_txn_cancel(&h->dev, &w->ticket);
		mutex_unlock(&h->lock);
		return ret ? ret : (int)len;
	}
	reinit_completion(&w->done);
	w->result = 1;
	h->slot_waiter[w->ticket.slot] = w;
	st_rearm(h);
	mutex_unlock(&h->lock);

	st_fw_send(h, w->frame, len);

	if (!wait_for_completion_timeout(&w->done,
					 msecs_to_jiffies(ST_WAIT_CAP_MS))) {
		mutex_lock(&h->lock);
		if (h->slot_waiter[w->ticket.slot] == w) {
			h->slot_waiter[w->ticket.slot] = NULL;
			connac_txn_cancel(&h->dev, &w->ticket);
			w->result = -EINTR;
		}
		h->safety_hits++;
		mutex_unlock(&h->lock);
	}
	return w->result;
}

static int __init st_cmd(struct st_host *h, struct st_waiter *w,
			 unsigned int cmd, u8 bss_idx, bool admit)
{
	const u8 payload[4] = { bss_idx, 0, 0, 0 };

	return st_issue(h, w, cmd, payload, sizeof(payload), NULL, admit);
}

/* STA_REC_UPDATE of station @wcid: sta_req_hdr {bss, wcid, 0, 0, muar 1}. */
static int __init st_sta(struct st_host *h, struct st_waiter *w, u8 bss_idx,
			 u8 wcid, bool admit)
{
	const u8 payload[8] = { bss_idx, wcid, 0, 0, 1, 0, 0, 0 };

	return st_issue(h, w, ST_STA_REC, payload, sizeof(payload), NULL,
			admit);
}

/* One restore item; KEYS replays the key table. */
static int __init st_restore_item(struct st_host *h,
				  const struct connac_restore_item *it)
{
	unsigned long i;
	int ret;

	switch (it->kind) {
	case CONNAC_RESTORE_DEVICE:
		return st_cmd(h, &h->rw, ST_DEV_INFO, 0, false);
	case CONNAC_RESTORE_BSS:
		return st_cmd(h, &h->rw, ST_BSS_INFO, it->bss_idx, false);
	case CONNAC_RESTORE_STA:
		return st_sta(h, &h->rw, it->bss_idx, it->wcid, false);
	case CONNAC_RESTORE_KEYS:
		connac_key_actions_wipe(&h->acts);
		mutex_lock(&h->lock);
		ret = connac_key_reset_replay(&h->dev, &h->acts);
		mutex_unlock(&h->lock);
		for (i = 0; !ret && i < h->acts.count; i++) {
			ret = st_issue(h, &h->rw, ST_STA_REC, NULL, 0,
				       &h->acts.items[i], false);
			h->keys_replayed += !ret;
		}
		connac_key_actions_wipe(&h->acts);
		return ret;
	}
	return -EINVAL;
}

/* RUN_STEP RESTORE: the plan from the core's record, sent in order. */
static void __init st_restore_work(struct work_struct *work)
{
	struct st_host *h = container_of(work, struct st_host, restore_work);
	struct connac_seq_actions a;
	long i, n;
	int ret;

	mutex_lock(&h->lock);
	n = connac_restore_make_plan(&h->dev, h->plan, ARRAY_SIZE(h->plan));
	mutex_unlock(&h->lock);
	h->restores++;
	h->keys_replayed = 0;
	ret = n < 0 ? n : 0;
	for (i = 0; !ret && i < n; i++)
		ret = st_restore_item(h, &h->plan[i]);
	mutex_lock(&h->lock);
	h->plan_items = ret ? -1 : n;
	/* A late result (the attempt failed meanwhile) is counted stale. */
	if (!connac_seq_on_step_result(&h->dev, CONNAC_SEQ_STEP_RESTORE, !ret,
				       st_now(h), &a))
		st_handle(h, &a);
	st_rearm(h);
	mutex_unlock(&h->lock);
}

static int __init st_worker_fn(void *arg)
{
	struct st_worker *wk = arg;
	static const unsigned int cmds[] = { ST_BSS_INFO, ST_STA_REC,
					     ST_DEV_INFO };
	int i;

	/*
	 * Threads issue at different paces, so the commands in flight when
	 * the firmware hangs have different deadlines: the first one times
	 * out, the sequencer fails the others; what follows is refused.
	 */
	for (i = 0; i < ST_CMDS; i++) {
		wk->results[i] = st_cmd(wk->h, &wk->w,
					cmds[(wk->index + i) % 3], 0, true);
		wk->by_seq[i] = wk->w.by_seq;
		if (wk->results[i] == 0)
			msleep(ST_PACE_MS * (wk->index + 1));
	}
	wk->finished_at = ktime_get();
	complete(&wk->finished);
	return 0;
}

static const u8 st_dev_addr[6] __initconst = { 0x02, 0xde, 0, 0, 0, 0 };
static const u8 st_bssid[6] __initconst = { 0x02, 0xb0, 0x55, 0x1d, 0, 0 };
static const u8 st_ap[6] __initconst = { 0x02, 0xa9, 0, 0, 0, 0 };

/* The keys installed on link 0: pairwise, GTK 1, IGTK 4 (as the key cases). */
struct st_key {
	u32 cipher;
	u8 idx;
	s8 link;
	u8 base;
	u8 wcid;		/* where the firmware keeps it */
	u8 slot;
	u8 len;			/* an IGTK record holds the CCMP key too */
};

static const struct st_key st_keys[] __initconst = {
	{ CONNAC_SUITE_CCMP, 0, -1, 0x50, 0, 0, 16 },
	{ CONNAC_SUITE_CCMP, 1, 0, 0xc0, 19, 0, 16 },
	{ CONNAC_SUITE_AES_CMAC, 4, 0, 0xa0, 19, 1, 32 },
};

/*
 * Associates link 0 the way a driver does, recording it for a restore:
 * device, BSS, the AP's station, then the three keys, all through the table.
 */
static int __init st_setup(struct st_host *h, struct st_waiter *w)
{
	struct connac_key_conf k;
	unsigned long a;
	size_t i;
	int ret, j;

	connac_key_actions_wipe(&h->acts);
	mutex_lock(&h->lock);
	ret = connac_restore_set_device(&h->dev, st_dev_addr) ?:
	      connac_restore_link_joining(&h->dev, 0, st_bssid, 0) ?:
	      connac_key_link_add(&h->dev, 0, st_bssid, &h->acts) ?:
	      connac_key_sta_add(&h->dev, 0, st_ap, &h->acts);
	mutex_unlock(&h->lock);
	ret = ret ?: st_cmd(h, w, ST_DEV_INFO, 0, true) ?:
	      st_cmd(h, w, ST_BSS_INFO, 0, true) ?:
	      st_sta(h, w, 0, 0, true);
	mutex_lock(&h->lock);
	ret = ret ?: connac_restore_link_associated(&h->dev, 0, st_ap, 1);
	mutex_unlock(&h->lock);
	for (i = 0; !ret && i < ARRAY_SIZE(st_keys); i++) {
		memset(&k, 0, sizeof(k));
		k.cipher = st_keys[i].cipher;
		k.keyidx = st_keys[i].idx;
		k.link_id = st_keys[i].link;
		k.key_len = 16;
		for (j = 0; j < 16; j++)
			k.key[j] = st_keys[i].base + j;
		connac_key_actions_wipe(&h->acts);
		mutex_lock(&h->lock);
		ret = connac_key_set(&h->dev, CONNAC_KEY_SET, &k, &h->acts);
		mutex_unlock(&h->lock);
		memzero_explicit(&k, sizeof(k));
		for (a = 0; !ret && a < h->acts.count; a++)
			ret = st_issue(h, w, ST_STA_REC, NULL, 0,
				       &h->acts.items[a], true);
	}
	connac_key_actions_wipe(&h->acts);
	return ret;
}

/* Whether the firmware holds every key of st_keys again, byte for byte. */
static bool __init st_fw_keys_back(struct st_host *h, unsigned int *n)
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

/* Test 1: threads meet the hang; the sequencer fails them fast. */
static void __init st_run_threads(struct st_ktap *k, struct st_hang *x,
				  int setup)
{
	struct st_host *h = x->h;
	unsigned int ok_n = 0, timeout_n = 0, by_seq_n = 0, refused_n = 0;
	unsigned int other_n = 0, worst_left = 0, started = 0;
	ktime_t all_done = 0;
	s64 timeout_ms = div_s64(connac_cmd_timeout_ns(CONNAC_MT7925, ST_BSS_INFO),
				 ST_SCALE * NSEC_PER_MSEC);
	s64 all_ms = -1, dead_ms = -1;
	bool ok;
	int i, j;

	for (i = 0; i < ST_THREADS; i++) {
		struct st_worker *wk = &x->workers[i];

		wk->h = h;
		wk->index = i;
		init_completion(&wk->w.done);
		init_completion(&wk->finished);
		wk->task = kthread_run(st_worker_fn, wk, "connac_st/%d", i);
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
			else if (r == -ESHUTDOWN && x->workers[i].by_seq[j])
				by_seq_n++;
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

	pr_info("# hang: setup (device, BSS, station, 3 keys) through the table: %s\n",
		connac_errno_name(setup));
	pr_info("# hang: %d threads x %d commands: %u answered, %u timed out, %u failed in flight by the sequencer, %u refused unsent (-ESHUTDOWN), %u other\n",
		ST_THREADS, ST_CMDS, ok_n, timeout_n, by_seq_n, refused_n,
		other_n);
	pr_info("# hang: timeout %lld ms (3000 ms / %d); the sequencer failed everything %lld ms after the hang and every thread was done after %lld ms, where paying each timeout in turn would take %u x %lld = %lld ms\n",
		timeout_ms, ST_SCALE, dead_ms, all_ms, worst_left, timeout_ms,
		worst_left * timeout_ms);

	ok = !setup && started == ST_THREADS && other_n == 0 &&
	     !h->safety_hits &&
	     ok_n + timeout_n + by_seq_n + refused_n == ST_THREADS * ST_CMDS &&
	     ok_n == ST_ANSWERS && timeout_n >= 1 && refused_n >= 1 &&
	     timeout_n == h->timed_out && by_seq_n == h->failed_in_flight &&
	     dead_ms >= timeout_ms / 2 && all_ms >= dead_ms &&
	     all_ms < 2 * timeout_ms && worst_left >= 2;
	st_result(k, ok, "", "hang: threads, timers, workqueue on FwSim; the first timeout fails all, the rest is refused");
}

/* Test 2: the reset ran on the simulator and restored everything. */
static void __init st_check_reset(struct st_ktap *k, struct st_hang *x)
{
	struct st_host *h = x->h;
	struct connac_seq_counters c;
	struct connac_fwsim_state fs;
	unsigned int keys_back = 0;
	s64 reset_ms = -1, hang_ms = -1;
	bool reported, ok;
	int state;

	reported = wait_for_completion_timeout(&h->reported,
					       msecs_to_jiffies(ST_RECOVERY_CAP_MS));
	/* The restore work reports before it returns; let it finish. */
	flush_work(&h->restore_work);
	mutex_lock(&h->lock);
	state = connac_seq_state(&h->dev);
	connac_seq_get_counters(&h->dev, &c, sizeof(c));
	if (reported && h->dead_at && h->fw.hung_seen) {
		reset_ms = ktime_ms_delta(h->running_at, h->dead_at);
		hang_ms = ktime_ms_delta(h->running_at, h->fw.hung_at);
	}
	mutex_unlock(&h->lock);
	mutex_lock(&h->fw.lock);
	connac_fwsim_get_state(&h->fw.sim, &fs);
	ok = fs.device && connac_fwsim_bss_active(&h->fw.sim, 0) &&
	     connac_fwsim_sta_present(&h->fw.sim, 0);
	mutex_unlock(&h->fw.lock);
	ok &= st_fw_keys_back(h, &keys_back);

	pr_info("# reset: %s after %u attempt(s) (%u failed: WFSYS failed %u time(s) and was retried at once), %u reset steps run on FwSim with timers; firmware resets %u, reloads %u\n",
		connac_seq_state_name(state), c.attempts, c.failed_attempts,
		c.step_failures[CONNAC_SEQ_STEP_WFSYS], h->steps, fs.resets,
		fs.reloads);
	pr_info("# reset: restore plan of %ld items (device, BSS, station, keys), %u keys replayed pairwise, group, IGTK; %u of %zu keys back in the firmware byte for byte\n",
		h->plan_items, h->keys_replayed, keys_back,
		ARRAY_SIZE(st_keys));
	pr_info("# reset: back in RUNNING %lld ms after the firmware was declared dead, %lld ms after the hang; counters: episodes %u recoveries %u coalesced %u stale %u rejected %u step timeouts %u\n",
		reset_ms, hang_ms, c.episodes, c.recoveries, c.coalesced,
		c.stale_results, c.rejected,
		c.step_timeouts[CONNAC_SEQ_STEP_WFSYS] +
		c.step_timeouts[CONNAC_SEQ_STEP_SEMAPHORE] +
		c.step_timeouts[CONNAC_SEQ_STEP_PATCH] +
		c.step_timeouts[CONNAC_SEQ_STEP_RAM] +
		c.step_timeouts[CONNAC_SEQ_STEP_READY] +
		c.step_timeouts[CONNAC_SEQ_STEP_RESTORE]);

	/*
	 * Generous where TCG may stall (a late timer can make a watchdog win
	 * and add an attempt), exact where the logic decides.
	 */
	ok &= reported && h->recovered && state == CONNAC_SEQ_RUNNING &&
	      c.episodes == 1 && c.recoveries == 1 && c.wedged == 0 &&
	      c.step_failures[CONNAC_SEQ_STEP_WFSYS] == ST_WFSYS_FAILS &&
	      c.attempts >= 1 + ST_WFSYS_FAILS &&
	      c.attempts + c.quick_relapses == c.failed_attempts + c.recoveries &&
	      h->steps >= 6 + ST_WFSYS_FAILS && fs.resets >= 1 &&
	      fs.reloads >= 1 && h->plan_items == 4 && h->keys_replayed == 3 &&
	      c.rejected >= 1 && !h->unexpected &&
	      reset_ms >= 0 && reset_ms < ST_RECOVERY_CAP_MS;
	st_result(k, ok, "", "reset: steps on FwSim with timers, restore plan and key replay, back to RUNNING");
}

/* Test 3: after the reset, commands go through and nothing is left over. */
static void __init st_check_after(struct st_ktap *k, struct st_hang *x)
{
	struct st_host *h = x->h;
	struct connac_txn_counters c;
	int r1, r2, admit;

	r1 = st_cmd(h, &x->w, ST_BSS_INFO, 0, true);
	r2 = st_sta(h, &x->w, 0, 0, true);
	mutex_lock(&h->lock);
	admit = connac_seq_admit(&h->dev);
	connac_txn_get_counters(&h->dev, &c);
	mutex_unlock(&h->lock);
	pr_info("# after: BSS_INFO %s, STA_REC %s; in flight %u, quarantine %#x, timeouts %u, leftovers failed at WFSYS %u\n",
		connac_errno_name(r1), connac_errno_name(r2), c.in_flight,
		c.quarantined, c.timeouts, h->failed_left);
	st_result(k, !r1 && !r2 && !admit && c.in_flight == 0 &&
		  c.quarantined == 0 && c.timeouts == h->timed_out &&
		  !h->safety_hits, "",
		  "after: commands answered again, nothing in flight or quarantined");
}

/* Stops every timer and work item; nothing re-arms once stopping is set. */
static void __init st_quiesce(struct st_host *h)
{
	int i;

	mutex_lock(&h->lock);
	WRITE_ONCE(h->stopping, true);
	mutex_unlock(&h->lock);
	for (i = 0; i < 2; i++) {
		del_timer_sync(&h->timer);
		cancel_work_sync(&h->expire_work);
		cancel_work_sync(&h->restore_work);
		del_timer_sync(&h->fw.timer);
		cancel_work_sync(&h->fw.work);
	}
}

static int __init st_hang(struct st_ktap *k)
{
	struct connac_fwsim_config cfg;
	struct st_hang *x;
	struct st_host *h;
	int ret = -ENOMEM;

	x = kzalloc(sizeof(*x), GFP_KERNEL);
	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!x || !h)
		goto out;
	x->h = h;
	x->workers = kcalloc(ST_THREADS, sizeof(*x->workers), GFP_KERNEL);
	if (!x->workers)
		goto out;
	h->wq = alloc_workqueue("connac_st", WQ_UNBOUND, 0);
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
	cfg.step_failures[CONNAC_SEQ_STEP_WFSYS] = ST_WFSYS_FAILS;
	ret = connac_fwsim_init(&h->fw.sim, &cfg);
	if (ret)
		goto out_dev;
	mutex_init(&h->lock);
	mutex_init(&h->fw.lock);
	timer_setup(&h->timer, st_timer_fn, 0);
	timer_setup(&h->fw.timer, st_fw_timer_fn, 0);
	INIT_WORK(&h->expire_work, st_expire_work);
	INIT_WORK(&h->restore_work, st_restore_work);
	INIT_WORK(&h->fw.work, st_fw_work);
	init_completion(&h->reported);
	init_completion(&h->rw.done);
	init_completion(&x->w.done);
	h->t0 = ktime_get();

	st_run_threads(k, x, st_setup(h, &x->w));
	st_check_reset(k, x);
	st_check_after(k, x);

	st_quiesce(h);
	ret = 0;
out_dev:
	connac_dev_destroy(&h->dev);
out_wq:
	destroy_workqueue(h->wq);
out:
	if (x)
		kfree(x->workers);
	kfree(x);
	kfree_sensitive(h);
	return ret;
}

int __init connac_selftest_run(void)
{
	struct connac_case_scratch *s;
	struct st_ktap k = { 0 };
	int ret;

	pr_info("KTAP version 1\n");
	pr_info("1..%zu\n", ST_TABLE_TESTS + ST_HANG_TESTS);

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (s) {
		st_run_tables(&k, s);
		kfree_sensitive(s);
	}
	ret = st_hang(&k);
	if (ret)
		pr_info("# hang: setup failed: %s\n", connac_errno_name(ret));
	/* Anything not run counts as failed: the plan stays honest. */
	while (k.n < (int)(ST_TABLE_TESTS + ST_HANG_TESTS))
		st_result(&k, false, "", "not run (setup failed)");
	pr_info("# connac_core selftest: %d passed, %d failed\n",
		k.n - k.failed, k.failed);
	return k.failed;
}
