// Fuzz target: the C API of connac_core.ko (kmod/include/connac_core.h, API 2), called the
// way a driver calls it, with device bytes, times and caller arguments from the input.
//
// The other targets exercise the core's C++ directly; this one goes through the glue
// (kmod/connac_core/connac_glue.cc), where pointers, lengths, enums and offsets cross from
// C: the device's inputs (commands, events, ticks, step and probe results, the host's own
// command results), mac80211's link/station/key calls with any link and key, the action
// stream, the configuration with any size, and the stateless framing functions.
//
// Input: byte 0 picks the family (% 4: 3 is invalid and must be refused by init, then mt7925
// is used) and whether the host gives a probe callback (bit 2); then operations, one byte
// each (value % 11) with their operands (see Run()). At the end the clock runs on with every
// reset step succeeding, so every command must have ended.
//
// Properties: every call returns 0, 1 or a negative errno of its documented set; an error
// writes nothing the caller passed in; a COMPLETE's payload lies inside the event it came
// from, an UNSOLICITED is that whole event; every submitted command ends exactly once
// (COMPLETE, FAIL or the host's own result) and every one has ended at the end; the
// admission rule holds (a stack command is refused with -ESHUTDOWN exactly when the firmware
// is dead); key operations run one at a time and each ends with one KEY_OP_DONE; SEND
// actions are well formed (a key frame encodes to 124 bytes, a BSS cipher is not a key
// frame, a restore item names a BSS 0..3 and a station a peer wcid 1..13); a host with a
// probe callback never sees PROBE; no glue invariant fires (connac_shim_assert_failed aborts
// here) and no core check fires (core/check_abort.cc).

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "connac_core.h"
#include "connac_shim.h"
#include "fuzz/fuzz_check.h"

extern "C" void connac_shim_assert_failed(const char* expr, const char* file, int line) {
  std::fprintf(stderr, "glue invariant broken: %s (%s:%d)\n", expr, file, line);
  std::abort();
}

namespace {

const unsigned int kCmds[] = {0x00020002u, 0x00020003u, 0x00020001u, 0x00000010u,
                              0x00020016u, 0x000120edu, 0x00020007u, 0x0000ee00u};
constexpr long long kMs = 1000000LL;
constexpr int kMaxCmds = 256;

bool Alive(int state) { return state == CONNAC_STATE_RUNNING || state == CONNAC_STATE_PROBING; }

class Harness {
 public:
  void Run(connac_fuzz::Reader& in) {
    const uint8_t head = in.U8();
    const unsigned int family = head % 4;
    connac_host_ops ops;
    connac_host_ops_init(&ops);
    ops.ctx = this;
    ops.log = [](void*, int level, const char* msg, long long) {
      FUZZ_CHECK(level >= CONNAC_LOG_ERR && level <= CONNAC_LOG_DEBUG && msg != nullptr);
    };
    if (head & 4) {
      ops.probe = [](void* ctx) { return static_cast<Harness*>(ctx)->ProbeAnswer(); };
      with_probe_ = true;
    }
    if (family == 3) {
      FUZZ_CHECK(connac_dev_init(&dev_, family, 0, &ops) == -EINVAL);
      family_ = CONNAC_MT7925;
    } else {
      family_ = family;
    }
    FUZZ_CHECK(connac_dev_init(&dev_, family_, head & 8 ? CONNAC_DEV_PAIRWISE_BEFORE_GROUP : 0,
                               &ops) == 0);
    while (!in.empty()) {
      switch (in.U8() % 11) {
        case 0: FrameDecode(in); break;
        case 1: ParseResponse(in); break;
        case 2: Submit(in); break;
        case 3: Event(in); break;
        case 4: Tick(in); break;
        case 5: HostInput(in); break;
        case 6: KeyOp(in); break;
        case 7: Drain(); break;
        case 8: Config(in); break;
        case 9: Encode(in); break;
        case 10: KeyEncode(in); break;
      }
    }
    Finish();
    connac_dev_destroy(&dev_);
  }

  int ProbeAnswer() { return probe_alive_ ? 0 : -ETIMEDOUT; }

