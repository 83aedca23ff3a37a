/* SPDX-License-Identifier: GPL-2.0 */
/*
 * connac_cases.h - table-driven cases for the connac C API, shared by the
 * in-kernel self-test (connac_core.ko selftest=1, C) and the userspace
 * GoogleTest of the API (kmod/capi_test.cc, C++).
 *
 * Why one header: the kernel run proves the core behaves the same under the
 * kernel's code generation as in userspace, which only means something when
 * both run the very same cases. Plain data plus two small inline helpers, in
 * the common subset of kernel C and C++20; no kernel or C++ header.
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
 * Attributes of the runner functions: the kernel self-test defines it as
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
 * In-flight table scripts. Each case starts from a fresh mt7925 device at
 * t = 0; arm @n is the n-th successful ARM of the case.
 */
enum connac_txn_op {
	CONNAC_TXN_END = 0,
	CONNAC_TXN_ARM,		/* cmd at t_ms; expect 0 or -errno */
	CONNAC_TXN_EVENT,	/* answer {cid, status} with the seq of arm @arg */
	CONNAC_TXN_EVENT_SEQ,	/* answer with seq @arg itself */
	CONNAC_TXN_EVENT_SHORT,	/* 20 bytes: shorter than the RXD */
	CONNAC_TXN_EXPIRE,	/* at t_ms; expect = number expired */
	CONNAC_TXN_FAIL_ALL,	/* at most @arg (0: all room); expect = number failed */
	CONNAC_TXN_IN_FLIGHT,	/* expect = in_flight counter */
	CONNAC_TXN_DEADLINE,	/* expect next deadline == t_ms (-1: never) */
};

struct connac_txn_step {
	unsigned char op;
	unsigned int cmd;
	long long t_ms;
	unsigned char arg;
	unsigned char cid;
	int status;
	int expect;		/* -errno, a count, or an enum connac_event_kind */
};

struct connac_txn_case {
	const char *name;
	struct connac_txn_step steps[12];
};

#define CONNAC_BSS 0x00020002u
#define CONNAC_STA_REC 0x00020003u

static const struct connac_txn_case connac_txn_cases[] = {
	{ "txn: arm then answer completes", {
		{ CONNAC_TXN_ARM, CONNAC_BSS, 0, 0, 0, 0, 0 },
		{ CONNAC_TXN_DEADLINE, 0, 3000, 0, 0, 0, 0 },
		{ CONNAC_TXN_EVENT, 0, 0, 0, 0x02, 0, CONNAC_EV_COMPLETED },
		{ CONNAC_TXN_IN_FLIGHT, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_TXN_DEADLINE, 0, -1, 0, 0, 0, 0 },
	} },
	{ "txn: wrong cid is stale, then the answer completes", {
		{ CONNAC_TXN_ARM, CONNAC_BSS, 0, 0, 0, 0, 0 },
		{ CONNAC_TXN_EVENT, 0, 0, 0, 0x03, 0, CONNAC_EV_STALE },
		{ CONNAC_TXN_EVENT, 0, 0, 0, 0x02, 0, CONNAC_EV_COMPLETED },
	} },
	{ "txn: timeout quarantines, the late answer is absorbed", {
		{ CONNAC_TXN_ARM, CONNAC_BSS, 0, 0, 0, 0, 0 },
		{ CONNAC_TXN_EXPIRE, 0, 2999, 0, 0, 0, 0 },
		{ CONNAC_TXN_EXPIRE, 0, 3000, 0, 0, 0, 1 },
		{ CONNAC_TXN_EVENT, 0, 0, 0, 0x02, 0, CONNAC_EV_LATE },
		{ CONNAC_TXN_EVENT, 0, 0, 0, 0x02, 0, CONNAC_EV_UNMATCHED },
	} },
	{ "txn: fail_all fails every command in flight", {
		{ CONNAC_TXN_ARM, CONNAC_BSS, 0, 0, 0, 0, 0 },
		{ CONNAC_TXN_ARM, CONNAC_STA_REC, 10, 0, 0, 0, 0 },
		{ CONNAC_TXN_ARM, CONNAC_BSS, 20, 0, 0, 0, 0 },
		{ CONNAC_TXN_IN_FLIGHT, 0, 0, 0, 0, 0, 3 },
		{ CONNAC_TXN_FAIL_ALL, 0, 0, 0, 0, 0, 3 },
		{ CONNAC_TXN_EVENT, 0, 0, 1, 0x03, 0, CONNAC_EV_UNMATCHED },
		{ CONNAC_TXN_DEADLINE, 0, -1, 0, 0, 0, 0 },
	} },
	{ "txn: seq 0 is unsolicited, a short event malformed", {
		{ CONNAC_TXN_EVENT_SEQ, 0, 0, 0, 0x02, 0, CONNAC_EV_UNSOLICITED },
		{ CONNAC_TXN_EVENT_SHORT, 0, 0, 0, 0, 0, CONNAC_EV_MALFORMED },
	} },
	{ "txn: the eighth command finds the table full", {
		{ CONNAC_TXN_ARM, CONNAC_BSS, 0, 0, 0, 0, 0 },
		{ CONNAC_TXN_ARM, CONNAC_BSS, 0, 0, 0, 0, 0 },
		{ CONNAC_TXN_ARM, CONNAC_BSS, 0, 0, 0, 0, 0 },
		{ CONNAC_TXN_ARM, CONNAC_BSS, 0, 0, 0, 0, 0 },
		{ CONNAC_TXN_ARM, CONNAC_BSS, 0, 0, 0, 0, 0 },
		{ CONNAC_TXN_ARM, CONNAC_BSS, 0, 0, 0, 0, 0 },
		{ CONNAC_TXN_ARM, CONNAC_BSS, 0, 0, 0, 0, 0 },
		{ CONNAC_TXN_ARM, CONNAC_BSS, 0, 0, 0, 0, -28 },
		{ CONNAC_TXN_IN_FLIGHT, 0, 0, 0, 0, 0, CONNAC_TXN_MAX_INFLIGHT },
		{ CONNAC_TXN_FAIL_ALL, 0, 0, 0, 0, 0, CONNAC_TXN_MAX_INFLIGHT },
	} },
	{ "txn: fail_all with a small max strands no waiter", {
		{ CONNAC_TXN_ARM, CONNAC_BSS, 0, 0, 0, 0, 0 },
		{ CONNAC_TXN_ARM, CONNAC_STA_REC, 0, 0, 0, 0, 0 },
		{ CONNAC_TXN_ARM, CONNAC_BSS, 0, 0, 0, 0, 0 },
		{ CONNAC_TXN_FAIL_ALL, 0, 0, 1, 0, 0, 1 },
		{ CONNAC_TXN_IN_FLIGHT, 0, 0, 0, 0, 0, 2 },
		{ CONNAC_TXN_EVENT, 0, 0, 2, 0x02, 0, CONNAC_EV_COMPLETED },
		{ CONNAC_TXN_FAIL_ALL, 0, 0, 1, 0, 0, 1 },
		{ CONNAC_TXN_FAIL_ALL, 0, 0, 1, 0, 0, 0 },
		{ CONNAC_TXN_IN_FLIGHT, 0, 0, 0, 0, 0, 0 },
	} },
};

/* ---------------------------------------------------------------------------
 * Key scripts on a fresh mt7925 device. Link @link has BSSID
 * 02:b0:55:1d:00:<link> and its AP link-station 02:a9:00:00:00:<link>; key
 * bytes are base, base + 1, ... When @frame is set, the step's first action
 * encoded with @seq must equal it (CONNAC_KEY_FRAME_SIZE bytes).
 */
enum connac_key_op {
	CONNAC_KOP_END = 0,
	CONNAC_KOP_LINK_ADD,
	CONNAC_KOP_LINK_REMOVE,
	CONNAC_KOP_STA_ADD,
	CONNAC_KOP_STA_REMOVE,
	CONNAC_KOP_SET,
	CONNAC_KOP_DISABLE,
	CONNAC_KOP_RESET_BEGIN,
	CONNAC_KOP_REPLAY,
	CONNAC_KOP_ABORT,	/* the previous step's actions failed at @keyidx */
	CONNAC_KOP_FILL,	/* the next step's list starts with @keyidx entries */
};

struct connac_key_step {
	unsigned char op;
	unsigned char link;
	unsigned int cipher;
	unsigned char keyidx;
	signed char link_id;
	unsigned char key_len;
	unsigned char base;
	int expect;
	unsigned char actions;	/* actions the step returns */
	unsigned char seq;
	const char *frame;
};

struct connac_key_case {
	const char *name;
	struct connac_key_step steps[14];
};

#define CONNAC_CCMP CONNAC_SUITE_CCMP
#define CONNAC_CMAC CONNAC_SUITE_AES_CMAC

