// File: connac/family.h
//
// Family profiles: what differs between the CONNAC chips the core serves.
//
// One Profile per driver family, as constant data. Everything that varies between mt7921,
// mt7925 and mt7996 on the MCU path is here, so the framing code is one function with no
// per-chip branches scattered through it:
//
//   - which TX-descriptor filler the driver uses (connac2 generic, mt7925, mt7996),
//   - the size of the MCU event header (RXD) and so where eid/seq/option sit,
//   - which response layout `parse_response` applies,
//   - the per-command timeout.
//
// Sources (openwrt/mt76 @59676919): mt76_connac_mcu.c (mt76_connac2_mcu_fill_message, used by
// mt7921), mt7925/mcu.c (mt7925_mcu_fill_message, mt7925_mcu_parse_response), mt7921/mcu.c,
// mt7996/mcu.c (mt7996_mcu_send_message, mt7996_mcu_set_timeout, parse_response),
// mt7925/pci_mcu.c, mt7925/usb.c, mt7921/pci_mcu.c, mt7921/usb.c (the 3 s override).
//
// Example:
//
//   const connac::Profile& p = connac::kMt7925;
//   connac::Duration t = connac::TimeoutFor(p, cmd);   // 3 s

#ifndef CONNAC_FAMILY_H_
#define CONNAC_FAMILY_H_

#include <cstddef>
#include <cstdint>

#include "connac/mcu_cmd.h"
#include "connac/time.h"
#include "connac/wire.h"

namespace connac {

enum class Family : uint8_t { kMt7921, kMt7925, kMt7996 };

// Which driver function fills the TX descriptor and MCU header.
enum class Filler : uint8_t {
  kConnac2,  // mt76_connac2_mcu_fill_message: DW1 LONG_FORMAT, UNI option always SET+ACK.
  kMt7925,   // mt7925_mcu_fill_message: QUERY/SET option, HIF_CTRL/CHIP_CONFIG drop ACK.
  kMt7996,   // mt7996_mcu_send_message: ACK only when waited for, WA/WM routing in s2d.
};

// How the driver's parse_response reads a response (see connac/mcu_response.h).
enum class ResponseRules : uint8_t { kMt7921, kMt7925, kMt7996 };

// The MCU event header ends in 12 bytes every family shares (wire::event: len, pkt_type_id,
// eid, seq, option, rsv, ext_eid, rsv[2], s2d_index), after a hardware RXD of at least RXD0.
inline constexpr uint8_t kRxdTailSize = wire::event::kTailSize;
inline constexpr uint8_t kMinRxdSize = kRxdTailSize + 4;

// A family's constants. There is no default Profile: one with a zero header size would read
// before its event (hosts pick one of kMt7921 / kMt7925 / kMt7996 below). A hand-built one
// that breaks the rules is refused by valid(), which every parser checks.
struct Profile {
  constexpr Profile(Family family, const char* name, Filler filler, ResponseRules rules,
                    uint8_t rxd_size, Duration default_timeout)
      : family(family),
        name(name),
        filler(filler),
        rules(rules),
        rxd_size(rxd_size),
        default_timeout(default_timeout) {}
  Profile() = delete;

  // Every size and rule is one the parsers can work with.
  constexpr bool valid() const {
    return name != nullptr && rxd_size >= kMinRxdSize && default_timeout.ns > 0;
  }

  Family family;
  const char* name;  // "mt7925"
  Filler filler;
  ResponseRules rules;
  // Size of the MCU event header: 32-byte (8 DW) HW RXD + 12 bytes on connac3 parts,
  // 24-byte (6 DW) HW RXD + 12 bytes on connac2 (mt7921).
  uint8_t rxd_size;
  Duration default_timeout;
};

// Offsets inside the MCU event header, relative to its end (the 12 bytes after the HW RXD
// are the same on every family: len, pkt_type_id, eid, seq, option, rsv, ext_eid, rsv[2],
// s2d_index).
struct RxdLayout {
  size_t len;
  size_t pkt_type_id;
  size_t eid;
  size_t seq;
  size_t option;
  size_t ext_eid;
  size_t s2d_index;
  size_t payload;
};

// REQUIRES: p.valid() (callers check; an invalid profile would put the fields before 0).
constexpr RxdLayout LayoutOf(const Profile& p) {
  namespace ev = wire::event;
  const size_t hw = p.rxd_size - size_t{kRxdTailSize};
  return RxdLayout{hw + ev::kLen,    hw + ev::kPktTypeId, hw + ev::kEid, hw + ev::kSeq,
                   hw + ev::kOption, hw + ev::kExtEid,    hw + ev::kS2d, p.rxd_size};
}

inline constexpr Profile kMt7921 = {
    Family::kMt7921,  "mt7921",
    Filler::kConnac2, ResponseRules::kMt7921,
    /*rxd_size=*/36,  Duration::Seconds(3),
};

inline constexpr Profile kMt7925 = {
    Family::kMt7925, "mt7925",
    Filler::kMt7925, ResponseRules::kMt7925,
    /*rxd_size=*/44, Duration::Seconds(3),
};

inline constexpr Profile kMt7996 = {
    Family::kMt7996, "mt7996",
    Filler::kMt7996, ResponseRules::kMt7996,
    /*rxd_size=*/44, Duration::Seconds(5),
};

inline constexpr const Profile* kAllProfiles[] = {&kMt7921, &kMt7925, &kMt7996};

// Profile by name ("mt7921", "mt7925", "mt7996"), or nullptr. `name` need not be
// NUL-terminated.
constexpr const Profile* ProfileByName(const char* name, size_t len) {
  for (const Profile* p : kAllProfiles) {
    size_t i = 0;
    while (i < len && p->name[i] != '\0' && p->name[i] == name[i]) ++i;
    if (i == len && p->name[i] == '\0') return p;
  }
  return nullptr;
}

// How long the driver waits for the response to `cmd`.
//
// mt7921/mt7925: the fillers set 20 s ("TODO: make dynamic") and the PCIe/USB send path then
// overrides it to 3 s for every command. mt7996: 5 s, 2 s for the UNI commands the firmware
// answers at once (THERMAL, TWT, GET_MIB_INFO, STA_REC_UPDATE, BSS_INFO_UPDATE), 30 s for the
// UNI EFUSE_CTRL and EXT_EEPROM_CTRL that touch flash.
constexpr Duration TimeoutFor(const Profile& p, CmdWord cmd) {
  if (p.family != Family::kMt7996 || !cmd.uni()) return p.default_timeout;
  switch (cmd.id()) {
    case uni::kThermal:
    case uni::kTwt:
    case uni::kGetMibInfo:
    case uni::kStaRecUpdate:
    case uni::kBssInfoUpdate: return Duration::Seconds(2);
    case uni::kEfuseCtrl:
    case uni::kExtEepromCtrl: return Duration::Seconds(30);
    default: return p.default_timeout;
  }
}

}  // namespace connac

#endif  // CONNAC_FAMILY_H_
