// Adversarial sequences for connac::Device (connac/device.h): inputs that arrive in the middle
// of a restore or of a key operation, a host that misreports, and long-run leaks. Each test
// states the invariant of device.h it holds the Device to.

#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <vector>

#include "connac/device.h"
#include "connac/keys.h"
#include "connac/mcu_event.h"
#include "connac/mcu_ids.h"
#include "connac/reset.h"
#include "connac/testing/fwsim.h"
#include "connac/testing/fwsim_host.h"
#include "connac/testing/test_keys.h"
#include "connac/wire.h"
#include "gtest/gtest.h"
#include "userspace_test/device_fixture.h"
#include "userspace_test/test_util.h"

namespace connac {
namespace {

using testing::FwSimHost;
using Kind = DeviceAction::Kind;

constexpr CmdWord kBss = CmdWord::Uni(uni::kBssInfoUpdate);

constexpr MacAddr Mac(uint8_t a, uint8_t b) { return testing::TestMac(a, b); }

KeyConf Key(uint32_t suite_sel, uint8_t idx, int8_t link, uint8_t len, uint8_t base) {
  return testing::PatternKey(suite_sel, idx, link, len, base);
}

// Every action with the state it was handed out in (key bytes dropped).
struct Trace {
  struct Entry {
    DeviceAction a;
    ResetState state;
  };
  std::vector<Entry> entries;
  const Device<>* dev = nullptr;
  static void Observe(void* ctx, const DeviceAction& a, Instant) {
    auto* t = static_cast<Trace*>(ctx);
    DeviceAction copy = a;
    ZeroizeBytes(copy.key.key, sizeof(copy.key.key));
    t->entries.push_back(Entry{copy, t->dev->state()});
  }
};

class DeviceReviewTest : public ::testing::Test {
 public:
  ::testing::AssertionResult RunUntilPublic(const std::function<bool()>& done) {
    return RunUntil(done);
  }

 protected:
  void Make(const FwSimConfig& fw = {}, const DeviceConfig& dc = {}) {
    host_ = std::make_unique<FwSimHost<>>(fw, dc);
    trace_ = Trace{};
    trace_.dev = &host_->dev();
    host_->SetObserver(&Trace::Observe, &trace_);
  }
  FwSimHost<>& h() { return *host_; }
  Device<>& dev() { return host_->dev(); }

  // An associated station (device_fixture.h: AssociateStation).
  void Associate(uint8_t links = 1) { ASSERT_TRUE(testing::AssociateStation(h(), links)); }
  void SetAndRun(const KeyConf& k) { ASSERT_TRUE(testing::SetKeyAndRun(h(), k)); }

