// File: tools/keys_cmd.h
//
// `connac keys --script=<file|->`: runs a key-slot script through connac::KeyTable and prints
// one JSON line per operation with the MCU frames it sends. Script grammar: docs/keys.md.

#ifndef CONNAC_TOOLS_KEYS_CMD_H_
#define CONNAC_TOOLS_KEYS_CMD_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace connac::cli {

// Reads the whole script (a path, or "-" for stdin), validates every line first, then runs
// it. A malformed line exits 2 naming the line before any operation runs.
int RunKeysScript(const std::string& script);

// The same without a process around it (for tests and the fuzzer): parses every line of
// `text`, then runs the operations on a fresh KeyTable. Returns the JSON lines `connac keys`
// prints, or nullopt with *error set to the message the CLI prints after "connac keys: "
// ("line 2: unknown operation 'frobnicate'"). Never exits.
std::optional<std::string> RunKeysScriptText(absl::string_view text, std::string* error);

}  // namespace connac::cli

#endif  // CONNAC_TOOLS_KEYS_CMD_H_
