// File: connac/testing/fwsim_host.h
//
// FwSimHost: the I/O adapter that runs a connac::Device against the firmware simulator on a
// virtual clock. It does what a driver does and nothing more: encodes what the Device asks
// to send, hands the simulator's events back, runs the reset steps on the simulator, fires
// the timer. Every recovery decision is the Device's. Test equipment, like FwSim: the
// userspace tests and the recovery simulator use it; it never ships in connac_core.ko.
//
// No heap and no virtual functions, so it also runs under the allocation test. An optional
// observer (a function pointer) sees every action with the time it was executed.
//
// Example:
//
//   connac::testing::FwSimHost<> h(fw_config, device_config);
//   h.Submit(connac::CmdWord::Uni(connac::uni::kBssInfoUpdate));
//   h.RunFor(connac::Duration::Seconds(10));
//   EXPECT_EQ(h.ended(), 1u);

#ifndef CONNAC_TESTING_FWSIM_HOST_H_
#define CONNAC_TESTING_FWSIM_HOST_H_

#include <cstddef>
#include <cstdint>

#include "connac/bytes.h"
#include "connac/device.h"
#include "connac/family.h"
#include "connac/keys.h"
#include "connac/mcu_frame.h"
#include "connac/mcu_ids.h"
#include "connac/status.h"
#include "connac/testing/fwsim.h"
#include "connac/time.h"
#include "connac/wire.h"

namespace connac::testing {

template <size_t kInflight = 7>
class FwSimHost {
 public:
  // How each host command ended.
  struct Ending {
    Ticket ticket;
    DeviceAction::Kind kind = DeviceAction::Kind::kNone;  // kComplete or kFail
    int32_t status = 0;
    Instant at;
  };
  static constexpr size_t kMaxEndings = 64;
  using Observer = void (*)(void* ctx, const DeviceAction& a, Instant now);
  // A reset step the simulator ran finished (`ok` or not) at `now`.
  using StepObserver = void (*)(void* ctx, ResetStep step, bool ok, Instant now);

  FwSimHost(const FwSimConfig& fw, const DeviceConfig& dev) : fw_(fw), dev_(kMt7925, dev) {}

  Device<kInflight>& dev() { return dev_; }
  const Device<kInflight>& dev() const { return dev_; }
  FwSim& fw() { return fw_; }
  const FwSim& fw() const { return fw_; }
  Instant now() const { return now_; }
  void SetObserver(Observer o, void* ctx, StepObserver s = nullptr) {
    observer_ = o;
    step_observer_ = s;
    observer_ctx_ = ctx;
  }

  // The endings of host commands, in order (the first kMaxEndings).
  size_t ended() const { return n_endings_; }
  const Ending& ending(size_t i) const { return endings_[i]; }
  uint32_t key_ops_done() const { return key_ops_done_; }
  int32_t last_key_op_status() const { return last_key_op_status_; }
  uint32_t reports() const { return reports_; }
  bool tx_stopped() const { return tx_stopped_; }

  // Submits a host command with an empty payload (or `payload`) and sends it at once.
  Result<Ticket> Submit(CmdWord cmd, ConstBytes payload = {}) {
    Result<Ticket> t = dev_.Submit(cmd, now_);
    if (t.ok()) Send(cmd, t->seq, payload);
    Drain();
    return t;
  }

  // Runs a Device input (a callable taking the Device and `now`, returning a Status) at the
  // current time and executes its actions.
  template <typename F>
  Status Do(F f) {
    const Status s = f(dev_, now_);
    Drain();
    return s;
  }

  // When something is next due: a firmware event, a Device deadline, a reset step's end.
  Instant NextDue() const {
    Instant next = Earlier(fw_.NextEventAt(), dev_.NextDeadline());
    if (step_active_) next = Earlier(next, step_done_);
    return next;
  }

  // Moves the clock to `t` (never back) and handles what is due then.
  void AdvanceTo(Instant t) {
    if (now_ < t) now_ = t;
    Step();
  }

  // Runs the virtual clock until `until` or until nothing is due.
  void RunUntil(Instant until) {
    for (int guard = 0; guard < 100000; ++guard) {
      const Instant next = NextDue();
      if (next.is_never() || until < next) break;
      AdvanceTo(next);
    }
    if (now_ < until && !until.is_never()) now_ = until;
  }
  void RunFor(Duration d) { RunUntil(now_ + d); }

