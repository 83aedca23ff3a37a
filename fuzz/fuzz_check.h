// File: fuzz/fuzz_check.h
//
// FUZZ_CHECK: the property checks of the fuzz targets. A failed check prints the condition
// and aborts, which libFuzzer reports as a crash and saves the input (tools/fuzz/run.sh).
// Unlike assert() it stays on in every build, including the -DNDEBUG ones.

#ifndef CONNAC_FUZZ_FUZZ_CHECK_H_
#define CONNAC_FUZZ_FUZZ_CHECK_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "connac/bytes.h"

#define FUZZ_CHECK(cond)                                                                 \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)

namespace connac_fuzz {

// True when `inner` lies inside `outer` (an empty view is inside anything).
inline bool Inside(connac::ConstBytes inner, connac::ConstBytes outer) {
  if (inner.size() == 0) return true;
  const auto b = reinterpret_cast<uintptr_t>(outer.data());
  const auto p = reinterpret_cast<uintptr_t>(inner.data());
  return p >= b && p - b <= outer.size() && inner.size() <= outer.size() - (p - b);
}

// Reads the input front to back; past the end every read is 0 (so any input is a program).
class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool empty() const { return pos_ >= size_; }
  size_t left() const { return pos_ < size_ ? size_ - pos_ : 0; }
  uint8_t U8() { return pos_ < size_ ? data_[pos_++] : 0; }
  uint32_t Le32() {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(U8()) << (8 * i);
    return v;
  }
  // Up to `n` bytes (fewer at the end of the input), as a view into the input.
  connac::ConstBytes Take(size_t n) {
    if (n > left()) n = left();
    connac::ConstBytes b(data_ + pos_, n);
    pos_ += n;
    return b;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

}  // namespace connac_fuzz

#endif  // CONNAC_FUZZ_FUZZ_CHECK_H_
