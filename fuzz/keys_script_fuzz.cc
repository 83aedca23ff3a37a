// Fuzz target: the `connac keys` script parser and runner (tools/keys_cmd.h), which drives
// KeyTable, AbortActions, the reset replay and EncodeKeyAction with whatever the script says.
//
// Properties: any text either runs (one JSON line per operation) or is refused with a
// "line N: ..." message, never with an internal error (a key frame the core would not
// encode), and the process never exits or crashes.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "fuzz/fuzz_check.h"
#include "tools/keys_cmd.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;
  const std::optional<std::string> out = connac::cli::RunKeysScriptText(text, &error);
  if (!out) {
    FUZZ_CHECK(absl::StartsWith(error, "line "));
    return 0;
  }
  FUZZ_CHECK(out->empty() || out->back() == '\n');
  // Each line is one operation's JSON object.
  const absl::string_view lines = *out;
  for (size_t start = 0; start < lines.size();) {
    const size_t end = lines.find('\n', start);
    FUZZ_CHECK(end != absl::string_view::npos);
    FUZZ_CHECK(absl::StartsWith(lines.substr(start, end - start), "{\"op\":\""));
    FUZZ_CHECK(lines[end - 1] == '}');
    start = end + 1;
  }
  return 0;
}
