// SPDX-License-Identifier: GPL-2.0
/*
 * connac_example.ko: a second module that uses connac_core.ko only through
 * its exported C API, shaped like an mt76 driver, and reports what it did.
 *
 * Why: it proves the exported symbols, Module.symvers and the module
 * dependency work for another driver, and shows the one pattern a driver
 * follows with the core: feed it an input, execute every action it hands
 * out (connac_dev_next_action()), arm a timer for connac_dev_next_deadline().
 * The driver decides nothing about recovery; it does the I/O:
 *   1. a command: submitted, framed, answered (CONNAC_ACT_COMPLETE);
 *   2. keys around an MLO roam (openwrt/mt76 #1036): the core sends the
 *      BSS cipher and the key frames (CONNAC_ACT_SEND); removing the keys of
 *      the torn-down link succeeds with no MCU traffic;
 *   3. the firmware hangs with the five #1036 commands queued: the core
 *      times out the first, fails the one in flight at once and refuses the
 *      queued ones; it asks for the reset steps (CONNAC_ACT_RUN_STEP), sends
 *      the restore (device, the roam's link, not the torn-down one) and the
 *      keys again, and commands flow. Measured with ktime; time is scaled by
 *      time_scale (default 10: mt7925's 3 s timeout lasts 300 ms).
 *
 * There is no firmware here: the "bus" below answers every frame as the
 * device would (a UNI RESULT in the mt7925 event layout) while the firmware
 * lives, swallows them while it hangs, and a reset step takes the time the
 * simulator gives it (WFSYS 55 ms, each firmware-load step 37.5 ms, scaled),
 * as a driver's register polls would.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/minmax.h>
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

#define EX_DEV_INFO_UPDATE 0x00020001
#define EX_BSS_INFO_UPDATE 0x00020002
#define EX_STA_REC_UPDATE 0x00020003
#define EX_CMDS 8		/* host commands this example tracks */
#define EX_EVENT_SIZE 52	/* 44-byte RXD + UNI RESULT {cid, pad, le32} */

/* How long each reset step takes on the device, in firmware time (us). */
static const unsigned int ex_step_us[CONNAC_STEPS] = {
	55000, 37500, 37500, 37500, 37500, 0,
};

/* One host command and how it ended. */
struct ex_cmd {
	struct connac_ticket t;
	bool ended;
	int result;		/* firmware status or -errno */
};

/* What a driver's device struct holds for the core. */
struct ex_dev {
	struct connac_dev core;		/* embedded opaque state */
	struct mutex mcu_mutex;		/* serialises every core call */
	ktime_t t0;
	struct connac_action act;	/* holds key bytes: wiped after each */
	u8 frame[CONNAC_KEY_FRAME_SIZE];/* holds key frames: wiped after each */
	u8 event[EX_EVENT_SIZE];
	/* The bus: frames the device will answer (seq, cid). */
	struct { u8 seq, cid; } answers[16];
	unsigned int n_answers;
	bool fw_alive;
	unsigned int frames;		/* sent on the bus */
	unsigned int key_frames;
	unsigned int bss_ciphers;	/* BSS_INFO before a link's first key */
	unsigned int restore_frames;
	struct ex_cmd cmds[EX_CMDS];
	unsigned int n_cmds;
	unsigned int payload_offset, payload_len;	/* of the last COMPLETE */
	/* What the core's actions made this driver do. */
	unsigned int key_ops;
	int key_status;
	bool step_due;
	unsigned int step;
	unsigned int steps;
	ktime_t dead_at;
	ktime_t running_at;
	bool reported;
	bool wedged;
	bool tx_stopped;
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
	else if (level <= CONNAC_LOG_INFO)
		pr_info("core: %s %lld\n", msg, arg);
	else
		pr_debug("core: %s %lld\n", msg, arg);
}

/* The core's clock: monotonic ns since load, times time_scale. */
static s64 ex_now(struct ex_dev *d)
{
	return ktime_to_ns(ktime_sub(ktime_get(), d->t0)) * time_scale;
}

/*
 * The bus: a frame with sequence number @seq goes to the device, which
 * answers it later (ex_pump()) while it lives.
 */
static void ex_bus_send(struct ex_dev *d, u8 seq, u32 cmd, long len)
{
	d->frames++;
	memzero_explicit(d->frame, sizeof(d->frame));
	if (len < 0 || !d->fw_alive || d->n_answers == ARRAY_SIZE(d->answers))
		return;
	d->answers[d->n_answers].seq = seq;
	d->answers[d->n_answers].cid = cmd & 0xff;
	d->n_answers++;
}

