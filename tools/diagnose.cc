// File: tools/diagnose.cc

#include "tools/diagnose.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "connac/status.h"
#include "tools/cli_util.h"
#include "tools/diagnose_format.h"

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

namespace {

bool IsMt792x(const Device& d) {
  return d.profile != nullptr &&
         (d.profile->family == Family::kMt7921 || d.profile->family == Family::kMt7925);
}

}  // namespace

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

// ---- Findings ------------------------------------------------------------------------------

namespace {

const char* TriggerText(EventKind k) {
  switch (k) {
    case EventKind::kAssocComeback: return "a temporary association rejection (comeback)";
    case EventKind::kAssocTimeout: return "an association timeout";
    case EventKind::kAuthTimeout: return "an authentication timeout";
    case EventKind::kAssocRequestFailed: return "a failed association request";
    default: return "an association failure";
  }
}

// "(1, ff:ff:ff:ff:ff:ff) (-22 EINVAL), (4, ...) (-22 EINVAL) x2" and "idx 1 = GTK, ...".
struct KeyGroup {
  int32_t idx;
  Mac addr;
  int32_t err;
  int64_t count;
};

}  // namespace

void Analyzer::WriteFindings() {
  const Report& r = r_;
  auto add = [this](absl::string_view code, std::string text) {
    r_.findings.push_back(Finding{std::string(code), std::move(text)});
  };

  // Episodes: one finding each for the first few, then a count.
  constexpr size_t kDetailed = 8;
  for (size_t i = 0; i < r.episodes.size() && i < kDetailed; ++i) {
    const Episode& e = r.episodes[i];
    const Device& d = r.devices[e.dev];
    const std::optional<double> first = r.T(e.first);
    const std::optional<double> end = r.T(e.end_at);
    std::string text =
        absl::StrCat(d.id, ": the firmware stopped answering MCU commands at t=", TextT(first),
                     ": ", Plural(e.timeouts, "timeout", "timeouts"), " (", CmdSummary(e), ")");
    switch (e.end) {
      case EpisodeEnd::kFwReload: {
        absl::StrAppend(&text, "; the firmware reload at t=", TextT(end));
        if (auto dt = Diff(end, first))
          absl::StrAppend(&text, ", ", Dur(*dt), " s after the first timeout,");
        absl::StrAppend(&text, " recovered it");
        if (e.reconnected) {
          const std::optional<double> rt = r.T(e.reconnected_at);
          absl::StrAppend(&text, ", and the station was associated again at t=", TextT(rt));
          if (auto dt = Diff(rt, first))
            absl::StrAppend(&text, " (", Dur(*dt), " s after the first timeout)");
          absl::StrAppend(&text, ".");
        } else {
          absl::StrAppend(&text, "; no \"associated\" follows in the log.");
        }
        if (e.driver_disconnect && IsMt792x(d)) {
          absl::StrAppend(&text,
                          " After the reload the driver forced a reconnection (\"Driver requested "
                          "disconnection\"): mt7921/mt7925 replay no keys or stations.");
        }
        break;
      }
      case EpisodeEnd::kResetFailed:
        absl::StrAppend(&text, "; then \"chip reset failed\" at t=", TextT(end),
                        ": mac_reset_work tried the bus reset 10 times and gave up, so the device "
                        "stays dead until the driver is reloaded or the machine reboots.");
        break;
      case EpisodeEnd::kReprobe:
        absl::StrAppend(&text,
                        "; the driver did not recover it: the device was probed again "
                        "(module reload or PCI rescan) at t=",
                        TextT(end), ".");
        break;
      case EpisodeEnd::kEndOfLog:
        absl::StrAppend(&text,
                        "; the log ends with no firmware reload: the reset never completed "
                        "(on mt792x reset_work can wait minutes for mt76.mutex) or the log "
                        "was cut.");
        break;
    }
    add(absl::StrCat("episode_", VerdictName(e.verdict())), std::move(text));

    if (e.timeouts >= 2 && IsMt792x(d)) {
      const bool reset = e.end == EpisodeEnd::kFwReload || e.end == EpisodeEnd::kResetFailed;
      std::string why = absl::StrCat(
          e.timeouts, reset ? " timeouts paid before the reset" : " timeouts in a row and no reset",
          ": the driver does not fail pending commands fast. mt792x_reset only queues reset_work, "
          "so every command already queued waits its full ",
          Seconds(TimeoutFor(*d.profile, e.cmds[0].cmd)), " s until reset_work takes mt76.mutex");
      if (auto dt = Diff(end, first); dt && e.end == EpisodeEnd::kFwReload) {
        absl::StrAppend(&why, " (", Dur(*dt), " s from the first timeout to the reload)");
      } else if (auto span = Diff(r.T(e.last), first)) {
        absl::StrAppend(&why, " (", Dur(*span), " s from the first to the last timeout)");
      }
      absl::StrAppend(&why, "; mt7915/mt7996 fail every waiter on the first timeout.");
      add("timeouts_before_reset", std::move(why));
    }
    if (e.trigger != EventKind::kNone) {
      const std::optional<double> dt = Diff(first, r.T(e.trigger_at));
      if (dt && *dt >= 0 && *dt <= 30) {
        add("hang_after_assoc_failure",
            absl::StrCat("The first timeout came ", Dur(*dt), " s after ", TriggerText(e.trigger),
                         ": the openwrt/mt76 #1036 pattern, where an MLO roam that fails to "
                         "associate leaves the firmware unresponsive."));
      }
    }
  }
  if (r.total_episodes > static_cast<int64_t>(kDetailed)) {
    int64_t n[3] = {0, 0, 0};
    for (const Episode& e : r.episodes) ++n[static_cast<int>(e.verdict())];
    add("more_episodes", absl::StrCat(r.total_episodes - static_cast<int64_t>(kDetailed),
                                      " more episodes are in the episodes list; of the ",
                                      r.episodes.size(), " listed, ", n[0], " recovered, ", n[1],
                                      " reset_failed, ", n[2], " unrecovered."));
  }

  // Key errors, grouped by (idx, address, error).
  for (const bool remove : {true, false}) {
    std::vector<KeyGroup> groups;
    int64_t total = 0;
    bool all_group_einval = true;
    bool during_roam = false;
    bool mt7925 = true;  // the interface belongs to an mt7925 or to no known device
    for (const KeyError& k : r.key_errors) {
      if (k.remove != remove) continue;
      ++total;
      auto it = std::find_if(groups.begin(), groups.end(), [&](const KeyGroup& g) {
        return g.idx == k.idx && g.err == k.err && g.addr.b == k.addr.b;
      });
      if (it != groups.end()) {
        ++it->count;
      } else if (groups.size() < 8) {
        groups.push_back(KeyGroup{k.idx, k.addr, k.err, 1});
      }
      all_group_einval &= k.addr.broadcast() && k.idx >= 1 && k.idx <= 7 && k.err == -22;
      during_roam |= k.during_roam;
      const int dev = r.ifaces[k.iface].dev;
      if (dev >= 0) {
        const Profile* p = r.devices[static_cast<size_t>(dev)].profile;
        mt7925 &= p != nullptr && p->family == Family::kMt7925;
      }
    }
    if (total == 0) continue;
    std::string list;
    std::string meaning;
    std::vector<int32_t> seen_idx;
    for (const KeyGroup& g : groups) {
      if (!list.empty()) list += ", ";
      absl::StrAppend(&list, "(", g.idx, ", ", MacStr(g.addr), ") (", g.err, " ", ErrnoName(g.err),
                      ")", Times(g.count));
      if (std::find(seen_idx.begin(), seen_idx.end(), g.idx) == seen_idx.end()) {
        seen_idx.push_back(g.idx);
        absl::StrAppend(&meaning, meaning.empty() ? "" : ", ", "idx ", g.idx, " = ",
                        KeyIdxName(g.idx, g.addr.broadcast()));
      }
    }
    std::string text =
        absl::StrCat("failed to ", remove ? "remove" : "set", " key ", list, ": ", meaning, ". ");
    if (remove && all_group_einval && mt7925) {
      absl::StrAppend(&text,
                      "mac80211 removed the group keys of an MLO link the driver had already "
                      "torn down",
                      during_roam ? " during the roam (\"disconnect ... for new auth\")" : "",
                      ": upstream mt7925_set_link_key dereferences the missing link (NULL), PR "
                      "#1030 returns -EINVAL (this -22) and PR #1037 returns 0. mac80211 forgets "
                      "the key either way, so the error only logs.");
    } else if (remove) {
      absl::StrAppend(&text,
                      "mac80211 only logs a failed removal and forgets the key "
                      "(ieee80211_key_disable_hw_accel), so the driver's slot may still hold it.");
    } else {
      absl::StrAppend(&text,
                      "mac80211 falls back to software crypto on -ENOSPC or -EOPNOTSUPP; any "
                      "other error fails the key installation back to wpa_supplicant "
                      "(ieee80211_key_enable_hw_accel).");
    }
    add(remove ? "key_remove_failed" : "key_set_failed", std::move(text));
  }

  // cfg80211/nl80211 errors returned to userspace.
  int64_t cfg_count[kNumCfg80211Msgs] = {};
  for (const Cfg80211Error& c : r.cfg80211) ++cfg_count[static_cast<int>(c.msg)];
  auto conn_count = [&](EventKind k, const ConnEvent** first) {
    int64_t n = 0;
    for (const ConnEvent& c : r.conn) {
      if (c.kind != k) continue;
      if (n++ == 0 && first != nullptr) *first = &c;
    }
    return n;
  };
  const int64_t assoc_req_failed = conn_count(EventKind::kAssocRequestFailed, nullptr);
  for (int i = 0; i < kNumCfg80211Msgs; ++i) {
    if (cfg_count[i] == 0) continue;
    const Cfg80211Info& c = kCfg80211[i];
    std::string text = absl::StrCat("\"", c.message, "\"", Times(cfg_count[i]), ": ", c.why,
                                    ". A cfg80211/nl80211 error returned to wpa_supplicant, not a "
                                    "driver error: the request never reached the driver.");
    if (static_cast<Cfg80211Msg>(i) == Cfg80211Msg::kBssForLink && assoc_req_failed > 0) {
      absl::StrAppend(&text,
                      " wpa_supplicant's SME then reported \"Association request to the "
                      "driver failed\".");
    }
    if (i <= static_cast<int>(Cfg80211Msg::kLinkIdNonMlo) && r.total_key_errors > 0) {
      absl::StrAppend(&text,
                      " It is unrelated to the driver's key-removal errors above, though "
                      "both come from the same roam.");
    }
    add(absl::StrCat("cfg80211_", c.code), std::move(text));
  }

  // Connection events.
  const ConnEvent* first = nullptr;
  if (int64_t n = conn_count(EventKind::kAssocComeback, &first)) {
    add("assoc_comeback",
        absl::StrCat(MacStr(first->ap), " rejected association temporarily (comeback ",
                     first->value, " TU = ", first->value * 1024 / 1000, " ms)", Times(n),
                     ": the AP still held the station's previous association (status 30, it "
                     "checks the old one with SA Query first) and asked it to come back later."));
  }
  if (int64_t n = conn_count(EventKind::kAssocTimeout, &first)) {
    add("assoc_timeout",
        absl::StrCat("association with ", MacStr(first->ap), " timed out", Times(n),
                     ": the AP answered none of mac80211's 3 association requests."));
  }
  if (int64_t n = conn_count(EventKind::kAuthTimeout, &first)) {
    add("auth_timeout",
        absl::StrCat("authentication with ", MacStr(first->ap), " timed out", Times(n),
                     ": the AP answered none of mac80211's 3 authentication frames."));
  }
  if (assoc_req_failed > 0 && cfg_count[static_cast<int>(Cfg80211Msg::kBssForLink)] == 0) {
    add("assoc_request_failed",
        absl::StrCat(
            "wpa_supplicant: \"Association request to the driver failed\"", Times(assoc_req_failed),
            ": cfg80211 or mac80211 refused the association request before it reached the AP."));
  }
  bool disconnect_explained = false;
  for (const Episode& e : r.episodes) disconnect_explained |= e.driver_disconnect;
  if (int64_t n = conn_count(EventKind::kDriverDisconnect, nullptr);
      n > 0 && !disconnect_explained) {
    add("driver_disconnect",
        absl::StrCat(
            "\"Driver requested disconnection\"", Times(n),
            ": the driver asked mac80211 to reconnect; mt7921/mt7925 do this for station "
            "interfaces after every firmware reload, since they replay no keys or stations."));
  }
  if (int64_t n = conn_count(EventKind::kConnectionLost, &first)) {
    add("connection_lost", absl::StrCat("Connection to AP ", MacStr(first->ap), " lost", Times(n),
                                        ": mac80211's connection monitor got no beacons or probe "
                                        "responses from the AP."));
  }

  // Driver lines outside episodes.
  auto dev_count = [&](EventKind k) {
    int64_t n = 0;
    for (const DeviceEvent& e : r.dev_events) n += e.kind == k;
    return n;
  };
  if (lone_reset_failures_ > 0) {
    add("chip_reset_failed",
        absl::StrCat(
            "\"chip reset failed\"", Times(lone_reset_failures_),
            " with no MCU timeout before it: a reset from another trigger (firmware assert, "
            "power-management failure) and mac_reset_work gave up after 10 bus-reset tries; "
            "the device stays dead until the driver is reloaded."));
  }
  if (int64_t n = dev_count(EventKind::kMacResetUnsupported)) {
    add("mac_reset_unsupported",
        absl::StrCat(
            "\"mac_reset not supported\"", Times(n),
            ": the out-of-tree MT7927 patch refuses the MAC reset (its DMA rings are not "
            "rebuilt), so every reset attempt fails and only reloading the module recovers."));
  }
  if (int64_t n = dev_count(EventKind::kPendingTxTimeout)) {
    add("pending_tx_timeout",
        absl::StrCat("\"timed out waiting for pending tx\"", Times(n),
                     ": mt76u_stop_tx waited 200 ms for the USB TX queues to drain and killed the "
                     "URBs; the USB device stopped completing transfers (unplugged, or hung)."));
  }
  for (size_t i = 0; i < r.devices.size(); ++i) {
    const DevState& st = dev_state_[i];
    if (st.reprobes > 0) {
      add("reprobe", absl::StrCat(r.devices[i].id, ": probed again", Times(st.reprobes),
                                  ", first at t=", TextT(r.T(st.first_reprobe)),
                                  " (\"ASIC revision\" before the firmware load): the driver was "
                                  "reloaded or the device re-enumerated."));
    }
    if (st.silent_reloads > 0) {
      add("reload_without_timeouts",
          absl::StrCat(
              r.devices[i].id, ": firmware reloaded", Times(st.silent_reloads),
              ", first at t=", TextT(r.T(st.first_silent_reload)),
              ", with no MCU timeout before it: a reset from another trigger (firmware "
              "assert/coredump, power-management failure), or timeouts missing from the log."));
    }
  }

  // Command words the core's tables do not know: decoded field by field, never dropped.
  for (size_t i = 0; i < n_unknown_cmds_; ++i) {
    const CmdWord c = unknown_cmds_[i].cmd;
    const CmdName n = DescribeCmd(c);
    std::string text = absl::StrFormat(
        "Message %08x%s is %s: kind %s, id 0x%02x, ext_id 0x%02x, query %s, WA %s, WM %s", c.raw,
        Times(unknown_cmds_[i].count), cli::CmdDisplayName(c), n.kind_name, c.id(), c.ext_id(),
        c.query() ? "yes" : "no", c.wa() ? "yes" : "no", c.wm() ? "yes" : "no");
    if (c.has_unknown_bits()) {
      absl::StrAppend(&text,
                      "; bits above 20 are set, which mt76 never produces: a corrupted word "
                      "or not an mt76 log.");
    } else {
      absl::StrAppend(&text,
                      "; the id is not in mt76's tables (master @59676919): a newer driver "
                      "or a vendor command.");
    }
    add("unknown_command", std::move(text));
  }

  // Input and time notes.
  const InputStats& in = r.input;
  std::vector<std::string> issues;
  if (in.split.long_lines > 0) {
    issues.push_back(absl::StrCat(Plural(in.split.long_lines, "line", "lines"),
                                  " longer than 64 KiB (", in.split.long_bytes_skipped,
                                  " bytes past the limit skipped)"));
  }
  if (in.nul_lines > 0) {
    issues.push_back(absl::StrCat(Plural(in.nul_lines, "line", "lines"),
                                  " with NUL bytes (the text after the last NUL was used)"));
  }
  if (in.split.unterminated_last_line) issues.push_back("a last line without newline (analysed)");
  if (in.dropped > 0) {
    issues.push_back(absl::StrCat(in.dropped, " records past the per-list cap of ", kMaxRecords,
                                  " or of devices past ", kMaxDevices, " (counted, not listed)"));
  }
  if (!issues.empty()) add("input", absl::StrCat("Handled: ", absl::StrJoin(issues, "; "), "."));
  if (in.recognised == 0) {
    add("nothing_recognised",
        absl::StrCat("No mt76, mac80211 or nl80211 line was recognised in ",
                     Plural(in.split.lines, "line", "lines"),
                     ". Accepted: dmesg, dmesg -T, journald/syslog, OpenWrt logread, /dev/kmsg, or "
                     "bare kernel messages (docs/diagnose.md)."));
  } else if (r.time_base == TimeBase::kNone) {
    add("no_timestamps",
        "The log has no timestamps: every t is null and the order is by line number.");
  } else if (in.untimed > 0) {
    add("untimed_lines",
        absl::StrCat(Plural(in.untimed, "recognised line has", "recognised lines have"),
                     " no timestamp (a bare paste): t is null for them and they are "
                     "placed by line number."));
  }
}

