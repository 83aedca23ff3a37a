// Fuzz target: InflightTable<7> (the C API's capacity, CONNAC_TXN_MAX_INFLIGHT) driven by a program
// of arms, events, time, cancels and fail-alls, checked against a shadow model after every step.
//
// Input: byte 0 picks the profile (mt7921, mt7925, mt7996); then operations, one byte each
// (value % 8) with their operands:
//   0 arm       u8 command pick (7: le32 raw word follows)
//   1 answer    u8 slot, u8 flags, u8 payload length (% 32), payload: an event built for the
//               slot's seq (flags: eid RESULT, UNI option, unsolicited bit, cid matching the
//               slot's command; a free slot gets seq = flags & 0xf)
//   2 raw event u8 length, bytes
//   3 advance   u8 * 50 ms, then expire (u8 max % 5)
//   4 expire    u8 max % 5, no time passes
//   5 cancel    u8 slot: its current ticket, or the last (possibly outdated) one
//   6 fail-all  u8 max % 5
//   7 deadline  NextDeadline() against the model
//
// Properties: tickets name live slots and never reuse a seq in flight or quarantined; every
// outcome agrees with the model (completed/stale/malformed name the live slot of that seq,
// late frees a quarantined seq, unmatched touches nothing); kNoSpc iff every slot is busy,
// kBusy iff all 15 seqs are taken; armed == completed + timeouts + canceled + in flight.

#include <cstddef>
#include <cstdint>

#include "connac/bytes.h"
#include "connac/family.h"
#include "connac/mcu_cmd.h"
#include "connac/mcu_event.h"
#include "connac/mcu_ids.h"
#include "connac/mcu_txn.h"
#include "connac/time.h"
#include "fuzz/fuzz_check.h"

namespace {

using namespace connac;  // NOLINT(build/namespaces): a fuzz target, not a header.

constexpr size_t kN = 7;  // what connac_core.ko uses (CONNAC_TXN_MAX_INFLIGHT)

const CmdWord kCmds[] = {
    CmdWord::Uni(uni::kBssInfoUpdate), CmdWord::Uni(uni::kStaRecUpdate),
    CmdWord::Uni(uni::kDevInfoUpdate), CmdWord::Legacy(legacy::kPatchSemControl),
    CmdWord::Uni(uni::kScanReq),       CmdWord::Ext(ext::kThermalCtrl),
    CmdWord::Uni(uni::kHifCtrl),
};

struct Live {
  bool busy = false;
  Ticket t;
  Instant deadline;
};

class Model {
 public:
  explicit Model(const Profile& p) : p_(p), table_(p) {}

  void Run(connac_fuzz::Reader& in) {
    while (!in.empty()) {
      switch (in.U8() % 8) {
        case 0: Arm(in); break;
        case 1: Answer(in); break;
        case 2: Event(in.Take(in.U8())); break;
        case 3:
          now_ = now_ + Duration::Millis(50 * static_cast<int64_t>(in.U8()));
          Expire(in.U8() % 5);
          break;
        case 4: Expire(in.U8() % 5); break;
        case 5: Cancel(in.U8() % kN); break;
        case 6: FailAll(in.U8() % 5); break;
        case 7: CheckDeadline(); break;
      }
      CheckCounters();
    }
  }

 private:
  uint16_t BusySeqs() const {
    uint16_t m = 0;
    for (const Live& l : live_) {
      if (l.busy) m = static_cast<uint16_t>(m | (1u << l.t.seq));
    }
    return m;
  }
  size_t Busy() const {
    size_t n = 0;
    for (const Live& l : live_) n += l.busy ? 1 : 0;
    return n;
  }
  // The live slot with this seq, or -1.
  int SlotOfSeq(uint8_t seq) const {
    for (size_t i = 0; i < kN; ++i) {
      if (live_[i].busy && live_[i].t.seq == seq) return static_cast<int>(i);
    }
    return -1;
  }

