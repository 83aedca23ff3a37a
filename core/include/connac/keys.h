// File: connac/keys.h
//
// Key slots per MLO link for mt7925: the mac80211 set_key contract, made correct across
// roams, link churn and firmware resets, with no heap.
//
// KeyTable mirrors what the driver keeps (mt7925/main.c `mt7925_set_key`,
// `mt7925_set_link_key`; mt792x.h WTBL layout) and returns the STA_REC_UPDATE commands to
// send as KeyActions; nothing is sent here (sans-I/O). It fixes what #1036 showed:
//
//   - DISABLE of a key that is not in the firmware succeeds with no MCU traffic: a torn-down
//     or unknown link, or an index that no longer matches the slot (GTK rekey). A DISABLE
//     fails only when the caller's action list has no room for its frames (kNoSpc), and
//     then, like every failed operation, it changed nothing.
//   - Every operation checks that its actions fit the caller's list before it changes the
//     table: an error leaves the table and the list as they were.
//   - Group keys for a link that is not up yet are cached (ath12k pattern): the latest SET per
//     slot wins, a DISABLE of the same index cancels it, and LinkAdd() replays GTK then IGTK.
//   - Pairwise keys (link_id -1) fan out to every link that has a link-station; a key set
//     before any link-station exists is kept and programmed by StaAdd(). If the host fails to
//     send one of the fan-out commands, AbortActions() rolls the others back (all or nothing).
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
// with bss_idx 0..3 (MT792x_MAX_INTERFACES); peer link-stations get the first free wcid in
// 0..13. Each wcid has two key slots: hw_key_idx (PTK or GTK) and hw_key_idx2 (IGTK).
//
// Example:
//
//   connac::KeyTable keys;
//   connac::KeyActionList acts;
//   CONNAC_RETURN_IF_ERROR(keys.LinkAdd(0, bssid, &acts));
//   CONNAC_RETURN_IF_ERROR(keys.SetKey(connac::KeyCmd::kSet, gtk, &acts));
//   for (size_t i = 0; i < acts.size; ++i) {
//     auto f = connac::EncodeKeyAction(connac::kMt7925, acts.items[i], seq, buf);
//     ... send; on failure: keys.AbortActions(acts, i, &rollback) ...
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

inline constexpr uint8_t kMaxMloLinks = 15;  // IEEE80211_MLD_MAX_NUM_LINKS
inline constexpr uint8_t kWtblSize = 20;     // MT792x_WTBL_SIZE
inline constexpr uint8_t kMaxBssLinks = 4;   // MT792x_MAX_INTERFACES
inline constexpr uint8_t kPeerWcids = 14;    // wcid 0..13 (mt76_wcid_alloc below WTBL_STA - 1)
inline constexpr uint8_t kBssWcidTop = 19;   // MT792x_WTBL_RESERVED: BSS wcid = 19 - bss_idx
inline constexpr uint8_t kNoKey = 0xff;
inline constexpr uint8_t kMaxKeyLen = 32;
inline constexpr uint8_t kStaRecKeyV3Tag = 0x27;
inline constexpr size_t kStaReqHdrSize = 8;
inline constexpr size_t kStaRecKeyV3Size = 68;  // incl. the 4-byte TLV header
inline constexpr size_t kKeyFrameSize = kUniHeaderSize + kStaReqHdrSize + kStaRecKeyV3Size;  // 124
inline constexpr uint8_t kMuarNoStation =
    0x0e;  // sta_req_hdr.muar_idx for a wcid without a station

struct MacAddr {
  uint8_t b[6] = {};
  friend constexpr bool operator==(const MacAddr& x, const MacAddr& y) {
    for (int i = 0; i < 6; ++i) {
      if (x.b[i] != y.b[i]) return false;
    }
    return true;
  }
};

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

// One STA_REC_UPDATE command carrying one STA_REC_KEY_V3 TLV.
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
  MacAddr peer;  // pairwise: link-station address; group: link BSSID
  uint8_t key[kMaxKeyLen] = {};
};

