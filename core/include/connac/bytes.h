// File: connac/bytes.h
//
// Byte views and little-endian field access for wire formats.
//
// ConstBytes and MutableBytes are (pointer, length) views, like std::span<const uint8_t> but
// with checked accessors that return a Result instead of asserting, because most bytes the
// core reads come from the device and are untrusted.
//
// Example:
//
//   connac::ConstBytes ev(buf, len);
//   connac::Result<uint16_t> tag = ev.le16(44);   // kBadMsg if fewer than 46 bytes
//
// # Invariants
// - A view never owns memory; `data()` is valid for `size()` bytes (or null with size 0).
// - Every accessor checks `offset + width <= size()` without overflow before it reads.
//
// Copies use __builtin_memcpy/__builtin_memset: GCC inlines small ones and calls the kernel's
// exported memcpy/memset for large ones, so no <cstring> is needed.

#ifndef CONNAC_BYTES_H_
#define CONNAC_BYTES_H_

#include <cstddef>
#include <cstdint>

#include "connac/status.h"

namespace connac {

class ConstBytes {
 public:
  constexpr ConstBytes() = default;
  constexpr ConstBytes(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  template <size_t N>
  constexpr ConstBytes(const uint8_t (&arr)[N]) : data_(arr), size_(N) {}  // NOLINT

  constexpr const uint8_t* data() const { return data_; }
  constexpr size_t size() const { return size_; }
  constexpr bool empty() const { return size_ == 0; }

  // True when [offset, offset + width) lies inside the view.
  constexpr bool Has(size_t offset, size_t width) const {
    return offset <= size_ && width <= size_ - offset;
  }

  // REQUIRES: i < size(). Unchecked; use u8() for untrusted offsets.
  constexpr uint8_t operator[](size_t i) const { return data_[i]; }

  constexpr Result<uint8_t> u8(size_t off) const {
    if (!Has(off, 1)) return Errno::kBadMsg;
    return data_[off];
  }
  constexpr Result<uint16_t> le16(size_t off) const {
    if (!Has(off, 2)) return Errno::kBadMsg;
    return static_cast<uint16_t>(data_[off] | (data_[off + 1] << 8));
  }
  constexpr Result<uint32_t> le32(size_t off) const {
    if (!Has(off, 4)) return Errno::kBadMsg;
    return static_cast<uint32_t>(data_[off]) | (static_cast<uint32_t>(data_[off + 1]) << 8) |
           (static_cast<uint32_t>(data_[off + 2]) << 16) |
           (static_cast<uint32_t>(data_[off + 3]) << 24);
  }

  // Sub-view [offset, offset + len); kBadMsg when it does not fit.
  constexpr Result<ConstBytes> Sub(size_t offset, size_t len) const {
    if (!Has(offset, len)) return Errno::kBadMsg;
    return ConstBytes(data_ + offset, len);
  }
  // Everything from `offset` on; kBadMsg when offset > size().
  constexpr Result<ConstBytes> From(size_t offset) const {
    if (offset > size_) return Errno::kBadMsg;
    return ConstBytes(data_ + offset, size_ - offset);
  }

 private:
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

class MutableBytes {
 public:
  constexpr MutableBytes() = default;
  constexpr MutableBytes(uint8_t* data, size_t size) : data_(data), size_(size) {}
  template <size_t N>
  constexpr MutableBytes(uint8_t (&arr)[N]) : data_(arr), size_(N) {}  // NOLINT

  constexpr uint8_t* data() const { return data_; }
  constexpr size_t size() const { return size_; }
  constexpr operator ConstBytes() const { return ConstBytes(data_, size_); }  // NOLINT

  constexpr bool Has(size_t offset, size_t width) const {
    return offset <= size_ && width <= size_ - offset;
  }

  // Unchecked stores. REQUIRES: Has(off, width); writers check the whole frame size once,
  // up front, so the per-field stores stay branch-free.
  constexpr void put_u8(size_t off, uint8_t v) const { data_[off] = v; }
  constexpr void put_le16(size_t off, uint16_t v) const {
    data_[off] = static_cast<uint8_t>(v);
    data_[off + 1] = static_cast<uint8_t>(v >> 8);
  }
  constexpr void put_le32(size_t off, uint32_t v) const {
    data_[off] = static_cast<uint8_t>(v);
    data_[off + 1] = static_cast<uint8_t>(v >> 8);
    data_[off + 2] = static_cast<uint8_t>(v >> 16);
    data_[off + 3] = static_cast<uint8_t>(v >> 24);
  }

  // One 64-bit store on a little-endian CPU (every target the kernel module builds for),
  // eight byte stores elsewhere.
  void put_le64(size_t off, uint64_t v) const {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    __builtin_memcpy(data_ + off, &v, sizeof(v));
#else
    for (int i = 0; i < 8; ++i) data_[off + i] = static_cast<uint8_t>(v >> (8 * i));
#endif
  }

  constexpr MutableBytes first(size_t n) const {
    return MutableBytes(data_, n < size_ ? n : size_);
  }

 private:
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

// Copies `n` bytes. REQUIRES: both ranges valid for n bytes and not overlapping.
inline void CopyBytes(uint8_t* dst, const uint8_t* src, size_t n) {
  if (n != 0) __builtin_memcpy(dst, src, n);
}

// Zeroes `n` bytes.
inline void ZeroBytes(uint8_t* dst, size_t n) {
  if (n != 0) __builtin_memset(dst, 0, n);
}

// Zeroes key material in a way the optimiser may not elide: the empty asm with a memory
// clobber tells GCC the bytes are observed afterwards (same idea as the kernel's
// memzero_explicit()).
inline void ZeroizeBytes(uint8_t* dst, size_t n) {
  ZeroBytes(dst, n);
  __asm__ __volatile__("" : : "r"(dst) : "memory");
}

}  // namespace connac

#endif  // CONNAC_BYTES_H_
