// File: connac/mcu_response.h
//
// ParseResponse: does this event answer the command we are waiting for, and with what status?
//
// These are the rules of the drivers' parse_response functions (openwrt/mt76 mt7925/mcu.c
// `mt7925_mcu_parse_response`, mt7921/mcu.c `mt7921_mcu_parse_response`, mt7996/mcu.c
// `mt7996_mcu_parse_response`), with one difference: the driver reads its header and result
// structs straight out of the skb, while every read here is bounds-checked, so a short event
// is `kMalformed` instead of an out-of-bounds read.
//
//   verdict    | meaning                                         | driver
//   -----------+-------------------------------------------------+-------------------------
//   kDone      | this is the answer; `status` is the result      | returns ret
//   kStale     | not ours (seq or cid mismatch): keep waiting    | -EAGAIN (wait again)
//   kMalformed | too short for what the rules read: drop it      | (reads past the end)
//
// mt7925, per command word (exact match, as in the driver):
//   PATCH_SEM_CONTROL, PATCH_FINISH_REQ -> status = byte at rxd_size - 4 (offset 40)
//   UNI DEV_INFO/BSS_INFO/STA_REC/OFFLOAD/SUSPEND -> payload {u8 cid, 3 pad, le32 status};
//                                          cid != cmd id -> kStale; status as a signed int
//   anything else -> kDone, status 0 (the caller reads the payload)
// mt7921 adds UNI HIF_CTRL to the result list, EXT THERMAL_CTRL (le32 at payload + 4),
// CE REG_READ query (le32 val at payload + 4) and EXT WF_RF_PIN_CTRL (payload byte 0).
// mt7996 reads the PATCH_SEM_CONTROL byte, and a UNI RESULT event (option bit 1 and eid 0x01)
// for any command: payload {le16 cid, 2 rsv, le32 status}.
//
// Example:
//
//   connac::Response r = connac::ParseResponse(connac::kMt7925, cmd, seq, event);
//   if (r.verdict == connac::Verdict::kStale) keep_waiting();

#ifndef CONNAC_MCU_RESPONSE_H_
#define CONNAC_MCU_RESPONSE_H_

#include <cstdint>

#include "connac/bytes.h"
#include "connac/family.h"
#include "connac/mcu_cmd.h"
#include "connac/mcu_event.h"
#include "connac/wire.h"

namespace connac {

enum class Verdict : uint8_t { kDone, kStale, kMalformed };

constexpr const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kDone: return "done";
    case Verdict::kStale: return "stale";
    case Verdict::kMalformed: return "malformed";
  }
  return "?";
}

struct Response {
  Verdict verdict = Verdict::kMalformed;
  int32_t status = 0;            // kDone only: the firmware's (or driver-derived) result.
  const char* reason = nullptr;  // kStale / kMalformed: a short static explanation.
  ConstBytes payload;            // kDone: bytes after the RXD header.
};

namespace internal {

constexpr Response Done(int32_t status, ConstBytes payload) {
  return Response{Verdict::kDone, status, nullptr, payload};
}
constexpr Response Stale(const char* why) { return Response{Verdict::kStale, 0, why, {}}; }
constexpr Response Malformed(const char* why) { return Response{Verdict::kMalformed, 0, why, {}}; }

// {u8 cid, 3 pad, le32 status} (mt7925_mcu_uni_event, mt76_connac_mcu_uni_event).
inline Response U8CidResult(CmdWord cmd, ConstBytes payload) {
  Result<uint8_t> cid = payload.u8(wire::uni_result::kCid);
  Result<uint32_t> st = payload.le32(wire::uni_result::kStatus);
  if (!cid.ok() || !st.ok()) return Malformed("result event shorter than 8 bytes");
  if (*cid != cmd.id()) return Stale("result cid does not match the command");
  return Done(static_cast<int32_t>(*st), payload);
}

inline bool Is(CmdWord a, CmdWord b) { return a == b; }

}  // namespace internal

// Applies the profile's parse_response rules to `event`, the answer candidate for `cmd` sent
// with sequence number `seq`.
inline Response ParseResponse(const Profile& p, CmdWord cmd, uint8_t seq, ConstBytes event) {
  using internal::Done;
  using internal::Is;
  using internal::Malformed;
  using internal::Stale;

  Result<McuEvent> parsed = ParseEvent(p, event);
  if (!parsed.ok()) return Malformed("event shorter than the RX descriptor");
  const McuEvent& ev = *parsed;
  if (ev.seq != seq) return Stale("seq does not match");

  const RxdLayout l = LayoutOf(p);
  const bool patch_sem = Is(cmd, CmdWord::Legacy(legacy::kPatchSemControl));
  const bool patch_finish = Is(cmd, CmdWord::Legacy(legacy::kPatchFinishReq));

  switch (p.rules) {
    case ResponseRules::kMt7925:
    case ResponseRules::kMt7921: {
      const bool m21 = p.rules == ResponseRules::kMt7921;
      if (patch_sem || patch_finish) {
        // The driver pulls rxd_size - 4 bytes and returns the next byte: the ext_eid slot.
        return Done(ev.raw[l.ext_eid], ev.payload);
      }
      if (Is(cmd, CmdWord::Uni(uni::kDevInfoUpdate)) ||
          Is(cmd, CmdWord::Uni(uni::kBssInfoUpdate)) || Is(cmd, CmdWord::Uni(uni::kStaRecUpdate)) ||
          Is(cmd, CmdWord::Uni(uni::kOffload)) || Is(cmd, CmdWord::Uni(uni::kSuspend)) ||
          (m21 && Is(cmd, CmdWord::Uni(uni::kHifCtrl)))) {
        return internal::U8CidResult(cmd, ev.payload);
      }
      if (m21 &&
          (Is(cmd, CmdWord::Ext(ext::kThermalCtrl)) || Is(cmd, CmdWord::CeQuery(ce::kRegAccess)))) {
        Result<uint32_t> v = ev.payload.le32(4);
        if (!v.ok()) return Malformed("result event shorter than 8 bytes");
        return Done(static_cast<int32_t>(*v), ev.payload);
      }
      if (m21 && Is(cmd, CmdWord::Ext(ext::kWfRfPinCtrl))) {
        Result<uint8_t> v = ev.payload.u8(0);
        if (!v.ok()) return Malformed("result event shorter than 1 byte");
        return Done(*v, ev.payload);
      }
      return Done(0, ev.payload);
    }
    case ResponseRules::kMt7996: {
      if (patch_sem) return Done(ev.raw[l.ext_eid], ev.payload);
      if ((ev.option & event_option::kUniEvent) != 0 && ev.eid == uni_event::kResult) {
        Result<uint16_t> cid = ev.payload.le16(wire::uni_result::kCid);
        Result<uint32_t> st = ev.payload.le32(wire::uni_result::kStatus);
        if (!cid.ok() || !st.ok()) return Malformed("result event shorter than 8 bytes");
        if (*cid != cmd.id()) return Stale("result cid does not match the command");
        return Done(static_cast<int32_t>(*st), ev.payload);
      }
      return Done(0, ev.payload);
    }
  }
  return Malformed("unknown profile rules");
}

}  // namespace connac

#endif  // CONNAC_MCU_RESPONSE_H_
