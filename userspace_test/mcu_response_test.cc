// connac/mcu_response.h: the drivers' parse_response rules, case by case.
//
// Rules (openwrt/mt76 @59676919): mt7925/mcu.c mt7925_mcu_parse_response, mt7921/mcu.c
// mt7921_mcu_parse_response, mt7996/mcu.c mt7996_mcu_parse_response. The driver returns
// -EAGAIN ("keep waiting") where the core says kStale, and reads past short skbs where the
// core says kMalformed.

#include "connac/mcu_response.h"

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
using connac_test::View;

using connac_test::MakeEvent;

constexpr uint8_t kUniEv = 0x02;  // MCU_UNI_CMD_EVENT
constexpr uint8_t kEidResult = 0x01;

struct ResponseCase {
  const char* desc;
  const Profile* p;
  CmdWord cmd;
  uint8_t sent_seq;
  uint8_t ev_seq;
  uint8_t eid;
  uint8_t option;
  uint8_t ext_eid;
  const char* payload;
  Verdict verdict;
  int32_t status;
  const char* reason;  // substring, for kStale / kMalformed
};

const CmdWord kBss = CmdWord::Uni(uni::kBssInfoUpdate);
const CmdWord kSem = CmdWord::Legacy(legacy::kPatchSemControl);
const CmdWord kFinish = CmdWord::Legacy(legacy::kPatchFinishReq);

