// File: connac/status.h
//
// Status and Result<T>: the core's only error channel.
//
// Every fallible core operation returns a `[[nodiscard]]` Status or Result<T>. A Status is a
// Linux errno value, so the kernel shim returns `status.code()` to C callers unchanged, and
// userspace prints it with the same names the kernel uses.
//
// Example:
//
//   connac::Result<size_t> n = connac::EncodeFrame(profile, cmd, seq, payload, out);
//   if (!n.ok()) return n.status().code();   // e.g. -EMSGSIZE
//   Send(out.first(*n));
//
// # Invariants
// - `Status::code()` is 0 (ok) or a negative errno in [-4095, -1] (the kernel's MAX_ERRNO).
// - A Result<T> holds a T exactly when `ok()`. T must be trivially destructible, so a Result
//   never runs a destructor and never needs an exception to report misuse.
// - Dereferencing an error Result is a checked programming error (connac/check.h): the host's
//   hook fires (abort in userspace, WARN_ONCE in the kernel) and a zero T is returned.
//
// Freestanding: no <cerrno> (glibc), so the errno numbers the core uses are spelled out below.
// They are the asm-generic values used by x86, arm64 and riscv Linux.

#ifndef CONNAC_STATUS_H_
#define CONNAC_STATUS_H_

#include <type_traits>

#include "connac/check.h"

namespace connac {

// Linux errno numbers (include/uapi/asm-generic/errno-base.h and errno.h).
enum class Errno : int {
  kOk = 0,
  kNoEnt = 2,       // ENOENT: no such slot, link or entry.
  kIo = 5,          // EIO: transport or firmware I/O failure.
  kAgain = 11,      // EAGAIN: not for us yet; keep waiting (driver's -EAGAIN).
  kNoMem = 12,      // ENOMEM: the driver drops MCU messages with this during reset.
  kBusy = 16,       // EBUSY: every sequence number is in flight.
  kInval = 22,      // EINVAL: argument outside the documented domain.
  kNoSpc = 28,      // ENOSPC: fixed-capacity table full.
  kRange = 34,      // ERANGE: value does not fit its wire field.
  kNoLink = 67,     // ENOLINK: MLO link not present.
  kProto = 71,      // EPROTO: protocol rule violated by the peer.
  kBadMsg = 74,     // EBADMSG: malformed frame or event from the device.
  kMsgSize = 90,    // EMSGSIZE: frame longer than its 16-bit length fields allow.
  kOpNotSupp = 95,  // EOPNOTSUPP: feature or cipher not offloaded.
  kNoBufs = 105,    // ENOBUFS: caller buffer too small; nothing was written.
  kShutdown = 108,  // ESHUTDOWN: firmware declared dead; command not sent.
  kTimedOut = 110,  // ETIMEDOUT: no response before the deadline.
  kStale = 116,     // ESTALE: response belongs to an earlier request.
  kCanceled = 125,  // ECANCELED: request failed by a reset.
};

// Name of an errno value as the kernel spells it ("EINVAL"), or "E?" for an unknown one.
// Accepts positive or negative numbers.
constexpr const char* ErrnoName(int err) {
  // Magnitude in unsigned arithmetic: -INT_MIN does not fit an int.
  switch (err < 0 ? 0u - static_cast<unsigned>(err) : static_cast<unsigned>(err)) {
    case 0: return "OK";
    case 1: return "EPERM";
    case 2: return "ENOENT";
    case 5: return "EIO";
    case 11: return "EAGAIN";
    case 12: return "ENOMEM";
    case 16: return "EBUSY";
    case 19: return "ENODEV";
    case 22: return "EINVAL";
    case 28: return "ENOSPC";
    case 34: return "ERANGE";
    case 67: return "ENOLINK";
    case 71: return "EPROTO";
    case 74: return "EBADMSG";
    case 90: return "EMSGSIZE";
    case 95: return "EOPNOTSUPP";
    case 105: return "ENOBUFS";
    case 108: return "ESHUTDOWN";
    case 110: return "ETIMEDOUT";
    case 116: return "ESTALE";
    case 125: return "ECANCELED";
    default: return "E?";
  }
}

// Status is an errno wrapped so it cannot be ignored.
class [[nodiscard]] Status {
 public:
  // The default Status is OK, so `return {};` means success, as with absl::OkStatus().
  constexpr Status() = default;
  constexpr explicit Status(Errno e) : errno_(static_cast<int>(e)) {}

  constexpr bool ok() const { return errno_ == 0; }
  // 0 or a negative errno: what a kernel function returns.
  constexpr int code() const { return -errno_; }
  constexpr Errno err() const { return static_cast<Errno>(errno_); }
  constexpr const char* name() const { return ErrnoName(errno_); }

  // Explicitly drops the result: for the rare caller that has nothing to do on failure.
  constexpr void IgnoreError() const {}

  friend constexpr bool operator==(Status a, Status b) { return a.errno_ == b.errno_; }
  friend constexpr bool operator==(Status a, Errno b) { return a.err() == b; }

 private:
  int errno_ = 0;  // Positive errno, 0 for OK.
};

constexpr Status OkStatus() { return Status(); }

// Result<T> is a T or an error Status (never Errno::kOk).
//
// REQUIRES: T is trivially destructible and default constructible (all core value types are
// plain structs), so an error Result still has a well-formed, zero T inside and no
// destructor has to choose which member is alive.
template <typename T>
class [[nodiscard]] Result {
  static_assert(std::is_trivially_destructible_v<T>, "core results carry plain values only");

 public:
  // NOLINTNEXTLINE(google-explicit-constructor): implicit, so `return value;` works.
  constexpr Result(T value) : value_(value) {}
  // An error. REQUIRES: `!s.ok()`; an OK status without a value becomes kInval so that
  // `ok()` and `has value` can never disagree.
  // NOLINTNEXTLINE(google-explicit-constructor)
  constexpr Result(Status s) : status_(s.ok() ? Status(Errno::kInval) : s) {}
  // NOLINTNEXTLINE(google-explicit-constructor)
  constexpr Result(Errno e) : Result(Status(e)) {}

  constexpr bool ok() const { return status_.ok(); }
  constexpr Status status() const { return status_; }

  // REQUIRES: ok(). On an error Result the check hook fires (connac/check.h) and the
  // value-initialised T comes back, never garbage.
  constexpr const T& value() const {
    static_cast<void>(CONNAC_CORE_CHECK(ok()));
    return value_;
  }
  constexpr const T& operator*() const { return value(); }
  constexpr const T* operator->() const { return &value(); }

  // The value, or `fallback` on error.
  constexpr T value_or(T fallback) const { return ok() ? value_ : fallback; }

 private:
  T value_{};
  Status status_;
};

}  // namespace connac

// Propagates an error Status from an expression, Abseil-style.
#define CONNAC_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    const ::connac::Status connac_status_ = (expr);  \
    if (!connac_status_.ok()) return connac_status_; \
  } while (0)

#endif  // CONNAC_STATUS_H_