 private:
  void Step() {
    uint8_t ev[FwSim::kEventSize];
    for (;;) {
      Result<size_t> n = fw_.PollEvent(now_, MutableBytes(ev));
      if (!n.ok()) break;
      dev_.OnEvent(ConstBytes(ev, *n), now_);
      Drain();
    }
    if (step_active_ && step_done_ <= now_) {
      step_active_ = false;
      if (step_observer_ != nullptr) step_observer_(observer_ctx_, step_, step_ok_, now_);
      dev_.OnStepResult(step_, step_ok_, now_);
      Drain();
    }
    dev_.OnTick(now_);
    Drain();
  }

  void Drain() {
    DeviceAction a;
    while (dev_.NextAction(&a)) {
      if (observer_ != nullptr) observer_(observer_ctx_, a, now_);
      Execute(a);
    }
  }

  void Execute(DeviceAction& a) {
    switch (a.kind) {
      case DeviceAction::Kind::kComplete:
      case DeviceAction::Kind::kFail:
        if (n_endings_ < kMaxEndings)
          endings_[n_endings_] = Ending{a.ticket, a.kind, a.status, now_};
        ++n_endings_;
        break;
      case DeviceAction::Kind::kSend: SendOwned(a); break;
      case DeviceAction::Kind::kKeyOpDone:
        ++key_ops_done_;
        last_key_op_status_ = a.status;
        break;
      case DeviceAction::Kind::kStopTx: tx_stopped_ = true; break;
      case DeviceAction::Kind::kResumeTx: tx_stopped_ = false; break;
      case DeviceAction::Kind::kRunStep: {
        const FwSim::StepOutcome o = fw_.RunStep(a.step, now_);
        step_ = a.step;
        step_ok_ = o.ok;
        step_done_ = o.done;
        step_active_ = true;
        break;
      }
      case DeviceAction::Kind::kProbe:
        // A live firmware answers the heartbeat at once; a dead one never does, and the
        // sequencer's probe window runs out.
        if (fw_.Probe()) dev_.OnProbeResult(true, now_);
        break;
      case DeviceAction::Kind::kReport: ++reports_; break;
      case DeviceAction::Kind::kUnsolicited:
      case DeviceAction::Kind::kNone: break;
    }
  }

  // What the Device asks to send, built as the driver builds it (only the fields the
  // simulator reads are filled): key frames byte-exact, BSS and station records minimal.
  void SendOwned(DeviceAction& a) {
    uint8_t payload[wire::sta_req::kSize] = {};
    size_t len = 0;
    if (!a.is_restore && a.key.kind == KeyActionKind::kKey) {
      uint8_t frame[kKeyFrameSize];
      Result<ConstBytes> f = EncodeKeyAction(kMt7925, a.key, a.ticket.seq, MutableBytes(frame));
      ZeroizeBytes(reinterpret_cast<uint8_t*>(&a.key), sizeof(a.key));
      if (f.ok()) fw_.Receive(*f, now_);
      ZeroizeBytes(frame, sizeof(frame));
      return;
    }
    if (a.cmd == CmdWord::Uni(uni::kBssInfoUpdate)) {
      payload[0] = a.is_restore ? a.restore.bss_idx : a.key.bss_idx;  // bss_info: bss_idx first
      len = 4;
    } else if (a.cmd == CmdWord::Uni(uni::kStaRecUpdate)) {
      payload[wire::sta_req::kBssIdx] = a.restore.bss_idx;
      payload[wire::sta_req::kWlanIdxLo] = a.restore.wcid;
      payload[wire::sta_req::kIsTlvAppend] = 1;
      len = wire::sta_req::kSize;
    } else {
      len = 4;  // DEV_INFO: {omac_idx, band_idx, pad}
    }
    Send(a.cmd, a.ticket.seq, ConstBytes(payload, len));
  }

  void Send(CmdWord cmd, uint8_t seq, ConstBytes payload) {
    uint8_t frame[kLegacyHeaderSize + 64];
    if (payload.size() > 64) return;
    Result<size_t> n = EncodeFrame(kMt7925, cmd, seq, payload, MutableBytes(frame));
    if (n.ok()) fw_.Receive(ConstBytes(frame, *n), now_);
  }

  FwSim fw_;
  Device<kInflight> dev_;
  Instant now_;
  bool step_active_ = false;
  ResetStep step_ = ResetStep::kWfsys;
  bool step_ok_ = false;
  Instant step_done_;
  Ending endings_[kMaxEndings];
  size_t n_endings_ = 0;
  uint32_t key_ops_done_ = 0;
  int32_t last_key_op_status_ = 0;
  uint32_t reports_ = 0;
  bool tx_stopped_ = false;
  Observer observer_ = nullptr;
  StepObserver step_observer_ = nullptr;
  void* observer_ctx_ = nullptr;
};

}  // namespace connac::testing

#endif  // CONNAC_TESTING_FWSIM_HOST_H_
