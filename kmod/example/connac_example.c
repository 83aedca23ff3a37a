// SPDX-License-Identifier: GPL-2.0
/*
 * connac_example.ko: a second module that uses connac_core.ko only through
 * its exported C API, the way an mt76 driver would, and reports what it did.
 *
 * Why: it proves the exported symbols, Module.symvers and the module
 * dependency work for another driver, and shows the calls in the order a
 * driver makes them:
 *   1. frame a command, arm it in the in-flight table, and match the answer
 *      (connac_txn_on_event, connac_parse_response);
 *   2. set and remove keys around an MLO roam (openwrt/mt76 #1036): the
 *      removals on the torn-down link succeed with no MCU traffic;
 *   3. the firmware hangs with the five #1036 commands queued: the first
 *      timeout goes to the reset sequencer (connac_seq_on_timeout()), whose
 *      actions fail the command still in flight at once and refuse the
 *      queued ones unsent; its reset steps run, the restore plan rebuilt
 *      from the core's record (the roam's new link, not the torn-down one)
 *      and the keys are replayed, and commands are admitted again. The
 *      recovery is measured with ktime. Time is scaled by time_scale
 *      (default 10: mt7925's 3 s timeout lasts 300 ms).
 *
 * There is no firmware here: step 1's answer is built by hand in the mt7925
 * event layout, as the device would send it; nothing answers step 3, and
 * each reset step "completes" after the time the simulator gives it (WFSYS
 * 55 ms, each firmware-load step 37.5 ms, scaled), as a driver's register
 * polls would.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/minmax.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "connac_core.h"

static unsigned int time_scale = 10;
module_param(time_scale, uint, 0444);
MODULE_PARM_DESC(time_scale, "virtual ns per real ns for command timeouts (1..1000)");

#define EX_BSS_INFO_UPDATE 0x00020002
#define EX_STA_REC_UPDATE 0x00020003
#define EX_DEV_INFO_UPDATE 0x00020001

/* How long each reset step takes on the device, in firmware time (us). */
static const unsigned int ex_step_us[CONNAC_SEQ_STEPS] = {
	55000, 37500, 37500, 37500, 37500, 0,
};

/* What a driver's device struct holds for the core. */
struct ex_dev {
	struct connac_dev core;		/* embedded opaque state */
	struct mutex mcu_mutex;		/* serialises every core call */
	ktime_t t0;
	struct connac_key_actions acts;
	struct connac_restore_item plan[CONNAC_RESTORE_MAX_ITEMS];
	u8 frame[CONNAC_KEY_FRAME_SIZE];
	u8 event[64];
	unsigned int frames_sent;
	/* What the sequencer's actions made this driver do. */
	unsigned int failed;		/* in flight, failed by FAIL_PENDING */
	unsigned int steps;
	long plan_items;
	unsigned int keys_replayed;
	ktime_t dead_at;
	ktime_t running_at;
	unsigned int step;		/* the step the sequencer asked for */
	bool step_due;
	bool reported;
};

/* The core's log: a message that ends in "0x" takes @arg in hex. */
static void ex_log(void *ctx, int level, const char *msg, long long arg)
{
	size_t n = strlen(msg);
	bool hex = n >= 2 && !strcmp(msg + n - 2, "0x");

	if (level <= CONNAC_LOG_WARNING && hex)
		pr_warn("core: %s%08llx\n", msg, arg);
	else if (level <= CONNAC_LOG_WARNING)
		pr_warn("core: %s %lld\n", msg, arg);
	else
		pr_debug("core: %s %lld\n", msg, arg);
}

/* The core's clock: monotonic ns since load, times time_scale. */
static s64 ex_now(struct ex_dev *d)
{
	return ktime_to_ns(ktime_sub(ktime_get(), d->t0)) * time_scale;
}

/* An mt7925 UNI result event for @seq: 44-byte RXD, {cid, 3 pad, le32 status}. */
static unsigned int ex_answer(u8 *ev, u8 seq, u8 cid, u32 status)
{
	const unsigned int len = 44 + 8;

	memset(ev, 0, len);
	ev[0] = len;			/* RXD DW0: length ... */
	ev[3] = 0x38;			/* ... and PKT_TYPE_RX_EVENT (7 << 27) */
	ev[32] = len - 32;		/* len, from the end of the HW RXD */
	ev[36] = 0x01;			/* eid: UNI result */
	ev[37] = seq;
	ev[38] = 0x02;			/* option: UNI event */
	ev[44] = cid;
	ev[48] = status;		/* le32 status, byte by byte: the */
	ev[49] = status >> 8;		/* unaligned helpers moved from */
	ev[50] = status >> 16;		/* <asm/unaligned.h> (6.1) to */
	ev[51] = status >> 24;		/* <linux/unaligned.h> (6.12) */
	return len;
}

