// File: rig/report/run_dir.cc

#include "rig/report/run_dir.h"

#include <fstream>
#include <sstream>
#include <string>

namespace rigreport {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

}  // namespace

Inputs ReadRunDir(const std::string& dir, const std::string& scenario) {
  Inputs in;
  in.scenario = scenario;
  in.timeline = Slurp(dir + "/timeline");
  in.results = Slurp(dir + "/results");
  in.device = Slurp(dir + "/device");
  in.vmt_log = Slurp(dir + "/vmt7925-log");
  in.probe_log = Slurp(dir + "/probe-log");
  in.dmesg = Slurp(dir + "/dmesg");
  return in;
}

std::string BuildReport(const std::string& dir, const std::string& scenario) {
  return ToJson(Analyze(ReadRunDir(dir, scenario)));
}

}  // namespace rigreport
