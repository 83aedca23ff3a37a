// connac_test_sim.cc: the test module's C++ test equipment behind connac_test_sim.h:
// connac::FwSim (core/testing/fwsim.h) as a plain C object for the hang suite, and the
// fwsim-virtual suite, connac::Device driven by connac::testing::FwSimHost
// (core/testing/fwsim_host.h) on a virtual clock.
//
// Why here: the simulator is test equipment. It is never built into connac_core.ko; the
// test module (kmod/test/Kbuild, one C++ unit through ../cxx.mk) and the userspace tests
// (kmod/BUILD) compile this file. It follows the glue's rules (no heap, no constructor
// globals, no exceptions, nothing undefined but memcpy/memset and the core's check hook),
// so in the kernel it runs in module context with the kernel's own code generation. The
// scenarios mirror userspace_test/device_test.cc, which runs them under GoogleTest; here a
// failed check returns its text, line and values to the C caller, which prints KTAP.

#include <new>

#include "connac/bytes.h"
#include "connac/device.h"
#include "connac/keys.h"
#include "connac/mcu_ids.h"
#include "connac/reset.h"
#include "connac/status.h"
#include "connac/testing/fwsim.h"
#include "connac/testing/fwsim_host.h"
#include "connac/testing/test_keys.h"
#include "connac/time.h"
#include "connac_core.h"
#include "connac_test_sim.h"

namespace connac_test_sim {

using connac::CmdWord;
using connac::Device;
using connac::DeviceAction;
using connac::DeviceConfig;
using connac::Duration;
using connac::Errno;
using connac::FwSim;
using connac::FwSimConfig;
using connac::Instant;
using connac::KeyCmd;
using connac::KeyConf;
using connac::MacAddr;
using connac::ResetState;
using connac::ResetStep;
using connac::Result;
using connac::Status;
using connac::Ticket;
using connac::testing::FwSimHost;
using Kind = DeviceAction::Kind;

constexpr int kEinval = -static_cast<int>(Errno::kInval);

static_assert(sizeof(FwSim) <= CONNAC_FWSIM_SIZE,
              "struct connac_fwsim is too small for connac::FwSim");
static_assert(alignof(FwSim) <= CONNAC_FWSIM_ALIGN);
static_assert(std::is_trivially_destructible_v<FwSim>);
static_assert(CONNAC_FWSIM_EVENT_SIZE == FwSim::kEventSize);
static_assert(sizeof(FwSimConfig::step_failures) == CONNAC_STEPS);

inline FwSim* Sim(connac_fwsim* f) { return std::launder(reinterpret_cast<FwSim*>(f->opaque)); }
inline const FwSim* Sim(const connac_fwsim* f) {
  return std::launder(reinterpret_cast<const FwSim*>(f->opaque));
}

// ---------------------------------------------------------------------------------------
// The fwsim-virtual scenarios.

namespace {

constexpr CmdWord kBss = CmdWord::Uni(connac::uni::kBssInfoUpdate);
constexpr CmdWord kStaRec = CmdWord::Uni(connac::uni::kStaRecUpdate);
constexpr CmdWord kScan = CmdWord::Uni(connac::uni::kScanReq);

// Every action, in order, as much of it as the order checks need.
struct Trace {
  struct Entry {
    Kind kind;
    ResetStep step;
    bool is_restore;
    connac::KeyActionKind key_kind;
    uint8_t wcid;
    uint8_t cipher;
    bool wedged;
  };
  static constexpr size_t kCap = 512;
  Entry e[kCap];
  size_t n = 0;
  size_t dropped = 0;

