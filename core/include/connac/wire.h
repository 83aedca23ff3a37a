// File: connac/wire.h
//
// One named layout per wire header: every encoder and decoder (the core, the firmware
// simulator, the rig's firmware model, the tests) reads and writes these offsets and no
// others, so a hand-built test frame cannot silently agree with a wrong decoder.
//
// All multi-byte fields are little-endian. Offsets are from the start of the structure named
// by the namespace. Sources (openwrt/mt76 @59676919, Linux 6.12 the same):
//   txd        mt76_connac2_mac.h / mt76_connac3_mac.h (MT_TXD0_*, MT_TXD1_*)
//   uni_cmd    mt76_connac_mcu.h struct mt76_connac2_mcu_uni_txd
//   legacy_cmd mt76_connac_mcu.h struct mt76_connac2_mcu_txd
//   event      mt7925/mcu.h struct mt7925_mcu_rxd, mt76_connac_mcu.h mt76_connac2_mcu_rxd:
//              the hardware RXD (24 or 32 bytes, Profile::rxd_size - 12) then the tail below
//   uni_result mt7925/mcu.h struct mt7925_mcu_uni_event {u8 cid; u8 rsv[3]; __le32 status}
//   sta_req    mt76_connac_mcu.h struct sta_req_hdr
//   tlv        mt76_connac_mcu.h struct tlv {__le16 tag; __le16 len (incl. this header)}
//   key_v3     mt7925/mcu.h struct sta_rec_sec_uni (STA_REC_KEY_V3, tag 0x27)
// docs/mcu-protocol.md has the same tables with the driver's field names.

#ifndef CONNAC_WIRE_H_
#define CONNAC_WIRE_H_

#include <cstddef>
#include <cstdint>

namespace connac::wire {

// The 32-byte hardware TX descriptor in front of every MCU command (DW2..DW7 are zero).
namespace txd {
inline constexpr size_t kDw0 = 0;  // TX_BYTES 15:0, PKT_FMT 24:23, Q_IDX 31:25
inline constexpr size_t kDw1 = 4;  // HDR_FORMAT (connac2 17:16 + LONG_FORMAT 31, connac3 15:14)
inline constexpr size_t kSize = 32;
}  // namespace txd

// The UNI command header: the TXD, then these 16 bytes (48 in all).
namespace uni_cmd {
inline constexpr size_t kLen = 32;       // le16: frame length - 32
inline constexpr size_t kCid = 34;       // le16: UNI command id
inline constexpr size_t kPktType = 37;   // 0xa0
inline constexpr size_t kFragN = 38;     // 0
inline constexpr size_t kSeq = 39;       // 1..15
inline constexpr size_t kChecksum = 40;  // le16, 0
inline constexpr size_t kS2d = 42;       // s2d_index
inline constexpr size_t kOption = 43;    // bit0 ACK, bit1 UNI, bit2 SET
inline constexpr size_t kSize = 48;
}  // namespace uni_cmd

// The legacy command header: the TXD, then these 32 bytes (64 in all).
namespace legacy_cmd {
inline constexpr size_t kLen = 32;        // le16: frame length - 32
inline constexpr size_t kPqId = 34;       // le16: 0x8000
inline constexpr size_t kCid = 36;        // command id (word bits 7:0)
inline constexpr size_t kPktType = 37;    // 0xa0
inline constexpr size_t kSetQuery = 38;   // QUERY 0, SET 1, NA 3
inline constexpr size_t kSeq = 39;        // 1..15
inline constexpr size_t kExtCid = 41;     // word bits 15:8
inline constexpr size_t kS2d = 42;        // s2d_index
inline constexpr size_t kExtCidAck = 43;  // 1 when ext_cid != 0
inline constexpr size_t kSize = 64;
}  // namespace legacy_cmd

// The MCU event header's common tail, from the end of the hardware RXD (RXD0 holds the total
// length in 15:0 and PKT_TYPE in 31:27). connac::LayoutOf(profile) adds the RXD size.
namespace event {
inline constexpr size_t kRxd0 = 0;       // le32, at the very start of the event
inline constexpr size_t kLen = 0;        // le16: length from the end of the hardware RXD
inline constexpr size_t kPktTypeId = 2;  // le16
inline constexpr size_t kEid = 4;        // event id (= command id for a response)
inline constexpr size_t kSeq = 5;        // the command's seq; 0 for unsolicited events
inline constexpr size_t kOption = 6;     // bit1 UNI event, bit2 unsolicited
inline constexpr size_t kExtEid = 8;     // ext_eid (the PATCH_* result byte)
inline constexpr size_t kS2d = 11;       // s2d_index
inline constexpr size_t kTailSize = 12;
}  // namespace event

// The payload of a UNI result event (the answer to DEV_INFO, BSS_INFO, STA_REC, ...).
namespace uni_result {
inline constexpr size_t kCid = 0;     // u8 on mt7921/mt7925; le16 on mt7996
inline constexpr size_t kStatus = 4;  // le32
inline constexpr size_t kSize = 8;
}  // namespace uni_result

// The fixed header of a STA_REC_UPDATE payload.
namespace sta_req {
inline constexpr size_t kBssIdx = 0;
inline constexpr size_t kWlanIdxLo = 1;    // wcid bits 7:0
inline constexpr size_t kTlvNum = 2;       // le16, kept by PayloadWriter
inline constexpr size_t kIsTlvAppend = 4;  // 1
inline constexpr size_t kMuarIdx = 5;      // omac_idx, 0x0e for a wcid without a station
inline constexpr size_t kWlanIdxHi = 6;    // wcid bits 10:8
inline constexpr size_t kSize = 8;
}  // namespace sta_req

// A TLV header: {le16 tag, le16 len}; len counts these 4 bytes.
namespace tlv {
inline constexpr size_t kTag = 0;
inline constexpr size_t kLen = 2;
inline constexpr size_t kHeaderSize = 4;
}  // namespace tlv

// STA_REC_KEY_V3 (struct sta_rec_sec_uni), offsets from the start of the TLV (its header
// included), as mt7925_mcu_sta_key_tlv fills it.
namespace key_v3 {
inline constexpr uint16_t kTag = 0x27;
inline constexpr size_t kAdd = 4;      // 1 SET, 0 DISABLE
inline constexpr size_t kTxKey = 5;    // 1 for a pairwise key
inline constexpr size_t kKeyType = 6;  // 1 for a pairwise key
inline constexpr size_t kIsAuthenticator = 7;
inline constexpr size_t kPeerAddr = 8;  // 6 bytes
inline constexpr size_t kBssIdx = 14;
inline constexpr size_t kCipherId = 15;  // CONNAC3 cipher id
inline constexpr size_t kKeyId = 16;
inline constexpr size_t kKeyLen = 17;
inline constexpr size_t kWlanIdx = 18;   // wcid, low byte
inline constexpr size_t kMgmtProt = 19;  // 1 ("only used in MLO mode")
inline constexpr size_t kKey = 20;       // 32 bytes
inline constexpr size_t kKeyRsc = 52;    // 16 bytes, zero
inline constexpr size_t kSize = 68;
}  // namespace key_v3

// STA_REC_REMOVE TLV tag (a station's removal, mt7925_mcu_sta_update).
inline constexpr uint16_t kStaRecRemoveTag = 0x25;

}  // namespace connac::wire

#endif  // CONNAC_WIRE_H_
