// File: rig/report/report_test.cc
//
// rig_report's outage fields from run directories: small synthetic ones written to the test's
// temp dir in the formats rig/run.sh's parse_stream and the guest leave (timeline and results
// from "T"/"R" stream lines, the rest raw sections), and one real run
// (testdata/run.roam-hang.stock, see testdata/README.md). The report reads supplicant events
// from rigprobe's "wpa" lines in probe-log; wpa-log is written for completeness, not read.

#include <sys/stat.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rig/report/report.h"
#include "rig/report/run_dir.h"

namespace rigreport {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// A run directory's files. Defaults: a synthetic roam-hang on the stock driver. Clocks: the
// monotonic ms of timeline/probe-log/vmt7925-log; printk is 20 ms ahead (the rigprobe clock
// line says so), so a kernel line at "[   15.230000]" is at 15210 ms.
struct RunFiles {
  std::string timeline =
      "10000\tscenario-begin roam-hang\n"
      "11000\tassociated\n"
      "11200\ttraffic-flowing\n"
      "12000\troam-started wpa_cli 02:00:00:00:01:00\n"
      "17500\trecovered\n"
      "19000\tscenario-done roam-hang\n"
      "20000\tscenario-end roam-hang\n";
  std::string results =
      "sta_ifname\twlan0\n"
      "associated\ttrue\n"
      "wpa_state\tCOMPLETED\n"
      "final_bssid\t02:00:00:00:01:00\n"
      "last_reply_ms\t18980\n"
      "end_ms\t19050\n";
  std::string device =
      "mcu_commands=150\n"
      "mcu_unanswered=1\n"
      "fw_starts=2\n"
      "fw_start_failures=0\n"
      "wfsys_resets=1\n"
      "strict_key_after_remove=0\n"
      "strict_bss_after_remove=0\n"
      "strict_wedged=0\n"
      "strict_hypothesis=0\n"
      "hung=0\n"
      "mcu UNI_BSS_INFO_UPDATE=19\n";
  std::string vmt_log =
      "[  10.100] vmt7925: fw start\n"
      "[  10.100] vmt7925: fw ready\n"
      "[  12.000] vmt7925: fault armed hang\n"
      "[  12.210] vmt7925: fault fired hang at UNI_BSS_INFO_UPDATE word=0x00020002 seq=1\n"
      "[  12.210] vmt7925: unanswered UNI_BSS_INFO_UPDATE word=0x00020002 seq=1\n"
      "[  15.300] vmt7925: wfsys reset\n"
      "[  15.400] vmt7925: fw start\n"
      "[  15.700] vmt7925: fw ready\n";
  std::string probe_log =
      "10500 clock mono_ms=10500\n"
      "10500 start dst=10.77.0.1 icmp interval_ms=10\n"
      "11100 wpa CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:00:00 completed [id=0 id_str=]\n"
      "11101 link up\n"
      "11300 reply first seq=1\n"
      "11650 gap last=11500 first=11650 lost=12\n"
      "12200 wpa SME: Trying to authenticate with 02:00:00:00:01:00 (SSID='rig-wpa2' freq=5180 "
      "MHz)\n"
      "16100 wpa Trying to associate with 02:00:00:00:01:00 (SSID='rig-wpa2' freq=5180 MHz)\n"
      "16150 wpa Associated with 02:00:00:00:01:00\n"
      "16180 wpa CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:01:00 completed [id=0 "
      "id_str=]\n"
      "16900 gap last=12190 first=16900 lost=400\n"
      "19000 summary sent=780 received=370 last_reply=18990 last_answered_sent=18980 "
      "rtt_avg_ms=20 rtt_max_ms=900\n";
  std::string dmesg =
      "[   10.080000] mt7925u 1-1:1.0: WM Firmware Version: VMT7925001, Build Time: 1\n"
      "[   10.520000] rigprobe: clock mono_ms=10500\n"
      "[   11.000000] wlan0: associated\n"
      "[   15.230000] mt7925u 1-1:1.0: Message 00020002 (seq 1) timeout\n"
      "[   15.240000] mt7925u 1-1:1.0: chip reset\n"
      "[   15.430000] mt7925u 1-1:1.0: WM Firmware Version: VMT7925001, Build Time: 1\n"
      "[   15.730000] mt7925u 1-1:1.0: Firmware init done\n"
      "[   15.900000] wlan0: Driver requested disconnection from AP 02:00:00:00:00:00\n"
      "[   16.000000] wlan0: authenticate with 02:00:00:00:01:00 (local address=x)\n"
      "[   16.200000] wlan0: associated\n";
  std::string wpa_log =
      "1796188220.898351: wlan0: CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:00:00\n"
      "1796188223.810876: wlan0: SME: Trying to authenticate with 02:00:00:00:01:00\n"
      "1796188227.634231: wlan0: CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:01:00\n";
};

class ReportTest : public ::testing::Test {
 protected:
  // Writes `f` into a fresh directory under the test's temp dir; empty files are left out (a
  // missing file reads as empty).
  std::string Write(const RunFiles& f) {
    const char* tmp = std::getenv("TEST_TMPDIR");
    const std::string dir =
        absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/run.", ++n_, ".",
                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    EXPECT_EQ(mkdir(dir.c_str(), 0755), 0) << dir;
    const std::pair<const char*, const std::string*> files[] = {
        {"timeline", &f.timeline},   {"results", &f.results},     {"device", &f.device},
        {"vmt7925-log", &f.vmt_log}, {"probe-log", &f.probe_log}, {"dmesg", &f.dmesg},
        {"wpa-log", &f.wpa_log}};
    for (const auto& [name, text] : files) {
      if (text->empty()) continue;
      std::ofstream o(dir + "/" + name, std::ios::binary);
      o << *text;
      EXPECT_TRUE(o.good()) << name;
    }
    return dir;
  }
  Report Run(const RunFiles& f) { return Analyze(ReadRunDir(Write(f), "roam-hang")); }
  std::string Json(const RunFiles& f) { return BuildReport(Write(f), "roam-hang"); }

