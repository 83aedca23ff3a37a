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
 *     in-flight scripts, key scripts), run by the same runner functions the
 *     userspace GoogleTest (kmod/capi_test.cc) runs.
 *  2. A hang: ST_THREADS kthreads issue commands through one in-flight table
 *     under a mutex (the driver's mcu.mutex) to a stand-in firmware, a
 *     workqueue that decodes each frame and answers with a UNI result event
 *     built per the documented layout. After ST_ANSWERS answers it hangs. A
 *     kernel timer armed for connac_txn_next_deadline() queues the expiry
 *     work, the first timeout goes to the sequencer hook, which (until the
 *     reset sequencer exists) fails everything with connac_txn_fail_all().
 *     Then the firmware "reloads" and the keys are replayed. Time is scaled:
 *     the core sees ST_SCALE virtual ns per real ns, so mt7925's 3 s command
 *     timeout lasts 3 s / ST_SCALE.
 *
 * Uses only the C API of connac_core.h, like any other module would.
 */

#define pr_fmt(fmt) fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/workqueue.h>

#include "connac_cases.h"
#include "connac_core.h"
#include "connac_selftest.h"

#define ST_SCALE 10		/* virtual ns per real ns: 3 s -> 300 ms */
#define ST_THREADS 4
#define ST_CMDS 6		/* commands per thread */
#define ST_ANSWERS 9		/* answered before the firmware hangs */
#define ST_WAIT_CAP_MS 3000	/* safety net for one wait, whatever happens */
#define ST_PACE_MS 40		/* thread i waits (i + 1) * 40 ms between commands */
#define ST_FRAME_MAX 160
#define ST_QUEUE 32

/* ---------------------------------------------------------------------------
 * KTAP output.
 */

struct st_ktap {
	int n;
	int failed;
};

static void st_result(struct st_ktap *k, bool ok, const char *prefix,
		      const char *name)
{
	k->n++;
	if (!ok)
		k->failed++;
	pr_info("%sok %d - %s%s\n", ok ? "" : "not ", k->n, prefix, name);
}

static bool st_check_case(int ret, const struct connac_case_fail *f)
{
	if (ret)
		pr_info("# %s (step %d: got %lld, want %lld)\n",
			f->what ? f->what : "?", f->step, f->got, f->want);
	return ret == 0;
}

static void st_run_tables(struct st_ktap *k, struct connac_case_scratch *s)
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
	      !strcmp(connac_errno_name(0), "OK");
	st_result(k, ok, "names: ", "command and errno names");
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
}

#define ST_TABLE_TESTS (ARRAY_SIZE(connac_frame_cases) + \
			ARRAY_SIZE(connac_frame_err_cases) + \
			ARRAY_SIZE(connac_response_cases) + 1 + \
			ARRAY_SIZE(connac_txn_cases) + \
			ARRAY_SIZE(connac_key_cases))
#define ST_HANG_TESTS 2

/* ---------------------------------------------------------------------------
 * The hang: host, waiters and a stand-in firmware.
 */

struct st_frame {
	unsigned int len;
	u8 data[ST_FRAME_MAX];
};

struct st_fw {
	spinlock_t lock;
	struct st_frame queue[ST_QUEUE];
	unsigned int head;
	unsigned int count;
	unsigned int budget;	/* answers left before the hang */
	bool hung;
	ktime_t hung_at;
	unsigned int answered;
	unsigned int dropped;
	unsigned int bad_frames;
	struct st_frame cur;	/* the work item is not reentrant */
	u8 ev[96];
	struct delayed_work work;
};

struct st_waiter {
	struct completion done;
	struct connac_ticket ticket;
	int result;
	u8 frame[ST_FRAME_MAX];
};

struct st_host {
	struct connac_dev dev;		/* embedded, as a driver would */
	struct mutex lock;		/* serialises every call on dev */
	struct st_waiter *slot_waiter[CONNAC_TXN_MAX_INFLIGHT];
	struct timer_list timer;
	struct work_struct expire_work;
	struct workqueue_struct *wq;
	ktime_t t0;
	bool dead;
	ktime_t failed_all_at;
	unsigned int timed_out;
	unsigned int canceled;
	unsigned int failed_by_fail_all;
	unsigned int safety_hits;
	struct st_fw fw;
};

