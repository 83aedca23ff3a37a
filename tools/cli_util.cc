// File: tools/cli_util.cc

#include "tools/cli_util.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace connac::cli {

void Fail(absl::string_view sub, absl::string_view msg) {
  std::fprintf(stderr, "connac %.*s: %.*s\n", static_cast<int>(sub.size()), sub.data(),
               static_cast<int>(msg.size()), msg.data());
  std::exit(2);
}

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::vector<uint8_t>> ParseHex(absl::string_view text, std::string* why) {
  if (absl::StartsWith(text, "0x") || absl::StartsWith(text, "0X")) text.remove_prefix(2);
  std::vector<uint8_t> out;
  out.reserve(text.size() / 2);
  int high = -1;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || c == ':' || c == '\n' || c == '\t') {
      if (high >= 0) {
        *why = absl::StrFormat("odd number of hex digits before offset %d", i);
        return std::nullopt;
      }
      continue;
    }
    const int v = HexValue(c);
    if (v < 0) {
      *why = absl::StrFormat("'%c' at offset %d is not a hex digit", c, i);
      return std::nullopt;
    }
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<uint8_t>(high << 4 | v));
      high = -1;
    }
  }
  if (high >= 0) {
    *why = "odd number of hex digits";
    return std::nullopt;
  }
  return out;
}

std::string ToHex(const uint8_t* data, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s(size * 2, '0');
  for (size_t i = 0; i < size; ++i) {
    s[2 * i] = kDigits[data[i] >> 4];
    s[2 * i + 1] = kDigits[data[i] & 0xf];
  }
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
      *why = absl::StrCat("'", text, "' is not a 32-bit hex command word");
      return std::nullopt;
    }
    return CmdWord{v};
  }
  if (t.size() == 8 && IsHexString(t)) {  // As the kernel prints it: "%08x".
    uint32_t v = 0;
    if (absl::SimpleHexAtoi(t, &v)) return CmdWord{v};
  }
  if (absl::ascii_isdigit(static_cast<unsigned char>(t[0]))) {
    uint32_t v = 0;
    if (absl::SimpleAtoi(t, &v)) return CmdWord{v};
    *why = absl::StrCat("'", text, "' is not a command word or name");
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
        *why = absl::StrCat("unknown command name '", text, "'");
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
      *why = absl::StrCat("unknown command name '", text, "'");
      return std::nullopt;
    }
    if (hits > 1) {
      *why = absl::StrCat("command name '", text,
                          "' is ambiguous; prefix it with UNI_, EXT_, CE_ or CMD_");
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
