// File: tools/diagnose_render.cc
//
// The report rendered: RenderText for people, RenderJson and WriteJson for the public JSON
// contract (docs/diagnose.md).

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "connac/status.h"
#include "tools/cli_util.h"
#include "tools/diagnose.h"
#include "tools/diagnose_format.h"

namespace connac::diagnose {
namespace {

// ---- Text

std::string FamilyText(const Device& d) {
  if (d.profile == nullptr) return "family not modelled by the core";
  return absl::StrCat(d.profile->name, ", MCU timeout ", Seconds(d.profile->default_timeout), " s");
}

// The MLO link ids of an association, "0,2" (bit per link).
std::string LinkList(uint16_t links) {
  std::vector<int> ids;
  for (int i = 0; i < 15; ++i) {
    if (links & (1u << i)) ids.push_back(i);
  }
  return absl::StrJoin(ids, ",");
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
      if (c.links != 0) absl::StrAppend(&s, " (MLO links ", LinkList(c.links), ")");
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
    case EventKind::kFwInitTimeout: return "firmware not ready within 1.5 s: this load failed";
    default: return EventName(e.kind);
  }
}

std::string LoadText(const FwLoad& l) {
  std::string s = absl::StrCat("firmware load (", LoadKindName(l.kind), "): WM build ",
                               l.build.len > 0 ? l.build.view() : "?");
  if (l.patch_build.len > 0) absl::StrAppend(&s, ", patch ", l.patch_build.view());
  return s;
}

void SummaryText(const Report& r, std::string* out) {
  const InputStats& in = r.input;
  absl::StrAppend(out, "connac diagnose: ", Plural(in.split.lines, "line", "lines"), ", ",
                  in.recognised, " recognised, ",
                  Plural(static_cast<int64_t>(r.devices.size()), "device", "devices"), "\n");
  switch (r.time_base) {
    case TimeBase::kKernel:
      absl::StrAppend(out, "times: seconds since boot (kernel timestamps)\n");
      break;
    case TimeBase::kWallClock:
      absl::StrAppend(out, "times: seconds since ", r.time_origin,
                      " (wall clock of the first line; the log has no kernel timestamps)\n");
      break;
    case TimeBase::kNone: absl::StrAppend(out, "times: none (the log has no timestamps)\n"); break;
  }
}

void DevicesText(const Report& r, std::string* out) {
  if (r.devices.empty()) return;
  absl::StrAppend(out, "\nDevices\n");
  for (const Device& d : r.devices) {
    absl::StrAppend(out, "  ", d.id, "  ", FamilyText(d), ": ",
                    Plural(d.timeouts, "MCU timeout", "MCU timeouts"), ", ",
                    Plural(d.loads, "firmware load", "firmware loads"), ", ",
                    Plural(d.episodes, "episode", "episodes"));
    if (!d.ifaces.empty()) {
      std::vector<std::string> names;
      for (uint16_t f : d.ifaces) names.push_back(r.ifaces[f].name);
      absl::StrAppend(out, "; interfaces ", absl::StrJoin(names, ", "));
    }
    absl::StrAppend(out, "\n");
  }
}

// ---- Text: timeline

// The record lists merged into the timeline; on equal line numbers the lower one comes first.
enum List {
  kTimeoutList,
  kLoadList,
  kDevEventList,
  kKeyErrorList,
  kConnList,
  kCfg80211List,
  kNumLists
};

// Timeline rows in the text; all records are in the JSON.
constexpr size_t kTimelineRows = 400;

struct Row {
  std::optional<double> t;
  std::string source;
  std::string text;
};

int64_t LineOf(const Report& r, int list, size_t i) {
  switch (list) {
    case kTimeoutList: return r.timeouts[i].line;
    case kLoadList: return r.loads[i].line;
    case kDevEventList: return r.dev_events[i].line;
    case kKeyErrorList: return r.key_errors[i].line;
    case kConnList: return r.conn[i].line;
    default: return r.cfg80211[i].line;
  }
}

Row RowOf(const Report& r, int list, size_t i) {
  switch (list) {
    case kTimeoutList: {
      const McuTimeout& x = r.timeouts[i];
      return {r.T(x.at), r.devices[x.dev].id,
              absl::StrFormat("MCU timeout: %08x %s, seq %d", x.cmd.raw, CmdText(x.cmd), x.seq)};
    }
    case kLoadList: return {r.T(r.loads[i].at), r.devices[r.loads[i].dev].id, LoadText(r.loads[i])};
    case kDevEventList: {
      const DeviceEvent& x = r.dev_events[i];
      return {r.T(x.at), r.devices[x.dev].id, DevEventText(x)};
    }
    case kKeyErrorList: {
      const KeyError& x = r.key_errors[i];
      return {r.T(x.at), r.ifaces[x.iface].name,
              absl::StrCat("failed to ", x.remove ? "remove" : "set", " key ", x.idx, " (",
                           KeyIdxName(x.idx, x.addr.broadcast()), ", ", MacStr(x.addr),
                           "): ", x.err, " ", ErrnoName(x.err))};
    }
    case kConnList: return {r.T(r.conn[i].at), r.ifaces[r.conn[i].iface].name, ConnText(r.conn[i])};
    default: {
      const Cfg80211Error& x = r.cfg80211[i];
      return {
          r.T(x.at), "nl80211",
          absl::StrCat(kCfg80211[static_cast<int>(x.msg)].message, " (error to wpa_supplicant)")};
    }
  }
}

// The first `max_rows` records by line number; *total counts them all. Every list is in line
// order, so a merge of their heads finds them without building rows for records never shown.
std::vector<Row> TimelineRows(const Report& r, size_t max_rows, size_t* total) {
  const size_t sizes[kNumLists] = {r.timeouts.size(),   r.loads.size(), r.dev_events.size(),
                                   r.key_errors.size(), r.conn.size(),  r.cfg80211.size()};
  size_t at[kNumLists] = {};
  *total = 0;
  for (size_t n : sizes) *total += n;
  std::vector<Row> rows;
  while (rows.size() < max_rows) {
    int best = -1;
    for (int l = 0; l < kNumLists; ++l) {
      if (at[l] < sizes[l] && (best < 0 || LineOf(r, l, at[l]) < LineOf(r, best, at[best]))) {
        best = l;
      }
    }
    if (best < 0) break;
    rows.push_back(RowOf(r, best, at[best]++));
  }
  return rows;
}

void TimelineText(const Report& r, std::string* out) {
  size_t total = 0;
  const std::vector<Row> rows = TimelineRows(r, kTimelineRows, &total);
  if (rows.empty()) return;
  size_t src_w = 6;
  size_t t_w = 1;
  for (const Row& row : rows) {
    src_w = std::max(src_w, row.source.size());
    t_w = std::max(t_w, TextT(row.t).size());
  }
  absl::StrAppend(out, "\nTimeline\n");
  absl::StrAppend(out, absl::StrFormat("  %*s  %-*s  %s\n", static_cast<int>(t_w), "t",
                                       static_cast<int>(src_w), "source", "event"));
  for (const Row& row : rows) {
    absl::StrAppend(out, absl::StrFormat("  %*s  %-*s  %s\n", static_cast<int>(t_w), TextT(row.t),
                                         static_cast<int>(src_w), row.source, row.text));
  }
  if (total > rows.size()) {
    absl::StrAppend(out, "  ... ", total - rows.size(),
                    " more records (all of them are in --json)\n");
  }
}

// ---- Text: episodes and findings

// Episodes listed in the text; all of them are in the JSON.
constexpr size_t kTextEpisodes = 50;

// "  3. <device>: <verdict>" and two indented lines: the timeouts, then the end.
void EpisodeText(const Report& r, size_t i, std::string* out) {
  const Episode& e = r.episodes[i];
  const std::optional<double> first = r.T(e.first);
  absl::StrAppend(out, "  ", i + 1, ". ", r.devices[e.dev].id, ": ", VerdictName(e.verdict()),
                  "\n");
  absl::StrAppend(out, "     first timeout t=", TextT(first), "; ",
                  Plural(e.timeouts, "timeout", "timeouts"), ": ", CmdSummary(e), "\n");
  std::string end;
  switch (e.end) {
    case EpisodeEnd::kFwReload: end = "firmware reload"; break;
    case EpisodeEnd::kResetFailed: end = "chip reset failed"; break;
    case EpisodeEnd::kReprobe: end = "re-probe"; break;
    case EpisodeEnd::kEndOfLog: end = "end of log"; break;
  }
  absl::StrAppend(out, "     ended by ", end);
  if (e.end != EpisodeEnd::kEndOfLog) {
    absl::StrAppend(out, " at t=", TextT(r.T(e.end_at)));
    if (auto dt = Diff(r.T(e.end_at), first)) absl::StrAppend(out, " (+", Dur(*dt), " s)");
  }
  if (e.reconnected) {
    absl::StrAppend(out, "; associated again at t=", TextT(r.T(e.reconnected_at)));
    if (auto dt = Diff(r.T(e.reconnected_at), first)) absl::StrAppend(out, " (+", Dur(*dt), " s)");
  } else {
    absl::StrAppend(out, "; no \"associated\" after it in the log");
  }
  absl::StrAppend(out, "\n");
}

void EpisodesText(const Report& r, std::string* out) {
  if (r.episodes.empty()) return;
  absl::StrAppend(out, "\nEpisodes\n");
  for (size_t i = 0; i < r.episodes.size() && i < kTextEpisodes; ++i) EpisodeText(r, i, out);
  if (r.episodes.size() > kTextEpisodes) {
    absl::StrAppend(out, "  ... ", r.episodes.size() - kTextEpisodes,
                    " more (all of them are in --json)\n");
  }
}

void FindingsText(const Report& r, std::string* out) {
  absl::StrAppend(out, "\nFindings\n");
  if (r.findings.empty()) absl::StrAppend(out, "  (none)\n");
  for (const Finding& f : r.findings) absl::StrAppend(out, "  - [", f.code, "] ", f.text, "\n");
}

// ---- JSON

void DeviceJson(const Report& r, const Device& d, std::string* j) {
  std::vector<std::string> names;
  for (uint16_t f : d.ifaces) names.push_back(Quote(r.ifaces[f].name));
  absl::StrAppend(j, "{\"device\":", Quote(d.id), ",\"driver\":", Quote(d.driver),
                  ",\"bus\":", Quote(d.bus),
                  ",\"family\":", d.profile != nullptr ? Quote(d.profile->name) : "null",
                  ",\"interfaces\":[", absl::StrJoin(names, ","), "],\"mcu_timeouts\":", d.timeouts,
                  ",\"fw_loads\":", d.loads, ",\"episodes\":", d.episodes, "}");
}

void TimeoutJson(const Report& r, const McuTimeout& x, std::string* j) {
  const CmdWord c = x.cmd;
  const CmdName n = DescribeCmd(c);
  absl::StrAppend(
      j,
      absl::StrFormat(
          "{\"t\":%s,\"line\":%d,\"device\":%s,\"cmd\":\"0x%08x\",\"name\":%s,\"seq\":%d,"
          "\"kind\":\"%s\",\"known\":%s,\"id\":\"0x%02x\",\"ext_id\":\"0x%02x\","
          "\"query\":%s,\"wa\":%s,\"wm\":%s,\"unknown_bits\":%s}",
          JsonT(r.T(x.at)), x.line, Quote(r.devices[x.dev].id), c.raw,
          Quote(cli::CmdDisplayName(c)), x.seq, n.kind_name, n.name != nullptr ? "true" : "false",
          c.id(), c.ext_id(), c.query() ? "true" : "false", c.wa() ? "true" : "false",
          c.wm() ? "true" : "false", c.has_unknown_bits() ? "true" : "false"));
}

void LoadJson(const Report& r, const FwLoad& x, std::string* j) {
  absl::StrAppend(j, "{\"t\":", JsonT(r.T(x.at)), ",\"line\":", x.line,
                  ",\"device\":", Quote(r.devices[x.dev].id), ",\"kind\":\"", LoadKindName(x.kind),
                  "\",\"build\":", Quote(x.build.view()),
                  ",\"patch_build\":", Quote(x.patch_build.view()), "}");
}

void EpisodeJson(const Report& r, const Episode& e, std::string* j) {
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
  absl::StrAppend(j, "{\"device\":", Quote(r.devices[e.dev].id),
                  ",\"first_timeout_t\":", JsonT(first), ",\"timeouts\":", e.timeouts,
                  ",\"fw_reload_t\":", JsonT(reload), ",\"reconnected_t\":", JsonT(reconnected),
                  ",\"verdict\":\"", VerdictName(e.verdict()), "\",\"end\":\"",
                  EpisodeEndName(e.end), "\",\"end_t\":", JsonT(end),
                  ",\"reload_after_s\":", JsonT(Diff(reload, first)),
                  ",\"reconnect_after_s\":", JsonT(Diff(reconnected, first)),
                  ",\"first_line\":", e.first_line, ",\"commands\":[", cmds, "]}");
}

void KeyErrorJson(const Report& r, const KeyError& x, std::string* j) {
  absl::StrAppend(j, "{\"t\":", JsonT(r.T(x.at)), ",\"line\":", x.line,
                  ",\"iface\":", Quote(r.ifaces[x.iface].name), ",\"op\":\"",
                  x.remove ? "remove" : "set", "\",\"idx\":", x.idx, ",\"key\":\"",
                  KeyIdxName(x.idx, x.addr.broadcast()), "\",\"addr\":\"", MacStr(x.addr),
                  "\",\"err\":", x.err, ",\"errno\":\"", ErrnoName(x.err),
                  "\",\"during_roam\":", x.during_roam ? "true" : "false", "}");
}

void FindingJson(const Report& /*r*/, const Finding& f, std::string* j) {
  absl::StrAppend(j, "{\"code\":", Quote(f.code), ",\"text\":", Quote(f.text), "}");
}

void Cfg80211Json(const Report& r, const Cfg80211Error& x, std::string* j) {
  const Cfg80211Info& c = kCfg80211[static_cast<int>(x.msg)];
  absl::StrAppend(j, "{\"t\":", JsonT(r.T(x.at)), ",\"line\":", x.line, ",\"code\":\"", c.code,
                  "\",\"message\":", Quote(c.message), "}");
}

void ConnJson(const Report& r, const ConnEvent& x, std::string* j) {
  absl::StrAppend(j, "{\"t\":", JsonT(r.T(x.at)), ",\"line\":", x.line,
                  ",\"iface\":", Quote(r.ifaces[x.iface].name), ",\"event\":\"", EventName(x.kind),
                  "\"");
  switch (x.kind) {
    case EventKind::kRoam:
      absl::StrAppend(j, ",\"ap\":\"", MacStr(x.ap), "\",\"new_ap\":\"", MacStr(x.ap2), "\"");
      break;
    case EventKind::kAuthenticate:
    case EventKind::kAssocTimeout:
    case EventKind::kAuthTimeout:
    case EventKind::kConnectionLost: absl::StrAppend(j, ",\"ap\":\"", MacStr(x.ap), "\""); break;
    case EventKind::kDriverDisconnect:
      if (x.ap.b != Mac().b) absl::StrAppend(j, ",\"ap\":\"", MacStr(x.ap), "\"");
      break;
    case EventKind::kAssocComeback:
      absl::StrAppend(j, ",\"ap\":\"", MacStr(x.ap), "\",\"comeback_tu\":", x.value);
      break;
    case EventKind::kMloLink:
      absl::StrAppend(j, ",\"link\":", x.value, ",\"local\":\"", MacStr(x.ap), "\",\"ap\":\"",
                      MacStr(x.ap2), "\",\"assoc\":", x.flag ? "true" : "false");
      break;
    case EventKind::kAssociated: absl::StrAppend(j, ",\"links\":[", LinkList(x.links), "]"); break;
    default: break;
  }
  absl::StrAppend(j, "}");
}

void DevEventJson(const Report& r, const DeviceEvent& x, std::string* j) {
  absl::StrAppend(j, "{\"t\":", JsonT(r.T(x.at)), ",\"line\":", x.line,
                  ",\"device\":", Quote(r.devices[x.dev].id), ",\"event\":\"", EventName(x.kind),
                  "\"");
  if (x.kind == EventKind::kAsicRevision)
    absl::StrAppend(j, absl::StrFormat(",\"value\":\"%04x\"", x.value));
  absl::StrAppend(j, "}");
}

// "totals", "time_base", "time_origin" and "input", closing the object.
void TailJson(const Report& r, std::string* j) {
  const char* base = r.time_base == TimeBase::kKernel      ? "kernel"
                     : r.time_base == TimeBase::kWallClock ? "wall_clock"
                                                           : "none";
  const InputStats& in = r.input;
  absl::StrAppend(j, "\"totals\":{\"mcu_timeouts\":", r.total_timeouts,
                  ",\"fw_loads\":", r.total_loads, ",\"episodes\":", r.total_episodes,
                  ",\"key_errors\":", r.total_key_errors, "}");
  absl::StrAppend(j, ",\"time_base\":\"", base, "\",\"time_origin\":",
                  r.time_base == TimeBase::kWallClock ? Quote(r.time_origin) : "null");
  absl::StrAppend(
      j, ",\"input\":{\"bytes\":", in.split.bytes, ",\"lines\":", in.split.lines,
      ",\"recognised\":", in.recognised, ",\"untimed\":", in.untimed,
      ",\"long_lines\":", in.split.long_lines,
      ",\"long_line_bytes_skipped\":", in.split.long_bytes_skipped, ",\"nul_lines\":", in.nul_lines,
      ",\"unterminated_last_line\":", in.split.unterminated_last_line ? "true" : "false",
      ",\"records_dropped\":", in.dropped, "}}\n");
}

// The JSON text being built. With a file, the text is written out and emptied between records
// once it passes 64 KiB, so memory stays at about one record's worth past that (the lists are
// capped); without one, the whole object stays in `text`.
struct JsonOut {
  std::FILE* f;
  std::string* text;

