// The firmware/MAC model on a virtual clock: commands are built with the core's encoders
// (connac::EncodeFrame, connac::EncodeKeyAction: byte-exact with mt7925's fillers), wrapped
// in the USB framing mt7925u uses, and fed as bulk OUT bytes; answers are parsed with
// connac::ParseEvent. No I/O, no real time.

#include "rig/vmt7925/model.h"

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "connac/family.h"
#include "connac/keys.h"
#include "connac/mcu_cmd.h"
#include "connac/mcu_event.h"
#include "connac/mcu_frame.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rig/vmt7925/control.h"
#include "rig/vmt7925/crypto.h"
#include "rig/vmt7925/firmware.h"

namespace vmt {
namespace {

constexpr int64_t kMs = 1000000;
const Mac kBssid = {0x02, 0x00, 0x00, 0x00, 0x00, 0x00};
const Mac kOwn = {0x02, 0x00, 0x79, 0x25, 0x00, 0x01};

Bytes UsbWrap(const Bytes& pkt) {
  // mt792x_skb_add_usb_sdio_hdr + pad to 4 + MT_USB_TAIL_SIZE (mt7925u_mcu_send_message).
  Bytes b(4, 0);
  b[0] = static_cast<uint8_t>(pkt.size());
  b[1] = static_cast<uint8_t>(pkt.size() >> 8);
  b.insert(b.end(), pkt.begin(), pkt.end());
  while (b.size() % 4) b.push_back(0);
  b.insert(b.end(), 4, 0);
  return b;
}

class ModelTest : public ::testing::Test {
 protected:
  Bytes Cmd(connac::CmdWord w, const Bytes& payload) {
    Bytes out(connac::kLegacyHeaderSize + payload.size());
    seq_ = seq_ % 15 + 1;
    auto n = connac::EncodeFrame(connac::kMt7925, w, seq_,
                                 connac::ConstBytes(payload.data(), payload.size()),
                                 connac::MutableBytes(out.data(), out.size()));
    EXPECT_TRUE(n.ok());
    out.resize(n.ok() ? *n : 0);
    return out;
  }
  void Send(const Bytes& frame, OutEp ep = OutEp::kInbandCmd) {
    const Bytes w = UsbWrap(frame);
    m_.OnBulkOut(ep, w.data(), w.size(), now_);
  }
  std::vector<Bytes> Drain() {
    std::vector<Bytes> v;
    Bytes b;
    while (m_.PopToHost(&b)) v.push_back(b);
    return v;
  }
  // The one event answering the last command.
  connac::McuEvent OneEvent() {
    events_ = Drain();
    EXPECT_EQ(events_.size(), 1u);
    if (events_.empty()) return {};
    auto e = connac::ParseEvent(connac::kMt7925,
                                connac::ConstBytes(events_[0].data(), events_[0].size()));
    EXPECT_TRUE(e.ok());
    EXPECT_EQ(e->seq, seq_);
    return *e;
  }
  void BringUp() {
    m_.PowerOn(now_);
    Send(Cmd(connac::CmdWord::Legacy(0x10), {1, 0, 0, 0}));  // PATCH_SEM_CONTROL get
    Drain();
    Send(Cmd(connac::CmdWord::Legacy(0x02), Bytes(8, 0)));  // FW_START_REQ
    Drain();
  }
  // STA_REC_UPDATE with STA_REC_BASIC for `wcid` -> `peer`.
  void AddStation(uint8_t wcid, const Mac& peer) {
    Bytes p = {0, wcid, 1, 0, 1, 0, 0, 0};  // sta_req_hdr: bss 0, wcid, 1 TLV, append
    Bytes basic(20, 0);
    basic[0] = 0;  // STA_REC_BASIC
    basic[2] = 20;
    basic[8] = 1;  // conn_state
    std::memcpy(&basic[12], peer.data(), 6);
    p.insert(p.end(), basic.begin(), basic.end());
    Send(Cmd(connac::CmdWord::Uni(0x03), p));
    Drain();
  }
  void SetChannel6() {
    Bytes p = {0, 0, 0, 0};  // bss_idx 0
    Bytes rlm(16, 0);
    rlm[0] = 2;  // UNI_BSS_INFO_RLM
    rlm[2] = 16;
    rlm[4] = 6;   // control channel
    rlm[12] = 1;  // band 2.4 GHz
    p.insert(p.end(), rlm.begin(), rlm.end());
    Send(Cmd(connac::CmdWord::Uni(0x02), p));
    Drain();
  }
  // A STA_REC_UPDATE with one KEY_V3 TLV (mt7925_mcu_add_key), built by the core's encoder.
  Bytes KeyFrame(bool add, bool pairwise, uint8_t wcid, uint8_t key_id, const uint8_t* key,
                 uint8_t bss_idx = 0, const Mac& peer = kBssid) {
    connac::KeyAction a;
    a.bss_idx = bss_idx;
    a.wcid = wcid;
    a.add = add;
    a.pairwise = pairwise;
    a.cipher_id = connac::cipher3::kCcmp;
    a.key_id = key_id;
    a.key_len = 16;
    std::memcpy(a.peer.b, peer.data(), 6);
    std::memcpy(a.key, key, 16);
    Bytes out(connac::kKeyFrameSize);
    seq_ = seq_ % 15 + 1;
    auto f = connac::EncodeKeyAction(connac::kMt7925, a, seq_,
                                     connac::MutableBytes(out.data(), out.size()));
    EXPECT_TRUE(f.ok());
    return f.ok() ? Bytes(f->data(), f->data() + f->size()) : Bytes();
  }
  void InstallKey(bool pairwise, uint8_t wcid, uint8_t key_id, const uint8_t* key) {
    const Bytes f = KeyFrame(true, pairwise, wcid, key_id, key);
    ASSERT_FALSE(f.empty());
    Send(f);
    const connac::McuEvent e = OneEvent();
    EXPECT_EQ(e.eid, 0x03);
    ASSERT_GE(e.payload.size(), 8u);
    EXPECT_EQ(e.payload[0], 0x03);  // {cid, rsv[3], le32 status}
    EXPECT_EQ(*e.payload.le32(4), 0u);
  }
  // An 802.3 frame behind a 64-byte TXD as mt7925_mac_write_txwi writes it.
  Bytes TxFrame(uint8_t wcid, bool protect, uint8_t pid, bool want_txs) {
    Bytes t(64, 0);
    const uint32_t dw1 = wcid | (0u << 14) | (1u << 20) | (5u << 21);  // 802.3, TID 5
    const uint32_t dw2 = (2u << 4) | 8u;                               // QoS data
    const uint32_t dw3 = (15u << 11) | (protect ? 2u : 0u);
    const uint32_t dw5 = pid | (want_txs ? (1u << 10) : 0u);
    auto put = [&t](size_t off, uint32_t v) { std::memcpy(&t[off], &v, 4); };
    put(4, dw1);
    put(8, dw2);
    put(12, dw3);
    put(20, dw5);
    const uint8_t eth[] = {0x02, 0,    0,    0,  0, 0x10, 0x02, 0,  0x79, 0x25, 0,  0x01,
                           0x08, 0x00, 0x45, 0,  0, 20,   0,    0,  0,    0,    64, 1,
                           0,    0,    10,   77, 0, 2,    10,   77, 0,    1};
    t.insert(t.end(), eth, eth + sizeof(eth));
    uint32_t dw0 = static_cast<uint32_t>(t.size()) | (1u << 23);  // MT_TX_TYPE_SF
    put(0, dw0);
    return t;
  }

  // BSS_INFO_UPDATE for `bss`: a BASIC TLV (active flag, kBssid) when `basic`, and an RLM TLV
  // (channel 6) when `rlm` (mt76_connac_bss_basic_tlv, mt7925_mcu_bss_rlm_tlv).
  Bytes BssInfo(uint8_t bss, bool basic, bool active, bool rlm) {
    Bytes p = {bss, 0, 0, 0};
    if (basic) {
      Bytes t(32, 0);
      t[0] = 0;  // UNI_BSS_INFO_BASIC
      t[2] = 32;
      t[4] = active ? 1 : 0;
      std::memcpy(&t[12], kBssid.data(), 6);
      p.insert(p.end(), t.begin(), t.end());
    }
    if (rlm) {
      Bytes t(16, 0);
      t[0] = 2;  // UNI_BSS_INFO_RLM
      t[2] = 16;
      t[4] = 6;
      t[12] = 1;
      p.insert(p.end(), t.begin(), t.end());
    }
    return Cmd(connac::CmdWord::Uni(0x02), p);
  }
  // mt792xu_wfsys_reset: set and clear bit 0 of the UHW reset register.
  void WfsysReset() {
    m_.UhwWrite(0x70028600, 1, now_);
    m_.UhwWrite(0x70028600, 0, now_);
  }
  bool N9Ready(int64_t at) { return (m_.ReadReg(0x7c0600f0, at) & 3) == 3; }
  // Every device event so far, oldest first (drains them).
  std::vector<DeviceEvent> Events() {
    std::vector<DeviceEvent> v;
    DeviceEvent e;
    while (m_.PopEvent(&e)) v.push_back(e);
    return v;
  }
  std::vector<std::string> EventTexts() {
    std::vector<std::string> v;
    for (const DeviceEvent& e : Events()) v.push_back(e.text);
    return v;
  }

