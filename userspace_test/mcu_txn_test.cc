// connac/mcu_txn.h: sequence numbers, in-flight table, response matching, deadlines.
//
// Driver facts (openwrt/mt76 @59676919): seq = ++msg_seq & 0xf, skipping 0 (all three fill
// functions); the #1036 log shows "seq 12, 13, 14, 15, 1"; timeouts per connac/family.h.
// The late-answer hazard the table guards against is a core design rule, checked here against
// a small reference model.

#include "connac/mcu_txn.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "connac/family.h"
#include "connac/mcu_cmd.h"
#include "connac/mcu_ids.h"
#include "gtest/gtest.h"
#include "userspace_test/test_util.h"

namespace connac {
namespace {

using connac_test::Hex;
using connac_test::MakeEvent;
using connac_test::Prng;
using connac_test::View;

const CmdWord kBss = CmdWord::Uni(uni::kBssInfoUpdate);
const CmdWord kStaRec = CmdWord::Uni(uni::kStaRecUpdate);
const CmdWord kDevInfo = CmdWord::Uni(uni::kDevInfoUpdate);
const CmdWord kScan = CmdWord::Uni(uni::kScanReq);
const CmdWord kSem = CmdWord::Legacy(legacy::kPatchSemControl);

constexpr Instant kT0{1000000000};

// ---------------------------------------------------------------------------------------
// Firmware answers, per profile.

bool ChecksCid(const Profile& p, CmdWord cmd) {
  if (p.rules == ResponseRules::kMt7996) return cmd != kSem;  // UNI RESULT for any command
  return cmd == kDevInfo || cmd == kBss || cmd == kStaRec || cmd == CmdWord::Uni(uni::kOffload) ||
         cmd == CmdWord::Uni(uni::kSuspend) ||
         (p.rules == ResponseRules::kMt7921 && cmd == CmdWord::Uni(uni::kHifCtrl));
}

bool ByteRule(const Profile& p, CmdWord cmd) {
  return cmd == kSem ||
         (p.rules != ResponseRules::kMt7996 && cmd == CmdWord::Legacy(legacy::kPatchFinishReq));
}

struct Answer {
  std::vector<uint8_t> event;
  int32_t status;  // what ParseResponse reports for it
};

// The firmware's answer to `cmd` with `seq` and result `status`; `cid_delta` != 0 answers a
// different cid (an event the driver skips as invalid).
Answer AnswerFor(const Profile& p, CmdWord cmd, uint8_t seq, uint32_t status,
                 uint8_t cid_delta = 0) {
  if (ByteRule(p, cmd)) {
    return {MakeEvent(p, seq, 0x04, 0, static_cast<uint8_t>(status), {}),
            static_cast<int32_t>(status & 0xff)};
  }
  const uint8_t cid = static_cast<uint8_t>(cmd.id() ^ cid_delta);
  std::vector<uint8_t> payload = {cid,
                                  0,
                                  0,
                                  0,
                                  static_cast<uint8_t>(status),
                                  static_cast<uint8_t>(status >> 8),
                                  static_cast<uint8_t>(status >> 16),
                                  static_cast<uint8_t>(status >> 24)};
  const std::vector<uint8_t> ev = MakeEvent(p, seq, uni_event::kResult, 0x02, 0, payload);
  return {ev, ChecksCid(p, cmd) ? static_cast<int32_t>(status) : 0};
}

std::vector<uint8_t> Unsolicited(const Profile& p, uint8_t seq) {
  return MakeEvent(p, seq, 0x27 /* ROC */, 0x06, 0, Hex("00 00 00 00  01 00 04 00"));
}

// ---------------------------------------------------------------------------------------
// SeqAllocator.

TEST(SeqAllocatorTest, DriverOrderSkipsZero) {
  struct Case {
    const char* desc;
    SeqAllocator a;
    std::vector<uint8_t> want;
  };
  const Case cases[] = {
      {"fresh counter: 1..15 then wraps to 1 (0 skipped)",
       SeqAllocator(),
       {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 1, 2}},
      {"#1036 log order: 12, 13, 14, 15, 1", SeqAllocator(12), {12, 13, 14, 15, 1}},
      {"14, 15, 1, 2, 3", SeqAllocator(14), {14, 15, 1, 2, 3}},
      {"start at 15", SeqAllocator(15), {15, 1, 2}},
      {"start 0 means the first seq is 1", SeqAllocator(0), {1, 2}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.desc);
    SeqAllocator a = c.a;
    std::vector<uint8_t> got;
    for (size_t i = 0; i < c.want.size(); ++i) got.push_back(a.Next());
    EXPECT_EQ(got, c.want);
  }
}

TEST(SeqAllocatorTest, LongRunIsPeriodic) {
  SeqAllocator a;
  for (int i = 0; i < 15 * 1000; ++i) {
    const uint8_t s = a.Next();
    ASSERT_EQ(s, i % 15 + 1) << "step " << i;
  }
}

// ---------------------------------------------------------------------------------------
// Arm and complete.

TEST(InflightTest, ArmThenComplete) {
  InflightTable<4> t(kMt7925);
  EXPECT_EQ(&t.profile(), &kMt7925);
  EXPECT_EQ(t.NextDeadline(), Instant::Never());
  Result<Ticket> tk = t.Arm(kBss, kT0);
  ASSERT_TRUE(tk.ok());
  EXPECT_EQ(tk->seq, 1);
  EXPECT_EQ(tk->slot, 0);
  EXPECT_EQ(tk->cmd, kBss);
  EXPECT_TRUE(t.IsCurrent(*tk));
  EXPECT_EQ(t.in_flight(), 1u);
  EXPECT_EQ(t.NextDeadline(), kT0 + Duration::Seconds(3));
  EXPECT_EQ(t.counters().armed, 1u);

  const Answer a = AnswerFor(kMt7925, kBss, tk->seq, 0xc0000001u);
  const EventOutcome o = t.OnEvent(View(a.event));
  EXPECT_EQ(o.kind, EventOutcome::kCompleted);
  EXPECT_TRUE(o.ticket == *tk);
  EXPECT_EQ(o.ticket.cmd, kBss);
  EXPECT_EQ(o.status, static_cast<int32_t>(0xc0000001u));
  EXPECT_LT(o.status, 0);
  EXPECT_EQ(o.payload.data(), a.event.data() + 44);
  EXPECT_EQ(o.payload.size(), 8u);
  EXPECT_FALSE(t.IsCurrent(*tk));
  EXPECT_EQ(t.in_flight(), 0u);
  EXPECT_EQ(t.NextDeadline(), Instant::Never());
  EXPECT_EQ(t.counters().completed, 1u);
}

// A kernel module holds its table as a `constinit` global: this fails to compile if the
// constructor stops being constexpr (it did when the base stored an offset to its slots).
constinit InflightTable<3> g_static_table(kMt7925);

TEST(InflightTest, ConstinitTableWorks) {
  Result<Ticket> tk = g_static_table.Arm(kBss, kT0);
  ASSERT_TRUE(tk.ok());
  EXPECT_TRUE(g_static_table.IsCurrent(*tk));
  ASSERT_TRUE(g_static_table.Cancel(*tk).ok());
  EXPECT_EQ(g_static_table.in_flight(), 0u);
}

// A memcpy'd table (a C driver moving its device struct) is whole and independent: the
// copy answers its own commands and the original is unaffected once freed.
TEST(InflightTest, MemcpyCopyIsIndependent) {
  alignas(InflightTable<2>) unsigned char raw[sizeof(InflightTable<2>)];
  {
    auto* orig = new InflightTable<2>(kMt7925);
    Result<Ticket> tk = orig->Arm(kBss, kT0);
    ASSERT_TRUE(tk.ok());
    std::memcpy(raw, static_cast<void*>(orig), sizeof(raw));
    delete orig;  // ASan would report a use of the old object through the copy.
    auto* copy = reinterpret_cast<InflightTable<2>*>(raw);
    EXPECT_EQ(copy->in_flight(), 1u);
    EXPECT_TRUE(copy->IsCurrent(*tk));
    const Answer a = AnswerFor(kMt7925, kBss, tk->seq, 0);
    const EventOutcome o = copy->OnEvent(View(a.event));
    EXPECT_EQ(o.kind, EventOutcome::kCompleted);
    EXPECT_EQ(copy->in_flight(), 0u);
  }
}

TEST(InflightTest, ArmFwScatterIsInvalid) {
  InflightTable<2> t(kMt7925);
  EXPECT_EQ(t.Arm(CmdWord::Legacy(legacy::kFwScatter), kT0).status().err(), Errno::kInval);
  EXPECT_EQ(t.counters().armed, 0u);
  EXPECT_EQ(t.in_flight(), 0u);
}

// ---------------------------------------------------------------------------------------
// Deadlines.

struct DeadlineCase {
  const char* desc;
  const Profile* p;
  CmdWord cmd;
  int64_t seconds;
};

const DeadlineCase kDeadlineCases[] = {
    {"mt7925 BSS_INFO 3 s", &kMt7925, kBss, 3},
    {"mt7925 EFUSE_CTRL query 3 s", &kMt7925, CmdWord::UniQuery(uni::kEfuseCtrl), 3},
    {"mt7921 PATCH_SEM_CONTROL 3 s", &kMt7921, kSem, 3},
    {"mt7996 STA_REC 2 s", &kMt7996, kStaRec, 2},
    {"mt7996 BSS_INFO 2 s", &kMt7996, kBss, 2},
    {"mt7996 GET_MIB_INFO 2 s", &kMt7996, CmdWord::UniQuery(uni::kGetMibInfo), 2},
    {"mt7996 THERMAL 2 s", &kMt7996, CmdWord::Uni(uni::kThermal), 2},
    {"mt7996 TWT 2 s", &kMt7996, CmdWord::Uni(uni::kTwt), 2},
    {"mt7996 EFUSE_CTRL 30 s", &kMt7996, CmdWord::Uni(uni::kEfuseCtrl), 30},
    {"mt7996 EXT_EEPROM_CTRL 30 s", &kMt7996, CmdWord::Uni(uni::kExtEepromCtrl), 30},
    {"mt7996 SCAN_REQ default 5 s", &kMt7996, kScan, 5},
    {"mt7996 EXT GET_MIB_INFO (not UNI) 5 s", &kMt7996, CmdWord::Ext(ext::kGetMibInfo), 5},
};

TEST(DeadlineTest, FromTimeoutFor) {
  for (const DeadlineCase& c : kDeadlineCases) {
    SCOPED_TRACE(c.desc);
    InflightTable<2> t(*c.p);
    Result<Ticket> tk = t.Arm(c.cmd, kT0);
    ASSERT_TRUE(tk.ok());
    const Instant due = kT0 + Duration::Seconds(c.seconds);
    EXPECT_EQ(t.NextDeadline(), due);
    Ticket out[2];
    EXPECT_EQ(t.Expire(Instant{due.ns - 1}, out, 2), 0u) << "one nanosecond early";
    EXPECT_TRUE(t.IsCurrent(*tk));
    ASSERT_EQ(t.Expire(due, out, 2), 1u) << "due exactly at the deadline";
    EXPECT_TRUE(out[0] == *tk);
    EXPECT_EQ(out[0].cmd, c.cmd);
    EXPECT_FALSE(t.IsCurrent(*tk));
    EXPECT_EQ(t.NextDeadline(), Instant::Never());
  }
}

TEST(DeadlineTest, NextDeadlineIsTheEarliest) {
  InflightTable<4> t(kMt7996);
  Result<Ticket> efuse = t.Arm(CmdWord::Uni(uni::kEfuseCtrl), kT0);  // 30 s
  Result<Ticket> bss = t.Arm(kBss, kT0 + Duration::Seconds(1));      // due at 3 s
  Result<Ticket> scan = t.Arm(kScan, kT0);                           // 5 s
  ASSERT_TRUE(efuse.ok() && bss.ok() && scan.ok());
  EXPECT_EQ(t.NextDeadline(), kT0 + Duration::Seconds(3));
  ASSERT_EQ(t.OnEvent(View(AnswerFor(kMt7996, kBss, bss->seq, 0).event)).kind,
            EventOutcome::kCompleted);
  EXPECT_EQ(t.NextDeadline(), kT0 + Duration::Seconds(5));
  Ticket out[4];
  ASSERT_EQ(t.Expire(kT0 + Duration::Seconds(5), out, 4), 1u);
  EXPECT_TRUE(out[0] == *scan);
  EXPECT_EQ(t.NextDeadline(), kT0 + Duration::Seconds(30));
}

TEST(DeadlineTest, NeverSaturates) {
  InflightTable<1> t(kMt7925);
  const Instant late{INT64_MAX - 5};
  ASSERT_TRUE(t.Arm(kBss, late).ok());
  EXPECT_TRUE(t.NextDeadline().is_never()) << "deadline saturates instead of wrapping negative";
  Ticket out[1];
  EXPECT_EQ(t.Expire(late, out, 1), 0u);
}

TEST(DeadlineTest, ExpireRespectsMax) {
  InflightTable<4> t(kMt7925);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(t.Arm(kScan, kT0).ok());
  Ticket out[4];
  const Instant due = kT0 + Duration::Seconds(3);
  EXPECT_EQ(t.Expire(due, out, 0), 0u);
  EXPECT_EQ(t.Expire(due, out, 2), 2u);
  EXPECT_EQ(t.in_flight(), 1u) << "the rest stay armed";
  EXPECT_EQ(t.Expire(due, out, 4), 1u);
  EXPECT_EQ(t.in_flight(), 0u);
  EXPECT_EQ(t.counters().timeouts, 3u);
}

// ---------------------------------------------------------------------------------------
// Timeouts, quarantine and late answers.

TEST(QuarantineTest, ExpireQuarantinesTheSeqAndArmSkipsIt) {
  InflightTable<2> t(kMt7925);
  Result<Ticket> a = t.Arm(kBss, kT0);
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->seq, 1);
  Ticket out[2];
  ASSERT_EQ(t.Expire(kT0 + Duration::Seconds(3), out, 2), 1u);
  EXPECT_EQ(t.quarantined(), 1u << 1);
  EXPECT_EQ(t.counters().timeouts, 1u);
  EXPECT_EQ(t.Cancel(*a).err(), Errno::kStale) << "a timed-out ticket is no longer current";

