/* SPDX-License-Identifier: GPL-2.0 */
/*
 * connac_core.h - the C API of the connac core (connac_core.ko).
 *
 * Why: mt76-style drivers are C; the connac core is header-only C++. This is
 * the only contract between them: plain C, no kernel and no C++ headers, so
 * the C++ glue (connac_glue.cc), the kernel C shim, other modules and the
 * userspace tests all read the same declarations. Every function is
 * EXPORT_SYMBOL_GPL from connac_core.ko.
 *
 * Rules of the API:
 *  - Errors are 0 or a negative errno (-EINVAL, -EBADMSG, ...). Nothing here
 *    panics or is noreturn; a broken invariant inside the core is reported
 *    with WARN_ONCE() by the shim and the call returns an error.
 *  - The per-device state is opaque: callers embed struct connac_dev in their
 *    own device struct (it is CONNAC_DEV_SIZE bytes, CONNAC_DEV_ALIGN
 *    aligned; both sides check it at compile time), call connac_dev_init()
 *    once and connac_dev_destroy() when done. The core never allocates.
 *  - struct connac_dev is position-independent: it holds no pointer into
 *    itself, so a driver may move it (memcpy into a new allocation, krealloc
 *    of the struct that embeds it) and go on using the new copy. A copy is a
 *    second, independent device with the same state and host ops; destroy
 *    the one you stop using.
 *  - Lists and sizes from the caller are checked: a list whose count is
 *    above its capacity is -EINVAL, and an operation whose actions do not
 *    fit the caller's list is -ENOSPC. Either way nothing changed.
 *  - The core is sans-I/O: it never sleeps, locks, reads a clock or sends.
 *    Times are the host's monotonic nanoseconds (ktime_get_ns()), passed in.
 *  - Calls on one connac_dev must be serialised by the host (the driver's
 *    mcu.mutex); calls that take no connac_dev are reentrant.
 *  - Integer widths: unsigned char 8, unsigned short 16, unsigned int 32,
 *    long long 64 bits, unsigned long the pointer width (LP64 kernels).
 *
 * Compatibility: CONNAC_API_VERSION changes when an existing declaration
 * changes meaning. New functions are added, never changed. The host ops
 * struct grows only at its end; ->size says how much of it the caller knows,
 * so a module built against an older header keeps working. The reset
 * sequencer's functions (connac_seq_*, connac_restore_*) were appended that
 * way; it needs no callback of its own (it returns actions), and its state
 * took most of the reserved part of struct connac_dev.
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

#define CONNAC_API_VERSION 1

/* ---------------------------------------------------------------------------
 * Per-device state.
 */

/* Bytes and alignment of struct connac_dev. The core's state (in-flight
 * table, key slots, reset sequencer, restore record) uses about 4 KiB; see
 * connac_dev_state_bytes() for the exact figure.
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

/* Driver families (the core's connac::Profile). */
enum connac_family {
	CONNAC_MT7921 = 0,
	CONNAC_MT7925 = 1,
	CONNAC_MT7996 = 2,
};

/* connac_dev_init() flags. */
#define CONNAC_DEV_PAIRWISE_BEFORE_GROUP 0x1u /* defer group keys (ath12k quirk) */

/* Log levels, as the kernel's (KERN_ERR = 3 ... KERN_DEBUG = 7). */
#define CONNAC_LOG_ERR 3
#define CONNAC_LOG_WARNING 4
#define CONNAC_LOG_INFO 6
#define CONNAC_LOG_DEBUG 7

