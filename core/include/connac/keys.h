// File: connac/keys.h
//
// Key slots per MLO link for mt7925: the mac80211 set_key contract, made correct across
// roams, link churn and firmware resets, with no heap.
//
// KeyTable mirrors what the driver keeps (mt7925/main.c `mt7925_set_key`,
// `mt7925_set_link_key`; mt792x.h WTBL layout) and returns the commands to send as
// KeyActions; nothing is sent here (sans-I/O). It fixes what #1036 showed:
//
//   - DISABLE of a key that is not in the firmware succeeds with no MCU traffic: a torn-down
//     or unknown link, or an index that no longer matches the slot (GTK rekey).
//   - Every operation checks that its actions fit the caller's list before it changes the
//     table: an error (a DISABLE's kNoSpc included) leaves the table and the list as they were.
//   - Group keys for a link that is not up yet are cached (ath12k pattern): the latest SET per
//     slot wins, a DISABLE of the same index cancels it, and LinkAdd() replays GTK then IGTK.
//   - Pairwise keys (link_id -1) fan out to every link that has a link-station; a key set
//     before any link-station exists is kept and programmed by StaAdd(). If the host fails to
//     send one of the commands, AbortActions() returns the rollback (all or nothing).
//   - The first SET on a link is preceded by a BSS_INFO_UPDATE carrying the cipher, as
//     mt7925_set_link_key sends it (KeyAction::kind == kBssCipher).
//   - IGTK (BIP-CMAC-128) needs the link's CCMP group key: the 32-byte record is that key
//     followed by the IGTK. Without a CCMP group key on the link the IGTK is EOPNOTSUPP, so
//     mac80211 does BIP in software instead of the firmware getting a zero key.
//   - Optional "pairwise before group" (KeyPolicy) defers group keys on a link until its
//     pairwise key is installed, for firmware that requires that order.
//   - After BeginReset() every installed key needs replay; operations during the reset only
//     update the table; ReplayAfterReset() emits pairwise, then group, then IGTK, once.
//   - Key material is zeroized whenever a slot, cache entry or link is freed or rolled back.
//
// WTBL layout (mt792x.h): 20 entries. A link's own BSS entry (group keys) is wcid 19 - bss_idx
// with bss_idx 0..3 (MT792x_MAX_INTERFACES). wcid 0 is the driver's own (mt792x_init_wcid:
// beacons and management frames), so peer link-stations get the first free wcid in 1..13
// (mt76_wcid_alloc below MT792x_WTBL_STA - 1). Each wcid has two key slots: hw_key_idx (PTK
// or GTK) and hw_key_idx2 (IGTK).
//
// Example:
//
//   connac::KeyTable keys;
//   connac::KeyActionList acts;
//   CONNAC_RETURN_IF_ERROR(keys.LinkAdd(0, bssid, &acts));
//   CONNAC_RETURN_IF_ERROR(keys.SetKey(connac::KeyCmd::kSet, gtk, &acts));
//   for (size_t i = 0; i < acts.size; ++i) {
//     // kBssCipher: the host's BSS_INFO_UPDATE; kKey: EncodeKeyAction(...)
//     ... send; on failure: keys.AbortActions(acts, i, &rollback), send the rollback ...
//   }
//   acts.Wipe();   // the list holds key copies
//
// Thread safety: none; the host serialises calls (the driver's mt76.mutex).

#ifndef CONNAC_KEYS_H_
#define CONNAC_KEYS_H_

#include <cstddef>
#include <cstdint>

#include "connac/bytes.h"
#include "connac/check.h"
#include "connac/family.h"
#include "connac/mcu_cmd.h"
#include "connac/mcu_frame.h"
#include "connac/status.h"
#include "connac/wifi.h"
#include "connac/wire.h"

