// File: connac/device.h
//
// Device: the one object a driver holds. It composes the in-flight table, the key table,
// the reset sequencer and the restore record, and owns the procedure that ties them
// together when the firmware is declared dead: fail what is pending, begin the key reset,
// run the reset steps, replay the restore plan and the keys, resume. A host (the kernel
// driver, the recovery simulator, the tests) feeds it inputs and executes the actions it
// hands out; it decides nothing about recovery itself.
//
// Sans-I/O: every input carries `now`; outputs are pulled one at a time with NextAction()
// and the host arms one timer for NextDeadline(). Nothing here sleeps, locks, allocates or
// reads a clock.
//
//   inputs                                   actions (NextAction)
//   --------------------------------------   ---------------------------------------------
//   Submit(cmd)        a command to send     kComplete  a host command answered
//   OnEvent(bytes)     from the device       kFail      a host command failed (ETIMEDOUT,
//   OnCommandResult    the host's own wait                ESHUTDOWN: firmware dead)
//   OnTick             a deadline passed     kUnsolicited  an event to dispatch by eid
//   OnStepResult       a reset step's end    kSend      a command the Device needs sent: a key
//   OnProbeResult      the liveness probe                 frame, the BSS cipher, a restore item
//   RequestReset       the host wants one    kKeyOpDone a key operation's outcome
//   SetDevice, LinkAdd, LinkAssociated,      kStopTx / kResumeTx   the data queues
//   LinkRemove, StaAdd, StaRemove, SetKey    kRunStep / kProbe     reset step, probe
//                                            kReport    an episode ended (recovered/wedged)
//
// Host loop (see tools/sim/connac_host.cc, kmod/example/connac_example.c):
//
//   connac::Device<> dev(connac::kMt7925);
//   Result<Ticket> t = dev.Submit(cmd, now);       // kShutdown while the firmware is dead
//   if (t.ok()) send(Encode(cmd, t->seq, ...));
//   ...
//   dev.OnEvent(event_bytes, now);                 // or OnTick(now) when the timer fires
//   DeviceAction a;
//   while (dev.NextAction(&a)) Execute(a);         // drain after every input
//   arm_timer(dev.NextDeadline());
//
// # Invariants
// - Every host command armed by Submit() ends exactly once: kComplete, kFail, or
//   OnCommandResult() from the host. Commands the Device sends itself (keys, restore) never
//   show up as kComplete/kFail.
// - While the firmware is dead (any state but RUNNING and PROBING) Submit() admits nothing
//   from the stack, and no key frame is sent: key operations update the table, which the
//   restore replays (an operation that comes while the restore replays the keys has its
//   frames sent by the restore, after the replay's).
// - The key reset begins before the first reset step runs (kRunStep WFSYS), and the keys are
//   replayed only after the restore plan's device, BSS and station items.
// - Key operations are all or nothing: a frame that fails aborts the operation, and the
//   rollback is sent while the firmware lives (KeyTable::AbortActions).
// - One key operation at a time: a second one before kKeyOpDone is kBusy.
// - Views in an action (payload, event) point into the bytes of the last OnEvent() and are
//   valid until the next call into the Device.
// - No pointer into itself: a Device may be copied or moved with memcpy.
//
// Thread safety: none; the host serialises every call (the driver's mutex).

#ifndef CONNAC_DEVICE_H_
#define CONNAC_DEVICE_H_

#include <cstddef>
#include <cstdint>
#include <new>  // placement new only (SetResetConfig)

#include "connac/bytes.h"
#include "connac/check.h"
#include "connac/family.h"
#include "connac/keys.h"
#include "connac/mcu_cmd.h"
#include "connac/mcu_event.h"
#include "connac/mcu_ids.h"
#include "connac/mcu_txn.h"
#include "connac/reset.h"
#include "connac/status.h"
#include "connac/time.h"
#include "connac/wifi.h"