/*
 * What the core needs from its host. Fill it with connac_host_ops_init()
 * (sets ->size and ->version) and then the callbacks you have; NULL means
 * "not provided". The core copies the struct in connac_dev_init().
 *
 * @log:   a static message and one number (a command word, a link, a count);
 *         a message ending in "0x" wants @arg printed in hex. Called with
 *         the host's lock held; must not sleep or call back into the core.
 * @probe: asks the host whether the firmware still answers (read a register):
 *         0 alive, negative errno otherwise. Called only by the reset
 *         sequencer, only when the liveness probe is configured
 *         (connac_seq_set_config(), suspect_ns > 0; off by default), with the
 *         host's lock held: must not sleep. When NULL, the host receives
 *         CONNAC_SEQ_ACT_PROBE and answers with connac_seq_on_probe_result().
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

/* Bytes of struct connac_dev the core uses (the rest is reserved). */
unsigned long connac_dev_state_bytes(void);

/* ---------------------------------------------------------------------------
 * Framing (stateless: the family is an argument).
 */

#define CONNAC_MAX_SEQ 15
#define CONNAC_UNI_HEADER_SIZE 48
#define CONNAC_LEGACY_HEADER_SIZE 64

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

/*
 * mt76 name of @cmd without prefix ("BSS_INFO_UPDATE"), or NULL when the id
 * is unknown. *@kind (if non-NULL) is set to "UNI", "EXT", "CE" or "CMD".
 */
const char *connac_cmd_name(unsigned int cmd, const char **kind);

/* The driver's timeout for @cmd on @family in ns, or -EINVAL. */
long long connac_cmd_timeout_ns(unsigned int family, unsigned int cmd);

/* Kernel name of an errno ("EINVAL"; sign ignored), "OK" for 0, else "E?". */
const char *connac_errno_name(int err);

/* ---------------------------------------------------------------------------
 * In-flight table: sequence numbers, matching, deadlines.
 */

/*
 * Commands one connac_dev can have in flight at once. It was 8 before the
 * reset sequencer took its share of struct connac_dev; a module built with
 * 8 keeps working (slots stay below 7, @max above 7 is clamped).
 */
#define CONNAC_TXN_MAX_INFLIGHT 7
/* connac_txn_next_deadline() when nothing is in flight. */
#define CONNAC_NEVER 0x7fffffffffffffffLL

/* Names one armed command. Copy it freely; compare with connac_ticket_eq(). */
struct connac_ticket {
	unsigned char slot;
	unsigned char seq;
	unsigned short rsv;
	unsigned int generation;
	unsigned int cmd;
};

static inline int connac_ticket_eq(const struct connac_ticket *a,
				   const struct connac_ticket *b)
{
	return a->slot == b->slot && a->seq == b->seq &&
	       a->generation == b->generation;
}

/* What one event did (connac_txn_on_event()). */
enum connac_event_kind {
	CONNAC_EV_COMPLETED = 0,	/* answered ->ticket with ->fw_status */
	CONNAC_EV_STALE = 1,		/* right seq, not ours: still waiting */
	CONNAC_EV_LATE = 2,		/* answer to a timed-out command */
	CONNAC_EV_UNMATCHED = 3,	/* nothing in flight with this seq */
	CONNAC_EV_MALFORMED = 4,	/* too short to read: dropped */
	CONNAC_EV_UNSOLICITED = 5,	/* not a response: dispatch by eid */
};

struct connac_event_outcome {
	int kind;			/* enum connac_event_kind */
	int fw_status;			/* COMPLETED only */
	struct connac_ticket ticket;	/* COMPLETED, STALE */
	unsigned int payload_offset;	/* COMPLETED: into the event */
	unsigned long payload_len;
	const char *reason;		/* STALE, MALFORMED: why */
};

struct connac_txn_counters {
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
};

/*
 * Allocates a seq and a slot for @cmd, due at @now_ns + the command's
 * timeout. Errors: -ENOSPC (every slot busy), -EBUSY (every seq in flight or
 * quarantined), -EINVAL (FW_SCATTER expects no answer).
 */
int connac_txn_arm(struct connac_dev *dev, unsigned int cmd, long long now_ns,
		   struct connac_ticket *t);