namespace connac {

// IEEE 802.11 cipher suite selectors as mac80211 passes them (WLAN_CIPHER_SUITE_*).
namespace suite {
inline constexpr uint32_t kWep40 = 0x000fac01;
inline constexpr uint32_t kTkip = 0x000fac02;
inline constexpr uint32_t kCcmp = 0x000fac04;
inline constexpr uint32_t kWep104 = 0x000fac05;
inline constexpr uint32_t kAesCmac = 0x000fac06;  // BIP-CMAC-128
inline constexpr uint32_t kGcmp = 0x000fac08;
inline constexpr uint32_t kGcmp256 = 0x000fac09;
inline constexpr uint32_t kCcmp256 = 0x000fac0a;
inline constexpr uint32_t kBipGmac128 = 0x000fac0b;
inline constexpr uint32_t kBipGmac256 = 0x000fac0c;
inline constexpr uint32_t kBipCmac256 = 0x000fac0d;
inline constexpr uint32_t kSms4 = 0x00147201;
}  // namespace suite

// CONNAC3 cipher ids (mt7925/mcu.h enum connac3_mcu_cipher_type); not the connac2 numbering.
namespace cipher3 {
inline constexpr uint8_t kNone = 0;
inline constexpr uint8_t kWep40 = 1;
inline constexpr uint8_t kTkip = 2;
inline constexpr uint8_t kCcmp = 4;
inline constexpr uint8_t kWep104 = 5;
inline constexpr uint8_t kBipCmac128 = 6;
inline constexpr uint8_t kWep128 = 7;
inline constexpr uint8_t kWapi = 8;
inline constexpr uint8_t kCcmp256 = 10;
inline constexpr uint8_t kGcmp = 11;
inline constexpr uint8_t kGcmp256 = 12;
}  // namespace cipher3

struct CipherInfo {
  uint32_t suite;
  const char* name;  // As `connac keys` spells it.
  uint8_t connac3;   // kNone: the firmware cannot offload it.
  uint8_t key_len;
  // mt7925_set_link_key accepts it. WEP also needs the vif's WEP station, which this layer
  // does not model, so WEP is not offloaded here.
  bool offload;
};

// mac80211 suite -> connac3 id (mt7925_mcu_get_cipher) and the driver's accept list.
inline constexpr CipherInfo kCiphers[] = {
    {suite::kWep40, "WEP40", cipher3::kWep40, 5, false},
    {suite::kWep104, "WEP104", cipher3::kWep104, 13, false},
    {suite::kTkip, "TKIP", cipher3::kTkip, 32, true},
    {suite::kCcmp, "CCMP", cipher3::kCcmp, 16, true},
    {suite::kCcmp256, "CCMP-256", cipher3::kCcmp256, 32, true},
    {suite::kGcmp, "GCMP", cipher3::kGcmp, 16, true},
    {suite::kGcmp256, "GCMP-256", cipher3::kGcmp256, 32, true},
    {suite::kSms4, "SMS4", cipher3::kWapi, 32, true},
    {suite::kAesCmac, "BIP-CMAC-128", cipher3::kBipCmac128, 16, true},
    {suite::kBipCmac256, "BIP-CMAC-256", cipher3::kNone, 32, false},
    {suite::kBipGmac128, "BIP-GMAC-128", cipher3::kNone, 16, false},
    {suite::kBipGmac256, "BIP-GMAC-256", cipher3::kNone, 32, false},
};

// The table entry for `s`, or nullptr for a suite mac80211 may pass but nobody here knows.
constexpr const CipherInfo* FindCipher(uint32_t s) {
  for (const CipherInfo& c : kCiphers) {
    if (c.suite == s) return &c;
  }
  return nullptr;
}

inline constexpr uint8_t kWtblSize = 20;      // MT792x_WTBL_SIZE
inline constexpr uint8_t kMaxBssLinks = 4;    // MT792x_MAX_INTERFACES
inline constexpr uint8_t kFirstPeerWcid = 1;  // wcid 0: the driver's own (mt792x_init_wcid)
inline constexpr uint8_t kLastPeerWcid = 13;  // mt76_wcid_alloc(mask, MT792x_WTBL_STA - 1)
inline constexpr uint8_t kPeerWcids = kLastPeerWcid - kFirstPeerWcid + 1;  // 13 peers
inline constexpr uint8_t kBssWcidTop = 19;  // MT792x_WTBL_RESERVED: BSS wcid = 19 - bss_idx
inline constexpr uint8_t kNoKey = 0xff;     // a slot's key index when it holds no key
inline constexpr uint8_t kNoWcid = 0xff;    // a link without a link-station
inline constexpr uint8_t kMaxKeyLen = 32;
inline constexpr uint8_t kMaxPendingKeys = 8;  // group keys cached for links not up yet
inline constexpr uint8_t kStaRecKeyV3Tag = wire::key_v3::kTag;
inline constexpr size_t kStaReqHdrSize = wire::sta_req::kSize;
inline constexpr size_t kStaRecKeyV3Size = wire::key_v3::kSize;  // incl. the 4-byte TLV header
inline constexpr size_t kKeyFrameSize = kUniHeaderSize + kStaReqHdrSize + kStaRecKeyV3Size;  // 124
// sta_req_hdr.muar_idx for a wcid without a station.
inline constexpr uint8_t kMuarNoStation = 0x0e;

enum class KeyCmd : uint8_t { kSet, kDisable };

// The parts of mac80211's ieee80211_key_conf this layer uses.
struct KeyConf {
  uint32_t cipher = 0;  // suite selector
  uint8_t keyidx = 0;   // 0..7
  int8_t link_id = -1;  // -1: pairwise (all links); 0..14: group key of that link
  uint8_t key_len = 0;
  uint8_t key[kMaxKeyLen] = {};

  constexpr bool pairwise() const { return link_id < 0; }
};

// What a KeyAction asks the host to send.
enum class KeyActionKind : uint8_t {
  kKey,        // one STA_REC_UPDATE with one STA_REC_KEY_V3 TLV (EncodeKeyAction)
  kBssCipher,  // the link's BSS_INFO_UPDATE, now carrying `cipher_id`: the driver sends it
               // before a link's first key (mt7925_set_link_key, mt7925_mcu_add_bss_info).
               // The BSS info is the host's to build: only link_id, bss_idx, cipher_id and
               // peer (the BSSID) are set.
};

// One command to send.
struct KeyAction {
  uint8_t link_id = 0;
  uint8_t wcid = 0;
  uint8_t bss_idx = 0;
  uint8_t muar_idx = 0;
  bool add = false;
  bool pairwise = false;  // tx_key = key_type = 1, peer = the link-station's address
  uint8_t cipher_id = 0;
  uint8_t key_id = 0;
  uint8_t key_len = 0;
  MacAddr peer;  // pairwise: link-station address; group and kBssCipher: link BSSID
  uint8_t key[kMaxKeyLen] = {};
  KeyActionKind kind = KeyActionKind::kKey;
};

// Fixed-capacity list of actions. Holds key copies: call Wipe() once they are encoded.
//
// The list is caller memory (in the kernel, a C driver's struct): `size` is untrusted and
// every KeyTable operation refuses a list whose size exceeds the capacity (kInval).
struct KeyActionList {
  // At most 4 links are up, each with one link-station: a pairwise SET is at most 4 BSS
  // ciphers + 4 keys + 8 group keys it releases under pairwise_before_group; a reset replay
  // at most 4 pairwise + 4 GTK + 4 IGTK.
  static constexpr size_t kCapacity = 16;
  KeyAction items[kCapacity];
  size_t size = 0;

  constexpr bool valid() const { return size <= kCapacity; }
  // Free entries; 0 for an invalid list.
  constexpr size_t room() const { return size <= kCapacity ? kCapacity - size : 0; }