const ResponseCase kCases[] = {
    // ---- mt7925 ---------------------------------------------------------------------------
    {"7925 wrong seq: -EAGAIN, keep waiting", &kMt7925, kBss, 12, 11, kEidResult, kUniEv, 0,
     "02 00 00 00 00 00 00 00", Verdict::kStale, 0, "seq"},
    {"7925 seq 0 event answers nobody", &kMt7925, kBss, 12, 0, kEidResult, kUniEv, 0,
     "02 00 00 00 00 00 00 00", Verdict::kStale, 0, "seq"},
    {"7925 PATCH_SEM_CONTROL: result is the byte at offset 40", &kMt7925, kSem, 1, 1, 0x04, 0, 0x02,
     "", Verdict::kDone, 2, nullptr},
    {"7925 PATCH_SEM_CONTROL: byte 0 (PATCH_NOT_DL_SEM_SUCCESS-like)", &kMt7925, kSem, 1, 1, 0x04,
     0, 0x00, "aa bb", Verdict::kDone, 0, nullptr},
    {"7925 PATCH_FINISH_REQ: byte at 40 is a u8, 0xff stays 255", &kMt7925, kFinish, 3, 3, 0x01, 0,
     0xff, "", Verdict::kDone, 255, nullptr},
    {"7925 PATCH_SEM_CONTROL, wrong seq", &kMt7925, kSem, 1, 2, 0x04, 0, 0x02, "", Verdict::kStale,
     0, "seq"},
    {"7925 DEV_INFO_UPDATE success", &kMt7925, CmdWord::Uni(uni::kDevInfoUpdate), 1, 1, kEidResult,
     kUniEv, 0, "01 00 00 00 00 00 00 00", Verdict::kDone, 0, nullptr},
    {"7925 BSS_INFO_UPDATE status 0xC0000001 surfaces as a negative int", &kMt7925, kBss, 12, 12,
     kEidResult, kUniEv, 0, "02 00 00 00 01 00 00 c0", Verdict::kDone,
     static_cast<int32_t>(0xc0000001u), nullptr},
    {"7925 STA_REC_UPDATE status 1", &kMt7925, CmdWord::Uni(uni::kStaRecUpdate), 13, 13, kEidResult,
     kUniEv, 0, "03 00 00 00 01 00 00 00", Verdict::kDone, 1, nullptr},
    {"7925 OFFLOAD cid 6", &kMt7925, CmdWord::Uni(uni::kOffload), 2, 2, kEidResult, kUniEv, 0,
     "06 00 00 00 00 00 00 00", Verdict::kDone, 0, nullptr},
    {"7925 SUSPEND cid 5, status 0xffffffff", &kMt7925, CmdWord::Uni(uni::kSuspend), 2, 2,
     kEidResult, kUniEv, 0, "05 00 00 00 ff ff ff ff", Verdict::kDone, -1, nullptr},
    {"7925 BSS_INFO answered with cid 3: skip invalid event", &kMt7925, kBss, 12, 12, kEidResult,
     kUniEv, 0, "03 00 00 00 00 00 00 00", Verdict::kStale, 0, "cid"},
    {"7925 BSS_INFO with a 7-byte payload: too short for {cid, pad, status}", &kMt7925, kBss, 12,
     12, kEidResult, kUniEv, 0, "02 00 00 00 00 00 00", Verdict::kMalformed, 0, "8 bytes"},
    {"7925 BSS_INFO with no payload", &kMt7925, kBss, 12, 12, kEidResult, kUniEv, 0, "",
     Verdict::kMalformed, 0, "8 bytes"},
    {"7925 BSS_INFO: pad bytes and trailing bytes are ignored", &kMt7925, kBss, 12, 12, kEidResult,
     kUniEv, 0, "02 ff ff ff 00 00 00 00 99 99", Verdict::kDone, 0, nullptr},
    {"7925 HIF_CTRL is not in the mt7925 list: done 0", &kMt7925, CmdWord::Uni(uni::kHifCtrl), 4, 4,
     kEidResult, kUniEv, 0, "09 00 00 00 01 00 00 00", Verdict::kDone, 0, nullptr},
    {"7925 BSS_INFO query word (0x30002) is not the exact word: done 0", &kMt7925,
     CmdWord::UniQuery(uni::kBssInfoUpdate), 4, 4, kEidResult, kUniEv, 0, "09 00 00 00 01 00 00 00",
     Verdict::kDone, 0, nullptr},
    {"7925 MCU_WMWA_UNI_CMD(STA_REC_UPDATE) 0x1a0003: exact compare, status not read", &kMt7925,
     CmdWord{0x001a0003}, 5, 5, kEidResult, kUniEv, 0, "03 00 00 00 01 00 00 c0", Verdict::kDone, 0,
     nullptr},
    {"7925 SCAN_REQ: anything else is done 0, payload for the caller", &kMt7925,
     CmdWord::Uni(uni::kScanReq), 6, 6, kEidResult, kUniEv, 0, "16 00 00 00 05 00 00 00",
     Verdict::kDone, 0, nullptr},
    {"7925 EXT THERMAL_CTRL has no mt7925 rule", &kMt7925, CmdWord::Ext(ext::kThermalCtrl), 6, 6,
     0xed, 0, 0x2c, "00 00 00 00 2a 00 00 00", Verdict::kDone, 0, nullptr},
    {"7925 CE REG_READ has no mt7925 rule", &kMt7925, CmdWord::CeQuery(ce::kRegAccess), 6, 6, 0xc0,
     0, 0, "00 00 00 00 2a 00 00 00", Verdict::kDone, 0, nullptr},

    // ---- mt7921 ---------------------------------------------------------------------------
    {"7921 wrong seq (seq at 29)", &kMt7921, kBss, 5, 6, kEidResult, kUniEv, 0,
     "02 00 00 00 00 00 00 00", Verdict::kStale, 0, "seq"},
    {"7921 PATCH_SEM_CONTROL: byte at 32 (36-byte rxd - 4)", &kMt7921, kSem, 1, 1, 0x04, 0, 0x03,
     "", Verdict::kDone, 3, nullptr},
    {"7921 PATCH_FINISH_REQ: byte at 32", &kMt7921, kFinish, 1, 1, 0x01, 0, 0x01, "",
     Verdict::kDone, 1, nullptr},
    {"7921 BSS_INFO success", &kMt7921, kBss, 5, 5, kEidResult, kUniEv, 0,
     "02 00 00 00 00 00 00 00", Verdict::kDone, 0, nullptr},
    {"7921 HIF_CTRL is in the mt7921 list: status read", &kMt7921, CmdWord::Uni(uni::kHifCtrl), 5,
     5, kEidResult, kUniEv, 0, "07 00 00 00 04 00 00 00", Verdict::kDone, 4, nullptr},
    {"7921 HIF_CTRL cid mismatch", &kMt7921, CmdWord::Uni(uni::kHifCtrl), 5, 5, kEidResult, kUniEv,
     0, "08 00 00 00 04 00 00 00", Verdict::kStale, 0, "cid"},
    {"7921 STA_REC short payload", &kMt7921, CmdWord::Uni(uni::kStaRecUpdate), 5, 5, kEidResult,
     kUniEv, 0, "03 00 00", Verdict::kMalformed, 0, "8 bytes"},
    {"7921 EXT THERMAL_CTRL: le32 at payload + 4", &kMt7921, CmdWord::Ext(ext::kThermalCtrl), 7, 7,
     0xed, 0, 0x2c, "00 00 00 00 2a 00 00 00", Verdict::kDone, 42, nullptr},
    {"7921 EXT THERMAL_CTRL: 7-byte payload", &kMt7921, CmdWord::Ext(ext::kThermalCtrl), 7, 7, 0xed,
     0, 0x2c, "00 00 00 00 2a 00 00", Verdict::kMalformed, 0, "8 bytes"},
    {"7921 EXT THERMAL_CTRL query (0x12ced) is not the exact word", &kMt7921,
     CmdWord::ExtQuery(ext::kThermalCtrl), 7, 7, 0xed, 0, 0x2c, "00 00 00 00 2a 00 00 00",
     Verdict::kDone, 0, nullptr},
    {"7921 MCU_CE_QUERY(REG_READ): {le32 reg, le32 val}, result = val", &kMt7921,
     CmdWord::CeQuery(ce::kRegAccess), 8, 8, 0x02, 0, 0, "00 10 00 18 ef be ad de", Verdict::kDone,
     static_cast<int32_t>(0xdeadbeefu), nullptr},
    {"7921 CE REG_READ: 4-byte payload", &kMt7921, CmdWord::CeQuery(ce::kRegAccess), 8, 8, 0x02, 0,
     0, "00 10 00 18", Verdict::kMalformed, 0, "8 bytes"},
    {"7921 CE REG_WRITE (no QUERY) has no rule: done 0", &kMt7921, CmdWord::Ce(ce::kRegAccess), 8,
     8, 0x02, 0, 0, "00 10 00 18 ef be ad de", Verdict::kDone, 0, nullptr},
    {"7921 EXT WF_RF_PIN_CTRL: result = payload byte 0", &kMt7921, CmdWord::Ext(ext::kWfRfPinCtrl),
     9, 9, 0xed, 0, 0x9a, "01 02", Verdict::kDone, 1, nullptr},
    {"7921 EXT WF_RF_PIN_CTRL: empty payload", &kMt7921, CmdWord::Ext(ext::kWfRfPinCtrl), 9, 9,
     0xed, 0, 0x9a, "", Verdict::kMalformed, 0, "1 byte"},
    {"7921 other command: done 0", &kMt7921, CmdWord::ExtQuery(0x01), 9, 9, 0xed, 0, 0,
     "ff ff ff ff", Verdict::kDone, 0, nullptr},

    // ---- mt7996 ---------------------------------------------------------------------------
    {"7996 wrong seq", &kMt7996, kBss, 3, 4, kEidResult, kUniEv, 0, "02 00 00 00 00 00 00 00",
     Verdict::kStale, 0, "seq"},
    {"7996 PATCH_SEM_CONTROL: byte at 40", &kMt7996, kSem, 1, 1, 0x04, 0, 0x02, "", Verdict::kDone,
     2, nullptr},
    {"7996 PATCH_FINISH_REQ has no byte rule on mt7996", &kMt7996, kFinish, 1, 1, 0x01, 0, 0x05, "",
     Verdict::kDone, 0, nullptr},
    {"7996 UNI RESULT for BSS_INFO: {le16 cid, 2 rsv, le32 status}", &kMt7996, kBss, 3, 3,
     kEidResult, kUniEv, 0, "02 00 00 00 00 00 00 00", Verdict::kDone, 0, nullptr},
    {"7996 UNI RESULT status 0xC0000001", &kMt7996, kBss, 3, 3, kEidResult, kUniEv, 0,
     "02 00 00 00 01 00 00 c0", Verdict::kDone, static_cast<int32_t>(0xc0000001u), nullptr},
    {"7996 UNI RESULT cid mismatch", &kMt7996, kBss, 3, 3, kEidResult, kUniEv, 0,
     "03 00 00 00 00 00 00 00", Verdict::kStale, 0, "cid"},
    {"7996 UNI RESULT le16 cid 0x0102 != 0x02 (16-bit compare)", &kMt7996, kBss, 3, 3, kEidResult,
     kUniEv, 0, "02 01 00 00 00 00 00 00", Verdict::kStale, 0, "cid"},
    {"7996 UNI RESULT 7-byte payload", &kMt7996, kBss, 3, 3, kEidResult, kUniEv, 0,
     "02 00 00 00 00 00 00", Verdict::kMalformed, 0, "8 bytes"},
    {"7996 eid RESULT without the UNI event option bit: done 0", &kMt7996, kBss, 3, 3, kEidResult,
     0x00, 0, "03 00 00 00 01 00 00 00", Verdict::kDone, 0, nullptr},
    {"7996 UNI event that is not RESULT (eid 0x06): done 0", &kMt7996, kBss, 3, 3, 0x06, kUniEv, 0,
     "03 00 00 00 01 00 00 00", Verdict::kDone, 0, nullptr},
    {"7996 RESULT rule applies to any command: EXT cid 0xed", &kMt7996,
     CmdWord::Ext(ext::kGetMibInfo), 3, 3, kEidResult, kUniEv, 0, "ed 00 00 00 07 00 00 00",
     Verdict::kDone, 7, nullptr},
    {"7996 RESULT rule applies to any command: EXT, cid 0x5a is not the id byte", &kMt7996,
     CmdWord::Ext(ext::kGetMibInfo), 3, 3, kEidResult, kUniEv, 0, "5a 00 00 00 07 00 00 00",
     Verdict::kStale, 0, "cid"},
    {"7996 MCU_WMWA_UNI_CMD(BSS_INFO_UPDATE): cid compared with bits 7:0", &kMt7996,
     CmdWord{0x001a0002}, 3, 3, kEidResult, kUniEv, 0, "02 00 00 00 05 00 00 00", Verdict::kDone, 5,
     nullptr},
    {"7996 SCAN_REQ RESULT", &kMt7996, CmdWord::Uni(uni::kScanReq), 3, 3, kEidResult, kUniEv | 0x01,
     0, "16 00 00 00 00 00 00 00", Verdict::kDone, 0, nullptr},
};

