// File: tools/keys_cmd.cc

#include "tools/keys_cmd.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
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

// Longest script line. An operation with a 32-byte key and every option is under 150 bytes;
// the bound keeps a file without newlines (/dev/zero) from growing the line buffer.
constexpr size_t kMaxLineBytes = 4096;
// Read size for the script.
constexpr size_t kReadChunk = 64 * 1024;

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
    return LineError(error, line, absl::StrCat("link must be 0..14, got ", Quote(s)));
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

// A word of 16 or more hex digits: a key, not an option name.
bool LooksLikeKey(absl::string_view w) {
  if (w.size() < 16) return false;
  for (char c : w) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
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
    LineError(error, line, absl::StrCat("incomplete operation ", Quote(text)));
    return false;
  };
  if (!need(1)) return std::nullopt;
  if (w[0] != "reset" && w[0] != "link" && w[0] != "sta" && w[0] != "key") {
    return LineError(error, line, absl::StrCat("unknown operation ", Quote(w[0])));
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
        return LineError(error, line, absl::StrCat("unexpected ", Quote(w[i])));
      }
      std::optional<MacAddr> m = ParseMac(v);
      if (!m) return LineError(error, line, absl::StrCat("bad MAC address ", Quote(v)));
      op.mac = *m;
    }
    return op;
  }
  if (w[0] == "sta" && (w[1] == "add" || w[1] == "remove")) {
    op.kind = w[1] == "add" ? OpKind::kStaAdd : OpKind::kStaRemove;
    if (!need(w[1] == "add" ? 4 : 3)) return std::nullopt;
    if (w.size() != (w[1] == "add" ? 4u : 3u)) {
      return LineError(error, line, absl::StrCat("unexpected words in ", Quote(text)));
    }
    std::optional<uint8_t> link = ParseLink(line, w[2], error);
    if (!link) return std::nullopt;
    op.link = *link;
    if (w[1] == "add") {
      std::optional<MacAddr> m = ParseMac(w[3]);
      if (!m) return LineError(error, line, absl::StrCat("bad MAC address ", Quote(w[3])));
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
    absl::string_view key_hex;  // a view into the line: key bytes are not copied
    for (size_t i = 3; i < w.size(); ++i) {
      std::pair<absl::string_view, absl::string_view> kv =
          absl::StrSplit(w[i], absl::MaxSplits('=', 1));
      const absl::string_view k = kv.first, v = kv.second;
      int n = 0;
      if (k == "idx") {
        if (!absl::SimpleAtoi(v, &n) || n < 0 || n > 7) {
          return LineError(error, line, absl::StrCat("idx must be 0..7, got ", Quote(v)));
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
        if (c == nullptr) return LineError(error, line, absl::StrCat("unknown cipher ", Quote(v)));
        op.key.cipher = c->suite;
        op.key.key_len = c->key_len;
        have_cipher = true;
      } else if (k == "key" && set) {
        key_hex = v;
      } else if (k == "fail" && set) {
        if (!absl::SimpleAtoi(v, &n) || n < 0 || n >= static_cast<int>(KeyActionList::kCapacity)) {
          return LineError(error, line,
                           absl::StrCat("fail must be an action index, got ", Quote(v)));
        }
        op.fail_at = n;
      } else if (LooksLikeKey(k)) {
        // Most likely a key without "key=": say so without echoing it.
        return LineError(error, line,
                         absl::StrCat("unexpected hex word in '", op.name, "' (a key needs key=)"));
      } else {
        return LineError(error, line, absl::StrCat("unexpected ", Quote(k), " in '", op.name, "'"));
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
        std::optional<SecretBytes> bytes = ParseHex(key_hex, &why);  // wiped when freed
        if (!bytes) return LineError(error, line, absl::StrCat("key: ", why));
        if (bytes->size() > kMaxKeyLen) return LineError(error, line, "key longer than 32 bytes");
        // A length that does not match the cipher is passed on: the core answers -EINVAL.
        op.key.key_len = static_cast<uint8_t>(bytes->size());
        for (size_t i = 0; i < bytes->size(); ++i) op.key.key[i] = (*bytes)[i];
      }
    }
    return op;
  }
  return LineError(error, line, absl::StrCat("unknown operation ", Quote(op.name)));
}

class Runner {
 public:
  // Runs `op` and appends its JSON line to *out. False (with *error set) only on an internal
  // error: a key frame the core refused to encode.
  bool Run(Op& op, SecretString* out, std::string* error) {
    acts_->size = 0;
    Status st;
    switch (op.kind) {
      case OpKind::kLinkAdd: st = table_->LinkAdd(op.link, op.mac, acts_.get()); break;
      case OpKind::kLinkRemove: st = table_->LinkRemove(op.link); break;
      case OpKind::kStaAdd: st = table_->StaAdd(op.link, op.mac, acts_.get()); break;
      case OpKind::kStaRemove: st = table_->StaRemove(op.link); break;
      case OpKind::kKeyDel: st = table_->SetKey(KeyCmd::kDisable, op.key, acts_.get()); break;
      case OpKind::kResetBegin: table_->BeginReset(); break;
      case OpKind::kResetEnd: st = table_->ReplayAfterReset(acts_.get()); break;
      case OpKind::kReset:
        table_->BeginReset();
        st = table_->ReplayAfterReset(acts_.get());
        break;
      case OpKind::kKeySet: st = table_->SetKey(KeyCmd::kSet, op.key, acts_.get()); break;
    }
    ZeroizeBytes(op.key.key, sizeof(op.key.key));
    KeyActionList& acts = *acts_;
    SecretString mcu;  // the frames' hex: key bytes
    size_t sent = acts.size;
    const bool fw_failed =
        st.ok() && op.fail_at >= 0 && static_cast<size_t>(op.fail_at) < acts.size;
    if (fw_failed) {
      // Simulated firmware failure of action fail_at: the actions before it went out, it was
      // rejected (shown, as it was sent), and the core rolls the operation back.
      sent = static_cast<size_t>(op.fail_at) + 1;
      st = Status(Errno::kIo);
    }
    bool ok = true;
    for (size_t i = 0; i < sent && ok; ++i) ok = Append(acts.items[i], &mcu, error);
    if (fw_failed && ok) {
      KeyActionList& rollback = *rollback_;
      rollback.size = 0;
      Status r = table_->AbortActions(acts, static_cast<size_t>(op.fail_at), &rollback);
      if (!r.ok()) st = r;
      for (size_t i = 0; i < rollback.size && ok; ++i) ok = Append(rollback.items[i], &mcu, error);
      rollback.Wipe();
    }
    acts.Wipe();
    if (ok) {
      out->append(absl::StrFormat("{\"op\":\"%s\",\"ret\":%d,\"mcu\":[", op.name, st.code()));
      out->append(mcu);
      out->append("]}\n");
    }
    Wipe(&mcu);
    return ok;
  }

 private:
  bool Append(const KeyAction& a, SecretString* mcu, std::string* error) {
    if (!mcu->empty()) *mcu += ",";
    if (a.kind == KeyActionKind::kBssCipher) {
      // The link's BSS_INFO_UPDATE with the cipher of its first key: the driver builds it
      // (mt7925_mcu_add_bss_info), so there is no frame to show, only what it carries.
      mcu->append(absl::StrFormat(
          "{\"cmd\":\"0x%08x\",\"bss_cipher\":true,\"link\":%d,\"bss_idx\":%d,\"cipher_id\":%d}",
          CmdWord::Uni(uni::kBssInfoUpdate).raw, a.link_id, a.bss_idx, a.cipher_id));
      return true;
    }
    uint8_t buf[kKeyFrameSize];
    Result<ConstBytes> f = EncodeKeyAction(kMt7925, a, seqs_.Next(), MutableBytes(buf));
    if (!f.ok()) {
      *error = absl::StrCat("internal error encoding a key frame: ", f.status().name());
      return false;
    }
    mcu->append(absl::StrFormat(
        "{\"cmd\":\"0x%08x\",\"wcid\":%d,\"add\":%d,\"key_id\":%d,\"cipher_id\":%d,\"hex\":\"",
        CmdWord::Uni(uni::kStaRecUpdate).raw, a.wcid, a.add ? 1 : 0, a.key_id, a.cipher_id));
    AppendHex(f->data(), f->size(), mcu);
    mcu->append("\"}");
    ZeroizeBytes(buf, sizeof(buf));
    return true;
  }

  // Heap-held (kernel-sized objects, not stack ones) and zeroed when freed: they hold keys.
  WipedPtr<KeyTable> table_{new KeyTable()};
  WipedPtr<KeyActionList> acts_{new KeyActionList()};
  WipedPtr<KeyActionList> rollback_{new KeyActionList()};
  SeqAllocator seqs_;
};

// A script fed in chunks of any size: each complete line is parsed and run as soon as it is
// read, so memory stays bounded whatever the script's length (one line, at most
// kMaxLineBytes, is buffered across chunks). Stops at the first malformed line.
class ScriptRunner {
 public:
  ScriptRunner() { carry_.reserve(kMaxLineBytes); }
  ~ScriptRunner() { Wipe(&carry_); }

  // Runs the complete lines of data[0..n), appending their JSON lines to *out. False with
  // *error set ("line N: ...") at a malformed line or an internal error; feed no more then.
  bool Feed(const char* data, size_t n, SecretString* out, std::string* error) {
    while (n > 0) {
      const char* nl = static_cast<const char*>(std::memchr(data, '\n', n));
      const size_t take = nl != nullptr ? static_cast<size_t>(nl - data) : n;
      if (carry_.size() + take > kMaxLineBytes) return TooLong(data, take, error);
      if (nl == nullptr) {
        carry_.append(data, take);  // an unfinished line: keep it for the next chunk
        return true;
      }
      bool ok;
      if (carry_.empty()) {
        ok = Line(absl::string_view(data, take), out, error);
      } else {
        carry_.append(data, take);
        ok = Line(carry_, out, error);
        Wipe(&carry_);
      }
      if (!ok) return false;
      data += take + 1;
      n -= take + 1;
    }
    return true;
  }

  // Ends the script: a last line without '\n' still runs.
  bool Finish(SecretString* out, std::string* error) {
    if (carry_.empty()) return true;
    const bool ok = Line(carry_, out, error);
    Wipe(&carry_);
    return ok;
  }

 private:
  bool Line(absl::string_view l, SecretString* out, std::string* error) {
    ++line_;
    l = absl::StripAsciiWhitespace(l);
    const size_t hash = l.find('#');
    if (hash != absl::string_view::npos) l = absl::StripAsciiWhitespace(l.substr(0, hash));
    if (l.empty()) return true;
    std::optional<Op> op = ParseLine(line_, l, error);
    if (!op) return false;
    const bool ok = runner_.Run(*op, out, error);  // wipes op->key
    if (!ok) *error = absl::StrFormat("line %d: %s", line_, *error);
    return ok;
  }

  bool TooLong(const char* data, size_t take, std::string* error) {
    // The head of the line for the message: what is carried, else the new bytes.
    carry_.append(data, std::min(take, kMaxQuoted + 4));
    LineError(error, line_ + 1,
              absl::StrFormat("longer than %d bytes: %s", kMaxLineBytes, Quote(carry_)));
    Wipe(&carry_);
    return false;
  }

  SecretString carry_;  // the head of a line cut by a chunk boundary
  int line_ = 0;
  Runner runner_;
};

}  // namespace

