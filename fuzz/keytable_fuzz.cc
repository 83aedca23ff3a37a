// Fuzz target: KeyTable driven directly, with the caller's action list filled to a random
// level before every operation, against a model of what the firmware holds.
//
// The `connac keys` target reaches the table only through the script parser, whose list is
// always empty; here every operation may find its list nearly full, full, or counting past
// its capacity (a C driver's corrupted count), and any emitted frame may fail to send.
//
// Input: byte 0 bit 0 turns on KeyPolicy::pairwise_before_group; then a program, one byte
// per operation (value % 10) with its operands:
//   0 LinkAdd      u8 link (% 16: 15 is out of range)
//   1 LinkRemove   u8 link
//   2 StaAdd       u8 link
//   3 StaRemove    u8 link
//   4 SET          u8 cipher pick, u8 keyidx (% 9), u8 link id (% 17 - 1), u8 length tweak
//   5 DISABLE      the same operands
//   6 BeginReset   the firmware lost every key
//   7 Replay       ReplayAfterReset
//   8 Clear        the device is gone for good
//   9 (nothing)    lets the fill and send bytes of the next op be chosen freely
// Every list-taking operation first reads u8 fill (% 18: 17 is an invalid count) and, when it
// emitted actions, u8 send: below 64 the send fails at action `send % (n + 1)` (n: all were
// sent, then the host gave up) and the host calls AbortActions and sends the rollback.
//
// The firmware model follows the wire (docs/keys.md): a SET installs its key in the wcid's
// GTK/PTK or IGTK slot; a DISABLE (which names no slot) drops the wcid's keys; removing a link
// or station drops its wcids' keys; a reset wipes everything; a frame that failed to send
// leaves its wcid unknown until the next DISABLE, removal or reset.
//
// Properties, after every operation:
//   - an error (kInval, kNoSpc, kNoLink, kOpNotSupp) changed neither the table nor the list;
//   - a list never grows past its capacity, and a list counting past it is left as it was;
//   - outside a reset, the table and the firmware agree on every known wcid: the same slots
//     hold keys, with the same cipher, index and bytes, and a wcid the table does not use
//     holds no key in the firmware (no stale key); during a reset nothing is sent.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "connac/keys.h"
#include "fuzz/fuzz_check.h"

namespace {

using namespace connac;  // NOLINT(build/namespaces): a fuzz target, not a header.

// CONNAC_FUZZ_TRACE=1 prints every operation (to read a crash input).
const bool kTrace = std::getenv("CONNAC_FUZZ_TRACE") != nullptr;
#define TRACE(...)                                 \
  do {                                             \
    if (kTrace) std::fprintf(stderr, __VA_ARGS__); \
  } while (0)

constexpr uint32_t kSuites[] = {suite::kCcmp,    suite::kAesCmac, suite::kTkip,
                                suite::kGcmp256, suite::kCcmp256, suite::kGcmp,
                                suite::kSms4,    suite::kWep40,   suite::kBipGmac256};

struct FwSlot {
  bool present = false;
  uint8_t cipher = 0;
  uint8_t key_id = 0;
  uint8_t key_len = 0;
  uint8_t key[kMaxKeyLen] = {};
};

struct FwWcid {
  bool unknown = false;  // a frame for it failed to send
  FwSlot slot[2];
};

class Harness {
 public:
  explicit Harness(KeyPolicy policy) : table_(policy) {}

  void Run(connac_fuzz::Reader& in) {
    while (!in.empty()) {
      const uint8_t op = in.U8() % 10;
      switch (op) {
        case 6:
          TRACE("reset begin\n");
          table_.BeginReset();
          for (FwWcid& w : fw_) w = FwWcid{};  // the firmware was reloaded
          break;
        case 8:
          TRACE("clear\n");
          table_.Clear();
          for (FwWcid& w : fw_) w = FwWcid{};
          break;
        case 1:
        case 3: Remove(op == 1, in.U8()); break;
        case 9: break;
        default: ListOp(op, in); break;
      }
      CheckAgreement();
    }
  }

