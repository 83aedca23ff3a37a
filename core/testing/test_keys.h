// File: connac/testing/test_keys.h
//
// Key and address fixtures for tests, simulators and the kernel test module: one definition
// of "a key whose bytes are a readable pattern", so golden frames in different suites agree
// on what a test key looks like. Test equipment: never in a public header or connac_core.ko.

#ifndef CONNAC_TESTING_TEST_KEYS_H_
#define CONNAC_TESTING_TEST_KEYS_H_

#include <cstdint>

#include "connac/keys.h"
#include "connac/wifi.h"

namespace connac::testing {

// A mac80211 key conf whose bytes are base, base + 1, ... (readable in golden frames).
// `link` is the MLO link id, or -1 for a non-MLO key. REQUIRES: len <= kMaxKeyLen.
inline KeyConf PatternKey(uint32_t suite_sel, uint8_t idx, int8_t link, uint8_t len, uint8_t base) {
  KeyConf k;
  k.cipher = suite_sel;
  k.keyidx = idx;
  k.link_id = link;
  k.key_len = len;
  for (uint8_t i = 0; i < len; ++i) k.key[i] = static_cast<uint8_t>(base + i);
  return k;
}

// A locally administered address 02:a:00:00:00:b.
constexpr MacAddr TestMac(uint8_t a, uint8_t b) { return MacAddr{{0x02, a, 0, 0, 0, b}}; }

}  // namespace connac::testing

#endif  // CONNAC_TESTING_TEST_KEYS_H_
