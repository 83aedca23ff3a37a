// File: tools/diagnose_analyze.cc
//
// The streaming half of the analyzer: lines in, per-device and per-interface state machines,
// records and episodes out (docs/diagnose.md). The findings are written by
// tools/diagnose_findings.cc and the report is rendered by tools/diagnose_render.cc.

#include "tools/diagnose.h"

#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "tools/cli_util.h"

namespace connac::diagnose {

template <size_t N>
void ShortStr<N>::Set(absl::string_view v) {
  len = 0;
  for (char c : v) {
    if (len == N) break;
    if (c > ' ' && c < 0x7f) s[len++] = c;  // the log is untrusted: printable ASCII only
  }
}
template struct ShortStr<16>;

std::optional<double> Report::T(const Stamp& s) const {
  switch (time_base) {
    case TimeBase::kKernel:
      if (s.has_boot) return s.boot;
      if (s.has_wall && has_offset) return s.wall - wall_minus_boot;
      return std::nullopt;
    case TimeBase::kWallClock:
      if (s.has_wall) return s.wall - wall_origin;
      return std::nullopt;
    case TimeBase::kNone: break;
  }
  return std::nullopt;
}

const char* LoadKindName(LoadKind k) {
  switch (k) {
    case LoadKind::kBoot: return "boot";
    case LoadKind::kReprobe: return "reprobe";
    case LoadKind::kRecovery: return "recovery";
  }
  return "?";
}

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kRecovered: return "recovered";
    case Verdict::kResetFailed: return "reset_failed";
    case Verdict::kUnrecovered: return "unrecovered";
  }
  return "?";
}

// mac80211 key indices: pairwise 0-1 (1 only with Extended Key ID), GTK 1-3, IGTK 4-5,
// BIGTK 6-7. A group key is printed with the broadcast address (no station).
const char* KeyIdxName(int idx, bool broadcast) {
  if (!broadcast && (idx == 0 || idx == 1)) return "PTK";
  if (idx >= 0 && idx <= 3) return "GTK";
  if (idx == 4 || idx == 5) return "IGTK";
  if (idx == 6 || idx == 7) return "BIGTK";
  return "unknown";
}

// ---- Streaming -----------------------------------------------------------------------------

void Analyzer::Feed(const char* data, size_t n) {
  splitter_.Feed(data, n, [this](absl::string_view l) { Line(l); });
}

template <typename T>
void Analyzer::Keep(std::vector<T>* list, const T& rec) {
  if (list->size() < kMaxRecords) {
    list->push_back(rec);
  } else {
    ++r_.input.dropped;
  }
}

int Analyzer::DeviceIndex(const Event& ev) {
  for (size_t i = 0; i < r_.devices.size(); ++i) {
    if (r_.devices[i].id == ev.device) return static_cast<int>(i);
  }
  if (r_.devices.size() == kMaxDevices) return -1;
  Device d;
  d.id = std::string(ev.device);
  d.driver = std::string(ev.driver);
  d.bus = std::string(ev.device.substr(ev.driver.size() + 1));
  // mt7921e/u/s drive mt7921 and mt7922, mt7925e/u mt7925 and mt7927, mt7996e mt7996/92/90.
  if (ev.driver.size() >= 6) d.profile = cli::ParseFamily(ev.driver.substr(0, 6));
  r_.devices.push_back(std::move(d));
  dev_state_.emplace_back();
  return static_cast<int>(r_.devices.size() - 1);
}

int Analyzer::IfaceIndex(absl::string_view name) {
  for (size_t i = 0; i < r_.ifaces.size(); ++i) {
    if (r_.ifaces[i].name == name) return static_cast<int>(i);
  }
  if (r_.ifaces.size() == kMaxIfaces) return -1;
  Iface f;
  f.name = std::string(name);
  r_.ifaces.push_back(std::move(f));
  iface_state_.emplace_back();
  return static_cast<int>(r_.ifaces.size() - 1);
}

