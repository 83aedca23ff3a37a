// File: tools/diagnose_bench.cc
//
// Throughput and memory of `connac diagnose` on large synthetic logs. Not a test: numbers
// depend on the machine. Run optimised (docs/PERFORMANCE.md):
//
//   bazel run -c opt //tools:diagnose_bench -- [MiB]     (default 512)
//
// Writes a temporary dmesg file of MiB mebibytes per workload and streams it through the same
// read loop as the CLI (256 KiB reads into Analyzer::Feed, then WriteJson), and prints MB/s
// (10^6 bytes) and the peak RSS from getrusage. Each run is a forked process of its own, so
// its peak RSS is its own; each workload also runs on a file 1/8 the size: equal peak RSS for
// both sizes is the "flat memory" result.
//
// Workloads:
//   mixed  a desktop dmesg: 1 line in ~30 is mt76/mac80211, with firmware-hang episodes
//          (5 timeouts, reload, reassociation) and roam key errors
//   dense  every line is an MCU timeout: the slowest path, and far past the record caps

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "absl/strings/str_format.h"
#include "tools/diagnose.h"

namespace connac::diagnose {
namespace {

constexpr size_t kReadChunk = 256 * 1024;  // as tools/diagnose_cmd.cc

long PeakRssKib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;  // KiB on Linux
}

// Lines of a busy laptop's dmesg that no rule matches (the common case).
constexpr const char* kNoise[] = {
    "usb 3-2: new high-speed USB device number 7 using xhci_hcd",
    "audit: type=1400 audit(1715333000.123:456): apparmor=\"DENIED\" operation=\"open\" "
    "profile=\"snap.firefox\" name=\"/proc/pressure/memory\" pid=4242 comm=\"firefox\"",
    "nvme nvme0: 16/0/0 default/read/poll queues",
    "ACPI: \\_SB_.PCI0.GP17.XHC0: PM: Power state change: D3hot -> D0",
    "Bluetooth: hci0: Opcode 0x0c03 failed: -16",
    "amdgpu 0000:c2:00.0: [drm] DMUB hardware initialized: version=0x08004900",
    "wlp192s0: deauthenticating from d8:b3:70:f8:9e:7b by local choice (Reason: 3=DEAUTH_LEAVING)",
    "mt7925e 0000:c0:00.0: enabling device (0000 -> 0002)",
    "EXT4-fs (nvme0n1p2): mounted filesystem 1c9d6a4e-5b0e-4b71-b3c1-9a3e8d0c1f22 r/w with ordered "
    "data mode.",
    "IPv6: ADDRCONF(NETDEV_CHANGE): wlp192s0: link becomes ready",
};

// One hang-and-recovery story of the #1036 kind, as mt7925 and mac80211 print it.
constexpr const char* kStory[] = {
    "wlp192s0: disconnect from AP d8:b3:70:f8:9e:7b for new auth to d8:b3:70:f8:89:4f",
    "wlp192s0: failed to remove key (1, ff:ff:ff:ff:ff:ff) from hardware (-22)",
    "wlp192s0: failed to remove key (4, ff:ff:ff:ff:ff:ff) from hardware (-22)",
    "wlp192s0: authenticated",
    "wlp192s0: d8:b3:70:f8:9e:7b rejected association temporarily; comeback duration 1000 TU (1024 "
    "ms)",
    "wlp192s0: association with d8:b3:70:f8:9e:7b timed out",
    "mt7925e 0000:c0:00.0: Message 00020002 (seq 12) timeout",
    "mt7925e 0000:c0:00.0: Message 00020003 (seq 13) timeout",
    "mt7925e 0000:c0:00.0: Message 00020002 (seq 14) timeout",
    "mt7925e 0000:c0:00.0: Message 00020002 (seq 15) timeout",
    "mt7925e 0000:c0:00.0: Message 00020001 (seq 1) timeout",
    "mt7925e 0000:c0:00.0: HW/SW Version: 0x8a108a10, Build Time: 20250721232852a",
    "mt7925e 0000:c0:00.0: WM Firmware Version: ____000000, Build Time: 20250721232943",
    "wlp192s0: Driver requested disconnection from AP d8:b3:70:f8:89:4f",
    "wlp192s0: associated",
};

enum class Workload { kMixed, kDense };

// Writes about `bytes` of log to a new temporary file; returns its path.
std::string WriteLog(Workload w, size_t bytes) {
  char path[] = "/tmp/connac_diagnose_bench.XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) {
    std::perror("mkstemp");
    std::exit(1);
  }
  std::string buf;
  buf.reserve(1 << 20);
  size_t written = 0;
  uint64_t line = 0;
  size_t story = 0;
  while (written < bytes) {
    buf.clear();
    while (buf.size() < (1 << 20) - 512) {
      const double t = 5.0 + static_cast<double>(line) * 0.001237;
      const char* msg;
      if (w == Workload::kDense) {
        msg = kStory[6 + line % 5];
      } else if (line % 30 == 0) {
        msg = kStory[story++ % (sizeof(kStory) / sizeof(kStory[0]))];
      } else {
        msg = kNoise[line % (sizeof(kNoise) / sizeof(kNoise[0]))];
      }
      absl::StrAppendFormat(&buf, "[%12.6f] %s\n", t, msg);
      ++line;
    }
    if (write(fd, buf.data(), buf.size()) != static_cast<ssize_t>(buf.size())) {
      std::perror("write");
      std::exit(1);
    }
    written += buf.size();
  }
  close(fd);
  return path;
}

