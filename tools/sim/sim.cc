// File: tools/sim/sim.cc
//
// The recovery simulation behind `connac simulate` and `make bench-recovery`: a scenario
// (scenario.cc) run under one of the two hosts (connac_host.cc, mt76_host.cc), and the report.
// See sim.h for the two policies and docs/reset.md for the scenarios and their calibration.

#include "tools/sim/sim.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "tools/sim/host.h"
#include "tools/sim/scenario.h"

namespace connac::sim {

const std::vector<std::string>& ScenarioNames() {
  static const std::vector<std::string> kNames = {
      "mlo-roam-hang",        "roam-hang", "scan-timeout", "healthy-slow", "reset-step-fails",
      "crash-during-restore", "fw-assert", "always-dead"};
  return kNames;
}

bool IsScenario(const std::string& name) {
  const auto& n = ScenarioNames();
  return std::find(n.begin(), n.end(), name) != n.end();
}

Metrics Run(const std::string& scenario, Policy policy, const Options& opts) {
  Metrics m;
  m.scenario = scenario;
  m.policy = policy == Policy::kConnac ? "connac" : "mt76";
  const Scenario s = MakeScenario(scenario, opts);
  m.calibration = CalibrationNote(s);
  return policy == Policy::kConnac ? RunConnac(s, opts, std::move(m))
                                   : RunMt76(s, opts, std::move(m));
}

std::string ToJson(const Metrics& m) {
  auto num = [](double v) { return v < 0 ? std::string("null") : absl::StrFormat("%.1f", v); };
  std::string j = absl::StrFormat(
      "{\"scenario\":\"%s\",\"policy\":\"%s\",\"first_unanswered_ms\":%s,\"detected_ms\":%s,"
      "\"fw_reloaded_ms\":%s,\"restored_ms\":%s,\"outage_ms\":%s,\"timeouts_paid\":%d,\"resets\":%"
      "d,"
      "\"false_resets\":%d,\"keys_restored\":%d,\"keys_lost\":%d,\"stale_keys\":%d,\"final_state\":"
      "\"%s\","
      "\"commands\":%d,\"calibration\":\"%s\",\"timeline\":[",
      m.scenario, m.policy, num(m.first_unanswered_ms), num(m.detected_ms), num(m.fw_reloaded_ms),
      num(m.restored_ms), num(m.outage_ms), m.timeouts_paid, m.resets, m.false_resets,
      m.keys_restored, m.keys_lost, m.stale_keys, m.final_state, m.commands, m.calibration);
  for (size_t i = 0; i < m.timeline.size(); ++i) {
    absl::StrAppendFormat(&j, "%s{\"t_ms\":%.1f,\"event\":\"%s\"}", i ? "," : "",
                          m.timeline[i].t_ms, m.timeline[i].what);
  }
  j += "]}";
  return j;
}

std::string ToText(const Metrics& m) {
  auto num = [](double v) { return v < 0 ? std::string("-") : absl::StrFormat("%.1f ms", v); };
  std::string t = absl::StrFormat("scenario %s, policy %s: final state %s\n", m.scenario, m.policy,
                                  m.final_state);
  absl::StrAppendFormat(
      &t, "  first unanswered %s, detected %s, firmware reloaded %s, restored %s\n",
      num(m.first_unanswered_ms), num(m.detected_ms), num(m.fw_reloaded_ms), num(m.restored_ms));
  absl::StrAppendFormat(
      &t,
      "  outage %s, timeouts paid %d, resets %d (false %d), keys restored %d, lost %d, stale %d\n",
      num(m.outage_ms), m.timeouts_paid, m.resets, m.false_resets, m.keys_restored, m.keys_lost,
      m.stale_keys);
  absl::StrAppendFormat(&t, "  calibration: %s\n", m.calibration);
  const size_t shown = std::min<size_t>(m.timeline.size(), 40);
  for (size_t i = 0; i < shown; ++i)
    absl::StrAppendFormat(&t, "  %10.1f ms  %s\n", m.timeline[i].t_ms, m.timeline[i].what);
  if (shown < m.timeline.size())
    absl::StrAppendFormat(&t, "  ... %d more events\n", m.timeline.size() - shown);
  return t;
}

}  // namespace connac::sim
