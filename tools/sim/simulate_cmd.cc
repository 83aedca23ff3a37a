// File: tools/sim/simulate_cmd.cc

#include "tools/sim/simulate_cmd.h"

#include <cstdint>
#include <cstdio>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/cli_util.h"
#include "tools/sim/sim.h"

namespace connac::cli {

int RunSimulate(absl::string_view scenario, absl::string_view policy, absl::string_view seed,
                absl::string_view probe, absl::string_view json) {
  constexpr absl::string_view kSub = "simulate";
  if (scenario.empty()) Fail(kSub, "--scenario is required");
  const std::string name(scenario);
  if (!sim::IsScenario(name)) {
    Fail(kSub, absl::StrCat("unknown --scenario ", Quote(scenario), " (",
                            absl::StrJoin(sim::ScenarioNames(), ", "), ")"));
  }
  sim::Policy p = sim::Policy::kConnac;
  if (policy == "mt76") {
    p = sim::Policy::kMt76;
  } else if (policy != "connac") {
    Fail(kSub, absl::StrCat("--policy must be connac or mt76, got ", Quote(policy)));
  }
  sim::Options o;
  // Digits only: SimpleAtoi would also take surrounding whitespace (a pasted "7\r").
  bool digits = true;
  for (char c : seed) digits &= absl::ascii_isdigit(static_cast<unsigned char>(c));
  if (!seed.empty() && (!digits || !absl::SimpleAtoi(seed, &o.seed))) {
    Fail(kSub, absl::StrCat("--seed must be a number, got ", Quote(seed)));
  }
  if (probe != "true" && probe != "false") {
    Fail(kSub, absl::StrCat("--probe must be true or false, got ", Quote(probe)));
  }
  if (json != "true" && json != "false") {
    Fail(kSub, absl::StrCat("--json must be true or false (or given alone), got ", Quote(json)));
  }
  o.probe = probe == "true";
  if (o.probe && p == sim::Policy::kMt76) Fail(kSub, "--probe is a connac policy option");
  const sim::Metrics m = sim::Run(name, p, o);
  WriteOutput(kSub, json == "true" ? sim::ToJson(m) + "\n" : sim::ToText(m));
  return 0;
}

}  // namespace connac::cli
