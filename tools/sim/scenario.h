// File: tools/sim/scenario.h
//
// The recovery simulation's scenarios: a workload (critical sections of commands, host work
// and link changes) and a scripted firmware (connac::FwSim), shared by both host policies.
// Userspace only.

#ifndef CONNAC_TOOLS_SIM_SCENARIO_H_
#define CONNAC_TOOLS_SIM_SCENARIO_H_

#include <cstdint>
#include <string>
#include <vector>

#include "connac/keys.h"
#include "connac/mcu_cmd.h"
#include "connac/testing/fwsim.h"
#include "connac/time.h"
#include "connac/wifi.h"
#include "tools/sim/sim.h"

namespace connac::sim {

double Ms(Instant t);
Instant At(double ms);

MacAddr Mac(uint8_t a, uint8_t b);
MacAddr Bssid(uint8_t link);
MacAddr ApSta(uint8_t link);

// One MCU command of the workload: its word, payload and how the timeline names it.
struct Cmd {
  CmdWord word;
  std::vector<uint8_t> payload;
  std::string label;
};

Cmd DevInfo();
Cmd BssInfo(uint8_t bss_idx);
Cmd StaRec(uint8_t bss_idx, uint8_t wcid, bool remove);
Cmd ScanReq();
Cmd MibQuery();

// The test keys of the scenarios: the pairwise key, and per link its GTK and IGTK.
KeyConf MakeKey(uint32_t suite_sel, uint8_t idx, int8_t link, uint8_t len);
std::vector<KeyConf> SetupKeys(int links);

// Workload items, run in order within a section.
struct Item {
  enum Kind { kCmd, kWork, kTearDownLink, kJoinLink } kind = kCmd;
  Cmd cmd;
  Duration work;
  uint8_t link = 0;
};

struct Section {
  Instant start;
  std::vector<Item> items;
};

Item C(Cmd c);

// What the stock driver's recovery costs outside its code: set by the machine, the firmware
// and the network around it, so a scenario states them (the mt76 model only). The defaults
// are the #1036 reporter's (the Jan-13 MLO log, docs/reset.md Sources); roam-hang carries the
// rig's (docs/rig.md, "The simulator against the rig"). The firmware's own reload time is in
// FwSimConfig (wfsys_time, fw_load_time), shared with the connac policy.
struct Mt76Timing {
  // From the DEV_INFO/BSS re-add to "Driver requested disconnection": the rest of the
  // post-reload init (CLC, power limits) on the reporter's PCIe card took 0.9 s; the rig's
  // virtual device answers it in about 0.13 s.
  Duration disconnect_delay = Duration::Millis(900);
  // From the disconnection to "associated": the supplicant finds and joins an AP again. The
  // reporter's MLD took 15.7 s (scan, multi-link association); on the rig the roam's target
  // AP is known and in range, 0.13 s.
  Duration reassoc_time = Duration::Millis(15700);
  // Where these figures and the firmware's reload time come from (`connac simulate` prints
  // it with the figures).
  std::string source = "#1036 (the Jan-13 MLO log)";
};

struct Scenario {
  FwSimConfig fw;
  int links = 2;
  std::vector<Section> sections;
  Instant end;
  Mt76Timing mt76;
};

// Which figures of a run come from where: the timing's source and values.
std::string CalibrationNote(const Scenario& s);

// Commands the association (setup) sends before the scenario's faults are armed.
uint32_t SetupCommands(int links);

Scenario MakeScenario(const std::string& name, const Options& o);

}  // namespace connac::sim

#endif  // CONNAC_TOOLS_SIM_SCENARIO_H_