  Status Push(const KeyAction& a) {
    if (size >= kCapacity) return Status(Errno::kNoSpc);
    items[size++] = a;
    return OkStatus();
  }
  void Wipe() {
    ZeroizeBytes(reinterpret_cast<uint8_t*>(items), sizeof(items));
    size = 0;
  }
};

// Encodes key action `a` as the UNI STA_REC_UPDATE frame mt7925 sends (mt7925_mcu_add_key,
// mt7925_mcu_sta_key_tlv): 48-byte header, 8-byte sta_req_hdr, 68-byte STA_REC_KEY_V3.
// `out` needs kKeyFrameSize bytes. Returns the frame (a view into `out`).
// Errors: kInval for a kBssCipher action (not a key frame) and as WriteHeader.
inline Result<ConstBytes> EncodeKeyAction(const Profile& p, const KeyAction& a, uint8_t seq,
                                          MutableBytes out) {
  if (a.kind != KeyActionKind::kKey) return Errno::kInval;
  Result<FrameBuilder> b = FrameBuilder::Start(p, CmdWord::Uni(uni::kStaRecUpdate), out);
  if (!b.ok()) return b.status();
  FrameBuilder fb = *b;
  namespace sr = wire::sta_req;
  uint8_t hdr[sr::kSize] = {};
  hdr[sr::kBssIdx] = a.bss_idx;
  hdr[sr::kWlanIdxLo] = a.wcid;
  hdr[sr::kIsTlvAppend] = 1;
  hdr[sr::kMuarIdx] = a.muar_idx;
  hdr[sr::kWlanIdxHi] = 0;  // wcid bits 10:8: always 0 in a 20-entry table
  CONNAC_RETURN_IF_ERROR(fb.SetFixedHeader(ConstBytes(hdr), /*count_offset=*/sr::kTlvNum));
  Result<MutableBytes> t =
      fb.AddTlv(wire::key_v3::kTag, wire::key_v3::kSize - wire::tlv::kHeaderSize);
  if (!t.ok()) return t.status();
  // The TLV from its header on, so the wire::key_v3 offsets apply as they are.
  const MutableBytes k(t->data() - wire::tlv::kHeaderSize, wire::key_v3::kSize);
  namespace kv = wire::key_v3;
  k.put_u8(kv::kAdd, a.add ? 1 : 0);
  k.put_u8(kv::kTxKey, a.pairwise ? 1 : 0);
  k.put_u8(kv::kKeyType, a.pairwise ? 1 : 0);
  k.put_u8(kv::kIsAuthenticator, 0);
  CopyBytes(k.data() + kv::kPeerAddr, a.peer.b, 6);
  k.put_u8(kv::kBssIdx, a.bss_idx);
  k.put_u8(kv::kCipherId, a.cipher_id);
  k.put_u8(kv::kKeyId, a.key_id);
  k.put_u8(kv::kKeyLen, a.key_len);
  k.put_u8(kv::kWlanIdx, a.wcid);
  k.put_u8(kv::kMgmtProt, 1);  // always 1 ("only used in MLO mode")
  if (a.add)
    CopyBytes(k.data() + kv::kKey, a.key, a.key_len <= kMaxKeyLen ? a.key_len : kMaxKeyLen);
  // key_rsc stays zero, as in the driver.
  return fb.Finish(seq);
}

struct KeyPolicy {
  // Defer group keys on a link until its pairwise key is installed (ath12k WCN7850 quirk).
  // mt7925 does not need it.
  bool pairwise_before_group = false;
};

// The device's key state. Trivially destructible, no pointers: the host embeds it.
//
// # Invariants
// - A wcid's slot holds key bytes only while its keyidx != kNoKey; freed bytes are zero.
// - A link is up iff it owns a BSS wcid (19 - bss_idx); at most 4 links are up.
// - Each up link has at most one link-station wcid, in 1..13.
// - A link's cipher is set from its first SET on and cleared only when the link goes down
//   (or when the BSS_INFO_UPDATE that carried it was not sent).
class KeyTable {
 public:
  struct Slot {
    uint8_t keyidx = kNoKey;
    uint8_t cipher = cipher3::kNone;  // connac3 id
    uint8_t key_len = 0;
    bool replay : 1 = false;  // installed before a reset, not yet replayed
    // The last SET into this slot replaced a key the firmware held (a rekey in place), so
    // undoing that SET must take the old key out of the firmware too (AbortActions()).
    bool replaced : 1 = false;
    uint8_t key[kMaxKeyLen] = {};
  };
  struct Wcid {
    bool used = false;
    bool bss = false;  // the link's own BSS entry (group keys) vs a peer link-station
    uint8_t link = 0;
    MacAddr addr;  // BSSID (bss) or link-station address
    Slot slot[2];  // [0] hw_key_idx (PTK/GTK), [1] hw_key_idx2 (IGTK)
  };
  struct Link {
    bool up = false;
    uint8_t bss_idx = 0;
    uint8_t sta_wcid = kNoWcid;       // kNoWcid: no link-station yet
    uint8_t cipher = cipher3::kNone;  // mconf->mt76.cipher: set by the link's first SET
  };
  // The IGTK record's companion: the last CCMP key set on a BSS (the driver's mlink->bip of
  // the vif's own link-station, whose wcid is the BSS entry), by bss_idx.
  struct Bip {
    uint8_t keyidx = kNoKey;
    uint8_t key[16] = {};
  };

  constexpr KeyTable() = default;
  constexpr explicit KeyTable(KeyPolicy policy) : policy_(policy) {}

  const Wcid& wcid(uint8_t i) const { return wcids_[i]; }
  const Link& link(uint8_t i) const { return links_[i]; }
  bool resetting() const { return resetting_; }
  bool has_pairwise() const { return ptk_valid_; }
  // The CCMP key an IGTK on `link` pairs with (kNoKey index when none).
  const Bip& bip(uint8_t link) const {
    static constexpr Bip kNone{};
    return link < kMaxMloLinks && links_[link].up ? bips_[links_[link].bss_idx] : kNone;
  }
  // The group key cached for slot `s` (0 GTK, 1 IGTK) of `link` while it is not up (or
  // deferred by the policy), or nullptr.
  const KeyConf* cached(uint8_t link, int s) const {
    return link < kMaxMloLinks && (s == 0 || s == 1) ? PendingConf(link, s) : nullptr;
  }
  // Group keys cached for links that are not up (or deferred by the policy).
  size_t pending_keys() const {
    size_t n = 0;
    for (const Pending& p : pending_) n += p.used ? 1 : 0;
    return n;
  }

