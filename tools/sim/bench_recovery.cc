// File: tools/sim/bench_recovery.cc
//
// `make bench-recovery`: runs every scenario under both policies (and the two roam hangs with
// the liveness probe) on the virtual clock and prints one markdown table. With a path argument it
// also replaces the table between the recovery markers in that file (docs/PERFORMANCE.md),
// leaving the rest of the file alone. Virtual time makes the figures exact and repeatable:
// this measures the policies, not the machine.

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/sim/sim.h"

namespace {

constexpr char kBegin[] = "<!-- bench-recovery:begin -->";
constexpr char kEnd[] = "<!-- bench-recovery:end -->";

std::string Cell(double v) { return v < 0 ? "–" : absl::StrFormat("%.0f", v); }

std::string Row(const connac::sim::Metrics& m, const std::string& policy) {
  auto rel = [&m](double t) {
    return t < 0 || m.first_unanswered_ms < 0 ? -1.0 : t - m.first_unanswered_ms;
  };
  return absl::StrFormat("| %s | %s | %s | %s | %s | %s | %d | %d | %d | %d | %d | %d | %s |\n",
                         m.scenario, policy, Cell(rel(m.detected_ms)), Cell(rel(m.fw_reloaded_ms)),
                         Cell(rel(m.restored_ms)), Cell(m.outage_ms), m.timeouts_paid, m.resets,
                         m.false_resets, m.keys_restored, m.keys_lost, m.stale_keys, m.final_state);
}

}  // namespace

int main(int argc, char** argv) {
  using connac::sim::Metrics;
  using connac::sim::Options;
  using connac::sim::Policy;
  std::string table =
      "| scenario | policy | detected | fw reloaded | restored | outage | timeouts paid | resets | "
      "false resets "
      "| keys restored | keys lost | stale keys | final state |\n"
      "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n";
  // The roam hangs' connac, connac+probe and mt76 runs, for the summary lines.
  struct Roam {
    Metrics connac, probe, mt76;
  };
  Roam mlo, single;
  for (const std::string& s : connac::sim::ScenarioNames()) {
    Roam* roam = s == "mlo-roam-hang" ? &mlo : s == "roam-hang" ? &single : nullptr;
    const Metrics c = connac::sim::Run(s, Policy::kConnac, Options{});
    table += Row(c, "connac");
    if (roam != nullptr) {
      Options o;
      o.probe = true;
      roam->connac = c;
      roam->probe = connac::sim::Run(s, Policy::kConnac, o);
      table += Row(roam->probe, "connac+probe");
    }
    const Metrics m = connac::sim::Run(s, Policy::kMt76, Options{});
    if (roam != nullptr) roam->mt76 = m;
    table += Row(m, "mt76");
  }
  auto line = [](const Roam& r) {
    return absl::StrFormat(
        "%s: first unanswered command -> firmware reloaded %.0f ms, -> restored %.0f ms "
        "(probe: %.0f ms); mt76 outage %.0f ms = %.1fx the connac outage.\n",
        r.connac.scenario, r.connac.fw_reloaded_ms - r.connac.first_unanswered_ms,
        r.connac.restored_ms - r.connac.first_unanswered_ms,
        r.probe.restored_ms - r.probe.first_unanswered_ms, r.mt76.outage_ms,
        r.mt76.outage_ms / r.connac.outage_ms);
  };
  const std::string summary = absl::StrCat(
      line(mlo), "\n", line(single), "\n",
      "Timing (firmware reload, the mt76 model's disconnection and reassociation delays) from "
      "the #1036 log, except roam-hang: the stock mt7925u measured on the rig (docs/rig.md, "
      "\"The simulator against the rig\").\n");
  std::printf("Times in ms after the first unanswered command (virtual clock).\n\n%s\n%s",
              table.c_str(), summary.c_str());
  if (argc < 2) return 0;
  std::ifstream in(argv[1]);
  std::stringstream ss;
  if (in) ss << in.rdbuf();
  std::string doc = ss.str();
  const std::string block = absl::StrCat(kBegin, "\n", table, "\n", summary, kEnd);
  const size_t b = doc.find(kBegin), e = doc.find(kEnd);
  if (b != std::string::npos && e != std::string::npos && b < e) {
    doc.replace(b, e + sizeof(kEnd) - 1 - b, block);
  } else {
    doc += absl::StrCat(
        "\n## Recovery: scenarios x policies (`make bench-recovery`)\n\n",
        "Times in ms after the first unanswered command, on the simulator's virtual clock, so the "
        "figures are exact and repeatable. Scenarios and calibration: docs/reset.md.\n\n",
        block, "\n");
  }
  std::ofstream out(argv[1]);
  out << doc;
  std::fprintf(stderr, "bench-recovery: table written to %s\n", argv[1]);
  return out ? 0 : 1;
}
