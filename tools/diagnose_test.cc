// File: tools/diagnose_test.cc
//
// Tests for `connac diagnose` (tools/diagnose.h): one table row per recognition rule, the
// openwrt/mt76 #1036 report (golden JSON and text), scenario logs for episodes and load
// kinds, and bad input (garbage, NUL bytes, megabyte lines, truncation, CRLF, no timestamps).
// Logs live in tools/testdata/diagnose/.

#include "tools/diagnose.h"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"

namespace connac::diagnose {
namespace {

constexpr char kTestdata[] = "tools/testdata/diagnose/";

std::string ReadTestdata(absl::string_view name) {
  std::ifstream f(absl::StrCat(kTestdata, name), std::ios::binary);
  EXPECT_TRUE(f.good()) << "missing test file " << name;
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Runs the analyzer over `log`, fed in chunks of `chunk` bytes, and renders JSON.
std::string Json(absl::string_view log, size_t chunk = 1 << 20) {
  Analyzer a;
  for (size_t i = 0; i < log.size(); i += chunk) {
    a.Feed(log.data() + i, std::min(chunk, log.size() - i));
  }
  return RenderJson(a.Finish());
}

std::string Text(absl::string_view log) {
  Analyzer a;
  a.Feed(log.data(), log.size());
  return RenderText(a.Finish());
}

// ---- A small JSON syntax checker: the output must parse whatever the input was. --------

class JsonChecker {
 public:
  explicit JsonChecker(absl::string_view s) : s_(s) {}
  bool Ok() {
    Ws();
    if (!Value()) return false;
    Ws();
    return i_ == s_.size();
  }

 private:
  void Ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\t' || s_[i_] == '\r'))
      ++i_;
  }
  bool Lit(absl::string_view l) {
    if (s_.substr(i_, l.size()) != l) return false;
    i_ += l.size();
    return true;
  }
  bool String() {
    if (!Lit("\"")) return false;
    while (i_ < s_.size()) {
      const unsigned char c = static_cast<unsigned char>(s_[i_++]);
      if (c == '"') return true;
      if (c < 0x20 || c >= 0x7f) return false;  // the tool promises printable ASCII
      if (c == '\\') {
        if (i_ >= s_.size()) return false;
        const char e = s_[i_++];
        if (e == 'u') {
          i_ += 4;
        } else if (absl::string_view("\"\\/bfnrt").find(e) == absl::string_view::npos) {
          return false;
        }
      }
    }
    return false;
  }
  bool Number() {
    const size_t start = i_;
    if (i_ < s_.size() && s_[i_] == '-') ++i_;
    while (i_ < s_.size() && ((s_[i_] >= '0' && s_[i_] <= '9') || s_[i_] == '.' || s_[i_] == 'e' ||
                              s_[i_] == 'E' || s_[i_] == '+' || s_[i_] == '-')) {
      ++i_;
    }
    return i_ > start;
  }
  bool Value() {
    Ws();
    if (i_ >= s_.size()) return false;
    const char c = s_[i_];
    if (c == '{') return Container('}', true);
    if (c == '[') return Container(']', false);
    if (c == '"') return String();
    if (c == 't') return Lit("true");
    if (c == 'f') return Lit("false");
    if (c == 'n') return Lit("null");
    return Number();
  }
  bool Container(char close, bool object) {
    ++i_;
    Ws();
    if (i_ < s_.size() && s_[i_] == close) {
      ++i_;
      return true;
    }
    for (;;) {
      Ws();
      if (object) {
        if (!String()) return false;
        Ws();
        if (!Lit(":")) return false;
      }
      if (!Value()) return false;
      Ws();
      if (i_ < s_.size() && s_[i_] == ',') {
        ++i_;
        continue;
      }
      return Lit(absl::string_view(&close, 1));
    }
  }

  absl::string_view s_;
  size_t i_ = 0;
};

bool ValidJson(absl::string_view s) { return JsonChecker(s).Ok(); }

// ---- One row per rule --------------------------------------------------------------------

struct RuleCase {
  const char* desc;
  const char* log;
  std::vector<const char*> want;      // substrings of the JSON
  std::vector<const char*> not_want;  // substrings that must not appear
};

const RuleCase kRules[] = {
    // MCU timeouts, decoded by the core's tables.
    {"dmesg timeout: UNI word named by the core, seq and boot time kept",
     "[ 1447.723320] mt7925e 0000:c0:00.0: Message 00020002 (seq 12) timeout\n",
     {R"("mcu_timeouts":[{"t":1447.72332,"line":1,"device":"mt7925e 0000:c0:00.0","cmd":"0x00020002","name":"UNI BSS_INFO_UPDATE","seq":12,"kind":"UNI","known":true)",
      R"("time_base":"kernel")"},
     {}},
    {"00020001 is DEV_INFO_UPDATE (not 'possibly scan related')",
     "[1.0] mt7925e 0000:c0:00.0: Message 00020001 (seq 3) timeout\n",
     {R"("name":"UNI DEV_INFO_UPDATE","seq":3)"},
     {}},
    {"00020016 is SCAN_REQ",
     "[1.0] mt7925e 0000:c0:00.0: Message 00020016 (seq 3) timeout\n",
     {R"("name":"UNI SCAN_REQ")"},
     {}},
    {"EXT word (cid 0xED, ext id 0x5a) decoded",
     "[1.0] mt7915e 0000:01:00.0: Message 00005aed (seq 2) timeout\n",
     {R"("name":"EXT GET_MIB_INFO","seq":2,"kind":"EXT","known":true,"id":"0xed","ext_id":"0x5a")",
      R"("family":null)"},
     {}},
    {"CE query word decoded as REG_READ",
     "[1.0] mt7921e 0000:02:00.0: Message 000500c0 (seq 2) timeout\n",
     {R"("name":"CE REG_READ","seq":2,"kind":"CE","known":true,"id":"0xc0","ext_id":"0x00","query":true)"},
     {}},
    {"WA-routed EXT word keeps the WA bit",
     "[1.0] mt7915e 0000:01:00.0: Message 00085aed (seq 2) timeout\n",
     {R"("name":"EXT GET_MIB_INFO")", R"("wa":true)"},
     {}},
    {"mt7996 WM UNI word keeps the WM bit",
     "[1.0] mt7996e 0000:01:00.0: Message 00120002 (seq 2) timeout\n",
     {R"("name":"UNI BSS_INFO_UPDATE")", R"("wm":true)", R"("family":"mt7996")"},
     {}},
    {"legacy firmware-download word decoded",
     "[1.0] mt7921e 0000:02:00.0: Message 00000010 (seq 1) timeout\n",
     {R"("name":"CMD PATCH_SEM_CONTROL","seq":1,"kind":"CMD")"},
     {}},
    {"unknown UNI id: decoded as unknown with its fields, never dropped",
     "[1.0] mt7925e 0000:c0:00.0: Message 000200fe (seq 4) timeout\n",
     {R"j("cmd":"0x000200fe","name":"UNI unknown(0xfe)","seq":4,"kind":"UNI","known":false,"id":"0xfe")j",
      R"j("code":"unknown_command","text":"Message 000200fe is UNI unknown(0xfe): kind UNI, id 0xfe)j"},
     {}},
    {"word with bits above 20 kept and flagged",
     "[1.0] mt7925e 0000:c0:00.0: Message 80020002 (seq 4) timeout\n",
     {R"("cmd":"0x80020002")", R"("unknown_bits":true)", "bits above 20 are set"},
     {}},
    {"prose that mentions a command word is not a timeout",
     "  - 00020002 - Likely MCU_UNI_CMD_BSS_INFO or MCU_UNI_CMD_DEV_INFO\n"
     "Observe firmware timeout and recovery\n",
     {R"("mcu_timeouts":[])", R"("code":"nothing_recognised")"},
     {}},
    {"a Message line with trailing text is not a timeout",
     "[1.0] mt7925e 0000:c0:00.0: Message 00020002 (seq 4) timeout, retrying\n",
     {R"("mcu_timeouts":[])"},
     {}},
    {"a cut Message line is not a timeout",
     "[1.0] mt7925e 0000:c0:00.0: Message 000200\n",
     {R"("mcu_timeouts":[])"},
     {}},
    {"USB bus id is a device of its own (driver and bus kept apart)",
     "[1.0] mt7921u 2-1:1.3: Message 00040003 (seq 7) timeout\n",
     {R"({"device":"mt7921u 2-1:1.3","driver":"mt7921u","bus":"2-1:1.3","family":"mt7921")",
      R"("name":"CE START_HW_SCAN")"},
     {}},
    // Device names of every bus. dev_err() prints "<driver> <dev_name>: <msg>"
    // (dev_printk: dev_driver_string(), dev_name()); the driver string is the bound driver's
    // .name (mt76: KBUILD_MODNAME, mt7921/Makefile etc.; the platform drivers' .driver.name
    // in mt7615/soc.c and mt7915/soc.c). dev_name() per bus: PCI "%04x:%02x:%02x.%d"
    // (domain:bus:slot.fn), USB interface "<bus>-<port path>:<config>.<interface>", SDIO
    // function "<host>:<rca>:<fn>" (mmc card "mmcN:%04x", then ":%d"), DT platform device
    // "<unit address>.<node name>" (of_device_make_bus_id; the node is wmac@18000000 in
    // mt7622.dtsi, wifi@18000000 in mt7981b.dtsi / mt7986a.dtsi).
    {"bus PCI: mt7925e 0000:03:00.0",
     "[12.5] mt7925e 0000:03:00.0: Message 00020002 (seq 1) timeout\n",
     {R"({"device":"mt7925e 0000:03:00.0","driver":"mt7925e","bus":"0000:03:00.0","family":"mt7925")"},
     {}},
    {"bus USB: mt7921u 2-1:1.0",
     "[12.5] mt7921u 2-1:1.0: Message 00040003 (seq 7) timeout\n",
     {R"({"device":"mt7921u 2-1:1.0","driver":"mt7921u","bus":"2-1:1.0","family":"mt7921")"},
     {}},
    {"bus USB behind a hub: mt7925u 4-1.3:1.0",
     "[12.5] mt7925u 4-1.3:1.0: Message 00020002 (seq 2) timeout\n",
     {R"({"device":"mt7925u 4-1.3:1.0","driver":"mt7925u","bus":"4-1.3:1.0","family":"mt7925")"},
     {}},
    {"bus SDIO: mt7921s mmc1:0001:1",
     "[12.5] mt7921s mmc1:0001:1: Message 00020002 (seq 3) timeout\n",
     {R"({"device":"mt7921s mmc1:0001:1","driver":"mt7921s","bus":"mmc1:0001:1","family":"mt7921")",
      R"("device":"mt7921s mmc1:0001:1","cmd":"0x00020002")"},
     {}},
    {"bus SDIO, mt7663s (mt7615 family, no core profile)",
     "[12.5] mt7663s mmc0:0001:1: Message 000000ed (seq 3) timeout\n",
     {R"({"device":"mt7663s mmc0:0001:1","driver":"mt7663s","bus":"mmc0:0001:1","family":null)"},
     {}},
    {"platform MT7622: mt7622-wmac 18000000.wmac (hyphen in the driver name)",
     "[74118.5] mt7622-wmac 18000000.wmac: Message 00005aed (seq 9) timeout\n",
     {R"({"device":"mt7622-wmac 18000000.wmac","driver":"mt7622-wmac","bus":"18000000.wmac","family":null)",
      R"("device":"mt7622-wmac 18000000.wmac","cmd":"0x00005aed","name":"EXT GET_MIB_INFO")"},
     {R"("code":"nothing_recognised")"}},
    {"platform MT7981/MT7986: mt798x-wmac 18000000.wifi, a hang recovered by a reload",
     "[100.0] mt798x-wmac 18000000.wifi: Message 00005aed (seq 9) timeout\n"
     "[103.0] mt798x-wmac 18000000.wifi: Message 00085aed (seq 10) timeout\n"
     "[104.0] mt798x-wmac 18000000.wifi: HW/SW Version: 0x8a108a10, Build Time: 20240823160000a\n"
     "[104.2] mt798x-wmac 18000000.wifi: WM Firmware Version: ____000000, Build Time: "
     "20240823160101\n",
     {R"({"device":"mt798x-wmac 18000000.wifi","driver":"mt798x-wmac","bus":"18000000.wifi","family":null)",
      R"("episodes":[{"device":"mt798x-wmac 18000000.wifi","first_timeout_t":100,"timeouts":2,"fw_reload_t":104,"reconnected_t":null,"verdict":"recovered")"},
     {}},
    {"platform device in OpenWrt logread",
     "Fri May 10 11:40:12 2024 kern.err kernel: [74118.579123] mt798x-wmac 18000000.wifi: "
     "Message 00005aed (seq 9) timeout\n",
     {R"("mcu_timeouts":[{"t":74118.579123,"line":1,"device":"mt798x-wmac 18000000.wifi")"},
     {}},
    {"platform device with an interface (netdev_printk: driver, device, interface)",
     "[5.0] mt7622-wmac 18000000.wmac wlan1: renamed from wlan0\n"
     "[9.0] wlan1: associated\n",
     {R"({"device":"mt7622-wmac 18000000.wmac","driver":"mt7622-wmac","bus":"18000000.wmac","family":null,"interfaces":["wlan1"])"},
     {}},
    {"MT7628 on-chip (mt7603/soc.c): mt76_wmac 10300000.wmac",
     "[5.0] mt76_wmac 10300000.wmac wlan0: renamed from wlan1\n",
     {R"({"device":"mt76_wmac 10300000.wmac","driver":"mt76_wmac","bus":"10300000.wmac")"},
     {}},
    // wiphy_info()/wiphy_err() print "ieee80211 phyN: <msg>" (the wiphy's class name and
    // name): firmware debug text (mt7921/mcu.c, mt7925/mcu.c) and mac80211's "Hardware
    // restart was requested". Nothing on such a line ties phyN to a bus device and no rule
    // reads them, so they are skipped, not taken for a device or an interface.
    {"ieee80211 phyN lines are not devices",
     "[5.0] ieee80211 phy0: Hardware restart was requested\n"
     "[5.1] ieee80211 phy0: Message 00020002 (seq 1) timeout\n",
     {R"("devices":[])", R"("mcu_timeouts":[])", R"("code":"nothing_recognised")"},
     {}},
    // A name that merely starts like an mt76 driver but is not followed by "<bus>: ".
    {"hyphenated word without a bus id is not a device",
     "[5.0] mt7622-wmac: probe of 18000000.wmac failed with error -2\n",
     {R"("devices":[])"},
     {}},
    // Firmware loads.
    {"first load (patch then WM line) is a boot load with both build times",
     "[5.0] mt7925e 0000:c0:00.0: HW/SW Version: 0x8a108a10, Build Time: 20250721232852a\n"
     "[5.1] mt7925e 0000:c0:00.0: WM Firmware Version: ____000000, Build Time: 20250721232943\n",
     {R"("fw_loads":[{"t":5,"line":1,"device":"mt7925e 0000:c0:00.0","kind":"boot","build":"20250721232943","patch_build":"20250721232852a"}])"},
     {}},
    {"a WM line alone is one load",
     "[5.0] mt7996e 0000:01:00.0: WM Firmware Version: ____000000, Build Time: 20240411123817\n",
     {R"("kind":"boot","build":"20240411123817","patch_build":"")"},
     {}},
    {"ASIC revision before the first load: boot",
     "[4.0] mt7921e 0000:02:00.0: ASIC revision: 79610010\n"
     "[5.0] mt7921e 0000:02:00.0: WM Firmware Version: ____010000, Build Time: 20230627143946\n",
     {R"("kind":"boot")", R"("event":"asic_revision","value":"79610010")"},
     {R"("code":"reprobe")"}},
    {"ASIC revision before a later load: reprobe",
     "[4.0] mt7921e 0000:02:00.0: WM Firmware Version: ____010000, Build Time: 20230627143946\n"
     "[90.0] mt7921e 0000:02:00.0: ASIC revision: 79610010\n"
     "[91.0] mt7921e 0000:02:00.0: WM Firmware Version: ____010000, Build Time: 20230627143946\n",
     {R"("kind":"boot")", R"("kind":"reprobe")", R"("code":"reprobe")"},
     {}},
    {"a reload with no timeout and no ASIC line: recovery, explained",
     "[4.0] mt7925e 0000:c0:00.0: WM Firmware Version: ____000000, Build Time: 20250721232943\n"
     "[90.0] mt7925e 0000:c0:00.0: WM Firmware Version: ____000000, Build Time: 20250721232943\n",
     {R"("kind":"recovery")", R"("code":"reload_without_timeouts")"},
     {R"("episodes":[{)"}},
    // Episodes.
    {"timeouts then a reload: one recovered episode",
     "[10.0] mt7925e 0000:c0:00.0: Message 00020002 (seq 1) timeout\n"
     "[13.0] mt7925e 0000:c0:00.0: Message 00020003 (seq 2) timeout\n"
     "[13.5] mt7925e 0000:c0:00.0: WM Firmware Version: ____000000, Build Time: 20250721232943\n",
     {R"("episodes":[{"device":"mt7925e 0000:c0:00.0","first_timeout_t":10,"timeouts":2,"fw_reload_t":13.5,"reconnected_t":null,"verdict":"recovered")",
      R"("kind":"recovery")",
      R"("code":"timeouts_before_reset","text":"2 timeouts paid before the reset)"},
     {}},
    {"one SCAN_REQ timeout reloaded in 0.5 s: no slow-fail finding",
     "[10.0] mt7925e 0000:c0:00.0: Message 00020016 (seq 1) timeout\n"
     "[10.5] mt7925e 0000:c0:00.0: WM Firmware Version: ____000000, Build Time: 20250721232943\n",
     {R"("timeouts":1,"fw_reload_t":10.5)", R"("reload_after_s":0.5)"},
     {"timeouts_before_reset"}},
    {"chip reset failed closes the episode as reset_failed",
     "[10.0] mt7925e 0000:c0:00.0: Message 00020002 (seq 1) timeout\n"
     "[10.1] mt7925e 0000:c0:00.0: chip reset failed\n",
     {R"("fw_reload_t":null,"reconnected_t":null,"verdict":"reset_failed","end":"reset_failed","end_t":10.1)",
      R"("code":"episode_reset_failed")"},
     {}},
    {"chip reset failed with no timeout: explained on its own",
     "[10.1] mt7925e 0000:c0:00.0: chip reset failed\n",
     {R"("episodes":[])", R"("code":"chip_reset_failed")"},
     {}},
    {"the log ends before a reload: unrecovered",
     "[10.0] mt7925e 0000:c0:00.0: Message 00020002 (seq 1) timeout\n",
     {R"("verdict":"unrecovered","end":"end_of_log","end_t":null)",
      R"("code":"episode_unrecovered")"},
     {}},
    {"associated after the reload: reconnected_t and reconnect_after_s",
     "[10.0] mt7925e 0000:c0:00.0: Message 00020002 (seq 1) timeout\n"
     "[11.0] mt7925e 0000:c0:00.0: WM Firmware Version: ____000000, Build Time: 20250721232943\n"
     "[11.9] wlp192s0: Driver requested disconnection from AP d8:b3:70:f8:89:4f\n"
     "[20.0] wlp192s0: associated\n",
     {R"("fw_reload_t":11,"reconnected_t":20,"verdict":"recovered")", R"("reconnect_after_s":10)",
      "forced a reconnection", R"("event":"driver_disconnect","ap":"d8:b3:70:f8:89:4f")"},
     {R"("code":"driver_disconnect")"}},
    {"associated while the firmware is hung does not count as reconnection",
     "[10.0] mt7925e 0000:c0:00.0: Message 00020002 (seq 1) timeout\n"
     "[11.0] wlp192s0: associated\n",
     {R"("reconnected_t":null,"verdict":"unrecovered")"},
     {}},
    {"mac_reset not supported (MT7927 patch)",
     "[10.0] mt7925e 0000:05:00.0: MT7927 mac_reset not supported, reload module to recover\n",
     {R"("event":"mac_reset_unsupported")", R"("code":"mac_reset_unsupported")"},
     {}},
    {"chip reset (dev_dbg) recorded",
     "[10.0] mt7925e 0000:05:00.0: chip reset\n",
     {R"("event":"chip_reset")"},
     {}},
    {"Timeout for initializing firmware: the load before it failed, the episode stays open",
     "[10.0] mt7925u 1-1:1.0: Message 00020002 (seq 1) timeout\n"
     "[10.1] mt7925u 1-1:1.0: WM Firmware Version: VMT7925001, Build Time: 20261201000000\n"
     "[12.8] mt7925u 1-1:1.0: Timeout for initializing firmware\n"
     "[13.0] mt7925u 1-1:1.0: WM Firmware Version: VMT7925001, Build Time: 20261201000000\n",
     {R"("event":"fw_init_timeout")", R"("code":"fw_init_timeout")",
      R"("fw_reload_t":13,"reconnected_t":null,"verdict":"recovered")"},
     {R"("fw_reload_t":10.1)", R"("code":"reload_without_timeouts")"}},
    {"timed out waiting for pending tx (USB)",
     "[10.0] mt7921u 2-1:1.3: timed out waiting for pending tx\n",
     {R"("event":"pending_tx_timeout")", R"("code":"pending_tx_timeout")"},
     {}},
    // mac80211 key errors.
    {"failed to remove key: idx, address, errno name, GTK",
     "[1.0] wlp192s0: failed to remove key (1, ff:ff:ff:ff:ff:ff) from hardware (-22)\n",
     {R"("key_errors":[{"t":1,"line":1,"iface":"wlp192s0","op":"remove","idx":1,"key":"GTK","addr":"ff:ff:ff:ff:ff:ff","err":-22,"errno":"EINVAL","during_roam":false}])",
      "PR #1030 returns -EINVAL (this -22) and PR #1037 returns 0"},
     {"during the roam"}},
    {"key removal during a roam says so",
     "[1.0] wlp192s0: disconnect from AP d8:b3:70:f8:9e:7b for new auth to d8:b3:70:f8:89:4f\n"
     "[1.1] wlp192s0: failed to remove key (4, ff:ff:ff:ff:ff:ff) from hardware (-22)\n",
     {R"("key":"IGTK")", R"("during_roam":true)", "during the roam"},
     {}},
    {"BIGTK index named",
     "[1.0] wlp192s0: failed to remove key (6, ff:ff:ff:ff:ff:ff) from hardware (-5)\n",
     {R"("idx":6,"key":"BIGTK")", R"("errno":"EIO")", "mac80211 only logs a failed removal"},
     {}},
    {"failed to set key: pairwise, ENOSPC, software fallback explained",
     "[1.0] wlp192s0: failed to set key (0, d8:b3:70:f8:9e:7b) to hardware (-28)\n",
     {R"("op":"set","idx":0,"key":"PTK","addr":"d8:b3:70:f8:9e:7b","err":-28,"errno":"ENOSPC")",
      R"("code":"key_set_failed")", "software crypto"},
     {}},
    // Connection events.
    {"comeback with the newer '(N ms)' suffix",
     "[1.0] wlp192s0: d8:b3:70:f8:89:4f rejected association temporarily; comeback duration 898 TU "
     "(919 ms)\n",
     {R"("event":"assoc_comeback","ap":"d8:b3:70:f8:89:4f","comeback_tu":898)", "919 ms"},
     {}},
    {"authentication timeout",
     "[1.0] wlp192s0: authentication with d8:b3:70:f8:89:4f timed out\n",
     {R"("event":"auth_timeout")", R"("code":"auth_timeout")"},
     {}},
    {"connection lost",
     "[1.0] wlp192s0: Connection to AP d8:b3:70:f8:89:4f lost\n",
     {R"("event":"connection_lost")", R"("code":"connection_lost")"},
     {}},
    {"MLO links of an association are collected",
     "[1.0] wlp192s0: [link 0] local address c8:a3:62:11:22:33, AP link address d8:b3:70:f8:89:4f "
     "(assoc)\n"
     "[1.0] wlp192s0: [link 2] local address c8:a3:62:11:22:35, AP link address d8:b3:70:f8:89:51\n"
     "[1.1] wlp192s0: associated\n",
     {R"("event":"mlo_link","link":0,"local":"c8:a3:62:11:22:33","ap":"d8:b3:70:f8:89:4f","assoc":true)",
      R"("event":"associated","links":[0,2])"},
     {}},
    {"renamed line ties the interface to its device",
     "[6.2] mt7925e 0000:c0:00.0 wlp192s0: renamed from wlan0\n",
     {R"("interfaces":["wlp192s0"])"},
     {}},
    {"Driver requested disconnection with no episode is explained on its own",
     "[1.0] wlp192s0: Driver requested disconnection from AP d8:b3:70:f8:89:4f\n",
     {R"("code":"driver_disconnect")"},
     {}},
    // cfg80211/nl80211 errors (wpa_supplicant lines).
    {"link ID must for MLO group key: a cfg80211 error, not a driver one",
     "nl80211: kernel reports: link ID must for MLO group key\n",
     {R"("cfg80211_errors":[{"t":null,"line":1,"code":"link_id_required","message":"link ID must for MLO group key"}])",
      "not a driver error"},
     {}},
    {"Error fetching BSS for link",
     "Jan 01 00:51:22 wpa_supplicant[812]: nl80211: kernel reports: Error fetching BSS for link\n",
     {R"("code":"bss_for_link")", R"("code":"cfg80211_bss_for_link")"},
     {}},
    {"link ID not allowed for pairwise key",
     "nl80211: kernel reports: link ID not allowed for pairwise key\n",
     {R"("code":"cfg80211_link_id_pairwise")"},
     {}},
    {"link ID not allowed for non-MLO group key",
     "nl80211: kernel reports: link ID not allowed for non-MLO group key\n",
     {R"("code":"cfg80211_link_id_non_mlo")"},
     {}},
    // Line formats and times.
    {"journald with host and pid tag: wall clock relative to the first line",
     "May 10 11:40:00 tux NetworkManager[700]: <info> device (wlp192s0): state change\n"
     "May 10 11:40:04 tux kernel: mt7925e 0000:c0:00.0: Message 00020002 (seq 1) timeout\n",
     {R"("t":4,"line":2)", R"("time_base":"wall_clock","time_origin":"May 10 11:40:00")"},
     {}},
    {"journald short-precise fractions",
     "Jan 01 00:51:21.250000 host kernel: mt7925e 0000:c0:00.0: Message 00020002 (seq 1) timeout\n"
     "Jan 01 00:51:22.750000 host kernel: mt7925e 0000:c0:00.0: Message 00020002 (seq 2) timeout\n",
     {R"("t":0,)", R"("t":1.5,)"},
     {}},
    {"year-less syslog across New Year stays monotonic",
     "Dec 31 23:59:59 host kernel: mt7925e 0000:c0:00.0: Message 00020002 (seq 1) timeout\n"
     "Jan 01 00:00:02 host kernel: mt7925e 0000:c0:00.0: Message 00020002 (seq 2) timeout\n",
     {R"("t":3,"line":2)"},
     {}},
    {"ISO timestamp with a UTC offset",
     "2024-05-10T11:40:04.500000+02:00 tux kernel: mt7925e 0000:c0:00.0: Message 00020002 (seq 1) "
     "timeout\n"
     "2024-05-10T09:40:06Z tux kernel: mt7925e 0000:c0:00.0: Message 00020002 (seq 2) timeout\n",
     {R"("t":1.5,"line":2)", R"("time_origin":"2024-05-10T11:40:04.500000+02:00")"},
     {}},
    {"OpenWrt logread with the kernel timestamp after the tag",
     "Fri May 10 11:40:04 2024 kern.err kernel: [74118.579123] mt7925e 0000:c0:00.0: Message "
     "00020002 (seq 1) timeout\n",
     {R"("t":74118.579123)", R"("time_base":"kernel")"},
     {}},
    {"dmesg -T",
     "[Fri May 10 11:40:04 2024] mt7925e 0000:c0:00.0: Message 00020016 (seq 2) timeout\n"
     "[Fri May  10 11:40:05 2024] mt7925e 0000:c0:00.0: WM Firmware Version: ____000000, Build "
     "Time: 20250721232943\n",
     {R"("time_base":"wall_clock","time_origin":"Fri May 10 11:40:04 2024")", R"("fw_reload_t":1)"},
     {}},
    {"/dev/kmsg record",
     "3,1625,85156754845,-;mt7921u 4-1.3:1.0: timed out waiting for pending tx\n",
     {R"("t":85156.754845)", R"("device":"mt7921u 4-1.3:1.0")"},
     {}},
    {"journalctl -o short-monotonic",
     "[ 1447.723320] tux kernel: mt7925e 0000:c0:00.0: Message 00020002 (seq 1) timeout\n",
     {R"("t":1447.72332)"},
     {}},
    {"printk caller id and console priority are skipped",
     "<3>[ 1447.723320][  T1234] mt7925e 0000:c0:00.0: Message 00020002 (seq 1) timeout\n",
     {R"("t":1447.72332)", R"("name":"UNI BSS_INFO_UPDATE")"},
     {}},
    {"bare kernel message: recognised, t null",
     "mt7925e 0000:c0:00.0: Message 00020002 (seq 1) timeout\n",
     {R"("t":null)", R"("time_base":"none")", R"("code":"no_timestamps")"},
     {}},
};

class DiagnoseRule : public ::testing::TestWithParam<RuleCase> {};

TEST_P(DiagnoseRule, Recognised) {
  const RuleCase& c = GetParam();
  SCOPED_TRACE(c.desc);
  const std::string json = Json(c.log);
  EXPECT_TRUE(ValidJson(json)) << json;
  for (const char* w : c.want)
    EXPECT_NE(json.find(w), std::string::npos) << "want " << w << "\n" << json;
  for (const char* w : c.not_want) {
    EXPECT_EQ(json.find(w), std::string::npos) << "unwanted " << w << "\n" << json;
  }
  EXPECT_NE(Text(c.log).find("Findings\n"), std::string::npos);  // the text report renders too
}

INSTANTIATE_TEST_SUITE_P(Rules, DiagnoseRule, ::testing::ValuesIn(kRules),
                         [](const ::testing::TestParamInfo<RuleCase>& info) {
                           return absl::StrCat("Rule", info.index);
                         });

// ---- openwrt/mt76 #1036 ------------------------------------------------------------------

TEST(Diagnose1036, MatchesGoldenJsonAndText) {
  const std::string log = ReadTestdata("issue-1036.log");
  EXPECT_EQ(Json(log), ReadTestdata("issue-1036.json"));
  EXPECT_EQ(Text(log), ReadTestdata("issue-1036.txt"));
}

TEST(Diagnose1036, FiveTimeoutsOneRecoveredEpisode) {
  Analyzer a;
  const std::string log = ReadTestdata("issue-1036.log");
  a.Feed(log.data(), log.size());
  const Report& r = a.Finish();
  ASSERT_EQ(r.devices.size(), 1u);
  EXPECT_EQ(r.devices[0].id, "mt7925e 0000:c0:00.0");
  ASSERT_EQ(r.timeouts.size(), 5u);
  const uint32_t words[] = {0x00020002, 0x00020003, 0x00020002, 0x00020002, 0x00020001};
  const int seqs[] = {12, 13, 14, 15, 1};
  const double times[] = {8, 14, 17, 20, 23};  // seconds since 00:51:21, the first line
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(r.timeouts[i].cmd.raw, words[i]);
    EXPECT_EQ(r.timeouts[i].seq, seqs[i]);
    EXPECT_EQ(r.T(r.timeouts[i].at), times[i]);
  }
  ASSERT_EQ(r.episodes.size(), 1u);
  EXPECT_EQ(r.episodes[0].timeouts, 5);
  EXPECT_EQ(r.episodes[0].verdict(), Verdict::kRecovered);
  EXPECT_EQ(r.T(r.episodes[0].end_at), 23);
  ASSERT_EQ(r.loads.size(), 1u);
  EXPECT_EQ(r.loads[0].kind, LoadKind::kRecovery);
  EXPECT_EQ(r.loads[0].build.view(), "20250721232943");
  ASSERT_EQ(r.key_errors.size(), 2u);
  EXPECT_TRUE(r.key_errors[0].during_roam);
  EXPECT_EQ(r.cfg80211.size(), 4u);  // BSS for link, 3x link ID must
  EXPECT_EQ(r.time_base, TimeBase::kWallClock);
  EXPECT_EQ(r.time_origin, "Jan 01 00:51:21");
}

TEST(Diagnose1036, TextNamesCommandsAndExplainsErrors) {
  const std::string text = Text(ReadTestdata("issue-1036.log"));
  for (const char* want : {
           "UNI BSS_INFO_UPDATE x3, UNI STA_REC_UPDATE, UNI DEV_INFO_UPDATE",
           "5 timeouts paid before the reset: the driver does not fail pending commands fast",
           "idx 1 = GTK, idx 4 = IGTK",
           "PR #1030 returns -EINVAL (this -22) and PR #1037 returns 0",
           "\"link ID must for MLO group key\" (x3)",
           "\"Error fetching BSS for link\"",
           "not a driver error",
           "1. mt7925e 0000:c0:00.0: recovered",
       }) {
    EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text;
  }
}

// The whole issue as pasted (prose, headings, "00020002 - Likely ..." guesses): the same
// result as the bare log lines.
TEST(Diagnose1036, WholeReportWithProse) {
  Analyzer a;
  const std::string report = ReadTestdata("issue-1036-report.txt");
  a.Feed(report.data(), report.size());
  const Report& r = a.Finish();
  EXPECT_EQ(r.total_timeouts, 5);
  ASSERT_EQ(r.episodes.size(), 1u);
  EXPECT_EQ(r.episodes[0].verdict(), Verdict::kRecovered);
  EXPECT_EQ(r.total_key_errors, 2);
  EXPECT_EQ(r.cfg80211.size(), 4u);
  EXPECT_EQ(r.devices.size(), 1u);
}

// ---- Scenario logs -----------------------------------------------------------------------

TEST(DiagnoseScenarios, Jan13RecoveryWithMloReassociation) {
  const std::string json = Json(ReadTestdata("jan13-synthetic.dmesg"));
  for (
      const char* want : {
          R"("kind":"boot")",
          R"("kind":"recovery")",
          R"("first_timeout_t":1800.012345,"timeouts":5,"fw_reload_t":1815.412345,"reconnected_t":1832.012345,"verdict":"recovered")",
          R"("reload_after_s":15.4,"reconnect_after_s":32)",
          R"("event":"associated","links":[0,1,2])",
          R"("interfaces":["wlp192s0"])",
          R"("code":"hang_after_assoc_failure","text":"The first timeout came 2 s after an association timeout)",
          "forced a reconnection",
      }) {
    EXPECT_NE(json.find(want), std::string::npos) << want << "\n" << json;
  }
}