struct st_worker {
	struct st_host *h;
	struct task_struct *task;
	int index;
	struct st_waiter w;
	struct completion finished;
	ktime_t finished_at;
	int results[ST_CMDS];
};

static s64 st_now(struct st_host *h)
{
	return ktime_to_ns(ktime_sub(ktime_get(), h->t0)) * ST_SCALE;
}

/* Arms the timer for the core's next deadline. Called with h->lock held. */
static void st_rearm(struct st_host *h)
{
	s64 deadline = connac_txn_next_deadline(&h->dev);
	s64 delta;

	if (deadline == CONNAC_NEVER) {
		del_timer(&h->timer);
		return;
	}
	delta = deadline - st_now(h);
	if (delta < 0)
		delta = 0;
	mod_timer(&h->timer,
		  jiffies + nsecs_to_jiffies(div_s64(delta, ST_SCALE)) + 1);
}

/* Hands @result to the waiter of @t, if it still waits. h->lock held. */
static void st_finish(struct st_host *h, const struct connac_ticket *t,
		      int result)
{
	struct st_waiter *w;

	if (t->slot >= CONNAC_TXN_MAX_INFLIGHT)
		return;
	w = h->slot_waiter[t->slot];
	if (!w || !connac_ticket_eq(&w->ticket, t))
		return;
	h->slot_waiter[t->slot] = NULL;
	w->result = result;
	complete(&w->done);
}

/*
 * TODO(sequencer): hand the expired tickets to the reset sequencer
 * (connac_seq_*, not merged yet). It will probe the firmware
 * (connac_host_ops.probe), decide between waiting and resetting, and call
 * connac_txn_fail_all() and connac_key_reset_begin() itself. Until it lands,
 * this stand-in does what its fast path will: the first timeout declares the
 * firmware dead and fails everything still in flight at once, instead of
 * letting each queued command pay its own full timeout. h->lock held.
 */
static void st_sequencer_hook(struct st_host *h,
			      const struct connac_ticket *expired,
			      unsigned int n)
{
	struct connac_ticket t[CONNAC_TXN_MAX_INFLIGHT];
	unsigned int i, m;

	if (h->dead || !n)
		return;
	h->dead = true;
	m = connac_txn_fail_all(&h->dev, t, ARRAY_SIZE(t));
	for (i = 0; i < m; i++)
		st_finish(h, &t[i], -ECANCELED);
	h->failed_by_fail_all += m;
	connac_key_reset_begin(&h->dev);
	h->failed_all_at = ktime_get();
}

static void st_expire_work(struct work_struct *work)
{
	struct st_host *h = container_of(work, struct st_host, expire_work);
	struct connac_ticket t[CONNAC_TXN_MAX_INFLIGHT];
	unsigned int i, n;

	mutex_lock(&h->lock);
	n = connac_txn_expire(&h->dev, st_now(h), t, ARRAY_SIZE(t));
	for (i = 0; i < n; i++)
		st_finish(h, &t[i], -ETIMEDOUT);
	h->timed_out += n;
	st_sequencer_hook(h, t, n);
	st_rearm(h);
	mutex_unlock(&h->lock);
}

static void st_timer_fn(struct timer_list *timer)
{
	struct st_host *h = from_timer(h, timer, timer);

	queue_work(h->wq, &h->expire_work);
}

/* The device's receive path: one event into the table. */
static void st_host_rx(struct st_host *h, const u8 *ev, unsigned long len)
{
	struct connac_event_outcome o;

	mutex_lock(&h->lock);
	if (connac_txn_on_event(&h->dev, ev, len, &o) == CONNAC_EV_COMPLETED)
		st_finish(h, &o.ticket, o.fw_status);
	st_rearm(h);
	mutex_unlock(&h->lock);
}

