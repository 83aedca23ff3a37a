// File: connac/mcu_txn.h
//
// MCU transactions: sequence numbers, the in-flight table, response matching and deadlines.
//
// The wire carries only a 4-bit sequence number (1..15), so a response cannot say which of
// two commands that shared a seq it answers. The driver lives with that by having one
// command in flight and never looking back; the core makes the hazard explicit:
//
//   - Seqs rotate 1..15 like the driver's counter, and a seq that is in flight, or whose
//     command timed out with no answer yet ("quarantined"), is skipped. A late answer to a
//     timed-out command therefore cannot complete the next command that would have reused
//     its seq; it is absorbed, counted as `late`, and frees the seq.
//   - Every slot carries a generation that changes on each use. A Ticket is (slot, seq,
//     generation); operations with an outdated ticket are kStale, so a waiter that gave up
//     can never read or cancel its successor's result.
//   - Responses that match nothing in flight are dropped and counted (`unmatched`).
//
// Host contract: call FailAll() whenever the firmware is reset or reloaded, until nothing is
// left in flight. A seq stays quarantined until its late answer arrives or FailAll() has
// failed every command, so a firmware that never answers again ends, after 15 timeouts, with
// Arm() returning kBusy: by then the host must have declared it dead anyway (the reset
// sequencer does).
//
// Position independence: a table holds no pointer into itself (its operations are handed
// its own slots), so the object that embeds it may be copied or moved with memcpy, as a C
// driver may do with its device struct. The copy is an independent table.
//
// Sans-I/O: Arm() takes `now` and computes the deadline from the profile's timeout class;
// Expire() takes `now` and reports what timed out; NextDeadline() tells the host when to
// call again. Nothing sleeps, locks or reads a clock; the host serialises calls (the
// driver's mcu.mutex).
//
// Example:
//
//   connac::InflightTable<4> t(connac::kMt7925);
//   connac::Result<connac::Ticket> tk = t.Arm(cmd, now);
//   ... EncodeFrame(profile, cmd, tk->seq, ...); send ...
//   connac::EventOutcome o = t.OnEvent(event_bytes);
//   if (o.kind == connac::EventOutcome::kCompleted && o.ticket == *tk) use(o.status);

#ifndef CONNAC_MCU_TXN_H_
#define CONNAC_MCU_TXN_H_

#include <cstddef>
#include <cstdint>

#include "connac/bytes.h"
#include "connac/family.h"
#include "connac/mcu_cmd.h"
#include "connac/mcu_frame.h"
#include "connac/mcu_response.h"
#include "connac/status.h"
#include "connac/time.h"

namespace connac {

// The driver's allocator: a counter pre-incremented and masked to 4 bits, 0 skipped
// (mt7925_mcu_fill_message). Exposed on its own for hosts that want the exact driver order.
class SeqAllocator {
 public:
  constexpr SeqAllocator() = default;
  // Starts so that the next seq is `next` (1..15).
  constexpr explicit SeqAllocator(uint8_t next) : counter_(next == 0 ? 0u : next - 1u) {}

  constexpr uint8_t Next() {
    uint8_t seq = static_cast<uint8_t>(++counter_ & 0xf);
    if (seq == 0) seq = static_cast<uint8_t>(++counter_ & 0xf);
    return seq;
  }

 private:
  uint32_t counter_ = 0;  // Wraps like the driver's u32; only the low 4 bits matter.
};

struct Ticket {
  uint8_t slot = 0xff;
  uint8_t seq = 0;
  uint32_t generation = 0;
  CmdWord cmd;

