/* SPDX-License-Identifier: GPL-2.0 */
/*
 * connac_cases.h - table-driven cases for the connac C API, shared by the
 * kernel test module (connac_core_test.ko, C: suites frames, responses,
 * names, device) and the userspace GoogleTest of the API (kmod/capi_test.cc,
 * C++). Test material: it is not part of the API and not in the DKMS tree.
 *
 * Why one header: the kernel run proves the core behaves the same under the
 * kernel's code generation as in userspace, which only means something when
 * both run the very same cases. Plain data plus small inline runners, in the
 * common subset of kernel C and C++20; no kernel or C++ header.
 *
 * Expected bytes and values are the golden data of the core's own tests
 * (userspace_test/mcu_frame_test.cc, mcu_response_test.cc, keys_test.cc),
 * whose comments cite the mt76 rule behind every byte. Frames and events are
 * spelled as hex strings; spaces are ignored.
 */
#ifndef CONNAC_CASES_H
#define CONNAC_CASES_H

#include "connac_core.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Attributes of the runner functions: the kernel test module defines it as
 * __init before including this header (its code is freed after the load).
 */
#ifndef CONNAC_CASES_FN
#define CONNAC_CASES_FN
#endif

/* ---------------------------------------------------------------------------
 * Helpers.
 */

/* Parses hex digit pairs, skipping spaces. Returns the byte count, or -1 on
 * a bad character, an odd digit count or more than @cap bytes.
 */
static inline CONNAC_CASES_FN long
connac_case_hex(const char *s, unsigned char *out, unsigned long cap)
{
	unsigned long n = 0;
	int hi = -1;

	for (; *s; s++) {
		int v;

		if (*s == ' ')
			continue;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else
			return -1;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n == cap)
			return -1;
		out[n++] = (unsigned char)(hi << 4 | v);
		hi = -1;
	}
	return hi < 0 ? (long)n : -1;
}

/*
 * Builds an MCU event as the firmware sends it (docs/mcu-protocol.md): the
 * hardware RXD (32 bytes on mt7925/mt7996, 24 on mt7921) whose DW0 holds the
 * total length and PKT_TYPE_RX_EVENT (7 << 27), then len (le16, from the end
 * of the hardware RXD), pkt_type_id, eid, seq, option, rsv, ext_eid, rsv[2],
 * s2d_index, then @payload. Returns the length, or -1 if @cap is too small.
 */
static inline CONNAC_CASES_FN long
connac_case_event(unsigned int family, unsigned char seq, unsigned char eid,
		  unsigned char option, unsigned char ext_eid,
		  const unsigned char *payload, unsigned long payload_len,
		  unsigned char *out, unsigned long cap)
{
	unsigned long hw = family == CONNAC_MT7921 ? 24 : 32;
	unsigned long total = hw + 12 + payload_len;
	unsigned long i;

	if (total > cap || total > 0xffff)
		return -1;
	for (i = 0; i < hw + 12; i++)
		out[i] = 0;
	out[0] = (unsigned char)total;
	out[1] = (unsigned char)(total >> 8);
	out[3] = 0x38;
	out[hw] = (unsigned char)(total - hw);
	out[hw + 1] = (unsigned char)((total - hw) >> 8);
	out[hw + 4] = eid;
	out[hw + 5] = seq;
	out[hw + 6] = option;
	out[hw + 8] = ext_eid;
	for (i = 0; i < payload_len; i++)
		out[hw + 12 + i] = payload[i];
	return (long)total;
}

#define CONNAC_CASE_EID_RESULT 0x01
#define CONNAC_CASE_OPT_UNI 0x02	/* event option: UNI event */

/* ---------------------------------------------------------------------------
 * Frames: encode must produce @frame exactly; decode must give back
 * @decoded_cmd and @seq.
 */
struct connac_frame_case {
	const char *name;
	unsigned int family;
	unsigned int cmd;
	unsigned char seq;
	unsigned int flags;
	const char *payload;
	const char *frame;
	unsigned int decoded_cmd;
};

#define CONNAC_CASE_TXD_ZERO \
	"00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00 "

static const struct connac_frame_case connac_frame_cases[] = {
	{ "mt7925 UNI BSS_INFO_UPDATE seq 12", CONNAC_MT7925, 0x00020002, 12, 0,
	  "01 00 00 00  00 00 04 00",
	  "38 00 00 41  00 40 00 00 " CONNAC_CASE_TXD_ZERO
	  "18 00 02 00  00 a0 00 0c  00 00 00 07  00 00 00 00 01 00 00 00  00 00 04 00", 0x00020002 },
	{ "mt7925 UNI query REG_ACCESS, WM bit not encoded", CONNAC_MT7925,
	  0x0013000d, 3, 0, "aa bb cc dd",
	  "34 00 00 41  00 40 00 00 " CONNAC_CASE_TXD_ZERO
	  "14 00 0d 00  00 a0 00 03  00 00 00 03  00 00 00 00 aa bb cc dd", 0x0003000d },
	{ "mt7925 UNI HIF_CTRL set drops the ACK", CONNAC_MT7925, 0x00020007, 1,
	  0, "00 00 00 00",
	  "34 00 00 41  00 40 00 00 " CONNAC_CASE_TXD_ZERO
	  "14 00 07 00  00 a0 00 01  00 00 00 06  00 00 00 00 00 00 00 00", 0x00020007 },
	{ "mt7921 UNI BSS_INFO_UPDATE, connac2 TXD", CONNAC_MT7921, 0x00020002, 5,
	  0, "00 00 00 00",
	  "34 00 00 41  00 00 01 80 " CONNAC_CASE_TXD_ZERO
	  "14 00 02 00  00 a0 00 05  00 00 00 07  00 00 00 00 00 00 00 00", 0x00020002 },
	{ "mt7925 legacy PATCH_SEM_CONTROL", CONNAC_MT7925, 0x00000010, 1, 0,
	  "01 00 00 00",
	  "44 00 00 41  00 40 00 00 " CONNAC_CASE_TXD_ZERO
	  "24 00 00 80  10 a0 03 01  00 00 00 00 00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00 01 00 00 00", 0x00000010 },
	{ "mt7921 EXT query GET_MIB_INFO", CONNAC_MT7921, 0x00015aed, 7, 0,
	  "00 00 00 00  01 00 00 00",
	  "48 00 00 41  00 00 01 80 " CONNAC_CASE_TXD_ZERO
	  "28 00 00 80  ed a0 00 07  00 5a 00 01 00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00 00 00 00 00  01 00 00 00", 0x00015aed },
	{ "mt7996 WM+WA UNI BSS_INFO_UPDATE waited", CONNAC_MT7996, 0x001a0002,
	  14, 0, "01 00 00 00",
	  "34 00 00 41  00 40 00 00 " CONNAC_CASE_TXD_ZERO
	  "14 00 02 00  00 a0 00 0e  00 00 03 07  00 00 00 00 01 00 00 00", 0x00020002 },
};

/* ---------------------------------------------------------------------------
 * Frame encode errors.
 */
struct connac_frame_err_case {
	const char *name;
	unsigned int family;
	unsigned int cmd;
	unsigned char seq;
	unsigned long payload_len;
	unsigned long out_len;
	int expect;
};

static const struct connac_frame_err_case connac_frame_err_cases[] = {
	{ "encode seq 0 is EINVAL", CONNAC_MT7925, 0x00020002, 0, 4, 64, -22 },
	{ "encode seq 16 is EINVAL", CONNAC_MT7925, 0x00020002, 16, 4, 64, -22 },
	{ "encode unknown word bits is EINVAL", CONNAC_MT7925, 0x01020002, 1, 4,
	  64, -22 },
	{ "encode into a short buffer is ENOBUFS", CONNAC_MT7925, 0x00020002, 1,
	  4, 51, -105 },
	{ "encode unknown family is EINVAL", 7, 0x00020002, 1, 4, 64, -22 },
};

/* ---------------------------------------------------------------------------
 * parse_response: the event is built with connac_case_event().
 */
