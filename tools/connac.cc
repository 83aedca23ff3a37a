// File: tools/connac.cc
//
// `connac`: the connac-core command-line tool.
//
//   connac encode --cmd=<word|name> --seq=<n> [--payload=<hex>] [--family=mt7925] [--wait=true]
//       One line: the whole host-to-device frame as lowercase hex.
//   connac decode --hex=<frame>
//       One line of JSON: the header fields and the decoded command name.
//   connac parse-response --cmd=<word> --seq=<n> --hex=<event> [--family=mt7925]
//       One line of JSON: {"verdict":"done","status":<int>}, {"verdict":"stale"} or
//       {"verdict":"malformed","reason":"..."}.
//   connac describe --cmd=<word|name>
//       One line of JSON: the command word's fields and mt76 name.
//   connac keys --script=<file|->
//       One JSON line per script operation: {"op":"...","ret":<errno>,"mcu":[{"cmd":...,
//       "wcid":...,"add":0|1,"key_id":...,"cipher_id":...,"hex":"<frame>"}...]} (docs/keys.md).
//   connac simulate --scenario=<name> --policy=<connac|mt76> [--seed=<n>] [--probe=true] [--json]
//       A recovery scenario on the firmware simulator (docs/reset.md): text, or one JSON object
//       {"first_unanswered_ms":...,"detected_ms":...,"fw_reloaded_ms":...,"restored_ms":...,
//       "outage_ms":...,"timeouts_paid":...,"resets":...,"false_resets":...,"keys_restored":...,
//       "keys_lost":...,"stale_keys":...,"final_state":"...","timeline":[...]}.
//   connac diagnose [FILE|-] [--json]
//       A kernel log (stdin when FILE is - or absent) as a decoded timeline, episodes and
//       findings; with --json one object {"devices":[...],"mcu_timeouts":[...],...}
//       (docs/diagnose.md).
//
// Bad input (unknown subcommand or flag, bad hex, out-of-range numbers, a frame that is not
// an MCU frame) prints one line "connac <sub>: <reason>" on stderr and exits 2. The output
// formats above are a public contract: extend them only by adding fields.

#include <cstdint>
#include <cstdio>
#include <optional>
#include <set>
#include <string>
#include <vector>
#include "absl/strings/string_view.h"

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "connac/family.h"
#include "connac/mcu_cmd.h"
#include "connac/mcu_frame.h"
#include "connac/mcu_response.h"
#include "tools/cli_util.h"
#include "tools/diagnose_cmd.h"
#include "tools/keys_cmd.h"
#include "tools/sim/simulate_cmd.h"

// Every flag is a string so that a bad value is this tool's error (exit 2), not Abseil's.
ABSL_FLAG(std::string, cmd, "",
          "command word (0x00020002, 00020002) or mt76 name (UNI_BSS_INFO_UPDATE)");
ABSL_FLAG(std::string, seq, "", "sequence number, 1..15");
ABSL_FLAG(std::string, payload, "", "payload bytes as hex");
ABSL_FLAG(std::string, hex, "", "frame or event bytes as hex");
ABSL_FLAG(std::string, family, "mt7925", "chip family profile: mt7921, mt7925 or mt7996");
ABSL_FLAG(std::string, wait, "true", "mt7996 only: the sender waits for a response (sets ACK)");
ABSL_FLAG(std::string, script, "", "key-slot script: a file, or - for stdin");
ABSL_FLAG(std::string, json, "false",
          "diagnose, simulate: print one JSON object (--json or --json=true)");
ABSL_FLAG(std::string, scenario, "", "simulate: scenario name (docs/reset.md)");
ABSL_FLAG(std::string, policy, "connac", "simulate: connac or mt76");
ABSL_FLAG(std::string, seed, "1", "simulate: seed for the scenario's jitter");
ABSL_FLAG(std::string, probe, "false", "simulate: connac liveness probe (true/false)");

