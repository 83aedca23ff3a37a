// Fuzz target: the C API of connac_core.ko (kmod/include/connac_core.h), called the way a
// driver calls it, with device bytes and caller sizes from the input.
//
// The other targets exercise the core's C++ directly; this one goes through the glue, where
// pointers, lengths and offsets cross from C: frame decode and parse_response (payload
// offsets converted back to the caller's buffer), the in-flight table's event path, expire
// and fail_all with any @max, key operations whose list count may be anything, sequencer
// inputs with any step number, restore plans with any @max, and frame encode with any sizes.
//
// Input: byte 0 picks the family (% 4: 3 is invalid and must be refused by init, then mt7925
// is used); then operations, one byte each (value % 10) with their operands (see Run()).
//
// Properties: every call returns 0, a count, or a negative errno of its documented set;
// every offset and length it returns lies inside the caller's buffer; a failed encode writes
// nothing; no count it returns exceeds the caller's @max; a key list is never left counting
// past its capacity, and one that came in that way is refused and left as it was; no glue
// invariant fires (connac_shim_assert_failed aborts here).

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

class Harness {
 public:
  void Run(connac_fuzz::Reader& in) {
    const unsigned int family = in.U8() % 4;
    if (family == 3) {
      FUZZ_CHECK(connac_dev_init(&dev_, family, 0, nullptr) == -EINVAL);
      family_ = CONNAC_MT7925;
    } else {
      family_ = family;
    }
    FUZZ_CHECK(connac_dev_init(&dev_, family_, 0, nullptr) == 0);
    while (!in.empty()) {
      switch (in.U8() % 10) {
        case 0: FrameDecode(in); break;
        case 1: ParseResponse(in); break;
        case 2: Arm(in); break;
        case 3: Event(in); break;
        case 4: Expire(in); break;
        case 5: FailAll(in); break;
        case 6: KeyOp(in); break;
        case 7: SeqInput(in); break;
        case 8: Plan(in); break;
        case 9: Encode(in); break;
      }
    }
    connac_dev_destroy(&dev_);
  }

