// connac/mcu_cmd.h and connac/mcu_ids.h: the driver's 32-bit command word and its names.
//
// Facts: openwrt/mt76 @59676919 mt76_connac_mcu.h (__MCU_CMD_FIELD_*, MCU_*_CMD macros and the
// MCU_UNI_CMD_* / MCU_EXT_CMD_* / MCU_CMD_* / MCU_CE_CMD_* / event enums).

#include "connac/mcu_cmd.h"

#include <cstdint>
#include <cstring>
#include <set>
#include <string>

#include "connac/mcu_ids.h"
#include "gtest/gtest.h"

namespace connac {
namespace {

// ---------------------------------------------------------------------------------------
// Bit layout.

TEST(CmdWordTest, FieldMasks) {
  // __MCU_CMD_FIELD_ID 7:0, EXT_ID 15:8, QUERY 16, UNI 17, CE 18, WA 19, WM 20.
  EXPECT_EQ(CmdWord::kIdMask, 0x000000ffu);
  EXPECT_EQ(CmdWord::kExtIdMask, 0x0000ff00u);
  EXPECT_EQ(CmdWord::kQuery, 0x00010000u);
  EXPECT_EQ(CmdWord::kUni, 0x00020000u);
  EXPECT_EQ(CmdWord::kCe, 0x00040000u);
  EXPECT_EQ(CmdWord::kWa, 0x00080000u);
  EXPECT_EQ(CmdWord::kWm, 0x00100000u);
  EXPECT_EQ(CmdWord::kKnownBits, 0x001fffffu);
}

struct LayoutCase {
  const char* desc;
  CmdWord cmd;
  uint32_t raw;
  uint8_t id;
  uint8_t ext_id;
  bool query, uni, ce, wa, wm;
};

const LayoutCase kLayoutCases[] = {
    {"MCU_UNI_CMD(BSS_INFO_UPDATE): the #1036 'Message 00020002'", CmdWord::Uni(0x02), 0x00020002,
     0x02, 0, false, true, false, false, false},
    {"MCU_UNI_QUERY(EFUSE_CTRL)", CmdWord::UniQuery(0x2d), 0x0003002d, 0x2d, 0, true, true, false,
     false, false},
    {"MCU_CMD(PATCH_SEM_CONTROL)", CmdWord::Legacy(0x10), 0x00000010, 0x10, 0, false, false, false,
     false, false},
    {"MCU_EXT_CMD(GET_MIB_INFO): cid EXT_CID 0xed, ext id 0x5a", CmdWord::Ext(0x5a), 0x00005aed,
     0xed, 0x5a, false, false, false, false, false},
    {"MCU_EXT_QUERY(GET_MIB_INFO)", CmdWord::ExtQuery(0x5a), 0x00015aed, 0xed, 0x5a, true, false,
     false, false, false},
    {"MCU_CE_CMD(REG_WRITE)", CmdWord::Ce(0xc0), 0x000400c0, 0xc0, 0, false, false, true, false,
     false},
    {"MCU_CE_QUERY(REG_READ)", CmdWord::CeQuery(0xc0), 0x000500c0, 0xc0, 0, true, false, true,
     false, false},
    {"MCU_WA_EXT_CMD(FW_LOG_2_HOST)", CmdWord::WaExt(0x13), 0x000813ed, 0xed, 0x13, false, false,
     false, true, false},
    {"MCU_WM_UNI_CMD(REPT_MUAR) (built by hand)", CmdWord{0x00120009}, 0x00120009, 0x09, 0, false,
     true, false, false, true},
    {"MCU_WMWA_UNI_CMD(STA_REC_UPDATE) = 0x1a0003 (mt7925/main.c WEP path)", CmdWord{0x001a0003},
     0x001a0003, 0x03, 0, false, true, false, true, true},
    {"MCU_WA_PARAM_CMD(SET): WA_PARAM 0xc4 | WA | sub-cmd SET (1) in 15:8", CmdWord{0x000801c4},
     0x000801c4, 0xc4, 0x01, false, false, false, true, false},
};

TEST(CmdWordTest, Layout) {
  for (const LayoutCase& c : kLayoutCases) {
    SCOPED_TRACE(c.desc);
    EXPECT_EQ(c.cmd.raw, c.raw);
    EXPECT_EQ(c.cmd.id(), c.id);
    EXPECT_EQ(c.cmd.ext_id(), c.ext_id);
    EXPECT_EQ(c.cmd.query(), c.query);
    EXPECT_EQ(c.cmd.uni(), c.uni);
    EXPECT_EQ(c.cmd.ce(), c.ce);
    EXPECT_EQ(c.cmd.wa(), c.wa);
    EXPECT_EQ(c.cmd.wm(), c.wm);
    EXPECT_FALSE(c.cmd.has_unknown_bits());
  }
}

struct UnknownBitsCase {
  const char* desc;
  uint32_t raw;
  bool unknown;
};

constexpr UnknownBitsCase kUnknownBitsCases[] = {
    {"every defined bit", 0x001fffff, false},
    {"bit 21", 0x00200000, true},
    {"bit 29 (the pre-2021 MCU_CE_PREFIX is gone)", 0x20000002, true},
    {"bit 31", 0x80020002, true},
    {"zero word", 0x00000000, false},
};

TEST(CmdWordTest, UnknownBits) {
  for (const UnknownBitsCase& c : kUnknownBitsCases) {
    SCOPED_TRACE(c.desc);
    EXPECT_EQ(CmdWord{c.raw}.has_unknown_bits(), c.unknown);
  }
}

TEST(CmdWordTest, FwScatterIsTheExactWord) {
  // mt7925_mcu_fill_message compares cmd == MCU_CMD(FW_SCATTER): no flag may be set.
  EXPECT_TRUE(CmdWord::Legacy(legacy::kFwScatter).is_fw_scatter());
  EXPECT_FALSE(CmdWord{0x000100ee}.is_fw_scatter());
  EXPECT_FALSE(CmdWord{0x000800ee}.is_fw_scatter());
  EXPECT_FALSE(CmdWord::Uni(0xee).is_fw_scatter());
}

TEST(CmdWordTest, ConstexprExample) {
  constexpr CmdWord kBss = CmdWord::Uni(uni::kBssInfoUpdate);
  static_assert(kBss.raw == 0x00020002);
  static_assert(DescribeCmd(kBss).name[0] == 'B');
  static_assert(KindOf(CmdWord::Ext(0x5a)) == CmdKind::kExt);
  SUCCEED();
}

// ---------------------------------------------------------------------------------------
// Known words and their names.

struct DescribeCase {
  const char* desc;
  uint32_t raw;
  CmdKind kind;
  const char* kind_name;
  const char* name;  // nullptr: unknown
};

const DescribeCase kDescribeCases[] = {
    // The ids of the openwrt/mt76#1036 timeout log lines.
    {"#1036 Message 00020001", 0x00020001, CmdKind::kUni, "UNI", "DEV_INFO_UPDATE"},
    {"#1036 Message 00020002", 0x00020002, CmdKind::kUni, "UNI", "BSS_INFO_UPDATE"},
    {"#1036 Message 00020003", 0x00020003, CmdKind::kUni, "UNI", "STA_REC_UPDATE"},
    {"UNI SET_DOMAIN_INFO", 0x00020015, CmdKind::kUni, "UNI", "SET_DOMAIN_INFO"},
    {"UNI SCAN_REQ", 0x00020016, CmdKind::kUni, "UNI", "SCAN_REQ"},
    {"UNI ROC", 0x00020027, CmdKind::kUni, "UNI", "ROC"},
    {"UNI SET_POWER_LIMIT", 0x0002002c, CmdKind::kUni, "UNI", "SET_POWER_LIMIT"},
    {"UNI query keeps the name", 0x0003002d, CmdKind::kUni, "UNI", "EFUSE_CTRL"},
    {"WM/WA routing bits do not change the name", 0x001a0003, CmdKind::kUni, "UNI",
     "STA_REC_UPDATE"},
    {"UNI SDO (highest UNI id 0x88)", 0x00020088, CmdKind::kUni, "UNI", "SDO"},
    {"EXT GET_MIB_INFO", 0x00005aed, CmdKind::kExt, "EXT", "GET_MIB_INFO"},
    {"EXT query GET_MIB_INFO", 0x00015aed, CmdKind::kExt, "EXT", "GET_MIB_INFO"},
    {"EXT THERMAL_CTRL", 0x00002ced, CmdKind::kExt, "EXT", "THERMAL_CTRL"},
    {"EXT WF_RF_PIN_CTRL", 0x0000bded, CmdKind::kExt, "EXT", "WF_RF_PIN_CTRL"},
    {"WA EXT FW_LOG_2_HOST", 0x000813ed, CmdKind::kExt, "EXT", "FW_LOG_2_HOST"},
    {"CE 0xc0 set is REG_WRITE", 0x000400c0, CmdKind::kCe, "CE", "REG_WRITE"},
    {"CE 0xc0 query is REG_READ", 0x000500c0, CmdKind::kCe, "CE", "REG_READ"},
    {"CE GET_NIC_CAPAB", 0x0004008a, CmdKind::kCe, "CE", "GET_NIC_CAPAB"},
    {"CE CHIP_CONFIG 0xca (declared before 0xc5 in mt76)", 0x000400ca, CmdKind::kCe, "CE",
     "CHIP_CONFIG"},
    // Legacy firmware-download CIDs (mt76_connac_mcu.c download helpers).
    {"FW download TARGET_ADDRESS_LEN_REQ", 0x00000001, CmdKind::kLegacy, "CMD",
     "TARGET_ADDRESS_LEN_REQ"},
    {"FW download FW_START_REQ", 0x00000002, CmdKind::kLegacy, "CMD", "FW_START_REQ"},
    {"NIC_POWER_CTRL (restart, no wait)", 0x00000004, CmdKind::kLegacy, "CMD", "NIC_POWER_CTRL"},
    {"FW download PATCH_START_REQ", 0x00000005, CmdKind::kLegacy, "CMD", "PATCH_START_REQ"},
    {"FW download PATCH_FINISH_REQ", 0x00000007, CmdKind::kLegacy, "CMD", "PATCH_FINISH_REQ"},
    {"FW download PATCH_SEM_CONTROL", 0x00000010, CmdKind::kLegacy, "CMD", "PATCH_SEM_CONTROL"},
    {"FW download FW_SCATTER", 0x000000ee, CmdKind::kLegacy, "CMD", "FW_SCATTER"},
    {"FW download RESTART_DL_REQ", 0x000000ef, CmdKind::kLegacy, "CMD", "RESTART_DL_REQ"},
    {"bare EXT_CID with no ext id is a legacy word", 0x000000ed, CmdKind::kLegacy, "CMD",
     "EXT_CID"},
    // MCU_WA_PARAM_CMD(x) puts a WA_PARAM sub-command (QUERY 0, SET 1, CAPABILITY 2, DEBUG 3) in
    // bits 15:8 of cid 0xc4; that is not an EXT id (mt7996/debugfs.c, mt7915/mcu.c use these).
    {"MCU_WA_PARAM_CMD(QUERY) = 0x0800c4", 0x000800c4, CmdKind::kLegacy, "CMD", "WA_PARAM"},
    {"MCU_WA_PARAM_CMD(SET) = 0x0801c4 is WA_PARAM, not EXT EFUSE_ACCESS", 0x000801c4,
     CmdKind::kLegacy, "CMD", "WA_PARAM"},
    {"MCU_WA_PARAM_CMD(CAPABILITY) = 0x0802c4 is not EXT RF_REG_ACCESS", 0x000802c4,
     CmdKind::kLegacy, "CMD", "WA_PARAM"},
    // Unknown ids: the name is nullptr, the kind is still known.
    {"UNI gap 0x0a", 0x0002000a, CmdKind::kUni, "UNI", nullptr},
    {"UNI 0xff", 0x000200ff, CmdKind::kUni, "UNI", nullptr},
    {"EXT gap 0x03", 0x000003ed, CmdKind::kExt, "EXT", nullptr},
    {"EXT 0xff", 0x0000ffed, CmdKind::kExt, "EXT", nullptr},
    {"CE gap 0x02", 0x00040002, CmdKind::kCe, "CE", nullptr},
    {"legacy gap 0x06", 0x00000006, CmdKind::kLegacy, "CMD", nullptr},
    {"legacy 0x00", 0x00000000, CmdKind::kLegacy, "CMD", nullptr},
};

TEST(DescribeCmdTest, KnownAndUnknownWords) {
  for (const DescribeCase& c : kDescribeCases) {
    SCOPED_TRACE(c.desc);
    const CmdName n = DescribeCmd(CmdWord{c.raw});
    EXPECT_EQ(n.kind, c.kind);
    EXPECT_STREQ(n.kind_name, c.kind_name);
    EXPECT_EQ(KindOf(CmdWord{c.raw}), c.kind);
    if (c.name == nullptr) {
      EXPECT_EQ(n.name, nullptr) << "got " << n.name;
    } else {
      ASSERT_NE(n.name, nullptr);
      EXPECT_STREQ(n.name, c.name);
    }
  }
}

TEST(DescribeCmdTest, KindNames) {
  EXPECT_STREQ(KindName(CmdKind::kUni), "UNI");
  EXPECT_STREQ(KindName(CmdKind::kExt), "EXT");
  EXPECT_STREQ(KindName(CmdKind::kCe), "CE");
  EXPECT_STREQ(KindName(CmdKind::kLegacy), "CMD");
}

// ---------------------------------------------------------------------------------------
// Every table entry round-trips through DescribeCmd and CmdFromName.

struct KindTable {
  const char* desc;
  CmdKind kind;
  IdTable table;
  size_t count;  // entries in the mt76 enum at 59676919
};

const KindTable kCmdTables[] = {
    {"MCU_UNI_CMD_*", CmdKind::kUni, kUniCmds, 47},
    {"MCU_EXT_CMD_*", CmdKind::kExt, kExtCmds, 52},
    {"MCU_CMD_* (legacy, firmware download)", CmdKind::kLegacy, kLegacyCmds, 11},
    {"MCU_CE_CMD_*", CmdKind::kCe, kCeCmds, 24},
};

CmdWord WordFor(CmdKind kind, uint8_t id, bool query) {
  switch (kind) {
    case CmdKind::kUni: return query ? CmdWord::UniQuery(id) : CmdWord::Uni(id);
    case CmdKind::kExt: return query ? CmdWord::ExtQuery(id) : CmdWord::Ext(id);
    case CmdKind::kCe: return query ? CmdWord::CeQuery(id) : CmdWord::Ce(id);
    case CmdKind::kLegacy: return CmdWord::Legacy(id);
  }
  return CmdWord{};
}

TEST(IdTableTest, EveryEntryRoundTrips) {
  for (const KindTable& t : kCmdTables) {
    SCOPED_TRACE(t.desc);
    EXPECT_EQ(t.table.size, t.count);
    for (size_t i = 0; i < t.table.size; ++i) {
      const IdName& e = t.table.entries[i];
      SCOPED_TRACE(e.name);
      // CE 0xc0 has two names; REG_READ is only ever sent as MCU_CE_QUERY(REG_READ).
      const bool reg_read = t.kind == CmdKind::kCe && std::strcmp(e.name, "REG_READ") == 0;
      const CmdWord w = WordFor(t.kind, e.id, reg_read);

      const CmdName n = DescribeCmd(w);
      EXPECT_EQ(n.kind, t.kind);
      ASSERT_NE(n.name, nullptr);
      EXPECT_STREQ(n.name, e.name);

      // Query and routing bits never change the name (except CE 0xc0, covered above).
      if (t.kind != CmdKind::kLegacy && !(t.kind == CmdKind::kCe && e.id == ce::kRegAccess)) {
        const CmdName q = DescribeCmd(WordFor(t.kind, e.id, true));
        ASSERT_NE(q.name, nullptr);
        EXPECT_STREQ(q.name, e.name);
      }
      if (t.kind == CmdKind::kUni || t.kind == CmdKind::kExt) {
        const CmdName r = DescribeCmd(CmdWord{w.raw | CmdWord::kWa | CmdWord::kWm});
        ASSERT_NE(r.name, nullptr);
        EXPECT_STREQ(r.name, e.name);
      }

      CmdWord back{0xdeadbeef};
      ASSERT_TRUE(CmdFromName(t.kind, e.name, std::strlen(e.name), &back));
      // CmdFromName sets QUERY only for REG_READ, the name the driver sends as a query.
      EXPECT_EQ(back.raw, WordFor(t.kind, e.id, reg_read).raw);
      EXPECT_EQ(t.table.Find(e.id) != nullptr, true);
    }
  }
}

struct FromNameCase {
  const char* desc;
  CmdKind kind;
  const char* name;
  size_t len;
  bool found;
  uint32_t raw;
};

const FromNameCase kFromNameCases[] = {
    {"UNI BSS_INFO_UPDATE", CmdKind::kUni, "BSS_INFO_UPDATE", 15, true, 0x00020002},
    {"EXT GET_MIB_INFO", CmdKind::kExt, "GET_MIB_INFO", 12, true, 0x00005aed},
    {"same name, UNI table", CmdKind::kUni, "GET_MIB_INFO", 12, true, 0x00020022},
    {"CE REG_WRITE", CmdKind::kCe, "REG_WRITE", 9, true, 0x000400c0},
    {"CE REG_READ is the query word the driver sends", CmdKind::kCe, "REG_READ", 8, true,
     0x000500c0},
    {"legacy PATCH_SEM_CONTROL", CmdKind::kLegacy, "PATCH_SEM_CONTROL", 17, true, 0x00000010},
    {"length-delimited: 'SCAN_REQ' out of 'SCAN_REQ,x'", CmdKind::kUni, "SCAN_REQ,x", 8, true,
     0x00020016},
    {"a prefix is not a name", CmdKind::kUni, "BSS_INFO", 8, false, 0},
    {"a longer string is not a name", CmdKind::kUni, "BSS_INFO_UPDATEX", 16, false, 0},
    {"empty name", CmdKind::kUni, "", 0, false, 0},
    {"wrong table", CmdKind::kExt, "SCAN_REQ", 8, false, 0},
    {"case matters", CmdKind::kUni, "scan_req", 8, false, 0},
    {"prefixed mt76 identifier is not accepted", CmdKind::kUni, "MCU_UNI_CMD_SCAN_REQ", 20, false,
     0},
};

TEST(CmdFromNameTest, Lookups) {
  for (const FromNameCase& c : kFromNameCases) {
    SCOPED_TRACE(c.desc);
    CmdWord out{0x12345678};
    EXPECT_EQ(CmdFromName(c.kind, c.name, c.len, &out), c.found);
    EXPECT_EQ(out.raw, c.found ? c.raw : 0x12345678u) << "a failed lookup leaves *out alone";
  }
}

// ---------------------------------------------------------------------------------------
// Table shape: sorted by id, names unique, duplicates only where mt76 has aliases.

struct ShapeCase {
  const char* desc;
  IdTable table;
  size_t count;
  // The one id allowed to repeat (documented alias), or -1.
  int alias_id;
  size_t alias_count;
};

const ShapeCase kShapeCases[] = {
    {"UNI commands", kUniCmds, 47, -1, 0},
    {"EXT commands", kExtCmds, 52, -1, 0},
    {"legacy commands", kLegacyCmds, 11, -1, 0},
    {"CE commands: 0xc0 is REG_WRITE and REG_READ", kCeCmds, 24, 0xc0, 2},
    {"UNI events", kUniEvents, 20, -1, 0},
    {"legacy events: 0x01 is TARGET_ADDRESS_LEN, FW_START and GENERIC", kLegacyEvents, 20, 0x01, 3},
    {"EXT events", kExtEvents, 10, -1, 0},
};

TEST(IdTableTest, SortedUniqueNamesOnlyDocumentedAliases) {
  for (const ShapeCase& c : kShapeCases) {
    SCOPED_TRACE(c.desc);
    EXPECT_EQ(c.table.size, c.count);
    std::set<std::string> names;
    size_t alias_seen = 0;
    for (size_t i = 0; i < c.table.size; ++i) {
      const IdName& e = c.table.entries[i];
      ASSERT_NE(e.name, nullptr);
      EXPECT_GT(std::strlen(e.name), 0u);
      EXPECT_TRUE(names.insert(e.name).second) << "duplicate name " << e.name;
      for (const char* p = e.name; *p != '\0'; ++p) {
        EXPECT_TRUE((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_')
            << "name '" << e.name << "' is not an mt76 identifier suffix";
      }
      if (static_cast<int>(e.id) == c.alias_id) ++alias_seen;
      if (i == 0) continue;
      const IdName& prev = c.table.entries[i - 1];
      EXPECT_LE(prev.id, e.id) << prev.name << " before " << e.name << ": not sorted";
      if (prev.id == e.id) {
        EXPECT_EQ(static_cast<int>(e.id), c.alias_id)
            << "id 0x" << std::hex << int{e.id} << " repeats but is not a documented alias";
      }
    }
    EXPECT_EQ(alias_seen, c.alias_count);
  }
}

struct FindCase {
  const char* desc;
  IdTable table;
  uint8_t id;
  const char* name;
};

const FindCase kFindCases[] = {
    {"alias: first name wins", kLegacyEvents, 0x01, "TARGET_ADDRESS_LEN"},
    {"alias: CE 0xc0 by id is REG_WRITE", kCeCmds, 0xc0, "REG_WRITE"},
    {"UNI event RESULT", kUniEvents, 0x01, "RESULT"},
    {"UNI event COREDUMP", kUniEvents, 0x0a, "COREDUMP"},
    {"legacy event EXT", kLegacyEvents, 0xed, "EXT"},
    {"EXT event WF_RF_PIN_CTRL (0x9a, unlike the 0xbd command)", kExtEvents, 0x9a,
     "WF_RF_PIN_CTRL"},
    {"unknown UNI event", kUniEvents, 0x02, nullptr},
    {"unknown EXT event (RATE_REPORT 0x87 is per-driver, not in the shared enum)", kExtEvents, 0x87,
     nullptr},
};

TEST(IdTableTest, Find) {
  for (const FindCase& c : kFindCases) {
    SCOPED_TRACE(c.desc);
    const char* got = c.table.Find(c.id);
    if (c.name == nullptr) {
      EXPECT_EQ(got, nullptr);
    } else {
      ASSERT_NE(got, nullptr);
      EXPECT_STREQ(got, c.name);
    }
  }
}

// The constants the framing rules test by value agree with the tables.
struct ConstCase {
  const char* desc;
  IdTable table;
  uint8_t id;
  const char* name;
};

const ConstCase kConstCases[] = {
    {"uni::kDevInfoUpdate", kUniCmds, uni::kDevInfoUpdate, "DEV_INFO_UPDATE"},
    {"uni::kBssInfoUpdate", kUniCmds, uni::kBssInfoUpdate, "BSS_INFO_UPDATE"},
    {"uni::kStaRecUpdate", kUniCmds, uni::kStaRecUpdate, "STA_REC_UPDATE"},
    {"uni::kSuspend", kUniCmds, uni::kSuspend, "SUSPEND"},
    {"uni::kOffload", kUniCmds, uni::kOffload, "OFFLOAD"},
    {"uni::kHifCtrl", kUniCmds, uni::kHifCtrl, "HIF_CTRL"},
    {"uni::kChipConfig", kUniCmds, uni::kChipConfig, "CHIP_CONFIG"},
    {"uni::kTwt", kUniCmds, uni::kTwt, "TWT"},
    {"uni::kScanReq", kUniCmds, uni::kScanReq, "SCAN_REQ"},
    {"uni::kGetMibInfo", kUniCmds, uni::kGetMibInfo, "GET_MIB_INFO"},
    {"uni::kEfuseCtrl", kUniCmds, uni::kEfuseCtrl, "EFUSE_CTRL"},
    {"uni::kTestmodeRxStat", kUniCmds, uni::kTestmodeRxStat, "TESTMODE_RX_STAT"},
    {"uni::kThermal", kUniCmds, uni::kThermal, "THERMAL"},
    {"uni::kTestmodeCtrl", kUniCmds, uni::kTestmodeCtrl, "TESTMODE_CTRL"},
    {"uni::kExtEepromCtrl", kUniCmds, uni::kExtEepromCtrl, "EXT_EEPROM_CTRL"},
    {"ext::kThermalCtrl", kExtCmds, ext::kThermalCtrl, "THERMAL_CTRL"},
    {"ext::kGetMibInfo", kExtCmds, ext::kGetMibInfo, "GET_MIB_INFO"},
    {"ext::kWfRfPinCtrl", kExtCmds, ext::kWfRfPinCtrl, "WF_RF_PIN_CTRL"},
    {"legacy::kTargetAddressLenReq", kLegacyCmds, legacy::kTargetAddressLenReq,
     "TARGET_ADDRESS_LEN_REQ"},
    {"legacy::kFwStartReq", kLegacyCmds, legacy::kFwStartReq, "FW_START_REQ"},
    {"legacy::kNicPowerCtrl", kLegacyCmds, legacy::kNicPowerCtrl, "NIC_POWER_CTRL"},
    {"legacy::kPatchStartReq", kLegacyCmds, legacy::kPatchStartReq, "PATCH_START_REQ"},
    {"legacy::kPatchFinishReq", kLegacyCmds, legacy::kPatchFinishReq, "PATCH_FINISH_REQ"},
    {"legacy::kPatchSemControl", kLegacyCmds, legacy::kPatchSemControl, "PATCH_SEM_CONTROL"},
    {"legacy::kWaParam", kLegacyCmds, legacy::kWaParam, "WA_PARAM"},
    {"legacy::kExtCid", kLegacyCmds, legacy::kExtCid, "EXT_CID"},
    {"legacy::kFwScatter", kLegacyCmds, legacy::kFwScatter, "FW_SCATTER"},
    {"legacy::kRestartDlReq", kLegacyCmds, legacy::kRestartDlReq, "RESTART_DL_REQ"},
    {"ce::kRegAccess", kCeCmds, ce::kRegAccess, "REG_WRITE"},
    {"uni_event::kResult", kUniEvents, uni_event::kResult, "RESULT"},
    {"uni_event::kCoredump", kUniEvents, uni_event::kCoredump, "COREDUMP"},
};

TEST(IdTableTest, NamedConstantsAgreeWithTables) {
  for (const ConstCase& c : kConstCases) {
    SCOPED_TRACE(c.desc);
    const char* got = c.table.Find(c.id);
    ASSERT_NE(got, nullptr);
    EXPECT_STREQ(got, c.name);
  }
}

}  // namespace
}  // namespace connac