 private:
  void Remove(bool link_remove, uint8_t arg) {
    const uint8_t link = arg % 16;
    uint8_t freed[2] = {kNoKey, kNoKey};
    if (link < kMaxMloLinks && table_.link(link).up) {
      freed[0] = table_.link(link).sta_wcid;
      if (link_remove) freed[1] = static_cast<uint8_t>(kBssWcidTop - table_.link(link).bss_idx);
    }
    const Status st = link_remove ? table_.LinkRemove(link) : table_.StaRemove(link);
    TRACE("%s %u (frees wcids %u %u)\n", link_remove ? "link remove" : "sta remove", link, freed[0],
          freed[1]);
    FUZZ_CHECK(st.ok());  // removals are idempotent
    for (uint8_t w : freed) {
      if (w != kNoKey) fw_[w] = FwWcid{};  // the firmware drops it with its BSS/STA record
    }
  }

  KeyConf ReadKey(connac_fuzz::Reader& in) {
    KeyConf k;
    k.cipher = kSuites[in.U8() % (sizeof(kSuites) / sizeof(kSuites[0]))];
    k.keyidx = in.U8() % 9;
    k.link_id = static_cast<int8_t>(static_cast<int>(in.U8() % 17) - 1);
    const CipherInfo* c = FindCipher(k.cipher);
    const uint8_t tweak = in.U8();
    k.key_len = c != nullptr ? c->key_len : 16;
    if (tweak >= 240) k.key_len = static_cast<uint8_t>(tweak % 33);  // sometimes wrong
    // Distinct, non-zero bytes per key, so a stale copy anywhere is recognisable.
    ++serial_;
    for (uint8_t i = 0; i < kMaxKeyLen; ++i) {
      k.key[i] = i < k.key_len ? static_cast<uint8_t>(serial_ * 7 + i + 1) : 0;
    }
    return k;
  }

  void ListOp(uint8_t op, connac_fuzz::Reader& in) {
    const uint8_t link = in.U8() % 16;
    KeyConf k;
    if (op == 4 || op == 5) k = ReadKey(in);
    const size_t fill = in.U8() % (KeyActionList::kCapacity + 2);
    list_.Wipe();
    KeyAction filler;
    filler.wcid = 3;
    for (size_t i = 0; i < fill && i < KeyActionList::kCapacity; ++i) list_.items[i] = filler;
    list_.size = fill;  // may be kCapacity + 1: an invalid count

    static uint8_t table_before[sizeof(KeyTable)];
    static uint8_t list_before[sizeof(KeyActionList)];
    std::memcpy(table_before, &table_, sizeof(table_));
    std::memcpy(list_before, &list_, sizeof(list_));

    Status st;
    switch (op) {
      case 0: st = table_.LinkAdd(link, MacAddr{{2, 0xb0, 0, 0, 0, link}}, &list_); break;
      case 2: st = table_.StaAdd(link, MacAddr{{2, 0xa9, 0, 0, 0, link}}, &list_); break;
      case 4: st = table_.SetKey(KeyCmd::kSet, k, &list_); break;
      case 5: st = table_.SetKey(KeyCmd::kDisable, k, &list_); break;
      case 7: st = table_.ReplayAfterReset(&list_); break;
      default: return;
    }
    TRACE("op %u link %u cipher %08x idx %u link_id %d len %u fill %zu -> %s, %zu actions\n", op,
          link, k.cipher, k.keyidx, k.link_id, k.key_len, fill, st.name(),
          st.ok() ? list_.size - fill : 0);
    if (fill > KeyActionList::kCapacity) FUZZ_CHECK(st == Errno::kInval);
    if (!st.ok()) {
      FUZZ_CHECK(st == Errno::kInval || st == Errno::kNoSpc || st == Errno::kNoLink ||
                 st == Errno::kOpNotSupp);
      FUZZ_CHECK(std::memcmp(table_before, &table_, sizeof(table_)) == 0);
      FUZZ_CHECK(std::memcmp(list_before, &list_, sizeof(list_)) == 0);
      return;
    }
    FUZZ_CHECK(list_.size >= fill && list_.size <= KeyActionList::kCapacity);
    // What this operation emitted, as its own list (the filler is the host's earlier work).
    sent_.Wipe();
    for (size_t i = fill; i < list_.size; ++i) FUZZ_CHECK(sent_.Push(list_.items[i]).ok());
    if (table_.resetting()) FUZZ_CHECK(sent_.size == 0);
    if (sent_.size == 0) return;

    const uint8_t send = in.U8();
    if (send >= 64) {
      for (size_t i = 0; i < sent_.size; ++i) Apply(sent_.items[i]);
      return;
    }
    const size_t failed = send % (sent_.size + 1);
    TRACE("  send fails at %zu of %zu\n", failed, sent_.size);
    for (size_t i = 0; i < failed; ++i) Apply(sent_.items[i]);
    if (failed < sent_.size) fw_[sent_.items[failed].wcid].unknown = true;
    rollback_.Wipe();
    FUZZ_CHECK(table_.AbortActions(sent_, failed, &rollback_).ok());
    for (size_t i = 0; i < rollback_.size; ++i) {
      TRACE("  rollback DISABLE wcid %u\n", rollback_.items[i].wcid);
      FUZZ_CHECK(!rollback_.items[i].add);
      Apply(rollback_.items[i]);
    }
  }