/* Feeds one event from the device. Returns o->kind, or -EINVAL. */
int connac_txn_on_event(struct connac_dev *dev, const void *ev,
			unsigned long len, struct connac_event_outcome *o);

/*
 * Times out every command due at or before @now_ns: writes up to @max
 * tickets to @out and returns how many. Their seqs stay quarantined until a
 * late answer or connac_txn_fail_all().
 */
unsigned int connac_txn_expire(struct connac_dev *dev, long long now_ns,
			       struct connac_ticket *out, unsigned int max);

/* Earliest deadline in flight, or CONNAC_NEVER. */
long long connac_txn_next_deadline(const struct connac_dev *dev);

/* Withdraws @t (send failed, waiter gave up). -ESTALE if @t is outdated. */
int connac_txn_cancel(struct connac_dev *dev, const struct connac_ticket *t);

/* 1 while @t is still in flight, else 0. */
int connac_txn_is_current(const struct connac_dev *dev,
			  const struct connac_ticket *t);

/*
 * Fails commands in flight (firmware dead or reloaded), at most @max of
 * them: writes their tickets to @out and returns how many failed. Every
 * failed command is reported; any beyond @max stay in flight, so call again
 * until it returns 0. Once none is left the quarantine is cleared.
 */
unsigned int connac_txn_fail_all(struct connac_dev *dev,
				 struct connac_ticket *out, unsigned int max);

void connac_txn_get_counters(const struct connac_dev *dev,
			     struct connac_txn_counters *c);

/* ---------------------------------------------------------------------------
 * Key slots per MLO link (mt7925 set_key contract).
 */

#define CONNAC_KEY_MAX_LEN 32
#define CONNAC_KEY_ACTIONS_MAX 16
#define CONNAC_KEY_FRAME_SIZE 124	/* one STA_REC_UPDATE with KEY_V3 */
#define CONNAC_MAX_MLO_LINKS 15

/* IEEE 802.11 cipher suites as mac80211 passes them. */
#define CONNAC_SUITE_TKIP 0x000fac02u
#define CONNAC_SUITE_CCMP 0x000fac04u
#define CONNAC_SUITE_AES_CMAC 0x000fac06u
#define CONNAC_SUITE_GCMP 0x000fac08u
#define CONNAC_SUITE_GCMP_256 0x000fac09u
#define CONNAC_SUITE_CCMP_256 0x000fac0au

enum connac_key_cmd {
	CONNAC_KEY_SET = 0,
	CONNAC_KEY_DISABLE = 1,
};

/* The parts of mac80211's ieee80211_key_conf the core uses. */
struct connac_key_conf {
	unsigned int cipher;		/* suite selector */
	unsigned char keyidx;		/* 0..7 */
	signed char link_id;		/* -1: pairwise; 0..14: group key */
	unsigned char key_len;
	unsigned char rsv;
	unsigned char key[CONNAC_KEY_MAX_LEN];
};

/*
 * One STA_REC_UPDATE to send (encode it with connac_key_action_encode()).
 * Same layout as the core's connac::KeyAction (checked by the glue).
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
};

/*
 * Actions returned by one key operation. Holds key copies: wipe it with
 * connac_key_actions_wipe() once they are encoded. Start with count == 0
 * (connac_key_actions_wipe() or zeroed memory). Same layout as the core's
 * connac::KeyActionList (checked by the glue).
 */
struct connac_key_actions {
	struct connac_key_action items[CONNAC_KEY_ACTIONS_MAX];
	unsigned long count;
};

/*
 * Brings MLO link @link up with BSSID @bssid; the group keys cached for it
 * are appended to @out. Errors: -EINVAL (link > 14 or up, @out->count above
 * CONNAC_KEY_ACTIONS_MAX), -ENOSPC (4 links, or no room in @out).
 */
int connac_key_link_add(struct connac_dev *dev, unsigned int link,
			const unsigned char bssid[6],
			struct connac_key_actions *out);

