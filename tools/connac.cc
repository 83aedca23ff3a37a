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
//       "keys_lost":...,"stale_keys":...,"final_state":"...","calibration":"...",
//       "timeline":[...]}; "calibration" says whether the timing is the rig's or #1036's.
//   connac diagnose [FILE|-] [--json]
//       A kernel log (stdin when FILE is - or absent) as a decoded timeline, episodes and
//       findings; with --json one object {"devices":[...],"mcu_timeouts":[...],...}
//       (docs/diagnose.md).
//
// Bad input (unknown subcommand or flag, a flag without its value, bad hex, out-of-range
// numbers, a frame that is not an MCU frame, an unreadable file) prints one line
// "connac <sub>: <reason>" on stderr, at most 200 bytes, quoting a short escaped prefix of
// the input, and exits 2. Output that cannot be written exits 1. docs/cli.md has the table.
// The output formats above are a public contract: extend them only by adding fields.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/strings/match.h"
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

// The flags. Values are views into argv, which lives until exit: a --payload or --hex that
// carries key bytes is never copied to the heap. Every value is a string, checked by the
// subcommand, so that a bad value is this tool's error (exit 2), never a flag library's.
enum Flag : int {
  kCmd,       // command word (0x00020002, 00020002) or mt76 name (UNI_BSS_INFO_UPDATE)
  kSeq,       // sequence number, 1..15
  kPayload,   // payload bytes as hex
  kHex,       // frame or event bytes as hex
  kFamily,    // chip family profile: mt7921, mt7925 or mt7996
  kWait,      // mt7996 only: the sender waits for a response (sets ACK)
  kScript,    // key-slot script: a file, or - for stdin
  kJson,      // diagnose, simulate: one JSON object; "--json" alone means --json=true
  kScenario,  // simulate: scenario name (docs/reset.md)
  kPolicy,    // simulate: connac or mt76
  kSeed,      // simulate: seed for the scenario's jitter
  kProbe,     // simulate: connac liveness probe (true/false)
  kNumFlags,
};

struct FlagInfo {
  absl::string_view name;
  absl::string_view default_value;
};
constexpr FlagInfo kFlagInfo[kNumFlags] = {
    {"cmd", ""},          {"seq", ""},          {"payload", ""}, {"hex", ""},
    {"family", "mt7925"}, {"wait", "true"},     {"script", ""},  {"json", "false"},
    {"scenario", ""},     {"policy", "connac"}, {"seed", "1"},   {"probe", "false"},
};

// Set once by ParseArgs (a fixed array: globals stay trivially destructible).
absl::string_view flag_value[kNumFlags];

absl::string_view GetFlag(Flag f) { return flag_value[f]; }

constexpr uint32_t Bit(Flag f) { return 1u << f; }

struct Subcommand {
  absl::string_view name;
  uint32_t flags;  // Bit() of each flag it takes
  int (*run)(absl::string_view);
  int max_positional;  // non-flag arguments allowed (diagnose's FILE), <= kMaxPositional
};

// The positional arguments ParseArgs accepted.
constexpr int kMaxPositional = 1;
absl::string_view positional_args[kMaxPositional];
int num_positional = 0;

const Profile& FamilyFlag(absl::string_view sub) {
  const absl::string_view f = GetFlag(kFamily);
  const Profile* p = ParseFamily(f);
  if (p == nullptr)
    Fail(sub, absl::StrCat("unknown --family ", Quote(f), " (mt7921, mt7925, mt7996)"));
  return *p;
}

CmdWord CmdFlag(absl::string_view sub) {
  const absl::string_view c = GetFlag(kCmd);
  if (c.empty()) Fail(sub, "--cmd is required");
  std::string why;
  std::optional<CmdWord> w = ParseCmd(c, &why);
  if (!w) Fail(sub, why);
  return *w;
}

uint8_t SeqFlag(absl::string_view sub) {
  const absl::string_view s = GetFlag(kSeq);
  if (s.empty()) Fail(sub, "--seq is required");
  int v = 0;
  bool digits = s.size() <= 2;
  for (char c : s) digits &= c >= '0' && c <= '9';
  if (!digits || !absl::SimpleAtoi(s, &v) || v < 1 || v > kMaxSeq) {
    Fail(sub, absl::StrCat("--seq must be 1..15 (4-bit, 0 is never used), got ", Quote(s)));
  }
  return static_cast<uint8_t>(v);
}

