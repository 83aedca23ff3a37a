// File: tools/keys_cmd.cc

#include "tools/keys_cmd.h"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "connac/keys.h"
#include "connac/mcu_txn.h"
#include "tools/cli_util.h"

namespace connac::cli {
namespace {

constexpr absl::string_view kSub = "keys";

enum class OpKind {
  kLinkAdd,
  kLinkRemove,
  kStaAdd,
  kStaRemove,
  kKeySet,
  kKeyDel,
  kReset,       // reset: begin + replay
  kResetBegin,  // reset begin
  kResetEnd,    // reset end: the replay
};

struct Op {
  int line = 0;
  OpKind kind = OpKind::kReset;
  std::string name;  // "key set group", printed as "op" (never key bytes)
  uint8_t link = 0;
  MacAddr mac;
  KeyConf key;
  int fail_at = -1;  // key set: the simulated firmware rejects this action index
};

// Records a parse error as "line N: <msg>" (what the CLI prints after "connac keys: ") and
// returns the empty result the parser passes up.
std::nullopt_t LineError(std::string* error, int line, absl::string_view msg) {
  *error = absl::StrFormat("line %d: %s", line, msg);
  return std::nullopt;
}

std::optional<MacAddr> ParseMac(absl::string_view s) {
  std::vector<absl::string_view> parts = absl::StrSplit(s, ':');
  if (parts.size() != 6) return std::nullopt;
  MacAddr m;
  for (int i = 0; i < 6; ++i) {
    uint32_t v = 0;
    if (parts[i].size() != 2 || !absl::SimpleHexAtoi(parts[i], &v)) return std::nullopt;
    m.b[i] = static_cast<uint8_t>(v);
  }
  return m;
}

std::optional<uint8_t> ParseLink(int line, absl::string_view s, std::string* error) {
  int v = 0;
  if (!absl::SimpleAtoi(s, &v) || v < 0 || v >= kMaxMloLinks) {
    return LineError(error, line, absl::StrCat("link must be 0..14, got '", s, "'"));
  }
  return static_cast<uint8_t>(v);
}

const CipherInfo* ParseCipher(absl::string_view s) {
  if (s == "AES-CMAC") s = "BIP-CMAC-128";
  for (const CipherInfo& c : kCiphers) {
    if (s == c.name) return &c;
  }
  return nullptr;
}

// Default key bytes when the script gives none: a pattern that differs per index and byte.
void DefaultKey(KeyConf* k) {
  for (uint8_t i = 0; i < k->key_len; ++i)
    k->key[i] = static_cast<uint8_t>(0x10 * (k->keyidx + 1) + i);
}

// Parses one non-empty, comment-stripped line. On a malformed line: nullopt, *error set.
std::optional<Op> ParseLine(int line, absl::string_view text, std::string* error) {
  std::vector<absl::string_view> w = absl::StrSplit(text, ' ', absl::SkipWhitespace());
  Op op;
  op.line = line;
  auto need = [&](size_t n) {
    if (w.size() >= n) return true;
    LineError(error, line, absl::StrCat("incomplete operation '", text, "'"));
    return false;
  };
  if (!need(1)) return std::nullopt;
  if (w[0] != "reset" && w[0] != "link" && w[0] != "sta" && w[0] != "key") {
    return LineError(error, line, absl::StrCat("unknown operation '", text, "'"));
  }
  if (w[0] == "reset") {
    if (w.size() == 1) {
      op.kind = OpKind::kReset;
      op.name = "reset";
    } else if (w.size() == 2 && (w[1] == "begin" || w[1] == "end")) {
      op.kind = w[1] == "begin" ? OpKind::kResetBegin : OpKind::kResetEnd;
      op.name = absl::StrCat("reset ", w[1]);
    } else {
      return LineError(error, line, "expected 'reset', 'reset begin' or 'reset end'");
    }
    return op;
  }
  if (!need(2)) return std::nullopt;
  op.name = absl::StrCat(w[0], " ", w[1]);
  if (w[0] == "link" && (w[1] == "add" || w[1] == "remove")) {
    if (!need(3)) return std::nullopt;
    std::optional<uint8_t> link = ParseLink(line, w[2], error);
    if (!link) return std::nullopt;
    op.link = *link;
    op.kind = w[1] == "add" ? OpKind::kLinkAdd : OpKind::kLinkRemove;
    // Default BSSID 02:00:00:00:01:<link> (locally administered); `bssid=` overrides.
    op.mac.b[0] = 0x02;
    op.mac.b[4] = 0x01;
    op.mac.b[5] = op.link;
    for (size_t i = 3; i < w.size(); ++i) {
      absl::string_view v = w[i];
      if (w[1] != "add" || !absl::ConsumePrefix(&v, "bssid=")) {
        return LineError(error, line, absl::StrCat("unexpected '", w[i], "'"));
      }
      std::optional<MacAddr> m = ParseMac(v);
      if (!m) return LineError(error, line, absl::StrCat("bad MAC address '", v, "'"));
      op.mac = *m;
    }
    return op;
  }
  if (w[0] == "sta" && (w[1] == "add" || w[1] == "remove")) {
    op.kind = w[1] == "add" ? OpKind::kStaAdd : OpKind::kStaRemove;
    if (!need(w[1] == "add" ? 4 : 3)) return std::nullopt;
    if (w.size() != (w[1] == "add" ? 4u : 3u)) {
      return LineError(error, line, absl::StrCat("unexpected words in '", text, "'"));
    }
    std::optional<uint8_t> link = ParseLink(line, w[2], error);
    if (!link) return std::nullopt;
    op.link = *link;
    if (w[1] == "add") {
      std::optional<MacAddr> m = ParseMac(w[3]);
      if (!m) return LineError(error, line, absl::StrCat("bad MAC address '", w[3], "'"));
      op.mac = *m;
    }
    return op;
  }
  if (w[0] == "key" && (w[1] == "set" || w[1] == "del")) {
    if (!need(3)) return std::nullopt;
    const bool set = w[1] == "set";
    op.kind = set ? OpKind::kKeySet : OpKind::kKeyDel;
    if (w[2] != "group" && w[2] != "pairwise") {
      return LineError(error, line, "expected 'group' or 'pairwise'");
    }
    const bool group = w[2] == "group";
    op.name = absl::StrCat("key ", w[1], " ", w[2]);
    bool have_idx = false, have_link = false, have_cipher = false;
    std::string key_hex;
    for (size_t i = 3; i < w.size(); ++i) {
      std::pair<absl::string_view, absl::string_view> kv =
          absl::StrSplit(w[i], absl::MaxSplits('=', 1));
      const absl::string_view k = kv.first, v = kv.second;
      int n = 0;
      if (k == "idx") {
        if (!absl::SimpleAtoi(v, &n) || n < 0 || n > 7) {
          return LineError(error, line, absl::StrCat("idx must be 0..7, got '", v, "'"));
        }
        op.key.keyidx = static_cast<uint8_t>(n);
        have_idx = true;
      } else if (k == "link" && group) {
        std::optional<uint8_t> link = ParseLink(line, v, error);
        if (!link) return std::nullopt;
        op.key.link_id = static_cast<int8_t>(*link);
        have_link = true;
      } else if (k == "cipher") {
        const CipherInfo* c = ParseCipher(v);
        if (c == nullptr) return LineError(error, line, absl::StrCat("unknown cipher '", v, "'"));
        op.key.cipher = c->suite;
        op.key.key_len = c->key_len;
        have_cipher = true;
      } else if (k == "key" && set) {
        key_hex = std::string(v);
      } else if (k == "fail" && set) {
        if (!absl::SimpleAtoi(v, &n) || n < 0 || n >= static_cast<int>(KeyActionList::kCapacity)) {
          return LineError(error, line,
                           absl::StrCat("fail must be an action index, got '", v, "'"));
        }
        op.fail_at = n;
      } else {
        return LineError(error, line, absl::StrCat("unexpected '", k, "' in '", op.name, "'"));
      }
    }
    if (!have_idx) return LineError(error, line, "idx= is required");
    if (group && !have_link) return LineError(error, line, "link= is required for a group key");
    if (set && !have_cipher) return LineError(error, line, "cipher= is required for key set");
    if (!group) op.key.link_id = -1;
    if (set) {
      if (key_hex.empty()) {
        DefaultKey(&op.key);
      } else {
        std::string why;
        std::optional<std::vector<uint8_t>> bytes = ParseHex(key_hex, &why);
        if (!bytes) return LineError(error, line, absl::StrCat("key: ", why));
        if (bytes->size() > kMaxKeyLen) {
          ZeroizeBytes(bytes->data(), bytes->size());
          return LineError(error, line, "key longer than 32 bytes");
        }
        // A length that does not match the cipher is passed on: the core answers -EINVAL.
        op.key.key_len = static_cast<uint8_t>(bytes->size());
        for (size_t i = 0; i < bytes->size(); ++i) op.key.key[i] = (*bytes)[i];
        ZeroizeBytes(bytes->data(), bytes->size());
      }
    }
    return op;
  }
  return LineError(error, line, absl::StrCat("unknown operation '", text, "'"));
}

class Runner {
 public:
  // Runs `op` and appends its JSON line to *out. False (with *error set) only on an internal
  // error: a key frame the core refused to encode.
  bool Run(Op& op, std::string* out, std::string* error) {
    acts_.size = 0;
    Status st;
    switch (op.kind) {
      case OpKind::kLinkAdd: st = table_->LinkAdd(op.link, op.mac, &acts_); break;
      case OpKind::kLinkRemove: st = table_->LinkRemove(op.link); break;
      case OpKind::kStaAdd: st = table_->StaAdd(op.link, op.mac, &acts_); break;
      case OpKind::kStaRemove: st = table_->StaRemove(op.link); break;
      case OpKind::kKeyDel: st = table_->SetKey(KeyCmd::kDisable, op.key, &acts_); break;
      case OpKind::kResetBegin: table_->BeginReset(); break;
      case OpKind::kResetEnd: st = table_->ReplayAfterReset(&acts_); break;
      case OpKind::kReset:
        table_->BeginReset();
        st = table_->ReplayAfterReset(&acts_);
        break;
      case OpKind::kKeySet: st = table_->SetKey(KeyCmd::kSet, op.key, &acts_); break;
    }
    ZeroizeBytes(op.key.key, sizeof(op.key.key));
    std::string mcu;
    size_t sent = acts_.size;
    const bool fw_failed =
        st.ok() && op.fail_at >= 0 && static_cast<size_t>(op.fail_at) < acts_.size;
    if (fw_failed) {
      // Simulated firmware failure of action fail_at: the actions before it went out, it was
      // rejected (shown, as it was sent), and the core rolls the operation back.
      sent = static_cast<size_t>(op.fail_at) + 1;
      st = Status(Errno::kIo);
    }
    bool ok = true;
    for (size_t i = 0; i < sent && ok; ++i) ok = Append(acts_.items[i], &mcu, error);
    if (fw_failed && ok) {
      KeyActionList& rollback = *rollback_;
      rollback.size = 0;
      Status r = table_->AbortActions(acts_, static_cast<size_t>(op.fail_at), &rollback);
      if (!r.ok()) st = r;
      for (size_t i = 0; i < rollback.size && ok; ++i) ok = Append(rollback.items[i], &mcu, error);
      rollback.Wipe();
    }
    acts_.Wipe();
    if (!ok) return false;
    absl::StrAppendFormat(out, "{\"op\":\"%s\",\"ret\":%d,\"mcu\":[%s]}\n", op.name, st.code(),
                          mcu);
    return true;
  }