/* The 48-byte UNI header of a key frame (STA_REC_UPDATE, 124 bytes). */
#define CONNAC_KEY_HDR(seq) \
	"7c 00 00 41  00 40 00 00 " CONNAC_CASE_TXD_ZERO \
	"5c 00 03 00  00 a0 00 " seq "  00 00 00 07  00 00 00 00 "
#define CONNAC_CASE_ZERO16 "00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00 "

static const struct connac_key_case connac_key_cases[] = {
	{ "keys: group CCMP on link 0 (BSS wcid 19)", {
		{ CONNAC_KOP_LINK_ADD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_KOP_SET, 0, CONNAC_CCMP, 1, 0, 16, 0xc0, 0, 1, 1,
		  CONNAC_KEY_HDR("01")
		  "00 13 01 00 01 0e 00 00  27 00 44 00  01 00 00 00 02 b0 55 1d 00 00  00 04 01 10 13 01 c0 c1 c2 c3 c4 c5 c6 c7  c8 c9 ca cb cc cd ce cf "
		  CONNAC_CASE_ZERO16 CONNAC_CASE_ZERO16 },
	} },
	{ "keys: pairwise CCMP on the link-station (wcid 0)", {
		{ CONNAC_KOP_LINK_ADD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_KOP_STA_ADD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_KOP_SET, 0, CONNAC_CCMP, 0, -1, 16, 0x50, 0, 1, 2,
		  CONNAC_KEY_HDR("02")
		  "00 00 01 00 01 00 00 00  27 00 44 00  01 01 01 00 02 a9 00 00 00 00  00 04 00 10 00 01 50 51 52 53 54 55 56 57  58 59 5a 5b 5c 5d 5e 5f "
		  CONNAC_CASE_ZERO16 CONNAC_CASE_ZERO16 },
	} },
	{ "keys: IGTK record is the CCMP key then the IGTK", {
		{ CONNAC_KOP_LINK_ADD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_KOP_SET, 0, CONNAC_CCMP, 1, 0, 16, 0xc0, 0, 1, 0, 0 },
		{ CONNAC_KOP_SET, 0, CONNAC_CMAC, 4, 0, 16, 0xa0, 0, 1, 3,
		  CONNAC_KEY_HDR("03")
		  "00 13 01 00 01 0e 00 00  27 00 44 00  01 00 00 00 02 b0 55 1d 00 00  00 06 01 20 13 01 c0 c1 c2 c3 c4 c5 c6 c7  c8 c9 ca cb cc cd ce cf a0 a1 a2 a3 a4 a5 a6 a7  a8 a9 aa ab ac ad ae af "
		  CONNAC_CASE_ZERO16 },
	} },
	{ "keys: roam, DISABLE on the torn-down link is 0, no traffic", {
		{ CONNAC_KOP_LINK_ADD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_KOP_STA_ADD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_KOP_SET, 0, CONNAC_CCMP, 0, -1, 16, 0x50, 0, 1, 0, 0 },
		{ CONNAC_KOP_SET, 0, CONNAC_CCMP, 1, 0, 16, 0xc0, 0, 1, 0, 0 },
		{ CONNAC_KOP_SET, 0, CONNAC_CMAC, 4, 0, 16, 0xa0, 0, 1, 0, 0 },
		{ CONNAC_KOP_LINK_ADD, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_KOP_STA_ADD, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0 },
		{ CONNAC_KOP_SET, 0, CONNAC_CCMP, 1, 1, 16, 0xd0, 0, 1, 0, 0 },
		{ CONNAC_KOP_STA_REMOVE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_KOP_LINK_REMOVE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_KOP_DISABLE, 0, CONNAC_CCMP, 1, 0, 16, 0xc0, 0, 0, 0, 0 },
		{ CONNAC_KOP_DISABLE, 0, CONNAC_CMAC, 4, 0, 16, 0xa0, 0, 0, 0, 0 },
	} },
	{ "keys: group key for a link not up yet is cached", {
		{ CONNAC_KOP_SET, 0, CONNAC_CCMP, 2, 3, 16, 0xc0, 0, 0, 0, 0 },
		{ CONNAC_KOP_LINK_ADD, 3, 0, 0, 0, 0, 0, 0, 1, 0, 0 },
	} },
	{ "keys: reset replays pairwise, group, IGTK", {
		{ CONNAC_KOP_LINK_ADD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_KOP_STA_ADD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_KOP_SET, 0, CONNAC_CCMP, 0, -1, 16, 0x50, 0, 1, 0, 0 },
		{ CONNAC_KOP_SET, 0, CONNAC_CCMP, 1, 0, 16, 0xc0, 0, 1, 0, 0 },
		{ CONNAC_KOP_SET, 0, CONNAC_CMAC, 4, 0, 16, 0xa0, 0, 1, 0, 0 },
		{ CONNAC_KOP_RESET_BEGIN, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_KOP_SET, 0, CONNAC_CCMP, 2, 0, 16, 0xe0, 0, 0, 0, 0 },
		{ CONNAC_KOP_REPLAY, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0 },
		{ CONNAC_KOP_REPLAY, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	} },
	{ "keys: failed pairwise fan-out rolls back", {
		{ CONNAC_KOP_LINK_ADD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_KOP_STA_ADD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_KOP_LINK_ADD, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_KOP_STA_ADD, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_KOP_SET, 0, CONNAC_CCMP, 0, -1, 16, 0x50, 0, 2, 0, 0 },
		{ CONNAC_KOP_ABORT, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0 },
		{ CONNAC_KOP_STA_REMOVE, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_KOP_STA_ADD, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	} },
	{ "keys: refused keys go to software", {
		{ CONNAC_KOP_LINK_ADD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_KOP_SET, 0, CONNAC_CMAC, 4, 0, 16, 0xa0, -95, 0, 0, 0 },
		{ CONNAC_KOP_SET, 0, 0x000fac0d, 4, 0, 32, 0xa0, -95, 0, 0, 0 },
		{ CONNAC_KOP_SET, 0, CONNAC_CCMP, 6, 0, 16, 0xa0, -95, 0, 0, 0 },
		{ CONNAC_KOP_SET, 0, CONNAC_CCMP, 1, 0, 15, 0xa0, -22, 0, 0, 0 },
		{ CONNAC_KOP_LINK_ADD, 15, 0, 0, 0, 0, 0, -22, 0, 0, 0 },
		{ CONNAC_KOP_LINK_ADD, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_KOP_LINK_ADD, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_KOP_LINK_ADD, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_KOP_LINK_ADD, 4, 0, 0, 0, 0, 0, -28, 0, 0, 0 },
		{ CONNAC_KOP_STA_ADD, 9, 0, 0, 0, 0, 0, -67, 0, 0, 0 },
	} },
	{ "keys: a list counting more than its capacity is refused", {
		{ CONNAC_KOP_SET, 0, CONNAC_CCMP, 0, -1, 16, 0x50, 0, 0, 0, 0 },
		{ CONNAC_KOP_SET, 0, CONNAC_CCMP, 1, 0, 16, 0xc0, 0, 0, 0, 0 },
		{ CONNAC_KOP_FILL, 0, 0, 17, 0, 0, 0, 0, 17, 0, 0 },
		{ CONNAC_KOP_LINK_ADD, 0, 0, 0, 0, 0, 0, -22, 17, 0, 0 },
		{ CONNAC_KOP_LINK_ADD, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0 },
		{ CONNAC_KOP_FILL, 0, 0, 17, 0, 0, 0, 0, 17, 0, 0 },
		{ CONNAC_KOP_STA_ADD, 0, 0, 0, 0, 0, 0, -22, 17, 0, 0 },
		{ CONNAC_KOP_FILL, 0, 0, 17, 0, 0, 0, 0, 17, 0, 0 },
		{ CONNAC_KOP_DISABLE, 0, 0, 1, 0, 0, 0, -22, 17, 0, 0 },
		{ CONNAC_KOP_STA_ADD, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0 },
	} },
	{ "keys: a DISABLE that does not fit the list changes nothing", {
		{ CONNAC_KOP_LINK_ADD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_KOP_STA_ADD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_KOP_LINK_ADD, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_KOP_STA_ADD, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_KOP_SET, 0, CONNAC_CCMP, 0, -1, 16, 0x50, 0, 2, 0, 0 },
		{ CONNAC_KOP_FILL, 0, 0, 15, 0, 0, 0, 0, 15, 0, 0 },
		{ CONNAC_KOP_DISABLE, 0, 0, 0, -1, 0, 0, -28, 15, 0, 0 },
		{ CONNAC_KOP_DISABLE, 0, 0, 0, -1, 0, 0, 0, 2, 0, 0 },
		{ CONNAC_KOP_DISABLE, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0 },
	} },
	{ "keys: a link add whose cached keys do not fit changes nothing", {
		{ CONNAC_KOP_SET, 0, CONNAC_CCMP, 1, 0, 16, 0xc0, 0, 0, 0, 0 },
		{ CONNAC_KOP_FILL, 0, 0, 16, 0, 0, 0, 0, 16, 0, 0 },
		{ CONNAC_KOP_LINK_ADD, 0, 0, 0, 0, 0, 0, -28, 16, 0, 0 },
		{ CONNAC_KOP_LINK_ADD, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0 },
	} },
};

/* ---------------------------------------------------------------------------
 * Reset sequencer scripts on a fresh mt7925 device with the default
 * configuration (docs/reset.md: WFSYS watchdog 700 ms, semaphore/patch/RAM
 * 3 s, ready 1.5 s, restore 5 s; backoff 0, 0, 100, 500 ms; hold-off after 3
 * failures for 30 s; WEDGED after 6; failures forgotten after 60 s).
 *
 * An input (TIMEOUT ... TICK) must return 0, give exactly the actions
 * @flags (and @step with RUN_STEP) and leave the state @expect; an @expect
 * below 0 is the error it must return instead, with no action.
 */
enum connac_seq_op {
	CONNAC_SOP_END = 0,
	CONNAC_SOP_TIMEOUT,	/* at t_ms */
	CONNAC_SOP_ASSERT,
	CONNAC_SOP_REQUEST,
	CONNAC_SOP_STEP,	/* step @arg finished at t_ms, @ok */
	CONNAC_SOP_PROBE,	/* the probe's answer: alive @ok */
	CONNAC_SOP_TICK,	/* oldest command sent at @oldest_ms (-1 none) */
	CONNAC_SOP_ADMIT,	/* expect: what connac_seq_admit() returns */
	CONNAC_SOP_DEADLINE,	/* expect: next deadline, ms (-1 never) */
	CONNAC_SOP_COUNTER,	/* expect: counter @arg (enum connac_seq_ctr) */
	CONNAC_SOP_PROBE_ON,	/* suspect t_ms, window oldest_ms; expect ret */
};

/* What CONNAC_SOP_COUNTER reads. */
enum connac_seq_ctr {
	CONNAC_SC_TRIG_TIMEOUT,
	CONNAC_SC_TRIG_ASSERT,
	CONNAC_SC_TRIG_PROBE,
	CONNAC_SC_TRIG_REQUEST,
	CONNAC_SC_COALESCED,
	CONNAC_SC_EPISODES,
	CONNAC_SC_ATTEMPTS,
	CONNAC_SC_FAILED,
	CONNAC_SC_WFSYS_TIMEOUTS,
	CONNAC_SC_WFSYS_FAILURES,
	CONNAC_SC_CRASHES_IN_RESTORE,
	CONNAC_SC_RELAPSES,
	CONNAC_SC_RECOVERIES,
	CONNAC_SC_HOLD_OFFS,
	CONNAC_SC_WEDGED,
	CONNAC_SC_PROBES,
	CONNAC_SC_PROBES_ALIVE,
	CONNAC_SC_STALE,
	CONNAC_SC_REJECTED,
	CONNAC_SC_FAILURES,
	CONNAC_SC_REPORT_CAUSE,
	CONNAC_SC_REPORT_ATTEMPTS,
	CONNAC_SC_REPORT_RECOVERED,
};

struct connac_seq_script_step {
	unsigned char op;
	unsigned char arg;
	unsigned char ok;
	unsigned char step;	/* the RUN_STEP wanted */
	int t_ms;
	int oldest_ms;
	unsigned int flags;	/* the actions wanted */
	int expect;
};

struct connac_seq_case {
	const char *name;
	struct connac_seq_script_step steps[24];
};

/* The first trigger's actions, and a recovery's. */
#define CONNAC_SA_DEAD (CONNAC_SEQ_ACT_FAIL_PENDING | \
			CONNAC_SEQ_ACT_REJECT_NEW | CONNAC_SEQ_ACT_STOP_TX)
#define CONNAC_SA_RUN CONNAC_SEQ_ACT_RUN_STEP
#define CONNAC_SA_BACK (CONNAC_SEQ_ACT_ACCEPT_NEW | \
			CONNAC_SEQ_ACT_RESUME_TX | CONNAC_SEQ_ACT_REPORT)

