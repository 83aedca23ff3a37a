// File: rig/report/report.cc

#include "rig/report/report.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "connac/mcu_cmd.h"

namespace rigreport {
namespace {

using absl::string_view;

std::vector<string_view> Lines(string_view text) {
  std::vector<string_view> out;
  for (string_view l : absl::StrSplit(text, '\n')) {
    if (absl::EndsWith(l, "\r")) l.remove_suffix(1);
    if (!l.empty()) out.push_back(l);
  }
  return out;
}

// "key<sep>value" lines; the last value of a key wins.
std::map<std::string, std::string> KeyValues(string_view text, char sep) {
  std::map<std::string, std::string> kv;
  for (string_view l : Lines(text)) {
    const size_t p = l.find(sep);
    if (p == string_view::npos) continue;
    kv[std::string(l.substr(0, p))] = std::string(l.substr(p + 1));
  }
  return kv;
}

int64_t Num(const std::map<std::string, std::string>& kv, const std::string& k, int64_t dflt) {
  auto it = kv.find(k);
  int64_t v = 0;
  if (it == kv.end() || !absl::SimpleAtoi(it->second, &v)) return dflt;
  return v;
}

// "[ 1234.567890] msg" (printk) or "[ 1234.567] vmt7925: msg": the time in ms, the rest.
bool BracketTime(string_view l, double* ms, string_view* rest) {
  if (!absl::ConsumePrefix(&l, "[")) return false;
  const size_t close = l.find(']');
  if (close == string_view::npos) return false;
  double s = 0;
  if (!absl::SimpleAtod(absl::StripAsciiWhitespace(l.substr(0, close)), &s)) return false;
  *ms = s * 1000.0;
  *rest = absl::StripLeadingAsciiWhitespace(l.substr(close + 1));
  return true;
}

// "ms rest" (probe log) / "ms<TAB>rest" (marks).
bool LeadingMs(string_view l, int64_t* ms, string_view* rest) {
  const size_t p = l.find_first_of(" \t");
  if (p == string_view::npos || !absl::SimpleAtoi(l.substr(0, p), ms)) return false;
  *rest = l.substr(p + 1);
  return true;
}

// "Message 00020002 (seq 1) timeout" (mt7925_mcu_parse_response).
bool ParseTimeout(string_view msg, uint32_t* cmd, int* seq) {
  const size_t p = msg.find("Message ");
  if (p == string_view::npos) return false;
  string_view s = msg.substr(p + 8);
  if (s.size() < 8 || !absl::SimpleHexAtoi(s.substr(0, 8), cmd)) return false;
  s.remove_prefix(8);
  if (!absl::ConsumePrefix(&s, " (seq ")) return false;
  const size_t close = s.find(')');
  if (close == string_view::npos || !absl::SimpleAtoi(s.substr(0, close), seq)) return false;
  return s.substr(close) == ") timeout";
}

std::string CmdName(uint32_t raw) {
  const connac::CmdName n = connac::DescribeCmd(connac::CmdWord{raw});
  return absl::StrCat(n.kind_name, " ", n.name != nullptr ? n.name : "unknown");
}

// The longest gap overlapping (from, to).
std::optional<Gap> LongestGap(const std::vector<Gap>& gaps, int64_t from, int64_t to) {
  std::optional<Gap> best;
  for (const Gap& g : gaps) {
    if (g.to_ms <= from || g.from_ms >= to) continue;
    if (!best || g.ms() > best->ms()) best = g;
  }
  return best;
}

bool IsWindowEnd(string_view mark) {
  return mark == "recovered" || mark == "traffic-back" || mark == "fault-cleared";
}

struct Mark {
  int64_t t;
  std::string text;
};

}  // namespace

Report Analyze(const Inputs& in) {
  Report r;
  const auto results = KeyValues(in.results, '\t');
  const auto device = KeyValues(in.device, '=');
  const std::string sta = results.count("sta_ifname") ? results.at("sta_ifname") : "wlan0";

  std::vector<Mark> marks;
  for (string_view l : Lines(in.timeline)) {
    int64_t t;
    string_view rest;
    if (LeadingMs(l, &t, &rest)) marks.push_back({t, std::string(rest)});
  }
  // Events of the other sources count until the scenario's script is done (the teardown
  // that follows unplugs the device: its noise is not the scenario's).
  int64_t cutoff = INT64_MAX;
  int64_t end_ms = 0;
  for (const Mark& m : marks) {
    if (absl::StartsWith(m.text, "scenario-done") && cutoff == INT64_MAX) cutoff = m.t;
    end_ms = std::max(end_ms, m.t);
  }
  end_ms = Num(results, "end_ms", end_ms);

  // ---- probe: gaps, operstate, supplicant events
  std::vector<Event> probe_events;
  std::vector<std::pair<int64_t, std::string>> wpa;  // (t, event)
  for (string_view l : Lines(in.probe_log)) {
    int64_t t;
    string_view rest;
    if (!LeadingMs(l, &t, &rest)) continue;
    if (absl::ConsumePrefix(&rest, "gap ")) {
      Gap g;
      for (string_view kv : absl::StrSplit(rest, ' ')) {
        int64_t v = 0;
        const size_t eq = kv.find('=');
        if (eq == string_view::npos || !absl::SimpleAtoi(kv.substr(eq + 1), &v)) continue;
        const string_view k = kv.substr(0, eq);
        if (k == "last") g.from_ms = v;
        if (k == "first") g.to_ms = v;
        if (k == "lost") g.lost = v;
      }
      if (g.to_ms > g.from_ms && g.ms() >= 100) r.gaps.push_back(g);
    } else if (absl::ConsumePrefix(&rest, "link ")) {
      if (t < cutoff)
        probe_events.push_back({t, absl::StrCat("interface: ", sta, " operstate ", rest)});
    } else if (absl::ConsumePrefix(&rest, "wpa ")) {
      wpa.emplace_back(t, std::string(rest));
      static constexpr string_view kQuiet[] = {
          "CTRL-EVENT-SCAN-STARTED",  "CTRL-EVENT-SCAN-RESULTS",         "CTRL-EVENT-BSS-",
          "CTRL-EVENT-REGDOM-CHANGE", "CTRL-EVENT-SUBNET-STATUS-UPDATE", "attached"};
      bool quiet = false;
      for (string_view q : kQuiet) quiet = quiet || absl::StartsWith(rest, q);
      if (!quiet && t < cutoff) probe_events.push_back({t, absl::StrCat("supplicant: ", rest)});
    } else if (absl::ConsumePrefix(&rest, "summary ")) {
      for (string_view kv : absl::StrSplit(rest, ' ')) {
        int64_t v = 0;
        const size_t eq = kv.find('=');
        if (eq == string_view::npos || !absl::SimpleAtoi(kv.substr(eq + 1), &v)) continue;
        const string_view k = kv.substr(0, eq);
        if (k == "sent") r.probes_sent = v;
        if (k == "received") r.probes_received = v;
        if (k == "last_reply" && v >= 0) r.last_reply_ms = v;
        if (k == "last_answered_sent" && v >= 0) r.last_answered_sent_ms = v;
        if (k == "rtt_avg_ms" && v >= 0) r.rtt_avg_ms = v;
        if (k == "rtt_max_ms") r.rtt_max_ms = v;
      }
    }
  }
  if (!r.last_reply_ms && results.count("last_reply_ms")) {
    const int64_t v = Num(results, "last_reply_ms", 0);
    if (v > 0) r.last_reply_ms = v;
  }

  // ---- device events
  std::vector<Event> dev_events;
  std::string last_violation;
  for (string_view l : Lines(in.vmt_log)) {
    double ms;
    string_view rest;
    if (!BracketTime(l, &ms, &rest) || !absl::ConsumePrefix(&rest, "vmt7925: ")) continue;
    // Rounded, not truncated: "[ 128.003]" is 128003 ms, but 128.003 * 1000 is 128002.99...
    const int64_t t = static_cast<int64_t>(ms + 0.5);
    std::string text;
    if (absl::ConsumePrefix(&rest, "fault fired ")) {
      string_view kind = rest.substr(0, rest.find(' '));
      string_view at;
      const size_t p = rest.find(" at ");
      if (p != string_view::npos) at = rest.substr(p + 4);
      if (!r.fault_ms) {
        r.fault_kind = std::string(kind);
        r.fault_at = std::string(at);
        r.fault_ms = t;
        r.fault_source = "device";
      }
      text = absl::StrCat("fault: ", kind, " fired", at.empty() ? "" : " at ", at, " (device)");
    } else if (absl::ConsumePrefix(&rest, "unanswered ")) {
      ++r.device_unanswered;
      text = absl::StrCat("device: no answer to ", rest);
    } else if (rest == "wfsys reset") {
      text = "device: WFSYS reset (the driver's reset reached the chip)";
    } else if (rest == "fw start") {
      text = "device: firmware start (FW_START_REQ)";
    } else if (rest == "fw start never ready") {
      text = "device: firmware start that never gets ready (reset-fails)";
    } else if (rest == "fw ready") {
      text = "device: firmware ready (N9)";
    } else if (rest == "coredump sent") {
      text = "device: COREDUMP (assert) event sent";
    } else if (rest == "fault cleared") {
      text = "fault: cleared";
    } else if (absl::ConsumePrefix(&rest, "hypothesis strict: ")) {
      if (rest == "wedged") {
        r.strict_tripped = true;
        r.strict_tripped_by = last_violation;
        if (!r.fault_ms) {
          r.fault_kind = "strict-hypothesis";
          r.fault_at = last_violation;
          r.fault_ms = t;
          r.fault_source = "device (hypothesis mode)";
        }
        text = "device: HYPOTHESIS strict firmware wedged";
      } else {
        last_violation = std::string(rest);
        text = absl::StrCat("device: HYPOTHESIS trigger seen: ", rest);
      }
    } else {
      continue;  // "mcu ..." (every command), "fault armed", transport lines
    }
    if (t < cutoff) dev_events.push_back({t, text});
  }
  r.strict_hypothesis = Num(device, "strict_hypothesis", 0) != 0;
  r.strict_key_after_remove = Num(device, "strict_key_after_remove", 0);
  r.strict_bss_after_remove = Num(device, "strict_bss_after_remove", 0);
  const int64_t starts = Num(device, "fw_starts", 0);
  r.fw_reloads = starts > 0 ? starts - 1 : 0;
  r.fw_reload_failures = Num(device, "fw_start_failures", 0);

  // ---- kernel log (printk time, mapped onto the monotonic clock)
  struct KLine {
    double ms;
    std::string msg;
  };
  std::vector<KLine> klines;
  for (string_view l : Lines(in.dmesg)) {
    double ms;
    string_view rest;
    if (!BracketTime(l, &ms, &rest)) continue;
    klines.push_back({ms, std::string(rest)});
    int64_t mono = 0;
    if (absl::ConsumePrefix(&rest, "rigprobe: clock mono_ms=") && absl::SimpleAtoi(rest, &mono) &&
        !r.kernel_offset_ms) {
      r.kernel_offset_ms = mono - static_cast<int64_t>(ms + 0.5);
    }
  }
  const int64_t off = r.kernel_offset_ms.value_or(0);
  std::vector<Event> kernel_events;
  int64_t wm_lines = 0;
  std::vector<int64_t> driver_disconnects;
  for (const KLine& k : klines) {
    const int64_t t = static_cast<int64_t>(k.ms + 0.5) + off;
    string_view msg = k.msg;
    std::string text;
    uint32_t cmd = 0;
    int seq = 0;
    // Driver lines: "<driver> <bus>: <msg>".
    string_view dmsg;
    if (absl::StartsWith(msg, "mt7")) {
      const size_t p = msg.find(": ");
      if (p != string_view::npos) dmsg = msg.substr(p + 2);
    }
    if (ParseTimeout(msg, &cmd, &seq)) {
      const std::string name = CmdName(cmd);
      r.timeouts.push_back({t, cmd, seq, name});
      char word[16];
      std::snprintf(word, sizeof(word), "%08x", cmd);
      text = absl::StrCat("mcu timeout: ", name, " seq ", seq, " (Message ", word, " (seq ", seq,
                          ") timeout)");
    } else if (dmsg == "chip reset") {
      ++r.chip_resets;
      text = "reset: chip reset (mt7925_mac_reset_work starts)";
    } else if (dmsg == "chip reset failed") {
      r.chip_reset_failed = true;
      text = "reset: chip reset failed (10 tries)";
    } else if (absl::StartsWith(dmsg, "HW/SW Version:")) {
      text = absl::StrCat("firmware download: patch (", dmsg, ")");
    } else if (absl::StartsWith(dmsg, "WM Firmware Version:")) {
      ++wm_lines;
      text = absl::StrCat("firmware download: RAM code (", dmsg, ")");
    } else if (dmsg == "Firmware init done") {
      text = "firmware download: done (Firmware init done)";
    } else if (dmsg == "Timeout for initializing firmware") {
      text = "firmware download: failed (Timeout for initializing firmware)";
    } else if (absl::StartsWith(dmsg, "connac: firmware declared dead") ||
               absl::StartsWith(dmsg, "connac: recovered in") ||
               absl::StartsWith(dmsg, "connac: reset attempt") ||
               absl::StartsWith(dmsg, "connac: firmware WEDGED")) {
      // The patched driver's reset (kmod/mt7925): its episode's start, retries and end.
      text = absl::StrCat("reset: ", dmsg);
    } else if (absl::StartsWith(msg, sta + ": ")) {
      const string_view m = msg.substr(sta.size() + 2);
      static constexpr string_view kMlme[] = {
          "authenticate with",     "authenticated",
          "associate with",        "associated",
          "disconnect from AP",    "Driver requested disconnection",
          "deauthenticating from", "deauthenticated from",
          "disassociated from",    "Connection to AP",
          "authentication with",   "association with",
          "failed to remove key",  "failed to set key",
          "RX AssocResp",          "RX ReassocResp"};
      bool keep = false;
      for (string_view p : kMlme) keep = keep || absl::StartsWith(m, p);
      if (!keep) continue;
      if (absl::StartsWith(m, "Driver requested disconnection")) driver_disconnects.push_back(t);
      text = absl::StrCat("mac80211: ", m);
    } else {
      continue;
    }
    if (t < cutoff) kernel_events.push_back({t, text});
  }
  r.fw_reload_attempts_logged = wm_lines > 0 ? wm_lines - 1 : 0;

  // ---- the fault and its window
  if (!r.fault_ms) {
    for (const Mark& m : marks) {
      if (absl::StartsWith(m.text, "roam-started")) {
        r.fault_kind = "roam";
        r.fault_at = m.text;
      } else if (absl::StartsWith(m.text, "reset-requested")) {
        r.fault_kind = "reset";
        r.fault_at = "debugfs chip_reset";
      } else {
        continue;
      }
      r.fault_ms = m.t;
      r.fault_source = "scenario";
      break;
    }
  }
  for (const Mark& m : marks) {
    if (absl::StartsWith(m.text, "roam-started")) {
      Roam ro;
      std::vector<std::string> w = absl::StrSplit(m.text, ' ');
      ro.trigger = w.size() > 1 ? w[1] : "";
      ro.target = w.size() > 2 ? w[2] : "";
      ro.t_ms = m.t;
      r.roams.push_back(ro);
    }
  }
  if (r.fault_ms) {
    for (const Mark& m : marks) {
      if (m.t >= *r.fault_ms && IsWindowEnd(m.text)) {
        r.window_end_ms = m.t;
        break;
      }
    }
    const int64_t f = *r.fault_ms;
    const int64_t e = r.window_end_ms.value_or(end_ms);
    if (!r.last_reply_ms) {
      // No probe data (the scenario died before its report): the outage is unknown.
    } else if (r.last_answered_sent_ms.value_or(*r.last_reply_ms) <= f) {
      r.outage_open_since_ms = r.last_answered_sent_ms.value_or(*r.last_reply_ms);
    } else {
      r.outage = LongestGap(r.gaps, f, e);
      if (!r.outage) r.outage = Gap{f, f, 0};  // traffic flowed through the fault
    }
    // Supplicant and driver around the fault.
    const int64_t until = r.window_end_ms ? *r.window_end_ms + 500 : INT64_MAX;
    for (const auto& [t, ev] : wpa) {
      if (t < f || t > until) continue;
      if (absl::StartsWith(ev, "CTRL-EVENT-CONNECTED")) ++r.connected_after_fault;
      if (absl::StartsWith(ev, "CTRL-EVENT-DISCONNECTED")) ++r.disconnected_after_fault;
    }
    // A roam in flight at the fault (or the fault being the roam) asks for one association.
    bool roam_in_flight = r.fault_kind == "roam";
    for (const Roam& ro : r.roams) roam_in_flight |= ro.t_ms <= f && f - ro.t_ms <= 10000;
    // The driver's forced reconnect (ieee80211_disconnect) tears the association down even
    // when the supplicant sees no CTRL-EVENT-DISCONNECTED (a roam in flight: it starts the
    // roam's authentication over), so it counts as a new association.
    for (int64_t t : driver_disconnects) r.driver_disconnect |= t >= f && t <= until;
    r.reassociated = r.driver_disconnect || r.disconnected_after_fault > 0 ||
                     r.connected_after_fault > (roam_in_flight ? 1 : 0);
  }
  for (size_t i = 0; i < r.roams.size(); ++i) {
    Roam& ro = r.roams[i];
    int64_t e = end_ms;
    for (const Mark& m : marks) {
      if (m.t > ro.t_ms && (IsWindowEnd(m.text) || absl::StartsWith(m.text, "roam-started"))) {
        e = m.t;
        break;
      }
    }
    ro.gap = LongestGap(r.gaps, ro.t_ms, e);
    for (const auto& [t, ev] : wpa) {
      ro.completed |= t >= ro.t_ms && t <= e && absl::StartsWith(ev, "CTRL-EVENT-CONNECTED");
    }
  }

  // ---- final state
  const std::string wpa_state = results.count("wpa_state") ? results.at("wpa_state") : "";
  if (r.chip_reset_failed) {
    r.final_state = "reset-failed";
  } else if (Num(device, "hung", 0) != 0) {
    r.final_state = "firmware-hung";
  } else if (wpa_state.empty()) {
    r.final_state = "unknown";
  } else if (wpa_state == "COMPLETED") {
    r.final_state =
        r.last_reply_ms && *r.last_reply_ms >= end_ms - 1000 ? "connected" : "connected-no-traffic";
  } else {
    r.final_state = "disconnected";
  }

  // ---- the merged timeline
  for (const Mark& m : marks) r.timeline.push_back({m.t, m.text});
  for (auto* v : {&dev_events, &kernel_events, &probe_events}) {
    r.timeline.insert(r.timeline.end(), v->begin(), v->end());
  }
  if (r.outage && r.outage->ms() > 0) {
    r.timeline.push_back({r.outage->from_ms, "traffic: last echo before the outage"});
    r.timeline.push_back(
        {r.outage->to_ms, absl::StrCat("traffic: first echo after the outage (", r.outage->ms(),
                                       " ms, ", r.outage->lost, " probes lost)")});
  }
  for (const Gap& g : r.gaps) {
    if (g.ms() < 300 || (r.outage && g.from_ms == r.outage->from_ms)) continue;
    r.timeline.push_back(
        {g.from_ms, absl::StrCat("traffic: gap of ", g.ms(), " ms (", g.lost, " probes lost)")});
  }
  if (r.outage_open_since_ms) {
    r.timeline.push_back({*r.outage_open_since_ms, "traffic: last echo (none after the fault)"});
  }
  std::stable_sort(r.timeline.begin(), r.timeline.end(),
                   [](const Event& a, const Event& b) { return a.t_ms < b.t_ms; });
  return r;
}

namespace {

std::string Quote(string_view s) {
  std::string o = "\"";
  for (char c : s) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      o += '\\';
      o += c;
    } else if (u < 0x20 || u > 0x7e) {
      char b[8];
      std::snprintf(b, sizeof(b), "\\u%04x", u);
      o += b;
    } else {
      o += c;
    }
  }
  return o + "\"";
}

