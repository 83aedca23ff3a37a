// File: connac/reset.h
//
// ResetSequencer: detect a dead firmware at once, fail fast, reset with bounded retries, and
// restore state from the core's own records.
//
// The mt792x driver pays a full 3 s timeout for every command queued behind a dead firmware,
// because a timeout only queues its reset work (openwrt/mt76 #1036: five timeouts over 15 s
// before the reload). This sequencer does what mt7996, iwlwifi and ath12k do instead: the
// first hard timeout, firmware assert or failed liveness probe declares the firmware dead,
// every pending and later command fails at once with -ESHUTDOWN, and the reset runs as a table
// of steps, each with its own watchdog (rtw89 ser.c style):
//
//   state        entry actions                       done ->      failed / watchdog ->
//   ----------   ---------------------------------   ----------   ---------------------
//   kRunning     accept commands, resume TX          -            (trigger) -> kWfsys
//   kProbing     ask the host for a cheap probe      kRunning     kWfsys (dead)
//   kWfsys       fail pending, reject new, stop TX,  kSemaphore   attempt failed
//                WFSYS reset
//   kSemaphore   take the patch semaphore            kPatch       attempt failed
//   kPatch       download the ROM patch              kRam         attempt failed
//   kRam         download the RAM code, FW_START     kReady       attempt failed
//   kReady       wait for N9 ready                   kRestore     attempt failed
//   kRestore     replay the RestorePlan              kRunning     attempt failed
//   kBackoff     wait backoff[failures]              (deadline) -> kWfsys
//   kHoldOff     wait hold_off                       (deadline) -> kWfsys
//   kWedged      report; reject forever              -            -
//
// "attempt failed": failures += 1; at wedge_after -> kWedged; at a multiple of
// hold_off_after -> kHoldOff; else kBackoff. Failures decay to 0 after `healthy_decay` of
// kRunning. A trigger during a reset is coalesced; a trigger during kRestore (the firmware
// crashed again while being restored) fails the attempt. An episode that starts within
// `healthy_decay` of the previous recovery counts as a failed attempt too, so a firmware
// that crashes right after every reload climbs the ladder instead of looping forever.
//
// Sans-I/O: every input carries `now`; every output is a ResetActions value; NextDeadline()
// says when to call OnTick(). Defaults and their reasons: docs/reset.md.
//
// Example:
//
//   connac::ResetSequencer seq;
//   connac::ResetActions a = seq.OnTimeout(now);          // from InflightTable::Expire
//   if (a.has(connac::ResetActions::kFailPending)) table.FailAll(...);
//   if (a.has(connac::ResetActions::kRunStep)) host.Run(a.step);   // later: seq.OnStepResult(...)

#ifndef CONNAC_RESET_H_
#define CONNAC_RESET_H_

#include <cstddef>
#include <cstdint>

#include "connac/status.h"
#include "connac/time.h"
#include "connac/wifi.h"

