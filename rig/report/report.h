// File: rig/report/report.h
//
// The outage part of a rig scenario's report (issue 14): from the raw files one scenario left
// in build/rig/run.<scenario>.<driver>/ to the report's fields. Sans-I/O (texts in, one JSON
// object out), so the tests feed it real guest logs. Test material for the rig.
//
// Sources and their clocks (all guest-side, milliseconds):
//   timeline     "ms<TAB>event": the guest scripts' marks (uptime)
//   results      "key<TAB>value": the guest scripts' result fields
//   device       vmt7925ctl status: key=value counters
//   vmt7925-log  "[ s.ms] vmt7925: text": device events (model.h DeviceEvent), CLOCK_MONOTONIC
//   probe-log    "ms event": rigprobe (gaps, operstate, supplicant events), CLOCK_MONOTONIC
//   dmesg        "[ s.us] text": the kernel log, printk time; mapped onto the others through
//                rigprobe's "rigprobe: clock mono_ms=N" line (both clocks stamp it)
//
// docs/rig.md "Report" defines every field.

#ifndef RIG_REPORT_REPORT_H_
#define RIG_REPORT_REPORT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rigreport {

struct Inputs {
  std::string scenario;
  std::string timeline, results, device, vmt_log, probe_log, dmesg;
};

struct Event {
  int64_t t_ms = 0;
  std::string text;
};

struct McuTimeout {
  int64_t t_ms = 0;
  uint32_t cmd = 0;
  int seq = 0;
  std::string name;  // "UNI BSS_INFO_UPDATE" (connac::DescribeCmd)
};

// Reply arrival times (rigprobe, gaps.h): from the last reply before the gap to the first
// one after it.
struct Gap {
  int64_t from_ms = 0;
  int64_t to_ms = 0;
  int64_t lost = 0;
  int64_t ms() const { return to_ms - from_ms; }
};

// A roam the scenario started ("roam-started <trigger> <target>" marks).
struct Roam {
  std::string trigger;  // "wpa_cli" | "ap-deauth"
  std::string target;
  int64_t t_ms = 0;
  std::optional<Gap> gap;  // the longest traffic gap of the roam's window
  bool completed = false;  // a supplicant CTRL-EVENT-CONNECTED in the window
};

struct Report {
  // The fault: what the device did, or the scenario's own operation when it injects none.
  std::string fault_kind;  // "hang", "assert", "slow", "strict-hypothesis", "roam", "reset", ""
  std::string fault_at;    // the command that fired it, if any
  std::string fault_source;
  std::optional<int64_t> fault_ms;
  std::optional<int64_t> window_end_ms;  // "recovered"/"traffic-back"/"fault-cleared" mark
  std::optional<Gap> outage;
  std::optional<int64_t> outage_open_since_ms;  // traffic never came back after the fault
  std::vector<McuTimeout> timeouts;
  int64_t device_unanswered = 0;
  int64_t fw_reloads = 0;  // firmware downloads after the first, as the device counted them
  int64_t fw_reload_failures = 0;
  int64_t fw_reload_attempts_logged = 0;  // "WM Firmware Version" lines after the first
  int64_t chip_resets = 0;                // "chip reset" (mt7925_mac_reset_work starts)
  bool chip_reset_failed = false;
  bool reassociated = false;
  bool driver_disconnect = false;
  int64_t connected_after_fault = 0;
  int64_t disconnected_after_fault = 0;
  std::string final_state;
  int64_t probes_sent = 0, probes_received = 0;
  std::optional<int64_t> last_reply_ms;          // arrival of the last echo reply
  std::optional<int64_t> last_answered_sent_ms;  // send time of the last answered probe
  std::optional<int64_t> rtt_avg_ms, rtt_max_ms;
  std::vector<Gap> gaps;  // >= 100 ms
  std::vector<Roam> roams;
  bool strict_hypothesis = false;
  bool strict_tripped = false;
  std::string strict_tripped_by;
  int64_t strict_key_after_remove = 0, strict_bss_after_remove = 0;
  std::optional<int64_t> kernel_offset_ms;  // mono = printk + offset
  std::vector<Event> timeline;
};

Report Analyze(const Inputs& in);
std::string ToJson(const Report& r);

}  // namespace rigreport

#endif  // RIG_REPORT_REPORT_H_
