// File: tools/sim/sim.cc
//
// The recovery simulation behind `connac simulate` and `make bench-recovery`. See sim.h for
// the two policies and docs/reset.md for the scenarios and their calibration.

#include "tools/sim/sim.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "connac/testing/fwsim.h"
#include "connac/keys.h"
#include "connac/mcu_frame.h"
#include "connac/mcu_response.h"
#include "connac/mcu_txn.h"
#include "connac/reset.h"

namespace connac::sim {
namespace {

constexpr Duration kMt76Timeout = Duration::Seconds(3);
// Calibrated on the #1036 / Jan-13 log (docs/reset.md, Sources): "Driver requested disconnection"
// 0.9 s after the reload, the MLD reassociated 15.7 s after that.
constexpr Duration kMt76DisconnectDelay = Duration::Millis(900);
constexpr Duration kMt76ReassocTime = Duration::Millis(15700);
constexpr int kMt76ChipResetTries = 10;
// mt7925_coredump_work waits for 4 x HZ/20 of quiet before it resets.
constexpr Duration kMt76CoredumpQuiet = Duration::Millis(200);

double Ms(Instant t) { return static_cast<double>(t.ns) / 1e6; }
Instant At(double ms) { return Instant{static_cast<int64_t>(ms * 1e6)}; }

MacAddr Mac(uint8_t a, uint8_t b) { return MacAddr{{0x02, 0x00, 0x00, 0x00, a, b}}; }
MacAddr Bssid(uint8_t link) { return Mac(0x01, link); }
MacAddr ApSta(uint8_t link) { return Mac(0x02, link); }

struct Cmd {
  CmdWord word;
  std::vector<uint8_t> payload;
  std::string label;
};

Cmd DevInfo() { return {CmdWord::Uni(uni::kDevInfoUpdate), {0, 0, 0, 0}, "DEV_INFO_UPDATE"}; }
Cmd BssInfo(uint8_t bss_idx) {
  return {CmdWord::Uni(uni::kBssInfoUpdate),
          {bss_idx, 0, 0, 0},
          absl::StrCat("BSS_INFO_UPDATE bss ", bss_idx)};
}
Cmd StaRec(uint8_t bss_idx, uint8_t wcid, bool remove) {
  // sta_req_hdr {bss, wcid, tlv_num, append, muar, hi, rsv}; a removal carries STA_REC_REMOVE.
  std::vector<uint8_t> p = {bss_idx, wcid, static_cast<uint8_t>(remove ? 1 : 0), 0, 1, 0, 0, 0};
  if (remove) p.insert(p.end(), {0x25, 0x00, 0x08, 0x00, 0, 0, 0, 0});
  return {CmdWord::Uni(uni::kStaRecUpdate), p,
          absl::StrCat("STA_REC_UPDATE wcid ", wcid, remove ? " remove" : "")};
}
Cmd ScanReq() { return {CmdWord::Uni(uni::kScanReq), std::vector<uint8_t>(16, 0), "SCAN_REQ"}; }
Cmd MibQuery() { return {CmdWord::UniQuery(uni::kGetMibInfo), {0, 0, 0, 0}, "GET_MIB_INFO"}; }

std::vector<Cmd> KeyCmds(KeyActionList* acts) {
  std::vector<Cmd> out;
  for (size_t i = 0; i < acts->size; ++i) {
    uint8_t buf[kKeyFrameSize];
    Result<ConstBytes> f = EncodeKeyAction(kMt7925, acts->items[i], 1, MutableBytes(buf));
    if (!f.ok()) continue;
    Cmd c{CmdWord::Uni(uni::kStaRecUpdate),
          std::vector<uint8_t>(f->data() + kUniHeaderSize, f->data() + f->size()),
          absl::StrFormat("STA_REC_UPDATE key %s wcid %d", acts->items[i].add ? "set" : "del",
                          acts->items[i].wcid)};
    out.push_back(std::move(c));
    ZeroizeBytes(buf, sizeof(buf));
  }
  acts->Wipe();
  return out;
}

// The workload: critical sections of commands, host work and host-side link changes.
struct Item {
  enum Kind { kCmd, kWork, kTearDownLink, kJoinLink } kind = kCmd;
  Cmd cmd;
  Duration work;
  uint8_t link = 0;
};

struct Section {
  Instant start;
  std::vector<Item> items;
};

Item C(Cmd c) { return Item{Item::kCmd, std::move(c), {}, 0}; }
Item W(double ms) {
  return Item{Item::kWork, {}, Duration::Nanos(static_cast<int64_t>(ms * 1e6)), 0};
}
Item TearDown(uint8_t link) { return Item{Item::kTearDownLink, {}, {}, link}; }
Item Join(uint8_t link) { return Item{Item::kJoinLink, {}, {}, link}; }

struct Scenario {
  FwSimConfig fw;
  int links = 2;
  std::vector<Section> sections;
  Instant end;
};

// Deterministic PRNG (splitmix64) for scenario jitter.
struct Rng {
  uint64_t s;
  uint64_t Next() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  double Uniform(double lo, double hi) {
    return lo + (hi - lo) * static_cast<double>(Next() >> 11) / 9007199254740992.0;
  }
};

// Commands the setup sends: DEV_INFO, per link BSS_INFO + STA_REC, the pairwise key per link,
// per link GTK + IGTK.
uint32_t SetupCommands(int links) {
  return 1 + 4 * static_cast<uint32_t>(links) + static_cast<uint32_t>(links);
}

Scenario MakeScenario(const std::string& name, const Options& o) {
  Scenario s;
  s.fw.arm_after_cmds = SetupCommands(s.links);
  s.end = At(120000);
  Rng rng{o.seed};
  if (name == "mlo-roam-hang") {
    // #1036: the roam tears link 1 down, then BSS_INFO for it hangs the firmware. The
    // critical section then keeps the mutex for 3 s of other work and sends STA_REC,
    // BSS_INFO, BSS_INFO and DEV_INFO (timeouts at +0, +6.0, +9.2, +12.2, +15.2 in the log).
    s.fw.hang_on_bss_after_sta_remove = true;
    Section roam{At(10000), {}};
    roam.items = {TearDown(1), C(StaRec(1, 1, true)),  C(BssInfo(1)),
                  W(3000 - 2), C(StaRec(1, 1, false)), W(200),
                  Join(1),     C(BssInfo(1)),          C(BssInfo(1)),
                  C(DevInfo())};
    s.sections.push_back(roam);
  } else if (name == "scan-timeout") {
    s.fw.hang_on_cmd_word = CmdWord::Uni(uni::kScanReq).raw;
    s.sections.push_back({At(10000), {C(ScanReq())}});
  } else if (name == "healthy-slow") {
    // 10 000 commands; the slow class (SCAN_REQ, GET_MIB_INFO) answers in up to 2.9 s.
    s.fw.slow_latency = Duration::Millis(2900);
    s.end = At(1e12);
    Section work{At(1000), {}};
    for (int i = 0; i < 10000; ++i) {
      if (i % 50 == 0) {
        work.items.push_back(C(ScanReq()));
      } else if (i % 10 == 0) {
        work.items.push_back(C(MibQuery()));
      } else {
        work.items.push_back(C(BssInfo(static_cast<uint8_t>(i % 2))));
      }
      work.items.push_back(W(rng.Uniform(0, 20)));
    }
    s.sections.push_back(std::move(work));
  } else if (name == "reset-step-fails") {
    s.fw.hang_on_cmd_word = CmdWord::Uni(uni::kBssInfoUpdate).raw;
    s.fw.step_failures[static_cast<size_t>(ResetStep::kWfsys)] = 2;
    s.sections.push_back({At(10000), {C(BssInfo(0))}});
  } else if (name == "crash-during-restore") {
    s.fw.hang_on_cmd_word = CmdWord::Uni(uni::kBssInfoUpdate).raw;
    s.fw.hang_in_restore_times = 1;
    s.sections.push_back({At(10000), {C(BssInfo(0))}});
  } else if (name == "fw-assert") {
    s.fw.assert_at_cmd = 1;  // the first command after the setup asserts
    s.sections.push_back({At(10000), {C(BssInfo(0)), C(StaRec(0, 0, false))}});
  } else if (name == "always-dead") {
    s.fw.hang_on_cmd_word = CmdWord::Uni(uni::kBssInfoUpdate).raw;
    s.fw.hang_in_restore_times = 0xffffffffu;
    s.end = At(600000);
    s.sections.push_back({At(10000), {C(BssInfo(0))}});
  }
  if (o.failed_wfsys_steps > 0) {
    s.fw.step_failures[static_cast<size_t>(ResetStep::kWfsys)] =
        static_cast<uint8_t>(o.failed_wfsys_steps);
  }
  if (o.hang_at_roam_cmd > 0) {
    s.fw.hang_on_bss_after_sta_remove = false;
    s.fw.hang_at_cmd = static_cast<uint32_t>(o.hang_at_roam_cmd);  // counted after the setup
  }
  if (o.hang_at_restore_cmd > 0) {
    s.fw.hang_in_restore_times = 1;
    s.fw.restore_hang_cmd = static_cast<uint32_t>(o.hang_at_restore_cmd);
  }
  return s;
}

// What both hosts share: the firmware, the key table, the restore record and the metrics.
class Host {
 public:
  Host(const Scenario& s, Metrics* m, const Options& o) : sc_(s), fw_(s.fw), m_(m), opts_(o) {}
  virtual ~Host() = default;
  virtual void Run() = 0;

