// File: tools/sim/simulate_cmd.h
//
// `connac simulate --scenario=<name> --policy=<connac|mt76> [--seed=<n>] [--probe=true]
// [--json]`: one scenario under one policy, as text or one JSON object (docs/reset.md).

#ifndef CONNAC_TOOLS_SIM_SIMULATE_CMD_H_
#define CONNAC_TOOLS_SIM_SIMULATE_CMD_H_

#include "absl/strings/string_view.h"

namespace connac::cli {

// Flag values as given (strings); bad values exit 2 with one line.
int RunSimulate(absl::string_view scenario, absl::string_view policy, absl::string_view seed,
                absl::string_view probe, absl::string_view json);

}  // namespace connac::cli

#endif  // CONNAC_TOOLS_SIM_SIMULATE_CMD_H_
