// File: tools/diagnose_findings.cc
//
// Analyzer::WriteFindings: what the records and episodes mean, in prose. One function per
// topic, called in the order the report lists them (docs/diagnose.md lists the codes).

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "connac/family.h"
#include "connac/status.h"
#include "tools/cli_util.h"
#include "tools/diagnose.h"
#include "tools/diagnose_format.h"

namespace connac::diagnose {

namespace {

using Findings = std::vector<Finding>;

void Add(Findings* out, absl::string_view code, std::string text) {
  out->push_back(Finding{std::string(code), std::move(text)});
}

bool IsMt792x(const Device& d) {
  return d.profile != nullptr &&
         (d.profile->family == Family::kMt7921 || d.profile->family == Family::kMt7925);
}

// ---- Episodes

// Episodes explained one by one; the rest are counted.
constexpr size_t kDetailedEpisodes = 8;

const char* TriggerText(EventKind k) {
  switch (k) {
    case EventKind::kAssocComeback: return "a temporary association rejection (comeback)";
    case EventKind::kAssocTimeout: return "an association timeout";
    case EventKind::kAuthTimeout: return "an authentication timeout";
    case EventKind::kAssocRequestFailed: return "a failed association request";
    default: return "an association failure";
  }
}

// The end of an "episode_recovered" text: the reload, the reconnection, the forced disconnect.
void AppendReload(const Report& r, const Episode& e, std::string* text) {
  const std::optional<double> first = r.T(e.first);
  const std::optional<double> end = r.T(e.end_at);
  absl::StrAppend(text, "; the firmware reload at t=", TextT(end));
  if (auto dt = Diff(end, first))
    absl::StrAppend(text, ", ", Dur(*dt), " s after the first timeout,");
  absl::StrAppend(text, " recovered it");
  if (e.reconnected) {
    const std::optional<double> rt = r.T(e.reconnected_at);
    absl::StrAppend(text, ", and the station was associated again at t=", TextT(rt));
    if (auto dt = Diff(rt, first))
      absl::StrAppend(text, " (", Dur(*dt), " s after the first timeout)");
    absl::StrAppend(text, ".");
  } else {
    absl::StrAppend(text, "; no \"associated\" follows in the log.");
  }
  if (e.driver_disconnect && IsMt792x(r.devices[e.dev])) {
    absl::StrAppend(text,
                    " After the reload the driver forced a reconnection (\"Driver requested "
                    "disconnection\"): mt7921/mt7925 replay no keys or stations.");
  }
}

// "episode_<verdict>": when the firmware stopped answering, with what, and how it ended.
std::string EpisodeText(const Report& r, const Episode& e) {
  const std::optional<double> end = r.T(e.end_at);
  std::string text =
      absl::StrCat(r.devices[e.dev].id,
                   ": the firmware stopped answering MCU commands at t=", TextT(r.T(e.first)), ": ",
                   Plural(e.timeouts, "timeout", "timeouts"), " (", CmdSummary(e), ")");
  switch (e.end) {
    case EpisodeEnd::kFwReload: AppendReload(r, e, &text); break;
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
  return text;
}

// "timeouts_before_reset": on mt792x every queued command waits out its own timeout.
void TimeoutCostFinding(const Report& r, const Episode& e, Findings* out) {
  const Device& d = r.devices[e.dev];
  if (e.timeouts < 2 || !IsMt792x(d)) return;
  const std::optional<double> first = r.T(e.first);
  const bool reset = e.end == EpisodeEnd::kFwReload || e.end == EpisodeEnd::kResetFailed;
  std::string why = absl::StrCat(
      e.timeouts, reset ? " timeouts paid before the reset" : " timeouts in a row and no reset",
      ": the driver does not fail pending commands fast. mt792x_reset only queues reset_work, "
      "so every command already queued waits its full ",
      Seconds(TimeoutFor(*d.profile, e.cmds[0].cmd)), " s until reset_work takes mt76.mutex");
  if (auto dt = Diff(r.T(e.end_at), first); dt && e.end == EpisodeEnd::kFwReload) {
    absl::StrAppend(&why, " (", Dur(*dt), " s from the first timeout to the reload)");
  } else if (auto span = Diff(r.T(e.last), first)) {
    absl::StrAppend(&why, " (", Dur(*span), " s from the first to the last timeout)");
  }
  absl::StrAppend(&why, "; mt7915/mt7996 fail every waiter on the first timeout.");
  Add(out, "timeouts_before_reset", std::move(why));
}

// "hang_after_assoc_failure": the first timeout within 30 s of an association failure.
void TriggerFinding(const Report& r, const Episode& e, Findings* out) {
  if (e.trigger == EventKind::kNone) return;
  const std::optional<double> dt = Diff(r.T(e.first), r.T(e.trigger_at));
  if (dt && *dt >= 0 && *dt <= 30) {
    Add(out, "hang_after_assoc_failure",
        absl::StrCat("The first timeout came ", Dur(*dt), " s after ", TriggerText(e.trigger),
                     ": the openwrt/mt76 #1036 pattern, where an MLO roam that fails to "
                     "associate leaves the firmware unresponsive."));
  }
}

void EpisodeFindings(const Report& r, Findings* out) {
  for (size_t i = 0; i < r.episodes.size() && i < kDetailedEpisodes; ++i) {
    const Episode& e = r.episodes[i];
    Add(out, absl::StrCat("episode_", VerdictName(e.verdict())), EpisodeText(r, e));
    TimeoutCostFinding(r, e, out);
    TriggerFinding(r, e, out);
  }
  if (r.total_episodes > static_cast<int64_t>(kDetailedEpisodes)) {
    int64_t n[3] = {0, 0, 0};
    for (const Episode& e : r.episodes) ++n[static_cast<int>(e.verdict())];
    Add(out, "more_episodes",
        absl::StrCat(r.total_episodes - static_cast<int64_t>(kDetailedEpisodes),
                     " more episodes are in the episodes list; of the ", r.episodes.size(),
                     " listed, ", n[0], " recovered, ", n[1], " reset_failed, ", n[2],
                     " unrecovered."));
  }
}

// ---- Key errors

// One (idx, address, error) of the failed key operations, and how often it failed.
struct KeyGroup {
  int32_t idx;
  Mac addr;
  int32_t err;
  int64_t count;
};

// The failed removals (or installations) of keys, grouped.
struct KeyErrors {
  std::vector<KeyGroup> groups;  // the first 8 distinct ones
  int64_t total = 0;
  bool all_group_einval = true;  // every one a group key (broadcast, idx 1-7) failing -EINVAL
  bool during_roam = false;
  bool mt7925 = true;  // every interface belongs to an mt7925 or to no known device
};

KeyErrors GroupKeyErrors(const Report& r, bool remove) {
  KeyErrors s;
  for (const KeyError& k : r.key_errors) {
    if (k.remove != remove) continue;
    ++s.total;
    auto it = std::find_if(s.groups.begin(), s.groups.end(), [&](const KeyGroup& g) {
      return g.idx == k.idx && g.err == k.err && g.addr.b == k.addr.b;
    });
    if (it != s.groups.end()) {
      ++it->count;
    } else if (s.groups.size() < 8) {
      s.groups.push_back(KeyGroup{k.idx, k.addr, k.err, 1});
    }
    s.all_group_einval &= k.addr.broadcast() && k.idx >= 1 && k.idx <= 7 && k.err == -22;
    s.during_roam |= k.during_roam;
    const int dev = r.ifaces[k.iface].dev;
    if (dev >= 0) {
      const Profile* p = r.devices[static_cast<size_t>(dev)].profile;
      s.mt7925 &= p != nullptr && p->family == Family::kMt7925;
    }
  }
  return s;
}

// "(1, ff:ff:ff:ff:ff:ff) (-22 EINVAL), (4, ...) (-22 EINVAL) (x2): idx 1 = GTK, idx 4 = IGTK".
std::string KeyGroupText(const std::vector<KeyGroup>& groups) {
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
  return absl::StrCat(list, ": ", meaning);
}

// What mac80211 does with the failure, and for mt7925 group keys, why the driver failed.
void AppendKeyErrorCause(const KeyErrors& s, bool remove, std::string* text) {
  if (remove && s.all_group_einval && s.mt7925) {
    absl::StrAppend(text,
                    "mac80211 removed the group keys of an MLO link the driver had already "
                    "torn down",
                    s.during_roam ? " during the roam (\"disconnect ... for new auth\")" : "",
                    ": upstream mt7925_set_link_key dereferences the missing link (NULL), PR "
                    "#1030 returns -EINVAL (this -22) and PR #1037 returns 0. mac80211 forgets "
                    "the key either way, so the error only logs.");
  } else if (remove) {
    absl::StrAppend(text,
                    "mac80211 only logs a failed removal and forgets the key "
                    "(ieee80211_key_disable_hw_accel), so the driver's slot may still hold it.");
  } else {
    absl::StrAppend(text,
                    "mac80211 falls back to software crypto on -ENOSPC or -EOPNOTSUPP; any "
                    "other error fails the key installation back to wpa_supplicant "
                    "(ieee80211_key_enable_hw_accel).");
  }
}

void KeyErrorFindings(const Report& r, Findings* out) {
  for (const bool remove : {true, false}) {
    const KeyErrors s = GroupKeyErrors(r, remove);
    if (s.total == 0) continue;
    std::string text = absl::StrCat("failed to ", remove ? "remove" : "set", " key ",
                                    KeyGroupText(s.groups), ". ");
    AppendKeyErrorCause(s, remove, &text);
    Add(out, remove ? "key_remove_failed" : "key_set_failed", std::move(text));
  }
}

// ---- cfg80211/nl80211 errors returned to userspace, and connection events

std::array<int64_t, kNumCfg80211Msgs> CountCfg80211(const Report& r) {
  std::array<int64_t, kNumCfg80211Msgs> n{};
  for (const Cfg80211Error& c : r.cfg80211) ++n[static_cast<int>(c.msg)];
  return n;
}

// Connection events of kind k; *first (if given) is set to the first of them.
int64_t CountConn(const Report& r, EventKind k, const ConnEvent** first) {
  int64_t n = 0;
  for (const ConnEvent& c : r.conn) {
    if (c.kind != k) continue;
    if (n++ == 0 && first != nullptr) *first = &c;
  }
  return n;
}

void Cfg80211Findings(const Report& r, Findings* out) {
  const std::array<int64_t, kNumCfg80211Msgs> count = CountCfg80211(r);
  const int64_t assoc_req_failed = CountConn(r, EventKind::kAssocRequestFailed, nullptr);
  for (int i = 0; i < kNumCfg80211Msgs; ++i) {
    if (count[i] == 0) continue;
    const Cfg80211Info& c = kCfg80211[i];
    std::string text = absl::StrCat("\"", c.message, "\"", Times(count[i]), ": ", c.why,
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
    Add(out, absl::StrCat("cfg80211_", c.code), std::move(text));
  }
}

// Association and authentication that failed at the AP or before reaching it.
void AssocFailureFindings(const Report& r, Findings* out) {
  const ConnEvent* first = nullptr;
  if (int64_t n = CountConn(r, EventKind::kAssocComeback, &first)) {
    Add(out, "assoc_comeback",
        absl::StrCat(MacStr(first->ap), " rejected association temporarily (comeback ",
                     first->value, " TU = ", first->value * 1024 / 1000, " ms)", Times(n),
                     ": the AP still held the station's previous association (status 30, it "
                     "checks the old one with SA Query first) and asked it to come back later."));
  }
  if (int64_t n = CountConn(r, EventKind::kAssocTimeout, &first)) {
    Add(out, "assoc_timeout",
        absl::StrCat("association with ", MacStr(first->ap), " timed out", Times(n),
                     ": the AP answered none of mac80211's 3 association requests."));
  }
  if (int64_t n = CountConn(r, EventKind::kAuthTimeout, &first)) {
    Add(out, "auth_timeout",
        absl::StrCat("authentication with ", MacStr(first->ap), " timed out", Times(n),
                     ": the AP answered none of mac80211's 3 authentication frames."));
  }
  const int64_t req_failed = CountConn(r, EventKind::kAssocRequestFailed, nullptr);
  if (req_failed > 0 && CountCfg80211(r)[static_cast<int>(Cfg80211Msg::kBssForLink)] == 0) {
    Add(out, "assoc_request_failed",
        absl::StrCat(
            "wpa_supplicant: \"Association request to the driver failed\"", Times(req_failed),
            ": cfg80211 or mac80211 refused the association request before it reached the AP."));
  }
}

// Disconnections not already explained by an episode.
void DisconnectFindings(const Report& r, Findings* out) {
  bool disconnect_explained = false;
  for (const Episode& e : r.episodes) disconnect_explained |= e.driver_disconnect;
  if (int64_t n = CountConn(r, EventKind::kDriverDisconnect, nullptr);
      n > 0 && !disconnect_explained) {
    Add(out, "driver_disconnect",
        absl::StrCat(
            "\"Driver requested disconnection\"", Times(n),
            ": the driver asked mac80211 to reconnect; mt7921/mt7925 do this for station "
            "interfaces after every firmware reload, since they replay no keys or stations."));
  }
  const ConnEvent* first = nullptr;
  if (int64_t n = CountConn(r, EventKind::kConnectionLost, &first)) {
    Add(out, "connection_lost",
        absl::StrCat("Connection to AP ", MacStr(first->ap), " lost", Times(n),
                     ": mac80211's connection monitor got no beacons or probe "
                     "responses from the AP."));
  }
}

void ConnectionFindings(const Report& r, Findings* out) {
  AssocFailureFindings(r, out);
  DisconnectFindings(r, out);
}

// ---- Driver lines outside episodes

// Reset failures with no timeout before them, and the reset and USB lines.
void DriverLineFindings(const Report& r, int64_t lone_reset_failures, Findings* out) {
  auto dev_count = [&](EventKind k) {
    int64_t n = 0;
    for (const DeviceEvent& e : r.dev_events) n += e.kind == k;
    return n;
  };
  if (lone_reset_failures > 0) {
    Add(out, "chip_reset_failed",
        absl::StrCat(
            "\"chip reset failed\"", Times(lone_reset_failures),
            " with no MCU timeout before it: a reset from another trigger (firmware assert, "
            "power-management failure) and mac_reset_work gave up after 10 bus-reset tries; "
            "the device stays dead until the driver is reloaded."));
  }
  if (int64_t n = dev_count(EventKind::kMacResetUnsupported)) {
    Add(out, "mac_reset_unsupported",
        absl::StrCat(
            "\"mac_reset not supported\"", Times(n),
            ": the out-of-tree MT7927 patch refuses the MAC reset (its DMA rings are not "
            "rebuilt), so every reset attempt fails and only reloading the module recovers."));
  }
  if (int64_t n = dev_count(EventKind::kPendingTxTimeout)) {
    Add(out, "pending_tx_timeout",
        absl::StrCat("\"timed out waiting for pending tx\"", Times(n),
                     ": mt76u_stop_tx waited 200 ms for the USB TX queues to drain and killed the "
                     "URBs; the USB device stopped completing transfers (unplugged, or hung)."));
  }
  if (int64_t n = dev_count(EventKind::kFwInitTimeout)) {
    Add(out, "fw_init_timeout",
        absl::StrCat("\"Timeout for initializing firmware\"", Times(n),
                     ": after the download the firmware never reported ready (N9_RDY within "
                     "1.5 s, mt792x_load_firmware); that load failed and the reset work tried "
                     "again (up to 10 times). An episode ends at the first load that succeeded."));
  }
}

// ---- Input and time notes

// "input": what the reader handled on the way (long lines, NUL bytes, caps).
void InputIssuesFinding(const InputStats& in, Findings* out) {
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
  if (!issues.empty())
    Add(out, "input", absl::StrCat("Handled: ", absl::StrJoin(issues, "; "), "."));
}

void InputFindings(const Report& r, Findings* out) {
  const InputStats& in = r.input;
  InputIssuesFinding(in, out);
  if (in.recognised == 0) {
    Add(out, "nothing_recognised",
        absl::StrCat("No mt76, mac80211 or nl80211 line was recognised in ",
                     Plural(in.split.lines, "line", "lines"),
                     ". Accepted: dmesg, dmesg -T, journald/syslog, OpenWrt logread, /dev/kmsg, or "
                     "bare kernel messages (docs/diagnose.md)."));
  } else if (r.time_base == TimeBase::kNone) {
    Add(out, "no_timestamps",
        "The log has no timestamps: every t is null and the order is by line number.");
  } else if (in.untimed > 0) {
    Add(out, "untimed_lines",
        absl::StrCat(Plural(in.untimed, "recognised line has", "recognised lines have"),
                     " no timestamp (a bare paste): t is null for them and they are "
                     "placed by line number."));
  }
}

}  // namespace

// Re-probes and reloads without timeouts: counted by the per-device state machines.
void Analyzer::DeviceStateFindings(std::vector<Finding>* out) const {
  for (size_t i = 0; i < r_.devices.size(); ++i) {
    const DevState& st = dev_state_[i];
    if (st.reprobes > 0) {
      Add(out, "reprobe",
          absl::StrCat(r_.devices[i].id, ": probed again", Times(st.reprobes),
                       ", first at t=", TextT(r_.T(st.first_reprobe)),
                       " (\"ASIC revision\" before the firmware load): the driver was "
                       "reloaded or the device re-enumerated."));
    }
    if (st.silent_reloads > 0) {
      Add(out, "reload_without_timeouts",
          absl::StrCat(
              r_.devices[i].id, ": firmware reloaded", Times(st.silent_reloads),
              ", first at t=", TextT(r_.T(st.first_silent_reload)),
              ", with no MCU timeout before it: a reset from another trigger (firmware "
              "assert/coredump, power-management failure), or timeouts missing from the log."));
    }
  }
}

// Command words the core's tables do not know: decoded field by field, never dropped.
void Analyzer::UnknownCmdFindings(std::vector<Finding>* out) const {
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
    Add(out, "unknown_command", std::move(text));
  }
}

void Analyzer::WriteFindings() {
  // The hang first, then what surrounds it, then notes on the input itself.
  std::vector<Finding> out;
  EpisodeFindings(r_, &out);
  KeyErrorFindings(r_, &out);
  Cfg80211Findings(r_, &out);
  ConnectionFindings(r_, &out);
  DriverLineFindings(r_, lone_reset_failures_, &out);
  DeviceStateFindings(&out);
  UnknownCmdFindings(&out);
  InputFindings(r_, &out);
  r_.findings = std::move(out);
}

}  // namespace connac::diagnose