std::optional<std::string> RunKeysScriptText(absl::string_view text, std::string* error) {
  ScriptRunner r;
  SecretString out;
  if (!r.Feed(text.data(), text.size(), &out, error) || !r.Finish(&out, error)) {
    Wipe(&out);
    return std::nullopt;
  }
  std::string result(out.data(), out.size());  // the caller's copy (tests and the fuzzer)
  Wipe(&out);
  return result;
}

int RunKeysScript(absl::string_view script) {
  if (script.empty()) Fail(kSub, "--script is required (a file, or - for stdin)");
  const bool from_stdin = script == "-";
  const std::string name = from_stdin ? "<stdin>" : std::string(script);
  int fd = STDIN_FILENO;
  if (!from_stdin) {
    fd = open(name.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      Fail(kSub, absl::StrCat("cannot read script ", Quote(name), ": ", std::strerror(errno)));
    }
  }
  ScriptRunner runner;
  SecretBytes buf(kReadChunk);  // script text: wiped when freed
  SecretString out;
  std::string error;
  bool ok = true;
  for (;;) {
    const ssize_t n = read(fd, buf.data(), buf.size());
    if (n == 0) {
      ok = runner.Finish(&out, &error);
      break;
    }
    if (n < 0) {
      if (errno == EINTR) continue;
      // A directory (EISDIR), a closed stdin (EBADF): bad input, not an empty script.
      error = absl::StrCat("cannot read script ", Quote(name), ": ", std::strerror(errno));
      ok = false;
      break;
    }
    ok = runner.Feed(reinterpret_cast<const char*>(buf.data()), static_cast<size_t>(n), &out,
                     &error);
    // The lines of the operations that ran are printed as they run, before any error.
    WriteOutput(kSub, out);
    Wipe(&out);
    if (!ok) break;
  }
  WriteOutput(kSub, out);
  Wipe(&out);
  ZeroizeBytes(buf.data(), buf.size());
  if (fd != STDIN_FILENO) close(fd);
  if (!ok) {
    // The operations before the bad line have run and been printed; flush them first.
    std::fflush(stdout);
    Fail(kSub, error);
  }
  return 0;
}

}  // namespace connac::cli