/* Step 1: one command, framed, armed and answered. */
static int ex_command(struct ex_dev *d)
{
	static const u8 payload[4] = { 0x00, 0, 0, 0 };	/* bss_idx 0 */
	struct connac_response r = { 0 };
	struct connac_ticket t = { 0 };
	struct connac_event_outcome o;
	const char *kind, *name;
	unsigned int evlen;
	long len = 0;
	int ret;

	name = connac_cmd_name(EX_BSS_INFO_UPDATE, &kind);
	mutex_lock(&d->mcu_mutex);
	ret = connac_txn_arm(&d->core, EX_BSS_INFO_UPDATE, ex_now(d), &t);
	if (ret)
		goto out;
	len = connac_frame_encode(CONNAC_MT7925, EX_BSS_INFO_UPDATE, t.seq, 0,
				  payload, sizeof(payload), d->frame,
				  sizeof(d->frame));
	if (len < 0) {
		ret = len;
		goto out;
	}
	evlen = ex_answer(d->event, t.seq, EX_BSS_INFO_UPDATE & 0xff, 0);
	ret = connac_parse_response(CONNAC_MT7925, EX_BSS_INFO_UPDATE, t.seq,
				    d->event, evlen, &r);
	if (ret)
		goto out;
	ret = connac_txn_on_event(&d->core, d->event, evlen, &o);
	if (ret != CONNAC_EV_COMPLETED || !connac_ticket_eq(&o.ticket, &t))
		ret = -EPROTO;
	else
		ret = o.fw_status;
out:
	mutex_unlock(&d->mcu_mutex);
	pr_info("command: %s %s (%08x) seq %u, %ld-byte frame, answer status %d: %s\n",
		kind, name ? name : "?", EX_BSS_INFO_UPDATE, t.seq, len,
		r.fw_status, connac_errno_name(ret));
	return ret;
}

/*
 * Encodes and "sends" the pending key actions. The frame buffer and the list
 * hold key bytes, so both are wiped once the frames are out (or on failure).
 */
static int ex_send_keys(struct ex_dev *d)
{
	unsigned long i;
	long len = 0;

	for (i = 0; i < d->acts.count && len >= 0; i++) {
		len = connac_key_action_encode(&d->core, &d->acts.items[i],
					       (d->frames_sent % CONNAC_MAX_SEQ) + 1,
					       d->frame, sizeof(d->frame));
		if (len >= 0)
			d->frames_sent++;
	}
	memzero_explicit(d->frame, sizeof(d->frame));
	connac_key_actions_wipe(&d->acts);
	return len < 0 ? len : 0;
}

static int ex_key(struct ex_dev *d, int cmd, u32 cipher, u8 idx, s8 link,
		  u8 base)
{
	struct connac_key_conf k = {
		.cipher = cipher, .keyidx = idx, .link_id = link, .key_len = 16,
	};
	int i, ret;

	for (i = 0; i < 16; i++)
		k.key[i] = base + i;
	ret = connac_key_set(&d->core, cmd, &k, &d->acts);
	memzero_explicit(&k, sizeof(k));
	return ret ? ret : ex_send_keys(d);
}

