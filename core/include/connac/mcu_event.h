// File: connac/mcu_event.h
//
// Device-to-host MCU events: header decode and TLV iteration.
//
// An event is the family's RX descriptor (mt7925/mt7996: 32-byte HW RXD + 12 = 44 bytes;
// mt7921: 24 + 12 = 36 bytes) followed by the payload. Unsolicited UNI events (option bit 2)
// carry a 4-byte fixed header before their TLVs. Layouts: mt7925/mcu.h `mt7925_mcu_rxd`,
// mt76_connac_mcu.h `mt76_connac2_mcu_rxd`, mt7996/mcu.h `mt7996_mcu_rxd`.
//
// The device is untrusted: unlike the driver, which casts the skb to the header struct,
// every read here is bounds-checked and a short or inconsistent event is Errno::kBadMsg.
//
// Example:
//
//   connac::Result<connac::McuEvent> ev = connac::ParseEvent(connac::kMt7925, bytes);
//   if (!ev.ok()) return ev.status();          // kBadMsg: shorter than 44 bytes
//   connac::TlvIterator it(ev->payload);
//   for (auto t = it.Next(); t.ok(); t = it.Next()) Handle(t->tag, t->value);
//   if (!it.done()) CountMalformed();            // stopped on a bad TLV, not at the end

#ifndef CONNAC_MCU_EVENT_H_
#define CONNAC_MCU_EVENT_H_

#include <cstddef>
#include <cstdint>

#include "connac/bytes.h"
#include "connac/family.h"
#include "connac/status.h"
#include "connac/wire.h"

namespace connac {

// RXD0 fields the host uses to route an RX buffer (mt76_connac3_mac.h, mt76_connac2_mac.h).
namespace rxd0 {
inline constexpr uint32_t kPktTypeShift = 27;  // PKT_TYPE 31:27
inline constexpr uint32_t kPktFlagShift = 16;  // PKT_FLAG 19:16
inline constexpr uint8_t kPktTypeRxEvent = 7;  // PKT_TYPE_RX_EVENT
}  // namespace rxd0

// Event option bits (mt76_connac_mcu.h MCU_UNI_CMD_EVENT / MCU_UNI_CMD_UNSOLICITED_EVENT).
namespace event_option {
inline constexpr uint8_t kUniEvent = 0x02;
inline constexpr uint8_t kUnsolicited = 0x04;
}  // namespace event_option

inline constexpr size_t kUnsolicitedFixedHeader = 4;

struct McuEvent {
  uint32_t rxd0 = 0;
  uint16_t len = 0;
  uint16_t pkt_type_id = 0;
  uint8_t eid = 0;
  uint8_t seq = 0;
  uint8_t option = 0;
  uint8_t ext_eid = 0;
  uint8_t s2d_index = 0;
  ConstBytes raw;      // The whole event.
  ConstBytes payload;  // Everything after the RXD header.

  constexpr uint8_t pkt_type() const { return static_cast<uint8_t>(rxd0 >> rxd0::kPktTypeShift); }
  constexpr uint8_t pkt_flag() const {
    return static_cast<uint8_t>((rxd0 >> rxd0::kPktFlagShift) & 0xf);
  }
  // The driver routes PKT_TYPE 7 as an MCU event, except with PKT_FLAG 1 (an MCU data frame).
  constexpr bool is_mcu_event() const {
    return pkt_type() == rxd0::kPktTypeRxEvent && pkt_flag() != 1;
  }
  constexpr bool unsolicited() const { return (option & event_option::kUnsolicited) != 0; }
  constexpr bool uni() const { return (option & event_option::kUniEvent) != 0; }