/* Shorter names for the tables. */
#define CONNAC_S_WFSYS CONNAC_SEQ_STEP_WFSYS
#define CONNAC_S_SEM CONNAC_SEQ_STEP_SEMAPHORE
#define CONNAC_S_PATCH CONNAC_SEQ_STEP_PATCH
#define CONNAC_S_RAM CONNAC_SEQ_STEP_RAM
#define CONNAC_S_READY CONNAC_SEQ_STEP_READY
#define CONNAC_S_RESTORE CONNAC_SEQ_STEP_RESTORE

static const struct connac_seq_case connac_seq_cases[] = {
	{ "seq: first timeout fails fast, six steps, back to RUNNING", {
		{ CONNAC_SOP_ADMIT, 0, 0, 0, 0, -1, 0, 0 },
		{ CONNAC_SOP_TIMEOUT, 0, 0, CONNAC_S_WFSYS, 0, -1,
		  CONNAC_SA_DEAD | CONNAC_SA_RUN, CONNAC_SEQ_WFSYS_RESET },
		{ CONNAC_SOP_ADMIT, 0, 0, 0, 0, -1, 0, -108 },
		{ CONNAC_SOP_DEADLINE, 0, 0, 0, 0, -1, 0, 700 },
		{ CONNAC_SOP_STEP, CONNAC_S_WFSYS, 1, CONNAC_S_SEM, 55, -1,
		  CONNAC_SA_RUN, CONNAC_SEQ_FW_SEMAPHORE },
		{ CONNAC_SOP_DEADLINE, 0, 0, 0, 0, -1, 0, 3055 },
		{ CONNAC_SOP_STEP, CONNAC_S_SEM, 1, CONNAC_S_PATCH, 92, -1,
		  CONNAC_SA_RUN, CONNAC_SEQ_FW_PATCH },
		{ CONNAC_SOP_STEP, CONNAC_S_PATCH, 1, CONNAC_S_RAM, 129, -1,
		  CONNAC_SA_RUN, CONNAC_SEQ_FW_RAM },
		{ CONNAC_SOP_STEP, CONNAC_S_RAM, 1, CONNAC_S_READY, 166, -1,
		  CONNAC_SA_RUN, CONNAC_SEQ_FW_READY },
		{ CONNAC_SOP_STEP, CONNAC_S_READY, 1, CONNAC_S_RESTORE, 205, -1,
		  CONNAC_SA_RUN, CONNAC_SEQ_RESTORE },
		{ CONNAC_SOP_DEADLINE, 0, 0, 0, 0, -1, 0, 5205 },
		{ CONNAC_SOP_STEP, CONNAC_S_RESTORE, 1, 0, 300, -1,
		  CONNAC_SA_BACK, CONNAC_SEQ_RUNNING },
		{ CONNAC_SOP_ADMIT, 0, 0, 0, 0, -1, 0, 0 },
		{ CONNAC_SOP_DEADLINE, 0, 0, 0, 0, -1, 0, -1 },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_REJECTED, 0, 0, 0, -1, 0, 1 },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_ATTEMPTS, 0, 0, 0, -1, 0, 1 },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_RECOVERIES, 0, 0, 0, -1, 0, 1 },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_REPORT_RECOVERED, 0, 0, 0, -1, 0, 1 },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_REPORT_CAUSE, 0, 0, 0, -1, 0,
		  CONNAC_SEQ_CAUSE_TIMEOUT },
	} },
	{ "seq: triggers during a reset coalesce, late results are stale", {
		{ CONNAC_SOP_TIMEOUT, 0, 0, CONNAC_S_WFSYS, 0, -1,
		  CONNAC_SA_DEAD | CONNAC_SA_RUN, CONNAC_SEQ_WFSYS_RESET },
		{ CONNAC_SOP_TIMEOUT, 0, 0, 0, 10, -1, 0, CONNAC_SEQ_WFSYS_RESET },
		{ CONNAC_SOP_ASSERT, 0, 0, 0, 20, -1, 0, CONNAC_SEQ_WFSYS_RESET },
		{ CONNAC_SOP_STEP, CONNAC_S_PATCH, 1, 0, 30, -1, 0,
		  CONNAC_SEQ_WFSYS_RESET },
		{ CONNAC_SOP_PROBE, 0, 1, 0, 40, -1, 0, CONNAC_SEQ_WFSYS_RESET },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_COALESCED, 0, 0, 0, -1, 0, 2 },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_STALE, 0, 0, 0, -1, 0, 2 },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_TRIG_TIMEOUT, 0, 0, 0, -1, 0, 2 },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_TRIG_ASSERT, 0, 0, 0, -1, 0, 1 },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_EPISODES, 0, 0, 0, -1, 0, 1 },
	} },
	{ "seq: a step watchdog fails the attempt: retry at once, then in 100 ms", {
		{ CONNAC_SOP_TIMEOUT, 0, 0, CONNAC_S_WFSYS, 0, -1,
		  CONNAC_SA_DEAD | CONNAC_SA_RUN, CONNAC_SEQ_WFSYS_RESET },
		{ CONNAC_SOP_TICK, 0, 0, 0, 699, -1, 0, CONNAC_SEQ_WFSYS_RESET },
		{ CONNAC_SOP_TICK, 0, 0, CONNAC_S_WFSYS, 700, -1, CONNAC_SA_RUN,
		  CONNAC_SEQ_WFSYS_RESET },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_WFSYS_TIMEOUTS, 0, 0, 0, -1, 0, 1 },
		{ CONNAC_SOP_STEP, CONNAC_S_WFSYS, 0, 0, 800, -1, 0,
		  CONNAC_SEQ_BACKOFF },
		{ CONNAC_SOP_ADMIT, 0, 0, 0, 0, -1, 0, -108 },
		{ CONNAC_SOP_DEADLINE, 0, 0, 0, 0, -1, 0, 900 },
		{ CONNAC_SOP_TICK, 0, 0, CONNAC_S_WFSYS, 900, -1, CONNAC_SA_RUN,
		  CONNAC_SEQ_WFSYS_RESET },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_ATTEMPTS, 0, 0, 0, -1, 0, 3 },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_FAILED, 0, 0, 0, -1, 0, 2 },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_WFSYS_FAILURES, 0, 0, 0, -1, 0, 1 },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_FAILURES, 0, 0, 0, -1, 0, 2 },
	} },
	{ "seq: three failures hold off for 30 s, six wedge for good", {
		{ CONNAC_SOP_TIMEOUT, 0, 0, CONNAC_S_WFSYS, 0, -1,
		  CONNAC_SA_DEAD | CONNAC_SA_RUN, CONNAC_SEQ_WFSYS_RESET },
		{ CONNAC_SOP_STEP, CONNAC_S_WFSYS, 0, CONNAC_S_WFSYS, 10, -1,
		  CONNAC_SA_RUN, CONNAC_SEQ_WFSYS_RESET },
		{ CONNAC_SOP_STEP, CONNAC_S_WFSYS, 0, 0, 20, -1, 0,
		  CONNAC_SEQ_BACKOFF },
		{ CONNAC_SOP_TICK, 0, 0, CONNAC_S_WFSYS, 120, -1, CONNAC_SA_RUN,
		  CONNAC_SEQ_WFSYS_RESET },
		{ CONNAC_SOP_STEP, CONNAC_S_WFSYS, 0, 0, 130, -1, 0,
		  CONNAC_SEQ_HOLD_OFF },
		{ CONNAC_SOP_DEADLINE, 0, 0, 0, 0, -1, 0, 30130 },
		{ CONNAC_SOP_TICK, 0, 0, CONNAC_S_WFSYS, 30130, -1, CONNAC_SA_RUN,
		  CONNAC_SEQ_WFSYS_RESET },
		{ CONNAC_SOP_STEP, CONNAC_S_WFSYS, 0, 0, 30140, -1, 0,
		  CONNAC_SEQ_BACKOFF },
		{ CONNAC_SOP_TICK, 0, 0, CONNAC_S_WFSYS, 30640, -1, CONNAC_SA_RUN,
		  CONNAC_SEQ_WFSYS_RESET },
		{ CONNAC_SOP_STEP, CONNAC_S_WFSYS, 0, 0, 30650, -1, 0,
		  CONNAC_SEQ_BACKOFF },
		{ CONNAC_SOP_TICK, 0, 0, CONNAC_S_WFSYS, 31150, -1, CONNAC_SA_RUN,
		  CONNAC_SEQ_WFSYS_RESET },
		{ CONNAC_SOP_STEP, CONNAC_S_WFSYS, 0, 0, 31160, -1,
		  CONNAC_SEQ_ACT_REPORT | CONNAC_SEQ_ACT_WEDGED, CONNAC_SEQ_WEDGED },
		{ CONNAC_SOP_ADMIT, 0, 0, 0, 0, -1, 0, -108 },
		{ CONNAC_SOP_TIMEOUT, 0, 0, 0, 40000, -1, 0, CONNAC_SEQ_WEDGED },
		{ CONNAC_SOP_DEADLINE, 0, 0, 0, 0, -1, 0, -1 },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_HOLD_OFFS, 0, 0, 0, -1, 0, 1 },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_WEDGED, 0, 0, 0, -1, 0, 1 },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_REPORT_RECOVERED, 0, 0, 0, -1, 0, 0 },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_REPORT_ATTEMPTS, 0, 0, 0, -1, 0, 6 },
	} },
	{ "seq: a crash while restoring fails the attempt", {
		{ CONNAC_SOP_TIMEOUT, 0, 0, CONNAC_S_WFSYS, 0, -1,
		  CONNAC_SA_DEAD | CONNAC_SA_RUN, CONNAC_SEQ_WFSYS_RESET },
		{ CONNAC_SOP_STEP, CONNAC_S_WFSYS, 1, CONNAC_S_SEM, 55, -1,
		  CONNAC_SA_RUN, CONNAC_SEQ_FW_SEMAPHORE },
		{ CONNAC_SOP_STEP, CONNAC_S_SEM, 1, CONNAC_S_PATCH, 92, -1,
		  CONNAC_SA_RUN, CONNAC_SEQ_FW_PATCH },
		{ CONNAC_SOP_STEP, CONNAC_S_PATCH, 1, CONNAC_S_RAM, 129, -1,
		  CONNAC_SA_RUN, CONNAC_SEQ_FW_RAM },
		{ CONNAC_SOP_STEP, CONNAC_S_RAM, 1, CONNAC_S_READY, 166, -1,
		  CONNAC_SA_RUN, CONNAC_SEQ_FW_READY },
		{ CONNAC_SOP_STEP, CONNAC_S_READY, 1, CONNAC_S_RESTORE, 205, -1,
		  CONNAC_SA_RUN, CONNAC_SEQ_RESTORE },
		{ CONNAC_SOP_ASSERT, 0, 0, CONNAC_S_WFSYS, 250, -1, CONNAC_SA_RUN,
		  CONNAC_SEQ_WFSYS_RESET },
		{ CONNAC_SOP_STEP, CONNAC_S_RESTORE, 1, 0, 260, -1, 0,
		  CONNAC_SEQ_WFSYS_RESET },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_CRASHES_IN_RESTORE, 0, 0, 0, -1, 0, 1 },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_ATTEMPTS, 0, 0, 0, -1, 0, 2 },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_STALE, 0, 0, 0, -1, 0, 1 },
	} },
	{ "seq: a relapse within 60 s climbs the ladder; 60 s of health forget", {
		{ CONNAC_SOP_TIMEOUT, 0, 0, CONNAC_S_WFSYS, 0, -1,
		  CONNAC_SA_DEAD | CONNAC_SA_RUN, CONNAC_SEQ_WFSYS_RESET },
		{ CONNAC_SOP_STEP, CONNAC_S_WFSYS, 1, CONNAC_S_SEM, 55, -1,
		  CONNAC_SA_RUN, CONNAC_SEQ_FW_SEMAPHORE },
		{ CONNAC_SOP_STEP, CONNAC_S_SEM, 1, CONNAC_S_PATCH, 92, -1,
		  CONNAC_SA_RUN, CONNAC_SEQ_FW_PATCH },
		{ CONNAC_SOP_STEP, CONNAC_S_PATCH, 1, CONNAC_S_RAM, 129, -1,
		  CONNAC_SA_RUN, CONNAC_SEQ_FW_RAM },
		{ CONNAC_SOP_STEP, CONNAC_S_RAM, 1, CONNAC_S_READY, 166, -1,
		  CONNAC_SA_RUN, CONNAC_SEQ_FW_READY },
		{ CONNAC_SOP_STEP, CONNAC_S_READY, 1, CONNAC_S_RESTORE, 205, -1,
		  CONNAC_SA_RUN, CONNAC_SEQ_RESTORE },
		{ CONNAC_SOP_STEP, CONNAC_S_RESTORE, 1, 0, 300, -1,
		  CONNAC_SA_BACK, CONNAC_SEQ_RUNNING },
		{ CONNAC_SOP_TIMEOUT, 0, 0, CONNAC_S_WFSYS, 1000, -1,
		  CONNAC_SA_DEAD | CONNAC_SA_RUN, CONNAC_SEQ_WFSYS_RESET },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_RELAPSES, 0, 0, 0, -1, 0, 1 },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_FAILURES, 0, 0, 0, -1, 0, 1 },
		{ CONNAC_SOP_STEP, CONNAC_S_WFSYS, 1, CONNAC_S_SEM, 1055, -1,
		  CONNAC_SA_RUN, CONNAC_SEQ_FW_SEMAPHORE },
		{ CONNAC_SOP_STEP, CONNAC_S_SEM, 1, CONNAC_S_PATCH, 1092, -1,
		  CONNAC_SA_RUN, CONNAC_SEQ_FW_PATCH },
		{ CONNAC_SOP_STEP, CONNAC_S_PATCH, 1, CONNAC_S_RAM, 1129, -1,
		  CONNAC_SA_RUN, CONNAC_SEQ_FW_RAM },
		{ CONNAC_SOP_STEP, CONNAC_S_RAM, 1, CONNAC_S_READY, 1166, -1,
		  CONNAC_SA_RUN, CONNAC_SEQ_FW_READY },
		{ CONNAC_SOP_STEP, CONNAC_S_READY, 1, CONNAC_S_RESTORE, 1205, -1,
		  CONNAC_SA_RUN, CONNAC_SEQ_RESTORE },
		{ CONNAC_SOP_STEP, CONNAC_S_RESTORE, 1, 0, 1300, -1,
		  CONNAC_SA_BACK, CONNAC_SEQ_RUNNING },
		{ CONNAC_SOP_DEADLINE, 0, 0, 0, 0, -1, 0, 61300 },
		{ CONNAC_SOP_TICK, 0, 0, 0, 61299, -1, 0, CONNAC_SEQ_RUNNING },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_FAILURES, 0, 0, 0, -1, 0, 1 },
		{ CONNAC_SOP_TICK, 0, 0, 0, 61300, -1, 0, CONNAC_SEQ_RUNNING },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_FAILURES, 0, 0, 0, -1, 0, 0 },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_EPISODES, 0, 0, 0, -1, 0, 2 },
	} },
	{ "seq: probe on: slow but alive is never reset, silence is", {
		{ CONNAC_SOP_PROBE_ON, 0, 0, 0, 300, 200, 0, 0 },
		{ CONNAC_SOP_TICK, 0, 0, 0, 100, 0, 0, CONNAC_SEQ_RUNNING },
		{ CONNAC_SOP_DEADLINE, 0, 0, 0, 0, 0, 0, 300 },
		{ CONNAC_SOP_TICK, 0, 0, 0, 300, 0, CONNAC_SEQ_ACT_PROBE,
		  CONNAC_SEQ_PROBING },
		{ CONNAC_SOP_ADMIT, 0, 0, 0, 0, -1, 0, 0 },
		{ CONNAC_SOP_PROBE, 0, 1, 0, 310, -1, 0, CONNAC_SEQ_RUNNING },
		{ CONNAC_SOP_TICK, 0, 0, 0, 700, 0, 0, CONNAC_SEQ_RUNNING },
		{ CONNAC_SOP_DEADLINE, 0, 0, 0, 0, 0, 0, -1 },
		{ CONNAC_SOP_TICK, 0, 0, 0, 1000, 700, CONNAC_SEQ_ACT_PROBE,
		  CONNAC_SEQ_PROBING },
		{ CONNAC_SOP_TICK, 0, 0, 0, 1199, 700, 0, CONNAC_SEQ_PROBING },
		{ CONNAC_SOP_TICK, 0, 0, CONNAC_S_WFSYS, 1200, 700,
		  CONNAC_SA_DEAD | CONNAC_SA_RUN, CONNAC_SEQ_WFSYS_RESET },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_PROBES, 0, 0, 0, -1, 0, 2 },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_PROBES_ALIVE, 0, 0, 0, -1, 0, 1 },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_TRIG_PROBE, 0, 0, 0, -1, 0, 1 },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_REPORT_CAUSE, 0, 0, 0, -1, 0,
		  CONNAC_SEQ_CAUSE_PROBE },
		{ CONNAC_SOP_PROBE_ON, 0, 0, 0, 300, 200, 0, -16 },
	} },
	{ "seq: an assert or a host request declares the firmware dead too", {
		{ CONNAC_SOP_ASSERT, 0, 0, CONNAC_S_WFSYS, 0, -1,
		  CONNAC_SA_DEAD | CONNAC_SA_RUN, CONNAC_SEQ_WFSYS_RESET },
		{ CONNAC_SOP_STEP, CONNAC_S_WFSYS, 1, CONNAC_S_SEM, 55, -1,
		  CONNAC_SA_RUN, CONNAC_SEQ_FW_SEMAPHORE },
		{ CONNAC_SOP_STEP, CONNAC_S_SEM, 1, CONNAC_S_PATCH, 92, -1,
		  CONNAC_SA_RUN, CONNAC_SEQ_FW_PATCH },
		{ CONNAC_SOP_STEP, CONNAC_S_PATCH, 1, CONNAC_S_RAM, 129, -1,
		  CONNAC_SA_RUN, CONNAC_SEQ_FW_RAM },
		{ CONNAC_SOP_STEP, CONNAC_S_RAM, 1, CONNAC_S_READY, 166, -1,
		  CONNAC_SA_RUN, CONNAC_SEQ_FW_READY },
		{ CONNAC_SOP_STEP, CONNAC_S_READY, 1, CONNAC_S_RESTORE, 205, -1,
		  CONNAC_SA_RUN, CONNAC_SEQ_RESTORE },
		{ CONNAC_SOP_STEP, CONNAC_S_RESTORE, 1, 0, 300, -1,
		  CONNAC_SA_BACK, CONNAC_SEQ_RUNNING },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_REPORT_CAUSE, 0, 0, 0, -1, 0,
		  CONNAC_SEQ_CAUSE_ASSERT },
		{ CONNAC_SOP_REQUEST, 0, 0, CONNAC_S_WFSYS, 100000, -1,
		  CONNAC_SA_DEAD | CONNAC_SA_RUN, CONNAC_SEQ_WFSYS_RESET },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_TRIG_REQUEST, 0, 0, 0, -1, 0, 1 },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_RELAPSES, 0, 0, 0, -1, 0, 0 },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_REPORT_CAUSE, 0, 0, 0, -1, 0,
		  CONNAC_SEQ_CAUSE_REQUEST },
	} },
	{ "seq: bad arguments are EINVAL and change nothing", {
		{ CONNAC_SOP_STEP, CONNAC_SEQ_STEPS, 1, 0, 0, -1, 0, -22 },
		{ CONNAC_SOP_PROBE_ON, 0, 0, 0, -1, 200, 0, -22 },
		{ CONNAC_SOP_PROBE_ON, 0, 0, 0, 300, 0, 0, -22 },
		{ CONNAC_SOP_COUNTER, CONNAC_SC_STALE, 0, 0, 0, -1, 0, 0 },
		{ CONNAC_SOP_ADMIT, 0, 0, 0, 0, -1, 0, 0 },
		{ CONNAC_SOP_PROBE_ON, 0, 0, 0, 300, 200, 0, 0 },
	} },
};

