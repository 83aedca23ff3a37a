// File: tools/diagnose_format.cc

#include "tools/diagnose_format.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/cli_util.h"

namespace connac::diagnose {

const char* EpisodeEndName(EpisodeEnd e) {
  switch (e) {
    case EpisodeEnd::kEndOfLog: return "end_of_log";
    case EpisodeEnd::kFwReload: return "fw_reload";
    case EpisodeEnd::kResetFailed: return "reset_failed";
    case EpisodeEnd::kReprobe: return "reprobe";
  }
  return "?";
}

const char* EventName(EventKind k) {
  switch (k) {
    case EventKind::kAsicRevision: return "asic_revision";
    case EventKind::kChipReset: return "chip_reset";
    case EventKind::kChipResetFailed: return "chip_reset_failed";
    case EventKind::kMacResetUnsupported: return "mac_reset_unsupported";
    case EventKind::kPendingTxTimeout: return "pending_tx_timeout";
    case EventKind::kFwInitTimeout: return "fw_init_timeout";
    case EventKind::kAuthenticate: return "authenticate";
    case EventKind::kAuthenticated: return "authenticated";
    case EventKind::kAssociated: return "associated";
    case EventKind::kMloLink: return "mlo_link";
    case EventKind::kRoam: return "roam";
    case EventKind::kAssocComeback: return "assoc_comeback";
    case EventKind::kAssocTimeout: return "assoc_timeout";
    case EventKind::kAuthTimeout: return "auth_timeout";
    case EventKind::kDriverDisconnect: return "driver_disconnect";
    case EventKind::kConnectionLost: return "connection_lost";
    case EventKind::kAssocRequestFailed: return "assoc_request_failed";
    default: return "other";
  }
}

const Cfg80211Info kCfg80211[kNumCfg80211Msgs] = {
    {"link_id_required", "link ID must for MLO group key",
     "nl80211 rejected wpa_supplicant's group-key request with -EINVAL because the interface "
     "still had MLO links (valid_links) and the request carried no link ID "
     "(nl80211_validate_key_link_id)"},
    {"link_id_pairwise", "link ID not allowed for pairwise key",
     "nl80211 rejected a pairwise-key request that carried a link ID (-EINVAL); pairwise keys "
     "belong to the MLD, not to a link"},
    {"link_id_invalid", "invalid link ID for MLO group key",
     "nl80211 rejected a group-key request for a link that is not in the interface's "
     "valid_links (-EINVAL), typically a link that was just removed"},
    {"link_id_non_mlo", "link ID not allowed for non-MLO group key",
     "nl80211 rejected a group-key request with a link ID on a connection without MLO links "
     "(-EINVAL)"},
    {"bss_for_link", "Error fetching BSS for link",
     "nl80211_associate found no usable scan entry for one of the requested MLO links (none, "
     "expired, or on a disabled channel; 6 GHz partners are often stale because 6 GHz is "
     "scanned passively)"},
};

std::string Num(double v) {
  std::string s = absl::StrFormat("%.6f", v);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

std::string Dur(double v) { return Num(std::round(v * 10) / 10); }

std::string JsonT(const std::optional<double>& t) { return t ? Num(*t) : "null"; }
std::string TextT(const std::optional<double>& t) { return t ? Num(*t) : "?"; }

std::string Seconds(Duration d) { return Num(static_cast<double>(d.ns) / 1e9); }

std::optional<double> Diff(const std::optional<double>& a, const std::optional<double>& b) {
  if (!a || !b) return std::nullopt;
  return *a - *b;
}

std::string MacStr(const Mac& m) {
  char buf[18];
  FormatMac(m, buf);
  return buf;
}

std::string Quote(absl::string_view s) { return absl::StrCat("\"", cli::JsonEscape(s), "\""); }

std::string CmdText(CmdWord cmd) {
  std::string s = cli::CmdDisplayName(cmd);
  if (cmd.query()) s += " (query)";
  if (cmd.wa()) s += " (to WA)";
  if (cmd.wm()) s += " (to WM)";
  if (DescribeCmd(cmd).name == nullptr) s += " (not in mt76's tables)";
  if (cmd.has_unknown_bits()) s += " (bits above 20 set)";
  return s;
}

std::string CmdSummary(const Episode& e) {
  const size_t n = std::min<size_t>(static_cast<size_t>(e.timeouts), kEpisodeCmds);
  std::vector<std::pair<std::string, int>> names;
  for (size_t i = 0; i < n; ++i) {
    const std::string name = cli::CmdDisplayName(e.cmds[i].cmd);
    auto it = std::find_if(names.begin(), names.end(),
                           [&](const std::pair<std::string, int>& p) { return p.first == name; });
    if (it == names.end()) {
      names.emplace_back(name, 1);
    } else {
      ++it->second;
    }
  }
  std::string s;
  for (const auto& [name, count] : names) {
    if (!s.empty()) s += ", ";
    s += name;
    if (count > 1) absl::StrAppend(&s, " x", count);
  }
  if (e.timeouts > static_cast<int64_t>(kEpisodeCmds)) {
    absl::StrAppend(&s, ", and ", e.timeouts - static_cast<int64_t>(kEpisodeCmds), " more");
  }
  return s;
}

std::string Plural(int64_t n, absl::string_view one, absl::string_view many) {
  return absl::StrCat(n, " ", n == 1 ? one : many);
}

std::string Times(int64_t n) { return n > 1 ? absl::StrCat(" (x", n, ")") : ""; }

}  // namespace connac::diagnose