  int n_ = 0;
};

// A roam-hang: outage from the last echo before the fault to the first after, the timeout as
// the driver logged it, one reload, the driver's forced disconnect as a new association.
TEST_F(ReportTest, RoamHangFieldsFromTheRunDirectory) {
  const RunFiles f;
  const std::string json = Json(f);
  EXPECT_THAT(json, StartsWith("{\"outage_ms\":4710,\"mcu_timeouts\":1,\"fw_reloads\":1,"
                               "\"reassociated\":true,\"final_state\":\"connected\","));
  EXPECT_THAT(json, HasSubstr("\"fault\":{\"kind\":\"hang\",\"t_ms\":12210,\"at\":"
                              "\"UNI_BSS_INFO_UPDATE word=0x00020002 seq=1\",\"source\":"
                              "\"device\",\"window_end_ms\":17500}"));
  EXPECT_THAT(json, HasSubstr("\"outage\":{\"from_ms\":12190,\"to_ms\":16900,\"ms\":4710,"
                              "\"lost\":400}"));
  EXPECT_THAT(json, HasSubstr("\"mcu_timeout_list\":[{\"t_ms\":15210,\"cmd\":\"0x00020002\","
                              "\"name\":\"UNI BSS_INFO_UPDATE\",\"seq\":1}]"));
  EXPECT_THAT(json, HasSubstr("\"driver_disconnect\":true"));
  EXPECT_THAT(json, HasSubstr("\"supplicant_after_fault\":{\"connected\":1,\"disconnected\":0}"));
  EXPECT_THAT(json, HasSubstr("\"clock\":{\"kernel_offset_ms\":-20}"));
  const Report r = Run(f);
  EXPECT_EQ(r.chip_resets, 1);
  EXPECT_EQ(r.fw_reload_attempts_logged, 1);
  EXPECT_EQ(r.device_unanswered, 1);
  ASSERT_EQ(r.gaps.size(), 2u);  // the 150 ms gap before the fault is not the outage
  // The timeline merges the sources on one clock, in order.
  std::vector<std::string> texts;
  int64_t prev = INT64_MIN;
  for (const Event& e : r.timeline) {
    EXPECT_GE(e.t_ms, prev) << e.text;
    prev = e.t_ms;
    texts.push_back(e.text);
  }
  EXPECT_THAT(texts, ::testing::IsSupersetOf(
                         {"roam-started wpa_cli 02:00:00:00:01:00",
                          "fault: hang fired at UNI_BSS_INFO_UPDATE word=0x00020002 seq=1 (device)",
                          "mcu timeout: UNI BSS_INFO_UPDATE seq 1 (Message 00020002 (seq 1) "
                          "timeout)",
                          "reset: chip reset (mt7925_mac_reset_work starts)",
                          "device: WFSYS reset (the driver's reset reached the chip)",
                          "mac80211: Driver requested disconnection from AP 02:00:00:00:00:00",
                          "traffic: first echo after the outage (4710 ms, 400 probes lost)"}));
}

// The kernel's "Message %08x (seq %d) timeout" (mt7925_mcu_parse_response): command word and
// seq parsed, named with the core's DescribeCmd, mapped onto the monotonic clock; look-alikes
// are not timeouts.
TEST_F(ReportTest, McuTimeoutsParsedFromTheKernelLog) {
  RunFiles f;
  f.dmesg = absl::StrReplaceAll(
      f.dmesg, {{"[   15.240000] mt7925u 1-1:1.0: chip reset\n",
                 "[   15.231000] mt7925u 1-1:1.0: Message 00020003 (seq 12) timeout\n"
                 "[   15.232000] mt7925u 1-1:1.0: Message 00000010 (seq 3) timeout\n"
                 "[   15.233000] mt7925u 1-1:1.0: Message 0002 (seq 4) timeout\n"
                 "[   15.234000] mt7925u 1-1:1.0: Message 00020002 (seq x) timeout\n"
                 "[   15.235000] mt7925u 1-1:1.0: Message 00020002 (seq 5) timed out\n"
                 "[   15.240000] mt7925u 1-1:1.0: chip reset\n"}});
  const Report r = Run(f);
  ASSERT_EQ(r.timeouts.size(), 3u);
  EXPECT_EQ(r.timeouts[0].cmd, 0x00020002u);
  EXPECT_EQ(r.timeouts[0].seq, 1);
  EXPECT_EQ(r.timeouts[0].t_ms, 15210);
  EXPECT_EQ(r.timeouts[1].cmd, 0x00020003u);
  EXPECT_EQ(r.timeouts[1].seq, 12);
  EXPECT_EQ(r.timeouts[1].name, "UNI STA_REC_UPDATE");
  EXPECT_EQ(r.timeouts[1].t_ms, 15211);
  EXPECT_EQ(r.timeouts[2].cmd, 0x10u);
  EXPECT_EQ(r.timeouts[2].seq, 3);
  EXPECT_EQ(r.timeouts[2].name, "CMD PATCH_SEM_CONTROL");
  EXPECT_THAT(ToJson(r), HasSubstr("\"mcu_timeouts\":3,"));
  EXPECT_THAT(ToJson(r), HasSubstr("{\"t_ms\":15211,\"cmd\":\"0x00020003\",\"name\":\"UNI "
                                   "STA_REC_UPDATE\",\"seq\":12}"));
}

// The patched driver's reset lines (kmod/mt7925: connac) join the timeline as reset events;
// its own "connac: timeout" line is not an MCU timeout (the driver's "Message ..." line is).
TEST_F(ReportTest, ConnacResetLinesJoinTheTimeline) {
  RunFiles f;
  f.dmesg = absl::StrReplaceAll(
      f.dmesg,
      {{"[   15.240000] mt7925u 1-1:1.0: chip reset\n",
        "[   15.236000] mt7925u 1-1:1.0: connac: timeout, command 0x00020002\n"
        "[   15.237000] mt7925u 1-1:1.0: connac: firmware declared dead (timeout): failing "
        "commands fast, resetting\n"
        "[   15.238000] mt7925u 1-1:1.0: connac: reset attempt 1 failed: fw_ready; retrying\n"
        "[   15.239000] mt7925u 1-1:1.0: connac: recovered in 624 ms (cause timeout, 2 "
        "attempt(s))\n"
        "[   15.240000] mt7925u 1-1:1.0: chip reset\n"}});
  const Report r = Run(f);
  int resets = 0;
  for (const auto& e : r.timeline) {
    if (absl::StartsWith(e.text, "reset: connac: ")) ++resets;
    EXPECT_FALSE(absl::StrContains(e.text, "connac: timeout")) << e.text;
  }
  EXPECT_EQ(resets, 3);
  EXPECT_EQ(r.timeouts.size(), 1u) << "only the driver's Message line is a timeout";
}

// fw_reloads: firmware starts after the first, as the device counted them; failed starts
// apart; no device status: 0.
TEST_F(ReportTest, FwReloadsFromTheDeviceCounters) {
  struct Case {
    const char* device;
    int64_t reloads, failures;
  };
  for (const Case& c : {Case{"fw_starts=1\nfw_start_failures=0\nhung=0\n", 0, 0},
                        Case{"fw_starts=2\nfw_start_failures=0\nhung=0\n", 1, 0},
                        Case{"fw_starts=3\nfw_start_failures=1\nhung=0\n", 2, 1}, Case{"", 0, 0}}) {
    RunFiles f;
    f.device = c.device;
    const Report r = Run(f);
    EXPECT_EQ(r.fw_reloads, c.reloads) << c.device;
    EXPECT_EQ(r.fw_reload_failures, c.failures) << c.device;
    EXPECT_THAT(ToJson(r), HasSubstr(absl::StrCat("\"fw_reloads\":", c.reloads, ",")));
  }
}

// reassociated: did the station go through a new association because of the fault. The
// driver's forced disconnect counts even when the supplicant logs no DISCONNECTED (a roam in
// flight: it restarts the roam's authentication); the roam's own association does not.
TEST_F(ReportTest, ReassociatedTable) {
  struct Case {
    const char* what;
    std::function<void(RunFiles*)> edit;
    bool reassociated;
  };
  const std::string kDriverDisconnect =
      "[   15.900000] wlan0: Driver requested disconnection from AP 02:00:00:00:00:00\n";
  auto no_driver_disconnect = [kDriverDisconnect](RunFiles* f) {
    f->dmesg = absl::StrReplaceAll(f->dmesg, {{kDriverDisconnect, ""}});
  };
  auto idle = [](RunFiles* f) {  // no roam: an idle hang
    f->timeline = absl::StrReplaceAll(f->timeline, {{"roam-started wpa_cli", "idle"}});
  };
  const Case cases[] = {
      {"driver disconnect during a roam, no supplicant DISCONNECTED", [](RunFiles*) {}, true},
      {"roam completes with its one association, no disconnect", no_driver_disconnect, false},
      {"supplicant DISCONNECTED after the fault",
       [no_driver_disconnect](RunFiles* f) {
         no_driver_disconnect(f);
         f->probe_log += "16000 wpa CTRL-EVENT-DISCONNECTED bssid=02:00:00:00:00:00 reason=3\n";
       },
       true},
      {"a second association during the roam",
       [no_driver_disconnect](RunFiles* f) {
         no_driver_disconnect(f);
         f->probe_log += "17000 wpa CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:01:00\n";
       },
       true},
      {"driver disconnect before the fault",
       [kDriverDisconnect](RunFiles* f) {
         f->dmesg = absl::StrReplaceAll(
             f->dmesg, {{kDriverDisconnect, ""},
                        {"[   11.000000] wlan0: associated\n",
                         "[   11.000000] wlan0: associated\n[   11.500000] wlan0: Driver "
                         "requested disconnection from AP 02:00:00:00:00:00\n"}});
       },
       false},
      {"driver disconnect after the recovery window (recovered + 500 ms)",
       [no_driver_disconnect](RunFiles* f) {
         no_driver_disconnect(f);
         f->dmesg += "[   18.100000] wlan0: Driver requested disconnection from AP x\n";
       },
       false},
      {"idle hang, association survives the reset",
       [idle, no_driver_disconnect](RunFiles* f) {
         idle(f);
         no_driver_disconnect(f);
         f->probe_log = absl::StrReplaceAll(
             f->probe_log, {{"16180 wpa CTRL-EVENT-CONNECTED", "16180 wpa CTRL-EVENT-X"}});
       },
       false},
      {"idle hang, one new association",
       [idle, no_driver_disconnect](RunFiles* f) {
         idle(f);
         no_driver_disconnect(f);
       },
       true},
  };
  for (const Case& c : cases) {
    RunFiles f;
    c.edit(&f);
    const std::string json = Json(f);
    EXPECT_THAT(
        json, HasSubstr(absl::StrCat("\"reassociated\":", c.reassociated ? "true" : "false", ",")))
        << c.what;
  }
}

// final_state from the supplicant's last state, the device and the kernel log.
TEST_F(ReportTest, FinalStateTable) {
  struct Case {
    const char* what;
    std::function<void(RunFiles*)> edit;
    const char* state;
  };
  auto state = [](const char* s) {
    return [s](RunFiles* f) { f->results = absl::StrReplaceAll(f->results, {{"COMPLETED", s}}); };
  };
  const Case cases[] = {
      {"completed, traffic to the end", [](RunFiles*) {}, "connected"},
      {"completed, no echo in the last second",
       [](RunFiles* f) {
         f->probe_log =
             absl::StrReplaceAll(f->probe_log, {{"last_reply=18990", "last_reply=17900"}});
       },
       "connected-no-traffic"},
      {"supplicant disconnected", state("DISCONNECTED"), "disconnected"},
      {"supplicant scanning", state("SCANNING"), "disconnected"},
      {"device still hung", [](RunFiles* f) { f->device += "hung=1\n"; }, "firmware-hung"},
      {"driver gave up resetting",
       [](RunFiles* f) { f->dmesg += "[   18.000000] mt7925u 1-1:1.0: chip reset failed\n"; },
       "reset-failed"},
      {"no results (the scenario died)", [](RunFiles* f) { f->results.clear(); }, "unknown"},
  };
  for (const Case& c : cases) {
    RunFiles f;
    c.edit(&f);
    EXPECT_THAT(Json(f), HasSubstr(absl::StrCat("\"final_state\":\"", c.state, "\","))) << c.what;
  }
}

// roam-clean: no device fault; the first roam is the "fault", each roam gets the longest gap
// of its own window (to its traffic-back mark) and completes; no timeouts, no reloads.
TEST_F(ReportTest, RoamCleanRoamsWithTheirGaps) {
  RunFiles f;
  f.timeline =
      "10000\tscenario-begin roam-clean\n"
      "11200\ttraffic-flowing\n"
      "12000\troam-started wpa_cli 02:00:00:00:01:00\n"
      "12400\troamed 02:00:00:00:01:00\n"
      "12600\ttraffic-back\n"
      "13600\troam-started ap-deauth 02:00:00:00:01:00\n"
      "15000\troamed 02:00:00:00:00:00\n"
      "15300\ttraffic-back\n"
      "19000\tscenario-done roam-clean\n";
  f.vmt_log = "[  10.100] vmt7925: fw start\n[  10.100] vmt7925: fw ready\n";
  f.device = "fw_starts=1\nfw_start_failures=0\nhung=0\n";
  f.dmesg =
      "[   10.520000] rigprobe: clock mono_ms=10500\n"
      "[   12.100000] wlan0: authenticate with 02:00:00:00:01:00 (local address=x)\n"
      "[   12.300000] wlan0: associated\n";
  f.probe_log =
      "10500 clock mono_ms=10500\n"
      "11300 reply first seq=1\n"
      "12350 wpa CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:01:00 completed\n"
      "12380 gap last=12010 first=12380 lost=30\n"
      "12500 gap last=12390 first=12500 lost=9\n"
      "14900 wpa CTRL-EVENT-DISCONNECTED bssid=02:00:00:00:01:00 reason=3\n"
      "14950 wpa CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:00:00 completed\n"
      "15100 gap last=13610 first=15100 lost=140\n"
      "19000 summary sent=780 received=640 last_reply=18990 last_answered_sent=18980\n";
  const std::string json = Json(f);
  EXPECT_THAT(json, StartsWith("{\"outage_ms\":370,\"mcu_timeouts\":0,\"fw_reloads\":0,"
                               "\"reassociated\":false,\"final_state\":\"connected\","));
  EXPECT_THAT(json, HasSubstr("\"fault\":{\"kind\":\"roam\",\"t_ms\":12000,"));
  EXPECT_THAT(json, HasSubstr("\"roams\":[{\"trigger\":\"wpa_cli\",\"target\":"
                              "\"02:00:00:00:01:00\",\"t_ms\":12000,\"gap_ms\":370,"
                              "\"completed\":true},{\"trigger\":\"ap-deauth\",\"target\":"
                              "\"02:00:00:00:01:00\",\"t_ms\":13600,\"gap_ms\":1490,"
                              "\"completed\":true}]"));
}

// Outage edge cases: traffic through the fault (slow-alive) is a 0 ms outage; traffic that
// never comes back has no outage_ms but the time since when it is open.
TEST_F(ReportTest, OutageThroughTheFaultAndOpenOutage) {
  RunFiles slow;
  slow.vmt_log = "[  12.000] vmt7925: fault fired slow\n";
  slow.probe_log =
      absl::StrReplaceAll(slow.probe_log, {{"16900 gap last=12190 first=16900 lost=400\n",
                                            "14000 gap last=13000 first=14000 lost=0\n"}});
  slow.timeline = absl::StrReplaceAll(slow.timeline, {{"roam-started wpa_cli", "slow-started"}});
  EXPECT_THAT(Json(slow), StartsWith("{\"outage_ms\":1000,"));  // the longest gap after it
  slow.probe_log = absl::StrReplaceAll(slow.probe_log, {{"14000 gap", "14000 nogap"}});
  EXPECT_THAT(Json(slow), StartsWith("{\"outage_ms\":0,"));

  RunFiles dead;
  dead.probe_log = absl::StrReplaceAll(
      dead.probe_log,
      {{"16900 gap last=12190 first=16900 lost=400\n", ""},
       {"last_reply=18990 last_answered_sent=18980", "last_reply=12195 last_answered_sent=12190"}});
  const Report r = Run(dead);
  EXPECT_FALSE(r.outage.has_value());
  ASSERT_TRUE(r.outage_open_since_ms.has_value());
  EXPECT_EQ(*r.outage_open_since_ms, 12190);
  EXPECT_THAT(ToJson(r), StartsWith("{\"outage_ms\":null,"));
}

// vmt7925 stamps its events with whole milliseconds ("[ s.mmm]"): the report keeps them
// exact (128.003 s is not 128002 ms, as truncating 128.003 * 1000 would give).
TEST_F(ReportTest, DeviceEventTimesAreExactMilliseconds) {
  RunFiles f;
  f.vmt_log = absl::StrReplaceAll(
      f.vmt_log, {{"[  12.210] vmt7925: fault fired", "[ 128.003] vmt7925: fault fired"}});
  f.timeline = absl::StrReplaceAll(f.timeline, {{"12000\troam", "127000\troam"}});
  const Report r = Run(f);
  ASSERT_TRUE(r.fault_ms.has_value());
  EXPECT_EQ(*r.fault_ms, 128003);
}

// A run directory with no files at all (the guest died before writing any): a report
// nonetheless, every measured field unknown.
TEST_F(ReportTest, EmptyRunDirectory) {
  const std::string json = Json(RunFiles{"", "", "", "", "", "", ""});
  EXPECT_THAT(json, StartsWith("{\"outage_ms\":null,\"mcu_timeouts\":0,\"fw_reloads\":0,"
                               "\"reassociated\":false,\"final_state\":\"unknown\",\"fault\":"
                               "null,"));
}

// The real roam-hang run (make rig-test, 2026-12-02, stock 6.12.95 mt7925u): one BSS_INFO_UPDATE
// timeout, one reload, the driver's forced disconnect mid-roam, connected at the end.
TEST_F(ReportTest, RealRoamHangRun) {
  const std::string dir = "rig/report/testdata/run.roam-hang.stock";
  std::ifstream probe(dir + "/timeline");
  ASSERT_TRUE(probe.good()) << "missing " << dir;
  const std::string json = BuildReport(dir, "roam-hang");
  EXPECT_THAT(json, StartsWith("{\"outage_ms\":4622,\"mcu_timeouts\":1,\"fw_reloads\":1,"
                               "\"reassociated\":true,\"final_state\":\"connected\","));
  const Report r = Analyze(ReadRunDir(dir, "roam-hang"));
  ASSERT_EQ(r.timeouts.size(), 1u);
  EXPECT_EQ(r.timeouts[0].cmd, 0x00020002u);
  EXPECT_EQ(r.timeouts[0].seq, 1);
  EXPECT_EQ(r.timeouts[0].t_ms, 124442);
  EXPECT_EQ(r.fault_kind, "hang");
  EXPECT_EQ(r.fault_ms, 121384);
  EXPECT_TRUE(r.driver_disconnect);
  EXPECT_EQ(r.disconnected_after_fault, 0);  // the supplicant logged no DISCONNECTED
  EXPECT_EQ(r.kernel_offset_ms, -28);
  ASSERT_EQ(r.roams.size(), 1u);
  ASSERT_TRUE(r.roams[0].gap.has_value());
  EXPECT_EQ(r.roams[0].gap->ms(), 4622);
  EXPECT_TRUE(r.roams[0].completed);
}

}  // namespace
}  // namespace rigreport