  Model m_;
  int64_t now_ = 1000 * kMs;
  uint8_t seq_ = 0;
  std::vector<Bytes> events_;
};

TEST_F(ModelTest, PatchSemaphoreAnswersAtByte40) {
  Send(Cmd(connac::CmdWord::Legacy(0x10), {1, 0, 0, 0}));
  connac::McuEvent e = OneEvent();
  EXPECT_EQ(e.eid, 0x10);
  EXPECT_FALSE(e.unsolicited());
  EXPECT_EQ(events_[0][40], 2);  // PATCH_NOT_DL_SEM_SUCCESS
  Send(Cmd(connac::CmdWord::Legacy(0x10), {0, 0, 0, 0}));
  OneEvent();
  EXPECT_EQ(events_[0][40], 3);  // PATCH_REL_SEM_SUCCESS
  EXPECT_EQ(m_.counters().mcu_malformed, 0u);
}

TEST_F(ModelTest, DownloadTakesScatterThenStartsFirmware) {
  EXPECT_EQ(m_.ReadReg(0x70010200, now_), 0x7925u);
  m_.PowerOn(now_);
  EXPECT_EQ(m_.ReadReg(0x7c0600f0, now_) & 3, 1u);
  Send(Cmd(connac::CmdWord::Legacy(0x05), {0, 0, 0x90, 0, 0, 4, 0, 0, 0, 0, 0, 0x80}));
  OneEvent();
  // 1024 bytes of FW_SCATTER on AC_BE, as two transfers, the second split mid-packet.
  Bytes chunk(512, 0x5a);
  Bytes w = UsbWrap(chunk);
  Bytes both = w;
  both.insert(both.end(), w.begin(), w.end());
  m_.OnBulkOut(OutEp::kAcBe, both.data(), 300, now_);
  m_.OnBulkOut(OutEp::kAcBe, both.data() + 300, both.size() - 300, now_);
  EXPECT_EQ(m_.counters().fw_scatter_bytes, 1024u);
  EXPECT_TRUE(Drain().empty());  // FW_SCATTER is never answered
  Send(Cmd(connac::CmdWord::Legacy(0x02), Bytes(8, 0)));
  OneEvent();
  EXPECT_EQ(m_.ReadReg(0x7c0600f0, now_) & 3, 3u);  // MT_TOP_MISC2_FW_N9_RDY
}

TEST_F(ModelTest, NicCapabilityCarriesTheMacAddress) {
  Send(Cmd(connac::CmdWord::Uni(0x0e), {0, 0, 0, 0, 3, 0, 4, 0}));
  connac::McuEvent e = OneEvent();
  ASSERT_GE(e.payload.size(), 4u + 12u);
  EXPECT_EQ(*e.payload.le16(0), 3);  // n_element
  EXPECT_EQ(*e.payload.le16(4), 7);  // MT_NIC_CAP_MAC_ADDR
  EXPECT_EQ(std::memcmp(e.payload.data() + 8, kOwn.data(), 6), 0);
}

TEST_F(ModelTest, ResultCommandsEchoTheirCid) {
  for (uint8_t cid : {0x01, 0x02, 0x03, 0x06, 0x05}) {
    Send(Cmd(connac::CmdWord::Uni(cid), Bytes(8, 0)));
    connac::McuEvent e = OneEvent();
    ASSERT_GE(e.payload.size(), 8u);
    EXPECT_EQ(e.payload[0], cid);
  }
}

TEST_F(ModelTest, KeysFromStaRecKeyV3AndEncryptedTraffic) {
  BringUp();
  AddStation(1, kBssid);
  SetChannel6();
  EXPECT_EQ(m_.freq(), 2437u);
  uint8_t ptk[16], gtk[16];
  for (int i = 0; i < 16; ++i) {
    ptk[i] = static_cast<uint8_t>(0x10 + i);
    gtk[i] = static_cast<uint8_t>(0xa0 + i);
  }
  InstallKey(true, 1, 0, ptk);
  InstallKey(false, 19, 1, gtk);
  ASSERT_EQ(m_.keys().size(), 2u);
  EXPECT_EQ(m_.counters().key_frames_core_match, 2u);  // built by the core: must match itself
  EXPECT_EQ(m_.counters().key_frames_core_mismatch, 0u);
  EXPECT_TRUE(m_.keys()[0].pairwise);
  EXPECT_EQ(m_.keys()[1].key_id, 1);

  // TX: PROTECT_FRAME -> a CCMP frame on the air that decrypts with the PTK.
  Send(TxFrame(1, true, 7, true), OutEp::kAcBe);
  AirTx a;
  ASSERT_TRUE(m_.PopToAir(&a));
  EXPECT_EQ(a.freq, 2437u);
  Bytes plain;
  uint64_t pn = 0;
  uint8_t kid = 0;
  ASSERT_TRUE(
      DecryptMpdu(Cipher::kCcmp, ptk, 16, a.frame.data(), a.frame.size(), &plain, &pn, &kid));
  EXPECT_EQ(pn, 1u);
  EXPECT_EQ(plain[0], 0x88);  // QoS data
  EXPECT_EQ(plain[1], 0x41);  // ToDS | Protected
  EXPECT_EQ(std::memcmp(&plain[4], kBssid.data(), 6), 0);
  EXPECT_EQ(plain[24], 5);     // TID
  EXPECT_EQ(plain[26], 0xaa);  // LLC/SNAP
  EXPECT_EQ(plain[32] << 8 | plain[33], 0x0800);
  EXPECT_EQ(m_.counters().frames_encrypted, 1u);
  // TXS only after the medium's verdict, with PID and WCID (12-dword entry after 4 dwords).
  EXPECT_TRUE(Drain().empty());
  m_.OnAirTxStatus(a.token, true, now_);
  std::vector<Bytes> txs = Drain();
  ASSERT_EQ(txs.size(), 1u);
  ASSERT_EQ(txs[0].size(), 64u);
  EXPECT_EQ(txs[0][3] >> 3, 0);        // PKT_TYPE_TXS
  EXPECT_EQ(txs[0][16 + 2] & 0x7, 0);  // no ACK error
  EXPECT_EQ(txs[0][16 + 8 + 2], 1);    // WCID
  EXPECT_EQ(txs[0][16 + 12 + 3], 7);   // PID

  // RX: the AP's unicast CCMP frame -> decrypted, RXD with GROUP_1 + PN, SEC_MODE CCMP.
  Bytes f = {0x88, 0x02, 0, 0};  // QoS data, FromDS
  f.insert(f.end(), kOwn.begin(), kOwn.end());
  f.insert(f.end(), kBssid.begin(), kBssid.end());
  f.insert(f.end(), kBssid.begin(), kBssid.end());
  f.insert(f.end(), {0x10, 0x00, 0x00, 0x00, 0xaa, 0xaa, 3, 0, 0, 0, 8, 0, 1, 2, 3, 4});
  Bytes enc;
  ASSERT_TRUE(EncryptMpdu(Cipher::kCcmp, ptk, 16, 42, 0, f, &enc));
  EXPECT_TRUE(m_.OnAir(2437, enc.data(), enc.size(), -40, now_));  // acked: it is ours
  std::vector<Bytes> rx = Drain();
  ASSERT_EQ(rx.size(), 1u);
  const Bytes& r = rx[0];
  uint32_t d0, d1, d2, d3;
  std::memcpy(&d0, &r[0], 4);
  std::memcpy(&d1, &r[4], 4);
  std::memcpy(&d2, &r[8], 4);
  std::memcpy(&d3, &r[12], 4);
  EXPECT_EQ(d0 >> 27, 2u);  // PKT_TYPE_NORMAL
  EXPECT_EQ(d0 & 0xffff, r.size());
  EXPECT_EQ(d1 & 0xfff, 1u);                  // wcid of the AP station
  EXPECT_NE(d1 & (1u << 16), 0u);             // GROUP_1
  EXPECT_EQ((d2 >> 16) & 0x1f, 4u);           // SEC_MODE = CCMP
  EXPECT_EQ((d3 >> 8) & 0xff, 6u);            // channel
  EXPECT_EQ((d3 >> 16) & 3, 1u);              // U2M
  EXPECT_EQ(r[32], 42);                       // PN0 in group 1
  EXPECT_EQ(r.size(), 32u + 16u + f.size());  // IV and MIC stripped
  EXPECT_EQ(r[48 + 1], 0x42);                 // Protected bit kept for mac80211
  EXPECT_EQ(m_.counters().frames_decrypted, 1u);

  // Group frame with the GTK (key id 1).
  Bytes g = f;
  std::memset(&g[4], 0xff, 6);
  ASSERT_TRUE(EncryptMpdu(Cipher::kCcmp, gtk, 16, 5, 1, g, &enc));
  EXPECT_FALSE(m_.OnAir(2437, enc.data(), enc.size(), -40, now_));  // group: no ACK
  EXPECT_EQ(m_.counters().frames_decrypted, 2u);
  EXPECT_EQ(Drain().size(), 1u);
}

// TXD3 PN_VALID: the host's packet number (TXD4 31:0, TXD5 31:16 = 47:32) is used, and the
// key's own counter goes on after it; without the bit the device counts from its own.
TEST_F(ModelTest, HostPacketNumberFromTheTxd) {
  BringUp();
  AddStation(1, kBssid);
  SetChannel6();
  uint8_t ptk[16];
  for (int i = 0; i < 16; ++i) ptk[i] = static_cast<uint8_t>(0x30 + i);
  InstallKey(true, 1, 0, ptk);
  auto pn_on_air = [&](const Bytes& t) {
    Send(t, OutEp::kAcBe);
    AirTx a;
    EXPECT_TRUE(m_.PopToAir(&a));
    Bytes plain;
    uint64_t pn = 0;
    uint8_t kid = 0;
    EXPECT_TRUE(
        DecryptMpdu(Cipher::kCcmp, ptk, 16, a.frame.data(), a.frame.size(), &plain, &pn, &kid));
    return pn;
  };
  Bytes t = TxFrame(1, true, 0, false);
  const uint64_t host_pn = 0x123400000500ull;
  uint32_t dw3, dw5;
  std::memcpy(&dw3, &t[12], 4);
  std::memcpy(&dw5, &t[20], 4);
  dw3 |= 1u << 30;
  dw5 |= static_cast<uint32_t>(host_pn >> 32) << 16;
  const uint32_t dw4 = static_cast<uint32_t>(host_pn);
  std::memcpy(&t[12], &dw3, 4);
  std::memcpy(&t[16], &dw4, 4);
  std::memcpy(&t[20], &dw5, 4);
  EXPECT_EQ(pn_on_air(t), host_pn);
  EXPECT_EQ(pn_on_air(TxFrame(1, true, 0, false)), host_pn + 1);
}

TEST_F(ModelTest, ProtectedFrameWithoutKeyIsDroppedAndCounted) {
  BringUp();
  AddStation(1, kBssid);
  SetChannel6();
  uint8_t k[16] = {1};
  Bytes f = {0x08, 0x02, 0, 0};
  f.insert(f.end(), kOwn.begin(), kOwn.end());
  f.insert(f.end(), kBssid.begin(), kBssid.end());
  f.insert(f.end(), kBssid.begin(), kBssid.end());
  f.insert(f.end(), {0, 0, 0xaa, 0xaa, 3, 0, 0, 0, 8, 0});
  Bytes enc;
  ASSERT_TRUE(EncryptMpdu(Cipher::kCcmp, k, 16, 1, 0, f, &enc));
  m_.OnAir(2437, enc.data(), enc.size(), -40, now_);
  EXPECT_EQ(m_.counters().frames_dropped_nokey, 1u);
  EXPECT_TRUE(Drain().empty());
  // And TX asking for protection with no key installed.
  Send(TxFrame(1, true, 9, true), OutEp::kAcBe);
  EXPECT_EQ(m_.counters().frames_dropped_nokey, 2u);
  AirTx a;
  EXPECT_FALSE(m_.PopToAir(&a));
  std::vector<Bytes> txs = Drain();
  ASSERT_EQ(txs.size(), 1u);
  EXPECT_NE(txs[0][16 + 2] & 0x7, 0);  // TXS with an ACK error: mac80211 sees the loss
}

TEST_F(ModelTest, ScanDoneArrivesOnTheVirtualClock) {
  BringUp();
  Bytes p = {0, 0, 0, 0, 1, 0, 4, 0};  // fixed header + UNI_SCAN_REQ TLV
  Send(Cmd(connac::CmdWord::Uni(0x16), p));
  OneEvent();
  EXPECT_EQ(m_.NextDeadline(), now_ + 350 * kMs);
  m_.Advance(now_ + 349 * kMs);
  EXPECT_TRUE(Drain().empty());
  m_.Advance(now_ + 350 * kMs);
  std::vector<Bytes> ev = Drain();
  ASSERT_EQ(ev.size(), 1u);
  auto e = connac::ParseEvent(connac::kMt7925, connac::ConstBytes(ev[0].data(), ev[0].size()));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->eid, 0x0e);
  EXPECT_TRUE(e->unsolicited());
  EXPECT_EQ(m_.NextDeadline(), INT64_MAX);
}

TEST_F(ModelTest, RocAcquireIsGrantedWithItsToken) {
  BringUp();
  Bytes p(4, 0);
  Bytes roc(28, 0);
  roc[2] = 28;
  roc[4] = 0;   // bss_idx
  roc[5] = 9;   // token
  roc[6] = 36;  // channel
  roc[8] = 2;   // band 5 GHz
  roc[15] = 1;  // reqtype JOIN
  roc[16] = 0xe8;
  roc[17] = 0x03;  // 1000 ms
  p.insert(p.end(), roc.begin(), roc.end());
  Send(Cmd(connac::CmdWord::Uni(0x27), p));
  std::vector<Bytes> ev = Drain();
  ASSERT_EQ(ev.size(), 2u);  // the grant (unsolicited) and the command's answer
  auto g = connac::ParseEvent(connac::kMt7925, connac::ConstBytes(ev[0].data(), ev[0].size()));
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->eid, 0x27);
  EXPECT_TRUE(g->unsolicited());
  EXPECT_EQ(g->payload[4 + 5], 9);   // tokenid
  EXPECT_EQ(g->payload[4 + 13], 1);  // reqtype
  EXPECT_EQ(*g->payload.le32(4 + 16), 1000u);
  EXPECT_EQ(m_.freq(), 5180u);
}