  // The slot holding key index `keyidx` on link `link`, or nullptr: the link's BSS wcid first
  // (GTK 1..3 in slot 0, IGTK 4..5 in slot 1), then its link-station's pairwise slot. No
  // search: at most two slots are looked at.
  const Slot* Find(uint8_t link, uint8_t keyidx) const {
    if (link >= kMaxMloLinks || keyidx > 7 || !links_[link].up) return nullptr;
    const Link& l = links_[link];
    const Slot& group = wcids_[kBssWcidTop - l.bss_idx].slot[keyidx >= kIgtkFirst ? 1 : 0];
    if (group.keyidx == keyidx) return &group;
    if (l.sta_wcid != kNoWcid && wcids_[l.sta_wcid].slot[0].keyidx == keyidx)
      return &wcids_[l.sta_wcid].slot[0];
    return nullptr;
  }

  // Brings MLO link `link` up with BSSID `bssid` (vif link add + BSS info) and returns its
  // bss_idx through `bss_idx` (may be null). Replays the keys cached for it into `out`.
  // Errors: kInval (link > 14 or already up, or a bad list), kNoSpc (4 BSS links, or no room
  // in `out` for the cached keys).
  Status LinkAdd(uint8_t link, const MacAddr& bssid, KeyActionList* out,
                 uint8_t* bss_idx = nullptr) {
    if (!ValidList(out) || link >= kMaxMloLinks || links_[link].up) return Status(Errno::kInval);
    uint8_t bss = 0;
    while (bss < kMaxBssLinks && BssTaken(bss)) ++bss;
    if (bss == kMaxBssLinks) return Status(Errno::kNoSpc);
    // The link comes up with no link-station, so under pairwise_before_group its cached group
    // keys stay deferred; otherwise each is one SET, after the new link's BSS cipher.
    const size_t cached = PendingCount(link);
    const size_t replayed =
        resetting_ || policy_.pairwise_before_group || cached == 0 ? 0 : cached + 1;
    if (out->room() < replayed) return Status(Errno::kNoSpc);
    Link& l = links_[link];
    l = Link{};
    l.up = true;
    l.bss_idx = bss;
    bips_[bss] = Bip{};
    Wcid& w = wcids_[kBssWcidTop - bss];
    w = Wcid{};
    w.used = true;
    w.bss = true;
    w.link = link;
    w.addr = bssid;
    if (bss_idx != nullptr) *bss_idx = bss;
    return ReplayPending(link, out);
  }

  // Tears link `link` down: frees its BSS wcid and link-station, zeroizes their keys and the
  // cache. No MCU traffic (the firmware drops the entries with the BSS/STA records).
  // Idempotent: an unknown or down link is OK.
  Status LinkRemove(uint8_t link) {
    if (link >= kMaxMloLinks) return OkStatus();
    Link& l = links_[link];
    if (l.up) {
      FreeWcid(kBssWcidTop - l.bss_idx);
      if (l.sta_wcid != kNoWcid) FreeWcid(l.sta_wcid);
      ClearBip(bips_[l.bss_idx]);
    }
    for (uint8_t i = 0; i < kMaxPendingKeys; ++i) {
      if (pending_[i].used && pending_[i].link == link) ClearPending(i);
    }
    l = Link{};
    return OkStatus();
  }

  // Adds the peer link-station of `link` (the AP's link address in STA mode) and programs
  // the MLD pairwise key on it if one is set. Errors: kNoLink (link down), kInval (link > 14
  // or it already has one, or a bad list), kNoSpc (wcids 1..13 all used, or no room in `out`).
  Status StaAdd(uint8_t link, const MacAddr& addr, KeyActionList* out) {
    if (!ValidList(out) || link >= kMaxMloLinks || links_[link].sta_wcid != kNoWcid)
      return Status(Errno::kInval);
    if (!links_[link].up) return Status(Errno::kNoLink);
    uint8_t i = kFirstPeerWcid;
    while (i <= kLastPeerWcid && wcids_[i].used) ++i;
    if (i > kLastPeerWcid) return Status(Errno::kNoSpc);
    // The BSS cipher (first key on the link), the pairwise SET, then (pairwise_before_group)
    // the group keys it releases.
    size_t actions = 0;
    if (!resetting_ && ptk_valid_) {
      actions = 1 + (links_[link].cipher == cipher3::kNone ? 1 : 0) +
                (policy_.pairwise_before_group ? PendingCount(link) : 0);
    }
    if (out->room() < actions) return Status(Errno::kNoSpc);
    Wcid& w = wcids_[i];
    w = Wcid{};
    w.used = true;
    w.link = link;
    w.addr = addr;
    links_[link].sta_wcid = i;
    if (ptk_valid_) CONNAC_RETURN_IF_ERROR(InstallPairwiseOn(link, ptk_, out));
    return ReleaseDeferred(link, out);
  }

  // Removes the link-station of `link`, zeroizing its keys. Idempotent.
  Status StaRemove(uint8_t link) {
    if (link >= kMaxMloLinks || links_[link].sta_wcid == kNoWcid) return OkStatus();
    FreeWcid(links_[link].sta_wcid);
    links_[link].sta_wcid = kNoWcid;
    return OkStatus();
  }

  // mac80211 set_key. SET errors: kOpNotSupp (cipher not offloaded, BIGTK, IGTK without the
  // link's CCMP group key), kInval (bad index, length or link id), kNoSpc (no room in `out`,
  // or the cache for links not up is full). DISABLE of a key the firmware does not hold is OK
  // with no action; a DISABLE fails only with kNoSpc (no room in `out` for its frames) or
  // kInval (a bad list). On error nothing changed and `out` is unchanged.
  Status SetKey(KeyCmd cmd, const KeyConf& k, KeyActionList* out) {
    if (!ValidList(out)) return Status(Errno::kInval);
    if (cmd == KeyCmd::kDisable) {
      const size_t actions = k.pairwise() ? DisablePairwiseCount(k.keyidx) : DisableGroupCount(k);
      if (out->room() < actions) return Status(Errno::kNoSpc);
      if (k.pairwise()) {
        DisablePairwise(k.keyidx, out);
      } else {
        DisableGroup(k, out);
      }
      return OkStatus();
    }
    CONNAC_RETURN_IF_ERROR(Validate(k));
    return k.pairwise() ? SetPairwise(k, out) : SetGroup(k, out);
  }

