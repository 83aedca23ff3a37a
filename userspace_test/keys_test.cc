// connac/keys.h: mt7925 key slots per MLO link.
//
// Golden frames are spelled out byte by byte; each field names the source rule that produced
// it (openwrt/mt76 @59676919):
//   [7925]  mt7925_mcu_fill_message, mt7925/mcu.c (48-byte UNI header, option 0x07)
//   [hdr]   __mt76_connac_mcu_alloc_sta_req, mt76_connac_mcu.c (struct sta_req_hdr: muar_idx
//           is omac_idx, or 0x0e when the wcid has no station; is_tlv_append = 1)
//   [tlv]   mt76_connac_mcu_add_tlv: zeroed body, le16 tag/len, tlv_num incremented
//   [key]   mt7925_mcu_sta_key_tlv, mt7925/mcu.c (struct sta_rec_sec_uni, STA_REC_KEY_V3 0x27)
//   [link]  mt7925_set_link_key, mt7925/main.c (cipher gate, hw_key_idx/hw_key_idx2 rules)
//   [wtbl]  mt792x.h: BSS wcid = 19 - bss_idx; wcid 0 is the driver's own (mt792x_init_wcid,
//           mt792x_core.c), so peer link-stations take wcids 1..13 (mt76_wcid_alloc)
// The behaviour beyond the driver (#1036 DISABLE on a torn-down link, caching, rollback,
// reset replay, zeroization) is the contract documented in keys.h, checked here and against
// a small reference model.

#include "connac/keys.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "connac/family.h"
#include "connac/mcu_cmd.h"
#include "connac/mcu_frame.h"
#include "connac/mcu_ids.h"
#include "connac/testing/test_keys.h"
#include "gtest/gtest.h"
#include "userspace_test/test_util.h"

namespace connac {
namespace {

using connac_test::BytesEqual;
using connac_test::Hex;
using connac_test::Prng;
using connac_test::View;

// ---------------------------------------------------------------------------------------
// Helpers.

// The link's BSSID and the AP's link address (the peer link-station in STA mode). Distinct
// on purpose, so a frame shows which of the two it carries.
MacAddr Bssid(uint8_t link) { return MacAddr{{0x02, 0xb0, 0x55, 0x1d, 0x00, link}}; }
MacAddr ApLink(uint8_t link) { return MacAddr{{0x02, 0xa9, 0x00, 0x00, 0x00, link}}; }

// A key whose bytes are base, base + 1, ... (readable in golden frames).
KeyConf Key(uint32_t cipher, uint8_t idx, int8_t link, uint8_t len, uint8_t base) {
  return testing::PatternKey(cipher, idx, link, len, base);
}
KeyConf Gtk(uint8_t link, uint8_t idx, uint8_t base = 0xc0) {
  return Key(suite::kCcmp, idx, static_cast<int8_t>(link), 16, base);
}
KeyConf Igtk(uint8_t link, uint8_t idx, uint8_t base = 0xa0) {
  return Key(suite::kAesCmac, idx, static_cast<int8_t>(link), 16, base);
}
KeyConf Ptk(uint8_t idx, uint8_t base = 0x50) { return Key(suite::kCcmp, idx, -1, 16, base); }

// A key of `len` bytes with no run that occurs anywhere else in these tests (seeded PRNG,
// no zero bytes), for the zeroization scans.
KeyConf Distinct(uint32_t cipher, uint8_t idx, int8_t link, uint8_t len, uint64_t seed) {
  KeyConf k = Key(cipher, idx, link, len, 0);
  // SplitMix64 seeds s and s + 1 give the same stream shifted by one step: hash the seed
  // first so that keys from neighbouring seeds share no run.
  Prng r(Prng(seed).Next());
  for (uint8_t i = 0; i < len; ++i) k.key[i] = static_cast<uint8_t>(1 + r.Below(255));
  return k;
}

// True when any 8-byte window of key[0, len) occurs in [obj, obj + size).
bool HasKeyWindow(const void* obj, size_t size, const uint8_t* key, size_t len) {
  const uint8_t* p = static_cast<const uint8_t*>(obj);
  for (size_t w = 0; w + 8 <= len; ++w) {
    for (size_t i = 0; i + 8 <= size; ++i) {
      if (std::memcmp(p + i, key + w, 8) == 0) return true;
    }
  }
  return false;
}
template <typename T>
bool HasKey(const T& obj, const KeyConf& k) {
  return HasKeyWindow(reinterpret_cast<const uint8_t*>(&obj), sizeof(obj), k.key, k.key_len);
}
// Number of places the whole key occurs in `obj`.
template <typename T>
int CountKey(const T& obj, const KeyConf& k) {
  const uint8_t* p = reinterpret_cast<const uint8_t*>(&obj);
  int n = 0;
  for (size_t i = 0; i + k.key_len <= sizeof(obj); ++i)
    n += std::memcmp(p + i, k.key, k.key_len) == 0 ? 1 : 0;
  return n;
}

bool AllZero(const uint8_t* p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (p[i] != 0) return false;
  }
  return true;
}

std::vector<uint8_t> Encode(const KeyAction& a, uint8_t seq = 1) {
  std::vector<uint8_t> out(kKeyFrameSize);
  Result<ConstBytes> f = EncodeKeyAction(kMt7925, a, seq, MutableBytes(out.data(), out.size()));
  EXPECT_TRUE(f.ok()) << f.status().name();
  if (!f.ok()) return {};
  return std::vector<uint8_t>(f->data(), f->data() + f->size());
}

// Every field, every key byte.
::testing::AssertionResult SameAction(const KeyAction& want, const KeyAction& got) {
  if (want.kind != got.kind || want.link_id != got.link_id || want.wcid != got.wcid ||
      want.bss_idx != got.bss_idx || want.muar_idx != got.muar_idx || want.add != got.add ||
      want.pairwise != got.pairwise || want.cipher_id != got.cipher_id ||
      want.key_id != got.key_id || want.key_len != got.key_len || !(want.peer == got.peer) ||
      std::memcmp(want.key, got.key, kMaxKeyLen) != 0) {
    return ::testing::AssertionFailure()
           << "want kind " << int(want.kind) << " link " << int{want.link_id} << " wcid "
           << int{want.wcid} << " bss " << int{want.bss_idx} << " muar " << int{want.muar_idx}
           << " add " << want.add << " pw " << want.pairwise << " cipher " << int{want.cipher_id}
           << " id " << int{want.key_id} << " len " << int{want.key_len} << " key "
           << connac_test::ToHex(want.key, kMaxKeyLen) << "\n got kind " << int(got.kind)
           << " link " << int{got.link_id} << " wcid " << int{got.wcid} << " bss "
           << int{got.bss_idx} << " muar " << int{got.muar_idx} << " add " << got.add << " pw "
           << got.pairwise << " cipher " << int{got.cipher_id} << " id " << int{got.key_id}
           << " len " << int{got.key_len} << " key " << connac_test::ToHex(got.key, kMaxKeyLen);
  }
  return ::testing::AssertionSuccess();
}

// The table and action lists are too large for one kernel-budget stack frame (2048 bytes):
// the fixture lives on the heap.
class KeysTest : public ::testing::Test {
 protected:
  void UsePolicy(KeyPolicy p) { table_ = std::make_unique<KeyTable>(p); }
  KeyTable& t() { return *table_; }

  // Run `op` with an empty action list. The BSS-cipher commands that precede a link's first
  // key (checked by their own tests) are moved to bss_acts_, so acts_ holds the key frames.
  Status LinkAdd(uint8_t link) {
    acts_.Wipe();
    return SplitBss(t().LinkAdd(link, Bssid(link), &acts_));
  }
  Status StaAdd(uint8_t link) {
    acts_.Wipe();
    return SplitBss(t().StaAdd(link, ApLink(link), &acts_));
  }
  Status Set(const KeyConf& k) {
    acts_.Wipe();
    return SplitBss(t().SetKey(KeyCmd::kSet, k, &acts_));
  }
  Status Disable(const KeyConf& k) {
    acts_.Wipe();
    return SplitBss(t().SetKey(KeyCmd::kDisable, k, &acts_));
  }
  Status SplitBss(Status st) {
    bss_acts_.Wipe();
    size_t keep = 0;
    for (size_t i = 0; i < acts_.size; ++i) {
      if (acts_.items[i].kind == KeyActionKind::kBssCipher) {
        EXPECT_TRUE(bss_acts_.Push(acts_.items[i]).ok());
      } else {
        acts_.items[keep++] = acts_.items[i];
      }
    }
    acts_.size = keep;
    return st;
  }

  const KeyTable::Slot& GroupSlot(uint8_t link, int s) {
    return t().wcid(static_cast<uint8_t>(kBssWcidTop - t().link(link).bss_idx)).slot[s];
  }