 private:
  // Copies up to u8 bytes of input into buf_ (so lengths below the RXD are common).
  unsigned long TakeBytes(connac_fuzz::Reader& in) {
    const connac::ConstBytes b = in.Take(in.U8());
    std::memcpy(buf_, b.data(), b.size());
    return b.size();
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

  void Arm(connac_fuzz::Reader& in) {
    const unsigned int cmd = kCmds[in.U8() % 8];
    connac_ticket t;
    const int ret = connac_txn_arm(&dev_, cmd, now_, &t);
    FUZZ_CHECK(ret == 0 || ret == -ENOSPC || ret == -EBUSY || ret == -EINVAL);
    if (ret == -EINVAL) FUZZ_CHECK(cmd == 0x0000ee00u);  // FW_SCATTER expects no answer
    if (ret == 0) {
      FUZZ_CHECK(t.seq >= 1 && t.seq <= CONNAC_MAX_SEQ && t.slot < CONNAC_TXN_MAX_INFLIGHT);
      last_ = t;
    }
  }

  // An event: raw bytes, or (flag bit 0) a result event for the last armed seq.
  void Event(connac_fuzz::Reader& in) {
    const uint8_t flags = in.U8();
    unsigned long len = TakeBytes(in);
    if ((flags & 1) && len >= 52) {
      const unsigned long hw = family_ == CONNAC_MT7921 ? 24 : 32;
      buf_[0] = static_cast<unsigned char>(len);
      buf_[1] = static_cast<unsigned char>(len >> 8);
      buf_[3] = 0x38;  // PKT_TYPE_RX_EVENT
      buf_[hw + 5] = last_.seq;
      buf_[hw + 6] = flags & 2 ? 0x06 : 0x02;
      buf_[hw + 12] = static_cast<unsigned char>(last_.cmd);
    }
    connac_event_outcome o;
    const int ret = connac_txn_on_event(&dev_, buf_, len, &o);
    FUZZ_CHECK(ret >= CONNAC_EV_COMPLETED && ret <= CONNAC_EV_UNSOLICITED && ret == o.kind);
    if (ret == CONNAC_EV_COMPLETED) {
      FUZZ_CHECK(o.payload_offset <= len && o.payload_len <= len - o.payload_offset);
      FUZZ_CHECK(connac_txn_is_current(&dev_, &o.ticket) == 0);
    }
    if (ret == CONNAC_EV_STALE || ret == CONNAC_EV_MALFORMED) FUZZ_CHECK(o.reason != nullptr);
  }

  void Expire(connac_fuzz::Reader& in) {
    now_ += 500000000LL * (in.U8() % 16);
    const unsigned int max = in.U8() % 10;
    connac_ticket out[10];
    const unsigned int n = connac_txn_expire(&dev_, now_, out, max);
    FUZZ_CHECK(n <= max && n <= CONNAC_TXN_MAX_INFLIGHT);
  }

  void FailAll(connac_fuzz::Reader& in) {
    const unsigned int max = in.U8() % 10;
    connac_txn_counters before;
    connac_txn_get_counters(&dev_, &before);
    connac_ticket out[10];
    const unsigned int n = connac_txn_fail_all(&dev_, out, max);
    connac_txn_counters after;
    connac_txn_get_counters(&dev_, &after);
    FUZZ_CHECK(n <= max);
    FUZZ_CHECK(after.in_flight + n == before.in_flight);  // every failed one is reported
    for (unsigned int i = 0; i < n; ++i) FUZZ_CHECK(connac_txn_is_current(&dev_, &out[i]) == 0);
    if (after.in_flight == 0) FUZZ_CHECK(after.quarantined == 0);
  }

  void KeyOp(connac_fuzz::Reader& in) {
    const uint8_t op = in.U8() % 6;
    const unsigned int link = in.U8() % 17;
    const unsigned long count = in.U8() % 20;  // above 16: a corrupted count
    connac_key_conf k{};
    const uint8_t pick = in.U8();
    k.cipher = pick & 1 ? CONNAC_SUITE_AES_CMAC : CONNAC_SUITE_CCMP;
    k.keyidx = static_cast<unsigned char>((pick >> 1) % 8);
    k.link_id = static_cast<signed char>(static_cast<int>(link) - 1);
    k.key_len = 16;
    for (int i = 0; i < CONNAC_KEY_MAX_LEN; ++i) k.key[i] = static_cast<unsigned char>(pick + i);
    std::memset(&acts_, 0, sizeof(acts_));
    acts_.count = count;
    const unsigned char addr[6] = {2, 0xb0, 0, 0, 0, static_cast<unsigned char>(link)};
    int ret = 0;
    switch (op) {
      case 0: ret = connac_key_link_add(&dev_, link, addr, &acts_); break;
      case 1: ret = connac_key_sta_add(&dev_, link, addr, &acts_); break;
      case 2: ret = connac_key_set(&dev_, CONNAC_KEY_SET, &k, &acts_); break;
      case 3: ret = connac_key_set(&dev_, CONNAC_KEY_DISABLE, &k, &acts_); break;
      case 4: ret = connac_key_reset_replay(&dev_, &acts_); break;
      case 5:
        ret = connac_key_link_remove(&dev_, link);
        FUZZ_CHECK(ret == 0);
        return;
    }
    if (count > CONNAC_KEY_ACTIONS_MAX) {
      FUZZ_CHECK(ret == -EINVAL && acts_.count == count);
      return;
    }
    FUZZ_CHECK(ret == 0 || ret == -EINVAL || ret == -ENOSPC || ret == -ENOLINK ||
               ret == -EOPNOTSUPP);
    FUZZ_CHECK(acts_.count <= CONNAC_KEY_ACTIONS_MAX);
    if (ret != 0) FUZZ_CHECK(acts_.count == count);
    for (unsigned long i = count; i < acts_.count; ++i) {
      unsigned char frame[CONNAC_KEY_FRAME_SIZE];
      const long n = connac_key_action_encode(&dev_, &acts_.items[i], 1, frame, sizeof(frame));
      FUZZ_CHECK(n == CONNAC_KEY_FRAME_SIZE);
    }
    connac_key_actions_wipe(&acts_);
  }

  void SeqInput(connac_fuzz::Reader& in) {
    const uint8_t op = in.U8() % 5;
    const unsigned int step = in.U8() % 8;  // 6, 7: no such step
    now_ += 10000000LL * in.U8();
    connac_seq_actions a;
    int ret = 0;
    switch (op) {
      case 0: ret = connac_seq_on_timeout(&dev_, now_, &a); break;
      case 1: ret = connac_seq_on_step_result(&dev_, step, in.U8() & 1, now_, &a); break;
      case 2: ret = connac_seq_on_tick(&dev_, now_, CONNAC_NEVER, &a); break;
      case 3: ret = connac_seq_on_probe_result(&dev_, in.U8() & 1, now_, &a); break;
      case 4: ret = connac_seq_on_assert(&dev_, now_, &a); break;
    }
    if (op == 1 && step >= CONNAC_SEQ_STEPS) {
      FUZZ_CHECK(ret == -EINVAL && a.flags == 0);
      return;
    }
    FUZZ_CHECK(ret == 0);
    FUZZ_CHECK(a.step < CONNAC_SEQ_STEPS);
    const int state = connac_seq_state(&dev_);
    FUZZ_CHECK(state >= CONNAC_SEQ_RUNNING && state <= CONNAC_SEQ_WEDGED);
    FUZZ_CHECK((connac_seq_admit(&dev_) == 0) ==
               (state == CONNAC_SEQ_RUNNING || state == CONNAC_SEQ_PROBING));
  }

  void Plan(connac_fuzz::Reader& in) {
    const uint8_t op = in.U8() % 3;
    const unsigned int link = in.U8() % 17;
    const unsigned char addr[6] = {2, 0xa9, 0, 0, 0, static_cast<unsigned char>(link)};
    if (op == 0) {
      const int ret = connac_restore_link_joining(&dev_, link, addr, in.U8());
      FUZZ_CHECK(ret == 0 || ret == -EINVAL);
    } else if (op == 1) {
      const int ret = connac_restore_link_associated(&dev_, link, addr, in.U8() & 1);
      FUZZ_CHECK(ret == 0 || ret == -EINVAL);
    }
    const unsigned long max = in.U8() % (CONNAC_RESTORE_MAX_ITEMS + 4);
    std::memset(plan_, 0xa5, sizeof(plan_));
    const long n = connac_restore_make_plan(&dev_, plan_, max);
    FUZZ_CHECK(n == -ENOBUFS || (n >= 1 && static_cast<unsigned long>(n) <= max));
    for (size_t i = n < 0 ? 0 : static_cast<size_t>(n); i < CONNAC_RESTORE_MAX_ITEMS + 4; ++i) {
      const auto* b = reinterpret_cast<const unsigned char*>(&plan_[i]);
      for (size_t j = 0; j < sizeof(plan_[i]); ++j) FUZZ_CHECK(b[j] == 0xa5);
    }
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

  connac_dev dev_{};
  unsigned int family_ = CONNAC_MT7925;
  long long now_ = 1000000000LL;
  connac_ticket last_{};
  connac_key_actions acts_{};
  connac_restore_item plan_[CONNAC_RESTORE_MAX_ITEMS + 4];
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