namespace connac {

enum class ResetState : uint8_t {
  kRunning,
  kProbing,
  kWfsys,
  kSemaphore,
  kPatch,
  kRam,
  kReady,
  kRestore,
  kBackoff,
  kHoldOff,
  kWedged,
};

constexpr const char* ResetStateName(ResetState s) {
  switch (s) {
    case ResetState::kRunning: return "RUNNING";
    case ResetState::kProbing: return "PROBING";
    case ResetState::kWfsys: return "WFSYS_RESET";
    case ResetState::kSemaphore: return "FW_SEMAPHORE";
    case ResetState::kPatch: return "FW_PATCH";
    case ResetState::kRam: return "FW_RAM";
    case ResetState::kReady: return "FW_READY";
    case ResetState::kRestore: return "RESTORE";
    case ResetState::kBackoff: return "BACKOFF";
    case ResetState::kHoldOff: return "HOLD_OFF";
    case ResetState::kWedged: return "WEDGED";
  }
  return "?";
}

// The reset steps the host performs, in order. Values index per-step tables.
enum class ResetStep : uint8_t { kWfsys, kSemaphore, kPatch, kRam, kReady, kRestore };
inline constexpr size_t kResetSteps = 6;

// Each step has its state, in the same order: ResetState = kWfsys + ResetStep.
constexpr ResetState StateOf(ResetStep s) {
  return static_cast<ResetState>(static_cast<uint8_t>(ResetState::kWfsys) +
                                 static_cast<uint8_t>(s));
}
static_assert(StateOf(ResetStep::kWfsys) == ResetState::kWfsys &&
                  StateOf(ResetStep::kSemaphore) == ResetState::kSemaphore &&
                  StateOf(ResetStep::kPatch) == ResetState::kPatch &&
                  StateOf(ResetStep::kRam) == ResetState::kRam &&
                  StateOf(ResetStep::kReady) == ResetState::kReady &&
                  StateOf(ResetStep::kRestore) == ResetState::kRestore,
              "ResetState lists the step states in ResetStep's order");
static_assert(static_cast<size_t>(ResetStep::kRestore) + 1 == kResetSteps);

constexpr const char* ResetStepName(ResetStep s) {
  switch (s) {
    case ResetStep::kWfsys: return "wfsys_reset";
    case ResetStep::kSemaphore: return "fw_semaphore";
    case ResetStep::kPatch: return "fw_patch";
    case ResetStep::kRam: return "fw_ram";
    case ResetStep::kReady: return "fw_ready";
    case ResetStep::kRestore: return "restore";
  }
  return "?";
}

enum class ResetCause : uint8_t { kTimeout, kAssert, kProbe, kRequest };
inline constexpr size_t kResetCauses = 4;

struct ResetConfig {
  // Liveness probe: when a command has been outstanding this long, ask for a probe; no
  // answer within `probe_window` is a dead firmware. Zero disables (the default).
  Duration suspect = Duration::Nanos(0);
  Duration probe_window = Duration::Millis(200);
  // Watchdog per step, indexed by ResetStep. From the driver's own polls (docs/reset.md,
  // Sources): WFSYS 50 ms low + 500 ms INIT_DONE; semaphore/patch/RAM are MCU commands (3 s);
  // N9 ready polls 1500 ms; restore replays a few dozen commands.
  Duration step_watchdog[kResetSteps] = {
      Duration::Millis(700), Duration::Seconds(3),   Duration::Seconds(3),
      Duration::Seconds(3),  Duration::Millis(1500), Duration::Seconds(5),
  };
  // Wait before attempt n+1 after n consecutive failures (the last entry repeats).
  // backoff[0] is unused (no failure yet); one failure retries at once, like the driver.
  Duration backoff[4] = {Duration::Nanos(0), Duration::Nanos(0), Duration::Millis(100),
                         Duration::Millis(500)};
  uint8_t hold_off_after = 3;  // consecutive failures before a hold-off
  Duration hold_off = Duration::Seconds(30);
  uint8_t wedge_after = 6;                        // consecutive failures before WEDGED
  Duration healthy_decay = Duration::Seconds(7);  // kRunning this long forgets failures
};

// What the host must do now. Several flags may be set at once; do them in the order listed.
struct ResetActions {
  enum Flag : uint16_t {
    kFailPending = 1u << 0,  // Fail every in-flight command with -ESHUTDOWN (FailAll()).
    kRejectNew = 1u << 1,    // Admit() now refuses; shown once, on entry to the reset.
    kStopTx = 1u << 2,       // Stop data TX queues.
    kRunStep = 1u << 3,      // Start `step`; report with OnStepResult().
    kProbe = 1u << 4,        // Send a cheap liveness probe; report with OnProbeResult().
    kResumeTx = 1u << 5,     // Wake TX queues.
    kAcceptNew = 1u << 6,    // Admit() accepts again.
    kReport = 1u << 7,       // An episode ended (recovered or wedged): read report().
    kWedged = 1u << 8,       // Terminal: the device needs a human (or a rebind).
  };
  uint16_t flags = 0;
  ResetStep step = ResetStep::kWfsys;

