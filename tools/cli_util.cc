// File: tools/cli_util.cc

#include "tools/cli_util.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace connac::cli {

namespace {

// Reads one UTF-8 sequence at the front of p[0..n): its length and code point, or 0 when the
// bytes are not well-formed UTF-8 (overlong forms, surrogates and values past U+10FFFF are
// not: Unicode 15, table 3-7).
size_t Utf8Sequence(const unsigned char* p, size_t n, uint32_t* cp) {
  const unsigned char b = p[0];
  size_t len = 0;
  unsigned char lo = 0x80, hi = 0xbf;  // the allowed range of the second byte
  if (b >= 0xc2 && b <= 0xdf) {
    len = 2;
    *cp = b & 0x1f;
  } else if (b >= 0xe0 && b <= 0xef) {
    len = 3;
    *cp = b & 0x0f;
    if (b == 0xe0) lo = 0xa0;
    if (b == 0xed) hi = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    len = 4;
    *cp = b & 0x07;
    if (b == 0xf0) lo = 0x90;
    if (b == 0xf4) hi = 0x8f;
  } else {
    return 0;
  }
  if (n < len) return 0;
  for (size_t i = 1; i < len; ++i) {
    const unsigned char c = p[i];
    if (c < (i == 1 ? lo : 0x80) || c > (i == 1 ? hi : 0xbf)) return 0;
    *cp = *cp << 6 | (c & 0x3f);
  }
  return len;
}

// Code points a terminal acts on or that reorder the text around them: C1 controls and the
// Unicode direction marks, embeddings, overrides and isolates (the "Trojan Source" set).
bool IsUnicodeControl(uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9f) || cp == 0x200e || cp == 0x200f ||
         (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace

std::string EscapeForTerminal(absl::string_view s, size_t max_bytes, bool escape_backslash) {
  constexpr absl::string_view kCut = "...";
  std::string out;
  size_t cut_at = 0;  // the longest whole-piece prefix of out that leaves room for "..."
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  for (size_t i = 0; i < n;) {
    char esc[16];
    absl::string_view piece;
    size_t used = 1;
    const unsigned char c = p[i];
    uint32_t cp = 0;
    if (c == '\\' && escape_backslash) {
      piece = "\\\\";
    } else if (c >= 0x20 && c < 0x7f) {
      piece = absl::string_view(s.data() + i, 1);
    } else if (c == '\t') {
      piece = "\\t";
    } else if (c == '\n') {
      piece = "\\n";
    } else if (c == '\r') {
      piece = "\\r";
    } else if (c >= 0x80 && (used = Utf8Sequence(p + i, n - i, &cp)) != 0) {
      if (IsUnicodeControl(cp)) {
        piece = absl::string_view(esc, absl::SNPrintF(esc, sizeof(esc), "\\u%04x", cp));
      } else {
        piece = absl::string_view(s.data() + i, used);
      }
    } else {
      used = 1;
      piece = absl::string_view(esc, absl::SNPrintF(esc, sizeof(esc), "\\x%02x", c));
    }
    if (out.size() + piece.size() > max_bytes) {
      // It does not all fit: cut back to a whole piece and mark the cut.
      out.resize(cut_at);
      if (cut_at + kCut.size() <= max_bytes) out.append(kCut.data(), kCut.size());
      return out;
    }
    out.append(piece.data(), piece.size());
    if (out.size() + kCut.size() <= max_bytes) cut_at = out.size();
    i += used;
  }
  return out;
}

std::string Quote(absl::string_view input) {
  return absl::StrCat("'", EscapeForTerminal(input, kMaxQuoted), "'");
}

void Fail(absl::string_view sub, absl::string_view msg) {
  // The reason is built by this tool, with input already quoted; escaping again only catches
  // a control byte that slipped through, so backslashes are left alone.
  const std::string prefix =
      absl::StrCat("connac ", EscapeForTerminal(sub, 32, /*escape_backslash=*/false), ": ");
  const std::string reason =
      EscapeForTerminal(msg, kMaxErrorLine - 1 - prefix.size(), /*escape_backslash=*/false);
  std::fprintf(stderr, "%s%s\n", prefix.c_str(), reason.c_str());
  std::exit(2);
}

namespace {

[[noreturn]] void FailOutput(absl::string_view sub, int err) {
  std::fprintf(stderr, "connac %.*s: cannot write output: %s\n", static_cast<int>(sub.size()),
               sub.data(), err != 0 ? std::strerror(err) : "write error");
  std::exit(1);
}

}  // namespace

void WriteOutput(absl::string_view sub, absl::string_view s) {
  if (s.empty()) return;
  if (std::fwrite(s.data(), 1, s.size(), stdout) != s.size()) FailOutput(sub, errno);
}

void FinishOutput(absl::string_view sub) {
  // A write that failed inside stdio's buffer shows up as ferror(); the last buffered bytes
  // only reach the descriptor at fflush; close() itself can still fail (NFS, quota).
  if (std::fflush(stdout) != 0) FailOutput(sub, errno);
  // An earlier failed write left no reliable errno behind.
  if (std::ferror(stdout)) FailOutput(sub, 0);
  if (std::fclose(stdout) != 0) FailOutput(sub, errno);
}

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The character at text[i] for an error line: one whole UTF-8 character when it starts one.
std::string CharAt(absl::string_view text, size_t i) {
  uint32_t cp = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  size_t len = p[i] >= 0x80 ? Utf8Sequence(p + i, text.size() - i, &cp) : 1;
  if (len == 0) len = 1;
  return Quote(text.substr(i, len));
}

}  // namespace

std::optional<SecretBytes> ParseHex(absl::string_view text, std::string* why) {
  size_t base = 0;
  if (absl::StartsWith(text, "0x") || absl::StartsWith(text, "0X")) {
    text.remove_prefix(2);
    base = 2;
  }
  SecretBytes out;
  out.reserve(text.size() / 2);
  int high = -1;
  size_t digits = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || c == ':' || c == '\n' || c == '\t') {
      if (high >= 0) {
        *why = absl::StrFormat("odd number of hex digits before offset %d", base + i);
        return std::nullopt;
      }
      continue;
    }
    const int v = HexValue(c);
    if (v < 0) {
      *why = absl::StrFormat("%s at offset %d is not a hex digit", CharAt(text, i), base + i);
      return std::nullopt;
    }
    ++digits;
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<uint8_t>(high << 4 | v));
      high = -1;
    }
  }
  if (high >= 0) {
    *why = absl::StrFormat("odd number of hex digits (%d)", digits);
    return std::nullopt;
  }
  return out;
}