namespace connac {

struct DeviceConfig {
  ResetConfig reset;
  KeyPolicy keys;
};

// One restore command: what to re-program, self-contained (the restore never reads host
// state a roam may have freed).
struct RestoreItem {
  RestoreRecord::ItemKind kind = RestoreRecord::ItemKind::kDevice;
  uint8_t link = 0;
  uint8_t bss_idx = 0;
  uint8_t wcid = kNoWcid;           // kSta: the link-station's WTBL index
  uint8_t cipher = cipher3::kNone;  // kBss: the link's cipher (its first key's)
  bool active = false;              // kBss: the link in use
  MacAddr addr;                     // device address, BSSID or peer
};

struct DeviceAction {
  enum class Kind : uint8_t {
    kNone,
    kComplete,     // host command `ticket` answered: firmware `status`, `payload`
    kFail,         // host command `ticket` failed: `status` -ETIMEDOUT or -ESHUTDOWN
    kUnsolicited,  // `event`: an unsolicited event for the host to dispatch by eid
    kSend,         // send `cmd` with `ticket.seq`: `key` (kKey: EncodeKeyAction; kBssCipher:
                   // the link's BSS info with its cipher) or `restore` (is_restore)
    kKeyOpDone,    // the key operation finished: `status` 0 or the error that undid it
    kStopTx,       // stop the data queues
    kResumeTx,     // wake the data queues
    kRunStep,      // run reset `step`; report with OnStepResult()
    kProbe,        // probe the firmware; report with OnProbeResult()
    kReport,       // an episode ended: report(); `wedged` when terminal (keys cleared)
  };
  Kind kind = Kind::kNone;
  ResetStep step = ResetStep::kWfsys;
  bool is_restore = false;  // kSend: `restore` is set (else `key`)
  bool wedged = false;      // kReport
  int32_t status = 0;
  Ticket ticket;
  CmdWord cmd;
  ConstBytes payload;   // kComplete
  ConstBytes event;     // kUnsolicited
  KeyAction key;        // kSend (not is_restore); holds key bytes: wipe after encoding
  RestoreItem restore;  // kSend (is_restore)
};

struct DeviceCounters {
  uint32_t submitted = 0;
  uint32_t refused = 0;  // Submit() while the firmware was dead
  uint32_t key_ops = 0;
  uint32_t key_ops_failed = 0;
  uint32_t key_frames = 0;  // key and BSS-cipher commands sent
  uint32_t rollback_frames = 0;
  uint32_t restore_items = 0;  // device, BSS and station commands sent by restores
  uint32_t keys_replayed = 0;
};

// Where a submitted command comes from.
enum class Origin : uint8_t {
  kStack,    // mac80211 / the driver's normal work: admitted only while RUNNING or PROBING
  kRestore,  // the host's own extra commands for a restore item: admitted during RESTORE
};

template <size_t kInflight = 7>
class Device {
 public:
  // [[gnu::cold]] here and on the reset's restore and wedge paths: they run once per device
  // or per episode, so GCC optimizes them for size (the kernel's __cold); connac_core.ko's
  // .text has a 32 KiB budget (docs/kmod.md).
  [[gnu::cold]] explicit Device(const Profile& p, const DeviceConfig& c = {})
      : txn_(p), keys_(c.keys), seq_(c.reset) {}

  // --- Views ---------------------------------------------------------------------------
  const Profile& profile() const { return txn_.profile(); }
  ResetState state() const { return seq_.state(); }
  const InflightTable<kInflight>& txn() const { return txn_; }
  const KeyTable& keys() const { return keys_; }
  const ResetSequencer& sequencer() const { return seq_; }
  const RestoreRecord& record() const { return record_; }
  const DeviceCounters& counters() const { return counters_; }
  // A key operation was started and its kKeyOpDone has not been handed out yet.
  bool key_op_active() const { return key_phase_ != KeyPhase::kIdle; }

  // --- Commands ------------------------------------------------------------------------

  // Admits and arms a command; the host encodes it with ticket.seq and sends it.
  // Errors: kShutdown (the firmware is dead; counted), kNoSpc / kBusy / kInval (as
  // InflightTable::Arm).
  Result<Ticket> Submit(CmdWord cmd, Instant now, Origin origin = Origin::kStack) {
    Now(now);
    const bool restoring = origin == Origin::kRestore && seq_.state() == ResetState::kRestore;
    if (!restoring && !seq_.Admit().ok()) {
      ++counters_.refused;
      return Errno::kShutdown;
    }
    Result<Ticket> t = txn_.Arm(cmd, now_);
    if (t.ok()) ++counters_.submitted;
    return t;
  }

