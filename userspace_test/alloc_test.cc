// Zero allocations, proven: every core operation runs with a counting global allocator armed
// and must not allocate or free once.
//
// This binary replaces the global operator new/delete (every variant) and, unless it is built
// with a sanitizer that owns the heap (ASan, TSan, MSan), malloc/calloc/realloc/free and the
// aligned allocators too (forwarding to glibc's __libc_* entry points). Calls are counted only
// while a test has armed the counter, so gtest's own allocations around the armed region do
// not count. The objects the operations work on are static or built before arming: what is
// measured is the operation, as the kernel would run it on its own memory.
//
// Under ASan/TSan only operator new/delete are counted (the sanitizer's malloc is left alone);
// the plain and UBSan builds count both. `AllocatorSelfTest` proves the counter counts, so a
// broken replacement fails the suite instead of passing it vacuously.

#include <malloc.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

#include "connac/bytes.h"
#include "connac/device.h"
#include "connac/family.h"
#include "connac/keys.h"
#include "connac/mcu_cmd.h"
#include "connac/mcu_event.h"
#include "connac/mcu_frame.h"
#include "connac/mcu_ids.h"
#include "connac/mcu_response.h"
#include "connac/mcu_txn.h"
#include "connac/reset.h"
#include "connac/testing/fwsim.h"
#include "connac/testing/fwsim_host.h"
#include "connac/testing/test_keys.h"
#include "connac/time.h"
#include "gtest/gtest.h"
#include "userspace_test/test_util.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define CONNAC_SANITIZER_HEAP 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define CONNAC_SANITIZER_HEAP 1
#endif
#endif
#ifndef CONNAC_SANITIZER_HEAP
#define CONNAC_SANITIZER_HEAP 0
#endif

// ---------------------------------------------------------------------------------------
// The counting allocator.