std::string OptNum(const std::optional<int64_t>& v) {
  return v ? absl::StrCat(*v) : std::string("null");
}

std::string GapJson(const Gap& g) {
  return absl::StrCat("{\"from_ms\":", g.from_ms, ",\"to_ms\":", g.to_ms, ",\"ms\":", g.ms(),
                      ",\"lost\":", g.lost, "}");
}

}  // namespace

std::string ToJson(const Report& r) {
  std::string o = "{";
  absl::StrAppend(&o,
                  "\"outage_ms\":", r.outage ? absl::StrCat(r.outage->ms()) : std::string("null"));
  absl::StrAppend(&o, ",\"mcu_timeouts\":", r.timeouts.size());
  absl::StrAppend(&o, ",\"fw_reloads\":", r.fw_reloads);
  absl::StrAppend(&o, ",\"reassociated\":", r.reassociated ? "true" : "false");
  absl::StrAppend(&o, ",\"final_state\":", Quote(r.final_state));
  o += ",\"fault\":";
  if (r.fault_ms) {
    absl::StrAppend(&o, "{\"kind\":", Quote(r.fault_kind), ",\"t_ms\":", *r.fault_ms,
                    ",\"at\":", Quote(r.fault_at), ",\"source\":", Quote(r.fault_source),
                    ",\"window_end_ms\":", OptNum(r.window_end_ms), "}");
  } else {
    o += "null";
  }
  absl::StrAppend(&o, ",\"outage\":", r.outage ? GapJson(*r.outage) : std::string("null"));
  absl::StrAppend(&o, ",\"outage_open_since_ms\":", OptNum(r.outage_open_since_ms));
  o += ",\"mcu_timeout_list\":[";
  for (size_t i = 0; i < r.timeouts.size(); ++i) {
    const McuTimeout& m = r.timeouts[i];
    char word[16];
    std::snprintf(word, sizeof(word), "0x%08x", m.cmd);
    absl::StrAppend(&o, i ? "," : "", "{\"t_ms\":", m.t_ms, ",\"cmd\":", Quote(word),
                    ",\"name\":", Quote(m.name), ",\"seq\":", m.seq, "}");
  }
  o += "]";
  absl::StrAppend(&o, ",\"device_unanswered\":", r.device_unanswered);
  absl::StrAppend(&o, ",\"fw_reload_failures\":", r.fw_reload_failures);
  absl::StrAppend(&o, ",\"fw_downloads_logged_after_first\":", r.fw_reload_attempts_logged);
  absl::StrAppend(&o, ",\"chip_resets\":", r.chip_resets);
  absl::StrAppend(&o, ",\"chip_reset_failed\":", r.chip_reset_failed ? "true" : "false");
  absl::StrAppend(&o, ",\"driver_disconnect\":", r.driver_disconnect ? "true" : "false");
  absl::StrAppend(&o, ",\"supplicant_after_fault\":{\"connected\":", r.connected_after_fault,
                  ",\"disconnected\":", r.disconnected_after_fault, "}");
  absl::StrAppend(&o, ",\"traffic\":{\"interval_ms\":10,\"sent\":", r.probes_sent,
                  ",\"received\":", r.probes_received,
                  ",\"last_echo_ms\":", OptNum(r.last_reply_ms),
                  ",\"rtt_avg_ms\":", OptNum(r.rtt_avg_ms),
                  ",\"rtt_max_ms\":", OptNum(r.rtt_max_ms), ",\"gaps\":[");
  for (size_t i = 0; i < r.gaps.size(); ++i) absl::StrAppend(&o, i ? "," : "", GapJson(r.gaps[i]));
  o += "]}";
  o += ",\"roams\":[";
  for (size_t i = 0; i < r.roams.size(); ++i) {
    const Roam& ro = r.roams[i];
    absl::StrAppend(&o, i ? "," : "", "{\"trigger\":", Quote(ro.trigger),
                    ",\"target\":", Quote(ro.target), ",\"t_ms\":", ro.t_ms,
                    ",\"gap_ms\":", ro.gap ? absl::StrCat(ro.gap->ms()) : std::string("null"),
                    ",\"completed\":", ro.completed ? "true" : "false", "}");
  }
  o += "]";
  absl::StrAppend(&o,
                  ",\"hypothesis\":{\"strict_firmware\":", r.strict_hypothesis ? "true" : "false",
                  ",\"tripped\":", r.strict_tripped ? "true" : "false",
                  ",\"tripped_by\":", Quote(r.strict_tripped_by),
                  ",\"key_cmds_for_removed_bss\":", r.strict_key_after_remove,
                  ",\"bss_cmds_for_removed_bss\":", r.strict_bss_after_remove, "}");
  absl::StrAppend(&o, ",\"clock\":{\"kernel_offset_ms\":", OptNum(r.kernel_offset_ms), "}");
  o += ",\"timeline\":[";
  for (size_t i = 0; i < r.timeline.size(); ++i) {
    absl::StrAppend(&o, i ? "," : "", "{\"t_ms\":", r.timeline[i].t_ms,
                    ",\"event\":", Quote(r.timeline[i].text), "}");
  }
  o += "]}";
  return o;
}

}  // namespace rigreport