  // The host sent actions [0, failed) of `sent` and actions[failed] failed (pass
  // failed == sent.size when the caller gives up after all were sent). Undoes the operation:
  // every SET in `sent` is cleared from the table (zeroized), and a DISABLE is queued into
  // `rollback` for each SET that reached the firmware, and for each SET that did not but
  // replaced a key the firmware holds (a rekey in place: the old key cannot be put back, so
  // it must not stay in the firmware behind the table's back). Each such DISABLE drops its
  // wcid's keys (see DisableSlot). A failed pairwise fan-out also drops the MLD pairwise key.
  // DISABLE actions are never undone (removal cannot be refused): the ones that did not
  // reach the firmware, the failed one included, go into `rollback` again to be retried.
  // A BSS cipher that did not reach the firmware is forgotten, so the next SET sends it.
  // So `rollback` always brings the firmware back in line with the table.
  //
  // `rollback` may be `&sent`: the list is then replaced by its rollback (what a host with
  // room for one list does).
  // Errors: kInval (a bad list, `failed` > sent.size, an action naming a wcid or link the
  // table cannot hold), kNoSpc (no room in `rollback`); the table is unchanged then.
  Status AbortActions(const KeyActionList& sent, size_t failed, KeyActionList* rollback) {
    if (!sent.valid() || !ValidList(rollback) || failed > sent.size) return Status(Errno::kInval);
    const bool in_place = rollback == &sent;
    // The list is caller memory: check every action before the table changes.
    size_t disables = 0;
    for (size_t i = 0; i < sent.size; ++i) {
      const KeyAction& a = sent.items[i];
      if (a.wcid >= kWtblSize || a.link_id >= kMaxMloLinks || a.bss_idx >= kMaxBssLinks)
        return Status(Errno::kInval);
      if (a.kind == KeyActionKind::kBssCipher) continue;
      if (!a.add) {
        if (i >= failed) ++disables;  // retried
        continue;
      }
      const Slot* set = SlotSetBy(a);
      if (i < failed || (set != nullptr && set->replaced)) ++disables;
    }
    if (!in_place && rollback->room() < disables) return Status(Errno::kNoSpc);
    // In place, entry j <= i is written only after entry i was read (one entry in, at most
    // one out), so the rollback never overtakes what is left to read.
    size_t out = in_place ? 0 : rollback->size;
    const size_t n = sent.size;
    for (size_t i = 0; i < n; ++i) {
      const KeyAction a = sent.items[i];
      if (a.kind == KeyActionKind::kBssCipher) {
        Link& l = links_[a.link_id];
        if (i >= failed && l.up && l.cipher == a.cipher_id) l.cipher = cipher3::kNone;
        continue;
      }
      if (!a.add) {
        if (i >= failed) rollback->items[out++] = a;
        continue;
      }
      Wcid& w = wcids_[a.wcid];
      const int s = a.cipher_id == cipher3::kBipCmac128 ? 1 : 0;
      // A SET that never reached the firmware but replaced a key there (a rekey in place):
      // the old key's bytes are gone from the table, so it leaves the firmware too.
      bool old_in_firmware = false;
      if (SlotSetBy(a) != nullptr) {
        old_in_firmware = w.slot[s].replaced;
        ClearSlot(w.slot[s]);
      }
      if (a.pairwise && ptk_valid_ && ptk_.keyidx == a.key_id) ClearPtk();
      if (!a.pairwise && s == 0 && a.cipher_id == cipher3::kCcmp) {
        Bip& b = bips_[a.bss_idx];
        if (b.keyidx == a.key_id) ClearBip(b);
      }
      if (i < failed || old_in_firmware) {
        // The DISABLE that undoes this SET drops every key of the wcid (see DisableSlot).
        if (w.used) ClearWcidKeys(w);
        rollback->items[out++] = DisableAction(a);
      }
    }
    if (in_place) {
      // What is left of the sent list holds key copies: wipe it.
      ZeroizeBytes(reinterpret_cast<uint8_t*>(rollback->items + out),
                   (KeyActionList::kCapacity - out) * sizeof(KeyAction));
    }
    rollback->size = out;
    return OkStatus();
  }

  // Forgets every key and link, zeroizing them: the device is gone for good (WEDGED) and
  // mac80211 is told to drop the association, or the driver is unbinding.
  void Clear() {
    for (uint8_t w = 0; w < kWtblSize; ++w) FreeWcid(w);
    for (Link& l : links_) l = Link{};
    for (Bip& b : bips_) ClearBip(b);
    for (uint8_t i = 0; i < kMaxPendingKeys; ++i) ClearPending(i);
    ClearPtk();
    resetting_ = false;
  }

  // The firmware lost every key (reset/reload started). Until ReplayAfterReset() operations
  // update the table but emit no actions.
  void BeginReset() {
    resetting_ = true;
    for (Wcid& w : wcids_) {
      if (!w.used) continue;
      for (Slot& s : w.slot) s.replay = s.keyidx != kNoKey;
    }
  }

  // Emits a SET for every key that must be back in the firmware, pairwise first, then group
  // keys, then IGTKs (so each IGTK follows its link's CCMP key), links in ascending order; and
  // ends reset mode. Keys removed or links torn down during the reset are gone from the table
  // and so not replayed; nor is an IGTK whose link no longer has its CCMP key (it is dropped,
  // as its record cannot be rebuilt). A second call emits nothing. No BSS cipher is emitted:
  // the restored BSS_INFO carries each link's cipher (Link::cipher).
  // Errors: kInval (a bad list), kNoSpc (no room in `out` for the whole replay: nothing was
  // emitted and the table is still in reset mode).
  Status ReplayAfterReset(KeyActionList* out) {
    if (!ValidList(out)) return Status(Errno::kInval);
    if (out->room() < ReplayCount()) return Status(Errno::kNoSpc);
    resetting_ = false;
    // Pass 0: pairwise; pass 1: group (slot 0 of BSS wcids); pass 2: IGTK (slot 1).
    for (int pass = 0; pass < 3; ++pass) {
      for (uint8_t link = 0; link < kMaxMloLinks; ++link) {
        const Link& l = links_[link];
        if (!l.up) continue;
        const uint8_t wi = pass == 0 ? l.sta_wcid : static_cast<uint8_t>(kBssWcidTop - l.bss_idx);
        if (wi == kNoWcid) continue;
        Slot& s = wcids_[wi].slot[pass == 2 ? 1 : 0];
        if (!s.replay) continue;
        s.replay = false;
        if (pass == 2 && bips_[l.bss_idx].keyidx == kNoKey) {
          // The IGTK record carries the link's CCMP key, which was removed since the IGTK
          // went in: the record cannot be rebuilt (key_id 0xff, zero CCMP half), so the IGTK
          // is dropped. mac80211's later DISABLE of it is a no-op.
          ClearSlot(s);
          continue;
        }
        CONNAC_RETURN_IF_ERROR(out->Push(SetAction(wi, pass == 2 ? 1 : 0)));
      }
    }
    // Slots whose link went away were freed; anything still flagged is unreachable.
    for (Wcid& w : wcids_) {
      for (Slot& s : w.slot) s.replay = false;
    }
    return OkStatus();
  }