void AppendHex(const uint8_t* data, size_t size, SecretString* out) {
  static constexpr char kDigits[] = "0123456789abcdef";
  const size_t at = out->size();
  out->resize(at + size * 2);
  for (size_t i = 0; i < size; ++i) {
    (*out)[at + 2 * i] = kDigits[data[i] >> 4];
    (*out)[at + 2 * i + 1] = kDigits[data[i] & 0xf];
  }
}

SecretString ToHex(const uint8_t* data, size_t size) {
  SecretString s;
  AppendHex(data, size, &s);
  return s;
}

namespace {

bool IsHexString(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (HexValue(c) < 0) return false;
  }
  return true;
}

struct Prefix {
  absl::string_view text;
  CmdKind kind;
};

// Longest prefixes first, so "MCU_UNI_CMD_" wins over "UNI_".
constexpr Prefix kPrefixes[] = {
    {"MCU_UNI_CMD_", CmdKind::kUni}, {"MCU_EXT_CMD_", CmdKind::kExt}, {"MCU_CE_CMD_", CmdKind::kCe},
    {"MCU_CMD_", CmdKind::kLegacy},  {"UNI_", CmdKind::kUni},         {"UNI ", CmdKind::kUni},
    {"EXT_", CmdKind::kExt},         {"EXT ", CmdKind::kExt},         {"CE_", CmdKind::kCe},
    {"CE ", CmdKind::kCe},           {"CMD_", CmdKind::kLegacy},      {"CMD ", CmdKind::kLegacy},
};

}  // namespace

std::optional<CmdWord> ParseCmd(absl::string_view text, std::string* why) {
  if (text.empty()) {
    *why = "empty command";
    return std::nullopt;
  }
  absl::string_view t = text;
  if (absl::StartsWith(t, "0x") || absl::StartsWith(t, "0X")) {
    t.remove_prefix(2);
    uint32_t v = 0;
    if (!IsHexString(t) || t.size() > 8 || !absl::SimpleHexAtoi(t, &v)) {
      *why = absl::StrCat(Quote(text), " is not a 32-bit hex command word");
      return std::nullopt;
    }
    return CmdWord{v};
  }
  if (t.size() == 8 && IsHexString(t)) {  // As the kernel prints it: "%08x".
    uint32_t v = 0;
    if (absl::SimpleHexAtoi(t, &v)) return CmdWord{v};
  }
  if (absl::ascii_isdigit(static_cast<unsigned char>(t[0]))) {
    // Digits only: SimpleAtoi would also take surrounding whitespace and a sign.
    uint32_t v = 0;
    bool digits = true;
    for (char c : t) digits &= absl::ascii_isdigit(static_cast<unsigned char>(c));
    if (digits && absl::SimpleAtoi(t, &v)) return CmdWord{v};
    *why = absl::StrCat(Quote(text), " is not a command word or name");
    return std::nullopt;
  }
  bool query = false;
  if (absl::EndsWith(t, ":query")) {
    query = true;
    t.remove_suffix(6);
  }
  CmdWord w;
  bool found = false;
  for (const Prefix& p : kPrefixes) {
    if (absl::StartsWith(t, p.text)) {
      const absl::string_view name = t.substr(p.text.size());
      found = CmdFromName(p.kind, name.data(), name.size(), &w);
      if (!found) {
        *why = absl::StrCat("unknown command name ", Quote(text));
        return std::nullopt;
      }
      break;
    }
  }
  if (!found) {
    // A bare name must be unique across the tables.
    int hits = 0;
    for (CmdKind k : {CmdKind::kUni, CmdKind::kExt, CmdKind::kCe, CmdKind::kLegacy}) {
      CmdWord c;
      if (CmdFromName(k, t.data(), t.size(), &c)) {
        ++hits;
        w = c;
      }
    }
    if (hits == 0) {
      *why = absl::StrCat("unknown command name ", Quote(text));
      return std::nullopt;
    }
    if (hits > 1) {
      *why = absl::StrCat("command name ", Quote(text),
                          " is ambiguous; prefix it with UNI_, EXT_, CE_ or CMD_");
      return std::nullopt;
    }
  }
  if (query) w.raw |= CmdWord::kQuery;
  return w;
}

std::string CmdDisplayName(CmdWord cmd) {
  const CmdName n = DescribeCmd(cmd);
  const uint8_t id = n.kind == CmdKind::kExt ? cmd.ext_id() : cmd.id();
  if (n.name == nullptr) return absl::StrFormat("%s unknown(0x%02x)", n.kind_name, id);
  return absl::StrCat(n.kind_name, " ", n.name);
}

const Profile* ParseFamily(absl::string_view name) {
  return ProfileByName(name.data(), name.size());
}

std::string JsonEscape(absl::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out += c;
        }
    }
  }
  return out;
}

}  // namespace connac::cli