TEST_F(ModelTest, HangFaultSwallowsUntilWfsysReset) {
  BringUp();
  FaultPlan f;
  f.kind = FaultPlan::Kind::kHang;
  f.on_cid = 0x02;  // first BSS_INFO_UPDATE
  m_.ArmFault(f, now_);
  Send(Cmd(connac::CmdWord::Uni(0x01), Bytes(8, 0)));
  EXPECT_EQ(Drain().size(), 1u);
  Send(Cmd(connac::CmdWord::Uni(0x02), Bytes(8, 0)));
  EXPECT_TRUE(Drain().empty());
  EXPECT_TRUE(m_.hung());
  Send(Cmd(connac::CmdWord::Uni(0x01), Bytes(8, 0)));
  EXPECT_TRUE(Drain().empty());
  // mt792xu_wfsys_reset: UHW RMW of 0x70028600 bit 0, then INIT_DONE reads 0x1d1e.
  m_.UhwWrite(0x70028600, 1, now_);
  m_.UhwWrite(0x70028600, 0, now_);
  EXPECT_EQ(m_.UhwRead(0x184c1604, now_), 0x1d1eu);
  EXPECT_FALSE(m_.hung());
  EXPECT_EQ(m_.ReadReg(0x7c0600f0, now_), 0u);  // firmware gone: the driver reloads it
  EXPECT_EQ(m_.counters().wfsys_resets, 1u);
  Send(Cmd(connac::CmdWord::Legacy(0x10), {1, 0, 0, 0}));
  EXPECT_EQ(Drain().size(), 1u);
}

TEST_F(ModelTest, ReloadTakesItsConfiguredTimeAndResetFailsCounts) {
  ModelConfig cfg;
  cfg.fw_ready_ns = 300 * kMs;
  m_ = Model(cfg);
  m_.PowerOn(now_);
  Send(Cmd(connac::CmdWord::Legacy(0x02), Bytes(8, 0)));  // FW_START_REQ
  Drain();
  EXPECT_EQ(m_.ReadReg(0x7c0600f0, now_ + 299 * kMs) & 3, 1u);
  EXPECT_EQ(m_.ReadReg(0x7c0600f0, now_ + 300 * kMs) & 3, 3u);
  // reset-fails count=1: the first reload after the WFSYS reset never gets ready.
  FaultPlan f;
  f.kind = FaultPlan::Kind::kResetFails;
  f.count = 1;
  m_.ArmFault(f, now_);
  for (int attempt = 0; attempt < 2; ++attempt) {
    m_.UhwWrite(0x70028600, 1, now_);
    m_.UhwWrite(0x70028600, 0, now_);
    m_.PowerOn(now_);
    Send(Cmd(connac::CmdWord::Legacy(0x02), Bytes(8, 0)));
    Drain();
    now_ += 2000 * kMs;
    EXPECT_EQ(m_.ReadReg(0x7c0600f0, now_) & 3, attempt == 0 ? 1u : 3u) << attempt;
  }
  EXPECT_EQ(m_.counters().fw_start_failures, 1u);
}

TEST_F(ModelTest, WallClockTriggerFiresOnAdvance) {
  BringUp();
  FaultPlan f;
  f.kind = FaultPlan::Kind::kHang;
  f.after_ns = 500 * kMs;
  m_.ArmFault(f, now_);
  EXPECT_EQ(m_.NextDeadline(), now_ + 500 * kMs);
  Send(Cmd(connac::CmdWord::Uni(0x03), Bytes(8, 0)));
  EXPECT_EQ(Drain().size(), 1u);
  m_.Advance(now_ + 500 * kMs);
  EXPECT_TRUE(m_.hung());
  Send(Cmd(connac::CmdWord::Uni(0x03), Bytes(8, 0)));
  EXPECT_TRUE(Drain().empty());
}

TEST_F(ModelTest, SlowFaultDelaysAnswers) {
  BringUp();
  FaultPlan f;
  f.kind = FaultPlan::Kind::kSlow;
  f.now = true;
  f.slow_ns = 2500 * kMs;
  m_.ArmFault(f, now_);
  Send(Cmd(connac::CmdWord::Uni(0x03), Bytes(8, 0)));
  EXPECT_TRUE(Drain().empty());
  EXPECT_EQ(m_.NextDeadline(), now_ + 2500 * kMs);
  m_.Advance(now_ + 2500 * kMs);
  EXPECT_EQ(Drain().size(), 1u);
}

TEST_F(ModelTest, AssertFaultSendsCoredumpThenHangs) {
  BringUp();
  FaultPlan f;
  f.kind = FaultPlan::Kind::kAssert;
  f.at_cmd = 2;
  m_.ArmFault(f, now_);
  Send(Cmd(connac::CmdWord::Uni(0x03), Bytes(8, 0)));
  EXPECT_EQ(Drain().size(), 1u);
  Send(Cmd(connac::CmdWord::Uni(0x03), Bytes(8, 0)));
  std::vector<Bytes> ev = Drain();
  ASSERT_EQ(ev.size(), 1u);
  auto e = connac::ParseEvent(connac::kMt7925, connac::ConstBytes(ev[0].data(), ev[0].size()));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->eid, 0x0a);  // MCU_UNI_EVENT_COREDUMP
  EXPECT_TRUE(m_.hung());
}

TEST_F(ModelTest, MalformedCommandIsCountedAndAnsweredWithAnError) {
  Bytes f = Cmd(connac::CmdWord::Uni(0x03), Bytes(8, 0));
  f[37] = 0x55;  // pkt_type is not 0xa0: DecodeFrame rejects it
  Send(f);
  EXPECT_EQ(m_.counters().mcu_malformed, 1u);
  std::vector<Bytes> ev = Drain();
  ASSERT_EQ(ev.size(), 1u);
  uint32_t status;
  std::memcpy(&status, &ev[0][44 + 4], 4);
  EXPECT_NE(status, 0u);
}

// Robustness: random streams and mutated valid frames on every endpoint, random medium
// frames and register traffic. Deterministic (fixed seed) and bounded; the model must not
// crash (ASan/UBSan run this too) and its queues must stay within their caps.
TEST_F(ModelTest, SurvivesRandomAndMutatedInput) {
  std::mt19937 rng(13);
  BringUp();
  AddStation(1, kBssid);
  SetChannel6();
  uint8_t ptk[16] = {7};
  InstallKey(true, 1, 0, ptk);
  std::vector<Bytes> seeds = {Cmd(connac::CmdWord::Uni(0x03), Bytes(40, 1)),
                              Cmd(connac::CmdWord::Uni(0x02), Bytes(40, 2)),
                              Cmd(connac::CmdWord::Uni(0x27), Bytes(32, 0)),
                              Cmd(connac::CmdWord::Uni(0x16), Bytes(12, 0)),
                              Cmd(connac::CmdWord::Legacy(0x05), Bytes(12, 0)),
                              TxFrame(1, true, 3, true),
                              TxFrame(2, false, 0, false)};
  for (int iter = 0; iter < 20000; ++iter) {
    Bytes b;
    if (iter % 3 == 0) {
      b.resize(rng() % 200);
      for (auto& x : b) x = static_cast<uint8_t>(rng());
    } else {
      b = seeds[rng() % seeds.size()];
      const int flips = 1 + static_cast<int>(rng() % 6);
      for (int k = 0; k < flips && !b.empty(); ++k) b[rng() % b.size()] ^= 1u << (rng() % 8);
      if (rng() % 4 == 0) b.resize(rng() % (b.size() + 1));
      b = UsbWrap(b);
      if (rng() % 5 == 0) b[rng() % 4] = static_cast<uint8_t>(rng());  // bad length
    }
    const OutEp ep = static_cast<OutEp>(rng() % static_cast<unsigned>(OutEp::kCount));
    m_.OnBulkOut(ep, b.data(), b.size(), now_);
    if (iter % 7 == 0) {
      Bytes air(rng() % 120);
      for (auto& x : air) x = static_cast<uint8_t>(rng());
      if (air.size() > 10) std::memcpy(&air[4], kOwn.data(), 6);
      m_.OnAir(2437, air.data(), air.size(), -40, now_);
    }
    if (iter % 11 == 0) m_.UhwWrite(0x70028600, rng() & 1, now_);
    now_ += kMs;
    m_.Advance(now_);
    Bytes out;
    while (m_.PopToHost(&out)) ASSERT_LE(out.size(), 4096u);
    AirTx a;
    while (m_.PopToAir(&a)) m_.OnAirTxStatus(a.token, rng() & 1, now_);
  }
  EXPECT_GT(m_.counters().mcu_malformed + m_.counters().bulk_malformed, 0u);
  EXPECT_LE(m_.keys().size(), 64u);
}

// ---- Reload floor (ModelConfig::reload_ns): N9 ready no earlier than reload_ns after the
// WFSYS reset, however fast the driver downloads; fw_ready_ns still applies on its own.
struct ReloadCase {
  const char* what;
  int64_t fw_ready_ms;
  int64_t reload_ms;
  int64_t start_after_reset_ms;  // FW_START_REQ this long after the WFSYS reset
  int64_t ready_after_reset_ms;  // expected first time N9 reads ready
};

class ReloadFloorTest : public ModelTest, public ::testing::WithParamInterface<ReloadCase> {};

TEST_P(ReloadFloorTest, N9ReadyExactlyAtTheLaterOfFloorAndStartLatency) {
  const ReloadCase& c = GetParam();
  ModelConfig cfg;
  cfg.fw_ready_ns = c.fw_ready_ms * kMs;
  cfg.reload_ns = c.reload_ms * kMs;
  m_ = Model(cfg);
  const int64_t boot = now_;
  BringUp();  // the first boot has no reset before it: the floor does not apply
  EXPECT_TRUE(N9Ready(boot + c.fw_ready_ms * kMs));
  now_ = boot + 10000 * kMs;
  const int64_t reset = now_;
  WfsysReset();
  EXPECT_FALSE(N9Ready(reset));
  now_ = reset + c.start_after_reset_ms * kMs;
  m_.PowerOn(now_);
  Send(Cmd(connac::CmdWord::Legacy(0x02), Bytes(8, 0)));  // FW_START_REQ
  Drain();
  const int64_t ready = reset + c.ready_after_reset_ms * kMs;
  if (ready > now_) {
    EXPECT_EQ(m_.NextDeadline(), ready);
    EXPECT_FALSE(N9Ready(ready - 1));
  }
  EXPECT_TRUE(N9Ready(ready));
  // The device stamps "fw ready" with the time N9 became ready, not the time it was polled.
  std::vector<DeviceEvent> ev = Events();
  ASSERT_FALSE(ev.empty());
  EXPECT_EQ(ev.back().text, "fw ready");
  EXPECT_EQ(ev.back().at, ready);
}