  void Spill() {
    if (f != nullptr && text->size() >= 64 * 1024) Flush();
  }
  void Flush() {
    std::fwrite(text->data(), 1, text->size(), f);
    text->clear();
  }
};

// `"<name>":[` and each record of `list`, comma-separated, then `],`.
template <typename T>
void JsonList(const Report& r, absl::string_view name, const std::vector<T>& list,
              void (*record)(const Report&, const T&, std::string*), JsonOut* o) {
  absl::StrAppend(o->text, "\"", name, "\":[");
  for (size_t i = 0; i < list.size(); ++i) {
    o->Spill();
    if (i > 0) *o->text += ',';
    record(r, list[i], o->text);
  }
  *o->text += "],";
  o->Spill();
}

void EmitJson(const Report& r, std::FILE* f, std::string* text) {
  JsonOut o{f, text};
  *text += "{";
  JsonList(r, "devices", r.devices, DeviceJson, &o);
  JsonList(r, "mcu_timeouts", r.timeouts, TimeoutJson, &o);
  JsonList(r, "fw_loads", r.loads, LoadJson, &o);
  JsonList(r, "episodes", r.episodes, EpisodeJson, &o);
  JsonList(r, "key_errors", r.key_errors, KeyErrorJson, &o);
  JsonList(r, "findings", r.findings, FindingJson, &o);
  JsonList(r, "cfg80211_errors", r.cfg80211, Cfg80211Json, &o);
  JsonList(r, "connection", r.conn, ConnJson, &o);
  JsonList(r, "device_events", r.dev_events, DevEventJson, &o);
  TailJson(r, text);
  if (f != nullptr) o.Flush();
}

}  // namespace

std::string RenderText(const Report& r) {
  std::string out;
  SummaryText(r, &out);
  DevicesText(r, &out);
  TimelineText(r, &out);
  EpisodesText(r, &out);
  FindingsText(r, &out);
  return out;
}

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
