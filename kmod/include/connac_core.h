/* SPDX-License-Identifier: GPL-2.0 */
/*
 * connac_core.h - the C API of the connac core (connac_core.ko).
 *
 * Why: mt76-style drivers are C; the connac core is header-only C++. This is
 * the only contract between them: plain C, no kernel and no C++ headers, so
 * the C++ glue (connac_glue.cc), other modules and the userspace tests all
 * read the same declarations. Every function declared here is
 * EXPORT_SYMBOL_GPL from connac_core.ko; the export list is generated from
 * this file at build time (kmod/scripts/gen_exports.sh), so a function is
 * declared once, here, and implemented once, in the glue.
 *
 * One object: struct connac_dev is a connac::Device (core/include/connac/
 * device.h). A driver feeds it inputs (a command to send, an event from the
 * device, a timer, a reset step's result, mac80211's link and key calls) and
 * executes the actions it hands out, one at a time, through
 * connac_dev_next_action(). The recovery procedure (fail fast when the
 * firmware is dead, run the reset steps, restore and replay the keys) is
 * decided inside the core; the driver only does the I/O.
 *
 *   struct connac_action a;
 *
 *   connac_dev_on_event(dev, ev, len, ktime_get_ns());
 *   while (connac_dev_next_action(dev, &a) > 0)
 *           my_execute(drv, &a);             (switch on a.kind)
 *   mod_timer(&drv->timer, deadline of connac_dev_next_deadline(dev));
 *
 * Rules of the API:
 *  - Errors are 0 or a negative errno (-EINVAL, -EBADMSG, ...). Nothing here
 *    panics or is noreturn; a broken invariant inside the core is reported
 *    with WARN_ONCE() by the shim and the call returns an error.
 *  - The caller is untrusted like the device: pointers, sizes and list
 *    counts are checked; an operation that does not fit changes nothing.
 *  - The per-device state is opaque: callers embed (or allocate) struct
 *    connac_dev, CONNAC_DEV_SIZE bytes, CONNAC_DEV_ALIGN aligned, call
 *    connac_dev_init() once and connac_dev_destroy() when done. The core
 *    never allocates. It holds no pointer into itself: a driver may move it
 *    (memcpy into a new allocation) and go on with the copy.
 *  - The core is sans-I/O: it never sleeps, locks, reads a clock or sends.
 *    Times are the host's monotonic nanoseconds (ktime_get_ns()), passed in.
 *  - Calls on one connac_dev must be serialised by the host (the driver's
 *    mutex), and the actions of each input drained before the next input.
 *  - Integer widths: unsigned char 8, unsigned short 16, unsigned int 32,
 *    long long 64 bits, unsigned long the pointer width (LP64 kernels).
 *
 * Compatibility: CONNAC_API_VERSION changes when an existing declaration
 * changes meaning. Version 2 replaced version 1's separate in-flight table,
 * key table, sequencer and restore-record functions (connac_txn_*,
 * connac_key_* on a device, connac_seq_*, connac_restore_*) with the one
 * device of connac_dev_*: a host no longer wires them together itself
 * (docs/kmod.md says how to move). Structs that may grow carry their own
 * size, and grow only at their end.
 */
#ifndef CONNAC_CORE_H
#define CONNAC_CORE_H