 private:
  struct Cmd {
    connac_ticket t;
    bool ended;
  };

  // Copies up to u8 bytes of input into buf_ (so lengths below the RXD are common).
  unsigned long TakeBytes(connac_fuzz::Reader& in) {
    const connac::ConstBytes b = in.Take(in.U8());
    std::memcpy(buf_, b.data(), b.size());
    return b.size();
  }

  // Every action of the last inputs, checked; reset steps the harness answers later. The
  // result of an event, if it has one, comes first.
  void Drain() {
    bool first = true;
    for (int guard = 0; guard < 1000; ++guard) {
      connac_action a;
      std::memset(&a, 0xa5, sizeof(a));
      const int ret = connac_dev_next_action(&dev_, &a);
      FUZZ_CHECK(ret == 0 || ret == 1);
      const bool from_event = first && unread_;
      first = false;
      unread_ = false;
      if (ret == 0) {
        connac_action zero{};
        FUZZ_CHECK(std::memcmp(&a, &zero, sizeof(a)) == 0);  // emptied
        return;
      }
      Check(a, from_event);
    }
    FUZZ_CHECK(!"an endless action stream");
  }

  void Ended(const connac_ticket& t) {
    int matches = 0;
    for (int i = 0; i < n_cmds_; ++i) {
      if (!cmds_[i].ended && connac_ticket_eq(&cmds_[i].t, &t)) {
        cmds_[i].ended = true;
        ++matches;
      }
    }
    FUZZ_CHECK(matches == 1);  // a command the host submitted, not ended before
  }

  void Check(const connac_action& a, bool from_event) {
    switch (a.kind) {
      case CONNAC_ACT_COMPLETE:
        Ended(a.ticket);
        FUZZ_CHECK(from_event);  // only an event answers a command
        FUZZ_CHECK(a.payload_offset <= last_ev_len_ &&
                   a.payload_len <= last_ev_len_ - a.payload_offset);
        break;
      case CONNAC_ACT_FAIL:
        Ended(a.ticket);
        FUZZ_CHECK(a.status == -ETIMEDOUT || a.status == -ESHUTDOWN);
        break;
      case CONNAC_ACT_UNSOLICITED:
        FUZZ_CHECK(from_event);
        FUZZ_CHECK(a.payload_offset == 0 && a.payload_len == last_ev_len_);
        break;
      case CONNAC_ACT_SEND: {
        FUZZ_CHECK(a.ticket.seq >= 1 && a.ticket.seq <= CONNAC_MAX_SEQ && a.cmd == a.ticket.cmd);
        FUZZ_CHECK(a.is_restore == 0 || a.is_restore == 1);
        unsigned char frame[CONNAC_KEY_FRAME_SIZE];
        if (a.is_restore) {
          FUZZ_CHECK(a.restore.kind <= CONNAC_RESTORE_STA && a.restore.link < CONNAC_MAX_MLO_LINKS);
          // A station item names a peer wcid (1..13), never 0xff: not one for a link-station
          // that is gone, nor one built from a record a roam emptied.
          if (a.restore.kind != CONNAC_RESTORE_DEVICE) FUZZ_CHECK(a.restore.bss_idx < 4);
          if (a.restore.kind == CONNAC_RESTORE_STA) {
            FUZZ_CHECK(a.restore.wcid >= 1 && a.restore.wcid <= 13);
          }
        } else if (a.key.kind == CONNAC_KEY_ACTION_KEY) {
          FUZZ_CHECK(connac_key_action_encode(family_, &a.key, a.ticket.seq, frame,
                                              sizeof(frame)) == CONNAC_KEY_FRAME_SIZE);
        } else {
          FUZZ_CHECK(a.key.kind == CONNAC_KEY_ACTION_BSS_CIPHER);
          FUZZ_CHECK(connac_key_action_encode(family_, &a.key, a.ticket.seq, frame,
                                              sizeof(frame)) == -EINVAL);
        }
        sent_ = a.ticket;
        has_sent_ = true;
        break;
      }
      case CONNAC_ACT_KEY_OP_DONE:
        FUZZ_CHECK(key_op_);  // one per operation
        key_op_ = false;
        break;
      case CONNAC_ACT_RUN_STEP:
        FUZZ_CHECK(a.step < CONNAC_STEPS && a.step != CONNAC_STEP_RESTORE);
        step_ = a.step;
        step_due_ = true;
        break;
      case CONNAC_ACT_PROBE: FUZZ_CHECK(!with_probe_); break;
      case CONNAC_ACT_REPORT:
        FUZZ_CHECK(a.wedged == 0 || a.wedged == 1);
        FUZZ_CHECK(a.wedged == (connac_dev_state(&dev_) == CONNAC_STATE_WEDGED));
        break;
      case CONNAC_ACT_STOP_TX:
      case CONNAC_ACT_RESUME_TX: break;
      default: FUZZ_CHECK(!"an action kind outside the API");
    }
  }

