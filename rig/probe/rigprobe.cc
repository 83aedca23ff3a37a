// File: rig/probe/rigprobe.cc
//
// rigprobe: the rig's traffic probe and event recorder, run in the guest (test material).
//
//   rigprobe run --dst IP [--interval-ms 10] [--gap-ms 100] [--iface IF] [--wpa-ctrl PATH]
//                [--state-file PATH]
//       Sends one ICMP echo request every interval (a ping socket: the AP side's kernel
//       answers, no echo process there) and prints, one line each, "<ms> <event>" on stdout
//       (ms: CLOCK_MONOTONIC, the guest's uptime clock):
//         clock mono_ms=N          also written to /dev/kmsg, so the kernel log's time base
//                                  can be mapped onto this one
//         reply first seq=N        the first echo reply
//         gap last=MS first=MS lost=N   a gap longer than --gap-ms between the arrivals of two
//                                  replies (gaps.h), printed when it closes
//         link STATE               the interface's operstate, at start and on each change
//                                  (rtnetlink RTM_NEWLINK/DELLINK: no polling)
//         wpa EVENT                a wpa_supplicant control-interface event (ATTACH)
//         summary sent=N received=M last_reply=MS last_answered_sent=MS rtt_avg_ms=N
//                 rtt_max_ms=N     on SIGTERM/SIGINT (last_reply: arrival time;
//                                  last_answered_sent: send time of the newest answered probe)
//       --state-file: one line "LAST_RX BIG_GAP_FROM BIG_GAP_TO BSSID", rewritten on a change
//       (replies: at most every 100 ms): the arrival of the latest reply, the most recent gap
//       of 500 ms or more (-1 -1 before one), the AP of the supplicant's last
//       CTRL-EVENT-CONNECTED ("-" after a CTRL-EVENT-DISCONNECTED or before any). The guest
//       scripts wait on it with shell builtins only (a fork costs tens of ms under TCG).
//
// Gaps are measured to the probe interval (10 ms): the probe's own resolution. Every syscall
// is dear under TCG (the rig's guest): the loop does one send per interval and sleeps in
// poll() otherwise.

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "rig/probe/gaps.h"