void Analyzer::Line(absl::string_view line) {
  ++line_no_;
  while (!line.empty() && (line.back() == '\r' || line.back() == '\0')) line.remove_suffix(1);
  // A crash often leaves a run of NUL bytes in a syslog file, followed by the next line's text
  // without a newline in between: keep the text after the last NUL.
  if (std::memchr(line.data(), '\0', line.size()) != nullptr) {
    ++r_.input.nul_lines;
    line.remove_prefix(line.rfind('\0') + 1);
  }
  ParsedLine p;
  prefix_.Parse(line, &p);
  if (p.at.has_boot) saw_boot_ = true;
  if (p.at.has_wall) {
    if (!saw_wall_) {
      saw_wall_ = true;
      r_.wall_origin = p.at.wall;
      // Printable text only: the log is untrusted.
      r_.time_origin.clear();
      for (char c : p.wall_text.substr(0, 48)) {
        if (c >= ' ' && c < 0x7f) r_.time_origin += c;
      }
      while (!r_.time_origin.empty() && r_.time_origin.back() == ' ') r_.time_origin.pop_back();
    }
    if (p.at.has_boot && !r_.has_offset) {
      r_.has_offset = true;
      r_.wall_minus_boot = p.at.wall - p.at.boot;
    }
  }

  Event ev;
  if (!ClassifyBody(p.body, &ev)) return;
  const bool untimed = !p.at.has_boot && !p.at.has_wall;
  if (!ev.device.empty()) {
    const int dev = DeviceIndex(ev);
    if (dev < 0) {
      ++r_.input.dropped;
      return;
    }
    if (!ev.iface.empty()) {
      const int f = IfaceIndex(ev.iface);
      if (f >= 0 && r_.ifaces[f].dev < 0) {
        r_.ifaces[f].dev = dev;
        r_.devices[dev].ifaces.push_back(static_cast<uint16_t>(f));
      }
    }
    if (ev.kind == EventKind::kDeviceOther) return;
    ++r_.input.recognised;
    if (untimed) ++r_.input.untimed;
    OnDriverEvent(dev, ev, p.at);
    return;
  }
  if (ev.kind == EventKind::kCfg80211Error) {
    ++r_.input.recognised;
    if (untimed) ++r_.input.untimed;
    Keep(&r_.cfg80211, Cfg80211Error{line_no_, p.at, ev.cfg});
    return;
  }
  const int iface = IfaceIndex(ev.iface);
  if (iface < 0) {
    ++r_.input.dropped;
    return;
  }
  ++r_.input.recognised;
  if (untimed) ++r_.input.untimed;
  OnIfaceEvent(iface, ev, p.at);
}