/* ---------------------------------------------------------------------------
 * Restore record scripts on a fresh mt7925 device. Addresses: device
 * 02:de:00:00:00:00, link L's BSSID 02:b0:55:1d:00:L (as the key scripts),
 * its peer 02:a9:00:00:00:L. A plan is spelled as tokens: "D" device, "B<L>"
 * BSS of link L ("B<L>*" the active one), "S<L>" its station ("S<L>w<n>":
 * with WTBL index n from the key table; without, 0xff), "K" keys.
 */
enum connac_restore_op {
	CONNAC_ROP_END = 0,
	CONNAC_ROP_DEVICE,
	CONNAC_ROP_JOINING,	/* @link with @bss_idx */
	CONNAC_ROP_ASSOCIATED,	/* @link, @active */
	CONNAC_ROP_REMOVED,
	CONNAC_ROP_KEY_LINK,	/* key table: link @link up, its station added */
	CONNAC_ROP_PLAN,	/* into @max items: expect count or -errno */
};

struct connac_restore_step {
	unsigned char op;
	unsigned char link;
	unsigned char bss_idx;
	unsigned char active;
	unsigned int max;
	int expect;
	const char *plan;
};

struct connac_restore_case {
	const char *name;
	struct connac_restore_step steps[12];
};

#define CONNAC_RMAX CONNAC_RESTORE_MAX_ITEMS

