// File: rig/vmt7925/model.h
//
// The virtual MT7925's firmware and MAC, sans-I/O: bytes and `now` in, bytes out.
//
// Inputs: USB bulk OUT bytes per endpoint (MCU commands, FW_SCATTER chunks, TX frames with
// their 64-byte TXD), vendor register reads/writes, frames heard on the medium, the medium's
// verdict on frames the device sent, and the passage of time (Advance). Outputs: buffers for
// bulk IN (MCU events, RX frames with their RXD, TX status), frames to put on the air, and
// the next deadline. The model never sleeps, locks, reads a clock or does I/O, so the USB
// transport (vmt7925 in the guest) and the unit tests on a virtual clock drive the same code.
//
// Driver facts the model relies on are cited in docs/rig.md (mt76 6.12 sources).
//
// Invariants:
// - Memory is bounded: stream buffers, output queues and tables have fixed caps; excess
//   input is dropped and counted, never grown without bound.
// - Malformed input is counted and (for MCU commands that decode) answered with an error
//   status; it never aborts the process.

#ifndef RIG_VMT7925_MODEL_H_
#define RIG_VMT7925_MODEL_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "rig/vmt7925/crypto.h"

namespace vmt {

using Bytes = std::vector<uint8_t>;
using Mac = std::array<uint8_t, 6>;

// Bulk OUT roles, in the order mt76u_set_endpoints takes them (mt76.h enum mt76_ep_out).
enum class OutEp : uint8_t { kInbandCmd = 0, kAcBe, kAcBk, kAcVi, kAcVo, kHcca, kCount };

struct ModelConfig {
  Mac mac = {0x02, 0x00, 0x79, 0x25, 0x00, 0x01};  // NIC-capability MAC address
  int64_t scan_ns = 350'000'000;                   // hw scan dwell before SCAN_DONE
  int64_t response_ns = 0;  // MCU answer latency (the "slow" fault raises it)
  // Firmware start latency: CONN_ON_MISC reports N9 ready this long after FW_START_REQ
  // (0 = at once).
  int64_t fw_ready_ns = 0;
  // Reload duration floor: after a WFSYS reset, N9 is ready no earlier than this long after
  // that reset, however fast the driver downloads (public logs show 0.2-0.5 s from the reset
  // to the loaded firmware on real hardware; mt76-digest.md section 5). 0 = no floor.
  int64_t reload_ns = 0;
  // Emit a device event for every MCU command (name, seq, BSS/key detail): the timeline's
  // device side.
  bool log_mcu = false;
  // HYPOTHESIS, not a known firmware behaviour: the firmware wedges (as kHang) on a key
  // command (STA_REC KEY_V3) or a BSS_INFO_UPDATE that does not re-activate it, for a BSS
  // index it was told to remove (BSS_INFO BASIC active=0). mac80211's disassociation order
  // makes stock 6.12 send such commands (mt7925-integration-facts.md section 4a); whether real
  // firmware minds is unknown. Off: such commands are only counted (strict_*_after_remove).
  bool strict_hypothesis = false;
  // MLO (issue 16, `vmt7925 run --mlo`): the NIC capability reports
  // MT792x_CHIP_CAP_MLO_EVT_EN, so the stock driver registers an MLO-capable wiphy
  // (mt7925/main.c mt7925_init_mlo_caps); the device then listens on the channel of every
  // active MLD link (BSS_INFO MLD TLV with a link id) besides the ROC/RLM channel, and sends a
  // frame on the channel of the link its TXD's WLAN_IDX belongs to. Off: nothing of this
  // changes what the device sends (links are only tracked for the status).
  bool mlo = false;
  size_t max_queue = 2048;  // per output queue
  size_t max_events = 4096;
};

// Faults for the outage scenarios (issue 14). Trigger: the Nth MCU command after arming, the
// first command with `on_cid` (UNI id) after arming (arm at a marker such as "roam started"),
// `after_ns` of the model's time after arming, or `now`.
//   kHang: stop answering MCU commands and passing data until a WFSYS reset.
//   kAssert: send the COREDUMP event, then hang.
//   kSlow: answer every command `slow_ns` late.
//   kResetFails: the next `count` firmware starts never report ready (the driver's poll of
//     CONN_ON_MISC times out and it retries the reset). Takes effect when armed.
struct FaultPlan {
  enum class Kind : uint8_t { kNone, kHang, kAssert, kSlow, kResetFails };
  Kind kind = Kind::kNone;
  uint32_t at_cmd = 0;  // 1-based count of MCU commands after arming; 0 = not used
  int on_cid = -1;      // UNI command id; -1 = not used
  bool now = false;
  int64_t after_ns = 0;  // > 0: fire this long after arming
  int64_t slow_ns = 0;   // kSlow: answer latency
  uint32_t count = 0;    // kResetFails: how many reloads fail
};

struct Counters {
  uint64_t mcu_commands = 0;
  uint64_t mcu_malformed = 0;      // frames the core's DecodeFrame rejected
  uint64_t mcu_unanswered = 0;     // swallowed while hung
  uint64_t mcu_answered_late = 0;  // answers held back by the slow fault
  uint64_t fw_scatter_bytes = 0;
  uint64_t fw_starts = 0;
  uint64_t fw_start_failures = 0;  // starts that never became ready (kResetFails)
  uint64_t wfsys_resets = 0;
  uint64_t bulk_malformed = 0;  // USB stream headers that made no sense
  uint64_t keys_set = 0;        // KEY_V3 add commands accepted
  uint64_t keys_removed = 0;
  // Key commands re-encoded with the core's connac::EncodeKeyAction from their decoded fields
  // and compared byte for byte with what the driver sent (seq aside).
  uint64_t key_frames_core_match = 0;
  uint64_t key_frames_core_mismatch = 0;
  uint64_t frames_encrypted = 0;
  uint64_t frames_decrypted = 0;
  uint64_t frames_dropped_nokey = 0;  // RX protected with no key, or TX PROTECT with no key
  uint64_t frames_dropped_mic = 0;
  uint64_t tx_frames = 0;  // from the host, put on the air
  uint64_t tx_dropped = 0;
  uint64_t rx_frames = 0;  // to the host
  uint64_t txs_sent = 0;
  uint64_t queue_drops = 0;
  // Commands for a BSS index after its BSS_INFO BASIC active=0 (the hypothesis' triggers),
  // counted whether or not strict_hypothesis is on; strict_wedged: the hypothesis fired.
  uint64_t strict_key_after_remove = 0;
  uint64_t strict_bss_after_remove = 0;
  uint64_t strict_wedged = 0;
  uint64_t events_dropped = 0;
  uint64_t mld_tlv_malformed = 0;  // STA_REC/BSS_INFO MLD TLVs too short or out of range
  uint64_t mlo_roc = 0;            // ROC requests with a SUB_LINK TLV (mt7925_mcu_set_mlo_roc)
  std::map<std::string, uint64_t> mcu_by_name;
};

// Something the device did or saw, for the rig's timeline (vmt7925 logs each with its time).
// Texts are stable (rig/report parses them):
//   mcu <KIND>_<NAME> word=0x%08x seq=N [detail]   a command (log_mcu only)
//   unanswered <KIND>_<NAME> word=0x%08x seq=N     swallowed: hung
//   fault armed <kind> | fault fired <kind> [at <KIND>_<NAME> word=.. seq=N] | fault cleared
//   event <NAME> sent                               an unsolicited event (log_mcu only)
//   coredump sent | wfsys reset | fw start | fw start never ready | fw ready
//   hypothesis strict: <key|bss> command for removed bss N: <KIND>_<NAME> word=.. seq=N
//   hypothesis strict: wedged
struct DeviceEvent {
  int64_t at = 0;
  std::string text;
};

struct KeyEntry {
  uint8_t wcid = 0;
  uint8_t bss_idx = 0;
  bool pairwise = false;
  Cipher cipher = Cipher::kNone;
  uint8_t key_id = 0;
  uint8_t key_len = 0;
  std::array<uint8_t, 32> key{};
  Mac peer{};
  uint64_t tx_pn = 0;
};

// What the firmware was told about one BSS index (one link of an MLD vif, or a legacy BSS):
// BSS_INFO BASIC, RLM and MLD TLVs, the own link address from the DEV_INFO that preceded the
// BASIC of mt76_connac_mcu_uni_add_dev, and per-link counters. Counters restart when the
// link's BSSID changes (a roam re-uses the BSS index for the new AP).
struct LinkInfo {
  uint8_t bss_idx = 0;
  bool active = false;     // BASIC active (0: mt792x_mac_link_bss_remove)
  bool connected = false;  // BASIC conn_state == 0 (mt7925_mcu_bss_basic_tlv: !enable)
  uint8_t link_id = 0xff;  // MLD TLV link_id; 0xff: not an MLD link
  uint8_t group_mld_id = 0xff;
  uint8_t own_mld_id = 0xff;
  uint8_t band = 0;     // RLM band: 1 = 2.4, 2 = 5, 3 = 6 GHz (CMD_BAND_*)
  uint8_t channel = 0;  // RLM control channel
  uint32_t freq = 0;
  bool has_bssid = false;
  bool has_own = false;
  Mac bssid{};
  Mac mld_addr{};              // MLD TLV mac_addr (the vif's MLD address)
  Mac own{};                   // DEV_INFO omac_addr of this link
  uint16_t bmc_wcid = 0xffff;  // BASIC bmc_tx_wlan_idx (the link's BSS wcid)
  uint16_t sta_wcid = 0xffff;  // BASIC sta_idx
  uint64_t frames_decrypted = 0;
  uint64_t frames_encrypted = 0;
  uint64_t rx_frames = 0;
  uint64_t tx_frames = 0;
  bool mld() const { return link_id != 0xff; }
};

struct AirTx {
  uint32_t freq = 0;
  Bytes frame;
  uint64_t token = 0;
  bool no_ack = false;
};

class Model {
 public:
  explicit Model(const ModelConfig& cfg = {});

