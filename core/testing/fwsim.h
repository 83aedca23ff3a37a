// File: connac/testing/fwsim.h
//
// FwSim: a deterministic mt7925 firmware simulator that speaks the real frames. Test
// equipment: it lives outside the core's public headers and is never built into
// connac_core.ko (the kernel test module and the userspace tests use it).
//
// It takes host-to-device frames as bytes (decoded with DecodeFrame), answers with real
// mt7925 events (44-byte RXD, UNI RESULT {cid, status} for the result-type commands) after a
// per-class latency on a virtual clock, keeps the state it was given (device, BSS per link,
// stations, keys from STA_REC_UPDATE/KEY_V3), and can be scripted to fail: hang at a command
// count or on a BSS_INFO that follows a STA_REC removal, assert (COREDUMP event), fail reset
// steps k times, hang again while being restored, be slow but alive. Header-only and
// allocation-free, so the kernel module's self-test can drive it with real timers.
//
// Reset steps (ResetStep) are not frames: the host calls RunStep() and learns when the step
// finishes and whether it succeeded, as the driver learns from its register polls.
//
// Example:
//
//   connac::FwSim fw(cfg);
//   fw.Receive(frame, now);
//   uint8_t ev[64];
//   while (auto n = fw.PollEvent(now, ev); n.ok()) host.OnEvent(ConstBytes(ev, *n));

#ifndef CONNAC_TESTING_FWSIM_H_
#define CONNAC_TESTING_FWSIM_H_

#include <cstddef>
#include <cstdint>

#include "connac/bytes.h"
#include "connac/family.h"
#include "connac/keys.h"
#include "connac/mcu_cmd.h"
#include "connac/mcu_event.h"
#include "connac/mcu_frame.h"
#include "connac/reset.h"
#include "connac/time.h"
#include "connac/wire.h"

namespace connac {

struct FwSimConfig {
  Duration latency = Duration::Millis(2);       // ordinary commands
  Duration slow_latency = Duration::Millis(2);  // the slow class (SCAN_REQ, EFUSE_CTRL, ROC, MIB)
  uint32_t arm_after_cmds = 0;  // triggers below ignore the first this-many commands (setup)
  uint32_t hang_at_cmd = 0;     // hang on receiving the Nth command (1-based; 0: never)
  bool hang_on_bss_after_sta_remove = false;  // #1036 trigger: BSS_INFO after a STA_REC delete
  uint32_t hang_on_cmd_word = 0;              // hang on the first command with this word (0: never)
  uint32_t assert_at_cmd = 0;  // assert (COREDUMP event, then silence) at the Nth command
  uint8_t step_failures[kResetSteps] = {};     // fail the first k runs of each reset step
  uint32_t hang_in_restore_times = 0;          // after each of the first this-many reloads, hang at
  uint32_t restore_hang_cmd = 1;               // ... this command (1-based) after the reload
  Duration wfsys_time = Duration::Millis(55);  // 50 ms low + INIT_DONE
  Duration fw_load_time = Duration::Millis(150);    // semaphore + patch + RAM + ready, together
  Duration restore_step_time = Duration::Nanos(0);  // the restore step itself is the host's
};

class FwSim {
 public:
  static constexpr size_t kMaxPending = 16;
  // The 44-byte mt7925 RXD + a UNI result {cid, pad, le32 status}.
  static constexpr size_t kEventSize = 44 + wire::uni_result::kSize;

  struct FwKey {
    bool present = false;
    uint8_t cipher = 0;
    uint8_t key_id = 0;
    uint8_t key_len = 0;
    uint8_t key[kMaxKeyLen] = {};
  };
  struct Counters {
    uint32_t commands = 0;   // frames received while alive
    uint32_t swallowed = 0;  // frames received while hung or not loaded
    uint32_t responses = 0;
    uint32_t resets = 0;     // successful WFSYS resets
    uint32_t reloads = 0;    // firmware became ready
    uint32_t malformed = 0;  // frames DecodeFrame rejected
  };