  // TLVs of an unsolicited UNI event (after its 4-byte fixed header); kBadMsg when the
  // payload is shorter than that header.
  constexpr Result<ConstBytes> UnsolicitedTlvs() const {
    return payload.From(kUnsolicitedFixedHeader);
  }
};

// Decodes the RXD header of `raw` for profile `p`. Only length is checked here: the header
// fields are plain values whose meaning depends on the command (see mcu_response.h).
// Errors: kBadMsg (shorter than the header), kInval (a profile that is not valid()).
inline Result<McuEvent> ParseEvent(const Profile& p, ConstBytes raw) {
  if (!p.valid()) return Errno::kInval;
  if (raw.size() < p.rxd_size) return Errno::kBadMsg;
  const RxdLayout l = LayoutOf(p);
  McuEvent e;
  e.rxd0 = *raw.le32(wire::event::kRxd0);
  e.len = *raw.le16(l.len);
  e.pkt_type_id = *raw.le16(l.pkt_type_id);
  e.eid = raw[l.eid];
  e.seq = raw[l.seq];
  e.option = raw[l.option];
  e.ext_eid = raw[l.ext_eid];
  e.s2d_index = raw[l.s2d_index];
  e.raw = raw;
  e.payload = *raw.From(l.payload);
  return e;
}

// The header fields of an event that its sender chooses (EncodeEvent).
struct EventHeader {
  uint8_t eid = 0;
  uint8_t seq = 0;  // the command's seq for a response; 0 for an unsolicited event
  uint8_t option = 0;
  uint8_t ext_eid = 0;
  uint16_t pkt_type_id = 0;
  uint8_t s2d_index = 0;
};

// Writes an MCU event as the firmware sends it for profile `p`: the hardware RXD with RXD0 =
// total length | PKT_TYPE_RX_EVENT << 27 (the rest zero), the common tail (wire::event) with
// len counted from the end of the hardware RXD, then a copy of `payload` (an unsolicited
// event's 4-byte fixed header included). Returns the event's length. The firmware
// simulators and the tests build every event with this, so they share ParseEvent's layout.
// Errors: kInval (invalid profile), kMsgSize (longer than RXD0's 16 bits), kNoBufs (`out`
// too small; nothing written).
inline Result<size_t> EncodeEvent(const Profile& p, const EventHeader& h, ConstBytes payload,
                                  MutableBytes out) {
  if (!p.valid()) return Errno::kInval;
  if (payload.size() > 0xffff - size_t{p.rxd_size}) return Errno::kMsgSize;
  const size_t total = p.rxd_size + payload.size();
  if (out.size() < total) return Errno::kNoBufs;
  const RxdLayout l = LayoutOf(p);
  ZeroBytes(out.data(), p.rxd_size);
  out.put_le32(wire::event::kRxd0, static_cast<uint32_t>(total) |
                                       (uint32_t{rxd0::kPktTypeRxEvent} << rxd0::kPktTypeShift));
  out.put_le16(l.len, static_cast<uint16_t>(total - l.len));
  out.put_le16(l.pkt_type_id, h.pkt_type_id);
  out.put_u8(l.eid, h.eid);
  out.put_u8(l.seq, h.seq);
  out.put_u8(l.option, h.option);
  out.put_u8(l.ext_eid, h.ext_eid);
  out.put_u8(l.s2d_index, h.s2d_index);
  CopyBytes(out.data() + p.rxd_size, payload.data(), payload.size());
  return total;
}

struct Tlv {
  uint16_t tag = 0;
  uint16_t len = 0;  // As on the wire: includes the 4-byte TLV header.
  ConstBytes value;  // len - 4 bytes.
};

// Walks `{le16 tag, le16 len}` TLVs whose len includes the 4-byte header.
//
// # Invariants
// - Every returned Tlv lies entirely inside the input.
// - A TLV with len < 4 (which would never advance) or len past the end is kBadMsg; the
//   iterator then stays in that error state, so a loop cannot spin on bad input.
class TlvIterator {
 public:
  constexpr explicit TlvIterator(ConstBytes tlvs) : rest_(tlvs) {}

  // True when every byte was consumed without error.
  constexpr bool done() const { return status_.ok() && rest_.empty(); }
  constexpr Status status() const { return status_; }
  constexpr size_t count() const { return count_; }

  // The next TLV. At the end: kNoEnt. On malformed input: kBadMsg (sticky).
  Result<Tlv> Next() {
    if (!status_.ok()) return status_;
    if (rest_.empty()) return Errno::kNoEnt;
    if (rest_.size() < 4) return Fail();
    Tlv t;
    t.tag = *rest_.le16(0);
    t.len = *rest_.le16(2);
    if (t.len < 4 || t.len > rest_.size()) return Fail();
    t.value = ConstBytes(rest_.data() + 4, t.len - 4u);
    rest_ = ConstBytes(rest_.data() + t.len, rest_.size() - t.len);
    ++count_;
    return t;
  }

 private:
  Result<Tlv> Fail() {
    status_ = Status(Errno::kBadMsg);
    return status_;
  }

  ConstBytes rest_;
  Status status_;
  size_t count_ = 0;
};

}  // namespace connac

#endif  // CONNAC_MCU_EVENT_H_