/* The stand-in firmware: checks each frame and answers it, until it hangs. */
static void st_fw_work(struct work_struct *work)
{
	struct st_fw *fw = container_of(to_delayed_work(work), struct st_fw,
					 work);
	struct st_host *h = container_of(fw, struct st_host, fw);
	struct connac_frame_info info;
	u8 result[8] = { 0 };
	long len;

	for (;;) {
		spin_lock_bh(&fw->lock);
		if (!fw->count) {
			spin_unlock_bh(&fw->lock);
			return;
		}
		fw->cur = fw->queue[fw->head];
		fw->head = (fw->head + 1) % ST_QUEUE;
		fw->count--;
		if (!fw->hung && !fw->budget) {
			fw->hung = true;
			fw->hung_at = ktime_get();
		}
		if (fw->hung) {
			fw->dropped++;
			spin_unlock_bh(&fw->lock);
			continue;
		}
		fw->budget--;
		spin_unlock_bh(&fw->lock);

		if (connac_frame_decode(fw->cur.data, fw->cur.len, &info)) {
			fw->bad_frames++;
			continue;
		}
		/* UNI result: {u8 cid, 3 pad, le32 status = 0}. */
		result[0] = info.cmd & 0xff;
		len = connac_case_event(CONNAC_MT7925, info.seq,
					CONNAC_CASE_EID_RESULT,
					CONNAC_CASE_OPT_UNI, 0, result,
					sizeof(result), fw->ev, sizeof(fw->ev));
		if (len < 0) {
			fw->bad_frames++;
			continue;
		}
		fw->answered++;
		st_host_rx(h, fw->ev, len);
	}
}

static void st_fw_send(struct st_fw *fw, const u8 *frame, unsigned int len)
{
	struct st_frame *f;

	spin_lock_bh(&fw->lock);
	if (fw->count == ST_QUEUE || len > ST_FRAME_MAX) {
		fw->dropped++;
		spin_unlock_bh(&fw->lock);
		return;
	}
	f = &fw->queue[(fw->head + fw->count) % ST_QUEUE];
	f->len = len;
	memcpy(f->data, frame, len);
	fw->count++;
	spin_unlock_bh(&fw->lock);
	/* The firmware answers a jiffy later, from another context. */
	mod_delayed_work(system_wq, &fw->work, 1);
}

/*
 * Arms @cmd, encodes it (a key action if @ka, else a 4-byte payload), sends
 * it and waits. Returns the firmware status, -ETIMEDOUT, -ECANCELED,
 * -ESHUTDOWN (firmware declared dead) or an encode/arm error.
 */