  friend constexpr bool operator==(const Ticket& a, const Ticket& b) {
    return a.slot == b.slot && a.seq == b.seq && a.generation == b.generation;
  }
};

// What one received event did to the table.
struct EventOutcome {
  enum Kind : uint8_t {
    kCompleted,    // Answered `ticket`: `status` and `payload` are valid; the slot is free.
    kStale,        // Right seq, but the driver's rules say "not this one" (cid): still waiting.
    kLate,         // Answer to a command that already timed out: absorbed, seq freed.
    kUnmatched,    // No command in flight with this seq (duplicate or bogus): dropped.
    kMalformed,    // Too short to read: dropped.
    kUnsolicited,  // Not a response at all (option bit 2): the host dispatches it.
  };
  Kind kind = kUnmatched;
  Ticket ticket;
  int32_t status = 0;
  ConstBytes payload;
  const char* reason = nullptr;
};

struct TxnCounters {
  uint32_t armed = 0;
  uint32_t completed = 0;
  uint32_t timeouts = 0;
  uint32_t stale = 0;
  uint32_t late = 0;
  uint32_t unmatched = 0;
  uint32_t malformed = 0;
  uint32_t canceled = 0;
};

// Capacity-erased base: the logic, over a slot array the derived class owns and passes in
// (ETL/LLVM SmallVector pattern), so the code exists once for every capacity. The base holds
// no pointer or offset to the slots: the table is constexpr-constructible (a kernel module's
// `constinit` global) and a memcpy'd table is whole.
class InflightTableBase {
 public:
  struct Slot {
    bool busy = false;
    uint8_t seq = 0;
    uint32_t generation = 0;
    CmdWord cmd;
    Instant deadline;
  };

  const Profile& profile() const { return *profile_; }
  const TxnCounters& counters() const { return counters_; }
  size_t capacity() const { return capacity_; }
  // Bitmask (bit = seq) of seqs quarantined after a timeout.
  uint16_t quarantined() const { return quarantine_; }

 protected:
  constexpr InflightTableBase(const Profile& p, size_t capacity)
      : profile_(&p), capacity_(capacity) {}
  // Copying through the base would slice off the slots: only the whole table may be copied.
  InflightTableBase(const InflightTableBase&) = delete;
  InflightTableBase& operator=(const InflightTableBase&) = delete;

  // The operations behind InflightTable<N>'s public API (documented there). `slots` is the
  // derived table's array of capacity() slots.
  size_t InFlight(const Slot* slots) const {
    size_t n = 0;
    for (size_t i = 0; i < capacity_; ++i) n += slots[i].busy ? 1 : 0;
    return n;
  }

  Result<Ticket> Arm(Slot* slots, CmdWord cmd, Instant now) {
    if (cmd.is_fw_scatter() || !profile_->valid()) return Errno::kInval;
    Slot* slot = nullptr;
    size_t index = 0;
    for (size_t i = 0; i < capacity_; ++i) {
      if (!slots[i].busy) {
        slot = &slots[i];
        index = i;
        break;
      }
    }
    if (slot == nullptr) return Errno::kNoSpc;
    const uint16_t taken = static_cast<uint16_t>(quarantine_ | BusySeqs(slots));
    uint8_t seq = 0;
    for (int tries = 0; tries < kMaxSeq; ++tries) {
      const uint8_t s = seqs_.Next();
      if ((taken & (1u << s)) == 0) {
        seq = s;
        break;
      }
    }
    if (seq == 0) return Errno::kBusy;
    slot->busy = true;
    slot->seq = seq;
    slot->generation = ++generation_;
    slot->cmd = cmd;
    slot->deadline = now + TimeoutFor(*profile_, cmd);
    ++counters_.armed;
    return Ticket{static_cast<uint8_t>(index), seq, slot->generation, cmd};
  }