  void Arm(connac_fuzz::Reader& in) {
    const uint8_t pick = in.U8() % 8;
    const CmdWord cmd = pick == 7 ? CmdWord{in.Le32()} : kCmds[pick];
    const uint16_t taken = static_cast<uint16_t>(table_.quarantined() | BusySeqs());
    Result<Ticket> r = table_.Arm(cmd, now_);
    if (cmd.is_fw_scatter()) {
      FUZZ_CHECK(!r.ok() && r.status().err() == Errno::kInval);
      return;
    }
    if (!r.ok()) {
      if (r.status().err() == Errno::kNoSpc) {
        FUZZ_CHECK(Busy() == kN);
      } else {
        FUZZ_CHECK(r.status().err() == Errno::kBusy);
        FUZZ_CHECK(Busy() < kN);
        FUZZ_CHECK((taken & 0xfffe) == 0xfffe);  // every seq 1..15 in flight or quarantined
      }
      return;
    }
    FUZZ_CHECK(r->slot < kN);
    FUZZ_CHECK(!live_[r->slot].busy);
    FUZZ_CHECK(IsValidSeq(r->seq));
    FUZZ_CHECK((taken & (1u << r->seq)) == 0);
    FUZZ_CHECK(r->cmd == cmd);
    FUZZ_CHECK(table_.IsCurrent(*r));
    for (const Live& l : live_) FUZZ_CHECK(!l.busy || l.t.generation != r->generation);
    live_[r->slot] = Live{true, *r, now_ + TimeoutFor(p_, cmd)};
    last_[r->slot] = *r;
  }

  void Answer(connac_fuzz::Reader& in) {
    const size_t slot = in.U8() % kN;
    const uint8_t flags = in.U8();
    size_t plen = in.U8() % 32;
    const ConstBytes body = in.Take(plen);
    if ((flags & 0x80) != 0 && plen < 8) plen = 8;
    const RxdLayout l = LayoutOf(p_);
    const size_t total = p_.rxd_size + plen;
    uint8_t ev[64 + 32] = {};
    MutableBytes e(ev, total);
    e.put_le32(
        0, (uint32_t{rxd0::kPktTypeRxEvent} << rxd0::kPktTypeShift) | static_cast<uint32_t>(total));
    e.put_le16(l.len, static_cast<uint16_t>(total - (p_.rxd_size - 12u)));
    e.put_u8(l.eid, (flags & 0x10) != 0 ? uni_event::kResult : static_cast<uint8_t>(flags >> 4));
    e.put_u8(l.seq, live_[slot].busy ? live_[slot].t.seq : static_cast<uint8_t>(flags & 0xf));
    uint8_t option = (flags & 0x20) != 0 ? event_option::kUniEvent : 0;
    if ((flags & 0x40) != 0) option |= event_option::kUnsolicited;
    e.put_u8(l.option, option);
    for (size_t i = 0; i < body.size(); ++i) ev[p_.rxd_size + i] = body[i];
    if ((flags & 0x80) != 0) {
      // The cid the result rules compare: u8 at payload 0 (mt7921/mt7925), le16 (mt7996).
      ev[p_.rxd_size] = live_[slot].t.cmd.id();
      ev[p_.rxd_size + 1] = 0;
    }
    Event(ConstBytes(ev, total));
  }

  void Event(ConstBytes event) {
    const uint16_t q = table_.quarantined();
    Result<McuEvent> ev = ParseEvent(p_, event);
    const EventOutcome o = table_.OnEvent(event);
    if (!ev.ok()) {
      FUZZ_CHECK(o.kind == EventOutcome::kMalformed);
      FUZZ_CHECK(table_.quarantined() == q);
      return;
    }
    const uint8_t seq = ev->seq;
    const int slot = SlotOfSeq(seq);
    switch (o.kind) {
      case EventOutcome::kUnsolicited:
        FUZZ_CHECK(ev->unsolicited() || seq == 0);
        FUZZ_CHECK(table_.quarantined() == q);
        return;
      case EventOutcome::kCompleted:
        FUZZ_CHECK(slot >= 0 && o.ticket == live_[slot].t);
        FUZZ_CHECK(!table_.IsCurrent(o.ticket));
        FUZZ_CHECK(connac_fuzz::Inside(o.payload, event));
        FUZZ_CHECK(table_.quarantined() == q);
        live_[slot].busy = false;
        return;
      case EventOutcome::kStale:
      case EventOutcome::kMalformed:
        FUZZ_CHECK(slot >= 0 && o.ticket == live_[slot].t);
        FUZZ_CHECK(table_.IsCurrent(o.ticket));
        FUZZ_CHECK(o.reason != nullptr);
        FUZZ_CHECK(table_.quarantined() == q);
        return;
      case EventOutcome::kLate:
        FUZZ_CHECK(slot < 0 && seq <= kMaxSeq && (q & (1u << seq)) != 0);
        FUZZ_CHECK(table_.quarantined() == (q & ~(1u << seq)));
        return;
      case EventOutcome::kUnmatched:
        FUZZ_CHECK(slot < 0);
        FUZZ_CHECK(seq > kMaxSeq || (q & (1u << seq)) == 0);
        FUZZ_CHECK(table_.quarantined() == q);
        return;
    }
    FUZZ_CHECK(false);
  }