struct connac_response_case {
	const char *name;
	unsigned int family;
	unsigned int cmd;
	unsigned char cmd_seq;
	unsigned char ev_seq;
	unsigned char eid;
	unsigned char option;
	unsigned char ext_eid;
	const char *payload;
	int expect;		/* 0 done, -EAGAIN stale, -EBADMSG malformed */
	int fw_status;		/* when done */
};

static const struct connac_response_case connac_response_cases[] = {
	{ "mt7925 BSS_INFO answer, status 0", CONNAC_MT7925, 0x00020002, 14, 14,
	  CONNAC_CASE_EID_RESULT, CONNAC_CASE_OPT_UNI, 0,
	  "02 00 00 00  00 00 00 00", 0, 0 },
	{ "mt7925 BSS_INFO status 0xc0000001 as a negative int", CONNAC_MT7925,
	  0x00020002, 12, 12, CONNAC_CASE_EID_RESULT, CONNAC_CASE_OPT_UNI, 0,
	  "02 00 00 00  01 00 00 c0", 0, -0x3fffffff /* 0xc0000001 */ },
	{ "mt7925 late answer to another seq is stale", CONNAC_MT7925, 0x00020002,
	  14, 12, CONNAC_CASE_EID_RESULT, CONNAC_CASE_OPT_UNI, 0,
	  "02 00 00 00  00 00 00 00", -11, 0 },
	{ "mt7925 BSS_INFO answered with the STA_REC cid is stale",
	  CONNAC_MT7925, 0x00020002, 12, 12, CONNAC_CASE_EID_RESULT,
	  CONNAC_CASE_OPT_UNI, 0, "03 00 00 00  00 00 00 00", -11, 0 },
	{ "mt7925 BSS_INFO 7-byte result is malformed", CONNAC_MT7925,
	  0x00020002, 12, 12, CONNAC_CASE_EID_RESULT, CONNAC_CASE_OPT_UNI, 0,
	  "02 00 00 00  00 00 00", -74, 0 },
	{ "mt7925 STA_REC_UPDATE status 1", CONNAC_MT7925, 0x00020003, 13, 13,
	  CONNAC_CASE_EID_RESULT, CONNAC_CASE_OPT_UNI, 0,
	  "03 00 00 00  01 00 00 00", 0, 1 },
	{ "mt7925 PATCH_FINISH_REQ status byte at offset 40", CONNAC_MT7925,
	  0x00000007, 3, 3, 0x01, 0, 0xff, "", 0, 255 },
	{ "mt7921 CE REG_READ result is the value", CONNAC_MT7921, 0x000500c0, 8,
	  8, 0xc0, 0, 0, "00 00 00 00  2a 00 00 00", 0, 42 },
	{ "mt7996 UNI RESULT cid 16-bit, status 1", CONNAC_MT7996, 0x00020002, 3,
	  3, CONNAC_CASE_EID_RESULT, CONNAC_CASE_OPT_UNI, 0,
	  "02 00 00 00  01 00 00 00", 0, 1 },
	{ "mt7996 UNI RESULT cid 0x0102 is stale", CONNAC_MT7996, 0x00020002, 3,
	  3, CONNAC_CASE_EID_RESULT, CONNAC_CASE_OPT_UNI, 0,
	  "02 01 00 00  00 00 00 00", -11, 0 },
};

/* ---------------------------------------------------------------------------
 * Names.
 */
struct connac_name_case {
	unsigned int cmd;
	const char *kind;
	const char *name;	/* NULL: unknown id */
};

static const struct connac_name_case connac_name_cases[] = {
	{ 0x00020002, "UNI", "BSS_INFO_UPDATE" },
	{ 0x00020003, "UNI", "STA_REC_UPDATE" },
	{ 0x00005aed, "EXT", "GET_MIB_INFO" },
	{ 0x00000010, "CMD", "PATCH_SEM_CONTROL" },
	{ 0x000500c0, "CE", "REG_READ" },
	{ 0x000400c0, "CE", "REG_WRITE" },
	{ 0x000200ff, "UNI", (const char *)0 },
};


/* ---------------------------------------------------------------------------
 * Device scripts: connac::Device through the C API, on a fresh mt7925 device
 * at t = 0, with every answer built here in the mt7925 event layout. Each
 * step is an input with its expected return, or an expectation on the next
 * action. Link @n has BSSID 02:b0:55:1d:00:<n> and its AP link-station
 * 02:a9:00:00:00:<n>; key bytes are @base, @base + 1, ...
 */
enum connac_dev_op {
	CONNAC_DOP_END = 0,
	CONNAC_DOP_SUBMIT,	/* @cmd at @t_ms: host command #(submit order) */
	CONNAC_DOP_ANSWER,	/* answer host command #@arg with @status */
	CONNAC_DOP_ANSWER_SENT,	/* answer the last SEND with @status */
	CONNAC_DOP_COREDUMP,	/* an unsolicited UNI COREDUMP event */
	CONNAC_DOP_RESULT,	/* on_command_result(#@arg, @status) */
	CONNAC_DOP_TICK,	/* at @t_ms */
	CONNAC_DOP_STEP,	/* step @arg ended, ok = @status */
	CONNAC_DOP_PROBE,	/* probe answer: alive = @status */
	CONNAC_DOP_REQUEST,	/* the host asks for a reset */
	CONNAC_DOP_ACT,		/* the next action is of kind @arg (see below) */
	CONNAC_DOP_NONE,	/* no action left */
	CONNAC_DOP_STATE,	/* connac_dev_state() == @expect */
	CONNAC_DOP_DEADLINE,	/* next deadline == @t_ms (-1: never) */
	CONNAC_DOP_SET_DEVICE,
	CONNAC_DOP_LINK_ADD,	/* link @arg; @status: the bss_idx it gets */
	CONNAC_DOP_LINK_ASSOC,	/* link @arg, active = @status */
	CONNAC_DOP_LINK_REMOVE,
	CONNAC_DOP_STA_ADD,
	CONNAC_DOP_STA_REMOVE,
	CONNAC_DOP_KEY,		/* set_key @status (CONNAC_KEY_SET/DISABLE) */
	CONNAC_DOP_COUNTER,	/* counter @arg (CONNAC_CTR_*) == @expect */
	CONNAC_DOP_CONFIG,	/* wedge_after = @arg, suspect = @t_ms */
	CONNAC_DOP_MOVE,	/* memcpy the device away, poison the original */
	CONNAC_DOP_ASSOCIATE,	/* the steps of connac_dev_associate_link0 */
};

/* CONNAC_DOP_COUNTER */
enum connac_case_counter {
	CONNAC_CTR_TIMEOUTS,
	CONNAC_CTR_IN_FLIGHT,
	CONNAC_CTR_EPISODES,
	CONNAC_CTR_RECOVERIES,
	CONNAC_CTR_REFUSED,
	CONNAC_CTR_KEY_FRAMES,
	CONNAC_CTR_ROLLBACK_FRAMES,
	CONNAC_CTR_RESTORE_ITEMS,
	CONNAC_CTR_KEYS_REPLAYED,
	CONNAC_CTR_KEY_OPS_FAILED,
	CONNAC_CTR_TRIGGERS_ASSERT,
};

/*
 * CONNAC_DOP_ACT checks, by kind:
 *   COMPLETE, FAIL  @expect the status, @ref the host command (submit order)
 *   SEND            @cmd the command word; @ref CONNAC_CASE_SEND_*; @expect
 *                   the key's wcid, the BSS cipher's bss_idx, the restore
 *                   item's wcid (STA) or bss_idx (BSS); @cipher the BSS
 *                   cipher's or the restored BSS's CONNAC3 cipher;
 *                   @frame (KEY) the frame, encoded with the action's seq
 *                   (its byte 39, the seq, is patched to it)
 *   KEY_OP_DONE     @expect the status
 *   RUN_STEP        @expect the step
 *   REPORT          @expect wedged
 *   UNSOLICITED     @expect the payload length (offset 0)
 */
#define CONNAC_CASE_SEND_KEY 0		/* a key frame */
#define CONNAC_CASE_SEND_BSS_CIPHER 1	/* the link's BSS_INFO with its cipher */
#define CONNAC_CASE_SEND_RESTORE_DEVICE 2
#define CONNAC_CASE_SEND_RESTORE_BSS 3
#define CONNAC_CASE_SEND_RESTORE_STA 4