// ---- Rendering -----------------------------------------------------------------------------

namespace {

std::string FamilyText(const Device& d) {
  if (d.profile == nullptr) return "family not modelled by the core";
  return absl::StrCat(d.profile->name, ", MCU timeout ", Seconds(d.profile->default_timeout), " s");
}

std::string ConnText(const ConnEvent& c) {
  switch (c.kind) {
    case EventKind::kRoam:
      return absl::StrCat("roam: disconnect from AP ", MacStr(c.ap), " for new auth to ",
                          MacStr(c.ap2));
    case EventKind::kAuthenticate: return absl::StrCat("authenticate with ", MacStr(c.ap));
    case EventKind::kAuthenticated: return "authenticated";
    case EventKind::kMloLink:
      return absl::StrCat("MLO link ", c.value, ": AP link address ", MacStr(c.ap2),
                          c.flag ? " (assoc)" : "");
    case EventKind::kAssociated: {
      std::string s = "associated";
      if (c.links != 0) {
        std::vector<int> ids;
        for (int i = 0; i < 15; ++i) {
          if (c.links & (1u << i)) ids.push_back(i);
        }
        absl::StrAppend(&s, " (MLO links ", absl::StrJoin(ids, ","), ")");
      }
      return s;
    }
    case EventKind::kAssocComeback:
      return absl::StrCat(MacStr(c.ap), " rejected association temporarily: comeback ", c.value,
                          " TU (", c.value * 1024 / 1000, " ms)");
    case EventKind::kAssocTimeout:
      return absl::StrCat("association with ", MacStr(c.ap), " timed out");
    case EventKind::kAuthTimeout:
      return absl::StrCat("authentication with ", MacStr(c.ap), " timed out");
    case EventKind::kDriverDisconnect: return "Driver requested disconnection (reconnect)";
    case EventKind::kConnectionLost:
      return absl::StrCat("connection to AP ", MacStr(c.ap), " lost");
    case EventKind::kAssocRequestFailed:
      return "wpa_supplicant: association request to the driver failed";
    default: break;
  }
  return EventName(c.kind);
}

std::string DevEventText(const DeviceEvent& e) {
  switch (e.kind) {
    case EventKind::kAsicRevision: return absl::StrFormat("ASIC revision %04x (probe)", e.value);
    case EventKind::kChipReset: return "chip reset";
    case EventKind::kChipResetFailed: return "chip reset failed (10 bus-reset tries)";
    case EventKind::kMacResetUnsupported: return "mac_reset not supported";
    case EventKind::kPendingTxTimeout: return "timed out waiting for pending tx (USB)";
    default: return EventName(e.kind);
  }
}

std::string LoadText(const FwLoad& l) {
  std::string s = absl::StrCat("firmware load (", LoadKindName(l.kind), "): WM build ",
                               l.build.len > 0 ? l.build.view() : "?");
  if (l.patch_build.len > 0) absl::StrAppend(&s, ", patch ", l.patch_build.view());
  return s;
}

}  // namespace