 protected:
  void Log(const std::string& what) { m_->timeline.push_back({Ms(now_), what}); }

  // Setup: the device, then per link BSS, station, pairwise and group keys.
  std::vector<Cmd> SetupCmds() {
    std::vector<Cmd> cmds = {DevInfo()};
    rec_.SetDevice(Mac(0xaa, 0)).IgnoreError();
    for (uint8_t l = 0; l < sc_.links; ++l) {
      KeyActionList& acts = *acts_;
      acts.size = 0;
      keys_.LinkAdd(l, Bssid(l), &acts).IgnoreError();
      keys_.StaAdd(l, ApSta(l), &acts).IgnoreError();
      rec_.LinkJoining(l, Bssid(l), l).IgnoreError();
      rec_.LinkAssociated(l, ApSta(l), l == 0).IgnoreError();
      cmds.push_back(BssInfo(l));
      cmds.push_back(StaRec(l, l, false));
    }
    KeyActionList& acts = *acts_;
    acts.size = 0;
    KeyConf ptk = MakeKey(suite::kCcmp, 0, -1, 16);
    keys_.SetKey(KeyCmd::kSet, ptk, &acts).IgnoreError();
    for (Cmd& c : KeyCmds(&acts)) cmds.push_back(std::move(c));
    for (uint8_t l = 0; l < sc_.links; ++l) {
      acts.size = 0;
      keys_.SetKey(KeyCmd::kSet, MakeKey(suite::kCcmp, 1, static_cast<int8_t>(l), 16), &acts)
          .IgnoreError();
      keys_.SetKey(KeyCmd::kSet, MakeKey(suite::kAesCmac, 4, static_cast<int8_t>(l), 16), &acts)
          .IgnoreError();
      for (Cmd& c : KeyCmds(&acts)) cmds.push_back(std::move(c));
    }
    return cmds;
  }