SecretBytes HexFlag(absl::string_view sub, Flag flag, bool required) {
  const absl::string_view text = GetFlag(flag);
  if (text.empty() && required) Fail(sub, absl::StrCat("--", kFlagInfo[flag].name, " is required"));
  std::string why;
  std::optional<SecretBytes> bytes = ParseHex(text, &why);
  if (!bytes) Fail(sub, absl::StrCat("--", kFlagInfo[flag].name, ": ", why));
  return std::move(*bytes);
}

int RunEncode(absl::string_view sub) {
  const Profile& p = FamilyFlag(sub);
  const CmdWord cmd = CmdFlag(sub);
  const uint8_t seq = SeqFlag(sub);
  const SecretBytes payload = HexFlag(sub, kPayload, false);
  const absl::string_view wait = GetFlag(kWait);
  if (wait != "true" && wait != "false") {
    Fail(sub, absl::StrCat("--wait must be true or false, got ", Quote(wait)));
  }
  if (cmd.has_unknown_bits()) {
    Fail(sub,
         absl::StrFormat("command word 0x%08x sets bits above 20, which mt76 never uses", cmd.raw));
  }
  SecretBytes out(HeaderSizeFor(cmd) + payload.size());
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
  SecretString line = ToHex(out.data(), *n);
  line += '\n';
  WriteOutput(sub, line);
  Wipe(&line);
  return 0;
}

int RunDecode(absl::string_view sub) {
  const SecretBytes f = HexFlag(sub, kHex, true);
  const char* reason = "";
  Result<DecodedFrame> d = DecodeFrame(ConstBytes(f.data(), f.size()), &reason);
  if (!d.ok()) Fail(sub, absl::StrCat("not an MCU command frame: ", reason));
  const DecodedFrame& x = *d;
  // The header fields hold no key bytes; the payload (a key frame's key) goes straight into
  // a SecretString.
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
  absl::StrAppendFormat(&j, ",\"payload_len\":%d,\"payload\":\"", x.payload.size());
  SecretString line(j.data(), j.size());
  AppendHex(x.payload.data(), x.payload.size(), &line);
  line += "\"}\n";
  WriteOutput(sub, line);
  Wipe(&line);
  return 0;
}

int RunParseResponse(absl::string_view sub) {
  const Profile& p = FamilyFlag(sub);
  const CmdWord cmd = CmdFlag(sub);
  const uint8_t seq = SeqFlag(sub);
  const SecretBytes ev = HexFlag(sub, kHex, true);
  const Response r = ParseResponse(p, cmd, seq, ConstBytes(ev.data(), ev.size()));
  switch (r.verdict) {
    case Verdict::kDone:
      WriteOutput(sub, absl::StrFormat("{\"verdict\":\"done\",\"status\":%d}\n", r.status));
      break;
    case Verdict::kStale: WriteOutput(sub, "{\"verdict\":\"stale\"}\n"); break;
    case Verdict::kMalformed:
      WriteOutput(sub, absl::StrCat("{\"verdict\":\"malformed\",\"reason\":\"",
                                    JsonEscape(r.reason), "\"}\n"));
      break;
  }
  return 0;
}

int RunDescribe(absl::string_view sub) {
  const CmdWord cmd = CmdFlag(sub);
  const CmdName n = DescribeCmd(cmd);
  WriteOutput(
      sub, absl::StrFormat(
               "{\"cmd\":\"0x%08x\",\"name\":\"%s\",\"kind\":\"%s\",\"known\":%s,\"id\":\"0x%02x\","
               "\"ext_id\":\"0x%02x\",\"query\":%s,\"uni\":%s,\"ce\":%s,\"wa\":%s,\"wm\":%s,"
               "\"unknown_bits\":%s}\n",
               cmd.raw, JsonEscape(CmdDisplayName(cmd)), n.kind_name,
               n.name != nullptr ? "true" : "false", cmd.id(), cmd.ext_id(),
               cmd.query() ? "true" : "false", cmd.uni() ? "true" : "false",
               cmd.ce() ? "true" : "false", cmd.wa() ? "true" : "false",
               cmd.wm() ? "true" : "false", cmd.has_unknown_bits() ? "true" : "false"));
  return 0;
}

int RunKeys(absl::string_view) { return RunKeysScript(GetFlag(kScript)); }