  void FrameDecode(connac_fuzz::Reader& in) {
    const unsigned long len = TakeBytes(in);
    connac_frame_info info;
    const int ret = connac_frame_decode(buf_, len, &info);
    FUZZ_CHECK(ret == 0 || ret == -EBADMSG);
    if (ret != 0) {
      FUZZ_CHECK(info.reason != nullptr);
      return;
    }
    FUZZ_CHECK(info.header_size == 48 || info.header_size == 64);
    FUZZ_CHECK(info.header_size + info.payload_len == len);
    FUZZ_CHECK(info.seq >= 1 && info.seq <= CONNAC_MAX_SEQ);
  }

  void ParseResponse(connac_fuzz::Reader& in) {
    const unsigned int fam = in.U8() % 4;
    const unsigned int cmd = kCmds[in.U8() % 8];
    const unsigned char seq = in.U8();
    const unsigned long len = TakeBytes(in);
    connac_response r;
    const int ret = connac_parse_response(fam, cmd, seq, buf_, len, &r);
    if (fam == 3) {
      FUZZ_CHECK(ret == -EINVAL);
      return;
    }
    FUZZ_CHECK(ret == 0 || ret == -EAGAIN || ret == -EBADMSG);
    if (ret == 0) {
      FUZZ_CHECK(r.payload_offset <= len && r.payload_len <= len - r.payload_offset);
    } else {
      FUZZ_CHECK(r.reason != nullptr);
    }
  }

  void Submit(connac_fuzz::Reader& in) {
    const uint8_t pick = in.U8();
    const unsigned int cmd = kCmds[pick % 8];
    const unsigned int origin = (pick >> 3) % 3;  // 2: no such origin
    connac_ticket t;
    std::memset(&t, 0xa5, sizeof(t));
    const int state = connac_dev_state(&dev_);
    const int ret = connac_dev_submit(&dev_, cmd, origin, now_, &t);
    if (ret != 0) {
      const unsigned char* p = reinterpret_cast<const unsigned char*>(&t);
      for (size_t i = 0; i < sizeof(t); ++i) FUZZ_CHECK(p[i] == 0xa5);  // nothing written
    }
    if (origin == 2) {
      FUZZ_CHECK(ret == -EINVAL);
      return;
    }
    FUZZ_CHECK(ret == 0 || ret == -ESHUTDOWN || ret == -ENOSPC || ret == -EBUSY || ret == -EINVAL);
    // The admission rule.
    const bool admitted =
        Alive(state) || (origin == CONNAC_ORIGIN_RESTORE && state == CONNAC_STATE_RESTORE);
    FUZZ_CHECK((ret == -ESHUTDOWN) == !admitted);
    if (ret == -EINVAL) FUZZ_CHECK(cmd == 0x0000ee00u);  // FW_SCATTER expects no answer
    if (ret != 0) return;
    FUZZ_CHECK(t.seq >= 1 && t.seq <= CONNAC_MAX_SEQ && t.cmd == cmd);
    if (n_cmds_ < kMaxCmds) cmds_[n_cmds_++] = Cmd{t, false};
    last_ = t;
    Drain();
  }