  constexpr FwSim() = default;
  constexpr explicit FwSim(const FwSimConfig& c) : cfg_(c) {}

  bool hung() const { return hung_; }
  bool running() const { return loaded_ && !hung_; }
  const Counters& counters() const { return counters_; }
  const FwKey& key(uint8_t wcid, int slot) const { return keys_[wcid][slot]; }
  bool bss_active(uint8_t bss_idx) const { return bss_idx < kMaxBssLinks && bss_[bss_idx]; }
  bool sta_present(uint8_t wcid) const { return wcid < kWtblSize && sta_[wcid]; }
  bool device_present() const { return dev_; }

  // Faults injected directly (the config's triggers count commands): the firmware stops
  // answering now; or it reports an assert (COREDUMP event at `now`) and then stops.
  void Hang() { hung_ = true; }
  void Assert(Instant now) {
    if (!running()) return;
    hung_ = true;
    Queue(now, 0, uni_event::kCoredump, 0, /*unsolicited=*/true);
  }

  // A liveness probe (a register heartbeat in the driver): answers iff the firmware runs.
  bool Probe() const { return running(); }

  // Takes one host-to-device frame at `now`.
  void Receive(ConstBytes frame, Instant now) {
    if (!running()) {
      ++counters_.swallowed;
      return;
    }
    Result<DecodedFrame> d = DecodeFrame(frame);
    if (!d.ok()) {
      ++counters_.malformed;
      return;
    }
    ++counters_.commands;
    ++since_reload_;
    const CmdWord cmd = d->cmd;
    if (ShouldHang(cmd)) {
      if (cfg_.hang_on_cmd_word != 0 && cmd.raw == cfg_.hang_on_cmd_word) hang_word_used_ = true;
      hung_ = true;
      ++counters_.swallowed;
      return;
    }
    if (cfg_.assert_at_cmd != 0 && counters_.commands == cfg_.arm_after_cmds + cfg_.assert_at_cmd) {
      hung_ = true;
      Queue(now, 0, uni_event::kCoredump, 0, /*unsolicited=*/true);
      return;
    }
    Apply(*d);
    if (d->uni && (d->option & uni_option::kAck) == 0) return;  // no ACK asked for
    const Duration lat = IsSlow(cmd) ? cfg_.slow_latency : cfg_.latency;
    Queue(now + lat, d->seq, uni_event::kResult, cmd.id(), false);
  }

  // The next event due at or before `now`, written to `out` (kEventSize bytes). kNoEnt when
  // none is due.
  Result<size_t> PollEvent(Instant now, MutableBytes out) {
    size_t best = kMaxPending;
    for (size_t i = 0; i < kMaxPending; ++i) {
      if (pending_[i].used && pending_[i].due <= now &&
          (best == kMaxPending || pending_[i].due < pending_[best].due)) {
        best = i;
      }
    }
    if (best == kMaxPending) return Errno::kNoEnt;
    if (out.size() < kEventSize) return Errno::kNoBufs;
    const Pending p = pending_[best];
    pending_[best].used = false;
    EventHeader h;
    h.eid = p.eid;
    h.seq = p.seq;
    h.option = static_cast<uint8_t>(event_option::kUniEvent |
                                    (p.unsolicited ? event_option::kUnsolicited : 0));
    uint8_t result[wire::uni_result::kSize] = {};  // {u8 cid, 3 pad, le32 status = 0}
    result[wire::uni_result::kCid] = p.cid;
    Result<size_t> n = EncodeEvent(kMt7925, h, ConstBytes(result), out);
    if (!n.ok()) return n.status();
    ++counters_.responses;
    return *n;
  }

  // When the next event is due, or Never().
  Instant NextEventAt() const {
    Instant t = Instant::Never();
    for (const Pending& p : pending_) {
      if (p.used) t = Earlier(t, p.due);
    }
    return t;
  }

