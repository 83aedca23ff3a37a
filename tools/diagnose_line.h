// File: tools/diagnose_line.h
//
// The line layer of `connac diagnose`: splitting a byte stream into lines with a fixed
// buffer, reading the timestamp and syslog prefix of a line, and recognising the one message
// in its body that the analyzer (tools/diagnose.h) cares about.
//
// Everything here works on absl::string_view into the caller's buffer and allocates nothing:
// a log of any size streams through in constant memory, and a line is only ever looked at
// once.

#ifndef CONNAC_TOOLS_DIAGNOSE_LINE_H_
#define CONNAC_TOOLS_DIAGNOSE_LINE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

#include "absl/strings/string_view.h"

namespace connac::diagnose {

// Longest line looked at. Kernel lines are under 1 KiB (LOG_LINE_MAX); anything longer is
// garbage or a paste accident, so its head is analysed and the rest skipped and counted.
inline constexpr size_t kMaxLineBytes = 64 * 1024;

struct SplitStats {
  int64_t lines = 0;
  int64_t bytes = 0;
  int64_t long_lines = 0;          // lines longer than kMaxLineBytes
  int64_t long_bytes_skipped = 0;  // bytes of those lines that were not analysed
  bool unterminated_last_line = false;
};

// Splits a stream fed in arbitrary chunks into lines (without the '\n'). A line that lies
// whole inside a chunk is passed as a view into that chunk; only a line cut by a chunk
// boundary is copied into the carry buffer, which is allocated once (kMaxLineBytes).
class LineSplitter {
 public:
  LineSplitter() : carry_(new char[kMaxLineBytes]) {}

  template <typename OnLine>
  void Feed(const char* data, size_t n, OnLine&& on_line) {
    stats_.bytes += static_cast<int64_t>(n);
    while (n > 0) {
      const char* nl = static_cast<const char*>(std::memchr(data, '\n', n));
      const size_t take = nl != nullptr ? static_cast<size_t>(nl - data) : n;
      if (nl == nullptr) {
        Append(data, take);  // an unfinished line: keep its head for the next chunk
        return;
      }
      if (carry_len_ == 0 && !overlong_) {
        Emit(absl::string_view(data, take), on_line);
      } else {
        Append(data, take);
        Emit(absl::string_view(carry_.get(), carry_len_), on_line);
      }
      data += take + 1;
      n -= take + 1;
    }
  }

  // Ends the stream: a last line without '\n' (a truncated log) is still analysed.
  template <typename OnLine>
  void Finish(OnLine&& on_line) {
    if (carry_len_ > 0 || overlong_) {
      stats_.unterminated_last_line = true;
      Emit(absl::string_view(carry_.get(), carry_len_), on_line);
    }
  }

  const SplitStats& stats() const { return stats_; }

 private:
  void Append(const char* data, size_t n) {
    const size_t room = kMaxLineBytes - carry_len_;
    const size_t keep = n < room ? n : room;
    std::memcpy(carry_.get() + carry_len_, data, keep);
    carry_len_ += keep;
    if (keep < n) {
      overlong_ = true;
      overlong_bytes_ += static_cast<int64_t>(n - keep);
    }
  }

  template <typename OnLine>
  void Emit(absl::string_view line, OnLine&& on_line) {
    if (line.size() > kMaxLineBytes) {
      overlong_ = true;
      overlong_bytes_ += static_cast<int64_t>(line.size() - kMaxLineBytes);
      line = line.substr(0, kMaxLineBytes);
    }
    if (overlong_) {
      ++stats_.long_lines;
      stats_.long_bytes_skipped += overlong_bytes_;
    }
    ++stats_.lines;
    on_line(line);
    carry_len_ = 0;
    overlong_ = false;
    overlong_bytes_ = 0;
  }

  std::unique_ptr<char[]> carry_;
  size_t carry_len_ = 0;
  bool overlong_ = false;
  int64_t overlong_bytes_ = 0;
  SplitStats stats_;
};

// When a line happened, as far as its prefix tells.
struct Stamp {
  bool has_boot = false;  // kernel timestamp "[ 1447.723320]": seconds since boot
  bool has_wall = false;  // wall clock (journald, syslog, dmesg -T): seconds since 1970
                          // (local time; a year-less syslog stamp is put in a guessed year)
  double boot = 0;
  double wall = 0;
};

// A line with its prefix read.
struct ParsedLine {
  Stamp at;
  absl::string_view wall_text;  // the wall-clock text as written ("Jan 01 00:51:21")
  absl::string_view tag;        // syslog identifier ("kernel", "wpa_supplicant"), or empty
  absl::string_view body;       // the message
};

// Reads the prefix of the accepted formats:
//   dmesg                 [ 1447.723320] msg          (also "<3>" priority, "[  T123]" caller)
//   dmesg -T              [Fri May 10 11:40:04 2024] msg
//   journald / syslog     Jan 01 00:51:29 host kernel: msg    (host optional, .frac allowed)
//   ISO (rsyslog, -o short-iso)  2024-05-10T11:40:04.123+02:00 host kernel: msg
//   OpenWrt logread       Fri May 10 11:40:04 2024 kern.err kernel: [74118.579123] msg
//   /dev/kmsg             6,1163,83278214199,-;msg
//   journalctl -o short-monotonic   [ 1447.723320] host kernel: msg
// A line with none of these is kept whole as the body, with no time (a bare paste).
class PrefixParser {
 public:
  void Parse(absl::string_view line, ParsedLine* out);