  static void Observe(void* ctx, const DeviceAction& a, Instant) {
    Trace* t = static_cast<Trace*>(ctx);
    if (t->n == kCap) {
      ++t->dropped;
      return;
    }
    t->e[t->n++] =
        Entry{a.kind, a.step, a.is_restore, a.key.kind, a.key.wcid, a.key.cipher_id, a.wedged};
  }
  size_t Count(Kind k) const {
    size_t c = 0;
    for (size_t i = 0; i < n; ++i) c += e[i].kind == k ? 1 : 0;
    return c;
  }
  // Index of the first action of kind `k` (and step `s` for kRunStep) from `from`, or -1.
  long First(Kind k, ResetStep s = ResetStep::kWfsys, size_t from = 0) const {
    for (size_t i = from; i < n; ++i) {
      if (e[i].kind == k && (k != Kind::kRunStep || e[i].step == s)) return static_cast<long>(i);
    }
    return -1;
  }
};

// What a scenario runs in: the caller's memory (too large for a kernel stack).
struct Mem {
  alignas(FwSimHost<>) unsigned char host[sizeof(FwSimHost<>)];
  Trace trace;
  Ticket submitted[64];
  bool seen[64];
};

int Fail(connac_vsim_result* r, const char* check, int line, long long a, long long b) {
  r->check = check;
  r->line = line;
  r->a = a;
  r->b = b;
  return -1;
}

#define VCHECK(cond)                                    \
  do {                                                  \
    if (!(cond)) return Fail(r, #cond, __LINE__, 0, 0); \
  } while (0)
#define VCHECK_EQ(x, y)                                               \
  do {                                                                \
    const long long vx_ = static_cast<long long>(x);                  \
    const long long vy_ = static_cast<long long>(y);                  \
    if (vx_ != vy_) return Fail(r, #x " == " #y, __LINE__, vx_, vy_); \
  } while (0)
#define VTRY(expr)            \
  do {                        \
    const int vt_ = (expr);   \
    if (vt_ != 0) return vt_; \
  } while (0)

constexpr MacAddr Mac(uint8_t a, uint8_t b) { return connac::testing::TestMac(a, b); }

KeyConf Key(uint32_t suite_sel, uint8_t idx, int8_t link, uint8_t len, uint8_t base) {
  return connac::testing::PatternKey(suite_sel, idx, link, len, base);
}

// A fresh host in `m`, with the trace as its observer.
FwSimHost<>& Make(Mem* m, const FwSimConfig& fw = {}, const DeviceConfig& dc = {}) {
  FwSimHost<>* h = new (m->host) FwSimHost<>(fw, dc);
  m->trace.n = 0;
  m->trace.dropped = 0;
  h->SetObserver(&Trace::Observe, &m->trace);
  return *h;
}

int SetAndRun(FwSimHost<>& h, const KeyConf& k, connac_vsim_result* r) {
  const uint32_t before = h.key_ops_done();
  const Status st = h.Do([&k](Device<>& d, Instant now) { return d.SetKey(KeyCmd::kSet, k, now); });
  VCHECK_EQ(st.code(), 0);
  h.RunFor(Duration::Millis(50));
  VCHECK_EQ(h.key_ops_done(), before + 1);
  VCHECK_EQ(h.last_key_op_status(), 0);
  return 0;
}

// An associated station: device, link l (BSS l, its AP link-station), PTK, GTK and IGTK.
int Associate(FwSimHost<>& h, connac_vsim_result* r, uint8_t links = 1) {
  h.Do([](Device<>& d, Instant) {
     d.SetDevice(Mac(0xde, 0));
     return connac::OkStatus();
   }).IgnoreError();
  for (uint8_t l = 0; l < links; ++l) {
    VCHECK_EQ(
        h.Do([l](Device<>& d, Instant now) { return d.LinkAdd(l, Mac(0xb0, l), now); }).code(), 0);
    VCHECK_EQ(h.Do([l](Device<>& d, Instant now) { return d.StaAdd(l, Mac(0xa9, l), now); }).code(),
              0);
    VCHECK_EQ(h.Do([l](Device<>& d, Instant) {
                 return d.LinkAssociated(l, Mac(0xa9, l), l == 0);
               }).code(),
              0);
  }
  VTRY(SetAndRun(h, Key(connac::suite::kCcmp, 0, -1, 16, 0x50), r));
  for (uint8_t l = 0; l < links; ++l) {
    VTRY(SetAndRun(
        h, Key(connac::suite::kCcmp, 1, static_cast<int8_t>(l), 16, static_cast<uint8_t>(0xc0 + l)),
        r));
    VTRY(SetAndRun(
        h,
        Key(connac::suite::kAesCmac, 4, static_cast<int8_t>(l), 16, static_cast<uint8_t>(0xa0 + l)),
        r));
  }
  return 0;
}

// The firmware holds exactly the keys the table believes installed.
int FirmwareMatchesTable(FwSimHost<>& h, connac_vsim_result* r) {
  const connac::KeyTable& t = h.dev().keys();
  for (uint8_t w = 0; w < connac::kWtblSize; ++w) {
    for (int s = 0; s < 2; ++s) {
      const bool table = t.wcid(w).used && t.wcid(w).slot[s].keyidx != connac::kNoKey;
      const FwSim::FwKey& fk = h.fw().key(w, s);
      if (table != fk.present)
        return Fail(r, "firmware key == table key (wcid, slot)", __LINE__, w, s);
      if (table && s == 0 && fk.key_id != t.wcid(w).slot[0].keyidx)
        return Fail(r, "firmware key index == table's (wcid)", __LINE__, w, fk.key_id);
    }
  }
  return 0;
}

int AnsweredCommandCompletes(Mem* m, connac_vsim_result* r) {
  FwSimHost<>& h = Make(m);
  const Result<Ticket> t = h.Submit(kBss);
  VCHECK(t.ok());
  h.RunFor(Duration::Millis(10));
  VCHECK_EQ(h.ended(), 1);
  VCHECK(h.ending(0).kind == Kind::kComplete);
  VCHECK(h.ending(0).ticket == *t);
  VCHECK_EQ(h.ending(0).status, 0);
  VCHECK(h.dev().state() == ResetState::kRunning);
  return 0;
}

// The #1036 shape: one timeout declares the firmware dead, the other commands fail at once,
// the reset runs its steps, restores, replays the keys, and commands flow again.
int HangFailsFastResetsAndRestores(Mem* m, connac_vsim_result* r) {
  FwSimHost<>& h = Make(m);
  VTRY(Associate(h, r));
  h.fw().Hang();
  const Result<Ticket> a = h.Submit(kBss);
  h.RunFor(Duration::Millis(100));
  const Result<Ticket> b = h.Submit(kStaRec);
  const Result<Ticket> c = h.Submit(kScan);
  VCHECK(a.ok() && b.ok() && c.ok());
  const Instant t0 = h.now();
  h.RunFor(Duration::Seconds(3));
  VCHECK_EQ(h.ended(), 3);
  VCHECK(h.ending(0).ticket == *a);
  VCHECK_EQ(h.ending(0).status, -110);
  for (size_t i = 1; i < 3; ++i) {
    VCHECK_EQ(h.ending(i).status, -108);
    VCHECK(h.ending(i).at.ns - t0.ns < Duration::Seconds(3).ns);
  }
  VCHECK_EQ(h.dev().sequencer().counters().episodes, 1);
  h.RunFor(Duration::Seconds(5));
  VCHECK(h.dev().state() == ResetState::kRunning);
  VCHECK(h.dev().sequencer().report().recovered);
  VCHECK(h.fw().device_present());
  VCHECK(h.fw().bss_active(0));
  VCHECK(h.fw().sta_present(h.dev().keys().link(0).sta_wcid));
  VTRY(FirmwareMatchesTable(h, r));
  VCHECK_EQ(h.dev().counters().keys_replayed, 3);
  VCHECK(!h.tx_stopped());
  // The key reset began before the first step; the records before the keys.
  const long wfsys = m->trace.First(Kind::kRunStep, ResetStep::kWfsys);
  VCHECK(wfsys >= 0);
  VCHECK(m->trace.First(Kind::kStopTx) < wfsys);
  long last_record = -1, first_key = -1;
  for (size_t i = static_cast<size_t>(wfsys); i < m->trace.n; ++i) {
    const Trace::Entry& x = m->trace.e[i];
    if (x.kind != Kind::kSend) continue;
    if (x.is_restore) last_record = static_cast<long>(i);
    if (!x.is_restore && first_key < 0) first_key = static_cast<long>(i);
  }
  VCHECK(last_record >= 0 && last_record < first_key);
  const Result<Ticket> d = h.Submit(kBss);
  VCHECK(d.ok());
  h.RunFor(Duration::Millis(10));
  VCHECK(h.ending(3).kind == Kind::kComplete);
  return 0;
}

int RefusedWhileDead(Mem* m, connac_vsim_result* r) {
  FwSimHost<>& h = Make(m);
  h.fw().Hang();
  VCHECK(h.Submit(kBss).ok());
  h.RunFor(Duration::Millis(3000));
  VCHECK(h.dev().state() != ResetState::kRunning);
  VCHECK(h.Submit(kBss).status().err() == Errno::kShutdown);
  VCHECK_EQ(h.dev().counters().refused, 1);
  return 0;
}

int AssertResetsWithoutATimeout(Mem* m, connac_vsim_result* r) {
  FwSimHost<>& h = Make(m);
  VTRY(Associate(h, r));
  h.fw().Assert(h.now());
  h.RunFor(Duration::Seconds(2));
  VCHECK_EQ(
      h.dev().sequencer().counters().triggers[static_cast<size_t>(connac::ResetCause::kAssert)], 1);
  VCHECK_EQ(h.dev().txn().counters().timeouts, 0);
  VCHECK(h.dev().state() == ResetState::kRunning);
  VTRY(FirmwareMatchesTable(h, r));
  VCHECK_EQ(m->trace.Count(Kind::kUnsolicited), 1);
  return 0;
}

// A key frame the firmware does not answer: the operation is undone in the table (so it is
// not replayed), the firmware is reset, and the rest of the keys come back.
int KeyFrameTimeoutIsUndone(Mem* m, connac_vsim_result* r) {
  FwSimHost<>& h = Make(m);
  VTRY(Associate(h, r));
  h.fw().Hang();
  const KeyConf gtk2 = Key(connac::suite::kCcmp, 2, 0, 16, 0x70);
  VCHECK_EQ(
      h.Do([&gtk2](Device<>& d, Instant now) { return d.SetKey(KeyCmd::kSet, gtk2, now); }).code(),
      0);
  h.RunFor(Duration::Seconds(10));
  VCHECK_EQ(h.last_key_op_status(), -110);
  VCHECK(h.dev().state() == ResetState::kRunning);
  VCHECK(h.dev().keys().Find(0, 2) == nullptr);
  VCHECK(h.dev().keys().Find(0, 0) != nullptr);
  VTRY(FirmwareMatchesTable(h, r));
  return 0;
}

// mac80211 keeps calling set_key during a reset: the table takes it, nothing is sent, and
// the replay installs it.
int KeysSetDuringTheResetAreReplayed(Mem* m, connac_vsim_result* r) {
  FwSimConfig fw;
  fw.wfsys_time = Duration::Millis(500);
  FwSimHost<>& h = Make(m, fw);
  VTRY(Associate(h, r));
  h.fw().Assert(h.now());
  h.RunFor(Duration::Millis(100));
  VCHECK(h.dev().state() != ResetState::kRunning);
  const uint32_t frames = h.dev().counters().key_frames;
  const KeyConf gtk2 = Key(connac::suite::kCcmp, 2, 0, 16, 0x71);
  VCHECK_EQ(
      h.Do([&gtk2](Device<>& d, Instant now) { return d.SetKey(KeyCmd::kSet, gtk2, now); }).code(),
      0);
  VCHECK_EQ(h.dev().counters().key_frames, frames);
  VCHECK_EQ(h.last_key_op_status(), 0);
  h.RunFor(Duration::Seconds(3));
  VCHECK(h.dev().state() == ResetState::kRunning);
  const FwSim::FwKey& fk = h.fw().key(connac::kBssWcidTop, 0);
  VCHECK(fk.present);
  VCHECK_EQ(fk.key_id, 2);
  VCHECK_EQ(fk.key[0], 0x71);
  VTRY(FirmwareMatchesTable(h, r));
  return 0;
}

// The first key on a link follows the link's BSS_INFO_UPDATE with the cipher; peer wcid 1.
int BssCipherFirst(Mem* m, connac_vsim_result* r) {
  FwSimHost<>& h = Make(m);
  VCHECK_EQ(h.Do([](Device<>& d, Instant now) { return d.LinkAdd(0, Mac(0xb0, 0), now); }).code(),
            0);
  VCHECK_EQ(h.Do([](Device<>& d, Instant now) { return d.StaAdd(0, Mac(0xa9, 0), now); }).code(),
            0);
  const size_t before = m->trace.n;
  VTRY(SetAndRun(h, Key(connac::suite::kCcmp, 0, -1, 16, 0x50), r));
  VTRY(SetAndRun(h, Key(connac::suite::kCcmp, 1, 0, 16, 0xc0), r));
  const Trace::Entry* sends[3] = {};
  size_t n = 0;
  for (size_t i = before; i < m->trace.n; ++i) {
    if (m->trace.e[i].kind != Kind::kSend) continue;
    if (n < 3) sends[n] = &m->trace.e[i];
    ++n;
  }
  VCHECK_EQ(n, 3);
  VCHECK(sends[0]->key_kind == connac::KeyActionKind::kBssCipher);
  VCHECK_EQ(sends[0]->cipher, connac::cipher3::kCcmp);
  VCHECK(sends[1]->key_kind == connac::KeyActionKind::kKey);
  VCHECK_EQ(sends[1]->wcid, connac::kFirstPeerWcid);
  VCHECK_EQ(sends[2]->wcid, connac::kBssWcidTop);
  VCHECK(h.fw().key(connac::kFirstPeerWcid, 0).present);
  return 0;
}

// A firmware that never comes back: WEDGED, one report, the keys cleared, all refused.
int NeverComesBackWedges(Mem* m, connac_vsim_result* r) {
  FwSimConfig fw;
  fw.step_failures[static_cast<size_t>(ResetStep::kReady)] = 100;
  DeviceConfig dc;
  dc.reset.hold_off = Duration::Seconds(1);
  FwSimHost<>& h = Make(m, fw, dc);
  VTRY(Associate(h, r));
  h.fw().Hang();
  VCHECK(h.Submit(kBss).ok());
  h.RunFor(Duration::Seconds(120));
  VCHECK(h.dev().state() == ResetState::kWedged);
  VCHECK_EQ(m->trace.Count(Kind::kReport), 1);
  const long report = m->trace.First(Kind::kReport);
  VCHECK(report >= 0 && m->trace.e[report].wedged);
  VCHECK(h.dev().keys().Find(0, 0) == nullptr);
  VCHECK(h.Submit(kBss).status().err() == Errno::kShutdown);
  VCHECK(h.dev().SetKey(KeyCmd::kSet, Key(connac::suite::kCcmp, 1, 0, 16, 1), h.now()).err() ==
         Errno::kShutdown);
  return 0;
}

int ProbeKeepsASlowFirmwareAlive(Mem* m, connac_vsim_result* r) {
  FwSimConfig fw;
  fw.slow_latency = Duration::Millis(2500);
  DeviceConfig dc;
  dc.reset.suspect = Duration::Millis(300);
  FwSimHost<>& h = Make(m, fw, dc);
  VCHECK(h.Submit(kScan).ok());
  h.RunFor(Duration::Seconds(3));
  VCHECK(m->trace.Count(Kind::kProbe) >= 1);
  VCHECK_EQ(h.dev().sequencer().counters().episodes, 0);
  VCHECK_EQ(h.ended(), 1);
  VCHECK(h.ending(0).kind == Kind::kComplete);
  return 0;
}

// WFSYS fails twice: the retries run (backoff), the third attempt recovers.
int FailedStepsAreRetried(Mem* m, connac_vsim_result* r) {
  FwSimConfig fw;
  fw.step_failures[static_cast<size_t>(ResetStep::kWfsys)] = 2;
  FwSimHost<>& h = Make(m, fw);
  VTRY(Associate(h, r));
  h.fw().Hang();
  VCHECK(h.Submit(kBss).ok());
  h.RunFor(Duration::Seconds(10));
  const connac::ResetCounters& c = h.dev().sequencer().counters();
  VCHECK(h.dev().state() == ResetState::kRunning);
  VCHECK_EQ(c.attempts, 3);
  VCHECK_EQ(c.step_failures[static_cast<size_t>(ResetStep::kWfsys)], 2);
  VCHECK_EQ(c.recoveries, 1);
  VCHECK_EQ(m->trace.Count(Kind::kReport), 1);
  VTRY(FirmwareMatchesTable(h, r));
  return 0;
}

// The firmware hangs again while it is being restored: back to a reset step, then it works.
int CrashDuringRestore(Mem* m, connac_vsim_result* r) {
  FwSimConfig fw;
  fw.hang_in_restore_times = 1;
  fw.restore_hang_cmd = 2;
  FwSimHost<>& h = Make(m, fw);
  VTRY(Associate(h, r));
  h.fw().Hang();
  VCHECK(h.Submit(kBss).ok());
  h.RunFor(Duration::Seconds(20));
  const connac::ResetCounters& c = h.dev().sequencer().counters();
  VCHECK(h.dev().state() == ResetState::kRunning);
  VCHECK(c.crashes_in_restore + c.step_timeouts[static_cast<size_t>(ResetStep::kRestore)] >= 1);
  VCHECK(c.attempts >= 2);
  VCHECK_EQ(h.fw().counters().reloads, 2);
  VTRY(FirmwareMatchesTable(h, r));
  return 0;
}

// minstd_rand, without <random>.
struct Rng {
  uint64_t x;
  uint32_t operator()() {
    x = x * 48271u % 2147483647u;
    return static_cast<uint32_t>(x);
  }
};

// Every host command ends exactly once, whatever the firmware does (hangs, asserts, failed
// steps, crashes during the restore), and a running device's firmware matches its table.
int EveryCommandEndsOnce(Mem* m, connac_vsim_result* r) {
  for (uint32_t seed = 1; seed <= 24; ++seed) {
    Rng rng{seed};
    FwSimConfig fw;
    fw.step_failures[static_cast<size_t>(ResetStep::kWfsys)] = static_cast<uint8_t>(rng() % 3);
    fw.hang_in_restore_times = rng() % 2;
    fw.restore_hang_cmd = 1 + rng() % 4;
    FwSimHost<>& h = Make(m, fw);
    VTRY(Associate(h, r, static_cast<uint8_t>(1 + rng() % 2)));
    size_t n = 0;
    for (int i = 0; i < 60; ++i) {
      switch (rng() % 6) {
        case 0: h.fw().Hang(); break;
        case 1: h.fw().Assert(h.now()); break;
        default: {
          const Result<Ticket> t = h.Submit(rng() % 2 ? kBss : kScan);
          if (t.ok() && n < 64) m->submitted[n++] = *t;
        }
      }
      h.RunFor(Duration::Millis(rng() % 2500));
    }
    h.RunFor(Duration::Seconds(120));
    if (h.ended() != n)
      return Fail(r, "ended == submitted (seed, ended)", __LINE__, seed, h.ended());
    for (size_t s = 0; s < n; ++s) m->seen[s] = false;
    for (size_t e = 0; e < h.ended() && e < h.kMaxEndings; ++e) {
      size_t matches = 0;
      for (size_t s = 0; s < n; ++s) {
        if (!(m->submitted[s] == h.ending(e).ticket)) continue;
        if (m->seen[s]) return Fail(r, "a command ended twice (seed, ending)", __LINE__, seed, e);
        m->seen[s] = true;
        ++matches;
      }
      if (matches != 1)
        return Fail(r, "an ending matches one command (seed, ending)", __LINE__, seed, e);
    }
    const ResetState st = h.dev().state();
    if (st != ResetState::kRunning && st != ResetState::kWedged)
      return Fail(r, "RUNNING or WEDGED at the end (seed, state)", __LINE__, seed,
                  static_cast<long long>(st));
    if (st == ResetState::kRunning) VTRY(FirmwareMatchesTable(h, r));
  }
  return 0;
}

struct Scenario {
  const char* name;
  int (*run)(Mem* m, connac_vsim_result* r);
};

constexpr Scenario kScenarios[] = {
    {"an answered command completes its ticket", AnsweredCommandCompletes},
    {"hang: one timeout, the rest fail fast, reset, restore, keys back, running again",
     HangFailsFastResetsAndRestores},
    {"commands are refused while the firmware is dead", RefusedWhileDead},
    {"a COREDUMP event resets without a timeout", AssertResetsWithoutATimeout},
    {"a key frame that times out is undone, the reset replays the rest", KeyFrameTimeoutIsUndone},
    {"keys set during the reset are replayed", KeysSetDuringTheResetAreReplayed},
    {"the first key on a link: BSS cipher first, peer wcid 1", BssCipherFirst},
    {"a firmware that never comes back: WEDGED, keys cleared, all refused", NeverComesBackWedges},
    {"the liveness probe keeps a slow firmware alive", ProbeKeepsASlowFirmwareAlive},
    {"a failed WFSYS reset is retried until it recovers", FailedStepsAreRetried},
    {"a hang during the restore goes back to a reset step, then recovers", CrashDuringRestore},
    {"24 random runs: every host command ends exactly once", EveryCommandEndsOnce},
};
constexpr unsigned int kScenarioCount = sizeof(kScenarios) / sizeof(kScenarios[0]);

}  // namespace
}  // namespace connac_test_sim

using connac_test_sim::Sim;

// ---------------------------------------------------------------------------------------
// The simulator's C view.

extern "C" void connac_fwsim_default_config(connac_fwsim_config* c) {
  if (c == nullptr) return;
  const connac::FwSimConfig d;
  *c = connac_fwsim_config{};
  c->latency_ns = d.latency.ns;
  c->slow_latency_ns = d.slow_latency.ns;
  c->arm_after_cmds = d.arm_after_cmds;
  c->hang_at_cmd = d.hang_at_cmd;
  c->hang_on_cmd_word = d.hang_on_cmd_word;
  c->assert_at_cmd = d.assert_at_cmd;
  for (size_t i = 0; i < connac::kResetSteps; ++i) c->step_failures[i] = d.step_failures[i];
  c->hang_on_bss_after_sta_remove = d.hang_on_bss_after_sta_remove ? 1 : 0;
  c->hang_in_restore_times = d.hang_in_restore_times;
  c->restore_hang_cmd = d.restore_hang_cmd;
  c->wfsys_ns = d.wfsys_time.ns;
  c->fw_load_ns = d.fw_load_time.ns;
  c->restore_step_ns = d.restore_step_time.ns;
}

extern "C" int connac_fwsim_init(connac_fwsim* fw, const connac_fwsim_config* c) {
  if (fw == nullptr || c == nullptr || c->latency_ns < 0 || c->slow_latency_ns < 0 ||
      c->wfsys_ns < 0 || c->fw_load_ns < 0 || c->restore_step_ns < 0) {
    return connac_test_sim::kEinval;
  }
  connac::FwSimConfig k;
  k.latency = connac::Duration::Nanos(c->latency_ns);
  k.slow_latency = connac::Duration::Nanos(c->slow_latency_ns);
  k.arm_after_cmds = c->arm_after_cmds;
  k.hang_at_cmd = c->hang_at_cmd;
  k.hang_on_bss_after_sta_remove = c->hang_on_bss_after_sta_remove != 0;
  k.hang_on_cmd_word = c->hang_on_cmd_word;
  k.assert_at_cmd = c->assert_at_cmd;
  for (size_t i = 0; i < connac::kResetSteps; ++i) k.step_failures[i] = c->step_failures[i];
  k.hang_in_restore_times = c->hang_in_restore_times;
  k.restore_hang_cmd = c->restore_hang_cmd;
  k.wfsys_time = connac::Duration::Nanos(c->wfsys_ns);
  k.fw_load_time = connac::Duration::Nanos(c->fw_load_ns);
  k.restore_step_time = connac::Duration::Nanos(c->restore_step_ns);
  connac::ZeroizeBytes(fw->opaque, sizeof(fw->opaque));
  new (fw->opaque) connac::FwSim(k);
  return 0;
}

extern "C" void connac_fwsim_receive(connac_fwsim* fw, const void* frame, unsigned long len,
                                     long long now_ns) {
  if (fw == nullptr || (frame == nullptr && len != 0)) return;
  Sim(fw)->Receive(connac::ConstBytes(static_cast<const uint8_t*>(frame), len),
                   connac::Instant{now_ns});
}

extern "C" long connac_fwsim_poll_event(connac_fwsim* fw, long long now_ns, void* out,
                                        unsigned long cap) {
  if (fw == nullptr || out == nullptr) return connac_test_sim::kEinval;
  const connac::Result<size_t> n = Sim(fw)->PollEvent(
      connac::Instant{now_ns}, connac::MutableBytes(static_cast<uint8_t*>(out), cap));
  return n.ok() ? static_cast<long>(*n) : n.status().code();
}

extern "C" long long connac_fwsim_next_event_at(const connac_fwsim* fw) {
  return fw == nullptr ? CONNAC_NEVER : Sim(fw)->NextEventAt().ns;
}

extern "C" int connac_fwsim_run_step(connac_fwsim* fw, unsigned int step, long long now_ns,
                                     long long* done_ns) {
  if (fw == nullptr || done_ns == nullptr || step >= CONNAC_STEPS) return connac_test_sim::kEinval;
  const connac::FwSim::StepOutcome o =
      Sim(fw)->RunStep(static_cast<connac::ResetStep>(step), connac::Instant{now_ns});
  *done_ns = o.done.ns;
  return o.ok ? 1 : 0;
}

extern "C" int connac_fwsim_probe(const connac_fwsim* fw) {
  return fw != nullptr && Sim(fw)->Probe() ? 0 : -static_cast<int>(connac::Errno::kTimedOut);
}

extern "C" void connac_fwsim_get_state(const connac_fwsim* fw, connac_fwsim_state* s) {
  if (s == nullptr) return;
  *s = connac_fwsim_state{};
  if (fw == nullptr) return;
  const connac::FwSim& f = *Sim(fw);
  s->hung = f.hung() ? 1 : 0;
  s->running = f.running() ? 1 : 0;
  s->device = f.device_present() ? 1 : 0;
  s->commands = f.counters().commands;
  s->swallowed = f.counters().swallowed;
  s->responses = f.counters().responses;
  s->resets = f.counters().resets;
  s->reloads = f.counters().reloads;
  s->malformed = f.counters().malformed;
}

extern "C" int connac_fwsim_bss_active(const connac_fwsim* fw, unsigned int bss_idx) {
  return fw != nullptr && bss_idx <= 0xff && Sim(fw)->bss_active(static_cast<uint8_t>(bss_idx)) ? 1
                                                                                                : 0;
}

extern "C" int connac_fwsim_sta_present(const connac_fwsim* fw, unsigned int wcid) {
  return fw != nullptr && wcid <= 0xff && Sim(fw)->sta_present(static_cast<uint8_t>(wcid)) ? 1 : 0;
}

extern "C" int connac_fwsim_key(const connac_fwsim* fw, unsigned int wcid, unsigned int slot,
                                unsigned char* key, unsigned long cap) {
  const int noent = -static_cast<int>(connac::Errno::kNoEnt);
  if (fw == nullptr || wcid >= connac::kWtblSize || slot > 1 || (key == nullptr && cap != 0))
    return noent;
  const connac::FwSim::FwKey& k = Sim(fw)->key(static_cast<uint8_t>(wcid), static_cast<int>(slot));
  if (!k.present) return noent;
  connac::CopyBytes(key, k.key, k.key_len < cap ? k.key_len : cap);
  return k.key_len;
}

// ---------------------------------------------------------------------------------------
// The fwsim-virtual suite.

extern "C" unsigned int connac_vsim_count(void) { return connac_test_sim::kScenarioCount; }

extern "C" const char* connac_vsim_name(unsigned int i) {
  return i < connac_test_sim::kScenarioCount ? connac_test_sim::kScenarios[i].name : nullptr;
}

extern "C" unsigned long connac_vsim_mem_size(void) { return sizeof(connac_test_sim::Mem); }

extern "C" int connac_vsim_run(unsigned int i, void* mem, unsigned long mem_size,
                               connac_vsim_result* r) {
  if (i >= connac_test_sim::kScenarioCount || mem == nullptr || r == nullptr ||
      mem_size < sizeof(connac_test_sim::Mem) ||
      reinterpret_cast<unsigned long>(mem) % alignof(connac_test_sim::Mem) != 0) {
    return connac_test_sim::kEinval;
  }
  *r = connac_vsim_result{};
  auto* m = static_cast<connac_test_sim::Mem*>(mem);
  const int ret = connac_test_sim::kScenarios[i].run(m, r);
  // The host held keys (the device's table, the simulator's, the trace's copies).
  connac::ZeroizeBytes(static_cast<uint8_t*>(mem), sizeof(connac_test_sim::Mem));
  return ret == 0 ? 0 : -1;
}