  // Seqs 2..15 come and go; the allocator then comes back to 1, which is still owed.
  for (uint8_t want = 2; want <= 15; ++want) {
    Result<Ticket> x = t.Arm(kScan, kT0);
    ASSERT_TRUE(x.ok());
    ASSERT_EQ(x->seq, want);
    ASSERT_EQ(t.OnEvent(View(AnswerFor(kMt7925, kScan, x->seq, 0).event)).kind,
              EventOutcome::kCompleted);
  }
  Result<Ticket> b = t.Arm(kStaRec, kT0);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->seq, 2) << "seq 1 is quarantined: skipped";
}

// The #1036 hazard: a late answer to a timed-out command must not complete the command
// that would otherwise have reused its seq.
TEST(QuarantineTest, LateAnswerNeverCompletesTheNextWaiter) {
  for (const Profile* p : kAllProfiles) {
    SCOPED_TRACE(p->name);
    InflightTable<1> t(*p);
    // Same command both times, so the late answer would pass every content check.
    Result<Ticket> a = t.Arm(kBss, kT0);
    ASSERT_TRUE(a.ok());
    Ticket out[1];
    ASSERT_EQ(t.Expire(kT0 + Duration::Seconds(30), out, 1), 1u);
    for (int i = 0; i < 14; ++i) {  // walk the allocator round to seq 1 again
      Result<Ticket> x = t.Arm(kScan, kT0);
      ASSERT_TRUE(x.ok());
      ASSERT_EQ(t.OnEvent(View(AnswerFor(*p, kScan, x->seq, 0).event)).kind,
                EventOutcome::kCompleted);
    }
    Result<Ticket> b = t.Arm(kBss, kT0);
    ASSERT_TRUE(b.ok());
    ASSERT_NE(b->seq, a->seq);

    const EventOutcome late = t.OnEvent(View(AnswerFor(*p, kBss, a->seq, 0).event));
    EXPECT_EQ(late.kind, EventOutcome::kLate);
    EXPECT_TRUE(t.IsCurrent(*b)) << "the next waiter is still waiting";
    EXPECT_EQ(t.quarantined(), 0u) << "the late answer paid the debt";
    EXPECT_EQ(t.counters().late, 1u);
    EXPECT_EQ(t.counters().completed, 14u);

    const EventOutcome again = t.OnEvent(View(AnswerFor(*p, kBss, a->seq, 0).event));
    EXPECT_EQ(again.kind, EventOutcome::kUnmatched) << "a second late copy is just unmatched";

    const EventOutcome mine = t.OnEvent(View(AnswerFor(*p, kBss, b->seq, 0).event));
    EXPECT_EQ(mine.kind, EventOutcome::kCompleted);
    EXPECT_TRUE(mine.ticket == *b);
  }
}

