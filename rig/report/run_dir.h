// File: rig/report/run_dir.h
//
// The I/O half of rig_report: reads a scenario's run directory (build/rig/run.<scenario>.<driver>/,
// written by rig/run.sh's parse_stream from the guest's stream) into report.h's Inputs, so the
// tool and the tests build the report the same way. report.h stays sans-I/O.

#ifndef RIG_REPORT_RUN_DIR_H_
#define RIG_REPORT_RUN_DIR_H_

#include <string>

#include "rig/report/report.h"

namespace rigreport {

// Files timeline, results, device, vmt7925-log, probe-log and dmesg of `dir`; a missing file
// reads as empty (a scenario that died early still gets a report).
Inputs ReadRunDir(const std::string& dir, const std::string& scenario);

// The report rig_report prints: ToJson(Analyze(ReadRunDir(dir, scenario))).
std::string BuildReport(const std::string& dir, const std::string& scenario);

}  // namespace rigreport

#endif  // RIG_REPORT_RUN_DIR_H_