namespace {

std::atomic<bool> g_armed{false};
std::atomic<size_t> g_allocs{0};
std::atomic<size_t> g_frees{0};

void CountAlloc() {
  if (g_armed.load(std::memory_order_relaxed)) g_allocs.fetch_add(1, std::memory_order_relaxed);
}
void CountFree(void* p) {
  if (p != nullptr && g_armed.load(std::memory_order_relaxed))
    g_frees.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

#if !CONNAC_SANITIZER_HEAP
extern "C" {
void* __libc_malloc(size_t n);
void* __libc_calloc(size_t n, size_t size);
void* __libc_realloc(void* p, size_t n);
void __libc_free(void* p);
void* __libc_memalign(size_t align, size_t n);

void* malloc(size_t n) noexcept {
  CountAlloc();
  return __libc_malloc(n);
}
void* calloc(size_t n, size_t size) noexcept {
  CountAlloc();
  return __libc_calloc(n, size);
}
void* realloc(void* p, size_t n) noexcept {
  CountAlloc();
  return __libc_realloc(p, n);
}
void free(void* p) noexcept {
  CountFree(p);
  __libc_free(p);
}
void* memalign(size_t align, size_t n) noexcept {
  CountAlloc();
  return __libc_memalign(align, n);
}
void* aligned_alloc(size_t align, size_t n) noexcept {
  CountAlloc();
  return __libc_memalign(align, n);
}
int posix_memalign(void** out, size_t align, size_t n) noexcept {
  CountAlloc();
  if (align < sizeof(void*) || (align & (align - 1)) != 0) return EINVAL;
  void* p = __libc_memalign(align, n);
  if (p == nullptr) return ENOMEM;
  *out = p;
  return 0;
}
}  // extern "C"
#endif

namespace {

// The heap under operator new: glibc's directly when malloc itself is replaced (so one new is
// counted once), else the sanitizer's malloc.
void* RawAlloc(size_t n) {
  if (n == 0) n = 1;
#if CONNAC_SANITIZER_HEAP
  return std::malloc(n);
#else
  return __libc_malloc(n);
#endif
}
void* RawAlignedAlloc(size_t n, std::align_val_t al) {
  const size_t a = static_cast<size_t>(al);
  if (n == 0) n = 1;
#if CONNAC_SANITIZER_HEAP
  return std::aligned_alloc(a, (n + a - 1) / a * a);
#else
  return __libc_memalign(a, n);
#endif
}
void RawFree(void* p) {
#if CONNAC_SANITIZER_HEAP
  std::free(p);
#else
  __libc_free(p);
#endif
}

void* NewOrDie(size_t n) {
  CountAlloc();
  void* p = RawAlloc(n);
  if (p == nullptr) std::abort();  // -fno-exceptions: no std::bad_alloc to throw
  return p;
}
void* NewAlignedOrDie(size_t n, std::align_val_t al) {
  CountAlloc();
  void* p = RawAlignedAlloc(n, al);
  if (p == nullptr) std::abort();
  return p;
}
void* NewNothrow(size_t n) {
  CountAlloc();
  return RawAlloc(n);
}
void* NewAlignedNothrow(size_t n, std::align_val_t al) {
  CountAlloc();
  return RawAlignedAlloc(n, al);
}
void Delete(void* p) {
  CountFree(p);
  RawFree(p);
}

}  // namespace

void* operator new(size_t n) { return NewOrDie(n); }
void* operator new[](size_t n) { return NewOrDie(n); }
void* operator new(size_t n, const std::nothrow_t&) noexcept { return NewNothrow(n); }
void* operator new[](size_t n, const std::nothrow_t&) noexcept { return NewNothrow(n); }
void* operator new(size_t n, std::align_val_t al) { return NewAlignedOrDie(n, al); }
void* operator new[](size_t n, std::align_val_t al) { return NewAlignedOrDie(n, al); }
void* operator new(size_t n, std::align_val_t al, const std::nothrow_t&) noexcept {
  return NewAlignedNothrow(n, al);
}
void* operator new[](size_t n, std::align_val_t al, const std::nothrow_t&) noexcept {
  return NewAlignedNothrow(n, al);
}
void operator delete(void* p) noexcept { Delete(p); }
void operator delete[](void* p) noexcept { Delete(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { Delete(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { Delete(p); }
void operator delete(void* p, size_t) noexcept { Delete(p); }
void operator delete[](void* p, size_t) noexcept { Delete(p); }
void operator delete(void* p, std::align_val_t) noexcept { Delete(p); }
void operator delete[](void* p, std::align_val_t) noexcept { Delete(p); }
void operator delete(void* p, size_t, std::align_val_t) noexcept { Delete(p); }
void operator delete[](void* p, size_t, std::align_val_t) noexcept { Delete(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { Delete(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { Delete(p); }

namespace connac {
namespace {

struct Counts {
  size_t allocs = 0;
  size_t frees = 0;
};

// Runs `f` with the counter armed. No gtest assertion may run inside `f`: record results and
// check them after.
template <typename F>
Counts Counted(F&& f) {
  g_allocs.store(0);
  g_frees.store(0);
  g_armed.store(true);
  std::atomic_signal_fence(std::memory_order_seq_cst);
  f();
  std::atomic_signal_fence(std::memory_order_seq_cst);
  g_armed.store(false);
  return Counts{g_allocs.load(), g_frees.load()};
}

#define EXPECT_NO_ALLOCATION(counts)           \
  do {                                         \
    const Counts c_ = (counts);                \
    EXPECT_EQ(c_.allocs, 0u) << "allocations"; \
    EXPECT_EQ(c_.frees, 0u) << "frees";        \
  } while (0)

// Keeps results alive so the optimiser cannot drop the work (or an allocation) under test.
void* volatile g_sink_ptr = nullptr;
volatile uint64_t g_sink = 0;

// ---------------------------------------------------------------------------------------
// The counter counts.

TEST(AllocatorSelfTest, CountsOperatorNew) {
  const Counts c = Counted([] { g_sink_ptr = ::operator new(24); });
  ::operator delete(g_sink_ptr);
  EXPECT_EQ(c.allocs, 1u)
      << "the replacement operator new is not in use: this test would prove nothing";
  EXPECT_EQ(c.frees, 0u);

  const Counts d = Counted([] {
    int* a = new int[4];
    g_sink_ptr = a;
    delete[] a;
    struct alignas(64) Wide {
      uint8_t b[64];
    };
    Wide* w = new Wide;
    g_sink_ptr = w;
    delete w;
    g_sink_ptr = ::operator new(8, std::nothrow);
    ::operator delete(g_sink_ptr, std::nothrow);
  });
  EXPECT_EQ(d.allocs, 3u) << "new[], aligned new, nothrow new";
  EXPECT_EQ(d.frees, 3u);
}

TEST(AllocatorSelfTest, CountsMalloc) {
#if CONNAC_SANITIZER_HEAP
  GTEST_SKIP() << "the sanitizer owns malloc; only operator new/delete are counted in this build";
#else
  const Counts c = Counted([] {
    g_sink_ptr = std::malloc(32);
    std::free(g_sink_ptr);
    g_sink_ptr = std::calloc(2, 16);
    g_sink_ptr = std::realloc(g_sink_ptr, 64);
    std::free(g_sink_ptr);
    g_sink_ptr = std::aligned_alloc(64, 128);
    std::free(g_sink_ptr);
  });
  EXPECT_EQ(c.allocs, 4u) << "the replacement malloc is not in use: this test would prove nothing";
  EXPECT_EQ(c.frees, 3u);
#endif
}

TEST(AllocatorSelfTest, DisarmedCallsAreNotCounted) {
  g_allocs.store(0);
  g_sink_ptr = ::operator new(16);
  ::operator delete(g_sink_ptr);
  EXPECT_EQ(g_allocs.load(), 0u);
}

// ---------------------------------------------------------------------------------------
// Framing.

const CmdWord kBss = CmdWord::Uni(uni::kBssInfoUpdate);
const CmdWord kStaRec = CmdWord::Uni(uni::kStaRecUpdate);

uint8_t g_payload[1024];
uint8_t g_frame[2048];
uint8_t g_frame2[2048];

TEST(NoAllocTest, Framing) {
  bool ok = true;
  const Counts c = Counted([&] {
    for (const Profile* p : kAllProfiles) {
      for (const CmdWord cmd :
           {kBss, CmdWord::UniQuery(uni::kHifCtrl), CmdWord::Legacy(legacy::kPatchSemControl),
            CmdWord::ExtQuery(ext::kThermalCtrl), CmdWord::CeQuery(ce::kRegAccess),
            CmdWord::Legacy(legacy::kFwScatter)}) {
        for (const size_t len : {size_t{0}, size_t{4}, sizeof(g_payload)}) {
          Result<size_t> n =
              EncodeFrame(*p, cmd, 7, ConstBytes(g_payload, len), MutableBytes(g_frame));
          ok = ok && n.ok();
          if (!n.ok() || cmd.is_fw_scatter()) continue;
          const char* reason = nullptr;
          Result<DecodedFrame> d = DecodeFrame(ConstBytes(g_frame, *n), &reason);
          ok = ok && d.ok() && d->seq == 7;
          g_sink = g_sink + (d.ok() ? d->payload.size() : 0);
        }
        ok = ok && WriteHeader(*p, cmd, 3, 16, MutableBytes(g_frame2)).ok();
      }
      // FrameBuilder: fixed header with a TLV counter, TLVs, raw bytes, Finish.
      Result<FrameBuilder> b = FrameBuilder::Start(*p, kStaRec, MutableBytes(g_frame));
      ok = ok && b.ok();
      if (!b.ok()) continue;
      FrameBuilder fb = *b;
      const uint8_t hdr[8] = {0, 1, 0, 0, 1, 0, 0, 0};
      ok = ok && fb.SetFixedHeader(ConstBytes(hdr), 2).ok();
      Result<MutableBytes> t = fb.AddTlv(0x27, 64);
      ok = ok && t.ok();
      ok = ok && fb.AppendTlv(0x25, ConstBytes(g_payload, 16)).ok();
      ok = ok && fb.AppendRaw(ConstBytes(g_payload, 8)).ok();
      Result<ConstBytes> f = fb.Finish(9);
      ok = ok && f.ok() && fb.payload().tlv_count() == 2;
      if (f.ok()) ok = ok && DecodeFrame(*f).ok();
      // Rejects allocate no more than successes do.
      ok = ok && !DecodeFrame(ConstBytes(g_payload, 47)).ok();
      ok = ok && !EncodeFrame(*p, kBss, 0, ConstBytes(), MutableBytes(g_frame)).ok();
      ok = ok &&
           !EncodeFrame(*p, kBss, 1, ConstBytes(g_payload, 1024), MutableBytes(g_frame, 100)).ok();
    }
  });
  EXPECT_TRUE(ok);
  EXPECT_NO_ALLOCATION(c);
}

// ---------------------------------------------------------------------------------------
// Event and response parsing, TLV iteration.

uint8_t g_event[256];

// An mt7925/mt7996 (44-byte RXD) or mt7921 (36-byte) UNI RESULT event for `cid`.
size_t MakeResult(const Profile& p, uint8_t seq, uint8_t cid, uint32_t status) {
  const RxdLayout l = LayoutOf(p);
  const size_t total = p.rxd_size + 8;
  MutableBytes e(g_event, total);
  ZeroBytes(g_event, sizeof(g_event));
  e.put_le32(0, (7u << 27) | static_cast<uint32_t>(total));
  e.put_le16(l.len, static_cast<uint16_t>(total - (p.rxd_size - 12u)));
  e.put_u8(l.eid, uni_event::kResult);
  e.put_u8(l.seq, seq);
  e.put_u8(l.option, event_option::kUniEvent);
  e.put_u8(p.rxd_size, cid);
  e.put_le32(p.rxd_size + 4, status);
  return total;
}

TEST(NoAllocTest, EventAndResponseParsing) {
  bool ok = true;
  const Counts c = Counted([&] {
    for (const Profile* p : kAllProfiles) {
      const size_t n = MakeResult(*p, 12, uni::kBssInfoUpdate, 0);
      const ConstBytes ev(g_event, n);
      Result<McuEvent> e = ParseEvent(*p, ev);
      ok = ok && e.ok() && e->seq == 12;
      const Response r = ParseResponse(*p, kBss, 12, ev);
      ok = ok && r.verdict == Verdict::kDone;
      ok = ok && ParseResponse(*p, kBss, 11, ev).verdict == Verdict::kStale;
      ok = ok && ParseResponse(*p, kStaRec, 12, ev).verdict != Verdict::kMalformed;
      ok =
          ok && ParseResponse(*p, kBss, 12, ConstBytes(g_event, 10)).verdict == Verdict::kMalformed;
      ok = ok && ParseResponse(*p, CmdWord::Legacy(legacy::kPatchSemControl), 12, ev).verdict ==
                     Verdict::kDone;
      if (e.ok()) g_sink = g_sink + e->UnsolicitedTlvs().ok();
    }
    // TLVs: three good ones, then a bad one (sticky error).
    static const uint8_t tlvs[] = {0x27, 0, 6, 0, 1, 2, 0x0a, 1, 5, 0,
                                   0xff, 1, 0, 4, 0, 1, 0,    2, 0};
    TlvIterator it{ConstBytes(tlvs)};
    size_t count = 0;
    for (Result<Tlv> t = it.Next(); t.ok(); t = it.Next()) count += t->value.size() + 1;
    ok = ok && it.count() == 3 && !it.done() && it.status().err() == Errno::kBadMsg && count == 6;
    TlvIterator good{ConstBytes(tlvs, 15)};
    while (good.Next().ok()) {
    }
    ok = ok && good.done();
  });
  EXPECT_TRUE(ok);
  EXPECT_NO_ALLOCATION(c);
}

// ---------------------------------------------------------------------------------------
// InflightTable.

InflightTable<4> g_table{kMt7925};

TEST(NoAllocTest, InflightTableArmEventExpireFailAll) {
  bool ok = true;
  const Counts c = Counted([&] {
    Instant now{1000};
    Result<Ticket> a = g_table.Arm(kBss, now);
    Result<Ticket> b = g_table.Arm(kStaRec, now);
    Result<Ticket> d = g_table.Arm(CmdWord::Uni(uni::kDevInfoUpdate), now);
    ok = ok && a.ok() && b.ok() && d.ok() && g_table.in_flight() == 3;
    if (!a.ok() || !b.ok() || !d.ok()) return;
    // a: stale (cid mismatch), then completed; unmatched and unsolicited events.
    size_t n = MakeResult(kMt7925, a->seq, uni::kStaRecUpdate, 0);
    ok = ok && g_table.OnEvent(ConstBytes(g_event, n)).kind == EventOutcome::kStale;
    n = MakeResult(kMt7925, a->seq, uni::kBssInfoUpdate, 0);
    const EventOutcome o = g_table.OnEvent(ConstBytes(g_event, n));
    ok = ok && o.kind == EventOutcome::kCompleted && o.ticket == *a;
    ok = ok && g_table.OnEvent(ConstBytes(g_event, n)).kind == EventOutcome::kUnmatched;
    n = MakeResult(kMt7925, 0, 0, 0);
    ok = ok && g_table.OnEvent(ConstBytes(g_event, n)).kind == EventOutcome::kUnsolicited;
    ok = ok && g_table.OnEvent(ConstBytes(g_event, 3)).kind == EventOutcome::kMalformed;
    // b and d time out; b's late answer is absorbed.
    ok = ok && g_table.NextDeadline() == now + Duration::Seconds(3);
    Ticket out[4];
    ok =
        ok && g_table.Expire(now + Duration::Seconds(3), out, 4) == 2 && g_table.quarantined() != 0;
    n = MakeResult(kMt7925, b->seq, uni::kStaRecUpdate, 0);
    ok = ok && g_table.OnEvent(ConstBytes(g_event, n)).kind == EventOutcome::kLate;
    // Cancel, then fail-all with two in flight.
    Result<Ticket> e = g_table.Arm(kBss, now);
    ok = ok && e.ok() && g_table.Cancel(*e).ok() && g_table.Cancel(*e).err() == Errno::kStale;
    ok = ok && g_table.Arm(kBss, now).ok() && g_table.Arm(kStaRec, now).ok();
    ok = ok && g_table.FailAll(out, 4) == 2 && g_table.in_flight() == 0 &&
         g_table.quarantined() == 0;
    ok = ok && g_table.NextDeadline().is_never();
    SeqAllocator seqs;
    for (int i = 0; i < 40; ++i) g_sink = g_sink + seqs.Next();
  });
  EXPECT_TRUE(ok);
  EXPECT_NO_ALLOCATION(c);
}

// ---------------------------------------------------------------------------------------
// KeyTable.

KeyTable g_keys;
KeyActionList g_acts;
KeyActionList g_rollback;
uint8_t g_key_frame[kKeyFrameSize];

MacAddr Addr(uint8_t last) { return MacAddr{{0x02, 0, 0, 0, 0, last}}; }
KeyConf Key(uint32_t cipher, uint8_t idx, int8_t link, uint8_t len) {
  return testing::PatternKey(cipher, idx, link, len, 0x40);
}

// Encodes every action of `l` (what the host sends).
bool EncodeAll(const KeyActionList& l) {
  bool ok = true;
  for (size_t i = 0; i < l.size; ++i) {
    if (l.items[i].kind == KeyActionKind::kBssCipher) continue;  // the host's BSS info
    Result<ConstBytes> f = EncodeKeyAction(kMt7925, l.items[i], static_cast<uint8_t>(1 + i % 15),
                                           MutableBytes(g_key_frame));
    ok = ok && f.ok() && f->size() == kKeyFrameSize;
  }
  return ok;
}

TEST(NoAllocTest, KeyTableOperationsEncodeAndResetReplay) {
  bool ok = true;
  const Counts c = Counted([&] {
    g_keys.Clear();
    // Two links with link-stations; pairwise fan-out, GTK and IGTK per link.
    for (uint8_t l = 0; l < 2; ++l) {
      g_acts.size = 0;
      ok = ok && g_keys.LinkAdd(l, Addr(l), &g_acts).ok() &&
           g_keys.StaAdd(l, Addr(0x10 + l), &g_acts).ok();
    }
    g_acts.size = 0;
    // The first key on each link: its BSS cipher, then the key.
    ok = ok && g_keys.SetKey(KeyCmd::kSet, Key(suite::kCcmp, 0, -1, 16), &g_acts).ok() &&
         g_acts.size == 4;
    ok = ok && EncodeAll(g_acts);
    for (int8_t l = 0; l < 2; ++l) {
      g_acts.size = 0;
      ok = ok && g_keys.SetKey(KeyCmd::kSet, Key(suite::kCcmp, 1, l, 16), &g_acts).ok();
      ok = ok && g_keys.SetKey(KeyCmd::kSet, Key(suite::kAesCmac, 4, l, 16), &g_acts).ok();
      ok = ok && EncodeAll(g_acts);
    }
    // A cached group key for a link that is not up yet, and the lookups.
    g_acts.size = 0;
    ok = ok && g_keys.SetKey(KeyCmd::kSet, Key(suite::kGcmp256, 2, 5, 32), &g_acts).ok() &&
         g_acts.size == 0;
    ok = ok && g_keys.Find(0, 0) != nullptr && g_keys.Find(1, 4) != nullptr &&
         g_keys.Find(5, 2) == nullptr;
    // A failed fan-out rolls back: the sent SET, and the failed one, which replaced the
    // PTK the firmware holds (both go).
    g_acts.size = 0;
    ok = ok && g_keys.SetKey(KeyCmd::kSet, Key(suite::kCcmp, 1, -1, 16), &g_acts).ok() &&
         g_acts.size == 2;
    g_rollback.size = 0;
    ok = ok && g_keys.AbortActions(g_acts, 1, &g_rollback).ok() && g_rollback.size == 2;
    ok = ok && EncodeAll(g_rollback);
    // Reset: removals during it, then the replay (pairwise, group, IGTK).
    g_keys.BeginReset();
    g_acts.size = 0;
    ok = ok && g_keys.SetKey(KeyCmd::kDisable, Key(suite::kAesCmac, 4, 1, 16), &g_acts).ok() &&
         g_acts.size == 0;
    ok = ok && g_keys.ReplayAfterReset(&g_acts).ok() && g_acts.size >= 3;
    ok = ok && EncodeAll(g_acts);
    g_acts.Wipe();
    g_rollback.Wipe();
    // #1036: links torn down first, then every DISABLE succeeds with no traffic.
    ok = ok && g_keys.StaRemove(1).ok() && g_keys.LinkRemove(1).ok() && g_keys.LinkRemove(0).ok();
    g_acts.size = 0;
    ok = ok && g_keys.SetKey(KeyCmd::kDisable, Key(suite::kCcmp, 1, 0, 16), &g_acts).ok();
    ok = ok && g_keys.SetKey(KeyCmd::kDisable, Key(suite::kAesCmac, 4, 0, 16), &g_acts).ok();
    ok = ok && g_keys.SetKey(KeyCmd::kDisable, Key(suite::kCcmp, 0, -1, 16), &g_acts).ok();
    ok = ok && g_acts.size == 0;
    g_keys.Clear();
  });
  EXPECT_TRUE(ok);
  EXPECT_NO_ALLOCATION(c);
}

// ---------------------------------------------------------------------------------------
// A whole simulated reset through connac::Device and the FwSim adapter (the host every test
// and the recovery simulator use): association and keys as real frames, then the firmware
// hangs; the timeout declares it dead, the reset steps run on FwSim, and the Device restores
// device, BSS, station and keys, all through real frames.

testing::FwSimHost<> g_host(FwSimConfig{}, DeviceConfig{});

const char* RunEpisode() {
  testing::FwSimHost<>& h = g_host;
  const MacAddr bssid = Addr(0xb0);
  const MacAddr ap = Addr(0xa0);
  h.Do([](Device<>& d, Instant) {
     d.SetDevice(Addr(0x01));
     return OkStatus();
   }).IgnoreError();
  if (!h.Do([&](Device<>& d, Instant now) { return d.LinkAdd(0, bssid, now); }).ok() ||
      !h.Do([&](Device<>& d, Instant now) { return d.StaAdd(0, ap, now); }).ok() ||
      !h.Do([&](Device<>& d, Instant) { return d.LinkAssociated(0, ap, true); }).ok()) {
    return "link and station";
  }
  const KeyConf keys[] = {Key(suite::kCcmp, 0, -1, 16), Key(suite::kCcmp, 1, 0, 16),
                          Key(suite::kAesCmac, 4, 0, 16)};
  for (const KeyConf& k : keys) {
    if (!h.Do([&](Device<>& d, Instant now) { return d.SetKey(KeyCmd::kSet, k, now); }).ok())
      return "keys";
    h.RunFor(Duration::Millis(20));
    if (h.last_key_op_status() != 0) return "key frames";
  }
  // The hang: BSS_INFO is swallowed; its deadline passes; the Device recovers.
  h.fw().Hang();
  if (!h.Submit(kBss).ok()) return "submit";
  h.RunFor(Duration::Seconds(10));
  const Device<>& d = h.dev();
  if (d.state() != ResetState::kRunning || d.sequencer().counters().recoveries != 1)
    return "sequencer state";
  if (h.ended() != 1 || h.ending(0).status != -110) return "the hung command's timeout";
  if (!h.fw().running() || h.fw().counters().reloads != 1) return "firmware reload";
  // The firmware has everything back: device, BSS, station, pairwise key on the station,
  // GTK and IGTK on the BSS wcid.
  const uint8_t sta = d.keys().link(0).sta_wcid;
  if (!h.fw().device_present() || !h.fw().bss_active(0) || !h.fw().sta_present(sta))
    return "restored records";
  if (!h.fw().key(sta, 0).present || !h.fw().key(kBssWcidTop, 0).present ||
      !h.fw().key(kBssWcidTop, 1).present) {
    return "restored keys";
  }
  return nullptr;
}

TEST(NoAllocTest, WholeSimulatedReset) {
  const char* failed = "not run";
  const Counts c = Counted([&] { failed = RunEpisode(); });
  EXPECT_EQ(failed, nullptr) << "the episode failed at: " << failed;
  EXPECT_NO_ALLOCATION(c);
}

}  // namespace
}  // namespace connac