TEST(QuarantineTest, CancelQuarantinesToo) {
  InflightTable<2> t(kMt7996);
  Result<Ticket> a = t.Arm(kBss, kT0);
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(t.Cancel(*a).ok());
  EXPECT_EQ(t.counters().canceled, 1u);
  EXPECT_EQ(t.quarantined(), 1u << a->seq);
  EXPECT_EQ(t.Cancel(*a).err(), Errno::kStale) << "double cancel";
  EXPECT_EQ(t.OnEvent(View(AnswerFor(kMt7996, kBss, a->seq, 0).event)).kind, EventOutcome::kLate);
  EXPECT_EQ(t.quarantined(), 0u);
}

// ---------------------------------------------------------------------------------------
// Event outcomes.

TEST(OutcomeTest, DuplicateResponseIsUnmatched) {
  InflightTable<2> t(kMt7925);
  Result<Ticket> a = t.Arm(kBss, kT0);
  ASSERT_TRUE(a.ok());
  const Answer ans = AnswerFor(kMt7925, kBss, a->seq, 0);
  EXPECT_EQ(t.OnEvent(View(ans.event)).kind, EventOutcome::kCompleted);
  const EventOutcome dup = t.OnEvent(View(ans.event));
  EXPECT_EQ(dup.kind, EventOutcome::kUnmatched);
  EXPECT_EQ(t.counters().unmatched, 1u);
  EXPECT_EQ(t.counters().completed, 1u);
}