  // An event: raw bytes, or (flag bit 0) a UNI result for the last command or SEND.
  void Event(connac_fuzz::Reader& in) {
    const uint8_t flags = in.U8();
    unsigned long len = TakeBytes(in);
    const connac_ticket& t = (flags & 4) && has_sent_ ? sent_ : last_;
    if ((flags & 1) && len >= 52) {
      const unsigned long hw = family_ == CONNAC_MT7921 ? 24 : 32;
      buf_[0] = static_cast<unsigned char>(len);
      buf_[1] = static_cast<unsigned char>(len >> 8);
      buf_[3] = 0x38;  // PKT_TYPE_RX_EVENT
      buf_[hw] = static_cast<unsigned char>(len - hw);
      buf_[hw + 1] = static_cast<unsigned char>((len - hw) >> 8);
      buf_[hw + 4] = flags & 8 ? 0x0a : 0x01;  // COREDUMP or RESULT
      buf_[hw + 5] = flags & 8 ? 0 : t.seq;
      buf_[hw + 6] = flags & 2 ? 0x06 : 0x02;
      buf_[hw + 12] = static_cast<unsigned char>(t.cmd);
    }
    const int ret = connac_dev_on_event(&dev_, buf_, len, now_);
    if (unread_) {
      FUZZ_CHECK(ret == -EBUSY);  // the previous event's actions come first
      return;
    }
    FUZZ_CHECK(ret == 0);
    last_ev_len_ = len;
    unread_ = true;
    if (flags & 0x10) return;  // drained later: the next event is refused until then
    Drain();
  }

  void Tick(connac_fuzz::Reader& in) {
    now_ += 100 * kMs * (in.U8() % 64);
    FUZZ_CHECK(connac_dev_on_tick(&dev_, now_) == 0);
    Drain();
    RunSteps(in.U8() & 1);
  }

  // The host's answer to a due reset step (ok or failed), then what follows.
  void RunSteps(bool ok) {
    for (int guard = 0; step_due_ && guard < 16; ++guard) {
      step_due_ = false;
      FUZZ_CHECK(connac_dev_on_step_result(&dev_, step_, ok, now_) == 0);
      Drain();
    }
  }

  void HostInput(connac_fuzz::Reader& in) {
    const uint8_t op = in.U8() % 6;
    now_ += kMs * in.U8();
    // The host drains after every input: a result still pending is handed out first (the
    // command may have been answered by the event the host has not read yet).
    if (unread_) Drain();
    int ret = 0;
    switch (op) {
      case 0: {
        const unsigned int step = in.U8() % 8;  // 6, 7: no such step
        ret = connac_dev_on_step_result(&dev_, step, in.U8() & 1, now_);
        FUZZ_CHECK(step < CONNAC_STEPS ? ret == 0 : ret == -EINVAL);
        break;
      }
      case 1: ret = connac_dev_on_probe_result(&dev_, in.U8() & 1, now_); break;
      case 2: ret = connac_dev_request_reset(&dev_, now_); break;
      case 3: {
        // The host's own result for a command (maybe an old ticket): it ends it.
        const int statuses[] = {0, 1, -ETIMEDOUT, -EIO};
        const int st = statuses[in.U8() % 4];
        const int i = n_cmds_ == 0 ? -1 : in.U8() % n_cmds_;
        const connac_ticket t = i < 0 ? last_ : cmds_[i].t;
        ret = connac_dev_on_command_result(&dev_, &t, st, now_);
        // Every other ending was an action, seen: a command not ended is in flight, and
        // this ends it. An old ticket changes nothing.
        if (i >= 0) cmds_[i].ended = true;
        break;
      }
      case 4: probe_alive_ = in.U8() & 1; break;
      case 5: RunSteps(in.U8() & 1); return;
    }
    FUZZ_CHECK(ret == 0 || (op == 0 && ret == -EINVAL));
    Drain();
  }