void Analyzer::OnDriverEvent(int dev, const Event& ev, const Stamp& at) {
  DevState& st = dev_state_[dev];
  Device& d = r_.devices[dev];
  const uint16_t di = static_cast<uint16_t>(dev);
  switch (ev.kind) {
    case EventKind::kMcuTimeout: {
      const CmdWord cmd{ev.cmd};
      ++r_.total_timeouts;
      ++d.timeouts;
      Keep(&r_.timeouts, McuTimeout{line_no_, at, di, cmd, ev.seq});
      if (DescribeCmd(cmd).name == nullptr || cmd.has_unknown_bits()) {
        size_t i = 0;
        while (i < n_unknown_cmds_ && unknown_cmds_[i].cmd != cmd) ++i;
        if (i < n_unknown_cmds_) {
          ++unknown_cmds_[i].count;
        } else if (n_unknown_cmds_ < unknown_cmds_.size()) {
          unknown_cmds_[n_unknown_cmds_++] = UnknownCmd{cmd, 1};
        }
      }
      if (!st.episode_open) {
        st.episode_open = true;
        st.episode = Episode();
        st.episode.dev = di;
        st.episode.first_line = line_no_;
        st.episode.first = at;
        st.episode.trigger = last_assoc_failure_;
        st.episode.trigger_at = last_assoc_failure_at_;
        st.awaiting = -1;  // a new hang: the previous episode no longer waits to reconnect
      }
      Episode& e = st.episode;
      if (e.timeouts < static_cast<int64_t>(kEpisodeCmds)) e.cmds[e.timeouts] = CmdSeq{cmd, ev.seq};
      ++e.timeouts;
      e.last = at;
      st.seen = true;
      return;
    }
    case EventKind::kHwSwVersion:
      // The patch line opens a load; the WM line (same load) closes it.
      if (st.load_open) CloseLoad(dev);
      StartLoad(dev, at, ev.build);
      return;
    case EventKind::kWmVersion:
      if (!st.load_open) StartLoad(dev, at, "");
      st.load.build.Set(ev.build);
      CloseLoad(dev);
      return;
    case EventKind::kAsicRevision:
      if (st.load_open) CloseLoad(dev);
      st.asic_pending = true;
      st.asic_after_seen = st.seen;
      st.seen = true;
      break;
    case EventKind::kChipResetFailed:
      Keep(&r_.dev_events, DeviceEvent{line_no_, at, di, ev.kind, 0});
      if (st.episode_open) {
        CloseEpisode(dev, EpisodeEnd::kResetFailed, at);
      } else {
        ++lone_reset_failures_;
      }
      return;
    case EventKind::kFwInitTimeout: {
      // mt792x_load_firmware: N9 never reported ready, so the load just logged failed and
      // the reset work tries again. The episode that load closed is still open.
      if (st.load_open) CloseLoad(dev);
      Keep(&r_.dev_events, DeviceEvent{line_no_, at, di, ev.kind, 0});
      if (!st.episode_open && st.awaiting >= 0 &&
          static_cast<size_t>(st.awaiting) + 1 == r_.episodes.size() &&
          r_.episodes.back().end == EpisodeEnd::kFwReload && !r_.episodes.back().reconnected) {
        st.episode = r_.episodes.back();
        r_.episodes.pop_back();
        --r_.total_episodes;
        --d.episodes;
        st.episode.end = EpisodeEnd::kEndOfLog;
        st.episode.end_line = 0;
        st.episode.end_at = Stamp();
        st.episode.driver_disconnect = false;
        st.episode_open = true;
        st.awaiting = -1;
      }
      return;
    }
    case EventKind::kChipReset:
    case EventKind::kMacResetUnsupported:
    case EventKind::kPendingTxTimeout: break;
    default: return;
  }
  Keep(&r_.dev_events, DeviceEvent{line_no_, at, di, ev.kind, ev.value});
}

void Analyzer::StartLoad(int dev, const Stamp& at, absl::string_view patch_build) {
  DevState& st = dev_state_[dev];
  FwLoad& l = st.load;
  l = FwLoad();
  l.line = line_no_;
  l.at = at;
  l.dev = static_cast<uint16_t>(dev);
  l.patch_build.Set(patch_build);
  if (st.asic_pending) {
    // Probe prints "ASIC revision"; the reset path does not. A probe after timeouts means
    // the device was removed and probed again (module reload, PCI rescan), not that the
    // driver recovered it.
    l.kind = st.asic_after_seen ? LoadKind::kReprobe : LoadKind::kBoot;
    st.asic_pending = false;
    if (st.episode_open) CloseEpisode(dev, EpisodeEnd::kReprobe, at);
  } else if (st.episode_open) {
    l.kind = LoadKind::kRecovery;
    CloseEpisode(dev, EpisodeEnd::kFwReload, at);
  } else if (!st.seen) {
    l.kind = LoadKind::kBoot;
  } else {
    // A reload with no timeout before it: a reset from another trigger (firmware assert).
    l.kind = LoadKind::kRecovery;
    if (st.silent_reloads++ == 0) st.first_silent_reload = at;
  }
  st.seen = true;
  st.load_open = true;
}

void Analyzer::CloseLoad(int dev) {
  DevState& st = dev_state_[dev];
  Keep(&r_.loads, st.load);
  ++r_.total_loads;
  ++r_.devices[dev].loads;
  if (st.load.kind == LoadKind::kReprobe && st.reprobes++ == 0) st.first_reprobe = st.load.at;
  st.load_open = false;
}

