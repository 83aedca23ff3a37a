// Development aid: prints the text report of a scenario under both policies.
//   sim_probe [scenario] [probe=0|1] [roam_cmd=N] [restore_cmd=N] [failed=N]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "tools/sim/sim.h"

int main(int argc, char** argv) {
  connac::sim::Options o;
  const char* only = argc > 1 ? argv[1] : nullptr;
  for (int i = 2; i < argc; ++i) {
    const char* eq = std::strchr(argv[i], '=');
    if (eq == nullptr) continue;
    const std::string k(argv[i], eq - argv[i]);
    const int v = std::atoi(eq + 1);
    if (k == "probe") o.probe = v != 0;
    if (k == "roam_cmd") o.hang_at_roam_cmd = v;
    if (k == "restore_cmd") o.hang_at_restore_cmd = v;
    if (k == "failed") o.failed_wfsys_steps = v;
  }
  for (const std::string& s : connac::sim::ScenarioNames()) {
    if (only != nullptr && s != only) continue;
    for (auto p : {connac::sim::Policy::kConnac, connac::sim::Policy::kMt76}) {
      std::fputs(connac::sim::ToText(connac::sim::Run(s, p, o)).c_str(), stdout);
    }
  }
  return 0;
}
