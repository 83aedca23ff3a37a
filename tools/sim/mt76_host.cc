// File: tools/sim/mt76_host.cc
//
// A model of today's mt792x driver (no connac), the baseline of the recovery comparison: one
// mutex held across a critical section, a blocking send that waits 3 s for every command, a
// timeout that only queues the reset work, which runs when the mutex frees; up to 10 chip
// resets back to back; then DEV_INFO/BSS per link and a forced reconnect, after which the
// supplicant reassociates and installs the keys again. Calibrated on the #1036 timeline
// (docs/reset.md, Sources) and on the stock driver on the rig (docs/rig.md); what differs
// between the two setups is the scenario's Mt76Timing and firmware reload time. The key table here
// is the driver's and mac80211's bookkeeping of what is installed, for the final key check; no
// connac recovery logic runs.

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "connac/keys.h"
#include "connac/mcu_event.h"
#include "connac/mcu_frame.h"
#include "connac/mcu_ids.h"
#include "connac/mcu_response.h"
#include "connac/mcu_txn.h"
#include "connac/reset.h"
#include "connac/testing/fwsim.h"
#include "tools/sim/host.h"

namespace connac::sim {
namespace {

constexpr Duration kMt76Timeout = Duration::Seconds(3);
constexpr int kMt76ChipResetTries = 10;
// mt7925_coredump_work waits for 4 x HZ/20 of quiet before it resets.
constexpr Duration kMt76CoredumpQuiet = Duration::Millis(200);

class Mt76Host {
 public:
  Mt76Host(const Scenario& s, Metrics* m) : sc_(s), rec_(m), fw_(s.fw) {}

  void Run() {
    RunCritical(Associate(/*again=*/false));
    for (const Section& s : sc_.sections) {
      if (sc_.end < now_) break;
      now_ = std::max(now_, s.start);
      RunCritical(s.items);
    }
    // Reset work and reconnects continue after the workload.
    while (reset_pending_ && now_ < sc_.end) RunCritical({});
    rec_.metrics().keys_restored = keys_restored_;
    rec_.Finish(dead_ ? "DEAD" : (fw_.running() ? "RUNNING" : "HUNG"), now_, fw_, *keys_);
  }

 private:
  // The association's commands: DEV_INFO, per link BSS_INFO and STA_REC, then the keys as the
  // driver sends them (the BSS_INFO with the cipher before a link's first key). `again`: the
  // supplicant's reassociation after the forced reconnect (no DEV_INFO, links already known).
  std::vector<Item> Associate(bool again) {
    std::vector<Item> items;
    if (!again) items.push_back(C(DevInfo()));
    for (uint8_t l = 0; l < sc_.links; ++l) {
      if (again && !associated_[l]) continue;
      acts_->size = 0;
      uint8_t bss = 0;
      keys_->LinkAdd(l, Bssid(l), acts_.get(), &bss).IgnoreError();
      keys_->StaAdd(l, ApSta(l), acts_.get()).IgnoreError();
      associated_[l] = true;
      bss_of_[l] = bss;
      if (!again) items.push_back(C(BssInfo(bss)));
      items.push_back(C(StaRec(bss, keys_->link(l).sta_wcid, false)));
    }
    for (const KeyConf& k : SetupKeys(sc_.links)) {
      if (k.link_id >= 0 && !associated_[k.link_id]) continue;
      acts_->size = 0;
      keys_->SetKey(KeyCmd::kSet, k, acts_.get()).IgnoreError();
      for (size_t i = 0; i < acts_->size; ++i) {
        const KeyAction& a = acts_->items[i];
        if (a.kind == KeyActionKind::kBssCipher) {
          items.push_back(C(BssInfo(a.bss_idx)));
          continue;
        }
        uint8_t buf[kKeyFrameSize];
        Result<ConstBytes> f = EncodeKeyAction(kMt7925, a, 1, MutableBytes(buf));
        if (!f.ok()) continue;
        Item it = C(Cmd{CmdWord::Uni(uni::kStaRecUpdate),
                        std::vector<uint8_t>(f->data() + kUniHeaderSize, f->data() + f->size()),
                        absl::StrFormat("STA_REC_UPDATE key set wcid %d", a.wcid)});
        it.cmd.label += again ? " (supplicant)" : "";
        items.push_back(std::move(it));
        ZeroizeBytes(buf, sizeof(buf));
      }
      acts_->Wipe();
    }
    return items;
  }

