// Shared steps for the Device tests (device_test, device_review_test): associate a station on
// a FwSimHost and install one key, asserting each step. Returns an AssertionResult so a caller
// stops at the first failed step (ASSERT_TRUE(AssociateStation(h, 2))).

#ifndef USERSPACE_TEST_DEVICE_FIXTURE_H_
#define USERSPACE_TEST_DEVICE_FIXTURE_H_

#include <cstdint>

#include "connac/device.h"
#include "connac/keys.h"
#include "connac/testing/fwsim_host.h"
#include "connac/testing/test_keys.h"
#include "gtest/gtest.h"

namespace connac::testing {

// SetKey(kSet, k), 50 ms of virtual time, then exactly one key operation more, with status 0.
inline ::testing::AssertionResult SetKeyAndRun(FwSimHost<>& h, const KeyConf& k) {
  const uint32_t before = h.key_ops_done();
  if (!h.Do([&k](Device<>& d, Instant now) { return d.SetKey(KeyCmd::kSet, k, now); }).ok()) {
    return ::testing::AssertionFailure() << "SetKey refused";
  }
  h.RunFor(Duration::Millis(50));
  if (h.key_ops_done() != before + 1) {
    return ::testing::AssertionFailure()
           << "key operations done " << h.key_ops_done() << ", want " << before + 1;
  }
  if (h.last_key_op_status() != 0) {
    return ::testing::AssertionFailure() << "key operation status " << h.last_key_op_status();
  }
  return ::testing::AssertionSuccess();
}

// An associated station: the device, `links` links (link l: BSS l, AP link-station
// TestMac(0xa9, l)), a PTK, and per link a CCMP GTK (idx 1) and an IGTK (idx 4).
inline ::testing::AssertionResult AssociateStation(FwSimHost<>& h, uint8_t links = 1) {
  h.Do([](Device<>& d, Instant) {
     d.SetDevice(TestMac(0xde, 0));
     return OkStatus();
   }).IgnoreError();
  for (uint8_t l = 0; l < links; ++l) {
    if (!h.Do([l](Device<>& d, Instant now) { return d.LinkAdd(l, TestMac(0xb0, l), now); }).ok() ||
        !h.Do([l](Device<>& d, Instant now) { return d.StaAdd(l, TestMac(0xa9, l), now); }).ok() ||
        !h.Do([l](Device<>& d, Instant) {
            return d.LinkAssociated(l, TestMac(0xa9, l), l == 0);
          }).ok()) {
      return ::testing::AssertionFailure() << "link " << int{l} << " not set up";
    }
  }
  ::testing::AssertionResult r = SetKeyAndRun(h, PatternKey(suite::kCcmp, 0, -1, 16, 0x50));
  for (uint8_t l = 0; r && l < links; ++l) {
    const auto link = static_cast<int8_t>(l);
    r = SetKeyAndRun(h, PatternKey(suite::kCcmp, 1, link, 16, static_cast<uint8_t>(0xc0 + l)));
    if (r) {
      r = SetKeyAndRun(h, PatternKey(suite::kAesCmac, 4, link, 16, static_cast<uint8_t>(0xa0 + l)));
    }
  }
  return r;
}

}  // namespace connac::testing

#endif  // USERSPACE_TEST_DEVICE_FIXTURE_H_