TEST(DiagnoseScenarios, TwoDevicesKeptApart) {
  Analyzer a;
  const std::string log = ReadTestdata("multi-device.log");
  a.Feed(log.data(), log.size());
  const Report& r = a.Finish();
  ASSERT_EQ(r.devices.size(), 2u);
  EXPECT_EQ(r.devices[0].id, "mt7925e 0000:bf:00.0");
  EXPECT_EQ(r.devices[1].id, "mt7921u 2-1:1.3");
  ASSERT_EQ(r.episodes.size(), 2u);
  // The USB device recovered and its interface reassociated 4 s after the timeout.
  EXPECT_EQ(r.devices[r.episodes[0].dev].id, "mt7921u 2-1:1.3");
  EXPECT_EQ(r.episodes[0].verdict(), Verdict::kRecovered);
  EXPECT_TRUE(r.episodes[0].reconnected);
  EXPECT_EQ(*r.T(r.episodes[0].reconnected_at) - *r.T(r.episodes[0].first), 4);
  // The PCIe device's hang is not closed by the other device's load or association.
  EXPECT_EQ(r.devices[r.episodes[1].dev].id, "mt7925e 0000:bf:00.0");
  EXPECT_EQ(r.episodes[1].verdict(), Verdict::kUnrecovered);
  EXPECT_FALSE(r.episodes[1].reconnected);
  EXPECT_EQ(r.episodes[1].timeouts, 2);
}