  void Expire(size_t max) {
    const uint16_t q = table_.quarantined();
    Ticket out[5];
    const size_t n = table_.Expire(now_, out, max);
    FUZZ_CHECK(n <= max);
    uint16_t added = 0;
    for (size_t i = 0; i < n; ++i) {
      const Ticket& t = out[i];
      FUZZ_CHECK(t.slot < kN && live_[t.slot].busy && live_[t.slot].t == t);
      FUZZ_CHECK(live_[t.slot].deadline <= now_);
      FUZZ_CHECK(!table_.IsCurrent(t));
      live_[t.slot].busy = false;
      added = static_cast<uint16_t>(added | (1u << t.seq));
    }
    FUZZ_CHECK(table_.quarantined() == (q | added));
    if (n < max) {
      for (const Live& l : live_) FUZZ_CHECK(!l.busy || now_ < l.deadline);  // nothing due left
    }
  }

  void Cancel(size_t slot) {
    const Ticket t = live_[slot].busy ? live_[slot].t : last_[slot];
    const bool current = live_[slot].busy && live_[slot].t == t;
    FUZZ_CHECK(table_.IsCurrent(t) == current);
    const uint16_t q = table_.quarantined();
    const Status s = table_.Cancel(t);
    if (!current) {
      FUZZ_CHECK(s.err() == Errno::kStale);
      FUZZ_CHECK(table_.quarantined() == q);
      return;
    }
    FUZZ_CHECK(s.ok());
    FUZZ_CHECK(!table_.IsCurrent(t));
    FUZZ_CHECK(table_.quarantined() == (q | (1u << t.seq)));
    live_[slot].busy = false;
  }

  void FailAll(size_t max) {
    Ticket out[5];
    const size_t busy = Busy();
    const uint16_t q_before = table_.quarantined();
    const size_t n = table_.FailAll(out, max);
    FUZZ_CHECK(n == (busy < max ? busy : max));
    // Every failed command is reported (no waiter is stranded); the rest stay in flight and
    // the quarantine is forgotten only once nothing is left.
    for (size_t i = 0; i < n; ++i) {
      FUZZ_CHECK(out[i].slot < kN && live_[out[i].slot].busy && live_[out[i].slot].t == out[i]);
      FUZZ_CHECK(!table_.IsCurrent(out[i]));
      live_[out[i].slot].busy = false;
    }
    FUZZ_CHECK(table_.in_flight() == busy - n);
    FUZZ_CHECK(Busy() == 0 ? table_.quarantined() == 0 : table_.quarantined() == q_before);
  }

  void CheckDeadline() const {
    Instant want = Instant::Never();
    for (const Live& l : live_) {
      if (l.busy) want = Earlier(want, l.deadline);
    }
    FUZZ_CHECK(table_.NextDeadline() == want);
  }

  void CheckCounters() const {
    const TxnCounters& c = table_.counters();
    FUZZ_CHECK(table_.in_flight() == Busy());
    FUZZ_CHECK(c.armed == c.completed + c.timeouts + c.canceled + table_.in_flight());
    FUZZ_CHECK((table_.quarantined() & 1u) == 0);  // seq 0 is never used
    FUZZ_CHECK((table_.quarantined() & BusySeqs()) == 0);
    for (const Live& l : live_) FUZZ_CHECK(!l.busy || table_.IsCurrent(l.t));
  }

  const Profile& p_;
  InflightTable<kN> table_;
  Live live_[kN];
  Ticket last_[kN];
  Instant now_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  connac_fuzz::Reader in(data, size);
  Model m(*connac::kAllProfiles[in.U8() % 3]);
  m.Run(in);
  return 0;
}