/* Tears @link down and zeroizes its keys; no MCU traffic. Idempotent. */
int connac_key_link_remove(struct connac_dev *dev, unsigned int link);

/*
 * Adds the peer link-station of @link; the MLD pairwise key, if set, is
 * appended to @out. Errors: -ENOLINK, -EINVAL, -ENOSPC (no wcid, or no room
 * in @out).
 */
int connac_key_sta_add(struct connac_dev *dev, unsigned int link,
		       const unsigned char addr[6],
		       struct connac_key_actions *out);

/* Removes the link-station of @link and zeroizes its keys. Idempotent. */
int connac_key_sta_remove(struct connac_dev *dev, unsigned int link);

/*
 * mac80211 set_key: @cmd is CONNAC_KEY_SET or CONNAC_KEY_DISABLE. SET errors:
 * -EOPNOTSUPP (not offloaded: do it in software), -EINVAL, -ENOSPC.
 * DISABLE of a key the firmware does not hold (a torn-down link, a replaced
 * index) is 0 with no actions; a DISABLE fails only with -ENOSPC when @out
 * has no room for its frames (pass an empty list) or -EINVAL.
 */
int connac_key_set(struct connac_dev *dev, int cmd,
		   const struct connac_key_conf *key,
		   struct connac_key_actions *out);

/*
 * Sending @sent failed at action @failed (== sent->count: gave up after all
 * were sent): undoes the operation in the table and appends to @rollback
 * what brings the firmware back in line with it: a DISABLE for each SET that
 * reached the firmware or replaced a key it holds, and every DISABLE of
 * @sent that did not reach it (they are retried, never undone). Send
 * @rollback like any other list. Errors: -EINVAL (a bad list or index),
 * -ENOSPC (no room in @rollback); nothing changed then.
 */
int connac_key_abort(struct connac_dev *dev,
		     const struct connac_key_actions *sent,
		     unsigned long failed,
		     struct connac_key_actions *rollback);

/* Firmware lost its keys (reset started): later operations only update the
 * table until connac_key_reset_replay().
 */
void connac_key_reset_begin(struct connac_dev *dev);

/* Appends a SET for every key to restore: pairwise, group, then IGTK.
 * -ENOSPC when @out has no room for all of them (nothing appended).
 */
int connac_key_reset_replay(struct connac_dev *dev,
			    struct connac_key_actions *out);

/* Encodes @a as @dev's STA_REC_UPDATE frame with @seq into @out
 * (CONNAC_KEY_FRAME_SIZE bytes). Returns the frame length or -errno.
 */
long connac_key_action_encode(const struct connac_dev *dev,
			      const struct connac_key_action *a,
			      unsigned char seq, void *out,
			      unsigned long out_len);

/* Zeroizes every action (key bytes included) and sets count to 0. */
void connac_key_actions_wipe(struct connac_key_actions *acts);

/* ---------------------------------------------------------------------------
 * Reset sequencer (connac::ResetSequencer, docs/reset.md): the first hard
 * timeout, firmware assert or failed probe declares the firmware dead, every
 * pending and new command fails at once with -ESHUTDOWN, and the reset runs
 * as a table of steps, each with a watchdog, with bounded retries, backoff,
 * hold-off and a terminal WEDGED state. Sans-I/O like the rest: every input
 * carries the host's now, every output is a struct connac_seq_actions.
 *
 * The host's side (kmod/example/connac_example.c does it end to end):
 *  - before arming a command from the stack, connac_seq_admit(); -ESHUTDOWN
 *    means "do not send" (the reset's own restore commands skip this check);
 *  - after connac_txn_expire() returned n > 0: connac_seq_on_timeout() once;
 *    a COREDUMP event: connac_seq_on_assert();
 *  - a timer at the earlier of connac_txn_next_deadline() and
 *    connac_seq_next_deadline(), and connac_seq_on_tick() when it fires;
 *  - the actions of every call (CONNAC_SEQ_ACT_*), in this order:
 *      FAIL_PENDING  connac_txn_fail_all(); each waiter gets -ESHUTDOWN
 *      REJECT_NEW    (connac_seq_admit() now refuses)
 *      STOP_TX       stop the data queues
 *      RUN_STEP      run @step; report with connac_seq_on_step_result().
 *                    WFSYS: the firmware loses its keys: call
 *                    connac_key_reset_begin() and connac_txn_fail_all() (what
 *                    an earlier attempt's restore left in flight).
 *                    RESTORE: connac_restore_make_plan() and send it (the KEYS
 *                    item is connac_key_reset_replay()), then report.
 *      PROBE         probe the firmware, connac_seq_on_probe_result()
 *      RESUME_TX     wake the data queues
 *      ACCEPT_NEW    (connac_seq_admit() accepts again)
 *      REPORT        an episode ended: connac_seq_get_report()
 *      WEDGED        terminal: the device needs a rebind
 */