TEST(OutcomeTest, StaleCidKeepsWaiting) {
  struct Case {
    const char* desc;
    const Profile* p;
    CmdWord cmd;
  };
  const Case cases[] = {
      {"mt7925 STA_REC answered with another cid", &kMt7925, kStaRec},
      {"mt7921 HIF_CTRL answered with another cid", &kMt7921, CmdWord::Uni(uni::kHifCtrl)},
      {"mt7996 UNI RESULT for another cid", &kMt7996, kScan},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.desc);
    InflightTable<2> t(*c.p);
    Result<Ticket> a = t.Arm(c.cmd, kT0);
    ASSERT_TRUE(a.ok());
    const EventOutcome o =
        t.OnEvent(View(AnswerFor(*c.p, c.cmd, a->seq, 0, /*cid_delta=*/0x40).event));
    EXPECT_EQ(o.kind, EventOutcome::kStale);
    EXPECT_TRUE(o.ticket == *a) << "the outcome names the waiter it did not answer";
    ASSERT_NE(o.reason, nullptr);
    EXPECT_NE(std::strstr(o.reason, "cid"), nullptr);
    EXPECT_TRUE(t.IsCurrent(*a));
    EXPECT_EQ(t.counters().stale, 1u);
    const EventOutcome ok = t.OnEvent(View(AnswerFor(*c.p, c.cmd, a->seq, 7).event));
    EXPECT_EQ(ok.kind, EventOutcome::kCompleted);
    EXPECT_EQ(ok.status, 7);
  }
}

TEST(OutcomeTest, MalformedEvents) {
  InflightTable<2> t(kMt7925);
  Result<Ticket> a = t.Arm(kBss, kT0);
  ASSERT_TRUE(a.ok());
  const std::vector<uint8_t> short_result =
      MakeEvent(kMt7925, a->seq, 1, 2, 0, Hex("02 00 00 00 00 00 00"));
  EventOutcome o = t.OnEvent(View(short_result));
  EXPECT_EQ(o.kind, EventOutcome::kMalformed);
  EXPECT_TRUE(o.ticket == *a);
  EXPECT_TRUE(t.IsCurrent(*a)) << "a malformed answer is dropped; the waiter keeps waiting";
  const std::vector<uint8_t> tiny(43, 0);
  o = t.OnEvent(View(tiny));
  EXPECT_EQ(o.kind, EventOutcome::kMalformed);
  ASSERT_NE(o.reason, nullptr);
  EXPECT_NE(std::strstr(o.reason, "RX descriptor"), nullptr);
  EXPECT_EQ(t.counters().malformed, 2u);
  EXPECT_TRUE(t.IsCurrent(*a));
}

