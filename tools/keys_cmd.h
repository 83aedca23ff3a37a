// File: tools/keys_cmd.h
//
// `connac keys --script=<file|->`: runs a key-slot script through connac::KeyTable and prints
// one JSON line per operation with the MCU frames it sends. Script grammar: docs/keys.md.

#ifndef CONNAC_TOOLS_KEYS_CMD_H_
#define CONNAC_TOOLS_KEYS_CMD_H_

#include <string>

namespace connac::cli {

// Reads the whole script (a path, or "-" for stdin), validates every line first, then runs
// it. A malformed line exits 2 naming the line before any operation runs.
int RunKeysScript(const std::string& script);

}  // namespace connac::cli

#endif  // CONNAC_TOOLS_KEYS_CMD_H_
