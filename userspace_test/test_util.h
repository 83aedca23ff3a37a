// Helpers shared by the userspace GoogleTests of the connac core.
//
// - Hex(): parses a hex string written for humans ("41 00 00 38 | a0 ..."), so golden frames
//   can be spelled out byte by byte in the tests, with comments between string pieces.
// - ToHex() / HexDump(): format bytes back for failure messages.
// - Prng: a deterministic SplitMix64 generator for property and fuzz loops (no <random>
//   distributions, whose output differs between standard libraries).
//
// Test-only code: it may allocate and use the standard library freely.

#ifndef CONNAC_USERSPACE_TEST_TEST_UTIL_H_
#define CONNAC_USERSPACE_TEST_TEST_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "connac/bytes.h"
#include "connac/connac.h"
#include "connac/family.h"
#include "gtest/gtest.h"

// CORE_COPTS limits every frame to 2048 bytes (the kernel stack rule). Under AddressSanitizer
// each gtest assertion temporary gets its own redzoned stack slot (use-after-scope disables
// slot sharing), so long test bodies exceed that limit although they are not kernel code.
// The pragma is location-based and comes after every core header (connac/connac.h above), so
// core functions stay checked at 2048 bytes in ASan builds too; only test code is exempt.
#if defined(__SANITIZE_ADDRESS__)
#pragma GCC diagnostic ignored "-Wframe-larger-than="
#endif

namespace connac_test {

// Parses hex digits in pairs. Spaces, tabs, newlines, '|', ':', ',' and '_' are separators
// and ignored; anything else, or an odd number of digits, is a test failure.
inline std::vector<uint8_t> Hex(std::string_view text) {
  std::vector<uint8_t> out;
  int hi = -1;
  for (char c : text) {
    int v = -1;
    if (c >= '0' && c <= '9') v = c - '0';
    if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    if (v < 0) {
      if (c == ' ' || c == '\t' || c == '\n' || c == '|' || c == ':' || c == ',' || c == '_') {
        continue;
      }
      ADD_FAILURE() << "bad character '" << c << "' in hex string";
      return {};
    }
    if (hi < 0) {
      hi = v;
    } else {
      out.push_back(static_cast<uint8_t>(hi << 4 | v));
      hi = -1;
    }
  }
  if (hi >= 0) ADD_FAILURE() << "odd number of hex digits";
  return out;
}

// "41 00 00 38 ..." (lower case, one space between bytes).
inline std::string ToHex(const uint8_t* data, size_t size) {
  std::string s;
  char buf[4];
  for (size_t i = 0; i < size; ++i) {
    std::snprintf(buf, sizeof(buf), i == 0 ? "%02x" : " %02x", data[i]);
    s += buf;
  }
  return s;
}
inline std::string ToHex(connac::ConstBytes b) { return ToHex(b.data(), b.size()); }
inline std::string ToHex(const std::vector<uint8_t>& v) { return ToHex(v.data(), v.size()); }

// 16 bytes a line with offsets, for readable diffs of whole frames.
inline std::string HexDump(connac::ConstBytes b) {
  std::string s;
  char buf[32];
  for (size_t i = 0; i < b.size(); i += 16) {
    std::snprintf(buf, sizeof(buf), "\n  %04zx:", i);
    s += buf;
    for (size_t j = i; j < i + 16 && j < b.size(); ++j) {
      std::snprintf(buf, sizeof(buf), " %02x", b[j]);
      s += buf;
    }
  }
  return s;
}

inline connac::ConstBytes View(const std::vector<uint8_t>& v) {
  return connac::ConstBytes(v.data(), v.size());
}
inline connac::MutableBytes MutView(std::vector<uint8_t>& v) {
  return connac::MutableBytes(v.data(), v.size());
}
inline std::vector<uint8_t> ToVector(connac::ConstBytes b) {
  return std::vector<uint8_t>(b.data(), b.data() + b.size());
}

// Compares two byte strings and, on mismatch, names the first differing offset.
inline ::testing::AssertionResult BytesEqual(connac::ConstBytes expected,
                                             connac::ConstBytes actual) {
  if (expected.size() == actual.size()) {
    size_t i = 0;
    while (i < expected.size() && expected[i] == actual[i]) ++i;
    if (i == expected.size()) return ::testing::AssertionSuccess();
    // AssertionResult streams each value separately, so format the offset here.
    char where[64];
    std::snprintf(where, sizeof(where), "first difference at offset %zu (0x%zx)", i, i);
    return ::testing::AssertionFailure()
           << where << ": expected " << ToHex(expected.data() + i, 1) << ", got "
           << ToHex(actual.data() + i, 1) << "\nexpected:" << HexDump(expected)
           << "\nactual:" << HexDump(actual);
  }
  return ::testing::AssertionFailure()
         << "size " << actual.size() << ", expected " << expected.size()
         << "\nexpected:" << HexDump(expected) << "\nactual:" << HexDump(actual);
}

// True when [inner, inner + size) lies inside [outer, outer + size).
inline bool Inside(connac::ConstBytes inner, connac::ConstBytes outer) {
  if (inner.size() == 0) return true;
  const uintptr_t b = reinterpret_cast<uintptr_t>(outer.data());
  const uintptr_t p = reinterpret_cast<uintptr_t>(inner.data());
  return p >= b && p - b <= outer.size() && inner.size() <= outer.size() - (p - b);
}

// Builds an MCU event as the firmware sends it, with the core's one event layout
// (connac::EncodeEvent, wire::event). The layout itself is pinned by the golden events of
// mcu_event_test.cc, spelled out byte by byte from mt7925_mcu_rxd / mt76_connac2_mcu_rxd.
inline std::vector<uint8_t> MakeEvent(const connac::Profile& p, uint8_t seq, uint8_t eid,
                                      uint8_t option, uint8_t ext_eid,
                                      const std::vector<uint8_t>& payload) {
  connac::EventHeader h;
  h.eid = eid;
  h.seq = seq;
  h.option = option;
  h.ext_eid = ext_eid;
  std::vector<uint8_t> e(p.rxd_size + payload.size());
  const connac::Result<size_t> n =
      connac::EncodeEvent(p, h, connac::ConstBytes(payload.data(), payload.size()),
                          connac::MutableBytes(e.data(), e.size()));
  EXPECT_TRUE(n.ok()) << n.status().name();
  if (!n.ok()) return {};
  e.resize(*n);
  return e;
}

// SplitMix64: tiny, deterministic on every platform.
class Prng {
 public:
  explicit Prng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform enough in [0, n) for tests. REQUIRES: n > 0.
  uint32_t Below(uint32_t n) { return static_cast<uint32_t>(Next() % n); }
  bool OneIn(uint32_t n) { return Below(n) == 0; }
  uint8_t Byte() { return static_cast<uint8_t>(Next()); }

 private:
  uint64_t state_;
};

}  // namespace connac_test

#endif  // CONNAC_USERSPACE_TEST_TEST_UTIL_H_