  std::unique_ptr<KeyTable> table_ = std::make_unique<KeyTable>();
  KeyActionList acts_;
  KeyActionList bss_acts_;
  KeyActionList rollback_;
};

// ---------------------------------------------------------------------------------------
// Golden STA_REC_UPDATE frames.

// Common to every key frame: the 48-byte UNI header of MCU_UNI_CMD(STA_REC_UPDATE) for a
// 76-byte payload (8 sta_req_hdr + 68 STA_REC_KEY_V3), then the sta_req_hdr up to bss/wcid.
#define KEY_UNI_HEADER(seq)                                                                   \
  "7c 00 00 41" /* DW0 0x4100007c: Q_IDX 0x20, PKT_FMT CMD, TX_BYTES 124 [7925] */            \
  "00 40 00 00" /* DW1: connac3 HDR_FORMAT CMD [7925] */                                      \
  "00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00" /* DW2..7 */ \
  "5c 00"        /* @32 len = 124 - 32 = 92 [7925] */                                         \
  "03 00"        /* @34 cid STA_REC_UPDATE 0x03 */                                            \
  "00 a0 00" seq /* @36 rsv, pkt_type 0xa0, frag_n, seq */                                    \
  "00 00 00"     /* @40 checksum, @42 s2d H2N */                                              \
  "07"           /* @43 option UNI_EXT_ACK (set, not HIF_CTRL/CHIP_CONFIG) [7925] */          \
  "00 00 00 00"  /* @44 rsv */

class KeysGoldenTest : public KeysTest {
 public:
  static void GtkOnLink0(KeysGoldenTest* g) {
    ASSERT_TRUE(g->LinkAdd(0).ok());
    ASSERT_TRUE(g->Set(Gtk(0, 1)).ok());
  }
  static void PairwiseOnLink0(KeysGoldenTest* g) {
    ASSERT_TRUE(g->LinkAdd(0).ok());
    ASSERT_TRUE(g->StaAdd(0).ok());
    ASSERT_TRUE(g->Set(Ptk(0)).ok());
  }
  static void IgtkOnLink0(KeysGoldenTest* g) {
    GtkOnLink0(g);
    ASSERT_TRUE(g->Set(Igtk(0, 4)).ok());
  }
  static void TkipOnLink2(KeysGoldenTest* g) {
    ASSERT_TRUE(g->LinkAdd(0).ok());
    ASSERT_TRUE(g->LinkAdd(2).ok());  // second BSS: bss_idx 1, wcid 18
    ASSERT_TRUE(g->Set(Key(suite::kTkip, 2, 2, 32, 0x20)).ok());
  }
  static void DisableGtk(KeysGoldenTest* g) {
    GtkOnLink0(g);
    ASSERT_TRUE(g->Disable(Gtk(0, 1)).ok());
  }
  static void DisablePtk(KeysGoldenTest* g) {
    PairwiseOnLink0(g);
    ASSERT_TRUE(g->Disable(Ptk(0)).ok());
  }
};

struct GoldenCase {
  const char* desc;
  void (*setup)(KeysGoldenTest* f);  // leaves exactly the action to encode in acts_
  uint8_t seq;
  const char* frame;
};

const GoldenCase kGoldenCases[] = {
    {"group CCMP GTK idx 1 SET on link 0: BSS wcid 19, muar 0x0e, peer = BSSID",
     KeysGoldenTest::GtkOnLink0, 1,
     KEY_UNI_HEADER("01")
     // sta_req_hdr [hdr]
     "00"     // bss_idx 0 (first BSS link)
     "13"     // wlan_idx_lo = wcid 19 = 19 - bss_idx [wtbl]
     "01 00"  // tlv_num 1 (le16) [tlv]
     "01"     // is_tlv_append [hdr]
     "0e"     // muar_idx 0x0e: the vif's BSS wcid has no station [hdr]
     "00 00"  // wlan_idx_hi (wcid < 256), rsv
     // STA_REC_KEY_V3 [key]
     "27 00 44 00"        // tag 0x27, len 68
     "01"                 // add: SET_KEY
     "00 00"              // tx_key, key_type: no station (group key, STA mode)
     "00"                 // is_authenticator = 0
     "02 b0 55 1d 00 00"  // peer_addr = link_conf->bssid
     "00"                 // bss_idx
     "04"                 // cipher_id CONNAC3_CIPHER_AES_CCMP
     "01"                 // key_id = keyidx
     "10"                 // key_len = keylen 16
     "13"                 // wlan_idx = (u8)wcid->idx
     "01"                 // mgmt_prot = 1 ("only used in MLO mode")
     "c0 c1 c2 c3 c4 c5 c6 c7  c8 c9 ca cb cc cd ce cf"    // key[0..15]
     "00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00"    // key[16..31]: zero-filled TLV [tlv]
     "00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00"},  // key_rsc: never filled

    {"pairwise CCMP idx 0 SET: peer wcid 1, muar 0 (MLD omac 0), tx_key = key_type = 1",
     KeysGoldenTest::PairwiseOnLink0, 2,
     KEY_UNI_HEADER("02") "00"  // bss_idx 0
                          "01"  // wlan_idx_lo: first free peer wcid 1 (0: mt792x_init_wcid) [wtbl]
                          "01 00 01"  // tlv_num 1, is_tlv_append
                          "00"        // muar_idx = omac_idx 0 (real station) [hdr]
                          "00 00"
                          "27 00 44 00"
                          "01"     // add
                          "01 01"  // tx_key = key_type = 1: a real peer station [key]
                          "00"
                          "02 a9 00 00 00 00"  // peer_addr = link_sta->addr (the AP's link address)
                          "00"                 // bss_idx
                          "04"                 // AES_CCMP
                          "00"                 // key_id 0
                          "10"                 // key_len 16
                          "01"                 // wlan_idx 1
                          "01"                 // mgmt_prot
                          "50 51 52 53 54 55 56 57  58 59 5a 5b 5c 5d 5e 5f"
                          "00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00"
                          "00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00"},

    {"IGTK idx 4: cipher 6, key_id = the CCMP key's idx 1, 32 bytes = CCMP key then IGTK",
     KeysGoldenTest::IgtkOnLink0, 3,
     KEY_UNI_HEADER(
         "03") "00 13 01 00 01 0e 00 00"  // bss 0, wcid 19, tlv_num 1, append, muar 0x0e [hdr]
               "27 00 44 00"
               "01 00 00 00"        // add, group key
               "02 b0 55 1d 00 00"  // BSSID
               "00"                 // bss_idx
               "06"                 // CONNAC3_CIPHER_BIP_CMAC_128 [key]
               "01"  // key_id = sta_key_conf->keyidx (the CCMP GTK's idx), not 4 [key]
               "20"  // key_len 32 [key]
               "13"  // wlan_idx 19: same wcid, slot hw_key_idx2 [link]
               "01"
               "c0 c1 c2 c3 c4 c5 c6 c7  c8 c9 ca cb cc cd ce cf"  // key[0..15] = stored CCMP key
                                                                   // [key]
               "a0 a1 a2 a3 a4 a5 a6 a7  a8 a9 aa ab ac ad ae af"  // key[16..31] = IGTK [key]
               "00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00"},

    {"group TKIP idx 2 on link 2 (second BSS, bss_idx 1, wcid 18): MIC halves swapped",
     KeysGoldenTest::TkipOnLink2, 4,
     KEY_UNI_HEADER(
         "04") "01"  // bss_idx 1
               "12"  // wcid 18 = 19 - 1 [wtbl]
               "01 00 01 0e 00 00"
               "27 00 44 00"
               "01 00 00 00"
               "02 b0 55 1d 00 02"  // link 2's BSSID
               "01"                 // bss_idx 1
               "02"                 // CONNAC3_CIPHER_TKIP
               "02"                 // key_id 2
               "20"                 // key_len 32
               "12"                 // wlan_idx 18
               "01"
               "20 21 22 23 24 25 26 27  28 29 2a 2b 2c 2d 2e 2f"  // key[0..15]: TK as given
               "38 39 3a 3b 3c 3d 3e 3f"  // key[16..23] = given bytes 24..31 ("MIC keys are
                                          // swapped") [key]
               "30 31 32 33 34 35 36 37"  // key[24..31] = given bytes 16..23 [key]
               "00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00"},

    {"group GTK DISABLE: add 0, cipher/key_id/key_len/key zero, header fields kept",
     KeysGoldenTest::DisableGtk, 5,
     KEY_UNI_HEADER(
         "05") "00 13 01 00 01 0e 00 00"
               "27 00 44 00"
               "00"                 // add = 0: DISABLE_KEY [key]
               "00 00 00"           // tx_key, key_type, is_authenticator
               "02 b0 55 1d 00 00"  // peer_addr still filled (before the cmd branch) [key]
               "00"                 // bss_idx
               "00 00 00"           // cipher_id, key_id, key_len: left zero by the zeroed TLV [tlv]
               "13"                 // wlan_idx
               "01"                 // mgmt_prot is set before the cmd branch [key]
               "00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00"
               "00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00"
               "00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00"},

    {"pairwise DISABLE: add 0, tx_key = key_type = 1, peer = link-station",
     KeysGoldenTest::DisablePtk, 6,
     KEY_UNI_HEADER("06") "00 01 01 00 01 00 00 00"  // bss 0, wcid 1, tlv_num 1, append, muar 0
                          "27 00 44 00"
                          "00 01 01 00"  // add 0, tx_key 1, key_type 1, is_authenticator 0 [key]
                          "02 a9 00 00 00 00"
                          "00 00 00 00"  // bss_idx, cipher, key_id, key_len
                          "01"           // wlan_idx 1
                          "01"
                          "00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00"
                          "00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00"
                          "00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00"},
};

TEST_F(KeysGoldenTest, EncodeKeyActionMatchesDriverBytes) {
  for (const GoldenCase& c : kGoldenCases) {
    SCOPED_TRACE(c.desc);
    table_ = std::make_unique<KeyTable>();
    c.setup(this);
    ASSERT_EQ(acts_.size, 1u);
    const std::vector<uint8_t> want = Hex(c.frame);
    ASSERT_EQ(want.size(), kKeyFrameSize);
    ASSERT_EQ(kKeyFrameSize, 124u);

    std::vector<uint8_t> out(kKeyFrameSize + 8, 0xa5);
    Result<ConstBytes> f =
        EncodeKeyAction(kMt7925, acts_.items[0], c.seq, MutableBytes(out.data(), kKeyFrameSize));
    ASSERT_TRUE(f.ok()) << f.status().name();
    EXPECT_EQ(f->data(), out.data());
    EXPECT_TRUE(BytesEqual(View(want), *f));
    for (size_t i = kKeyFrameSize; i < out.size(); ++i)
      ASSERT_EQ(out[i], 0xa5) << "wrote past the frame at " << i;

    // Decodable as UNI STA_REC_UPDATE with one TLV of 68 bytes.
    const char* reason = nullptr;
    Result<DecodedFrame> d = DecodeFrame(*f, &reason);
    ASSERT_TRUE(d.ok()) << (reason ? reason : "");
    EXPECT_TRUE(d->uni);
    EXPECT_EQ(d->cmd, CmdWord::Uni(uni::kStaRecUpdate));
    EXPECT_EQ(d->cid, uni::kStaRecUpdate);
    EXPECT_EQ(d->tx_bytes, 124);
    EXPECT_EQ(d->len, 124 - 32);
    EXPECT_EQ(d->seq, c.seq);
    EXPECT_EQ(d->option, 0x07);
    ASSERT_EQ(d->payload.size(), kStaReqHdrSize + kStaRecKeyV3Size);
    EXPECT_EQ(*d->payload.le16(2), 1) << "tlv_num";
    EXPECT_EQ(*d->payload.le16(8), kStaRecKeyV3Tag);
    EXPECT_EQ(*d->payload.le16(10), kStaRecKeyV3Size);
  }
}

TEST_F(KeysGoldenTest, EncodeKeyActionRefusesShortBuffer) {
  GtkOnLink0(this);
  std::vector<uint8_t> out(kKeyFrameSize - 1, 0xa5);
  Result<ConstBytes> f =
      EncodeKeyAction(kMt7925, acts_.items[0], 1, MutableBytes(out.data(), out.size()));
  EXPECT_FALSE(f.ok());
  // A bad seq is refused too (Finish checks 1..15).
  std::vector<uint8_t> full(kKeyFrameSize);
  EXPECT_FALSE(
      EncodeKeyAction(kMt7925, acts_.items[0], 0, MutableBytes(full.data(), full.size())).ok());
  acts_.Wipe();
}

// ---------------------------------------------------------------------------------------
// #1036 and mac80211 sequences.

TEST_F(KeysTest, Issue1036RoamDisableAfterLinkRemoveIsSilentSuccess) {
  const KeyConf gtk = Distinct(suite::kCcmp, 1, 0, 16, 1);
  const KeyConf igtk = Distinct(suite::kAesCmac, 4, 0, 16, 2);
  ASSERT_TRUE(LinkAdd(0).ok());
  ASSERT_TRUE(Set(gtk).ok());
  EXPECT_EQ(acts_.size, 1u);
  ASSERT_TRUE(Set(igtk).ok());
  EXPECT_EQ(acts_.size, 1u);

  // "disconnect ... for new auth": the link goes first, then mac80211 removes the keys.
  EXPECT_TRUE(t().LinkRemove(0).ok());
  Status s = Disable(gtk);
  EXPECT_TRUE(s.ok()) << s.name();
  EXPECT_EQ(s.code(), 0);
  EXPECT_EQ(acts_.size, 0u) << "no MCU traffic for a vanished link";
  s = Disable(igtk);
  EXPECT_TRUE(s.ok()) << s.name();
  EXPECT_EQ(s.code(), 0);
  EXPECT_EQ(acts_.size, 0u);
  EXPECT_FALSE(HasKey(t(), gtk));
  EXPECT_FALSE(HasKey(t(), igtk));

  // The next association works on the same link.
  ASSERT_TRUE(LinkAdd(0).ok());
  ASSERT_TRUE(Set(Gtk(0, 2)).ok());
  ASSERT_EQ(acts_.size, 1u);
  EXPECT_EQ(acts_.items[0].key_id, 2);
}

TEST_F(KeysTest, DisableNeverFails) {
  struct Case {
    const char* desc;
    KeyConf k;
  };
  const Case cases[] = {
      {"group key on a link that never existed", Gtk(7, 1)},
      {"link id 15 (out of range)", Key(suite::kCcmp, 1, 15, 16, 0)},
      {"link id 127", Key(suite::kCcmp, 1, 127, 16, 0)},
      {"unsupported cipher", Key(suite::kBipGmac256, 4, 0, 32, 0)},
      {"pairwise with no station", Ptk(0)},
      {"index that is not in the slot", Gtk(0, 3)},
      {"garbage index", Key(suite::kCcmp, 200, 0, 16, 0)},
  };
  ASSERT_TRUE(LinkAdd(0).ok());
  ASSERT_TRUE(Set(Gtk(0, 1)).ok());
  for (const Case& c : cases) {
    SCOPED_TRACE(c.desc);
    const Status s = Disable(c.k);
    EXPECT_TRUE(s.ok()) << s.name();
    EXPECT_EQ(acts_.size, 0u);
  }
  EXPECT_EQ(GroupSlot(0, 0).keyidx, 1) << "untouched by the unrelated DISABLEs";
}

TEST_F(KeysTest, GtkRekeyOldIndexDisableKeepsNewKey) {
  ASSERT_TRUE(LinkAdd(0).ok());
  ASSERT_TRUE(Set(Gtk(0, 1, 0x10)).ok());
  const KeyConf next = Gtk(0, 2, 0x70);
  ASSERT_TRUE(Set(next).ok());
  ASSERT_EQ(acts_.size, 1u);
  EXPECT_EQ(acts_.items[0].key_id, 2);

  ASSERT_TRUE(Disable(Gtk(0, 1, 0x10)).ok());
  EXPECT_EQ(acts_.size, 0u) << "the old index is no longer in the slot [link]";
  const KeyTable::Slot& s = GroupSlot(0, 0);
  EXPECT_EQ(s.keyidx, 2);
  EXPECT_EQ(s.cipher, cipher3::kCcmp);
  EXPECT_EQ(s.key_len, 16);
  EXPECT_EQ(std::memcmp(s.key, next.key, 16), 0);
  // The IGTK pairing follows the newest CCMP key.
  EXPECT_EQ(t().bip(0).keyidx, 2);
  ASSERT_TRUE(Set(Igtk(0, 4)).ok());
  ASSERT_EQ(acts_.size, 1u);
  EXPECT_EQ(acts_.items[0].key_id, 2);
  EXPECT_EQ(std::memcmp(acts_.items[0].key, next.key, 16), 0);
}

// ---------------------------------------------------------------------------------------
// Keys before the link.

TEST_F(KeysTest, GroupKeysForADownLinkAreCachedAndReplayedOnLinkAdd) {
  const KeyConf gtk = Gtk(3, 1, 0xc0);
  const KeyConf igtk = Igtk(3, 5, 0xa0);
  ASSERT_TRUE(LinkAdd(0).ok());
  Status s = Set(gtk);
  EXPECT_TRUE(s.ok()) << s.name();
  EXPECT_EQ(acts_.size, 0u);
  s = Set(igtk);
  EXPECT_TRUE(s.ok()) << "the cached GTK is CCMP: " << s.name();
  EXPECT_EQ(acts_.size, 0u);
  EXPECT_TRUE((t().cached(3, 0) != nullptr));
  EXPECT_TRUE((t().cached(3, 1) != nullptr));

  ASSERT_TRUE(LinkAdd(3).ok());
  ASSERT_EQ(acts_.size, 2u);
  const KeyAction& g = acts_.items[0];
  EXPECT_EQ(g.link_id, 3);
  EXPECT_EQ(g.wcid, 18) << "second BSS link";
  EXPECT_EQ(g.bss_idx, 1);
  EXPECT_EQ(g.cipher_id, cipher3::kCcmp);
  EXPECT_EQ(g.key_id, 1);
  EXPECT_TRUE(g.peer == Bssid(3));
  const KeyAction& i = acts_.items[1];
  EXPECT_EQ(i.cipher_id, cipher3::kBipCmac128) << "IGTK after its GTK";
  EXPECT_EQ(i.key_id, 1);
  EXPECT_EQ(i.key_len, 32);
  EXPECT_EQ(std::memcmp(i.key, gtk.key, 16), 0);
  EXPECT_EQ(std::memcmp(i.key + 16, igtk.key, 16), 0);
  EXPECT_FALSE((t().cached(3, 0) != nullptr));
  EXPECT_FALSE((t().cached(3, 1) != nullptr));
  EXPECT_EQ(GroupSlot(3, 1).keyidx, 5);
}

TEST_F(KeysTest, DisableWhileDownCancelsTheCachedSet) {
  const KeyConf gtk = Distinct(suite::kCcmp, 2, 4, 16, 11);
  ASSERT_TRUE(Set(gtk).ok());
  // A different index does not cancel it (a rekey's old index).
  ASSERT_TRUE(Disable(Gtk(4, 1)).ok());
  EXPECT_TRUE((t().cached(4, 0) != nullptr));
  ASSERT_TRUE(Disable(gtk).ok());
  EXPECT_EQ(acts_.size, 0u);
  EXPECT_FALSE((t().cached(4, 0) != nullptr));
  EXPECT_FALSE(HasKey(t(), gtk)) << "cancelled cache entry zeroized";
  ASSERT_TRUE(LinkAdd(4).ok());
  EXPECT_EQ(acts_.size, 0u);
  EXPECT_EQ(GroupSlot(4, 0).keyidx, kNoKey);
}

TEST_F(KeysTest, DuplicateSetWhileDownKeepsOnlyTheLatest) {
  const KeyConf first = Distinct(suite::kCcmp, 1, 2, 16, 21);
  const KeyConf second = Distinct(suite::kCcmp, 1, 2, 16, 22);
  const KeyConf third = Distinct(suite::kGcmp256, 3, 2, 32, 23);
  ASSERT_TRUE(Set(first).ok());
  ASSERT_TRUE(Set(second).ok());
  EXPECT_FALSE(HasKey(t(), first));
  ASSERT_TRUE(Set(third).ok());
  EXPECT_FALSE(HasKey(t(), second));
  EXPECT_EQ(acts_.size, 0u);
  ASSERT_TRUE(LinkAdd(2).ok());
  ASSERT_EQ(acts_.size, 1u);
  EXPECT_EQ(acts_.items[0].cipher_id, cipher3::kGcmp256);
  EXPECT_EQ(acts_.items[0].key_id, 3);
  EXPECT_EQ(std::memcmp(acts_.items[0].key, third.key, 32), 0);
}

TEST_F(KeysTest, LinkRemoveOfADownLinkDropsItsCache) {
  const KeyConf gtk = Distinct(suite::kCcmp, 1, 5, 16, 31);
  ASSERT_TRUE(Set(gtk).ok());
  EXPECT_TRUE(t().LinkRemove(5).ok());
  EXPECT_FALSE(HasKey(t(), gtk));
  ASSERT_TRUE(LinkAdd(5).ok());
  EXPECT_EQ(acts_.size, 0u);
}

// ---------------------------------------------------------------------------------------
// Pairwise keys.

TEST_F(KeysTest, PairwiseFansOutToEveryLinkStationAndAbortRollsBack) {
  for (uint8_t l = 0; l < 4; ++l) ASSERT_TRUE(LinkAdd(l).ok());
  // Stations in a different order than the links, and none on link 2.
  ASSERT_TRUE(StaAdd(3).ok());  // wcid 1
  ASSERT_TRUE(StaAdd(0).ok());  // wcid 2
  ASSERT_TRUE(StaAdd(1).ok());  // wcid 3
  EXPECT_EQ(acts_.size, 0u);
  const KeyConf ptk = Distinct(suite::kCcmp, 0, -1, 16, 41);
  ASSERT_TRUE(Set(ptk).ok());
  ASSERT_EQ(acts_.size, 3u);
  struct Want {
    uint8_t link, wcid, bss;
  };
  const Want want[] = {{0, 2, 0}, {1, 3, 1}, {3, 1, 3}};
  for (size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    const KeyAction& a = acts_.items[i];
    EXPECT_EQ(a.link_id, want[i].link);
    EXPECT_EQ(a.wcid, want[i].wcid);
    EXPECT_EQ(a.bss_idx, want[i].bss);
    EXPECT_TRUE(a.add);
    EXPECT_TRUE(a.pairwise);
    EXPECT_EQ(a.muar_idx, 0);
    EXPECT_TRUE(a.peer == ApLink(want[i].link));
    EXPECT_EQ(std::memcmp(a.key, ptk.key, 16), 0);
    EXPECT_EQ(t().wcid(want[i].wcid).slot[0].keyidx, 0);
  }
  EXPECT_TRUE(t().has_pairwise());

  // The host sent action 0, action 1 failed: undo all three, DISABLE the one that landed.
  rollback_.Wipe();
  ASSERT_TRUE(t().AbortActions(acts_, 1, &rollback_).ok());
  ASSERT_EQ(rollback_.size, 1u);
  KeyAction dis = acts_.items[0];
  dis.add = false;
  dis.cipher_id = dis.key_id = dis.key_len = 0;
  std::memset(dis.key, 0, sizeof(dis.key));
  EXPECT_TRUE(SameAction(dis, rollback_.items[0]));
  for (const Want& w : want) {
    const KeyTable::Slot& s = t().wcid(w.wcid).slot[0];
    EXPECT_EQ(s.keyidx, kNoKey);
    EXPECT_TRUE(AllZero(s.key, sizeof(s.key)));
  }
  EXPECT_FALSE(t().has_pairwise());
  EXPECT_FALSE(HasKey(t(), ptk));
  EXPECT_FALSE(HasKey(rollback_, ptk));
  acts_.Wipe();
  EXPECT_FALSE(HasKey(acts_, ptk));

  // The MLD key is gone: a new link-station gets nothing.
  ASSERT_TRUE(StaAdd(2).ok());
  EXPECT_EQ(acts_.size, 0u);
}

TEST_F(KeysTest, AbortWithEverythingSentDisablesEverything) {
  for (uint8_t l = 0; l < 2; ++l) {
    ASSERT_TRUE(LinkAdd(l).ok());
    ASSERT_TRUE(StaAdd(l).ok());
  }
  ASSERT_TRUE(Set(Ptk(1)).ok());
  ASSERT_EQ(acts_.size, 2u);
  ASSERT_TRUE(t().AbortActions(acts_, acts_.size, &rollback_).ok());
  EXPECT_EQ(rollback_.size, 2u);
  EXPECT_FALSE(rollback_.items[0].add);
  EXPECT_FALSE(rollback_.items[1].add);
  EXPECT_FALSE(t().has_pairwise());
}

TEST_F(KeysTest, AbortOfAGroupSetClearsSlotAndIgtkPairing) {
  ASSERT_TRUE(LinkAdd(0).ok());
  ASSERT_TRUE(Set(Gtk(0, 1)).ok());
  ASSERT_TRUE(t().AbortActions(acts_, 0, &rollback_).ok());
  EXPECT_EQ(rollback_.size, 0u) << "the failed action never reached the firmware";
  EXPECT_EQ(GroupSlot(0, 0).keyidx, kNoKey);
  EXPECT_EQ(t().bip(0).keyidx, kNoKey);
  EXPECT_EQ(Set(Igtk(0, 4)), Errno::kOpNotSupp) << "no CCMP key left to pair with";
}

TEST_F(KeysTest, PairwiseSetBeforeAnyStationIsProgrammedByStaAdd) {
  ASSERT_TRUE(LinkAdd(1).ok());
  const KeyConf ptk = Ptk(0, 0x60);
  ASSERT_TRUE(Set(ptk).ok());
  EXPECT_EQ(acts_.size, 0u);
  EXPECT_TRUE(t().has_pairwise());
  ASSERT_TRUE(StaAdd(1).ok());
  ASSERT_EQ(acts_.size, 1u);
  EXPECT_EQ(acts_.items[0].wcid, kFirstPeerWcid);
  EXPECT_EQ(acts_.items[0].link_id, 1);
  EXPECT_TRUE(acts_.items[0].pairwise);
  EXPECT_EQ(std::memcmp(acts_.items[0].key, ptk.key, 16), 0);
  // A later link gets it too.
  ASSERT_TRUE(LinkAdd(2).ok());
  ASSERT_TRUE(StaAdd(2).ok());
  ASSERT_EQ(acts_.size, 1u);
  EXPECT_EQ(acts_.items[0].wcid, 2);
}

TEST_F(KeysTest, PairwiseDisableRemovesItFromEveryLinkStation) {
  for (uint8_t l = 0; l < 3; ++l) {
    ASSERT_TRUE(LinkAdd(l).ok());
    ASSERT_TRUE(StaAdd(l).ok());
  }
  ASSERT_TRUE(Set(Ptk(0)).ok());
  ASSERT_TRUE(Disable(Ptk(1)).ok());
  EXPECT_EQ(acts_.size, 0u) << "index mismatch: nothing";
  EXPECT_TRUE(t().has_pairwise());
  ASSERT_TRUE(Disable(Ptk(0)).ok());
  ASSERT_EQ(acts_.size, 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_FALSE(acts_.items[i].add);
    EXPECT_TRUE(acts_.items[i].pairwise);
    EXPECT_EQ(acts_.items[i].link_id, i);
  }
  EXPECT_FALSE(t().has_pairwise());
}

// ---------------------------------------------------------------------------------------
// Refused keys.

TEST_F(KeysTest, IgtkNeedsTheLinksCcmpGroupKey) {
  struct Case {
    const char* desc;
    bool link_up;
    std::optional<KeyConf> gtk;
  };
  const Case cases[] = {
      {"link up, no GTK", true, std::nullopt},
      {"link up, GTK is GCMP", true, Key(suite::kGcmp, 1, 0, 16, 0x30)},
      {"link up, GTK is CCMP-256", true, Key(suite::kCcmp256, 1, 0, 32, 0x30)},
      {"link down, nothing cached", false, std::nullopt},
      {"link down, cached GTK is GCMP", false, Key(suite::kGcmp, 1, 0, 16, 0x30)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.desc);
    table_ = std::make_unique<KeyTable>();
    if (c.link_up) {
      ASSERT_TRUE(LinkAdd(0).ok());
    }
    if (c.gtk) {
      ASSERT_TRUE(Set(*c.gtk).ok());
    }
    EXPECT_EQ(Set(Igtk(0, 4)), Errno::kOpNotSupp);
    EXPECT_EQ(acts_.size, 0u);
    EXPECT_FALSE((t().cached(0, 1) != nullptr));
    if (c.link_up) {
      EXPECT_EQ(GroupSlot(0, 1).keyidx, kNoKey);
    }
  }
}

TEST_F(KeysTest, RefusedSetsChangeNothing) {
  struct Case {
    const char* desc;
    KeyConf k;
    Errno want;
  };
  const Case cases[] = {
      {"BIP-CMAC-256: no connac3 id, SW", Key(suite::kBipCmac256, 4, 0, 32, 1), Errno::kOpNotSupp},
      {"BIP-GMAC-128", Key(suite::kBipGmac128, 4, 0, 16, 1), Errno::kOpNotSupp},
      {"BIP-GMAC-256", Key(suite::kBipGmac256, 5, 0, 32, 1), Errno::kOpNotSupp},
      {"WEP40: needs the WEP station [link]", Key(suite::kWep40, 0, 0, 5, 1), Errno::kOpNotSupp},
      {"WEP104 pairwise", Key(suite::kWep104, 0, -1, 13, 1), Errno::kOpNotSupp},
      {"unknown suite 00-0f-ac:7", Key(0x000fac07, 1, 0, 16, 1), Errno::kOpNotSupp},
      {"vendor suite", Key(0x00506f01, 1, 0, 16, 1), Errno::kOpNotSupp},
      {"BIGTK idx 6 (no beacon protection)", Key(suite::kAesCmac, 6, 0, 16, 1), Errno::kOpNotSupp},
      {"BIGTK idx 7", Key(suite::kAesCmac, 7, 0, 16, 1), Errno::kOpNotSupp},
      {"CCMP with 32 bytes", Key(suite::kCcmp, 1, 0, 32, 1), Errno::kInval},
      {"TKIP with 16 bytes", Key(suite::kTkip, 1, 0, 16, 1), Errno::kInval},
      {"GCMP-256 with 16 bytes", Key(suite::kGcmp256, 1, 0, 16, 1), Errno::kInval},
      {"IGTK with 32 bytes", Key(suite::kAesCmac, 4, 0, 32, 1), Errno::kInval},
      {"GTK idx 0", Key(suite::kCcmp, 0, 0, 16, 1), Errno::kInval},
      {"GTK idx 4", Key(suite::kCcmp, 4, 0, 16, 1), Errno::kInval},
      {"IGTK idx 3", Key(suite::kAesCmac, 3, 0, 16, 1), Errno::kInval},
      {"pairwise idx 2", Key(suite::kCcmp, 2, -1, 16, 1), Errno::kInval},
      {"pairwise IGTK", Key(suite::kAesCmac, 4, -1, 16, 1), Errno::kInval},
      {"group key on link 15", Key(suite::kCcmp, 1, 15, 16, 1), Errno::kInval},
      {"group key on link 100", Key(suite::kCcmp, 1, 100, 16, 1), Errno::kInval},
  };
  ASSERT_TRUE(LinkAdd(0).ok());
  ASSERT_TRUE(StaAdd(0).ok());
  ASSERT_TRUE(Set(Gtk(0, 1)).ok());  // so the IGTK cases fail on their own merits
  std::vector<uint8_t> before(sizeof(KeyTable));
  std::memcpy(before.data(), &t(), sizeof(KeyTable));
  for (const Case& c : cases) {
    SCOPED_TRACE(c.desc);
    EXPECT_EQ(Set(c.k), c.want);
    EXPECT_EQ(acts_.size, 0u);
    EXPECT_EQ(std::memcmp(before.data(), &t(), sizeof(KeyTable)), 0) << "table changed";
  }
}

TEST_F(KeysTest, AcceptedCiphersMapToConnac3Ids) {
  struct Case {
    uint32_t suite;
    uint8_t len;
    uint8_t id;
  };
  // mt7925_mcu_get_cipher (mt7925/mcu.h) for the suites mt7925_set_link_key accepts.
  const Case cases[] = {
      {suite::kTkip, 32, 2},  {suite::kCcmp, 16, 4},     {suite::kCcmp256, 32, 10},
      {suite::kGcmp, 16, 11}, {suite::kGcmp256, 32, 12}, {suite::kSms4, 32, 8},
  };
  ASSERT_TRUE(LinkAdd(0).ok());
  ASSERT_TRUE(StaAdd(0).ok());
  for (const Case& c : cases) {
    SCOPED_TRACE(c.suite);
    ASSERT_TRUE(Set(Key(c.suite, 1, 0, c.len, 0x11)).ok());
    ASSERT_EQ(acts_.size, 1u);
    EXPECT_EQ(acts_.items[0].cipher_id, c.id);
    EXPECT_EQ(acts_.items[0].key_len, c.len);
    ASSERT_TRUE(Set(Key(c.suite, 1, -1, c.len, 0x22)).ok());
    ASSERT_EQ(acts_.size, 1u);
    EXPECT_EQ(acts_.items[0].cipher_id, c.id);
    EXPECT_TRUE(acts_.items[0].pairwise);
  }
}

// ---------------------------------------------------------------------------------------
// Link and station bookkeeping.

TEST_F(KeysTest, LinkAndStationLimits) {
  for (uint8_t l = 0; l < 4; ++l) {
    ASSERT_TRUE(LinkAdd(l).ok());
    EXPECT_EQ(t().link(l).bss_idx, l);
    EXPECT_TRUE(t().wcid(static_cast<uint8_t>(kBssWcidTop - l)).bss);
  }
  EXPECT_EQ(LinkAdd(4), Errno::kNoSpc) << "MT792x_MAX_INTERFACES BSS entries";
  EXPECT_FALSE(t().link(4).up);
  EXPECT_EQ(LinkAdd(2), Errno::kInval) << "already up";
  EXPECT_EQ(LinkAdd(15), Errno::kInval);
  EXPECT_EQ(StaAdd(4), Errno::kNoLink);
  EXPECT_EQ(StaAdd(15), Errno::kInval);
  ASSERT_TRUE(StaAdd(1).ok());
  EXPECT_EQ(StaAdd(1), Errno::kInval) << "one link-station per link";

  // The freed BSS index is reused.
  EXPECT_TRUE(t().LinkRemove(1).ok());
  EXPECT_FALSE(t().wcid(0).used) << "its link-station went with it";
  ASSERT_TRUE(LinkAdd(9).ok());
  EXPECT_EQ(t().link(9).bss_idx, 1);
  EXPECT_EQ(t().wcid(18).link, 9);
  EXPECT_TRUE(t().LinkRemove(1).ok()) << "idempotent";
  EXPECT_TRUE(t().LinkRemove(200).ok());
  EXPECT_TRUE(t().StaRemove(9).ok()) << "no station: OK";
  EXPECT_TRUE(t().StaRemove(200).ok());
}

// ---------------------------------------------------------------------------------------
// pairwise_before_group.

TEST_F(KeysTest, PairwiseBeforeGroupDefersGroupKeysUntilThePairwiseKeyLands) {
  UsePolicy(KeyPolicy{true});
  ASSERT_TRUE(LinkAdd(0).ok());
  ASSERT_TRUE(StaAdd(0).ok());
  ASSERT_TRUE(LinkAdd(1).ok());
  ASSERT_TRUE(Set(Gtk(0, 1)).ok());
  EXPECT_EQ(acts_.size, 0u) << "deferred";
  ASSERT_TRUE(Set(Igtk(0, 4)).ok());
  EXPECT_EQ(acts_.size, 0u);
  ASSERT_TRUE(Set(Gtk(1, 2)).ok());
  EXPECT_EQ(acts_.size, 0u) << "link 1 has no station yet";

  ASSERT_TRUE(Set(Ptk(0)).ok());
  ASSERT_EQ(acts_.size, 3u);
  EXPECT_TRUE(acts_.items[0].pairwise);
  EXPECT_EQ(acts_.items[0].link_id, 0);
  EXPECT_EQ(acts_.items[1].cipher_id, cipher3::kCcmp);
  EXPECT_FALSE(acts_.items[1].pairwise);
  EXPECT_EQ(acts_.items[1].wcid, 19);
  EXPECT_EQ(acts_.items[2].cipher_id, cipher3::kBipCmac128);

  // Link 1's GTK waits for its station, then follows the pairwise key StaAdd programs.
  ASSERT_TRUE(StaAdd(1).ok());
  ASSERT_EQ(acts_.size, 2u);
  EXPECT_TRUE(acts_.items[0].pairwise);
  EXPECT_EQ(acts_.items[0].link_id, 1);
  EXPECT_FALSE(acts_.items[1].pairwise);
  EXPECT_EQ(acts_.items[1].key_id, 2);

  // Once in, group keys go straight through.
  ASSERT_TRUE(Set(Gtk(0, 3)).ok());
  EXPECT_EQ(acts_.size, 1u);
}

TEST_F(KeysTest, WithoutThePolicyGroupKeysDoNotWait) {
  ASSERT_TRUE(LinkAdd(0).ok());
  ASSERT_TRUE(Set(Gtk(0, 1)).ok());
  EXPECT_EQ(acts_.size, 1u);
}

// SetKey's contract: on error nothing changed and `out` is unchanged, also when the caller's
// list cannot take every action the operation would emit.
TEST_F(KeysTest, FullActionListRefusesASetWithoutChangingAnything) {
  struct Case {
    const char* desc;
    bool policy;
    size_t prefill;
    KeyConf k;
  };
  const Case cases[] = {
      {"group SET, list full", false, KeyActionList::kCapacity, Gtk(0, 2)},
      {"pairwise SET to 2 link-stations, 1 free entry", false, KeyActionList::kCapacity - 1,
       Ptk(1)},
      {"pairwise_before_group: pairwise + 2 released group keys, 2 free entries", true,
       KeyActionList::kCapacity - 2, Ptk(1)},
      {"pairwise_before_group: pairwise + 2 released group keys, 1 free entry", true,
       KeyActionList::kCapacity - 1, Ptk(1)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.desc);
    UsePolicy(KeyPolicy{c.policy});
    ASSERT_TRUE(LinkAdd(0).ok());
    ASSERT_TRUE(StaAdd(0).ok());
    if (!c.policy) {
      ASSERT_TRUE(LinkAdd(1).ok());
      ASSERT_TRUE(StaAdd(1).ok());
    }
    ASSERT_TRUE(Set(Gtk(0, 1)).ok());  // deferred under the policy
    ASSERT_TRUE(Set(Igtk(0, 4)).ok());
    acts_.Wipe();
    KeyAction filler;
    filler.wcid = 7;
    for (size_t i = 0; i < c.prefill; ++i) ASSERT_TRUE(acts_.Push(filler).ok());
    std::vector<uint8_t> table_before(sizeof(KeyTable));
    std::memcpy(table_before.data(), &t(), sizeof(KeyTable));
    std::vector<uint8_t> list_before(sizeof(KeyActionList));
    std::memcpy(list_before.data(), &acts_, sizeof(KeyActionList));

    EXPECT_EQ(t().SetKey(KeyCmd::kSet, c.k, &acts_), Errno::kNoSpc);
    EXPECT_EQ(std::memcmp(table_before.data(), &t(), sizeof(KeyTable)), 0) << "table changed";
    EXPECT_EQ(std::memcmp(list_before.data(), &acts_, sizeof(KeyActionList)), 0) << "list changed";
    acts_.Wipe();
  }
}

// Every operation that would emit actions checks the caller's list before it changes the
// table (issue 11: a DISABLE into a nearly full list used to drop a frame and forget the key;
// LinkAdd set the link up and emptied its cache before failing). Each case sets up a table,
// fills the list to one entry short of what the operation needs, and checks that kNoSpc
// changed neither the table nor the list; then the same operation with an empty list works.
TEST_F(KeysTest, OperationsThatDoNotFitTheListChangeNothing) {
  struct Case {
    const char* desc;
    std::function<void()> setup;
    std::function<Status()> op;
    size_t needs;  // actions the operation emits from an empty list
  };
  const Case cases[] = {
      {"pairwise DISABLE on two link-stations",
       [&] {
         for (uint8_t l = 0; l < 2; ++l) {
           ASSERT_TRUE(LinkAdd(l).ok());
           ASSERT_TRUE(StaAdd(l).ok());
         }
         ASSERT_TRUE(Set(Ptk(0)).ok());
       },
       [&] { return t().SetKey(KeyCmd::kDisable, Ptk(0), &acts_); }, 2},
      {"group DISABLE",
       [&] {
         ASSERT_TRUE(LinkAdd(0).ok());
         ASSERT_TRUE(Set(Gtk(0, 1)).ok());
       },
       [&] { return t().SetKey(KeyCmd::kDisable, Gtk(0, 1), &acts_); }, 1},
      {"LinkAdd replaying a cached GTK and IGTK",
       [&] {
         ASSERT_TRUE(Set(Gtk(0, 1)).ok());
         ASSERT_TRUE(Set(Igtk(0, 4)).ok());
       },
       [&] { return t().LinkAdd(0, Bssid(0), &acts_); }, 3},  // BSS cipher, GTK, IGTK
      {"StaAdd programming the MLD pairwise key",
       [&] {
         ASSERT_TRUE(Set(Ptk(0)).ok());
         ASSERT_TRUE(LinkAdd(0).ok());
       },
       [&] { return t().StaAdd(0, ApLink(0), &acts_); }, 2},  // BSS cipher, PTK
      {"ReplayAfterReset of a pairwise key on two links and a GTK",
       [&] {
         for (uint8_t l = 0; l < 2; ++l) {
           ASSERT_TRUE(LinkAdd(l).ok());
           ASSERT_TRUE(StaAdd(l).ok());
         }
         ASSERT_TRUE(Set(Ptk(0)).ok());
         ASSERT_TRUE(Set(Gtk(0, 1)).ok());
         t().BeginReset();
       },
       [&] { return t().ReplayAfterReset(&acts_); }, 3},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.desc);
    UsePolicy(KeyPolicy{});
    c.setup();
    acts_.Wipe();
    KeyAction filler;
    filler.wcid = 7;
    while (acts_.size < KeyActionList::kCapacity - (c.needs - 1)) {
      ASSERT_TRUE(acts_.Push(filler).ok());
    }
    std::vector<uint8_t> table_before(sizeof(KeyTable));
    std::memcpy(table_before.data(), &t(), sizeof(KeyTable));
    std::vector<uint8_t> list_before(sizeof(KeyActionList));
    std::memcpy(list_before.data(), &acts_, sizeof(KeyActionList));

    EXPECT_EQ(c.op(), Errno::kNoSpc);
    EXPECT_EQ(std::memcmp(table_before.data(), &t(), sizeof(KeyTable)), 0) << "table changed";
    EXPECT_EQ(std::memcmp(list_before.data(), &acts_, sizeof(KeyActionList)), 0) << "list changed";

    acts_.Wipe();
    EXPECT_TRUE(c.op().ok());
    EXPECT_EQ(acts_.size, c.needs) << "nothing was lost by the refused attempt";
    acts_.Wipe();
  }
}