  // For hosts that match answers themselves (their own framing and waits): command `t`
  // ended with `status`: >= 0 or a firmware status when answered, -ETIMEDOUT when its wait
  // ran out (counts as a timeout), another -errno when it could not be sent (its seq is free
  // again: no answer can come). Works for the Device's own commands (kSend) too. Outdated
  // tickets are ignored.
  void OnCommandResult(const Ticket& t, int32_t status, Instant now) {
    Now(now);
    if (!txn_.IsCurrent(t)) return;
    if (status == -static_cast<int32_t>(Errno::kTimedOut)) {
      txn_.Cancel(t).IgnoreError();  // quarantined: a late answer is absorbed
      Merge(seq_.OnTimeout(now_));
    } else if (status < 0 && status > -4096) {
      txn_.Withdraw(t).IgnoreError();
    } else {
      txn_.Complete(t).IgnoreError();
    }
    if (Owned(t)) OwnedEnded(status, !(status < 0 && status > -4096));
  }

  // An event from the device. Answers complete their command; a COREDUMP declares the
  // firmware dead; other unsolicited events go to the host.
  // REQUIRES: the actions of the previous input were drained (NextAction() returned false).
  void OnEvent(ConstBytes ev, Instant now) {
    Now(now);
    static_cast<void>(CONNAC_CORE_CHECK(pending_ == Pending::kNone));
    const EventOutcome o = txn_.OnEvent(ev);
    switch (o.kind) {
      case EventOutcome::kCompleted:
        if (Owned(o.ticket)) {
          OwnedEnded(o.status, /*answered=*/true);
        } else {
          pending_ = Pending::kComplete;
          pending_ticket_ = o.ticket;
          pending_status_ = o.status;
          pending_bytes_ = o.payload;
        }
        return;
      case EventOutcome::kUnsolicited: {
        const Result<McuEvent> e = ParseEvent(profile(), ev);
        if (e.ok() && e->eid == uni_event::kCoredump) Merge(seq_.OnAssert(now_));
        pending_ = Pending::kUnsolicited;
        pending_bytes_ = ev;
        return;
      }
      default: return;  // stale, late, unmatched, malformed: counted by the table
    }
  }

  // Time passes: command deadlines (each expired host command becomes kFail ETIMEDOUT),
  // step watchdogs, backoff, the liveness probe.
  void OnTick(Instant now) {
    Now(now);
    expire_at_ = now_;
    expiring_ = true;
  }

  // The host's reset step (kRunStep) finished. The restore step is the Device's own (kRunStep
  // never names it): a result for it is ignored, so a host cannot end a restore whose keys
  // were not replayed yet (the key table would stay in reset mode in RUNNING).
  void OnStepResult(ResetStep step, bool ok, Instant now) {
    Now(now);
    if (step == ResetStep::kRestore) return;
    Merge(seq_.OnStepResult(step, ok, now_));
  }
  void OnProbeResult(bool alive, Instant now) {
    Now(now);
    Merge(seq_.OnProbeResult(alive, now_));
  }
  // The host wants a reset (debugfs, a bus error).
  void RequestReset(Instant now) {
    Now(now);
    Merge(seq_.OnRequest(now_));
  }

  // Replaces the reset timings (the C API's connac_dev_set_config()). Only while the
  // sequencer has seen nothing (RUNNING, every counter zero): a sequencer with a history
  // keeps it. Errors: kBusy.
  Status SetResetConfig(const ResetConfig& c) {
    const ResetCounters& k = seq_.counters();
    const auto* p = reinterpret_cast<const uint8_t*>(&k);
    for (size_t i = 0; i < sizeof(k); ++i) {
      if (p[i] != 0) return Status(Errno::kBusy);
    }
    if (seq_.state() != ResetState::kRunning || flags_ != 0) return Status(Errno::kBusy);
    // In place: `seq_ = ResetSequencer(c)` puts a second sequencer (336 bytes) on the
    // kernel stack. ResetSequencer is trivially destructible.
    new (&seq_) ResetSequencer(c);
    return OkStatus();
  }

  // --- Links, stations, keys (mac80211's callbacks) ------------------------------------

  void SetDevice(const MacAddr& addr) { record_.SetDevice(addr).IgnoreError(); }

