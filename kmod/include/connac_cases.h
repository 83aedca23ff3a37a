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

/* ---------------------------------------------------------------------------
 * Helpers.
 */

/* Parses hex digit pairs, skipping spaces. Returns the byte count, or -1 on
 * a bad character, an odd digit count or more than @cap bytes.
 */
static inline long connac_case_hex(const char *s, unsigned char *out,
				   unsigned long cap)
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
static inline long connac_case_event(unsigned int family, unsigned char seq,
				     unsigned char eid, unsigned char option,
				     unsigned char ext_eid,
				     const unsigned char *payload,
				     unsigned long payload_len,
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
	CONNAC_TXN_FAIL_ALL,	/* expect = number failed */
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
	{ "txn: the ninth command finds the table full", {
		{ CONNAC_TXN_ARM, CONNAC_BSS, 0, 0, 0, 0, 0 },
		{ CONNAC_TXN_ARM, CONNAC_BSS, 0, 0, 0, 0, 0 },
		{ CONNAC_TXN_ARM, CONNAC_BSS, 0, 0, 0, 0, 0 },
		{ CONNAC_TXN_ARM, CONNAC_BSS, 0, 0, 0, 0, 0 },
		{ CONNAC_TXN_ARM, CONNAC_BSS, 0, 0, 0, 0, 0 },
		{ CONNAC_TXN_ARM, CONNAC_BSS, 0, 0, 0, 0, 0 },
		{ CONNAC_TXN_ARM, CONNAC_BSS, 0, 0, 0, 0, 0 },
		{ CONNAC_TXN_ARM, CONNAC_BSS, 0, 0, 0, 0, 0 },
		{ CONNAC_TXN_ARM, CONNAC_BSS, 0, 0, 0, 0, -28 },
		{ CONNAC_TXN_FAIL_ALL, 0, 0, 0, 0, 0, 8 },
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
};

#define CONNAC_CASES_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------------------------------------------------------------------
 * Runners: one case in, 0 (pass) or -1 (fail, *f says where) out. The caller
 * owns the scratch (it is too large for a kernel stack) and prints.
 */
struct connac_case_scratch {
	struct connac_dev dev;
	struct connac_key_actions acts;
	struct connac_key_actions rollback;
	struct connac_ticket arms[16];
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

static inline int connac_case_failed(struct connac_case_fail *f,
				     const char *what, int step,
				     long long got, long long want)
{
	f->what = what;
	f->step = step;
	f->got = got;
	f->want = want;
	return -1;
}

static inline int connac_case_str_eq(const char *a, const char *b)
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
static inline long connac_case_diff(const unsigned char *a,
				    const unsigned char *b, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return (long)i;
	return -1;
}

static inline int connac_case_frame(const struct connac_frame_case *c,
				    struct connac_case_scratch *s,
				    struct connac_case_fail *f)
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

static inline int connac_case_frame_err(const struct connac_frame_err_case *c,
					struct connac_case_scratch *s,
					struct connac_case_fail *f)
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

static inline int connac_case_response(const struct connac_response_case *c,
				       struct connac_case_scratch *s,
				       struct connac_case_fail *f)
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

static inline int connac_case_name(const struct connac_name_case *c,
				   struct connac_case_fail *f)
{
	const char *kind = (const char *)0;
	const char *name = connac_cmd_name(c->cmd, &kind);

	if (!connac_case_str_eq(name, c->name))
		return connac_case_failed(f, "name", 0, c->cmd, 0);
	if (!connac_case_str_eq(kind, c->kind))
		return connac_case_failed(f, "kind", 0, c->cmd, 0);
	return 0;
}

static inline int connac_case_txn(const struct connac_txn_case *c,
				  struct connac_case_scratch *s,
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

static inline void connac_case_addr(unsigned char *a, unsigned char first,
				    unsigned char second, unsigned char link)
{
	a[0] = 0x02;
	a[1] = first;
	a[2] = second;
	a[3] = first == 0xb0 ? 0x1d : 0;
	a[4] = 0;
	a[5] = link;
}

static inline int connac_case_key(const struct connac_key_case *c,
				  struct connac_case_scratch *s,
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

		/* ABORT consumes the previous step's actions. */
		if (st->op != CONNAC_KOP_ABORT)
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
		/* Every action encodes to one key frame. */
		for (j = 0; j < (int)n; j++) {
			const struct connac_key_actions *l =
				st->op == CONNAC_KOP_ABORT ? &s->rollback : &s->acts;

			len = connac_key_action_encode(&s->dev, &l->items[j],
						       (unsigned char)(j + 1),
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

#ifdef __cplusplus
}
#endif

#endif /* CONNAC_CASES_H */
