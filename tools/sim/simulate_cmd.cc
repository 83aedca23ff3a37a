// File: tools/sim/simulate_cmd.cc

#include "tools/sim/simulate_cmd.h"

#include <cstdint>
#include <cstdio>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/cli_util.h"
#include "tools/sim/sim.h"

namespace connac::cli {

int RunSimulate(const std::string& scenario, const std::string& policy, const std::string& seed,
                const std::string& probe, const std::string& json) {
  constexpr absl::string_view kSub = "simulate";
  if (scenario.empty()) Fail(kSub, "--scenario is required");
  if (!sim::IsScenario(scenario)) {
    Fail(kSub, absl::StrCat("unknown --scenario '", scenario, "' (",
                            absl::StrJoin(sim::ScenarioNames(), ", "), ")"));
  }
  sim::Policy p = sim::Policy::kConnac;
  if (policy == "mt76") {
    p = sim::Policy::kMt76;
  } else if (policy != "connac") {
    Fail(kSub, absl::StrCat("--policy must be connac or mt76, got '", policy, "'"));
  }
  sim::Options o;
  if (!seed.empty() && !absl::SimpleAtoi(seed, &o.seed))
    Fail(kSub, absl::StrCat("--seed must be a number, got '", seed, "'"));
  if (probe != "true" && probe != "false") Fail(kSub, "--probe must be true or false");
  if (json != "true" && json != "false")
    Fail(kSub, "--json must be true or false (or given alone)");
  o.probe = probe == "true";
  if (o.probe && p == sim::Policy::kMt76) Fail(kSub, "--probe is a connac policy option");
  const sim::Metrics m = sim::Run(scenario, p, o);
  std::fputs((json == "true" ? sim::ToJson(m) + "\n" : sim::ToText(m)).c_str(), stdout);
  return 0;
}

}  // namespace connac::cli