int RunDiagnose(absl::string_view) {
  return RunDiagnoseCmd(num_positional == 0 ? "-" : positional_args[0], GetFlag(kJson));
}

int RunSim(absl::string_view) {
  return RunSimulate(GetFlag(kScenario), GetFlag(kPolicy), GetFlag(kSeed), GetFlag(kProbe),
                     GetFlag(kJson));
}

constexpr Subcommand kSubcommands[] = {
    {"encode", Bit(kCmd) | Bit(kSeq) | Bit(kPayload) | Bit(kFamily) | Bit(kWait), RunEncode, 0},
    {"decode", Bit(kHex), RunDecode, 0},
    {"parse-response", Bit(kCmd) | Bit(kSeq) | Bit(kHex) | Bit(kFamily), RunParseResponse, 0},
    {"describe", Bit(kCmd), RunDescribe, 0},
    {"keys", Bit(kScript), RunKeys, 0},
    {"diagnose", Bit(kJson), RunDiagnose, 1},
    {"simulate", Bit(kScenario) | Bit(kPolicy) | Bit(kSeed) | Bit(kProbe) | Bit(kJson), RunSim, 0},
};

[[noreturn]] void Usage(absl::string_view sub) {
  WriteOutput(sub, kUsage);
  FinishOutput(sub);
  std::exit(0);
}

// Reads the arguments after the subcommand: "--name=value", "--name value" (or one dash),
// "--json" alone, positional arguments (up to s.max_positional; "-" is stdin), and "--"
// (everything after it is positional). A repeated flag takes its last value. Any other shape
// is bad input: exit 2, one line.
void ParseArgs(const Subcommand& s, int argc, char** argv) {
  for (int f = 0; f < kNumFlags; ++f) flag_value[f] = kFlagInfo[f].default_value;
  bool only_positional = false;  // after "--"
  for (int i = 0; i < argc; ++i) {
    absl::string_view a = argv[i];
    if (a == "--" && !only_positional) {
      only_positional = true;
      continue;
    }
    if (only_positional || a.size() < 2 || a[0] != '-') {
      if (num_positional >= s.max_positional) {
        Fail(s.name, absl::StrCat("unexpected argument ", Quote(a)));
      }
      positional_args[num_positional++] = a;
      continue;
    }
    a.remove_prefix(a[1] == '-' ? 2 : 1);
    const size_t eq = a.find('=');
    const absl::string_view name = a.substr(0, eq);
    if (name == "help") Usage(s.name);
    int f = 0;
    while (f < kNumFlags && kFlagInfo[f].name != name) ++f;
    if (f == kNumFlags || (s.flags & Bit(static_cast<Flag>(f))) == 0) {
      Fail(s.name, absl::StrCat("unknown flag --", EscapeForTerminal(name, kMaxQuoted)));
    }
    if (eq != absl::string_view::npos) {
      flag_value[f] = a.substr(eq + 1);
    } else if (f == kJson) {  // a presence flag: "--json" means --json=true
      flag_value[f] = "true";
    } else if (i + 1 < argc && !absl::StartsWith(argv[i + 1], "--")) {
      flag_value[f] = argv[++i];  // "--flag value"
    } else {
      // At the end, or followed by the next flag: "--seq --payload=00" is a forgotten value,
      // not a sequence number of "--payload=00".
      Fail(s.name, absl::StrCat("--", name, " needs a value (--", name, "=<value>)"));
    }
  }
}

int Main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(
        "connac: missing subcommand (encode, decode, parse-response, describe, keys, "
        "diagnose, simulate); connac --help shows the usage\n",
        stderr);
    return 2;
  }
  const absl::string_view name = argv[1];
  if (name == "--help" || name == "help" || name == "-h") Usage("help");
  for (const Subcommand& s : kSubcommands) {
    if (s.name != name) continue;
    ParseArgs(s, argc - 2, argv + 2);
    const int rc = s.run(s.name);
    FinishOutput(s.name);
    return rc;
  }
  // Not "connac <name>: ...": the name is untrusted input, quoted like any other.
  std::fprintf(stderr, "%s\n",
               absl::StrCat("connac: unknown subcommand ", Quote(name),
                            " (encode, decode, parse-response, describe, keys, "
                            "diagnose, simulate)")
                   .c_str());
  return 2;
}

}  // namespace
}  // namespace connac::cli

int main(int argc, char** argv) { return connac::cli::Main(argc, argv); }
