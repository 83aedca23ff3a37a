// File: tools/diagnose_cmd.h
//
// `connac diagnose [FILE|-] [--json]`: reads a kernel log (a file, or stdin for "-" or no
// FILE) through a fixed buffer and prints the report of tools/diagnose.h: text, or one JSON
// object with --json. A file that cannot be opened or read exits 2 with one line on stderr.

#ifndef CONNAC_TOOLS_DIAGNOSE_CMD_H_
#define CONNAC_TOOLS_DIAGNOSE_CMD_H_

#include "absl/strings/string_view.h"

namespace connac::cli {

// `json` is the --json flag's value: "true", "false" (or empty for false).
int RunDiagnoseCmd(absl::string_view path, absl::string_view json);

}  // namespace connac::cli

#endif  // CONNAC_TOOLS_DIAGNOSE_CMD_H_