// Fixed-capacity list of actions. Holds key copies: call Wipe() once they are encoded.
//
// The list is caller memory (in the kernel, a C driver's struct): `size` is untrusted and
// every KeyTable operation refuses a list whose size exceeds the capacity (kInval).
struct KeyActionList {
  // At most 4 links are up, each with one link-station: a reset replay is at most 4 pairwise
  // + 4 GTK + 4 IGTK, and so is one operation with its deferred releases.
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

// Encodes `a` as the UNI STA_REC_UPDATE frame mt7925 sends (mt7925_mcu_add_key,
// mt7925_mcu_sta_key_tlv): 48-byte header, 8-byte sta_req_hdr, 68-byte STA_REC_KEY_V3.
// `out` needs kKeyFrameSize bytes. Returns the frame (a view into `out`).
inline Result<ConstBytes> EncodeKeyAction(const Profile& p, const KeyAction& a, uint8_t seq,
                                          MutableBytes out) {
  Result<FrameBuilder> b = FrameBuilder::Start(p, CmdWord::Uni(uni::kStaRecUpdate), out);
  if (!b.ok()) return b.status();
  FrameBuilder fb = *b;
  // sta_req_hdr: bss_idx, wlan_idx_lo, tlv_num (le16, kept by the builder), is_tlv_append,
  // muar_idx, wlan_idx_hi (wcid bits 10:8: always 0 in a 20-entry table), rsv.
  const uint8_t hdr[kStaReqHdrSize] = {a.bss_idx, a.wcid, 0, 0, 1, a.muar_idx, 0, 0};
  CONNAC_RETURN_IF_ERROR(fb.SetFixedHeader(ConstBytes(hdr), /*count_offset=*/2));
  Result<MutableBytes> t =
      fb.AddTlv(kStaRecKeyV3Tag, kStaRecKeyV3Size - PayloadWriter::kTlvHeaderSize);
  if (!t.ok()) return t.status();
  const MutableBytes s = *t;  // Offsets below are relative to the TLV body (TLV offset - 4).
  s.put_u8(0, a.add ? 1 : 0);
  s.put_u8(1, a.pairwise ? 1 : 0);  // tx_key
  s.put_u8(2, a.pairwise ? 1 : 0);  // key_type
  s.put_u8(3, 0);                   // is_authenticator
  CopyBytes(s.data() + 4, a.peer.b, 6);
  s.put_u8(10, a.bss_idx);
  s.put_u8(11, a.cipher_id);
  s.put_u8(12, a.key_id);
  s.put_u8(13, a.key_len);
  s.put_u8(14, a.wcid);  // wlan_idx (low byte)
  s.put_u8(15, 1);       // mgmt_prot: always 1 ("only used in MLO mode")
  if (a.add) CopyBytes(s.data() + 16, a.key, a.key_len <= kMaxKeyLen ? a.key_len : kMaxKeyLen);
  // key_rsc (16 bytes at body offset 48) stays zero, as in the driver.
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
// - Each up link has at most one link-station wcid in 0..13.
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
    uint8_t sta_wcid = kNoKey;  // kNoKey: no link-station yet
    uint8_t bip_keyidx =
        kNoKey;  // the link's last CCMP group key (mlink->bip), for the IGTK record
    uint8_t bip_key[16] = {};
    bool pending[2] = {};  // cached group SET per slot while down (or deferred by policy)
    KeyConf pending_conf[2];
  };

  constexpr KeyTable() = default;
  constexpr explicit KeyTable(KeyPolicy policy) : policy_(policy) {}

  const Wcid& wcid(uint8_t i) const { return wcids_[i]; }
  const Link& link(uint8_t i) const { return links_[i]; }
  bool resetting() const { return resetting_; }
  bool has_pairwise() const { return ptk_valid_; }

  // The slot holding key index `keyidx` on link `link`, or nullptr: the link's BSS wcid first
  // (GTK 1..3 in slot 0, IGTK 4..5 in slot 1), then its link-station's pairwise slot. No
  // search: at most two slots are looked at.
  const Slot* Find(uint8_t link, uint8_t keyidx) const {
    if (link >= kMaxMloLinks || keyidx > 7 || !links_[link].up) return nullptr;
    const Link& l = links_[link];
    const Slot& group = wcids_[kBssWcidTop - l.bss_idx].slot[keyidx >= kIgtkFirst ? 1 : 0];
    if (group.keyidx == keyidx) return &group;
    if (l.sta_wcid != kNoKey && wcids_[l.sta_wcid].slot[0].keyidx == keyidx)
      return &wcids_[l.sta_wcid].slot[0];
    return nullptr;
  }