std::string RenderText(const Report& r) {
  std::string out;
  const InputStats& in = r.input;
  absl::StrAppend(&out, "connac diagnose: ", Plural(in.split.lines, "line", "lines"), ", ",
                  in.recognised, " recognised, ",
                  Plural(static_cast<int64_t>(r.devices.size()), "device", "devices"), "\n");
  switch (r.time_base) {
    case TimeBase::kKernel:
      absl::StrAppend(&out, "times: seconds since boot (kernel timestamps)\n");
      break;
    case TimeBase::kWallClock:
      absl::StrAppend(&out, "times: seconds since ", r.time_origin,
                      " (wall clock of the first line; the log has no kernel timestamps)\n");
      break;
    case TimeBase::kNone: absl::StrAppend(&out, "times: none (the log has no timestamps)\n"); break;
  }

  if (!r.devices.empty()) {
    absl::StrAppend(&out, "\nDevices\n");
    for (const Device& d : r.devices) {
      absl::StrAppend(&out, "  ", d.id, "  ", FamilyText(d), ": ",
                      Plural(d.timeouts, "MCU timeout", "MCU timeouts"), ", ",
                      Plural(d.loads, "firmware load", "firmware loads"), ", ",
                      Plural(d.episodes, "episode", "episodes"));
      if (!d.ifaces.empty()) {
        std::vector<std::string> names;
        for (uint16_t f : d.ifaces) names.push_back(r.ifaces[f].name);
        absl::StrAppend(&out, "; interfaces ", absl::StrJoin(names, ", "));
      }
      absl::StrAppend(&out, "\n");
    }
  }

  // Timeline: the first kRows records by line number. Every list is in line order, so a
  // merge of their heads finds them without building rows for records never shown.
  constexpr size_t kRows = 400;
  struct Row {
    std::optional<double> t;
    std::string source;
    std::string text;
  };
  std::vector<Row> rows;
  size_t at[6] = {0, 0, 0, 0, 0, 0};
  const size_t sizes[6] = {r.timeouts.size(),   r.loads.size(), r.dev_events.size(),
                           r.key_errors.size(), r.conn.size(),  r.cfg80211.size()};
  auto line_of = [&](int list, size_t i) -> int64_t {
    switch (list) {
      case 0: return r.timeouts[i].line;
      case 1: return r.loads[i].line;
      case 2: return r.dev_events[i].line;
      case 3: return r.key_errors[i].line;
      case 4: return r.conn[i].line;
      default: return r.cfg80211[i].line;
    }
  };
  while (rows.size() < kRows) {
    int best = -1;
    for (int l = 0; l < 6; ++l) {
      if (at[l] < sizes[l] && (best < 0 || line_of(l, at[l]) < line_of(best, at[best]))) best = l;
    }
    if (best < 0) break;
    const size_t i = at[best]++;
    switch (best) {
      case 0: {
        const McuTimeout& x = r.timeouts[i];
        rows.push_back(
            {r.T(x.at), r.devices[x.dev].id,
             absl::StrFormat("MCU timeout: %08x %s, seq %d", x.cmd.raw, CmdText(x.cmd), x.seq)});
        break;
      }
      case 1:
        rows.push_back({r.T(r.loads[i].at), r.devices[r.loads[i].dev].id, LoadText(r.loads[i])});
        break;
      case 2: {
        const DeviceEvent& x = r.dev_events[i];
        rows.push_back({r.T(x.at), r.devices[x.dev].id, DevEventText(x)});
        break;
      }
      case 3: {
        const KeyError& x = r.key_errors[i];
        rows.push_back({r.T(x.at), r.ifaces[x.iface].name,
                        absl::StrCat("failed to ", x.remove ? "remove" : "set", " key ", x.idx,
                                     " (", KeyIdxName(x.idx, x.addr.broadcast()), ", ",
                                     MacStr(x.addr), "): ", x.err, " ", ErrnoName(x.err))});
        break;
      }
      case 4:
        rows.push_back({r.T(r.conn[i].at), r.ifaces[r.conn[i].iface].name, ConnText(r.conn[i])});
        break;
      default: {
        const Cfg80211Error& x = r.cfg80211[i];
        rows.push_back({r.T(x.at), "nl80211",
                        absl::StrCat(kCfg80211[static_cast<int>(x.msg)].message,
                                     " (error to wpa_supplicant)")});
        break;
      }
    }
  }
  if (!rows.empty()) {
    size_t total = 0;
    for (size_t n : sizes) total += n;
    size_t src_w = 6;
    size_t t_w = 1;
    for (const Row& row : rows) {
      src_w = std::max(src_w, row.source.size());
      t_w = std::max(t_w, TextT(row.t).size());
    }
    absl::StrAppend(&out, "\nTimeline\n");
    absl::StrAppend(&out, absl::StrFormat("  %*s  %-*s  %s\n", static_cast<int>(t_w), "t",
                                          static_cast<int>(src_w), "source", "event"));
    for (const Row& row : rows) {
      absl::StrAppend(&out,
                      absl::StrFormat("  %*s  %-*s  %s\n", static_cast<int>(t_w), TextT(row.t),
                                      static_cast<int>(src_w), row.source, row.text));
    }
    if (total > rows.size()) {
      absl::StrAppend(&out, "  ... ", total - rows.size(),
                      " more records (all of them are in --json)\n");
    }
  }

  if (!r.episodes.empty()) {
    absl::StrAppend(&out, "\nEpisodes\n");
    for (size_t i = 0; i < r.episodes.size(); ++i) {
      const Episode& e = r.episodes[i];
      const std::optional<double> first = r.T(e.first);
      absl::StrAppend(&out, "  ", i + 1, ". ", r.devices[e.dev].id, ": ", VerdictName(e.verdict()),
                      "\n");
      absl::StrAppend(&out, "     first timeout t=", TextT(first), "; ",
                      Plural(e.timeouts, "timeout", "timeouts"), ": ", CmdSummary(e), "\n");
      std::string end;
      switch (e.end) {
        case EpisodeEnd::kFwReload: end = "firmware reload"; break;
        case EpisodeEnd::kResetFailed: end = "chip reset failed"; break;
        case EpisodeEnd::kReprobe: end = "re-probe"; break;
        case EpisodeEnd::kEndOfLog: end = "end of log"; break;
      }
      absl::StrAppend(&out, "     ended by ", end);
      if (e.end != EpisodeEnd::kEndOfLog) {
        absl::StrAppend(&out, " at t=", TextT(r.T(e.end_at)));
        if (auto dt = Diff(r.T(e.end_at), first)) absl::StrAppend(&out, " (+", Dur(*dt), " s)");
      }
      if (e.reconnected) {
        absl::StrAppend(&out, "; associated again at t=", TextT(r.T(e.reconnected_at)));
        if (auto dt = Diff(r.T(e.reconnected_at), first))
          absl::StrAppend(&out, " (+", Dur(*dt), " s)");
      } else {
        absl::StrAppend(&out, "; no \"associated\" after it in the log");
      }
      absl::StrAppend(&out, "\n");
      if (i + 1 == 50 && r.episodes.size() > 50) {
        absl::StrAppend(&out, "  ... ", r.episodes.size() - 50,
                        " more (all of them are in --json)\n");
        break;
      }
    }
  }

  absl::StrAppend(&out, "\nFindings\n");
  if (r.findings.empty()) absl::StrAppend(&out, "  (none)\n");
  for (const Finding& f : r.findings) absl::StrAppend(&out, "  - [", f.code, "] ", f.text, "\n");
  return out;
}

