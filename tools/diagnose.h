// File: tools/diagnose.h
//
// `connac diagnose`: a kernel log in, a decoded timeline, episodes and findings out.
//
//   connac::diagnose::Analyzer a;
//   a.Feed(chunk.data(), chunk.size());   // any chunking; repeat
//   const connac::diagnose::Report& r = a.Finish();
//   std::string text = RenderText(r);     // or RenderJson(r): the public JSON contract
//
// The analyzer streams: lines are recognised one at a time (tools/diagnose_line.h), per-device
// state machines group MCU timeouts into episodes as lines arrive, and only the recognised
// records are kept, at most kMaxRecords per list (counts stay exact past the cap). Memory is
// bounded whatever the size of the log. docs/diagnose.md describes the rules and the output.

#ifndef CONNAC_TOOLS_DIAGNOSE_H_
#define CONNAC_TOOLS_DIAGNOSE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "connac/family.h"
#include "connac/mcu_cmd.h"
#include "tools/diagnose_line.h"

namespace connac::diagnose {

// Records kept per list; past it, records are counted but not stored.
inline constexpr size_t kMaxRecords = 10000;
// Devices and interfaces told apart; lines of further ones are counted as unrecognised.
inline constexpr size_t kMaxDevices = 64;
inline constexpr size_t kMaxIfaces = 64;
// Commands listed per episode (the count is exact).
inline constexpr size_t kEpisodeCmds = 16;

// A short printable token copied out of the line (the line buffer does not outlive it).
template <size_t N>
struct ShortStr {
  std::array<char, N> s{};
  uint8_t len = 0;
  void Set(absl::string_view v);  // keeps printable ASCII, at most N bytes
  absl::string_view view() const { return absl::string_view(s.data(), len); }
};

enum class LoadKind : uint8_t { kBoot, kReprobe, kRecovery };
enum class Verdict : uint8_t { kRecovered, kResetFailed, kUnrecovered };
// What closed an episode.
enum class EpisodeEnd : uint8_t { kEndOfLog, kFwReload, kResetFailed, kReprobe };

struct McuTimeout {
  int64_t line = 0;
  Stamp at;
  uint16_t dev = 0;
  CmdWord cmd;
  int32_t seq = 0;
};

struct FwLoad {
  int64_t line = 0;
  Stamp at;
  uint16_t dev = 0;
  LoadKind kind = LoadKind::kBoot;
  ShortStr<16> build;        // WM "Build Time" (empty when the WM line is missing)
  ShortStr<16> patch_build;  // "HW/SW Version" build time (the ROM patch)
};

struct KeyError {
  int64_t line = 0;
  Stamp at;
  uint16_t iface = 0;
  bool remove = true;  // "failed to remove key"; false: "failed to set key"
  int32_t idx = 0;
  Mac addr;
  int32_t err = 0;
  bool during_roam = false;  // after "disconnect ... for new auth" and before "associated"
};

// mac80211 / wpa_supplicant connection events (kind is the EventKind of the line).
struct ConnEvent {
  int64_t line = 0;
  Stamp at;
  uint16_t iface = 0;
  EventKind kind = EventKind::kNone;
  Mac ap;              // AP (or local address for kMloLink)
  Mac ap2;             // new AP (kRoam), AP link address (kMloLink)
  uint32_t value = 0;  // comeback TU, link id
  uint16_t links = 0;  // kAssociated: MLO links requested ("[link N]" lines), bit per link
  bool flag = false;   // kMloLink: "(assoc)"
};

struct Cfg80211Error {
  int64_t line = 0;
  Stamp at;
  Cfg80211Msg msg = Cfg80211Msg::kLinkIdRequired;
};

// Driver lines that are not timeouts or loads (kind: kAsicRevision, kChipReset, ...).
struct DeviceEvent {
  int64_t line = 0;
  Stamp at;
  uint16_t dev = 0;
  EventKind kind = EventKind::kNone;
  uint32_t value = 0;
};

struct CmdSeq {
  CmdWord cmd;
  int32_t seq = 0;
};

// MCU timeouts of one device up to a firmware reload, a failed reset or the end.
struct Episode {
  uint16_t dev = 0;
  int64_t first_line = 0;
  Stamp first;
  Stamp last;
  int64_t timeouts = 0;
  std::array<CmdSeq, kEpisodeCmds> cmds{};
  EpisodeEnd end = EpisodeEnd::kEndOfLog;
  int64_t end_line = 0;
  Stamp end_at;
  bool reconnected = false;
  Stamp reconnected_at;
  bool driver_disconnect = false;  // "Driver requested disconnection" after the reload
  // The last association failure (comeback, timeout, failed request) before the first
  // timeout, if any: the #1036 pattern.
  EventKind trigger = EventKind::kNone;
  Stamp trigger_at;