 private:
  // Year-less syslog stamps: the year is guessed and advanced when the month goes back
  // (Dec -> Jan), so times stay monotonic across New Year.
  int year_ = 2000;  // a leap year, so that "Feb 29" is a valid first date
  int last_month_ = 0;
};

struct Mac {
  std::array<uint8_t, 6> b{};
  bool broadcast() const {
    for (uint8_t x : b) {
      if (x != 0xff) return false;
    }
    return true;
  }
};

// The messages the analyzer knows. Values are stable: they index the tables in
// tools/diagnose_format.cc.
enum class EventKind : uint8_t {
  kNone,
  // Driver lines, "<driver> <bus>: <msg>" (mt76 dev_err/dev_info).
  kMcuTimeout,           // Message %08x (seq %d) timeout
  kHwSwVersion,          // HW/SW Version: 0x%x, Build Time: %.16s  (patch, first line of a load)
  kWmVersion,            // WM Firmware Version: %.10s, Build Time: %.15s
  kAsicRevision,         // ASIC revision: %04x  (printed by probe only)
  kChipReset,            // chip reset  (dev_dbg in mt7921/mt7925 mac_reset_work)
  kChipResetFailed,      // chip reset failed  (10 bus-reset tries failed)
  kMacResetUnsupported,  // MT7927 mac_reset not supported, ...  (out-of-tree MT7927 patch)
  kPendingTxTimeout,     // timed out waiting for pending tx  (mt76u_stop_tx)
  kFwInitTimeout,        // Timeout for initializing firmware  (mt792x_load_firmware: no N9_RDY)
  kDeviceOther,          // any other line of a device with an interface: maps the interface
  // mac80211 / wpa_supplicant lines, "<iface>: <msg>".
  kKeyRemoveFailed,  // failed to remove key (%d, %pM) from hardware (%d)
  kKeySetFailed,     // failed to set key (%d, %pM) to hardware (%d)
  kAuthenticate,     // authenticate with %pM ...  (start of a new connection)
  kAuthenticated,
  kAssociated,
  kMloLink,             // [link %d] local address %pM, AP link address %pM[ (assoc)]
  kRoam,                // disconnect from AP %pM for new auth|assoc to %pM
  kAssocComeback,       // %pM rejected association temporarily; comeback duration %u TU
  kAssocTimeout,        // association with %pM timed out
  kAuthTimeout,         // authentication with %pM timed out
  kDriverDisconnect,    // Driver requested disconnection from AP %pM
  kConnectionLost,      // Connection to AP %pM lost
  kAssocRequestFailed,  // SME: Association request to the driver failed  (wpa_supplicant)
  // cfg80211/nl80211 extack errors, as wpa_supplicant prints them ("kernel reports: ...").
  kCfg80211Error,
};

// nl80211 errors returned to userspace (net/wireless/nl80211.c). Order matches the table
// in tools/diagnose_format.cc.
enum class Cfg80211Msg : uint8_t {
  kLinkIdRequired,  // link ID must for MLO group key
  kLinkIdPairwise,  // link ID not allowed for pairwise key
  kLinkIdInvalid,   // invalid link ID for MLO group key
  kLinkIdNonMlo,    // link ID not allowed for non-MLO group key
  kBssForLink,      // Error fetching BSS for link
};
inline constexpr int kNumCfg80211Msgs = 5;

// The one thing a body says. Views point into the line.
struct Event {
  EventKind kind = EventKind::kNone;
  absl::string_view driver;  // "mt7925e"
  absl::string_view device;  // "mt7925e 0000:c0:00.0" (driver and bus id)
  absl::string_view iface;   // "wlp192s0"
  uint32_t cmd = 0;          // kMcuTimeout: the command word
  int32_t seq = 0;           // kMcuTimeout
  absl::string_view build;   // kHwSwVersion, kWmVersion: the build time token
  uint32_t value = 0;        // ASIC revision, comeback TU, link id
  int32_t key_idx = 0;       // kKey*
  int32_t err = 0;           // kKey*: the driver's return value
  Mac addr;                  // key address, AP, or local link address
  Mac addr2;                 // new AP (kRoam), AP link address (kMloLink)
  bool flag = false;         // kMloLink: the link the request was sent on ("(assoc)")
  Cfg80211Msg cfg = Cfg80211Msg::kLinkIdRequired;
};

// Recognises `body`. Returns false (and leaves kind kNone) for any other line.
bool ClassifyBody(absl::string_view body, Event* ev);

// "ff:ff:ff:ff:ff:ff".
void FormatMac(const Mac& m, char out[18]);

}  // namespace connac::diagnose

#endif  // CONNAC_TOOLS_DIAGNOSE_LINE_H_