  // One critical section under mt76.mutex, then the reset work if a timeout queued it.
  void RunCritical(const std::vector<Item>& items) {
    for (const Item& it : items) {
      switch (it.kind) {
        case Item::kWork: now_ = now_ + it.work; break;
        case Item::kTearDownLink:
          keys_->LinkRemove(it.link).IgnoreError();
          associated_[it.link] = false;
          rec_.Log(now_, absl::StrCat("link ", it.link, " torn down by the roam"));
          break;
        case Item::kJoinLink: break;  // a half-finished roam: nothing the driver restores
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
        rec_.Log(now_, "firmware assert (COREDUMP event)");
        rec_.FirstUnanswered(now_);
        rec_.Detected(now_);
        assert_at_ = now_;
        continue;
      }
      const Response r = ParseResponse(kMt7925, c.word, seq, ConstBytes(ev, *len));
      if (r.verdict == Verdict::kDone) return true;
    }
    now_ = deadline;
    ++rec_.metrics().timeouts_paid;
    rec_.Log(now_, absl::StrFormat("Message %08x (seq %d) timeout", c.word.raw, seq));
    rec_.FirstUnanswered(sent);
    rec_.Detected(now_);
    if (!in_reset_) reset_pending_ = true;  // mt792x_reset only queues the work
    return false;
  }

  // mt7925_mac_reset_work: up to 10 chip resets back to back, then re-add dev/BSS, then
  // ieee80211_disconnect(reconnect=true); the supplicant reassociates and sets the keys.
  void ResetWork() {
    rec_.Log(now_, "chip reset (mt7925_mac_reset_work starts)");
    reset_pending_ = false;
    in_reset_ = true;
    if (fw_.running()) ++rec_.metrics().false_resets;
    bool ok = false;
    for (int i = 0; i < kMt76ChipResetTries && !ok; ++i) {
      ok = true;
      for (ResetStep st : {ResetStep::kWfsys, ResetStep::kSemaphore, ResetStep::kPatch,
                           ResetStep::kRam, ResetStep::kReady}) {
        const FwSim::StepOutcome o = fw_.RunStep(st, now_);
        now_ = o.done;
        if (!o.ok) {
          ok = false;
          rec_.Log(now_,
                   absl::StrCat("chip reset try ", i + 1, ": ", ResetStepName(st), " failed"));
          break;
        }
      }
    }
    if (!ok) {
      rec_.Log(now_, "chip reset failed");
      dead_ = true;
      in_reset_ = false;
      return;
    }
    rec_.metrics().fw_reloaded_ms = Ms(now_);
    rec_.Log(now_, "firmware reloaded (HW/SW Version, WM Firmware Version)");
    in_reset_ = false;
    assert_at_ = Instant{};
    // vif_connect_iter: DEV_INFO + BSS per valid link, without the supplicant's keys.
    std::vector<Cmd> readd = {DevInfo()};
    for (uint8_t l = 0; l < sc_.links; ++l) {
      if (associated_[l]) readd.push_back(BssInfo(bss_of_[l]));
    }
    for (const Cmd& c : readd) SendAndWait(c);  // a hang here queues the next reset
    now_ = now_ + sc_.mt76.disconnect_delay;
    rec_.Log(now_, "Driver requested disconnection");
    // mac80211 drops the keys with the association; the host table follows.
    keys_->Clear();
    if (reset_pending_) return;  // hung again: no reassociation until the next reset
    now_ = now_ + sc_.mt76.reassoc_time;
    rec_.Log(now_, sc_.links > 1 ? "associated (MLD reassociated)" : "associated (reassociated)");
    // The supplicant installs the pairwise and group keys again.
    for (const Item& it : Associate(/*again=*/true)) {
      if (!SendAndWait(it.cmd)) return;
      if (it.cmd.label.find("key set") != std::string::npos) ++keys_restored_;
    }
    rec_.metrics().restored_ms = Ms(now_);
    rec_.Log(now_, "keys installed by the supplicant: link back");
  }

  const Scenario& sc_;
  Recorder rec_;
  FwSim fw_;
  std::unique_ptr<KeyTable> keys_ = std::make_unique<KeyTable>();
  std::unique_ptr<KeyActionList> acts_ = std::make_unique<KeyActionList>();
  bool associated_[kMaxMloLinks] = {};
  uint8_t bss_of_[kMaxMloLinks] = {};
  Instant now_;
  SeqAllocator seqs_;
  bool reset_pending_ = false;
  bool in_reset_ = false;
  bool dead_ = false;
  Instant assert_at_;
  int keys_restored_ = 0;
};

}  // namespace

Metrics RunMt76(const Scenario& s, const Options& o, Metrics m) {
  static_cast<void>(o);
  Mt76Host h(s, &m);
  h.Run();
  return m;
}

}  // namespace connac::sim