  void KeyOp(connac_fuzz::Reader& in) {
    const uint8_t op = in.U8() % 7;
    const unsigned int link = in.U8() % 17;  // 15, 16: no such link
    const uint8_t pick = in.U8();
    connac_key_conf k{};
    const unsigned int ciphers[] = {CONNAC_SUITE_CCMP, CONNAC_SUITE_AES_CMAC, CONNAC_SUITE_TKIP,
                                    CONNAC_SUITE_GCMP_256};
    k.cipher = ciphers[pick & 3];
    k.keyidx = static_cast<unsigned char>((pick >> 2) % 8);
    k.link_id = static_cast<signed char>(static_cast<int>(link) - 1);
    k.key_len = static_cast<unsigned char>(pick & 0x20 ? 32 : 16);
    for (int i = 0; i < CONNAC_KEY_MAX_LEN; ++i) k.key[i] = static_cast<unsigned char>(pick + i);
    unsigned char addr[6] = {2, 0xb0, 0, 0, 0, static_cast<unsigned char>(link)};
    unsigned int bss = 0xa5a5;
    int ret = 0;
    bool starts_op = false;
    switch (op) {
      case 0:
        ret = connac_dev_link_add(&dev_, link, addr, now_, &bss);
        FUZZ_CHECK(ret == 0 ? bss < 4 : bss == 0xa5a5);
        starts_op = true;
        break;
      case 1:
        addr[1] = 0xa9;
        ret = connac_dev_sta_add(&dev_, link, addr, now_);
        starts_op = true;
        break;
      case 2:
      case 3:
        ret = connac_dev_set_key(&dev_, op == 2 ? CONNAC_KEY_SET : CONNAC_KEY_DISABLE, &k, now_);
        starts_op = true;
        break;
      case 4: ret = connac_dev_link_remove(&dev_, link); break;
      case 5: ret = connac_dev_sta_remove(&dev_, link); break;
      case 6:
        addr[1] = 0xa9;
        ret = connac_dev_link_associated(&dev_, link, addr, pick & 1);
        FUZZ_CHECK(ret == 0 || ret == -EINVAL);
        break;
    }
    FUZZ_CHECK(ret == 0 || ret == -EINVAL || ret == -ENOSPC || ret == -ENOLINK ||
               ret == -EOPNOTSUPP || ret == -EBUSY || ret == -ESHUTDOWN);
    if (op == 4 || op == 5) FUZZ_CHECK(ret == 0);  // idempotent
    if (ret == -EBUSY) FUZZ_CHECK(key_op_);        // one key operation at a time
    if (ret == -ESHUTDOWN) FUZZ_CHECK(op == 2 && connac_dev_state(&dev_) == CONNAC_STATE_WEDGED);
    if (starts_op && ret == 0) {
      FUZZ_CHECK(!key_op_);
      key_op_ = true;
    }
    Drain();
  }

  void Config(connac_fuzz::Reader& in) {
    const unsigned long size = in.U8() % (sizeof(connac_config) + 16);
    alignas(8) unsigned char raw[sizeof(connac_config) + 16];
    std::memset(raw, 0xa5, sizeof(raw));
    auto* cfg = reinterpret_cast<connac_config*>(raw);
    const int ret = connac_dev_get_config(&dev_, cfg, size);
    if (size < sizeof(unsigned int)) {
      FUZZ_CHECK(ret == -EINVAL);
      for (unsigned char b : raw) FUZZ_CHECK(b == 0xa5);
      return;
    }
    FUZZ_CHECK(ret == 0);
    const size_t copied = size < sizeof(connac_config) ? size : sizeof(connac_config);
    for (size_t i = copied; i < sizeof(raw); ++i) FUZZ_CHECK(raw[i] == 0xa5);
    if (copied < sizeof(connac_config)) return;
    // Change one field to something valid or not, and write it back.
    cfg->wedge_after = in.U8() % 8;
    cfg->suspect_ns = (in.U8() % 4) * 100 * kMs;
    cfg->step_watchdog_ns[in.U8() % CONNAC_STEPS] = (in.U8() % 3) * 300 * kMs;
    cfg->size = in.U8() & 1 ? CONNAC_CONFIG_MIN_SIZE : CONNAC_CONFIG_MIN_SIZE - 8;
    connac_counters before, after;
    FUZZ_CHECK(connac_dev_get_counters(&dev_, &before, sizeof(before)) == 0);
    const int st = connac_dev_set_config(&dev_, cfg);
    FUZZ_CHECK(st == 0 || st == -EINVAL || st == -EBUSY);
    FUZZ_CHECK(connac_dev_get_counters(&dev_, &after, sizeof(after)) == 0);
    FUZZ_CHECK(std::memcmp(&before, &after, sizeof(before)) == 0);  // the history stays
  }