  constexpr bool has(Flag f) const { return (flags & f) != 0; }
  constexpr bool empty() const { return flags == 0; }
};

struct ResetCounters {
  uint32_t triggers[kResetCauses] = {};  // indexed by ResetCause
  uint32_t coalesced = 0;                // triggers during a reset
  uint32_t episodes = 0;
  uint32_t attempts = 0;
  uint32_t failed_attempts = 0;
  uint32_t step_failures[kResetSteps] = {};
  uint32_t step_timeouts[kResetSteps] = {};
  uint32_t crashes_in_restore = 0;
  uint32_t quick_relapses = 0;  // episodes starting within healthy_decay of a recovery
  uint32_t recoveries = 0;
  uint32_t hold_offs = 0;
  uint32_t wedged = 0;
  uint32_t probes = 0;
  uint32_t probes_alive = 0;
  uint32_t stale_results = 0;  // step or probe results that did not match the state
  uint32_t rejected = 0;       // Admit() refusals
};

struct ResetReport {
  ResetCause cause = ResetCause::kTimeout;
  Instant detected;  // trigger time
  Instant ended;     // recovered or wedged
  uint32_t attempts = 0;
  bool recovered = false;
};

class ResetSequencer {
 public:
  constexpr ResetSequencer() = default;
  constexpr explicit ResetSequencer(const ResetConfig& c) : cfg_(c) {}

  ResetState state() const { return state_; }
  const ResetCounters& counters() const { return counters_; }
  const ResetReport& report() const { return report_; }
  uint8_t failures() const { return failures_; }
  const ResetConfig& config() const { return cfg_; }

  // Whether another command may be sent: OK while running (or probing), else kShutdown.
  Status Admit() {
    if (state_ == ResetState::kRunning || state_ == ResetState::kProbing) return OkStatus();
    ++counters_.rejected;
    return Status(Errno::kShutdown);
  }

  // A command's response deadline passed (InflightTable::Expire reported it).
  ResetActions OnTimeout(Instant now) { return Trigger(ResetCause::kTimeout, now); }
  // The firmware reported an assert (UNI event COREDUMP).
  ResetActions OnAssert(Instant now) { return Trigger(ResetCause::kAssert, now); }
  // The host asks for a reset (debugfs, a bus error).
  ResetActions OnRequest(Instant now) { return Trigger(ResetCause::kRequest, now); }

  // The host's reset step finished. Results for a step that is not current are counted and
  // ignored (a late completion after the watchdog already failed the attempt).
  ResetActions OnStepResult(ResetStep step, bool ok, Instant now) {
    if (!InStep() || step != CurrentStep()) {
      ++counters_.stale_results;
      return {};
    }
    if (!ok) {
      ++counters_.step_failures[static_cast<size_t>(step)];
      return AttemptFailed(now);
    }
    if (step == ResetStep::kRestore) {
      ++counters_.recoveries;
      report_.ended = now;
      report_.recovered = true;
      last_recovery_ = now;
      healthy_since_ = now;
      Enter(ResetState::kRunning, now);
      return {ResetActions::kAcceptNew | ResetActions::kResumeTx | ResetActions::kReport, step};
    }
    return EnterStep(static_cast<ResetStep>(static_cast<uint8_t>(step) + 1), now);
  }

  ResetActions OnProbeResult(bool alive, Instant now) {
    if (state_ != ResetState::kProbing) {
      ++counters_.stale_results;
      return {};
    }
    if (!alive) return Trigger(ResetCause::kProbe, now);
    ++counters_.probes_alive;
    probed_for_ = probe_target_;  // Slow but alive: do not probe this command again.
    Enter(ResetState::kRunning, now);
    return {};
  }

  // Time passes. `oldest_outstanding` is when the oldest in-flight command was sent, or
  // Instant::Never() when none is (drives the optional probe).
  ResetActions OnTick(Instant now, Instant oldest_outstanding = Instant::Never()) {
    switch (state_) {
      case ResetState::kRunning:
        if (failures_ != 0 && now - healthy_since_ >= cfg_.healthy_decay) failures_ = 0;
        if (cfg_.suspect.ns > 0 && !oldest_outstanding.is_never() &&
            oldest_outstanding != probed_for_ && now - oldest_outstanding >= cfg_.suspect) {
          ++counters_.probes;
          probe_target_ = oldest_outstanding;
          Enter(ResetState::kProbing, now);
          deadline_ = now + cfg_.probe_window;
          return {ResetActions::kProbe, ResetStep::kWfsys};
        }
        return {};
      case ResetState::kProbing:
        if (now >= deadline_) return Trigger(ResetCause::kProbe, now);
        return {};
      case ResetState::kBackoff:
      case ResetState::kHoldOff:
        if (now >= deadline_) return StartAttempt(now);
        return {};
      case ResetState::kWedged: return {};
      default:  // A step is running: its watchdog.
        if (now >= deadline_) {
          ++counters_.step_timeouts[static_cast<size_t>(CurrentStep())];
          return AttemptFailed(now);
        }
        return {};
    }
  }

