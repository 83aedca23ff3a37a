// File: rig/vmt7925/control.cc

#include "rig/vmt7925/control.h"

#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <vector>

namespace vmt {
namespace {

bool ParseNumber(const std::string& s, long long max, long long* out) {
  if (s.empty() || s.size() > 18) return false;
  char* end = nullptr;
  const long long v = std::strtoll(s.c_str(), &end, 0);
  if (end == nullptr || *end != '\0' || v < 0 || v > max) return false;
  *out = v;
  return true;
}

}  // namespace

bool ParseControl(const std::string& line, ControlRequest* req, std::string* err) {
  std::istringstream in(line);
  std::vector<std::string> w;
  for (std::string t; in >> t;) {
    if (w.size() >= 16) {
      *err = "too many words";
      return false;
    }
    w.push_back(t);
  }
  if (w.empty()) {
    *err = "empty request";
    return false;
  }
  *req = ControlRequest{};
  if (w[0] == "status" && w.size() == 1) return true;
  if (w[0] == "ping" && w.size() == 1) {
    req->op = ControlRequest::Op::kPing;
    return true;
  }
  if (w[0] != "fault" || w.size() < 2) {
    *err = "unknown request '" + w[0] + "'";
    return false;
  }
  if (w[1] == "clear" && w.size() == 2) {
    req->op = ControlRequest::Op::kClear;
    return true;
  }
  req->op = ControlRequest::Op::kFault;
  FaultPlan& f = req->fault;
  if (w[1] == "hang") {
    f.kind = FaultPlan::Kind::kHang;
  } else if (w[1] == "assert") {
    f.kind = FaultPlan::Kind::kAssert;
  } else if (w[1] == "slow") {
    f.kind = FaultPlan::Kind::kSlow;
  } else if (w[1] == "reset-fails") {
    f.kind = FaultPlan::Kind::kResetFails;
  } else {
    *err = "unknown fault '" + w[1] + "'";
    return false;
  }
  for (size_t i = 2; i < w.size(); ++i) {
    long long v = 0;
    if (w[i] == "now") {
      f.now = true;
    } else if (w[i].rfind("at=", 0) == 0 && ParseNumber(w[i].substr(3), 1 << 30, &v) && v > 0) {
      f.at_cmd = static_cast<uint32_t>(v);
    } else if (w[i].rfind("cid=", 0) == 0 && ParseNumber(w[i].substr(4), 0xff, &v)) {
      f.on_cid = static_cast<int>(v);
    } else if (w[i].rfind("ms=", 0) == 0 && ParseNumber(w[i].substr(3), 600000, &v)) {
      f.slow_ns = v * 1000000;
    } else if (w[i].rfind("in=", 0) == 0 && ParseNumber(w[i].substr(3), 600000, &v) && v > 0) {
      f.after_ns = v * 1000000;
    } else if (w[i].rfind("count=", 0) == 0 && ParseNumber(w[i].substr(6), 1000, &v) && v > 0) {
      f.count = static_cast<uint32_t>(v);
    } else {
      *err = "bad fault argument '" + w[i] + "'";
      return false;
    }
  }
  if (f.kind == FaultPlan::Kind::kResetFails) {
    if (f.count == 0) {
      *err = "reset-fails needs count=N";
      return false;
    }
    return true;
  }
  if (!f.now && f.at_cmd == 0 && f.on_cid < 0 && f.after_ns == 0) {
    *err = "fault needs a trigger: now, at=N, cid=ID or in=MS";
    return false;
  }
  return true;
}

void ServeControl(const std::string& path,
                  const std::function<std::string(const std::string&)>& handler,
                  std::atomic<bool>* stop) {
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  sockaddr_un sa{};
  sa.sun_family = AF_UNIX;
  std::snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path.c_str());
  unlink(path.c_str());
  if (bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0 || listen(fd, 8) != 0) {
    close(fd);
    return;
  }
  while (!*stop) {
    int c = accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0) continue;
    // A client that never finishes its line must not stall the channel.
    timeval tv{2, 0};
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    std::string line;
    char ch;
    while (line.size() < 512 && read(c, &ch, 1) == 1 && ch != '\n') line.push_back(ch);
    const std::string out = handler(line);
    size_t off = 0;
    while (off < out.size()) {
      ssize_t n = write(c, out.data() + off, out.size() - off);
      if (n <= 0) break;
      off += static_cast<size_t>(n);
    }
    close(c);
  }
  close(fd);
}

int ControlClient(const std::string& path, int argc, char** argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) {
    if (i) line += ' ';
    line += argv[i];
  }
  if (line.empty()) line = "status";
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un sa{};
  sa.sun_family = AF_UNIX;
  std::snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path.c_str());
  if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0) {
    std::fprintf(stderr, "vmt7925ctl: cannot connect to %s\n", path.c_str());
    return 1;
  }
  line += '\n';
  if (write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
    close(fd);
    return 1;
  }
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = read(fd, buf, sizeof(buf))) > 0;) out.append(buf, static_cast<size_t>(n));
  close(fd);
  if (out.rfind("error", 0) == 0) {
    std::fprintf(stderr, "vmt7925ctl: %s", out.c_str());
    return 2;
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace vmt
