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

[[noreturn]] void LineFail(int line, absl::string_view msg) {
  Fail(kSub, absl::StrFormat("line %d: %s", line, msg));
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

uint8_t ParseLink(int line, absl::string_view s) {
  int v = 0;
  if (!absl::SimpleAtoi(s, &v) || v < 0 || v >= kMaxMloLinks) {
    LineFail(line, absl::StrCat("link must be 0..14, got '", s, "'"));
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
  for (uint8_t i = 0; i < k->key_len; ++i) k->key[i] = static_cast<uint8_t>(0x10 * (k->keyidx + 1) + i);
}

Op ParseLine(int line, absl::string_view text) {
  std::vector<absl::string_view> w = absl::StrSplit(text, ' ', absl::SkipWhitespace());
  Op op;
  op.line = line;
  auto need = [&](size_t n) {
    if (w.size() < n) LineFail(line, absl::StrCat("incomplete operation '", text, "'"));
  };
  need(1);
  if (w[0] != "reset" && w[0] != "link" && w[0] != "sta" && w[0] != "key") {
    LineFail(line, absl::StrCat("unknown operation '", text, "'"));
  }
  if (w[0] == "reset") {
    if (w.size() == 1) {
      op.kind = OpKind::kReset;
      op.name = "reset";
    } else if (w.size() == 2 && (w[1] == "begin" || w[1] == "end")) {
      op.kind = w[1] == "begin" ? OpKind::kResetBegin : OpKind::kResetEnd;
      op.name = absl::StrCat("reset ", w[1]);
    } else {
      LineFail(line, "expected 'reset', 'reset begin' or 'reset end'");
    }
    return op;
  }
  need(2);
  op.name = absl::StrCat(w[0], " ", w[1]);
  if (w[0] == "link" && (w[1] == "add" || w[1] == "remove")) {
    need(3);
    op.link = ParseLink(line, w[2]);
    op.kind = w[1] == "add" ? OpKind::kLinkAdd : OpKind::kLinkRemove;
    // Default BSSID 02:00:00:00:01:<link> (locally administered); `bssid=` overrides.
    op.mac.b[0] = 0x02;
    op.mac.b[4] = 0x01;
    op.mac.b[5] = op.link;
    for (size_t i = 3; i < w.size(); ++i) {
      absl::string_view v = w[i];
      if (w[1] != "add" || !absl::ConsumePrefix(&v, "bssid=")) LineFail(line, absl::StrCat("unexpected '", w[i], "'"));
      std::optional<MacAddr> m = ParseMac(v);
      if (!m) LineFail(line, absl::StrCat("bad MAC address '", v, "'"));
      op.mac = *m;
    }
    return op;
  }
  if (w[0] == "sta" && (w[1] == "add" || w[1] == "remove")) {
    op.kind = w[1] == "add" ? OpKind::kStaAdd : OpKind::kStaRemove;
    need(w[1] == "add" ? 4 : 3);
    if (w.size() != (w[1] == "add" ? 4u : 3u)) LineFail(line, absl::StrCat("unexpected words in '", text, "'"));
    op.link = ParseLink(line, w[2]);
    if (w[1] == "add") {
      std::optional<MacAddr> m = ParseMac(w[3]);
      if (!m) LineFail(line, absl::StrCat("bad MAC address '", w[3], "'"));
      op.mac = *m;
    }
    return op;
  }
  if (w[0] == "key" && (w[1] == "set" || w[1] == "del")) {
    need(3);
    const bool set = w[1] == "set";
    op.kind = set ? OpKind::kKeySet : OpKind::kKeyDel;
    if (w[2] != "group" && w[2] != "pairwise") LineFail(line, "expected 'group' or 'pairwise'");
    const bool group = w[2] == "group";
    op.name = absl::StrCat("key ", w[1], " ", w[2]);
    bool have_idx = false, have_link = false, have_cipher = false;
    std::string key_hex;
    for (size_t i = 3; i < w.size(); ++i) {
      std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(w[i], absl::MaxSplits('=', 1));
      const absl::string_view k = kv.first, v = kv.second;
      int n = 0;
      if (k == "idx") {
        if (!absl::SimpleAtoi(v, &n) || n < 0 || n > 7) LineFail(line, absl::StrCat("idx must be 0..7, got '", v, "'"));
        op.key.keyidx = static_cast<uint8_t>(n);
        have_idx = true;
      } else if (k == "link" && group) {
        op.key.link_id = static_cast<int8_t>(ParseLink(line, v));
        have_link = true;
      } else if (k == "cipher") {
        const CipherInfo* c = ParseCipher(v);
        if (c == nullptr) LineFail(line, absl::StrCat("unknown cipher '", v, "'"));
        op.key.cipher = c->suite;
        op.key.key_len = c->key_len;
        have_cipher = true;
      } else if (k == "key" && set) {
        key_hex = std::string(v);
      } else if (k == "fail" && set) {
        if (!absl::SimpleAtoi(v, &n) || n < 0 || n >= static_cast<int>(KeyActionList::kCapacity)) {
          LineFail(line, absl::StrCat("fail must be an action index, got '", v, "'"));
        }
        op.fail_at = n;
      } else {
        LineFail(line, absl::StrCat("unexpected '", k, "' in '", op.name, "'"));
      }
    }
    if (!have_idx) LineFail(line, "idx= is required");
    if (group && !have_link) LineFail(line, "link= is required for a group key");
    if (set && !have_cipher) LineFail(line, "cipher= is required for key set");
    if (!group) op.key.link_id = -1;
    if (set) {
      if (key_hex.empty()) {
        DefaultKey(&op.key);
      } else {
        std::string why;
        std::optional<std::vector<uint8_t>> bytes = ParseHex(key_hex, &why);
        if (!bytes) LineFail(line, absl::StrCat("key: ", why));
        if (bytes->size() > kMaxKeyLen) LineFail(line, "key longer than 32 bytes");
        // A length that does not match the cipher is passed on: the core answers -EINVAL.
        op.key.key_len = static_cast<uint8_t>(bytes->size());
        for (size_t i = 0; i < bytes->size(); ++i) op.key.key[i] = (*bytes)[i];
        ZeroizeBytes(bytes->data(), bytes->size());
      }
    }
    return op;
  }
  LineFail(line, absl::StrCat("unknown operation '", text, "'"));
}

class Runner {
 public:
  void Run(Op& op) {
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
    const bool fw_failed = st.ok() && op.fail_at >= 0 && static_cast<size_t>(op.fail_at) < acts_.size;
    if (fw_failed) {
      // Simulated firmware failure of action fail_at: the actions before it went out, it was
      // rejected (shown, as it was sent), and the core rolls the operation back.
      sent = static_cast<size_t>(op.fail_at) + 1;
      st = Status(Errno::kIo);
    }
    for (size_t i = 0; i < sent; ++i) Append(acts_.items[i], &mcu);
    if (fw_failed) {
      KeyActionList& rollback = *rollback_;
      rollback.size = 0;
      Status r = table_->AbortActions(acts_, static_cast<size_t>(op.fail_at), &rollback);
      if (!r.ok()) st = r;
      for (size_t i = 0; i < rollback.size; ++i) Append(rollback.items[i], &mcu);
      rollback.Wipe();
    }
    acts_.Wipe();
    std::printf("{\"op\":\"%s\",\"ret\":%d,\"mcu\":[%s]}\n", op.name.c_str(), st.code(), mcu.c_str());
  }

 private:
  void Append(const KeyAction& a, std::string* mcu) {
    uint8_t buf[kKeyFrameSize];
    Result<ConstBytes> f = EncodeKeyAction(kMt7925, a, seqs_.Next(), MutableBytes(buf));
    if (!f.ok()) Fail(kSub, absl::StrCat("internal error encoding a key frame: ", f.status().name()));
    if (!mcu->empty()) *mcu += ",";
    absl::StrAppendFormat(mcu, "{\"cmd\":\"0x%08x\",\"wcid\":%d,\"add\":%d,\"key_id\":%d,\"cipher_id\":%d,\"hex\":\"%s\"}",
                          CmdWord::Uni(uni::kStaRecUpdate).raw, a.wcid, a.add ? 1 : 0, a.key_id, a.cipher_id,
                          ToHex(f->data(), f->size()));
    ZeroizeBytes(buf, sizeof(buf));
  }

  // Heap-held: the table and lists are kernel-sized objects, not stack ones.
  std::unique_ptr<KeyTable> table_ = std::make_unique<KeyTable>();
  std::unique_ptr<KeyActionList> acts_owner_ = std::make_unique<KeyActionList>();
  std::unique_ptr<KeyActionList> rollback_ = std::make_unique<KeyActionList>();
  KeyActionList& acts_ = *acts_owner_;
  SeqAllocator seqs_;
};

}  // namespace

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
  std::vector<Op> ops;
  int line = 0;
  for (absl::string_view l : absl::StrSplit(text, '\n')) {
    ++line;
    l = absl::StripAsciiWhitespace(l);
    const size_t hash = l.find('#');
    if (hash != absl::string_view::npos) l = absl::StripAsciiWhitespace(l.substr(0, hash));
    if (l.empty()) continue;
    ops.push_back(ParseLine(line, l));
  }
  Runner r;
  for (Op& op : ops) r.Run(op);
  return 0;
}

}  // namespace connac::cli