namespace rigprobe {
namespace {

volatile sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }

int64_t NowMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

void Emit(int64_t ms, const std::string& event) {
  std::printf("%lld %s\n", static_cast<long long>(ms), event.c_str());
  std::fflush(stdout);
}

// An echo request's payload: the probe's own sequence number and send time.
struct Probe {
  uint64_t seq;
  int64_t sent_ms;
};

// The interface's operstate ("up", "down", "dormant", ...; "gone" when it has none).
std::string OperState(const std::string& iface) {
  if (iface.empty()) return "";
  const std::string path = "/sys/class/net/" + iface + "/operstate";
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "gone";
  char b[32];
  const ssize_t n = read(fd, b, sizeof(b) - 1);
  close(fd);
  std::string s(b, n > 0 ? static_cast<size_t>(n) : 0);
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

const char* OperName(uint8_t st) {
  static const char* const kNames[] = {"unknown", "notpresent", "down", "lowerlayerdown",
                                       "testing", "dormant",    "up"};
  return st < sizeof(kNames) / sizeof(kNames[0]) ? kNames[st] : "unknown";
}

// RTM_NEWLINK/RTM_DELLINK for one interface: its operstate ("gone" when deleted), or "" for
// messages about other interfaces.
std::string LinkEvent(const uint8_t* buf, size_t n, const std::string& iface) {
  std::string state;
  for (const nlmsghdr* nh = reinterpret_cast<const nlmsghdr*>(buf);
       NLMSG_OK(nh, static_cast<unsigned>(n)); nh = NLMSG_NEXT(nh, n)) {
    if (nh->nlmsg_type != RTM_NEWLINK && nh->nlmsg_type != RTM_DELLINK) continue;
    const auto* ifi = static_cast<const ifinfomsg*>(NLMSG_DATA(nh));
    int len = static_cast<int>(IFLA_PAYLOAD(nh));
    std::string name;
    int oper = -1;
    for (const rtattr* a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
      if (a->rta_type == IFLA_IFNAME) {
        name.assign(static_cast<const char*>(RTA_DATA(a)),
                    strnlen(static_cast<const char*>(RTA_DATA(a)), RTA_PAYLOAD(a)));
      } else if (a->rta_type == IFLA_OPERSTATE && RTA_PAYLOAD(a) >= 1) {
        oper = *static_cast<const uint8_t*>(RTA_DATA(a));
      }
    }
    if (name != iface) continue;
    if (nh->nlmsg_type == RTM_DELLINK) {
      state = "gone";
    } else if (oper >= 0) {
      state = OperName(static_cast<uint8_t>(oper));
    }
  }
  return state;
}

// A wpa_supplicant control-interface monitor: ATTACH, then one datagram per event.
class WpaMonitor {
 public:
  explicit WpaMonitor(std::string ctrl) : ctrl_(std::move(ctrl)) {}
  ~WpaMonitor() { Close(); }

  int fd() const { return fd_; }
  bool attached() const { return attached_; }

  // Tries to attach (again); cheap when the socket does not exist yet.
  void TryAttach(int64_t now) {
    if (ctrl_.empty() || attached_ || now < next_try_) return;
    next_try_ = now + 200;
    Close();
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd_ < 0) return;
    sockaddr_un local{};
    local.sun_family = AF_UNIX;
    std::snprintf(local.sun_path, sizeof(local.sun_path), "/tmp/rigprobe-wpa-%d", getpid());
    unlink(local.sun_path);
    local_ = local.sun_path;
    sockaddr_un dst{};
    dst.sun_family = AF_UNIX;
    std::snprintf(dst.sun_path, sizeof(dst.sun_path), "%s", ctrl_.c_str());
    if (bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof(local)) != 0 ||
        connect(fd_, reinterpret_cast<sockaddr*>(&dst), sizeof(dst)) != 0 ||
        send(fd_, "ATTACH", 6, 0) != 6) {
      Close();
      return;
    }
    pending_ok_ = true;
  }

  // Reads what is there; calls emit(text) for each event.
  template <typename F>
  void Read(F emit) {
    char buf[2048];
    for (;;) {
      const ssize_t n = recv(fd_, buf, sizeof(buf) - 1, 0);
      if (n <= 0) {
        if (n < 0 && errno != EAGAIN && errno != EINTR) {
          attached_ = false;
          Close();
          emit(std::string("detached"));
        }
        return;
      }
      std::string s(buf, static_cast<size_t>(n));
      while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
      if (pending_ok_ && s == "OK") {
        pending_ok_ = false;
        attached_ = true;
        emit(std::string("attached"));
        continue;
      }
      // "<N>TEXT": drop the priority.
      if (s.size() > 3 && s[0] == '<' && s[2] == '>') s = s.substr(3);
      for (char& c : s) {
        if (c < 0x20 || c > 0x7e) c = '?';
      }
      emit(s);
    }
  }

 private:
  void Close() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
    if (!local_.empty()) unlink(local_.c_str());
    local_.clear();
  }

  std::string ctrl_;
  std::string local_;
  int fd_ = -1;
  bool attached_ = false;
  bool pending_ok_ = false;
  int64_t next_try_ = 0;
};

void WriteState(const std::string& path, int64_t last_rx, const Gap& big,
                const std::string& bssid) {
  const std::string tmp = path + ".tmp";
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return;
  const std::string v = std::to_string(last_rx) + " " + std::to_string(big.last_ms) + " " +
                        std::to_string(big.first_ms) + " " + bssid + "\n";
  const bool ok = write(fd, v.data(), v.size()) == static_cast<ssize_t>(v.size());
  close(fd);
  if (ok) rename(tmp.c_str(), path.c_str());
}

// "CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:01:00 completed ..." -> the address.
std::string ConnectedBssid(const std::string& ev) {
  const std::string k = "Connection to ";
  const size_t p = ev.find(k);
  return p == std::string::npos ? "?" : ev.substr(p + k.size(), 17);
}

