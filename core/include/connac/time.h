// File: connac/time.h
//
// Instant and Duration: the only notion of time in the core.
//
// The core never reads a clock (sans-I/O): the host passes `now` into every call that
// depends on time and receives deadlines back. Tests pass a virtual clock; the kernel shim
// passes ktime_get_ns(). Both are plain nanosecond counts, so no conversions hide in the core.
//
// Example:
//
//   connac::Instant deadline = now + connac::Duration::Seconds(3);
//   if (now >= deadline) ...

#ifndef CONNAC_TIME_H_
#define CONNAC_TIME_H_

#include <cstdint>

namespace connac {

// A signed span of nanoseconds.
struct Duration {
  int64_t ns = 0;

  static constexpr Duration Nanos(int64_t v) { return {v}; }
  static constexpr Duration Millis(int64_t v) { return {v * 1000000}; }
  static constexpr Duration Seconds(int64_t v) { return {v * 1000000000}; }
  constexpr int64_t millis() const { return ns / 1000000; }

  friend constexpr bool operator==(Duration a, Duration b) { return a.ns == b.ns; }
  friend constexpr bool operator<(Duration a, Duration b) { return a.ns < b.ns; }
  friend constexpr bool operator>=(Duration a, Duration b) { return a.ns >= b.ns; }
  friend constexpr Duration operator+(Duration a, Duration b) { return {a.ns + b.ns}; }
};

// A point on the host's monotonic clock, in nanoseconds. Only differences are meaningful.
struct Instant {
  int64_t ns = 0;

  // Sentinel for "no deadline": later than any real instant.
  static constexpr Instant Never() { return {INT64_MAX}; }
  constexpr bool is_never() const { return ns == INT64_MAX; }

  friend constexpr bool operator==(Instant a, Instant b) { return a.ns == b.ns; }
  friend constexpr bool operator!=(Instant a, Instant b) { return a.ns != b.ns; }
  friend constexpr bool operator<(Instant a, Instant b) { return a.ns < b.ns; }
  friend constexpr bool operator<=(Instant a, Instant b) { return a.ns <= b.ns; }
  friend constexpr bool operator>=(Instant a, Instant b) { return a.ns >= b.ns; }
  // Saturates at Never() (or at the earliest instant) instead of overflowing.
  friend constexpr Instant operator+(Instant a, Duration d) {
    if (a.is_never()) return a;
    if (d.ns > 0 && a.ns > INT64_MAX - d.ns) return Never();
    if (d.ns < 0 && a.ns < INT64_MIN - d.ns) return {INT64_MIN};
    return {a.ns + d.ns};
  }
  friend constexpr Duration operator-(Instant a, Instant b) { return {a.ns - b.ns}; }
};

constexpr Instant Earlier(Instant a, Instant b) { return a < b ? a : b; }

}  // namespace connac

#endif  // CONNAC_TIME_H_
