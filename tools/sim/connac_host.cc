// File: tools/sim/connac_host.cc
//
// The connac policy: the workload runs through connac::Device on the firmware simulator
// (connac/testing/fwsim_host.h, the same adapter the tests use). This file only does I/O and
// bookkeeping: it submits the workload's commands one at a time, as a driver under its mutex
// does, and turns the Device's actions into the timeline and the metrics. Every recovery
// decision (fail fast, the reset steps, the restore and key replay) is the Device's.

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "connac/device.h"
#include "connac/mcu_event.h"
#include "connac/mcu_ids.h"
#include "connac/reset.h"
#include "connac/testing/fwsim_host.h"
#include "tools/sim/host.h"

namespace connac::sim {
namespace {

using Kind = DeviceAction::Kind;

DeviceConfig MakeConfig(const Options& o) {
  DeviceConfig c;
  if (o.probe) {
    c.reset.suspect = Duration::Millis(300);
    c.reset.probe_window = Duration::Millis(200);
  }
  return c;
}

class ConnacHost {
 public:
  ConnacHost(const Scenario& s, const Options& o, Metrics* m)
      : sc_(s), rec_(m), host_(std::make_unique<testing::FwSimHost<>>(s.fw, MakeConfig(o))) {
    host_->SetObserver(&ConnacHost::OnAction, this, &ConnacHost::OnStep);
  }

  void Run() {
    Setup();
    for (const Section& s : sc_.sections) sections_.push_back(s);
    for (;;) {
      const Instant next = Next();
      if (next.is_never() || sc_.end < next) break;
      host_->AdvanceTo(next);
      RunSections();
      if (dev().state() == ResetState::kWedged || Done()) break;
    }
    Metrics& m = rec_.metrics();
    const ResetCounters& c = dev().sequencer().counters();
    m.attempts = static_cast<int>(c.attempts);
    m.failed_attempts = static_cast<int>(c.failed_attempts);
    m.recoveries = static_cast<int>(c.recoveries);
    m.relapses = static_cast<int>(c.quick_relapses);
    m.keys_restored = static_cast<int>(dev().counters().keys_replayed);
    m.timeouts_paid = static_cast<int>(dev().txn().counters().timeouts);
    rec_.Finish(ResetStateName(dev().state()), host_->now(), host_->fw(), dev().keys());
  }

 private:
  // A workload step: a command, host work, a link change, or a key operation.
  struct Step {
    enum Kind { kItem, kLinkUp, kKey } kind = kItem;
    Item item;
    uint8_t link = 0;
    KeyConf key;
  };

  Device<>& dev() { return host_->dev(); }
  const Device<>& dev() const { return host_->dev(); }

  // The association: the device, per link its BSS and station (records in the Device, then
  // the BSS_INFO and STA_REC commands), then the keys through the Device.
  void Setup() {
    Section setup{Instant{0}, {}};
    sections_.push_back(setup);
    setup_.push_back(ItemStep(C(DevInfo())));
    for (uint8_t l = 0; l < sc_.links; ++l) {
      Step up;
      up.kind = Step::kLinkUp;
      up.link = l;
      setup_.push_back(up);
    }
    for (const KeyConf& k : SetupKeys(sc_.links)) {
      Step s;
      s.kind = Step::kKey;
      s.key = k;
      setup_.push_back(s);
    }
    dev().SetDevice(Mac(0xaa, 0));
  }

  static Step ItemStep(Item it) {
    Step s;
    s.item = std::move(it);
    return s;
  }

  bool Done() const {
    return sec_ >= sections_.size() && !waiting_ && !key_waiting_ && !dev().key_op_active() &&
           dev().state() == ResetState::kRunning && host_->fw().NextEventAt().is_never();
  }

  Instant Next() const {
    Instant t = host_->NextDue();
    if (sec_ < sections_.size() && !waiting_ && !key_waiting_) {
      const Instant ready = item_ == 0 ? std::max(sections_[sec_].start, work_until_) : work_until_;
      t = Earlier(t, std::max(ready, host_->now()));
    }
    return t;
  }

  // The current section's steps: the setup's own list, or the scenario's items.
  size_t StepCount() const { return sec_ == 0 ? setup_.size() : sections_[sec_].items.size(); }
  Step StepAt(size_t i) const { return sec_ == 0 ? setup_[i] : ItemStep(sections_[sec_].items[i]); }

  void RunSections() {
    const Instant now = host_->now();
    while (sec_ < sections_.size() && !waiting_ && !key_waiting_) {
      if (item_ == 0 && now < sections_[sec_].start) return;
      if (now < work_until_) return;
      if (item_ >= StepCount()) {
        ++sec_;
        item_ = 0;
        continue;
      }
      const Step st = StepAt(item_);
      if (st.kind == Step::kLinkUp) {
        LinkUp(st.link);
        ++item_;
        continue;
      }
      if (st.kind == Step::kKey) {
        const KeyConf k = st.key;
        const Status s =
            host_->Do([&k](Device<>& d, Instant t) { return d.SetKey(KeyCmd::kSet, k, t); });
        ++item_;
        if (s.ok() && dev().key_op_active()) key_waiting_ = true;
        continue;
      }
      const Item& it = st.item;
      switch (it.kind) {
        case Item::kWork:
          work_until_ = now + it.work;
          ++item_;
          return;
        case Item::kTearDownLink:
          dev().LinkRemove(it.link).IgnoreError();
          rec_.Log(now, absl::StrCat("link ", it.link, " torn down by the roam"));
          ++item_;
          continue;
        case Item::kJoinLink:
          // A new AP link that has not finished associating: a half-finished roam.
          host_
              ->Do([&it](Device<>& d, Instant t) {
                return d.LinkAdd(it.link, Mac(0x03, it.link), t);
              })
              .IgnoreError();
          ++item_;
          continue;
        case Item::kCmd: {
          Result<Ticket> t =
              host_->Submit(it.cmd.word, ConstBytes(it.cmd.payload.data(), it.cmd.payload.size()));
          ++item_;
          if (!t.ok()) {
            if (t.status() == Errno::kShutdown) {
              rec_.Log(now, absl::StrCat(it.cmd.label, ": -ESHUTDOWN at once (firmware dead)"));
            }
            continue;
          }
          sent_at_[t->generation] = now;
          wait_ticket_ = *t;
          waiting_ = true;
          return;
        }
      }
    }
  }