/* An mt7925 UNI result event for @seq: 44-byte RXD, {cid, 3 pad, le32 0}. */
static unsigned int ex_answer(u8 *ev, u8 seq, u8 cid)
{
	memset(ev, 0, EX_EVENT_SIZE);
	ev[0] = EX_EVENT_SIZE;		/* RXD DW0: length ... */
	ev[3] = 0x38;			/* ... and PKT_TYPE_RX_EVENT (7 << 27) */
	ev[32] = EX_EVENT_SIZE - 32;	/* len, from the end of the HW RXD */
	ev[36] = 0x01;			/* eid: UNI result */
	ev[37] = seq;
	ev[38] = 0x02;			/* option: UNI event */
	ev[44] = cid;			/* status 0 at 48..51 */
	return EX_EVENT_SIZE;
}

static struct ex_cmd *ex_cmd_of(struct ex_dev *d, const struct connac_ticket *t)
{
	unsigned int i;

	for (i = 0; i < d->n_cmds; i++)
		if (!d->cmds[i].ended && connac_ticket_eq(&d->cmds[i].t, t))
			return &d->cmds[i];
	return NULL;
}

/* SEND: the frame the core needs, built as the driver builds it. */
static void ex_send_for_core(struct ex_dev *d, const struct connac_action *a)
{
	u8 p[8] = { 0 };
	unsigned int plen = 4;
	long len;

	if (!a->is_restore && a->key.kind == CONNAC_KEY_ACTION_KEY) {
		d->key_frames++;
		len = connac_key_action_encode(CONNAC_MT7925, &a->key,
					       a->ticket.seq, d->frame,
					       sizeof(d->frame));
	} else {
		/* The BSS cipher's BSS_INFO, or a restore item's command. */
		d->restore_frames += a->is_restore;
		d->bss_ciphers += !a->is_restore;
		p[0] = a->is_restore ? a->restore.bss_idx : a->key.bss_idx;
		if (a->is_restore && a->restore.kind == CONNAC_RESTORE_STA) {
			p[1] = a->restore.wcid;	/* sta_req_hdr */
			p[4] = 1;
			plen = sizeof(p);
		}
		len = connac_frame_encode(CONNAC_MT7925, a->cmd, a->ticket.seq,
					  0, p, plen, d->frame,
					  sizeof(d->frame));
	}
	ex_bus_send(d, a->ticket.seq, a->cmd, len);
	if (len < 0)	/* not sent: the core takes it as a failed command */
		connac_dev_on_command_result(&d->core, &a->ticket, (int)len,
					     ex_now(d));
}

static void ex_execute(struct ex_dev *d, const struct connac_action *a)
{
	struct ex_cmd *c;

	switch (a->kind) {
	case CONNAC_ACT_COMPLETE:
	case CONNAC_ACT_FAIL:
		c = ex_cmd_of(d, &a->ticket);
		if (c) {
			c->ended = true;
			c->result = a->status;
		}
		d->payload_offset = a->payload_offset;
		d->payload_len = a->payload_len;
		break;
	case CONNAC_ACT_SEND:
		ex_send_for_core(d, a);
		break;
	case CONNAC_ACT_KEY_OP_DONE:
		d->key_ops++;
		d->key_status = a->status;
		break;
	case CONNAC_ACT_STOP_TX:		/* ieee80211_stop_queues() */
		d->tx_stopped = true;
		if (!d->dead_at)
			d->dead_at = ktime_get();
		break;
	case CONNAC_ACT_RESUME_TX:		/* ieee80211_wake_queues() */
		d->tx_stopped = false;
		break;
	case CONNAC_ACT_RUN_STEP:		/* queue_work(reset_work) */
		d->step = a->step;
		d->step_due = true;
		break;
	case CONNAC_ACT_REPORT:
		d->reported = true;
		d->wedged = a->wedged;
		d->running_at = ktime_get();
		break;
	}
}

/* After every input: every action. mcu_mutex held. */
static void ex_drain(struct ex_dev *d)
{
	while (connac_dev_next_action(&d->core, &d->act) > 0)
		ex_execute(d, &d->act);
	memzero_explicit(&d->act, sizeof(d->act));
}

/* The device's answers reach the rx path, one event at a time. */
static void ex_pump(struct ex_dev *d)
{
	unsigned int i, n;

	while (d->n_answers) {
		n = ex_answer(d->event, d->answers[0].seq, d->answers[0].cid);
		for (i = 1; i < d->n_answers; i++)
			d->answers[i - 1] = d->answers[i];
		d->n_answers--;
		if (connac_dev_on_event(&d->core, d->event, n, ex_now(d)))
			break;
		ex_drain(d);
	}
}

