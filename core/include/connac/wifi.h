// File: connac/wifi.h
//
// Small Wi-Fi types the layers share: a MAC address, an MLO link id, a WTBL index (wcid)
// and a BSS index, each with its own "none" value.
//
// Why separate types: a link id, a wcid and a key index are all small integers, and the
// core once used one sentinel (0xff) for "no key" and "no active link" alike. Each kind now
// says what "none" means for it, so a comparison against the wrong sentinel does not compile.
//
// Example:
//
//   connac::LinkId active = connac::LinkId::None();
//   if (active.valid()) Restore(active.value());

#ifndef CONNAC_WIFI_H_
#define CONNAC_WIFI_H_

#include <cstdint>

namespace connac {

// IEEE80211_MLD_MAX_NUM_LINKS: MLO link ids are 0..14.
inline constexpr uint8_t kMaxMloLinks = 15;

struct MacAddr {
  uint8_t b[6] = {};
  friend constexpr bool operator==(const MacAddr& x, const MacAddr& y) {
    for (int i = 0; i < 6; ++i) {
      if (x.b[i] != y.b[i]) return false;
    }
    return true;
  }
  friend constexpr bool operator!=(const MacAddr& x, const MacAddr& y) { return !(x == y); }
};

// A small index with a typed "none" (0xff). Tag keeps LinkId and Wcid apart.
template <typename Tag>
class SmallId {
 public:
  static constexpr uint8_t kNone = 0xff;

  constexpr SmallId() = default;
  constexpr explicit SmallId(uint8_t v) : v_(v) {}
  static constexpr SmallId None() { return SmallId(); }

  constexpr bool valid() const { return v_ != kNone; }
  // REQUIRES: valid() (the raw 0xff otherwise).
  constexpr uint8_t value() const { return v_; }

  friend constexpr bool operator==(SmallId a, SmallId b) { return a.v_ == b.v_; }
  friend constexpr bool operator!=(SmallId a, SmallId b) { return a.v_ != b.v_; }

 private:
  uint8_t v_ = kNone;
};

struct LinkIdTag {};
struct WcidTag {};

// An MLO link id (0..14), or None().
using LinkId = SmallId<LinkIdTag>;
// A WTBL index (0..19 on mt792x), or None().
using Wcid = SmallId<WcidTag>;

}  // namespace connac

#endif  // CONNAC_WIFI_H_