  static KeyConf MakeKey(uint32_t suite_sel, uint8_t idx, int8_t link, uint8_t len) {
    KeyConf k;
    k.cipher = suite_sel;
    k.keyidx = idx;
    k.link_id = link;
    k.key_len = len;
    for (uint8_t i = 0; i < len; ++i)
      k.key[i] = static_cast<uint8_t>(0x40 + 16 * idx + i + (link < 0 ? 0 : 3 * link));
    return k;
  }

  // The roam tore `link` down: the host forgets it (keys, station, record).
  void TearDownLink(uint8_t link) {
    keys_.LinkRemove(link).IgnoreError();
    rec_.LinkRemoved(link);
    Log(absl::StrCat("link ", link, " torn down by the roam"));
  }
  void JoinLink(uint8_t link) {
    // A new AP link that has not finished associating: a half-finished roam.
    rec_.LinkJoining(link, Mac(0x03, link), link).IgnoreError();
  }

  // Compares what the host believes is installed with what the firmware holds. A firmware
  // that is not running holds no usable key (any reset wipes it), so only the host side counts.
  void CheckKeys() {
    const bool fw_counts = fw_.running();
    for (uint8_t w = 0; w < kWtblSize; ++w) {
      const KeyTable::Wcid& hw = keys_.wcid(w);
      for (int s = 0; s < 2; ++s) {
        const bool host = hw.used && hw.slot[s].keyidx != kNoKey;
        const FwSim::FwKey& fk = fw_.key(w, s);
        if (host && (!fk.present || !fw_counts)) ++m_->keys_lost;
        if (fw_counts && !host && fk.present) ++m_->stale_keys;
        if (fw_counts && host && fk.present && s == 0 && fk.key_id != hw.slot[s].keyidx)
          ++m_->stale_keys;
      }
    }
  }

  void Finish(const std::string& state) {
    m_->final_state = state;
    if (m_->first_unanswered_ms >= 0) {
      const double end = m_->restored_ms >= 0 ? m_->restored_ms : Ms(now_);
      m_->outage_ms = end - m_->first_unanswered_ms;
    }
    m_->resets = static_cast<int>(fw_.counters().reloads);
    m_->commands = static_cast<int>(fw_.counters().commands + fw_.counters().swallowed);
    CheckKeys();
  }