void Analyzer::CloseEpisode(int dev, EpisodeEnd end, const Stamp& at) {
  DevState& st = dev_state_[dev];
  Episode& e = st.episode;
  e.end = end;
  if (end != EpisodeEnd::kEndOfLog) {
    e.end_line = line_no_;
    e.end_at = at;
  }
  ++r_.total_episodes;
  ++r_.devices[dev].episodes;
  st.awaiting = r_.episodes.size() < kMaxRecords ? static_cast<int>(r_.episodes.size()) : -1;
  Keep(&r_.episodes, e);
  st.episode_open = false;
}

void Analyzer::OnIfaceEvent(int iface, const Event& ev, const Stamp& at) {
  IfaceState& st = iface_state_[iface];
  const uint16_t fi = static_cast<uint16_t>(iface);
  const int mapped = r_.ifaces[iface].dev;
  // Episodes of the interface's device, or of every device when no line ties the
  // interface to one (most logs have a single device).
  auto for_devices = [&](auto&& fn) {
    for (size_t d = 0; d < dev_state_.size(); ++d) {
      if (mapped < 0 || mapped == static_cast<int>(d)) fn(dev_state_[d]);
    }
  };
  switch (ev.kind) {
    case EventKind::kKeyRemoveFailed:
    case EventKind::kKeySetFailed: {
      KeyError k;
      k.line = line_no_;
      k.at = at;
      k.iface = fi;
      k.remove = ev.kind == EventKind::kKeyRemoveFailed;
      k.idx = ev.key_idx;
      k.addr = ev.addr;
      k.err = ev.err;
      k.during_roam = st.roaming;
      ++r_.total_key_errors;
      Keep(&r_.key_errors, k);
      return;
    }
    case EventKind::kRoam:
      st.roaming = true;
      st.links = 0;
      break;
    case EventKind::kAuthenticate: st.links = 0; break;
    case EventKind::kMloLink: st.links = static_cast<uint16_t>(st.links | (1u << ev.value)); break;
    case EventKind::kAssociated:
      st.roaming = false;
      last_assoc_failure_ = EventKind::kNone;
      // Only a closed episode can reconnect: a hung firmware associates nothing.
      for_devices([&](DevState& s) {
        if (s.awaiting < 0) return;
        Episode& e = r_.episodes[static_cast<size_t>(s.awaiting)];
        e.reconnected = true;
        e.reconnected_at = at;
        s.awaiting = -1;
      });
      break;
    case EventKind::kAssocComeback:
    case EventKind::kAssocTimeout:
    case EventKind::kAuthTimeout:
    case EventKind::kAssocRequestFailed:
      last_assoc_failure_ = ev.kind;
      last_assoc_failure_at_ = at;
      break;
    case EventKind::kDriverDisconnect:
      for_devices([&](DevState& s) {
        if (s.awaiting < 0) return;
        Episode& e = r_.episodes[static_cast<size_t>(s.awaiting)];
        if (e.end == EpisodeEnd::kFwReload) e.driver_disconnect = true;
      });
      break;
    default: break;
  }
  ConnEvent c;
  c.line = line_no_;
  c.at = at;
  c.iface = fi;
  c.kind = ev.kind;
  c.ap = ev.addr;
  c.ap2 = ev.addr2;
  c.value = ev.value;
  c.flag = ev.flag;
  if (ev.kind == EventKind::kAssociated) {
    c.links = st.links;
    st.links = 0;
  }
  Keep(&r_.conn, c);
}

const Report& Analyzer::Finish() {
  if (finished_) return r_;
  finished_ = true;
  splitter_.Finish([this](absl::string_view l) { Line(l); });
  for (size_t d = 0; d < dev_state_.size(); ++d) {
    if (dev_state_[d].load_open) CloseLoad(static_cast<int>(d));
    if (dev_state_[d].episode_open)
      CloseEpisode(static_cast<int>(d), EpisodeEnd::kEndOfLog, Stamp());
  }
  r_.input.split = splitter_.stats();
  r_.input.split.lines = line_no_;  // Line() may also be called directly
  r_.time_base = saw_boot_ ? TimeBase::kKernel : saw_wall_ ? TimeBase::kWallClock : TimeBase::kNone;
  WriteFindings();
  return r_;
}

}  // namespace connac::diagnose
