// File: tools/diagnose_format.h
//
// Internal to //tools:diagnose: the words and numbers that the findings
// (tools/diagnose_findings.cc) and the renderers (tools/diagnose_render.cc) share, so that a
// time, an address or a command reads the same in every part of the report. The public API is
// tools/diagnose.h; nothing outside the library includes this header.

#ifndef CONNAC_TOOLS_DIAGNOSE_FORMAT_H_
#define CONNAC_TOOLS_DIAGNOSE_FORMAT_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "connac/mcu_cmd.h"
#include "connac/time.h"
#include "tools/diagnose.h"
#include "tools/diagnose_line.h"

namespace connac::diagnose {

// Seconds, as short as exact: 8, 15.2, 1447.72332.
std::string Num(double v);
// A duration in prose: a tenth of a second is all a reader needs ("15.4").
std::string Dur(double v);
// A core duration in seconds, as Num writes them ("3").
std::string Seconds(Duration d);
// A report time (Report::T): "null" in JSON and "?" in text when the line had none.
std::string JsonT(const std::optional<double>& t);
std::string TextT(const std::optional<double>& t);
// a - b, or nullopt when either time is unknown.
std::optional<double> Diff(const std::optional<double>& a, const std::optional<double>& b);

std::string MacStr(const Mac& m);  // "aa:bb:cc:dd:ee:ff"
// A JSON string literal, escaped: the log is untrusted.
std::string Quote(absl::string_view s);
// "1 timeout", "3 timeouts".
std::string Plural(int64_t n, absl::string_view one, absl::string_view many);
// " (x3)" for a repeated message, "" for a single one.
std::string Times(int64_t n);

// "UNI BSS_INFO_UPDATE" plus the bits DescribeCmd leaves out of the name.
std::string CmdText(CmdWord cmd);
// "UNI BSS_INFO_UPDATE x3, UNI STA_REC_UPDATE, UNI DEV_INFO_UPDATE": names in order of first
// appearance, with counts.
std::string CmdSummary(const Episode& e);

// JSON names: "end" of an episode, "event" of connection and device events.
const char* EpisodeEndName(EpisodeEnd e);
const char* EventName(EventKind k);

struct Cfg80211Info {
  const char* code;     // JSON code, finding "cfg80211_<code>"
  const char* message;  // as nl80211 words it
  const char* why;      // one or two sentences: the cause, from net/wireless/nl80211.c
};
// Index: Cfg80211Msg.
extern const Cfg80211Info kCfg80211[kNumCfg80211Msgs];

}  // namespace connac::diagnose

#endif  // CONNAC_TOOLS_DIAGNOSE_FORMAT_H_