 private:
  struct Pending {
    bool used = false;
    uint8_t link = 0;
    uint8_t slot = 0;
    KeyConf conf;
  };

  static constexpr uint8_t kGtkFirst = 1, kGtkLast = 3, kIgtkFirst = 4, kIgtkLast = 5;
  static constexpr uint8_t kNoPending = 0xff;

  static bool ValidList(const KeyActionList* l) { return l != nullptr && l->valid(); }

  // The slot holding what SET action `a` installed, or nullptr (since removed or replaced).
  // The IGTK record's key_id is the CCMP key's index, so slot 1 matches by presence.
  // REQUIRES: a.wcid < kWtblSize.
  const Slot* SlotSetBy(const KeyAction& a) const {
    const Wcid& w = wcids_[a.wcid];
    const int s = a.cipher_id == cipher3::kBipCmac128 ? 1 : 0;
    if (!w.used || w.slot[s].keyidx == kNoKey) return nullptr;
    if (s == 0 && w.slot[0].keyidx != a.key_id) return nullptr;
    return &w.slot[s];
  }

  // --- the cache of group keys for links not up yet (a pool shared by all links).
  uint8_t FindPending(uint8_t link, int s) const {
    for (uint8_t i = 0; i < kMaxPendingKeys; ++i) {
      if (pending_[i].used && pending_[i].link == link && pending_[i].slot == s) return i;
    }
    return kNoPending;
  }
  size_t PendingCount(uint8_t link) const {
    return (FindPending(link, 0) != kNoPending ? 1u : 0u) +
           (FindPending(link, 1) != kNoPending ? 1u : 0u);
  }
  const KeyConf* PendingConf(uint8_t link, int s) const {
    const uint8_t i = FindPending(link, s);
    return i == kNoPending ? nullptr : &pending_[i].conf;
  }
  void ClearPending(uint8_t i) {
    ZeroizeBytes(pending_[i].conf.key, sizeof(pending_[i].conf.key));
    pending_[i] = Pending{};
  }
  // The entry for (link, s): the existing one, or a free one; kNoPending when the pool is full.
  uint8_t PendingSlotFor(uint8_t link, int s) const {
    const uint8_t i = FindPending(link, s);
    if (i != kNoPending) return i;
    for (uint8_t j = 0; j < kMaxPendingKeys; ++j) {
      if (!pending_[j].used) return j;
    }
    return kNoPending;
  }

  // The SETs ReplayAfterReset() would emit now (it mirrors that loop without changing).
  size_t ReplayCount() const {
    size_t n = 0;
    for (const Link& l : links_) {
      if (!l.up) continue;
      const Wcid& bss = wcids_[kBssWcidTop - l.bss_idx];
      if (l.sta_wcid != kNoWcid && wcids_[l.sta_wcid].slot[0].replay) ++n;
      if (bss.slot[0].replay) ++n;
      if (bss.slot[1].replay && bips_[l.bss_idx].keyidx != kNoKey) ++n;
    }
    return n;
  }

  // True when the slot holds `keyidx` and its DISABLE goes to the firmware (see DisableSlot).
  bool DisableSends(uint8_t wi, int s, uint8_t keyidx) const {
    const Slot& sl = wcids_[wi].slot[s];
    return sl.keyidx != kNoKey && sl.keyidx == keyidx && !resetting_ && !sl.replay;
  }

  size_t DisableGroupCount(const KeyConf& k) const {
    if (k.link_id < 0 || k.link_id >= static_cast<int8_t>(kMaxMloLinks)) return 0;
    const Link& l = links_[k.link_id];
    if (!l.up) return 0;
    const int s = k.keyidx >= kIgtkFirst ? 1 : 0;
    return DisableSends(static_cast<uint8_t>(kBssWcidTop - l.bss_idx), s, k.keyidx) ? 1 : 0;
  }

  size_t DisablePairwiseCount(uint8_t keyidx) const {
    size_t n = 0;
    for (const Link& l : links_) {
      if (l.up && l.sta_wcid != kNoWcid && DisableSends(l.sta_wcid, 0, keyidx)) ++n;
    }
    return n;
  }

  static Status Validate(const KeyConf& k) {
    const CipherInfo* c = FindCipher(k.cipher);
    if (c == nullptr || !c->offload) return Status(Errno::kOpNotSupp);
    if (k.key_len != c->key_len) return Status(Errno::kInval);
    if (k.keyidx >= 6 && k.keyidx <= 7)
      return Status(Errno::kOpNotSupp);  // BIGTK: no beacon protection
    const bool igtk = k.cipher == suite::kAesCmac;
    if (k.pairwise()) {
      if (igtk || k.keyidx > 1) return Status(Errno::kInval);
      return OkStatus();
    }
    if (k.link_id >= static_cast<int8_t>(kMaxMloLinks)) return Status(Errno::kInval);
    if (igtk ? (k.keyidx < kIgtkFirst || k.keyidx > kIgtkLast)
             : (k.keyidx < kGtkFirst || k.keyidx > kGtkLast)) {
      return Status(Errno::kInval);
    }
    return OkStatus();
  }

  bool BssTaken(uint8_t bss) const {
    for (const Link& l : links_) {
      if (l.up && l.bss_idx == bss) return true;
    }
    return false;
  }