// A SET that replaced a key in place (a GTK rekey reuses slot 0) and then failed to send:
// the firmware still holds the old key, whose bytes the table no longer has, so the rollback
// takes it out instead of leaving a key in the firmware that the table does not know.
TEST_F(KeysTest, AbortOfARekeyInPlaceTakesTheOldKeyOut) {
  ASSERT_TRUE(LinkAdd(0).ok());
  ASSERT_TRUE(Set(Gtk(0, 1)).ok());  // reached the firmware
  ASSERT_TRUE(Set(Gtk(0, 2)).ok());  // replaces slot 0 ...
  rollback_.Wipe();
  ASSERT_TRUE(t().AbortActions(acts_, 0, &rollback_).ok());  // ... and never got there
  ASSERT_EQ(rollback_.size, 1u);
  EXPECT_FALSE(rollback_.items[0].add);
  EXPECT_EQ(rollback_.items[0].wcid, kBssWcidTop);
  EXPECT_EQ(GroupSlot(0, 0).keyidx, kNoKey);

  // A SET into an empty slot that failed leaves nothing behind: no rollback.
  ASSERT_TRUE(LinkAdd(1).ok());
  ASSERT_TRUE(Set(Gtk(1, 1)).ok());
  rollback_.Wipe();
  ASSERT_TRUE(t().AbortActions(acts_, 0, &rollback_).ok());
  EXPECT_EQ(rollback_.size, 0u);
}

