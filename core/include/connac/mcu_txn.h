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
// Host contract: call FailAll() whenever the firmware is reset or reloaded. A seq stays
// quarantined until its late answer arrives or FailAll() runs, so a firmware that never
// answers again ends, after 15 timeouts, with Arm() returning kBusy: by then the host must
// have declared it dead anyway (the reset sequencer does).
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

// Capacity-erased base: the logic, over a slot array the derived class owns (ETL/LLVM
// SmallVector pattern), so the code exists once for every capacity.
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
  size_t in_flight() const {
    size_t n = 0;
    for (size_t i = 0; i < capacity_; ++i) n += slots_[i].busy ? 1 : 0;
    return n;
  }
  // Bitmask (bit = seq) of seqs quarantined after a timeout.
  uint16_t quarantined() const { return quarantine_; }

  // Allocates a seq and a slot for `cmd`, due at now + TimeoutFor(profile, cmd).
  // Errors: kNoSpc (every slot busy), kBusy (every seq in flight or quarantined),
  // kInval (FW_SCATTER expects no response; use SeqAllocator for it).
  Result<Ticket> Arm(CmdWord cmd, Instant now) {
    if (cmd.is_fw_scatter()) return Errno::kInval;
    Slot* slot = nullptr;
    size_t index = 0;
    for (size_t i = 0; i < capacity_; ++i) {
      if (!slots_[i].busy) {
        slot = &slots_[i];
        index = i;
        break;
      }
    }
    if (slot == nullptr) return Errno::kNoSpc;
    const uint16_t taken = static_cast<uint16_t>(quarantine_ | BusySeqs());
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

  // Feeds one event from the device. Never fails: the outcome says what happened.
  EventOutcome OnEvent(ConstBytes event) {
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
      Slot& s = slots_[i];
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

  // Times out every command due at or before `now`: frees its slot, quarantines its seq and
  // writes its ticket to `out` (up to `max`). Returns how many expired; when more than `max`
  // are due the rest stay armed and are reported by the next call.
  size_t Expire(Instant now, Ticket* out, size_t max) {
    size_t n = 0;
    for (size_t i = 0; i < capacity_ && n < max; ++i) {
      Slot& s = slots_[i];
      if (!s.busy || now < s.deadline) continue;
      out[n++] = Ticket{static_cast<uint8_t>(i), s.seq, s.generation, s.cmd};
      s.busy = false;
      quarantine_ = static_cast<uint16_t>(quarantine_ | (1u << s.seq));
      ++counters_.timeouts;
    }
    return n;
  }

  // Earliest deadline in flight, or Instant::Never() when idle.
  Instant NextDeadline() const {
    Instant next = Instant::Never();
    for (size_t i = 0; i < capacity_; ++i) {
      if (slots_[i].busy) next = Earlier(next, slots_[i].deadline);
    }
    return next;
  }

  // Withdraws a command the host will not wait for (send failed, waiter interrupted). Its
  // seq is quarantined, since the firmware may still answer. kStale if `t` is outdated.
  Status Cancel(const Ticket& t) {
    if (!IsCurrent(t)) return Status(Errno::kStale);
    Slot& s = slots_[t.slot];
    s.busy = false;
    quarantine_ = static_cast<uint16_t>(quarantine_ | (1u << s.seq));
    ++counters_.canceled;
    return OkStatus();
  }

  // True while `t` names a command still in flight.
  bool IsCurrent(const Ticket& t) const {
    return t.slot < capacity_ && slots_[t.slot].busy && slots_[t.slot].generation == t.generation &&
           slots_[t.slot].seq == t.seq;
  }

  // Fails every command in flight (firmware declared dead or reloaded): writes their tickets
  // to `out` (up to `max`) and clears the quarantine, since a reloaded firmware owes no
  // answers. Returns how many were failed. Sequence numbering continues (like the driver).
  size_t FailAll(Ticket* out, size_t max) {
    size_t n = 0;
    for (size_t i = 0; i < capacity_; ++i) {
      Slot& s = slots_[i];
      if (!s.busy) continue;
      if (n < max) out[n++] = Ticket{static_cast<uint8_t>(i), s.seq, s.generation, s.cmd};
      s.busy = false;
      ++counters_.canceled;
    }
    quarantine_ = 0;
    return n;
  }

 protected:
  constexpr InflightTableBase(const Profile& p, Slot* slots, size_t capacity)
      : profile_(&p), slots_(slots), capacity_(capacity) {}
  // A copy would share the original's slot storage but not its counters: forbid it.
  InflightTableBase(const InflightTableBase&) = delete;
  InflightTableBase& operator=(const InflightTableBase&) = delete;

 private:
  uint16_t BusySeqs() const {
    uint16_t m = 0;
    for (size_t i = 0; i < capacity_; ++i) {
      if (slots_[i].busy) m = static_cast<uint16_t>(m | (1u << slots_[i].seq));
    }
    return m;
  }

  const Profile* profile_;
  Slot* slots_;
  size_t capacity_;
  SeqAllocator seqs_;
  uint32_t generation_ = 0;
  uint16_t quarantine_ = 0;
  TxnCounters counters_;
};

// InflightTable<N>: up to N commands in flight (N <= 15, the number of seqs).
//
// Not copyable or movable: the base points into this object's own storage.
template <size_t N>
class InflightTable : public InflightTableBase {
  static_assert(N >= 1 && N <= kMaxSeq, "at most 15 commands can be in flight (4-bit seq)");

 public:
  constexpr explicit InflightTable(const Profile& p) : InflightTableBase(p, storage_, N) {}
  InflightTable(const InflightTable&) = delete;
  InflightTable& operator=(const InflightTable&) = delete;

 private:
  Slot storage_[N];
};

}  // namespace connac

#endif  // CONNAC_MCU_TXN_H_
