// Recovery simulation tests: the mt76 model reproduces the #1036 timeline, the connac policy
// meets its targets, and a fault matrix never ends in a lost or stale key or an unbounded run.
// These assert on virtual time, so they are deterministic and never flaky.

#include "tools/sim/sim.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace connac::sim {
namespace {

std::vector<double> TimeoutTimes(const Metrics& m) {
  std::vector<double> t;
  for (const TimelineEvent& e : m.timeline) {
    if (e.what.rfind("Message ", 0) == 0) t.push_back(e.t_ms);
  }
  return t;
}

double EventTime(const Metrics& m, const std::string& prefix) {
  for (const TimelineEvent& e : m.timeline) {
    if (e.what.rfind(prefix, 0) == 0) return e.t_ms;
  }
  return -1;
}

TEST(Mt76ModelTest, ReproducesThe1036TimelineWithinHalfASecond) {
  const Metrics m = sim::Run("mlo-roam-hang", Policy::kMt76, Options{});
  const std::vector<double> t = TimeoutTimes(m);
  ASSERT_EQ(t.size(), 5u);
  // Jan-13 log (docs/reset.md, Sources), relative to the first timeout.
  const double want[] = {0, 6000, 9200, 12200, 15200};
  for (size_t i = 0; i < 5; ++i) EXPECT_NEAR(t[i] - t[0], want[i], 500) << "timeout " << i;
  EXPECT_NEAR(m.fw_reloaded_ms - t[0], 15400, 500);
  EXPECT_NEAR(EventTime(m, "Driver requested disconnection") - t[0], 16300, 500);
  EXPECT_NEAR(EventTime(m, "associated") - t[0], 32000, 500);
}

// The stock driver on the rig: build/rig/roam-hang.stock.json of a `make rig-test` run on
// 2026-12-02 (stock Debian 6.12.95 mt7925u on the virtual MT7925, one link, the firmware hung
// at the roam's first BSS_INFO_UPDATE). Milliseconds after the hang (the report's "fault").
constexpr double kRigTimeout = 3058;     // "Message 00020002 (seq 1) timeout", the only one
constexpr double kRigResetStart = 3062;  // "chip reset" (mt7925_mac_reset_work starts)
constexpr double kRigFwReloaded = 3509;  // "Firmware init done"
constexpr double kRigDisconnect = 3642;  // "Driver requested disconnection"
constexpr double kRigAssociated = 3770;  // mac80211 "associated" with the roam's target AP
constexpr double kRigKeysBack = 3809;    // supplicant "WPA: Key negotiation completed"
constexpr int kRigMcuTimeouts = 1;       // mcu_timeouts
constexpr int kRigFwReloads = 1;         // fw_reloads

TEST(Mt76ModelTest, ReproducesTheRigRoamHangWithinHalfASecond) {
  const Metrics m = sim::Run("roam-hang", Policy::kMt76, Options{});
  const double t0 = m.first_unanswered_ms;
  ASSERT_GE(t0, 0);
  const std::vector<double> t = TimeoutTimes(m);
  ASSERT_EQ(static_cast<int>(t.size()), kRigMcuTimeouts);
  EXPECT_EQ(m.timeouts_paid, kRigMcuTimeouts);
  EXPECT_EQ(m.resets, kRigFwReloads);
  EXPECT_NEAR(t[0] - t0, kRigTimeout, 500);
  EXPECT_NEAR(EventTime(m, "chip reset") - t0, kRigResetStart, 500);
  EXPECT_NEAR(m.fw_reloaded_ms - t0, kRigFwReloaded, 500);
  EXPECT_NEAR(EventTime(m, "Driver requested disconnection") - t0, kRigDisconnect, 500);
  EXPECT_NEAR(EventTime(m, "associated") - t0, kRigAssociated, 500);
  EXPECT_NEAR(m.restored_ms - t0, kRigKeysBack, 500);
  EXPECT_EQ(m.final_state, "RUNNING");
}

TEST(ConnacPolicyTest, MloRoamHangMeetsTheTargets) {
  const Metrics c = sim::Run("mlo-roam-hang", Policy::kConnac, Options{});
  ASSERT_GE(c.restored_ms, 0);
  EXPECT_LE(c.fw_reloaded_ms - c.first_unanswered_ms, 3600);
  EXPECT_LE(c.restored_ms - c.first_unanswered_ms, 4000);
  EXPECT_EQ(c.timeouts_paid, 1) << "nothing pays a second timeout";
  EXPECT_EQ(c.final_state, "RUNNING");
  EXPECT_EQ(EventTime(c, "Driver requested disconnection"), -1) << "restored without reassociation";
  EXPECT_GT(c.keys_restored, 0);

  Options probe;
  probe.probe = true;
  const Metrics p = sim::Run("mlo-roam-hang", Policy::kConnac, probe);
  EXPECT_LE(p.restored_ms - p.first_unanswered_ms, 1500);
  EXPECT_EQ(p.timeouts_paid, 0);

  const Metrics m = sim::Run("mlo-roam-hang", Policy::kMt76, Options{});
  EXPECT_GE(m.outage_ms, 8 * c.outage_ms) << "mt76 " << m.outage_ms << " vs connac " << c.outage_ms;
}

TEST(ConnacPolicyTest, HealthySlowFirmwareIsNeverReset) {
  for (bool probe : {false, true}) {
    Options o;
    o.probe = probe;
    const Metrics m = sim::Run("healthy-slow", Policy::kConnac, o);
    EXPECT_EQ(m.resets, 0) << "probe " << probe;
    EXPECT_EQ(m.false_resets, 0);
    EXPECT_EQ(m.timeouts_paid, 0);
    EXPECT_GE(m.commands, 10000);
  }
}

TEST(AllScenariosTest, NoLostOrStaleKeysAndABoundedEnd) {
  for (const std::string& s : ScenarioNames()) {
    for (Policy p : {Policy::kConnac, Policy::kMt76}) {
      const Metrics m = sim::Run(s, p, Options{});
      SCOPED_TRACE(s + " " + m.policy);
      EXPECT_EQ(m.keys_lost, 0);
      EXPECT_EQ(m.stale_keys, 0);
      EXPECT_EQ(m.false_resets, 0);
      if (p == Policy::kConnac) {
        EXPECT_TRUE(m.final_state == "RUNNING" || m.final_state == "WEDGED") << m.final_state;
        EXPECT_EQ(m.attempts + m.relapses, m.failed_attempts + m.recoveries);
      }
    }
  }
  const Metrics dead = sim::Run("always-dead", Policy::kConnac, Options{});
  EXPECT_EQ(dead.final_state, "WEDGED");
  EXPECT_LT(dead.outage_ms, 120000) << "WEDGED within a bound";
}

// Hang the firmware at every command of the roam and of the restore, with 0..5 failed WFSYS
// steps on top: every run ends RUNNING or WEDGED in bounded virtual time, keys stay exact,
// and the sequencer's counters add up.
TEST(FaultMatrixTest, EveryHangPointAndResetFailureCount) {
  int runs = 0;
  for (int roam_cmd = 0; roam_cmd <= 6; ++roam_cmd) {
    for (int restore_cmd = 0; restore_cmd <= 8; ++restore_cmd) {
      for (int failed = 0; failed <= 5; ++failed) {
        Options o;
        o.hang_at_roam_cmd = roam_cmd;
        o.hang_at_restore_cmd = restore_cmd;
        o.failed_wfsys_steps = failed;
        const Metrics m = sim::Run("mlo-roam-hang", Policy::kConnac, o);
        SCOPED_TRACE(testing::Message() << "roam_cmd " << roam_cmd << " restore_cmd " << restore_cmd
                                        << " failed " << failed);
        ++runs;
        EXPECT_TRUE(m.final_state == "RUNNING" || m.final_state == "WEDGED") << m.final_state;
        EXPECT_EQ(m.keys_lost, 0);
        EXPECT_EQ(m.stale_keys, 0);
        EXPECT_EQ(m.attempts + m.relapses, m.failed_attempts + m.recoveries);
        if (m.first_unanswered_ms >= 0) {
          EXPECT_GE(m.detected_ms, m.first_unanswered_ms);
          EXPECT_LT(m.outage_ms, 120000);
        }
      }
    }
  }
  EXPECT_EQ(runs, 7 * 9 * 6);
}

TEST(SimulationTest, DeterministicForASeed) {
  Options o;
  o.seed = 7;
  EXPECT_EQ(ToJson(sim::Run("healthy-slow", Policy::kConnac, o)),
            ToJson(sim::Run("healthy-slow", Policy::kConnac, o)));
}

}  // namespace
}  // namespace connac::sim