// A removal cannot be refused: the DISABLEs of a list that failed part way are handed back
// in the rollback to be retried (the failed one included), never undone.
TEST_F(KeysTest, AbortRetriesTheDisablesThatDidNotReachTheFirmware) {
  for (uint8_t l = 0; l < 2; ++l) {
    ASSERT_TRUE(LinkAdd(l).ok());
    ASSERT_TRUE(StaAdd(l).ok());
  }
  ASSERT_TRUE(Set(Ptk(0)).ok());
  ASSERT_TRUE(Disable(Ptk(0)).ok());
  ASSERT_EQ(acts_.size, 2u);
  for (size_t failed = 0; failed <= 2; ++failed) {
    SCOPED_TRACE(failed);
    rollback_.Wipe();
    ASSERT_TRUE(t().AbortActions(acts_, failed, &rollback_).ok());
    ASSERT_EQ(rollback_.size, 2 - failed);
    for (size_t i = 0; i < rollback_.size; ++i) {
      EXPECT_FALSE(rollback_.items[i].add);
      EXPECT_EQ(rollback_.items[i].wcid, acts_.items[failed + i].wcid);
    }
  }
  EXPECT_EQ(t().Find(0, 0), nullptr) << "the removal stands";
}

// The list is caller memory: a size above the capacity (a C driver's uninitialised or
// corrupted count) is kInval for every operation, which then touches neither the table nor
// the list (it used to write past the list: heap-buffer-overflow under ASan).
TEST_F(KeysTest, ListsCountingPastTheirCapacityAreRefused) {
  ASSERT_TRUE(Set(Ptk(0)).ok());
  ASSERT_TRUE(Set(Gtk(0, 1)).ok());  // cached: link 0 is down
  auto bad = std::make_unique<KeyActionList>();
  bad->size = KeyActionList::kCapacity + 1;
  KeyActionList good;
  good.size = 1;
  good.items[0].add = true;
  const std::function<Status()> ops[] = {
      [&] { return t().LinkAdd(0, Bssid(0), bad.get()); },
      [&] { return t().StaAdd(0, ApLink(0), bad.get()); },
      [&] { return t().SetKey(KeyCmd::kSet, Gtk(1, 2), bad.get()); },
      [&] { return t().SetKey(KeyCmd::kDisable, Gtk(0, 1), bad.get()); },
      [&] { return t().ReplayAfterReset(bad.get()); },
      [&] { return t().AbortActions(*bad, 0, &good); },
      [&] { return t().AbortActions(good, 0, bad.get()); },
      [&] { return t().AbortActions(good, 2, &rollback_); },  // failed > sent.size
      [&] { return t().LinkAdd(0, Bssid(0), nullptr); },
  };
  std::vector<uint8_t> table_before(sizeof(KeyTable));
  std::memcpy(table_before.data(), &t(), sizeof(KeyTable));
  for (size_t i = 0; i < std::size(ops); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(ops[i](), Errno::kInval);
    EXPECT_EQ(bad->size, KeyActionList::kCapacity + 1);
    EXPECT_EQ(std::memcmp(table_before.data(), &t(), sizeof(KeyTable)), 0) << "table changed";
  }
  // The cached keys are still there for a well-formed call.
  ASSERT_TRUE(LinkAdd(0).ok());
  EXPECT_EQ(acts_.size, 1u);
  ASSERT_TRUE(StaAdd(0).ok());
  EXPECT_EQ(acts_.size, 1u);
}

