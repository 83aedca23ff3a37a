// Fuzz target: the CLI's input parsers (tools/cli_util.h), which see every --cmd, --hex and
// --payload a user types: ParseHex, ParseCmd and the quoting of bad input in error lines.
//
// Properties:
// - ParseHex accepts exactly the inputs made of hex digit pairs (optional 0x, separators
//   ' ', ':', '\t', '\n' between bytes) and returns those bytes: ToHex gives back the digits.
// - ParseCmd of a command name gives a word whose display name parses back to that word; of
//   a hex or decimal word, that number.
// - Every error message is one clean line: at most 120 bytes, valid UTF-8, no control bytes.
// - Quote and EscapeForTerminal stay within their bound and are clean the same way.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "fuzz/fuzz_check.h"
#include "tools/cli_util.h"

namespace {

using connac::CmdWord;
using connac::cli::SecretBytes;
using connac::cli::SecretString;

// Valid UTF-8 without C0 controls, DEL or C1 controls (written independently of cli_util's
// own decoder).
bool CleanLine(absl::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7f) return false;
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xe0) == 0xc0) {
      len = 2;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xc0) != 0x80) return false;
      cp = cp << 6 | (p[i + k] & 0x3f);
    }
    const uint32_t min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    if (cp <= 0x9f) return false;  // C1 control
    i += len;
  }
  return true;
}

// The Unicode direction marks EscapeForTerminal escapes although they are valid UTF-8.
bool HasBidiMark(absl::string_view s) {
  for (absl::string_view m : {"\xe2\x80\x8e", "\xe2\x80\x8f", "\xe2\x80\xaa", "\xe2\x80\xab",
                              "\xe2\x80\xac", "\xe2\x80\xad", "\xe2\x80\xae", "\xe2\x81\xa6",
                              "\xe2\x81\xa7", "\xe2\x81\xa8", "\xe2\x81\xa9"}) {
    if (absl::StrContains(s, m)) return true;
  }
  return false;
}

void CheckMessage(const std::string& why) {
  FUZZ_CHECK(!why.empty());
  FUZZ_CHECK(why.size() <= 120);
  FUZZ_CHECK(CleanLine(why));
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void CheckHex(absl::string_view text) {
  std::string why;
  const std::optional<SecretBytes> b = connac::cli::ParseHex(text, &why);
  // The reference: strip 0x, then digits in pairs, separators only between pairs.
  absl::string_view t = text;
  if (absl::StartsWith(t, "0x") || absl::StartsWith(t, "0X")) t.remove_prefix(2);
  std::string digits;
  bool ok = true;
  for (char c : t) {
    if (c == ' ' || c == ':' || c == '\t' || c == '\n') {
      if (digits.size() % 2 != 0) ok = false;
      continue;
    }
    if (HexDigit(c) < 0) {
      ok = false;
      break;
    }
    digits += absl::ascii_tolower(c);
  }
  if (digits.size() % 2 != 0) ok = false;
  FUZZ_CHECK(b.has_value() == ok);
  if (!b) {
    CheckMessage(why);
    return;
  }
  const SecretString hex = connac::cli::ToHex(b->data(), b->size());
  FUZZ_CHECK(absl::string_view(hex.data(), hex.size()) == digits);
}

void CheckCmd(absl::string_view text) {
  std::string why;
  const std::optional<CmdWord> w = connac::cli::ParseCmd(text, &why);
  if (!w) {
    CheckMessage(why);
    return;
  }
  FUZZ_CHECK(!text.empty());
  if (absl::StartsWith(text, "0x") || absl::StartsWith(text, "0X")) {
    FUZZ_CHECK(text.size() >= 3 && text.size() <= 10);
    uint32_t v = 0;
    for (char c : text.substr(2)) v = v << 4 | static_cast<uint32_t>(HexDigit(c));
    FUZZ_CHECK(v == w->raw);
    return;
  }
  bool all_hex = true;
  for (char c : text) all_hex &= absl::ascii_isxdigit(static_cast<unsigned char>(c));
  if (absl::ascii_isdigit(static_cast<unsigned char>(text[0])) || (text.size() == 8 && all_hex)) {
    // Eight hex digits (as the kernel prints a word), else decimal digits.
    uint64_t hex = 0, dec = 0;
    bool all_dec = true;
    for (char c : text) {
      FUZZ_CHECK(absl::ascii_isxdigit(static_cast<unsigned char>(c)));
      all_dec &= absl::ascii_isdigit(static_cast<unsigned char>(c));
      hex = hex << 4 | static_cast<uint64_t>(HexDigit(c));
      dec = dec * 10 + static_cast<uint64_t>(HexDigit(c));
    }
    if (text.size() == 8) {
      FUZZ_CHECK(w->raw == hex);
    } else {
      FUZZ_CHECK(all_dec && w->raw == dec);  // leading zeros are fine
    }
    return;
  }
  // A name: its display name ("UNI BSS_INFO_UPDATE") names the same word.
  const connac::CmdName n = connac::DescribeCmd(*w);
  FUZZ_CHECK(n.name != nullptr);
  std::string display = connac::cli::CmdDisplayName(*w);
  if (w->query()) display += ":query";
  std::string why2;
  const std::optional<CmdWord> back = connac::cli::ParseCmd(display, &why2);
  FUZZ_CHECK(back.has_value());
  FUZZ_CHECK(back->raw == w->raw);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t bound = data[0] % 64;
  const absl::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  CheckHex(text);
  CheckCmd(text);
  const std::string q = connac::cli::Quote(text);
  FUZZ_CHECK(q.size() <= connac::cli::kMaxQuoted + 2);
  FUZZ_CHECK(CleanLine(q));
  const std::string e = connac::cli::EscapeForTerminal(text, bound);
  FUZZ_CHECK(e.size() <= bound);
  FUZZ_CHECK(CleanLine(e));
  // Input that is already clean and has no backslash comes back unchanged when it fits.
  if (CleanLine(text) && !HasBidiMark(text) && text.find('\\') == absl::string_view::npos &&
      text.size() <= bound) {
    FUZZ_CHECK(e == text);
  }
  return 0;
}