INSTANTIATE_TEST_SUITE_P(Cases, ReloadFloorTest,
                         ::testing::Values(
                             // A download faster than the floor waits for the floor.
                             ReloadCase{"fast download waits for the floor", 0, 400, 50, 400},
                             // The floor counts from the reset, not from FW_START_REQ.
                             ReloadCase{"floor counts from the reset", 100, 400, 250, 400},
                             // A slower start latency is not shortened by the floor.
                             ReloadCase{"start latency beyond the floor", 200, 400, 300, 500},
                             // A download that finishes after the floor is ready at once.
                             ReloadCase{"download after the floor", 0, 400, 600, 600},
                             // No floor configured: ready at FW_START_REQ.
                             ReloadCase{"no floor", 0, 0, 50, 50}),
                         [](const ::testing::TestParamInfo<ReloadCase>& i) {
                           std::string n = i.param.what;
                           for (char& ch : n)
                             ch = std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
                           return n;
                         });

// ---- The strict-firmware hypothesis (ModelConfig::strict_hypothesis).
enum class Probe : uint8_t {
  kKeySet,
  kKeyDel,
  kBssRlmOnly,
  kBssReactivate,
  kStaRecNoKey,
  kKeyOtherBss
};

struct StrictCase {
  const char* what;
  bool strict;
  Probe probe;
  bool wedges;
  uint64_t key_after_remove;
  uint64_t bss_after_remove;
  const char* trigger;  // "hypothesis strict: <this>: ..." event, or nullptr for none
};

class StrictHypothesisTest : public ModelTest, public ::testing::WithParamInterface<StrictCase> {
 protected:
  Bytes ProbeFrame(Probe p) {
    uint8_t k[16] = {3};
    switch (p) {
      case Probe::kKeySet: return KeyFrame(true, true, 1, 0, k);
      case Probe::kKeyDel: return KeyFrame(false, false, 19, 1, k);
      case Probe::kBssRlmOnly: return BssInfo(0, false, false, true);
      case Probe::kBssReactivate: return BssInfo(0, true, true, true);
      case Probe::kStaRecNoKey: {
        Bytes pl = {0, 1, 1, 0, 1, 0, 0, 0};  // bss 0, wcid 1, one TLV: STA_REC_REMOVE
        pl.insert(pl.end(), {0x25, 0, 4, 0});
        return Cmd(connac::CmdWord::Uni(0x03), pl);
      }
      case Probe::kKeyOtherBss: return KeyFrame(true, true, 2, 0, k, /*bss_idx=*/1);
    }
    return {};
  }
};

TEST_P(StrictHypothesisTest, CommandForARemovedBss) {
  const StrictCase& c = GetParam();
  ModelConfig cfg;
  cfg.strict_hypothesis = c.strict;
  m_ = Model(cfg);
  BringUp();
  AddStation(1, kBssid);
  Send(BssInfo(0, true, true, true));    // bss 0 up
  Send(BssInfo(1, true, true, false));   // bss 1 up (never removed)
  Send(BssInfo(0, true, false, false));  // mac80211's disassociation: BASIC active=0 for bss 0
  Drain();
  Events();
  const Bytes f = ProbeFrame(c.probe);
  const uint8_t seq = seq_;
  Send(f);
  const std::vector<Bytes> answers = Drain();
  const Counters& n = m_.counters();
  EXPECT_EQ(n.strict_key_after_remove, c.key_after_remove);
  EXPECT_EQ(n.strict_bss_after_remove, c.bss_after_remove);
  EXPECT_EQ(m_.hung(), c.wedges);
  EXPECT_EQ(n.strict_wedged, c.wedges ? 1u : 0u);
  EXPECT_EQ(n.mcu_unanswered, c.wedges ? 1u : 0u);
  EXPECT_EQ(answers.size(), c.wedges ? 0u : 1u);  // wedged: the command itself is swallowed

  const bool key = c.probe != Probe::kBssRlmOnly && c.probe != Probe::kBssReactivate;
  char what[64];
  std::snprintf(what, sizeof(what), "%s word=0x%08x seq=%u",
                key ? "UNI_STA_REC_UPDATE" : "UNI_BSS_INFO_UPDATE", key ? 0x00020003u : 0x00020002u,
                seq);
  std::vector<std::string> want;
  if (c.trigger != nullptr)
    want.push_back(std::string("hypothesis strict: ") + c.trigger + ": " + what);
  if (c.wedges) {
    want.push_back("hypothesis strict: wedged");
    want.push_back(std::string("unanswered ") + what);
  }
  EXPECT_EQ(EventTexts(), want);
  if (!c.wedges) return;
  // Wedged like kHang: nothing is answered until a WFSYS reset, which also forgets the removed
  // BSS (the reloaded firmware starts empty).
  Send(Cmd(connac::CmdWord::Uni(0x01), Bytes(8, 0)));
  EXPECT_TRUE(Drain().empty());
  EXPECT_EQ(n.mcu_unanswered, 2u);
  WfsysReset();
  EXPECT_FALSE(m_.hung());
  Send(ProbeFrame(c.probe));
  EXPECT_EQ(Drain().size(), 1u);
  EXPECT_EQ(n.strict_wedged, 1u);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, StrictHypothesisTest,
    ::testing::Values(
        // On: a key add for the removed bss wedges the firmware.
        StrictCase{"on_key_set_wedges", true, Probe::kKeySet, true, 1, 0,
                   "key command for removed bss 0"},
        // On: a key delete (mac80211 removes keys after the BSS) wedges it too.
        StrictCase{"on_key_del_wedges", true, Probe::kKeyDel, true, 1, 0,
                   "key command for removed bss 0"},
        // On: a BSS_INFO_UPDATE that does not re-activate the bss wedges it.
        StrictCase{"on_bss_update_wedges", true, Probe::kBssRlmOnly, true, 0, 1,
                   "bss command for removed bss 0"},
        // On: BSS_INFO BASIC active=1 re-activates the bss: answered, not counted.
        StrictCase{"on_bss_reactivate_answered", true, Probe::kBssReactivate, false, 0, 0, nullptr},
        // On: a STA_REC without a key TLV (REMOVE) is not a trigger.
        StrictCase{"on_starec_without_key_answered", true, Probe::kStaRecNoKey, false, 0, 0,
                   nullptr},
        // On: a key for another, still active bss is not a trigger.
        StrictCase{"on_key_other_bss_answered", true, Probe::kKeyOtherBss, false, 0, 0, nullptr},
        // Off: the same commands are only counted (and logged), and answered.
        StrictCase{"off_key_set_counted", false, Probe::kKeySet, false, 1, 0,
                   "key command for removed bss 0"},
        StrictCase{"off_key_del_counted", false, Probe::kKeyDel, false, 1, 0,
                   "key command for removed bss 0"},
        StrictCase{"off_bss_update_counted", false, Probe::kBssRlmOnly, false, 0, 1,
                   "bss command for removed bss 0"},
        StrictCase{"off_bss_reactivate_not_counted", false, Probe::kBssReactivate, false, 0, 0,
                   nullptr}),
    [](const ::testing::TestParamInfo<StrictCase>& i) { return std::string(i.param.what); });

// Re-activation clears the removed state: key commands after it are no triggers.
TEST_F(ModelTest, StrictHypothesisReactivatedBssTakesKeys) {
  ModelConfig cfg;
  cfg.strict_hypothesis = true;
  m_ = Model(cfg);
  BringUp();
  Send(BssInfo(0, true, true, true));
  Send(BssInfo(0, true, false, false));
  Send(BssInfo(0, true, true, true));
  Drain();
  uint8_t k[16] = {9};
  Send(KeyFrame(true, true, 1, 0, k));
  EXPECT_EQ(Drain().size(), 1u);
  EXPECT_FALSE(m_.hung());
  EXPECT_EQ(m_.counters().strict_key_after_remove, 0u);
  EXPECT_NE(m_.StatusText().find("strict_hypothesis=1\n"), std::string::npos);
}

// ---- The slow fault: every answer held back slow_ns, counted, none lost.
TEST_F(ModelTest, SlowFaultHoldsEveryAnswerAndLosesNone) {
  BringUp();
  FaultPlan f;
  f.kind = FaultPlan::Kind::kSlow;
  f.on_cid = 0x03;  // fires at the first STA_REC_UPDATE, which is itself held back
  f.slow_ns = 2500 * kMs;
  m_.ArmFault(f, now_);
  Send(Cmd(connac::CmdWord::Uni(0x01), Bytes(8, 0)));  // before the trigger: at once
  EXPECT_EQ(Drain().size(), 1u);
  const int64_t t0 = now_;
  std::vector<uint8_t> seqs;
  for (int i = 0; i < 3; ++i) {
    now_ = t0 + i * 100 * kMs;
    Send(Cmd(connac::CmdWord::Uni(i == 0 ? 0x03 : 0x02), Bytes(8, 0)));
    seqs.push_back(seq_);
  }
  EXPECT_TRUE(Drain().empty());
  EXPECT_EQ(m_.counters().mcu_answered_late, 3u);
  EXPECT_EQ(m_.counters().mcu_unanswered, 0u);
  EXPECT_FALSE(m_.hung());
  for (int i = 0; i < 3; ++i) {
    const int64_t due = t0 + i * 100 * kMs + 2500 * kMs;
    EXPECT_EQ(m_.NextDeadline(), due);
    m_.Advance(due - 1);
    EXPECT_TRUE(Drain().empty()) << i;
    m_.Advance(due);
    std::vector<Bytes> ev = Drain();
    ASSERT_EQ(ev.size(), 1u) << i;
    auto e = connac::ParseEvent(connac::kMt7925, connac::ConstBytes(ev[0].data(), ev[0].size()));
    ASSERT_TRUE(e.ok());
    EXPECT_EQ(e->seq, seqs[i]);
  }
  EXPECT_EQ(m_.NextDeadline(), INT64_MAX);
  EXPECT_NE(m_.StatusText().find("mcu_answered_late=3\n"), std::string::npos);
  // Clearing the fault answers at once again; answers already held back still arrive.
  now_ += 10 * kMs;
  Send(Cmd(connac::CmdWord::Uni(0x02), Bytes(8, 0)));
  m_.ClearFault(now_);
  Send(Cmd(connac::CmdWord::Uni(0x02), Bytes(8, 0)));
  EXPECT_EQ(Drain().size(), 1u);
  m_.Advance(now_ + 2500 * kMs);
  EXPECT_EQ(Drain().size(), 1u);
  EXPECT_EQ(m_.counters().mcu_answered_late, 4u);
}

