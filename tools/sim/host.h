// File: tools/sim/host.h
//
// What the recovery simulation's two hosts share: the timeline and the metrics, and the final
// check of the keys a host believes installed against what the firmware holds.
//
//   connac_host.cc  the connac policy: an I/O adapter over connac::Device
//   mt76_host.cc    a model of today's mt792x driver (no connac), calibrated on #1036
//
// Userspace only.

#ifndef CONNAC_TOOLS_SIM_HOST_H_
#define CONNAC_TOOLS_SIM_HOST_H_

#include <string>

#include "connac/keys.h"
#include "connac/testing/fwsim.h"
#include "connac/time.h"
#include "tools/sim/scenario.h"
#include "tools/sim/sim.h"

namespace connac::sim {

class Recorder {
 public:
  explicit Recorder(Metrics* m) : m_(m) {}

  Metrics& metrics() { return *m_; }
  void Log(Instant now, const std::string& what) { m_->timeline.push_back({Ms(now), what}); }
  void FirstUnanswered(Instant sent) {
    if (m_->first_unanswered_ms < 0) m_->first_unanswered_ms = Ms(sent);
  }
  void Detected(Instant now) {
    if (m_->detected_ms < 0) m_->detected_ms = Ms(now);
  }

  // Ends the run: the outage, the firmware's counters, and the key check.
  void Finish(const std::string& state, Instant now, const FwSim& fw, const KeyTable& believed);

 private:
  Metrics* m_;
};

Metrics RunConnac(const Scenario& s, const Options& o, Metrics m);
Metrics RunMt76(const Scenario& s, const Options& o, Metrics m);

}  // namespace connac::sim

#endif  // CONNAC_TOOLS_SIM_HOST_H_
