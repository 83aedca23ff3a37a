// File: tools/sim/sim.h
//
// Recovery simulation: a scenario (a workload and a scripted firmware, connac::FwSim) run
// under one of two host policies on a virtual clock, measured.
//
//   kConnac  the core's ResetSequencer: fail fast on the first timeout or assert, reset
//            with bounded retries, restore from RestoreRecord and KeyTable (no reassociation).
//   kMt76    a model of today's mt792x: one mutex held across a critical section, 3 s per
//            command, the reset work queued on a timeout and run only when the mutex frees,
//            up to 10 back-to-back chip resets, then a forced reconnect (the supplicant
//            reassociates and reinstalls the keys). Calibrated on the #1036 timeline and
//            on the stock driver on the rig (roam-hang).
//
// Everything is deterministic for a (scenario, policy, seed). Userspace only.

#ifndef CONNAC_TOOLS_SIM_SIM_H_
#define CONNAC_TOOLS_SIM_SIM_H_

#include <cstdint>
#include <string>
#include <vector>

namespace connac::sim {

enum class Policy { kConnac, kMt76 };

struct TimelineEvent {
  double t_ms;
  std::string what;
};

struct Metrics {
  std::string scenario;
  std::string policy;
  // Milliseconds since the scenario started; -1 when it did not happen.
  double first_unanswered_ms = -1;
  double detected_ms = -1;
  double fw_reloaded_ms = -1;
  double restored_ms = -1;
  double outage_ms = -1;  // restored (or the end) minus first unanswered
  int timeouts_paid = 0;
  int resets = 0;        // firmware reloads
  int false_resets = 0;  // resets while the firmware was alive
  int keys_restored = 0;
  int keys_lost = 0;   // the host believes a key is installed; the firmware lacks it
  int stale_keys = 0;  // the firmware holds a key the host does not (or other bytes)
  std::string final_state;
  int commands = 0;
  // kConnac: the sequencer's counters. At rest, attempts + relapses = failed_attempts +
  // recoveries (a relapse, a new episode soon after a recovery, counts as a failed attempt).
  int attempts = 0;
  int failed_attempts = 0;
  int recoveries = 0;
  int relapses = 0;
  std::vector<TimelineEvent> timeline;
  // Where the run's timing comes from (the rig or #1036) and its values.
  std::string calibration;
};

struct Options {
  uint64_t seed = 1;
  bool probe = false;  // kConnac only: liveness probe after 300 ms, 200 ms window
  // Fault injection for the fault-matrix test: hang at the Nth command of the roam or of
  // the restore (0: the scenario's own trigger), and extra failed reset steps.
  int hang_at_roam_cmd = 0;
  int hang_at_restore_cmd = 0;
  int failed_wfsys_steps = 0;
};

// Scenario names: mlo-roam-hang, roam-hang, scan-timeout, healthy-slow, reset-step-fails,
// crash-during-restore, fw-assert, always-dead.
const std::vector<std::string>& ScenarioNames();
bool IsScenario(const std::string& name);

Metrics Run(const std::string& scenario, Policy policy, const Options& opts);

// One JSON object (the `connac simulate --json` format).
std::string ToJson(const Metrics& m);
// The human-readable report.
std::string ToText(const Metrics& m);

}  // namespace connac::sim

#endif  // CONNAC_TOOLS_SIM_SIM_H_
