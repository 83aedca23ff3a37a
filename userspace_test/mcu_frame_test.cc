// connac/mcu_frame.h: host-to-device MCU frames.
//
// Golden frames are spelled out byte by byte. Each field carries the source rule that
// produced it (openwrt/mt76 @59676919):
//   [7925]  mt7925_mcu_fill_message, mt7925/mcu.c
//   [c2]    mt76_connac2_mcu_fill_message, mt76_connac_mcu.c (used by mt7921)
//   [7996]  mt7996_mcu_send_message, mt7996/mcu.c
//   [txd]   struct mt76_connac2_mcu_txd / mt76_connac2_mcu_uni_txd, mt76_connac_mcu.h
//   [mac2]  MT_TXD0_* / MT_TXD1_* in mt76_connac2_mac.h (connac2: HDR_FORMAT at 17:16 +
//   LONG_FORMAT) [mac3]  MT_TXD1_HDR_FORMAT in mt76_connac3_mac.h (connac3: HDR_FORMAT at 15:14)
// DW0 = 0x41000000 | total length on every family: Q_IDX (31:25) = MT_TX_MCU_PORT_RX_Q0 0x20,
// PKT_FMT (24:23) = MT_TX_TYPE_CMD 2, TX_BYTES (15:0) = whole frame including the 32-byte TXD.

#include "connac/mcu_frame.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "connac/family.h"
#include "connac/mcu_cmd.h"
#include "connac/mcu_ids.h"
#include "gtest/gtest.h"
#include "userspace_test/test_util.h"