  // --- USB side ---
  // Vendor requests (mt792xu_rr / _wr / uhw_rr / uhw_wr / mcu_power_on).
  uint32_t ReadReg(uint32_t addr, int64_t now);
  void WriteReg(uint32_t addr, uint32_t val, int64_t now);
  uint32_t UhwRead(uint32_t addr, int64_t now);
  void UhwWrite(uint32_t addr, uint32_t val, int64_t now);
  void PowerOn(int64_t now);
  // Bytes read from bulk OUT endpoint `ep`, in order. Transfers may be split or merged: the
  // endpoint is parsed as a stream of [le32 len][len bytes][pad to 4][4-byte tail].
  void OnBulkOut(OutEp ep, const uint8_t* data, size_t len, int64_t now);
  // The transport saw FunctionFS DISABLE (usb_reset_device): drop partial stream state.
  void OnUsbReset();

  // --- Medium side ---
  // A frame a radio put on the air at `freq`. Returns true when the device acknowledges it
  // (unicast to one of its addresses, on its channel).
  bool OnAir(uint32_t freq, const uint8_t* frame, size_t len, int signal_dbm, int64_t now);
  // The medium's verdict on AirTx `token`.
  void OnAirTxStatus(uint64_t token, bool acked, int64_t now);

  // --- Time and outputs ---
  void Advance(int64_t now);
  int64_t NextDeadline() const;  // INT64_MAX when nothing is scheduled
  bool PopToHost(Bytes* out);
  bool PopToAir(AirTx* out);