  // The firmware executes one STA_REC_UPDATE key frame.
  void Apply(const KeyAction& a) {
    TRACE("  fw: %s wcid %u cipher %u key_id %u\n", a.add ? "SET" : "DISABLE", a.wcid, a.cipher_id,
          a.key_id);
    FUZZ_CHECK(a.wcid < kWtblSize);
    FwWcid& w = fw_[a.wcid];
    if (!a.add) {
      w = FwWcid{};  // names no slot: every key of the wcid goes
      return;
    }
    FwSlot& s = w.slot[a.cipher_id == cipher3::kBipCmac128 ? 1 : 0];
    s.present = true;
    s.cipher = a.cipher_id;
    s.key_id = a.key_id;
    s.key_len = a.key_len;
    std::memcpy(s.key, a.key, sizeof(s.key));
  }

  void CheckAgreement() {
    if (table_.resetting()) return;  // nothing is sent; the replay restores the firmware
    for (uint8_t wi = 0; wi < kWtblSize; ++wi) {
      const FwWcid& fw = fw_[wi];
      const KeyTable::Wcid& tw = table_.wcid(wi);
      if (fw.unknown) continue;
      for (int s = 0; s < 2; ++s) {
        const KeyTable::Slot& ts = tw.slot[s];
        const bool in_table = tw.used && ts.keyidx != kNoKey;
        FUZZ_CHECK(in_table == fw.slot[s].present);  // no stale and no missing key
        if (!in_table) continue;
        FUZZ_CHECK(!ts.replay);
        if (s == 1) {
          // IGTK record: the link's CCMP key, then the IGTK (mt7925_mcu_sta_key_tlv).
          FUZZ_CHECK(fw.slot[1].cipher == cipher3::kBipCmac128 && fw.slot[1].key_len == 32);
          FUZZ_CHECK(std::memcmp(fw.slot[1].key + 16, ts.key, 16) == 0);
          continue;
        }
        FUZZ_CHECK(fw.slot[0].cipher == ts.cipher && fw.slot[0].key_id == ts.keyidx &&
                   fw.slot[0].key_len == ts.key_len);
        if (ts.cipher == cipher3::kTkip) {
          // The driver swaps the MIC halves on the wire.
          FUZZ_CHECK(std::memcmp(fw.slot[0].key, ts.key, 16) == 0 &&
                     std::memcmp(fw.slot[0].key + 16, ts.key + 24, 8) == 0 &&
                     std::memcmp(fw.slot[0].key + 24, ts.key + 16, 8) == 0);
        } else {
          FUZZ_CHECK(std::memcmp(fw.slot[0].key, ts.key, ts.key_len) == 0);
        }
      }
    }
  }

  KeyTable table_;
  KeyActionList list_;
  KeyActionList sent_;
  KeyActionList rollback_;
  FwWcid fw_[kWtblSize];
  uint32_t serial_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  connac_fuzz::Reader in(data, size);
  KeyPolicy policy;
  policy.pairwise_before_group = (in.U8() & 1) != 0;
  auto* h = new Harness(policy);  // a few KiB of state: off the stack, fresh for every input
  h->Run(in);
  delete h;
  return 0;
}
