// File: tools/cli_util_test.cc
//
// Tests for the CLI helpers (tools/cli_util.h): the escaping that keeps untrusted bytes out of
// error lines, the hex and command parsers' messages, and the wiping allocator behind
// SecretString / SecretBytes.

#include "tools/cli_util.h"

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace connac::cli {
namespace {

// ---- EscapeForTerminal / Quote -------------------------------------------------------------

TEST(Escape, PrintableAsciiAndUtf8StayAsTheyAre) {
  EXPECT_EQ(EscapeForTerminal("UNI_BSS_INFO_UPDATE", 48), "UNI_BSS_INFO_UPDATE");
  EXPECT_EQ(EscapeForTerminal("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xb6", 48),
            "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xb6");
}

TEST(Escape, ControlBytesAreEscaped) {
  EXPECT_EQ(EscapeForTerminal("a\rb\nc\td", 48), "a\\rb\\nc\\td");
  EXPECT_EQ(EscapeForTerminal(std::string("\0\x1b[31m\x7f", 7), 48), "\\x00\\x1b[31m\\x7f");
  EXPECT_EQ(EscapeForTerminal("a\\b", 48), "a\\\\b");
  EXPECT_EQ(EscapeForTerminal("a\\b", 48, /*escape_backslash=*/false), "a\\b");
}

TEST(Escape, InvalidUtf8IsEscapedBytewise) {
  EXPECT_EQ(EscapeForTerminal("\xff\xfe", 48), "\\xff\\xfe");
  EXPECT_EQ(EscapeForTerminal("\xc3", 48), "\\xc3");                             // cut sequence
  EXPECT_EQ(EscapeForTerminal("\xc0\xaf", 48), "\\xc0\\xaf");                    // overlong '/'
  EXPECT_EQ(EscapeForTerminal("\xed\xa0\x80", 48), "\\xed\\xa0\\x80");           // a surrogate
  EXPECT_EQ(EscapeForTerminal("\xf4\x90\x80\x80", 48), "\\xf4\\x90\\x80\\x80");  // > U+10FFFF
  EXPECT_EQ(EscapeForTerminal("\xe2\x82", 48), "\\xe2\\x82");
}

TEST(Escape, C1ControlsAndBidiMarksAreEscaped) {
  EXPECT_EQ(EscapeForTerminal("\xc2\x85", 48), "\\u0085");  // NEL
  EXPECT_EQ(EscapeForTerminal("a\xe2\x80\xae"
                              "b",
                              48),
            "a\\u202eb");                                       // RLO
  EXPECT_EQ(EscapeForTerminal("\xe2\x81\xa6", 48), "\\u2066");  // LRI
}

TEST(Escape, LongInputIsCutWithinTheBound) {
  const std::string big(3'000'000, 'A');
  const std::string e = EscapeForTerminal(big, 48);
  EXPECT_EQ(e.size(), 48u);
  EXPECT_EQ(e, std::string(45, 'A') + "...");
  // Exactly the bound fits whole; one more byte is cut.
  EXPECT_EQ(EscapeForTerminal(std::string(48, 'A'), 48), std::string(48, 'A'));
  EXPECT_EQ(EscapeForTerminal(std::string(49, 'A'), 48), std::string(45, 'A') + "...");
}

TEST(Escape, CutNeverSplitsAnEscapeOrACharacter) {
  for (size_t max = 3; max < 24; ++max) {
    const std::string e = EscapeForTerminal(std::string(20, '\xff'), max);
    ASSERT_LE(e.size(), max);
    ASSERT_EQ(e.substr(e.size() - 3), "...");
    EXPECT_EQ((e.size() - 3) % 4, 0u) << e;  // whole "\xff" escapes only
    std::string e_acute;
    for (int i = 0; i < 20; ++i) e_acute += "\xc3\xa9";
    const std::string u = EscapeForTerminal(e_acute, max);
    ASSERT_LE(u.size(), max);
    EXPECT_EQ((u.size() - 3) % 2, 0u) << u;  // whole two-byte characters only
  }
}

TEST(Quote, QuotesAnEscapedPrefix) {
  EXPECT_EQ(Quote("frob\rnicate"), "'frob\\rnicate'");
  EXPECT_EQ(Quote(std::string(100, 'x')), absl::StrCat("'", std::string(45, 'x'), "...'"));
}

// ---- Parsers ------------------------------------------------------------------------------

TEST(ParseHex, AcceptsSeparatorsAndPrefix) {
  std::string why;
  std::optional<SecretBytes> b = ParseHex("0x0a 1B:ff", &why);
  ASSERT_TRUE(b.has_value()) << why;
  EXPECT_EQ(*b, (SecretBytes{0x0a, 0x1b, 0xff}));
}

TEST(ParseHex, ErrorsNameTheByteNotTheDigits) {
  std::string why;
  EXPECT_FALSE(ParseHex("8badf00d\xff", &why));
  EXPECT_EQ(why, "'\\xff' at offset 8 is not a hex digit");
  EXPECT_FALSE(ParseHex("0x00\r", &why));
  EXPECT_EQ(why, "'\\r' at offset 4 is not a hex digit");
  EXPECT_FALSE(ParseHex("00\xc3\xa9", &why));
  EXPECT_EQ(why, "'\xc3\xa9' at offset 2 is not a hex digit");
  // An odd count says how many digits, and never echoes them (they may be a key).
  EXPECT_FALSE(ParseHex("8badf00dcafe1234f", &why));
  EXPECT_EQ(why, "odd number of hex digits (17)");
  EXPECT_FALSE(ParseHex("abc def", &why));
  EXPECT_EQ(why, "odd number of hex digits before offset 3");
}

TEST(ParseCmd, WordsAndNames) {
  std::string why;
  EXPECT_EQ(ParseCmd("0x00020002", &why)->raw, 0x00020002u);
  EXPECT_EQ(ParseCmd("00020002", &why)->raw, 0x00020002u);
  EXPECT_EQ(ParseCmd("131074", &why)->raw, 0x00020002u);
  EXPECT_EQ(ParseCmd("UNI_BSS_INFO_UPDATE", &why)->raw, 0x00020002u);
  EXPECT_EQ(ParseCmd("MCU_UNI_CMD_BSS_INFO_UPDATE", &why)->raw, 0x00020002u);
}

TEST(ParseCmd, DecimalIsDigitsOnly) {
  std::string why;
  EXPECT_FALSE(ParseCmd("12\r", &why));
  EXPECT_EQ(why, "'12\\r' is not a command word or name");
  EXPECT_FALSE(ParseCmd("1 ", &why));
  EXPECT_FALSE(ParseCmd("99999999999", &why));
}

TEST(ParseCmd, ErrorsQuoteAnEscapedPrefix) {
  std::string why;
  EXPECT_FALSE(ParseCmd("\x1b[2JUNI_X", &why));
  EXPECT_EQ(why, "unknown command name '\\x1b[2JUNI_X'");
  EXPECT_FALSE(ParseCmd(std::string(5000, 'Z'), &why));
  EXPECT_EQ(why, absl::StrCat("unknown command name '", std::string(45, 'Z'), "...'"));
  EXPECT_FALSE(ParseCmd("0x\xff", &why));
  EXPECT_EQ(why, "'0x\\xff' is not a 32-bit hex command word");
}

// ---- WipingAllocator ----------------------------------------------------------------------

// Hooks that look at every block as it is freed: how many, and how many still held a byte
// other than zero.
struct Audit {
  static inline int frees = 0;
  static inline int dirty_frees = 0;
  static void* Allocate(size_t bytes) { return std::malloc(bytes); }
  static void Free(void* p, size_t bytes) {
    ++frees;
    const auto* b = static_cast<const volatile uint8_t*>(p);
    for (size_t i = 0; i < bytes; ++i) {
      if (b[i] != 0) {
        ++dirty_frees;
        break;
      }
    }
    std::free(p);
  }
  static void Reset() { frees = dirty_frees = 0; }
};

// The same hooks without the wiping: shows the audit sees key bytes when they are there.
template <typename T>
struct PlainAllocator {
  using value_type = T;
  PlainAllocator() = default;
  template <typename U>
  PlainAllocator(const PlainAllocator<U>&) {}  // NOLINT: rebinding
  T* allocate(size_t n) { return static_cast<T*>(Audit::Allocate(n * sizeof(T))); }
  void deallocate(T* p, size_t n) { Audit::Free(p, n * sizeof(T)); }
  template <typename U>
  bool operator==(const PlainAllocator<U>&) const {
    return true;
  }
};

using AuditedSecret = std::basic_string<char, std::char_traits<char>, WipingAllocator<char, Audit>>;
using AuditedPlain = std::basic_string<char, std::char_traits<char>, PlainAllocator<char>>;

constexpr char kKeyHex[] = "8badf00dcafe12348badf00dcafe1234";

template <typename Str>
void GrowWithKeyHex() {
  Str s;
  for (int i = 0; i < 64; ++i) s += kKeyHex;  // several reallocations, each frees a block
}

TEST(WipingAllocator, EveryFreedBlockIsZero) {
  Audit::Reset();
  GrowWithKeyHex<AuditedSecret>();
  EXPECT_GE(Audit::frees, 4);  // the old buffers of the reallocations, and the last one
  EXPECT_EQ(Audit::dirty_frees, 0);
}

TEST(WipingAllocator, TheAuditSeesAnUnwipedBlock) {
  Audit::Reset();
  GrowWithKeyHex<AuditedPlain>();
  EXPECT_GE(Audit::frees, 4);
  EXPECT_EQ(Audit::dirty_frees, Audit::frees);
}

TEST(WipingAllocator, VectorsToo) {
  Audit::Reset();
  {
    std::vector<uint8_t, WipingAllocator<uint8_t, Audit>> v;
    for (int i = 0; i < 1000; ++i) v.push_back(static_cast<uint8_t>(i | 1));
  }
  EXPECT_GE(Audit::frees, 4);
  EXPECT_EQ(Audit::dirty_frees, 0);
}

TEST(Wipe, ZeroesTheContentsInPlace) {
  SecretString s(kKeyHex);
  const char* data = s.data();
  const size_t n = s.size();
  Wipe(&s);
  EXPECT_TRUE(s.empty());
  for (size_t i = 0; i < n; ++i) EXPECT_EQ(data[i], '\0') << i;  // the block is still s's
}

}  // namespace
}  // namespace connac::cli