  // When to call OnTick() next: a step watchdog, the end of a backoff or hold-off, the probe
  // window, the next probe check (given the oldest outstanding command), or the failure
  // decay. Never() when nothing is due.
  Instant NextDeadline(Instant oldest_outstanding = Instant::Never()) const {
    switch (state_) {
      case ResetState::kRunning: {
        Instant next = Instant::Never();
        if (failures_ != 0) next = healthy_since_ + cfg_.healthy_decay;
        if (cfg_.suspect.ns > 0 && !oldest_outstanding.is_never() &&
            oldest_outstanding != probed_for_) {
          next = Earlier(next, oldest_outstanding + cfg_.suspect);
        }
        return next;
      }
      case ResetState::kWedged: return Instant::Never();
      default: return deadline_;
    }
  }

 private:
  bool InStep() const { return state_ >= ResetState::kWfsys && state_ <= ResetState::kRestore; }
  // REQUIRES: InStep() (StateOf's inverse).
  ResetStep CurrentStep() const {
    return static_cast<ResetStep>(static_cast<uint8_t>(state_) -
                                  static_cast<uint8_t>(ResetState::kWfsys));
  }

  void Enter(ResetState s, Instant now) {
    state_ = s;
    entered_ = now;
  }

  ResetActions Trigger(ResetCause cause, Instant now) {
    ++counters_.triggers[static_cast<size_t>(cause)];
    switch (state_) {
      case ResetState::kRunning:
      case ResetState::kProbing: break;
      case ResetState::kRestore:
        // The firmware died again while being restored: this attempt failed.
        ++counters_.crashes_in_restore;
        return AttemptFailed(now);
      case ResetState::kWedged: return {};
      default: ++counters_.coalesced; return {};
    }
    ++counters_.episodes;
    report_ = ResetReport{};
    report_.cause = cause;
    report_.detected = now;
    probed_for_ = Instant::Never();
    ResetActions a;
    a.flags = ResetActions::kFailPending | ResetActions::kRejectNew | ResetActions::kStopTx;
    if (counters_.recoveries != 0 && now - last_recovery_ < cfg_.healthy_decay) {
      // The last recovery did not stick: count it, and climb the ladder before retrying.
      ++counters_.quick_relapses;
      ResetActions next = AttemptFailed(now);
      a.flags |= next.flags;
      a.step = next.step;
      return a;
    }
    ResetActions first = StartAttempt(now);
    a.flags |= first.flags;
    a.step = first.step;
    return a;
  }

  ResetActions StartAttempt(Instant now) {
    ++counters_.attempts;
    ++report_.attempts;
    return EnterStep(ResetStep::kWfsys, now);
  }

  ResetActions EnterStep(ResetStep step, Instant now) {
    Enter(StateOf(step), now);
    deadline_ = now + cfg_.step_watchdog[static_cast<size_t>(step)];
    return {ResetActions::kRunStep, step};
  }

  ResetActions AttemptFailed(Instant now) {
    ++counters_.failed_attempts;
    if (failures_ < 0xff) ++failures_;
    if (failures_ >= cfg_.wedge_after) {
      ++counters_.wedged;
      report_.ended = now;
      report_.recovered = false;
      Enter(ResetState::kWedged, now);
      return {ResetActions::kReport | ResetActions::kWedged, ResetStep::kWfsys};
    }
    if (cfg_.hold_off_after != 0 && failures_ % cfg_.hold_off_after == 0) {
      ++counters_.hold_offs;
      Enter(ResetState::kHoldOff, now);
      deadline_ = now + cfg_.hold_off;
      return {};
    }
    const size_t n = sizeof(cfg_.backoff) / sizeof(cfg_.backoff[0]);
    const Duration wait = cfg_.backoff[failures_ < n ? failures_ : n - 1];
    if (wait.ns <= 0) return StartAttempt(now);
    Enter(ResetState::kBackoff, now);
    deadline_ = now + wait;
    return {};
  }