static const struct connac_restore_case connac_restore_cases[] = {
	{ "restore: device, the active BSS first, the others, stations, keys", {
		{ CONNAC_ROP_DEVICE, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_ROP_JOINING, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_ROP_JOINING, 1, 1, 0, 0, 0, 0 },
		{ CONNAC_ROP_ASSOCIATED, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_ROP_ASSOCIATED, 1, 0, 1, 0, 0, 0 },
		{ CONNAC_ROP_PLAN, 0, 0, 0, CONNAC_RMAX, 6, "D B1* B0 S0 S1 K" },
	} },
	{ "restore: a half-finished roam is not restored, a removed link is gone", {
		{ CONNAC_ROP_DEVICE, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_ROP_JOINING, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_ROP_ASSOCIATED, 0, 0, 1, 0, 0, 0 },
		{ CONNAC_ROP_JOINING, 1, 1, 0, 0, 0, 0 },
		{ CONNAC_ROP_JOINING, 2, 2, 0, 0, 0, 0 },
		{ CONNAC_ROP_ASSOCIATED, 2, 0, 1, 0, 0, 0 },
		{ CONNAC_ROP_PLAN, 0, 0, 0, CONNAC_RMAX, 6, "D B2* B0 S0 S2 K" },
		{ CONNAC_ROP_REMOVED, 2, 0, 0, 0, 0, 0 },
		{ CONNAC_ROP_REMOVED, 2, 0, 0, 0, 0, 0 },
		{ CONNAC_ROP_PLAN, 0, 0, 0, CONNAC_RMAX, 4, "D B0* S0 K" },
	} },
	{ "restore: stations carry the key table's WTBL index", {
		{ CONNAC_ROP_KEY_LINK, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_ROP_KEY_LINK, 1, 0, 0, 0, 0, 0 },
		{ CONNAC_ROP_JOINING, 1, 1, 0, 0, 0, 0 },
		{ CONNAC_ROP_ASSOCIATED, 1, 0, 1, 0, 0, 0 },
		{ CONNAC_ROP_JOINING, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_ROP_ASSOCIATED, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_ROP_JOINING, 2, 2, 0, 0, 0, 0 },
		{ CONNAC_ROP_ASSOCIATED, 2, 0, 0, 0, 0, 0 },
		{ CONNAC_ROP_PLAN, 0, 0, 0, CONNAC_RMAX, 7,
		  "B1* B0 B2 S0w0 S1w1 S2 K" },
	} },
	{ "restore: bad links are EINVAL, a short array ENOBUFS", {
		{ CONNAC_ROP_JOINING, 15, 0, 0, 0, -22, 0 },
		{ CONNAC_ROP_ASSOCIATED, 3, 0, 0, 0, -22, 0 },
		{ CONNAC_ROP_REMOVED, 15, 0, 0, 0, -22, 0 },
		{ CONNAC_ROP_PLAN, 0, 0, 0, CONNAC_RMAX, 1, "K" },
		{ CONNAC_ROP_DEVICE, 0, 0, 0, 0, 0, 0 },
		{ CONNAC_ROP_PLAN, 0, 0, 0, 1, -105, 0 },
		{ CONNAC_ROP_PLAN, 0, 0, 0, 2, 2, "D K" },
	} },
};

