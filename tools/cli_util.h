// File: tools/cli_util.h
//
// Small helpers shared by the `connac` CLI subcommands: hex, command-word parsing, JSON
// string escaping and the one-line usage error (exit 2).

#ifndef CONNAC_TOOLS_CLI_UTIL_H_
#define CONNAC_TOOLS_CLI_UTIL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>
#include "absl/strings/string_view.h"

#include "connac/family.h"
#include "connac/mcu_cmd.h"

namespace connac::cli {

// Prints "connac <sub>: <msg>" on stderr and exits with status 2 (bad input).
[[noreturn]] void Fail(absl::string_view sub, absl::string_view msg);

// Parses hex ("0a1B", optional "0x" prefix; spaces and colons between bytes are allowed).
// Returns nullopt and sets *why on odd length or non-hex characters.
std::optional<std::vector<uint8_t>> ParseHex(absl::string_view text, std::string* why);

std::string ToHex(const uint8_t* data, size_t size);

// Parses a command word: "0x00020002", "00020002" (eight hex digits, as the kernel prints
// it), a decimal number, or a name: "UNI_BSS_INFO_UPDATE", "UNI BSS_INFO_UPDATE",
// "MCU_UNI_CMD_BSS_INFO_UPDATE", "EXT_GET_MIB_INFO", "MCU_EXT_CMD_GET_MIB_INFO",
// "CE_REG_READ", "MCU_CE_CMD_...", "CMD_PATCH_SEM_CONTROL", "MCU_CMD_FW_SCATTER", or a bare
// name when it is unique across the tables. A name may end in ":query" to set the QUERY bit.
std::optional<CmdWord> ParseCmd(absl::string_view text, std::string* why);

// "UNI BSS_INFO_UPDATE", or "UNI unknown(0x99)" for an id not in the tables.
std::string CmdDisplayName(CmdWord cmd);

const Profile* ParseFamily(absl::string_view name);

std::string JsonEscape(absl::string_view s);

}  // namespace connac::cli

#endif  // CONNAC_TOOLS_CLI_UTIL_H_
