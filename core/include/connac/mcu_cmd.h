// File: connac/mcu_cmd.h
//
// CmdWord: the mt76 driver's internal 32-bit MCU command word, and its names.
//
// The driver never puts this word on the wire; it selects the header (UNI or legacy), the
// ids and the option bits that do go on the wire, and it is what the kernel prints in
// "Message 00020002 (seq 12) timeout". Bit layout (mt76_connac_mcu.h, __MCU_CMD_FIELD_*):
//
//   bits 7:0   id (UNI id, legacy CID, or 0xED = EXT_CID for EXT commands)
//   bits 15:8  EXT id
//   bit  16    QUERY
//   bit  17    UNI
//   bit  18    CE  (legacy connac "CE" command set)
//   bit  19    WA  (route to the WA core)
//   bit  20    WM  (route to the WM core; mt7996 UNI)
//
// Example:
//
//   constexpr connac::CmdWord kBss = connac::CmdWord::Uni(connac::uni::kBssInfoUpdate);
//   static_assert(kBss.raw == 0x00020002);
//   connac::CmdName n = connac::DescribeCmd(kBss);   // {"UNI", "BSS_INFO_UPDATE"}

#ifndef CONNAC_MCU_CMD_H_
#define CONNAC_MCU_CMD_H_

#include <cstddef>
#include <cstdint>

#include "connac/mcu_ids.h"

namespace connac {

struct CmdWord {
  static constexpr uint32_t kIdMask = 0xffu;
  static constexpr uint32_t kExtIdShift = 8;
  static constexpr uint32_t kExtIdMask = 0xffu << kExtIdShift;
  static constexpr uint32_t kQuery = 1u << 16;
  static constexpr uint32_t kUni = 1u << 17;
  static constexpr uint32_t kCe = 1u << 18;
  static constexpr uint32_t kWa = 1u << 19;
  static constexpr uint32_t kWm = 1u << 20;
  // Bits the driver defines; anything above is not a command word mt76 can produce.
  static constexpr uint32_t kKnownBits = kIdMask | kExtIdMask | kQuery | kUni | kCe | kWa | kWm;

  uint32_t raw = 0;

  // Constructors mirroring the mt76 macros (MCU_UNI_CMD, MCU_EXT_CMD, ...).
  static constexpr CmdWord Uni(uint8_t id) { return {kUni | id}; }
  static constexpr CmdWord UniQuery(uint8_t id) { return {kUni | kQuery | id}; }
  static constexpr CmdWord Legacy(uint8_t cid) { return {cid}; }
  static constexpr CmdWord Ext(uint8_t ext_id) {
    return {legacy::kExtCid | (static_cast<uint32_t>(ext_id) << kExtIdShift)};
  }
  static constexpr CmdWord ExtQuery(uint8_t ext_id) { return {Ext(ext_id).raw | kQuery}; }
  static constexpr CmdWord Ce(uint8_t id) { return {kCe | id}; }
  static constexpr CmdWord CeQuery(uint8_t id) { return {kCe | kQuery | id}; }
  static constexpr CmdWord WaExt(uint8_t ext_id) { return {Ext(ext_id).raw | kWa}; }

  constexpr uint8_t id() const { return static_cast<uint8_t>(raw & kIdMask); }
  constexpr uint8_t ext_id() const {
    return static_cast<uint8_t>((raw & kExtIdMask) >> kExtIdShift);
  }
  constexpr bool query() const { return (raw & kQuery) != 0; }
  constexpr bool uni() const { return (raw & kUni) != 0; }
  constexpr bool ce() const { return (raw & kCe) != 0; }
  constexpr bool wa() const { return (raw & kWa) != 0; }
  constexpr bool wm() const { return (raw & kWm) != 0; }
  // Bits outside the driver's layout are set: not a word mt76 produces.
  constexpr bool has_unknown_bits() const { return (raw & ~kKnownBits) != 0; }

  // FW_SCATTER is firmware payload, sent with no header on the FWDL ring.
  constexpr bool is_fw_scatter() const { return raw == legacy::kFwScatter; }