TEST(OutcomeTest, UnsolicitedEventsPassThrough) {
  InflightTable<2> t(kMt7925);
  Result<Ticket> a = t.Arm(kBss, kT0);
  ASSERT_TRUE(a.ok());
  const TxnCounters before = t.counters();
  // Same seq as the waiter, but option bit 2: not a response (mt7925_mcu_rx_event).
  const std::vector<uint8_t> ev = Unsolicited(kMt7925, a->seq);
  const EventOutcome o = t.OnEvent(View(ev));
  EXPECT_EQ(o.kind, EventOutcome::kUnsolicited);
  EXPECT_TRUE(t.IsCurrent(*a));
  EXPECT_EQ(t.counters().unmatched, before.unmatched);
  EXPECT_EQ(t.counters().completed, before.completed);
  EXPECT_EQ(t.counters().malformed, before.malformed);
  EXPECT_EQ(t.OnEvent(View(Unsolicited(kMt7925, 0))).kind, EventOutcome::kUnsolicited);
}

// mt7921/mt7996 route seq-0 legacy events to their unsolicited handlers before matching; the
// core does not classify them and reports them as unmatched (see the report).
TEST(OutcomeTest, SeqZeroEventIsUnsolicitedAndOutOfRangeSeqIsUnmatched) {
  for (const Profile* p : kAllProfiles) {
    InflightTable<2> t(*p);
    ASSERT_TRUE(t.Arm(kBss, kT0).ok());
    // Seq 0 is never allocated: the driver (mt7921_mcu_rx_event) treats it as unsolicited.
    EXPECT_EQ(t.OnEvent(View(MakeEvent(*p, 0, 0x27, 0, 0, {}))).kind, EventOutcome::kUnsolicited)
        << p->name;
    EXPECT_EQ(t.OnEvent(View(MakeEvent(*p, 0xf3, 0x27, 0, 0, {}))).kind, EventOutcome::kUnmatched)
        << p->name;
    EXPECT_EQ(t.in_flight(), 1u) << p->name;
  }
}

// ---------------------------------------------------------------------------------------
// Generations and tickets.

TEST(TicketTest, GenerationMakesOldTicketsStale) {
  InflightTable<1> t(kMt7925);
  Result<Ticket> a = t.Arm(kBss, kT0);
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(t.OnEvent(View(AnswerFor(kMt7925, kBss, a->seq, 0).event)).kind,
            EventOutcome::kCompleted);
  Result<Ticket> b = t.Arm(kBss, kT0);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->slot, a->slot) << "same slot reused";
  EXPECT_NE(b->generation, a->generation);
  EXPECT_FALSE(*a == *b);
  EXPECT_FALSE(t.IsCurrent(*a));
  EXPECT_EQ(t.Cancel(*a).err(), Errno::kStale) << "an old ticket cannot cancel its successor";
  EXPECT_TRUE(t.IsCurrent(*b));

  // Forged tickets.
  Ticket forged = *b;
  forged.seq = static_cast<uint8_t>(b->seq + 1);
  EXPECT_FALSE(t.IsCurrent(forged)) << "right slot and generation, wrong seq";
  forged = *b;
  forged.slot = 1;
  EXPECT_FALSE(t.IsCurrent(forged)) << "slot beyond capacity";
  EXPECT_EQ(t.Cancel(forged).err(), Errno::kStale);
  EXPECT_FALSE(t.IsCurrent(Ticket{})) << "default ticket";
  EXPECT_EQ(t.Cancel(Ticket{}).err(), Errno::kStale);
  Ticket high = *b;
  high.slot = 0xff;
  EXPECT_FALSE(t.IsCurrent(high));

  EXPECT_TRUE(t.Cancel(*b).ok());
  EXPECT_EQ(t.counters().canceled, 1u);
}

// ---------------------------------------------------------------------------------------
// Capacity.

TEST(CapacityTest, AllSlotsBusyIsNoSpc) {
  InflightTable<2> t(kMt7925);
  ASSERT_TRUE(t.Arm(kBss, kT0).ok());
  ASSERT_TRUE(t.Arm(kStaRec, kT0).ok());
  EXPECT_EQ(t.Arm(kDevInfo, kT0).status().err(), Errno::kNoSpc);
  EXPECT_EQ(t.counters().armed, 2u);
}

TEST(CapacityTest, FifteenInFlightUseEverySeqOnce) {
  InflightTable<15> t(kMt7925);
  uint16_t seen = 0;
  for (int i = 0; i < 15; ++i) {
    Result<Ticket> x = t.Arm(kScan, kT0);
    ASSERT_TRUE(x.ok());
    ASSERT_EQ(seen & (1u << x->seq), 0u) << "seq " << int{x->seq} << " handed out twice";
    seen = static_cast<uint16_t>(seen | (1u << x->seq));
  }
  EXPECT_EQ(seen, 0xfffe);
  EXPECT_EQ(t.Arm(kScan, kT0).status().err(), Errno::kNoSpc);
}