struct Run {
  double seconds;
  size_t bytes;
  int64_t recognised;
  long peak_rss_kib;
};

Run Analyze(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    std::perror("open");
    std::exit(1);
  }
  std::unique_ptr<char[]> buf(new char[kReadChunk]);
  const auto start = std::chrono::steady_clock::now();
  Analyzer a;
  size_t bytes = 0;
  for (;;) {
    const ssize_t n = read(fd, buf.get(), kReadChunk);
    if (n <= 0) break;
    a.Feed(buf.get(), static_cast<size_t>(n));
    bytes += static_cast<size_t>(n);
  }
  const Report& r = a.Finish();
  std::FILE* null = std::fopen("/dev/null", "w");
  WriteJson(r, null);  // the CLI writes its report too: part of the cost
  std::fclose(null);
  const auto end = std::chrono::steady_clock::now();
  close(fd);
  return Run{std::chrono::duration<double>(end - start).count(), bytes, r.input.recognised,
             PeakRssKib()};
}

void Bench(const char* name, Workload w, size_t mib) {
  for (const size_t size : {mib / 8, mib}) {
    std::fflush(stdout);
    const pid_t pid = fork();
    if (pid < 0) {
      std::perror("fork");
      std::exit(1);
    }
    if (pid > 0) {
      int status = 0;
      waitpid(pid, &status, 0);
      continue;
    }
    const std::string path = WriteLog(w, size << 20);
    Analyze(path);  // warm the page cache: measure parsing, not the disk
    const Run run = Analyze(path);
    unlink(path.c_str());
    std::printf("%-6s %6.0f MiB  %8.1f MB/s  %10lld recognised lines  peak RSS %6.1f MiB\n", name,
                static_cast<double>(run.bytes) / (1 << 20),
                static_cast<double>(run.bytes) / run.seconds / 1e6,
                static_cast<long long>(run.recognised),
                static_cast<double>(run.peak_rss_kib) / 1024);
    std::fflush(stdout);
    _exit(0);
  }
}

}  // namespace
}  // namespace connac::diagnose

int main(int argc, char** argv) {
  size_t mib = 512;
  if (argc > 1) mib = static_cast<size_t>(std::strtoul(argv[1], nullptr, 10));
  if (mib < 8) mib = 8;
  std::printf("connac diagnose throughput (each line: one process; peak RSS from getrusage)\n");
  connac::diagnose::Bench("mixed", connac::diagnose::Workload::kMixed, mib);
  connac::diagnose::Bench("dense", connac::diagnose::Workload::kDense, mib);
  return 0;
}
