// File: connac/mcu_ids.h
//
// MCU command and event identifiers of the CONNAC firmware, with their mt76 names.
//
// These are facts of the wire protocol, transcribed as (id, name) pairs from the enums in
// openwrt/mt76 `mt76_connac_mcu.h` (master @59676919): MCU_UNI_CMD_*, MCU_EXT_CMD_*,
// MCU_CMD_* (legacy and firmware download), MCU_CE_CMD_*, MCU_UNI_EVENT_*, MCU_EVENT_* and
// MCU_EXT_EVENT_*. Names are the identifiers without their prefix, so "BSS_INFO_UPDATE" is
// MCU_UNI_CMD_BSS_INFO_UPDATE. docs/mcu-protocol.md cites the source for each table.
//
// The tables are constant-initialised arrays of string-literal pointers: no constructor runs,
// so they are safe at namespace scope in the kernel (CONFIG_CONSTRUCTORS=n).
//
// Where mt76 gives one id several names (legacy event 0x01 is TARGET_ADDRESS_LEN, FW_START and
// GENERIC; CE 0xc0 is REG_WRITE and REG_READ) every name is listed; lookups by id return the
// first, and connac/mcu_cmd.h picks REG_READ/REG_WRITE by the query bit.

#ifndef CONNAC_MCU_IDS_H_
#define CONNAC_MCU_IDS_H_

#include <cstddef>
#include <cstdint>

namespace connac {

struct IdName {
  uint8_t id;
  const char* name;
};

// A table of IdName sorted by id (the same id may repeat).
struct IdTable {
  const IdName* entries;
  size_t size;