  // Device events in order; bounded (max_events, the rest counted in events_dropped).
  bool PopEvent(DeviceEvent* out);

  // --- Control ---
  void ArmFault(const FaultPlan& plan, int64_t now);
  void ClearFault(int64_t now);
  bool hung() const { return hung_; }
  const Counters& counters() const { return counters_; }
  // key=value lines: counters, keys per wcid/link, state. Stable names (the rig report reads
  // them).
  std::string StatusText() const;
  const std::vector<KeyEntry>& keys() const { return keys_; }
  uint32_t freq() const { return freq_; }
  const std::map<uint8_t, LinkInfo>& links() const { return links_; }
  // True when the device receives on `freq`: the ROC/RLM channel, or (MLO) an active MLD
  // link's channel.
  bool Listening(uint32_t freq) const;

  // Command parsing entry point for tests and the fuzzer: one MCU frame (TXD onwards).
  void HandleMcuFrame(const uint8_t* f, size_t len, int64_t now);

 private:
  struct Station {
    uint8_t wcid = 0;
    uint8_t bss_idx = 0;
    Mac peer{};
    uint16_t seq[17] = {};
    // STA_REC_MLD (mt7925_mcu_sta_mld_tlv): the peer MLD and its per-link wcids. link_num 0
    // (a non-MLD station: the TLV is still sent) leaves mld false.
    bool mld = false;
    Mac mld_addr{};
    uint16_t mld_primary = 0;
    uint16_t mld_secondary = 0;
  };
  struct PendingTxs {
    uint64_t token = 0;
    uint16_t wcid = 0;
    uint8_t pid = 0;
    bool want = false;
  };
  struct Timed {
    int64_t due = 0;
    Bytes bytes;
  };