  struct StepOutcome {
    bool ok = false;
    Instant done;  // when the host learns the result
  };

  // Runs a reset step at `now`. A WFSYS reset clears everything (the firmware is off until
  // kReady succeeds); the firmware-load steps share fw_load_time.
  StepOutcome RunStep(ResetStep step, Instant now) {
    const size_t i = static_cast<size_t>(step);
    Duration t = step == ResetStep::kWfsys     ? cfg_.wfsys_time
                 : step == ResetStep::kRestore ? cfg_.restore_step_time
                                               : Duration::Nanos(cfg_.fw_load_time.ns / 4);
    if (step_runs_[i] < cfg_.step_failures[i]) {
      ++step_runs_[i];
      return {false, now + t};
    }
    ++step_runs_[i];
    if (step == ResetStep::kWfsys) {
      WipeState();
      ++counters_.resets;
    }
    if (step == ResetStep::kReady) {
      loaded_ = true;
      hung_ = false;
      since_reload_ = 0;
      ++counters_.reloads;
      ++reloads_;
    }
    return {true, now + t};
  }

 private:
  struct Pending {
    bool used = false;
    bool unsolicited = false;
    uint8_t seq = 0;
    uint8_t eid = 0;
    uint8_t cid = 0;
    Instant due;
  };

  static bool IsSlow(CmdWord c) {
    return c.uni() && (c.id() == uni::kScanReq || c.id() == uni::kEfuseCtrl ||
                       c.id() == uni::kGetMibInfo || c.id() == 0x27 /* ROC */);
  }

  bool ShouldHang(CmdWord cmd) const {
    if (counters_.commands <= cfg_.arm_after_cmds) return false;
    if (cfg_.hang_at_cmd != 0 && counters_.commands == cfg_.arm_after_cmds + cfg_.hang_at_cmd)
      return true;
    if (cfg_.hang_on_cmd_word != 0 && cmd.raw == cfg_.hang_on_cmd_word && !hang_word_used_)
      return true;
    if (cfg_.hang_on_bss_after_sta_remove && sta_removed_ &&
        cmd == CmdWord::Uni(uni::kBssInfoUpdate))
      return true;
    if (cfg_.hang_in_restore_times != 0 && reloads_ != 0 &&
        reloads_ <= cfg_.hang_in_restore_times && since_reload_ == cfg_.restore_hang_cmd) {
      return true;
    }
    return false;
  }

  void Queue(Instant due, uint8_t seq, uint8_t eid, uint8_t cid, bool unsolicited) {
    for (Pending& p : pending_) {
      if (!p.used) {
        p = Pending{true, unsolicited, seq, eid, cid, due};
        return;
      }
    }
    // Queue full: the firmware drops the event, as a real one would under overload.
  }

  // Keeps what the commands establish: device, BSS, stations (STA_REC without a key TLV),
  // and keys (STA_REC_KEY_V3).
  void Apply(const DecodedFrame& d) {
    if (!d.uni) return;
    if (d.cmd == CmdWord::Uni(uni::kDevInfoUpdate)) dev_ = true;
    if (d.cmd == CmdWord::Uni(uni::kBssInfoUpdate)) {
      Result<uint8_t> bss = d.payload.u8(0);  // bss_info's fixed header starts with bss_idx
      if (bss.ok() && *bss < kMaxBssLinks) bss_[*bss] = true;
      sta_removed_ = false;
    }
    if (d.cmd != CmdWord::Uni(uni::kStaRecUpdate)) return;
    Result<uint8_t> wcid = d.payload.u8(wire::sta_req::kWlanIdxLo);
    if (!wcid.ok() || *wcid >= kWtblSize) return;
    Result<ConstBytes> tlvs = d.payload.From(wire::sta_req::kSize);
    if (!tlvs.ok()) return;
    TlvIteratorLite it(*tlvs);
    bool had_key = false;
    bool removed = false;
    for (;;) {
      uint16_t tag = 0;
      ConstBytes v;
      if (!it.Next(&tag, &v)) break;
      if (tag == wire::key_v3::kTag && v.size() >= wire::key_v3::kSize - wire::tlv::kHeaderSize) {
        had_key = true;
        ApplyKey(*wcid, v);
      }
      if (tag == wire::kStaRecRemoveTag) {
        sta_[*wcid] = false;
        keys_[*wcid][0] = FwKey{};
        keys_[*wcid][1] = FwKey{};
        sta_removed_ = true;
        removed = true;
      }
    }
    if (!had_key && !removed) sta_[*wcid] = true;
  }