TEST(ParseResponseTest, DriverRules) {
  for (const ResponseCase& c : kCases) {
    SCOPED_TRACE(c.desc);
    const std::vector<uint8_t> payload = Hex(c.payload);
    const std::vector<uint8_t> ev = MakeEvent(*c.p, c.ev_seq, c.eid, c.option, c.ext_eid, payload);
    const Response r = ParseResponse(*c.p, c.cmd, c.sent_seq, View(ev));
    EXPECT_EQ(r.verdict, c.verdict) << VerdictName(r.verdict) << (r.reason ? r.reason : "");
    if (c.verdict == Verdict::kDone) {
      EXPECT_EQ(r.status, c.status);
      EXPECT_EQ(r.reason, nullptr);
      EXPECT_EQ(r.payload.data(), ev.data() + c.p->rxd_size) << "payload follows the rxd header";
      EXPECT_EQ(r.payload.size(), payload.size());
    } else {
      EXPECT_EQ(r.status, 0);
      EXPECT_TRUE(r.payload.empty());
      ASSERT_NE(r.reason, nullptr);
      EXPECT_NE(std::strstr(r.reason, c.reason), nullptr) << "reason: " << r.reason;
    }
  }
}

// Every event shorter than the profile's header is malformed, whatever the command.
TEST(ParseResponseTest, EventShorterThanHeader) {
  const CmdWord cmds[] = {kBss, kSem, CmdWord::Ext(ext::kThermalCtrl), CmdWord::Uni(uni::kScanReq)};
  for (const Profile* p : kAllProfiles) {
    for (const CmdWord cmd : cmds) {
      const std::vector<uint8_t> full =
          MakeEvent(*p, 1, kEidResult, kUniEv, 0, Hex("02 00 00 00 00 00 00 00"));
      for (size_t n = 0; n < p->rxd_size; ++n) {
        const Response r = ParseResponse(*p, cmd, 1, ConstBytes(full.data(), n));
        EXPECT_EQ(r.verdict, Verdict::kMalformed)
            << p->name << " cmd 0x" << std::hex << cmd.raw << std::dec << " len " << n;
        ASSERT_NE(r.reason, nullptr);
        EXPECT_NE(std::strstr(r.reason, "RX descriptor"), nullptr);
      }
    }
  }
}

