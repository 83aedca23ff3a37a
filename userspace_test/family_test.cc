// connac/family.h and connac/time.h: profiles, RXD layouts, per-command timeouts, Instant.

#include "connac/family.h"

#include <cstdint>
#include <cstring>
#include <type_traits>

#include "connac/mcu_cmd.h"
#include "connac/mcu_event.h"
#include "connac/mcu_ids.h"
#include "connac/mcu_response.h"
#include "connac/mcu_txn.h"
#include "connac/time.h"
#include "gtest/gtest.h"
#include "userspace_test/test_util.h"  // (only for its ASan frame-size note)

namespace connac {
namespace {

// ---------------------------------------------------------------------------------------
// Profiles.

struct ProfileCase {
  const char* desc;
  const Profile* p;
  Family family;
  const char* name;
  Filler filler;
  ResponseRules rules;
  uint8_t rxd_size;
  int64_t default_timeout_s;
};

const ProfileCase kProfileCases[] = {
    {"mt7921: connac2 filler, 24-byte HW RXD + 12, 3 s (pci/usb/sdio override 20 s to 3 s)",
     &kMt7921, Family::kMt7921, "mt7921", Filler::kConnac2, ResponseRules::kMt7921, 36, 3},
    {"mt7925: own filler, 32-byte HW RXD + 12, 3 s (pci_mcu.c/usb.c override)", &kMt7925,
     Family::kMt7925, "mt7925", Filler::kMt7925, ResponseRules::kMt7925, 44, 3},
    {"mt7996: send_message filler, 44-byte rxd, mt7996_mcu_set_timeout default 5 s", &kMt7996,
     Family::kMt7996, "mt7996", Filler::kMt7996, ResponseRules::kMt7996, 44, 5},
};

TEST(ProfileTest, Constants) {
  for (const ProfileCase& c : kProfileCases) {
    SCOPED_TRACE(c.desc);
    EXPECT_EQ(c.p->family, c.family);
    EXPECT_STREQ(c.p->name, c.name);
    EXPECT_EQ(c.p->filler, c.filler);
    EXPECT_EQ(c.p->rules, c.rules);
    EXPECT_EQ(c.p->rxd_size, c.rxd_size);
    EXPECT_EQ(c.p->default_timeout, Duration::Seconds(c.default_timeout_s));
  }
  ASSERT_EQ(sizeof(kAllProfiles) / sizeof(kAllProfiles[0]), 3u);
}

struct ByNameCase {
  const char* desc;
  const char* name;
  size_t len;  // may be shorter than strlen(name): the name need not be NUL-terminated
  const Profile* want;
};

const ByNameCase kByNameCases[] = {
    {"mt7921", "mt7921", 6, &kMt7921},
    {"mt7925", "mt7925", 6, &kMt7925},
    {"mt7996", "mt7996", 6, &kMt7996},
    {"length-delimited, not NUL-terminated", "mt7925e", 6, &kMt7925},
    {"prefix is not a match", "mt79", 4, nullptr},
    {"longer name is not a match", "mt7925e", 7, nullptr},
    {"empty name", "", 0, nullptr},
    {"unknown chip", "mt7915", 6, nullptr},
    {"case matters", "MT7925", 6, nullptr},
};

TEST(ProfileTest, ByName) {
  for (const ByNameCase& c : kByNameCases) {
    SCOPED_TRACE(c.desc);
    EXPECT_EQ(ProfileByName(c.name, c.len), c.want);
  }
  static_assert(ProfileByName("mt7996", 6) == &kMt7996);
}

// ---------------------------------------------------------------------------------------
// RXD layouts (mt76_connac2_mcu_rxd, mt7925_mcu_rxd, mt7996_mcu_rxd).

struct LayoutCase {
  const char* desc;
  const Profile* p;
  RxdLayout want;
};

const LayoutCase kLayoutCases[] = {
    {"mt7921: len@24 pkt_type_id@26 eid@28 seq@29 option@30 ext_eid@32 s2d@35 payload@36",
     &kMt7921,
     {24, 26, 28, 29, 30, 32, 35, 36}},
    {"mt7925: len@32 pkt_type_id@34 eid@36 seq@37 option@38 ext_eid@40 s2d@43 payload@44",
     &kMt7925,
     {32, 34, 36, 37, 38, 40, 43, 44}},
    {"mt7996: same 44-byte layout as mt7925", &kMt7996, {32, 34, 36, 37, 38, 40, 43, 44}},
};

TEST(LayoutTest, Offsets) {
  for (const LayoutCase& c : kLayoutCases) {
    SCOPED_TRACE(c.desc);
    const RxdLayout l = LayoutOf(*c.p);
    EXPECT_EQ(l.len, c.want.len);
    EXPECT_EQ(l.pkt_type_id, c.want.pkt_type_id);
    EXPECT_EQ(l.eid, c.want.eid);
    EXPECT_EQ(l.seq, c.want.seq);
    EXPECT_EQ(l.option, c.want.option);
    EXPECT_EQ(l.ext_eid, c.want.ext_eid);
    EXPECT_EQ(l.s2d_index, c.want.s2d_index);
    EXPECT_EQ(l.payload, c.want.payload);
  }
}

// Issue 11: a default-constructed Profile had rxd_size 0, so ParseEvent computed its field
// offsets below zero and read out of bounds (ASan SEGV). There is no default Profile now,
// and a hand-built invalid one is refused by every parser instead of being read with.
static_assert(!std::is_default_constructible_v<Profile>);

TEST(ProfileTest, AnInvalidProfileIsRefusedNotReadWith) {
  struct Case {
    const char* desc;
    Profile p;
  };
  const Case cases[] = {
      {"zero header", Profile(Family::kMt7925, "x", Filler::kMt7925, ResponseRules::kMt7925, 0,
                              Duration::Seconds(3))},
      {"header shorter than its common tail",
       Profile(Family::kMt7925, "x", Filler::kMt7925, ResponseRules::kMt7925, 11,
               Duration::Seconds(3))},
      {"no name", Profile(Family::kMt7925, nullptr, Filler::kMt7925, ResponseRules::kMt7925, 44,
                          Duration::Seconds(3))},
      {"no timeout", Profile(Family::kMt7925, "x", Filler::kMt7925, ResponseRules::kMt7925, 44,
                             Duration::Nanos(0))},
  };
  for (const Profile* p : kAllProfiles) EXPECT_TRUE(p->valid()) << p->name;
  uint8_t event[64] = {};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.desc);
    EXPECT_FALSE(c.p.valid());
    const Result<McuEvent> ev = ParseEvent(c.p, ConstBytes(event));
    EXPECT_EQ(ev.status(), Errno::kInval);
    const Response r = ParseResponse(c.p, CmdWord::Uni(uni::kBssInfoUpdate), 1, ConstBytes(event));
    EXPECT_EQ(r.verdict, Verdict::kMalformed);
    InflightTable<1> t(c.p);
    EXPECT_EQ(t.Arm(CmdWord::Uni(uni::kBssInfoUpdate), Instant{0}).status(), Errno::kInval);
    EXPECT_EQ(t.OnEvent(ConstBytes(event)).kind, EventOutcome::kMalformed);
  }
}