#define CONNAC_CASES_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------------------------------------------------------------------
 * Runners: one case in, 0 (pass) or -1 (fail, *f says where) out. The caller
 * owns the scratch (it is too large for a kernel stack) and prints.
 */
struct connac_case_scratch {
	struct connac_dev dev;
	struct connac_dev moved;	/* connac_case_move(): the copy */
	struct connac_key_actions acts;
	struct connac_key_actions rollback;
	struct connac_ticket arms[16];
	unsigned char buf[256];
	unsigned char want[256];
	unsigned char ev[128];
	struct connac_restore_item plan[CONNAC_RESTORE_MAX_ITEMS];
	struct connac_seq_config cfg;
	struct connac_seq_counters ctr;
	struct connac_seq_report report;
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

static inline CONNAC_CASES_FN int
connac_case_txn(const struct connac_txn_case *c, struct connac_case_scratch *s,
		struct connac_case_fail *f)
{
	struct connac_event_outcome o;
	struct connac_txn_counters k;
	unsigned int narms = 0;
	int i, ret = 0;

	if (connac_dev_init(&s->dev, CONNAC_MT7925, 0, (const struct connac_host_ops *)0))
		return connac_case_failed(f, "dev init", -1, 0, 0);
	for (i = 0; i < 12 && c->steps[i].op != CONNAC_TXN_END; i++) {
		const struct connac_txn_step *st = &c->steps[i];
		long long now = st->t_ms * 1000000;
		long long got = 0;
		unsigned char res[8] = { st->cid, 0, 0, 0,
					 (unsigned char)st->status,
					 (unsigned char)(st->status >> 8),
					 (unsigned char)(st->status >> 16),
					 (unsigned char)(st->status >> 24) };
		unsigned char seq;
		long len;

		switch (st->op) {
		case CONNAC_TXN_ARM:
			got = connac_txn_arm(&s->dev, st->cmd, now,
					     &s->arms[narms]);
			if (got == 0 && narms < 15)
				narms++;
			break;
		case CONNAC_TXN_EVENT:
		case CONNAC_TXN_EVENT_SEQ:
			seq = st->arg;
			if (st->op == CONNAC_TXN_EVENT)
				seq = st->arg < narms ? s->arms[st->arg].seq : 0;
			len = connac_case_event(CONNAC_MT7925, seq,
						CONNAC_CASE_EID_RESULT,
						CONNAC_CASE_OPT_UNI, 0, res,
						sizeof(res), s->ev,
						sizeof(s->ev));
			got = connac_txn_on_event(&s->dev, s->ev,
						  (unsigned long)len, &o);
			if (got == CONNAC_EV_COMPLETED &&
			    (o.fw_status != st->status ||
			     !connac_ticket_eq(&o.ticket, &s->arms[st->arg])))
				ret = connac_case_failed(f, "completed the wrong ticket",
							 i, o.ticket.seq,
							 s->arms[st->arg].seq);
			break;
		case CONNAC_TXN_EVENT_SHORT:
			got = connac_txn_on_event(&s->dev, s->ev, 20, &o);
			break;
		case CONNAC_TXN_EXPIRE:
			got = connac_txn_expire(&s->dev, now, s->arms + narms,
						16 - narms);
			break;
		case CONNAC_TXN_FAIL_ALL:
			got = connac_txn_fail_all(&s->dev, s->arms + narms,
						  st->arg ? st->arg :
						  16 - narms);
			break;
		case CONNAC_TXN_IN_FLIGHT:
			connac_txn_get_counters(&s->dev, &k);
			got = k.in_flight;
			break;
		case CONNAC_TXN_DEADLINE:
			got = connac_txn_next_deadline(&s->dev);
			if (!(st->t_ms < 0 ? got == CONNAC_NEVER : got == now))
				ret = connac_case_failed(f, "next deadline", i,
							 got, now);
			got = st->expect;
			break;
		}
		if (ret)
			break;
		if (got != st->expect) {
			ret = connac_case_failed(f, "step result", i, got,
						 st->expect);
			break;
		}
	}
	connac_dev_destroy(&s->dev);
	return ret;
}

static inline CONNAC_CASES_FN void
connac_case_addr(unsigned char *a, unsigned char first, unsigned char second,
		 unsigned char link)
{
	a[0] = 0x02;
	a[1] = first;
	a[2] = second;
	a[3] = first == 0xb0 ? 0x1d : 0;
	a[4] = 0;
	a[5] = link;
}

static inline CONNAC_CASES_FN int
connac_case_key(const struct connac_key_case *c, struct connac_case_scratch *s,
		struct connac_case_fail *f)
{
	struct connac_key_conf k;
	unsigned char addr[6];
	int i, ret = 0;