// A truncated result payload is malformed at every length below 8, never an out-of-bounds read.
TEST(ParseResponseTest, EveryShortResultPayload) {
  struct Case {
    const char* desc;
    const Profile* p;
    CmdWord cmd;
    uint8_t option;
    size_t need;
  };
  const Case cases[] = {
      {"7925 BSS_INFO", &kMt7925, kBss, kUniEv, 8},
      {"7921 HIF_CTRL", &kMt7921, CmdWord::Uni(uni::kHifCtrl), kUniEv, 8},
      {"7921 THERMAL_CTRL", &kMt7921, CmdWord::Ext(ext::kThermalCtrl), 0, 8},
      {"7921 REG_READ", &kMt7921, CmdWord::CeQuery(ce::kRegAccess), 0, 8},
      {"7921 WF_RF_PIN_CTRL", &kMt7921, CmdWord::Ext(ext::kWfRfPinCtrl), 0, 1},
      {"7996 RESULT", &kMt7996, kBss, kUniEv, 8},
  };
  const std::vector<uint8_t> result = Hex("02 00 00 00 00 00 00 00");
  for (const Case& c : cases) {
    SCOPED_TRACE(c.desc);
    for (size_t n = 0; n <= result.size(); ++n) {
      std::vector<uint8_t> payload(result.begin(), result.begin() + n);
      if (c.cmd == CmdWord::Uni(uni::kHifCtrl) && n > 0) payload[0] = uni::kHifCtrl;
      const std::vector<uint8_t> ev = MakeEvent(*c.p, 9, kEidResult, c.option, 0, payload);
      const Response r = ParseResponse(*c.p, c.cmd, 9, View(ev));
      EXPECT_EQ(r.verdict, n < c.need ? Verdict::kMalformed : Verdict::kDone) << "payload " << n;
    }
  }
}