// AbortActions validates every action of the caller's list before it undoes anything: a
// bad entry after a good one used to leave the good one's key cleared with kInval returned.
TEST_F(KeysTest, AbortChecksTheWholeListBeforeUndoing) {
  ASSERT_TRUE(LinkAdd(0).ok());
  ASSERT_TRUE(Set(Gtk(0, 1)).ok());
  KeyActionList sent = acts_;
  sent.items[1] = sent.items[0];
  sent.items[1].wcid = kWtblSize;  // no such wcid
  sent.size = 2;
  std::vector<uint8_t> table_before(sizeof(KeyTable));
  std::memcpy(table_before.data(), &t(), sizeof(KeyTable));
  rollback_.Wipe();
  EXPECT_EQ(t().AbortActions(sent, 2, &rollback_), Errno::kInval);
  EXPECT_EQ(std::memcmp(table_before.data(), &t(), sizeof(KeyTable)), 0) << "table changed";
  EXPECT_EQ(rollback_.size, 0u);
  EXPECT_EQ(GroupSlot(0, 0).keyidx, 1);
  sent.Wipe();
}

// During a reset no action is emitted, so a full list does not stop the table from
// recording what mac80211 does (the keys are replayed after the reset).
TEST_F(KeysTest, DuringAResetAFullListIsNoObstacle) {
  ASSERT_TRUE(LinkAdd(0).ok());
  ASSERT_TRUE(StaAdd(0).ok());
  t().BeginReset();
  acts_.Wipe();
  KeyAction filler;
  while (acts_.size < KeyActionList::kCapacity) ASSERT_TRUE(acts_.Push(filler).ok());
  EXPECT_TRUE(t().SetKey(KeyCmd::kSet, Ptk(0), &acts_).ok());
  EXPECT_TRUE(t().SetKey(KeyCmd::kSet, Gtk(0, 1), &acts_).ok());
  EXPECT_TRUE(t().SetKey(KeyCmd::kSet, Gtk(1, 1), &acts_).ok()) << "cached: link 1 is down";
  EXPECT_TRUE(t().LinkAdd(1, Bssid(1), &acts_).ok());
  EXPECT_EQ(acts_.size, KeyActionList::kCapacity);
  acts_.Wipe();
  ASSERT_TRUE(t().ReplayAfterReset(&acts_).ok());
  EXPECT_EQ(acts_.size, 3u) << "PTK on link 0, GTK on links 0 and 1";
}

// mt7925_set_link_key: the first SET on a link stores its cipher and re-sends the link's BSS
// info with it, before the key; later keys do not. The command is the host's to build (a
// kBssCipher action), and a reset keeps the cipher (the restored BSS info carries it).
TEST_F(KeysTest, TheFirstKeyOnALinkIsPrecededByItsBssCipher) {
  ASSERT_TRUE(LinkAdd(0).ok());
  ASSERT_TRUE(LinkAdd(1).ok());
  ASSERT_TRUE(StaAdd(0).ok());
  ASSERT_TRUE(StaAdd(1).ok());
  acts_.Wipe();
  ASSERT_TRUE(t().SetKey(KeyCmd::kSet, Ptk(0), &acts_).ok());
  ASSERT_EQ(acts_.size, 4u) << "per link: BSS cipher, then the key";
  for (uint8_t l = 0; l < 2; ++l) {
    const KeyAction& b = acts_.items[2 * l];
    EXPECT_EQ(b.kind, KeyActionKind::kBssCipher);
    EXPECT_EQ(b.link_id, l);
    EXPECT_EQ(b.bss_idx, l);
    EXPECT_EQ(b.cipher_id, cipher3::kCcmp);
    EXPECT_TRUE(b.peer == Bssid(l));
    EXPECT_FALSE(b.add);
    EXPECT_EQ(acts_.items[2 * l + 1].kind, KeyActionKind::kKey);
    EXPECT_EQ(t().link(l).cipher, cipher3::kCcmp);
  }
  uint8_t frame[kKeyFrameSize];
  EXPECT_EQ(EncodeKeyAction(kMt7925, acts_.items[0], 1, MutableBytes(frame)).status(),
            Errno::kInval)
      << "the BSS info is not a key frame";
  ASSERT_TRUE(Set(Gtk(0, 1)).ok());
  EXPECT_EQ(bss_acts_.size, 0u) << "the link has its cipher: no second BSS info";
  t().BeginReset();
  ASSERT_TRUE(t().ReplayAfterReset(&rollback_).ok());
  for (size_t i = 0; i < rollback_.size; ++i) {
    EXPECT_EQ(rollback_.items[i].kind, KeyActionKind::kKey) << "no BSS info in a replay";
  }
  EXPECT_EQ(t().link(0).cipher, cipher3::kCcmp);
  rollback_.Wipe();
  // A BSS cipher that never reached the firmware is sent again with the next key.
  ASSERT_TRUE(LinkAdd(2).ok());
  acts_.Wipe();
  ASSERT_TRUE(t().SetKey(KeyCmd::kSet, Gtk(2, 1), &acts_).ok());
  ASSERT_EQ(acts_.size, 2u);
  ASSERT_TRUE(t().AbortActions(acts_, 0, &acts_).ok());
  EXPECT_EQ(t().link(2).cipher, cipher3::kNone);
  acts_.Wipe();
  ASSERT_TRUE(t().SetKey(KeyCmd::kSet, Gtk(2, 1), &acts_).ok());
  EXPECT_EQ(acts_.size, 2u);
  EXPECT_EQ(acts_.items[0].kind, KeyActionKind::kBssCipher);
  acts_.Wipe();
}

// The cache of group keys for links that are not up is a pool of kMaxPendingKeys shared by
// every link; a SET that finds it full is kNoSpc (mac80211 keeps the key in software).
TEST_F(KeysTest, TheCacheForLinksNotUpIsBounded) {
  uint8_t cached = 0;
  for (uint8_t link = 0; link < kMaxMloLinks && cached < kMaxPendingKeys; ++link) {
    ASSERT_TRUE(Set(Gtk(link, 1)).ok());
    ++cached;
  }
  EXPECT_EQ(t().pending_keys(), kMaxPendingKeys);
  EXPECT_EQ(Set(Gtk(14, 1)), Errno::kNoSpc);
  EXPECT_TRUE(Set(Gtk(0, 2)).ok()) << "replacing a link's cached GTK needs no new entry";
  ASSERT_TRUE(Disable(Gtk(0, 2)).ok());
  EXPECT_TRUE(Set(Gtk(14, 1)).ok()) << "a cancelled entry is free again";
}