/* Step 2: keys around an MLO roam from link 0 to link 1. */
static int ex_roam(struct ex_dev *d)
{
	u8 bssid[6] = { 0x02, 0xb0, 0x55, 0x1d, 0x00, 0x00 };
	u8 ap[6] = { 0x02, 0xa9, 0x00, 0x00, 0x00, 0x00 };
	unsigned int before_teardown, removal_frames;
	int ret, gtk_ret, igtk_ret;

	static const u8 addr[6] = { 0x02, 0xde, 0x00, 0x00, 0x00, 0x00 };

	mutex_lock(&d->mcu_mutex);
	connac_key_actions_wipe(&d->acts);
	/* The restore record follows the association, as the keys do. */
	ret = connac_restore_set_device(&d->core, addr) ?:
	      connac_restore_link_joining(&d->core, 0, bssid, 0) ?:
	      connac_restore_link_associated(&d->core, 0, ap, 1) ?:
	      connac_key_link_add(&d->core, 0, bssid, &d->acts) ?:
	      connac_key_sta_add(&d->core, 0, ap, &d->acts) ?:
	      ex_key(d, CONNAC_KEY_SET, CONNAC_SUITE_CCMP, 0, -1, 0x50) ?:
	      ex_key(d, CONNAC_KEY_SET, CONNAC_SUITE_CCMP, 1, 0, 0xc0) ?:
	      ex_key(d, CONNAC_KEY_SET, CONNAC_SUITE_AES_CMAC, 4, 0, 0xa0);
	if (ret)
		goto out;
	/* Roam: link 1 comes up; the pairwise key follows the new station. */
	bssid[5] = 1;
	ap[5] = 1;
	ret = connac_restore_link_joining(&d->core, 1, bssid, 1) ?:
	      connac_key_link_add(&d->core, 1, bssid, &d->acts) ?:
	      connac_key_sta_add(&d->core, 1, ap, &d->acts) ?:
	      ex_send_keys(d) ?:
	      ex_key(d, CONNAC_KEY_SET, CONNAC_SUITE_CCMP, 1, 1, 0xd0) ?:
	      connac_restore_link_associated(&d->core, 1, ap, 1);
	if (ret)
		goto out;
	/* Link 0 is torn down before mac80211 removes its group keys. */
	connac_key_sta_remove(&d->core, 0);
	connac_key_link_remove(&d->core, 0);
	connac_restore_link_removed(&d->core, 0);
	before_teardown = d->frames_sent;
	gtk_ret = ex_key(d, CONNAC_KEY_DISABLE, CONNAC_SUITE_CCMP, 1, 0, 0xc0);
	igtk_ret = ex_key(d, CONNAC_KEY_DISABLE, CONNAC_SUITE_AES_CMAC, 4, 0,
			  0xa0);
	removal_frames = d->frames_sent - before_teardown;
	pr_info("roam: %u key frames for link 0 then link 1; removing GTK 1 and IGTK 4 of the torn-down link 0 returned %d and %d with %u MCU frames (the #1036 driver returned -22)\n",
		before_teardown, gtk_ret, igtk_ret, removal_frames);
	ret = gtk_ret ?: igtk_ret ?: (removal_frames ? -EPROTO : 0);
out:
	mutex_unlock(&d->mcu_mutex);
	return ret;
}

/* Fails every command in flight: the firmware will not answer them. */
static unsigned int ex_fail_all(struct ex_dev *d)
{
	struct connac_ticket t[CONNAC_TXN_MAX_INFLIGHT];

	/* A driver wakes the waiter of each ticket with -ESHUTDOWN here. */
	return connac_txn_fail_all(&d->core, t, ARRAY_SIZE(t));
}

/*
 * The reset sequencer's actions, in the order connac_core.h lists them.
 * Called with mcu_mutex held; the steps run in ex_reset(), as in a
 * driver's reset work.
 */
static void ex_handle(struct ex_dev *d, const struct connac_seq_actions *a)
{
	if (a->flags & CONNAC_SEQ_ACT_FAIL_PENDING) {
		d->failed += ex_fail_all(d);
		d->dead_at = ktime_get();
	}
	/* REJECT_NEW: connac_seq_admit() refuses; STOP_TX: no data path here. */
	if (a->flags & CONNAC_SEQ_ACT_RUN_STEP) {
		d->steps++;
		if (a->step == CONNAC_SEQ_STEP_WFSYS) {
			/* The firmware loses its keys; drop what is left in flight. */
			ex_fail_all(d);
			connac_key_reset_begin(&d->core);
		}
		d->step = a->step;
		d->step_due = true;
	}
	if (a->flags & CONNAC_SEQ_ACT_REPORT) {
		d->reported = true;
		d->running_at = ktime_get();
	}
}

/* Frames (and "sends") @cmd with a payload of @len bytes of @p. */
static int ex_frame(struct ex_dev *d, unsigned int cmd, const u8 *p,
		    unsigned long len)
{
	long n = connac_frame_encode(CONNAC_MT7925, cmd,
				     (d->frames_sent % CONNAC_MAX_SEQ) + 1, 0,
				     p, len, d->frame, sizeof(d->frame));

	if (n < 0)
		return n;
	d->frames_sent++;
	return 0;
}

/*
 * RUN_STEP RESTORE: the plan comes from the core's own record, so it names
 * link 1 (the roam's) and not link 0, whose bss_conf mac80211 has freed.
 */