namespace connac::cli {
namespace {

constexpr char kUsage[] =
    "usage:\n"
    "  connac encode --cmd=<word|name> --seq=<1..15> [--payload=<hex>] [--family=mt7925]\n"
    "  connac decode --hex=<frame>\n"
    "  connac parse-response --cmd=<word> --seq=<1..15> --hex=<event> [--family=mt7925]\n"
    "  connac describe --cmd=<word|name>\n"
    "  connac keys --script=<file|->\n"
    "  connac diagnose [FILE|-] [--json]\n"
    "  connac simulate --scenario=<name> --policy=<connac|mt76> [--seed=<n>] [--probe=true] "
    "[--json]\n";

struct Subcommand {
  absl::string_view name;
  std::set<absl::string_view> flags;
  int (*run)(absl::string_view);
  int max_positional;  // non-flag arguments allowed (diagnose's FILE), <= kMaxPositional
};

// The positional arguments CheckFlags accepted (a fixed array: globals stay trivially
// destructible).
constexpr int kMaxPositional = 1;
absl::string_view positional_args[kMaxPositional];
int num_positional = 0;

const Profile& FamilyFlag(absl::string_view sub) {
  const std::string f = absl::GetFlag(FLAGS_family);
  const Profile* p = ParseFamily(f);
  if (p == nullptr) Fail(sub, absl::StrCat("unknown --family '", f, "' (mt7921, mt7925, mt7996)"));
  return *p;
}

CmdWord CmdFlag(absl::string_view sub) {
  const std::string c = absl::GetFlag(FLAGS_cmd);
  if (c.empty()) Fail(sub, "--cmd is required");
  std::string why;
  std::optional<CmdWord> w = ParseCmd(c, &why);
  if (!w) Fail(sub, why);
  return *w;
}

uint8_t SeqFlag(absl::string_view sub) {
  const std::string s = absl::GetFlag(FLAGS_seq);
  if (s.empty()) Fail(sub, "--seq is required");
  int v = 0;
  if (!absl::SimpleAtoi(s, &v) || v < 1 || v > kMaxSeq) {
    Fail(sub, absl::StrCat("--seq must be 1..15 (4-bit, 0 is never used), got '", s, "'"));
  }
  return static_cast<uint8_t>(v);
}

std::vector<uint8_t> HexFlag(absl::string_view sub, absl::string_view flag, const std::string& text,
                             bool required) {
  if (text.empty() && required) Fail(sub, absl::StrCat("--", flag, " is required"));
  std::string why;
  std::optional<std::vector<uint8_t>> bytes = ParseHex(text, &why);
  if (!bytes) Fail(sub, absl::StrCat("--", flag, ": ", why));
  return *bytes;
}

int RunEncode(absl::string_view sub) {
  const Profile& p = FamilyFlag(sub);
  const CmdWord cmd = CmdFlag(sub);
  const uint8_t seq = SeqFlag(sub);
  const std::vector<uint8_t> payload = HexFlag(sub, "payload", absl::GetFlag(FLAGS_payload), false);
  const std::string wait = absl::GetFlag(FLAGS_wait);
  if (wait != "true" && wait != "false") Fail(sub, "--wait must be true or false");
  if (cmd.has_unknown_bits()) {
    Fail(sub,
         absl::StrFormat("command word 0x%08x sets bits above 20, which mt76 never uses", cmd.raw));
  }
  std::vector<uint8_t> out(HeaderSizeFor(cmd) + payload.size());
  FrameParams params;
  params.wait_response = wait == "true";
  Result<size_t> n = EncodeFrame(p, cmd, seq, ConstBytes(payload.data(), payload.size()),
                                 MutableBytes(out.data(), out.size()), params);
  if (!n.ok()) {
    Fail(sub, n.status() == Errno::kMsgSize
                  ? absl::StrFormat("payload of %d bytes makes the frame longer than 65535 bytes",
                                    payload.size())
                  : absl::StrCat("cannot encode: ", n.status().name()));
  }
  std::printf("%s\n", ToHex(out.data(), *n).c_str());
  return 0;
}

int RunDecode(absl::string_view sub) {
  const std::vector<uint8_t> f = HexFlag(sub, "hex", absl::GetFlag(FLAGS_hex), true);
  const char* reason = "";
  Result<DecodedFrame> d = DecodeFrame(ConstBytes(f.data(), f.size()), &reason);
  if (!d.ok()) Fail(sub, absl::StrCat("not an MCU command frame: ", reason));
  const DecodedFrame& x = *d;
  std::string j = absl::StrFormat(
      "{\"format\":\"%s\",\"cmd\":\"0x%08x\",\"name\":\"%s\",\"query\":%s,\"seq\":%d,"
      "\"len\":%d,\"tx_bytes\":%d,\"dw0\":\"0x%08x\",\"dw1\":\"0x%08x\",\"txd_generation\":\"%s\","
      "\"pkt_type\":\"0x%02x\",\"cid\":\"0x%02x\",\"s2d_index\":%d",
      x.uni ? "uni" : "legacy", x.cmd.raw, JsonEscape(CmdDisplayName(x.cmd)),
      x.cmd.query() ? "true" : "false", x.seq, x.len, x.tx_bytes, x.dw0, x.dw1, x.txd_generation,
      x.pkt_type, x.cid, x.s2d_index);
  if (x.uni) {
    absl::StrAppendFormat(&j, ",\"option\":\"0x%02x\",\"ack\":%s", x.option,
                          (x.option & uni_option::kAck) ? "true" : "false");
  } else {
    absl::StrAppendFormat(
        &j, ",\"pq_id\":\"0x%04x\",\"set_query\":%d,\"ext_cid\":\"0x%02x\",\"ext_cid_ack\":%d",
        x.pq_id, x.set_query, x.ext_cid, x.ext_cid_ack);
  }
  absl::StrAppendFormat(&j, ",\"payload_len\":%d,\"payload\":\"%s\"}", x.payload.size(),
                        ToHex(x.payload.data(), x.payload.size()));
  std::printf("%s\n", j.c_str());
  return 0;
}

int RunParseResponse(absl::string_view sub) {
  const Profile& p = FamilyFlag(sub);
  const CmdWord cmd = CmdFlag(sub);
  const uint8_t seq = SeqFlag(sub);
  const std::vector<uint8_t> ev = HexFlag(sub, "hex", absl::GetFlag(FLAGS_hex), true);
  const Response r = ParseResponse(p, cmd, seq, ConstBytes(ev.data(), ev.size()));
  switch (r.verdict) {
    case Verdict::kDone: std::printf("{\"verdict\":\"done\",\"status\":%d}\n", r.status); break;
    case Verdict::kStale: std::printf("{\"verdict\":\"stale\"}\n"); break;
    case Verdict::kMalformed:
      std::printf("{\"verdict\":\"malformed\",\"reason\":\"%s\"}\n", JsonEscape(r.reason).c_str());
      break;
  }
  return 0;
}

int RunDescribe(absl::string_view sub) {
  const CmdWord cmd = CmdFlag(sub);
  const CmdName n = DescribeCmd(cmd);
  std::printf(
      "{\"cmd\":\"0x%08x\",\"name\":\"%s\",\"kind\":\"%s\",\"known\":%s,\"id\":\"0x%02x\","
      "\"ext_id\":\"0x%02x\",\"query\":%s,\"uni\":%s,\"ce\":%s,\"wa\":%s,\"wm\":%s,"
      "\"unknown_bits\":%s}\n",
      cmd.raw, JsonEscape(CmdDisplayName(cmd)).c_str(), n.kind_name,
      n.name != nullptr ? "true" : "false", cmd.id(), cmd.ext_id(), cmd.query() ? "true" : "false",
      cmd.uni() ? "true" : "false", cmd.ce() ? "true" : "false", cmd.wa() ? "true" : "false",
      cmd.wm() ? "true" : "false", cmd.has_unknown_bits() ? "true" : "false");
  return 0;
}

int RunKeys(absl::string_view) { return RunKeysScript(absl::GetFlag(FLAGS_script)); }

int RunDiagnose(absl::string_view) {
  return RunDiagnoseCmd(num_positional == 0 ? "-" : positional_args[0], absl::GetFlag(FLAGS_json));
}

int RunSim(absl::string_view) {
  return RunSimulate(absl::GetFlag(FLAGS_scenario), absl::GetFlag(FLAGS_policy),
                     absl::GetFlag(FLAGS_seed), absl::GetFlag(FLAGS_probe),
                     absl::GetFlag(FLAGS_json));
}

const Subcommand kSubcommands[] = {
    {"encode", {"cmd", "seq", "payload", "family", "wait"}, RunEncode, 0},
    {"decode", {"hex"}, RunDecode, 0},
    {"parse-response", {"cmd", "seq", "hex", "family"}, RunParseResponse, 0},
    {"describe", {"cmd"}, RunDescribe, 0},
    {"keys", {"script"}, RunKeys, 0},
    {"diagnose", {"json"}, RunDiagnose, 1},
    {"simulate", {"scenario", "policy", "seed", "probe", "json"}, RunSim, 0},
};

// Checks flag names before Abseil sees them: Abseil exits 1 on an unknown flag, and this
// tool's contract is exit 2 with one line. Positional arguments (up to s.max_positional; "-"
// is stdin) are collected into positional_args and removed from argv.
void CheckFlags(const Subcommand& s, int* argc, char** argv) {
  int out = 1;
  bool only_positional = false;  // after "--"
  for (int i = 1; i < *argc; ++i) {
    absl::string_view a = argv[i];
    if (a == "--" && !only_positional) {
      only_positional = true;
      continue;
    }
    if (only_positional || a.size() < 2 || a[0] != '-') {
      if (num_positional >= s.max_positional) {
        Fail(s.name, absl::StrCat("unexpected argument '", a, "'"));
      }
      positional_args[num_positional++] = a;
      continue;
    }
    argv[out++] = argv[i];
    a.remove_prefix(a[1] == '-' ? 2 : 1);
    const absl::string_view name = a.substr(0, a.find('='));
    if (name == "help") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    }
    if (s.flags.count(name) == 0) Fail(s.name, absl::StrCat("unknown flag --", name));
    if (a.find('=') != absl::string_view::npos) continue;
    if (name == "json") {  // a presence flag: "--json" means --json=true, takes no value
      static char json_true[] = "--json=true";
      argv[out - 1] = json_true;
      continue;
    }
    if (i + 1 < *argc) argv[out++] = argv[++i];  // "--flag value"
  }
  *argc = out;
}

int Main(int argc, char** argv) {
  absl::SetProgramUsageMessage(kUsage);
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const absl::string_view name = argv[1];
  if (name == "--help" || name == "help" || name == "-h") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  for (const Subcommand& s : kSubcommands) {
    if (s.name != name) continue;
    // Drop the subcommand so Abseil sees only flags.
    std::vector<char*> args;
    args.push_back(argv[0]);
    for (int i = 2; i < argc; ++i) args.push_back(argv[i]);
    int n = static_cast<int>(args.size());
    CheckFlags(s, &n, args.data());
    absl::ParseCommandLine(n, args.data());
    return s.run(s.name);
  }
  Fail(name,
       "unknown subcommand (encode, decode, parse-response, describe, keys, diagnose, simulate)");
}

}  // namespace
}  // namespace connac::cli

int main(int argc, char** argv) { return connac::cli::Main(argc, argv); }