  static void ClearSlot(Slot& s) {
    ZeroizeBytes(s.key, sizeof(s.key));
    s = Slot{};
  }
  // Both key slots of a wcid; a pending replay of either is dropped with it.
  static void ClearWcidKeys(Wcid& w) {
    ClearSlot(w.slot[0]);
    ClearSlot(w.slot[1]);
  }
  static void ClearBip(Bip& b) {
    ZeroizeBytes(b.key, sizeof(b.key));
    b.keyidx = kNoKey;
  }
  void ClearPtk() {
    ZeroizeBytes(ptk_.key, sizeof(ptk_.key));
    ptk_ = KeyConf{};
    ptk_valid_ = false;
  }
  void FreeWcid(uint8_t i) {
    ClearWcidKeys(wcids_[i]);
    wcids_[i] = Wcid{};
  }

  // Action for the key now in wcid `wi`, slot `s`.
  KeyAction SetAction(uint8_t wi, int s) const {
    const Wcid& w = wcids_[wi];
    KeyAction a = BaseAction(wi);
    a.add = true;
    const Slot& sl = w.slot[s];
    if (s == 1) {
      // IGTK record (mt7925_mcu_sta_key_tlv): key_id is the CCMP key's index, 32 bytes = the
      // link's CCMP key, then the IGTK.
      const Bip& b = bips_[a.bss_idx];
      a.cipher_id = cipher3::kBipCmac128;
      a.key_id = b.keyidx;
      a.key_len = 32;
      CopyBytes(a.key, b.key, 16);
      CopyBytes(a.key + 16, sl.key, 16);
      return a;
    }
    a.cipher_id = sl.cipher;
    a.key_id = sl.keyidx;
    a.key_len = sl.key_len;
    CopyBytes(a.key, sl.key, sl.key_len);
    if (sl.cipher == cipher3::kTkip) {
      // "Rx/Tx MIC keys are swapped": bytes 16..23 and 24..31 trade places.
      CopyBytes(a.key + 16, sl.key + 24, 8);
      CopyBytes(a.key + 24, sl.key + 16, 8);
    }
    return a;
  }

  KeyAction BaseAction(uint8_t wi) const {
    const Wcid& w = wcids_[wi];
    KeyAction a;
    a.link_id = w.link;
    a.wcid = wi;
    a.bss_idx = links_[w.link].bss_idx;
    a.pairwise = !w.bss;
    // Pairwise: the link-station exists, muar = omac_idx, 0 on an MLD vif. Group: the BSS
    // wcid has no station, so __mt76_connac_mcu_alloc_sta_req uses 0x0e.
    a.muar_idx = w.bss ? kMuarNoStation : 0;
    a.peer = w.addr;
    return a;
  }

  static KeyAction DisableAction(const KeyAction& set) {
    KeyAction a = set;
    a.add = false;
    a.cipher_id = 0;
    a.key_id = 0;
    a.key_len = 0;
    ZeroizeBytes(a.key, sizeof(a.key));
    return a;
  }

  // Actions a SET on `link` needs beyond its key frame: the BSS cipher if it is the link's
  // first key (and the firmware is being talked to).
  size_t CipherActions(uint8_t link) const {
    return !resetting_ && links_[link].cipher == cipher3::kNone ? 1 : 0;
  }

  // mt7925_set_link_key: the first SET on a link stores the cipher and re-sends the link's
  // BSS info with it. During a reset nothing is sent: the restored BSS info carries it.
  Status EnsureBssCipher(uint8_t link, uint32_t suite_sel, KeyActionList* out) {
    Link& l = links_[link];
    if (l.cipher != cipher3::kNone) return OkStatus();
    l.cipher = FindCipher(suite_sel)->connac3;
    if (resetting_) return OkStatus();
    KeyAction a;
    a.kind = KeyActionKind::kBssCipher;
    a.link_id = link;
    a.wcid = static_cast<uint8_t>(kBssWcidTop - l.bss_idx);
    a.bss_idx = l.bss_idx;
    a.cipher_id = l.cipher;
    a.peer = wcids_[a.wcid].addr;
    return out->Push(a);
  }

  // Stores `k` in wcid `wi` slot `s` and queues its SET (or marks it for replay).
  Status Install(uint8_t wi, int s, const KeyConf& k, KeyActionList* out) {
    Slot& sl = wcids_[wi].slot[s];
    const bool replaces = sl.keyidx != kNoKey && !sl.replay && !resetting_;
    ClearSlot(sl);
    sl.replaced = replaces;
    sl.keyidx = k.keyidx;
    sl.cipher = FindCipher(k.cipher)->connac3;
    sl.key_len = k.key_len;
    CopyBytes(sl.key, k.key, k.key_len);
    if (resetting_) {
      sl.replay = true;
      return OkStatus();
    }
    return out->Push(SetAction(wi, s));
  }

  Status SetGroup(const KeyConf& k, KeyActionList* out) {
    const uint8_t link = static_cast<uint8_t>(k.link_id);
    Link& l = links_[link];
    const int s = k.cipher == suite::kAesCmac ? 1 : 0;
    const bool defer = !l.up || (policy_.pairwise_before_group && !PairwiseOn(link));
    if (s == 1) {
      // The IGTK record carries the link's CCMP group key: check the key it will be paired
      // with (installed, or the cached one when deferred).
      const KeyConf* cached = PendingConf(link, 0);
      const bool ccmp = defer && cached != nullptr ? cached->cipher == suite::kCcmp
                        : l.up                     ? bips_[l.bss_idx].keyidx != kNoKey
                                                   : false;
      if (!ccmp) return Status(Errno::kOpNotSupp);
    }
    if (defer) {
      const uint8_t i = PendingSlotFor(link, s);
      if (i == kNoPending) return Status(Errno::kNoSpc);
      ClearPending(i);
      pending_[i].used = true;
      pending_[i].link = link;
      pending_[i].slot = static_cast<uint8_t>(s);
      pending_[i].conf = k;
      return OkStatus();
    }
    if (!resetting_ && out->room() < 1 + CipherActions(link)) return Status(Errno::kNoSpc);
    CONNAC_RETURN_IF_ERROR(EnsureBssCipher(link, k.cipher, out));
    if (k.cipher == suite::kCcmp) {
      Bip& b = bips_[l.bss_idx];
      ClearBip(b);
      b.keyidx = k.keyidx;
      CopyBytes(b.key, k.key, 16);
    }
    return Install(static_cast<uint8_t>(kBssWcidTop - l.bss_idx), s, k, out);
  }

