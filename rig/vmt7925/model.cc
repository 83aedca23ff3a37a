// File: rig/vmt7925/model.cc
//
// Every layout below is read from Linux 6.12 drivers/net/wireless/mediatek/mt76 (docs/rig.md
// lists each fact with its file and function). MCU commands are decoded with the core's
// connac::DecodeFrame; event headers follow connac::LayoutOf(connac::kMt7925).

#include "rig/vmt7925/model.h"

#include <climits>
#include <cstdio>
#include <cstring>

#include "connac/bytes.h"
#include "connac/family.h"
#include "connac/keys.h"
#include "connac/mcu_cmd.h"
#include "connac/mcu_event.h"
#include "connac/mcu_frame.h"
#include "connac/mcu_ids.h"

namespace vmt {
namespace {

constexpr size_t kUsbHdr = 4;
constexpr size_t kUsbTail = 4;
constexpr size_t kStreamCap = 256 * 1024;
constexpr size_t kSdioTxd = 64;  // MT_SDIO_TXD_SIZE
constexpr size_t kRxdBase = 32;  // 8 dwords (mt7925_mac_fill_rx)
constexpr size_t kRxdGroup1 = 16;
constexpr uint16_t kNoWcid = 0xfff;  // >= MT76_N_WCIDS: the driver finds no station

// Registers (mt792x_regs.h, mt7925/regs.h).
constexpr uint32_t kHwChipId = 0x70010200;
constexpr uint32_t kHwRev = 0x70010204;
constexpr uint32_t kConnOnMisc = 0x7c0600f0;
constexpr uint32_t kWfsysInitDone = 0x184c1604;
constexpr uint32_t kWfsysRst = 0x70028600;  // MT7925_CBTOP_RGU_WF_SUBSYS_RST (UHW)

// UNI commands and tags (mt76_connac_mcu.h, mt7925/mcu.h).
constexpr uint8_t kUniDevInfo = 0x01;
constexpr uint8_t kUniBssInfo = 0x02;
constexpr uint8_t kUniStaRec = 0x03;
constexpr uint8_t kUniOffload = 0x06;
constexpr uint8_t kUniSuspend = 0x05;
constexpr uint8_t kUniChipConfig = 0x0e;
constexpr uint8_t kUniScanReq = 0x16;
constexpr uint8_t kUniRoc = 0x27;
constexpr uint8_t kEventScanDone = 0x0e;
constexpr uint8_t kEventRoc = 0x27;
constexpr uint8_t kEventCoredump = 0x0a;
constexpr uint16_t kStaRecBasic = 0x00;
constexpr uint16_t kStaRecRemove = 0x25;
constexpr uint16_t kBssInfoBasic = 0;
constexpr uint16_t kBssInfoRlm = 2;
constexpr uint16_t kBssInfoMld = 26;      // UNI_BSS_INFO_MLD (mt76_connac_mcu.h)
constexpr uint16_t kStaRecMld = 0x20;     // STA_REC_MLD
constexpr uint16_t kStaRecEhtMld = 0x21;  // STA_REC_EHT_MLD
constexpr uint16_t kStaRecMldOff = 0x23;  // STA_REC_MLD_OFF
constexpr uint16_t kRocAcquire = 0;       // UNI_ROC_ACQUIRE (mt7925/mt7925.h)
constexpr uint16_t kRocSubLink = 3;       // UNI_ROC_SUB_LINK
// Sizes the driver sends (mt7925/mcu.h, mt76_connac_mcu.h): shorter TLVs are malformed.
constexpr size_t kBssBasicLen = 32;             // mt76_connac_bss_basic_tlv
constexpr size_t kBssMldLen = 20;               // bss_mld_tlv
constexpr size_t kStaMldLen = 28;               // sta_rec_mld
constexpr size_t kRocTlvLen = 24;               // roc_acquire_tlv
constexpr size_t kMaxLinks = 16;                // BSS indexes tracked (the driver uses 0..4)
constexpr uint16_t kNicCapChipCap = 0x20;       // MT_NIC_CAP_CHIP_CAP
constexpr uint64_t kChipCapMloEvtEn = 1u << 2;  // MT792x_CHIP_CAP_MLO_EVT_EN (mt792x.h)
constexpr uint8_t kOptUniEvent = 0x02;
constexpr uint8_t kOptUnsolicited = 0x04;

uint16_t Le16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
uint32_t Le32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
         (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}
void Put16(Bytes* b, size_t off, uint16_t v) {
  (*b)[off] = static_cast<uint8_t>(v);
  (*b)[off + 1] = static_cast<uint8_t>(v >> 8);
}
void Put32(Bytes* b, size_t off, uint32_t v) {
  for (int i = 0; i < 4; ++i) (*b)[off + i] = static_cast<uint8_t>(v >> (8 * i));
}
bool IsGroupAddr(const uint8_t* a) { return (a[0] & 1) != 0; }
bool IsBroadcast(const uint8_t* a) {
  for (int i = 0; i < 6; ++i) {
    if (a[i] != 0xff) return false;
  }
  return true;
}
Mac ToMac(const uint8_t* p) {
  Mac m;
  std::memcpy(m.data(), p, 6);
  return m;
}

// Walks UNI TLVs {le16 tag, le16 len incl. header} in [p, p+n); calls f(tag, tlv, len).
template <typename F>
void ForEachTlv(const uint8_t* p, size_t n, F f) {
  connac::TlvIterator it(connac::ConstBytes(p, n));
  for (auto t = it.Next(); t.ok(); t = it.Next()) {
    f(t->tag, t->value.data() - 4, static_cast<size_t>(t->len));
  }
}

}  // namespace

uint32_t ChannelToFreq(uint8_t band, uint8_t ch) {
  // band: 1 = 2.4 GHz, 2 = 5 GHz, 3 = 6 GHz (mt76_connac_mcu.h CMD_BAND_*).
  if (band == 3) return 5950 + 5u * ch;
  if (band == 2) return 5000 + 5u * ch;
  if (ch == 14) return 2484;
  return 2407 + 5u * ch;
}

uint8_t FreqToChannel(uint32_t freq) {
  if (freq == 2484) return 14;
  if (freq < 2484) return static_cast<uint8_t>((freq - 2407) / 5);
  if (freq >= 5955) return static_cast<uint8_t>((freq - 5950) / 5);
  return static_cast<uint8_t>((freq - 5000) / 5);
}

Model::Model(const ModelConfig& cfg) : cfg_(cfg) { own_addrs_.push_back(cfg_.mac); }

// ---------------------------------------------------------------- registers

uint32_t Model::ReadReg(uint32_t addr, int64_t now) {
  switch (addr) {
    case kHwChipId: return 0x00007925;
    case kHwRev: return 0;
    case kConnOnMisc: CheckFwReady(now); return conn_on_misc_;
    default: break;
  }
  auto it = regs_.find(addr);
  return it == regs_.end() ? 0 : it->second;
}

void Model::WriteReg(uint32_t addr, uint32_t val, int64_t /*now*/) {
  if (addr == kConnOnMisc) return;  // read-only status
  if (regs_.size() < 4096 || regs_.count(addr)) regs_[addr] = val;
}

uint32_t Model::UhwRead(uint32_t addr, int64_t now) {
  if (addr == kWfsysInitDone) return 0x00001d1e;  // MT7925_WFSYS_INIT_DONE
  return ReadReg(addr, now);
}

void Model::UhwWrite(uint32_t addr, uint32_t val, int64_t now) {
  if (addr == kWfsysRst) {
    const uint32_t old = ReadReg(addr, now);
    if ((val & 1) && !(old & 1)) WfsysReset(now);
  }
  WriteReg(addr, val, now);
}

void Model::PowerOn(int64_t /*now*/) { conn_on_misc_ |= 1; }  // MT_TOP_MISC2_FW_PWR_ON

void Model::CheckFwReady(int64_t now) {
  if (fw_ready_at_ < 0 || now < fw_ready_at_) return;
  const int64_t at = fw_ready_at_;
  fw_ready_at_ = -1;
  fw_running_ = true;
  conn_on_misc_ |= 3;  // MT_TOP_MISC2_FW_N9_RDY
  Event(at, "fw ready");
}

void Model::Event(int64_t now, std::string text) {
  if (events_.size() >= cfg_.max_events) {
    ++counters_.events_dropped;
    return;
  }
  events_.push_back({now, std::move(text)});
}

bool Model::PopEvent(DeviceEvent* out) {
  if (events_.empty()) return false;
  *out = std::move(events_.front());
  events_.pop_front();
  return true;
}

void Model::WfsysReset(int64_t now) {
  ++counters_.wfsys_resets;
  Event(now, "wfsys reset");
  wfsys_reset_at_ = now;
  bss_active_.clear();
  conn_on_misc_ = 0;
  fw_running_ = false;
  fw_ready_at_ = -1;
  scatter_left_ = 0;
  stations_.clear();
  keys_.clear();
  links_.clear();
  dev_pending_ = false;
  own_addrs_.assign(1, cfg_.mac);
  scanning_ = false;
  hung_ = false;
  to_host_timed_.clear();
  txs_pending_.clear();
}

void Model::OnUsbReset() {
  for (auto& s : streams_) s.clear();
}

// ---------------------------------------------------------------- bulk OUT streams

void Model::OnBulkOut(OutEp ep, const uint8_t* data, size_t len, int64_t now) {
  Bytes& s = streams_[static_cast<size_t>(ep)];
  if (s.size() + len > kStreamCap) {
    ++counters_.bulk_malformed;
    s.clear();
    return;
  }
  s.insert(s.end(), data, data + len);
  size_t off = 0;
  while (s.size() - off >= kUsbHdr) {
    const uint32_t hdr = Le32(s.data() + off);
    const size_t l = hdr & 0xffff;  // MT792x_SDIO_HDR_TX_BYTES
    if (l == 0) {
      // Zero padding between transfers (or a stray ZLP's worth): skip a word.
      off += 4;
      continue;
    }
    const size_t total = ((kUsbHdr + l + 3) & ~size_t{3}) + kUsbTail;
    if (s.size() - off < total) break;
    HandlePacket(ep, s.data() + off + kUsbHdr, l, now);
    off += total;
  }
  s.erase(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(off));
}

void Model::HandlePacket(OutEp ep, const uint8_t* p, size_t len, int64_t now) {
  if (ep == OutEp::kAcBe && scatter_left_ > 0) {
    HandleScatter(p, len);
    return;
  }
  if (len < connac::kHwTxdSize) {
    ++counters_.bulk_malformed;
    return;
  }
  const uint32_t dw0 = Le32(p);
  const uint8_t pkt_fmt = (dw0 >> 23) & 3;  // MT_TXD0_PKT_FMT
  if (pkt_fmt == 2) {                       // MT_TX_TYPE_CMD
    HandleMcuFrame(p, len, now);
    return;
  }
  HandleTx(p, len, now);
}

void Model::HandleScatter(const uint8_t* /*p*/, size_t len) {
  counters_.fw_scatter_bytes += len;
  scatter_left_ = len >= scatter_left_ ? 0 : scatter_left_ - static_cast<uint32_t>(len);
}

// ---------------------------------------------------------------- MCU

void Model::HandleMcuFrame(const uint8_t* f, size_t len, int64_t now) {
  const char* why = nullptr;
  connac::Result<connac::DecodedFrame> d = connac::DecodeFrame(connac::ConstBytes(f, len), &why);
  if (!d.ok()) {
    ++counters_.mcu_malformed;
    std::fprintf(stderr, "vmt7925: MCU frame rejected by DecodeFrame (%s), %zu bytes\n",
                 why ? why : "?", len);
    // Answer with an error if there is a plausible seq, so the driver does not time out.
    if (len >= 48 && f[39] >= 1 && f[39] <= 15) {
      Bytes st(8, 0);
      st[0] = f[36];
      Put32(&st, 4, 1);
      Respond(f[36], f[39], kOptUniEvent, 0, st, now);
    }
    return;
  }
  ++counters_.mcu_commands;
  const connac::CmdName name = connac::DescribeCmd(d->cmd);
  char key[48];
  std::snprintf(key, sizeof(key), "%s_%s", name.kind_name, name.name ? name.name : "UNKNOWN");
  if (counters_.mcu_by_name.size() < 256 || counters_.mcu_by_name.count(key)) {
    ++counters_.mcu_by_name[key];
  }
  char what[96];
  std::snprintf(what, sizeof(what), "%s word=0x%08x seq=%u", key, d->cmd.raw,
                static_cast<unsigned>(d->seq));
  if (cfg_.log_mcu) {
    Event(now, std::string("mcu ") + what +
                   (d->uni ? McuDetail(d->cid, d->payload.data(), d->payload.size()) : ""));
  }
  if (MaybeTriggerFault(d->uni ? d->cid : 0xffff, what, now)) return;
  if (hung_) {
    ++counters_.mcu_unanswered;
    Event(now, std::string("unanswered ") + what);
    return;
  }
  std::string removed;
  if (d->uni && ForRemovedBss(d->cid, d->payload.data(), d->payload.size(), &removed)) {
    ++(d->cid == kUniStaRec ? counters_.strict_key_after_remove
                            : counters_.strict_bss_after_remove);
    Event(now, "hypothesis strict: " + removed + ": " + what);
    if (cfg_.strict_hypothesis) {
      ++counters_.strict_wedged;
      ++counters_.mcu_unanswered;
      hung_ = true;
      Event(now, "hypothesis strict: wedged");
      Event(now, std::string("unanswered ") + what);
      return;
    }
  }
  if (d->uni && d->cid == kUniStaRec) CheckKeyFrameAgainstCore(f, len, d->seq);
  if (d->uni) {
    HandleUni(d->cid, d->seq, d->cmd.query(), d->payload.data(), d->payload.size(), now);
  } else {
    HandleLegacy(static_cast<uint8_t>(d->cid), d->seq, d->payload.data(), d->payload.size(), now);
  }
}

// mt7925_mcu_add_key sends a STA_REC_UPDATE with the sta_req_hdr and exactly one KEY_V3 TLV:
// rebuild that frame with the core's encoder from the decoded fields and compare. A mismatch
// means the core and the real driver disagree on the layout (logged with both frames' hex).
void Model::CheckKeyFrameAgainstCore(const uint8_t* f, size_t len, uint8_t seq) {
  if (len != connac::kKeyFrameSize) return;
  const uint8_t* hdr = f + connac::kUniHeaderSize;
  const uint8_t* t = hdr + connac::kStaReqHdrSize;
  if (Le16(hdr + 2) != 1 || Le16(t) != connac::kStaRecKeyV3Tag) return;
  connac::KeyAction a;
  a.bss_idx = hdr[0];
  a.wcid = hdr[1];
  a.muar_idx = hdr[5];
  a.add = t[4] != 0;
  a.pairwise = t[5] != 0;
  a.cipher_id = t[15];
  a.key_id = t[16];
  a.key_len = t[17];
  std::memcpy(a.peer.b, t + 8, 6);
  if (a.key_len <= connac::kMaxKeyLen) std::memcpy(a.key, t + 20, a.key_len);
  uint8_t out[connac::kKeyFrameSize];
  connac::Result<connac::ConstBytes> r =
      connac::EncodeKeyAction(connac::kMt7925, a, seq, connac::MutableBytes(out, sizeof(out)));
  if (r.ok() && r->size() == len && std::memcmp(r->data(), f, len) == 0) {
    ++counters_.key_frames_core_match;
    return;
  }
  ++counters_.key_frames_core_mismatch;
  std::string hex;
  char b[4];
  for (size_t i = 0; i < len; ++i) {
    std::snprintf(b, sizeof(b), "%02x", f[i]);
    hex += b;
  }
  hex += " core ";
  for (size_t i = 0; r.ok() && i < r->size(); ++i) {
    std::snprintf(b, sizeof(b), "%02x", (*r)[i]);
    hex += b;
  }
  std::fprintf(stderr, "vmt7925: KEY_V3 frame differs from connac::EncodeKeyAction: %s\n",
               hex.c_str());
}

bool Model::MaybeTriggerFault(uint16_t cid, const std::string& what, int64_t now) {
  if (!fault_armed_) return false;
  ++cmds_since_arm_;
  bool fire = fault_.now || (fault_.at_cmd != 0 && cmds_since_arm_ >= fault_.at_cmd) ||
              (fault_.on_cid >= 0 && cid == fault_.on_cid);
  if (!fire) return false;
  return FireFault(what, now);
}

namespace {
const char* KindName(FaultPlan::Kind k) {
  switch (k) {
    case FaultPlan::Kind::kHang: return "hang";
    case FaultPlan::Kind::kAssert: return "assert";
    case FaultPlan::Kind::kSlow: return "slow";
    case FaultPlan::Kind::kResetFails: return "reset-fails";
    case FaultPlan::Kind::kNone: break;
  }
  return "none";
}
}  // namespace

bool Model::FireFault(const std::string& what, int64_t now) {
  fault_armed_ = false;
  fault_fire_at_ = -1;
  std::string ev = std::string("fault fired ") + KindName(fault_.kind);
  if (!what.empty()) ev += " at " + what;
  Event(now, ev);
  switch (fault_.kind) {
    case FaultPlan::Kind::kHang:
      hung_ = true;
      if (what.empty()) return false;
      ++counters_.mcu_unanswered;
      Event(now, "unanswered " + what);
      return true;
    case FaultPlan::Kind::kAssert: {
      Bytes pl(4 + 8, 0);  // fixed header, then a small dump TLV
      Unsolicited(kEventCoredump, pl, now);
      Event(now, "coredump sent");
      hung_ = true;
      if (what.empty()) return false;
      ++counters_.mcu_unanswered;
      Event(now, "unanswered " + what);
      return true;
    }
    case FaultPlan::Kind::kSlow: cfg_.response_ns = fault_.slow_ns; return false;
    case FaultPlan::Kind::kResetFails:
    case FaultPlan::Kind::kNone: return false;
  }
  return false;
}

void Model::ArmFault(const FaultPlan& plan, int64_t now) {
  if (plan.kind == FaultPlan::Kind::kResetFails) {
    // Armed for the next reloads; the timeline still shows when (model.h event texts).
    reset_fails_left_ = plan.count;
    Event(now, "fault armed reset-fails");
    return;
  }
  fault_ = plan;
  fault_armed_ = plan.kind != FaultPlan::Kind::kNone;
  cmds_since_arm_ = 0;
  fault_fire_at_ = plan.after_ns > 0 ? now + plan.after_ns : -1;
  Event(now, std::string("fault armed ") + KindName(plan.kind));
  if (fault_armed_ && plan.now) FireFault("", now);  // without waiting for a command
}

void Model::ClearFault(int64_t now) {
  Event(now, "fault cleared");
  fault_armed_ = false;
  fault_fire_at_ = -1;
  reset_fails_left_ = 0;
  hung_ = false;
  cfg_.response_ns = 0;
}

void Model::Respond(uint8_t eid, uint8_t seq, uint8_t option, uint8_t ext, const Bytes& payload,
                    int64_t now) {
  const connac::RxdLayout l = connac::LayoutOf(connac::kMt7925);
  Bytes ev(l.payload + payload.size(), 0);
  const uint32_t total = static_cast<uint32_t>(ev.size());
  Put32(&ev, 0, total | (uint32_t{connac::rxd0::kPktTypeRxEvent} << connac::rxd0::kPktTypeShift));
  Put16(&ev, l.len, static_cast<uint16_t>(total - (l.payload - connac::kRxdTailSize)));
  Put16(&ev, l.pkt_type_id, 0xa000);
  ev[l.eid] = eid;
  ev[l.seq] = seq;
  ev[l.option] = option;
  ev[l.ext_eid] = ext;
  if (!payload.empty()) std::memcpy(ev.data() + l.payload, payload.data(), payload.size());
  if (cfg_.response_ns > 0) {
    if (to_host_timed_.size() >= cfg_.max_queue) {
      ++counters_.queue_drops;
      return;
    }
    ++counters_.mcu_answered_late;
    to_host_timed_.push_back({now + cfg_.response_ns, std::move(ev)});
    return;
  }
  PushHost(std::move(ev));
}

void Model::Unsolicited(uint8_t eid, const Bytes& payload, int64_t now) {
  if (cfg_.log_mcu) {
    const char* name = eid == kEventScanDone   ? "SCAN_DONE"
                       : eid == kEventRoc      ? "ROC_GRANT"
                       : eid == kEventCoredump ? "COREDUMP"
                                               : "UNKNOWN";
    Event(now, std::string("event ") + name + " sent");
  }
  Respond(eid, 0, kOptUniEvent | kOptUnsolicited, 0, payload, now);
}

void Model::PushHost(Bytes b) {
  if (to_host_.size() >= cfg_.max_queue) {
    ++counters_.queue_drops;
    return;
  }
  to_host_.push_back(std::move(b));
}

void Model::HandleLegacy(uint8_t cid, uint8_t seq, const uint8_t* pl, size_t n, int64_t now) {
  uint8_t ext = 0;  // PATCH_SEM_CONTROL / PATCH_FINISH_REQ read their result at +40
  switch (cid) {
    case connac::legacy::kPatchSemControl:
      // {le32 op}: get (1) -> PATCH_NOT_DL_SEM_SUCCESS (2); release (0) -> REL_SEM_SUCCESS (3).
      ext = (n >= 4 && Le32(pl) == 1) ? 2 : 3;
      break;
    case connac::legacy::kPatchStartReq:
    case connac::legacy::kTargetAddressLenReq:
      // {le32 addr, le32 len, le32 mode}: that many FW_SCATTER bytes follow on AC_BE.
      if (n >= 8) scatter_left_ = Le32(pl + 4);
      break;
    case connac::legacy::kFwStartReq:
      ++counters_.fw_starts;
      if (reset_fails_left_ > 0) {
        // The start is acknowledged but the firmware never reports ready: the driver's
        // CONN_ON_MISC poll (mt792x_load_firmware, 1500 ms) fails.
        --reset_fails_left_;
        ++counters_.fw_start_failures;
        Event(now, "fw start never ready");
        break;
      }
      Event(now, "fw start");
      fw_ready_at_ = now + cfg_.fw_ready_ns;
      if (wfsys_reset_at_ >= 0 && wfsys_reset_at_ + cfg_.reload_ns > fw_ready_at_) {
        fw_ready_at_ = wfsys_reset_at_ + cfg_.reload_ns;
      }
      CheckFwReady(now);
      break;
    default: break;
  }
  Respond(cid, seq, 0, ext, Bytes(8, 0), now);
}

void Model::HandleUni(uint16_t cid, uint8_t seq, bool /*query*/, const uint8_t* pl, size_t n,
                      int64_t now) {
  uint32_t status = 0;
  Bytes reply;
  // DEV_INFO's link address belongs to the BSS of the BSS_INFO sent right after it
  // (mt76_connac_mcu_uni_add_dev); any other command in between breaks the pair.
  const bool after_dev_info = dev_pending_;
  dev_pending_ = false;
  switch (cid) {
    case kUniDevInfo: HandleDevInfo(pl, n); break;
    case kUniBssInfo: HandleBssInfo(pl, n, after_dev_info); break;
    case kUniStaRec: HandleStaRec(pl, n, &status); break;
    case kUniRoc: HandleRoc(pl, n, now); break;
    case kUniScanReq: HandleScan(pl, n, now); break;
    case kUniChipConfig:
      // {rsv[4], le16 tag, le16 len}; tag 3 = UNI_CHIP_CONFIG_NIC_CAPA (sent as a SET: option
      // 0x06).
      if (n >= 6 && Le16(pl + 4) == 3) {
        // {le16 n_element, rsv[2]} + TLVs: MAC_ADDR (7), PHY (8), 6G (0x18)
        // (mt7925_mcu_get_nic_capability, mt7925_mcu_parse_phy_cap).
        reply.assign(4, 0);
        Put16(&reply, 0, cfg_.mlo ? 4 : 3);
        const size_t mac_off = reply.size();
        reply.resize(reply.size() + 12, 0);
        Put16(&reply, mac_off, 7);
        Put16(&reply, mac_off + 2, 12);
        std::memcpy(reply.data() + mac_off + 4, cfg_.mac.data(), 6);
        const size_t phy_off = reply.size();
        reply.resize(reply.size() + 20, 0);
        Put16(&reply, phy_off, 8);
        Put16(&reply, phy_off + 2, 20);
        const uint8_t phy[13] = {1, 1, 1, 2, 2, 0, 1, 1, 1, 1, 3, 1, 1};
        std::memcpy(reply.data() + phy_off + 4, phy, sizeof(phy));
        const size_t g6 = reply.size();
        reply.resize(reply.size() + 8, 0);
        Put16(&reply, g6, 0x18);
        Put16(&reply, g6 + 2, 8);
        if (cfg_.mlo) {
          // MT_NIC_CAP_CHIP_CAP {tag, len, le64 chip_cap}: read as le64 at tlv->data
          // (mt7925_mcu_get_nic_capability); only the MLO event bit is claimed.
          const size_t cc = reply.size();
          reply.resize(reply.size() + 12, 0);
          Put16(&reply, cc, kNicCapChipCap);
          Put16(&reply, cc + 2, 12);
          Put32(&reply, cc + 4, static_cast<uint32_t>(kChipCapMloEvtEn));
        }
        Respond(static_cast<uint8_t>(cid), seq, kOptUniEvent, 0, reply, now);
        return;
      }
      break;
    default: break;
  }
  // mt7925_mcu_parse_response: DEV_INFO, BSS_INFO, STA_REC, OFFLOAD, SUSPEND read
  // {u8 cid; u8 rsv[3]; le32 status}; everything else ignores the payload.
  (void)kUniOffload;
  (void)kUniSuspend;
  reply.assign(8, 0);
  reply[0] = static_cast<uint8_t>(cid);
  Put32(&reply, 4, status);
  Respond(static_cast<uint8_t>(cid), seq, kOptUniEvent, 0, reply, now);
}

// BSS_INFO: "bss=N", the BASIC active flag and the TLV tags; STA_REC: "bss=N wcid=N" and
// each key TLV (add/del, pairwise/group, key id) or REMOVE.
std::string Model::McuDetail(uint16_t cid, const uint8_t* pl, size_t n) const {
  char b[64];
  std::string s;
  if (cid == kUniBssInfo && n >= 4) {
    std::snprintf(b, sizeof(b), " bss=%u", pl[0]);
    s += b;
    std::string tags;
    ForEachTlv(pl + 4, n - 4, [&s, &tags, &b](uint16_t tag, const uint8_t* t, size_t len) {
      if (tag == kBssInfoBasic && len >= 18) s += t[4] ? " active=1" : " active=0";
      std::snprintf(b, sizeof(b), "%s%u", tags.empty() ? "" : ",", tag);
      tags += b;
    });
    if (!tags.empty()) s += " tlv=" + tags;
  } else if (cid == kUniStaRec && n >= connac::kStaReqHdrSize) {
    std::snprintf(b, sizeof(b), " bss=%u wcid=%u", pl[0], pl[1] | (pl[6] << 8));
    s += b;
    ForEachTlv(pl + connac::kStaReqHdrSize, n - connac::kStaReqHdrSize,
               [&s, &b](uint16_t tag, const uint8_t* t, size_t len) {
                 if (tag == connac::kStaRecKeyV3Tag && len >= 19) {
                   std::snprintf(b, sizeof(b), " key=%s,%s,id%u", t[4] ? "set" : "del",
                                 t[6] ? "pairwise" : "group", t[16]);
                   s += b;
                 } else if (tag == kStaRecRemove) {
                   s += " remove";
                 }
               });
  }
  return s;
}

bool Model::ForRemovedBss(uint16_t cid, const uint8_t* pl, size_t n, std::string* detail) const {
  if (n < 4) return false;
  const uint8_t bss = pl[0];
  auto it = bss_active_.find(bss);
  if (it == bss_active_.end() || it->second) return false;
  char b[64];
  if (cid == kUniStaRec && n >= connac::kStaReqHdrSize) {
    bool key = false;
    ForEachTlv(pl + connac::kStaReqHdrSize, n - connac::kStaReqHdrSize,
               [&key](uint16_t tag, const uint8_t*, size_t) {
                 key = key || tag == connac::kStaRecKeyV3Tag;
               });
    if (!key) return false;
    std::snprintf(b, sizeof(b), "key command for removed bss %u", bss);
  } else if (cid == kUniBssInfo) {
    bool activates = false;
    ForEachTlv(pl + 4, n - 4, [&activates](uint16_t tag, const uint8_t* t, size_t len) {
      activates = activates || (tag == kBssInfoBasic && len >= 18 && t[4] != 0);
    });
    if (activates) return false;
    std::snprintf(b, sizeof(b), "bss command for removed bss %u", bss);
  } else {
    return false;
  }
  *detail = b;
  return true;
}

void Model::HandleDevInfo(const uint8_t* pl, size_t n) {
  // {u8 omac_idx, band_idx, rsv[2]} + TLV 0 {tag, len, u8 active, u8 link_idx, omac_addr[6]}
  // (mt76_connac_mcu_uni_add_dev). An MLD's links share omac_idx 0 and differ in link_idx
  // and address (mt7925_mac_link_bss_add).
  if (n < 4) return;
  ForEachTlv(pl + 4, n - 4, [this](uint16_t tag, const uint8_t* t, size_t len) {
    if (tag != 0 || len < 12) return;
    const Mac a = ToMac(t + 6);
    bool known = false;
    for (const Mac& m : own_addrs_) known = known || m == a;
    // mac80211 gives an MLD's other links a random address per association
    // (mlme.c ieee80211_mgd_assoc): with MLO, an address DEV_INFO retires is dropped so that
    // roams do not fill the table (the NIC address stays).
    const size_t cap = cfg_.mlo ? 16 : 8;
    if (t[4] && !known && own_addrs_.size() < cap) own_addrs_.push_back(a);
    if (!t[4] && cfg_.mlo && a != cfg_.mac) {
      for (size_t i = own_addrs_.size(); i-- > 0;) {
        if (own_addrs_[i] == a)
          own_addrs_.erase(own_addrs_.begin() + static_cast<std::ptrdiff_t>(i));
      }
    }
    if (t[4]) {
      dev_pending_ = true;
      dev_pending_link_idx_ = t[5];
      dev_pending_addr_ = a;
    }
  });
}

LinkInfo* Model::LinkFor(uint8_t bss_idx) {
  auto it = links_.find(bss_idx);
  if (it != links_.end()) return &it->second;
  if (links_.size() >= kMaxLinks) return nullptr;
  LinkInfo& l = links_[bss_idx];
  l.bss_idx = bss_idx;
  return &l;
}

void Model::HandleBssInfo(const uint8_t* pl, size_t n, bool after_dev_info) {
  // {u8 bss_idx, rsv[3]} + TLVs. BASIC (0, mt76_connac_bss_basic_tlv): active +4,
  // band_idx +7, conn_state +12, bssid +14, le16 bmc_tx_wlan_idx +20, le16 sta_idx +26,
  // link_idx +31. RLM (2, bss_rlm_tlv): control_channel +4, band +12. MLD (26, bss_mld_tlv):
  // group_mld_id +4, own_mld_id +5, mac_addr +6, link_id +13 (0xff: not MLD)
  // (mt7925/mcu.c mt7925_mcu_bss_basic_tlv, mt7925_mcu_bss_rlm_tlv, mt7925_mcu_bss_mld_tlv).
  if (n < 4) return;
  const uint8_t bss_idx = pl[0];
  LinkInfo* link = LinkFor(bss_idx);
  ForEachTlv(pl + 4, n - 4, [&](uint16_t tag, const uint8_t* t, size_t len) {
    if (tag == kBssInfoBasic && len >= 18) {
      if (bss_active_.size() < 32 || bss_active_.count(bss_idx)) bss_active_[bss_idx] = t[4] != 0;
      if (link == nullptr) return;
      if (len < kBssBasicLen) {
        ++counters_.mld_tlv_malformed;
        return;
      }
      const bool was_active = link->active;
      link->active = t[4] != 0;
      link->connected = t[12] == 0;
      link->bmc_wcid = Le16(t + 20);
      link->sta_wcid = Le16(t + 26);
      const Mac bssid = ToMac(t + 14);
      if (bssid != Mac{} && (!link->has_bssid || bssid != link->bssid)) {
        // A new AP on this BSS index: its counters start from zero; the own link address
        // (from DEV_INFO) stays.
        LinkInfo fresh;
        fresh.bss_idx = link->bss_idx;
        fresh.has_own = link->has_own;
        fresh.own = link->own;
        *link = fresh;
        link->active = t[4] != 0;
        link->connected = t[12] == 0;
        link->bmc_wcid = Le16(t + 20);
        link->sta_wcid = Le16(t + 26);
        link->has_bssid = true;
        link->bssid = bssid;
      }
      if (after_dev_info && t[4] && t[31] == dev_pending_link_idx_) {
        link->own = dev_pending_addr_;
        link->has_own = true;
      }
      if (was_active && !link->active) {
        // mt792x_mac_link_bss_remove: the link is gone; its channel and MLD role with it.
        // Its group keys (the link's BSS wcid) go too: the WTBL entry is freed
        // (MLO only: a modelling choice, NOTES-mlo-vmt.md).
        link->freq = 0;
        link->channel = 0;
        link->band = 0;
        link->link_id = 0xff;
        if (cfg_.mlo) {
          for (size_t i = keys_.size(); i-- > 0;) {
            if (keys_[i].bss_idx == bss_idx && !keys_[i].pairwise) {
              keys_.erase(keys_.begin() + static_cast<std::ptrdiff_t>(i));
            }
          }
        }
      }
    } else if (tag == kBssInfoRlm && len >= 13) {
      if (t[4] != 0) freq_ = ChannelToFreq(t[12], t[4]);
      if (link != nullptr && t[4] != 0 && t[12] >= 1 && t[12] <= 3) {
        link->channel = t[4];
        link->band = t[12];
        link->freq = ChannelToFreq(t[12], t[4]);
      }
    } else if (tag == kBssInfoMld) {
      if (len < kBssMldLen) {
        ++counters_.mld_tlv_malformed;
        return;
      }
      if (link == nullptr) return;
      link->group_mld_id = t[4];
      link->own_mld_id = t[5];
      link->mld_addr = ToMac(t + 6);
      link->link_id = t[13] < 15 ? t[13] : 0xff;  // IEEE80211_MLD_MAX_NUM_LINKS
    }
  });
}

void Model::HandleRoc(const uint8_t* pl, size_t n, int64_t now) {
  // {rsv[4]} + roc_acquire_tlv {tag 0, len, bss_idx, tokenid, control_channel, sco, band,
  // bw, center_chan, center_chan2, bw_from_ap, cc_from_ap, cc2_from_ap, reqtype,
  // le32 maxinterval, dbdcband, rsv[3]} (mt7925_mcu_set_roc). Tag 1 = abort. The MLO ROC
  // (mt7925_mcu_set_mlo_roc) sends two such TLVs: ACQUIRE (0) for the primary link and
  // SUB_LINK (3) for the other, reqtype MLSR_AG (10) or MLSR_AA (11); the driver waits 4 s
  // for one ROC_GRANT (tag 0) event (mt7925/main.c mt7925_set_mlo_roc).
  if (n < 4) return;
  bool sub_link = false;
  ForEachTlv(pl + 4, n - 4, [&](uint16_t tag, const uint8_t* t, size_t len) {
    if (tag == kRocSubLink && len >= kRocTlvLen) sub_link = true;
    if (cfg_.mlo && (tag == kRocAcquire || tag == kRocSubLink) && len >= kRocTlvLen && t[8] >= 1 &&
        t[8] <= 3 && t[6] != 0) {
      // The granted channels become the links' channels (the grant is for both at once).
      auto it = links_.find(t[4]);
      if (it != links_.end() && it->second.mld()) {
        it->second.channel = t[6];
        it->second.band = t[8];
        it->second.freq = ChannelToFreq(t[8], t[6]);
      }
    }
    if (tag != kRocAcquire || len < kRocTlvLen) return;
    freq_ = ChannelToFreq(t[8], t[6]);
    // Grant: {rsv[4]} + mt7925_roc_grant_tlv {tag 0, len 20, bss_idx, tokenid, status,
    // primarychannel, rfsco, rfband, channelwidth, c1, c2, reqtype, dbdcband, rsv,
    // le32 max_interval} (mt7925_mcu_roc_handle_grant).
    Bytes g(4 + 20, 0);
    Put16(&g, 4, 0);
    Put16(&g, 6, 20);
    g[8] = t[4];    // bss_idx
    g[9] = t[5];    // tokenid
    g[10] = 0;      // status
    g[11] = t[6];   // primary channel
    g[12] = t[7];   // sco
    g[13] = t[8];   // band
    g[14] = t[9];   // bw
    g[15] = t[10];  // center chan
    g[16] = t[11];
    g[17] = t[15];                          // reqtype
    g[18] = t[20];                          // dbdcband
    std::memcpy(g.data() + 20, t + 16, 4);  // max interval
    Unsolicited(kEventRoc, g, now);
  });
  if (sub_link) ++counters_.mlo_roc;
}

void Model::HandleScan(const uint8_t* pl, size_t n, int64_t now) {
  // {u8 seq_num, bss_idx, rsv[2]} + TLVs; tag 1 = UNI_SCAN_REQ, tag 2 = UNI_SCAN_CANCEL.
  if (n < 4) return;
  ForEachTlv(pl + 4, n - 4, [this, now](uint16_t tag, const uint8_t*, size_t) {
    if (tag == 1) {
      scanning_ = true;
      scan_done_at_ = now + cfg_.scan_ns;
    } else if (tag == 2) {
      scanning_ = false;
    }
  });
}

void Model::HandleStaRec(const uint8_t* pl, size_t n, uint32_t* status) {
  // sta_req_hdr {bss_idx, wlan_idx_lo, le16 tlv_num, is_tlv_append, muar_idx, wlan_idx_hi,
  // rsv} + TLVs (mt76_connac_mcu.h).
  if (n < connac::kStaReqHdrSize) {
    *status = 1;
    return;
  }
  const uint8_t* hdr = pl;
  const uint16_t wcid = static_cast<uint16_t>(hdr[1] | (hdr[6] << 8));
  ForEachTlv(pl + connac::kStaReqHdrSize, n - connac::kStaReqHdrSize,
             [&](uint16_t tag, const uint8_t* t, size_t len) {
               if (tag == kStaRecBasic && len >= 20) {
                 // sta_rec_basic: conn_state at +8, peer_addr at +12.
                 Station* s = StationByWcid(wcid);
                 if (s == nullptr && stations_.size() < 32) {
                   stations_.push_back(Station{});
                   s = &stations_.back();
                   s->wcid = static_cast<uint8_t>(wcid);
                 }
                 if (s != nullptr) {
                   s->bss_idx = hdr[0];
                   s->peer = ToMac(t + 12);
                 }
               } else if (tag == kStaRecRemove) {
                 for (size_t i = 0; i < stations_.size(); ++i) {
                   if (stations_[i].wcid == wcid) {
                     stations_.erase(stations_.begin() + static_cast<std::ptrdiff_t>(i));
                     break;
                   }
                 }
                 for (size_t i = keys_.size(); i-- > 0;) {
                   if (keys_[i].wcid == wcid && keys_[i].pairwise) {
                     keys_.erase(keys_.begin() + static_cast<std::ptrdiff_t>(i));
                   }
                 }
               } else if (tag == connac::kStaRecKeyV3Tag) {
                 ApplyKey(hdr, t, len, status);
               } else if (tag == kStaRecMld) {
                 HandleStaMld(StationByWcid(wcid), t, len, status);
               } else if (tag == kStaRecMldOff) {
                 Station* s = StationByWcid(wcid);
                 if (s != nullptr) s->mld = false;
               } else if (tag == kStaRecEhtMld && len < 16) {
                 ++counters_.mld_tlv_malformed;  // sta_rec_eht_mld is 16 bytes
                 *status = 1;
               }
             });
}

void Model::HandleStaMld(Station* s, const uint8_t* t, size_t len, uint32_t* status) {
  // sta_rec_mld {tag, len, mac_addr[6], le16 primary_id, le16 secondary_id, le16 wlan_id,
  // u8 link_num, rsv[3], {le16 wlan_id, u8 bss_idx, rsv}[2]} (mt7925/mcu.h; filled by
  // mt7925_mcu_sta_mld_tlv: link_num = min(valid links, 2), 0 for a non-MLD vif).
  if (len < kStaMldLen || t[16] > 2) {
    ++counters_.mld_tlv_malformed;
    *status = 1;
    return;
  }
  if (s == nullptr) return;  // BASIC comes first in the same command; none: nothing to tag
  s->mld = t[16] > 0;
  s->mld_addr = ToMac(t + 4);
  s->mld_primary = Le16(t + 10);
  s->mld_secondary = Le16(t + 12);
}

void Model::ApplyKey(const uint8_t* /*sta_hdr*/, const uint8_t* t, size_t len, uint32_t* status) {
  // sta_rec_sec_uni {tag, len, add, tx_key, key_type, is_authenticator, peer_addr[6],
  // bss_idx, cipher_id, key_id, key_len, wlan_idx, mgmt_prot, key[32], key_rsc[16]}
  // (mt7925/mcu.h; filled by mt7925_mcu_sta_key_tlv).
  if (len < connac::kStaRecKeyV3Size) {
    *status = 1;
    return;
  }
  KeyEntry k;
  const bool add = t[4] != 0;
  k.pairwise = t[6] != 0;
  k.peer = ToMac(t + 8);
  k.bss_idx = t[14];
  k.cipher = static_cast<Cipher>(t[15]);
  k.key_id = t[16];
  k.key_len = t[17];
  k.wcid = t[18];
  // BIP rides in its own slot (mt7925_set_link_key: hw_key_idx2) and names the GTK's key
  // id (mt7925_mcu_sta_key_tlv: key_id = sta_key_conf->keyidx): it must not replace the GTK.
  auto same = [&k, add](const KeyEntry& e) {
    const bool bip_slot =
        add && (k.cipher == Cipher::kBipCmac128) != (e.cipher == Cipher::kBipCmac128);
    return e.wcid == k.wcid && e.key_id == k.key_id && e.pairwise == k.pairwise && !bip_slot;
  };
  for (size_t i = keys_.size(); i-- > 0;) {
    if (same(keys_[i])) keys_.erase(keys_.begin() + static_cast<std::ptrdiff_t>(i));
  }
  if (!add) {
    ++counters_.keys_removed;
    return;
  }
  if (k.key_len > 32 || k.key_id > 7) {
    *status = 1;
    return;
  }
  std::memcpy(k.key.data(), t + 20, k.key_len);
  if (keys_.size() >= 64) {
    *status = 1;
    return;
  }
  keys_.push_back(k);
  ++counters_.keys_set;
}

// ---------------------------------------------------------------- data path

Model::Station* Model::StationByWcid(uint16_t wcid) {
  for (Station& s : stations_) {
    if (s.wcid == wcid) return &s;
  }
  return nullptr;
}

Model::Station* Model::StationByPeer(const uint8_t* addr) {
  for (Station& s : stations_) {
    if (std::memcmp(s.peer.data(), addr, 6) == 0) return &s;
  }
  return nullptr;
}

KeyEntry* Model::FindKey(bool pairwise, uint16_t wcid, const uint8_t* peer, uint8_t key_id) {
  for (KeyEntry& k : keys_) {
    if (k.pairwise != pairwise) continue;
    if (pairwise) {
      if (k.wcid == wcid && (key_id == 0xff || k.key_id == key_id)) return &k;
    } else if (std::memcmp(k.peer.data(), peer, 6) == 0 && k.key_id == key_id) {
      return &k;
    }
  }
  return nullptr;
}

bool Model::IsOwnAddr(const uint8_t* a) const {
  for (const Mac& m : own_addrs_) {
    if (std::memcmp(m.data(), a, 6) == 0) return true;
  }
  return false;
}

const LinkInfo* Model::LinkForWcid(uint16_t wcid) const {
  for (const Station& s : stations_) {
    if (s.wcid == wcid) {
      auto it = links_.find(s.bss_idx);
      return it == links_.end() ? nullptr : &it->second;
    }
  }
  for (const auto& [idx, l] : links_) {
    if (l.bmc_wcid == wcid) return &l;
  }
  return nullptr;
}

bool Model::Listening(uint32_t freq) const {
  if (freq == freq_) return true;
  if (!cfg_.mlo) return false;
  for (const auto& [idx, l] : links_) {
    if (l.mld() && l.active && l.freq == freq) return true;
  }
  return false;
}

uint32_t Model::TxFreq(uint16_t wcid) const {
  if (!cfg_.mlo) return freq_;
  // The TXD's WLAN_IDX names the link (mt792x_tx picks the link's wcid; TGID carries
  // band_idx 0xff for an MLD link, so it does not): the link's channel if it is an active
  // MLD link, else the ROC/RLM channel as without MLO.
  const LinkInfo* l = LinkForWcid(wcid);
  if (l != nullptr && l->mld() && l->active && l->freq != 0) return l->freq;
  return freq_;
}

// MAT: TXD6 DIS_MAT (bit 3) is clear for an MLD's data (mt7925_mac_write_txwi), and the
// stock driver hands such frames over with MLD addresses (its own rewrite in mt792x_tx only
// covers frames that do not come through the TX queues): the firmware puts the link's
// addresses in. A1/A3 = the peer MLD -> the peer's link address, A2 = our MLD -> our link
// address; anything else is left alone (A3 only in non-data frames). Only for a station on an
// active MLD link.
void Model::TranslateToLink(uint16_t wcid, Bytes* mpdu) const {
  if (mpdu->size() < 24) return;
  const Station* st = nullptr;
  for (const Station& s : stations_) {
    if (s.wcid == wcid) st = &s;
  }
  if (st == nullptr || !st->mld) return;
  auto it = links_.find(st->bss_idx);
  if (it == links_.end() || !it->second.mld() || !it->second.active) return;
  const LinkInfo& l = it->second;
  uint8_t* h = mpdu->data();
  if (std::memcmp(h + 4, st->mld_addr.data(), 6) == 0) std::memcpy(h + 4, st->peer.data(), 6);
  if (l.has_own && std::memcmp(h + 10, l.mld_addr.data(), 6) == 0) {
    std::memcpy(h + 10, l.own.data(), 6);
  }
  // A3 only when it is the BSSID (neither ToDS nor FromDS): a data frame's A3 is the DA/SA
  // and stays (mac80211 rx.c ieee80211_prepare_and_rx_handle and hwsim's TX translation
  // follow the same rule).
  if ((h[1] & 3) == 0 && std::memcmp(h + 16, st->mld_addr.data(), 6) == 0) {
    std::memcpy(h + 16, st->peer.data(), 6);
  }
}

// The frame as the peer MLD encrypted it: A1 = our MLD address, A2 = the peer's MLD address,
// A3 = the peer's MLD address where the air has its link address (non-data frames only, as
// in TranslateToLink). False when `st` is not
// an MLD station on an active MLD link.
bool Model::MldView(const Station& st, const uint8_t* f, size_t len, Bytes* out) const {
  if (!st.mld || len < 24) return false;
  auto it = links_.find(st.bss_idx);
  if (it == links_.end() || !it->second.mld() || !it->second.active) return false;
  out->assign(f, f + len);
  std::memcpy(out->data() + 4, it->second.mld_addr.data(), 6);
  std::memcpy(out->data() + 10, st.mld_addr.data(), 6);
  if ((f[1] & 3) == 0 && std::memcmp(f + 16, st.peer.data(), 6) == 0) {
    std::memcpy(out->data() + 16, st.mld_addr.data(), 6);
  }
  return true;
}

void Model::HandleTx(const uint8_t* p, size_t len, int64_t now) {
  // TXD (mt7925_mac_write_txwi): DW0 TX_BYTES; DW1 WLAN_IDX 11:0, HDR_FORMAT 15:14,
  // ETH_802_3 bit 20, TID 24:21; DW2 FRAME_TYPE 5:4, SUB_TYPE 3:0; DW3 NO_ACK bit 0,
  // PROTECT_FRAME bit 1, SN_VALID bit 31; DW5 PID 7:0, TX_STATUS_HOST bit 10.
  if (len < kSdioTxd + 14) {
    ++counters_.tx_dropped;
    return;
  }
  const uint32_t dw1 = Le32(p + 4), dw2 = Le32(p + 8), dw3 = Le32(p + 12), dw5 = Le32(p + 20);
  PendingTxs txs;
  txs.wcid = dw1 & 0xfff;
  txs.pid = dw5 & 0xff;
  txs.want = (dw5 & (1u << 10)) != 0;
  const uint8_t hdr_format = (dw1 >> 14) & 3;
  const bool protect = (dw3 & 2) != 0;
  const bool no_ack = (dw3 & 1) != 0;
  const uint8_t* fr = p + kSdioTxd;
  const size_t fl = len - kSdioTxd;
  if (hung_ || freq_ == 0) {
    ++counters_.tx_dropped;
    if (txs.want && !hung_) SendTxs(txs, false);
    return;
  }
  Bytes mpdu;
  if (hdr_format == 0) {  // MT_HDR_FORMAT_802_3: DA, SA, type/len, payload
    Station* st = StationByWcid(txs.wcid);
    if (st == nullptr) {
      ++counters_.tx_dropped;
      if (txs.want) SendTxs(txs, false);
      return;
    }
    const bool qos = ((dw2 >> 4) & 3) == 2 && (dw2 & 0xf) == 8;
    const uint8_t tid = (dw1 >> 21) & 0x7;
    const uint16_t ethertype = static_cast<uint16_t>((fr[12] << 8) | fr[13]);
    mpdu.assign(24 + (qos ? 2 : 0), 0);
    mpdu[0] = qos ? 0x88 : 0x08;
    mpdu[1] = 0x01;  // ToDS
    std::memcpy(&mpdu[4], st->peer.data(), 6);
    // With MAT (MLO) the frame is built with the peer's MLD address, encrypted, then
    // translated to the link's addresses (TranslateToLink).
    if (cfg_.mlo && st->mld && !(Le32(p + 24) & (1u << 3))) {
      std::memcpy(&mpdu[4], st->mld_addr.data(), 6);
    }
    std::memcpy(&mpdu[10], fr + 6, 6);
    std::memcpy(&mpdu[16], fr, 6);
    uint16_t& sn = st->seq[qos ? tid : 16];
    Put16(&mpdu, 22, static_cast<uint16_t>((sn++ & 0xfff) << 4));
    if (qos) mpdu[24] = tid;
    if (ethertype >= 0x600) {
      const uint8_t snap[8] = {0xaa, 0xaa, 0x03, 0, 0, 0, fr[12], fr[13]};
      mpdu.insert(mpdu.end(), snap, snap + 8);
    }
    mpdu.insert(mpdu.end(), fr + 14, fr + fl);
  } else {
    mpdu.assign(fr, fr + fl);
    if (HeaderLen(mpdu.data(), mpdu.size()) == 0 && mpdu.size() < 10) {
      ++counters_.tx_dropped;
      return;
    }
    if (!(dw3 & (1u << 31)) && mpdu.size() >= 24) {  // no SN_VALID: the device numbers it
      Put16(&mpdu, 22, static_cast<uint16_t>((mgmt_seq_++ & 0xfff) << 4));
    }
  }
  if (protect) {
    KeyEntry* k = FindKey(true, txs.wcid, nullptr, 0xff);
    if (k == nullptr || !IsAeadCipher(k->cipher)) {
      ++counters_.frames_dropped_nokey;
      if (txs.want) SendTxs(txs, false);
      return;
    }
    // TXD3 PN_VALID (bit 30): the host numbers the frame, TXD4 = PN 31:0, TXD5 31:16 = PN
    // 47:32 (mt76_connac3_mac.h; mt7603/mac.c fills it from key->tx_pn). Else the key's own
    // counter, which a reinstall restarts.
    uint64_t pn = ++k->tx_pn;
    if (dw3 & (1u << 30)) {
      pn = Le32(p + 16) | (static_cast<uint64_t>(dw5 >> 16) << 32);
      if (pn > k->tx_pn) k->tx_pn = pn;
    }
    Bytes enc;
    if (!EncryptMpdu(k->cipher, k->key.data(), k->key_len, pn, k->key_id, mpdu, &enc)) {
      ++counters_.tx_dropped;
      if (txs.want) SendTxs(txs, false);
      return;
    }
    ++counters_.frames_encrypted;
    auto li = links_.find(k->bss_idx);
    if (li != links_.end()) ++li->second.frames_encrypted;
    mpdu.swap(enc);
  }
  if (cfg_.mlo && !(Le32(p + 24) & (1u << 3))) TranslateToLink(txs.wcid, &mpdu);
  if (to_air_.size() >= cfg_.max_queue) {
    ++counters_.queue_drops;
    return;
  }
  AirTx a;
  a.freq = TxFreq(txs.wcid);
  a.frame = std::move(mpdu);
  a.token = next_token_++;
  a.no_ack = no_ack || IsGroupAddr(a.frame.data() + 4);
  txs.token = a.token;
  ++counters_.tx_frames;
  if (const LinkInfo* tl = LinkForWcid(txs.wcid); tl != nullptr) {
    ++links_[tl->bss_idx].tx_frames;
  }
  to_air_.push_back(std::move(a));
  if (txs.want) {
    if (txs_pending_.size() >= 256) txs_pending_.pop_front();
    txs_pending_.push_back(txs);
  }
  (void)now;
}

void Model::OnAirTxStatus(uint64_t token, bool acked, int64_t /*now*/) {
  for (auto it = txs_pending_.begin(); it != txs_pending_.end(); ++it) {
    if (it->token == token) {
      SendTxs(*it, acked);
      txs_pending_.erase(it);
      return;
    }
  }
}

void Model::SendTxs(const PendingTxs& p, bool acked) {
  // USB: rx_check handles TXS (mt7925_rx_check): 4-dword header, then 12-dword entries
  // (MT_TXS_HDR_SIZE, MT_TXS_SIZE). Entry: DW0 ACK_ERROR 18:16, TXS_FORMAT 24:23 = 0,
  // TX_RATE 13:0 (OFDM mode 1); DW2 WCID 27:16; DW3 PID 31:24.
  Bytes b(16 + 48, 0);
  Put32(&b, 0, static_cast<uint32_t>(b.size()));  // PKT_TYPE_TXS = 0
  uint32_t d0 = (1u << 6);                        // MT_TX_RATE_MODE = OFDM, idx 0
  if (!acked) d0 |= 1u << 16;                     // MT_TXS0_ACK_TIMEOUT
  d0 |= 1u << 15;                                 // TX_STATUS_HOST
  Put32(&b, 16, d0);
  Put32(&b, 16 + 8, static_cast<uint32_t>(p.wcid & 0xfff) << 16);
  Put32(&b, 16 + 12, static_cast<uint32_t>(p.pid) << 24);
  ++counters_.txs_sent;
  PushHost(std::move(b));
}

bool Model::OnAir(uint32_t freq, const uint8_t* f, size_t len, int /*signal_dbm*/,
                  int64_t /*now*/) {
  if (len < 24 || hung_ || !fw_running_) return false;
  const uint8_t type = (f[0] >> 2) & 3;
  const uint8_t subtype = f[0] >> 4;
  if (type == 1) return false;  // control frames: not bridged
  const uint8_t* a1 = f + 4;
  const uint8_t* a2 = f + 10;
  const bool group = IsGroupAddr(a1);
  const bool to_me = !group && IsOwnAddr(a1);
  if (!group && !to_me) return false;
  const bool beacon_like = type == 0 && (subtype == 8 || subtype == 5);
  if (!Listening(freq) && !(scanning_ && beacon_like)) return false;

  Station* st = StationByPeer(a2);
  const uint16_t wcid = st ? st->wcid : kNoWcid;
  const bool protect = (f[1] & 0x40) != 0;
  if (protect && (type == 2 || (type == 0 && !group))) {
    uint64_t pn = 0;
    uint8_t key_id = 0;
    if (!ReadCcmpHeader(f, len, &pn, &key_id)) {
      ++counters_.frames_dropped_mic;
      return to_me;
    }
    KeyEntry* k = group ? FindKey(false, 0, a2, key_id)
                        : (st ? FindKey(true, st->wcid, nullptr, key_id) : nullptr);
    if (k == nullptr) {
      ++counters_.frames_dropped_nokey;
      return to_me;
    }
    Bytes plain;
    // Between MLDs the AAD and nonce of an individually addressed frame carry the MLD
    // addresses (IEEE 802.11be; mac80211 encrypts before the link translation, hwsim and
    // mt792x_tx translate after): decrypt a copy with them, deliver the link addresses.
    Bytes mld_view;
    const uint8_t* in = f;
    if (cfg_.mlo && !group && st != nullptr && MldView(*st, f, len, &mld_view)) {
      in = mld_view.data();
    }
    if (!DecryptMpdu(k->cipher, k->key.data(), k->key_len, in, len, &plain, &pn, &key_id)) {
      ++counters_.frames_dropped_mic;
      return to_me;
    }
    if (in != f) std::memcpy(plain.data() + 4, f + 4, 18);  // A1..A3 as on the air
    ++counters_.frames_decrypted;
    auto li = links_.find(k->bss_idx);
    if (li != links_.end()) ++li->second.frames_decrypted;
    DeliverRx(freq, plain, wcid, to_me, group, k->cipher, pn, key_id);
    return to_me;
  }
  DeliverRx(freq, Bytes(f, f + len), wcid, to_me, group, Cipher::kNone, 0, 0);
  return to_me;
}

void Model::DeliverRx(uint32_t freq, const Bytes& frame, uint16_t wcid, bool unicast,
                      bool multicast, Cipher cipher, uint64_t pn, uint8_t key_id) {
  // RXD (mt7925_mac_fill_rx, mt76_connac3_mac.h): DW0 length | PKT_TYPE_NORMAL (2) << 27;
  // DW1 WLAN_IDX 11:0, GROUP_1 bit 16, KEY_ID 22:21; DW2 SEC_MODE 20:16, NON_AMPDU bit 30;
  // DW3 CH_FREQ 15:8, ADDR_TYPE 17:16 (1 = U2M). Group 1 (4 dwords) carries the PN
  // (bytes 0..5 = PN0..PN5) that mt76_check_ccmp_pn checks.
  const bool decrypted = cipher != Cipher::kNone;
  const size_t rxd = kRxdBase + (decrypted ? kRxdGroup1 : 0);
  Bytes b(rxd + frame.size(), 0);
  Put32(&b, 0, static_cast<uint32_t>(b.size()) | (2u << 27));
  uint32_t d1 = wcid & 0xfff;
  if (decrypted) d1 |= (1u << 16) | (static_cast<uint32_t>(key_id & 3) << 21);
  Put32(&b, 4, d1);
  uint32_t d2 = 1u << 30;
  if (decrypted) d2 |= static_cast<uint32_t>(cipher) << 16;
  Put32(&b, 8, d2);
  const uint32_t addr_type = unicast ? 1 : (multicast && IsBroadcast(frame.data() + 4) ? 3 : 2);
  // CH_FREQ: 6 GHz channels are coded as 181 + (ch - 1) / 4 (mt792x.h
  // mt792x_get_status_freq_info decodes > 180 as 6 GHz).
  uint32_t chfreq = FreqToChannel(freq);
  if (freq >= 5955) chfreq = 181 + (chfreq - 1) / 4;
  Put32(&b, 12, ((chfreq & 0xff) << 8) | (addr_type << 16));
  if (decrypted) {
    for (int i = 0; i < 6; ++i) b[kRxdBase + i] = static_cast<uint8_t>(pn >> (8 * i));
  }
  std::memcpy(b.data() + rxd, frame.data(), frame.size());
  ++counters_.rx_frames;
  if (const LinkInfo* rl = LinkForWcid(wcid); rl != nullptr) ++links_[rl->bss_idx].rx_frames;
  PushHost(std::move(b));
}

// ---------------------------------------------------------------- time and outputs

void Model::Advance(int64_t now) {
  CheckFwReady(now);
  if (fault_armed_ && fault_fire_at_ >= 0 && now >= fault_fire_at_) FireFault("", now);
  while (!to_host_timed_.empty() && to_host_timed_.front().due <= now) {
    PushHost(std::move(to_host_timed_.front().bytes));
    to_host_timed_.pop_front();
  }
  if (scanning_ && scan_done_at_ <= now) {
    scanning_ = false;
    // {rsv[4]} + TLV UNI_EVENT_SCAN_DONE_BASIC (0) (mt7925_scan_work).
    Bytes pl(4 + 8, 0);
    Put16(&pl, 4, 0);
    Put16(&pl, 6, 8);
    Unsolicited(kEventScanDone, pl, now);
  }
}

int64_t Model::NextDeadline() const {
  int64_t d = INT64_MAX;
  if (!to_host_timed_.empty()) d = to_host_timed_.front().due;
  if (scanning_ && scan_done_at_ < d) d = scan_done_at_;
  if (fw_ready_at_ >= 0 && fw_ready_at_ < d) d = fw_ready_at_;
  if (fault_armed_ && fault_fire_at_ >= 0 && fault_fire_at_ < d) d = fault_fire_at_;
  return d;
}

bool Model::PopToHost(Bytes* out) {
  if (to_host_.empty()) return false;
  *out = std::move(to_host_.front());
  to_host_.pop_front();
  return true;
}

bool Model::PopToAir(AirTx* out) {
  if (to_air_.empty()) return false;
  *out = std::move(to_air_.front());
  to_air_.pop_front();
  return true;
}

std::string Model::StatusText() const {
  std::string s;
  char line[160];
  auto add = [&s, &line](const char* k, uint64_t v) {
    std::snprintf(line, sizeof(line), "%s=%llu\n", k, static_cast<unsigned long long>(v));
    s += line;
  };
  const Counters& c = counters_;
  add("mcu_commands", c.mcu_commands);
  add("mcu_malformed", c.mcu_malformed);
  add("mcu_unanswered", c.mcu_unanswered);
  add("mcu_answered_late", c.mcu_answered_late);
  add("fw_scatter_bytes", c.fw_scatter_bytes);
  add("fw_starts", c.fw_starts);
  add("fw_start_failures", c.fw_start_failures);
  add("wfsys_resets", c.wfsys_resets);
  add("bulk_malformed", c.bulk_malformed);
  add("keys_set", c.keys_set);
  add("keys_removed", c.keys_removed);
  add("key_frames_core_match", c.key_frames_core_match);
  add("key_frames_core_mismatch", c.key_frames_core_mismatch);
  size_t pw = 0, grp = 0, igtk = 0;
  for (const KeyEntry& k : keys_) {
    if (k.cipher == Cipher::kBipCmac128) {
      ++igtk;
    } else if (k.pairwise) {
      ++pw;
    } else {
      ++grp;
    }
  }
  add("keys_installed", keys_.size());
  add("keys_pairwise", pw);
  add("keys_group", grp);
  add("keys_igtk", igtk);
  add("frames_encrypted", c.frames_encrypted);
  add("frames_decrypted", c.frames_decrypted);
  add("frames_dropped_nokey", c.frames_dropped_nokey);
  add("frames_dropped_mic", c.frames_dropped_mic);
  add("tx_frames", c.tx_frames);
  add("tx_dropped", c.tx_dropped);
  add("rx_frames", c.rx_frames);
  add("txs_sent", c.txs_sent);
  add("queue_drops", c.queue_drops);
  add("strict_key_after_remove", c.strict_key_after_remove);
  add("strict_bss_after_remove", c.strict_bss_after_remove);
  add("strict_wedged", c.strict_wedged);
  add("strict_hypothesis", cfg_.strict_hypothesis ? 1 : 0);
  add("events_dropped", c.events_dropped);
  add("freq", freq_);
  add("hung", hung_ ? 1 : 0);
  add("mlo", cfg_.mlo ? 1 : 0);
  add("mlo_roc", c.mlo_roc);
  add("mld_tlv_malformed", c.mld_tlv_malformed);
  for (const KeyEntry& k : keys_) {
    std::snprintf(line, sizeof(line),
                  "key wcid=%u bss=%u pairwise=%d cipher=%u keyid=%u len=%u peer=%02x:%02x:%02x:"
                  "%02x:%02x:%02x\n",
                  k.wcid, k.bss_idx, k.pairwise ? 1 : 0, static_cast<unsigned>(k.cipher), k.key_id,
                  k.key_len, k.peer[0], k.peer[1], k.peer[2], k.peer[3], k.peer[4], k.peer[5]);
    s += line;
  }
  // One line per BSS index the firmware was told about (a link of an MLD, or the legacy
  // BSS): the rig report's `links`.
  auto mac = [](const Mac& m) {
    char b[18];
    std::snprintf(b, sizeof(b), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4],
                  m[5]);
    return std::string(b);
  };
  for (const auto& [idx, l] : links_) {
    size_t kp = 0, kg = 0;
    for (const KeyEntry& k : keys_) {
      if (k.bss_idx != idx) continue;
      ++(k.pairwise ? kp : kg);
    }
    const char* band = l.band == 1 ? "2g" : l.band == 2 ? "5g" : l.band == 3 ? "6g" : "-";
    std::string peer = "-";
    bool sta_mld = false;
    for (const Station& st : stations_) {
      if (st.wcid == l.sta_wcid && st.bss_idx == idx) {
        peer = mac(st.peer);
        sta_mld = st.mld;
      }
    }
    std::string ln = "link bss=" + std::to_string(idx);
    ln += " link_id=" + (l.mld() ? std::to_string(l.link_id) : std::string("-"));
    ln += std::string(" active=") + (l.active ? "1" : "0");
    ln += std::string(" connected=") + (l.connected ? "1" : "0");
    ln += std::string(" band=") + band;
    ln += " channel=" + std::to_string(l.channel) + " freq=" + std::to_string(l.freq);
    ln += " bssid=" + (l.has_bssid ? mac(l.bssid) : std::string("-"));
    ln += " mld_addr=" + (l.mld() ? mac(l.mld_addr) : std::string("-"));
    ln += " own=" + (l.has_own ? mac(l.own) : std::string("-"));
    ln += " peer=" + peer + " sta_mld=" + (sta_mld ? "1" : "0");
    ln += " sta_wcid=" + std::to_string(l.sta_wcid) + " bmc_wcid=" + std::to_string(l.bmc_wcid);
    ln += " keys=" + std::to_string(kp + kg) + " keys_pairwise=" + std::to_string(kp) +
          " keys_group=" + std::to_string(kg);
    ln += " frames_decrypted=" + std::to_string(l.frames_decrypted) +
          " frames_encrypted=" + std::to_string(l.frames_encrypted) +
          " rx_frames=" + std::to_string(l.rx_frames) + " tx_frames=" + std::to_string(l.tx_frames);
    s += ln + "\n";
  }
  for (const auto& [name, n] : c.mcu_by_name) {
    std::snprintf(line, sizeof(line), "mcu %s=%llu\n", name.c_str(),
                  static_cast<unsigned long long>(n));
    s += line;
  }
  return s;
}

}  // namespace vmt