// ---------------------------------------------------------------------------------------
// TimeoutFor.

struct TimeoutCase {
  const char* desc;
  const Profile* p;
  CmdWord cmd;
  int64_t seconds;
};

const TimeoutCase kTimeoutCases[] = {
    {"mt7925 BSS_INFO: 3 s like every mt7925 command", &kMt7925, CmdWord::Uni(uni::kBssInfoUpdate),
     3},
    {"mt7925 EFUSE_CTRL: no 30 s class on mt7925", &kMt7925, CmdWord::Uni(uni::kEfuseCtrl), 3},
    {"mt7925 legacy PATCH_SEM_CONTROL: 3 s", &kMt7925, CmdWord::Legacy(legacy::kPatchSemControl),
     3},
    {"mt7921 EXT GET_MIB_INFO query: 3 s", &kMt7921, CmdWord::ExtQuery(ext::kGetMibInfo), 3},
    {"mt7921 STA_REC: 3 s (no 2 s class)", &kMt7921, CmdWord::Uni(uni::kStaRecUpdate), 3},
    {"mt7996 STA_REC_UPDATE: 2 s", &kMt7996, CmdWord::Uni(uni::kStaRecUpdate), 2},
    {"mt7996 BSS_INFO_UPDATE: 2 s", &kMt7996, CmdWord::Uni(uni::kBssInfoUpdate), 2},
    {"mt7996 WMWA BSS_INFO_UPDATE: still 2 s (switch on id only)", &kMt7996,
     CmdWord{CmdWord::Uni(uni::kBssInfoUpdate).raw | CmdWord::kWa | CmdWord::kWm}, 2},
    {"mt7996 GET_MIB_INFO query: 2 s", &kMt7996, CmdWord::UniQuery(uni::kGetMibInfo), 2},
    {"mt7996 THERMAL: 2 s", &kMt7996, CmdWord::Uni(uni::kThermal), 2},
    {"mt7996 TWT: 2 s", &kMt7996, CmdWord::Uni(uni::kTwt), 2},
    {"mt7996 EFUSE_CTRL: 30 s", &kMt7996, CmdWord::Uni(uni::kEfuseCtrl), 30},
    {"mt7996 EFUSE_CTRL query: 30 s", &kMt7996, CmdWord::UniQuery(uni::kEfuseCtrl), 30},
    {"mt7996 EXT_EEPROM_CTRL: 30 s", &kMt7996, CmdWord::Uni(uni::kExtEepromCtrl), 30},
    {"mt7996 DEV_INFO_UPDATE: default 5 s", &kMt7996, CmdWord::Uni(uni::kDevInfoUpdate), 5},
    {"mt7996 SCAN_REQ: default 5 s", &kMt7996, CmdWord::Uni(uni::kScanReq), 5},
    {"mt7996 EXT GET_MIB_INFO: non-UNI returns early, 5 s", &kMt7996,
     CmdWord::Ext(ext::kGetMibInfo), 5},
    {"mt7996 legacy id 0x02 (same low byte as BSS_INFO): 5 s", &kMt7996,
     CmdWord::Legacy(legacy::kFwStartReq), 5},
    {"mt7996 CE id 0x35 (same low byte as THERMAL): 5 s", &kMt7996, CmdWord::Ce(0x35), 5},
};