  bool PairwiseOn(uint8_t link) const {
    const Link& l = links_[link];
    return l.sta_wcid != kNoWcid && wcids_[l.sta_wcid].slot[0].keyidx != kNoKey;
  }

  Status InstallPairwiseOn(uint8_t link, const KeyConf& k, KeyActionList* out) {
    CONNAC_RETURN_IF_ERROR(EnsureBssCipher(link, k.cipher, out));
    return Install(links_[link].sta_wcid, 0, k, out);
  }

  Status SetPairwise(const KeyConf& k, KeyActionList* out) {
    // Room for every action, so a full list fails before anything changed: per link-station
    // its BSS cipher (first key on the link), its SET, and the group keys it releases under
    // pairwise_before_group.
    size_t targets = 0;
    for (uint8_t link = 0; link < kMaxMloLinks; ++link) {
      const Link& l = links_[link];
      if (!l.up || l.sta_wcid == kNoWcid) continue;
      targets += 1 + CipherActions(link);
      if (policy_.pairwise_before_group) targets += PendingCount(link);
    }
    if (!resetting_ && out->room() < targets) return Status(Errno::kNoSpc);
    ClearPtk();
    ptk_ = k;
    ptk_valid_ = true;
    for (uint8_t link = 0; link < kMaxMloLinks; ++link) {
      const Link& l = links_[link];
      if (!l.up || l.sta_wcid == kNoWcid) continue;
      CONNAC_RETURN_IF_ERROR(InstallPairwiseOn(link, k, out));
      CONNAC_RETURN_IF_ERROR(ReleaseDeferred(link, out));
    }
    return OkStatus();
  }

  // Group keys held back by pairwise_before_group, once the link's pairwise key is in.
  Status ReleaseDeferred(uint8_t link, KeyActionList* out) {
    if (!policy_.pairwise_before_group || !PairwiseOn(link)) return OkStatus();
    return ReplayPending(link, out);
  }

  // Replays the link's cached group keys: GTK (slot 0) before IGTK (slot 1).
  Status ReplayPending(uint8_t link, KeyActionList* out) {
    for (int s = 0; s < 2; ++s) {
      const uint8_t i = FindPending(link, s);
      if (i == kNoPending) continue;
      KeyConf k = pending_[i].conf;
      ClearPending(i);
      Status st = SetGroup(k, out);
      ZeroizeBytes(k.key, sizeof(k.key));
      // An IGTK whose GTK turned out not to be CCMP stays in software; nothing to send.
      if (!st.ok() && st.err() != Errno::kOpNotSupp) return st;
    }
    return OkStatus();
  }

  void DisableGroup(const KeyConf& k, KeyActionList* out) {
    if (k.link_id < 0 || k.link_id >= static_cast<int8_t>(kMaxMloLinks)) return;
    const uint8_t link = static_cast<uint8_t>(k.link_id);
    Link& l = links_[link];
    // The slot follows from the index (IGTK 4..5 live in hw_key_idx2), so a removal needs no
    // cipher: mac80211's key is already half torn down in the #1036 case.
    const int s = k.keyidx >= kIgtkFirst ? 1 : 0;
    // A cached SET of this index is cancelled, whether the link is down or deferred.
    const uint8_t p = FindPending(link, s);
    if (p != kNoPending && pending_[p].conf.keyidx == k.keyidx) ClearPending(p);
    if (!l.up) return;  // #1036: the link is already torn down: success, no traffic.
    Bip& b = bips_[l.bss_idx];
    if (s == 0 && b.keyidx == k.keyidx) ClearBip(b);
    const uint8_t wi = static_cast<uint8_t>(kBssWcidTop - l.bss_idx);
    DisableSlot(wi, s, k.keyidx, out);
  }

  void DisablePairwise(uint8_t keyidx, KeyActionList* out) {
    if (ptk_valid_ && ptk_.keyidx == keyidx) ClearPtk();
    for (uint8_t link = 0; link < kMaxMloLinks; ++link) {
      const Link& l = links_[link];
      if (l.up && l.sta_wcid != kNoWcid) DisableSlot(l.sta_wcid, 0, keyidx, out);
    }
  }

  // Clears the slot only if it holds `keyidx` (GTK rekey: the old index must not clear the
  // replacement), and queues the DISABLE unless the firmware is being reset.
  //
  // A DISABLE frame names a wcid but no slot (mt7925_mcu_sta_key_tlv leaves cipher, key_id
  // and key zero), so the firmware cannot tell the GTK's from the IGTK's: it drops the
  // wcid's keys, and the table drops both slots with it (ClearWcidKeys). mac80211 disables
  // a matching index only at teardown, where both go anyway.
  void DisableSlot(uint8_t wi, int s, uint8_t keyidx, KeyActionList* out) {
    Slot& sl = wcids_[wi].slot[s];
    if (sl.keyidx == kNoKey || sl.keyidx != keyidx) return;
    const bool was_replay = sl.replay;
    ClearSlot(sl);
    if (resetting_ || was_replay) return;
    ClearWcidKeys(wcids_[wi]);
    KeyAction a = BaseAction(wi);
    a.add = false;
    // SetKey() made room for every DISABLE this operation sends (DisableSends()).
    static_cast<void>(CONNAC_CORE_CHECK(out->Push(a).ok()));
  }

  Wcid wcids_[kWtblSize];
  Link links_[kMaxMloLinks];
  Bip bips_[kMaxBssLinks];
  Pending pending_[kMaxPendingKeys];
  KeyConf ptk_;  // the MLD pairwise key, programmed on every link-station
  bool ptk_valid_ = false;
  bool resetting_ = false;
  KeyPolicy policy_;
};

}  // namespace connac

#endif  // CONNAC_KEYS_H_