// ---- Device events: the texts model.h promises (rig/report parses them).
TEST_F(ModelTest, LogMcuNamesEachCommandWithItsDetail) {
  ModelConfig cfg;
  cfg.log_mcu = true;
  m_ = Model(cfg);
  m_.PowerOn(now_);
  Events();
  Send(Cmd(connac::CmdWord::Legacy(0x02), Bytes(8, 0)));
  const uint8_t s1 = seq_;
  Send(BssInfo(0, true, true, true));
  const uint8_t s2 = seq_;
  Send(BssInfo(3, true, false, false));
  const uint8_t s3 = seq_;
  uint8_t k[16] = {1};
  Send(KeyFrame(true, true, 1, 0, k));
  const uint8_t s4 = seq_;
  Send(KeyFrame(false, false, 19, 2, k));
  const uint8_t s5 = seq_;
  Bytes rm = {0, 1, 1, 0, 1, 0, 0, 0, 0x25, 0, 4, 0};  // STA_REC_REMOVE for wcid 1
  Send(Cmd(connac::CmdWord::Uni(0x03), rm));
  const uint8_t s6 = seq_;
  auto w = [](const char* fmt, unsigned seq) {
    char b[128];
    std::snprintf(b, sizeof(b), fmt, seq);
    return std::string(b);
  };
  EXPECT_THAT(
      EventTexts(),
      ::testing::ElementsAre(
          w("mcu CMD_FW_START_REQ word=0x00000002 seq=%u", s1), "fw start", "fw ready",
          w("mcu UNI_BSS_INFO_UPDATE word=0x00020002 seq=%u bss=0 active=1 tlv=0,2", s2),
          w("mcu UNI_BSS_INFO_UPDATE word=0x00020002 seq=%u bss=3 active=0 tlv=0", s3),
          w("mcu UNI_STA_REC_UPDATE word=0x00020003 seq=%u bss=0 wcid=1 key=set,pairwise,id0", s4),
          w("mcu UNI_STA_REC_UPDATE word=0x00020003 seq=%u bss=0 wcid=19 key=del,group,id2", s5),
          w("mcu UNI_STA_REC_UPDATE word=0x00020003 seq=%u bss=0 wcid=1 remove", s6)));
}

TEST_F(ModelTest, FaultResetAndFirmwareEventsInOrderWithTheirTimes) {
  ModelConfig cfg;
  cfg.reload_ns = 300 * kMs;
  m_ = Model(cfg);
  BringUp();
  Events();
  FaultPlan f;
  f.kind = FaultPlan::Kind::kHang;
  f.on_cid = 0x02;
  const int64_t armed = now_;
  m_.ArmFault(f, now_);
  now_ += 5 * kMs;
  Send(Cmd(connac::CmdWord::Uni(0x02), Bytes(8, 0)));
  const uint8_t fired_seq = seq_;
  const int64_t fired = now_;
  now_ += 5 * kMs;
  Send(Cmd(connac::CmdWord::Uni(0x01), Bytes(8, 0)));
  const uint8_t late_seq = seq_;
  const int64_t late = now_;
  now_ += 3000 * kMs;
  const int64_t reset = now_;
  WfsysReset();
  m_.PowerOn(now_);
  Send(Cmd(connac::CmdWord::Legacy(0x02), Bytes(8, 0)));
  const int64_t start = now_;
  EXPECT_TRUE(N9Ready(reset + 450 * kMs));  // polled late: the event keeps the ready time
  // reset-fails: armed, then a start that never gets ready.
  FaultPlan rf;
  rf.kind = FaultPlan::Kind::kResetFails;
  rf.count = 1;
  now_ = reset + 1000 * kMs;
  const int64_t rf_armed = now_;
  m_.ArmFault(rf, now_);
  WfsysReset();
  Send(Cmd(connac::CmdWord::Legacy(0x02), Bytes(8, 0)));
  m_.ClearFault(now_);
  char b1[96], b2[96];
  std::snprintf(b1, sizeof(b1), "UNI_BSS_INFO_UPDATE word=0x00020002 seq=%u", fired_seq);
  std::snprintf(b2, sizeof(b2), "UNI_DEV_INFO_UPDATE word=0x00020001 seq=%u", late_seq);
  std::vector<DeviceEvent> ev = Events();
  std::vector<std::pair<int64_t, std::string>> got;
  for (const DeviceEvent& e : ev) got.emplace_back(e.at, e.text);
  const std::vector<std::pair<int64_t, std::string>> want = {
      {armed, "fault armed hang"},
      {fired, std::string("fault fired hang at ") + b1},
      {fired, std::string("unanswered ") + b1},
      {late, std::string("unanswered ") + b2},
      {reset, "wfsys reset"},
      {start, "fw start"},
      {reset + 300 * kMs, "fw ready"},
      {rf_armed, "fault armed reset-fails"},
      {rf_armed, "wfsys reset"},
      {rf_armed, "fw start never ready"},
      {rf_armed, "fault cleared"},
  };
  EXPECT_EQ(got, want);
}

TEST_F(ModelTest, AssertAndImmediateFaultEvents) {
  ModelConfig cfg;
  cfg.log_mcu = true;
  m_ = Model(cfg);
  FaultPlan f;
  f.kind = FaultPlan::Kind::kAssert;
  f.now = true;  // fires without a command: no " at ..." part
  m_.ArmFault(f, now_);
  EXPECT_THAT(EventTexts(), ::testing::ElementsAre("fault armed assert", "fault fired assert",
                                                   "event COREDUMP sent", "coredump sent"));
  EXPECT_TRUE(m_.hung());
}

// ---- Events are bounded: the oldest max_events kept, the rest counted.
TEST_F(ModelTest, EventsAreBoundedAndDropsCounted) {
  ModelConfig cfg;
  cfg.log_mcu = true;
  cfg.max_events = 3;
  m_ = Model(cfg);
  std::vector<uint8_t> seqs;
  for (int i = 0; i < 5; ++i) {
    Send(Cmd(connac::CmdWord::Uni(0x01), Bytes(8, 0)));
    seqs.push_back(seq_);
  }
  EXPECT_EQ(m_.counters().events_dropped, 2u);
  EXPECT_NE(m_.StatusText().find("events_dropped=2\n"), std::string::npos);
  std::vector<std::string> t = EventTexts();
  ASSERT_EQ(t.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_NE(t[i].find("seq=" + std::to_string(seqs[i])), std::string::npos) << t[i];
  }
  // Room again once popped; drops stay counted.
  Send(Cmd(connac::CmdWord::Uni(0x01), Bytes(8, 0)));
  EXPECT_EQ(EventTexts().size(), 1u);
  EXPECT_EQ(m_.counters().events_dropped, 2u);
  EXPECT_EQ(Drain().size(), 6u);  // dropping events never drops answers
}

// ---------------------------------------------------------------- MLO (issue 16)
//
// Byte layouts the stock 6.12 driver sends for an MLD station, each from
// drivers/net/wireless/mediatek/mt76: DEV_INFO + BASIC from mt76_connac_mcu.c
// mt76_connac_mcu_uni_add_dev; BSS_INFO BASIC/RLM/MLD from mt7925/mcu.c
// mt7925_mcu_bss_basic_tlv, mt7925_mcu_bss_rlm_tlv, mt7925_mcu_bss_mld_tlv (struct bss_mld_tlv
// in mt7925/mcu.h); STA_REC_MLD from mt7925_mcu_sta_mld_tlv (struct sta_rec_mld); the MLO ROC
// from mt7925_mcu_set_mlo_roc (struct roc_acquire_tlv).

const Mac kMld = {0x02, 0x00, 0x79, 0x25, 0x00, 0x01};    // the vif's MLD address
const Mac kOwn0 = {0x06, 0x00, 0x79, 0x25, 0xa0, 0x00};   // link 0 address
const Mac kOwn1 = {0x06, 0x00, 0x79, 0x25, 0xa1, 0x00};   // link 1 address
const Mac kApMld = {0x02, 0x00, 0x00, 0x00, 0x0a, 0x00};  // the AP MLD
const Mac kAp0 = {0x02, 0x00, 0x00, 0x00, 0x0a, 0x10};    // AP link 0 (2.4 GHz)
const Mac kAp1 = {0x02, 0x00, 0x00, 0x00, 0x0a, 0x11};    // AP link 1 (5 GHz)