/*
 * Submits @cmd, frames it and puts it on the bus. Returns the index of the
 * command, or -ESHUTDOWN: the firmware is dead and the core refused it.
 */
static int ex_submit(struct ex_dev *d, unsigned int cmd)
{
	static const u8 payload[4];	/* bss_idx 0 */
	struct ex_cmd *c;
	long len;
	int ret;

	if (d->n_cmds == EX_CMDS)
		return -ENOSPC;
	c = &d->cmds[d->n_cmds];
	ret = connac_dev_submit(&d->core, cmd, CONNAC_ORIGIN_STACK, ex_now(d),
				&c->t);
	if (ret)
		return ret;
	len = connac_frame_encode(CONNAC_MT7925, cmd, c->t.seq, 0, payload,
				  sizeof(payload), d->frame, sizeof(d->frame));
	ex_bus_send(d, c->t.seq, cmd, len);
	if (len < 0) {
		connac_dev_on_command_result(&d->core, &c->t, (int)len, ex_now(d));
		ex_drain(d);
	}
	return d->n_cmds++;
}

/* Step 1: one command, framed, answered. */
static int ex_command(struct ex_dev *d)
{
	const char *kind, *name = connac_cmd_name(EX_BSS_INFO_UPDATE, &kind);
	struct ex_cmd *c;
	int i;

	mutex_lock(&d->mcu_mutex);
	i = ex_submit(d, EX_BSS_INFO_UPDATE);
	if (i >= 0)
		ex_pump(d);
	mutex_unlock(&d->mcu_mutex);
	if (i < 0)
		return i;
	c = &d->cmds[i];
	pr_info("command: %s %s (%08x) seq %u, answered: %s, firmware status %d, payload %u bytes at offset %u of the event\n",
		kind, name ? name : "?", EX_BSS_INFO_UPDATE, c->t.seq,
		c->ended ? "COMPLETE" : "no", c->result, d->payload_len,
		d->payload_offset);
	return c->ended && !c->result ? 0 : -EPROTO;
}

/* mac80211 set_key: the core sends the frames; the answers finish it. */
static int ex_key(struct ex_dev *d, unsigned int cmd, u32 cipher, u8 idx,
		  s8 link, u8 base)
{
	struct connac_key_conf k = {
		.cipher = cipher, .keyidx = idx, .link_id = link, .key_len = 16,
	};
	unsigned int ops = d->key_ops;
	int i, ret;

	for (i = 0; i < 16; i++)
		k.key[i] = base + i;
	ret = connac_dev_set_key(&d->core, cmd, &k, ex_now(d));
	memzero_explicit(&k, sizeof(k));
	if (ret)
		return ret;
	ex_drain(d);
	ex_pump(d);
	return d->key_ops == ops + 1 ? d->key_status : -EPROTO;
}

/* A link or station input: its key operation (cached keys) runs the same way. */
static int ex_done(struct ex_dev *d, int ret)
{
	if (ret)
		return ret;
	ex_drain(d);
	ex_pump(d);
	return 0;
}

