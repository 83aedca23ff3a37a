// connac::Device (connac/device.h) driven by the FwSim adapter (connac/testing/fwsim_host.h):
// the whole recovery procedure, decided once in the core, against a firmware that hangs,
// asserts, fails reset steps and crashes again while being restored.

#include "connac/device.h"

#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <random>
#include <vector>

#include "connac/keys.h"
#include "connac/mcu_ids.h"
#include "connac/reset.h"
#include "connac/testing/fwsim.h"
#include "connac/testing/fwsim_host.h"
#include "connac/testing/test_keys.h"
#include "gtest/gtest.h"
#include "userspace_test/device_fixture.h"
#include "userspace_test/test_util.h"

namespace connac {
namespace {

using testing::FwSimHost;
using Kind = DeviceAction::Kind;

constexpr CmdWord kBss = CmdWord::Uni(uni::kBssInfoUpdate);
constexpr CmdWord kStaRec = CmdWord::Uni(uni::kStaRecUpdate);
constexpr CmdWord kScan = CmdWord::Uni(uni::kScanReq);

constexpr MacAddr Mac(uint8_t a, uint8_t b) { return testing::TestMac(a, b); }

KeyConf Key(uint32_t suite_sel, uint8_t idx, int8_t link, uint8_t len, uint8_t base) {
  return testing::PatternKey(suite_sel, idx, link, len, base);
}

// Records every action, to check orders.
struct Trace {
  std::vector<DeviceAction> actions;
  std::vector<Instant> times;
  static void Observe(void* ctx, const DeviceAction& a, Instant now) {
    auto* t = static_cast<Trace*>(ctx);
    DeviceAction copy = a;
    ZeroizeBytes(copy.key.key, sizeof(copy.key.key));
    t->actions.push_back(copy);
    t->times.push_back(now);
  }
  size_t Count(Kind k) const {
    size_t n = 0;
    for (const DeviceAction& a : actions) n += a.kind == k ? 1 : 0;
    return n;
  }
  // Index of the first action of kind `k` (and step `s` for kRunStep), or -1.
  int First(Kind k, ResetStep s = ResetStep::kWfsys) const {
    for (size_t i = 0; i < actions.size(); ++i) {
      if (actions[i].kind == k && (k != Kind::kRunStep || actions[i].step == s)) {
        return static_cast<int>(i);
      }
    }
    return -1;
  }
};

class DeviceTest : public ::testing::Test {
 protected:
  void Make(const FwSimConfig& fw = {}, const DeviceConfig& dc = {}) {
    host_ = std::make_unique<FwSimHost<>>(fw, dc);
    trace_ = Trace{};
    host_->SetObserver(&Trace::Observe, &trace_);
  }
  FwSimHost<>& h() { return *host_; }
  Device<>& dev() { return host_->dev(); }

  // An associated station (device_fixture.h: AssociateStation).
  void Associate(uint8_t links = 1) { ASSERT_TRUE(testing::AssociateStation(h(), links)); }
  void SetAndRun(const KeyConf& k) { ASSERT_TRUE(testing::SetKeyAndRun(h(), k)); }

  // Whether the firmware holds exactly what the table believes installed.
  ::testing::AssertionResult FirmwareMatchesTable() {
    const KeyTable& t = dev().keys();
    for (uint8_t w = 0; w < kWtblSize; ++w) {
      for (int s = 0; s < 2; ++s) {
        const bool table = t.wcid(w).used && t.wcid(w).slot[s].keyidx != kNoKey;
        const FwSim::FwKey& fk = h().fw().key(w, s);
        if (table != fk.present) {
          return ::testing::AssertionFailure() << "wcid " << int{w} << " slot " << s << ": table "
                                               << table << ", firmware " << fk.present;
        }
        if (table && s == 0 && fk.key_id != t.wcid(w).slot[0].keyidx) {
          return ::testing::AssertionFailure() << "wcid " << int{w} << ": other key index";
        }
      }
    }
    return ::testing::AssertionSuccess();
  }