  // Brings MLO link `link` up with BSSID `bssid` (vif link add + BSS info). Replays the keys
  // cached for it into `out`. Errors: kInval (link > 14 or already up, or a bad list),
  // kNoSpc (4 BSS links, or no room in `out` for the cached keys).
  Status LinkAdd(uint8_t link, const MacAddr& bssid, KeyActionList* out) {
    if (!ValidList(out) || link >= kMaxMloLinks || links_[link].up) return Status(Errno::kInval);
    uint8_t bss = 0;
    while (bss < kMaxBssLinks && BssTaken(bss)) ++bss;
    if (bss == kMaxBssLinks) return Status(Errno::kNoSpc);
    // The link comes up with no link-station, so under pairwise_before_group its cached group
    // keys stay deferred; otherwise each one is (at most) one SET.
    const Link& cached = links_[link];
    const size_t replayed = resetting_ || policy_.pairwise_before_group ? 0 : PendingCount(cached);
    if (out->room() < replayed) return Status(Errno::kNoSpc);
    Link& l = links_[link];
    l.up = true;
    l.bss_idx = bss;
    l.sta_wcid = kNoKey;
    Wcid& w = wcids_[kBssWcidTop - bss];
    w = Wcid{};
    w.used = true;
    w.bss = true;
    w.link = link;
    w.addr = bssid;
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
      if (l.sta_wcid != kNoKey) FreeWcid(l.sta_wcid);
    }
    ClearLink(l);
    return OkStatus();
  }

  // Adds the peer link-station of `link` (the AP's link address in STA mode) and programs
  // the MLD pairwise key on it if one is set. Errors: kNoLink (link down), kInval (link > 14
  // or it already has one, or a bad list), kNoSpc (wcids 0..13 all used, or no room in `out`).
  Status StaAdd(uint8_t link, const MacAddr& addr, KeyActionList* out) {
    if (!ValidList(out) || link >= kMaxMloLinks || links_[link].sta_wcid != kNoKey)
      return Status(Errno::kInval);
    if (!links_[link].up) return Status(Errno::kNoLink);
    uint8_t i = 0;
    while (i < kPeerWcids && wcids_[i].used) ++i;
    if (i == kPeerWcids) return Status(Errno::kNoSpc);
    // The pairwise SET, then (pairwise_before_group) the group keys it releases.
    size_t actions = 0;
    if (!resetting_ && ptk_valid_) {
      actions = 1 + (policy_.pairwise_before_group ? PendingCount(links_[link]) : 0);
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
    if (link >= kMaxMloLinks || links_[link].sta_wcid == kNoKey) return OkStatus();
    FreeWcid(links_[link].sta_wcid);
    links_[link].sta_wcid = kNoKey;
    return OkStatus();
  }

  // mac80211 set_key. SET errors: kOpNotSupp (cipher not offloaded, BIGTK, IGTK without the
  // link's CCMP group key), kInval (bad index, length or link id), kNoSpc (no room in `out`).
  // DISABLE of a key the firmware does not hold is OK with no action; a DISABLE fails only
  // with kNoSpc (no room in `out` for its frames) or kInval (a bad list).
  // On error nothing changed and `out` is unchanged.
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
  // So `rollback` always brings the firmware back in line with the table.
  // Errors: kInval (a bad list, `failed` > sent.size, an action naming a wcid or link the
  // table cannot hold), kNoSpc (no room in `rollback`); the table is unchanged then.
  Status AbortActions(const KeyActionList& sent, size_t failed, KeyActionList* rollback) {
    if (!sent.valid() || !ValidList(rollback) || failed > sent.size) return Status(Errno::kInval);
    // The list is caller memory: check every action before the table changes.
    size_t disables = 0;
    for (size_t i = 0; i < sent.size; ++i) {
      const KeyAction& a = sent.items[i];
      if (a.wcid >= kWtblSize || a.link_id >= kMaxMloLinks) return Status(Errno::kInval);
      if (!a.add) {
        if (i >= failed) ++disables;  // retried
        continue;
      }
      const Slot* set = SlotSetBy(a);
      if (i < failed || (set != nullptr && set->replaced)) ++disables;
    }
    if (rollback->room() < disables) return Status(Errno::kNoSpc);
    for (size_t i = 0; i < sent.size; ++i) {
      const KeyAction& a = sent.items[i];
      if (!a.add) {
        if (i >= failed) CONNAC_RETURN_IF_ERROR(rollback->Push(a));
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
        Link& l = links_[a.link_id];
        if (l.bip_keyidx == a.key_id) ClearBip(l);
      }
      if (i < failed || old_in_firmware) {
        // The DISABLE that undoes this SET drops every key of the wcid (see DisableSlot).
        if (w.used) ClearWcidKeys(w);
        CONNAC_RETURN_IF_ERROR(rollback->Push(DisableAction(a)));
      }
    }
    return OkStatus();
  }

  // Forgets every key and link, zeroizing them: the device is gone for good (WEDGED) and
  // mac80211 is told to drop the association, or the driver is unbinding.
  void Clear() {
    for (Wcid& w : wcids_) {
      ClearSlot(w.slot[0]);
      ClearSlot(w.slot[1]);
      w = Wcid{};
    }
    for (Link& l : links_) ClearLink(l);
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
  // as its record cannot be rebuilt). A second call emits nothing.
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
        if (wi == kNoKey) continue;
        Slot& s = wcids_[wi].slot[pass == 2 ? 1 : 0];
        if (!s.replay) continue;
        s.replay = false;
        if (pass == 2 && l.bip_keyidx == kNoKey) {
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
  static constexpr uint8_t kGtkFirst = 1, kGtkLast = 3, kIgtkFirst = 4, kIgtkLast = 5;

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

  static size_t PendingCount(const Link& l) {
    return (l.pending[0] ? 1u : 0u) + (l.pending[1] ? 1u : 0u);
  }

  // The SETs ReplayAfterReset() would emit now (it mirrors that loop without changing).
  size_t ReplayCount() const {
    size_t n = 0;
    for (const Link& l : links_) {
      if (!l.up) continue;
      const Wcid& bss = wcids_[kBssWcidTop - l.bss_idx];
      if (l.sta_wcid != kNoKey && wcids_[l.sta_wcid].slot[0].replay) ++n;
      if (bss.slot[0].replay) ++n;
      if (bss.slot[1].replay && l.bip_keyidx != kNoKey) ++n;
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
      if (l.up && l.sta_wcid != kNoKey && DisableSends(l.sta_wcid, 0, keyidx)) ++n;
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
  static void ClearBip(Link& l) {
    ZeroizeBytes(l.bip_key, sizeof(l.bip_key));
    l.bip_keyidx = kNoKey;
  }
  static void ClearPending(Link& l, int s) {
    ZeroizeBytes(l.pending_conf[s].key, sizeof(l.pending_conf[s].key));
    l.pending_conf[s] = KeyConf{};
    l.pending[s] = false;
  }
  static void ClearLink(Link& l) {
    ClearBip(l);
    ClearPending(l, 0);
    ClearPending(l, 1);
    l = Link{};
  }
  void ClearPtk() {
    ZeroizeBytes(ptk_.key, sizeof(ptk_.key));
    ptk_ = KeyConf{};
    ptk_valid_ = false;
  }
  void FreeWcid(uint8_t i) {
    ClearSlot(wcids_[i].slot[0]);
    ClearSlot(wcids_[i].slot[1]);
    wcids_[i] = Wcid{};
  }

  // Action for the key now in wcid `wi`, slot `s`.
  KeyAction SetAction(uint8_t wi, int s) const {
    const Wcid& w = wcids_[wi];
    const Link& l = links_[w.link];
    KeyAction a = BaseAction(wi);
    a.add = true;
    const Slot& sl = w.slot[s];
    if (s == 1) {
      // IGTK record (mt7925_mcu_sta_key_tlv): key_id is the CCMP key's index, 32 bytes = the
      // link's CCMP key, then the IGTK.
      a.cipher_id = cipher3::kBipCmac128;
      a.key_id = l.bip_keyidx;
      a.key_len = 32;
      CopyBytes(a.key, l.bip_key, 16);
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
      const bool ccmp =
          defer ? (l.pending[0] ? l.pending_conf[0].cipher == suite::kCcmp : l.bip_keyidx != kNoKey)
                : l.bip_keyidx != kNoKey;
      if (!ccmp) return Status(Errno::kOpNotSupp);
    }
    if (defer) {
      ClearPending(l, s);
      l.pending[s] = true;
      l.pending_conf[s] = k;
      return OkStatus();
    }
    const uint8_t wi = static_cast<uint8_t>(kBssWcidTop - l.bss_idx);
    if (!resetting_ && out->room() < 1) return Status(Errno::kNoSpc);
    if (k.cipher == suite::kCcmp) {
      ClearBip(l);
      l.bip_keyidx = k.keyidx;
      CopyBytes(l.bip_key, k.key, 16);
    }
    return Install(wi, s, k, out);
  }

  bool PairwiseOn(uint8_t link) const {
    const Link& l = links_[link];
    return l.sta_wcid != kNoKey && wcids_[l.sta_wcid].slot[0].keyidx != kNoKey;
  }

  Status InstallPairwiseOn(uint8_t link, const KeyConf& k, KeyActionList* out) {
    return Install(links_[link].sta_wcid, 0, k, out);
  }

  Status SetPairwise(const KeyConf& k, KeyActionList* out) {
    // Room for every action, so a full list fails before anything changed: one SET per
    // link-station, plus the group keys it releases under pairwise_before_group.
    size_t targets = 0;
    for (const Link& l : links_) {
      if (!l.up || l.sta_wcid == kNoKey) continue;
      targets += 1;
      if (policy_.pairwise_before_group) targets += (l.pending[0] ? 1 : 0) + (l.pending[1] ? 1 : 0);
    }
    if (!resetting_ && out->room() < targets) return Status(Errno::kNoSpc);
    ClearPtk();
    ptk_ = k;
    ptk_valid_ = true;
    for (uint8_t link = 0; link < kMaxMloLinks; ++link) {
      const Link& l = links_[link];
      if (!l.up || l.sta_wcid == kNoKey) continue;
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
    Link& l = links_[link];
    for (int s = 0; s < 2; ++s) {
      if (!l.pending[s]) continue;
      KeyConf k = l.pending_conf[s];
      ClearPending(l, s);
      Status st = SetGroup(k, out);
      ZeroizeBytes(k.key, sizeof(k.key));
      // An IGTK whose GTK turned out not to be CCMP stays in software; nothing to send.
      if (!st.ok() && st.err() != Errno::kOpNotSupp) return st;
    }
    return OkStatus();
  }

  void DisableGroup(const KeyConf& k, KeyActionList* out) {
    if (k.link_id < 0 || k.link_id >= static_cast<int8_t>(kMaxMloLinks)) return;
    Link& l = links_[k.link_id];
    // The slot follows from the index (IGTK 4..5 live in hw_key_idx2), so a removal needs no
    // cipher: mac80211's key is already half torn down in the #1036 case.
    const int s = k.keyidx >= kIgtkFirst ? 1 : 0;
    // A cached SET of this index is cancelled, whether the link is down or deferred.
    if (l.pending[s] && l.pending_conf[s].keyidx == k.keyidx) ClearPending(l, s);
    if (!l.up) return;  // #1036: the link is already torn down: success, no traffic.
    if (s == 0 && l.bip_keyidx == k.keyidx) ClearBip(l);
    const uint8_t wi = static_cast<uint8_t>(kBssWcidTop - l.bss_idx);
    DisableSlot(wi, s, k.keyidx, out);
  }

  void DisablePairwise(uint8_t keyidx, KeyActionList* out) {
    if (ptk_valid_ && ptk_.keyidx == keyidx) ClearPtk();
    for (uint8_t link = 0; link < kMaxMloLinks; ++link) {
      const Link& l = links_[link];
      if (l.up && l.sta_wcid != kNoKey) DisableSlot(l.sta_wcid, 0, keyidx, out);
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
  KeyConf ptk_;  // the MLD pairwise key, programmed on every link-station
  bool ptk_valid_ = false;
  bool resetting_ = false;
  KeyPolicy policy_;
};

}  // namespace connac

#endif  // CONNAC_KEYS_H_
