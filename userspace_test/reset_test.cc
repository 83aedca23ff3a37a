// Tests for connac/reset.h: the reset sequencer's state table, ladder, probe and restore plan.

#include "connac/reset.h"

#include <cstdint>
#include <vector>

#include "connac/time.h"
#include "gtest/gtest.h"
#include "userspace_test/test_util.h"  // (only for its ASan frame-size note)

namespace connac {
namespace {

Instant Ms(int64_t ms) { return Instant{ms * 1000000}; }

// Drives a sequencer through whole attempts: every step succeeds unless listed in `fail`.
struct Driver {
  ResetSequencer seq;
  Instant now;
  std::vector<ResetStep> ran;

  explicit Driver(const ResetConfig& c = {}) : seq(c) {}

  // Performs the step the actions ask for, reporting `ok` after `took`.
  ResetActions Do(ResetActions a, bool ok, Duration took = Duration::Millis(10)) {
    EXPECT_TRUE(a.has(ResetActions::kRunStep));
    ran.push_back(a.step);
    now = now + took;
    return seq.OnStepResult(a.step, ok, now);
  }
  // Runs steps from `a` until the sequencer stops asking; returns the last actions.
  ResetActions RunAll(ResetActions a) {
    while (a.has(ResetActions::kRunStep)) a = Do(a, true);
    return a;
  }
};

TEST(ResetSequencerTest, FirstTimeoutFailsFastAndRunsTheStepsInOrder) {
  Driver d;
  EXPECT_TRUE(d.seq.Admit().ok());
  ResetActions a = d.seq.OnTimeout(d.now);
  EXPECT_TRUE(a.has(ResetActions::kFailPending)) << "every in-flight command fails at once";
  EXPECT_TRUE(a.has(ResetActions::kRejectNew));
  EXPECT_TRUE(a.has(ResetActions::kStopTx));
  EXPECT_EQ(a.step, ResetStep::kWfsys);
  EXPECT_EQ(d.seq.Admit(), Errno::kShutdown) << "new commands fail with a distinct errno";
  a = d.RunAll(a);
  EXPECT_TRUE(a.has(ResetActions::kAcceptNew));
  EXPECT_TRUE(a.has(ResetActions::kResumeTx));
  EXPECT_TRUE(a.has(ResetActions::kReport));
  const std::vector<ResetStep> want = {ResetStep::kWfsys, ResetStep::kSemaphore,
                                       ResetStep::kPatch, ResetStep::kRam,
                                       ResetStep::kReady, ResetStep::kRestore};
  EXPECT_EQ(d.ran, want);
  EXPECT_EQ(d.seq.state(), ResetState::kRunning);
  EXPECT_TRUE(d.seq.report().recovered);
  EXPECT_EQ(d.seq.counters().recoveries, 1u);
  EXPECT_EQ(d.seq.counters().triggers[static_cast<int>(ResetCause::kTimeout)], 1u);
  EXPECT_TRUE(d.seq.Admit().ok());
}

struct TriggerCase {
  const char* desc;
  ResetState during;  // reached by failing/advancing steps first
  bool expect_failed_attempt;
};

TEST(ResetSequencerTest, TriggersDuringAResetAreCoalescedExceptInRestore) {
  const TriggerCase cases[] = {
      {"timeout during WFSYS is coalesced", ResetState::kWfsys, false},
      {"timeout during FW_RAM is coalesced", ResetState::kRam, false},
      {"crash during RESTORE fails the attempt", ResetState::kRestore, true},
  };
  for (const TriggerCase& c : cases) {
    SCOPED_TRACE(c.desc);
    Driver d;
    ResetActions a = d.seq.OnTimeout(d.now);
    while (d.seq.state() != c.during) a = d.Do(a, true);
    const uint32_t attempts = d.seq.counters().attempts;
    ResetActions b = d.seq.OnAssert(d.now);
    if (c.expect_failed_attempt) {
      EXPECT_EQ(d.seq.counters().crashes_in_restore, 1u);
      EXPECT_EQ(d.seq.counters().failed_attempts, 1u);
      EXPECT_TRUE(b.has(ResetActions::kRunStep)) << "first failure retries at once";
      EXPECT_EQ(d.seq.counters().attempts, attempts + 1);
    } else {
      EXPECT_TRUE(b.empty());
      EXPECT_EQ(d.seq.counters().coalesced, 1u);
      EXPECT_EQ(d.seq.state(), c.during);
    }
  }
}

TEST(ResetSequencerTest, StepWatchdogFailsTheAttempt) {
  Driver d;
  ResetActions a = d.seq.OnTimeout(d.now);
  EXPECT_EQ(d.seq.NextDeadline(), d.now + d.seq.config().step_watchdog[0]);
  d.now = d.seq.NextDeadline();
  a = d.seq.OnTick(d.now);
  EXPECT_EQ(d.seq.counters().step_timeouts[static_cast<int>(ResetStep::kWfsys)], 1u);
  EXPECT_TRUE(a.has(ResetActions::kRunStep)) << "retried at once after the first failure";
  // A late completion of the timed-out attempt is stale, not progress.
  const uint32_t stale = d.seq.counters().stale_results;
  a = d.seq.OnStepResult(ResetStep::kSemaphore, true, d.now);
  EXPECT_TRUE(a.empty());
  EXPECT_EQ(d.seq.counters().stale_results, stale + 1);
}

TEST(ResetSequencerTest, LadderBacksOffHoldsOffAndWedges) {
  ResetConfig c;
  Driver d(c);
  ResetActions a = d.seq.OnTimeout(d.now);
  // Failure 1: immediate retry. Failure 2: backoff[2]. Failure 3: hold-off. ... Failure 6: WEDGED.
  std::vector<ResetState> seen;
  for (int i = 0; i < 12 && d.seq.state() != ResetState::kWedged; ++i) {
    if (a.has(ResetActions::kRunStep)) {
      a = d.Do(a, false);
    } else {
      seen.push_back(d.seq.state());
      d.now = d.seq.NextDeadline();
      a = d.seq.OnTick(d.now);
    }
  }
  EXPECT_EQ(d.seq.state(), ResetState::kWedged);
  EXPECT_TRUE(a.has(ResetActions::kWedged));
  EXPECT_FALSE(d.seq.report().recovered);
  EXPECT_EQ(d.seq.counters().failed_attempts, c.wedge_after);
  EXPECT_EQ(d.seq.counters().hold_offs, 1u);
  const std::vector<ResetState> want = {ResetState::kBackoff, ResetState::kHoldOff,
                                        ResetState::kBackoff, ResetState::kBackoff};
  EXPECT_EQ(seen, want);
  EXPECT_EQ(d.seq.Admit(), Errno::kShutdown);
  EXPECT_TRUE(d.seq.OnTimeout(d.now).empty()) << "WEDGED is terminal";
  EXPECT_TRUE(d.seq.NextDeadline().is_never());
}

TEST(ResetSequencerTest, FailuresDecayAfterAHealthyPeriod) {
  Driver d;
  ResetActions a = d.seq.OnTimeout(d.now);
  a = d.Do(a, false);  // one failed attempt
  a = d.RunAll(a);
  ASSERT_EQ(d.seq.state(), ResetState::kRunning);
  EXPECT_EQ(d.seq.failures(), 1);
  EXPECT_EQ(d.seq.NextDeadline(), d.now + d.seq.config().healthy_decay);
  d.now = d.now + d.seq.config().healthy_decay;
  EXPECT_TRUE(d.seq.OnTick(d.now).empty());
  EXPECT_EQ(d.seq.failures(), 0) << "a healthy minute forgets the failure";
}

TEST(ResetSequencerTest, QuickRelapseClimbsTheLadder) {
  Driver d;
  d.RunAll(d.seq.OnTimeout(d.now));
  ASSERT_EQ(d.seq.state(), ResetState::kRunning);
  d.now = d.now + Duration::Seconds(1);  // crashes again right after recovering
  ResetActions a = d.seq.OnAssert(d.now);
  EXPECT_TRUE(a.has(ResetActions::kFailPending));
  EXPECT_EQ(d.seq.counters().quick_relapses, 1u);
  EXPECT_EQ(d.seq.failures(), 1);
}

TEST(ResetSequencerTest, ProbeSeparatesSlowFromDead) {
  ResetConfig c;
  c.suspect = Duration::Millis(300);
  c.probe_window = Duration::Millis(200);
  {
    SCOPED_TRACE("slow but alive: no reset, and the same command is not probed again");
    Driver d(c);
    const Instant sent = d.now;
    EXPECT_EQ(d.seq.NextDeadline(sent), sent + c.suspect);
    d.now = sent + c.suspect;
    ResetActions a = d.seq.OnTick(d.now, sent);
    EXPECT_TRUE(a.has(ResetActions::kProbe));
    a = d.seq.OnProbeResult(true, d.now + Duration::Millis(1));
    EXPECT_TRUE(a.empty());
    EXPECT_EQ(d.seq.state(), ResetState::kRunning);
    EXPECT_TRUE(d.seq.OnTick(d.now + Duration::Seconds(2), sent).empty());
    EXPECT_EQ(d.seq.counters().episodes, 0u);
  }
  {
    SCOPED_TRACE("no answer within the window: dead");
    Driver d(c);
    d.now = Ms(300);
    ASSERT_TRUE(d.seq.OnTick(d.now, Ms(0)).has(ResetActions::kProbe));
    d.now = d.seq.NextDeadline();
    EXPECT_EQ(d.now, Ms(500));
    ResetActions a = d.seq.OnTick(d.now, Ms(0));
    EXPECT_TRUE(a.has(ResetActions::kFailPending));
    EXPECT_EQ(d.seq.counters().triggers[static_cast<int>(ResetCause::kProbe)], 1u);
  }
}

TEST(ResetSequencerTest, ProbeIsOffByDefault) {
  Driver d;
  EXPECT_TRUE(d.seq.OnTick(Ms(10000), Ms(0)).empty());
  EXPECT_TRUE(d.seq.NextDeadline(Ms(0)).is_never());
}

TEST(RestoreRecordTest, PlanFollowsTheMac80211Order) {
  RestoreRecord r;
  ASSERT_TRUE(r.SetDevice(MacAddr{}).ok());
  for (uint8_t l : {2, 0, 5}) {
    ASSERT_TRUE(r.LinkJoining(l, MacAddr{}, l).ok());
    ASSERT_TRUE(r.LinkAssociated(l, MacAddr{}, l == 5).ok());
  }
  ASSERT_TRUE(r.LinkJoining(7, MacAddr{}, 3).ok());  // half-finished roam: not restored
  r.LinkRemoved(0);                                  // torn down: not restored
  const RestoreRecord::Plan p = r.MakePlan();
  using K = RestoreRecord::ItemKind;
  const std::vector<std::pair<K, uint8_t>> want = {{K::kDevice, 0}, {K::kBss, 5}, {K::kBss, 2},
                                                   {K::kSta, 2},    {K::kSta, 5}, {K::kKeys, 0}};
  ASSERT_EQ(p.size, want.size());
  for (size_t i = 0; i < p.size; ++i) {
    EXPECT_EQ(p.items[i].kind, want[i].first) << i;
    EXPECT_EQ(p.items[i].link, want[i].second) << i;
  }
  EXPECT_EQ(r.active_link(), LinkId(5)) << "the active link's BSS goes first";
  r.LinkRemoved(5);
  EXPECT_EQ(r.active_link(), LinkId(2)) << "another associated link becomes active";
  EXPECT_EQ(r.LinkAssociated(9, MacAddr{}, false), Errno::kInval) << "unknown link";
}

}  // namespace
}  // namespace connac