  std::unique_ptr<FwSimHost<>> host_;
  Trace trace_;
};

TEST_F(DeviceTest, AnsweredCommandCompletesItsTicket) {
  Make();
  Result<Ticket> t = h().Submit(kBss);
  ASSERT_TRUE(t.ok());
  h().RunFor(Duration::Millis(10));
  ASSERT_EQ(h().ended(), 1u);
  EXPECT_EQ(h().ending(0).kind, Kind::kComplete);
  EXPECT_TRUE(h().ending(0).ticket == *t);
  EXPECT_EQ(h().ending(0).status, 0);
  EXPECT_EQ(dev().state(), ResetState::kRunning);
}

// The #1036 shape: the firmware stops answering with three commands in flight. One timeout
// declares it dead; the other two fail at once with -ESHUTDOWN; new commands are refused;
// the reset runs its steps, restores, and commands flow again.
TEST_F(DeviceTest, HangFailsFastResetsAndRestores) {
  FwSimConfig fw;
  fw.arm_after_cmds = 0;
  Make(fw);
  Associate();
  const uint32_t keys_before = dev().counters().key_frames;
  ASSERT_GT(keys_before, 0u);
  h().fw().Hang();

  Result<Ticket> a = h().Submit(kBss);
  h().RunFor(Duration::Millis(100));
  Result<Ticket> b = h().Submit(kStaRec);
  Result<Ticket> c = h().Submit(kScan);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  const Instant t0 = h().now();
  h().RunFor(Duration::Seconds(3));  // a's deadline passes

  ASSERT_EQ(h().ended(), 3u);
  EXPECT_TRUE(h().ending(0).ticket == *a);
  EXPECT_EQ(h().ending(0).status, -110) << "the first pays its timeout";
  for (size_t i = 1; i < 3; ++i) {
    EXPECT_EQ(h().ending(i).status, -108) << "the others fail fast (ESHUTDOWN)";
    EXPECT_LT(h().ending(i).at.ns - t0.ns, Duration::Seconds(3).ns) << "before their own deadline";
  }
  EXPECT_EQ(dev().sequencer().counters().episodes, 1u);

  // The whole reset, then the firmware has the device, BSS, station and every key again.
  h().RunFor(Duration::Seconds(5));
  EXPECT_EQ(dev().state(), ResetState::kRunning);
  EXPECT_TRUE(dev().sequencer().report().recovered);
  EXPECT_TRUE(h().fw().device_present());
  EXPECT_TRUE(h().fw().bss_active(0));
  EXPECT_TRUE(h().fw().sta_present(dev().keys().link(0).sta_wcid));
  EXPECT_TRUE(FirmwareMatchesTable());
  EXPECT_EQ(dev().counters().keys_replayed, 3u) << "PTK, GTK, IGTK";
  EXPECT_FALSE(h().tx_stopped());

  // Order: the key reset began before the first step; keys after the records.
  const int wfsys = trace_.First(Kind::kRunStep, ResetStep::kWfsys);
  ASSERT_GE(wfsys, 0);
  EXPECT_LT(trace_.First(Kind::kStopTx), wfsys);
  int last_record = -1, first_key = -1;
  for (size_t i = wfsys; i < trace_.actions.size(); ++i) {
    const DeviceAction& x = trace_.actions[i];
    if (x.kind != Kind::kSend) continue;
    if (x.is_restore) last_record = static_cast<int>(i);
    if (!x.is_restore && first_key < 0) first_key = static_cast<int>(i);
  }
  EXPECT_LT(last_record, first_key) << "records before keys";

  Result<Ticket> d = h().Submit(kBss);
  ASSERT_TRUE(d.ok());
  h().RunFor(Duration::Millis(10));
  EXPECT_EQ(h().ending(3).kind, Kind::kComplete);
}

TEST_F(DeviceTest, CommandsAreRefusedWhileTheFirmwareIsDead) {
  Make();
  h().fw().Hang();
  ASSERT_TRUE(h().Submit(kBss).ok());
  h().RunFor(Duration::Millis(3000));
  ASSERT_NE(dev().state(), ResetState::kRunning);
  const Result<Ticket> r = h().Submit(kBss);
  EXPECT_EQ(r.status(), Errno::kShutdown);
  EXPECT_EQ(dev().counters().refused, 1u);
}

TEST_F(DeviceTest, AssertEventResetsWithoutATimeout) {
  FwSimConfig fw;
  Make(fw);
  Associate();
  h().fw().Assert(h().now());
  h().RunFor(Duration::Seconds(2));
  EXPECT_EQ(dev().sequencer().counters().triggers[static_cast<size_t>(ResetCause::kAssert)], 1u);
  EXPECT_EQ(dev().txn().counters().timeouts, 0u);
  EXPECT_EQ(dev().state(), ResetState::kRunning);
  EXPECT_TRUE(FirmwareMatchesTable());
  EXPECT_EQ(trace_.Count(Kind::kUnsolicited), 1u) << "the host still sees the COREDUMP";
}

// A key frame the firmware does not answer: the operation is undone in the table (so it is
// not replayed), the firmware is reset, and the rest of the keys come back.
TEST_F(DeviceTest, KeyFrameTimeoutUndoesTheOperationAndTheResetReplaysTheRest) {
  Make();
  Associate();
  h().fw().Hang();
  const KeyConf gtk2 = Key(suite::kCcmp, 2, 0, 16, 0x70);
  ASSERT_TRUE(
      h().Do([&](Device<>& d, Instant now) { return d.SetKey(KeyCmd::kSet, gtk2, now); }).ok());
  h().RunFor(Duration::Seconds(10));
  EXPECT_EQ(h().last_key_op_status(), -110);
  EXPECT_EQ(dev().state(), ResetState::kRunning);
  EXPECT_EQ(dev().keys().Find(0, 2), nullptr) << "the failed GTK is not believed installed";
  EXPECT_NE(dev().keys().Find(0, 0), nullptr) << "the PTK survives";
  EXPECT_TRUE(FirmwareMatchesTable());
}

// mac80211 keeps calling set_key during a reset: the table takes it, nothing is sent, and
// the replay installs it.
TEST_F(DeviceTest, KeysSetDuringTheResetAreReplayed) {
  FwSimConfig fw;
  fw.wfsys_time = Duration::Millis(500);
  Make(fw);
  Associate();
  h().fw().Assert(h().now());
  h().RunFor(Duration::Millis(100));
  ASSERT_NE(dev().state(), ResetState::kRunning);
  const uint32_t frames = dev().counters().key_frames;
  const KeyConf gtk2 = Key(suite::kCcmp, 2, 0, 16, 0x71);
  ASSERT_TRUE(
      h().Do([&](Device<>& d, Instant now) { return d.SetKey(KeyCmd::kSet, gtk2, now); }).ok());
  EXPECT_EQ(dev().counters().key_frames, frames) << "nothing sent to a dead firmware";
  EXPECT_EQ(h().last_key_op_status(), 0);
  h().RunFor(Duration::Seconds(3));
  ASSERT_EQ(dev().state(), ResetState::kRunning);
  const FwSim::FwKey& fk = h().fw().key(kBssWcidTop, 0);
  EXPECT_TRUE(fk.present);
  EXPECT_EQ(fk.key_id, 2);
  EXPECT_EQ(fk.key[0], 0x71);
  EXPECT_TRUE(FirmwareMatchesTable());
}

// The first key on a link is preceded by the link's BSS_INFO_UPDATE with the cipher, as
// mt7925_set_link_key sends it; the second key is not.
TEST_F(DeviceTest, FirstKeyOnALinkSendsTheBssCipherFirst) {
  Make();
  ASSERT_TRUE(
      h().Do([](Device<>& d, Instant now) { return d.LinkAdd(0, Mac(0xb0, 0), now); }).ok());
  ASSERT_TRUE(h().Do([](Device<>& d, Instant now) { return d.StaAdd(0, Mac(0xa9, 0), now); }).ok());
  const size_t before = trace_.actions.size();
  SetAndRun(Key(suite::kCcmp, 0, -1, 16, 0x50));
  SetAndRun(Key(suite::kCcmp, 1, 0, 16, 0xc0));
  std::vector<const DeviceAction*> sends;
  for (size_t i = before; i < trace_.actions.size(); ++i) {
    if (trace_.actions[i].kind == Kind::kSend) sends.push_back(&trace_.actions[i]);
  }
  ASSERT_EQ(sends.size(), 3u);
  EXPECT_EQ(sends[0]->key.kind, KeyActionKind::kBssCipher);
  EXPECT_TRUE(sends[0]->cmd == kBss);
  EXPECT_EQ(sends[0]->key.cipher_id, cipher3::kCcmp);
  EXPECT_EQ(sends[1]->key.kind, KeyActionKind::kKey);
  EXPECT_EQ(sends[1]->key.wcid, kFirstPeerWcid) << "wcid 0 is the driver's own";
  EXPECT_EQ(sends[2]->key.kind, KeyActionKind::kKey);
  EXPECT_EQ(sends[2]->key.wcid, kBssWcidTop);
}

TEST_F(DeviceTest, AKeyOperationAtATime) {
  Make();
  ASSERT_TRUE(
      h().Do([](Device<>& d, Instant now) { return d.LinkAdd(0, Mac(0xb0, 0), now); }).ok());
  // Without draining, the second operation finds the first still running.
  ASSERT_TRUE(dev().SetKey(KeyCmd::kSet, Key(suite::kCcmp, 1, 0, 16, 1), h().now()).ok());
  EXPECT_TRUE(dev().key_op_active());
  EXPECT_EQ(dev().SetKey(KeyCmd::kSet, Key(suite::kCcmp, 2, 0, 16, 2), h().now()), Errno::kBusy);
}

// A firmware that never comes back: WEDGED, one report, the keys cleared, everything refused.
TEST_F(DeviceTest, AFirmwareThatNeverComesBackWedges) {
  FwSimConfig fw;
  for (uint8_t& f : fw.step_failures) f = 0;
  fw.step_failures[static_cast<size_t>(ResetStep::kReady)] = 100;
  DeviceConfig dc;
  dc.reset.hold_off = Duration::Seconds(1);
  Make(fw, dc);
  Associate();
  h().fw().Hang();
  ASSERT_TRUE(h().Submit(kBss).ok());
  h().RunFor(Duration::Seconds(120));
  EXPECT_EQ(dev().state(), ResetState::kWedged);
  EXPECT_EQ(trace_.Count(Kind::kReport), 1u);
  const int report = trace_.First(Kind::kReport);
  ASSERT_GE(report, 0);
  EXPECT_TRUE(trace_.actions[report].wedged);
  EXPECT_EQ(dev().keys().Find(0, 0), nullptr) << "mac80211 drops the association";
  EXPECT_EQ(h().Submit(kBss).status(), Errno::kShutdown);
  EXPECT_EQ(dev().SetKey(KeyCmd::kSet, Key(suite::kCcmp, 1, 0, 16, 1), h().now()),
            Errno::kShutdown);
}

// The optional liveness probe: a slow but alive firmware is probed and left alone.
TEST_F(DeviceTest, ProbeKeepsASlowFirmwareAlive) {
  FwSimConfig fw;
  fw.slow_latency = Duration::Millis(2500);
  DeviceConfig dc;
  dc.reset.suspect = Duration::Millis(300);
  Make(fw, dc);
  ASSERT_TRUE(h().Submit(kScan).ok());
  h().RunFor(Duration::Seconds(3));
  EXPECT_GE(trace_.Count(Kind::kProbe), 1u);
  EXPECT_EQ(dev().sequencer().counters().episodes, 0u);
  ASSERT_EQ(h().ended(), 1u);
  EXPECT_EQ(h().ending(0).kind, Kind::kComplete);
}

// A driver may move the Device (its device struct reallocated) mid-operation.
TEST_F(DeviceTest, AMovedDeviceCarriesOn) {
  auto d = std::make_unique<Device<>>(kMt7925);
  Result<Ticket> t = d->Submit(kBss, Instant{0});
  ASSERT_TRUE(t.ok());
  auto buf = std::make_unique<Device<>>(kMt7925);  // storage of the right size and alignment
  std::memcpy(static_cast<void*>(buf.get()), static_cast<const void*>(d.get()), sizeof(Device<>));
  std::memset(static_cast<void*>(d.get()), 0x6b, sizeof(Device<>));
  d.reset();
  Device<>* moved = buf.get();
  moved->OnTick(Instant{Duration::Seconds(4).ns});
  DeviceAction a;
  ASSERT_TRUE(moved->NextAction(&a));
  EXPECT_EQ(a.kind, Kind::kFail);
  EXPECT_TRUE(a.ticket == *t);
  EXPECT_EQ(a.status, -110);
}

// Every host command ends exactly once, whatever the firmware does (random hangs, asserts,
// failed steps, crashes during restore).
TEST_F(DeviceTest, EveryHostCommandEndsExactlyOnce) {
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    SCOPED_TRACE(seed);
    std::minstd_rand rng(seed);
    FwSimConfig fw;
    fw.step_failures[static_cast<size_t>(ResetStep::kWfsys)] = static_cast<uint8_t>(rng() % 3);
    fw.hang_in_restore_times = rng() % 2;
    fw.restore_hang_cmd = 1 + rng() % 4;
    Make(fw);
    Associate(1 + rng() % 2);
    std::vector<Ticket> submitted;
    for (int i = 0; i < 60; ++i) {
      switch (rng() % 6) {
        case 0: h().fw().Hang(); break;
        case 1: h().fw().Assert(h().now()); break;
        default: {
          Result<Ticket> t = h().Submit(rng() % 2 ? kBss : kScan);
          if (t.ok()) submitted.push_back(*t);
        }
      }
      h().RunFor(Duration::Millis(rng() % 2500));
    }
    h().RunFor(Duration::Seconds(120));
    ASSERT_EQ(h().ended(), submitted.size());
    std::vector<bool> seen(submitted.size(), false);
    for (size_t e = 0; e < h().ended() && e < h().kMaxEndings; ++e) {
      size_t matches = 0;
      for (size_t s = 0; s < submitted.size(); ++s) {
        if (submitted[s] == h().ending(e).ticket) {
          EXPECT_FALSE(seen[s]) << "ended twice";
          seen[s] = true;
          ++matches;
        }
      }
      EXPECT_EQ(matches, 1u);
    }
    EXPECT_TRUE(dev().state() == ResetState::kRunning || dev().state() == ResetState::kWedged);
    if (dev().state() == ResetState::kRunning) {
      EXPECT_TRUE(FirmwareMatchesTable());
    }
  }
}

}  // namespace
}  // namespace connac