	if (connac_dev_init(&s->dev, CONNAC_MT7925, 0, (const struct connac_host_ops *)0))
		return connac_case_failed(f, "dev init", -1, 0, 0);
	connac_key_actions_wipe(&s->acts);
	for (i = 0; i < 14 && c->steps[i].op != CONNAC_KOP_END; i++) {
		const struct connac_key_step *st = &c->steps[i];
		long long got = 0;
		unsigned long n;
		long len, want, at;
		int j;

		/* ABORT consumes the previous step's actions; FILL sets
		 * up the next step's list.
		 */
		if (st->op != CONNAC_KOP_ABORT &&
		    (i == 0 || c->steps[i - 1].op != CONNAC_KOP_FILL))
			connac_key_actions_wipe(&s->acts);
		connac_key_actions_wipe(&s->rollback);
		k.cipher = st->cipher;
		k.keyidx = st->keyidx;
		k.link_id = st->link_id;
		k.key_len = st->key_len;
		k.rsv = 0;
		for (j = 0; j < CONNAC_KEY_MAX_LEN; j++)
			k.key[j] = j < st->key_len ?
				   (unsigned char)(st->base + j) : 0;
		switch (st->op) {
		case CONNAC_KOP_LINK_ADD:
			connac_case_addr(addr, 0xb0, 0x55, st->link);
			got = connac_key_link_add(&s->dev, st->link, addr,
						  &s->acts);
			break;
		case CONNAC_KOP_LINK_REMOVE:
			got = connac_key_link_remove(&s->dev, st->link);
			break;
		case CONNAC_KOP_STA_ADD:
			connac_case_addr(addr, 0xa9, 0x00, st->link);
			got = connac_key_sta_add(&s->dev, st->link, addr,
						 &s->acts);
			break;
		case CONNAC_KOP_STA_REMOVE:
			got = connac_key_sta_remove(&s->dev, st->link);
			break;
		case CONNAC_KOP_SET:
		case CONNAC_KOP_DISABLE:
			got = connac_key_set(&s->dev, st->op == CONNAC_KOP_SET ?
					     CONNAC_KEY_SET : CONNAC_KEY_DISABLE,
					     &k, &s->acts);
			break;
		case CONNAC_KOP_RESET_BEGIN:
			connac_key_reset_begin(&s->dev);
			break;
		case CONNAC_KOP_REPLAY:
			got = connac_key_reset_replay(&s->dev, &s->acts);
			break;
		case CONNAC_KOP_ABORT:
			got = connac_key_abort(&s->dev, &s->acts, st->keyidx,
					       &s->rollback);
			break;
		case CONNAC_KOP_FILL:
			s->acts.count = st->keyidx;
			break;
		}
		n = st->op == CONNAC_KOP_ABORT ? s->rollback.count :
						  s->acts.count;
		if (got != st->expect) {
			ret = connac_case_failed(f, "step result", i, got,
						 st->expect);
			break;
		}
		if (n != st->actions) {
			ret = connac_case_failed(f, "number of actions", i,
						 (long long)n, st->actions);
			break;
		}
		/* Every action encodes to one key frame (a FILL beyond
		 * the capacity holds no more than the capacity).
		 */
		for (j = 0; j < (int)n && j < CONNAC_KEY_ACTIONS_MAX; j++) {
			const struct connac_key_actions *l =
				st->op == CONNAC_KOP_ABORT ? &s->rollback : &s->acts;

			len = connac_key_action_encode(&s->dev, &l->items[j],
						       (unsigned char)(j % 15 + 1),
						       s->buf, sizeof(s->buf));
			if (len != CONNAC_KEY_FRAME_SIZE) {
				ret = connac_case_failed(f, "key frame length", i,
							 len,
							 CONNAC_KEY_FRAME_SIZE);
				break;
			}
		}
		if (ret || !st->frame)
			continue;
		want = connac_case_hex(st->frame, s->want, sizeof(s->want));
		len = connac_key_action_encode(&s->dev, &s->acts.items[0],
					       st->seq, s->buf, sizeof(s->buf));
		if (want != CONNAC_KEY_FRAME_SIZE || len != want) {
			ret = connac_case_failed(f, "golden key frame length", i,
						 len, want);
			break;
		}
		at = connac_case_diff(s->buf, s->want, (unsigned long)len);
		if (at >= 0) {
			ret = connac_case_failed(f, "key frame byte differs at offset",
						 i, at, s->want[at]);
			break;
		}
	}
	connac_key_actions_wipe(&s->acts);
	connac_key_actions_wipe(&s->rollback);
	connac_dev_destroy(&s->dev);
	return ret;
}


static inline CONNAC_CASES_FN long long
connac_case_seq_ctr(const struct connac_seq_counters *c,
		    const struct connac_seq_report *r, int id)
{
	switch (id) {
	case CONNAC_SC_TRIG_TIMEOUT: return c->triggers[CONNAC_SEQ_CAUSE_TIMEOUT];
	case CONNAC_SC_TRIG_ASSERT: return c->triggers[CONNAC_SEQ_CAUSE_ASSERT];
	case CONNAC_SC_TRIG_PROBE: return c->triggers[CONNAC_SEQ_CAUSE_PROBE];
	case CONNAC_SC_TRIG_REQUEST: return c->triggers[CONNAC_SEQ_CAUSE_REQUEST];
	case CONNAC_SC_COALESCED: return c->coalesced;
	case CONNAC_SC_EPISODES: return c->episodes;
	case CONNAC_SC_ATTEMPTS: return c->attempts;
	case CONNAC_SC_FAILED: return c->failed_attempts;
	case CONNAC_SC_WFSYS_TIMEOUTS: return c->step_timeouts[CONNAC_SEQ_STEP_WFSYS];
	case CONNAC_SC_WFSYS_FAILURES: return c->step_failures[CONNAC_SEQ_STEP_WFSYS];
	case CONNAC_SC_CRASHES_IN_RESTORE: return c->crashes_in_restore;
	case CONNAC_SC_RELAPSES: return c->quick_relapses;
	case CONNAC_SC_RECOVERIES: return c->recoveries;
	case CONNAC_SC_HOLD_OFFS: return c->hold_offs;
	case CONNAC_SC_WEDGED: return c->wedged;
	case CONNAC_SC_PROBES: return c->probes;
	case CONNAC_SC_PROBES_ALIVE: return c->probes_alive;
	case CONNAC_SC_STALE: return c->stale_results;
	case CONNAC_SC_REJECTED: return c->rejected;
	case CONNAC_SC_FAILURES: return c->failures;
	case CONNAC_SC_REPORT_CAUSE: return r->cause;
	case CONNAC_SC_REPORT_ATTEMPTS: return r->attempts;
	case CONNAC_SC_REPORT_RECOVERED: return r->recovered;
	}
	return -1;
}

static inline CONNAC_CASES_FN int
connac_case_seq(const struct connac_seq_case *c, struct connac_case_scratch *s,
		struct connac_case_fail *f)
{
	struct connac_seq_actions a;
	int i, ret = 0;

	if (connac_dev_init(&s->dev, CONNAC_MT7925, 0, (const struct connac_host_ops *)0))
		return connac_case_failed(f, "dev init", -1, 0, 0);
	for (i = 0; i < 24 && c->steps[i].op != CONNAC_SOP_END; i++) {
		const struct connac_seq_script_step *st = &c->steps[i];
		long long now = (long long)st->t_ms * 1000000;
		long long oldest = st->oldest_ms < 0 ? CONNAC_NEVER :
				   (long long)st->oldest_ms * 1000000;
		long long got = 0;
		int input = 1;

		a.flags = 0xdead;
		a.step = 0xdead;
		switch (st->op) {
		case CONNAC_SOP_TIMEOUT:
			got = connac_seq_on_timeout(&s->dev, now, &a);
			break;
		case CONNAC_SOP_ASSERT:
			got = connac_seq_on_assert(&s->dev, now, &a);
			break;
		case CONNAC_SOP_REQUEST:
			got = connac_seq_on_request(&s->dev, now, &a);
			break;
		case CONNAC_SOP_STEP:
			got = connac_seq_on_step_result(&s->dev, st->arg, st->ok,
							now, &a);
			break;
		case CONNAC_SOP_PROBE:
			got = connac_seq_on_probe_result(&s->dev, st->ok, now, &a);
			break;
		case CONNAC_SOP_TICK:
			got = connac_seq_on_tick(&s->dev, now, oldest, &a);
			break;
		default:
			input = 0;
			break;
		}
		if (input && st->expect < 0) {
			if (got != st->expect || a.flags)
				ret = connac_case_failed(f, "error and no action", i,
							 got, st->expect);
		} else if (input) {
			if (got)
				ret = connac_case_failed(f, "input returned", i,
							 got, 0);
			else if (a.flags != st->flags)
				ret = connac_case_failed(f, "actions", i, a.flags,
							 st->flags);
			else if ((a.flags & CONNAC_SEQ_ACT_RUN_STEP) &&
				 a.step != st->step)
				ret = connac_case_failed(f, "step to run", i,
							 a.step, st->step);
			else if (connac_seq_state(&s->dev) != st->expect)
				ret = connac_case_failed(f, "state after", i,
							 connac_seq_state(&s->dev),
							 st->expect);
		}
		if (ret)
			break;
		if (input)
			continue;
		switch (st->op) {
		case CONNAC_SOP_ADMIT:
			got = connac_seq_admit(&s->dev);
			break;
		case CONNAC_SOP_DEADLINE:
			got = connac_seq_next_deadline(&s->dev, oldest);
			got = got == CONNAC_NEVER ? -1 : got / 1000000;
			break;
		case CONNAC_SOP_COUNTER:
			if (connac_seq_get_counters(&s->dev, &s->ctr,
						    sizeof(s->ctr)) ||
			    connac_seq_get_report(&s->dev, &s->report,
						  sizeof(s->report)))
				got = -1000;
			else
				got = connac_case_seq_ctr(&s->ctr, &s->report,
							  st->arg);
			break;
		case CONNAC_SOP_PROBE_ON:
			got = connac_seq_get_config(&s->dev, &s->cfg,
						    sizeof(s->cfg));
			if (got)
				break;
			s->cfg.suspect_ns = now;
			s->cfg.probe_window_ns = (long long)st->oldest_ms * 1000000;
			got = connac_seq_set_config(&s->dev, &s->cfg);
			break;
		}
		if (got != st->expect) {
			ret = connac_case_failed(f, "step result", i, got,
						 st->expect);
			break;
		}
	}
	connac_dev_destroy(&s->dev);
	return ret;
}

/* Digits at *@p, advancing it; @none if there are none. */
static inline CONNAC_CASES_FN int
connac_case_num(const char **p, int none)
{
	int v = 0, any = 0;

	while (**p >= '0' && **p <= '9') {
		v = v * 10 + (**p - '0');
		(*p)++;
		any = 1;
	}
	return any ? v : none;
}

/*
 * Index of the first item of @it[0..@n) that differs from the plan spelled
 * by @spec, or -1 when they match. @bss: the BSS index each link joined with.
 */
static inline CONNAC_CASES_FN long
connac_case_plan_diff(const char *spec, const struct connac_restore_item *it,
		      long n, const unsigned char *bss)
{
	long k = 0;

	while (*spec) {
		unsigned char want[6], kind, link, active = 0, wcid = 0xff;
		char c = *spec++;
		int j;

		if (c == ' ')
			continue;
		if (k >= n)
			return k;
		link = (unsigned char)connac_case_num(&spec, 0);
		if (*spec == '*') {
			active = 1;
			spec++;
		}
		if (*spec == 'w') {
			spec++;
			wcid = (unsigned char)connac_case_num(&spec, 0xff);
		}
		kind = c == 'D' ? CONNAC_RESTORE_DEVICE :
		       c == 'B' ? CONNAC_RESTORE_BSS :
		       c == 'S' ? CONNAC_RESTORE_STA : CONNAC_RESTORE_KEYS;
		for (j = 0; j < 6; j++)
			want[j] = 0;
		if (kind == CONNAC_RESTORE_DEVICE)
			connac_case_addr(want, 0xde, 0x00, 0);
		else if (kind == CONNAC_RESTORE_BSS)
			connac_case_addr(want, 0xb0, 0x55, link);
		else if (kind == CONNAC_RESTORE_STA)
			connac_case_addr(want, 0xa9, 0x00, link);
		if (it[k].kind != kind || it[k].link != link ||
		    it[k].active != active || it[k].wcid != wcid || it[k].rsv ||
		    connac_case_diff(it[k].addr, want, 6) >= 0)
			return k;
		if ((kind == CONNAC_RESTORE_BSS || kind == CONNAC_RESTORE_STA) &&
		    it[k].bss_idx != bss[link % CONNAC_MAX_MLO_LINKS])
			return k;
		if ((kind == CONNAC_RESTORE_DEVICE || kind == CONNAC_RESTORE_KEYS) &&
		    it[k].bss_idx)
			return k;
		k++;
	}
	return k == n ? -1 : k;
}

static inline CONNAC_CASES_FN int
connac_case_restore(const struct connac_restore_case *c,
		    struct connac_case_scratch *s, struct connac_case_fail *f)
{
	unsigned char addr[6], bss[CONNAC_MAX_MLO_LINKS] = { 0 };
	unsigned long j;
	int i, ret = 0;