  void HandlePacket(OutEp ep, const uint8_t* p, size_t len, int64_t now);
  void HandleScatter(const uint8_t* p, size_t len);
  void HandleTx(const uint8_t* p, size_t len, int64_t now);
  void HandleUni(uint16_t cid, uint8_t seq, bool query, const uint8_t* pl, size_t n, int64_t now);
  void HandleLegacy(uint8_t cid, uint8_t seq, const uint8_t* pl, size_t n, int64_t now);
  void HandleStaRec(const uint8_t* pl, size_t n, uint32_t* status);
  void HandleBssInfo(const uint8_t* pl, size_t n, bool after_dev_info);
  void HandleDevInfo(const uint8_t* pl, size_t n);
  void HandleRoc(const uint8_t* pl, size_t n, int64_t now);
  void HandleScan(const uint8_t* pl, size_t n, int64_t now);
  void HandleStaMld(Station* s, const uint8_t* t, size_t len, uint32_t* status);
  LinkInfo* LinkFor(uint8_t bss_idx);  // creates it; nullptr past the cap
  const LinkInfo* LinkForWcid(uint16_t wcid) const;
  uint32_t TxFreq(uint16_t wcid) const;
  void TranslateToLink(uint16_t wcid, Bytes* mpdu) const;
  bool MldView(const Station& st, const uint8_t* f, size_t len, Bytes* out) const;
  void ApplyKey(const uint8_t* sta_hdr, const uint8_t* tlv, size_t tlv_len, uint32_t* status);
  void CheckKeyFrameAgainstCore(const uint8_t* f, size_t len, uint8_t seq);
  bool MaybeTriggerFault(uint16_t cid, const std::string& what, int64_t now);
  // True when the current command is swallowed. `what`: the command that fired it, if any.
  bool FireFault(const std::string& what, int64_t now);
  // The strict-firmware hypothesis: true when the command (UNI `cid`, payload) is a key or
  // BSS command for a removed BSS; `detail` says which.
  bool ForRemovedBss(uint16_t cid, const uint8_t* pl, size_t n, std::string* detail) const;
  std::string McuDetail(uint16_t cid, const uint8_t* pl, size_t n) const;
  void Event(int64_t now, std::string text);
  void CheckFwReady(int64_t now);
  void WfsysReset(int64_t now);

  void Respond(uint8_t eid, uint8_t seq, uint8_t option, uint8_t ext, const Bytes& payload,
               int64_t now);
  void Unsolicited(uint8_t eid, const Bytes& payload, int64_t now);
  void PushHost(Bytes b);
  void SendTxs(const PendingTxs& p, bool acked);
  void DeliverRx(uint32_t freq, const Bytes& frame, uint16_t wcid, bool unicast, bool multicast,
                 Cipher cipher, uint64_t pn, uint8_t key_id);

  Station* StationByWcid(uint16_t wcid);
  Station* StationByPeer(const uint8_t* addr);
  KeyEntry* FindKey(bool pairwise, uint16_t wcid, const uint8_t* peer, uint8_t key_id);
  bool IsOwnAddr(const uint8_t* a) const;

  ModelConfig cfg_;
  Counters counters_;
  std::map<uint32_t, uint32_t> regs_;
  uint32_t conn_on_misc_ = 0;
  bool fw_running_ = false;
  int64_t fw_ready_at_ = -1;     // >= 0: N9 ready from then on
  int64_t wfsys_reset_at_ = -1;  // the last WFSYS reset (reload floor)
  uint32_t reset_fails_left_ = 0;
  uint32_t scatter_left_ = 0;
  std::array<Bytes, static_cast<size_t>(OutEp::kCount)> streams_;

  // MAC state the firmware was told about.
  std::vector<Mac> own_addrs_;
  std::map<uint8_t, LinkInfo> links_;  // by BSS index; at most kMaxLinks
  // DEV_INFO active {link_idx, addr} waiting for the BSS_INFO BASIC of the same
  // mt76_connac_mcu_uni_add_dev (the next command), which names the BSS index.
  bool dev_pending_ = false;
  uint8_t dev_pending_link_idx_ = 0;
  Mac dev_pending_addr_{};
  std::map<uint8_t, bool> bss_active_;  // BASIC active flag last seen per bss_idx
  std::vector<Station> stations_;
  std::vector<KeyEntry> keys_;
  uint32_t freq_ = 0;
  bool scanning_ = false;
  int64_t scan_done_at_ = 0;
  uint16_t mgmt_seq_ = 0;

  // Outputs.
  std::deque<Timed> to_host_timed_;
  std::deque<Bytes> to_host_;
  std::deque<AirTx> to_air_;
  std::deque<PendingTxs> txs_pending_;
  uint64_t next_token_ = 1;

  // Faults.
  FaultPlan fault_;
  bool fault_armed_ = false;
  uint32_t cmds_since_arm_ = 0;
  int64_t fault_fire_at_ = -1;
  bool hung_ = false;
  std::deque<DeviceEvent> events_;
};

// Channel number <-> centre frequency (MHz) for 2.4/5/6 GHz.
uint32_t ChannelToFreq(uint8_t band, uint8_t ch);
uint8_t FreqToChannel(uint32_t freq);

}  // namespace vmt

#endif  // RIG_VMT7925_MODEL_H_