struct connac_dev_step {
	unsigned char op;
	unsigned char arg;
	unsigned char ref;
	signed char link_id;	/* KEY: -1 pairwise, else the link */
	unsigned char keyidx;	/* KEY */
	unsigned char base;	/* KEY: first key byte */
	unsigned int cmd;
	unsigned int cipher;	/* KEY: the suite; ACT SEND: CONNAC3 id */
	long long t_ms;
	int status;
	int expect;
	const char *frame;
};

struct connac_dev_case {
	const char *name;
	struct connac_dev_step steps[64];
};

#define CONNAC_BSS 0x00020002u
#define CONNAC_STA_REC 0x00020003u
#define CONNAC_DEV_INFO 0x00020001u
#define CONNAC_SCAN 0x00020016u
#define CONNAC_CCMP CONNAC_SUITE_CCMP
#define CONNAC_CMAC CONNAC_SUITE_AES_CMAC

/* Step builders, in the struct's field order (C and C++20 alike). */
#define DS_SUBMIT(c, t, e) { .op = CONNAC_DOP_SUBMIT, .cmd = (c), .t_ms = (t), .expect = (e) }
#define DS_ANSWER(r, t, st) { .op = CONNAC_DOP_ANSWER, .arg = (r), .t_ms = (t), .status = (st) }
#define DS_ANSWER_SENT(t, st) { .op = CONNAC_DOP_ANSWER_SENT, .t_ms = (t), .status = (st) }
#define DS_COREDUMP(t) { .op = CONNAC_DOP_COREDUMP, .t_ms = (t) }
#define DS_RESULT(r, t, st) { .op = CONNAC_DOP_RESULT, .arg = (r), .t_ms = (t), .status = (st) }
#define DS_TICK(t) { .op = CONNAC_DOP_TICK, .t_ms = (t) }
#define DS_STEP(s, t, ok) { .op = CONNAC_DOP_STEP, .arg = (s), .t_ms = (t), .status = (ok) }
#define DS_PROBE(t, alive) { .op = CONNAC_DOP_PROBE, .t_ms = (t), .status = (alive) }
#define DS_REQUEST(t) { .op = CONNAC_DOP_REQUEST, .t_ms = (t) }
#define DS_ACT(k, e) { .op = CONNAC_DOP_ACT, .arg = CONNAC_ACT_##k, .expect = (e) }
#define DS_ENDED(k, r, e) \
	{ .op = CONNAC_DOP_ACT, .arg = CONNAC_ACT_##k, .ref = (r), .expect = (e) }
#define DS_SENT(what, c, e, ci, fr) \
	{ .op = CONNAC_DOP_ACT, .arg = CONNAC_ACT_SEND, \
	  .ref = CONNAC_CASE_SEND_##what, .cmd = (c), .cipher = (ci), \
	  .expect = (e), .frame = (fr) }
#define DS_NONE { .op = CONNAC_DOP_NONE }
#define DS_STATE(s) { .op = CONNAC_DOP_STATE, .expect = CONNAC_STATE_##s }
#define DS_DEADLINE(t) { .op = CONNAC_DOP_DEADLINE, .t_ms = (t) }
#define DS_SET_DEVICE { .op = CONNAC_DOP_SET_DEVICE }
#define DS_LINK_ADD(l, bss, e) \
	{ .op = CONNAC_DOP_LINK_ADD, .arg = (l), .status = (bss), .expect = (e) }
#define DS_LINK_ASSOC(l, active) \
	{ .op = CONNAC_DOP_LINK_ASSOC, .arg = (l), .status = (active) }
#define DS_LINK_REMOVE(l) { .op = CONNAC_DOP_LINK_REMOVE, .arg = (l) }
#define DS_STA_ADD(l, e) { .op = CONNAC_DOP_STA_ADD, .arg = (l), .expect = (e) }
#define DS_STA_REMOVE(l) { .op = CONNAC_DOP_STA_REMOVE, .arg = (l) }
#define DS_KEY(c, su, idx, lk, b, t, e) \
	{ .op = CONNAC_DOP_KEY, .link_id = (lk), .keyidx = (idx), .base = (b), \
	  .cipher = (su), .t_ms = (t), .status = CONNAC_KEY_##c, .expect = (e) }
#define DS_COUNTER(c, e) { .op = CONNAC_DOP_COUNTER, .arg = CONNAC_CTR_##c, .expect = (e) }
#define DS_CONFIG(wedge, suspect, e) \
	{ .op = CONNAC_DOP_CONFIG, .arg = (wedge), .t_ms = (suspect), .expect = (e) }
#define DS_MOVE { .op = CONNAC_DOP_MOVE }
#define DS_ASSOCIATE { .op = CONNAC_DOP_ASSOCIATE }

/*
 * Golden key frames: the bytes of userspace_test/keys_test.cc kGoldenCases
 * (whose comments cite the mt7925 driver for every byte), seq 01.
 */
#define CONNAC_KEY_HDR \
	"7c 00 00 41  00 40 00 00 " CONNAC_CASE_TXD_ZERO \
	"5c 00 03 00  00 a0 00 01  00 00 00 07  00 00 00 00 "
#define CONNAC_CASE_ZERO16 "00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00 "
/* Pairwise CCMP idx 0 on link 0's AP link-station: peer wcid 1, not 0. */
#define CONNAC_FRAME_PTK \
	CONNAC_KEY_HDR "00 01 01 00 01 00 00 00  27 00 44 00  01 01 01 00 " \
	"02 a9 00 00 00 00  00 04 00 10 01 01 " \
	"50 51 52 53 54 55 56 57  58 59 5a 5b 5c 5d 5e 5f " \
	CONNAC_CASE_ZERO16 CONNAC_CASE_ZERO16
/* Group CCMP idx 1 on link 0: the BSS entry, wcid 19. */
#define CONNAC_FRAME_GTK \
	CONNAC_KEY_HDR "00 13 01 00 01 0e 00 00  27 00 44 00  01 00 00 00 " \
	"02 b0 55 1d 00 00  00 04 01 10 13 01 " \
	"c0 c1 c2 c3 c4 c5 c6 c7  c8 c9 ca cb cc cd ce cf " \
	CONNAC_CASE_ZERO16 CONNAC_CASE_ZERO16
/* IGTK idx 4 on link 0: the CCMP GTK's bytes, then the IGTK. */
#define CONNAC_FRAME_IGTK \
	CONNAC_KEY_HDR "00 13 01 00 01 0e 00 00  27 00 44 00  01 00 00 00 " \
	"02 b0 55 1d 00 00  00 06 01 20 13 01 " \
	"c0 c1 c2 c3 c4 c5 c6 c7  c8 c9 ca cb cc cd ce cf " \
	"a0 a1 a2 a3 a4 a5 a6 a7  a8 a9 aa ab ac ad ae af " CONNAC_CASE_ZERO16
/* The rollback of the pairwise key on wcid 1: DISABLE. */
#define CONNAC_FRAME_PTK_DISABLE \
	CONNAC_KEY_HDR "00 01 01 00 01 00 00 00  27 00 44 00  00 01 01 00 " \
	"02 a9 00 00 00 00  00 00 00 00 01 01 " \
	CONNAC_CASE_ZERO16 CONNAC_CASE_ZERO16 CONNAC_CASE_ZERO16

/* C++20 designated initializers leave the other members zero, as in C. */
#ifdef __cplusplus
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#endif

/*
 * Link 0 associated: device, BSS, AP link-station, then PTK, GTK, IGTK
 * (CONNAC_DOP_ASSOCIATE runs these steps).
 */
static const struct connac_dev_step connac_dev_associate_link0[] = {
	DS_SET_DEVICE,
	DS_LINK_ADD(0, 0, 0),
	DS_ACT(KEY_OP_DONE, 0),
	DS_STA_ADD(0, 0),
	DS_ACT(KEY_OP_DONE, 0),
	DS_LINK_ASSOC(0, 1),
	DS_KEY(SET, CONNAC_CCMP, 0, -1, 0x50, 1, 0),
	DS_SENT(BSS_CIPHER, CONNAC_BSS, 0, 4, 0),
	DS_ANSWER_SENT(2, 0),
	DS_SENT(KEY, CONNAC_STA_REC, 1, 0, CONNAC_FRAME_PTK),
	DS_ANSWER_SENT(3, 0),
	DS_ACT(KEY_OP_DONE, 0),
	DS_KEY(SET, CONNAC_CCMP, 1, 0, 0xc0, 4, 0),
	DS_SENT(KEY, CONNAC_STA_REC, 19, 0, CONNAC_FRAME_GTK),
	DS_ANSWER_SENT(5, 0),
	DS_ACT(KEY_OP_DONE, 0),
	DS_KEY(SET, CONNAC_CMAC, 4, 0, 0xa0, 6, 0),
	DS_SENT(KEY, CONNAC_STA_REC, 19, 0, CONNAC_FRAME_IGTK),
	DS_ANSWER_SENT(7, 0),
	DS_ACT(KEY_OP_DONE, 0),
	DS_NONE,
	{ .op = CONNAC_DOP_END },
};

static const struct connac_dev_case connac_dev_cases[] = {
	{ "a command answered: COMPLETE with its status and payload", {
		DS_SUBMIT(CONNAC_BSS, 0, 0),
		DS_DEADLINE(3000),
		DS_ANSWER(0, 2, 7),
		DS_ENDED(COMPLETE, 0, 7),
		DS_NONE,
		DS_DEADLINE(-1),
		DS_COUNTER(IN_FLIGHT, 0),
	} },
	{ "associate: BSS cipher before the first key, peer wcid 1, group wcid 19", {
		DS_ASSOCIATE,
		DS_COUNTER(KEY_FRAMES, 4),
		DS_COUNTER(IN_FLIGHT, 0),
	} },
	{ "fail fast: one timeout declares the firmware dead, the rest fail at once", {
		DS_SUBMIT(CONNAC_BSS, 0, 0),
		DS_SUBMIT(CONNAC_STA_REC, 100, 0),
		DS_SUBMIT(CONNAC_SCAN, 200, 0),
		DS_TICK(2999),
		DS_NONE,
		DS_TICK(3000),
		DS_ENDED(FAIL, 0, -110),
		DS_ENDED(FAIL, 1, -108),
		DS_ENDED(FAIL, 2, -108),
		DS_ACT(STOP_TX, 0),
		DS_ACT(RUN_STEP, CONNAC_STEP_WFSYS),
		DS_NONE,
		DS_STATE(WFSYS_RESET),
		DS_SUBMIT(CONNAC_BSS, 3001, -108),
		DS_COUNTER(REFUSED, 1),
		DS_COUNTER(TIMEOUTS, 1),
		DS_COUNTER(EPISODES, 1),
		DS_ANSWER(1, 3002, 0),
		DS_NONE,
	} },
	{ "reset: steps, the restore of device, BSS and station, keys replayed", {
		DS_ASSOCIATE,
		DS_SUBMIT(CONNAC_BSS, 100, 0),
		DS_TICK(3100),
		DS_ENDED(FAIL, 0, -110),
		DS_ACT(STOP_TX, 0),
		DS_ACT(RUN_STEP, CONNAC_STEP_WFSYS),
		DS_NONE,
		DS_STEP(CONNAC_STEP_WFSYS, 3155, 1),
		DS_ACT(RUN_STEP, CONNAC_STEP_SEMAPHORE),
		DS_STEP(CONNAC_STEP_SEMAPHORE, 3160, 1),
		DS_ACT(RUN_STEP, CONNAC_STEP_PATCH),
		DS_STEP(CONNAC_STEP_PATCH, 3170, 1),
		DS_ACT(RUN_STEP, CONNAC_STEP_RAM),
		DS_STEP(CONNAC_STEP_RAM, 3180, 1),
		DS_ACT(RUN_STEP, CONNAC_STEP_READY),
		DS_STEP(CONNAC_STEP_READY, 3190, 1),
		DS_SENT(RESTORE_DEVICE, CONNAC_DEV_INFO, 0, 0, 0),
		DS_SUBMIT(CONNAC_BSS, 3191, -108),
		DS_ANSWER_SENT(3192, 0),
		DS_SENT(RESTORE_BSS, CONNAC_BSS, 0, 4, 0),
		DS_ANSWER_SENT(3193, 0),
		DS_SENT(RESTORE_STA, CONNAC_STA_REC, 1, 0, 0),
		DS_ANSWER_SENT(3194, 0),
		DS_SENT(KEY, CONNAC_STA_REC, 1, 0, CONNAC_FRAME_PTK),
		DS_ANSWER_SENT(3195, 0),
		DS_SENT(KEY, CONNAC_STA_REC, 19, 0, CONNAC_FRAME_GTK),
		DS_ANSWER_SENT(3196, 0),
		DS_SENT(KEY, CONNAC_STA_REC, 19, 0, CONNAC_FRAME_IGTK),
		DS_ANSWER_SENT(3197, 0),
		DS_ACT(RESUME_TX, 0),
		DS_ACT(REPORT, 0),
		DS_NONE,
		DS_STATE(RUNNING),
		DS_COUNTER(RESTORE_ITEMS, 3),
		DS_COUNTER(KEYS_REPLAYED, 3),
		DS_COUNTER(RECOVERIES, 1),
		DS_SUBMIT(CONNAC_BSS, 3200, 0),
		DS_ANSWER(1, 3201, 0),
		DS_ENDED(COMPLETE, 1, 0),
		DS_NONE,
	} },
	{ "keys set while the firmware is dead: no frame, replayed by the restore", {
		DS_SET_DEVICE,
		DS_LINK_ADD(0, 0, 0),
		DS_ACT(KEY_OP_DONE, 0),
		DS_STA_ADD(0, 0),
		DS_ACT(KEY_OP_DONE, 0),
		DS_LINK_ASSOC(0, 1),
		DS_REQUEST(10),
		DS_ACT(STOP_TX, 0),
		DS_ACT(RUN_STEP, CONNAC_STEP_WFSYS),
		DS_KEY(SET, CONNAC_CCMP, 1, 0, 0xc0, 20, 0),
		DS_ACT(KEY_OP_DONE, 0),
		DS_NONE,
		DS_COUNTER(KEY_FRAMES, 0),
		DS_STEP(CONNAC_STEP_WFSYS, 60, 1),
		DS_ACT(RUN_STEP, CONNAC_STEP_SEMAPHORE),
		DS_STEP(CONNAC_STEP_SEMAPHORE, 61, 1),
		DS_ACT(RUN_STEP, CONNAC_STEP_PATCH),
		DS_STEP(CONNAC_STEP_PATCH, 62, 1),
		DS_ACT(RUN_STEP, CONNAC_STEP_RAM),
		DS_STEP(CONNAC_STEP_RAM, 63, 1),
		DS_ACT(RUN_STEP, CONNAC_STEP_READY),
		DS_STEP(CONNAC_STEP_READY, 64, 1),
		DS_SENT(RESTORE_DEVICE, CONNAC_DEV_INFO, 0, 0, 0),
		DS_ANSWER_SENT(65, 0),
		DS_SENT(RESTORE_BSS, CONNAC_BSS, 0, 4, 0),
		DS_ANSWER_SENT(66, 0),
		DS_SENT(RESTORE_STA, CONNAC_STA_REC, 1, 0, 0),
		DS_ANSWER_SENT(67, 0),
		DS_SENT(KEY, CONNAC_STA_REC, 19, 0, CONNAC_FRAME_GTK),
		DS_ANSWER_SENT(68, 0),
		DS_ACT(RESUME_TX, 0),
		DS_ACT(REPORT, 0),
		DS_NONE,
		DS_COUNTER(KEYS_REPLAYED, 1),
	} },
	{ "a key frame the firmware refuses undoes the key on every link (rollback)", {
		DS_LINK_ADD(0, 0, 0), DS_ACT(KEY_OP_DONE, 0),
		DS_STA_ADD(0, 0), DS_ACT(KEY_OP_DONE, 0),
		DS_LINK_ADD(1, 1, 0), DS_ACT(KEY_OP_DONE, 0),
		DS_STA_ADD(1, 0), DS_ACT(KEY_OP_DONE, 0),
		DS_KEY(SET, CONNAC_CCMP, 0, -1, 0x50, 1, 0),
		DS_SENT(BSS_CIPHER, CONNAC_BSS, 0, 4, 0), DS_ANSWER_SENT(2, 0),
		DS_SENT(KEY, CONNAC_STA_REC, 1, 0, CONNAC_FRAME_PTK), DS_ANSWER_SENT(3, 0),
		DS_SENT(BSS_CIPHER, CONNAC_BSS, 1, 4, 0), DS_ANSWER_SENT(4, 0),
		DS_SENT(KEY, CONNAC_STA_REC, 2, 0, 0),
		DS_ANSWER_SENT(5, 1),
		/* link 0's copy reached the firmware: it goes again. */
		DS_SENT(KEY, CONNAC_STA_REC, 1, 0, CONNAC_FRAME_PTK_DISABLE),
		DS_ANSWER_SENT(6, 0),
		DS_ACT(KEY_OP_DONE, 1),
		DS_NONE,
		DS_COUNTER(ROLLBACK_FRAMES, 1),
		DS_COUNTER(KEY_OPS_FAILED, 1),
		/* The table forgot the key: its DISABLE sends nothing. */
		DS_KEY(DISABLE, CONNAC_CCMP, 0, -1, 0x50, 7, 0),
		DS_ACT(KEY_OP_DONE, 0),
		DS_NONE,
	} },
	{ "one key operation at a time; a DISABLE on a torn-down link is 0", {
		DS_LINK_ADD(0, 0, 0),
		DS_ACT(KEY_OP_DONE, 0),
		DS_KEY(SET, CONNAC_CCMP, 1, 0, 0xc0, 1, 0),
		DS_KEY(SET, CONNAC_CCMP, 2, 0, 0xd0, 1, -16),
		DS_SENT(BSS_CIPHER, CONNAC_BSS, 0, 4, 0),
		DS_KEY(SET, CONNAC_CCMP, 2, 0, 0xd0, 1, -16),
		DS_ANSWER_SENT(2, 0),
		DS_SENT(KEY, CONNAC_STA_REC, 19, 0, CONNAC_FRAME_GTK),
		DS_ANSWER_SENT(3, 0),
		DS_ACT(KEY_OP_DONE, 0),
		DS_LINK_REMOVE(0),
		DS_KEY(DISABLE, CONNAC_CCMP, 1, 0, 0xc0, 4, 0),
		DS_ACT(KEY_OP_DONE, 0),
		DS_KEY(DISABLE, CONNAC_CMAC, 4, 0, 0xa0, 5, 0),
		DS_ACT(KEY_OP_DONE, 0),
		DS_NONE,
		DS_COUNTER(KEY_FRAMES, 2),
	} },
	{ "peers get wcid 1, 2, 3, 4 on four links (0 is the driver's), a fifth link is ENOSPC", {
		DS_LINK_ADD(0, 0, 0), DS_ACT(KEY_OP_DONE, 0),
		DS_STA_ADD(0, 0), DS_ACT(KEY_OP_DONE, 0),
		DS_LINK_ADD(1, 1, 0), DS_ACT(KEY_OP_DONE, 0),
		DS_STA_ADD(1, 0), DS_ACT(KEY_OP_DONE, 0),
		DS_LINK_ADD(2, 2, 0), DS_ACT(KEY_OP_DONE, 0),
		DS_STA_ADD(2, 0), DS_ACT(KEY_OP_DONE, 0),
		DS_LINK_ADD(3, 3, 0), DS_ACT(KEY_OP_DONE, 0),
		DS_STA_ADD(3, 0), DS_ACT(KEY_OP_DONE, 0),
		DS_LINK_ADD(4, 0, -28),
		DS_KEY(SET, CONNAC_CCMP, 0, -1, 0x50, 1, 0),
		DS_SENT(BSS_CIPHER, CONNAC_BSS, 0, 4, 0), DS_ANSWER_SENT(1, 0),
		DS_SENT(KEY, CONNAC_STA_REC, 1, 0, CONNAC_FRAME_PTK), DS_ANSWER_SENT(1, 0),
		DS_SENT(BSS_CIPHER, CONNAC_BSS, 1, 4, 0), DS_ANSWER_SENT(1, 0),
		DS_SENT(KEY, CONNAC_STA_REC, 2, 0, 0), DS_ANSWER_SENT(1, 0),
		DS_SENT(BSS_CIPHER, CONNAC_BSS, 2, 4, 0), DS_ANSWER_SENT(1, 0),
		DS_SENT(KEY, CONNAC_STA_REC, 3, 0, 0), DS_ANSWER_SENT(1, 0),
		DS_SENT(BSS_CIPHER, CONNAC_BSS, 3, 4, 0), DS_ANSWER_SENT(1, 0),
		DS_SENT(KEY, CONNAC_STA_REC, 4, 0, 0), DS_ANSWER_SENT(1, 0),
		DS_ACT(KEY_OP_DONE, 0),
		DS_NONE,
		/* A station removed frees its wcid; the next one takes it again. */
		DS_STA_REMOVE(1),
		DS_STA_ADD(1, 0),
		DS_SENT(KEY, CONNAC_STA_REC, 2, 0, 0), DS_ANSWER_SENT(2, 0),
		DS_ACT(KEY_OP_DONE, 0),
		DS_NONE,
	} },
	{ "a COREDUMP event resets without waiting for a timeout", {
		DS_SUBMIT(CONNAC_BSS, 0, 0),
		DS_COREDUMP(5),
		DS_ACT(UNSOLICITED, 52),
		DS_ENDED(FAIL, 0, -108),
		DS_ACT(STOP_TX, 0),
		DS_ACT(RUN_STEP, CONNAC_STEP_WFSYS),
		DS_NONE,
		DS_COUNTER(TRIGGERS_ASSERT, 1),
		DS_COUNTER(TIMEOUTS, 0),
	} },
	{ "the host's own wait: on_command_result answers, a timeout resets", {
		DS_SUBMIT(CONNAC_BSS, 0, 0),
		DS_SUBMIT(CONNAC_BSS, 0, 0),
		DS_RESULT(0, 10, 0),
		DS_NONE,
		DS_RESULT(0, 11, -110),
		DS_NONE,
		DS_COUNTER(IN_FLIGHT, 1),
		DS_RESULT(1, 3000, -110),
		DS_ACT(STOP_TX, 0),
		DS_ACT(RUN_STEP, CONNAC_STEP_WFSYS),
		DS_NONE,
		DS_COUNTER(EPISODES, 1),
	} },
	{ "a firmware that never comes back: WEDGED, keys and commands refused", {
		DS_CONFIG(1, 0, 0),
		DS_LINK_ADD(0, 0, 0),
		DS_ACT(KEY_OP_DONE, 0),
		DS_REQUEST(0),
		DS_ACT(STOP_TX, 0),
		DS_ACT(RUN_STEP, CONNAC_STEP_WFSYS),
		DS_STEP(CONNAC_STEP_WFSYS, 55, 0),
		DS_ACT(REPORT, 1),
		DS_NONE,
		DS_STATE(WEDGED),
		DS_SUBMIT(CONNAC_BSS, 60, -108),
		DS_KEY(SET, CONNAC_CCMP, 1, 0, 0xc0, 61, -108),
		DS_CONFIG(6, 0, -16),
	} },
	{ "the liveness probe: a slow but alive firmware is left alone", {
		DS_CONFIG(6, 300, 0),
		DS_SUBMIT(CONNAC_SCAN, 0, 0),
		DS_TICK(300),
		DS_ACT(PROBE, 0),
		DS_NONE,
		DS_STATE(PROBING),
		DS_PROBE(310, 1),
		DS_NONE,
		DS_STATE(RUNNING),
		DS_ANSWER(0, 2000, 0),
		DS_ENDED(COMPLETE, 0, 0),
		DS_COUNTER(EPISODES, 0),
	} },
	{ "a moved struct connac_dev carries on, the original poisoned", {
		DS_LINK_ADD(0, 0, 0),
		DS_ACT(KEY_OP_DONE, 0),
		DS_SUBMIT(CONNAC_BSS, 0, 0),
		DS_SUBMIT(CONNAC_STA_REC, 10, 0),
		DS_MOVE,
		DS_ANSWER(0, 20, 0),
		DS_ENDED(COMPLETE, 0, 0),
		DS_KEY(SET, CONNAC_CCMP, 1, 0, 0xc0, 30, 0),
		DS_SENT(BSS_CIPHER, CONNAC_BSS, 0, 4, 0),
		DS_ANSWER_SENT(31, 0),
		DS_SENT(KEY, CONNAC_STA_REC, 19, 0, CONNAC_FRAME_GTK),
		DS_ANSWER_SENT(32, 0),
		DS_ACT(KEY_OP_DONE, 0),
		DS_TICK(3010),
		DS_ENDED(FAIL, 1, -110),
		DS_ACT(STOP_TX, 0),
		DS_ACT(RUN_STEP, CONNAC_STEP_WFSYS),
		DS_NONE,
	} },
};

#ifdef __cplusplus
#pragma GCC diagnostic pop
#endif

#define CONNAC_CASES_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------------------------------------------------------------------
 * Runners: one case in, 0 (pass) or -1 (fail, *f says where) out. The caller
 * owns the scratch (it is too large for a kernel stack) and prints.
 */
struct connac_case_scratch {
	struct connac_dev dev;
	struct connac_dev moved;	/* CONNAC_DOP_MOVE: the copy */
	struct connac_ticket subs[16];	/* host commands, in submit order */
	unsigned int nsubs;
	struct connac_ticket sent;	/* the last SEND's */
	unsigned long ev_len;		/* the last event's length */
	struct connac_action act;
	struct connac_counters ctr;
	struct connac_config cfg;
	struct connac_key_conf key;
	unsigned char buf[256];
	unsigned char want[256];
	unsigned char ev[128];
};

struct connac_case_fail {
	const char *what;
	int step;
	long long got;
	long long want;
};

static inline CONNAC_CASES_FN int
connac_case_failed(struct connac_case_fail *f, const char *what, int step,
		   long long got, long long want)
{
	f->what = what;
	f->step = step;
	f->got = got;
	f->want = want;
	return -1;
}

static inline CONNAC_CASES_FN int
connac_case_str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* Index of the first differing byte, or -1. */
static inline CONNAC_CASES_FN long
connac_case_diff(const unsigned char *a, const unsigned char *b,
		 unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return (long)i;
	return -1;
}

static inline CONNAC_CASES_FN int
connac_case_frame(const struct connac_frame_case *c,
		  struct connac_case_scratch *s, struct connac_case_fail *f)
{
	struct connac_frame_info info;
	long plen, want, n, at;
	int ret;

	plen = connac_case_hex(c->payload, s->ev, sizeof(s->ev));
	want = connac_case_hex(c->frame, s->want, sizeof(s->want));
	if (plen < 0 || want < 0)
		return connac_case_failed(f, "bad hex in the case", 0, 0, 0);
	n = connac_frame_encode(c->family, c->cmd, c->seq, c->flags, s->ev,
				(unsigned long)plen, s->buf, sizeof(s->buf));
	if (n != want)
		return connac_case_failed(f, "encoded length", 0, n, want);
	at = connac_case_diff(s->buf, s->want, (unsigned long)n);
	if (at >= 0)
		return connac_case_failed(f, "encoded byte differs at offset",
					  0, at, s->want[at]);
	ret = connac_frame_decode(s->buf, (unsigned long)n, &info);
	if (ret)
		return connac_case_failed(f, "decode", 1, ret, 0);
	if (info.cmd != c->decoded_cmd)
		return connac_case_failed(f, "decoded command word", 1,
					  info.cmd, c->decoded_cmd);
	if (info.seq != c->seq ||
	    info.payload_len != (unsigned long)plen ||
	    info.header_size + info.payload_len != (unsigned long)n)
		return connac_case_failed(f, "decoded seq/payload", 1,
					  info.seq, c->seq);
	/* Every truncation of a valid frame is rejected, never read past. */
	for (at = 0; at < n; at++) {
		ret = connac_frame_decode(s->buf, (unsigned long)at, &info);
		if (ret != -74 || !info.reason)
			return connac_case_failed(f, "truncated frame accepted",
						  2, at, -74);
	}
	return 0;
}

static inline CONNAC_CASES_FN int
connac_case_frame_err(const struct connac_frame_err_case *c,
		      struct connac_case_scratch *s, struct connac_case_fail *f)
{
	unsigned long i;
	long n;

	for (i = 0; i < sizeof(s->buf); i++)
		s->buf[i] = 0xa5;
	n = connac_frame_encode(c->family, c->cmd, c->seq, 0, s->ev,
				c->payload_len, s->buf, c->out_len);
	if (n != c->expect)
		return connac_case_failed(f, "encode result", 0, n, c->expect);
	for (i = 0; i < sizeof(s->buf); i++)
		if (s->buf[i] != 0xa5)
			return connac_case_failed(f, "failed encode wrote byte",
						  0, (long long)i, 0);
	return 0;
}

static inline CONNAC_CASES_FN int
connac_case_response(const struct connac_response_case *c,
		     struct connac_case_scratch *s, struct connac_case_fail *f)
{
	struct connac_response r;
	long plen, len;
	int ret;

	plen = connac_case_hex(c->payload, s->buf, sizeof(s->buf));
	if (plen < 0)
		return connac_case_failed(f, "bad hex in the case", 0, 0, 0);
	len = connac_case_event(c->family, c->ev_seq, c->eid, c->option,
				c->ext_eid, s->buf, (unsigned long)plen, s->ev,
				sizeof(s->ev));
	if (len < 0)
		return connac_case_failed(f, "event too long", 0, 0, 0);
	ret = connac_parse_response(c->family, c->cmd, c->cmd_seq, s->ev,
				    (unsigned long)len, &r);
	if (ret != c->expect)
		return connac_case_failed(f, "verdict", 0, ret, c->expect);
	if (ret == 0 && r.fw_status != c->fw_status)
		return connac_case_failed(f, "firmware status", 0, r.fw_status,
					  c->fw_status);
	if (ret != 0 && !r.reason)
		return connac_case_failed(f, "no reason given", 0, 0, 0);
	/* Any shorter event is malformed, never an out-of-bounds read. */
	ret = connac_parse_response(c->family, c->cmd, c->cmd_seq, s->ev,
				    c->family == CONNAC_MT7921 ? 35 : 43, &r);
	if (ret != -74)
		return connac_case_failed(f, "short event verdict", 1, ret, -74);
	return 0;
}

static inline CONNAC_CASES_FN int
connac_case_name(const struct connac_name_case *c, struct connac_case_fail *f)
{
	const char *kind = (const char *)0;
	const char *name = connac_cmd_name(c->cmd, &kind);

	if (!connac_case_str_eq(name, c->name))
		return connac_case_failed(f, "name", 0, c->cmd, 0);
	if (!connac_case_str_eq(kind, c->kind))
		return connac_case_failed(f, "kind", 0, c->cmd, 0);
	return 0;
}

/* The names of errnos, states and steps, and their out-of-range answers. */
static inline CONNAC_CASES_FN int
connac_case_names(struct connac_case_fail *f)
{
	if (!connac_case_str_eq(connac_errno_name(-110), "ETIMEDOUT") ||
	    !connac_case_str_eq(connac_errno_name(0), "OK") ||
	    !connac_case_str_eq(connac_errno_name(-1000), "E?"))
		return connac_case_failed(f, "errno name", 0, 0, 0);
	if (!connac_case_str_eq(connac_state_name(CONNAC_STATE_WFSYS_RESET),
				"WFSYS_RESET") ||
	    !connac_case_str_eq(connac_state_name(CONNAC_STATE_WEDGED), "WEDGED") ||
	    connac_state_name(-1) || connac_state_name(CONNAC_STATE_WEDGED + 1))
		return connac_case_failed(f, "state name", 1, 0, 0);
	if (!connac_case_str_eq(connac_step_name(CONNAC_STEP_WFSYS),
				"wfsys_reset") ||
	    !connac_case_str_eq(connac_step_name(CONNAC_STEP_RESTORE), "restore") ||
	    connac_step_name(CONNAC_STEPS))
		return connac_case_failed(f, "step name", 2, 0, 0);
	return 0;
}

static inline CONNAC_CASES_FN void
connac_case_addr(unsigned char *a, unsigned char first, unsigned char link)
{
	a[0] = 0x02;
	a[1] = first;
	a[2] = first == 0xb0 ? 0x55 : 0;
	a[3] = first == 0xb0 ? 0x1d : 0;
	a[4] = 0;
	a[5] = link;
}

/* An mt7925 UNI RESULT {cid, 3 pad, le32 status} answering @t. */
static inline CONNAC_CASES_FN long
connac_case_answer(struct connac_case_scratch *s,
		   const struct connac_ticket *t, int status)
{
	unsigned char res[8] = { (unsigned char)t->cmd, 0, 0, 0,
				 (unsigned char)status,
				 (unsigned char)(status >> 8),
				 (unsigned char)(status >> 16),
				 (unsigned char)(status >> 24) };

	return connac_case_event(CONNAC_MT7925, t->seq, CONNAC_CASE_EID_RESULT,
				 CONNAC_CASE_OPT_UNI, 0, res, sizeof(res),
				 s->ev, sizeof(s->ev));
}

/* What a SEND carries, against step @st. */
static inline CONNAC_CASES_FN int
connac_case_sent(const struct connac_dev_step *st, struct connac_case_scratch *s,
		 struct connac_case_fail *f, int i)
{
	const struct connac_action *a = &s->act;
	unsigned char dev_addr[6] = { 0x02, 0xde, 0, 0, 0, 0 };
	long want, n, at;

	if (st->cmd && a->cmd != st->cmd)
		return connac_case_failed(f, "SEND: command word", i, a->cmd,
					  st->cmd);
	if (a->ticket.seq < 1 || a->ticket.seq > CONNAC_MAX_SEQ ||
	    a->ticket.cmd != a->cmd)
		return connac_case_failed(f, "SEND: ticket", i, a->ticket.seq, 1);
	s->sent = a->ticket;
	if (a->is_restore != (st->ref >= CONNAC_CASE_SEND_RESTORE_DEVICE))
		return connac_case_failed(f, "SEND: restore or key", i,
					  a->is_restore, st->ref);
	switch (st->ref) {
	case CONNAC_CASE_SEND_KEY:
		if (a->key.kind != CONNAC_KEY_ACTION_KEY || a->key.wcid != st->expect)
			return connac_case_failed(f, "SEND key: kind/wcid", i,
						  a->key.kind * 1000 + a->key.wcid,
						  st->expect);
		if (!st->frame)
			return 0;
		want = connac_case_hex(st->frame, s->want, sizeof(s->want));
		n = connac_key_action_encode(CONNAC_MT7925, &a->key, a->ticket.seq,
					     s->buf, sizeof(s->buf));
		if (want < 40 || n != want)
			return connac_case_failed(f, "SEND key: frame length", i,
						  n, want);
		s->want[39] = a->ticket.seq;	/* the golden frames say 01 */
		at = connac_case_diff(s->buf, s->want, (unsigned long)n);
		if (at >= 0)
			return connac_case_failed(f, "SEND key: byte differs at offset",
						  i, at, s->want[at]);
		return 0;
	case CONNAC_CASE_SEND_BSS_CIPHER:
		if (a->key.kind != CONNAC_KEY_ACTION_BSS_CIPHER ||
		    a->key.bss_idx != st->expect || a->key.cipher_id != st->cipher)
			return connac_case_failed(f, "SEND BSS cipher: kind/bss/cipher",
						  i, a->key.bss_idx, st->expect);
		if (connac_key_action_encode(CONNAC_MT7925, &a->key, 1, s->buf,
					     sizeof(s->buf)) != -22)
			return connac_case_failed(f, "SEND BSS cipher encoded as a key",
						  i, 0, -22);
		return 0;
	case CONNAC_CASE_SEND_RESTORE_DEVICE:
		if (a->restore.kind != CONNAC_RESTORE_DEVICE ||
		    connac_case_diff(a->restore.addr, dev_addr, 6) >= 0)
			return connac_case_failed(f, "SEND restore: device", i,
						  a->restore.kind, 0);
		return 0;
	case CONNAC_CASE_SEND_RESTORE_BSS:
		if (a->restore.kind != CONNAC_RESTORE_BSS ||
		    a->restore.bss_idx != st->expect ||
		    a->restore.cipher != st->cipher || !a->restore.active)
			return connac_case_failed(f, "SEND restore: BSS kind/bss/cipher",
						  i, a->restore.bss_idx, st->expect);
		return 0;
	case CONNAC_CASE_SEND_RESTORE_STA:
		if (a->restore.kind != CONNAC_RESTORE_STA ||
		    a->restore.wcid != st->expect)
			return connac_case_failed(f, "SEND restore: station wcid", i,
						  a->restore.wcid, st->expect);
		return 0;
	}
	return connac_case_failed(f, "bad SEND check in the case", i, st->ref, 0);
}

/* The next action, against step @st (see CONNAC_DOP_ACT). */
static inline CONNAC_CASES_FN int
connac_case_act(const struct connac_dev_step *st, struct connac_dev *d,
		struct connac_case_scratch *s, struct connac_case_fail *f, int i)
{
	const struct connac_action *a = &s->act;
	int got = connac_dev_next_action(d, &s->act);
	int ret = 0;

	if (got != 1)
		return connac_case_failed(f, "no action", i, got, st->arg);
	if (a->kind != st->arg)
		return connac_case_failed(f, "action kind", i, a->kind, st->arg);
	switch (a->kind) {
	case CONNAC_ACT_COMPLETE:
	case CONNAC_ACT_FAIL:
		if (a->status != st->expect)
			return connac_case_failed(f, "status", i, a->status,
						  st->expect);
		if (st->ref >= s->nsubs ||
		    !connac_ticket_eq(&a->ticket, &s->subs[st->ref]))
			return connac_case_failed(f, "ended the wrong command", i,
						  a->ticket.seq, st->ref);
		if (a->kind == CONNAC_ACT_COMPLETE &&
		    (a->payload_offset < 44 ||
		     a->payload_offset + a->payload_len > s->ev_len))
			return connac_case_failed(f, "payload outside the event", i,
						  a->payload_offset, 44);
		break;
	case CONNAC_ACT_SEND:
		ret = connac_case_sent(st, s, f, i);
		break;
	case CONNAC_ACT_KEY_OP_DONE:
		if (a->status != st->expect)
			ret = connac_case_failed(f, "key operation status", i,
						 a->status, st->expect);
		break;
	case CONNAC_ACT_RUN_STEP:
		if ((int)a->step != st->expect)
			ret = connac_case_failed(f, "step", i, a->step, st->expect);
		break;
	case CONNAC_ACT_REPORT:
		if (a->wedged != st->expect)
			ret = connac_case_failed(f, "wedged", i, a->wedged,
						 st->expect);
		break;
	case CONNAC_ACT_UNSOLICITED:
		if (a->payload_offset != 0 || (int)a->payload_len != st->expect)
			ret = connac_case_failed(f, "unsolicited event", i,
						 a->payload_len, st->expect);
		break;
	}
	/* The action holds key bytes. */
	__builtin_memset(&s->act, 0, sizeof(s->act));
	return ret;
}

static inline CONNAC_CASES_FN long long
connac_case_counter(const struct connac_counters *c, unsigned int which)
{
	switch (which) {
	case CONNAC_CTR_TIMEOUTS: return c->timeouts;
	case CONNAC_CTR_IN_FLIGHT: return c->in_flight;
	case CONNAC_CTR_EPISODES: return c->episodes;
	case CONNAC_CTR_RECOVERIES: return c->recoveries;
	case CONNAC_CTR_REFUSED: return c->refused;
	case CONNAC_CTR_KEY_FRAMES: return c->key_frames;
	case CONNAC_CTR_ROLLBACK_FRAMES: return c->rollback_frames;
	case CONNAC_CTR_RESTORE_ITEMS: return c->restore_items;
	case CONNAC_CTR_KEYS_REPLAYED: return c->keys_replayed;
	case CONNAC_CTR_KEY_OPS_FAILED: return c->key_ops_failed;
	case CONNAC_CTR_TRIGGERS_ASSERT: return c->triggers[CONNAC_CAUSE_ASSERT];
	}
	return -1;
}

/* One input step; its return value goes to *got. */
static inline CONNAC_CASES_FN int
connac_case_input(const struct connac_dev_step *st, struct connac_dev *d,
		  struct connac_case_scratch *s, struct connac_case_fail *f,
		  int i, long long *got)
{
	static const unsigned char zero8[8] = { 0 };
	const struct connac_ticket *t = (const struct connac_ticket *)0;
	const long long now = st->t_ms * 1000000;
	unsigned char addr[6] = { 0x02, 0xde, 0, 0, 0, 0 };
	unsigned int bss = 0xff, j;
	long len = 0;

	switch (st->op) {
	case CONNAC_DOP_SUBMIT:
		*got = connac_dev_submit(d, st->cmd, CONNAC_ORIGIN_STACK, now,
					 &s->subs[s->nsubs < 15 ? s->nsubs : 15]);
		if (*got == 0 && s->nsubs < 15)
			s->nsubs++;
		return 0;
	case CONNAC_DOP_ANSWER:
	case CONNAC_DOP_RESULT:
	case CONNAC_DOP_ANSWER_SENT:
		t = st->op == CONNAC_DOP_ANSWER_SENT ? &s->sent :
		    st->arg < s->nsubs ? &s->subs[st->arg] : t;
		if (!t || !t->seq)
			return connac_case_failed(f, "no such command", i, st->arg, 0);
		if (st->op == CONNAC_DOP_RESULT) {
			*got = connac_dev_on_command_result(d, t, st->status, now);
			return 0;
		}
		len = connac_case_answer(s, t, st->status);
		break;
	case CONNAC_DOP_COREDUMP:
		/* UNI event COREDUMP (0x0a), seq 0, option UNI | unsolicited. */
		len = connac_case_event(CONNAC_MT7925, 0, 0x0a, 0x06, 0, zero8,
					sizeof(zero8), s->ev, sizeof(s->ev));
		break;
	case CONNAC_DOP_TICK:
		*got = connac_dev_on_tick(d, now);
		return 0;
	case CONNAC_DOP_STEP:
		*got = connac_dev_on_step_result(d, st->arg, st->status, now);
		return 0;
	case CONNAC_DOP_PROBE:
		*got = connac_dev_on_probe_result(d, st->status, now);
		return 0;
	case CONNAC_DOP_REQUEST:
		*got = connac_dev_request_reset(d, now);
		return 0;
	case CONNAC_DOP_SET_DEVICE:
		*got = connac_dev_set_device(d, addr);
		return 0;
	case CONNAC_DOP_LINK_ADD:
		connac_case_addr(addr, 0xb0, st->arg);
		*got = connac_dev_link_add(d, st->arg, addr, now, &bss);
		if (*got == 0 && (int)bss != st->status)
			return connac_case_failed(f, "bss_idx", i, bss, st->status);
		return 0;
	case CONNAC_DOP_LINK_ASSOC:
		connac_case_addr(addr, 0xa9, st->arg);
		*got = connac_dev_link_associated(d, st->arg, addr, st->status);
		return 0;
	case CONNAC_DOP_LINK_REMOVE:
		*got = connac_dev_link_remove(d, st->arg);
		return 0;
	case CONNAC_DOP_STA_ADD:
		connac_case_addr(addr, 0xa9, st->arg);
		*got = connac_dev_sta_add(d, st->arg, addr, now);
		return 0;
	case CONNAC_DOP_STA_REMOVE:
		*got = connac_dev_sta_remove(d, st->arg);
		return 0;
	case CONNAC_DOP_KEY:
		__builtin_memset(&s->key, 0, sizeof(s->key));
		s->key.cipher = st->cipher;
		s->key.keyidx = st->keyidx;
		s->key.link_id = st->link_id;
		s->key.key_len = 16;
		for (j = 0; j < 16; j++)
			s->key.key[j] = (unsigned char)(st->base + j);
		*got = connac_dev_set_key(d, (unsigned int)st->status, &s->key, now);
		__builtin_memset(&s->key, 0, sizeof(s->key));
		return 0;
	case CONNAC_DOP_COUNTER:
		if (connac_dev_get_counters(d, &s->ctr, sizeof(s->ctr)))
			return connac_case_failed(f, "get counters", i, 0, 0);
		*got = connac_case_counter(&s->ctr, st->arg);
		return 0;
	case CONNAC_DOP_CONFIG:
		if (connac_dev_get_config(d, &s->cfg, sizeof(s->cfg)))
			return connac_case_failed(f, "get config", i, 0, 0);
		s->cfg.wedge_after = st->arg;
		s->cfg.suspect_ns = now;
		*got = connac_dev_set_config(d, &s->cfg);
		return 0;
	}
	if (len < 0)
		return connac_case_failed(f, "event too long", i, len, 0);
	s->ev_len = (unsigned long)len;
	*got = connac_dev_on_event(d, s->ev, (unsigned long)len, now);
	return 0;
}

/* One step of a script on *@d (a MOVE changes *@d); 0 or -1 (*f says why). */
static inline CONNAC_CASES_FN int
connac_case_step(const struct connac_dev_step *st, struct connac_dev **d,
		 struct connac_case_scratch *s, struct connac_case_fail *f, int i)
{
	long long got = 0, want = st->expect;
	int ret = 0;

	switch (st->op) {
	case CONNAC_DOP_ACT:
		ret = connac_case_act(st, *d, s, f, i);
		got = want;
		break;
	case CONNAC_DOP_NONE:
		got = connac_dev_next_action(*d, &s->act);
		if (got == 1)
			got = 1000 + s->act.kind;	/* which one */
		want = 0;
		__builtin_memset(&s->act, 0, sizeof(s->act));
		break;
	case CONNAC_DOP_STATE:
		got = connac_dev_state(*d);
		break;
	case CONNAC_DOP_DEADLINE:
		got = connac_dev_next_deadline(*d);
		want = st->t_ms < 0 ? CONNAC_NEVER : st->t_ms * 1000000;
		break;
	case CONNAC_DOP_MOVE:
		/* A driver reallocates its struct: the copy goes on. */
		__builtin_memcpy(&s->moved, *d, sizeof(s->moved));
		__builtin_memset(*d, 0x6b, sizeof(**d));
		*d = &s->moved;
		break;
	default:
		ret = connac_case_input(st, *d, s, f, i, &got);
		break;
	}
	if (!ret && got != want)
		ret = connac_case_failed(f, "step result", i, got, want);
	return ret;
}

static inline CONNAC_CASES_FN int
connac_case_dev(const struct connac_dev_case *c, struct connac_case_scratch *s,
		struct connac_case_fail *f)
{
	const struct connac_dev_step *sub = connac_dev_associate_link0;
	struct connac_dev *d = &s->dev;
	int i, j, ret = 0;

	s->nsubs = 0;
	__builtin_memset(&s->sent, 0, sizeof(s->sent));
	if (connac_dev_init(d, CONNAC_MT7925, 0, (const struct connac_host_ops *)0))
		return connac_case_failed(f, "dev init", -1, 0, 0);
	for (i = 0; !ret && i < 64 && c->steps[i].op != CONNAC_DOP_END; i++) {
		if (c->steps[i].op != CONNAC_DOP_ASSOCIATE) {
			ret = connac_case_step(&c->steps[i], &d, s, f, i);
			continue;
		}
		/* Steps of the association: numbered 1000 + j. */
		for (j = 0; !ret && sub[j].op != CONNAC_DOP_END; j++)
			ret = connac_case_step(&sub[j], &d, s, f, 1000 + j);
	}
	connac_dev_destroy(d);
	connac_dev_destroy(&s->dev);
	return ret;
}

#ifdef __cplusplus
}
#endif

#endif /* CONNAC_CASES_H */
