// Fuzz target: the reset sequencer and the restore record, driven by random timeouts,
// asserts, host requests, probe results, step results (right, wrong and late), ticks and
// link churn, with a random configuration.
//
// Input: 4 configuration bytes (probe on/off, wedge_after 1..8, hold_off_after 0..4, backoff
// scale), then a program, one byte per operation (value % 9) with its operands:
//   0 timeout   1 assert   2 host request
//   3 step result   u8 which (< 160: the current step, else step u8 % 6), u8 ok (bit 0)
//   4 probe result  u8 alive (bit 0)
//   5 tick          u8 advance (* 7 ms), u8 oldest command (0: none, else now - u8 * 50 ms)
//   6 advance time  u8 * 100 ms, no call
//   7 restore record op: u8 kind (% 4: device, joining, associated, removed), u8 link (% 16),
//                        u8 bss_idx / active
//   8 restore plan
//
// Properties, after every operation:
//   - Admit() accepts exactly in RUNNING and PROBING: nothing is admitted while the firmware
//     is dead; WEDGED is terminal;
//   - the actions agree with the state they lead to (RUN_STEP names the current step,
//     FAIL_PENDING comes with REJECT_NEW and STOP_TX, ACCEPT_NEW lands in RUNNING, WEDGED in
//     WEDGED) and the next deadline is Never() only in RUNNING (without decay or probe) or
//     WEDGED;
//   - the counters add up: episodes = recoveries + wedged + (an episode in progress);
//     attempts + quick relapses = failed attempts + recoveries + (an attempt in progress);
//     failed attempts = step failures + step timeouts + crashes in restore + quick relapses;
//   - a restore plan lists the device first (when known), the active associated link's BSS
//     first among the BSSes, every associated link's BSS and station once, nothing for other
//     links, and the keys last;
// and at the end, answering every step with success and every probe with "alive" while time
// runs to each deadline brings the sequencer to RUNNING or WEDGED within a bounded number of
// steps.

#include <cstddef>
#include <cstdint>

#include "connac/reset.h"
#include "connac/time.h"
#include "fuzz/fuzz_check.h"

namespace {

using namespace connac;  // NOLINT(build/namespaces): a fuzz target, not a header.

bool InStep(ResetState s) { return s >= ResetState::kWfsys && s <= ResetState::kRestore; }

ResetStep StepOf(ResetState s) {
  return static_cast<ResetStep>(static_cast<uint8_t>(s) - static_cast<uint8_t>(ResetState::kWfsys));
}

bool InEpisode(ResetState s) {
  return InStep(s) || s == ResetState::kBackoff || s == ResetState::kHoldOff;
}

class Harness {
 public:
  explicit Harness(const ResetConfig& c) : seq_(c) {}

  void Run(connac_fuzz::Reader& in) {
    while (!in.empty()) {
      const uint8_t op = in.U8() % 9;
      ResetActions a;
      switch (op) {
        case 0: a = seq_.OnTimeout(now_); break;
        case 1: a = seq_.OnAssert(now_); break;
        case 2: a = seq_.OnRequest(now_); break;
        case 3: {
          const uint8_t which = in.U8();
          const bool ok = (in.U8() & 1) != 0;
          const ResetStep step = which < 160 && InStep(seq_.state())
                                     ? StepOf(seq_.state())
                                     : static_cast<ResetStep>(which % kResetSteps);
          a = seq_.OnStepResult(step, ok, now_);
          break;
        }
        case 4: a = seq_.OnProbeResult((in.U8() & 1) != 0, now_); break;
        case 5: {
          now_ = now_ + Duration::Millis(7 * static_cast<int64_t>(in.U8()));
          const uint8_t back = in.U8();
          const Instant oldest = back == 0
                                     ? Instant::Never()
                                     : now_ + Duration::Millis(-50 * static_cast<int64_t>(back));
          a = seq_.OnTick(now_, oldest);
          break;
        }
        case 6: now_ = now_ + Duration::Millis(100 * static_cast<int64_t>(in.U8())); break;
        case 7: RecordOp(in); break;
        case 8: CheckPlan(); break;
      }
      CheckActions(a);
      CheckState();
    }
    DriveToRest();
  }

 private:
  void CheckActions(const ResetActions& a) {
    const ResetState s = seq_.state();
    if (a.has(ResetActions::kRunStep)) {
      FUZZ_CHECK(InStep(s) && StepOf(s) == a.step);
    }
    if (a.has(ResetActions::kFailPending)) {
      FUZZ_CHECK(a.has(ResetActions::kRejectNew) && a.has(ResetActions::kStopTx));
    }
    if (a.has(ResetActions::kAcceptNew)) {
      FUZZ_CHECK(s == ResetState::kRunning && a.has(ResetActions::kResumeTx) &&
                 a.has(ResetActions::kReport) && seq_.report().recovered);
    }
    if (a.has(ResetActions::kWedged)) {
      FUZZ_CHECK(s == ResetState::kWedged && a.has(ResetActions::kReport) &&
                 !seq_.report().recovered);
    }
    if (a.has(ResetActions::kProbe)) FUZZ_CHECK(s == ResetState::kProbing);
  }