  ResetConfig cfg_;
  ResetState state_ = ResetState::kRunning;
  Instant entered_;
  Instant deadline_ = Instant::Never();
  Instant healthy_since_;
  Instant last_recovery_;
  Instant probe_target_ = Instant::Never();
  Instant probed_for_ = Instant::Never();
  uint8_t failures_ = 0;
  ResetCounters counters_;
  ResetReport report_;
};

// RestoreRecord: the core's own copy of what a restore must replay, per MLO link, so the
// restore never reads host state a roam may have freed (upstream crashed on a NULL bss_conf
// in exactly that re-add, docs/reset.md Sources). The host updates it as links and stations come
// and go; Plan() lists the restore in the mac80211 order: device, the active link's BSS,
// the other BSSes, stations, then keys (KeyTable::ReplayAfterReset).
class RestoreRecord {
 public:
  enum class LinkPhase : uint8_t {
    kNone,        // not present
    kJoining,     // added, association not complete: a half-finished roam, not restored
    kAssociated,  // restored after a reset
  };
  struct LinkRec {
    LinkPhase phase = LinkPhase::kNone;
    MacAddr bssid;
    uint8_t bss_idx = 0;
    bool sta = false;
    MacAddr sta_addr;
  };
  enum class ItemKind : uint8_t { kDevice, kBss, kSta, kKeys };
  struct Item {
    ItemKind kind = ItemKind::kDevice;
    uint8_t link = 0;
  };
  // Device + 15 BSS + 15 STA + keys.
  static constexpr size_t kMaxItems = 2 + 2 * kMaxMloLinks;
  struct Plan {
    Item items[kMaxItems];
    size_t size = 0;
  };

  constexpr RestoreRecord() = default;

  const LinkRec& link(uint8_t l) const { return links_[l]; }
  // The link in use (restored first), or LinkId::None().
  LinkId active_link() const { return active_; }
  // The device address (DEV_INFO), when SetDevice() was called.
  bool has_device() const { return has_device_; }
  const MacAddr& device() const { return device_; }

  Status SetDevice(const MacAddr& addr) {
    device_ = addr;
    has_device_ = true;
    return OkStatus();
  }
  Status LinkJoining(uint8_t l, const MacAddr& bssid, uint8_t bss_idx) {
    if (l >= kMaxMloLinks) return Status(Errno::kInval);
    links_[l] = LinkRec{LinkPhase::kJoining, bssid, bss_idx, false, {}};
    return OkStatus();
  }
  Status LinkAssociated(uint8_t l, const MacAddr& sta_addr, bool active) {
    if (l >= kMaxMloLinks || links_[l].phase == LinkPhase::kNone) return Status(Errno::kInval);
    links_[l].phase = LinkPhase::kAssociated;
    links_[l].sta = true;
    links_[l].sta_addr = sta_addr;
    if (active || !active_.valid()) active_ = LinkId(l);
    return OkStatus();
  }
  void LinkRemoved(uint8_t l) {
    if (l >= kMaxMloLinks) return;
    links_[l] = LinkRec{};
    if (active_ == LinkId(l)) {
      active_ = LinkId::None();
      for (uint8_t i = 0; i < kMaxMloLinks && !active_.valid(); ++i) {
        if (links_[i].phase == LinkPhase::kAssociated) active_ = LinkId(i);
      }
    }
  }

  // The restore, in order. Only associated links are restored.
  Plan MakePlan() const {
    Plan p;
    if (has_device_) p.items[p.size++] = Item{ItemKind::kDevice, 0};
    const uint8_t active = active_.valid() ? active_.value() : kMaxMloLinks;
    if (active < kMaxMloLinks && links_[active].phase == LinkPhase::kAssociated) {
      p.items[p.size++] = Item{ItemKind::kBss, active};
    }
    for (uint8_t l = 0; l < kMaxMloLinks; ++l) {
      if (l != active && links_[l].phase == LinkPhase::kAssociated)
        p.items[p.size++] = Item{ItemKind::kBss, l};
    }
    for (uint8_t l = 0; l < kMaxMloLinks; ++l) {
      if (links_[l].phase == LinkPhase::kAssociated && links_[l].sta)
        p.items[p.size++] = Item{ItemKind::kSta, l};
    }
    p.items[p.size++] = Item{ItemKind::kKeys, 0};
    return p;
  }

 private:
  MacAddr device_;
  bool has_device_ = false;
  LinkId active_;
  LinkRec links_[kMaxMloLinks];
};

}  // namespace connac

#endif  // CONNAC_RESET_H_