TEST(CapacityTest, AllSeqsTakenIsBusy) {
  InflightTable<4> t(kMt7925);
  // 12 seqs owed by canceled commands, 3 in flight: a slot is free but no seq is.
  for (int i = 0; i < 12; ++i) {
    Result<Ticket> x = t.Arm(kScan, kT0);
    ASSERT_TRUE(x.ok());
    ASSERT_TRUE(t.Cancel(*x).ok());
  }
  std::vector<Ticket> live;
  for (int i = 0; i < 3; ++i) {
    Result<Ticket> x = t.Arm(kScan, kT0);
    ASSERT_TRUE(x.ok());
    live.push_back(*x);
  }
  EXPECT_EQ(t.in_flight(), 3u);
  EXPECT_EQ(t.Arm(kScan, kT0).status().err(), Errno::kBusy);
  EXPECT_EQ(t.counters().armed, 15u);
  // A late answer frees its seq, and that seq is the one handed out next.
  EXPECT_EQ(t.OnEvent(View(AnswerFor(kMt7925, kScan, 5, 0).event)).kind, EventOutcome::kLate);
  Result<Ticket> y = t.Arm(kScan, kT0);
  ASSERT_TRUE(y.ok());
  EXPECT_EQ(y->seq, 5);
  for (const Ticket& x : live) EXPECT_TRUE(t.IsCurrent(x));
}

// ---------------------------------------------------------------------------------------
// FailAll.

TEST(FailAllTest, FailsEverythingAndForgetsDebts) {
  InflightTable<4> t(kMt7925);
  Result<Ticket> a = t.Arm(kBss, kT0);
  Result<Ticket> b = t.Arm(kStaRec, kT0);
  Result<Ticket> c = t.Arm(kDevInfo, kT0);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  ASSERT_TRUE(t.Cancel(*c).ok());
  Ticket out[4];
  ASSERT_EQ(t.FailAll(out, 4), 2u);
  EXPECT_TRUE((out[0] == *a && out[1] == *b) || (out[0] == *b && out[1] == *a));
  EXPECT_EQ(t.in_flight(), 0u);
  EXPECT_EQ(t.quarantined(), 0u) << "a reloaded firmware owes no answers";
  EXPECT_EQ(t.counters().canceled, 3u);
  EXPECT_FALSE(t.IsCurrent(*a));
  EXPECT_FALSE(t.IsCurrent(*b));
  EXPECT_EQ(t.OnEvent(View(AnswerFor(kMt7925, kDevInfo, c->seq, 0).event)).kind,
            EventOutcome::kUnmatched);
  EXPECT_EQ(t.NextDeadline(), Instant::Never());
  // Numbering continues like the driver's counter.
  Result<Ticket> d = t.Arm(kBss, kT0);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->seq, 4);
}

// Issue 11: FailAll(out, 1) used to fail all three but report one, so two waiters were
// never woken. Now every failed command is reported and the rest stay in flight (and
// quarantined seqs stay quarantined) until a later call fails them.
TEST(FailAllTest, MaxLimitsFailingSoNoWaiterIsStranded) {
  InflightTable<4> t(kMt7996);
  Result<Ticket> late = t.Arm(kScan, kT0);
  ASSERT_TRUE(late.ok());
  Ticket expired[1];
  ASSERT_EQ(t.Expire(kT0 + Duration::Seconds(60), expired, 1), 1u);
  ASSERT_NE(t.quarantined(), 0u);
  Ticket armed[3];
  for (Ticket& a : armed) {
    Result<Ticket> r = t.Arm(kScan, kT0 + Duration::Seconds(60));
    ASSERT_TRUE(r.ok());
    a = *r;
  }
  Ticket out[1];
  size_t reported = 0;
  for (int call = 0; call < 3; ++call) {
    SCOPED_TRACE(call);
    ASSERT_EQ(t.FailAll(out, 1), 1u);
    ++reported;
    EXPECT_FALSE(t.IsCurrent(out[0])) << "a reported command is failed";
    EXPECT_EQ(t.in_flight(), 3u - reported) << "an unreported command is still in flight";
    EXPECT_EQ(t.quarantined() != 0, reported < 3) << "debts are forgotten only at the end";
  }
  EXPECT_EQ(t.FailAll(out, 1), 0u);
  EXPECT_EQ(t.counters().canceled, 3u);
  for (const Ticket& a : armed) EXPECT_FALSE(t.IsCurrent(a));
}

// ---------------------------------------------------------------------------------------
// Property: random interleavings against a reference model.

struct ModelCmd {
  Ticket t;
  Instant deadline;
  int32_t status;  // the firmware's answer for it
};

struct Model {
  std::vector<ModelCmd> inflight;
  uint16_t quarantine = 0;
  std::vector<Ticket> retired;
  TxnCounters c;
  uint32_t last_generation = 0;

  uint16_t busy() const {
    uint16_t m = 0;
    for (const ModelCmd& x : inflight) m = static_cast<uint16_t>(m | (1u << x.t.seq));
    return m;
  }
  Instant next_deadline() const {
    Instant n = Instant::Never();
    for (const ModelCmd& x : inflight) n = Earlier(n, x.deadline);
    return n;
  }
  void Retire(size_t i) {
    retired.push_back(inflight[i].t);
    if (retired.size() > 64) retired.erase(retired.begin());
    inflight.erase(inflight.begin() + static_cast<std::ptrdiff_t>(i));
  }
};