/* enum connac_seq_state: connac::ResetState, in its order. */
enum connac_seq_state {
	CONNAC_SEQ_RUNNING = 0,
	CONNAC_SEQ_PROBING = 1,
	CONNAC_SEQ_WFSYS_RESET = 2,
	CONNAC_SEQ_FW_SEMAPHORE = 3,
	CONNAC_SEQ_FW_PATCH = 4,
	CONNAC_SEQ_FW_RAM = 5,
	CONNAC_SEQ_FW_READY = 6,
	CONNAC_SEQ_RESTORE = 7,
	CONNAC_SEQ_BACKOFF = 8,
	CONNAC_SEQ_HOLD_OFF = 9,
	CONNAC_SEQ_WEDGED = 10,
};

/* The reset steps the host performs, in order (connac::ResetStep). */
enum connac_seq_step {
	CONNAC_SEQ_STEP_WFSYS = 0,
	CONNAC_SEQ_STEP_SEMAPHORE = 1,
	CONNAC_SEQ_STEP_PATCH = 2,
	CONNAC_SEQ_STEP_RAM = 3,
	CONNAC_SEQ_STEP_READY = 4,
	CONNAC_SEQ_STEP_RESTORE = 5,
};
#define CONNAC_SEQ_STEPS 6

/* What triggered an episode (connac::ResetCause). */
enum connac_seq_cause {
	CONNAC_SEQ_CAUSE_TIMEOUT = 0,
	CONNAC_SEQ_CAUSE_ASSERT = 1,
	CONNAC_SEQ_CAUSE_PROBE = 2,
	CONNAC_SEQ_CAUSE_REQUEST = 3,
};
#define CONNAC_SEQ_CAUSES 4

/* struct connac_seq_actions.flags (connac::ResetActions), in handling order. */
#define CONNAC_SEQ_ACT_FAIL_PENDING 0x001u
#define CONNAC_SEQ_ACT_REJECT_NEW 0x002u
#define CONNAC_SEQ_ACT_STOP_TX 0x004u
#define CONNAC_SEQ_ACT_RUN_STEP 0x008u
#define CONNAC_SEQ_ACT_PROBE 0x010u
#define CONNAC_SEQ_ACT_RESUME_TX 0x020u
#define CONNAC_SEQ_ACT_ACCEPT_NEW 0x040u
#define CONNAC_SEQ_ACT_REPORT 0x080u
#define CONNAC_SEQ_ACT_WEDGED 0x100u

/* What the host must do now. @step is meaningful with CONNAC_SEQ_ACT_RUN_STEP. */
struct connac_seq_actions {
	unsigned int flags;
	unsigned int step;	/* enum connac_seq_step */
};

/*
 * Timings and limits (connac::ResetConfig; defaults and their reasons in
 * docs/reset.md). Read with connac_seq_get_config(), change, write back with
 * connac_seq_set_config(). @size is how much of it the caller knows: the
 * struct only grows at its end, as struct connac_host_ops.
 */