  Verdict verdict() const {
    switch (end) {
      case EpisodeEnd::kFwReload: return Verdict::kRecovered;
      case EpisodeEnd::kResetFailed: return Verdict::kResetFailed;
      default: return Verdict::kUnrecovered;
    }
  }
};

struct Device {
  std::string id;                    // "mt7925e 0000:c0:00.0"
  std::string driver;                // "mt7925e"
  std::string bus;                   // "0000:c0:00.0"
  const Profile* profile = nullptr;  // by driver name; nullptr for families the core lacks
  std::vector<uint16_t> ifaces;
  int64_t timeouts = 0;
  int64_t loads = 0;
  int64_t episodes = 0;
};

struct Iface {
  std::string name;
  int dev = -1;  // -1: not tied to a device by any line
};

struct Finding {
  std::string code;
  std::string text;
};

enum class TimeBase : uint8_t { kNone, kKernel, kWallClock };

struct InputStats {
  SplitStats split;
  int64_t recognised = 0;  // lines that produced a record
  int64_t untimed = 0;     // recognised lines without any timestamp
  int64_t nul_lines = 0;   // lines with NUL bytes (the text after the last NUL is used)
  int64_t dropped = 0;     // records past kMaxRecords (or of devices past kMaxDevices)
};

struct Report {
  std::vector<Device> devices;
  std::vector<Iface> ifaces;
  std::vector<McuTimeout> timeouts;
  std::vector<FwLoad> loads;
  std::vector<Episode> episodes;
  std::vector<KeyError> key_errors;
  std::vector<ConnEvent> conn;
  std::vector<Cfg80211Error> cfg80211;
  std::vector<DeviceEvent> dev_events;
  std::vector<Finding> findings;
  // Exact totals (the lists stop at kMaxRecords).
  int64_t total_timeouts = 0;
  int64_t total_loads = 0;
  int64_t total_episodes = 0;
  int64_t total_key_errors = 0;
  InputStats input;

  // How times are reported (docs/diagnose.md): seconds since boot when the log has kernel
  // timestamps; else seconds since the first line's wall clock (time_origin); else none.
  TimeBase time_base = TimeBase::kNone;
  std::string time_origin;  // the first wall-clock stamp as written, for kWallClock
  double wall_origin = 0;
  bool has_offset = false;  // a line had both clocks: wall = boot + wall_minus_boot
  double wall_minus_boot = 0;

  // The time of a stamp in the report's base, or nullopt when the line had none usable.
  std::optional<double> T(const Stamp& s) const;
};

class Analyzer {
 public:
  Analyzer() = default;
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  // Bytes of the log, in chunks of any size.
  void Feed(const char* data, size_t n);
  // One line without its '\n' (Feed splits; tests may call this directly).
  void Line(absl::string_view line);
  // Ends the stream, closes open episodes and writes the findings. Call once.
  const Report& Finish();

 private:
  struct DevState {
    bool seen = false;             // a load, timeout or ASIC line came before
    bool asic_pending = false;     // "ASIC revision" since the last load: a probe
    bool asic_after_seen = false;  // ... of a device seen before: a re-probe
    bool load_open = false;        // "HW/SW Version" seen, "WM Firmware Version" not yet
    FwLoad load;
    bool episode_open = false;
    Episode episode;
    int awaiting = -1;           // index in r_.episodes of the closed episode awaiting "associated"
    int64_t silent_reloads = 0;  // recovery loads with no timeout before them
    Stamp first_silent_reload;
    int64_t reprobes = 0;
    Stamp first_reprobe;
  };
  struct IfaceState {
    bool roaming = false;  // "disconnect ... for new auth" and no "associated" since
    uint16_t links = 0;    // "[link N]" lines of the association in progress
  };
  struct UnknownCmd {
    CmdWord cmd;
    int64_t count = 0;
  };

  int DeviceIndex(const Event& ev);
  int IfaceIndex(absl::string_view name);
  void OnDriverEvent(int dev, const Event& ev, const Stamp& at);
  void OnIfaceEvent(int iface, const Event& ev, const Stamp& at);
  void StartLoad(int dev, const Stamp& at, absl::string_view patch_build);
  void CloseLoad(int dev);
  void CloseEpisode(int dev, EpisodeEnd end, const Stamp& at);
  template <typename T>
  void Keep(std::vector<T>* list, const T& rec);
  // Findings (tools/diagnose_findings.cc); the two const ones read the per-device state.
  void WriteFindings();
  void DeviceStateFindings(std::vector<Finding>* out) const;
  void UnknownCmdFindings(std::vector<Finding>* out) const;

  LineSplitter splitter_;
  PrefixParser prefix_;
  Report r_;
  int64_t line_no_ = 0;
  bool saw_boot_ = false;
  bool saw_wall_ = false;
  bool finished_ = false;
  // Per-device and per-interface state machines (index-aligned with r_.devices / r_.ifaces).
  std::vector<DevState> dev_state_;
  std::vector<IfaceState> iface_state_;
  // The last association failure seen (any interface), for the trigger of an episode.
  EventKind last_assoc_failure_ = EventKind::kNone;
  Stamp last_assoc_failure_at_;
  // Distinct command words missing from the core's tables (the first few, for findings).
  std::array<UnknownCmd, 8> unknown_cmds_{};
  size_t n_unknown_cmds_ = 0;
  int64_t lone_reset_failures_ = 0;  // "chip reset failed" with no open episode
};

// The text report: summary, devices, timeline, episodes, findings.
std::string RenderText(const Report& r);
// One JSON object (the public contract in docs/diagnose.md), with a trailing newline.
std::string RenderJson(const Report& r);
// The same bytes written to `f` piecewise, so that a large report is never one string.
void WriteJson(const Report& r, std::FILE* f);

// Helpers shared with the tests.
const char* LoadKindName(LoadKind k);             // "boot", "reprobe", "recovery"
const char* VerdictName(Verdict v);               // "recovered", "reset_failed", "unrecovered"
const char* KeyIdxName(int idx, bool broadcast);  // "PTK", "GTK", "IGTK", "BIGTK", "unknown"

}  // namespace connac::diagnose

#endif  // CONNAC_TOOLS_DIAGNOSE_H_