static int st_issue(struct st_host *h, struct st_waiter *w, unsigned int cmd,
		    const struct connac_key_action *ka)
{
	static const u8 payload[4] = { 0x01, 0, 0, 0 };
	long len;
	int ret, tries;

	for (tries = 0; ; tries++) {
		mutex_lock(&h->lock);
		if (h->dead) {
			mutex_unlock(&h->lock);
			return -ESHUTDOWN;
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
					  payload, sizeof(payload), w->frame,
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

	st_fw_send(&h->fw, w->frame, len);

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

static int st_worker_fn(void *arg)
{
	struct st_worker *wk = arg;
	static const unsigned int cmds[] = { 0x00020002, 0x00020003,
					     0x00020001 };
	int i;

	/*
	 * Threads issue at different paces, so the commands in flight when
	 * the firmware hangs have different deadlines: the first one times
	 * out, the others are failed by the sequencer hook.
	 */
	for (i = 0; i < ST_CMDS; i++) {
		wk->results[i] = st_issue(wk->h, &wk->w,
					  cmds[(wk->index + i) % 3], NULL);
		if (wk->results[i] == 0)
			msleep(ST_PACE_MS * (wk->index + 1));
	}
	wk->finished_at = ktime_get();
	complete(&wk->finished);
	return 0;
}

/* Installs link 0 with a pairwise key, a GTK and an IGTK, through the table. */
static int st_install_keys(struct st_host *h, struct st_waiter *w,
			   struct connac_key_actions *acts)
{
	static const u8 bssid[6] = { 0x02, 0xb0, 0x55, 0x1d, 0x00, 0x00 };
	static const u8 ap[6] = { 0x02, 0xa9, 0x00, 0x00, 0x00, 0x00 };
	static const struct { u32 cipher; u8 idx; s8 link; u8 base; } keys[] = {
		{ CONNAC_SUITE_CCMP, 0, -1, 0x50 },
		{ CONNAC_SUITE_CCMP, 1, 0, 0xc0 },
		{ CONNAC_SUITE_AES_CMAC, 4, 0, 0xa0 },
	};
	struct connac_key_conf k;
	unsigned long a;
	size_t i;
	int ret, j;

	connac_key_actions_wipe(acts);
	mutex_lock(&h->lock);
	ret = connac_key_link_add(&h->dev, 0, bssid, acts);
	if (!ret)
		ret = connac_key_sta_add(&h->dev, 0, ap, acts);
	mutex_unlock(&h->lock);
	for (i = 0; !ret && i < ARRAY_SIZE(keys); i++) {
		memset(&k, 0, sizeof(k));
		k.cipher = keys[i].cipher;
		k.keyidx = keys[i].idx;
		k.link_id = keys[i].link;
		k.key_len = 16;
		for (j = 0; j < 16; j++)
			k.key[j] = keys[i].base + j;
		connac_key_actions_wipe(acts);
		mutex_lock(&h->lock);
		ret = connac_key_set(&h->dev, CONNAC_KEY_SET, &k, acts);
		mutex_unlock(&h->lock);
		memzero_explicit(&k, sizeof(k));
		for (a = 0; !ret && a < acts->count; a++)
			ret = st_issue(h, w, 0x00020003, &acts->items[a]);
	}
	connac_key_actions_wipe(acts);
	return ret;
}

struct st_hang {
	struct st_host *h;
	struct st_worker *workers;
	struct connac_key_actions acts;
	struct st_waiter w;
};

static void st_run_hang(struct st_ktap *k, struct st_hang *x)
{
	struct st_host *h = x->h;
	struct connac_txn_counters c;
	unsigned int ok_n = 0, timeout_n = 0, cancel_n = 0, refused_n = 0;
	unsigned int other_n = 0, replayed_ok = 0, worst_left = 0;
	ktime_t all_done = 0;
	s64 timeout_ms = div_s64(connac_cmd_timeout_ns(CONNAC_MT7925, 0x00020002),
				 ST_SCALE * NSEC_PER_MSEC);
	s64 recovery_ms = -1, fail_all_ms = -1;
	bool ok;
	int i, j, ret;

	ret = st_install_keys(h, &x->w, &x->acts);
	pr_info("# hang: keys installed through the table: %s\n",
		connac_errno_name(ret));

	for (i = 0; i < ST_THREADS; i++) {
		struct st_worker *wk = &x->workers[i];

		wk->h = h;
		wk->index = i;
		init_completion(&wk->w.done);
		init_completion(&wk->finished);
		wk->task = kthread_run(st_worker_fn, wk, "connac_st/%d", i);
		if (IS_ERR(wk->task)) {
			wk->task = NULL;
			ret = -ECHILD;
			continue;
		}
		get_task_struct(wk->task);
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

		if (x->workers[i].task &&
		    ktime_after(x->workers[i].finished_at, all_done))
			all_done = x->workers[i].finished_at;
		for (j = 0; j < ST_CMDS && x->workers[i].task; j++) {
			int r = x->workers[i].results[j];

			left += r != 0;

			if (r == 0)
				ok_n++;
			else if (r == -ETIMEDOUT)
				timeout_n++;
			else if (r == -ECANCELED)
				cancel_n++;
			else if (r == -ESHUTDOWN)
				refused_n++;
			else
				other_n++;
		}
		worst_left = max(worst_left, left);
	}
	flush_delayed_work(&h->fw.work);
	mutex_lock(&h->lock);
	connac_txn_get_counters(&h->dev, &c);
	if (h->dead && h->fw.hung) {
		fail_all_ms = ktime_ms_delta(h->failed_all_at, h->fw.hung_at);
		recovery_ms = ktime_ms_delta(all_done, h->fw.hung_at);
	}
	mutex_unlock(&h->lock);

	pr_info("# hang: %d threads x %d commands: %u answered, %u timed out, %u failed by fail_all, %u refused after, %u other\n",
		ST_THREADS, ST_CMDS, ok_n, timeout_n, cancel_n, refused_n,
		other_n);
	pr_info("# hang: firmware answered %u frames, dropped %u, bad %u; core counters armed %u completed %u timeouts %u canceled %u in flight %u quarantine %#x\n",
		h->fw.answered, h->fw.dropped, h->fw.bad_frames, c.armed,
		c.completed, c.timeouts, c.canceled, c.in_flight,
		c.quarantined);
	pr_info("# hang: timeout %lld ms (3000 ms / %d); fail_all ran %lld ms after the hang and every thread was done after %lld ms, where paying each timeout in turn would take %u x %lld = %lld ms\n",
		timeout_ms, ST_SCALE, fail_all_ms, recovery_ms, worst_left,
		timeout_ms, worst_left * timeout_ms);

	ok = ret == 0 && other_n == 0 && !h->safety_hits &&
	     ok_n + timeout_n + cancel_n + refused_n == ST_THREADS * ST_CMDS &&
	     ok_n == ST_ANSWERS && timeout_n >= 1 &&
	     timeout_n == h->timed_out && cancel_n == h->failed_by_fail_all &&
	     c.completed == ok_n + 3 && c.timeouts == timeout_n &&
	     c.in_flight == 0 && c.quarantined == 0 && !h->fw.bad_frames &&
	     fail_all_ms >= timeout_ms / 2 && recovery_ms >= fail_all_ms &&
	     recovery_ms < 2 * timeout_ms && worst_left >= 2;
	st_result(k, ok, "", "hang: threads, timer and workqueue; first timeout fails all in flight");

	/* Reload: the firmware answers again; the keys come back first. */
	spin_lock_bh(&h->fw.lock);
	h->fw.hung = false;
	h->fw.budget = 64;
	spin_unlock_bh(&h->fw.lock);
	connac_key_actions_wipe(&x->acts);
	mutex_lock(&h->lock);
	h->dead = false;
	ret = connac_key_reset_replay(&h->dev, &x->acts);
	mutex_unlock(&h->lock);
	ok = ret == 0 && x->acts.count == 3 && x->acts.items[0].pairwise &&
	     !x->acts.items[1].pairwise && x->acts.items[2].cipher_id == 6;
	for (i = 0; ok && i < (int)x->acts.count; i++)
		if (st_issue(h, &x->w, 0x00020003, &x->acts.items[i]) == 0)
			replayed_ok++;
	connac_key_actions_wipe(&x->acts);
	ret = st_issue(h, &x->w, 0x00020002, NULL);
	pr_info("# reload: %u of 3 keys replayed and answered, next command: %s\n",
		replayed_ok, connac_errno_name(ret));
	st_result(k, ok && replayed_ok == 3 && ret == 0, "",
		  "reload: keys replayed pairwise, group, IGTK; commands answered again");
}

static int st_hang(struct st_ktap *k)
{
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
	mutex_init(&h->lock);
	timer_setup(&h->timer, st_timer_fn, 0);
	INIT_WORK(&h->expire_work, st_expire_work);
	spin_lock_init(&h->fw.lock);
	INIT_DELAYED_WORK(&h->fw.work, st_fw_work);
	h->fw.budget = ST_ANSWERS + 3;	/* + the three key frames */
	init_completion(&x->w.done);
	h->t0 = ktime_get();

	st_run_hang(k, x);

	del_timer_sync(&h->timer);
	cancel_work_sync(&h->expire_work);
	cancel_delayed_work_sync(&h->fw.work);
	/* The timer may have been re-armed by the last expiry: once more. */
	del_timer_sync(&h->timer);
	cancel_work_sync(&h->expire_work);
	connac_dev_destroy(&h->dev);
	ret = 0;
out_wq:
	destroy_workqueue(h->wq);
out:
	if (x)
		kfree(x->workers);
	kfree_sensitive(x);
	kfree(h);
	return ret;
}

int connac_selftest_run(void)
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
		st_result(&k, false, "", "not run (out of memory)");
	pr_info("# connac_core selftest: %d passed, %d failed\n",
		k.n - k.failed, k.failed);
	return k.failed;
}
