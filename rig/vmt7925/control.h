// File: rig/vmt7925/control.h
//
// The device's control channel in the guest: a unix stream socket, one request line per
// connection, a text answer, then close. Usable from busybox sh through `vmt7925ctl`.
//
//   status                      counters, keys per wcid/link, MCU commands by name
//   ping                        "pong"
//   fault KIND [at=N] [cid=ID] [in=MS] [now] [ms=N]
//                               arm a fault: KIND hang|assert|slow; at=N: the Nth MCU command
//                               from now; cid=ID: the first UNI command with that id (hex ok);
//                               in=MS: MS milliseconds from now; now: at once; ms: the slow
//                               fault's answer latency
//   fault reset-fails count=N   the next N firmware reloads never report ready
//   fault clear                 disarm and un-hang
//
// A bad request gets "error <reason>"; the CLI then exits 2.

#ifndef RIG_VMT7925_CONTROL_H_
#define RIG_VMT7925_CONTROL_H_

#include <atomic>
#include <functional>
#include <string>

#include "rig/vmt7925/model.h"

namespace vmt {

struct ControlRequest {
  enum class Op { kStatus, kPing, kFault, kClear };
  Op op = Op::kStatus;
  FaultPlan fault;
};

// Parses one request line. False with `*err` set on bad input.
bool ParseControl(const std::string& line, ControlRequest* req, std::string* err);

// Serves `path` until `*stop`; each request line is answered with handler(line).
void ServeControl(const std::string& path,
                  const std::function<std::string(const std::string&)>& handler,
                  std::atomic<bool>* stop);

// The CLI: joins argv into one request, prints the answer. Exit 0, 2 on "error", 1 on I/O.
int ControlClient(const std::string& path, int argc, char** argv);

}  // namespace vmt

#endif  // RIG_VMT7925_CONTROL_H_