class MloTest : public ModelTest {
 protected:
  void SetUp() override { Reset(true); }
  void Reset(bool mlo) {
    ModelConfig cfg;
    cfg.mlo = mlo;
    m_ = Model(cfg);
  }
  static void Tlv(Bytes* p, uint16_t tag, Bytes body) {
    const size_t len = 4 + body.size();
    p->push_back(static_cast<uint8_t>(tag));
    p->push_back(static_cast<uint8_t>(tag >> 8));
    p->push_back(static_cast<uint8_t>(len));
    p->push_back(static_cast<uint8_t>(len >> 8));
    p->insert(p->end(), body.begin(), body.end());
  }
  // mt76_connac_bss_basic_tlv (32 bytes) after its 4-byte TLV header.
  static Bytes Basic(bool active, bool connected, const Mac& bssid, uint16_t bmc, uint16_t sta,
                     uint8_t link_idx) {
    Bytes b(28, 0);
    b[0] = active ? 1 : 0;
    b[3] = 0xff;               // band_idx: 0xff for a station link
    b[4] = 1;                  // conn_type CONNECTION_INFRA_STA (low byte)
    b[8] = connected ? 0 : 1;  // conn_state = !enable
    std::memcpy(&b[10], bssid.data(), 6);
    b[16] = static_cast<uint8_t>(bmc);
    b[17] = static_cast<uint8_t>(bmc >> 8);
    b[22] = static_cast<uint8_t>(sta);
    b[23] = static_cast<uint8_t>(sta >> 8);
    b[27] = link_idx;
    return b;
  }
  static Bytes Rlm(uint8_t ch, uint8_t band) {
    Bytes b(12, 0);
    b[0] = ch;
    b[1] = ch;
    b[8] = band;
    return b;
  }
  static Bytes BssMld(uint8_t link_id, uint8_t group, uint8_t own) {
    Bytes b(16, 0);
    b[0] = group;
    b[1] = own;
    std::memcpy(&b[2], kMld.data(), 6);
    b[8] = 0xff;  // remap_idx
    b[9] = link_id;
    return b;
  }
  // mt7925_mac_link_bss_add -> mt76_connac_mcu_uni_add_dev(enable): DEV_INFO, then BASIC.
  void UniAddDev(uint8_t bss, uint8_t link_idx, const Mac& own, uint8_t bmc) {
    Bytes d = {0, 0xff, 0, 0};
    Bytes t = {1, link_idx};
    t.insert(t.end(), own.begin(), own.end());
    Tlv(&d, 0, t);
    Send(Cmd(connac::CmdWord::Uni(0x01), d));
    Drain();
    Bytes b = {bss, 0, 0, 0};
    Tlv(&b, 0, Basic(true, false, Mac{}, bmc, bmc, link_idx));
    Send(Cmd(connac::CmdWord::Uni(0x02), b));
    Drain();
  }
  // mt7925_mcu_add_bss_info(enable) for an MLD link: BASIC, MLD and RLM TLVs.
  void AddBssInfo(uint8_t bss, const Mac& bssid, uint8_t bmc, uint8_t sta, uint8_t link_id,
                  uint8_t ch, uint8_t band) {
    Bytes b = {bss, 0, 0, 0};
    Tlv(&b, 0, Basic(true, true, bssid, bmc, sta, bss));
    Tlv(&b, 26, BssMld(link_id, 0, static_cast<uint8_t>(bss + 32)));
    Tlv(&b, 2, Rlm(ch, band));
    Send(Cmd(connac::CmdWord::Uni(0x02), b));
    Drain();
  }
  // sta_rec_mld (28 bytes): the station's MLD and its per-link wcids.
  static Bytes StaMld(uint8_t link_num, uint16_t primary, uint16_t secondary) {
    Bytes b(24, 0);
    std::memcpy(&b[0], kApMld.data(), 6);
    b[6] = static_cast<uint8_t>(primary);
    b[8] = static_cast<uint8_t>(secondary);
    b[10] = static_cast<uint8_t>(primary);
    b[12] = link_num;
    b[16] = static_cast<uint8_t>(primary);
    b[18] = 0;  // bss 0
    b[20] = static_cast<uint8_t>(secondary);
    b[22] = 1;  // bss 1
    return b;
  }
  // mt7925_mcu_mlo_sta_cmd(enable, ASSOC): BASIC (peer = the AP's link address), MLD.
  uint32_t StaRecMld(uint8_t bss, uint8_t wcid, const Mac& peer, Bytes mld) {
    Bytes p = {bss, wcid, 2, 0, 1, 0, 0, 0};
    Bytes basic(16, 0);
    basic[4] = 1;  // conn_state
    std::memcpy(&basic[8], peer.data(), 6);
    Tlv(&p, 0, basic);
    Tlv(&p, 0x20, std::move(mld));
    Send(Cmd(connac::CmdWord::Uni(0x03), p));
    const connac::McuEvent e = OneEvent();
    return e.payload.size() >= 8 ? *e.payload.le32(4) : 0xffffffffu;
  }
  void Key(bool pairwise, uint8_t wcid, uint8_t bss, const Mac& peer, uint8_t key_id,
           const uint8_t* key) {
    Send(KeyFrame(true, pairwise, wcid, key_id, key, bss, peer));
    const connac::McuEvent e = OneEvent();
    ASSERT_GE(e.payload.size(), 8u);
    EXPECT_EQ(*e.payload.le32(4), 0u);
  }
  // Two links as mac80211 sets them up for an MLD association: link 0 (bss 0, 2.4 GHz ch 6,
  // station wcid 1, BSS wcid 19) and link 1 (bss 1, 5 GHz ch 36, wcid 2, BSS wcid 18).
  void TwoLinks() {
    BringUp();
    UniAddDev(0, 0, kOwn0, 19);
    UniAddDev(1, 1, kOwn1, 18);
    AddBssInfo(1, kAp1, 18, 2, 1, 36, 2);
    AddBssInfo(0, kAp0, 19, 1, 0, 6, 1);
    EXPECT_EQ(StaRecMld(0, 1, kAp0, StaMld(2, 1, 2)), 0u);
    EXPECT_EQ(StaRecMld(1, 2, kAp1, StaMld(2, 1, 2)), 0u);
    for (int i = 0; i < 16; ++i) {
      ptk_[i] = static_cast<uint8_t>(0x10 + i);
      gtk0_[i] = static_cast<uint8_t>(0xa0 + i);
      gtk1_[i] = static_cast<uint8_t>(0xc0 + i);
    }
    // mt7925_set_key: the pairwise key once per valid link (each link's station wcid),
    // group keys per link with the link's BSS wcid and BSSID.
    Key(true, 1, 0, kAp0, 0, ptk_);
    Key(true, 2, 1, kAp1, 0, ptk_);
    Key(false, 19, 0, kAp0, 1, gtk0_);
    Key(false, 18, 1, kAp1, 1, gtk1_);
  }
  // A protected QoS data frame from `ap` to `to` with `key`, as a hwsim radio sends it.
  static Bytes FromAp(const Mac& to, const Mac& ap, const uint8_t* key, uint8_t key_id,
                      uint64_t pn) {
    Bytes f = {0x88, 0x02, 0, 0};
    f.insert(f.end(), to.begin(), to.end());
    f.insert(f.end(), ap.begin(), ap.end());
    f.insert(f.end(), ap.begin(), ap.end());
    f.insert(f.end(), {0x10, 0x00, 0x00, 0x00, 0xaa, 0xaa, 3, 0, 0, 0, 8, 0, 1, 2, 3, 4});
    Bytes enc;
    EXPECT_TRUE(EncryptMpdu(Cipher::kCcmp, key, 16, pn, key_id, f, &enc));
    return enc;
  }
  // The same from the AP MLD to our MLD as it reaches the air: encrypted with the MLD
  // addresses (IEEE 802.11be AAD and nonce; mac80211 encrypts before hwsim translates),
  // then A1 and A2 set to the link addresses.
  static Bytes FromApMld(const Mac& to_link, const Mac& ap_link, const uint8_t* key, uint8_t key_id,
                         uint64_t pn) {
    Bytes f = FromAp(kMld, kApMld, key, key_id, pn);
    std::memcpy(&f[4], to_link.data(), 6);
    std::memcpy(&f[10], ap_link.data(), 6);  // A3 (the SA of a FromDS frame) stays
    return f;
  }
  uint8_t ptk_[16] = {}, gtk0_[16] = {}, gtk1_[16] = {};
};