  void CheckState() {
    const ResetState s = seq_.state();
    FUZZ_CHECK(s <= ResetState::kWedged);
    if (was_wedged_) FUZZ_CHECK(s == ResetState::kWedged);
    was_wedged_ = s == ResetState::kWedged;

    const bool admits = s == ResetState::kRunning || s == ResetState::kProbing;
    FUZZ_CHECK(seq_.Admit().ok() == admits);

    const Instant next = seq_.NextDeadline();
    if (s == ResetState::kWedged) FUZZ_CHECK(next.is_never());
    if (InEpisode(s) || s == ResetState::kProbing) FUZZ_CHECK(!next.is_never());

    const ResetCounters& c = seq_.counters();
    uint32_t step_failures = 0;
    for (uint32_t f : c.step_failures) step_failures += f;
    for (uint32_t t : c.step_timeouts) step_failures += t;
    FUZZ_CHECK(c.episodes == c.recoveries + c.wedged + (InEpisode(s) ? 1u : 0u));
    FUZZ_CHECK(c.attempts + c.quick_relapses ==
               c.failed_attempts + c.recoveries + (InStep(s) ? 1u : 0u));
    FUZZ_CHECK(c.failed_attempts == step_failures + c.crashes_in_restore + c.quick_relapses);
    FUZZ_CHECK(c.wedged <= 1);
    FUZZ_CHECK(c.probes_alive <= c.probes);
    FUZZ_CHECK(seq_.failures() <= seq_.config().wedge_after);
  }

  // Answers everything with success until the sequencer rests.
  void DriveToRest() {
    for (int i = 0; i < 64; ++i) {
      const ResetState s = seq_.state();
      if (s == ResetState::kRunning || s == ResetState::kWedged) return;
      ResetActions a;
      if (InStep(s)) {
        a = seq_.OnStepResult(StepOf(s), true, now_);
      } else if (s == ResetState::kProbing) {
        a = seq_.OnProbeResult(true, now_);
      } else {
        const Instant next = seq_.NextDeadline();
        FUZZ_CHECK(!next.is_never());
        if (now_ < next) now_ = next;
        a = seq_.OnTick(now_);
      }
      CheckActions(a);
      CheckState();
    }
    FUZZ_CHECK(seq_.state() == ResetState::kRunning || seq_.state() == ResetState::kWedged);
  }

  void RecordOp(connac_fuzz::Reader& in) {
    const uint8_t kind = in.U8() % 4;
    const uint8_t link = in.U8() % 16;  // 15: out of range
    const uint8_t arg = in.U8();
    const MacAddr addr{{2, 0xb0, 0, 0, kind, link}};
    switch (kind) {
      case 0:
        FUZZ_CHECK(record_.SetDevice(addr).ok());
        device_ = true;
        break;
      case 1: {
        const Status st = record_.LinkJoining(link, addr, arg);
        FUZZ_CHECK(st.ok() == (link < kMaxMloLinks));
        break;
      }
      case 2: {
        const bool joined =
            link < kMaxMloLinks && record_.link(link).phase != RestoreRecord::LinkPhase::kNone;
        const Status st = record_.LinkAssociated(link, addr, (arg & 1) != 0);
        FUZZ_CHECK(st.ok() == joined);
        break;
      }
      case 3: record_.LinkRemoved(link); break;
    }
    CheckPlan();
  }

  void CheckPlan() {
    const RestoreRecord::Plan p = record_.MakePlan();
    FUZZ_CHECK(p.size >= 1 && p.size <= RestoreRecord::kMaxItems);
    using Kind = RestoreRecord::ItemKind;
    FUZZ_CHECK(p.items[p.size - 1].kind == Kind::kKeys);
    size_t i = 0;
    if (device_) FUZZ_CHECK(p.items[i++].kind == Kind::kDevice);
    const uint8_t active =
        record_.active_link().valid() ? record_.active_link().value() : kMaxMloLinks;
    bool bss_seen[kMaxMloLinks] = {};
    bool sta_seen[kMaxMloLinks] = {};
    bool first_bss = true;
    bool stations_started = false;
    for (; i + 1 < p.size; ++i) {
      const RestoreRecord::Item& it = p.items[i];
      FUZZ_CHECK(it.kind == Kind::kBss || it.kind == Kind::kSta);
      FUZZ_CHECK(it.link < kMaxMloLinks);
      const RestoreRecord::LinkRec& l = record_.link(it.link);
      FUZZ_CHECK(l.phase == RestoreRecord::LinkPhase::kAssociated);
      if (it.kind == Kind::kBss) {
        FUZZ_CHECK(!stations_started && !bss_seen[it.link]);
        bss_seen[it.link] = true;
        if (first_bss && active < kMaxMloLinks &&
            record_.link(active).phase == RestoreRecord::LinkPhase::kAssociated) {
          FUZZ_CHECK(it.link == active);
        }
        first_bss = false;
      } else {
        stations_started = true;
        FUZZ_CHECK(l.sta && !sta_seen[it.link]);
        sta_seen[it.link] = true;
      }
    }
    for (uint8_t l = 0; l < kMaxMloLinks; ++l) {
      const bool assoc = record_.link(l).phase == RestoreRecord::LinkPhase::kAssociated;
      FUZZ_CHECK(bss_seen[l] == assoc);
      FUZZ_CHECK(sta_seen[l] == (assoc && record_.link(l).sta));
    }
  }

  ResetSequencer seq_;
  RestoreRecord record_;
  Instant now_{1000000000};
  bool device_ = false;
  bool was_wedged_ = false;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  connac_fuzz::Reader in(data, size);
  ResetConfig c;
  const uint8_t probe = in.U8();
  if (probe & 1) c.suspect = Duration::Millis(500 + 10 * (probe >> 1));
  c.wedge_after = static_cast<uint8_t>(1 + in.U8() % 8);
  c.hold_off_after = static_cast<uint8_t>(in.U8() % 5);
  const uint8_t scale = in.U8();
  for (Duration& b : c.backoff) b = Duration::Millis(b.millis() * (scale % 4));
  c.hold_off = Duration::Millis(100 + 50 * static_cast<int64_t>(scale >> 2));
  auto* h = new Harness(c);
  h->Run(in);
  delete h;
  return 0;
}