  EventOutcome OnEvent(Slot* slots, ConstBytes event) {
    EventOutcome out;
    Result<McuEvent> ev = ParseEvent(*profile_, event);
    if (!ev.ok()) {
      ++counters_.malformed;
      out.kind = EventOutcome::kMalformed;
      out.reason = "event shorter than the RX descriptor";
      return out;
    }
    // Seq 0 is never allocated, so a seq-0 event cannot be a response: mt7921 routes such
    // events to its unsolicited handler (mt7921_mcu_rx_event), as all do for option bit 2.
    if (ev->unsolicited() || ev->seq == 0) {
      out.kind = EventOutcome::kUnsolicited;
      return out;
    }
    const uint8_t seq = ev->seq;
    for (size_t i = 0; i < capacity_; ++i) {
      Slot& s = slots[i];
      if (!s.busy || s.seq != seq) continue;
      const Response r = ParseResponse(*profile_, s.cmd, seq, event);
      out.ticket = Ticket{static_cast<uint8_t>(i), s.seq, s.generation, s.cmd};
      switch (r.verdict) {
        case Verdict::kDone:
          s.busy = false;
          ++counters_.completed;
          out.kind = EventOutcome::kCompleted;
          out.status = r.status;
          out.payload = r.payload;
          return out;
        case Verdict::kStale:
          ++counters_.stale;
          out.kind = EventOutcome::kStale;
          out.reason = r.reason;
          return out;
        case Verdict::kMalformed:
          ++counters_.malformed;
          out.kind = EventOutcome::kMalformed;
          out.reason = r.reason;
          return out;
      }
    }
    if (seq <= kMaxSeq && (quarantine_ & (1u << seq)) != 0) {
      quarantine_ = static_cast<uint16_t>(quarantine_ & ~(1u << seq));
      ++counters_.late;
      out.kind = EventOutcome::kLate;
      return out;
    }
    ++counters_.unmatched;
    out.kind = EventOutcome::kUnmatched;
    return out;
  }

  size_t Expire(Slot* slots, Instant now, Ticket* out, size_t max) {
    size_t n = 0;
    for (size_t i = 0; i < capacity_ && n < max; ++i) {
      Slot& s = slots[i];
      if (!s.busy || now < s.deadline) continue;
      out[n++] = Ticket{static_cast<uint8_t>(i), s.seq, s.generation, s.cmd};
      s.busy = false;
      quarantine_ = static_cast<uint16_t>(quarantine_ | (1u << s.seq));
      ++counters_.timeouts;
    }
    return n;
  }

  Instant NextDeadline(const Slot* slots) const {
    Instant next = Instant::Never();
    for (size_t i = 0; i < capacity_; ++i) {
      if (slots[i].busy) next = Earlier(next, slots[i].deadline);
    }
    return next;
  }

  Status Cancel(Slot* slots, const Ticket& t) {
    if (!IsCurrent(slots, t)) return Status(Errno::kStale);
    Slot& s = slots[t.slot];
    s.busy = false;
    quarantine_ = static_cast<uint16_t>(quarantine_ | (1u << s.seq));
    ++counters_.canceled;
    return OkStatus();
  }

  Status Withdraw(Slot* slots, const Ticket& t) {
    if (!IsCurrent(slots, t)) return Status(Errno::kStale);
    slots[t.slot].busy = false;
    ++counters_.canceled;
    return OkStatus();
  }

  Status Complete(Slot* slots, const Ticket& t) {
    if (!IsCurrent(slots, t)) return Status(Errno::kStale);
    slots[t.slot].busy = false;
    ++counters_.completed;
    return OkStatus();
  }

  Instant OldestArmed(const Slot* slots) const {
    Instant oldest = Instant::Never();
    for (size_t i = 0; i < capacity_; ++i) {
      if (!slots[i].busy) continue;
      const Duration t = TimeoutFor(*profile_, slots[i].cmd);
      oldest = Earlier(oldest, slots[i].deadline + Duration::Nanos(-t.ns));
    }
    return oldest;
  }

  bool IsCurrent(const Slot* slots, const Ticket& t) const {
    return t.slot < capacity_ && slots[t.slot].busy && slots[t.slot].generation == t.generation &&
           slots[t.slot].seq == t.seq;
  }

  size_t FailAll(Slot* slots, Ticket* out, size_t max) {
    size_t n = 0;
    for (size_t i = 0; i < capacity_ && n < max; ++i) {
      Slot& s = slots[i];
      if (!s.busy) continue;
      out[n++] = Ticket{static_cast<uint8_t>(i), s.seq, s.generation, s.cmd};
      s.busy = false;
      ++counters_.canceled;
    }
    if (InFlight(slots) == 0) quarantine_ = 0;
    return n;
  }

 private:
  uint16_t BusySeqs(const Slot* slots) const {
    uint16_t m = 0;
    for (size_t i = 0; i < capacity_; ++i) {
      if (slots[i].busy) m = static_cast<uint16_t>(m | (1u << slots[i].seq));
    }
    return m;
  }