  // Link `link` added with BSSID `bssid`: its keys' BSS entry, its restore record. Group
  // keys cached for it are sent (kSend ..., then kKeyOpDone). Returns the link's bss_idx
  // through `bss_idx` (may be null). Errors as KeyTable::LinkAdd, kBusy (a key operation
  // is running).
  Status LinkAdd(uint8_t link, const MacAddr& bssid, Instant now, uint8_t* bss_idx = nullptr) {
    Now(now);
    CONNAC_RETURN_IF_ERROR(BeginKeyOp());
    uint8_t bss = 0;
    const Status st = keys_.LinkAdd(link, bssid, &key_ops_, &bss);
    if (!st.ok()) return EndKeyOpEarly(st);
    record_.LinkJoining(link, bssid, bss).IgnoreError();
    if (bss_idx != nullptr) *bss_idx = bss;
    return StartKeyOp();
  }

  // Link `link` associated with peer `peer` (the AP's link address); `active`: the link in
  // use. Only associated links are restored. Errors: kInval (link never added).
  Status LinkAssociated(uint8_t link, const MacAddr& peer, bool active) {
    return record_.LinkAssociated(link, peer, active);
  }

  // Link `link` torn down: its keys and record go, with no MCU traffic. Idempotent.
  Status LinkRemove(uint8_t link) {
    record_.LinkRemoved(link);
    return keys_.LinkRemove(link);
  }

  // The peer link-station of `link`: the MLD pairwise key, if set, is sent to it.
  Status StaAdd(uint8_t link, const MacAddr& addr, Instant now) {
    Now(now);
    CONNAC_RETURN_IF_ERROR(BeginKeyOp());
    const Status st = keys_.StaAdd(link, addr, &key_ops_);
    if (!st.ok()) return EndKeyOpEarly(st);
    return StartKeyOp();
  }
  Status StaRemove(uint8_t link) { return keys_.StaRemove(link); }

  // mac80211 set_key. Errors as KeyTable::SetKey (nothing changed), kBusy (a key operation
  // is running), kShutdown (a SET on a wedged device). On success the operation's frames
  // come as kSend actions and its outcome as kKeyOpDone; while the firmware is dead the
  // table alone changes and kKeyOpDone follows at once (after the restore, if one runs).
  Status SetKey(KeyCmd cmd, const KeyConf& k, Instant now) {
    Now(now);
    if (cmd == KeyCmd::kSet && seq_.state() == ResetState::kWedged) {
      return Status(Errno::kShutdown);
    }
    CONNAC_RETURN_IF_ERROR(BeginKeyOp());
    const Status st = keys_.SetKey(cmd, k, &key_ops_);
    if (!st.ok()) return EndKeyOpEarly(st);
    return StartKeyOp();
  }

  // --- Output --------------------------------------------------------------------------