  void Encode(connac_fuzz::Reader& in) {
    const unsigned int fam = in.U8() % 4;
    const unsigned int cmd = kCmds[in.U8() % 8] ^ (in.U8() == 0xff ? 0x80000000u : 0);
    const unsigned char seq = in.U8() % 17;
    const unsigned int flags = in.U8() % 3;
    const unsigned long plen = TakeBytes(in);
    const unsigned long out_len = in.U8() + (in.U8() & 1 ? 64 : 0);
    unsigned char out[512];
    std::memset(out, 0xa5, sizeof(out));
    const long n = connac_frame_encode(fam, cmd, seq, flags, buf_, plen, out, out_len);
    if (n < 0) {
      FUZZ_CHECK(n == -EINVAL || n == -EMSGSIZE || n == -ENOBUFS);
      for (unsigned char b : out) FUZZ_CHECK(b == 0xa5);  // nothing written
      return;
    }
    FUZZ_CHECK(static_cast<unsigned long>(n) <= out_len && fam != 3);
    for (size_t i = static_cast<size_t>(n); i < sizeof(out); ++i) FUZZ_CHECK(out[i] == 0xa5);
    connac_frame_info info;
    // The mt7925 filler's frames decode back (as frame_decode_fuzz checks in C++).
    if (fam == CONNAC_MT7925 && cmd != 0x0000ee00u) {
      FUZZ_CHECK(connac_frame_decode(out, n, &info) == 0 && info.seq == seq);
    }
  }

  // A caller-made key action, any bytes: a key frame or -EINVAL, nothing else.
  void KeyEncode(connac_fuzz::Reader& in) {
    connac_key_action a;
    const connac::ConstBytes b = in.Take(sizeof(a));
    std::memset(&a, 0, sizeof(a));
    std::memcpy(&a, b.data(), b.size());
    unsigned char out[CONNAC_KEY_FRAME_SIZE + 8];
    std::memset(out, 0xa5, sizeof(out));
    const unsigned long cap = in.U8() & 1 ? CONNAC_KEY_FRAME_SIZE : in.U8();
    const long n = connac_key_action_encode(family_, &a, in.U8(), out, cap);
    if (n < 0) {
      FUZZ_CHECK(n == -EINVAL || n == -ENOBUFS);
      for (unsigned char x : out) FUZZ_CHECK(x == 0xa5);
      return;
    }
    FUZZ_CHECK(n == CONNAC_KEY_FRAME_SIZE && a.kind == CONNAC_KEY_ACTION_KEY);
  }

  // The clock runs on, every reset step succeeds, the firmware answers probes: every command
  // the host submitted must end.
  void Finish() {
    Drain();
    probe_alive_ = true;
    for (int i = 0; i < 64; ++i) {
      now_ += 4000 * kMs;
      FUZZ_CHECK(connac_dev_on_tick(&dev_, now_) == 0);
      Drain();
      RunSteps(true);
    }
    for (int i = 0; i < n_cmds_; ++i) FUZZ_CHECK(cmds_[i].ended);
    FUZZ_CHECK(!key_op_);
  }

  connac_dev dev_{};
  unsigned int family_ = CONNAC_MT7925;
  long long now_ = 1000 * kMs;
  bool with_probe_ = false;
  bool probe_alive_ = true;
  Cmd cmds_[kMaxCmds];
  int n_cmds_ = 0;
  connac_ticket last_{};
  connac_ticket sent_{};
  bool has_sent_ = false;
  bool key_op_ = false;
  bool step_due_ = false;
  unsigned int step_ = 0;
  bool unread_ = false;  // an event went in, its result was not asked for yet
  unsigned long last_ev_len_ = 0;
  unsigned char buf_[256] = {};
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  connac_fuzz::Reader in(data, size);
  auto* h = new Harness();
  h->Run(in);
  delete h;
  return 0;
}