  friend constexpr bool operator==(CmdWord a, CmdWord b) { return a.raw == b.raw; }
  friend constexpr bool operator!=(CmdWord a, CmdWord b) { return a.raw != b.raw; }
};

// Which id space a command word's id lives in.
enum class CmdKind : uint8_t {
  kUni,     // UNI bit set: id is a MCU_UNI_CMD_*.
  kExt,     // EXT id non-zero: ext id is a MCU_EXT_CMD_* (cid is 0xED).
  kCe,      // CE bit set: id is a MCU_CE_CMD_*.
  kLegacy,  // Plain legacy CID (MCU_CMD_*), including firmware download.
};

constexpr CmdKind KindOf(CmdWord c) {
  if (c.uni()) return CmdKind::kUni;
  // Only cid EXT_CID carries an EXT id; MCU_WA_PARAM_CMD puts a sub-command in 15:8 of 0xC4.
  if (c.ext_id() != 0 && c.id() == legacy::kExtCid) return CmdKind::kExt;
  if (c.ce()) return CmdKind::kCe;
  return CmdKind::kLegacy;
}

constexpr const char* KindName(CmdKind k) {
  switch (k) {
    case CmdKind::kUni: return "UNI";
    case CmdKind::kExt: return "EXT";
    case CmdKind::kCe: return "CE";
    case CmdKind::kLegacy: return "CMD";
  }
  return "?";
}

// Human name of a command word: `kind` is "UNI", "EXT", "CE" or "CMD" (legacy), `name` the
// mt76 identifier without prefix, or nullptr when the id is not in the tables. Routing and
// query bits are not part of the name; callers print them from the word.
struct CmdName {
  CmdKind kind;
  const char* kind_name;
  const char* name;  // nullptr: unknown id.
};

constexpr CmdName DescribeCmd(CmdWord c) {
  const CmdKind kind = KindOf(c);
  const char* name = nullptr;
  switch (kind) {
    case CmdKind::kUni: name = kUniCmds.Find(c.id()); break;
    case CmdKind::kExt: name = kExtCmds.Find(c.ext_id()); break;
    case CmdKind::kCe:
      // mt76 gives 0xC0 two names; the query bit tells which one the driver meant.
      name =
          c.id() == ce::kRegAccess ? (c.query() ? "REG_READ" : "REG_WRITE") : kCeCmds.Find(c.id());
      break;
    case CmdKind::kLegacy: name = kLegacyCmds.Find(c.id()); break;
  }
  return CmdName{kind, KindName(kind), name};
}

namespace internal {
constexpr bool StrEq(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) {
    ++a;
    ++b;
  }
  return *a == *b;
}
}  // namespace internal

// Looks up a command by kind and mt76 name (without prefix): the reverse of DescribeCmd.
// Returns false when the name is not in that kind's table. `name` need not be
// NUL-terminated. The QUERY bit is set only for CE REG_READ, which shares id 0xC0 with
// REG_WRITE and is only ever sent as MCU_CE_QUERY(REG_READ).
constexpr bool CmdFromName(CmdKind kind, const char* name, size_t len, CmdWord* out) {
  const IdTable* table = nullptr;
  switch (kind) {
    case CmdKind::kUni: table = &kUniCmds; break;
    case CmdKind::kExt: table = &kExtCmds; break;
    case CmdKind::kCe: table = &kCeCmds; break;
    case CmdKind::kLegacy: table = &kLegacyCmds; break;
  }
  for (size_t i = 0; i < table->size; ++i) {
    const char* n = table->entries[i].name;
    size_t j = 0;
    while (j < len && n[j] != '\0' && n[j] == name[j]) ++j;
    if (j != len || n[j] != '\0') continue;
    const uint8_t id = table->entries[i].id;
    switch (kind) {
      case CmdKind::kUni: *out = CmdWord::Uni(id); break;
      case CmdKind::kExt: *out = CmdWord::Ext(id); break;
      case CmdKind::kCe:
        *out = internal::StrEq(n, "REG_READ") ? CmdWord::CeQuery(id) : CmdWord::Ce(id);
        break;
      case CmdKind::kLegacy: *out = CmdWord::Legacy(id); break;
    }
    return true;
  }
  return false;
}

}  // namespace connac

#endif  // CONNAC_MCU_CMD_H_