  // Steps the virtual clock one due time at a time until `done` holds (or nothing is due).
  ::testing::AssertionResult RunUntil(const std::function<bool()>& done) {
    for (int i = 0; i < 100000; ++i) {
      if (done()) return ::testing::AssertionSuccess();
      const Instant next = h().NextDue();
      if (next.is_never()) break;
      h().AdvanceTo(next);
    }
    return done() ? ::testing::AssertionSuccess()
                  : ::testing::AssertionFailure() << "the condition never held";
  }

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

// --- Key operations during the restore's key replay ------------------------------------------

// "While the firmware is dead ... key operations update the table, which the restore
// replays." mac80211 rekeys the GTK while the restore is replaying the keys (the first of
// PTK, GTK, IGTK is out): the rest of the replay and the new key must still reach the
// firmware.
TEST_F(DeviceReviewTest, GroupRekeyDuringTheKeyReplayReachesTheFirmware) {
  Make();
  Associate();
  h().fw().Assert(h().now());
  ASSERT_TRUE(RunUntil([&] { return dev().counters().keys_replayed >= 1; }));
  ASSERT_EQ(dev().state(), ResetState::kRestore);
  const KeyConf gtk2 = Key(suite::kCcmp, 2, 0, 16, 0x71);
  ASSERT_TRUE(
      h().Do([&](Device<>& d, Instant now) { return d.SetKey(KeyCmd::kSet, gtk2, now); }).ok());
  h().RunFor(Duration::Seconds(3));
  ASSERT_EQ(dev().state(), ResetState::kRunning);
  EXPECT_EQ(h().last_key_op_status(), 0);
  EXPECT_FALSE(dev().key_op_active());
  const FwSim::FwKey& fk = h().fw().key(kBssWcidTop, 0);
  EXPECT_TRUE(fk.present);
  EXPECT_EQ(fk.key_id, 2);
  EXPECT_TRUE(h().fw().key(kFirstPeerWcid, 0).present) << "the PTK replayed before the rekey";
  EXPECT_TRUE(h().fw().key(kBssWcidTop, 1).present) << "the IGTK still replayed";
  EXPECT_TRUE(FirmwareMatchesTable());
  EXPECT_EQ(dev().counters().keys_replayed, 2u) << "PTK and IGTK; the replaced GTK is not sent";
}

// The same window with a DISABLE of the GTK that was already replayed: the firmware must not
// keep a key the table dropped.
TEST_F(DeviceReviewTest, DisableDuringTheKeyReplayReachesTheFirmware) {
  Make();
  Associate();
  h().fw().Assert(h().now());
  ASSERT_TRUE(RunUntil([&] { return dev().counters().keys_replayed >= 2; }));  // PTK, GTK out
  ASSERT_EQ(dev().state(), ResetState::kRestore);
  const KeyConf gtk = Key(suite::kCcmp, 1, 0, 16, 0xc0);
  ASSERT_TRUE(
      h().Do([&](Device<>& d, Instant now) { return d.SetKey(KeyCmd::kDisable, gtk, now); }).ok());
  h().RunFor(Duration::Seconds(3));
  ASSERT_EQ(dev().state(), ResetState::kRunning);
  EXPECT_EQ(h().last_key_op_status(), 0);
  EXPECT_EQ(dev().keys().Find(0, 1), nullptr);
  EXPECT_FALSE(h().fw().key(kBssWcidTop, 0).present) << "the disabled GTK left the firmware";
  EXPECT_TRUE(FirmwareMatchesTable());
}

// --- Links and stations that go away around a restore ----------------------------------------

// The #1036 roam during the restore: link 1 is torn down after the device and link 0's BSS
// went out. Nothing may be sent for link 1 afterwards: its record is gone, and an item built
// from the emptied record names bss_idx 0 (link 0's BSS) and wcid 0xff.
TEST_F(DeviceReviewTest, LinkRemovedDuringTheRestoreIsNotRestored) {
  Make();
  Associate(2);
  h().fw().Assert(h().now());
  ASSERT_TRUE(RunUntil([&] { return dev().counters().restore_items >= 2; }));
  ASSERT_EQ(dev().state(), ResetState::kRestore);
  const size_t from = trace_.entries.size();
  ASSERT_TRUE(h().Do([](Device<>& d, Instant) { return d.LinkRemove(1); }).ok());
  h().RunFor(Duration::Seconds(3));
  ASSERT_EQ(dev().state(), ResetState::kRunning);
  for (size_t i = from; i < trace_.entries.size(); ++i) {
    const DeviceAction& a = trace_.entries[i].a;
    if (a.kind != Kind::kSend) continue;
    if (a.is_restore) {
      EXPECT_NE(a.restore.link, 1) << "restore item " << int(a.restore.kind) << " for link 1";
      if (a.restore.kind == RestoreRecord::ItemKind::kSta) {
        EXPECT_NE(a.restore.wcid, kNoWcid);
      }
    } else {
      EXPECT_NE(a.key.link_id, 1) << "a key frame for the removed link";
    }
  }
  EXPECT_TRUE(FirmwareMatchesTable());
}

// The roam lands later, while the keys are being replayed: what is left of the replay for
// the removed link is not sent (the table holds its wcids free).
TEST_F(DeviceReviewTest, LinkRemovedDuringTheKeyReplayGetsNoKeys) {
  Make();
  Associate(2);
  h().fw().Assert(h().now());
  ASSERT_TRUE(RunUntil([&] { return dev().counters().keys_replayed >= 1; }));
  ASSERT_EQ(dev().state(), ResetState::kRestore);
  const uint8_t sta = dev().keys().link(1).sta_wcid;
  const auto bss = static_cast<uint8_t>(kBssWcidTop - dev().keys().link(1).bss_idx);
  ASSERT_TRUE(h().Do([](Device<>& d, Instant) { return d.LinkRemove(1); }).ok());
  h().RunFor(Duration::Seconds(3));
  ASSERT_EQ(dev().state(), ResetState::kRunning);
  for (uint8_t w : {sta, bss}) {
    EXPECT_FALSE(h().fw().key(w, 0).present) << "wcid " << int{w};
    EXPECT_FALSE(h().fw().key(w, 1).present) << "wcid " << int{w};
  }
  EXPECT_TRUE(FirmwareMatchesTable());
}

// A link-station removed before the reset (its link not yet): the restore must not send a
// STA_REC for wcid 0xff.
TEST_F(DeviceReviewTest, StationRemovedBeforeTheResetIsNotRestored) {
  Make();
  Associate();
  ASSERT_TRUE(h().Do([](Device<>& d, Instant) { return d.StaRemove(0); }).ok());
  h().fw().Assert(h().now());
  h().RunFor(Duration::Seconds(3));
  ASSERT_EQ(dev().state(), ResetState::kRunning);
  size_t sta_items = 0;
  for (const Trace::Entry& e : trace_.entries) {
    if (e.a.kind != Kind::kSend || !e.a.is_restore) continue;
    if (e.a.restore.kind == RestoreRecord::ItemKind::kSta) {
      ++sta_items;
      EXPECT_NE(e.a.restore.wcid, kNoWcid) << "STA_REC for a station that is gone";
    }
  }
  EXPECT_EQ(sta_items, 0u);
  EXPECT_TRUE(FirmwareMatchesTable());
}

// A key operation's frames still to go when its link-station is removed (and the host
// removed the STA record from the firmware, as mt7925_mcu_sta_update does): the remaining
// frame for that station is not sent. "Link `link` torn down: its keys and record go, with
// no MCU traffic": a SET sent after the teardown installs a key on a wcid the table holds
// free (or, refused by the firmware, rolls back the rekey on the links that stay).
TEST_F(DeviceReviewTest, KeyFramesForAStationRemovedMidOperationAreNotSent) {
  Make();
  Associate(2);
  const KeyConf ptk1 = Key(suite::kCcmp, 1, -1, 16, 0x60);
  ASSERT_TRUE(
      h().Do([&](Device<>& d, Instant now) { return d.SetKey(KeyCmd::kSet, ptk1, now); }).ok());
  ASSERT_TRUE(dev().key_op_active()) << "the first of two frames is out";
  const uint8_t wcid = dev().keys().link(1).sta_wcid;
  ASSERT_NE(wcid, kNoWcid);
  const size_t from = trace_.entries.size();
  ASSERT_TRUE(h().Do([](Device<>& d, Instant) { return d.StaRemove(1); }).ok());
  uint8_t remove[wire::sta_req::kSize + 8] = {};
  remove[wire::sta_req::kBssIdx] = 1;
  remove[wire::sta_req::kWlanIdxLo] = wcid;
  remove[wire::sta_req::kTlvNum] = 1;
  remove[wire::sta_req::kIsTlvAppend] = 1;
  remove[wire::sta_req::kSize + wire::tlv::kTag] = wire::kStaRecRemoveTag;
  remove[wire::sta_req::kSize + wire::tlv::kLen] = 8;
  ASSERT_TRUE(h().Submit(CmdWord::Uni(uni::kStaRecUpdate), ConstBytes(remove)).ok());
  h().RunFor(Duration::Seconds(1));
  EXPECT_FALSE(dev().key_op_active());
  EXPECT_EQ(h().last_key_op_status(), 0);
  for (size_t i = from; i < trace_.entries.size(); ++i) {
    const DeviceAction& a = trace_.entries[i].a;
    if (a.kind == Kind::kSend && !a.is_restore) {
      EXPECT_NE(a.key.wcid, wcid);
    }
  }
  EXPECT_TRUE(FirmwareMatchesTable());
  EXPECT_EQ(h().fw().key(dev().keys().link(0).sta_wcid, 0).key_id, 1) << "link 0 rekeyed";
}

// WEDGED clears the keys ("no key is left believed-installed") and zeroizes them; copies in
// the Device's own list (a key replay cut short by a crash) must go too.
TEST_F(DeviceReviewTest, WedgedDuringTheKeyReplayLeavesNoKeyBytes) {
  FwSimConfig fw;
  fw.hang_in_restore_times = 1;
  fw.restore_hang_cmd = 5;  // device, BSS, STA, PTK, then the GTK hangs
  DeviceConfig dc;
  dc.reset.wedge_after = 1;
  Make(fw, dc);
  Associate();
  h().fw().Assert(h().now());
  h().RunFor(Duration::Seconds(10));
  ASSERT_EQ(dev().state(), ResetState::kWedged);
  ASSERT_GE(dev().counters().keys_replayed, 2u);
  const auto* raw = reinterpret_cast<const uint8_t*>(&dev());
  const KeyConf keys[] = {Key(suite::kCcmp, 0, -1, 16, 0x50), Key(suite::kCcmp, 1, 0, 16, 0xc0),
                          Key(suite::kAesCmac, 4, 0, 16, 0xa0)};
  for (const KeyConf& k : keys) {
    for (size_t i = 0; i + k.key_len <= sizeof(Device<>); ++i) {
      ASSERT_NE(std::memcmp(raw + i, k.key, k.key_len), 0)
          << "key idx " << int{k.keyidx} << " still at offset " << i;
    }
  }
}

// "The first hard timeout, assert or unanswered probe declares the firmware dead: every
// pending ... command fails at once with -ESHUTDOWN." A command the host sent for the restore
// (Origin::kRestore) is pending when the firmware dies again during the restore; the attempt
// fails into a hold-off (or WEDGED), with no WFSYS to fail it: it must not wait for its own
// deadline.
void CrashDuringRestoreWithAHostCommand(DeviceReviewTest* t, FwSimHost<>& h, Device<>& dev,
                                        ResetState after) {
  h.fw().Assert(h.now());
  ASSERT_TRUE(t->RunUntilPublic([&] { return dev.counters().restore_items >= 2; }));
  h.fw().Hang();  // the next restore item is not answered
  h.RunFor(Duration::Seconds(1));
  ASSERT_EQ(dev.state(), ResetState::kRestore);
  Result<Ticket> x = Errno::kInval;
  h.Do([&](Device<>& d, Instant now) {
     x = d.Submit(kBss, now, Origin::kRestore);
     return x.status();
   }).IgnoreError();
  ASSERT_TRUE(x.ok());
  h.RunFor(Duration::Millis(2500));  // the restore item's deadline, not yet the host's
  ASSERT_EQ(dev.state(), after);
  ASSERT_EQ(h.ended(), 1u) << "the host's restore command is still waiting";
  EXPECT_TRUE(h.ending(0).ticket == *x);
  EXPECT_EQ(h.ending(0).status, -static_cast<int32_t>(Errno::kShutdown));
}

TEST_F(DeviceReviewTest, ACrashDuringTheRestoreFailsTheHostsCommandsIntoAHoldOff) {
  DeviceConfig dc;
  dc.reset.hold_off_after = 1;
  Make({}, dc);
  Associate();
  CrashDuringRestoreWithAHostCommand(this, h(), dev(), ResetState::kHoldOff);
}

TEST_F(DeviceReviewTest, ACrashDuringTheRestoreFailsTheHostsCommandsWhenWedged) {
  DeviceConfig dc;
  dc.reset.wedge_after = 1;
  Make({}, dc);
  Associate();
  CrashDuringRestoreWithAHostCommand(this, h(), dev(), ResetState::kWedged);
}

// --- A host that misreports ---------------------------------------------------------------------

// The restore step is the Device's own (kRunStep never names it). A host that reports it
// anyway (design rule 3: the caller is untrusted) must not end the restore before the keys
// were replayed: the key table would stay in reset mode and send nothing ever again.
TEST_F(DeviceReviewTest, HostResultForTheRestoreStepDoesNotCutTheRestoreShort) {
  Make();
  Associate();
  h().fw().Assert(h().now());
  ASSERT_TRUE(RunUntil([&] { return dev().counters().restore_items >= 1; }));
  ASSERT_EQ(dev().state(), ResetState::kRestore);
  h().Do([](Device<>& d, Instant now) {
       d.OnStepResult(ResetStep::kRestore, true, now);
       return OkStatus();
     })
      .IgnoreError();
  h().RunFor(Duration::Seconds(3));
  ASSERT_EQ(dev().state(), ResetState::kRunning);
  EXPECT_FALSE(dev().keys().resetting());
  EXPECT_EQ(dev().counters().keys_replayed, 3u);
  EXPECT_TRUE(FirmwareMatchesTable());
  // And a key set afterwards goes to the firmware.
  const uint32_t frames = dev().counters().key_frames;
  SetAndRun(Key(suite::kCcmp, 2, 0, 16, 0x72));
  EXPECT_GT(dev().counters().key_frames, frames);
  EXPECT_TRUE(FirmwareMatchesTable());
}

// --- A property over random runs ----------------------------------------------------------------

// Key operations, link-station churn, hangs, asserts and a misreporting host, at random times
// (so inside restores and key replays too), on two associated links. Whenever the run ends
// RUNNING the firmware holds exactly the keys the table believes installed, and every key
// operation that was accepted ended with one kKeyOpDone. Link-stations are removed outside
// RESTORE only: during it the host cannot tell the firmware (see the review notes).
TEST_F(DeviceReviewTest, RandomRunsEndWithTheFirmwareHoldingTheTablesKeys) {
  for (uint32_t seed = 1; seed <= 150; ++seed) {
    SCOPED_TRACE(seed);
    connac_test::Prng rng(seed);
    FwSimConfig fw;
    fw.step_failures[static_cast<size_t>(ResetStep::kWfsys)] = static_cast<uint8_t>(rng.Next() % 2);
    fw.hang_in_restore_times = static_cast<uint32_t>(rng.Next() % 2);
    fw.restore_hang_cmd = static_cast<uint32_t>(1 + rng.Next() % 8);
    Make(fw);
    Associate(2);
    uint32_t accepted = h().key_ops_done();
    for (int i = 0; i < 80; ++i) {
      const uint64_t r = rng.Next();
      const auto link = static_cast<int8_t>((r >> 8) & 1);
      const auto base = static_cast<uint8_t>(r >> 16);
      Status st = Status(Errno::kInval);
      switch (r % 12) {
        case 0: {
          const auto idx = static_cast<uint8_t>(1 + (r >> 24) % 3);
          const KeyConf k = Key(suite::kCcmp, idx, link, 16, base);
          st = h().Do([&](Device<>& d, Instant now) { return d.SetKey(KeyCmd::kSet, k, now); });
          break;
        }
        case 1: {
          const KeyConf k = Key(suite::kAesCmac, 4, link, 16, base);
          st = h().Do([&](Device<>& d, Instant now) { return d.SetKey(KeyCmd::kSet, k, now); });
          break;
        }
        case 2: {
          const KeyConf k = Key(suite::kCcmp, static_cast<uint8_t>((r >> 24) % 2), -1, 16, base);
          st = h().Do([&](Device<>& d, Instant now) { return d.SetKey(KeyCmd::kSet, k, now); });
          break;
        }
        case 3: {
          KeyConf k = Key(suite::kCcmp, static_cast<uint8_t>((r >> 24) % 6), link, 16, base);
          if ((r >> 32) & 1) k.link_id = -1;
          st = h().Do([&](Device<>& d, Instant now) { return d.SetKey(KeyCmd::kDisable, k, now); });
          break;
        }
        case 4: {
          if (dev().state() == ResetState::kRestore) break;
          const uint8_t wcid = dev().keys().link(1).sta_wcid;
          if (wcid == kNoWcid) {
            st = h().Do([](Device<>& d, Instant now) { return d.StaAdd(1, Mac(0xa9, 1), now); });
            break;
          }
          h().Do([](Device<>& d, Instant) { return d.StaRemove(1); }).IgnoreError();
          const bool alive =
              dev().state() == ResetState::kRunning || dev().state() == ResetState::kProbing;
          if (alive) {
            uint8_t remove[wire::sta_req::kSize + 8] = {};
            remove[wire::sta_req::kBssIdx] = dev().keys().link(1).bss_idx;
            remove[wire::sta_req::kWlanIdxLo] = wcid;
            remove[wire::sta_req::kTlvNum] = 1;
            remove[wire::sta_req::kIsTlvAppend] = 1;
            remove[wire::sta_req::kSize + wire::tlv::kTag] = wire::kStaRecRemoveTag;
            remove[wire::sta_req::kSize + wire::tlv::kLen] = 8;
            static_cast<void>(h().Submit(CmdWord::Uni(uni::kStaRecUpdate), ConstBytes(remove)));
          }
          break;
        }
        case 5: h().fw().Hang(); break;
        case 6: h().fw().Assert(h().now()); break;
        case 7:
          h().Do([](Device<>& d, Instant now) {
               d.OnStepResult(ResetStep::kRestore, true, now);
               return OkStatus();
             })
              .IgnoreError();
          break;
        default: h().RunFor(Duration::Millis(static_cast<int64_t>((r >> 24) % 3000))); break;
      }
      if (st.ok()) ++accepted;
    }
    h().RunFor(Duration::Seconds(120));
    EXPECT_EQ(h().key_ops_done(), accepted) << "every accepted key operation ended once";
    EXPECT_FALSE(dev().key_op_active());
    const ResetState end = dev().state();
    ASSERT_TRUE(end == ResetState::kRunning || end == ResetState::kWedged) << int(end);
    if (end == ResetState::kRunning && !h().fw().hung()) {
      EXPECT_FALSE(dev().keys().resetting());
      EXPECT_TRUE(FirmwareMatchesTable());
    }
  }
}

// --- Device driven directly -------------------------------------------------------------------

std::vector<DeviceAction> DrainAll(Device<>& d) {
  std::vector<DeviceAction> out;
  DeviceAction a;
  for (int i = 0; i < 1000 && d.NextAction(&a); ++i) out.push_back(a);
  return out;
}

// A mt7925 UNI result event answering `t` with firmware status `status`.
std::vector<uint8_t> Answer(const Ticket& t, int32_t status) {
  uint8_t payload[8] = {t.cmd.id(), 0, 0, 0};
  const auto st = static_cast<uint32_t>(status);
  for (int i = 0; i < 4; ++i) payload[4 + i] = static_cast<uint8_t>(st >> (8 * i));
  EventHeader eh;
  eh.eid = uni_event::kResult;
  eh.seq = t.seq;
  eh.option = event_option::kUniEvent;
  std::vector<uint8_t> ev(128);
  Result<size_t> n = EncodeEvent(kMt7925, eh, ConstBytes(payload), connac_test::MutView(ev));
  EXPECT_TRUE(n.ok());
  ev.resize(n.ok() ? *n : 0);
  return ev;
}

// A command the host could not send (OnCommandResult with -EIO) never reached the firmware,
// so no answer can come for its seq. Fifteen such failures over a device's life, with no
// reset in between, must not use up the fifteen seqs: the device would refuse every command
// with kBusy for good, and nothing would ever trigger a reset.
TEST(DeviceDirectTest, UnsentCommandsDoNotUseUpTheSeqs) {
  auto owner = std::make_unique<Device<>>(kMt7925);
  Device<>& d = *owner;
  Instant now{0};
  for (int i = 0; i < 20; ++i) {
    now = now + Duration::Millis(10);
    Result<Ticket> t = d.Submit(kBss, now);
    ASSERT_TRUE(t.ok()) << "submit " << i << ": " << ErrnoName(-static_cast<int>(t.status().err()));
    d.OnCommandResult(*t, -static_cast<int32_t>(Errno::kIo), now);
    EXPECT_TRUE(DrainAll(d).empty());
  }
  EXPECT_EQ(d.state(), ResetState::kRunning);
}

// InflightTable::Withdraw, which the Device uses for a command the host could not send: the
// slot and the seq are free at once, an outdated ticket is kStale, and a late "answer" for
// the seq (there can be none) would be unmatched, not absorbed as late.
TEST(DeviceDirectTest, WithdrawFreesTheSeqWithoutQuarantine) {
  InflightTable<2> t(kMt7925);
  Result<Ticket> a = t.Arm(kBss, Instant{0});
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(t.Withdraw(*a).ok());
  EXPECT_EQ(t.Withdraw(*a).err(), Errno::kStale);
  EXPECT_EQ(t.quarantined(), 0u);
  EXPECT_EQ(t.in_flight(), 0u);
  EXPECT_EQ(t.counters().canceled, 1u);
  EXPECT_EQ(t.counters().completed, 0u);
  const std::vector<uint8_t> ev = Answer(*a, 0);
  EXPECT_EQ(t.OnEvent(connac_test::View(ev)).kind, EventOutcome::kUnmatched);
}

// The key-operation form of the same leak: a key frame that cannot be sent fails the
// operation (and its rollback); after enough of them no key operation could ever finish.
TEST(DeviceDirectTest, UnsentKeyFramesDoNotStrandKeyOperations) {
  auto owner = std::make_unique<Device<>>(kMt7925);
  Device<>& d = *owner;
  Instant now{0};
  ASSERT_TRUE(d.LinkAdd(0, Mac(0xb0, 0), now).ok());
  DrainAll(d);
  for (int i = 0; i < 20; ++i) {
    now = now + Duration::Millis(10);
    ASSERT_TRUE(d.SetKey(KeyCmd::kSet, Key(suite::kCcmp, 1, 0, 16, 0x10), now).ok()) << i;
    bool done = false;
    DeviceAction a;
    for (int guard = 0; guard < 16 && !done && d.NextAction(&a); ++guard) {
      if (a.kind == Kind::kSend) {
        d.OnCommandResult(a.ticket, -static_cast<int32_t>(Errno::kIo), now);
      }
      if (a.kind == Kind::kKeyOpDone) done = true;
    }
    ASSERT_TRUE(done) << "key operation " << i << " never ended";
    EXPECT_FALSE(d.key_op_active());
  }
}

// "Time only moves forward, whatever order the host's inputs arrive in": a command submitted
// with a timestamp older than the Device's clock (a caller that read its clock before it took
// the driver's lock) is due a full timeout after the Device's clock, not before it.
TEST(DeviceDirectTest, AStaleTimestampDoesNotShortenADeadline) {
  auto owner = std::make_unique<Device<>>(kMt7925);
  Device<>& d = *owner;
  d.OnTick(Instant{Duration::Seconds(10).ns});
  DrainAll(d);
  Result<Ticket> t = d.Submit(kBss, Instant{Duration::Seconds(5).ns});
  ASSERT_TRUE(t.ok());
  EXPECT_GE(d.NextDeadline().ns, Duration::Seconds(10).ns + Duration::Seconds(1).ns);
  d.OnTick(Instant{Duration::Seconds(10).ns + Duration::Millis(1).ns});
  for (const DeviceAction& a : DrainAll(d)) EXPECT_NE(a.kind, Kind::kFail);
  EXPECT_EQ(d.state(), ResetState::kRunning);
}

// Runs the reset steps of `d` to the restore; returns the first restore action.
DeviceAction RunToRestore(Device<>& d, Instant now) {
  d.RequestReset(now);
  DeviceAction first;
  for (int guard = 0; guard < 32; ++guard) {
    std::vector<DeviceAction> acts = DrainAll(d);
    bool stepped = false;
    for (const DeviceAction& a : acts) {
      if (a.kind == Kind::kSend) return a;
      if (a.kind == Kind::kRunStep) {
        d.OnStepResult(a.step, true, now);
        stepped = true;
        break;
      }
    }
    if (!stepped) break;
  }
  ADD_FAILURE() << "no restore";
  return first;
}

// "A firmware error status is an answer: the firmware lives, the restore goes on": a
// restore item answered with a negative status (the firmware's le32, e.g. 0xffffffff) is an
// answer too, not a send failure that fails the attempt.
TEST(DeviceDirectTest, ANegativeFirmwareStatusOnARestoreItemIsAnAnswer) {
  auto owner = std::make_unique<Device<>>(kMt7925);
  Device<>& d = *owner;
  const Instant now{Duration::Seconds(1).ns};
  d.SetDevice(Mac(0xde, 0));
  DeviceAction a = RunToRestore(d, now);
  ASSERT_EQ(a.kind, Kind::kSend);
  ASSERT_TRUE(a.is_restore);
  const std::vector<uint8_t> ev = Answer(a.ticket, -1);
  d.OnEvent(connac_test::View(ev), now);
  DrainAll(d);  // the restore is over: the device item was all, then the (empty) keys
  EXPECT_EQ(d.state(), ResetState::kRunning);
  EXPECT_EQ(d.sequencer().counters().failed_attempts, 0u);
  EXPECT_EQ(d.sequencer().counters().recoveries, 1u);
}

}  // namespace
}  // namespace connac