	if (connac_dev_init(&s->dev, CONNAC_MT7925, 0, (const struct connac_host_ops *)0))
		return connac_case_failed(f, "dev init", -1, 0, 0);
	for (i = 0; i < 12 && c->steps[i].op != CONNAC_ROP_END; i++) {
		const struct connac_restore_step *st = &c->steps[i];
		long long got = 0;
		long at;

		switch (st->op) {
		case CONNAC_ROP_DEVICE:
			connac_case_addr(addr, 0xde, 0x00, 0);
			got = connac_restore_set_device(&s->dev, addr);
			break;
		case CONNAC_ROP_JOINING:
			connac_case_addr(addr, 0xb0, 0x55, st->link);
			bss[st->link % CONNAC_MAX_MLO_LINKS] = st->bss_idx;
			got = connac_restore_link_joining(&s->dev, st->link, addr,
							  st->bss_idx);
			break;
		case CONNAC_ROP_ASSOCIATED:
			connac_case_addr(addr, 0xa9, 0x00, st->link);
			got = connac_restore_link_associated(&s->dev, st->link,
							     addr, st->active);
			break;
		case CONNAC_ROP_REMOVED:
			got = connac_restore_link_removed(&s->dev, st->link);
			break;
		case CONNAC_ROP_KEY_LINK:
			connac_key_actions_wipe(&s->acts);
			connac_case_addr(addr, 0xb0, 0x55, st->link);
			got = connac_key_link_add(&s->dev, st->link, addr, &s->acts);
			connac_case_addr(addr, 0xa9, 0x00, st->link);
			if (!got)
				got = connac_key_sta_add(&s->dev, st->link, addr,
							 &s->acts);
			connac_key_actions_wipe(&s->acts);
			break;
		case CONNAC_ROP_PLAN:
			for (j = 0; j < sizeof(s->plan); j++)
				((unsigned char *)s->plan)[j] = 0xa5;
			got = connac_restore_make_plan(&s->dev, s->plan, st->max);
			if (got < 0) {
				for (j = 0; j < sizeof(s->plan); j++)
					if (((unsigned char *)s->plan)[j] != 0xa5)
						ret = connac_case_failed(f, "failed plan wrote byte",
									 i, (long long)j, 0);
				break;
			}
			at = st->plan ? connac_case_plan_diff(st->plan, s->plan,
							       (long)got, bss) : -1;
			if (at >= 0)
				ret = connac_case_failed(f, "plan item differs", i,
							 at, (long long)got);
			break;
		}
		if (ret)
			break;
		if (got != st->expect) {
			ret = connac_case_failed(f, "step result", i, got,
						 st->expect);
			break;
		}
	}
	connac_dev_destroy(&s->dev);
	return ret;
}

/*
 * struct connac_dev is position-independent (connac_core.h): a device with
 * a command in flight and a link up is copied with memcpy, the original is
 * poisoned the way freed memory is, and the copy must answer, time out and
 * emit keys as the original would have. A pointer into the original would
 * read the poison (or, in userspace under ASan, freed memory).
 */
static inline CONNAC_CASES_FN int
connac_case_move(struct connac_case_scratch *s, struct connac_case_fail *f)
{
	static const unsigned char res[8] = { 0x02, 0, 0, 0, 0, 0, 0, 0 };
	struct connac_event_outcome o;
	struct connac_txn_counters k;
	struct connac_key_conf key;
	unsigned char bssid[6];
	long len;
	int ret = 0, got, j;

	if (connac_dev_init(&s->dev, CONNAC_MT7925, 0,
			    (const struct connac_host_ops *)0))
		return connac_case_failed(f, "dev init", -1, 0, 0);
	connac_key_actions_wipe(&s->acts);
	connac_case_addr(bssid, 0xb0, 0x55, 0);
	got = connac_key_link_add(&s->dev, 0, bssid, &s->acts);
	if (!got)
		got = connac_txn_arm(&s->dev, CONNAC_BSS, 0, &s->arms[0]);
	if (got) {
		connac_dev_destroy(&s->dev);
		return connac_case_failed(f, "setup", 0, got, 0);
	}
	__builtin_memcpy(&s->moved, &s->dev, sizeof(s->moved));
	__builtin_memset(&s->dev, 0x6b, sizeof(s->dev));

	len = connac_case_event(CONNAC_MT7925, s->arms[0].seq,
				CONNAC_CASE_EID_RESULT, CONNAC_CASE_OPT_UNI, 0,
				res, sizeof(res), s->ev, sizeof(s->ev));
	got = connac_txn_on_event(&s->moved, s->ev, (unsigned long)len, &o);
	if (got != CONNAC_EV_COMPLETED ||
	    !connac_ticket_eq(&o.ticket, &s->arms[0]))
		ret = connac_case_failed(f, "moved: answer", 1, got,
					 CONNAC_EV_COMPLETED);
	if (!ret) {
		got = connac_txn_arm(&s->moved, CONNAC_STA_REC, 1000000000LL,
				     &s->arms[1]);
		if (!got)
			got = (int)connac_txn_expire(&s->moved, 4000000000LL,
						     &s->arms[2], 1);
		connac_txn_get_counters(&s->moved, &k);
		if (got != 1 || k.timeouts != 1 || k.in_flight != 0)
			ret = connac_case_failed(f, "moved: timeout", 2, got, 1);
	}
	if (!ret) {
		key.cipher = CONNAC_SUITE_CCMP;
		key.keyidx = 1;
		key.link_id = 0;
		key.key_len = 16;
		key.rsv = 0;
		for (j = 0; j < CONNAC_KEY_MAX_LEN; j++)
			key.key[j] = (unsigned char)j;
		got = connac_key_set(&s->moved, CONNAC_KEY_SET, &key, &s->acts);
		if (got || s->acts.count != 1 || s->acts.items[0].wcid != 19)
			ret = connac_case_failed(f, "moved: key set", 3, got, 0);
	}
	connac_key_actions_wipe(&s->acts);
	connac_dev_destroy(&s->moved);
	__builtin_memset(&s->dev, 0, sizeof(s->dev));
	return ret;
}

#ifdef __cplusplus
}
#endif

#endif /* CONNAC_CASES_H */
