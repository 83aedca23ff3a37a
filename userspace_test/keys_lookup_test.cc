// KeyTable::Find: the key-slot lookup by (link, key index) that the hot-path benchmark
// measures (bench/core_bench.cc).

#include <cstdint>

#include "connac/keys.h"
#include "connac/testing/test_keys.h"
#include "gtest/gtest.h"
#include "userspace_test/test_util.h"

namespace connac {
namespace {

MacAddr Addr(uint8_t last) { return MacAddr{{0x02, 0, 0, 0, 0, last}}; }
KeyConf Key(uint32_t cipher, uint8_t idx, int8_t link) {
  return testing::PatternKey(cipher, idx, link, 16, static_cast<uint8_t>(idx * 16));
}

class KeyFindTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(keys_.LinkAdd(0, Addr(0xb0), &acts_).ok());
    ASSERT_TRUE(keys_.LinkAdd(2, Addr(0xb2), &acts_).ok());  // bss_idx 1, BSS wcid 18
    ASSERT_TRUE(keys_.StaAdd(0, Addr(0xa0), &acts_).ok());   // wcid 0
    ASSERT_TRUE(keys_.StaAdd(2, Addr(0xa2), &acts_).ok());   // wcid 1
    ASSERT_TRUE(keys_.SetKey(KeyCmd::kSet, Key(suite::kCcmp, 0, -1), &acts_).ok());
    ASSERT_TRUE(keys_.SetKey(KeyCmd::kSet, Key(suite::kCcmp, 1, 0), &acts_).ok());
    ASSERT_TRUE(keys_.SetKey(KeyCmd::kSet, Key(suite::kAesCmac, 4, 0), &acts_).ok());
    ASSERT_TRUE(keys_.SetKey(KeyCmd::kSet, Key(suite::kCcmp, 2, 2), &acts_).ok());
    acts_.Wipe();
  }

  KeyTable keys_;
  KeyActionList acts_;
};

TEST_F(KeyFindTest, FindsEachSlotByLinkAndIndex) {
  const KeyTable::Slot* ptk0 = keys_.Find(0, 0);
  ASSERT_NE(ptk0, nullptr);
  EXPECT_EQ(ptk0, &keys_.wcid(keys_.link(0).sta_wcid).slot[0])
      << "pairwise: the link-station's slot";
  EXPECT_EQ(ptk0->cipher, cipher3::kCcmp);
  EXPECT_EQ(keys_.Find(2, 0), &keys_.wcid(keys_.link(2).sta_wcid).slot[0]) << "pairwise fanned out";

  const KeyTable::Slot* gtk = keys_.Find(0, 1);
  ASSERT_NE(gtk, nullptr);
  EXPECT_EQ(gtk, &keys_.wcid(kBssWcidTop).slot[0]) << "GTK: the BSS wcid (19 - bss_idx 0), slot 0";
  EXPECT_EQ(gtk->key[0], 16);

  const KeyTable::Slot* igtk = keys_.Find(0, 4);
  ASSERT_NE(igtk, nullptr);
  EXPECT_EQ(igtk, &keys_.wcid(kBssWcidTop).slot[1]) << "IGTK: hw_key_idx2";

  EXPECT_EQ(keys_.Find(2, 2), &keys_.wcid(kBssWcidTop - 1).slot[0]) << "link 2 has bss_idx 1";
}

TEST_F(KeyFindTest, AbsentKeysLinksAndIndicesAreNull) {
  EXPECT_EQ(keys_.Find(0, 2), nullptr) << "no GTK with idx 2 on link 0";
  EXPECT_EQ(keys_.Find(0, 5), nullptr) << "IGTK slot holds idx 4, not 5";
  EXPECT_EQ(keys_.Find(2, 4), nullptr);
  EXPECT_EQ(keys_.Find(1, 0), nullptr) << "link 1 is down";
  EXPECT_EQ(keys_.Find(15, 0), nullptr) << "link out of range";
  EXPECT_EQ(keys_.Find(0, 8), nullptr) << "index out of range";
  EXPECT_EQ(keys_.Find(0, kNoKey), nullptr) << "the empty-slot marker never matches";
}

TEST_F(KeyFindTest, FollowsRemovalAndTeardown) {
  ASSERT_TRUE(keys_.SetKey(KeyCmd::kDisable, Key(suite::kCcmp, 1, 0), &acts_).ok());
  EXPECT_EQ(keys_.Find(0, 1), nullptr);
  EXPECT_EQ(keys_.Find(0, 4), nullptr)
      << "the DISABLE frame names no slot: the firmware drops the IGTK with the GTK";
  EXPECT_NE(keys_.Find(0, 0), nullptr) << "the link-station's pairwise key is another wcid";
  ASSERT_TRUE(keys_.StaRemove(0).ok());
  EXPECT_EQ(keys_.Find(0, 0), nullptr) << "the link-station and its pairwise key are gone";
  ASSERT_TRUE(keys_.LinkRemove(0).ok());
  EXPECT_NE(keys_.Find(2, 0), nullptr) << "other links keep theirs";
  acts_.Wipe();
}

}  // namespace
}  // namespace connac