namespace {

// Renders the JSON object into *j. With a file, *j is written out and emptied between lists,
// so memory stays at about one list's worth of text (the lists are capped).
void EmitJson(const Report& r, std::FILE* f, std::string* out) {
  std::string& j = *out;
  auto spill = [&] {
    if (f != nullptr && j.size() >= 64 * 1024) {
      std::fwrite(j.data(), 1, j.size(), f);
      j.clear();
    }
  };
  j += "{\"devices\":[";
  for (size_t i = 0; i < r.devices.size(); ++i) {
    spill();
    const Device& d = r.devices[i];
    std::vector<std::string> names;
    for (uint16_t f : d.ifaces) names.push_back(Quote(r.ifaces[f].name));
    absl::StrAppend(&j, i ? "," : "", "{\"device\":", Quote(d.id), ",\"driver\":", Quote(d.driver),
                    ",\"bus\":", Quote(d.bus),
                    ",\"family\":", d.profile != nullptr ? Quote(d.profile->name) : "null",
                    ",\"interfaces\":[", absl::StrJoin(names, ","),
                    "],\"mcu_timeouts\":", d.timeouts, ",\"fw_loads\":", d.loads,
                    ",\"episodes\":", d.episodes, "}");
  }
  spill();
  absl::StrAppend(&j, "],\"mcu_timeouts\":[");
  for (size_t i = 0; i < r.timeouts.size(); ++i) {
    spill();
    const McuTimeout& x = r.timeouts[i];
    const CmdWord c = x.cmd;
    const CmdName n = DescribeCmd(c);
    absl::StrAppend(
        &j, i ? "," : "",
        absl::StrFormat(
            "{\"t\":%s,\"line\":%d,\"device\":%s,\"cmd\":\"0x%08x\",\"name\":%s,\"seq\":%d,"
            "\"kind\":\"%s\",\"known\":%s,\"id\":\"0x%02x\",\"ext_id\":\"0x%02x\","
            "\"query\":%s,\"wa\":%s,\"wm\":%s,\"unknown_bits\":%s}",
            JsonT(r.T(x.at)), x.line, Quote(r.devices[x.dev].id), c.raw,
            Quote(cli::CmdDisplayName(c)), x.seq, n.kind_name, n.name != nullptr ? "true" : "false",
            c.id(), c.ext_id(), c.query() ? "true" : "false", c.wa() ? "true" : "false",
            c.wm() ? "true" : "false", c.has_unknown_bits() ? "true" : "false"));
  }
  spill();
  absl::StrAppend(&j, "],\"fw_loads\":[");
  for (size_t i = 0; i < r.loads.size(); ++i) {
    spill();
    const FwLoad& x = r.loads[i];
    absl::StrAppend(&j, i ? "," : "", "{\"t\":", JsonT(r.T(x.at)), ",\"line\":", x.line,
                    ",\"device\":", Quote(r.devices[x.dev].id), ",\"kind\":\"",
                    LoadKindName(x.kind), "\",\"build\":", Quote(x.build.view()),
                    ",\"patch_build\":", Quote(x.patch_build.view()), "}");
  }
  spill();
  absl::StrAppend(&j, "],\"episodes\":[");
  for (size_t i = 0; i < r.episodes.size(); ++i) {
    spill();
    const Episode& e = r.episodes[i];
    const std::optional<double> first = r.T(e.first);
    const std::optional<double> end = e.end == EpisodeEnd::kEndOfLog ? std::nullopt : r.T(e.end_at);
    const std::optional<double> reload = e.end == EpisodeEnd::kFwReload ? end : std::nullopt;
    const std::optional<double> reconnected = e.reconnected ? r.T(e.reconnected_at) : std::nullopt;
    std::string cmds;
    for (size_t k = 0; k < std::min<size_t>(static_cast<size_t>(e.timeouts), kEpisodeCmds); ++k) {
      absl::StrAppend(
          &cmds, k ? "," : "",
          absl::StrFormat("{\"cmd\":\"0x%08x\",\"name\":%s,\"seq\":%d}", e.cmds[k].cmd.raw,
                          Quote(cli::CmdDisplayName(e.cmds[k].cmd)), e.cmds[k].seq));
    }
    absl::StrAppend(&j, i ? "," : "", "{\"device\":", Quote(r.devices[e.dev].id),
                    ",\"first_timeout_t\":", JsonT(first), ",\"timeouts\":", e.timeouts,
                    ",\"fw_reload_t\":", JsonT(reload), ",\"reconnected_t\":", JsonT(reconnected),
                    ",\"verdict\":\"", VerdictName(e.verdict()), "\",\"end\":\"",
                    EpisodeEndName(e.end), "\",\"end_t\":", JsonT(end),
                    ",\"reload_after_s\":", JsonT(Diff(reload, first)),
                    ",\"reconnect_after_s\":", JsonT(Diff(reconnected, first)),
                    ",\"first_line\":", e.first_line, ",\"commands\":[", cmds, "]}");
  }
  spill();
  absl::StrAppend(&j, "],\"key_errors\":[");
  for (size_t i = 0; i < r.key_errors.size(); ++i) {
    spill();
    const KeyError& x = r.key_errors[i];
    absl::StrAppend(&j, i ? "," : "", "{\"t\":", JsonT(r.T(x.at)), ",\"line\":", x.line,
                    ",\"iface\":", Quote(r.ifaces[x.iface].name), ",\"op\":\"",
                    x.remove ? "remove" : "set", "\",\"idx\":", x.idx, ",\"key\":\"",
                    KeyIdxName(x.idx, x.addr.broadcast()), "\",\"addr\":\"", MacStr(x.addr),
                    "\",\"err\":", x.err, ",\"errno\":\"", ErrnoName(x.err),
                    "\",\"during_roam\":", x.during_roam ? "true" : "false", "}");
  }
  spill();
  absl::StrAppend(&j, "],\"findings\":[");
  for (size_t i = 0; i < r.findings.size(); ++i) {
    spill();
    absl::StrAppend(&j, i ? "," : "", "{\"code\":", Quote(r.findings[i].code),
                    ",\"text\":", Quote(r.findings[i].text), "}");
  }
  spill();
  absl::StrAppend(&j, "],\"cfg80211_errors\":[");
  for (size_t i = 0; i < r.cfg80211.size(); ++i) {
    spill();
    const Cfg80211Error& x = r.cfg80211[i];
    const Cfg80211Info& c = kCfg80211[static_cast<int>(x.msg)];
    absl::StrAppend(&j, i ? "," : "", "{\"t\":", JsonT(r.T(x.at)), ",\"line\":", x.line,
                    ",\"code\":\"", c.code, "\",\"message\":", Quote(c.message), "}");
  }
  spill();
  absl::StrAppend(&j, "],\"connection\":[");
  for (size_t i = 0; i < r.conn.size(); ++i) {
    spill();
    const ConnEvent& x = r.conn[i];
    absl::StrAppend(&j, i ? "," : "", "{\"t\":", JsonT(r.T(x.at)), ",\"line\":", x.line,
                    ",\"iface\":", Quote(r.ifaces[x.iface].name), ",\"event\":\"",
                    EventName(x.kind), "\"");
    switch (x.kind) {
      case EventKind::kRoam:
        absl::StrAppend(&j, ",\"ap\":\"", MacStr(x.ap), "\",\"new_ap\":\"", MacStr(x.ap2), "\"");
        break;
      case EventKind::kAuthenticate:
      case EventKind::kAssocTimeout:
      case EventKind::kAuthTimeout:
      case EventKind::kConnectionLost: absl::StrAppend(&j, ",\"ap\":\"", MacStr(x.ap), "\""); break;
      case EventKind::kDriverDisconnect:
        if (x.ap.b != Mac().b) absl::StrAppend(&j, ",\"ap\":\"", MacStr(x.ap), "\"");
        break;
      case EventKind::kAssocComeback:
        absl::StrAppend(&j, ",\"ap\":\"", MacStr(x.ap), "\",\"comeback_tu\":", x.value);
        break;
      case EventKind::kMloLink:
        absl::StrAppend(&j, ",\"link\":", x.value, ",\"local\":\"", MacStr(x.ap), "\",\"ap\":\"",
                        MacStr(x.ap2), "\",\"assoc\":", x.flag ? "true" : "false");
        break;
      case EventKind::kAssociated: {
        std::vector<int> ids;
        for (int b = 0; b < 15; ++b) {
          if (x.links & (1u << b)) ids.push_back(b);
        }
        absl::StrAppend(&j, ",\"links\":[", absl::StrJoin(ids, ","), "]");
        break;
      }
      default: break;
    }
    absl::StrAppend(&j, "}");
  }
  spill();
  absl::StrAppend(&j, "],\"device_events\":[");
  for (size_t i = 0; i < r.dev_events.size(); ++i) {
    spill();
    const DeviceEvent& x = r.dev_events[i];
    absl::StrAppend(&j, i ? "," : "", "{\"t\":", JsonT(r.T(x.at)), ",\"line\":", x.line,
                    ",\"device\":", Quote(r.devices[x.dev].id), ",\"event\":\"", EventName(x.kind),
                    "\"");
    if (x.kind == EventKind::kAsicRevision)
      absl::StrAppend(&j, absl::StrFormat(",\"value\":\"%04x\"", x.value));
    absl::StrAppend(&j, "}");
  }
  const char* base = r.time_base == TimeBase::kKernel      ? "kernel"
                     : r.time_base == TimeBase::kWallClock ? "wall_clock"
                                                           : "none";
  const InputStats& in = r.input;
  absl::StrAppend(&j, "],\"totals\":{\"mcu_timeouts\":", r.total_timeouts,
                  ",\"fw_loads\":", r.total_loads, ",\"episodes\":", r.total_episodes,
                  ",\"key_errors\":", r.total_key_errors, "}");
  absl::StrAppend(&j, ",\"time_base\":\"", base, "\",\"time_origin\":",
                  r.time_base == TimeBase::kWallClock ? Quote(r.time_origin) : "null");
  absl::StrAppend(
      &j, ",\"input\":{\"bytes\":", in.split.bytes, ",\"lines\":", in.split.lines,
      ",\"recognised\":", in.recognised, ",\"untimed\":", in.untimed,
      ",\"long_lines\":", in.split.long_lines,
      ",\"long_line_bytes_skipped\":", in.split.long_bytes_skipped, ",\"nul_lines\":", in.nul_lines,
      ",\"unterminated_last_line\":", in.split.unterminated_last_line ? "true" : "false",
      ",\"records_dropped\":", in.dropped, "}}\n");
  if (f != nullptr) {
    std::fwrite(j.data(), 1, j.size(), f);
    j.clear();
  }
}

}  // namespace

std::string RenderJson(const Report& r) {
  std::string j;
  EmitJson(r, nullptr, &j);
  return j;
}

void WriteJson(const Report& r, std::FILE* f) {
  std::string j;
  EmitJson(r, f, &j);
}

}  // namespace connac::diagnose