static int ex_restore(struct ex_dev *d)
{
	long i, n;
	int ret = 0;

	mutex_lock(&d->mcu_mutex);
	n = connac_restore_make_plan(&d->core, d->plan, ARRAY_SIZE(d->plan));
	for (i = 0; i < n && !ret; i++) {
		const struct connac_restore_item *it = &d->plan[i];
		/* sta_req_hdr {bss, wcid, tlv_num, append, muar, ...}. */
		const u8 p[8] = { it->bss_idx, it->wcid, 0, 0, 1, 0, 0, 0 };

		switch (it->kind) {
		case CONNAC_RESTORE_DEVICE:
			ret = ex_frame(d, EX_DEV_INFO_UPDATE, p, 4);
			break;
		case CONNAC_RESTORE_BSS:
			ret = ex_frame(d, EX_BSS_INFO_UPDATE, p, 4);
			break;
		case CONNAC_RESTORE_STA:
			ret = ex_frame(d, EX_STA_REC_UPDATE, p, sizeof(p));
			break;
		case CONNAC_RESTORE_KEYS:
			connac_key_actions_wipe(&d->acts);
			ret = connac_key_reset_replay(&d->core, &d->acts);
			d->keys_replayed = d->acts.count;
			ret = ret ?: ex_send_keys(d);
			break;
		}
	}
	d->plan_items = n;
	mutex_unlock(&d->mcu_mutex);
	return n < 0 ? n : ret;
}

/*
 * The reset work: runs each step the sequencer asks for and reports it,
 * until it asks for none. A step here is the time the device takes (a
 * driver polls its registers meanwhile); the restore sends the plan.
 */
static int ex_reset(struct ex_dev *d)
{
	struct connac_seq_actions a;
	unsigned int step;
	int ok, ret = 0;

	while (!ret) {
		mutex_lock(&d->mcu_mutex);
		step = d->step;
		if (!d->step_due) {
			mutex_unlock(&d->mcu_mutex);
			break;
		}
		d->step_due = false;
		mutex_unlock(&d->mcu_mutex);
		if (step == CONNAC_SEQ_STEP_RESTORE) {
			ok = ex_restore(d) == 0;
		} else {
			fsleep(ex_step_us[step] / time_scale);
			ok = 1;
		}
		mutex_lock(&d->mcu_mutex);
		ret = connac_seq_on_step_result(&d->core, step, ok, ex_now(d), &a);
		if (!ret)
			ex_handle(d, &a);
		mutex_unlock(&d->mcu_mutex);
	}
	return ret;
}

/*
 * Arms, frames and "sends" @cmd, unless the sequencer refuses it: the
 * firmware is dead or being reset, so nothing would answer it.
 */
static int ex_send(struct ex_dev *d, unsigned int cmd)
{
	static const u8 payload[4];
	struct connac_ticket t;
	long len;
	int ret;

	mutex_lock(&d->mcu_mutex);
	ret = connac_seq_admit(&d->core);
	if (ret) {
		mutex_unlock(&d->mcu_mutex);
		return ret;	/* -ESHUTDOWN: not sent */
	}
	ret = connac_txn_arm(&d->core, cmd, ex_now(d), &t);
	len = ret ? ret : connac_frame_encode(CONNAC_MT7925, cmd, t.seq, 0,
					      payload, sizeof(payload),
					      d->frame, sizeof(d->frame));
	mutex_unlock(&d->mcu_mutex);
	return len < 0 ? len : 0;
}

/*
 * Step 3: the five commands of #1036 meet a firmware that stopped
 * answering. One context sends the first, a second context sends the next a
 * third of a timeout later, the other three wait in the driver's queue.
 */