  const Scenario& sc_;
  FwSim fw_;
  KeyTable keys_;
  RestoreRecord rec_;
  std::unique_ptr<KeyActionList> acts_ = std::make_unique<KeyActionList>();
  Metrics* m_;
  Options opts_;
  Instant now_;
};

// ---------------------------------------------------------------------------------------
// The connac policy: InflightTable + ResetSequencer, event-driven.

class ConnacHost : public Host {
 public:
  ConnacHost(const Scenario& s, Metrics* m, const Options& o)
      : Host(s, m, o), seq_(MakeConfig(o)) {}

  void Run() override {
    sections_.push_back(Section{Instant{0}, {}});
    for (Cmd& c : SetupCmds()) sections_[0].items.push_back(C(std::move(c)));
    for (const Section& s : sc_.sections) sections_.push_back(s);
    for (;;) {
      const Instant next = Next();
      if (next.is_never() || sc_.end < next) break;
      now_ = std::max(now_, next);
      Step();
      if (seq_.state() == ResetState::kWedged) break;
      if (Done()) break;
    }
    m_->attempts = static_cast<int>(seq_.counters().attempts);
    m_->failed_attempts = static_cast<int>(seq_.counters().failed_attempts);
    m_->recoveries = static_cast<int>(seq_.counters().recoveries);
    m_->relapses = static_cast<int>(seq_.counters().quick_relapses);
    Finish(ResetStateName(seq_.state()));
  }

 private:
  static ResetConfig MakeConfig(const Options& o) {
    ResetConfig c;
    if (o.probe) {
      c.suspect = Duration::Millis(300);
      c.probe_window = Duration::Millis(200);
    }
    return c;
  }

  bool Done() const {
    return sec_ >= sections_.size() && !waiting_ && !restoring_ && !step_active_ &&
           seq_.state() == ResetState::kRunning && fw_.NextEventAt().is_never();
  }

  Instant OldestOutstanding() const {
    Instant t = Instant::Never();
    for (const auto& [gen, sent] : sent_at_) t = Earlier(t, sent);
    return t;
  }

  Instant Next() const {
    Instant t = Instant::Never();
    if (sec_ < sections_.size() && !waiting_) {
      const Instant ready = item_ == 0 ? std::max(sections_[sec_].start, work_until_) : work_until_;
      t = Earlier(t, std::max(ready, now_));
    }
    t = Earlier(t, fw_.NextEventAt());
    t = Earlier(t, table_.NextDeadline());
    t = Earlier(t, seq_.NextDeadline(OldestOutstanding()));
    if (step_active_) t = Earlier(t, step_done_);
    return t;
  }

  void Step() {
    // 1. Events from the firmware.
    uint8_t ev[FwSim::kEventSize];
    for (;;) {
      Result<size_t> n = fw_.PollEvent(now_, MutableBytes(ev));
      if (!n.ok()) break;
      const EventOutcome o = table_.OnEvent(ConstBytes(ev, *n));
      if (o.kind == EventOutcome::kUnsolicited) {
        Result<McuEvent> e = ParseEvent(kMt7925, ConstBytes(ev, *n));
        if (e.ok() && e->eid == uni_event::kCoredump) {
          Log("firmware assert (COREDUMP event)");
          MarkFirstUnanswered(now_);
          Handle(seq_.OnAssert(now_));
        }
      } else if (o.kind == EventOutcome::kCompleted) {
        Completed(o.ticket, true);
      }
    }
    // 2. A reset step finished.
    if (step_active_ && step_done_ <= now_) {
      step_active_ = false;
      if (step_ == ResetStep::kReady && step_ok_) {
        m_->fw_reloaded_ms = Ms(now_);
        Log("firmware reloaded");
      }
      if (!step_ok_) Log(absl::StrCat("reset step ", ResetStepName(step_), " failed"));
      Handle(seq_.OnStepResult(step_, step_ok_, now_));
    }
    // 3. Deadlines.
    Ticket expired[4];
    const size_t n = table_.Expire(now_, expired, 4);
    for (size_t i = 0; i < n; ++i) {
      ++m_->timeouts_paid;
      Log(absl::StrFormat("Message %08x (seq %d) timeout", expired[i].cmd.raw, expired[i].seq));
      MarkFirstUnanswered(sent_at_[expired[i].generation]);
      Completed(expired[i], false);
      Handle(seq_.OnTimeout(now_));
    }
    Handle(seq_.OnTick(now_, OldestOutstanding()));
    // 4. The workload.
    RunSections();
  }