TEST(DiagnoseScenarios, ResetFailedThenNewEpisode) {
  const std::string json = Json(ReadTestdata("reset-failed.dmesg"));
  EXPECT_NE(
      json.find(R"("timeouts":2,"fw_reload_t":null,"reconnected_t":null,"verdict":"reset_failed")"),
      std::string::npos)
      << json;
  EXPECT_NE(
      json.find(R"("timeouts":1,"fw_reload_t":null,"reconnected_t":null,"verdict":"unrecovered")"),
      std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("mac_reset not supported\" (x10))"), std::string::npos) << json;
}

TEST(DiagnoseScenarios, ReprobeAfterHangIsNotARecovery) {
  const std::string json = Json(ReadTestdata("reprobe.dmesg"));
  EXPECT_NE(json.find(R"("verdict":"unrecovered","end":"reprobe","end_t":200.5)"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("kind":"reprobe")"), std::string::npos) << json;
}

TEST(DiagnoseScenarios, OpenWrtUserspaceLineMappedToBootTime) {
  const std::string json = Json(ReadTestdata("openwrt-logread.log"));
  // wpa_supplicant's line has only the wall clock; the kernel lines give wall - boot.
  EXPECT_NE(json.find(R"("cfg80211_errors":[{"t":74116.1,"line":2,"code":"link_id_invalid")"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("verdict":"recovered")"), std::string::npos) << json;
  // mt7996 fails waiters fast: the mt792x slow-fail explanation does not apply.
  EXPECT_EQ(json.find("timeouts_before_reset"), std::string::npos) << json;
}

// ---- Cross-check against the rig ---------------------------------------------------------
//
// The guest kernel logs of the stock Debian 6.12.95 mt7925u on the rig's virtual MT7925
// (build/rig/<scenario>.stock.log of a `make rig-test` run on 2026-12-02, docs/rig.md),
// verbatim. The expected MCU timeouts and firmware reloads are the rig's own report of the
// same run (build/rig/<scenario>.stock.json: mcu_timeout_list, fw_reloads,
// fw_reload_failures), which reads the device side as well as the log.

struct RigCase {
  const char* scenario;
  std::vector<CmdSeq> timeouts;  // mcu_timeout_list: cmd, seq
  int fw_reloads;                // fw_reloads: firmware downloads after the boot's
  int fw_reload_failures;        // fw_reload_failures
};

const RigCase kRigCases[] = {
    {"roam-hang", {{CmdWord{0x00020002}, 1}}, 1, 0},
    {"roam-hang-reset-fails", {{CmdWord{0x00020002}, 1}}, 2, 1},
    {"idle-hang", {{CmdWord{0x00020016}, 15}}, 1, 0},
    {"assert", {}, 1, 0},
    {"roam-clean", {}, 0, 0},
};

TEST(DiagnoseRig, FindsTheRigReportsTimeoutsAndReloads) {
  for (const RigCase& c : kRigCases) {
    SCOPED_TRACE(c.scenario);
    Analyzer a;
    const std::string log = ReadTestdata(absl::StrCat("rig-", c.scenario, ".stock.log"));
    a.Feed(log.data(), log.size());
    const Report& r = a.Finish();
    ASSERT_EQ(r.devices.size(), 1u);
    EXPECT_EQ(r.devices[0].id, "mt7925u 1-1:1.0");
    ASSERT_EQ(r.timeouts.size(), c.timeouts.size());
    for (size_t i = 0; i < c.timeouts.size(); ++i) {
      EXPECT_EQ(r.timeouts[i].cmd.raw, c.timeouts[i].cmd.raw) << "timeout " << i;
      EXPECT_EQ(r.timeouts[i].seq, c.timeouts[i].seq) << "timeout " << i;
    }
    int reloads = 0, boots = 0, failures = 0;
    for (const FwLoad& l : r.loads) {
      reloads += l.kind == LoadKind::kRecovery;
      boots += l.kind == LoadKind::kBoot;
    }
    for (const DeviceEvent& e : r.dev_events) failures += e.kind == EventKind::kFwInitTimeout;
    EXPECT_EQ(boots, 1);
    EXPECT_EQ(reloads, c.fw_reloads);
    EXPECT_EQ(failures, c.fw_reload_failures);
  }
}

// The first reload of roam-hang-reset-fails never reported ready: the episode ends at the
// second, and that reload is part of the reset, not one "without timeouts".
TEST(DiagnoseRig, FailedReloadDoesNotEndTheEpisode) {
  Analyzer a;
  const std::string log = ReadTestdata("rig-roam-hang-reset-fails.stock.log");
  a.Feed(log.data(), log.size());
  const Report& r = a.Finish();
  ASSERT_EQ(r.episodes.size(), 1u);
  EXPECT_EQ(r.episodes[0].verdict(), Verdict::kRecovered);
  EXPECT_EQ(r.T(r.episodes[0].end_at), 146.448469);
  EXPECT_TRUE(r.episodes[0].reconnected);
  for (const Finding& f : r.findings) EXPECT_NE(f.code, "reload_without_timeouts") << f.text;
}

// ---- Bad input ---------------------------------------------------------------------------

constexpr char kTimeoutLine[] =
    "[ 10.000000] mt7925e 0000:c0:00.0: Message 00020002 (seq 1) timeout";

TEST(DiagnoseBadInput, EmptyInput) {
  const std::string json = Json("");
  EXPECT_TRUE(ValidJson(json));
  EXPECT_NE(json.find(R"("code":"nothing_recognised")"), std::string::npos);
  EXPECT_NE(json.find(R"("lines":0)"), std::string::npos);
}

TEST(DiagnoseBadInput, BinaryGarbageThenARealLine) {
  std::string log;
  uint32_t x = 12345;
  for (int i = 0; i < (1 << 20); ++i) {
    x = x * 1103515245u + 12345u;
    log.push_back(static_cast<char>(x >> 24));
  }
  log += "\n";
  log += kTimeoutLine;
  log += "\n";
  const std::string json = Json(log, 4096);
  EXPECT_TRUE(ValidJson(json));
  EXPECT_NE(json.find(R"("name":"UNI BSS_INFO_UPDATE")"), std::string::npos);
  EXPECT_NE(json.find(R"("totals":{"mcu_timeouts":1,)"), std::string::npos);
}

TEST(DiagnoseBadInput, NulRunBeforeALine) {
  std::string log(4096, '\0');
  log += kTimeoutLine;
  log += "\n";
  const std::string json = Json(log);
  EXPECT_NE(json.find(R"("t":10,)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("nul_lines":1)"), std::string::npos) << json;
  EXPECT_NE(json.find("NUL bytes"), std::string::npos) << json;
}

TEST(DiagnoseBadInput, MegabyteLinesAreCutAndCounted) {
  std::string log = std::string(3 << 20, 'A') + "\n" + kTimeoutLine + "\n" +
                    std::string(kMaxLineBytes + 1, 'B') + "\n" + kTimeoutLine + "\n";
  for (size_t chunk : {size_t{1} << 20, size_t{65536}, size_t{4093}}) {
    SCOPED_TRACE(chunk);
    const std::string json = Json(log, chunk);
    EXPECT_NE(json.find(R"("long_lines":2,"long_line_bytes_skipped":)" +
                        std::to_string((3 << 20) - kMaxLineBytes + 1)),
              std::string::npos)
        << json;
    EXPECT_NE(json.find(R"("totals":{"mcu_timeouts":2,)"), std::string::npos) << json;
    EXPECT_NE(json.find(R"("lines":4,)"), std::string::npos) << json;
  }
}

TEST(DiagnoseBadInput, LineExactlyAtTheLimitIsWhole) {
  const std::string line = std::string(kMaxLineBytes, 'C');
  const std::string json = Json(line + "\n" + kTimeoutLine + "\n", 1000);
  EXPECT_NE(json.find(R"("long_lines":0)"), std::string::npos) << json;
}

TEST(DiagnoseBadInput, TruncatedLastLineIsStillAnalysed) {
  const std::string json = Json(kTimeoutLine);  // no '\n'
  EXPECT_NE(json.find(R"("name":"UNI BSS_INFO_UPDATE")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("unterminated_last_line":true)"), std::string::npos) << json;
}

TEST(DiagnoseBadInput, CrlfGivesTheSameReport) {
  const std::string log = ReadTestdata("issue-1036.log");
  const std::string crlf = absl::StrReplaceAll(log, {{"\n", "\r\n"}});
  std::string a = Json(log);
  std::string b = Json(crlf);
  // Only the byte count differs.
  const auto strip_bytes = [](std::string s) {
    const size_t at = s.find("\"bytes\":");
    return s.substr(0, at) + s.substr(s.find(',', at));
  };
  EXPECT_EQ(strip_bytes(a), strip_bytes(b));
}

TEST(DiagnoseBadInput, AnyChunkingGivesTheSameReport) {
  const std::string log = ReadTestdata("jan13-synthetic.dmesg");
  const std::string whole = Json(log);
  for (size_t chunk : {1, 2, 7, 64, 333}) {
    SCOPED_TRACE(chunk);
    EXPECT_EQ(Json(log, chunk), whole);
  }
}

TEST(DiagnoseBadInput, RecordsPastTheCapAreCountedNotListed) {
  std::string log;
  for (size_t i = 0; i < kMaxRecords + 5; ++i) {
    absl::StrAppend(&log, "[", i, ".0] mt7925e 0000:c0:00.0: Message 00020002 (seq 1) timeout\n");
  }
  Analyzer a;
  a.Feed(log.data(), log.size());
  const Report& r = a.Finish();
  EXPECT_EQ(r.timeouts.size(), kMaxRecords);
  EXPECT_EQ(r.total_timeouts, static_cast<int64_t>(kMaxRecords + 5));
  EXPECT_EQ(r.input.dropped, 5);
  ASSERT_EQ(r.episodes.size(), 1u);
  EXPECT_EQ(r.episodes[0].timeouts, static_cast<int64_t>(kMaxRecords + 5));
  const std::string text = RenderText(r);
  EXPECT_NE(text.find("and 9989 more"), std::string::npos);
  EXPECT_NE(text.find("more records (all of them are in --json)"), std::string::npos);
}

TEST(DiagnoseBadInput, TooManyDevicesAreCounted) {
  std::string log;
  for (size_t i = 0; i < kMaxDevices + 3; ++i) {
    absl::StrAppend(&log, "[1.0] mt7925e 0000:", i, ":00.0: Message 00020002 (seq 1) timeout\n");
  }
  Analyzer a;
  a.Feed(log.data(), log.size());
  const Report& r = a.Finish();
  EXPECT_EQ(r.devices.size(), kMaxDevices);
  EXPECT_EQ(r.input.dropped, 3);
}

// Random splices of real lines and garbage: never a crash, always valid JSON.
TEST(DiagnoseBadInput, SplicedLinesFuzz) {
  const std::string src = ReadTestdata("issue-1036-report.txt") +
                          ReadTestdata("jan13-synthetic.dmesg") +
                          ReadTestdata("openwrt-logread.log");
  uint32_t x = 7;
  auto next = [&x] {
    x = x * 1664525u + 1013904223u;
    return x >> 8;
  };
  for (int round = 0; round < 200; ++round) {
    std::string log;
    for (int piece = 0; piece < 20; ++piece) {
      const size_t at = next() % src.size();
      const size_t len = next() % 200;
      log += src.substr(at, len);
      if (next() % 4 == 0) log.push_back(static_cast<char>(next()));
    }
    const std::string json = Json(log, 1 + next() % 97);
    ASSERT_TRUE(ValidJson(json)) << json;
    EXPECT_NE(Text(log).find("Findings\n"), std::string::npos);
  }
}

}  // namespace
}  // namespace connac::diagnose