int Run(const std::string& dst, int interval_ms, int gap_ms, const std::string& iface,
        const std::string& wpa_ctrl, const std::string& state_file) {
  // A ping socket (the guest's /init allows gid 0 in ping_group_range): the kernel sets the
  // ICMP id and checksum and hands this socket only its own echo replies.
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_ICMP);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  if (fd < 0) {
    std::fprintf(stderr, "rigprobe: ping socket: %s\n", std::strerror(errno));
    return 1;
  }
  if (inet_pton(AF_INET, dst.c_str(), &sa.sin_addr) != 1) {
    std::fprintf(stderr, "rigprobe: bad destination %s\n", dst.c_str());
    return 2;
  }
  int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
  if (nl >= 0) {
    sockaddr_nl snl{};
    snl.nl_family = AF_NETLINK;
    snl.nl_groups = RTMGRP_LINK;
    if (iface.empty() || bind(nl, reinterpret_cast<sockaddr*>(&snl), sizeof(snl)) != 0) {
      close(nl);
      nl = -1;
    }
  }
  // The kernel log's clock vs this one: one line both carry.
  const int64_t t0 = NowMs();
  int kmsg = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
  if (kmsg >= 0) {
    char line[80];
    const int n = std::snprintf(line, sizeof(line), "rigprobe: clock mono_ms=%lld\n",
                                static_cast<long long>(t0));
    if (write(kmsg, line, static_cast<size_t>(n)) < 0) {
      // Without /dev/kmsg the report falls back to assuming the clocks agree.
    }
    close(kmsg);
  }
  Emit(t0, "clock mono_ms=" + std::to_string(t0));
  Emit(t0, "start dst=" + dst + " icmp interval_ms=" + std::to_string(interval_ms));

  GapTracker gaps(gap_ms);
  WpaMonitor wpa(wpa_ctrl);
  std::string link = OperState(iface);
  if (!iface.empty()) Emit(t0, "link " + link);
  uint64_t seq = 0, sent = 0;
  int64_t next_send = t0;
  int64_t last_written = -1;
  int64_t rtt_sum = 0, rtt_max = 0, last_rx = -1;
  Gap big{-1, -1, 0};
  uint64_t last_answered_seq = 0;
  int64_t last_answered_sent = -1;
  std::string bssid = "-";
  bool state_dirty = true;
  uint8_t buf[8192];
  while (!g_stop) {
    int64_t now = NowMs();
    if (now >= next_send) {
      struct {
        icmphdr h;
        Probe p;
      } req{};
      req.h.type = ICMP_ECHO;
      req.h.un.echo.sequence = htons(static_cast<uint16_t>(++seq));
      req.p = Probe{seq, now};
      if (sendto(fd, &req, sizeof(req), 0, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) >= 0 ||
          errno != EINTR) {
        ++sent;  // counted even when the stack refuses it: a probe that did not get through
      }
      next_send += interval_ms;
      if (next_send < now) next_send = now + interval_ms;  // we were descheduled: no burst
      wpa.TryAttach(now);
    }
    pollfd pf[3] = {{fd, POLLIN, 0}, {nl, POLLIN, 0}, {wpa.fd(), POLLIN, 0}};
    const int wait = static_cast<int>(next_send - now);
    if (poll(pf, 3, wait > 0 ? wait : 0) < 0 && errno != EINTR) break;
    if (pf[0].revents & POLLIN) {
      ssize_t n;
      while ((n = recv(fd, buf, sizeof(buf), 0)) >=
             static_cast<ssize_t>(sizeof(icmphdr) + sizeof(Probe))) {
        const auto* h = reinterpret_cast<const icmphdr*>(buf);
        if (h->type != ICMP_ECHOREPLY) continue;
        Probe p;
        std::memcpy(&p, buf + sizeof(icmphdr), sizeof(p));
        const int64_t t = NowMs();
        last_rx = t;
        const int64_t rtt = t - p.sent_ms;
        rtt_sum += rtt;
        if (rtt > rtt_max) rtt_max = rtt;
        const bool first = !gaps.any();
        Gap g;
        if (p.seq > last_answered_seq) {
          last_answered_seq = p.seq;
          last_answered_sent = p.sent_ms;
        }
        if (gaps.OnReply(p.seq, t, &g)) {
          Emit(t, "gap last=" + std::to_string(g.last_ms) + " first=" + std::to_string(g.first_ms) +
                      " lost=" + std::to_string(g.lost));
          if (g.first_ms - g.last_ms >= 500) {
            big = g;
            state_dirty = true;
          }
        }
        if (first) Emit(t, "reply first seq=" + std::to_string(p.seq));
      }
      if (last_rx - last_written >= 100) state_dirty = true;
    }
    if (nl >= 0 && (pf[1].revents & POLLIN)) {
      ssize_t n;
      while ((n = recv(nl, buf, sizeof(buf), 0)) > 0) {
        const std::string l = LinkEvent(buf, static_cast<size_t>(n), iface);
        if (!l.empty() && l != link) {
          link = l;
          Emit(NowMs(), "link " + link);
        }
      }
    }
    if (wpa.fd() >= 0 && (pf[2].revents & (POLLIN | POLLERR | POLLHUP))) {
      wpa.Read([&bssid, &state_dirty](const std::string& ev) {
        Emit(NowMs(), "wpa " + ev);
        if (ev.rfind("CTRL-EVENT-CONNECTED", 0) == 0) {
          bssid = ConnectedBssid(ev);
          state_dirty = true;
        } else if (ev.rfind("CTRL-EVENT-DISCONNECTED", 0) == 0) {
          bssid = "-";
          state_dirty = true;
        }
      });
    }
    if (state_dirty && !state_file.empty()) {
      WriteState(state_file, last_rx, big, bssid);
      last_written = last_rx;
      state_dirty = false;
    }
  }
  const uint64_t got = gaps.received();
  Emit(NowMs(), "summary sent=" + std::to_string(sent) + " received=" + std::to_string(got) +
                    " last_reply=" + std::to_string(last_rx) +
                    " last_answered_sent=" + std::to_string(last_answered_sent) + " rtt_avg_ms=" +
                    std::to_string(got ? rtt_sum / static_cast<int64_t>(got) : -1) +
                    " rtt_max_ms=" + std::to_string(rtt_max));
  if (!state_file.empty()) WriteState(state_file, last_rx, big, bssid);
  return 0;
}