  // `v` is the TLV's value: the wire::key_v3 offsets less the 4-byte header.
  static constexpr size_t At(size_t key_v3_offset) {
    return key_v3_offset - wire::tlv::kHeaderSize;
  }

  void ApplyKey(uint8_t wcid, ConstBytes v) {
    const bool add = v[At(wire::key_v3::kAdd)] != 0;
    if (!add) {
      // A delete names no slot (mt7925_mcu_sta_key_tlv); the simulator drops both.
      ZeroizeBytes(reinterpret_cast<uint8_t*>(keys_[wcid]), sizeof(keys_[wcid]));
      keys_[wcid][0] = FwKey{};
      keys_[wcid][1] = FwKey{};
      return;
    }
    const uint8_t cipher = v[At(wire::key_v3::kCipherId)];
    FwKey& k = keys_[wcid][cipher == cipher3::kBipCmac128 ? 1 : 0];
    k.present = true;
    k.cipher = cipher;
    k.key_id = v[At(wire::key_v3::kKeyId)];
    const uint8_t len = v[At(wire::key_v3::kKeyLen)];
    k.key_len = len <= kMaxKeyLen ? len : kMaxKeyLen;
    CopyBytes(k.key, v.data() + At(wire::key_v3::kKey), kMaxKeyLen);
  }

  void WipeState() {
    loaded_ = false;
    hung_ = false;
    dev_ = false;
    sta_removed_ = false;
    for (bool& b : bss_) b = false;
    for (bool& s : sta_) s = false;
    ZeroizeBytes(reinterpret_cast<uint8_t*>(keys_), sizeof(keys_));
    for (auto& w : keys_) {
      w[0] = FwKey{};
      w[1] = FwKey{};
    }
    for (Pending& p : pending_) p.used = false;
  }

  // The simulator's own minimal TLV walk (it must not depend on the code it tests more than
  // the frame decoder it shares with every host).
  class TlvIteratorLite {
   public:
    explicit TlvIteratorLite(ConstBytes b) : rest_(b) {}
    bool Next(uint16_t* tag, ConstBytes* value) {
      if (rest_.size() < wire::tlv::kHeaderSize) return false;
      const uint16_t len = *rest_.le16(wire::tlv::kLen);
      if (len < wire::tlv::kHeaderSize || len > rest_.size()) return false;
      *tag = *rest_.le16(wire::tlv::kTag);
      *value = ConstBytes(rest_.data() + wire::tlv::kHeaderSize, len - wire::tlv::kHeaderSize);
      rest_ = ConstBytes(rest_.data() + len, rest_.size() - len);
      return true;
    }

   private:
    ConstBytes rest_;
  };

  FwSimConfig cfg_;
  bool loaded_ = true;  // starts running: the scenario begins with a booted firmware
  bool hung_ = false;
  bool dev_ = false;
  bool sta_removed_ = false;
  bool hang_word_used_ = false;
  bool bss_[kMaxBssLinks] = {};
  bool sta_[kWtblSize] = {};
  FwKey keys_[kWtblSize][2];
  Pending pending_[kMaxPending];
  uint8_t step_runs_[kResetSteps] = {};
  uint32_t reloads_ = 0;
  uint32_t since_reload_ = 0;
  Counters counters_;
};

}  // namespace connac

#endif  // CONNAC_TESTING_FWSIM_H_