  // First name for `id`, or nullptr when the id is unknown.
  constexpr const char* Find(uint8_t id) const {
    for (size_t i = 0; i < size; ++i) {
      if (entries[i].id == id) return entries[i].name;
    }
    return nullptr;
  }
};

namespace ids {

inline constexpr IdName kUniCmdNames[] = {
    {0x01, "DEV_INFO_UPDATE"},
    {0x02, "BSS_INFO_UPDATE"},
    {0x03, "STA_REC_UPDATE"},
    {0x04, "EDCA_UPDATE"},
    {0x05, "SUSPEND"},
    {0x06, "OFFLOAD"},
    {0x07, "HIF_CTRL"},
    {0x08, "BAND_CONFIG"},
    {0x09, "REPT_MUAR"},
    {0x0b, "WSYS_CONFIG"},
    {0x0d, "REG_ACCESS"},
    {0x0e, "CHIP_CONFIG"},
    {0x0f, "POWER_CTRL"},
    {0x12, "RX_HDR_TRANS"},
    {0x13, "SER"},
    {0x14, "TWT"},
    {0x15, "SET_DOMAIN_INFO"},
    {0x16, "SCAN_REQ"},
    {0x19, "RDD_CTRL"},
    {0x22, "GET_MIB_INFO"},
    {0x23, "GET_STAT_INFO"},
    {0x24, "SNIFFER"},
    {0x25, "SR"},
    {0x27, "ROC"},
    {0x28, "SET_DBDC_PARMS"},
    {0x2b, "TXPOWER"},
    {0x2c, "SET_POWER_LIMIT"},
    {0x2d, "EFUSE_CTRL"},
    {0x2f, "RA"},
    {0x31, "MURU"},
    {0x32, "TESTMODE_RX_STAT"},
    {0x33, "BF"},
    {0x34, "CHANNEL_SWITCH"},
    {0x35, "THERMAL"},
    {0x37, "VOW"},
    {0x40, "FIXED_RATE_TABLE"},
    {0x41, "RSSI_MONITOR"},
    {0x46, "TESTMODE_CTRL"},
    {0x57, "RRO"},
    {0x58, "OFFCH_SCAN_CTRL"},
    {0x6d, "PER_STA_INFO"},
    {0x6e, "ALL_STA_INFO"},
    {0x6f, "ASSERT_DUMP"},
    {0x74, "EXT_EEPROM_CTRL"},
    {0x80, "RADIO_STATUS"},
    {0x82, "MLD"},
    {0x88, "SDO"},
};

inline constexpr IdName kExtCmdNames[] = {
    {0x01, "EFUSE_ACCESS"},
    {0x02, "RF_REG_ACCESS"},
    {0x04, "RF_TEST"},
    {0x05, "ID_RADIO_ON_OFF_CTRL"},
    {0x07, "PM_STATE_CTRL"},
    {0x08, "CHANNEL_SWITCH"},
    {0x11, "SET_TX_POWER_CTRL"},
    {0x13, "FW_LOG_2_HOST"},
    {0x1e, "TXBF_ACTION"},
    {0x21, "EFUSE_BUFFER_MODE"},
    {0x23, "THERMAL_PROT"},
    {0x25, "STA_REC_UPDATE"},
    {0x26, "BSS_INFO_UPDATE"},
    {0x27, "EDCA_UPDATE"},
    {0x2a, "DEV_INFO_UPDATE"},
    {0x2c, "THERMAL_CTRL"},
    {0x32, "WTBL_UPDATE"},
    {0x36, "SET_DRR_CTRL"},
    {0x38, "SET_FEATURE_CTRL"},
    {0x3a, "SET_RDD_CTRL"},
    {0x3d, "ATE_CTRL"},
    {0x3e, "PROTECT_CTRL"},
    {0x45, "DBDC_CTRL"},
    {0x46, "MAC_INIT_CTRL"},
    {0x47, "RX_HDR_TRANS"},
    {0x48, "MUAR_UPDATE"},
    {0x49, "BCN_OFFLOAD"},
    {0x4a, "RX_AIRTIME_CTRL"},
    {0x4b, "AT_PROC_MODULE"},
    {0x4e, "SET_RX_PATH"},
    {0x4f, "EFUSE_FREE_BLOCK"},
    {0x58, "TX_POWER_FEATURE_CTRL"},
    {0x59, "RXDCOC_CAL"},
    {0x5a, "GET_MIB_INFO"},
    {0x60, "TXDPD_CAL"},
    {0x67, "CAL_CACHE"},
    {0x68, "RED_ENABLE"},
    {0x75, "CP_SUPPORT"},
    {0x7c, "SET_RADAR_TH"},
    {0x7d, "SET_RDD_PATTERN"},
    {0x80, "MWDS_SUPPORT"},
    {0x81, "SET_SER_TRIGGER"},
    {0x94, "TWT_AGRT_UPDATE"},
    {0x95, "FW_DBG_CTRL"},
    {0x9a, "OFFCH_SCAN_CTRL"},
    {0x9d, "SET_RDD_TH"},
    {0x9f, "MURU_CTRL"},
    {0xa8, "SET_SPR"},
    {0xab, "GROUP_PRE_CAL_INFO"},
    {0xac, "DPD_PRE_CAL_INFO"},
    {0xad, "PHY_STAT_INFO"},
    {0xbd, "WF_RF_PIN_CTRL"},
};

inline constexpr IdName kLegacyCmdNames[] = {
    {0x01, "TARGET_ADDRESS_LEN_REQ"},
    {0x02, "FW_START_REQ"},
    {0x03, "INIT_ACCESS_REG"},
    {0x04, "NIC_POWER_CTRL"},
    {0x05, "PATCH_START_REQ"},
    {0x07, "PATCH_FINISH_REQ"},
    {0x10, "PATCH_SEM_CONTROL"},
    {0xc4, "WA_PARAM"},
    {0xed, "EXT_CID"},
    {0xee, "FW_SCATTER"},
    {0xef, "RESTART_DL_REQ"},
};

inline constexpr IdName kCeCmdNames[] = {
    {0x01, "TEST_CTRL"},         {0x03, "START_HW_SCAN"},     {0x05, "SET_PS_PROFILE"},
    {0x0a, "SET_RX_FILTER"},     {0x0f, "SET_CHAN_DOMAIN"},   {0x16, "SET_BSS_CONNECTED"},
    {0x17, "SET_BSS_ABORT"},     {0x1b, "CANCEL_HW_SCAN"},    {0x1c, "SET_ROC"},
    {0x1d, "SET_EDCA_PARMS"},    {0x33, "SET_P2P_OPPPS"},     {0x5c, "SET_CLC"},
    {0x5d, "SET_RATE_TX_POWER"}, {0x61, "SCHED_SCAN_ENABLE"}, {0x62, "SCHED_SCAN_REQ"},
    {0x8a, "GET_NIC_CAPAB"},     {0xa1, "RSSI_MONITOR"},      {0xb0, "SET_MU_EDCA_PARMS"},
    {0xc0, "REG_WRITE"},         {0xc0, "REG_READ"},          {0xc5, "FWLOG_2_HOST"},
    {0xca, "CHIP_CONFIG"},       {0xcd, "GET_WTBL"},          {0xd0, "GET_TXPWR"},
};

inline constexpr IdName kUniEventNames[] = {
    {0x01, "RESULT"},          {0x03, "HIF_CTRL"},     {0x04, "FW_LOG_2_HOST"},
    {0x06, "ACCESS_REG"},      {0x09, "IE_COUNTDOWN"}, {0x0a, "COREDUMP"},
    {0x0c, "BSS_BEACON_LOSS"}, {0x0d, "PS_SYNC"},      {0x0e, "SCAN_DONE"},
    {0x11, "RDD_REPORT"},      {0x27, "ROC"},          {0x28, "MBMC"},
    {0x2d, "TX_DONE"},         {0x35, "THERMAL"},      {0x41, "RSSI_MONITOR"},
    {0x43, "NIC_CAPAB"},       {0x57, "WED_RRO"},      {0x6d, "PER_STA_INFO"},
    {0x6e, "ALL_STA_INFO"},    {0x83, "SDO"},
};

inline constexpr IdName kLegacyEventNames[] = {
    {0x01, "TARGET_ADDRESS_LEN"},
    {0x01, "FW_START"},
    {0x01, "GENERIC"},
    {0x02, "ACCESS_REG"},
    {0x04, "MT_PATCH_SEM"},
    {0x05, "REG_ACCESS"},
    {0x07, "LP_INFO"},
    {0x0d, "SCAN_DONE"},
    {0x0f, "TX_DONE"},
    {0x10, "ROC"},
    {0x11, "BSS_ABSENCE"},
    {0x13, "BSS_BEACON_LOSS"},
    {0x18, "CH_PRIVILEGE"},
    {0x23, "SCHED_SCAN_DONE"},
    {0x27, "DBG_MSG"},
    {0x96, "RSSI_NOTIFY"},
    {0xd0, "TXPWR"},
    {0xed, "EXT"},
    {0xef, "RESTART_DL"},
    {0xf0, "COREDUMP"},
};

inline constexpr IdName kExtEventNames[] = {
    {0x05, "PS_SYNC"},     {0x13, "FW_LOG_2_HOST"}, {0x22, "THERMAL_PROTECT"},
    {0x23, "ASSERT_DUMP"}, {0x3a, "RDD_REPORT"},    {0x4f, "CSA_NOTIFY"},
    {0x74, "WA_TX_STAT"},  {0x75, "BCC_NOTIFY"},    {0x9a, "WF_RF_PIN_CTRL"},
    {0x9f, "MURU_CTRL"},
};

}  // namespace ids

template <size_t N>
constexpr IdTable MakeTable(const IdName (&arr)[N]) {
  return IdTable{arr, N};
}

inline constexpr IdTable kUniCmds = MakeTable(ids::kUniCmdNames);
inline constexpr IdTable kExtCmds = MakeTable(ids::kExtCmdNames);
inline constexpr IdTable kLegacyCmds = MakeTable(ids::kLegacyCmdNames);
inline constexpr IdTable kCeCmds = MakeTable(ids::kCeCmdNames);
inline constexpr IdTable kUniEvents = MakeTable(ids::kUniEventNames);
inline constexpr IdTable kLegacyEvents = MakeTable(ids::kLegacyEventNames);
inline constexpr IdTable kExtEvents = MakeTable(ids::kExtEventNames);

// Ids the framing rules test for by value (a subset of the tables above, as constants).
namespace uni {
inline constexpr uint8_t kDevInfoUpdate = 0x01;
inline constexpr uint8_t kBssInfoUpdate = 0x02;
inline constexpr uint8_t kStaRecUpdate = 0x03;
inline constexpr uint8_t kSuspend = 0x05;
inline constexpr uint8_t kOffload = 0x06;
inline constexpr uint8_t kHifCtrl = 0x07;
inline constexpr uint8_t kChipConfig = 0x0e;
inline constexpr uint8_t kTwt = 0x14;
inline constexpr uint8_t kScanReq = 0x16;
inline constexpr uint8_t kGetMibInfo = 0x22;
inline constexpr uint8_t kEfuseCtrl = 0x2d;
inline constexpr uint8_t kTestmodeRxStat = 0x32;
inline constexpr uint8_t kThermal = 0x35;
inline constexpr uint8_t kTestmodeCtrl = 0x46;
inline constexpr uint8_t kExtEepromCtrl = 0x74;
}  // namespace uni

namespace ext {
inline constexpr uint8_t kThermalCtrl = 0x2c;
inline constexpr uint8_t kGetMibInfo = 0x5a;
inline constexpr uint8_t kWfRfPinCtrl = 0xbd;
}  // namespace ext

namespace legacy {
inline constexpr uint8_t kTargetAddressLenReq = 0x01;
inline constexpr uint8_t kFwStartReq = 0x02;
inline constexpr uint8_t kNicPowerCtrl = 0x04;
inline constexpr uint8_t kPatchStartReq = 0x05;
inline constexpr uint8_t kPatchFinishReq = 0x07;
inline constexpr uint8_t kPatchSemControl = 0x10;
inline constexpr uint8_t kWaParam = 0xc4;
inline constexpr uint8_t kExtCid = 0xed;
inline constexpr uint8_t kFwScatter = 0xee;
inline constexpr uint8_t kRestartDlReq = 0xef;
}  // namespace legacy

namespace ce {
inline constexpr uint8_t kRegAccess = 0xc0;  // REG_WRITE (set) / REG_READ (query).
}  // namespace ce

namespace uni_event {
inline constexpr uint8_t kResult = 0x01;
inline constexpr uint8_t kCoredump = 0x0a;
}  // namespace uni_event

}  // namespace connac

#endif  // CONNAC_MCU_IDS_H_