/* Step 2: keys around an MLO roam from link 0 to link 1. */
static int ex_roam(struct ex_dev *d)
{
	static const u8 addr[6] = { 0x02, 0xde, 0x00, 0x00, 0x00, 0x00 };
	u8 bssid[6] = { 0x02, 0xb0, 0x55, 0x1d, 0x00, 0x00 };
	u8 ap[6] = { 0x02, 0xa9, 0x00, 0x00, 0x00, 0x00 };
	unsigned int before, removal_frames;
	int ret, gtk_ret, igtk_ret;

	mutex_lock(&d->mcu_mutex);
	ret = connac_dev_set_device(&d->core, addr) ?:
	      ex_done(d, connac_dev_link_add(&d->core, 0, bssid, ex_now(d), NULL)) ?:
	      ex_done(d, connac_dev_sta_add(&d->core, 0, ap, ex_now(d))) ?:
	      connac_dev_link_associated(&d->core, 0, ap, 1) ?:
	      ex_key(d, CONNAC_KEY_SET, CONNAC_SUITE_CCMP, 0, -1, 0x50) ?:
	      ex_key(d, CONNAC_KEY_SET, CONNAC_SUITE_CCMP, 1, 0, 0xc0) ?:
	      ex_key(d, CONNAC_KEY_SET, CONNAC_SUITE_AES_CMAC, 4, 0, 0xa0);
	if (ret)
		goto out;
	/* Roam: link 1 comes up; the pairwise key follows the new station. */
	bssid[5] = 1;
	ap[5] = 1;
	ret = ex_done(d, connac_dev_link_add(&d->core, 1, bssid, ex_now(d), NULL)) ?:
	      ex_done(d, connac_dev_sta_add(&d->core, 1, ap, ex_now(d))) ?:
	      ex_key(d, CONNAC_KEY_SET, CONNAC_SUITE_CCMP, 1, 1, 0xd0) ?:
	      connac_dev_link_associated(&d->core, 1, ap, 1);
	if (ret)
		goto out;
	/* Link 0 is torn down before mac80211 removes its group keys. */
	connac_dev_sta_remove(&d->core, 0);
	connac_dev_link_remove(&d->core, 0);
	before = d->frames;
	gtk_ret = ex_key(d, CONNAC_KEY_DISABLE, CONNAC_SUITE_CCMP, 1, 0, 0xc0);
	igtk_ret = ex_key(d, CONNAC_KEY_DISABLE, CONNAC_SUITE_AES_CMAC, 4, 0,
			  0xa0);
	removal_frames = d->frames - before;
	pr_info("roam: %u key frames, each link's first after its BSS_INFO with the cipher (%u), for link 0 then link 1; removing GTK 1 and IGTK 4 of the torn-down link 0 returned %d and %d with %u MCU frames (the #1036 driver returned -22)\n",
		d->key_frames, d->bss_ciphers, gtk_ret, igtk_ret,
		removal_frames);
	ret = gtk_ret ?: igtk_ret ?: (removal_frames || d->key_frames != 5 ||
				     d->bss_ciphers != 2 ? -EPROTO : 0);
out:
	mutex_unlock(&d->mcu_mutex);
	return ret;
}

/*
 * The timer: sleeps to the core's next deadline (or @cap_ms), then ticks.
 * Returns false when nothing is due.
 */
static bool ex_timer(struct ex_dev *d)
{
	s64 deadline, wait;

	mutex_lock(&d->mcu_mutex);
	deadline = connac_dev_next_deadline(&d->core);
	mutex_unlock(&d->mcu_mutex);
	if (deadline == CONNAC_NEVER)
		return false;
	wait = deadline - ex_now(d);
	if (wait > 0)
		msleep(div_s64(wait, (s64)time_scale * NSEC_PER_MSEC) + 1);
	mutex_lock(&d->mcu_mutex);
	connac_dev_on_tick(&d->core, ex_now(d));
	ex_drain(d);
	ex_pump(d);
	mutex_unlock(&d->mcu_mutex);
	return true;
}

/*
 * The reset work: runs each step the core asks for and reports it. A step is
 * the time the device takes (a driver polls its registers meanwhile); once
 * READY succeeds the firmware answers again, so the core's restore goes out.
 */
static void ex_reset_work(struct ex_dev *d)
{
	unsigned int step;

	for (;;) {
		mutex_lock(&d->mcu_mutex);
		step = d->step;
		if (!d->step_due) {
			mutex_unlock(&d->mcu_mutex);
			return;
		}
		d->step_due = false;
		mutex_unlock(&d->mcu_mutex);
		fsleep(ex_step_us[step] / time_scale);
		mutex_lock(&d->mcu_mutex);
		d->steps++;
		if (step == CONNAC_STEP_WFSYS)
			d->n_answers = 0;	/* the old firmware's are gone */
		if (step == CONNAC_STEP_READY)
			d->fw_alive = true;
		connac_dev_on_step_result(&d->core, step, 1, ex_now(d));
		ex_drain(d);
		ex_pump(d);
		mutex_unlock(&d->mcu_mutex);
	}
}

/*
 * Step 3: the five commands of #1036 meet a firmware that stopped
 * answering. One context sends the first, a second context the next a
 * third of a timeout later, the other three wait in the driver's queue.
 */