struct connac_seq_config {
	unsigned int size;
	unsigned char hold_off_after;	/* failures before a hold-off, 0: never */
	unsigned char wedge_after;	/* failures before WEDGED, >= 1 */
	unsigned short rsv;
	long long suspect_ns;		/* probe after this long; 0: no probe */
	long long probe_window_ns;
	long long step_watchdog_ns[CONNAC_SEQ_STEPS];
	long long backoff_ns[4];	/* by failures so far; the last repeats */
	long long hold_off_ns;
	long long healthy_decay_ns;	/* RUNNING this long forgets failures */
};

/* The first version of struct connac_seq_config: the smallest accepted. */
#define CONNAC_SEQ_CONFIG_MIN_SIZE \
	((unsigned int)(__builtin_offsetof(struct connac_seq_config, \
					   healthy_decay_ns) + 8))

/* connac::ResetCounters, plus the consecutive failures now. */
struct connac_seq_counters {
	unsigned int triggers[CONNAC_SEQ_CAUSES];	/* by enum connac_seq_cause */
	unsigned int coalesced;		/* triggers during a reset */
	unsigned int episodes;
	unsigned int attempts;
	unsigned int failed_attempts;
	unsigned int step_failures[CONNAC_SEQ_STEPS];
	unsigned int step_timeouts[CONNAC_SEQ_STEPS];
	unsigned int crashes_in_restore;
	unsigned int quick_relapses;	/* episodes soon after a recovery */
	unsigned int recoveries;
	unsigned int hold_offs;
	unsigned int wedged;
	unsigned int probes;
	unsigned int probes_alive;
	unsigned int stale_results;	/* results that did not match the state */
	unsigned int rejected;		/* connac_seq_admit() refusals */
	unsigned int failures;		/* consecutive failed attempts now */
};

/* The last episode (connac::ResetReport). */
struct connac_seq_report {
	int cause;			/* enum connac_seq_cause */
	unsigned int attempts;
	long long detected_ns;		/* trigger */
	long long ended_ns;		/* recovered or wedged */
	int recovered;			/* 1 recovered, 0 wedged or not ended */
	int rsv;
};

/* 0 while RUNNING or PROBING; -ESHUTDOWN during a reset or once WEDGED. */
int connac_seq_admit(struct connac_dev *dev);

/*
 * Inputs. Each writes the actions to @a and returns 0, or -EINVAL (bad
 * argument; @a is then empty). A step or probe result that does not match
 * the current state (late, after a watchdog) is counted and ignored.
 */
int connac_seq_on_timeout(struct connac_dev *dev, long long now_ns,
			  struct connac_seq_actions *a);
int connac_seq_on_assert(struct connac_dev *dev, long long now_ns,
			 struct connac_seq_actions *a);
/* The host wants a reset (debugfs, a bus error). */
int connac_seq_on_request(struct connac_dev *dev, long long now_ns,
			  struct connac_seq_actions *a);
/* @step (enum connac_seq_step) finished; @ok nonzero when it succeeded. */
int connac_seq_on_step_result(struct connac_dev *dev, unsigned int step,
			      int ok, long long now_ns,
			      struct connac_seq_actions *a);
int connac_seq_on_probe_result(struct connac_dev *dev, int alive,
			       long long now_ns, struct connac_seq_actions *a);
/*
 * Time passes: step watchdogs, backoff and hold-off ends, the probe window.
 * @oldest_ns is when the oldest command in flight was sent, CONNAC_NEVER if
 * none or unknown (it only drives the optional probe).
 */
int connac_seq_on_tick(struct connac_dev *dev, long long now_ns,
		       long long oldest_ns, struct connac_seq_actions *a);

/* When to call connac_seq_on_tick() next, or CONNAC_NEVER. */
long long connac_seq_next_deadline(const struct connac_dev *dev,
				   long long oldest_ns);