::testing::AssertionResult SameCounters(const TxnCounters& a, const TxnCounters& b) {
  if (a.armed == b.armed && a.completed == b.completed && a.timeouts == b.timeouts &&
      a.stale == b.stale && a.late == b.late && a.unmatched == b.unmatched &&
      a.malformed == b.malformed && a.canceled == b.canceled) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "armed " << a.armed << "/" << b.armed << " completed " << a.completed << "/"
         << b.completed << " timeouts " << a.timeouts << "/" << b.timeouts << " stale " << a.stale
         << "/" << b.stale << " late " << a.late << "/" << b.late << " unmatched " << a.unmatched
         << "/" << b.unmatched << " malformed " << a.malformed << "/" << b.malformed << " canceled "
         << a.canceled << "/" << b.canceled;
}

const CmdWord kPropertyCmds[] = {
    kBss,
    kStaRec,
    kDevInfo,
    kScan,
    kSem,
    CmdWord::UniQuery(uni::kGetMibInfo),
    CmdWord::Uni(uni::kEfuseCtrl),
    CmdWord::Ext(ext::kGetMibInfo),
    CmdWord{0x001a0003} /* WMWA STA_REC */,
};

template <size_t N>
void RunProperty(const Profile& p, uint64_t seed, int ops) {
  SCOPED_TRACE(::testing::Message() << p.name << " capacity " << N << " seed " << seed);
  Prng rng(seed);
  InflightTable<N> t(p);
  Model m;
  Instant now = kT0;
  size_t completions = 0;
  size_t lates = 0;

  for (int step = 0; step < ops; ++step) {
    const uint32_t op = rng.Below(100);
    if (op < 30) {
      // Arm.
      const CmdWord cmd =
          kPropertyCmds[rng.Below(sizeof(kPropertyCmds) / sizeof(kPropertyCmds[0]))];
      Result<Ticket> tk = t.Arm(cmd, now);
      if (m.inflight.size() == N) {
        ASSERT_EQ(tk.status().err(), Errno::kNoSpc) << "step " << step;
      } else if ((m.busy() | m.quarantine) == 0xfffe) {
        ASSERT_EQ(tk.status().err(), Errno::kBusy) << "step " << step;
      } else {
        ASSERT_TRUE(tk.ok()) << "step " << step << ": " << tk.status().name();
        ASSERT_TRUE(tk->seq >= 1 && tk->seq <= 15);
        ASSERT_EQ((m.busy() | m.quarantine) & (1u << tk->seq), 0u) << "seq in use or owed";
        ASSERT_GT(tk->generation, m.last_generation) << "generations only grow";
        ASSERT_EQ(tk->cmd, cmd);
        m.last_generation = tk->generation;
        m.inflight.push_back({*tk, now + TimeoutFor(p, cmd), static_cast<int32_t>(rng.Below(4))});
        ++m.c.armed;
      }
    } else if (op < 50) {
      // The right answer for a random waiter.
      if (m.inflight.empty()) continue;
      const size_t i = rng.Below(static_cast<uint32_t>(m.inflight.size()));
      const ModelCmd w = m.inflight[i];
      const Answer a = AnswerFor(p, w.t.cmd, w.t.seq, static_cast<uint32_t>(w.status));
      const EventOutcome o = t.OnEvent(View(a.event));
      ASSERT_EQ(o.kind, EventOutcome::kCompleted) << "step " << step;
      ASSERT_TRUE(o.ticket == w.t) << "completion went to the wrong ticket at step " << step;
      ASSERT_EQ(o.status, a.status);
      m.Retire(i);
      ++m.c.completed;
      ++completions;
    } else if (op < 58) {
      // A late answer for a seq whose command timed out or was canceled.
      if (m.quarantine == 0) continue;
      uint8_t seq = 0;
      do {
        seq = static_cast<uint8_t>(1 + rng.Below(15));
      } while ((m.quarantine & (1u << seq)) == 0);
      const CmdWord cmd =
          kPropertyCmds[rng.Below(sizeof(kPropertyCmds) / sizeof(kPropertyCmds[0]))];
      const EventOutcome o = t.OnEvent(View(AnswerFor(p, cmd, seq, 0).event));
      ASSERT_EQ(o.kind, EventOutcome::kLate) << "step " << step;
      m.quarantine = static_cast<uint16_t>(m.quarantine & ~(1u << seq));
      ++m.c.late;
      ++lates;
    } else if (op < 64) {
      // A duplicate or bogus answer for a seq nobody waits for or is owed.
      const uint16_t taken = static_cast<uint16_t>(m.busy() | m.quarantine);
      uint8_t seq = rng.OneIn(4) ? (rng.OneIn(2) ? 0 : static_cast<uint8_t>(16 + rng.Below(240)))
                                 : static_cast<uint8_t>(1 + rng.Below(15));
      if (seq >= 1 && seq <= 15 && (taken & (1u << seq)) != 0) continue;
      const EventOutcome o = t.OnEvent(View(AnswerFor(p, kBss, seq, 0).event));
      if (seq == 0) {
        // Seq 0 is never allocated: always handed to the host as unsolicited.
        ASSERT_EQ(o.kind, EventOutcome::kUnsolicited) << "step " << step;
        continue;
      }
      ASSERT_EQ(o.kind, EventOutcome::kUnmatched) << "step " << step << " seq " << int{seq};
      ++m.c.unmatched;
    } else if (op < 70) {
      // An answer with the waiter's seq but another cid.
      if (m.inflight.empty()) continue;
      const size_t i = rng.Below(static_cast<uint32_t>(m.inflight.size()));
      const ModelCmd w = m.inflight[i];
      if (!ChecksCid(p, w.t.cmd) || ByteRule(p, w.t.cmd)) continue;
      const EventOutcome o = t.OnEvent(View(AnswerFor(p, w.t.cmd, w.t.seq, 0, 0x40).event));
      ASSERT_EQ(o.kind, EventOutcome::kStale) << "step " << step;
      ASSERT_TRUE(o.ticket == w.t);
      ++m.c.stale;
    } else if (op < 82) {
      // Time passes.
      now = now + Duration::Millis(rng.Below(2500));
      Ticket out[16];
      const size_t n = t.Expire(now, out, 16);
      std::vector<Ticket> want;
      for (size_t i = m.inflight.size(); i-- > 0;) {
        if (m.inflight[i].deadline <= now) {
          want.push_back(m.inflight[i].t);
          m.quarantine = static_cast<uint16_t>(m.quarantine | (1u << m.inflight[i].t.seq));
          ++m.c.timeouts;
          m.Retire(i);
        }
      }
      ASSERT_EQ(n, want.size()) << "step " << step;
      for (size_t k = 0; k < n; ++k) {
        ASSERT_TRUE(
            std::any_of(want.begin(), want.end(), [&](const Ticket& x) { return x == out[k]; }))
            << "expired a ticket that was not due, step " << step;
      }
    } else if (op < 90) {
      // Cancel: a live ticket, or an outdated one.
      if (!m.inflight.empty() && rng.OneIn(2)) {
        const size_t i = rng.Below(static_cast<uint32_t>(m.inflight.size()));
        ASSERT_TRUE(t.Cancel(m.inflight[i].t).ok()) << "step " << step;
        m.quarantine = static_cast<uint16_t>(m.quarantine | (1u << m.inflight[i].t.seq));
        ++m.c.canceled;
        m.Retire(i);
      } else if (!m.retired.empty()) {
        const Ticket old = m.retired[rng.Below(static_cast<uint32_t>(m.retired.size()))];
        ASSERT_EQ(t.Cancel(old).err(), Errno::kStale) << "step " << step;
      }
    } else if (op < 95) {
      // Unsolicited event, any seq.
      const EventOutcome o = t.OnEvent(View(Unsolicited(p, static_cast<uint8_t>(rng.Below(16)))));
      ASSERT_EQ(o.kind, EventOutcome::kUnsolicited);
    } else if (op < 98) {
      // Truncated event.
      const std::vector<uint8_t> ev(rng.Below(p.rxd_size), 0x01);
      ASSERT_EQ(t.OnEvent(View(ev)).kind, EventOutcome::kMalformed);
      ++m.c.malformed;
    } else if (rng.OneIn(4)) {
      // Firmware reload.
      Ticket out[N];
      const size_t n = t.FailAll(out, N);
      ASSERT_EQ(n, m.inflight.size());
      for (size_t k = 0; k < n; ++k) {
        ASSERT_TRUE(std::any_of(m.inflight.begin(), m.inflight.end(),
                                [&](const ModelCmd& x) { return x.t == out[k]; }));
      }
      m.c.canceled += static_cast<uint32_t>(n);
      while (!m.inflight.empty()) m.Retire(m.inflight.size() - 1);
      m.quarantine = 0;
    }

    // Invariants after every step.
    ASSERT_EQ(t.in_flight(), m.inflight.size()) << "step " << step;
    ASSERT_EQ(t.quarantined(), m.quarantine) << "step " << step;
    ASSERT_EQ(t.quarantined() & 1u, 0u) << "seq 0 is never owed";
    ASSERT_EQ(t.NextDeadline(), m.next_deadline()) << "step " << step;
    ASSERT_TRUE(SameCounters(t.counters(), m.c)) << "step " << step;
    for (const ModelCmd& x : m.inflight) ASSERT_TRUE(t.IsCurrent(x.t)) << "step " << step;
    for (const Ticket& x : m.retired) ASSERT_FALSE(t.IsCurrent(x)) << "step " << step;
  }
  // The run must have exercised the interesting paths.
  EXPECT_GT(completions, static_cast<size_t>(ops) / 20);
  EXPECT_GT(lates, 0u);
  EXPECT_GT(m.c.timeouts, 0u);
  EXPECT_GT(m.c.stale, 0u);
}

TEST(TxnPropertyTest, RandomInterleavingsMatchTheModel) {
  for (const Profile* p : kAllProfiles) {
    for (uint64_t seed : {1ull, 2ull, 3ull}) {
      RunProperty<1>(*p, seed, 4000);
      if (HasFatalFailure()) return;
      RunProperty<4>(*p, seed * 101, 4000);
      if (HasFatalFailure()) return;
      RunProperty<15>(*p, seed * 1009, 4000);
      if (HasFatalFailure()) return;
    }
  }
}

}  // namespace
}  // namespace connac
