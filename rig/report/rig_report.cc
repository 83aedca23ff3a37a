// File: rig/report/rig_report.cc
//
//   rig_report --dir build/rig/run.<scenario>.<driver> --scenario NAME
//
// Prints the outage part of the scenario's report as one JSON object (report.h); rig/run.sh
// merges it into build/rig/<scenario>.<driver>.json. Missing input files are read as empty
// (a scenario that died early still gets a report). Exit 2 on bad arguments.

#include <cstdio>
#include <string>

#include "rig/report/run_dir.h"

int main(int argc, char** argv) {
  std::string dir, scenario;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--dir") {
      dir = argv[i + 1];
    } else if (a == "--scenario") {
      scenario = argv[i + 1];
    } else {
      std::fprintf(stderr, "rig_report: unknown argument %s\n", a.c_str());
      return 2;
    }
  }
  if (dir.empty() || argc % 2 == 0) {
    std::fprintf(stderr, "usage: rig_report --dir DIR [--scenario NAME]\n");
    return 2;
  }
  const std::string json = rigreport::BuildReport(dir, scenario);
  std::fwrite(json.data(), 1, json.size(), stdout);
  std::fputc('\n', stdout);
  return std::ferror(stdout) ? 1 : 0;
}
