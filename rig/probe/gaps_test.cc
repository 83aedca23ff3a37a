// GapTracker: gaps longer than the threshold are reported when they close, with the probes
// lost in between; reordered replies never close a gap.

#include "rig/probe/gaps.h"

#include "gtest/gtest.h"

namespace rigprobe {
namespace {

TEST(GapTrackerTest, ReportsGapsLongerThanTheThresholdWhenTheyClose) {
  GapTracker t(30);
  Gap g;
  EXPECT_FALSE(t.OnReply(1, 1000, &g));
  EXPECT_FALSE(t.OnReply(2, 1010, &g));
  EXPECT_FALSE(t.OnReply(3, 1040, &g)) << "30 ms is not longer than the threshold";
  ASSERT_TRUE(t.OnReply(10, 1110, &g));
  EXPECT_EQ(g.last_ms, 1040);
  EXPECT_EQ(g.first_ms, 1110);
  EXPECT_EQ(g.lost, 6);
  EXPECT_EQ(t.last_ms(), 1110);
  EXPECT_EQ(t.received(), 4u);
}

TEST(GapTrackerTest, ReorderedOrDuplicatedRepliesDoNotCloseAGap) {
  GapTracker t(30);
  Gap g;
  t.OnReply(5, 1000, &g);
  EXPECT_FALSE(t.OnReply(4, 2000, &g));
  EXPECT_FALSE(t.OnReply(5, 2000, &g));
  EXPECT_EQ(t.last_ms(), 1000);
  ASSERT_TRUE(t.OnReply(6, 2000, &g));
  EXPECT_EQ(g.last_ms, 1000);
  EXPECT_EQ(g.lost, 0);
}

TEST(GapTrackerTest, NothingBeforeTheFirstReply) {
  GapTracker t(30);
  EXPECT_FALSE(t.any());
  Gap g;
  EXPECT_FALSE(t.OnReply(100, 5000, &g)) << "the first reply closes no gap";
  EXPECT_TRUE(t.any());
}

}  // namespace
}  // namespace rigprobe