static int ex_hang(struct ex_dev *d)
{
	static const unsigned int cmds[] = {
		EX_BSS_INFO_UPDATE, EX_STA_REC_UPDATE, EX_BSS_INFO_UPDATE,
		EX_BSS_INFO_UPDATE, EX_DEV_INFO_UPDATE,
	};
	struct connac_ticket expired[CONNAC_TXN_MAX_INFLIGHT];
	unsigned int i, timed_out = 0, refused = 0;
	s64 timeout_ms, real_timeout_ms, deadline, wait;
	struct connac_seq_actions a;
	struct connac_seq_counters c;
	ktime_t hang, all;
	int ret, state, admit;

	timeout_ms = div_s64(connac_cmd_timeout_ns(CONNAC_MT7925, cmds[0]),
			     NSEC_PER_MSEC);
	real_timeout_ms = div_s64(timeout_ms, time_scale);
	hang = ktime_get();
	ret = ex_send(d, cmds[0]);
	msleep(real_timeout_ms / 3);
	ret = ret ?: ex_send(d, cmds[1]);
	if (ret)
		return ret;

	/*
	 * Nothing answers: sleep to the next deadline, as the driver's timer
	 * would, and hand the timeouts to the sequencer.
	 */
	while (!d->dead_at) {
		mutex_lock(&d->mcu_mutex);
		deadline = min(connac_txn_next_deadline(&d->core),
			       connac_seq_next_deadline(&d->core, CONNAC_NEVER));
		mutex_unlock(&d->mcu_mutex);
		if (deadline == CONNAC_NEVER)
			return -EPROTO;
		wait = deadline - ex_now(d);
		if (wait > 0)
			msleep(div_s64(wait, (s64)time_scale * NSEC_PER_MSEC) + 1);
		mutex_lock(&d->mcu_mutex);
		i = connac_txn_expire(&d->core, ex_now(d), expired,
				      ARRAY_SIZE(expired));
		timed_out += i;
		ret = i ? connac_seq_on_timeout(&d->core, ex_now(d), &a) : 0;
		if (i && !ret)
			ex_handle(d, &a);
		mutex_unlock(&d->mcu_mutex);
		if (ret)
			return ret;
	}
	/* The queued commands are refused at once instead of each timing out. */
	for (i = 2; i < ARRAY_SIZE(cmds); i++)
		refused += ex_send(d, cmds[i]) == -ESHUTDOWN;
	all = ktime_get();

	/* The reset work: steps, restore, back to RUNNING. */
	ret = ex_reset(d);
	mutex_lock(&d->mcu_mutex);
	state = connac_seq_state(&d->core);
	admit = connac_seq_admit(&d->core);
	connac_seq_get_counters(&d->core, &c, sizeof(c));
	mutex_unlock(&d->mcu_mutex);

	pr_info("recovery: the %zu #1036 commands on a hung firmware: %u timed out after %lld ms (%lld ms firmware time / %u), %u more in flight failed at once by the sequencer, %u queued refused unsent (-ESHUTDOWN)\n",
		ARRAY_SIZE(cmds), timed_out, ktime_ms_delta(d->dead_at, hang),
		timeout_ms, time_scale, d->failed, refused);
	pr_info("recovery: all %zu done %lld ms after the hang, where one timeout after another (the driver today) takes %zu x %lld = %lld ms\n",
		ARRAY_SIZE(cmds), ktime_ms_delta(all, hang), ARRAY_SIZE(cmds),
		real_timeout_ms, ARRAY_SIZE(cmds) * real_timeout_ms);
	pr_info("recovery: sequencer %s after %u reset steps in %lld ms; restore plan of %ld items (device, link 1's BSS and station, keys; not the torn-down link 0), %u keys replayed pairwise first; new commands admitted: %s\n",
		connac_seq_state_name(state), d->steps,
		d->reported ? ktime_ms_delta(d->running_at, d->dead_at) : -1LL,
		d->plan_items, d->keys_replayed, connac_errno_name(admit));
	if (!ret && (timed_out + d->failed + refused != ARRAY_SIZE(cmds) ||
		     !d->reported || state != CONNAC_SEQ_RUNNING || admit ||
		     c.recoveries != 1 || d->plan_items != 4 ||
		     d->keys_replayed != 2))
		ret = -EPROTO;
	return ret;
}

static struct ex_dev *ex;

static int __init ex_init(void)
{
	struct connac_host_ops ops;
	int ret;

	if (!time_scale || time_scale > 1000)
		return -EINVAL;
	ex = kzalloc(sizeof(*ex), GFP_KERNEL);
	if (!ex)
		return -ENOMEM;
	connac_host_ops_init(&ops);
	ops.ctx = ex;
	ops.log = ex_log;
	ret = connac_dev_init(&ex->core, CONNAC_MT7925, 0, &ops);
	if (ret) {
		kfree_sensitive(ex);
		return ret;
	}
	mutex_init(&ex->mcu_mutex);
	ex->t0 = ktime_get();

	ret = ex_command(ex);
	if (!ret)
		ret = ex_roam(ex);
	if (!ret)
		ret = ex_hang(ex);
	pr_info("report: %s (core API %d, state %lu of %d bytes embedded in this driver's struct)\n",
		ret ? "FAILED" : "ok", CONNAC_API_VERSION,
		connac_dev_state_bytes(), CONNAC_DEV_SIZE);
	return 0;
}

static void __exit ex_exit(void)
{
	/* Key bytes may sit in the list, the frame buffer and the core's slots. */
	connac_key_actions_wipe(&ex->acts);
	memzero_explicit(ex->frame, sizeof(ex->frame));
	connac_dev_destroy(&ex->core);
	kfree_sensitive(ex);
}

module_init(ex_init);
module_exit(ex_exit);

MODULE_DESCRIPTION("connac core example consumer: framing, keys around a roam, recovery from a hang");
MODULE_LICENSE("GPL");