// In place: the sent list becomes its own rollback, and what is left of it is wiped.
TEST_F(KeysTest, AbortInPlaceReplacesTheListByItsRollback) {
  for (uint8_t l = 0; l < 2; ++l) {
    ASSERT_TRUE(LinkAdd(l).ok());
    ASSERT_TRUE(StaAdd(l).ok());
  }
  const KeyConf ptk = Distinct(suite::kCcmp, 0, -1, 16, 61);
  ASSERT_TRUE(Set(ptk).ok());
  ASSERT_EQ(acts_.size, 2u);
  ASSERT_TRUE(t().AbortActions(acts_, 1, &acts_).ok());
  ASSERT_EQ(acts_.size, 1u);
  EXPECT_FALSE(acts_.items[0].add);
  EXPECT_EQ(acts_.items[0].wcid, kFirstPeerWcid);
  EXPECT_FALSE(HasKey(acts_, ptk)) << "no key bytes left in the list";
  EXPECT_FALSE(HasKey(t(), ptk));
}

// ---------------------------------------------------------------------------------------
// Firmware reset.

TEST_F(KeysTest, ResetReplaysValidKeysPairwiseThenGroupThenIgtk) {
  for (uint8_t l = 0; l < 3; ++l) {
    ASSERT_TRUE(LinkAdd(l).ok());
    ASSERT_TRUE(StaAdd(l).ok());
    ASSERT_TRUE(Set(Gtk(l, 1, static_cast<uint8_t>(0x10 * l))).ok());
    ASSERT_TRUE(Set(Igtk(l, 4, static_cast<uint8_t>(0x80 + 0x10 * l))).ok());
  }
  ASSERT_TRUE(Set(Ptk(0)).ok());
  EXPECT_EQ(acts_.size, 3u);

  t().BeginReset();
  EXPECT_TRUE(t().resetting());
  const KeyConf rekey = Gtk(1, 2, 0xe0);
  ASSERT_TRUE(Set(rekey).ok());
  EXPECT_EQ(acts_.size, 0u) << "during a reset nothing is sent";
  ASSERT_TRUE(Disable(Gtk(1, 1, 0x10)).ok());
  EXPECT_EQ(acts_.size, 0u);
  ASSERT_TRUE(Disable(Igtk(0, 4)).ok());
  EXPECT_EQ(acts_.size, 0u);
  EXPECT_EQ(GroupSlot(0, 1).keyidx, kNoKey) << "a DISABLE during the reset still clears the slot";
  EXPECT_TRUE(t().LinkRemove(2).ok());

  ASSERT_TRUE(t().ReplayAfterReset(&acts_).ok());
  EXPECT_FALSE(t().resetting());
  struct Want {
    uint8_t link;
    bool pairwise;
    uint8_t cipher;
    uint8_t key_id;
  };
  const Want want[] = {
      {0, true, cipher3::kCcmp, 0},        {1, true, cipher3::kCcmp, 0},
      {0, false, cipher3::kCcmp, 1},       {1, false, cipher3::kCcmp, 2},
      {1, false, cipher3::kBipCmac128, 2},  // link 1's IGTK pairs with the rekeyed CCMP key
  };
  ASSERT_EQ(acts_.size, std::size(want));
  for (size_t i = 0; i < std::size(want); ++i) {
    SCOPED_TRACE(i);
    const KeyAction& a = acts_.items[i];
    EXPECT_TRUE(a.add);
    EXPECT_EQ(a.link_id, want[i].link);
    EXPECT_EQ(a.pairwise, want[i].pairwise);
    EXPECT_EQ(a.cipher_id, want[i].cipher);
    EXPECT_EQ(a.key_id, want[i].key_id);
  }
  EXPECT_EQ(std::memcmp(acts_.items[4].key, rekey.key, 16), 0);

  KeyActionList& again = rollback_;
  again.Wipe();
  ASSERT_TRUE(t().ReplayAfterReset(&again).ok());
  EXPECT_EQ(again.size, 0u) << "replayed once";
}

TEST_F(KeysTest, KeysAddedDuringResetAreReplayedOnce) {
  ASSERT_TRUE(LinkAdd(0).ok());
  t().BeginReset();
  ASSERT_TRUE(StaAdd(0).ok());
  ASSERT_TRUE(Set(Ptk(0)).ok());
  ASSERT_TRUE(Set(Gtk(0, 1)).ok());
  ASSERT_TRUE(LinkAdd(1).ok());
  EXPECT_EQ(acts_.size, 0u);
  ASSERT_TRUE(t().ReplayAfterReset(&acts_).ok());
  ASSERT_EQ(acts_.size, 2u);
  EXPECT_TRUE(acts_.items[0].pairwise);
  EXPECT_FALSE(acts_.items[1].pairwise);
  // After the reset, operations send again.
  ASSERT_TRUE(Disable(Gtk(0, 1)).ok());
  EXPECT_EQ(acts_.size, 1u);
}

// An IGTK whose CCMP partner was removed (before or during the reset) cannot be rebuilt: the
// record would carry key_id 0xff and a zero CCMP half. Replay must not send that.
TEST_F(KeysTest, ResetDoesNotReplayAnIgtkWithoutItsCcmpKey) {
  struct Case {
    const char* desc;
    bool disable_during_reset;
  };
  const Case cases[] = {{"GTK removed during the reset", true},
                        {"GTK removed before the reset", false}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.desc);
    table_ = std::make_unique<KeyTable>();
    const KeyConf igtk = Distinct(suite::kAesCmac, 4, 0, 16, 51);
    ASSERT_TRUE(LinkAdd(0).ok());
    ASSERT_TRUE(Set(Gtk(0, 1)).ok());
    ASSERT_TRUE(Set(igtk).ok());
    if (!c.disable_during_reset) {
      ASSERT_TRUE(Disable(Gtk(0, 1)).ok());
    }
    t().BeginReset();
    if (c.disable_during_reset) {
      ASSERT_TRUE(Disable(Gtk(0, 1)).ok());
    }
    acts_.Wipe();
    ASSERT_TRUE(t().ReplayAfterReset(&acts_).ok());
    EXPECT_EQ(acts_.size, 0u) << "nothing else was installed";
    for (size_t i = 0; i < acts_.size; ++i) {
      EXPECT_NE(acts_.items[i].key_id, kNoKey) << "action " << i;
      EXPECT_NE(acts_.items[i].cipher_id, cipher3::kBipCmac128) << "action " << i;
    }
    EXPECT_EQ(GroupSlot(0, 1).keyidx, kNoKey) << "the IGTK could not be reinstalled";
    EXPECT_FALSE(HasKey(t(), igtk));
    acts_.Wipe();
  }
}

// ---------------------------------------------------------------------------------------
// Key hygiene: freed key material is gone from the table and the lists.

TEST_F(KeysTest, DisableZeroizes) {
  const KeyConf gtk = Distinct(suite::kCcmp, 1, 0, 16, 61);
  const KeyConf igtk = Distinct(suite::kAesCmac, 4, 0, 16, 62);
  const KeyConf ptk = Distinct(suite::kTkip, 0, -1, 32, 63);
  ASSERT_TRUE(LinkAdd(0).ok());
  ASSERT_TRUE(StaAdd(0).ok());
  ASSERT_TRUE(Set(gtk).ok());
  ASSERT_TRUE(Set(igtk).ok());
  ASSERT_TRUE(Set(ptk).ok());
  EXPECT_TRUE(HasKey(t(), gtk));
  EXPECT_TRUE(HasKey(t(), igtk));
  EXPECT_TRUE(HasKey(t(), ptk));

  ASSERT_TRUE(Disable(igtk).ok());
  EXPECT_FALSE(HasKey(t(), igtk));
  EXPECT_TRUE(HasKey(t(), gtk));
  ASSERT_TRUE(Disable(gtk).ok());
  EXPECT_FALSE(HasKey(t(), gtk)) << "slot and the IGTK pairing copy";
  ASSERT_TRUE(Disable(ptk).ok());
  EXPECT_FALSE(HasKey(t(), ptk)) << "slot and the MLD copy";
  EXPECT_FALSE(HasKey(acts_, ptk)) << "a DISABLE carries no key";
}

TEST_F(KeysTest, LinkRemoveZeroizes) {
  const KeyConf gtk = Distinct(suite::kCcmp, 2, 1, 16, 71);
  const KeyConf igtk = Distinct(suite::kAesCmac, 5, 1, 16, 72);
  const KeyConf ptk = Distinct(suite::kCcmp, 0, -1, 16, 73);
  ASSERT_TRUE(LinkAdd(1).ok());
  ASSERT_TRUE(StaAdd(1).ok());
  ASSERT_TRUE(Set(ptk).ok());
  ASSERT_TRUE(Set(gtk).ok());
  ASSERT_TRUE(Set(igtk).ok());
  EXPECT_EQ(CountKey(t(), ptk), 2) << "link-station slot + MLD copy";
  ASSERT_TRUE(t().LinkRemove(1).ok());
  EXPECT_FALSE(HasKey(t(), gtk));
  EXPECT_FALSE(HasKey(t(), igtk));
  EXPECT_EQ(CountKey(t(), ptk), 1) << "only the MLD copy, kept for the next link-station";
  for (uint8_t w = 0; w < kWtblSize; ++w)
    EXPECT_FALSE(HasKey(t().wcid(w), ptk)) << "wcid " << int{w};
  ASSERT_TRUE(Disable(ptk).ok());
  EXPECT_FALSE(HasKey(t(), ptk));
}

TEST_F(KeysTest, StaRemoveZeroizesTheStationSlot) {
  const KeyConf ptk = Distinct(suite::kGcmp256, 1, -1, 32, 81);
  ASSERT_TRUE(LinkAdd(0).ok());
  ASSERT_TRUE(StaAdd(0).ok());
  ASSERT_TRUE(Set(ptk).ok());
  const uint8_t w = t().link(0).sta_wcid;
  ASSERT_TRUE(t().StaRemove(0).ok());
  EXPECT_FALSE(HasKey(t().wcid(w), ptk));
  EXPECT_EQ(t().link(0).sta_wcid, kNoKey);
  EXPECT_EQ(CountKey(t(), ptk), 1) << "only the MLD copy";
  ASSERT_TRUE(Disable(ptk).ok());
  EXPECT_FALSE(HasKey(t(), ptk));
}

TEST_F(KeysTest, AbortAndWipeZeroize) {
  const KeyConf gtk = Distinct(suite::kCcmp, 1, 0, 16, 91);
  const KeyConf igtk = Distinct(suite::kAesCmac, 4, 0, 16, 92);
  ASSERT_TRUE(Set(gtk).ok());  // cached while down
  ASSERT_TRUE(Set(igtk).ok());
  ASSERT_TRUE(LinkAdd(0).ok());
  ASSERT_EQ(acts_.size, 2u);
  EXPECT_TRUE(HasKey(acts_, gtk));
  EXPECT_TRUE(HasKey(acts_, igtk));
  ASSERT_TRUE(t().AbortActions(acts_, 2, &rollback_).ok());
  EXPECT_EQ(rollback_.size, 2u);
  EXPECT_FALSE(HasKey(t(), gtk));
  EXPECT_FALSE(HasKey(t(), igtk));
  EXPECT_FALSE(HasKey(rollback_, gtk));
  EXPECT_FALSE(HasKey(rollback_, igtk));
  acts_.Wipe();
  EXPECT_EQ(acts_.size, 0u);
  EXPECT_FALSE(HasKey(acts_, gtk));
  EXPECT_FALSE(HasKey(acts_, igtk));
  EXPECT_TRUE(AllZero(reinterpret_cast<const uint8_t*>(acts_.items), sizeof(acts_.items)));
}

// ---------------------------------------------------------------------------------------
// Property test against a reference model.
//
// The model restates the contract with plain containers: slots keyed by (wcid, slot), a
// per-link cache of group SETs, the MLD pairwise key, the per-link CCMP key an IGTK pairs
// with, and the set of slots awaiting a reset replay. Every operation's status and actions
// are compared, then every slot, link and the raw bytes.

struct ModelCipher {
  uint32_t suite;
  uint8_t id;
  uint8_t len;
};
// mt7925_set_link_key accepts these (WEP only with a WEP station, not modelled);
// ids from mt7925_mcu_get_cipher.
constexpr ModelCipher kModelCiphers[] = {
    {suite::kTkip, 2, 32},    {suite::kCcmp, 4, 16},     {suite::kCcmp256, 10, 32},
    {suite::kGcmp, 11, 16},   {suite::kGcmp256, 12, 32}, {suite::kSms4, 8, 32},
    {suite::kAesCmac, 6, 16},
};
const ModelCipher* ModelFind(uint32_t s) {
  for (const ModelCipher& c : kModelCiphers) {
    if (c.suite == s) return &c;
  }
  return nullptr;
}

class Model {
 public:
  using Bytes = std::vector<uint8_t>;
  struct Key {
    uint8_t idx, cipher, len;
    std::array<uint8_t, 32> key{};
    bool replaced = false;  // this SET replaced a key the firmware held
  };
  struct Bip {
    uint8_t idx;
    std::array<uint8_t, 16> key;
  };
  struct LinkM {
    bool up = false;
    uint8_t bss = 0;
    int sta = -1;
    MacAddr bssid, peer;
    std::optional<Bip> bip;
    std::optional<KeyConf> pending[2];
    uint8_t cipher = 0;  // the link's first key's cipher, sent in its BSS info
  };

