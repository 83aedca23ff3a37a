// File: tools/diagnose_findings.cc
//
// Analyzer::WriteFindings: what the records and episodes mean, in prose, one finding per
// topic (docs/diagnose.md lists the codes).

#include <algorithm>
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

bool IsMt792x(const Device& d) {
  return d.profile != nullptr &&
         (d.profile->family == Family::kMt7921 || d.profile->family == Family::kMt7925);
}

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

}  // namespace connac::diagnose