  // The next thing the host must do; false when there is nothing (then arm a timer for
  // NextDeadline()). Call until it returns false after every input.
  bool NextAction(DeviceAction* a) {
    *a = DeviceAction{};
    // 1. The last event's result for the host.
    if (pending_ != Pending::kNone) {
      a->kind = pending_ == Pending::kComplete ? DeviceAction::Kind::kComplete
                                               : DeviceAction::Kind::kUnsolicited;
      a->ticket = pending_ticket_;
      a->status = pending_status_;
      (pending_ == Pending::kComplete ? a->payload : a->event) = pending_bytes_;
      pending_ = Pending::kNone;
      return true;
    }
    // 2. Deadlines: one expired command at a time. Once a timeout has declared the firmware
    // dead, the rest are failed by the reset (ESHUTDOWN) rather than reported one by one.
    while (expiring_) {
      Ticket t;
      if (HasFlag(ResetActions::kFailPending) || txn_.Expire(expire_at_, &t, 1) == 0) {
        expiring_ = false;
        Merge(seq_.OnTick(expire_at_, txn_.OldestArmed()));
        break;
      }
      Merge(seq_.OnTimeout(expire_at_));
      if (Owned(t)) {
        OwnedEnded(-static_cast<int32_t>(Errno::kTimedOut), false);
        continue;
      }
      return Fail(a, t, Errno::kTimedOut);
    }
    // 3. The sequencer's actions, in order.
    if (HasFlag(ResetActions::kFailPending)) {
      failing_ = true;
      ClearFlag(ResetActions::kFailPending);
    }
    while (failing_) {
      Ticket t;
      if (txn_.FailAll(&t, 1) == 0) {
        failing_ = false;
        break;
      }
      if (Owned(t)) {
        OwnedEnded(-static_cast<int32_t>(Errno::kShutdown), false);
        continue;
      }
      return Fail(a, t, Errno::kShutdown);
    }
    ClearFlag(ResetActions::kRejectNew);  // Admit() already refuses
    if (TakeFlag(ResetActions::kStopTx)) return Simple(a, DeviceAction::Kind::kStopTx);
    if (TakeFlag(ResetActions::kRunStep)) {
      if (flags_step_ == ResetStep::kRestore) {
        BeginRestore();
      } else {
        if (flags_step_ == ResetStep::kWfsys) BeginWfsys();
        a->kind = DeviceAction::Kind::kRunStep;
        a->step = flags_step_;
        return true;
      }
    }
    if (TakeFlag(ResetActions::kProbe)) return Simple(a, DeviceAction::Kind::kProbe);
    if (TakeFlag(ResetActions::kResumeTx)) return Simple(a, DeviceAction::Kind::kResumeTx);
    ClearFlag(ResetActions::kAcceptNew);
    if (TakeFlag(ResetActions::kReport)) {
      const bool wedged = TakeFlag(ResetActions::kWedged);
      if (wedged) Wedge();
      a->kind = DeviceAction::Kind::kReport;
      a->wedged = wedged;
      return true;
    }
    // 4. The restore, one command at a time, while the sequencer is in RESTORE (a crash
    // during the restore sends it back to a reset step, or to a backoff, hold-off or WEDGED).
    if (restoring_ && seq_.state() != ResetState::kRestore) {
      CutRestoreShort();
      return NextAction(a);
    }
    if (restoring_ && !owned_busy_) return NextRestore(a);
    // 5. The key operation, one frame at a time.
    if (key_phase_ != KeyPhase::kIdle && !owned_busy_) return NextKeyFrame(a);
    return false;
  }

  // When to call OnTick() next, or Never().
  Instant NextDeadline() const {
    return Earlier(txn_.NextDeadline(), seq_.NextDeadline(txn_.OldestArmed()));
  }

 private:
  enum class Pending : uint8_t { kNone, kComplete, kUnsolicited };
  enum class KeyPhase : uint8_t {
    kIdle,
    kSending,   // the operation's frames
    kRollback,  // its rollback, after a frame failed
    kDone,      // kKeyOpDone is due
  };
  enum class RestorePhase : uint8_t { kPlan, kKeys };

  // Time only moves forward, whatever order the host's inputs arrive in.
  void Now(Instant now) {
    if (now_ < now) now_ = now;
  }
  // Firmware alive: what Admit() says, without counting a refusal.
  bool Alive() const {
    return seq_.state() == ResetState::kRunning || seq_.state() == ResetState::kProbing;
  }

  static bool Simple(DeviceAction* a, DeviceAction::Kind k) {
    a->kind = k;
    return true;
  }
  static bool Fail(DeviceAction* a, const Ticket& t, Errno e) {
    a->kind = DeviceAction::Kind::kFail;
    a->ticket = t;
    a->status = -static_cast<int32_t>(e);
    return true;
  }

  bool HasFlag(uint16_t f) const { return (flags_ & f) != 0; }
  void ClearFlag(uint16_t f) { flags_ = static_cast<uint16_t>(flags_ & ~f); }
  bool TakeFlag(uint16_t f) {
    const bool had = HasFlag(f);
    ClearFlag(f);
    return had;
  }
  void Merge(const ResetActions& r) {
    flags_ = static_cast<uint16_t>(flags_ | r.flags);
    if (r.has(ResetActions::kRunStep)) flags_step_ = r.step;
  }

  // --- The Device's own commands (key frames, restore items) ----------------------------

  bool Owned(const Ticket& t) const { return owned_busy_ && t == owned_; }

  // Arms the Device's next command; false when the table has no slot or seq now (retried on
  // the next NextAction()).
  bool ArmOwned(CmdWord cmd, DeviceAction* a) {
    Result<Ticket> t = txn_.Arm(cmd, now_);
    if (!t.ok()) return false;
    owned_ = *t;
    owned_busy_ = true;
    a->kind = DeviceAction::Kind::kSend;
    a->ticket = *t;
    a->cmd = cmd;
    return true;
  }