  explicit Model(KeyPolicy p) : policy_(p) {}

  std::map<std::pair<int, int>, Key> slots;
  std::set<std::pair<int, int>> replay;
  LinkM links[kMaxMloLinks];
  std::optional<KeyConf> ptk;
  bool resetting = false;
  size_t igtk_dropped = 0;  // IGTKs a reset replay could not rebuild

  Errno LinkAdd(uint8_t link, const MacAddr& bssid, std::vector<KeyAction>* out) {
    if (link >= kMaxMloLinks || links[link].up) return Errno::kInval;
    std::set<uint8_t> taken;
    for (const LinkM& l : links) {
      if (l.up) taken.insert(l.bss);
    }
    uint8_t bss = 0;
    while (bss < kMaxBssLinks && taken.count(bss)) ++bss;
    if (bss == kMaxBssLinks) return Errno::kNoSpc;
    LinkM& l = links[link];
    l.up = true;
    l.bss = bss;
    l.sta = -1;
    l.bssid = bssid;
    Replay(link, out);
    return Errno::kOk;
  }

  void LinkRemove(uint8_t link) {
    if (link >= kMaxMloLinks) return;
    LinkM& l = links[link];
    if (l.up) {
      Free(19 - l.bss);
      if (l.sta >= 0) Free(l.sta);
    }
    l = LinkM{};
  }

  Errno StaAdd(uint8_t link, const MacAddr& addr, std::vector<KeyAction>* out) {
    if (link >= kMaxMloLinks || links[link].sta >= 0) return Errno::kInval;
    if (!links[link].up) return Errno::kNoLink;
    std::set<int> used;
    for (const LinkM& l : links) {
      if (l.up && l.sta >= 0) used.insert(l.sta);
    }
    int w = 0;
    w = kFirstPeerWcid;  // wcid 0 is the driver's own
    while (w <= kLastPeerWcid && used.count(w)) ++w;
    if (w > kLastPeerWcid) return Errno::kNoSpc;
    links[link].sta = w;
    links[link].peer = addr;
    if (ptk) {
      Cipher(link, ptk->cipher, out);
      Install(w, 0, *ptk, out);
    }
    Release(link, out);
    return Errno::kOk;
  }

  void StaRemove(uint8_t link) {
    if (link >= kMaxMloLinks || links[link].sta < 0) return;
    Free(links[link].sta);
    links[link].sta = -1;
  }

  Errno Set(const KeyConf& k, std::vector<KeyAction>* out) {
    const ModelCipher* c = ModelFind(k.cipher);
    if (c == nullptr) return Errno::kOpNotSupp;
    if (k.key_len != c->len) return Errno::kInval;
    if (k.keyidx == 6 || k.keyidx == 7) return Errno::kOpNotSupp;
    const bool igtk = k.cipher == suite::kAesCmac;
    if (k.link_id < 0) {
      if (igtk || k.keyidx > 1) return Errno::kInval;
      ptk = k;
      for (uint8_t link = 0; link < kMaxMloLinks; ++link) {
        if (!links[link].up || links[link].sta < 0) continue;
        Cipher(link, k.cipher, out);
        Install(links[link].sta, 0, k, out);
        Release(link, out);
      }
      return Errno::kOk;
    }
    if (k.link_id >= kMaxMloLinks) return Errno::kInval;
    if (igtk ? (k.keyidx < 4 || k.keyidx > 5) : (k.keyidx < 1 || k.keyidx > 3))
      return Errno::kInval;
    return SetGroup(k, out);
  }

  void Disable(const KeyConf& k, std::vector<KeyAction>* out) {
    if (k.link_id < 0) {
      if (ptk && ptk->keyidx == k.keyidx) ptk.reset();
      for (const LinkM& l : links) {
        if (l.up && l.sta >= 0) DisableSlot(l.sta, 0, k.keyidx, out);
      }
      return;
    }
    if (k.link_id >= kMaxMloLinks) return;
    LinkM& l = links[k.link_id];
    const int s = k.cipher == suite::kAesCmac ? 1 : 0;
    if (l.pending[s] && l.pending[s]->keyidx == k.keyidx) l.pending[s].reset();
    if (!l.up) return;
    if (s == 0 && l.bip && l.bip->idx == k.keyidx) l.bip.reset();
    DisableSlot(19 - l.bss, s, k.keyidx, out);
  }

  void BeginReset() {
    resetting = true;
    for (const auto& [ws, key] : slots) replay.insert(ws);
  }

  void ReplayAfterReset(std::vector<KeyAction>* out) {
    resetting = false;
    for (int pass = 0; pass < 3; ++pass) {
      for (const LinkM& l : links) {
        if (!l.up) continue;
        const int w = pass == 0 ? l.sta : 19 - l.bss;
        const int s = pass == 2 ? 1 : 0;
        if (w < 0 || !replay.count({w, s})) continue;
        replay.erase({w, s});
        if (s == 1 && !l.bip) {
          slots.erase({w, s});  // Its CCMP partner is gone: cannot be rebuilt.
          ++igtk_dropped;
          continue;
        }
        out->push_back(SetAction(w, s));
      }
    }
    replay.clear();
  }

  void Abort(const std::vector<KeyAction>& sent, size_t failed, std::vector<KeyAction>* rollback) {
    for (size_t i = 0; i < sent.size(); ++i) {
      const KeyAction& a = sent[i];
      if (a.kind == KeyActionKind::kBssCipher) {
        // A BSS cipher that did not reach the firmware is sent again with the next key.
        LinkM& l = links[a.link_id];
        if (i >= failed && l.up && l.cipher == a.cipher_id) l.cipher = 0;
        continue;
      }
      if (!a.add) {
        if (i >= failed) rollback->push_back(a);  // a removal is retried, never undone
        continue;
      }
      const int s = a.cipher_id == cipher3::kBipCmac128 ? 1 : 0;
      auto it = slots.find({a.wcid, s});
      bool old_in_firmware = false;
      if (it != slots.end() && (s == 1 || it->second.idx == a.key_id)) {
        old_in_firmware = it->second.replaced;
        slots.erase(it);
        replay.erase({a.wcid, s});
      }
      if (a.pairwise && ptk && ptk->keyidx == a.key_id) ptk.reset();
      if (!a.pairwise && s == 0 && a.cipher_id == cipher3::kCcmp) {
        LinkM& l = links[a.link_id];
        if (l.bip && l.bip->idx == a.key_id) l.bip.reset();
      }
      if (i < failed || old_in_firmware) {
        for (int other = 0; other < 2; ++other) {  // as DisableSlot: the wcid's keys go
          slots.erase({a.wcid, other});
          replay.erase({a.wcid, other});
        }
        KeyAction d = a;
        d.add = false;
        d.cipher_id = d.key_id = d.key_len = 0;
        std::memset(d.key, 0, sizeof(d.key));
        rollback->push_back(d);
      }
    }
  }

  // Which link owns wcid `w` (REQUIRES: in use).
  int LinkOf(int w) const {
    for (int i = 0; i < kMaxMloLinks; ++i) {
      const LinkM& l = links[i];
      if (l.up && (19 - l.bss == w || l.sta == w)) return i;
    }
    return -1;
  }

  // Every key byte string the model still holds.
  std::vector<Bytes> Live() const {
    std::vector<Bytes> v;
    for (const auto& [ws, k] : slots) v.emplace_back(k.key.begin(), k.key.begin() + k.len);
    for (const LinkM& l : links) {
      if (l.bip) v.emplace_back(l.bip->key.begin(), l.bip->key.end());
      for (const auto& p : l.pending) {
        if (p) v.emplace_back(p->key, p->key + p->key_len);
      }
    }
    if (ptk) v.emplace_back(ptk->key, ptk->key + ptk->key_len);
    return v;
  }

  KeyAction SetAction(int w, int s) const {
    KeyAction a = Base(w);
    a.add = true;
    const Key& k = slots.at({w, s});
    if (s == 1) {
      const Bip& bip = *links[a.link_id].bip;
      a.cipher_id = 6;
      a.key_id = bip.idx;
      a.key_len = 32;
      std::memcpy(a.key, bip.key.data(), 16);
      std::memcpy(a.key + 16, k.key.data(), 16);
      return a;
    }
    a.cipher_id = k.cipher;
    a.key_id = k.idx;
    a.key_len = k.len;
    std::memcpy(a.key, k.key.data(), k.len);
    if (k.cipher == 2) {
      std::memcpy(a.key + 16, k.key.data() + 24, 8);
      std::memcpy(a.key + 24, k.key.data() + 16, 8);
    }
    return a;
  }

 private:
  KeyAction Base(int w) const {
    KeyAction a;
    const int link = LinkOf(w);
    const LinkM& l = links[link];
    const bool bss = 19 - l.bss == w;
    a.link_id = static_cast<uint8_t>(link);
    a.wcid = static_cast<uint8_t>(w);
    a.bss_idx = l.bss;
    a.muar_idx = bss ? 0x0e : 0;
    a.pairwise = !bss;
    a.peer = bss ? l.bssid : l.peer;
    return a;
  }

  bool PairwiseOn(uint8_t link) const {
    return links[link].sta >= 0 && slots.count({links[link].sta, 0}) != 0;
  }

  Errno SetGroup(const KeyConf& k, std::vector<KeyAction>* out) {
    const uint8_t link = static_cast<uint8_t>(k.link_id);
    LinkM& l = links[link];
    const int s = k.cipher == suite::kAesCmac ? 1 : 0;
    const bool defer = !l.up || (policy_.pairwise_before_group && !PairwiseOn(link));
    if (s == 1) {
      // Paired with the GTK it will follow: the cached one when deferred, else the CCMP key
      // last installed on the link.
      const bool ccmp =
          defer && l.pending[0] ? l.pending[0]->cipher == suite::kCcmp : l.bip.has_value();
      if (!ccmp) return Errno::kOpNotSupp;
    }
    if (defer) {
      size_t cached = 0;
      for (const LinkM& o : links) cached += (o.pending[0] ? 1 : 0) + (o.pending[1] ? 1 : 0);
      if (!l.pending[s] && cached == kMaxPendingKeys) return Errno::kNoSpc;  // the pool is full
      l.pending[s] = k;
      return Errno::kOk;
    }
    Cipher(link, k.cipher, out);
    if (k.cipher == suite::kCcmp) {
      Bip b{k.keyidx, {}};
      std::memcpy(b.key.data(), k.key, 16);
      l.bip = b;
    }
    Install(19 - l.bss, s, k, out);
    return Errno::kOk;
  }

  void Install(int w, int s, const KeyConf& k, std::vector<KeyAction>* out) {
    const bool replaces = slots.count({w, s}) != 0 && replay.count({w, s}) == 0 && !resetting;
    Key key{k.keyidx, ModelFind(k.cipher)->id, k.key_len, {}, replaces};
    std::memcpy(key.key.data(), k.key, k.key_len);
    slots[{w, s}] = key;
    replay.erase({w, s});
    if (resetting) {
      replay.insert({w, s});
    } else {
      out->push_back(SetAction(w, s));
    }
  }

  // The link's cached group keys, GTK first.
  void Replay(uint8_t link, std::vector<KeyAction>* out) {
    for (int s = 0; s < 2; ++s) {
      std::optional<KeyConf> k = links[link].pending[s];
      links[link].pending[s].reset();
      if (k) SetGroup(*k, out);  // kOpNotSupp: an IGTK whose GTK was not CCMP stays in SW
    }
  }
  void Release(uint8_t link, std::vector<KeyAction>* out) {
    if (policy_.pairwise_before_group && PairwiseOn(link)) Replay(link, out);
  }

  // The link's BSS info carries the cipher of its first key (mt7925_set_link_key).
  void Cipher(uint8_t link, uint32_t suite_sel, std::vector<KeyAction>* out) {
    LinkM& l = links[link];
    if (l.cipher != 0) return;
    l.cipher = ModelFind(suite_sel)->id;
    if (resetting) return;
    KeyAction a;
    a.kind = KeyActionKind::kBssCipher;
    a.link_id = link;
    a.wcid = static_cast<uint8_t>(19 - l.bss);
    a.bss_idx = l.bss;
    a.cipher_id = l.cipher;
    a.peer = l.bssid;
    out->push_back(a);
  }

  void DisableSlot(int w, int s, uint8_t idx, std::vector<KeyAction>* out) {
    auto it = slots.find({w, s});
    if (it == slots.end() || it->second.idx != idx) return;
    slots.erase(it);
    const bool flagged = replay.erase({w, s}) != 0;
    if (resetting || flagged) return;
    // The DISABLE frame names no slot: the firmware drops every key of the wcid.
    for (int other = 0; other < 2; ++other) {
      slots.erase({w, other});
      replay.erase({w, other});
    }
    KeyAction a = Base(w);
    a.add = false;
    out->push_back(a);
  }

