// Tests for connac/testing/fwsim.h: the firmware simulator answers real frames with real events,
// keeps the state the frames establish, and fails exactly as scripted.

#include "connac/testing/fwsim.h"

#include <cstdint>
#include <memory>
#include <vector>

#include "connac/keys.h"
#include "connac/mcu_frame.h"
#include "connac/mcu_response.h"
#include "gtest/gtest.h"
#include "userspace_test/test_util.h"  // (only for its ASan frame-size note)

namespace connac {
namespace {

std::vector<uint8_t> Frame(CmdWord cmd, uint8_t seq, std::vector<uint8_t> payload) {
  std::vector<uint8_t> out(HeaderSizeFor(cmd) + payload.size());
  Result<size_t> n = EncodeFrame(kMt7925, cmd, seq, ConstBytes(payload.data(), payload.size()),
                                 MutableBytes(out.data(), out.size()));
  EXPECT_TRUE(n.ok());
  out.resize(n.value_or(0));
  return out;
}

// Sends one frame and returns the event due at `at` (empty when none).
std::vector<uint8_t> Exchange(FwSim& fw, const std::vector<uint8_t>& f, Instant sent, Instant at) {
  fw.Receive(ConstBytes(f.data(), f.size()), sent);
  uint8_t ev[FwSim::kEventSize];
  Result<size_t> n = fw.PollEvent(at, MutableBytes(ev));
  if (!n.ok()) return {};
  return std::vector<uint8_t>(ev, ev + *n);
}

const CmdWord kBss = CmdWord::Uni(uni::kBssInfoUpdate);

TEST(FwSimTest, AnswersWithARealMt7925ResultAfterTheLatency) {
  FwSimConfig cfg;
  cfg.latency = Duration::Millis(5);
  auto fw_owner = std::make_unique<FwSim>(cfg);
  FwSim& fw = *fw_owner;
  const std::vector<uint8_t> f = Frame(kBss, 9, {0, 0, 0, 0});
  fw.Receive(ConstBytes(f.data(), f.size()), Instant{0});
  uint8_t ev[FwSim::kEventSize];
  EXPECT_EQ(fw.PollEvent(Instant{4999999}, MutableBytes(ev)).status(), Errno::kNoEnt)
      << "not before 5 ms";
  EXPECT_EQ(fw.NextEventAt(), Instant{5000000});
  Result<size_t> n = fw.PollEvent(Instant{5000000}, MutableBytes(ev));
  ASSERT_TRUE(n.ok());
  // The driver's own rules accept it: right seq, cid 2, status 0.
  const Response r = ParseResponse(kMt7925, kBss, 9, ConstBytes(ev, *n));
  EXPECT_EQ(r.verdict, Verdict::kDone);
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(fw.bss_active(0));
}

TEST(FwSimTest, SlowClassUsesItsOwnLatency) {
  FwSimConfig cfg;
  cfg.slow_latency = Duration::Millis(2900);
  auto fw_owner = std::make_unique<FwSim>(cfg);
  FwSim& fw = *fw_owner;
  const std::vector<uint8_t> scan =
      Frame(CmdWord::Uni(uni::kScanReq), 1, std::vector<uint8_t>(8, 0));
  fw.Receive(ConstBytes(scan.data(), scan.size()), Instant{0});
  EXPECT_EQ(fw.NextEventAt(), Instant{0} + Duration::Millis(2900));
  EXPECT_TRUE(fw.Probe()) << "slow is not dead";
}

struct HangCase {
  const char* desc;
  FwSimConfig cfg;
  int answered_before_hang;
};

TEST(FwSimTest, HangsExactlyWhereScripted) {
  FwSimConfig at3;
  at3.hang_at_cmd = 3;
  FwSimConfig armed;
  armed.arm_after_cmds = 2;
  armed.hang_at_cmd = 1;
  FwSimConfig word;
  word.hang_on_cmd_word = CmdWord::Uni(uni::kDevInfoUpdate).raw;
  const HangCase cases[] = {
      {"hang_at_cmd 3: two answers, then silence", at3, 2},
      {"arm_after_cmds 2 + hang_at_cmd 1: the third command hangs", armed, 2},
      {"hang_on_cmd_word DEV_INFO: BSS answered, then DEV_INFO hangs", word, 4},
  };
  for (const HangCase& c : cases) {
    SCOPED_TRACE(c.desc);
    auto fw_owner = std::make_unique<FwSim>(c.cfg);
    FwSim& fw = *fw_owner;
    int answered = 0;
    for (uint8_t i = 1; i <= 6; ++i) {
      const CmdWord cmd = i == 5 ? CmdWord::Uni(uni::kDevInfoUpdate) : kBss;
      const Instant t{i * 1000000000LL};
      if (!Exchange(fw, Frame(cmd, i, {0, 0, 0, 0}), t, t + Duration::Millis(10)).empty())
        ++answered;
    }
    EXPECT_EQ(answered, c.answered_before_hang);
    EXPECT_TRUE(fw.hung());
    EXPECT_FALSE(fw.Probe());
  }
}

TEST(FwSimTest, BssInfoAfterAStaRemovalHangsLikeIssue1036) {
  FwSimConfig cfg;
  cfg.hang_on_bss_after_sta_remove = true;
  auto fw_owner = std::make_unique<FwSim>(cfg);
  FwSim& fw = *fw_owner;
  // STA_REC with a STA_REC_REMOVE TLV (tag 0x25) for wcid 1.
  const std::vector<uint8_t> remove = {1, 1, 1, 0, 1, 0, 0, 0, 0x25, 0x00, 0x08, 0x00, 0, 0, 0, 0};
  EXPECT_FALSE(Exchange(fw, Frame(CmdWord::Uni(uni::kStaRecUpdate), 1, remove), Instant{0},
                        Instant{10000000})
                   .empty());
  EXPECT_FALSE(fw.sta_present(1));
  EXPECT_TRUE(
      Exchange(fw, Frame(kBss, 2, {1, 0, 0, 0}), Instant{20000000}, Instant{30000000}).empty());
  EXPECT_TRUE(fw.hung());
}

TEST(FwSimTest, AssertSendsACoredumpEventThenGoesSilent) {
  FwSimConfig cfg;
  cfg.assert_at_cmd = 1;
  auto fw_owner = std::make_unique<FwSim>(cfg);
  FwSim& fw = *fw_owner;
  const std::vector<uint8_t> ev =
      Exchange(fw, Frame(kBss, 1, {0, 0, 0, 0}), Instant{0}, Instant{0});
  ASSERT_EQ(ev.size(), FwSim::kEventSize);
  Result<McuEvent> e = ParseEvent(kMt7925, ConstBytes(ev.data(), ev.size()));
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->unsolicited());
  EXPECT_EQ(e->eid, uni_event::kCoredump);
  EXPECT_TRUE(fw.hung());
}

TEST(FwSimTest, KeepsKeysFromStaRecKeyV3AndAResetWipesThem) {
  auto fw_owner = std::make_unique<FwSim>();
  FwSim& fw = *fw_owner;
  auto keys_owner = std::make_unique<KeyTable>();
  auto acts_owner = std::make_unique<KeyActionList>();
  KeyTable& keys = *keys_owner;
  KeyActionList& acts = *acts_owner;
  MacAddr bssid{{2, 0, 0, 0, 1, 0}};
  ASSERT_TRUE(keys.LinkAdd(0, bssid, &acts).ok());
  KeyConf gtk;
  gtk.cipher = suite::kCcmp;
  gtk.keyidx = 1;
  gtk.link_id = 0;
  gtk.key_len = 16;
  for (uint8_t i = 0; i < 16; ++i) gtk.key[i] = static_cast<uint8_t>(0xa0 + i);
  ASSERT_TRUE(keys.SetKey(KeyCmd::kSet, gtk, &acts).ok());
  ASSERT_EQ(acts.size, 2u) << "the link's BSS cipher, then the key";
  ASSERT_EQ(acts.items[1].kind, KeyActionKind::kKey);
  uint8_t buf[kKeyFrameSize];
  Result<ConstBytes> f = EncodeKeyAction(kMt7925, acts.items[1], 3, MutableBytes(buf));
  ASSERT_TRUE(f.ok());
  fw.Receive(*f, Instant{0});
  const FwSim::FwKey& k = fw.key(19, 0);
  ASSERT_TRUE(k.present);
  EXPECT_EQ(k.key_id, 1);
  EXPECT_EQ(k.cipher, cipher3::kCcmp);
  EXPECT_EQ(k.key[15], 0xaf);
  // A reset: WFSYS wipes everything, the firmware is off until READY.
  FwSim::StepOutcome o = fw.RunStep(ResetStep::kWfsys, Instant{0});
  EXPECT_TRUE(o.ok);
  EXPECT_FALSE(fw.key(19, 0).present);
  EXPECT_FALSE(fw.running());
  for (ResetStep s :
       {ResetStep::kSemaphore, ResetStep::kPatch, ResetStep::kRam, ResetStep::kReady}) {
    EXPECT_TRUE(fw.RunStep(s, o.done).ok);
  }
  EXPECT_TRUE(fw.running());
  EXPECT_EQ(fw.counters().reloads, 1u);
  acts.Wipe();
}

TEST(FwSimTest, ResetStepsFailTheScriptedNumberOfTimes) {
  FwSimConfig cfg;
  cfg.step_failures[static_cast<int>(ResetStep::kWfsys)] = 2;
  cfg.wfsys_time = Duration::Millis(55);
  auto fw_owner = std::make_unique<FwSim>(cfg);
  FwSim& fw = *fw_owner;
  EXPECT_FALSE(fw.RunStep(ResetStep::kWfsys, Instant{0}).ok);
  EXPECT_FALSE(fw.RunStep(ResetStep::kWfsys, Instant{0}).ok);
  const FwSim::StepOutcome third = fw.RunStep(ResetStep::kWfsys, Instant{0});
  EXPECT_TRUE(third.ok);
  EXPECT_EQ(third.done, Instant{0} + Duration::Millis(55));
}

TEST(FwSimTest, MalformedFramesAreCountedNotAnswered) {
  auto fw_owner = std::make_unique<FwSim>();
  FwSim& fw = *fw_owner;
  const uint8_t junk[40] = {0xff};
  fw.Receive(ConstBytes(junk), Instant{0});
  EXPECT_EQ(fw.counters().malformed, 1u);
  EXPECT_TRUE(fw.NextEventAt().is_never());
}

}  // namespace
}  // namespace connac