  void MarkFirstUnanswered(Instant sent) {
    if (m_->first_unanswered_ms < 0) m_->first_unanswered_ms = Ms(sent);
  }

  void Completed(const Ticket& t, bool ok) {
    sent_at_.erase(t.generation);
    if (waiting_ && t == wait_ticket_) {
      waiting_ = false;
      ++item_;
    } else if (restore_waiting_ && t == restore_ticket_) {
      restore_waiting_ = false;
      if (ok) {
        ++restore_idx_;
        RestoreNext();
      }
      // A timeout here reaches the sequencer as a crash during restore.
    }
  }

  void RunSections() {
    while (sec_ < sections_.size() && !waiting_) {
      const Section& s = sections_[sec_];
      if (item_ == 0 && now_ < s.start) return;
      if (now_ < work_until_) return;
      if (item_ >= s.items.size()) {
        ++sec_;
        item_ = 0;
        continue;
      }
      const Item& it = s.items[item_];
      switch (it.kind) {
        case Item::kWork:
          work_until_ = now_ + it.work;
          ++item_;
          return;
        case Item::kTearDownLink:
          TearDownLink(it.link);
          ++item_;
          continue;
        case Item::kJoinLink:
          JoinLink(it.link);
          ++item_;
          continue;
        case Item::kCmd:
          if (!seq_.Admit().ok()) {
            Log(absl::StrCat(it.cmd.label, ": -ESHUTDOWN at once (firmware dead)"));
            ++item_;
            continue;
          }
          if (!Send(it.cmd, &wait_ticket_)) {
            ++item_;
            continue;
          }
          waiting_ = true;
          return;
      }
    }
  }

  bool Send(const Cmd& c, Ticket* t) {
    Result<Ticket> tk = table_.Arm(c.word, now_);
    if (!tk.ok()) return false;
    std::vector<uint8_t> frame(HeaderSizeFor(c.word) + c.payload.size());
    Result<size_t> n =
        EncodeFrame(kMt7925, c.word, tk->seq, ConstBytes(c.payload.data(), c.payload.size()),
                    MutableBytes(frame.data(), frame.size()));
    if (!n.ok()) return false;
    sent_at_[tk->generation] = now_;
    fw_.Receive(ConstBytes(frame.data(), *n), now_);
    *t = *tk;
    return true;
  }

  void Handle(const ResetActions& a) {
    if (a.empty()) return;
    if (a.has(ResetActions::kFailPending)) {
      if (m_->detected_ms < 0) m_->detected_ms = Ms(now_);
      if (fw_.running()) ++m_->false_resets;
      Ticket failed[4];
      const size_t n = table_.FailAll(failed, 4);
      Log(absl::StrCat("firmware declared dead: ", n,
                       " pending command(s) failed with -ESHUTDOWN"));
      for (size_t i = 0; i < n; ++i) {
        MarkFirstUnanswered(sent_at_[failed[i].generation]);
        Completed(failed[i], false);
      }
    }
    if (a.has(ResetActions::kProbe)) {
      Log("liveness probe");
      // A live firmware answers the heartbeat at once; a dead one never does, and the
      // sequencer's probe window runs out (OnTick).
      if (fw_.Probe()) Handle(seq_.OnProbeResult(true, now_));
    }
    if (a.has(ResetActions::kRunStep)) {
      step_ = a.step;
      if (a.step == ResetStep::kRestore) {
        BeginRestore();
      } else {
        if (a.step == ResetStep::kWfsys) {
          keys_.BeginReset();
          restoring_ = false;
          restore_waiting_ = false;
          Log(absl::StrCat("reset attempt ", seq_.report().attempts, ": WFSYS reset"));
        }
        const FwSim::StepOutcome o = fw_.RunStep(a.step, now_);
        step_active_ = true;
        step_done_ = o.done;
        step_ok_ = o.ok;
      }
    }
    if (a.has(ResetActions::kReport)) {
      if (seq_.report().recovered) {
        m_->restored_ms = Ms(now_);
        restoring_ = false;
        Log("restored: device, BSS, stations and keys replayed");
      } else {
        // The device is gone: mac80211 is told to drop the association, so the host's
        // keys go too (nothing is left believed-installed).
        keys_.Clear();
        Log("WEDGED: reset attempts exhausted; association dropped");
      }
    }
  }