  void Free(int w) {
    for (int s = 0; s < 2; ++s) {
      slots.erase({w, s});
      replay.erase({w, s});
    }
  }

  KeyPolicy policy_;
};

class KeysPropertyTest : public KeysTest,
                         public ::testing::WithParamInterface<std::pair<uint64_t, bool>> {
 protected:
  void SetUp() override { UsePolicy(KeyPolicy{GetParam().second}); }

  // Compares every slot, wcid and link with the model.
  void ExpectSameState(const Model& m) {
    for (uint8_t w = 0; w < kWtblSize; ++w) {
      SCOPED_TRACE(::testing::Message() << "wcid " << int{w});
      const KeyTable::Wcid& tw = t().wcid(w);
      const int link = m.LinkOf(w);
      ASSERT_EQ(tw.used, link >= 0);
      if (link >= 0) {
        EXPECT_EQ(tw.link, link);
        EXPECT_EQ(tw.bss, w > kLastPeerWcid);
        EXPECT_TRUE(tw.addr == (tw.bss ? m.links[link].bssid : m.links[link].peer));
      }
      for (int s = 0; s < 2; ++s) {
        const KeyTable::Slot& ts = tw.slot[s];
        auto it = m.slots.find({w, s});
        if (it == m.slots.end()) {
          EXPECT_EQ(ts.keyidx, kNoKey) << "slot " << s;
          EXPECT_EQ(ts.key_len, 0);
          EXPECT_FALSE(ts.replay);
        } else {
          EXPECT_EQ(ts.keyidx, it->second.idx) << "slot " << s;
          EXPECT_EQ(ts.cipher, it->second.cipher);
          EXPECT_EQ(ts.key_len, it->second.len);
          EXPECT_EQ(std::memcmp(ts.key, it->second.key.data(), kMaxKeyLen), 0) << "slot " << s;
          EXPECT_EQ(ts.replay, m.replay.count({w, s}) != 0);
        }
        // Freed bytes are zero; bytes past the key too.
        const size_t len = it == m.slots.end() ? 0 : it->second.len;
        EXPECT_TRUE(AllZero(ts.key + len, kMaxKeyLen - len)) << "slot " << s;
      }
    }
    for (uint8_t i = 0; i < kMaxMloLinks; ++i) {
      SCOPED_TRACE(::testing::Message() << "link " << int{i});
      const KeyTable::Link& tl = t().link(i);
      const Model::LinkM& ml = m.links[i];
      ASSERT_EQ(tl.up, ml.up);
      if (ml.up) {
        EXPECT_EQ(tl.bss_idx, ml.bss);
      }
      EXPECT_EQ(tl.sta_wcid, ml.sta < 0 ? kNoWcid : ml.sta);
      EXPECT_EQ(tl.cipher, ml.up ? ml.cipher : 0);
      const KeyTable::Bip& tb = t().bip(i);
      EXPECT_EQ(tb.keyidx, ml.bip ? ml.bip->idx : kNoKey);
      if (ml.bip) {
        EXPECT_EQ(std::memcmp(tb.key, ml.bip->key.data(), 16), 0);
      } else {
        EXPECT_TRUE(AllZero(tb.key, sizeof(tb.key)));
      }
      for (int s = 0; s < 2; ++s) {
        const KeyConf* tc = t().cached(i, s);
        ASSERT_EQ(tc != nullptr, ml.pending[s].has_value()) << "pending " << s;
        if (ml.pending[s]) {
          EXPECT_EQ(tc->cipher, ml.pending[s]->cipher);
          EXPECT_EQ(tc->keyidx, ml.pending[s]->keyidx);
          EXPECT_EQ(tc->link_id, ml.pending[s]->link_id);
          EXPECT_EQ(tc->key_len, ml.pending[s]->key_len);
          EXPECT_EQ(std::memcmp(tc->key, ml.pending[s]->key, kMaxKeyLen), 0);
        }
      }
    }
    EXPECT_EQ(t().has_pairwise(), m.ptk.has_value());
    EXPECT_EQ(t().resetting(), m.resetting);
  }

  void ExpectSameActions(const std::vector<KeyAction>& want, const KeyActionList& got,
                         const char* what) {
    SCOPED_TRACE(what);
    ASSERT_EQ(got.size, want.size());
    for (size_t i = 0; i < want.size(); ++i) {
      EXPECT_TRUE(SameAction(want[i], got.items[i])) << "action " << i;
      if (want[i].add) {
        // The wire bytes of a SET follow from the slot contents alone.
        EXPECT_TRUE(BytesEqual(View(Encode(want[i])), View(Encode(got.items[i]))))
            << "action " << i;
      }
    }
  }
};

KeyConf RandomKey(Prng& r, uint32_t cipher, uint8_t idx, int8_t link) {
  const ModelCipher* c = ModelFind(cipher);
  KeyConf k;
  k.cipher = cipher;
  k.keyidx = idx;
  k.link_id = link;
  k.key_len = c ? c->len : 16;
  for (uint8_t i = 0; i < k.key_len; ++i) k.key[i] = static_cast<uint8_t>(1 + r.Below(255));
  return k;
}

TEST_P(KeysPropertyTest, MatchesReferenceModel) {
  Prng r(GetParam().first);
  const std::unique_ptr<Model> model = std::make_unique<Model>(KeyPolicy{GetParam().second});
  Model& m = *model;
  constexpr uint32_t kGroupCiphers[] = {suite::kCcmp, suite::kCcmp, suite::kCcmp,
                                        suite::kGcmp, suite::kTkip, suite::kCcmp256};
  constexpr uint32_t kPairCiphers[] = {suite::kCcmp, suite::kGcmp256, suite::kTkip, suite::kSms4};
  constexpr uint32_t kBadCiphers[] = {suite::kBipGmac128, suite::kBipCmac256, suite::kWep40,
                                      0x000fac07};
  size_t sets = 0, disables = 0, aborts = 0, refused = 0;
  size_t replayed = 0, cache_replays = 0, releases = 0;

  for (int op = 0; op < 4000; ++op) {
    SCOPED_TRACE(::testing::Message() << "op " << op);
    // A link id: mostly 0..5, sometimes 14 or out of range.
    const uint8_t link = r.OneIn(40) ? (r.OneIn(2) ? 14 : 15) : static_cast<uint8_t>(r.Below(6));
    std::vector<KeyAction> want;
    Status got = OkStatus();
    Errno expect = Errno::kOk;
    const std::vector<Model::Bytes> live_before = m.Live();
    acts_.Wipe();

    const uint32_t kind = r.Below(100);
    if (kind < 12) {
      const MacAddr b = Bssid(static_cast<uint8_t>(link + 0x40 * r.Below(3)));
      got = t().LinkAdd(link, b, &acts_);
      expect = m.LinkAdd(link, b, &want);
      cache_replays += acts_.size;
    } else if (kind < 18) {
      got = t().LinkRemove(link);
      m.LinkRemove(link);
    } else if (kind < 28) {
      const MacAddr a = ApLink(static_cast<uint8_t>(link + 0x40 * r.Below(3)));
      got = t().StaAdd(link, a, &acts_);
      expect = m.StaAdd(link, a, &want);
      for (size_t i = 0; i < acts_.size; ++i) releases += acts_.items[i].pairwise ? 0 : 1;
    } else if (kind < 32) {
      got = t().StaRemove(link);
      m.StaRemove(link);
    } else if (kind < 52) {
      // Group SET: GTK or IGTK, sometimes invalid in exactly one way.
      const bool igtk = r.OneIn(3);
      KeyConf k = igtk ? RandomKey(r, suite::kAesCmac, static_cast<uint8_t>(4 + r.Below(2)),
                                   static_cast<int8_t>(link))
                       : RandomKey(r, kGroupCiphers[r.Below(6)],
                                   static_cast<uint8_t>(1 + r.Below(3)), static_cast<int8_t>(link));
      if (r.OneIn(15))
        k.cipher = kBadCiphers[r.Below(4)];
      else if (r.OneIn(15))
        k.keyidx = static_cast<uint8_t>(r.Below(8));
      else if (r.OneIn(20))
        k.key_len = static_cast<uint8_t>(r.Below(33));
      got = t().SetKey(KeyCmd::kSet, k, &acts_);
      expect = m.Set(k, &want);
      ++sets;
    } else if (kind < 62) {
      KeyConf k = RandomKey(r, kPairCiphers[r.Below(4)], static_cast<uint8_t>(r.Below(2)), -1);
      if (r.OneIn(15)) k.keyidx = static_cast<uint8_t>(r.Below(8));
      got = t().SetKey(KeyCmd::kSet, k, &acts_);
      expect = m.Set(k, &want);
      for (size_t i = 0; i < acts_.size; ++i) releases += acts_.items[i].pairwise ? 0 : 1;
      ++sets;
    } else if (kind < 80) {
      // Group DISABLE: mostly of a key that is there (installed or cached).
      const bool igtk = r.OneIn(3);
      const int s = igtk ? 1 : 0;
      uint8_t idx = static_cast<uint8_t>(igtk ? 4 + r.Below(2) : 1 + r.Below(3));
      if (link < kMaxMloLinks && r.Below(3) != 0) {
        const Model::LinkM& l = m.links[link];
        if (l.pending[s]) idx = l.pending[s]->keyidx;
        auto it = l.up ? m.slots.find({19 - l.bss, s}) : m.slots.end();
        if (it != m.slots.end()) idx = it->second.idx;
      }
      const KeyConf k =
          RandomKey(r, igtk ? suite::kAesCmac : suite::kCcmp, idx, static_cast<int8_t>(link));
      got = t().SetKey(KeyCmd::kDisable, k, &acts_);
      m.Disable(k, &want);
      ++disables;
    } else if (kind < 90) {
      const uint8_t idx =
          m.ptk && r.Below(3) != 0 ? m.ptk->keyidx : static_cast<uint8_t>(r.Below(2));
      const KeyConf k = RandomKey(r, suite::kCcmp, idx, -1);
      got = t().SetKey(KeyCmd::kDisable, k, &acts_);
      m.Disable(k, &want);
      ++disables;
    } else if (kind < 94) {
      t().BeginReset();
      m.BeginReset();
    } else {
      got = t().ReplayAfterReset(&acts_);
      m.ReplayAfterReset(&want);
      replayed += acts_.size;
    }
    ASSERT_EQ(got.err(), expect) << got.name();
    refused += expect != Errno::kOk ? 1 : 0;
    ExpectSameActions(want, acts_, "actions");

    // Sometimes the host fails to send: roll back.
    if (acts_.size > 0 && r.OneIn(4)) {
      const size_t failed = r.Below(static_cast<uint32_t>(acts_.size + 1));
      rollback_.Wipe();
      std::vector<KeyAction> want_rb;
      ASSERT_TRUE(t().AbortActions(acts_, failed, &rollback_).ok());
      m.Abort(want, failed, &want_rb);
      ExpectSameActions(want_rb, rollback_, "rollback");
      for (size_t i = 0; i < rollback_.size; ++i) {
        EXPECT_TRUE(AllZero(rollback_.items[i].key, kMaxKeyLen)) << "rollback " << i;
      }
      ++aborts;
    }
    ExpectSameState(m);

    // Keys that left the model in this step are nowhere in the table's bytes.
    const std::vector<Model::Bytes> live_after = m.Live();
    for (const Model::Bytes& k : live_before) {
      if (std::find(live_after.begin(), live_after.end(), k) != live_after.end()) continue;
      ASSERT_FALSE(HasKeyWindow(&t(), sizeof(KeyTable), k.data(), k.size()))
          << "freed key material left in the table: " << connac_test::ToHex(k);
    }
    acts_.Wipe();
    if (HasFailure()) return;
  }
  // The walk reached every kind of step.
  EXPECT_GT(sets, 500u);
  EXPECT_GT(disables, 300u);
  EXPECT_GT(aborts, 50u);
  EXPECT_GT(refused, 50u);
  EXPECT_GT(replayed, 50u);
  if (GetParam().second) {
    EXPECT_GT(releases, 20u) << "group keys released by StaAdd or the pairwise SET";
  } else {
    EXPECT_GT(cache_replays, 10u) << "group keys cached while down, sent by LinkAdd";
    EXPECT_GT(m.igtk_dropped, 0u) << "IGTKs whose CCMP key went before a reset";
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, KeysPropertyTest,
                         ::testing::Values(std::make_pair(uint64_t{1}, false),
                                           std::make_pair(uint64_t{2}, false),
                                           std::make_pair(uint64_t{0x1036}, false),
                                           std::make_pair(uint64_t{3}, true),
                                           std::make_pair(uint64_t{4}, true)));

}  // namespace
}  // namespace connac