  // The Device's command in flight ended: `answered` with the firmware's status (any value,
  // negative ones included: a le32 from the event) or failed with -errno (-ETIMEDOUT,
  // -ESHUTDOWN, or the host's send error).
  void OwnedEnded(int32_t status, bool answered) {
    owned_busy_ = false;
    if (restoring_) {
      // A restore command that timed out reaches the sequencer as a crash during restore
      // (OnTimeout); one that could not be sent fails the step. A firmware error status is
      // an answer: the firmware lives, the restore goes on (as the driver's does).
      if (!answered && status != -static_cast<int32_t>(Errno::kTimedOut)) {
        CutRestoreShort();
        Merge(seq_.OnStepResult(ResetStep::kRestore, false, now_));
      }
      return;
    }
    if (key_phase_ == KeyPhase::kSending || key_phase_ == KeyPhase::kRollback) {
      KeyFrameEnded(status);
    }
  }

  // --- Key operations ---------------------------------------------------------------------

  // The restore is sending the key replay: key_ops_ holds it and key_next_ is its next entry.
  // The key table is out of reset mode by then (ReplayAfterReset), so a key operation now is
  // computed as for a live firmware and its frames go after the replay's (NextRestore).
  bool Replaying() const {
    return restoring_ && restore_phase_ == RestorePhase::kKeys &&
           seq_.state() == ResetState::kRestore;
  }

  Status BeginKeyOp() {
    if (key_phase_ != KeyPhase::kIdle) return Status(Errno::kBusy);
    if (Replaying()) {
      DropSentReplay();
    } else {
      key_ops_.Wipe();
    }
    return OkStatus();
  }
  // On error the key table left key_ops_ as it was (the replay, if one is under way).
  Status EndKeyOpEarly(Status st) {
    if (!Replaying()) key_ops_.Wipe();
    return st;
  }
  Status StartKeyOp() {
    ++counters_.key_ops;
    key_status_ = 0;
    if (Replaying()) {
      // Sent by the restore; the operation is done as far as the table goes, as while dead.
      key_phase_ = KeyPhase::kDone;
      return OkStatus();
    }
    key_next_ = 0;
    // While the firmware is dead nothing is sent: the table changed, the restore replays it.
    key_phase_ = key_ops_.size != 0 && Alive() ? KeyPhase::kSending : KeyPhase::kDone;
    if (key_phase_ == KeyPhase::kDone) key_ops_.Wipe();
    return OkStatus();
  }

  // Whether key action `k` lost its target after it was computed: its link or link-station
  // was torn down (LinkRemove, StaRemove: no MCU traffic, the firmware drops the keys with
  // the records) or, for a SET, its key was removed or replaced since. Sending it would put
  // a key on a wcid the table holds free.
  bool KeyTargetGone(const KeyAction& k) const {
    if (k.kind == KeyActionKind::kBssCipher) return !keys_.link(k.link_id).up;
    const KeyTable::Wcid& w = keys_.wcid(k.wcid);
    if (!w.used || w.link != k.link_id) return true;
    if (!k.add) return false;
    const int s = k.cipher_id == cipher3::kBipCmac128 ? 1 : 0;
    return w.slot[s].keyidx == kNoKey || (s == 0 && w.slot[0].keyidx != k.key_id);
  }
  static CmdWord KeyCmdOf(const KeyAction& k) {
    return k.kind == KeyActionKind::kBssCipher ? CmdWord::Uni(uni::kBssInfoUpdate)
                                               : CmdWord::Uni(uni::kStaRecUpdate);
  }

  bool NextKeyFrame(DeviceAction* a) {
    // A frame whose target went (it counts as sent for AbortActions, whose DISABLE for it is
    // skipped the same way).
    while (key_phase_ != KeyPhase::kDone && key_next_ < key_ops_.size &&
           KeyTargetGone(key_ops_.items[key_next_])) {
      ++key_next_;
    }
    if (key_phase_ == KeyPhase::kDone || key_next_ >= key_ops_.size) {
      key_ops_.Wipe();
      const int32_t st = key_status_;
      key_phase_ = KeyPhase::kIdle;
      a->kind = DeviceAction::Kind::kKeyOpDone;
      a->status = st;
      if (st != 0) ++counters_.key_ops_failed;
      return true;
    }
    const KeyAction& k = key_ops_.items[key_next_];
    if (!ArmOwned(KeyCmdOf(k), a)) return false;
    a->key = k;
    ++(key_phase_ == KeyPhase::kRollback ? counters_.rollback_frames : counters_.key_frames);
    return true;
  }