namespace connac {
namespace {

using connac_test::BytesEqual;
using connac_test::Hex;
using connac_test::Inside;
using connac_test::MutView;
using connac_test::Prng;
using connac_test::View;

constexpr FrameParams kWait{true};
constexpr FrameParams kNoWait{false};

CmdWord With(CmdWord c, uint32_t bits) { return CmdWord{c.raw | bits}; }

// ---------------------------------------------------------------------------------------
// Golden frames.

struct GoldenCase {
  const char* desc;
  const Profile* p;
  CmdWord cmd;
  uint8_t seq;
  FrameParams params;
  const char* payload;
  const char* frame;
};

const GoldenCase kGoldenCases[] = {
    {"mt7925 UNI BSS_INFO_UPDATE (0x00020002, the #1036 'Message 00020002 (seq 12)'), seq 12",
     &kMt7925, CmdWord::Uni(uni::kBssInfoUpdate), 12, kWait,
     // Opaque to the filler: {bss_idx 1, 3 pad} then one empty TLV {le16 tag 0, le16 len 4}.
     "01 00 00 00  00 00 04 00",
     // DW0 0x41000038: TX_BYTES = 48 + 8 = 56 [7925][mac2]
     "38 00 00 41"
     // DW1 0x00004000: HDR_FORMAT CMD (1) at 15:14, no LONG_FORMAT [7925][mac3]
     "00 40 00 00"
     // DW2..DW7 zero (skb_push'd header is zeroed, only DW0/DW1 written) [7925]
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     // @32 len = 56 - 32 = 24 (le16) [7925] skb->len - sizeof(txd)
     "18 00"
     // @34 cid = 0x0002 (le16) = cmd bits 7:0 [7925]
     "02 00"
     // @36 rsv, @37 pkt_type MCU_PKT_ID 0xa0, @38 frag_n 0, @39 seq 12 [7925][txd]
     "00 a0 00 0c"
     // @40 checksum 0 (le16), @42 s2d_index MCU_S2D_H2N 0 (always on mt7925) [7925]
     "00 00 00"
     // @43 option MCU_CMD_UNI_EXT_ACK 0x07 = ACK|UNI|SET (no QUERY bit) [7925]
     "07"
     // @44 rsv1[4]
     "00 00 00 00"
     // @48 payload
     "01 00 00 00  00 00 04 00"},

    {"mt7925 UNI query MCU_WM_UNI_CMD_QUERY(REG_ACCESS) = 0x0013000d, seq 3: option 0x03, WM "
     "ignored",
     &kMt7925, CmdWord{0x0013000d}, 3, kWait, "aa bb cc dd",
     "34 00 00 41"  // DW0: TX_BYTES 52 [7925]
     "00 40 00 00"  // DW1 connac3 [mac3]
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     "14 00"        // @32 len 20
     "0d 00"        // @34 cid 0x000d (REG_ACCESS)
     "00 a0 00 03"  // @36 rsv, pkt_type, frag_n, seq 3
     "00 00"        // @40 checksum
     "00"           // @42 s2d H2N: WM/WA bits have no effect in the mt7925 UNI path [7925]
     "03"           // @43 MCU_CMD_UNI_QUERY_ACK 0x03 = ACK|UNI, SET clear (QUERY bit) [7925]
     "00 00 00 00"
     "aa bb cc dd"},

    {"mt7925 UNI HIF_CTRL set (0x00020007): ACK dropped, option 0x06", &kMt7925,
     CmdWord::Uni(uni::kHifCtrl), 1, kWait, "00 00 00 00",
     "34 00 00 41"  // DW0: TX_BYTES 52
     "00 40 00 00"  // DW1 connac3
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     "14 00"        // @32 len 20
     "07 00"        // @34 cid HIF_CTRL 0x07
     "00 a0 00 01"  // seq 1
     "00 00 00"     // checksum, s2d H2N
     "06"           // @43 0x07 & ~MCU_CMD_ACK: cmd == MCU_UNI_CMD(HIF_CTRL) [7925]
     "00 00 00 00"
     "00 00 00 00"},

    {"mt7925 UNI HIF_CTRL query (0x00030007): driver compares the full word, ACK kept, 0x03",
     &kMt7925, CmdWord::UniQuery(uni::kHifCtrl), 2, kWait, "",
     "30 00 00 41"  // DW0: TX_BYTES 48 (no payload)
     "00 40 00 00"
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     "10 00"  // @32 len 16: the UNI header tail only
     "07 00"
     "00 a0 00 02"
     "00 00 00"
     "03"  // @43 query ACK: 0x30007 != MCU_UNI_CMD(HIF_CTRL), so no ACK drop [7925]
     "00 00 00 00"},

    {"mt7925 UNI CHIP_CONFIG set (0x0002000e): ACK dropped like HIF_CTRL", &kMt7925,
     CmdWord::Uni(uni::kChipConfig), 4, kWait, "00 00 00 00",
     "34 00 00 41"
     "00 40 00 00"
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     "14 00"
     "0e 00"  // cid CHIP_CONFIG
     "00 a0 00 04"
     "00 00 00"
     "06"  // [7925] cmd == MCU_UNI_CMD(CHIP_CONFIG): ACK cleared
     "00 00 00 00"
     "00 00 00 00"},

    {"mt7925 testmode MCU_UNI_QUERY(TESTMODE_CTRL): option forced to 0x02", &kMt7925,
     CmdWord::UniQuery(uni::kTestmodeCtrl), 5, kWait, "01 02",
     "32 00 00 41"  // TX_BYTES 50
     "00 40 00 00"
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     "12 00"  // len 18
     "46 00"  // cid TESTMODE_CTRL 0x46
     "00 a0 00 05"
     "00 00 00"
     "02"  // [7925] id TESTMODE_CTRL/RX_STAT: query -> 0x2 (UNI only, no ACK)
     "00 00 00 00"
     "01 02"},

    {"mt7925 testmode MCU_UNI_CMD(TESTMODE_RX_STAT) set: option forced to 0x06", &kMt7925,
     CmdWord::Uni(uni::kTestmodeRxStat), 6, kWait, "ff",
     "31 00 00 41"  // TX_BYTES 49
     "00 40 00 00"
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     "11 00"  // len 17
     "32 00"  // cid TESTMODE_RX_STAT 0x32
     "00 a0 00 06"
     "00 00 00"
     "06"  // [7925] testmode set -> 0x6 (UNI|SET, no ACK)
     "00 00 00 00"
     "ff"},

    {"mt7921 UNI BSS_INFO_UPDATE seq 5: connac2 DW1 0x80010000, option always 0x07", &kMt7921,
     CmdWord::Uni(uni::kBssInfoUpdate), 5, kWait, "00 00 00 00",
     "34 00 00 41"  // DW0: TX_BYTES 52 [c2]
     "00 00 01 80"  // DW1 0x80010000 = MT_TXD1_LONG_FORMAT (31) | HDR_FORMAT CMD at 17:16
                    // [c2][mac2]
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     "14 00"
     "02 00"
     "00 a0 00 05"
     "00 00 00"  // checksum, s2d H2N [c2]
     "07"        // MCU_CMD_UNI_EXT_ACK, unconditionally [c2]
     "00 00 00 00"
     "00 00 00 00"},

    {"mt7921 UNI query (MCU_UNI_QUERY(REG_ACCESS)): connac2 still writes 0x07", &kMt7921,
     CmdWord::UniQuery(0x0d), 6, kWait, "",
     "30 00 00 41"
     "00 00 01 80"
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     "10 00"
     "0d 00"
     "00 a0 00 06"
     "00 00 00"
     "07"  // [c2] no query variant
     "00 00 00 00"},

    {"mt7921 UNI HIF_CTRL: connac2 keeps the ACK (0x07)", &kMt7921, CmdWord::Uni(uni::kHifCtrl), 7,
     kWait, "",
     "30 00 00 41"
     "00 00 01 80"
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     "10 00"
     "07 00"
     "00 a0 00 07"
     "00 00 00"
     "07"  // [c2] no HIF_CTRL/CHIP_CONFIG special case
     "00 00 00 00"},

    {"mt7925 legacy MCU_CMD(PATCH_SEM_CONTROL) seq 1: 64-byte header, set_query NA", &kMt7925,
     CmdWord::Legacy(legacy::kPatchSemControl), 1, kWait,
     "01 00 00 00",  // {le32 op = 1 (get semaphore)}
     "44 00 00 41"   // DW0: TX_BYTES = 64 + 4 = 68 [7925]
     "00 40 00 00"   // DW1 connac3 [mac3]
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     "24 00"  // @32 len = 68 - 32 = 36 [7925]
     "00 80"  // @34 pq_id = MCU_PQ_ID(MT_TX_PORT_IDX_MCU 1, RX_Q0 0x20) = 0x8000 [7925][txd]
     "10"     // @36 cid = cmd bits 7:0
     "a0"     // @37 pkt_type MCU_PKT_ID
     "03"     // @38 set_query MCU_Q_NA: no ext_cid and no CE bit [7925]
     "01"     // @39 seq
     "00"     // @40 uc_d2b0_rev
     "00"     // @41 ext_cid = cmd bits 15:8
     "00"     // @42 s2d_index H2N (no WA bit) [7925]
     "00"     // @43 ext_cid_ack: left 0 in the NA branch [7925]
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"  // @44 rsv[5]
     "01 00 00 00"},

    {"mt7921 legacy MCU_CMD(PATCH_SEM_CONTROL): same header, connac2 DW1", &kMt7921,
     CmdWord::Legacy(legacy::kPatchSemControl), 15, kWait, "00 00 00 00",
     "44 00 00 41"
     "00 00 01 80"  // DW1 [c2]
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     "24 00"
     "00 80"
     "10 a0 03 0f"  // cid, pkt_type, set_query NA, seq 15
     "00 00 00 00"  // uc_d2b0_rev, ext_cid, s2d H2N, ext_cid_ack [c2]
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     "00 00 00 00"},

    {"mt7921 MCU_EXT_QUERY(GET_MIB_INFO) = 0x00015aed: set_query QUERY 0, ext_cid_ack 1", &kMt7921,
     CmdWord::ExtQuery(ext::kGetMibInfo), 7, kWait, "00 00 00 00  01 00 00 00",
     "48 00 00 41"  // DW0: TX_BYTES = 64 + 8 = 72
     "00 00 01 80"  // DW1 [c2]
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     "28 00"  // @32 len 40
     "00 80"  // @34 pq_id
     "ed"     // @36 cid MCU_CMD_EXT_CID 0xed
     "a0"     // @37
     "00"     // @38 set_query MCU_Q_QUERY: ext_cid != 0 and QUERY bit [c2]
     "07"     // @39 seq 7
     "00"     // @40
     "5a"     // @41 ext_cid GET_MIB_INFO
     "00"     // @42 s2d H2N
     "01"     // @43 ext_cid_ack = !!ext_cid [c2]
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     "00 00 00 00  01 00 00 00"},

    {"mt7921 MCU_CE_CMD(SET_PS_PROFILE) = 0x00040005: set_query SET 1, ext_cid_ack 0", &kMt7921,
     CmdWord::Ce(0x05), 2, kWait, "00 02 00 00",
     "44 00 00 41"
     "00 00 01 80"
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     "24 00"
     "00 80"
     "05"  // @36 cid SET_PS_PROFILE
     "a0"
     "01"  // @38 MCU_Q_SET: CE bit set, no QUERY bit [c2]
     "02"  // seq 2
     "00"
     "00"  // ext_cid 0
     "00"  // s2d H2N
     "00"  // ext_cid_ack = !!ext_cid = 0 [c2]
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     "00 02 00 00"},

    {"mt7921 MCU_CE_QUERY(REG_READ) = 0x000500c0 (mt76_connac_mcu_reg_rr): set_query QUERY",
     &kMt7921, CmdWord::CeQuery(ce::kRegAccess), 9, kWait,
     "00 10 00 18  00 00 00 00",  // {le32 addr, le32 val}
     "48 00 00 41"
     "00 00 01 80"
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     "28 00"
     "00 80"
     "c0 a0 00 09"  // cid 0xc0, pkt_type, set_query MCU_Q_QUERY [c2], seq 9
     "00 00 00 00"
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     "00 10 00 18  00 00 00 00"},

    {"mt7996 MCU_WA_EXT_CMD(FW_LOG_2_HOST) = 0x000813ed: s2d H2C 2, set_query SET, ext_cid_ack 1",
     &kMt7996, CmdWord::WaExt(0x13), 10, kWait, "01 00 00 00",
     "44 00 00 41"
     "00 40 00 00"  // DW1 connac3 [7996]
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     "24 00"
     "00 80"
     "ed a0 01 0a"  // cid EXT_CID, pkt_type, MCU_Q_SET (ext_cid != 0, no QUERY) [7996], seq 10
     "00"
     "13"  // ext_cid FW_LOG_2_HOST
     "02"  // s2d MCU_S2D_H2C: WA bit [7996]
     "01"  // ext_cid_ack [7996]
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     "01 00 00 00"},

    {"mt7996 MCU_WA_PARAM_CMD(SET) = 0x000801c4 (mt7996/debugfs.c): sub-cmd rides in ext_cid",
     &kMt7996, CmdWord{0x000801c4}, 11, kWait, "04 00 00 00  01 00 00 00",
     "48 00 00 41"
     "00 40 00 00"
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     "28 00"
     "00 80"
     "c4 a0 01 0b"  // cid WA_PARAM, pkt_type, set_query SET (ext_cid 1 != 0) [7996], seq 11
     "00"
     "01"  // ext_cid = MCU_WA_PARAM_CMD_SET
     "02"  // s2d H2C (WA)
     "01"  // ext_cid_ack
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     "04 00 00 00  01 00 00 00"},

    {"mt7996 legacy MCU_CE_CMD(SET_PS_PROFILE): mt7996 ignores CE, set_query stays NA", &kMt7996,
     CmdWord::Ce(0x05), 13, kWait, "",
     "40 00 00 41"  // TX_BYTES 64
     "00 40 00 00"
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     "20 00"  // len 32
     "00 80"
     "05 a0 03 0d"  // cid 0x05, pkt_type, MCU_Q_NA (only ext_cid switches it) [7996], seq 13
     "00 00 00 00"
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"},

    {"mt7996 MCU_CE_QUERY(REG_READ): QUERY is dropped with CE, set_query NA", &kMt7996,
     CmdWord::CeQuery(ce::kRegAccess), 13, kWait, "",
     "40 00 00 41"
     "00 40 00 00"
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     "20 00"
     "00 80"
     "c0 a0 03 0d"
     "00 00 00 00"
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"},

    {"mt7996 MCU_WM_UNI_CMD(REPT_MUAR) sent without waiting: no ACK (0x06), s2d H2N", &kMt7996,
     CmdWord{0x00120009}, 8, kNoWait, "00 00 00 00",
     "34 00 00 41"
     "00 40 00 00"  // DW1 connac3 [7996]
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     "14 00"
     "09 00"  // cid REPT_MUAR
     "00 a0 00 08"
     "00 00"
     "00"  // s2d: WM only -> MCU_S2D_H2N [7996]
     "06"  // UNI | SET; ACK only when wait_seq != NULL [7996]
     "00 00 00 00"
     "00 00 00 00"},

    {"mt7996 MCU_WMWA_UNI_CMD(BSS_INFO_UPDATE) waited: ACK (0x07), s2d H2CN 3", &kMt7996,
     CmdWord{0x001a0002}, 14, kWait, "01 00 00 00",
     "34 00 00 41"
     "00 40 00 00"
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     "14 00"
     "02 00"
     "00 a0 00 0e"
     "00 00"
     "03"  // WA and WM -> MCU_S2D_H2CN [7996]
     "07"  // UNI | SET | ACK (waited) [7996]
     "00 00 00 00"
     "01 00 00 00"},

    {"mt7996 MCU_WA_UNI_CMD(SDO): s2d H2C 2", &kMt7996, CmdWord{0x000a0088}, 1, kWait, "",
     "30 00 00 41"
     "00 40 00 00"
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     "10 00"
     "88 00"  // cid SDO 0x88
     "00 a0 00 01"
     "00 00"
     "02"  // WA only -> MCU_S2D_H2C [7996]
     "07"
     "00 00 00 00"},

    {"mt7996 plain MCU_UNI_CMD(DEV_INFO_UPDATE): s2d default H2CN 3", &kMt7996,
     CmdWord::Uni(uni::kDevInfoUpdate), 2, kWait, "",
     "30 00 00 41"
     "00 40 00 00"
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     "10 00"
     "01 00"
     "00 a0 00 02"
     "00 00"
     "03"  // neither WA nor WM: stays MCU_S2D_H2CN [7996]
     "07"
     "00 00 00 00"},

    {"mt7996 MCU_WM_UNI_CMD_QUERY(GET_MIB_INFO) waited: option 0x03 (UNI|ACK), s2d H2N", &kMt7996,
     CmdWord{0x00130022}, 3, kWait, "",
     "30 00 00 41"
     "00 40 00 00"
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     "10 00"
     "22 00"
     "00 a0 00 03"
     "00 00"
     "00"  // WM -> H2N
     "03"  // UNI, SET clear (QUERY), ACK (waited) [7996]
     "00 00 00 00"},

    {"mt7996 query not waited: option 0x02 (UNI only)", &kMt7996,
     CmdWord::UniQuery(uni::kEfuseCtrl), 4, kNoWait, "",
     "30 00 00 41"
     "00 40 00 00"
     "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
     "10 00"
     "2d 00"
     "00 a0 00 04"
     "00 00"
     "03"
     "02"
     "00 00 00 00"},
};

TEST(GoldenFrameTest, EncodeFrameMatchesDriverBytes) {
  for (const GoldenCase& c : kGoldenCases) {
    SCOPED_TRACE(c.desc);
    const std::vector<uint8_t> payload = Hex(c.payload);
    const std::vector<uint8_t> want = Hex(c.frame);
    ASSERT_EQ(want.size(), HeaderSizeFor(c.cmd) + payload.size()) << "golden frame length";

    std::vector<uint8_t> out(want.size() + 16, 0xa5);
    Result<size_t> n = EncodeFrame(*c.p, c.cmd, c.seq, View(payload), MutView(out), c.params);
    ASSERT_TRUE(n.ok()) << n.status().name();
    ASSERT_EQ(*n, want.size());
    EXPECT_TRUE(BytesEqual(View(want), ConstBytes(out.data(), *n)));
    for (size_t i = *n; i < out.size(); ++i)
      ASSERT_EQ(out[i], 0xa5) << "wrote past the frame at " << i;
  }
}

// The header alone, and the zero-copy builder, produce the same bytes.
TEST(GoldenFrameTest, WriteHeaderAndFrameBuilderAgree) {
  for (const GoldenCase& c : kGoldenCases) {
    SCOPED_TRACE(c.desc);
    const std::vector<uint8_t> payload = Hex(c.payload);
    const std::vector<uint8_t> want = Hex(c.frame);

    // WriteHeader: payload placed by the caller, header written in front (the skb_push model).
    std::vector<uint8_t> buf(want.size(), 0xee);
    if (!payload.empty())
      std::memcpy(buf.data() + HeaderSizeFor(c.cmd), payload.data(), payload.size());
    Result<size_t> n = WriteHeader(*c.p, c.cmd, c.seq, payload.size(), MutView(buf), c.params);
    ASSERT_TRUE(n.ok());
    EXPECT_TRUE(BytesEqual(View(want), View(buf)));

    // FrameBuilder with the payload appended raw.
    std::vector<uint8_t> out(want.size() + 8, 0x5a);
    Result<FrameBuilder> b = FrameBuilder::Start(*c.p, c.cmd, MutView(out));
    ASSERT_TRUE(b.ok());
    FrameBuilder fb = *b;
    ASSERT_TRUE(fb.AppendRaw(View(payload)).ok());
    Result<ConstBytes> f = fb.Finish(c.seq, c.params);
    ASSERT_TRUE(f.ok()) << f.status().name();
    EXPECT_EQ(f->data(), out.data());
    EXPECT_TRUE(BytesEqual(View(want), *f));
  }
}

// Decoding a golden frame gives back its fields.
TEST(GoldenFrameTest, DecodeFrameReadsTheFields) {
  for (const GoldenCase& c : kGoldenCases) {
    SCOPED_TRACE(c.desc);
    const std::vector<uint8_t> want = Hex(c.frame);
    const std::vector<uint8_t> payload = Hex(c.payload);
    const char* reason = nullptr;
    Result<DecodedFrame> d = DecodeFrame(View(want), &reason);
    ASSERT_TRUE(d.ok()) << (reason ? reason : "");
    EXPECT_EQ(reason, nullptr) << "reason is only written on failure";
    EXPECT_EQ(d->uni, c.cmd.uni());
    EXPECT_EQ(d->tx_bytes, want.size());
    EXPECT_EQ(d->dw0, 0x41000000u | want.size());
    EXPECT_EQ(d->pkt_fmt, 2);
    EXPECT_EQ(d->q_idx, 0x20);
    EXPECT_EQ(d->dw1, c.p->filler == Filler::kConnac2 ? 0x80010000u : 0x00004000u);
    EXPECT_STREQ(d->txd_generation, c.p->filler == Filler::kConnac2 ? "connac2" : "connac3");
    EXPECT_EQ(d->len, want.size() - 32);
    EXPECT_EQ(d->pkt_type, 0xa0);
    EXPECT_EQ(d->seq, c.seq);
    EXPECT_EQ(d->s2d_index, want[42]);
    EXPECT_TRUE(BytesEqual(View(payload), d->payload));
    EXPECT_EQ(d->payload.data(), want.data() + HeaderSizeFor(c.cmd))
        << "payload is a view, not a copy";
    if (c.cmd.uni()) {
      EXPECT_EQ(d->cid, c.cmd.id());
      EXPECT_EQ(d->option, want[43]);
    } else {
      EXPECT_EQ(d->pq_id, 0x8000);
      EXPECT_EQ(d->cid, c.cmd.id());
      EXPECT_EQ(d->ext_cid, c.cmd.ext_id());
      EXPECT_EQ(d->set_query, want[38]);
      EXPECT_EQ(d->ext_cid_ack, c.cmd.ext_id() != 0 ? 1 : 0);
    }
  }
}

// ---------------------------------------------------------------------------------------
// Option and s2d rules, per profile.

struct OptionCase {
  const char* desc;
  const Profile* p;
  CmdWord cmd;
  FrameParams params;
  uint8_t option;
  S2d s2d;
};

const OptionCase kOptionCases[] = {
    {"7925 set -> UNI_EXT_ACK", &kMt7925, CmdWord::Uni(uni::kStaRecUpdate), kWait, 0x07, S2d::kH2N},
    {"7925 set, not waited: mt7925 always asks for the ACK", &kMt7925,
     CmdWord::Uni(uni::kStaRecUpdate), kNoWait, 0x07, S2d::kH2N},
    {"7925 query -> UNI_QUERY_ACK", &kMt7925, CmdWord::UniQuery(uni::kThermal), kWait, 0x03,
     S2d::kH2N},
    {"7925 HIF_CTRL -> 0x06", &kMt7925, CmdWord::Uni(uni::kHifCtrl), kWait, 0x06, S2d::kH2N},
    {"7925 HIF_CTRL query -> 0x03 (full-word compare)", &kMt7925, CmdWord::UniQuery(uni::kHifCtrl),
     kWait, 0x03, S2d::kH2N},
    {"7925 WM HIF_CTRL 0x120007 -> 0x07 (full-word compare)", &kMt7925,
     With(CmdWord::Uni(uni::kHifCtrl), CmdWord::kWm), kWait, 0x07, S2d::kH2N},
    {"7925 CHIP_CONFIG -> 0x06", &kMt7925, CmdWord::Uni(uni::kChipConfig), kWait, 0x06, S2d::kH2N},
    {"7925 CHIP_CONFIG query -> 0x03", &kMt7925, CmdWord::UniQuery(uni::kChipConfig), kWait, 0x03,
     S2d::kH2N},
    {"7925 TESTMODE_CTRL set -> 0x06", &kMt7925, CmdWord::Uni(uni::kTestmodeCtrl), kWait, 0x06,
     S2d::kH2N},
    {"7925 TESTMODE_CTRL query -> 0x02", &kMt7925, CmdWord::UniQuery(uni::kTestmodeCtrl), kWait,
     0x02, S2d::kH2N},
    {"7925 TESTMODE_RX_STAT query -> 0x02", &kMt7925, CmdWord::UniQuery(uni::kTestmodeRxStat),
     kWait, 0x02, S2d::kH2N},
    {"7925 WM TESTMODE_CTRL set: testmode rule uses the id only -> 0x06", &kMt7925,
     With(CmdWord::Uni(uni::kTestmodeCtrl), CmdWord::kWm), kWait, 0x06, S2d::kH2N},
    {"7925 WMWA STA_REC 0x1a0003: routing ignored -> 0x07, H2N", &kMt7925, CmdWord{0x001a0003},
     kWait, 0x07, S2d::kH2N},
    {"7921 query -> 0x07 anyway", &kMt7921, CmdWord::UniQuery(uni::kThermal), kWait, 0x07,
     S2d::kH2N},
    {"7921 HIF_CTRL -> 0x07", &kMt7921, CmdWord::Uni(uni::kHifCtrl), kWait, 0x07, S2d::kH2N},
    {"7921 TESTMODE_CTRL query -> 0x07", &kMt7921, CmdWord::UniQuery(uni::kTestmodeCtrl), kWait,
     0x07, S2d::kH2N},
    {"7921 not waited -> 0x07", &kMt7921, CmdWord::Uni(uni::kScanReq), kNoWait, 0x07, S2d::kH2N},
    {"7996 set waited -> 0x07, H2CN", &kMt7996, CmdWord::Uni(uni::kScanReq), kWait, 0x07,
     S2d::kH2CN},
    {"7996 set not waited -> 0x06", &kMt7996, CmdWord::Uni(uni::kScanReq), kNoWait, 0x06,
     S2d::kH2CN},
    {"7996 query waited -> 0x03", &kMt7996, CmdWord::UniQuery(uni::kScanReq), kWait, 0x03,
     S2d::kH2CN},
    {"7996 query not waited -> 0x02", &kMt7996, CmdWord::UniQuery(uni::kScanReq), kNoWait, 0x02,
     S2d::kH2CN},
    {"7996 HIF_CTRL keeps ACK (no special case)", &kMt7996, CmdWord::Uni(uni::kHifCtrl), kWait,
     0x07, S2d::kH2CN},
    {"7996 TESTMODE_CTRL set -> 0x07 (no testmode rule)", &kMt7996,
     CmdWord::Uni(uni::kTestmodeCtrl), kWait, 0x07, S2d::kH2CN},
    {"7996 WA -> H2C", &kMt7996, With(CmdWord::Uni(uni::kScanReq), CmdWord::kWa), kWait, 0x07,
     S2d::kH2C},
    {"7996 WM -> H2N", &kMt7996, With(CmdWord::Uni(uni::kScanReq), CmdWord::kWm), kWait, 0x07,
     S2d::kH2N},
    {"7996 WA|WM -> H2CN", &kMt7996, With(CmdWord::Uni(uni::kScanReq), CmdWord::kWa | CmdWord::kWm),
     kWait, 0x07, S2d::kH2CN},
};

TEST(OptionTest, PerProfileRules) {
  for (const OptionCase& c : kOptionCases) {
    SCOPED_TRACE(c.desc);
    EXPECT_EQ(UniOptionFor(*c.p, c.cmd, c.params), c.option);
    EXPECT_EQ(UniS2dFor(*c.p, c.cmd), c.s2d);
    // And the same bytes land in an encoded frame.
    uint8_t buf[kUniHeaderSize];
    Result<size_t> n = WriteHeader(*c.p, c.cmd, 1, 0, MutableBytes(buf), c.params);
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(buf[43], c.option);
    EXPECT_EQ(buf[42], static_cast<uint8_t>(c.s2d));
  }
}

TEST(OptionTest, ConstantsMatchMt76) {
  EXPECT_EQ(kHwTxdSize, 32u);
  EXPECT_EQ(kUniHeaderSize, 48u);
  EXPECT_EQ(kLegacyHeaderSize, 64u);
  EXPECT_EQ(kMcuHeadroom, 64u);
  EXPECT_EQ(kMcuPktId, 0xa0);
  EXPECT_EQ(kMcuPqId, (1u << 15) | (0x20u << 10));
  EXPECT_EQ(txd::kDw1Connac2, 0x80010000u);
  EXPECT_EQ(txd::kDw1Connac3, 0x00004000u);
  EXPECT_EQ(txd::kDw0PktFmtCmd | txd::kDw0QIdxMcu, 0x41000000u);
  EXPECT_EQ(static_cast<int>(SetQuery::kNa), 3);
  EXPECT_EQ(static_cast<int>(S2d::kH2CN), 3);
}

// ---------------------------------------------------------------------------------------
// FW_SCATTER: raw firmware bytes, no header.

TEST(FwScatterTest, PayloadUnchanged) {
  for (const Profile* p : kAllProfiles) {
    SCOPED_TRACE(p->name);
    const std::vector<uint8_t> fw = Hex("de ad be ef 00 01 02 03 ff");
    std::vector<uint8_t> out(fw.size() + 4, 0xa5);
    const CmdWord scatter = CmdWord::Legacy(legacy::kFwScatter);
    EXPECT_EQ(HeaderSizeFor(scatter), 0u);
    Result<size_t> n = EncodeFrame(*p, scatter, 3, View(fw), MutView(out));
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(*n, fw.size());
    EXPECT_TRUE(BytesEqual(View(fw), ConstBytes(out.data(), *n)));
    EXPECT_EQ(out[fw.size()], 0xa5);
    // WriteHeader writes nothing at all for FW_SCATTER.
    std::vector<uint8_t> canary(16, 0x3c);
    Result<size_t> h = WriteHeader(*p, scatter, 3, 16, MutView(canary));
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(*h, 16u);
    for (uint8_t b : canary) EXPECT_EQ(b, 0x3c);
    // Seq rules still apply (the driver consumes a seq for scatter too).
    EXPECT_EQ(EncodeFrame(*p, scatter, 0, View(fw), MutView(out)).status().err(), Errno::kInval);
    // Any flag makes it a normal legacy command with a 64-byte header (full-word compare).
    EXPECT_EQ(HeaderSizeFor(CmdWord{0x000100ee}), kLegacyHeaderSize);
  }
}

// ---------------------------------------------------------------------------------------
// Errors: nothing is written on failure.

struct ErrorCase {
  const char* desc;
  const Profile* p;
  CmdWord cmd;
  uint8_t seq;
  size_t payload_len;
  size_t out_size;
  Errno want;
};

const ErrorCase kErrorCases[] = {
    {"seq 0 is never used", &kMt7925, CmdWord::Uni(2), 0, 4, 256, Errno::kInval},
    {"seq 16 does not fit 4 bits", &kMt7925, CmdWord::Uni(2), 16, 4, 256, Errno::kInval},
    {"seq 255", &kMt7921, CmdWord::Legacy(0x10), 255, 4, 256, Errno::kInval},
    {"word with bit 21 set", &kMt7925, CmdWord{0x00220002}, 1, 4, 256, Errno::kInval},
    {"word with bit 31 set", &kMt7996, CmdWord{0x80000010}, 1, 4, 256, Errno::kInval},
    {"UNI buffer one byte short", &kMt7925, CmdWord::Uni(2), 1, 8, 48 + 8 - 1, Errno::kNoBufs},
    {"UNI buffer holds the header only", &kMt7925, CmdWord::Uni(2), 1, 8, 48, Errno::kNoBufs},
    {"legacy buffer one byte short", &kMt7921, CmdWord::Ext(0x5a), 1, 8, 64 + 8 - 1,
     Errno::kNoBufs},
    {"legacy buffer has UNI room only", &kMt7996, CmdWord::Legacy(0x10), 1, 0, 48, Errno::kNoBufs},
    {"empty buffer", &kMt7996, CmdWord::Uni(1), 1, 0, 0, Errno::kNoBufs},
    {"FW_SCATTER buffer one byte short", &kMt7925, CmdWord::Legacy(0xee), 1, 100, 99,
     Errno::kNoBufs},
    {"UNI frame of 0x10000 bytes", &kMt7925, CmdWord::Uni(2), 1, 0xffff - 48 + 1, 0x20000,
     Errno::kMsgSize},
    {"legacy frame of 0x10000 bytes", &kMt7921, CmdWord::Legacy(0x10), 1, 0xffff - 64 + 1, 0x20000,
     Errno::kMsgSize},
    {"legacy frame with UNI-sized payload limit", &kMt7996, CmdWord::Ext(0x5a), 1, 0xffff - 48,
     0x20000, Errno::kMsgSize},
    {"FW_SCATTER over 0xffff", &kMt7925, CmdWord::Legacy(0xee), 1, 0x10000, 0x20000,
     Errno::kMsgSize},
    {"huge payload length does not overflow", &kMt7925, CmdWord::Uni(2), 1, SIZE_MAX, 0x20000,
     Errno::kMsgSize},
    {"seq checked before size", &kMt7925, CmdWord::Uni(2), 0, 0xffff, 0, Errno::kInval},
    {"size limit checked before buffer", &kMt7925, CmdWord::Uni(2), 1, 0xffff, 0, Errno::kMsgSize},
};

TEST(FrameErrorTest, NothingWrittenOnError) {
  for (const ErrorCase& c : kErrorCases) {
    SCOPED_TRACE(c.desc);
    // The view is a window into a larger canary-filled buffer, so writes just outside it
    // would be caught too.
    std::vector<uint8_t> big(c.out_size + 64, 0xa5);
    const MutableBytes out(big.data() + 32, c.out_size);
    Result<size_t> h = WriteHeader(*c.p, c.cmd, c.seq, c.payload_len, out);
    EXPECT_FALSE(h.ok());
    EXPECT_EQ(h.status().err(), c.want) << h.status().name();
    for (size_t i = 0; i < big.size(); ++i) ASSERT_EQ(big[i], 0xa5) << "byte " << i << " written";

    if (c.payload_len <= 0x20000) {
      std::vector<uint8_t> payload(c.payload_len, 0x11);
      Result<size_t> e = EncodeFrame(*c.p, c.cmd, c.seq, View(payload), out);
      EXPECT_EQ(e.status().err(), c.want) << e.status().name();
      for (size_t i = 0; i < big.size(); ++i) ASSERT_EQ(big[i], 0xa5) << "byte " << i << " written";
    }
  }
}

TEST(FrameErrorTest, LargestFrameFits) {
  // 0xffff bytes is the largest TX_BYTES; a UNI frame of exactly that size encodes.
  std::vector<uint8_t> payload(0xffff - kUniHeaderSize, 0x42);
  std::vector<uint8_t> out(0xffff);
  Result<size_t> n = EncodeFrame(kMt7925, CmdWord::Uni(2), 1, View(payload), MutView(out));
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 0xffffu);
  EXPECT_EQ(out[0], 0xff);
  EXPECT_EQ(out[1], 0xff);
  EXPECT_EQ(out[32], 0xdf);  // len = 0xffff - 32 = 0xffdf
  EXPECT_EQ(out[33], 0xff);
}

// ---------------------------------------------------------------------------------------
// PayloadWriter / FrameBuilder.

// A STA_REC_UPDATE with one STA_REC_KEY_V3 TLV, built in place by FrameBuilder.
// Layouts: sta_req_hdr (mt76_connac_mcu.h), sta_rec_sec_uni (mt7925/mcu.h).
TEST(FrameBuilderTest, StaRecKeyGolden) {
  const std::vector<uint8_t> sta_req_hdr =
      Hex("00"     // bss_idx 0
          "01"     // wlan_idx_lo: wcid 1
          "ff ff"  // tlv_num: garbage on purpose, the writer resets and counts it
          "01"     // is_tlv_append 1
          "00"     // muar_idx
          "00"     // wlan_idx_hi
          "00");   // rsv
  const std::vector<uint8_t> key_body =
      Hex("01 01 01 00"        // add 1, tx_key 1, key_type 1 (pairwise), is_authenticator 0
          "00 11 22 33 44 55"  // peer_addr
          "00"                 // bss_idx
          "04"                 // cipher_id CONNAC3_CIPHER_AES_CCMP
          "00 10"              // key_id 0, key_len 16
          "01 01"              // wlan_idx 1, mgmt_prot 1
          "00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f"    // key[0..15]
          "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"    // key[16..31]
          "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00");  // key_rsc
  ASSERT_EQ(key_body.size(), 64u);

  const std::vector<uint8_t> want =
      Hex("7c 00 00 41"  // DW0: TX_BYTES = 48 + 8 + 68 = 124
          "00 40 00 00"  // DW1 connac3
          "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00"
          "5c 00"        // len 92
          "03 00"        // cid STA_REC_UPDATE
          "00 a0 00 09"  // seq 9
          "00 00 00"
          "07"
          "00 00 00 00"
          // sta_req_hdr with tlv_num = 1 (le16), incremented per TLV like mt76_connac_mcu_add_tlv
          "00 01 01 00 01 00 00 00"
          // TLV header: tag STA_REC_KEY_V3 0x0027, len 0x0044 = 68 including the 4-byte header
          "27 00 44 00"
          "01 01 01 00  00 11 22 33 44 55  00 04 00 10 01 01"
          "00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f"
          "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
          "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00");

  std::vector<uint8_t> out(256, 0xcc);
  Result<FrameBuilder> b =
      FrameBuilder::Start(kMt7925, CmdWord::Uni(uni::kStaRecUpdate), MutView(out));
  ASSERT_TRUE(b.ok());
  FrameBuilder fb = *b;
  ASSERT_TRUE(fb.SetFixedHeader(View(sta_req_hdr), /*count_offset=*/2).ok());
  Result<MutableBytes> body = fb.AddTlv(0x27, key_body.size());
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(body->size(), 64u);
  EXPECT_EQ(body->data(), out.data() + 48 + 8 + 4)
      << "TLV body is built in place behind the header";
  for (size_t i = 0; i < body->size(); ++i) ASSERT_EQ(body->data()[i], 0) << "TLV body is zeroed";
  std::memcpy(body->data(), key_body.data(), key_body.size());
  EXPECT_EQ(fb.payload().tlv_count(), 1);
  Result<ConstBytes> f = fb.Finish(9);
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(BytesEqual(View(want), *f));
  EXPECT_EQ(out[want.size()], 0xcc) << "nothing written past the frame";
}

TEST(PayloadWriterTest, CountsTlvsInTheLe16Counter) {
  std::vector<uint8_t> buf(128, 0xcc);
  PayloadWriter w(MutView(buf));
  const std::vector<uint8_t> hdr = Hex("aa bb 77 77 cc dd ee ff");
  ASSERT_TRUE(w.SetFixedHeader(View(hdr), 2).ok());
  EXPECT_EQ(buf[2], 0);
  EXPECT_EQ(buf[3], 0);
  EXPECT_EQ(w.tlv_count(), 0);

  struct Add {
    const char* desc;
    uint16_t tag;
    size_t body;
    size_t offset;  // where the TLV header lands
  };
  const Add adds[] = {
      {"empty TLV: len 4", 0x0001, 0, 8},
      {"3-byte body: len 7, no padding", 0x0102, 3, 12},
      {"16-byte body: len 20", 0xfffe, 16, 19},
  };
  uint16_t n = 0;
  for (const Add& a : adds) {
    SCOPED_TRACE(a.desc);
    Result<MutableBytes> body = w.AddTlv(a.tag, a.body);
    ASSERT_TRUE(body.ok());
    ++n;
    EXPECT_EQ(buf[a.offset] | buf[a.offset + 1] << 8, a.tag);
    EXPECT_EQ(buf[a.offset + 2] | buf[a.offset + 3] << 8, static_cast<int>(a.body + 4))
        << "len includes the 4-byte TLV header";
    EXPECT_EQ(body->data(), buf.data() + a.offset + 4);
    EXPECT_EQ(buf[2] | buf[3] << 8, n) << "le16 tlv_num at offset 2";
    EXPECT_EQ(w.tlv_count(), n);
  }
  EXPECT_EQ(w.size(), 8u + 4 + 7 + 20);
  // The other header bytes are untouched.
  EXPECT_EQ(buf[0], 0xaa);
  EXPECT_EQ(buf[7], 0xff);
  EXPECT_EQ(buf[w.size()], 0xcc);
  EXPECT_EQ(w.bytes().data(), buf.data());
  EXPECT_EQ(w.bytes().size(), w.size());
}

TEST(PayloadWriterTest, NoCounterLeavesTheHeaderAlone) {
  std::vector<uint8_t> buf(32, 0);
  PayloadWriter w(MutView(buf));
  const std::vector<uint8_t> hdr = Hex("01 02 03 04");
  ASSERT_TRUE(w.SetFixedHeader(View(hdr)).ok());
  ASSERT_TRUE(w.AddTlv(5, 0).ok());
  ASSERT_TRUE(w.AppendTlv(6, View(Hex("99"))).ok());
  EXPECT_TRUE(BytesEqual(View(Hex("01 02 03 04  05 00 04 00  06 00 05 00 99")), w.bytes()));
  EXPECT_EQ(w.tlv_count(), 2);
}

struct WriterState {
  std::vector<uint8_t> bytes;
  size_t size;
  uint16_t count;
};

WriterState Snapshot(const PayloadWriter& w, const std::vector<uint8_t>& buf) {
  return WriterState{buf, w.size(), w.tlv_count()};
}

void ExpectUnchanged(const WriterState& before, const PayloadWriter& w,
                     const std::vector<uint8_t>& buf) {
  EXPECT_EQ(w.size(), before.size);
  EXPECT_EQ(w.tlv_count(), before.count);
  EXPECT_TRUE(buf == before.bytes) << "buffer changed by a failed call";
}

struct AddTlvFailCase {
  const char* desc;
  size_t buf_size;
  size_t body_len;
  Errno want;
};

const AddTlvFailCase kAddTlvFailCases[] = {
    {"body does not fit by one byte", 8 + 4 + 4 + 9, 6, Errno::kNoBufs},
    {"not even the TLV header fits", 8 + 4 + 4 + 3, 0, Errno::kNoBufs},
    {"len would exceed le16 (0xfffc body + 4 = 0x10000)", 0x20000, 0xfffc, Errno::kMsgSize},
    {"size_t-sized body does not wrap", 64, SIZE_MAX, Errno::kMsgSize},
    {"SIZE_MAX - 3 body does not wrap", 64, SIZE_MAX - 3, Errno::kMsgSize},
};

TEST(PayloadWriterTest, FailedAddTlvLeavesWriterUnchanged) {
  for (const AddTlvFailCase& c : kAddTlvFailCases) {
    SCOPED_TRACE(c.desc);
    std::vector<uint8_t> buf(c.buf_size, 0x77);
    PayloadWriter w(MutView(buf));
    ASSERT_TRUE(w.SetFixedHeader(View(Hex("00 00 00 00 00 00 00 00")), 2).ok());
    ASSERT_TRUE(w.AddTlv(1, 4).ok());  // 8 + 8 bytes used, tlv_num 1
    const WriterState before = Snapshot(w, buf);
    Result<MutableBytes> r = w.AddTlv(2, c.body_len);
    EXPECT_EQ(r.status().err(), c.want);
    ExpectUnchanged(before, w, buf);
    // AppendTlv fails the same way (when the body is small enough to allocate).
    if (c.body_len <= 0x20000) {
      std::vector<uint8_t> body(c.body_len, 0x42);
      EXPECT_EQ(w.AppendTlv(2, View(body)).err(), c.want);
      ExpectUnchanged(before, w, buf);
    }
  }
}

TEST(PayloadWriterTest, CounterSaturationIsRangeError) {
  // 0xffff empty TLVs fill the le16 counter; the next one is kRange and changes nothing.
  std::vector<uint8_t> buf(8 + 4 * 0x10000 + 4, 0);
  PayloadWriter w(MutView(buf));
  ASSERT_TRUE(w.SetFixedHeader(View(Hex("00 00 00 00 00 00 00 00")), 2).ok());
  for (uint32_t i = 0; i < 0xffff; ++i) {
    if (!w.AddTlv(0x10, 0).ok()) FAIL() << "AddTlv " << i << " failed";
  }
  EXPECT_EQ(w.tlv_count(), 0xffff);
  EXPECT_EQ(buf[2], 0xff);
  EXPECT_EQ(buf[3], 0xff);
  const WriterState before = Snapshot(w, buf);
  EXPECT_EQ(w.AddTlv(0x10, 0).status().err(), Errno::kRange);
  ExpectUnchanged(before, w, buf);
}

struct FixedHeaderCase {
  const char* desc;
  size_t buf_size;
  size_t hdr_size;
  size_t count_offset;
  bool tlv_first;  // add a TLV before SetFixedHeader
  Errno want;
};

const FixedHeaderCase kFixedHeaderCases[] = {
    {"fits exactly", 8, 8, 2, false, Errno::kOk},
    {"no counter", 8, 8, PayloadWriter::kNoCount, false, Errno::kOk},
    {"counter at the last two bytes", 8, 8, 6, false, Errno::kOk},
    {"counter straddles the end", 16, 8, 7, false, Errno::kInval},
    {"counter past the end", 16, 8, 8, false, Errno::kInval},
    {"header larger than the buffer", 7, 8, 2, false, Errno::kNoBufs},
    {"called after a TLV", 64, 8, 2, true, Errno::kInval},
    {"empty header, no counter", 4, 0, PayloadWriter::kNoCount, false, Errno::kOk},
    {"empty header cannot hold a counter", 4, 0, 0, false, Errno::kInval},
};

TEST(PayloadWriterTest, SetFixedHeader) {
  for (const FixedHeaderCase& c : kFixedHeaderCases) {
    SCOPED_TRACE(c.desc);
    std::vector<uint8_t> buf(c.buf_size, 0x55);
    PayloadWriter w(MutView(buf));
    if (c.tlv_first) {
      ASSERT_TRUE(w.AddTlv(1, 0).ok());
    }
    const std::vector<uint8_t> hdr(c.hdr_size, 0x66);
    const WriterState before = Snapshot(w, buf);
    const Status s = w.SetFixedHeader(View(hdr), c.count_offset);
    EXPECT_EQ(s.err(), c.want) << s.name();
    if (!s.ok()) {
      ExpectUnchanged(before, w, buf);
    } else {
      EXPECT_EQ(w.size(), c.hdr_size);
    }
  }
}

TEST(PayloadWriterTest, AppendRaw) {
  std::vector<uint8_t> buf(6, 0);
  PayloadWriter w(MutView(buf));
  ASSERT_TRUE(w.AppendRaw(View(Hex("01 02 03"))).ok());
  ASSERT_TRUE(w.AppendRaw(View(Hex(""))).ok());
  const WriterState before = Snapshot(w, buf);
  EXPECT_EQ(w.AppendRaw(View(Hex("04 05 06 07"))).err(), Errno::kNoBufs);
  ExpectUnchanged(before, w, buf);
  ASSERT_TRUE(w.AppendRaw(View(Hex("04 05 06"))).ok());
  EXPECT_TRUE(BytesEqual(View(Hex("01 02 03 04 05 06")), w.bytes()));
  EXPECT_EQ(w.AddTlv(1, 0).status().err(), Errno::kNoBufs);
}

TEST(PayloadWriterTest, DefaultConstructedIsEmptyAndRefusesWrites) {
  PayloadWriter w;
  EXPECT_EQ(w.size(), 0u);
  EXPECT_EQ(w.AddTlv(1, 0).status().err(), Errno::kNoBufs);
  EXPECT_EQ(w.AppendRaw(View(Hex("00"))).err(), Errno::kNoBufs);
  EXPECT_TRUE(w.AppendRaw(ConstBytes()).ok());
}

struct StartCase {
  const char* desc;
  CmdWord cmd;
  size_t out_size;
  Errno want;
};

const StartCase kStartCases[] = {
    {"UNI header room exactly", CmdWord::Uni(1), 48, Errno::kOk},
    {"UNI one byte short", CmdWord::Uni(1), 47, Errno::kNoBufs},
    {"legacy needs 64", CmdWord::Legacy(0x10), 63, Errno::kNoBufs},
    {"legacy exactly", CmdWord::Legacy(0x10), 64, Errno::kOk},
    {"FW_SCATTER needs no room", CmdWord::Legacy(0xee), 0, Errno::kOk},
    {"unknown bits", CmdWord{0x01000001}, 256, Errno::kInval},
};

TEST(FrameBuilderTest, Start) {
  for (const StartCase& c : kStartCases) {
    SCOPED_TRACE(c.desc);
    std::vector<uint8_t> out(c.out_size + 1, 0xa5);
    Result<FrameBuilder> b =
        FrameBuilder::Start(kMt7925, c.cmd, MutableBytes(out.data(), c.out_size));
    EXPECT_EQ(b.status().err(), c.want);
    for (uint8_t x : out) ASSERT_EQ(x, 0xa5) << "Start writes nothing";
    if (b.ok()) {
      Result<ConstBytes> f = b->Finish(1);
      ASSERT_TRUE(f.ok());
      EXPECT_EQ(f->size(), HeaderSizeFor(c.cmd));
    }
  }
}

TEST(FrameBuilderTest, FinishErrorsAndRefinish) {
  std::vector<uint8_t> out(0x10100, 0);
  Result<FrameBuilder> b =
      FrameBuilder::Start(kMt7996, CmdWord::Uni(uni::kBssInfoUpdate), MutView(out));
  ASSERT_TRUE(b.ok());
  FrameBuilder fb = *b;
  ASSERT_TRUE(fb.AppendRaw(View(Hex("01 02 03 04"))).ok());
  EXPECT_EQ(fb.Finish(0).status().err(), Errno::kInval);
  EXPECT_EQ(fb.Finish(16).status().err(), Errno::kInval);
  // Finish can be repeated (e.g. a resend with a fresh seq): the header is rewritten.
  Result<ConstBytes> f1 = fb.Finish(3, kWait);
  ASSERT_TRUE(f1.ok());
  EXPECT_EQ((*f1)[39], 3);
  EXPECT_EQ((*f1)[43], 0x07);
  Result<ConstBytes> f2 = fb.Finish(4, kNoWait);
  ASSERT_TRUE(f2.ok());
  EXPECT_EQ((*f2)[39], 4);
  EXPECT_EQ((*f2)[43], 0x06);
  // Grow the payload past the 16-bit TX_BYTES: the room is there, Finish refuses.
  std::vector<uint8_t> big(0xffff - 48 - 4 + 1, 0x33);
  ASSERT_TRUE(fb.AppendRaw(View(big)).ok());
  EXPECT_EQ(fb.payload().size(), 0xffffu - 48 + 1);
  EXPECT_EQ(fb.Finish(5).status().err(), Errno::kMsgSize);
}

// ---------------------------------------------------------------------------------------
// Round trip: encode then decode, for a spread of words, every seq and several lengths.

// The command word DecodeFrame can rebuild from the wire for `cmd` sent by `p`: the parts
// the filler does not encode are lost.
CmdWord ExpectedDecodedWord(const Profile& p, CmdWord cmd) {
  if (cmd.uni()) {
    uint32_t w = CmdWord::kUni | cmd.id();
    // Only connac2 loses the QUERY bit (option always 0x07). WA/WM are routing only.
    if (cmd.query() && p.filler != Filler::kConnac2) w |= CmdWord::kQuery;
    return CmdWord{w};
  }
  const uint32_t ext = cmd.ext_id();
  const bool set_query = ext != 0 || (p.filler != Filler::kMt7996 && cmd.ce());
  uint32_t w = cmd.id() | (ext << 8);
  if (set_query && cmd.query()) w |= CmdWord::kQuery;
  if (set_query && ext == 0) w |= CmdWord::kCe;
  if (cmd.wa()) w |= CmdWord::kWa;
  return CmdWord{w};
}

// Where the decoded word equals the original word exactly.
bool Lossless(const Profile& p, CmdWord cmd) { return ExpectedDecodedWord(p, cmd) == cmd; }

std::vector<CmdWord> WordSpread() {
  std::vector<CmdWord> v;
  for (size_t i = 0; i < kUniCmds.size; ++i) {
    const uint8_t id = kUniCmds.entries[i].id;
    v.push_back(CmdWord::Uni(id));
    v.push_back(CmdWord::UniQuery(id));
  }
  for (uint32_t route : {CmdWord::kWa, CmdWord::kWm, CmdWord::kWa | CmdWord::kWm}) {
    v.push_back(With(CmdWord::Uni(uni::kStaRecUpdate), route));
    v.push_back(With(CmdWord::UniQuery(uni::kGetMibInfo), route));
  }
  for (size_t i = 0; i < kExtCmds.size; ++i) {
    const uint8_t id = kExtCmds.entries[i].id;
    v.push_back(CmdWord::Ext(id));
    v.push_back(CmdWord::ExtQuery(id));
  }
  for (size_t i = 0; i < kLegacyCmds.size; ++i) {
    if (kLegacyCmds.entries[i].id == legacy::kFwScatter) continue;  // no header to decode
    v.push_back(CmdWord::Legacy(kLegacyCmds.entries[i].id));
  }
  for (size_t i = 0; i < kCeCmds.size; ++i) {
    v.push_back(CmdWord::Ce(kCeCmds.entries[i].id));
    v.push_back(CmdWord::CeQuery(kCeCmds.entries[i].id));
  }
  v.push_back(CmdWord::WaExt(0x13));
  v.push_back(With(CmdWord::ExtQuery(ext::kGetMibInfo), CmdWord::kWa));
  v.push_back(CmdWord{0x000800c4});  // MCU_WA_PARAM_CMD(QUERY)
  v.push_back(CmdWord{0x000801c4});  // MCU_WA_PARAM_CMD(SET)
  v.push_back(CmdWord{0x000100ee});  // FW_SCATTER word with QUERY: not scatter, gets a header
  return v;
}

TEST(RoundTripTest, EncodeThenDecodeEveryProfileWordSeqAndLength) {
  const std::vector<CmdWord> words = WordSpread();
  std::vector<uint8_t> payload(0xffff);
  for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<uint8_t>(i * 7 + (i >> 8));
  std::vector<uint8_t> out(0xffff);
  size_t checked = 0;
  size_t lossless = 0;
  for (const Profile* p : kAllProfiles) {
    for (const FrameParams params : {kWait, kNoWait}) {
      if (!params.wait_response && p->filler != Filler::kMt7996) continue;  // only 7996 encodes it
      for (const CmdWord cmd : words) {
        const size_t hdr = HeaderSizeFor(cmd);
        const CmdWord want = ExpectedDecodedWord(*p, cmd);
        for (uint8_t seq = 1; seq <= 15; ++seq) {
          for (const size_t len : {size_t{0}, size_t{1}, size_t{3}, size_t{4}, size_t{255},
                                   size_t{1024}, size_t{0xffff} - hdr}) {
            Result<size_t> n =
                EncodeFrame(*p, cmd, seq, ConstBytes(payload.data(), len), MutView(out), params);
            ASSERT_TRUE(n.ok()) << p->name << " " << std::hex << cmd.raw << " len " << std::dec
                                << len;
            ASSERT_EQ(*n, hdr + len);
            const char* reason = nullptr;
            Result<DecodedFrame> d = DecodeFrame(ConstBytes(out.data(), *n), &reason);
            ASSERT_TRUE(d.ok()) << p->name << " cmd 0x" << std::hex << cmd.raw << std::dec
                                << " seq " << int{seq} << " len " << len << ": "
                                << (reason ? reason : "");
            ASSERT_EQ(d->cmd.raw, want.raw)
                << p->name << " cmd 0x" << std::hex << cmd.raw << " decoded 0x" << d->cmd.raw;
            ASSERT_EQ(d->seq, seq);
            ASSERT_EQ(d->uni, cmd.uni());
            ASSERT_EQ(d->payload.size(), len);
            ASSERT_EQ(d->payload.data(), out.data() + hdr);
            ASSERT_EQ(std::memcmp(d->payload.data(), payload.data(), len), 0);
            ++checked;
            if (Lossless(*p, cmd)) ++lossless;
          }
        }
      }
    }
  }
  EXPECT_GT(checked, 80000u);
  EXPECT_GT(lossless, checked / 2) << "most words must survive the round trip exactly";
}

// Re-encoding the decoded word reproduces the frame (the decode is exact about the wire).
TEST(RoundTripTest, ReencodeDecodedWordIsByteIdentical) {
  const std::vector<CmdWord> words = WordSpread();
  const std::vector<uint8_t> payload = Hex("01 02 03 04 05");
  std::vector<uint8_t> a(128);
  std::vector<uint8_t> b(128);
  for (const Profile* p : kAllProfiles) {
    for (const CmdWord cmd : words) {
      Result<size_t> n = EncodeFrame(*p, cmd, 9, View(payload), MutView(a));
      ASSERT_TRUE(n.ok());
      Result<DecodedFrame> d = DecodeFrame(ConstBytes(a.data(), *n));
      ASSERT_TRUE(d.ok());
      CmdWord again = d->cmd;
      // A legacy header with cid 0xee and no flags decodes to the bare FW_SCATTER word, which
      // encodes without a header; only the (never sent) 0x100ee word gets there.
      if (again.is_fw_scatter()) {
        EXPECT_EQ(cmd.raw, 0x000100eeu);
        continue;
      }
      // s2d routing of mt7996 UNI frames is not part of the decoded word; put it back.
      if (cmd.uni()) again = CmdWord{again.raw | (cmd.raw & (CmdWord::kWa | CmdWord::kWm))};
      Result<size_t> m = EncodeFrame(*p, again, 9, View(payload), MutView(b));
      ASSERT_TRUE(m.ok());
      EXPECT_TRUE(BytesEqual(ConstBytes(a.data(), *n), ConstBytes(b.data(), *m)))
          << p->name << " cmd 0x" << std::hex << cmd.raw;
    }
  }
}

// ---------------------------------------------------------------------------------------
// DecodeFrame rejects.

std::vector<uint8_t> ValidUni() {
  std::vector<uint8_t> f(48 + 6);
  const std::vector<uint8_t> payload = Hex("01 02 03 04 05 06");
  EXPECT_TRUE(EncodeFrame(kMt7925, CmdWord::Uni(2), 12, View(payload), MutView(f)).ok());
  return f;
}

std::vector<uint8_t> ValidLegacyExt() {
  std::vector<uint8_t> f(64 + 4);
  const std::vector<uint8_t> payload = Hex("aa bb cc dd");
  EXPECT_TRUE(EncodeFrame(kMt7921, CmdWord::ExtQuery(0x5a), 7, View(payload), MutView(f)).ok());
  return f;
}

std::vector<uint8_t> ValidLegacyPlain() {
  std::vector<uint8_t> f(64);
  EXPECT_TRUE(EncodeFrame(kMt7925, CmdWord::Legacy(0x10), 1, ConstBytes(), MutView(f)).ok());
  return f;
}

TEST(DecodeRejectTest, EveryTruncatedPrefix) {
  for (const std::vector<uint8_t>& f : {ValidUni(), ValidLegacyExt(), ValidLegacyPlain()}) {
    ASSERT_TRUE(DecodeFrame(View(f)).ok());
    for (size_t n = 0; n < f.size(); ++n) {
      const char* reason = nullptr;
      Result<DecodedFrame> d = DecodeFrame(ConstBytes(f.data(), n), &reason);
      EXPECT_EQ(d.status().err(), Errno::kBadMsg) << "prefix " << n;
      EXPECT_NE(reason, nullptr) << "prefix " << n;
    }
  }
}

// A prefix whose length fields were patched to match: only the header-size rules can reject it.
TEST(DecodeRejectTest, ConsistentButShortLegacyHeader) {
  const std::vector<uint8_t> f = ValidLegacyPlain();
  for (size_t n = 48; n < 64; ++n) {
    std::vector<uint8_t> g(f.begin(), f.begin() + n);
    g[0] = static_cast<uint8_t>(n);
    g[32] = static_cast<uint8_t>(n - 32);
    const char* reason = nullptr;
    EXPECT_EQ(DecodeFrame(View(g), &reason).status().err(), Errno::kBadMsg) << n;
    ASSERT_NE(reason, nullptr);
    EXPECT_NE(std::strstr(reason, "64-byte legacy header"), nullptr) << reason;
  }
}

enum class Base { kUni, kLegacyExt, kLegacyPlain };

struct RejectCase {
  const char* desc;
  Base base;
  size_t offset;
  uint8_t value;
  const char* reason;  // substring of the expected reason
};

const RejectCase kRejectCases[] = {
    {"TX_BYTES one more than the frame", Base::kUni, 0, 48 + 6 + 1, "TX_BYTES"},
    {"TX_BYTES one less than the frame", Base::kLegacyExt, 0, 64 + 4 - 1, "TX_BYTES"},
    {"TX_BYTES high byte", Base::kUni, 1, 0x01, "TX_BYTES"},
    {"len one more", Base::kUni, 32, 16 + 6 + 1, "len does not match"},
    {"len high byte", Base::kLegacyPlain, 33, 0x01, "len does not match"},
    {"PKT_FMT 0 (CT) instead of CMD", Base::kUni, 3, 0x40, "not an MCU command descriptor"},
    {"PKT_FMT 3 (FW)", Base::kUni, 2, 0x80, "not an MCU command descriptor"},
    {"Q_IDX 0x21", Base::kLegacyExt, 3, 0x43, "not an MCU command descriptor"},
    {"pkt_type 0xa1", Base::kUni, 37, 0xa1, "pkt_type"},
    {"pkt_type 0", Base::kLegacyPlain, 37, 0x00, "pkt_type"},
    {"seq 0", Base::kUni, 39, 0, "seq"},
    {"seq 16", Base::kLegacyExt, 39, 16, "seq"},
    {"seq 0xff", Base::kLegacyPlain, 39, 0xff, "seq"},
    {"s2d_index 4", Base::kUni, 42, 4, "s2d_index"},
    {"legacy s2d_index 0xff", Base::kLegacyExt, 42, 0xff, "s2d_index"},
    {"UNI option with unknown bit 3", Base::kUni, 43, 0x0f, "unknown UNI option bits"},
    {"UNI option 0x82", Base::kUni, 43, 0x82, "unknown UNI option bits"},
    {"option without UNI bit and no pq_id", Base::kUni, 43, 0x01, "neither"},
    {"option 0 and no pq_id", Base::kUni, 43, 0x00, "neither"},
    {"UNI cid 0x0102", Base::kUni, 35, 0x01, "UNI cid above 0xff"},
    {"pq_id frame with ext_cid_ack 2 is not legacy; cid 0x8000 is no UNI cid", Base::kLegacyPlain,
     43, 2, "UNI cid above 0xff"},
    {"ext_cid_ack 0 with ext_cid set", Base::kLegacyExt, 43, 0, "ext_cid_ack"},
    {"ext_cid_ack 1 without ext_cid", Base::kLegacyPlain, 43, 1, "ext_cid_ack"},
    {"ext_cid set but ext_cid_ack left 0", Base::kLegacyPlain, 41, 0x5a, "ext_cid_ack"},
    {"set_query MCU_Q_RESERVED", Base::kLegacyPlain, 38, 2, "set_query"},
    {"set_query 4", Base::kLegacyExt, 38, 4, "set_query"},
};

TEST(DecodeRejectTest, FieldViolations) {
  for (const RejectCase& c : kRejectCases) {
    SCOPED_TRACE(c.desc);
    std::vector<uint8_t> f = c.base == Base::kUni         ? ValidUni()
                             : c.base == Base::kLegacyExt ? ValidLegacyExt()
                                                          : ValidLegacyPlain();
    ASSERT_NE(f[c.offset], c.value) << "mutation must change the byte";
    f[c.offset] = c.value;
    const char* reason = nullptr;
    Result<DecodedFrame> d = DecodeFrame(View(f), &reason);
    EXPECT_EQ(d.status().err(), Errno::kBadMsg);
    ASSERT_NE(reason, nullptr);
    EXPECT_NE(std::strstr(reason, c.reason), nullptr) << "reason: " << reason;
    // A null reason pointer is allowed.
    EXPECT_EQ(DecodeFrame(View(f)).status().err(), Errno::kBadMsg);
  }
}

TEST(DecodeRejectTest, TrailingBytesAreATxBytesMismatch) {
  std::vector<uint8_t> f = ValidUni();
  f.push_back(0);
  const char* reason = nullptr;
  EXPECT_EQ(DecodeFrame(View(f), &reason).status().err(), Errno::kBadMsg);
  ASSERT_NE(reason, nullptr);
  EXPECT_NE(std::strstr(reason, "TX_BYTES"), nullptr);
}

TEST(DecodeRejectTest, UnknownDw1IsReportedNotRejected) {
  std::vector<uint8_t> f = ValidUni();
  f[5] = 0x80;  // DW1 0x00008000: HDR_FORMAT 2 (802.11) in the connac3 field
  Result<DecodedFrame> d = DecodeFrame(View(f));
  ASSERT_TRUE(d.ok());
  EXPECT_STREQ(d->txd_generation, "unknown");
}

// Random mutations of valid frames and random bytes: never a crash, never a payload outside
// the input, and whatever is accepted is self-consistent.
TEST(DecodeFuzzTest, MutatedFrames) {
  Prng rng(0xc0ffee);
  const std::vector<std::vector<uint8_t>> seeds = {ValidUni(), ValidLegacyExt(),
                                                   ValidLegacyPlain()};
  size_t accepted = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    std::vector<uint8_t> f;
    if (rng.OneIn(5)) {
      f.resize(rng.Below(200));
      for (uint8_t& b : f) b = rng.Byte();
    } else {
      f = seeds[rng.Below(3)];
      const uint32_t flips = 1 + rng.Below(3);
      for (uint32_t k = 0; k < flips; ++k) {
        const size_t at =
            rng.OneIn(2) ? 32 + rng.Below(16) : rng.Below(static_cast<uint32_t>(f.size()));
        f[at] = rng.OneIn(2) ? rng.Byte() : static_cast<uint8_t>(f[at] ^ (1u << rng.Below(8)));
      }
      if (rng.OneIn(8)) f.resize(rng.Below(static_cast<uint32_t>(f.size()) + 8), 0);
    }
    const char* reason = nullptr;
    Result<DecodedFrame> d = DecodeFrame(View(f), &reason);
    if (!d.ok()) {
      ASSERT_EQ(d.status().err(), Errno::kBadMsg);
      ASSERT_NE(reason, nullptr);
      continue;
    }
    ++accepted;
    ASSERT_TRUE(Inside(d->payload, View(f)));
    ASSERT_EQ(d->tx_bytes, f.size());
    ASSERT_EQ(d->len + 32u, f.size());
    ASSERT_TRUE(d->seq >= 1 && d->seq <= 15);
    ASSERT_EQ(d->payload.size() + (d->uni ? 48u : 64u), f.size());
    ASSERT_FALSE(d->cmd.has_unknown_bits());
  }
  EXPECT_GT(accepted, 1000u) << "the fuzz loop must also exercise the accepting paths";
}

TEST(PayloadWriterTest, TlvCountNeverWrapsEvenWithoutACounterField) {
  // 65535 empty TLVs fill the le16 count; the next one is refused instead of wrapping to 0.
  std::vector<uint8_t> buf(4u * 0x10000u);
  PayloadWriter w(MutableBytes(buf.data(), buf.size()));
  for (uint32_t i = 0; i < 0xffff; ++i) ASSERT_TRUE(w.AppendTlv(1, ConstBytes()).ok()) << i;
  EXPECT_EQ(w.tlv_count(), 0xffff);
  const size_t size = w.size();
  EXPECT_EQ(w.AddTlv(1, 0).status(), Errno::kRange);
  EXPECT_EQ(w.tlv_count(), 0xffff) << "count unchanged after the refusal";
  EXPECT_EQ(w.size(), size) << "nothing appended after the refusal";
}

}  // namespace
}  // namespace connac