int Usage() {
  std::fprintf(stderr,
               "usage: rigprobe run --dst IP [--interval-ms N] [--gap-ms N] [--iface IF] "
               "[--wpa-ctrl PATH] [--state-file PATH]\n");
  return 2;
}

bool ParseInt(const char* s, int lo, int hi, int* out) {
  char* end = nullptr;
  const long v = std::strtol(s, &end, 10);
  if (end == s || *end != '\0' || v < lo || v > hi) return false;
  *out = static_cast<int>(v);
  return true;
}

}  // namespace
}  // namespace rigprobe

int main(int argc, char** argv) {
  using namespace rigprobe;
  if (argc < 2 || std::string(argv[1]) != "run") return Usage();
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
  std::string dst, iface, wpa, last;
  int interval = 10, gap = 100;
  for (int i = 2; i < argc; i += 2) {
    const std::string a = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : nullptr;
    if (v == nullptr) return Usage();
    if (a == "--dst") {
      dst = v;
    } else if (a == "--interval-ms") {
      if (!ParseInt(v, 1, 10000, &interval)) return Usage();
    } else if (a == "--gap-ms") {
      if (!ParseInt(v, 1, 600000, &gap)) return Usage();
    } else if (a == "--iface") {
      iface = v;
    } else if (a == "--wpa-ctrl") {
      wpa = v;
    } else if (a == "--state-file") {
      last = v;
    } else {
      return Usage();
    }
  }
  if (dst.empty()) return Usage();
  return Run(dst, interval, gap, iface, wpa, last);
}