static int ex_hang(struct ex_dev *d)
{
	static const unsigned int cmds[] = {
		EX_BSS_INFO_UPDATE, EX_STA_REC_UPDATE, EX_BSS_INFO_UPDATE,
		EX_BSS_INFO_UPDATE, EX_DEV_INFO_UPDATE,
	};
	unsigned int i, timed_out = 0, failed = 0, refused = 0;
	s64 timeout_ms, real_timeout_ms;
	struct connac_counters c;
	int first = -1, second = -1, ret = 0, state, after;
	ktime_t hang, all;

	timeout_ms = div_s64(connac_cmd_timeout_ns(CONNAC_MT7925, cmds[0]),
			     NSEC_PER_MSEC);
	real_timeout_ms = div_s64(timeout_ms, time_scale);
	mutex_lock(&d->mcu_mutex);
	d->fw_alive = false;
	hang = ktime_get();
	first = ex_submit(d, cmds[0]);
	mutex_unlock(&d->mcu_mutex);
	msleep(real_timeout_ms / 3);
	mutex_lock(&d->mcu_mutex);
	second = ex_submit(d, cmds[1]);
	mutex_unlock(&d->mcu_mutex);
	if (first < 0 || second < 0)
		return -EPROTO;

	/* Nothing answers: the timer fires at each deadline until the core acts. */
	while (!d->dead_at && ex_timer(d))
		;
	/* The queued commands are refused at once instead of each timing out. */
	mutex_lock(&d->mcu_mutex);
	for (i = 2; i < ARRAY_SIZE(cmds); i++)
		refused += ex_submit(d, cmds[i]) == -ESHUTDOWN;
	mutex_unlock(&d->mcu_mutex);
	all = ktime_get();
	timed_out = (d->cmds[first].ended && d->cmds[first].result == -ETIMEDOUT) +
		    (d->cmds[second].ended && d->cmds[second].result == -ETIMEDOUT);
	failed = (d->cmds[first].ended && d->cmds[first].result == -ESHUTDOWN) +
		 (d->cmds[second].ended && d->cmds[second].result == -ESHUTDOWN);

	/* The reset work: the steps the core asks for, its restore, RUNNING. */
	ex_reset_work(d);
	mutex_lock(&d->mcu_mutex);
	state = connac_dev_state(&d->core);
	connac_dev_get_counters(&d->core, &c, sizeof(c));
	after = ex_submit(d, EX_BSS_INFO_UPDATE);
	if (after >= 0)
		ex_pump(d);
	mutex_unlock(&d->mcu_mutex);

	pr_info("recovery: the %zu #1036 commands on a hung firmware: %u timed out after %lld ms (%lld ms firmware time / %u), %u more in flight failed at once by the core, %u queued refused unsent (-ESHUTDOWN)\n",
		ARRAY_SIZE(cmds), timed_out, ktime_ms_delta(d->dead_at, hang),
		timeout_ms, time_scale, failed, refused);
	pr_info("recovery: all %zu done %lld ms after the hang, where one timeout after another (the driver today) takes %zu x %lld = %lld ms\n",
		ARRAY_SIZE(cmds), ktime_ms_delta(all, hang), ARRAY_SIZE(cmds),
		real_timeout_ms, ARRAY_SIZE(cmds) * real_timeout_ms);
	pr_info("recovery: the core ran %u reset steps and was %s %lld ms after declaring the firmware dead; it restored %u items (device, link 1's BSS and station; not the torn-down link 0) and replayed %u keys; a new command: %s\n",
		d->steps, connac_state_name(state),
		d->reported ? ktime_ms_delta(d->running_at, d->dead_at) : -1LL,
		c.restore_items, c.keys_replayed,
		after >= 0 && d->cmds[after].ended ?
		connac_errno_name(d->cmds[after].result) : "not answered");
	if (timed_out != 1 || failed != 1 || refused != 3 || !d->reported ||
	    d->wedged || d->tx_stopped || state != CONNAC_STATE_RUNNING ||
	    c.recoveries != 1 || c.restore_items != 3 || c.keys_replayed != 2 ||
	    after < 0 || !d->cmds[after].ended || d->cmds[after].result)
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
	ex->fw_alive = true;

	ret = ex_command(ex) ?: ex_roam(ex) ?: ex_hang(ex);
	pr_info("report: %s (core API %d, state %lu of %d bytes embedded in this driver's struct)\n",
		ret ? "FAILED" : "ok", CONNAC_API_VERSION,
		connac_dev_state_bytes(), CONNAC_DEV_SIZE);
	return 0;
}

static void __exit ex_exit(void)
{
	/* Key bytes may sit in the action, the frame buffer and the core's slots. */
	memzero_explicit(&ex->act, sizeof(ex->act));
	memzero_explicit(ex->frame, sizeof(ex->frame));
	connac_dev_destroy(&ex->core);
	kfree_sensitive(ex);
}

module_init(ex_init);
module_exit(ex_exit);

MODULE_DESCRIPTION("connac core example consumer: a command, keys around a roam, recovery from a hang, all as I/O for connac::Device");
MODULE_LICENSE("GPL");
