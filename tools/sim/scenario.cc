// File: tools/sim/scenario.cc
//
// The scenarios of the recovery simulation (docs/reset.md): what the workload sends and how
// the simulated firmware misbehaves. Both host policies run the same ones.

#include "tools/sim/scenario.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "connac/mcu_ids.h"
#include "connac/reset.h"
#include "connac/testing/test_keys.h"
#include "connac/wire.h"

namespace connac::sim {

double Ms(Instant t) { return static_cast<double>(t.ns) / 1e6; }
Instant At(double ms) { return Instant{static_cast<int64_t>(ms * 1e6)}; }

MacAddr Mac(uint8_t a, uint8_t b) { return MacAddr{{0x02, 0x00, 0x00, 0x00, a, b}}; }
MacAddr Bssid(uint8_t link) { return Mac(0x01, link); }
MacAddr ApSta(uint8_t link) { return Mac(0x02, link); }

Cmd DevInfo() { return {CmdWord::Uni(uni::kDevInfoUpdate), {0, 0, 0, 0}, "DEV_INFO_UPDATE"}; }

Cmd BssInfo(uint8_t bss_idx) {
  return {CmdWord::Uni(uni::kBssInfoUpdate),
          {bss_idx, 0, 0, 0},
          absl::StrCat("BSS_INFO_UPDATE bss ", bss_idx)};
}

Cmd StaRec(uint8_t bss_idx, uint8_t wcid, bool remove) {
  // sta_req_hdr (wire::sta_req); a removal carries one STA_REC_REMOVE TLV.
  std::vector<uint8_t> p(wire::sta_req::kSize, 0);
  p[wire::sta_req::kBssIdx] = bss_idx;
  p[wire::sta_req::kWlanIdxLo] = wcid;
  p[wire::sta_req::kTlvNum] = remove ? 1 : 0;
  p[wire::sta_req::kIsTlvAppend] = 1;
  if (remove) {
    p.insert(p.end(), {static_cast<uint8_t>(wire::kStaRecRemoveTag), 0x00, 0x08, 0x00, 0, 0, 0, 0});
  }
  return {CmdWord::Uni(uni::kStaRecUpdate), p,
          absl::StrCat("STA_REC_UPDATE wcid ", wcid, remove ? " remove" : "")};
}

Cmd ScanReq() { return {CmdWord::Uni(uni::kScanReq), std::vector<uint8_t>(16, 0), "SCAN_REQ"}; }
Cmd MibQuery() { return {CmdWord::UniQuery(uni::kGetMibInfo), {0, 0, 0, 0}, "GET_MIB_INFO"}; }

KeyConf MakeKey(uint32_t suite_sel, uint8_t idx, int8_t link, uint8_t len) {
  return testing::PatternKey(suite_sel, idx, link, len,
                             static_cast<uint8_t>(0x40 + 16 * idx + (link < 0 ? 0 : 3 * link)));
}

std::vector<KeyConf> SetupKeys(int links) {
  std::vector<KeyConf> keys = {MakeKey(suite::kCcmp, 0, -1, 16)};
  for (int l = 0; l < links; ++l) {
    keys.push_back(MakeKey(suite::kCcmp, 1, static_cast<int8_t>(l), 16));
    keys.push_back(MakeKey(suite::kAesCmac, 4, static_cast<int8_t>(l), 16));
  }
  return keys;
}

Item C(Cmd c) { return Item{Item::kCmd, std::move(c), {}, 0}; }

namespace {

Item W(double ms) {
  return Item{Item::kWork, {}, Duration::Nanos(static_cast<int64_t>(ms * 1e6)), 0};
}
Item TearDown(uint8_t link) { return Item{Item::kTearDownLink, {}, {}, link}; }
Item Join(uint8_t link) { return Item{Item::kJoinLink, {}, {}, link}; }

// Deterministic PRNG (splitmix64) for scenario jitter.
struct Rng {
  uint64_t s;
  uint64_t Next() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  double Uniform(double lo, double hi) {
    return lo + (hi - lo) * static_cast<double>(Next() >> 11) / 9007199254740992.0;
  }
};

}  // namespace

// DEV_INFO; per link BSS_INFO and STA_REC; then the keys: per link the BSS_INFO carrying the
// cipher before its first key (mt7925_set_link_key) and the pairwise key, then per link GTK
// and IGTK.
uint32_t SetupCommands(int links) {
  return 1 + 2 * static_cast<uint32_t>(links) + 4 * static_cast<uint32_t>(links);
}

std::string CalibrationNote(const Scenario& s) {
  return absl::StrFormat(
      "timing from %s: firmware reload %.2f s; mt76 model: disconnection %.2f s after the "
      "re-add, reassociation %.2f s. The model itself (3 s per command, the reset work after "
      "the mutex frees) matches both the rig's roam-hang and #1036's mlo-roam-hang within "
      "0.5 s per event (docs/rig.md)",
      s.mt76.source, static_cast<double>((s.fw.wfsys_time + s.fw.fw_load_time).ns) / 1e9,
      static_cast<double>(s.mt76.disconnect_delay.ns) / 1e9,
      static_cast<double>(s.mt76.reassoc_time.ns) / 1e9);
}

Scenario MakeScenario(const std::string& name, const Options& o) {
  Scenario s;
  s.fw.arm_after_cmds = SetupCommands(s.links);
  s.end = At(120000);
  Rng rng{o.seed};
  if (name == "mlo-roam-hang") {
    // #1036: the roam tears link 1 down, then BSS_INFO for it hangs the firmware. The
    // critical section then keeps the mutex for 3 s of other work and sends STA_REC,
    // BSS_INFO, BSS_INFO and DEV_INFO (timeouts at +0, +6.0, +9.2, +12.2, +15.2 in the log).
    s.fw.hang_on_bss_after_sta_remove = true;
    Section roam{At(10000), {}};
    roam.items = {TearDown(1), C(StaRec(1, 2, true)),  C(BssInfo(1)),
                  W(3000 - 2), C(StaRec(1, 2, false)), W(200),
                  Join(1),     C(BssInfo(1)),          C(BssInfo(1)),
                  C(DevInfo())};
    s.sections.push_back(roam);
  } else if (name == "roam-hang") {
    // The rig's roam-hang (docs/rig.md): one link, `wpa_cli roam` to the second AP, and the
    // firmware hangs at the roam's first command, a BSS_INFO_UPDATE. Nothing else is queued
    // under the mutex, so the stock driver pays one timeout before its reset work runs.
    // Timing measured on the rig (build/rig/roam-hang.stock.json, `make rig-test` on
    // 2026-12-02, stock 6.12.95 mt7925u), in ms after the hang:
    //   chip reset 3062 -> WFSYS reset reached the chip 3149: 87 ms (mt7925u_mac_reset)
    //   WFSYS 3149 -> "Firmware init done" 3509: 360 ms (the rig's 350 ms reload floor)
    //   firmware reloaded 3509 -> "Driver requested disconnection" 3642: 133 ms, less the
    //   re-add's two commands (2 ms each here)
    //   disconnection 3642 -> associated with the target AP 3770: 128 ms
    s.links = 1;
    s.fw.arm_after_cmds = SetupCommands(s.links);
    s.fw.hang_on_cmd_word = CmdWord::Uni(uni::kBssInfoUpdate).raw;
    s.fw.wfsys_time = Duration::Millis(87);
    s.fw.fw_load_time = Duration::Millis(360);
    s.mt76.disconnect_delay = Duration::Millis(133 - 4);
    s.mt76.reassoc_time = Duration::Millis(128);
    s.mt76.source = "the rig (stock 6.12 mt7925u, single-link roam-hang, 2026-12-02)";
    s.sections.push_back({At(10000), {C(BssInfo(0))}});
  } else if (name == "scan-timeout") {
    s.fw.hang_on_cmd_word = CmdWord::Uni(uni::kScanReq).raw;
    s.sections.push_back({At(10000), {C(ScanReq())}});
  } else if (name == "healthy-slow") {
    // 10 000 commands; the slow class (SCAN_REQ, GET_MIB_INFO) answers in up to 2.9 s.
    s.fw.slow_latency = Duration::Millis(2900);
    s.end = At(1e12);
    Section work{At(1000), {}};
    for (int i = 0; i < 10000; ++i) {
      if (i % 50 == 0) {
        work.items.push_back(C(ScanReq()));
      } else if (i % 10 == 0) {
        work.items.push_back(C(MibQuery()));
      } else {
        work.items.push_back(C(BssInfo(static_cast<uint8_t>(i % 2))));
      }
      work.items.push_back(W(rng.Uniform(0, 20)));
    }
    s.sections.push_back(std::move(work));
  } else if (name == "reset-step-fails") {
    s.fw.hang_on_cmd_word = CmdWord::Uni(uni::kBssInfoUpdate).raw;
    s.fw.step_failures[static_cast<size_t>(ResetStep::kWfsys)] = 2;
    s.sections.push_back({At(10000), {C(BssInfo(0))}});
  } else if (name == "crash-during-restore") {
    s.fw.hang_on_cmd_word = CmdWord::Uni(uni::kBssInfoUpdate).raw;
    s.fw.hang_in_restore_times = 1;
    s.sections.push_back({At(10000), {C(BssInfo(0))}});
  } else if (name == "fw-assert") {
    s.fw.assert_at_cmd = 1;  // the first command after the setup asserts
    s.sections.push_back({At(10000), {C(BssInfo(0)), C(StaRec(0, 1, false))}});
  } else if (name == "always-dead") {
    s.fw.hang_on_cmd_word = CmdWord::Uni(uni::kBssInfoUpdate).raw;
    s.fw.hang_in_restore_times = 0xffffffffu;
    s.end = At(600000);
    s.sections.push_back({At(10000), {C(BssInfo(0))}});
  }
  if (o.failed_wfsys_steps > 0) {
    s.fw.step_failures[static_cast<size_t>(ResetStep::kWfsys)] =
        static_cast<uint8_t>(o.failed_wfsys_steps);
  }
  if (o.hang_at_roam_cmd > 0) {
    s.fw.hang_on_bss_after_sta_remove = false;
    s.fw.hang_at_cmd = static_cast<uint32_t>(o.hang_at_roam_cmd);  // counted after the setup
  }
  if (o.hang_at_restore_cmd > 0) {
    s.fw.hang_in_restore_times = 1;
    s.fw.restore_hang_cmd = static_cast<uint32_t>(o.hang_at_restore_cmd);
  }
  return s;
}

}  // namespace connac::sim