TEST(ParseResponseTest, VerdictNames) {
  EXPECT_STREQ(VerdictName(Verdict::kDone), "done");
  EXPECT_STREQ(VerdictName(Verdict::kStale), "stale");
  EXPECT_STREQ(VerdictName(Verdict::kMalformed), "malformed");
}

// Random events against a spread of commands: never a crash, verdicts well-formed.
TEST(ParseResponseTest, FuzzRandomEvents) {
  connac_test::Prng rng(1036);
  const CmdWord cmds[] = {kBss,
                          kSem,
                          kFinish,
                          CmdWord::Uni(uni::kHifCtrl),
                          CmdWord::Ext(ext::kThermalCtrl),
                          CmdWord::CeQuery(ce::kRegAccess),
                          CmdWord::Ext(ext::kWfRfPinCtrl),
                          CmdWord::Uni(uni::kScanReq)};
  for (int iter = 0; iter < 20000; ++iter) {
    const Profile& p = *kAllProfiles[rng.Below(3)];
    std::vector<uint8_t> ev(rng.Below(60));
    for (uint8_t& b : ev) b = rng.Byte();
    const uint8_t seq = static_cast<uint8_t>(1 + rng.Below(15));
    if (ev.size() > p.rxd_size - 7u && rng.OneIn(2)) ev[p.rxd_size - 7] = seq;  // hit the seq often
    const CmdWord cmd = cmds[rng.Below(sizeof(cmds) / sizeof(cmds[0]))];
    const Response r = ParseResponse(p, cmd, seq, View(ev));
    if (r.verdict == Verdict::kDone) {
      ASSERT_TRUE(connac_test::Inside(r.payload, View(ev)));
    } else {
      ASSERT_NE(r.reason, nullptr);
    }
  }
}

}  // namespace
}  // namespace connac