TEST(TimeoutTest, PerProfileAndCommand) {
  for (const TimeoutCase& c : kTimeoutCases) {
    SCOPED_TRACE(c.desc);
    EXPECT_EQ(TimeoutFor(*c.p, c.cmd).ns, Duration::Seconds(c.seconds).ns);
  }
}

// ---------------------------------------------------------------------------------------
// Duration and Instant.

TEST(TimeTest, DurationUnits) {
  EXPECT_EQ(Duration::Nanos(5).ns, 5);
  EXPECT_EQ(Duration::Millis(3).ns, 3000000);
  EXPECT_EQ(Duration::Seconds(2).ns, 2000000000);
  EXPECT_EQ(Duration::Seconds(3).millis(), 3000);
  EXPECT_TRUE(Duration::Millis(1) < Duration::Seconds(1));
  EXPECT_EQ((Duration::Seconds(1) + Duration::Millis(500)).millis(), 1500);
}

struct InstantAddCase {
  const char* desc;
  Instant a;
  Duration d;
  Instant want;
};

const InstantAddCase kInstantAddCases[] = {
    {"plain addition", Instant{100}, Duration::Nanos(5), Instant{105}},
    {"negative duration", Instant{100}, Duration::Nanos(-5), Instant{95}},
    {"Never stays Never", Instant::Never(), Duration::Seconds(3), Instant::Never()},
    {"Never minus something stays Never", Instant::Never(), Duration::Nanos(-1), Instant::Never()},
    {"saturates instead of overflowing", Instant{INT64_MAX - 10}, Duration::Nanos(11),
     Instant::Never()},
    {"exactly reaches INT64_MAX = Never", Instant{INT64_MAX - 10}, Duration::Nanos(10),
     Instant::Never()},
    {"one short of Never", Instant{INT64_MAX - 10}, Duration::Nanos(9), Instant{INT64_MAX - 1}},
    {"huge deadline from a large now", Instant{INT64_MAX / 2 + 1}, Duration{INT64_MAX / 2 + 1},
     Instant::Never()},
};

TEST(TimeTest, InstantPlusDuration) {
  for (const InstantAddCase& c : kInstantAddCases) {
    SCOPED_TRACE(c.desc);
    EXPECT_EQ((c.a + c.d).ns, c.want.ns);
  }
}

TEST(TimeTest, InstantOrdering) {
  const Instant a{10};
  const Instant b{20};
  EXPECT_TRUE(a < b);
  EXPECT_TRUE(a <= b);
  EXPECT_TRUE(b >= a);
  EXPECT_TRUE(a != b);
  EXPECT_TRUE(a == Instant{10});
  EXPECT_EQ((b - a).ns, 10);
  EXPECT_EQ(Earlier(a, b), a);
  EXPECT_EQ(Earlier(b, a), a);
  EXPECT_EQ(Earlier(Instant::Never(), a), a);
  EXPECT_TRUE(Instant::Never().is_never());
  EXPECT_FALSE(Instant{0}.is_never());
  EXPECT_TRUE(Instant{INT64_MAX - 1} < Instant::Never());
}

TEST(TimeTest, InstantArithmeticSaturatesInsteadOfOverflowing) {
  const Instant near_max{INT64_MAX - 5};
  EXPECT_TRUE((near_max + Duration::Seconds(1)).is_never()) << "past the end saturates at Never()";
  EXPECT_TRUE((Instant::Never() + Duration::Seconds(-1)).is_never()) << "Never() stays Never()";
  const Instant near_min{INT64_MIN + 5};
  EXPECT_EQ((near_min + Duration::Seconds(-1)).ns, INT64_MIN) << "before the start saturates low";
  EXPECT_EQ((Instant{100} + Duration::Nanos(-40)).ns, 60) << "ordinary negative offsets are exact";
}

}  // namespace
}  // namespace connac