/* enum connac_seq_state of @dev, or -EINVAL. */
int connac_seq_state(const struct connac_dev *dev);
/* "RUNNING", "WFSYS_RESET", ...; "wfsys_reset", "fw_patch", ...; NULL if
 * out of range.
 */
const char *connac_seq_state_name(int state);
const char *connac_seq_step_name(unsigned int step);

/*
 * Copy the first min(@size, sizeof) bytes of the counters, the last report
 * or the configuration (its ->size then says how much) to the caller's
 * struct; pass sizeof(*c). Errors: -EINVAL.
 */
int connac_seq_get_counters(const struct connac_dev *dev,
			    struct connac_seq_counters *c, unsigned long size);
int connac_seq_get_report(const struct connac_dev *dev,
			  struct connac_seq_report *r, unsigned long size);
int connac_seq_get_config(const struct connac_dev *dev,
			  struct connac_seq_config *cfg, unsigned long size);
/*
 * Replaces the configuration (cfg->size bytes of it; what a shorter struct
 * lacks keeps its value). Only before the first trigger: -EBUSY afterwards.
 * -EINVAL: cfg->size below CONNAC_SEQ_CONFIG_MIN_SIZE, a watchdog or the
 * probe window <= 0, a negative time, wedge_after 0.
 */
int connac_seq_set_config(struct connac_dev *dev,
			  const struct connac_seq_config *cfg);

/* ---------------------------------------------------------------------------
 * Restore record (connac::RestoreRecord): the core's own copy of what a
 * restore replays, kept up to date as links come and go, so the restore
 * never reads host state a roam may have freed.
 */

enum connac_restore_kind {
	CONNAC_RESTORE_DEVICE = 0,	/* DEV_INFO_UPDATE for @addr */
	CONNAC_RESTORE_BSS = 1,		/* BSS_INFO_UPDATE @bss_idx, BSSID @addr */
	CONNAC_RESTORE_STA = 2,		/* STA_REC_UPDATE @wcid, peer @addr */
	CONNAC_RESTORE_KEYS = 3,	/* connac_key_reset_replay() */
};

/* Device, 15 BSS, 15 stations, keys. */
#define CONNAC_RESTORE_MAX_ITEMS 32

/* One restore command, self-contained. */
struct connac_restore_item {
	unsigned char kind;		/* enum connac_restore_kind */
	unsigned char link;		/* BSS, STA: MLO link */
	unsigned char bss_idx;		/* BSS, STA */
	unsigned char wcid;		/* STA: the key table's WTBL index, 0xff if none */
	unsigned char active;		/* BSS: the active link */
	unsigned char addr[6];		/* device address, BSSID or peer */
	unsigned char rsv;
};

int connac_restore_set_device(struct connac_dev *dev,
			      const unsigned char addr[6]);
/* @link (0..14) added, association not complete: not restored yet. */
int connac_restore_link_joining(struct connac_dev *dev, unsigned int link,
				const unsigned char bssid[6],
				unsigned int bss_idx);
/* @link associated with peer @sta_addr; @active: the link in use. -EINVAL if
 * @link never joined.
 */
int connac_restore_link_associated(struct connac_dev *dev, unsigned int link,
				   const unsigned char sta_addr[6], int active);
/* @link torn down: gone from the record. Idempotent. */
int connac_restore_link_removed(struct connac_dev *dev, unsigned int link);
/*
 * Writes the restore, in mac80211's reconfig order (device, the active BSS,
 * the other BSSes, stations, keys), to @out; returns the item count, or
 * -ENOBUFS (@max too small, nothing written) or -EINVAL.
 */
long connac_restore_make_plan(const struct connac_dev *dev,
			      struct connac_restore_item *out,
			      unsigned long max);

#ifdef __cplusplus
}
#endif

#endif /* CONNAC_CORE_H */