 private:
  bool Append(const KeyAction& a, std::string* mcu, std::string* error) {
    uint8_t buf[kKeyFrameSize];
    Result<ConstBytes> f = EncodeKeyAction(kMt7925, a, seqs_.Next(), MutableBytes(buf));
    if (!f.ok()) {
      *error = absl::StrCat("internal error encoding a key frame: ", f.status().name());
      return false;
    }
    if (!mcu->empty()) *mcu += ",";
    absl::StrAppendFormat(
        mcu,
        "{\"cmd\":\"0x%08x\",\"wcid\":%d,\"add\":%d,\"key_id\":%d,\"cipher_id\":%d,\"hex\":\"%s\"}",
        CmdWord::Uni(uni::kStaRecUpdate).raw, a.wcid, a.add ? 1 : 0, a.key_id, a.cipher_id,
        ToHex(f->data(), f->size()));
    ZeroizeBytes(buf, sizeof(buf));
    return true;
  }

  // Heap-held: the table and lists are kernel-sized objects, not stack ones.
  std::unique_ptr<KeyTable> table_ = std::make_unique<KeyTable>();
  std::unique_ptr<KeyActionList> acts_owner_ = std::make_unique<KeyActionList>();
  std::unique_ptr<KeyActionList> rollback_ = std::make_unique<KeyActionList>();
  KeyActionList& acts_ = *acts_owner_;
  SeqAllocator seqs_;
};

// Parses every line of `text` first, then runs the operations, appending one JSON line per
// operation to *out. False with *error set on a malformed line (nothing run, *out untouched)
// or on an internal error (*out holds the lines of the operations before it).
bool RunText(absl::string_view text, std::string* out, std::string* error) {
  std::vector<Op> ops;
  int line = 0;
  for (absl::string_view l : absl::StrSplit(text, '\n')) {
    ++line;
    l = absl::StripAsciiWhitespace(l);
    const size_t hash = l.find('#');
    if (hash != absl::string_view::npos) l = absl::StripAsciiWhitespace(l.substr(0, hash));
    if (l.empty()) continue;
    std::optional<Op> op = ParseLine(line, l, error);
    if (!op) {
      for (Op& o : ops) ZeroizeBytes(o.key.key, sizeof(o.key.key));
      return false;
    }
    ops.push_back(*op);
    ZeroizeBytes(op->key.key, sizeof(op->key.key));
  }
  Runner r;
  for (Op& op : ops) {
    if (!r.Run(op, out, error)) {
      for (Op& o : ops) ZeroizeBytes(o.key.key, sizeof(o.key.key));
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<std::string> RunKeysScriptText(absl::string_view text, std::string* error) {
  std::string out;
  if (!RunText(text, &out, error)) return std::nullopt;
  return out;
}

int RunKeysScript(const std::string& script) {
  if (script.empty()) Fail(kSub, "--script is required (a file, or - for stdin)");
  std::string text;
  if (script == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    text = ss.str();
  } else {
    std::ifstream in(script, std::ios::binary);
    if (!in) Fail(kSub, absl::StrCat("cannot read script '", script, "'"));
    std::ostringstream ss;
    ss << in.rdbuf();
    text = ss.str();
  }
  std::string out, error;
  const bool ok = RunText(text, &out, &error);
  // The lines of the operations that ran come first, as they did when printed one by one.
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (!ok) Fail(kSub, error);
  return 0;
}

}  // namespace connac::cli