  // Points at one of the constant profiles (static storage), never into this object.
  const Profile* profile_;
  size_t capacity_;
  SeqAllocator seqs_;
  uint32_t generation_ = 0;
  uint16_t quarantine_ = 0;
  TxnCounters counters_;
};

// InflightTable<N>: up to N commands in flight (N <= 15, the number of seqs).
//
// Trivially copyable in effect (the C API's device struct is moved with memcpy), but copy
// construction is not offered: two tables sharing one firmware's seqs would be a bug. The
// public operations are one-line forwarders that hand the base this table's slots.
template <size_t N>
class InflightTable : public InflightTableBase {
  static_assert(N >= 1 && N <= kMaxSeq, "at most 15 commands can be in flight (4-bit seq)");

 public:
  constexpr explicit InflightTable(const Profile& p) : InflightTableBase(p, N) {}
  InflightTable(const InflightTable&) = delete;
  InflightTable& operator=(const InflightTable&) = delete;

  size_t in_flight() const { return InFlight(storage_); }

  // Allocates a seq and a slot for `cmd`, due at now + TimeoutFor(profile, cmd).
  // Errors: kNoSpc (every slot busy), kBusy (every seq in flight or quarantined),
  // kInval (FW_SCATTER expects no response, use SeqAllocator for it; or an invalid profile).
  Result<Ticket> Arm(CmdWord cmd, Instant now) {
    return InflightTableBase::Arm(storage_, cmd, now);
  }

  // Feeds one event from the device. Never fails: the outcome says what happened.
  EventOutcome OnEvent(ConstBytes event) { return InflightTableBase::OnEvent(storage_, event); }

  // Times out every command due at or before `now`: frees its slot, quarantines its seq and
  // writes its ticket to `out` (up to `max`). Returns how many expired; when more than `max`
  // are due the rest stay armed and are reported by the next call.
  size_t Expire(Instant now, Ticket* out, size_t max) {
    return InflightTableBase::Expire(storage_, now, out, max);
  }

  // Earliest deadline in flight, or Instant::Never() when idle.
  Instant NextDeadline() const { return InflightTableBase::NextDeadline(storage_); }

  // Withdraws a command the host will not wait for (its waiter was interrupted). Its seq is
  // quarantined, since the firmware may still answer. kStale if `t` is outdated.
  Status Cancel(const Ticket& t) { return InflightTableBase::Cancel(storage_, t); }

  // Withdraws a command that never left the host (its send failed): frees its slot and its
  // seq at once, since no answer can come (Cancel() would quarantine the seq, and only a late
  // answer or FailAll() frees a quarantined one: sends failing on a live firmware would use
  // the 15 seqs up for good). Counted as canceled. kStale if `t` is outdated.
  Status Withdraw(const Ticket& t) { return InflightTableBase::Withdraw(storage_, t); }

  // The host matched the answer to `t` itself (a host with its own framing and waits):
  // frees the slot without quarantining its seq. kStale if `t` is outdated.
  Status Complete(const Ticket& t) { return InflightTableBase::Complete(storage_, t); }

  // When the oldest command in flight was armed, or Never() when none is (the reset
  // sequencer's liveness probe asks for it).
  Instant OldestArmed() const { return InflightTableBase::OldestArmed(storage_); }

  // True while `t` names a command still in flight.
  bool IsCurrent(const Ticket& t) const { return InflightTableBase::IsCurrent(storage_, t); }

  // Fails commands in flight (firmware declared dead or reloaded), at most `max` of them:
  // writes their tickets to `out` and returns how many failed. Every failed command is
  // reported, so no waiter is stranded; commands beyond `max` stay in flight and the next
  // call fails them. Once nothing is left in flight the quarantine is cleared, since a
  // reloaded firmware owes no answers. Sequence numbering continues (like the driver).
  //
  //   while (size_t n = table.FailAll(batch, kBatch)) WakeAll(batch, n, -ESHUTDOWN);
  size_t FailAll(Ticket* out, size_t max) { return InflightTableBase::FailAll(storage_, out, max); }

 private:
  Slot storage_[N] = {};
};

}  // namespace connac

#endif  // CONNAC_MCU_TXN_H_