  // The frame key_ops_.items[key_next_] ended with `status`.
  void KeyFrameEnded(int32_t status) {
    if (status == 0) {
      ++key_next_;
      return;
    }
    // A frame failed (a firmware error, a timeout, a failed send, or the firmware declared
    // dead): undo the operation. The rollback goes out only while the firmware lives; a dead
    // one is reset and then replayed from the table, which the abort already corrected.
    if (key_phase_ == KeyPhase::kRollback) {
      // A rollback frame failed too: give up sending; the table is already right.
      key_ops_.Wipe();
      key_phase_ = KeyPhase::kDone;
      return;
    }
    key_status_ = status;
    const Status st = keys_.AbortActions(key_ops_, key_next_, &key_ops_);
    static_cast<void>(CONNAC_CORE_CHECK(st.ok()));
    key_next_ = 0;
    key_phase_ = key_ops_.size != 0 && Alive() ? KeyPhase::kRollback : KeyPhase::kDone;
  }

  // During the key replay: drops the entries already sent, so the list has room for a key
  // operation's frames after what is still to go.
  void DropSentReplay() {
    const size_t left = key_ops_.size - key_next_;
    for (size_t i = 0; i < left; ++i) key_ops_.items[i] = key_ops_.items[key_next_ + i];
    ZeroizeBytes(reinterpret_cast<uint8_t*>(key_ops_.items + left),
                 (KeyActionList::kCapacity - left) * sizeof(KeyAction));
    key_ops_.size = left;
    replay_end_ = static_cast<uint8_t>(replay_end_ > key_next_ ? replay_end_ - key_next_ : 0);
    key_next_ = 0;
  }

  // --- Reset --------------------------------------------------------------------------------

  // Entering a WFSYS reset: the firmware loses its keys; a restore of an earlier attempt is
  // over, and what it left in flight fails.
  void BeginWfsys() {
    keys_.BeginReset();
    EndRestore();
    // A key operation interrupted by the reset ends now; the table keeps what it set, for
    // the replay.
    if (key_phase_ == KeyPhase::kSending || key_phase_ == KeyPhase::kRollback) {
      key_ops_.Wipe();
      key_phase_ = KeyPhase::kDone;
    }
    // A later attempt's WFSYS comes without FAIL_PENDING: what the failed attempt's restore
    // left in flight fails now, on the next NextAction() calls.
    failing_ = true;
  }

  // The restore is over: done, or cut short (a crash, a failed send, the next attempt's
  // WFSYS, WEDGED). The list may hold its key replay: key copies, wiped now rather than left
  // behind (after WEDGED, until the device is destroyed).
  void EndRestore() {
    if (restoring_) key_ops_.Wipe();
    restoring_ = false;
  }

  // The firmware died again during the restore: what is in flight (the host's commands for
  // the restore, the Device's own) fails now, with no WFSYS to do it before a backoff,
  // hold-off or WEDGED.
  void CutRestoreShort() {
    EndRestore();
    failing_ = true;
  }

  void BeginRestore() {
    plan_ = record_.MakePlan();
    restore_next_ = 0;
    restore_phase_ = RestorePhase::kPlan;
    restoring_ = true;
  }

  // Whether plan item `it` is still to be restored: the plan was taken when RESTORE began,
  // and a roam may since have torn its link down (the record is then empty: bss_idx 0, no
  // BSSID) or removed its link-station (no wcid).
  bool StillRestored(const RestoreRecord::Item& it) const {
    if (it.kind == RestoreRecord::ItemKind::kDevice) return true;
    if (record_.link(it.link).phase != RestoreRecord::LinkPhase::kAssociated) return false;
    return it.kind != RestoreRecord::ItemKind::kSta || keys_.link(it.link).sta_wcid != kNoWcid;
  }