  void BeginRestore() {
    restore_.clear();
    const RestoreRecord::Plan p = rec_.MakePlan();
    for (size_t i = 0; i < p.size; ++i) {
      const RestoreRecord::Item& it = p.items[i];
      switch (it.kind) {
        case RestoreRecord::ItemKind::kDevice: restore_.push_back(DevInfo()); break;
        case RestoreRecord::ItemKind::kBss:
          restore_.push_back(BssInfo(rec_.link(it.link).bss_idx));
          break;
        case RestoreRecord::ItemKind::kSta:
          restore_.push_back(
              StaRec(rec_.link(it.link).bss_idx, keys_.link(it.link).sta_wcid, false));
          break;
        case RestoreRecord::ItemKind::kKeys: {
          KeyActionList& acts = *acts_;
          acts.size = 0;
          keys_.ReplayAfterReset(&acts).IgnoreError();
          const size_t before = restore_.size();
          for (Cmd& c : KeyCmds(&acts)) restore_.push_back(std::move(c));
          keys_replayed_ = static_cast<int>(restore_.size() - before);
          break;
        }
      }
    }
    restoring_ = true;
    restore_idx_ = 0;
    Log(absl::StrCat("restore: ", restore_.size(), " commands"));
    RestoreNext();
  }

  void RestoreNext() {
    if (!restoring_) return;
    if (restore_idx_ >= restore_.size()) {
      m_->keys_restored += keys_replayed_;
      Handle(seq_.OnStepResult(ResetStep::kRestore, true, now_));
      return;
    }
    if (Send(restore_[restore_idx_], &restore_ticket_)) restore_waiting_ = true;
  }

  InflightTable<4> table_{kMt7925};
  ResetSequencer seq_;
  std::vector<Section> sections_;
  size_t sec_ = 0;
  size_t item_ = 0;
  Instant work_until_;
  bool waiting_ = false;
  Ticket wait_ticket_;
  std::map<uint32_t, Instant> sent_at_;
  bool step_active_ = false;
  ResetStep step_ = ResetStep::kWfsys;
  Instant step_done_;
  bool step_ok_ = false;
  bool restoring_ = false;
  bool restore_waiting_ = false;
  Ticket restore_ticket_;
  std::vector<Cmd> restore_;
  size_t restore_idx_ = 0;
  int keys_replayed_ = 0;
};

// ---------------------------------------------------------------------------------------
// The mt76 policy: blocking sends under one mutex.

class Mt76Host : public Host {
 public:
  using Host::Host;

  void Run() override {
    RunCritical(SetupCmdItems());
    for (const Section& s : sc_.sections) {
      if (sc_.end < now_) break;
      now_ = std::max(now_, s.start);
      RunCritical(s.items);
    }
    // Reset work and reconnects continue after the workload.
    while (reset_pending_ && now_ < sc_.end) {
      RunCritical({});
    }
    Finish(dead_ ? "DEAD" : (fw_.running() ? "RUNNING" : "HUNG"));
  }

 private:
  std::vector<Item> SetupCmdItems() {
    std::vector<Item> items;
    for (Cmd& c : SetupCmds()) items.push_back(C(std::move(c)));
    return items;
  }

  // One critical section under mt76.mutex, then the reset work if a timeout queued it.
  void RunCritical(const std::vector<Item>& items) {
    for (const Item& it : items) {
      switch (it.kind) {
        case Item::kWork: now_ = now_ + it.work; break;
        case Item::kTearDownLink: TearDownLink(it.link); break;
        case Item::kJoinLink: JoinLink(it.link); break;
        case Item::kCmd: SendAndWait(it.cmd); break;
      }
    }
    if (assert_at_.ns != 0 && !reset_pending_) {
      // mt7925_coredump_work: 4 x HZ/20 of quiet, then the reset.
      now_ = std::max(now_, assert_at_ + kMt76CoredumpQuiet);
      reset_pending_ = true;
    }
    if (reset_pending_) ResetWork();
  }

