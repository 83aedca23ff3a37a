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

// Streams the script (a path, or "-" for stdin): each line is parsed and run as it is read,
// and its JSON line printed, so memory stays bounded for input of any size. A malformed line
// (or one longer than 4096 bytes) stops the script: exit 2 with one line naming it, after
// the lines of the operations before it. An unreadable script (missing, a directory, a
// closed stdin) exits 2. Buffers that held script text or key frames are wiped.
int RunKeysScript(absl::string_view script);

// The same without a process around it (for tests and the fuzzer): runs the lines of `text`
// on a fresh KeyTable. Returns the JSON lines `connac keys` prints, or nullopt with *error
// set to the message the CLI prints after "connac keys: " ("line 2: unknown operation
// 'frobnicate'"). Never exits. The returned string holds key frames: the caller's to wipe.
std::optional<std::string> RunKeysScriptText(absl::string_view text, std::string* error);

}  // namespace connac::cli

#endif  // CONNAC_TOOLS_KEYS_CMD_H_