  [[gnu::cold]] bool NextRestore(DeviceAction* a) {
    if (restore_phase_ == RestorePhase::kPlan) {
      while (restore_next_ < plan_.size) {
        const RestoreRecord::Item& it = plan_.items[restore_next_];
        if (it.kind == RestoreRecord::ItemKind::kKeys) {
          ++restore_next_;
          // The keys, after every record: pairwise, group, IGTK (KeyTable::ReplayAfterReset).
          key_ops_.Wipe();
          const Status st = keys_.ReplayAfterReset(&key_ops_);
          static_cast<void>(CONNAC_CORE_CHECK(st.ok()));
          key_next_ = 0;
          replay_end_ = static_cast<uint8_t>(key_ops_.size);
          restore_phase_ = RestorePhase::kKeys;
          break;
        }
        if (!StillRestored(it)) {
          ++restore_next_;
          continue;
        }
        RestoreItem r;
        r.kind = it.kind;
        r.link = it.link;
        CmdWord cmd = CmdWord::Uni(uni::kDevInfoUpdate);
        if (it.kind == RestoreRecord::ItemKind::kDevice) {
          r.addr = record_.device();
        } else {
          const RestoreRecord::LinkRec& l = record_.link(it.link);
          r.bss_idx = l.bss_idx;
          if (it.kind == RestoreRecord::ItemKind::kBss) {
            cmd = CmdWord::Uni(uni::kBssInfoUpdate);
            r.addr = l.bssid;
            r.cipher = keys_.link(it.link).cipher;
            r.active = record_.active_link() == LinkId{it.link};
          } else {
            cmd = CmdWord::Uni(uni::kStaRecUpdate);
            r.addr = l.sta_addr;
            r.wcid = keys_.link(it.link).sta_wcid;
          }
        }
        if (!ArmOwned(cmd, a)) return false;
        ++restore_next_;
        ++counters_.restore_items;
        a->is_restore = true;
        a->restore = r;
        return true;
      }
    }
    if (restore_phase_ == RestorePhase::kKeys) {
      // The replay, then the frames of a key operation that came during it; a key whose link
      // or station was torn down meanwhile is not sent.
      while (key_next_ < key_ops_.size && KeyTargetGone(key_ops_.items[key_next_])) ++key_next_;
      if (key_next_ < key_ops_.size) {
        const KeyAction& k = key_ops_.items[key_next_];
        if (!ArmOwned(KeyCmdOf(k), a)) return false;
        a->key = k;
        ++(key_next_ < replay_end_ ? counters_.keys_replayed : counters_.key_frames);
        ++key_next_;
        return true;
      }
    }
    // Everything was sent and answered: the restore step is done.
    EndRestore();
    Merge(seq_.OnStepResult(ResetStep::kRestore, true, now_));
    return NextAction(a);
  }

  // Terminal: the device needs a rebind; mac80211 is told to drop the association, so no key
  // is left believed-installed.
  [[gnu::cold]] void Wedge() {
    keys_.Clear();
    EndRestore();
    failing_ = true;  // nothing in flight will be answered
    if (key_phase_ != KeyPhase::kIdle) {
      key_ops_.Wipe();
      key_status_ = -static_cast<int32_t>(Errno::kShutdown);
      key_phase_ = KeyPhase::kDone;
    }
  }

  InflightTable<kInflight> txn_;
  KeyTable keys_;
  ResetSequencer seq_;
  RestoreRecord record_;
  DeviceCounters counters_;

  // The current key operation (or the restore's key replay, then the frames of a key
  // operation that came during it: entries from replay_end_ on) and where it is.
  KeyActionList key_ops_;
  uint8_t key_next_ = 0;
  uint8_t replay_end_ = 0;
  KeyPhase key_phase_ = KeyPhase::kIdle;
  int32_t key_status_ = 0;

  // The Device's one command in flight (key frame or restore item).
  Ticket owned_;
  bool owned_busy_ = false;

  // The restore: the plan taken when RESTORE began, and the next item.
  RestoreRecord::Plan plan_;
  uint8_t restore_next_ = 0;
  RestorePhase restore_phase_ = RestorePhase::kPlan;
  bool restoring_ = false;

  // Inputs waiting to become actions.
  Pending pending_ = Pending::kNone;
  Ticket pending_ticket_;
  int32_t pending_status_ = 0;
  ConstBytes pending_bytes_;
  uint16_t flags_ = 0;  // ResetActions::Flag, merged from every sequencer input
  ResetStep flags_step_ = ResetStep::kWfsys;
  bool expiring_ = false;
  Instant expire_at_;
  bool failing_ = false;
  Instant now_;
};

}  // namespace connac

#endif  // CONNAC_DEVICE_H_