  // Link `l` comes up: its BSS entry and station in the Device, then the driver's BSS_INFO
  // and STA_REC for it (sent by the next steps).
  void LinkUp(uint8_t l) {
    uint8_t bss = 0;
    host_->Do([&](Device<>& d, Instant t) { return d.LinkAdd(l, Bssid(l), t, &bss); })
        .IgnoreError();
    host_->Do([&](Device<>& d, Instant t) { return d.StaAdd(l, ApSta(l), t); }).IgnoreError();
    dev().LinkAssociated(l, ApSta(l), l == 0).IgnoreError();
    const uint8_t wcid = dev().keys().link(l).sta_wcid;
    // Insert the two commands right after this step.
    const auto at = setup_.begin() + static_cast<std::ptrdiff_t>(item_ + 1);
    setup_.insert(at, {ItemStep(C(BssInfo(bss))), ItemStep(C(StaRec(bss, wcid, false)))});
  }

  static void OnAction(void* ctx, const DeviceAction& a, Instant now) {
    static_cast<ConnacHost*>(ctx)->Observe(a, now);
  }
  static void OnStep(void* ctx, ResetStep step, bool ok, Instant now) {
    auto* h = static_cast<ConnacHost*>(ctx);
    if (step == ResetStep::kReady && ok) {
      h->rec_.metrics().fw_reloaded_ms = Ms(now);
      h->rec_.Log(now, "firmware reloaded");
    }
    if (!ok) h->rec_.Log(now, absl::StrCat("reset step ", ResetStepName(step), " failed"));
  }

  void Observe(const DeviceAction& a, Instant now) {
    switch (a.kind) {
      case Kind::kComplete:
      case Kind::kFail: {
        const auto sent = sent_at_.find(a.ticket.generation);
        if (a.kind == Kind::kFail) {
          if (sent != sent_at_.end()) rec_.FirstUnanswered(sent->second);
          if (a.status == -static_cast<int32_t>(Errno::kTimedOut)) {
            rec_.Log(now, absl::StrFormat("Message %08x (seq %d) timeout", a.ticket.cmd.raw,
                                          a.ticket.seq));
          } else {
            ++failed_fast_;
          }
        }
        if (sent != sent_at_.end()) sent_at_.erase(sent);
        if (waiting_ && a.ticket == wait_ticket_) waiting_ = false;
        break;
      }
      case Kind::kStopTx:
        rec_.Detected(now);
        if (host_->fw().running()) ++rec_.metrics().false_resets;
        rec_.Log(now, absl::StrCat("firmware declared dead: ", failed_fast_,
                                   " pending command(s) failed with -ESHUTDOWN"));
        failed_fast_ = 0;
        break;
      case Kind::kRunStep:
        if (a.step == ResetStep::kWfsys) {
          restore_logged_ = false;
          rec_.Log(now, absl::StrCat("reset attempt ", dev().sequencer().report().attempts,
                                     ": WFSYS reset"));
        }
        break;
      case Kind::kSend:
        if (a.is_restore && !restore_logged_) {
          restore_logged_ = true;
          rec_.Log(now, "restore: device, BSS and stations, then the keys");
        }
        break;
      case Kind::kProbe: rec_.Log(now, "liveness probe"); break;
      case Kind::kUnsolicited: {
        const Result<McuEvent> e = ParseEvent(kMt7925, a.event);
        if (e.ok() && e->eid == uni_event::kCoredump) {
          rec_.Log(now, "firmware assert (COREDUMP event)");
          rec_.FirstUnanswered(now);
        }
        break;
      }
      case Kind::kReport:
        if (a.wedged) {
          rec_.Log(now, "WEDGED: reset attempts exhausted; association dropped");
        } else {
          rec_.metrics().restored_ms = Ms(now);
          rec_.Log(now, "restored: device, BSS, stations and keys replayed");
        }
        break;
      case Kind::kKeyOpDone: key_waiting_ = false; break;
      case Kind::kResumeTx:
      case Kind::kNone: break;
    }
  }

  const Scenario& sc_;
  Recorder rec_;
  std::unique_ptr<testing::FwSimHost<>> host_;
  std::vector<Section> sections_;  // [0]: the setup, whose steps are setup_
  std::vector<Step> setup_;
  size_t sec_ = 0;
  size_t item_ = 0;
  Instant work_until_;
  bool waiting_ = false;
  bool key_waiting_ = false;
  Ticket wait_ticket_;
  std::map<uint32_t, Instant> sent_at_;
  int failed_fast_ = 0;
  bool restore_logged_ = false;
};

}  // namespace

Metrics RunConnac(const Scenario& s, const Options& o, Metrics m) {
  ConnacHost h(s, o, &m);
  h.Run();
  return m;
}

}  // namespace connac::sim