#ifdef __cplusplus
extern "C" {
#define CONNAC_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#define CONNAC_ALIGNAS(n) alignas(n)
#else
#define CONNAC_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#define CONNAC_ALIGNAS(n) _Alignas(n)
#endif

#define CONNAC_API_VERSION 2

/* ---------------------------------------------------------------------------
 * Types shared with the core.
 */

/* Driver families (the core's connac::Profile). */
enum connac_family {
	CONNAC_MT7921 = 0,
	CONNAC_MT7925 = 1,
	CONNAC_MT7996 = 2,
};

/* Log levels, as the kernel's (KERN_ERR = 3 ... KERN_DEBUG = 7). */
#define CONNAC_LOG_ERR 3
#define CONNAC_LOG_WARNING 4
#define CONNAC_LOG_INFO 6
#define CONNAC_LOG_DEBUG 7

#define CONNAC_MAX_SEQ 15
#define CONNAC_UNI_HEADER_SIZE 48
#define CONNAC_LEGACY_HEADER_SIZE 64
#define CONNAC_MAX_MLO_LINKS 15
#define CONNAC_KEY_MAX_LEN 32
#define CONNAC_KEY_FRAME_SIZE 124	/* one STA_REC_UPDATE with KEY_V3 */
/* connac_dev_next_deadline() when nothing is due. */
#define CONNAC_NEVER 0x7fffffffffffffffLL

/* IEEE 802.11 cipher suites as mac80211 passes them. */
#define CONNAC_SUITE_TKIP 0x000fac02u
#define CONNAC_SUITE_CCMP 0x000fac04u
#define CONNAC_SUITE_AES_CMAC 0x000fac06u
#define CONNAC_SUITE_GCMP 0x000fac08u
#define CONNAC_SUITE_GCMP_256 0x000fac09u
#define CONNAC_SUITE_CCMP_256 0x000fac0au

/* Names one command in flight. Copy it freely; compare with connac_ticket_eq(). */
struct connac_ticket {
	unsigned char slot;
	unsigned char seq;		/* the MCU seq to send it with, 1..15 */
	unsigned short rsv;
	unsigned int generation;
	unsigned int cmd;		/* the driver's command word */
};

static inline int connac_ticket_eq(const struct connac_ticket *a,
				   const struct connac_ticket *b)
{
	return a->slot == b->slot && a->seq == b->seq &&
	       a->generation == b->generation;
}

/* The parts of mac80211's ieee80211_key_conf the core uses. */
struct connac_key_conf {
	unsigned int cipher;		/* suite selector */
	unsigned char keyidx;		/* 0..7 */
	signed char link_id;		/* -1: pairwise; 0..14: group key */
	unsigned char key_len;
	unsigned char rsv;
	unsigned char key[CONNAC_KEY_MAX_LEN];
};

/* connac_key_action.kind */
enum connac_key_action_kind {
	CONNAC_KEY_ACTION_KEY = 0,	/* STA_REC_UPDATE with KEY_V3: encode
					 * with connac_key_action_encode()
					 */
	CONNAC_KEY_ACTION_BSS_CIPHER = 1, /* the link's BSS_INFO_UPDATE,
					   * carrying @cipher_id: the driver
					   * builds it (mt7925_mcu_add_bss_info)
					   */
};

/*
 * One key command (the core's connac::KeyAction, checked field by field by
 * the glue). Holds key bytes: wipe it once encoded.
 */
struct connac_key_action {
	unsigned char link_id;
	unsigned char wcid;
	unsigned char bss_idx;
	unsigned char muar_idx;
	unsigned char add;		/* 1 SET, 0 DISABLE */
	unsigned char pairwise;
	unsigned char cipher_id;	/* CONNAC3 cipher id */
	unsigned char key_id;
	unsigned char key_len;
	unsigned char peer[6];
	unsigned char key[CONNAC_KEY_MAX_LEN];
	unsigned char kind;		/* enum connac_key_action_kind */
};

/* What a restore command re-programs (connac_action.restore). */
enum connac_restore_kind {
	CONNAC_RESTORE_DEVICE = 0,	/* DEV_INFO_UPDATE for @addr */
	CONNAC_RESTORE_BSS = 1,		/* BSS_INFO_UPDATE @bss_idx, BSSID @addr,
					 * cipher @cipher
					 */
	CONNAC_RESTORE_STA = 2,		/* STA_REC_UPDATE @wcid, peer @addr */
};

struct connac_restore_item {
	unsigned char kind;		/* enum connac_restore_kind */
	unsigned char link;		/* BSS, STA: MLO link */
	unsigned char bss_idx;		/* BSS, STA */
	unsigned char wcid;		/* STA: WTBL index */
	unsigned char cipher;		/* BSS: CONNAC3 cipher of its keys, 0 none */
	unsigned char active;		/* BSS: the link in use */
	unsigned char addr[6];		/* device address, BSSID or peer */
};

/* Reset steps the host performs (connac::ResetStep), in order. */
enum connac_step {
	CONNAC_STEP_WFSYS = 0,
	CONNAC_STEP_SEMAPHORE = 1,
	CONNAC_STEP_PATCH = 2,
	CONNAC_STEP_RAM = 3,
	CONNAC_STEP_READY = 4,
	CONNAC_STEP_RESTORE = 5,	/* run by the core itself (SEND actions) */
};
#define CONNAC_STEPS 6

/* The device's state (connac::ResetState), in its order. */
enum connac_state {
	CONNAC_STATE_RUNNING = 0,
	CONNAC_STATE_PROBING = 1,
	CONNAC_STATE_WFSYS_RESET = 2,
	CONNAC_STATE_FW_SEMAPHORE = 3,
	CONNAC_STATE_FW_PATCH = 4,
	CONNAC_STATE_FW_RAM = 5,
	CONNAC_STATE_FW_READY = 6,
	CONNAC_STATE_RESTORE = 7,
	CONNAC_STATE_BACKOFF = 8,
	CONNAC_STATE_HOLD_OFF = 9,
	CONNAC_STATE_WEDGED = 10,
};

/* What triggered an episode (connac::ResetCause). */
enum connac_cause {
	CONNAC_CAUSE_TIMEOUT = 0,
	CONNAC_CAUSE_ASSERT = 1,
	CONNAC_CAUSE_PROBE = 2,
	CONNAC_CAUSE_REQUEST = 3,
};
#define CONNAC_CAUSES 4

/* ---------------------------------------------------------------------------
 * The device.
 */

/* Bytes and alignment of struct connac_dev; connac_dev_state_bytes() says
 * how much of it the core uses.
 */
#define CONNAC_DEV_SIZE 4096
#define CONNAC_DEV_ALIGN 8

struct connac_dev {
	CONNAC_ALIGNAS(CONNAC_DEV_ALIGN) unsigned char opaque[CONNAC_DEV_SIZE];
};

CONNAC_STATIC_ASSERT(sizeof(struct connac_dev) == CONNAC_DEV_SIZE,
		     "struct connac_dev size");
CONNAC_STATIC_ASSERT(__alignof__(struct connac_dev) == CONNAC_DEV_ALIGN,
		     "struct connac_dev alignment");

/* connac_dev_init() flags. */
#define CONNAC_DEV_PAIRWISE_BEFORE_GROUP 0x1u /* defer group keys (ath12k quirk) */

/*
 * What the core needs from its host. Fill it with connac_host_ops_init()
 * (sets ->size and ->version) and then the callbacks you have; NULL means
 * "not provided". The core copies the struct in connac_dev_init().
 *
 * @log:   a static message and one number (a command word, a link, a count);
 *         a message ending in "0x" wants @arg printed in hex. Called with
 *         the host's lock held; must not sleep or call back into the core.
 * @probe: asks the host whether the firmware still answers (read a register):
 *         0 alive, negative errno otherwise. Called only when the liveness
 *         probe is configured (connac_dev_set_config(), suspect_ns > 0; off by
 *         default), with the host's lock held: must not sleep. When NULL, the
 *         host gets CONNAC_ACT_PROBE and answers connac_dev_on_probe_result().
 *
 * New members are appended after @probe, never inserted.
 */
struct connac_host_ops {
	unsigned int size;	/* sizeof(struct connac_host_ops) of the caller */
	unsigned int version;	/* CONNAC_API_VERSION of the caller */
	void *ctx;		/* passed back to every callback */
	void (*log)(void *ctx, int level, const char *msg, long long arg);
	int (*probe)(void *ctx);
};

/* The smallest ops a caller may pass: everything up to and including @log. */
#define CONNAC_HOST_OPS_MIN_SIZE \
	((unsigned int)__builtin_offsetof(struct connac_host_ops, probe))

static inline void connac_host_ops_init(struct connac_host_ops *ops)
{
	__builtin_memset(ops, 0, sizeof(*ops));
	ops->size = sizeof(*ops);
	ops->version = CONNAC_API_VERSION;
}

/* connac_action.kind, one per thing the host must do. */
enum connac_action_kind {
	CONNAC_ACT_NONE = 0,
	CONNAC_ACT_COMPLETE = 1,	/* your command @ticket was answered:
					 * firmware @status, payload at
					 * @payload_offset/@payload_len of the
					 * last event you passed in
					 */
	CONNAC_ACT_FAIL = 2,		/* your command @ticket failed: @status
					 * -ETIMEDOUT or -ESHUTDOWN (the firmware
					 * was declared dead: fail fast)
					 */
	CONNAC_ACT_UNSOLICITED = 3,	/* the last event is unsolicited:
					 * dispatch it by eid (@payload_offset
					 * 0, @payload_len: the whole event)
					 */
	CONNAC_ACT_SEND = 4,		/* send @cmd with @ticket.seq: @key when
					 * !@is_restore, else @restore; report
					 * the end with connac_dev_on_event() or
					 * connac_dev_on_command_result()
					 */
	CONNAC_ACT_KEY_OP_DONE = 5,	/* the key operation ended: @status 0,
					 * or the error that undid it (its
					 * rollback was sent)
					 */
	CONNAC_ACT_STOP_TX = 6,		/* stop the data queues */
	CONNAC_ACT_RESUME_TX = 7,	/* wake the data queues */
	CONNAC_ACT_RUN_STEP = 8,	/* run reset @step; report with
					 * connac_dev_on_step_result()
					 */
	CONNAC_ACT_PROBE = 9,		/* probe the firmware; report with
					 * connac_dev_on_probe_result()
					 */
	CONNAC_ACT_REPORT = 10,		/* an episode ended (connac_dev_get_report());
					 * @wedged: terminal, the device needs a
					 * rebind and mac80211 must drop the
					 * association (the keys were cleared)
					 */
};

/* One action. Holds key bytes (@key): wipe it once encoded. */
struct connac_action {
	unsigned int kind;		/* enum connac_action_kind */
	unsigned int step;		/* RUN_STEP: enum connac_step */
	int status;			/* COMPLETE, FAIL, KEY_OP_DONE */
	unsigned int cmd;		/* SEND: the command word */
	struct connac_ticket ticket;	/* COMPLETE, FAIL, SEND */
	unsigned int payload_offset;	/* COMPLETE, UNSOLICITED: into the event */
	unsigned int payload_len;
	unsigned char is_restore;	/* SEND: @restore, not @key */
	unsigned char wedged;		/* REPORT */
	unsigned char rsv[2];
	struct connac_restore_item restore;
	struct connac_key_action key;
};

/* connac_dev_submit() origin. */
#define CONNAC_ORIGIN_STACK 0	/* admitted only while RUNNING or PROBING */
#define CONNAC_ORIGIN_RESTORE 1	/* your own extra command for a restore
				 * item: admitted during RESTORE
				 */

/* connac::ResetConfig: timings and limits (defaults in docs/reset.md). Read
 * with connac_dev_get_config(), change, write back. @size is how much of it
 * the caller knows.
 */
struct connac_config {
	unsigned int size;
	unsigned char hold_off_after;	/* failures before a hold-off, 0: never */
	unsigned char wedge_after;	/* failures before WEDGED, >= 1 */
	unsigned short rsv;
	long long suspect_ns;		/* probe after this long; 0: no probe */
	long long probe_window_ns;
	long long step_watchdog_ns[CONNAC_STEPS];
	long long backoff_ns[4];	/* by failures so far; the last repeats */
	long long hold_off_ns;
	long long healthy_decay_ns;	/* RUNNING this long forgets failures */
};

/* The smallest @size connac_dev_set_config() takes: version 2's struct. */
#define CONNAC_CONFIG_MIN_SIZE \
	((unsigned int)(__builtin_offsetof(struct connac_config, \
					   healthy_decay_ns) + sizeof(long long)))

/* Every counter of the device (in-flight table, sequencer, device). */
struct connac_counters {
	/* in-flight table */
	unsigned int armed;
	unsigned int completed;
	unsigned int timeouts;
	unsigned int stale;
	unsigned int late;
	unsigned int unmatched;
	unsigned int malformed;
	unsigned int canceled;
	unsigned int in_flight;
	unsigned int quarantined;	/* bit n: seq n timed out, no answer yet */
	/* sequencer */
	unsigned int triggers[CONNAC_CAUSES];	/* by enum connac_cause */
	unsigned int coalesced;
	unsigned int episodes;
	unsigned int attempts;
	unsigned int failed_attempts;
	unsigned int step_failures[CONNAC_STEPS];
	unsigned int step_timeouts[CONNAC_STEPS];
	unsigned int crashes_in_restore;
	unsigned int quick_relapses;
	unsigned int recoveries;
	unsigned int hold_offs;
	unsigned int wedged;
	unsigned int probes;
	unsigned int probes_alive;
	unsigned int stale_results;
	unsigned int failures;		/* consecutive failed attempts now */
	/* device */
	unsigned int submitted;
	unsigned int refused;		/* submits while the firmware was dead */
	unsigned int key_ops;
	unsigned int key_ops_failed;
	unsigned int key_frames;
	unsigned int rollback_frames;
	unsigned int restore_items;
	unsigned int keys_replayed;
};

/* The last episode (connac::ResetReport). */
struct connac_report {
	int cause;			/* enum connac_cause */
	unsigned int attempts;
	long long detected_ns;		/* trigger */
	long long ended_ns;		/* recovered or wedged */
	int recovered;			/* 1 recovered, 0 wedged or not ended */
	int rsv;
};

/*
 * Initialises @dev for @family with the host @ops (may be NULL: no logging).
 * Errors: -EINVAL (unknown family or flags, ops->size below
 * CONNAC_HOST_OPS_MIN_SIZE, ops->version of another API).
 */
int connac_dev_init(struct connac_dev *dev, unsigned int family,
		    unsigned int flags, const struct connac_host_ops *ops);

/* Zeroizes @dev, key material included. @dev may be initialised again. */
void connac_dev_destroy(struct connac_dev *dev);

/* Family of an initialised @dev, or -EINVAL. */
int connac_dev_family(const struct connac_dev *dev);

/* Bytes of struct connac_dev the core uses (the rest is spare). */
unsigned long connac_dev_state_bytes(void);

/* ---------------------------------------------------------------------------
 * Inputs. Each returns 0 or -EINVAL (a bad argument, a negative @now_ns:
 * nothing changed); then drain connac_dev_next_action().
 */

/*
 * A command to send: admits it and arms its deadline. Encode it with
 * @t->seq (connac_frame_encode()) and send it; its end comes as
 * CONNAC_ACT_COMPLETE or CONNAC_ACT_FAIL. @origin: CONNAC_ORIGIN_*.
 * Errors: -ESHUTDOWN (the firmware is dead: do not send; counted), -ENOSPC
 * (every slot busy), -EBUSY (every seq in flight or quarantined), -EINVAL.
 */
int connac_dev_submit(struct connac_dev *dev, unsigned int cmd,
		      unsigned int origin, long long now_ns,
		      struct connac_ticket *t);

/*
 * An event from the device (keep @ev until the actions are drained).
 * -EBUSY: the previous event's actions were not asked for yet (call
 * connac_dev_next_action() first); nothing changed.
 */
int connac_dev_on_event(struct connac_dev *dev, const void *ev,
			unsigned long len, long long now_ns);

/*
 * For hosts that match answers themselves (their own framing and waits):
 * the command @t ended with @status (>= 0 or a firmware status: answered;
 * -ETIMEDOUT: its wait ran out, a timeout; another -errno: not sent).
 * Outdated tickets are ignored.
 */
int connac_dev_on_command_result(struct connac_dev *dev,
				 const struct connac_ticket *t, int status,
				 long long now_ns);

/* Time passes: call at connac_dev_next_deadline() (or later). */
int connac_dev_on_tick(struct connac_dev *dev, long long now_ns);

/* Reset @step (enum connac_step) finished; @ok nonzero when it succeeded. */
int connac_dev_on_step_result(struct connac_dev *dev, unsigned int step,
			      int ok, long long now_ns);

/* The liveness probe's answer: @alive nonzero when the firmware answered. */
int connac_dev_on_probe_result(struct connac_dev *dev, int alive,
			       long long now_ns);

/* The host wants a reset (debugfs, a bus error). */
int connac_dev_request_reset(struct connac_dev *dev, long long now_ns);

/* ---------------------------------------------------------------------------
 * mac80211's calls: links, stations, keys. The key-bearing ones start a key
 * operation: its frames come as CONNAC_ACT_SEND and its outcome as
 * CONNAC_ACT_KEY_OP_DONE. One key operation at a time (-EBUSY otherwise).
 * While the firmware is dead nothing is sent: the table changes and the
 * restore replays it.
 */

/* The vif's own address (restored with DEV_INFO). */
int connac_dev_set_device(struct connac_dev *dev, const unsigned char addr[6]);

/*
 * MLO link @link (0..14) added with @bssid: its BSS entry and restore record.
 * Group keys cached for it are sent. *@bss_idx (may be NULL) receives its BSS
 * index. Errors: -EINVAL (link > 14 or already up), -ENOSPC (4 links), -EBUSY.
 */
int connac_dev_link_add(struct connac_dev *dev, unsigned int link,
			const unsigned char bssid[6], long long now_ns,
			unsigned int *bss_idx);

/* @link associated with @peer (the AP's link address); @active: the link in
 * use. Only associated links are restored. -EINVAL if @link was never added.
 */
int connac_dev_link_associated(struct connac_dev *dev, unsigned int link,
			       const unsigned char peer[6], int active);

/* @link torn down: its keys and record go, with no MCU traffic. Idempotent. */
int connac_dev_link_remove(struct connac_dev *dev, unsigned int link);

/* The peer link-station of @link: the pairwise key, if set, is sent to it.
 * Errors: -ENOLINK (link down), -EINVAL, -ENOSPC (no wcid), -EBUSY.
 */
int connac_dev_sta_add(struct connac_dev *dev, unsigned int link,
		       const unsigned char addr[6], long long now_ns);

/* Removes the link-station of @link and zeroizes its keys. Idempotent. */
int connac_dev_sta_remove(struct connac_dev *dev, unsigned int link);

/* connac_dev_set_key() commands. */
#define CONNAC_KEY_SET 0
#define CONNAC_KEY_DISABLE 1

/*
 * mac80211 set_key. SET errors: -EOPNOTSUPP (not offloaded: do it in
 * software), -EINVAL, -ENOSPC, -EBUSY, -ESHUTDOWN (the device is wedged).
 * A DISABLE of a key the firmware does not hold (a torn-down link, a replaced
 * index) is 0 with no frame.
 */
int connac_dev_set_key(struct connac_dev *dev, unsigned int cmd,
		       const struct connac_key_conf *key, long long now_ns);

/* ---------------------------------------------------------------------------
 * Outputs.
 */

/* The next action into @a: 1, or 0 when there is none (then arm the timer),
 * or -EINVAL. Call until it returns 0 after every input.
 */
int connac_dev_next_action(struct connac_dev *dev, struct connac_action *a);

/* When to call connac_dev_on_tick() next, or CONNAC_NEVER. */
long long connac_dev_next_deadline(const struct connac_dev *dev);

/* enum connac_state of @dev, or -EINVAL. */
int connac_dev_state(const struct connac_dev *dev);

/* Copy min(@size, sizeof) bytes of the counters or the last report to the
 * caller; pass sizeof(*c). Errors: -EINVAL.
 */
int connac_dev_get_counters(const struct connac_dev *dev,
			    struct connac_counters *c, unsigned long size);
int connac_dev_get_report(const struct connac_dev *dev,
			  struct connac_report *r, unsigned long size);

/*
 * The reset timings. get: min(@size, sizeof) bytes, ->size says how many.
 * set: cfg->size of them (at least CONNAC_CONFIG_MIN_SIZE; what a longer
 * struct adds is ignored). Set only while the sequencer has seen nothing
 * (no trigger, no probe): -EBUSY afterwards. -EINVAL: cfg->size too small,
 * a watchdog or the probe window <= 0, a negative time, wedge_after 0.
 */
int connac_dev_get_config(const struct connac_dev *dev,
			  struct connac_config *cfg, unsigned long size);
int connac_dev_set_config(struct connac_dev *dev,
			  const struct connac_config *cfg);

/* ---------------------------------------------------------------------------
 * Framing (stateless: the family is an argument).
 */

/* connac_frame_encode() flags. */
#define CONNAC_FRAME_NO_WAIT 0x1u /* mt7996: no response wanted (no ACK bit) */

/*
 * Writes the TXD, the MCU header of command word @cmd with sequence number
 * @seq (1..15), then a copy of @payload into @out. Returns the frame length.
 * Errors: -EINVAL (family, seq, flags or a word with unknown bits),
 * -EMSGSIZE (longer than the 16-bit length fields), -ENOBUFS (@out too
 * small; nothing written).
 */
long connac_frame_encode(unsigned int family, unsigned int cmd,
			 unsigned char seq, unsigned int flags,
			 const void *payload, unsigned long payload_len,
			 void *out, unsigned long out_len);

/* A host-to-device frame taken apart (connac_frame_decode()). */
struct connac_frame_info {
	unsigned int cmd;		/* the driver's command word, rebuilt */
	unsigned char uni;		/* 1: UNI header, 0: legacy */
	unsigned char seq;
	unsigned char option;		/* UNI only */
	unsigned char s2d_index;
	unsigned short len;		/* header len field: frame length - 32 */
	unsigned short header_size;	/* 48 or 64: payload offset */
	unsigned long payload_len;
	const char *reason;		/* -EBADMSG: why (static string) */
};

/* Decodes and checks a frame from any family's filler. Errors: -EBADMSG. */
int connac_frame_decode(const void *frame, unsigned long len,
			struct connac_frame_info *info);

/* Result of connac_parse_response(). */
struct connac_response {
	int fw_status;			/* done: the firmware's status */
	unsigned int payload_offset;	/* done: payload after the RXD */
	unsigned long payload_len;
	const char *reason;		/* stale or malformed: why */
};

/*
 * Applies @family's parse_response rules to event @ev for command @cmd sent
 * with @seq. Returns 0 when it is the answer (r->fw_status is the result),
 * -EAGAIN when it is not ours (keep waiting), -EBADMSG when it is too short
 * to read, -EINVAL for an unknown family.
 */
int connac_parse_response(unsigned int family, unsigned int cmd,
			  unsigned char seq, const void *ev, unsigned long len,
			  struct connac_response *r);

/* Encodes key action @a (CONNAC_KEY_ACTION_KEY) as @family's STA_REC_UPDATE
 * frame with @seq into @out (CONNAC_KEY_FRAME_SIZE bytes). Returns the frame
 * length or -errno: -EINVAL (a BSS-cipher action: the driver builds it; an
 * unknown family or kind, @seq outside 1..15), -ENOBUFS (@out too small).
 * Nothing is written on error.
 */
long connac_key_action_encode(unsigned int family,
			      const struct connac_key_action *a,
			      unsigned char seq, void *out,
			      unsigned long out_len);

/*
 * mt76 name of @cmd without prefix ("BSS_INFO_UPDATE"), or NULL when the id
 * is unknown. *@kind (if non-NULL) is set to "UNI", "EXT", "CE" or "CMD".
 */
const char *connac_cmd_name(unsigned int cmd, const char **kind);

/* The driver's timeout for @cmd on @family in ns, or -EINVAL. */
long long connac_cmd_timeout_ns(unsigned int family, unsigned int cmd);

/* Kernel name of an errno ("EINVAL"; sign ignored), "OK" for 0, else "E?". */
const char *connac_errno_name(int err);

/* "RUNNING", "WFSYS_RESET", ...; "wfsys_reset", "fw_patch", ...; NULL if
 * out of range.
 */
const char *connac_state_name(int state);
const char *connac_step_name(unsigned int step);

#ifdef __cplusplus
}
#endif

#endif /* CONNAC_CORE_H */