  bool SendAndWait(const Cmd& c) {
    const uint8_t seq = seqs_.Next();
    std::vector<uint8_t> frame(HeaderSizeFor(c.word) + c.payload.size());
    Result<size_t> n =
        EncodeFrame(kMt7925, c.word, seq, ConstBytes(c.payload.data(), c.payload.size()),
                    MutableBytes(frame.data(), frame.size()));
    if (!n.ok()) return false;
    const Instant sent = now_;
    fw_.Receive(ConstBytes(frame.data(), *n), now_);
    const Instant deadline = now_ + kMt76Timeout;
    uint8_t ev[FwSim::kEventSize];
    for (;;) {
      const Instant t = fw_.NextEventAt();
      if (t.is_never() || deadline < t) break;
      now_ = std::max(now_, t);
      Result<size_t> len = fw_.PollEvent(now_, MutableBytes(ev));
      if (!len.ok()) continue;
      Result<McuEvent> e = ParseEvent(kMt7925, ConstBytes(ev, *len));
      if (e.ok() && e->unsolicited() && e->eid == uni_event::kCoredump) {
        Log("firmware assert (COREDUMP event)");
        if (m_->first_unanswered_ms < 0) m_->first_unanswered_ms = Ms(now_);
        if (m_->detected_ms < 0) m_->detected_ms = Ms(now_);
        assert_at_ = now_;
        continue;
      }
      const Response r = ParseResponse(kMt7925, c.word, seq, ConstBytes(ev, *len));
      if (r.verdict == Verdict::kDone) return true;
    }
    now_ = deadline;
    ++m_->timeouts_paid;
    Log(absl::StrFormat("Message %08x (seq %d) timeout", c.word.raw, seq));
    if (m_->first_unanswered_ms < 0) m_->first_unanswered_ms = Ms(sent);
    if (m_->detected_ms < 0) m_->detected_ms = Ms(now_);
    if (!in_reset_) reset_pending_ = true;  // mt792x_reset only queues the work
    return false;
  }

  // mt7925_mac_reset_work: up to 10 chip resets back to back, then re-add dev/BSS, then
  // ieee80211_disconnect(reconnect=true); the supplicant reassociates and sets the keys.
  void ResetWork() {
    reset_pending_ = false;
    in_reset_ = true;
    if (fw_.running()) ++m_->false_resets;
    bool ok = false;
    for (int i = 0; i < kMt76ChipResetTries && !ok; ++i) {
      ok = true;
      for (ResetStep st : {ResetStep::kWfsys, ResetStep::kSemaphore, ResetStep::kPatch,
                           ResetStep::kRam, ResetStep::kReady}) {
        const FwSim::StepOutcome o = fw_.RunStep(st, now_);
        now_ = o.done;
        if (!o.ok) {
          ok = false;
          Log(absl::StrCat("chip reset try ", i + 1, ": ", ResetStepName(st), " failed"));
          break;
        }
      }
    }
    keys_.BeginReset();
    if (!ok) {
      Log("chip reset failed");
      dead_ = true;
      in_reset_ = false;
      return;
    }
    m_->fw_reloaded_ms = Ms(now_);
    Log("firmware reloaded (HW/SW Version, WM Firmware Version)");
    in_reset_ = false;
    assert_at_ = Instant{};
    // vif_connect_iter: DEV_INFO + BSS per valid link, without the supplicant's keys.
    std::vector<Cmd> readd = {DevInfo()};
    for (uint8_t l = 0; l < kMaxMloLinks; ++l) {
      if (rec_.link(l).phase == RestoreRecord::LinkPhase::kAssociated)
        readd.push_back(BssInfo(rec_.link(l).bss_idx));
    }
    for (const Cmd& c : readd) SendAndWait(c);  // a hang here queues the next reset
    now_ = now_ + kMt76DisconnectDelay;
    Log("Driver requested disconnection");
    // mac80211 drops the keys with the association; the host table follows.
    keys_.Clear();
    if (reset_pending_) return;  // hung again: no reassociation until the next reset
    now_ = now_ + kMt76ReassocTime;
    Log("associated (MLD reassociated)");
    // The supplicant installs the pairwise and group keys again.
    std::vector<Cmd> again;
    for (uint8_t l = 0; l < kMaxMloLinks; ++l) {
      if (rec_.link(l).phase != RestoreRecord::LinkPhase::kAssociated) continue;
      KeyActionList& acts = *acts_;
      acts.size = 0;
      keys_.LinkAdd(l, Bssid(l), &acts).IgnoreError();
      keys_.StaAdd(l, ApSta(l), &acts).IgnoreError();
      again.push_back(StaRec(rec_.link(l).bss_idx, keys_.link(l).sta_wcid, false));
    }
    KeyActionList& acts = *acts_;
    acts.size = 0;
    keys_.SetKey(KeyCmd::kSet, MakeKey(suite::kCcmp, 0, -1, 16), &acts).IgnoreError();
    for (uint8_t l = 0; l < kMaxMloLinks; ++l) {
      if (rec_.link(l).phase != RestoreRecord::LinkPhase::kAssociated) continue;
      keys_.SetKey(KeyCmd::kSet, MakeKey(suite::kCcmp, 1, static_cast<int8_t>(l), 16), &acts)
          .IgnoreError();
      keys_.SetKey(KeyCmd::kSet, MakeKey(suite::kAesCmac, 4, static_cast<int8_t>(l), 16), &acts)
          .IgnoreError();
    }
    std::vector<Cmd> key_cmds = KeyCmds(&acts);
    for (const Cmd& c : again) {
      if (!SendAndWait(c)) return;
    }
    for (const Cmd& c : key_cmds) {
      if (!SendAndWait(c)) return;
      ++m_->keys_restored;
    }
    m_->restored_ms = Ms(now_);
    Log("keys installed by the supplicant: link back");
  }