TEST_F(MloTest, NicCapabilityClaimsTheMloEventBit) {
  // mt7925_mcu_get_nic_capability: {le16 n_element, rsv[2]} + TLVs; MT_NIC_CAP_CHIP_CAP
  // (0x20) is an le64 whose bit 2 (MT792x_CHIP_CAP_MLO_EVT_EN, mt792x.h) makes
  // mt7925_init_mlo_caps set WIPHY_FLAG_SUPPORTS_MLO.
  Send(Cmd(connac::CmdWord::Uni(0x0e), {0, 0, 0, 0, 3, 0, 4, 0}));
  connac::McuEvent e = OneEvent();
  ASSERT_EQ(e.payload.size(), 4u + 12u + 20u + 8u + 12u);
  EXPECT_EQ(*e.payload.le16(0), 4);
  size_t off = 4;
  bool found = false;
  for (int i = 0; i < 4; ++i) {
    const uint16_t tag = *e.payload.le16(off), len = *e.payload.le16(off + 2);
    ASSERT_GE(len, 4);  // the driver's loop needs a length that advances
    if (tag == 0x20) {
      EXPECT_EQ(len, 12);
      EXPECT_EQ(*e.payload.le32(off + 4), 4u);
      EXPECT_EQ(*e.payload.le32(off + 8), 0u);
      found = true;
    }
    off += len;
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(off, e.payload.size());
  // Without --mlo the answer is the three TLVs it always was.
  Reset(false);
  Send(Cmd(connac::CmdWord::Uni(0x0e), {0, 0, 0, 0, 3, 0, 4, 0}));
  e = OneEvent();
  EXPECT_EQ(e.payload.size(), 4u + 12u + 20u + 8u);
  EXPECT_EQ(*e.payload.le16(0), 3);
}

TEST_F(MloTest, LinksCarryTheirBssChannelAddressesAndStations) {
  TwoLinks();
  const auto& links = m_.links();
  ASSERT_EQ(links.size(), 2u);
  const LinkInfo& l0 = links.at(0);
  const LinkInfo& l1 = links.at(1);
  EXPECT_TRUE(l0.active && l0.connected && l1.active && l1.connected);
  EXPECT_EQ(l0.link_id, 0);
  EXPECT_EQ(l1.link_id, 1);
  EXPECT_EQ(l0.freq, 2437u);
  EXPECT_EQ(l1.freq, 5180u);
  EXPECT_EQ(l0.bssid, kAp0);
  EXPECT_EQ(l1.bssid, kAp1);
  EXPECT_EQ(l1.mld_addr, kMld);
  EXPECT_EQ(l1.own_mld_id, 33);
  EXPECT_TRUE(l0.has_own && l1.has_own);
  EXPECT_EQ(l0.own, kOwn0);  // DEV_INFO's address, paired by link_idx with the next BASIC
  EXPECT_EQ(l1.own, kOwn1);
  EXPECT_EQ(l0.bmc_wcid, 19);
  EXPECT_EQ(l1.sta_wcid, 2);
  EXPECT_TRUE(m_.Listening(2437));
  EXPECT_TRUE(m_.Listening(5180));
  EXPECT_FALSE(m_.Listening(5200));
  EXPECT_EQ(m_.keys().size(), 4u);
  EXPECT_EQ(m_.counters().key_frames_core_mismatch, 0u);
  EXPECT_EQ(m_.counters().mld_tlv_malformed, 0u);
  const std::string st = m_.StatusText();
  EXPECT_NE(st.find("mlo=1\n"), std::string::npos);
  EXPECT_NE(st.find("link bss=1 link_id=1 active=1 connected=1 band=5g channel=36 freq=5180 "
                    "bssid=02:00:00:00:0a:11 mld_addr=02:00:79:25:00:01 own=06:00:79:25:a1:00 "
                    "peer=02:00:00:00:0a:11 sta_mld=1 sta_wcid=2 bmc_wcid=18 keys=2 "
                    "keys_pairwise=1 keys_group=1 frames_decrypted=0"),
            std::string::npos)
      << st;
}

TEST_F(MloTest, TxLeavesOnTheChannelOfTheTxdLink) {
  TwoLinks();
  // WLAN_IDX 2 is link 1's station: 5 GHz, link 1's addresses on the air, encrypted with
  // the MLD addresses (what the AP MLD checks).
  Send(TxFrame(2, true, 7, true), OutEp::kAcBe);
  AirTx a;
  ASSERT_TRUE(m_.PopToAir(&a));
  EXPECT_EQ(a.freq, 5180u);
  EXPECT_EQ(std::memcmp(&a.frame[4], kAp1.data(), 6), 0);    // A1: the AP's link 1
  EXPECT_EQ(std::memcmp(&a.frame[10], kOwn1.data(), 6), 0);  // A2: our link 1 address
  Bytes plain;
  uint64_t pn = 0;
  uint8_t kid = 0;
  EXPECT_FALSE(
      DecryptMpdu(Cipher::kCcmp, ptk_, 16, a.frame.data(), a.frame.size(), &plain, &pn, &kid));
  Bytes mld = a.frame;
  std::memcpy(&mld[4], kApMld.data(), 6);
  std::memcpy(&mld[10], kMld.data(), 6);
  ASSERT_TRUE(DecryptMpdu(Cipher::kCcmp, ptk_, 16, mld.data(), mld.size(), &plain, &pn, &kid));
  // WLAN_IDX 1: link 0, 2.4 GHz.
  Send(TxFrame(1, true, 8, true), OutEp::kAcBe);
  ASSERT_TRUE(m_.PopToAir(&a));
  EXPECT_EQ(a.freq, 2437u);
  EXPECT_EQ(m_.links().at(0).frames_encrypted, 1u);
  EXPECT_EQ(m_.links().at(1).frames_encrypted, 1u);
  EXPECT_EQ(m_.links().at(1).tx_frames, 1u);
  // Without --mlo the same commands keep one channel (the last RLM's) and the SA as A2.
  Reset(false);
  TwoLinks();
  Send(TxFrame(2, true, 7, true), OutEp::kAcBe);
  ASSERT_TRUE(m_.PopToAir(&a));
  EXPECT_EQ(a.freq, 2437u);
  ASSERT_TRUE(
      DecryptMpdu(Cipher::kCcmp, ptk_, 16, a.frame.data(), a.frame.size(), &plain, &pn, &kid));
  EXPECT_EQ(std::memcmp(&plain[10], kOwn.data(), 6), 0);  // the 802.3 SA (TxFrame's)
  EXPECT_FALSE(m_.Listening(5180));
}

// An 802.11 QoS data frame (an EAPOL-Key as mac80211 sends it for an MLD: MLD addresses)
// behind its TXD; `dis_mat`: TXD6 DIS_MAT (mt7925_mac_write_txwi sets it unless MLD data).
Bytes Tx80211(uint8_t wcid, bool dis_mat) {
  Bytes t(64, 0);
  auto put = [&t](size_t off, uint32_t v) { std::memcpy(&t[off], &v, 4); };
  put(4, wcid | (2u << 14));  // HDR_FORMAT 802.11
  put(8, (2u << 4) | 8u);     // QoS data
  put(12, 15u << 11);         // REM_TX_COUNT
  put(24, dis_mat ? (1u << 3) : 0);
  Bytes f = {0x88, 0x01, 0, 0};
  f.insert(f.end(), kApMld.begin(), kApMld.end());
  f.insert(f.end(), kMld.begin(), kMld.end());
  f.insert(f.end(), kApMld.begin(), kApMld.end());
  f.insert(f.end(), {0, 0, 6, 0, 0xaa, 0xaa, 3, 0, 0, 0, 0x88, 0x8e, 2, 3, 0, 0});
  t.insert(t.end(), f.begin(), f.end());
  put(0, static_cast<uint32_t>(t.size()) | (1u << 23));
  return t;
}

TEST_F(MloTest, MldAddressesBecomeLinkAddressesUnlessDisMat) {
  TwoLinks();
  // Seen on the rig: stock 6.12 sends the 4-way handshake's message 2 on an MLD as an 802.11
  // frame with MLD addresses and DIS_MAT clear; the AP only hears link addresses.
  Send(Tx80211(2, false), OutEp::kAcBe);
  AirTx a;
  ASSERT_TRUE(m_.PopToAir(&a));
  EXPECT_EQ(a.freq, 5180u);
  ASSERT_GE(a.frame.size(), 24u);
  EXPECT_EQ(std::memcmp(&a.frame[4], kAp1.data(), 6), 0);
  EXPECT_EQ(std::memcmp(&a.frame[10], kOwn1.data(), 6), 0);
  // A data frame's A3 is its DA (here the AP MLD's own address, as the rig's bridge has):
  // it stays, as mac80211's and hwsim's translations leave it (seen on the rig: translating it
  // broke every frame after a roam to the MLD whose address the bridge carries).
  EXPECT_EQ(std::memcmp(&a.frame[16], kApMld.data(), 6), 0);
  // DIS_MAT set: the addresses stay as given.
  Send(Tx80211(1, true), OutEp::kAcBe);
  ASSERT_TRUE(m_.PopToAir(&a));
  EXPECT_EQ(a.freq, 2437u);
  EXPECT_EQ(std::memcmp(&a.frame[4], kApMld.data(), 6), 0);
  EXPECT_EQ(std::memcmp(&a.frame[10], kMld.data(), 6), 0);
  // Without --mlo nothing is translated.
  Reset(false);
  TwoLinks();
  Send(Tx80211(2, false), OutEp::kAcBe);
  ASSERT_TRUE(m_.PopToAir(&a));
  EXPECT_EQ(std::memcmp(&a.frame[4], kApMld.data(), 6), 0);
}

TEST_F(MloTest, RxOnEitherLinkMapsToTheLinkStation) {
  TwoLinks();
  // Link 1 (5 GHz): unicast with the PTK -> RXD1 WLAN_IDX 2, RXD3 channel 36; decrypted
  // with the MLD addresses, delivered with the link addresses.
  Bytes f = FromApMld(kOwn1, kAp1, ptk_, 0, 7);
  EXPECT_TRUE(m_.OnAir(5180, f.data(), f.size(), -40, now_));
  std::vector<Bytes> rx = Drain();
  ASSERT_EQ(rx.size(), 1u);
  uint32_t d1, d3;
  std::memcpy(&d1, &rx[0][4], 4);
  std::memcpy(&d3, &rx[0][12], 4);
  EXPECT_EQ(d1 & 0xfff, 2u);
  EXPECT_EQ((d3 >> 8) & 0xff, 36u);
  ASSERT_GE(rx[0].size(), 48u + 24u);
  EXPECT_EQ(std::memcmp(&rx[0][48 + 4], kOwn1.data(), 6), 0);  // A1 as on the air
  EXPECT_EQ(std::memcmp(&rx[0][48 + 10], kAp1.data(), 6), 0);  // A2
  // Link 0 (2.4 GHz): a group frame with link 0's GTK -> WLAN_IDX 1 (the transmitter).
  Bytes g = FromAp(Mac{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, kAp0, gtk0_, 1, 3);
  EXPECT_FALSE(m_.OnAir(2437, g.data(), g.size(), -40, now_));
  rx = Drain();
  ASSERT_EQ(rx.size(), 1u);
  std::memcpy(&d1, &rx[0][4], 4);
  std::memcpy(&d3, &rx[0][12], 4);
  EXPECT_EQ(d1 & 0xfff, 1u);
  EXPECT_EQ((d3 >> 8) & 0xff, 6u);
  EXPECT_EQ((d3 >> 16) & 3, 3u);  // broadcast
  // Link 1's GTK does not open a link 0 group frame (per-link keys).
  Bytes bad = FromAp(Mac{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, kAp0, gtk1_, 1, 4);
  m_.OnAir(2437, bad.data(), bad.size(), -40, now_);
  EXPECT_EQ(m_.counters().frames_dropped_mic, 1u);
  EXPECT_EQ(m_.links().at(0).frames_decrypted, 1u);
  EXPECT_EQ(m_.links().at(1).frames_decrypted, 1u);
  EXPECT_EQ(m_.links().at(1).rx_frames, 1u);
  // A channel no link is on is not heard.
  EXPECT_FALSE(m_.OnAir(5200, f.data(), f.size(), -40, now_));
  EXPECT_TRUE(Drain().empty());
}

TEST_F(MloTest, MloRocIsGrantedOnceForBothLinks) {
  TwoLinks();
  // mt7925_mcu_set_mlo_roc: {rsv[4]} + ACQUIRE (primary, bss 0) + SUB_LINK (bss 1), reqtype
  // MLSR_AG (10) with a 2.4 GHz link, maxinterval 5, dbdcband 0xff.
  Bytes p(4, 0);
  auto roc = [&p](uint16_t tag, uint8_t bss, uint8_t ch, uint8_t band) {
    Bytes r(20, 0);
    r[0] = bss;
    r[1] = 4;  // token
    r[2] = ch;
    r[4] = band;
    r[6] = ch;  // center
    r[11] = 10;
    r[12] = 5;  // maxinterval
    r[16] = 0xff;
    MloTest::Tlv(&p, tag, r);
  };
  roc(0, 0, 1, 1);   // the primary moves to channel 1
  roc(3, 1, 40, 2);  // the secondary to 40
  Send(Cmd(connac::CmdWord::Uni(0x27), p));
  std::vector<Bytes> ev = Drain();
  ASSERT_EQ(ev.size(), 2u);  // one grant, then the command's answer
  auto g = connac::ParseEvent(connac::kMt7925, connac::ConstBytes(ev[0].data(), ev[0].size()));
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->eid, 0x27);
  EXPECT_TRUE(g->unsolicited());
  ASSERT_EQ(g->payload.size(), 24u);
  EXPECT_EQ(*g->payload.le16(4), 0);    // UNI_EVENT_ROC_GRANT
  EXPECT_EQ(*g->payload.le16(6), 20);   // mt7925_mcu_uni_roc_event advances by this
  EXPECT_EQ(g->payload[4 + 4], 0);      // bss_idx
  EXPECT_EQ(g->payload[4 + 5], 4);      // tokenid
  EXPECT_EQ(g->payload[4 + 13], 10);    // reqtype
  EXPECT_EQ(g->payload[4 + 14], 0xff);  // dbdcband
  EXPECT_EQ(*g->payload.le32(4 + 16), 5u);
  EXPECT_EQ(m_.counters().mlo_roc, 1u);
  EXPECT_EQ(m_.freq(), 2412u);
  EXPECT_EQ(m_.links().at(1).freq, 5200u);
  EXPECT_TRUE(m_.Listening(5200));
  EXPECT_FALSE(m_.Listening(5180));
  // Without --mlo the SUB_LINK TLV is ignored: one channel, the primary's.
  Reset(false);
  TwoLinks();
  Send(Cmd(connac::CmdWord::Uni(0x27), p));
  EXPECT_EQ(Drain().size(), 2u);
  EXPECT_EQ(m_.freq(), 2412u);
  EXPECT_FALSE(m_.Listening(5200));
}

TEST_F(MloTest, LinkRemovalAndReAddDuringARoam) {
  TwoLinks();
  // mt7925_mac_link_sta_remove for link 1: STA_REC {REMOVE, MLD_OFF}, then
  // mt792x_mac_link_bss_remove: BASIC active=0 (uni_add_dev(false)), DEV_INFO inactive.
  Bytes p = {1, 2, 2, 0, 1, 0, 0, 0};
  Tlv(&p, 0x25, Bytes(4, 0));
  Tlv(&p, 0x23, Bytes());
  Send(Cmd(connac::CmdWord::Uni(0x03), p));
  EXPECT_EQ(*OneEvent().payload.le32(4), 0u);
  Bytes b = {1, 0, 0, 0};
  Tlv(&b, 0, Basic(false, false, Mac{}, 18, 18, 1));
  Send(Cmd(connac::CmdWord::Uni(0x02), b));
  OneEvent();
  const LinkInfo& l1 = m_.links().at(1);
  EXPECT_FALSE(l1.active);
  EXPECT_EQ(l1.freq, 0u);
  EXPECT_FALSE(m_.Listening(5180));
  EXPECT_EQ(m_.keys().size(), 2u);  // link 0's PTK and GTK; link 1's are gone
  for (const KeyEntry& k : m_.keys()) EXPECT_EQ(k.bss_idx, 0);
  // A frame for the removed link's station is not sent anywhere; its TXS says so.
  Send(TxFrame(2, true, 9, true), OutEp::kAcBe);
  AirTx a;
  EXPECT_FALSE(m_.PopToAir(&a));
  const std::vector<Bytes> txs = Drain();
  ASSERT_EQ(txs.size(), 1u);
  EXPECT_NE(txs[0][16 + 2] & 0x7, 0);  // ACK error
  EXPECT_EQ(txs[0][16 + 12 + 3], 9);   // PID
  // The late GTK DISABLE mac80211 sends after the removal (ieee80211_remove_link_keys)
  // finds nothing and is still answered with status 0.
  connac::KeyAction del;
  del.bss_idx = 1;
  del.wcid = 18;
  del.add = false;
  del.cipher_id = connac::cipher3::kCcmp;
  del.key_id = 1;
  std::memcpy(del.peer.b, kAp1.data(), 6);
  Bytes out(connac::kKeyFrameSize);
  seq_ = seq_ % 15 + 1;
  auto f = connac::EncodeKeyAction(connac::kMt7925, del, seq_,
                                   connac::MutableBytes(out.data(), out.size()));
  ASSERT_TRUE(f.ok());
  Send(Bytes(f->data(), f->data() + f->size()));
  EXPECT_EQ(*OneEvent().payload.le32(4), 0u);
  EXPECT_EQ(m_.counters().strict_key_after_remove, 1u);
  // The roam's new link 1 (another AP, 5 GHz channel 44): counters start again.
  const Mac ap2 = {0x02, 0x00, 0x00, 0x00, 0x0b, 0x11};
  UniAddDev(1, 1, kOwn1, 18);
  AddBssInfo(1, ap2, 18, 2, 1, 44, 2);
  EXPECT_EQ(StaRecMld(1, 2, ap2, StaMld(2, 1, 2)), 0u);
  Key(true, 2, 1, ap2, 0, ptk_);
  EXPECT_TRUE(m_.links().at(1).active);
  EXPECT_EQ(m_.links().at(1).bssid, ap2);
  EXPECT_EQ(m_.links().at(1).frames_decrypted, 0u);
  EXPECT_TRUE(m_.Listening(5220));
  Bytes rx = FromApMld(kOwn1, ap2, ptk_, 0, 1);
  EXPECT_TRUE(m_.OnAir(5220, rx.data(), rx.size(), -40, now_));
  EXPECT_EQ(m_.links().at(1).frames_decrypted, 1u);
  // mt792x_mac_link_bss_remove's DEV_INFO (active 0) retires link 1's address: frames to it
  // are neither acked nor delivered any more (20 roams' random link addresses fit).
  for (int i = 0; i < 20; ++i) {
    Mac own = kOwn1;
    own[5] = static_cast<uint8_t>(i + 1);
    UniAddDev(1, 1, own, 18);
    Bytes d = {0, 0xff, 0, 0};
    Bytes t = {0, 1};
    t.insert(t.end(), own.begin(), own.end());
    Tlv(&d, 0, t);
    Send(Cmd(connac::CmdWord::Uni(0x01), d));
    Drain();
  }
  Mac last = kOwn1;
  last[5] = 21;
  UniAddDev(1, 1, last, 18);
  AddBssInfo(1, ap2, 18, 2, 1, 44, 2);
  rx = FromApMld(last, ap2, ptk_, 0, 2);
  EXPECT_TRUE(m_.OnAir(5220, rx.data(), rx.size(), -40, now_));
  Bytes d = {0, 0xff, 0, 0};
  Bytes t = {0, 1};
  t.insert(t.end(), last.begin(), last.end());
  Tlv(&d, 0, t);
  Send(Cmd(connac::CmdWord::Uni(0x01), d));
  Drain();
  EXPECT_FALSE(m_.OnAir(5220, rx.data(), rx.size(), -40, now_));
  // A WFSYS reset forgets every link.
  WfsysReset();
  EXPECT_TRUE(m_.links().empty());
}

TEST_F(MloTest, BipKeyDoesNotReplaceTheGtkItNames) {
  TwoLinks();
  // mt7925_mcu_sta_key_tlv: a BIP-CMAC-128 SET carries the GTK's key id (here 1) and
  // GTK + IGTK as a 32-byte key; the GTK keeps decrypting group frames.
  connac::KeyAction a;
  a.bss_idx = 0;
  a.wcid = 19;
  a.add = true;
  a.cipher_id = 6;  // CONNAC3_CIPHER_BIP_CMAC_128
  a.key_id = 1;
  a.key_len = 32;
  std::memcpy(a.peer.b, kAp0.data(), 6);
  Bytes out(connac::kKeyFrameSize);
  seq_ = seq_ % 15 + 1;
  auto f = connac::EncodeKeyAction(connac::kMt7925, a, seq_,
                                   connac::MutableBytes(out.data(), out.size()));
  ASSERT_TRUE(f.ok());
  Send(Bytes(f->data(), f->data() + f->size()));
  EXPECT_EQ(*OneEvent().payload.le32(4), 0u);
  EXPECT_EQ(m_.keys().size(), 5u);
  Bytes g = FromAp(Mac{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, kAp0, gtk0_, 1, 9);
  m_.OnAir(2437, g.data(), g.size(), -40, now_);
  EXPECT_EQ(m_.links().at(0).frames_decrypted, 1u);
}

TEST_F(MloTest, SixGhzChannelIsCodedAsTheDriverDecodesIt) {
  BringUp();
  UniAddDev(2, 0, kOwn0, 17);
  AddBssInfo(2, kAp0, 17, 3, 2, 5, 3);  // 6 GHz channel 5 = 5975 MHz
  EXPECT_EQ(m_.links().at(2).freq, 5975u);
  Bytes beacon = {0x80, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  beacon.insert(beacon.end(), kAp0.begin(), kAp0.end());
  beacon.insert(beacon.end(), kAp0.begin(), kAp0.end());
  beacon.resize(40, 0);
  m_.OnAir(5975, beacon.data(), beacon.size(), -40, now_);
  std::vector<Bytes> rx = Drain();
  ASSERT_EQ(rx.size(), 1u);
  uint32_t d3;
  std::memcpy(&d3, &rx[0][12], 4);
  // mt792x_get_status_freq_info: > 180 is 6 GHz, channel (v - 181) * 4 + 1.
  EXPECT_EQ((d3 >> 8) & 0xff, 182u);
}

TEST_F(MloTest, MalformedMldTlvsAreRejectedAndCounted) {
  BringUp();
  UniAddDev(0, 0, kOwn0, 19);
  // sta_rec_mld shorter than 28 bytes, and one claiming three links.
  EXPECT_EQ(StaRecMld(0, 1, kAp0, Bytes(8, 0)), 1u);
  EXPECT_EQ(StaRecMld(0, 1, kAp0, StaMld(3, 1, 2)), 1u);
  // A BSS MLD TLV that is too short changes nothing.
  Bytes b = {0, 0, 0, 0};
  Tlv(&b, 26, Bytes(4, 0));
  Send(Cmd(connac::CmdWord::Uni(0x02), b));
  OneEvent();
  EXPECT_FALSE(m_.links().at(0).mld());
  EXPECT_EQ(m_.counters().mld_tlv_malformed, 3u);
  // A non-MLD station's sta_rec_mld (link_num 0, sent by mt7925_mcu_sta_cmd) is fine.
  EXPECT_EQ(StaRecMld(0, 1, kAp0, StaMld(0, 1, 0)), 0u);
}

TEST_F(MloTest, SurvivesMutatedLinkCommands) {
  std::mt19937 rng(16);
  TwoLinks();
  std::vector<Bytes> seeds;
  {
    Bytes b = {1, 0, 0, 0};
    Tlv(&b, 0, Basic(true, true, kAp1, 18, 2, 1));
    Tlv(&b, 26, BssMld(1, 0, 33));
    Tlv(&b, 2, Rlm(36, 2));
    seeds.push_back(Cmd(connac::CmdWord::Uni(0x02), b));
    Bytes s = {1, 2, 2, 0, 1, 0, 0, 0};
    Tlv(&s, 0x20, StaMld(2, 1, 2));
    Tlv(&s, 0x23, Bytes());
    seeds.push_back(Cmd(connac::CmdWord::Uni(0x03), s));
    Bytes r(4, 0);
    Tlv(&r, 0, Bytes(20, 1));
    Tlv(&r, 3, Bytes(20, 2));
    seeds.push_back(Cmd(connac::CmdWord::Uni(0x27), r));
    Bytes d = {0, 0xff, 0, 0};
    Tlv(&d, 0, {1, 1, 6, 0, 0x79, 0x25, 0xa1, 0});
    seeds.push_back(Cmd(connac::CmdWord::Uni(0x01), d));
    seeds.push_back(TxFrame(2, true, 3, true));
  }
  for (int iter = 0; iter < 20000; ++iter) {
    Bytes b = seeds[rng() % seeds.size()];
    const int flips = 1 + static_cast<int>(rng() % 6);
    for (int k = 0; k < flips && !b.empty(); ++k) b[rng() % b.size()] ^= 1u << (rng() % 8);
    if (rng() % 4 == 0) b.resize(rng() % (b.size() + 1));
    b = UsbWrap(b);
    const OutEp ep = rng() % 3 == 0 ? OutEp::kAcBe : OutEp::kInbandCmd;
    m_.OnBulkOut(ep, b.data(), b.size(), now_);
    if (iter % 5 == 0) {
      Bytes f = FromAp(rng() & 1 ? kOwn1 : kOwn0, rng() & 1 ? kAp1 : kAp0, ptk_, 0, iter + 1);
      m_.OnAir(rng() & 1 ? 5180 : 2437, f.data(), f.size(), -40, now_);
    }
    now_ += kMs;
    m_.Advance(now_);
    Bytes out;
    while (m_.PopToHost(&out)) ASSERT_LE(out.size(), 4096u);
    AirTx a;
    while (m_.PopToAir(&a)) {
      ASSERT_NE(a.freq, 0u);
      m_.OnAirTxStatus(a.token, rng() & 1, now_);
    }
    ASSERT_LE(m_.links().size(), 16u);
  }
  EXPECT_FALSE(m_.StatusText().empty());
}

TEST(ControlTest, ParsesRequestsAndRejectsBadOnes) {
  ControlRequest r;
  std::string err;
  ASSERT_TRUE(ParseControl("status", &r, &err));
  EXPECT_EQ(r.op, ControlRequest::Op::kStatus);
  ASSERT_TRUE(ParseControl("fault hang cid=0x02", &r, &err));
  EXPECT_EQ(r.fault.kind, FaultPlan::Kind::kHang);
  EXPECT_EQ(r.fault.on_cid, 2);
  ASSERT_TRUE(ParseControl("fault slow now ms=2500", &r, &err));
  EXPECT_EQ(r.fault.slow_ns, 2500 * kMs);
  ASSERT_TRUE(ParseControl("fault hang in=250", &r, &err));
  EXPECT_EQ(r.fault.after_ns, 250 * kMs);
  ASSERT_TRUE(ParseControl("fault reset-fails count=2", &r, &err));
  EXPECT_EQ(r.fault.kind, FaultPlan::Kind::kResetFails);
  EXPECT_EQ(r.fault.count, 2u);
  ASSERT_TRUE(ParseControl("fault clear", &r, &err));
  EXPECT_EQ(r.op, ControlRequest::Op::kClear);
  for (const char* bad :
       {"", "fault", "fault hang", "fault melt now", "fault hang at=0", "fault hang cid=0x100",
        "fault hang at=-1", "stat", "status now", "fault slow ms=99999999999 now",
        "fault reset-fails", "fault reset-fails count=0", "fault hang in=0"}) {
    EXPECT_FALSE(ParseControl(bad, &r, &err)) << bad;
    EXPECT_FALSE(err.empty());
  }
}

TEST(FirmwareTest, ImagesHaveTheLayoutsTheDriverParses) {
  const Bytes p = BuildPatchImage();
  ASSERT_GE(p.size(), 96u + 64u);
  auto be32 = [](const Bytes& b, size_t o) {
    return uint32_t{b[o]} << 24 | uint32_t{b[o + 1]} << 16 | uint32_t{b[o + 2]} << 8 | b[o + 3];
  };
  EXPECT_EQ(be32(p, 20), kHwSwVersion);
  EXPECT_EQ(be32(p, 44), 1u);           // desc.n_region
  EXPECT_EQ(be32(p, 96) & 0xffff, 2u);  // PATCH_SEC_TYPE_INFO
  EXPECT_EQ(be32(p, 96 + 4) + be32(p, 96 + 8), p.size());
  EXPECT_EQ(be32(p, 96 + 12), 0x900000u);  // PATCH_START_REQ address
  const Bytes r = BuildRamImage();
  const size_t t = r.size() - 36;
  EXPECT_EQ(r[t + 2], 2);  // n_region
  EXPECT_EQ(std::memcmp(&r[t + 7], kFwVersion, 10), 0);
  uint32_t sum = 0;
  for (int i = 0; i < 2; ++i) {
    uint32_t len;
    std::memcpy(&len, &r[t - (2 - i) * 40 + 20], 4);
    sum += len;
  }
  // mt792x_get_offload_capability: release info at sum + 16, feature tag 4, CNM bit.
  EXPECT_EQ(r[sum + 16 + 4 + 3], 4);
  EXPECT_NE(r[sum + 16 + 8 + 1] & 0x80, 0);
}

}  // namespace
}  // namespace vmt