  SeqAllocator seqs_;
  bool reset_pending_ = false;
  bool in_reset_ = false;
  bool dead_ = false;
  Instant assert_at_;
};

}  // namespace

const std::vector<std::string>& ScenarioNames() {
  static const std::vector<std::string> kNames = {
      "mlo-roam-hang",        "scan-timeout", "healthy-slow", "reset-step-fails",
      "crash-during-restore", "fw-assert",    "always-dead"};
  return kNames;
}

bool IsScenario(const std::string& name) {
  const auto& n = ScenarioNames();
  return std::find(n.begin(), n.end(), name) != n.end();
}

Metrics Run(const std::string& scenario, Policy policy, const Options& opts) {
  Metrics m;
  m.scenario = scenario;
  m.policy = policy == Policy::kConnac ? "connac" : "mt76";
  const Scenario s = MakeScenario(scenario, opts);
  std::unique_ptr<Host> h;
  if (policy == Policy::kConnac) {
    h = std::make_unique<ConnacHost>(s, &m, opts);
  } else {
    h = std::make_unique<Mt76Host>(s, &m, opts);
  }
  h->Run();
  return m;
}

std::string ToJson(const Metrics& m) {
  auto num = [](double v) { return v < 0 ? std::string("null") : absl::StrFormat("%.1f", v); };
  std::string j = absl::StrFormat(
      "{\"scenario\":\"%s\",\"policy\":\"%s\",\"first_unanswered_ms\":%s,\"detected_ms\":%s,"
      "\"fw_reloaded_ms\":%s,\"restored_ms\":%s,\"outage_ms\":%s,\"timeouts_paid\":%d,\"resets\":%"
      "d,"
      "\"false_resets\":%d,\"keys_restored\":%d,\"keys_lost\":%d,\"stale_keys\":%d,\"final_state\":"
      "\"%s\","
      "\"commands\":%d,\"timeline\":[",
      m.scenario, m.policy, num(m.first_unanswered_ms), num(m.detected_ms), num(m.fw_reloaded_ms),
      num(m.restored_ms), num(m.outage_ms), m.timeouts_paid, m.resets, m.false_resets,
      m.keys_restored, m.keys_lost, m.stale_keys, m.final_state, m.commands);
  for (size_t i = 0; i < m.timeline.size(); ++i) {
    absl::StrAppendFormat(&j, "%s{\"t_ms\":%.1f,\"event\":\"%s\"}", i ? "," : "",
                          m.timeline[i].t_ms, m.timeline[i].what);
  }
  j += "]}";
  return j;
}

std::string ToText(const Metrics& m) {
  auto num = [](double v) { return v < 0 ? std::string("-") : absl::StrFormat("%.1f ms", v); };
  std::string t = absl::StrFormat("scenario %s, policy %s: final state %s\n", m.scenario, m.policy,
                                  m.final_state);
  absl::StrAppendFormat(
      &t, "  first unanswered %s, detected %s, firmware reloaded %s, restored %s\n",
      num(m.first_unanswered_ms), num(m.detected_ms), num(m.fw_reloaded_ms), num(m.restored_ms));
  absl::StrAppendFormat(
      &t,
      "  outage %s, timeouts paid %d, resets %d (false %d), keys restored %d, lost %d, stale %d\n",
      num(m.outage_ms), m.timeouts_paid, m.resets, m.false_resets, m.keys_restored, m.keys_lost,
      m.stale_keys);
  const size_t shown = std::min<size_t>(m.timeline.size(), 40);
  for (size_t i = 0; i < shown; ++i)
    absl::StrAppendFormat(&t, "  %10.1f ms  %s\n", m.timeline[i].t_ms, m.timeline[i].what);
  if (shown < m.timeline.size())
    absl::StrAppendFormat(&t, "  ... %d more events\n", m.timeline.size() - shown);
  return t;
}

}  // namespace connac::sim
