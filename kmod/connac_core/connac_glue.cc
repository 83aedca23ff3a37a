// connac_glue.cc: the C API of connac_core.ko (kmod/include/connac_core.h), implemented on
// connac::Device (core/include/connac/device.h).
//
// Why a separate C++ object: the core is C++ and the kernel's module code is C. This file
// is the only place where the two meet. Every function of connac_core.h is defined here,
// under its public name; the export list (connac_exports.c) is generated from the header at
// build time (kmod/scripts/gen_exports.sh), so a function is declared once and implemented
// once. The header's extern "C" declarations make the compiler check every signature here.
// The file includes no kernel header (they are not C++); the kernel services it needs come
// from the C shim through connac_shim.h. kbuild (kmod/cxx.mk) and Bazel (kmod/BUILD) compile
// this same file, so the userspace tests run the module's code.
//
// Rules for this file (checked by kmod/scripts/cxx_guard.sh on every kernel build):
//   - no namespace-scope object with a dynamic initializer (the kernel never runs them),
//   - no heap, exceptions, RTTI, thread_local, or libstdc++ function; <new> is used for
//     placement new and std::launder only, both inline,
//   - every extern "C" function validates its arguments and returns 0 or -errno; a broken
//     invariant goes to connac_shim_assert_failed() (WARN_ONCE in the kernel) and the call
//     fails with -EINVAL instead of continuing. Only misuse by the host (a device used
//     before init or after destroy) or a bug in the core is an invariant; a bad argument is
//     -EINVAL, and anything the device says (late step results, stale events) is counted,
//     never reported as a broken invariant.

#include <new>
#include <type_traits>

#include "connac/bytes.h"
#include "connac/device.h"
#include "connac/family.h"
#include "connac/keys.h"
#include "connac/mcu_cmd.h"
#include "connac/mcu_frame.h"
#include "connac/mcu_response.h"
#include "connac/mcu_txn.h"
#include "connac/reset.h"
#include "connac/status.h"
#include "connac/time.h"
#include "connac_core.h"
#include "connac_shim.h"

// Reports a broken invariant and evaluates to false, so callers write
// `if (!CONNAC_CHECK(x)) return -EINVAL;`.
#define CONNAC_CHECK(cond)       \
  (__builtin_expect(!!(cond), 1) \
       ? true                    \
       : (connac_shim_assert_failed(#cond, __FILE_NAME__, __LINE__), false))

// The control plane: device setup, links, stations, keys, configuration, snapshots, names.
// A driver calls these at association time or from debugfs, not per command, so GCC
// optimizes them (and what it inlines into them) for size, as the kernel's __cold does;
// the per-command path (submit, on_event, on_tick, next_action, framing) stays at -O2.
// This keeps connac_core.ko's .text near its 32 KiB target (docs/kmod.md, footprint).
#define CONNAC_COLD __attribute__((cold))

namespace {

using connac::CmdWord;
using connac::ConstBytes;
using connac::DeviceAction;
using connac::Errno;
using connac::Instant;
using connac::MutableBytes;
using connac::Profile;
using connac::ResetState;
using connac::ResetStep;
using connac::Result;
using connac::Status;

constexpr int kEinval = -static_cast<int>(Errno::kInval);
constexpr int Neg(Errno e) { return -static_cast<int>(e); }

// The C header spells out numbers the core defines; they must agree.
static_assert(CONNAC_MAX_SEQ == connac::kMaxSeq);
static_assert(CONNAC_UNI_HEADER_SIZE == connac::kUniHeaderSize);
static_assert(CONNAC_LEGACY_HEADER_SIZE == connac::kLegacyHeaderSize);
static_assert(CONNAC_KEY_MAX_LEN == connac::kMaxKeyLen);
static_assert(CONNAC_KEY_FRAME_SIZE == connac::kKeyFrameSize);
static_assert(CONNAC_MAX_MLO_LINKS == connac::kMaxMloLinks);
static_assert(CONNAC_NEVER == Instant::Never().ns);
static_assert(CONNAC_SUITE_CCMP == connac::suite::kCcmp &&
              CONNAC_SUITE_AES_CMAC == connac::suite::kAesCmac &&
              CONNAC_SUITE_TKIP == connac::suite::kTkip &&
              CONNAC_SUITE_GCMP == connac::suite::kGcmp &&
              CONNAC_SUITE_GCMP_256 == connac::suite::kGcmp256 &&
              CONNAC_SUITE_CCMP_256 == connac::suite::kCcmp256);

// Every C enum is the core's, value for value.
constexpr int E(auto v) { return static_cast<int>(v); }
static_assert(sizeof(connac::kAllProfiles) / sizeof(connac::kAllProfiles[0]) == 3);
using State = ResetState;
static_assert(CONNAC_STATE_RUNNING == E(State::kRunning) &&
              CONNAC_STATE_PROBING == E(State::kProbing) &&
              CONNAC_STATE_WFSYS_RESET == E(State::kWfsys) &&
              CONNAC_STATE_FW_SEMAPHORE == E(State::kSemaphore) &&
              CONNAC_STATE_FW_PATCH == E(State::kPatch) && CONNAC_STATE_FW_RAM == E(State::kRam) &&
              CONNAC_STATE_FW_READY == E(State::kReady) &&
              CONNAC_STATE_RESTORE == E(State::kRestore) &&
              CONNAC_STATE_BACKOFF == E(State::kBackoff) &&
              CONNAC_STATE_HOLD_OFF == E(State::kHoldOff) &&
              CONNAC_STATE_WEDGED == E(State::kWedged));
static_assert(CONNAC_STEPS == connac::kResetSteps && CONNAC_CAUSES == connac::kResetCauses);
static_assert(CONNAC_STEP_WFSYS == E(ResetStep::kWfsys) &&
              CONNAC_STEP_SEMAPHORE == E(ResetStep::kSemaphore) &&
              CONNAC_STEP_PATCH == E(ResetStep::kPatch) && CONNAC_STEP_RAM == E(ResetStep::kRam) &&
              CONNAC_STEP_READY == E(ResetStep::kReady) &&
              CONNAC_STEP_RESTORE == E(ResetStep::kRestore));
static_assert(CONNAC_CAUSE_TIMEOUT == E(connac::ResetCause::kTimeout) &&
              CONNAC_CAUSE_ASSERT == E(connac::ResetCause::kAssert) &&
              CONNAC_CAUSE_PROBE == E(connac::ResetCause::kProbe) &&
              CONNAC_CAUSE_REQUEST == E(connac::ResetCause::kRequest));
using Item = connac::RestoreRecord::ItemKind;
static_assert(CONNAC_RESTORE_DEVICE == E(Item::kDevice) && CONNAC_RESTORE_BSS == E(Item::kBss) &&
              CONNAC_RESTORE_STA == E(Item::kSta));
using Act = DeviceAction::Kind;
static_assert(CONNAC_ACT_NONE == E(Act::kNone) && CONNAC_ACT_COMPLETE == E(Act::kComplete) &&
              CONNAC_ACT_FAIL == E(Act::kFail) && CONNAC_ACT_UNSOLICITED == E(Act::kUnsolicited) &&
              CONNAC_ACT_SEND == E(Act::kSend) && CONNAC_ACT_KEY_OP_DONE == E(Act::kKeyOpDone) &&
              CONNAC_ACT_STOP_TX == E(Act::kStopTx) && CONNAC_ACT_RESUME_TX == E(Act::kResumeTx) &&
              CONNAC_ACT_RUN_STEP == E(Act::kRunStep) && CONNAC_ACT_PROBE == E(Act::kProbe) &&
              CONNAC_ACT_REPORT == E(Act::kReport));
static_assert(CONNAC_KEY_ACTION_KEY == E(connac::KeyActionKind::kKey) &&
              CONNAC_KEY_ACTION_BSS_CIPHER == E(connac::KeyActionKind::kBssCipher));
static_assert(sizeof(connac::ResetConfig::backoff) / sizeof(connac::Duration) ==
              sizeof(connac_config::backoff_ns) / sizeof(long long));
static_assert(CONNAC_CONFIG_MIN_SIZE <= sizeof(connac_config));

// struct connac_key_action is connac::KeyAction seen from C, field by field, so the glue
// copies one into the other member by member and a reader of either sees the same bytes.
static_assert(std::is_standard_layout_v<connac::KeyAction> &&
              std::is_trivially_copyable_v<connac::KeyAction>);
static_assert(sizeof(bool) == 1 && sizeof(connac::MacAddr) == 6);
#define CONNAC_SAME_FIELD(f)                                                        \
  static_assert(offsetof(connac_key_action, f) == offsetof(connac::KeyAction, f) && \
                sizeof(connac_key_action::f) == sizeof(connac::KeyAction::f))
CONNAC_SAME_FIELD(link_id);
CONNAC_SAME_FIELD(wcid);
CONNAC_SAME_FIELD(bss_idx);
CONNAC_SAME_FIELD(muar_idx);
CONNAC_SAME_FIELD(add);
CONNAC_SAME_FIELD(pairwise);
CONNAC_SAME_FIELD(cipher_id);
CONNAC_SAME_FIELD(key_id);
CONNAC_SAME_FIELD(key_len);
CONNAC_SAME_FIELD(peer);
CONNAC_SAME_FIELD(key);
CONNAC_SAME_FIELD(kind);
#undef CONNAC_SAME_FIELD
static_assert(sizeof(connac_key_action) == sizeof(connac::KeyAction) &&
              alignof(connac_key_action) == alignof(connac::KeyAction));
static_assert(sizeof(connac_restore_item) == 12);

const Profile* ProfileOf(unsigned int family) {
  switch (family) {
    case CONNAC_MT7921: return &connac::kMt7921;
    case CONNAC_MT7925: return &connac::kMt7925;
    case CONNAC_MT7996: return &connac::kMt7996;
    default: return nullptr;
  }
}

// ---------------------------------------------------------------------------------------
// The per-device state inside struct connac_dev.

// Layout of connac_dev::opaque: a 4-byte magic at offset 0 (set by connac_dev_init, zeroed
// by destroy, so use before init or after destroy is caught), the family at kFamilyOffset,
// the state at kStateOffset.
constexpr uint32_t kMagic = 0x636e6332;  // "cnc2"
constexpr size_t kFamilyOffset = sizeof(kMagic);
constexpr size_t kStateOffset = CONNAC_DEV_ALIGN;
static_assert(kFamilyOffset < kStateOffset);

// The Device and what the glue adds around it. No pointer into itself (the driver may move
// the struct): `ev` points into the caller's event buffer, and only from
// connac_dev_on_event() until the first connac_dev_next_action() after it, which hands out
// that event's result (Device::NextAction() returns it first).
struct DevState {
  DevState(const Profile& p, const connac::DeviceConfig& c, const connac_host_ops& o)
      : ops(o), dev(p, c) {}

  connac_host_ops ops;  // The caller's ops, zero-extended to this header's size.
  const uint8_t* ev = nullptr;
  unsigned long ev_len = 0;
  uint32_t timeouts_seen = 0;  // the in-flight table's timeouts already logged
  uint32_t owned_cmd = 0;      // the command word of the Device's own command (SEND)
  bool event_unread = false;   // an event went in, its result was not asked for yet
  connac::Device<7> dev;
};

static_assert(kStateOffset + sizeof(DevState) <= CONNAC_DEV_SIZE,
              "connac_dev is too small for the core state");
static_assert(alignof(DevState) <= CONNAC_DEV_ALIGN,
              "connac_dev is under-aligned for the core state");
static_assert(std::is_trivially_destructible_v<DevState>, "destroy only zeroizes the bytes");

uint32_t MagicOf(const connac_dev* d) {
  uint32_t m;
  __builtin_memcpy(&m, d->opaque, sizeof(m));
  return m;
}

// The state of an initialised device, or nullptr (a NULL `d` is a plain argument error; a
// device used before init or after destroy is a host bug and is reported).
DevState* StateOf(connac_dev* d) {
  if (d == nullptr || !CONNAC_CHECK(MagicOf(d) == kMagic)) return nullptr;
  return std::launder(reinterpret_cast<DevState*>(d->opaque + kStateOffset));
}
const DevState* StateOf(const connac_dev* d) {
  if (d == nullptr || !CONNAC_CHECK(MagicOf(d) == kMagic)) return nullptr;
  return std::launder(reinterpret_cast<const DevState*>(d->opaque + kStateOffset));
}

// The device for an input at `now_ns`: nullptr for a bad device or a negative time (the
// host's clock is monotonic ns since boot).
DevState* Input(connac_dev* d, long long now_ns) {
  if (now_ns < 0) return nullptr;
  return StateOf(d);
}

void Log(const DevState& s, int level, const char* msg, long long arg) {
  if (s.ops.log != nullptr) s.ops.log(s.ops.ctx, level, msg, arg);
}

connac_ticket ToC(const connac::Ticket& t) {
  connac_ticket c{};
  c.slot = t.slot;
  c.seq = t.seq;
  c.generation = t.generation;
  c.cmd = t.cmd.raw;
  return c;
}

connac::Ticket FromC(const connac_ticket& c) {
  return connac::Ticket{c.slot, c.seq, c.generation, CmdWord{c.cmd}};
}

// Pointer + length from C: a NULL pointer is only valid with length 0.
bool ValidBuf(const void* p, unsigned long len) { return p != nullptr || len == 0; }

ConstBytes In(const void* p, unsigned long len) {
  return ConstBytes(static_cast<const uint8_t*>(p), len);
}

unsigned int Offset(ConstBytes inner, ConstBytes outer) {
  if (inner.empty()) return 0;
  return static_cast<unsigned int>(inner.data() - outer.data());
}

connac::MacAddr Mac(const unsigned char a[6]) {
  connac::MacAddr m;
  connac::CopyBytes(m.b, a, sizeof(m.b));
  return m;
}

// mac80211's key, copied into the core's type (the caller wipes the copy).
void ToKeyConf(const connac_key_conf& k, connac::KeyConf* c) {
  c->cipher = k.cipher;
  c->keyidx = k.keyidx;
  c->link_id = k.link_id;
  c->key_len = k.key_len;
  connac::CopyBytes(c->key, k.key, sizeof(c->key));
}

// Member by member (the layouts match, see above); `add` and `pairwise` come from C as
// bytes and become bools only through a comparison.
void ToC(const connac::KeyAction& k, connac_key_action* c) {
  c->link_id = k.link_id;
  c->wcid = k.wcid;
  c->bss_idx = k.bss_idx;
  c->muar_idx = k.muar_idx;
  c->add = k.add ? 1 : 0;
  c->pairwise = k.pairwise ? 1 : 0;
  c->cipher_id = k.cipher_id;
  c->key_id = k.key_id;
  c->key_len = k.key_len;
  connac::CopyBytes(c->peer, k.peer.b, sizeof(c->peer));
  connac::CopyBytes(c->key, k.key, sizeof(c->key));
  c->kind = static_cast<unsigned char>(k.kind);
}

void FromC(const connac_key_action& c, connac::KeyAction* k) {
  k->link_id = c.link_id;
  k->wcid = c.wcid;
  k->bss_idx = c.bss_idx;
  k->muar_idx = c.muar_idx;
  k->add = c.add != 0;
  k->pairwise = c.pairwise != 0;
  k->cipher_id = c.cipher_id;
  k->key_id = c.key_id;
  k->key_len = c.key_len;
  connac::CopyBytes(k->peer.b, c.peer, sizeof(k->peer.b));
  connac::CopyBytes(k->key, c.key, sizeof(k->key));
  k->kind = static_cast<connac::KeyActionKind>(c.kind);
}

void ToC(const connac::RestoreItem& r, connac_restore_item* c) {
  c->kind = static_cast<unsigned char>(r.kind);
  c->link = r.link;
  c->bss_idx = r.bss_idx;
  c->wcid = r.wcid;
  c->cipher = r.cipher;
  c->active = r.active ? 1 : 0;
  connac::CopyBytes(c->addr, r.addr.b, sizeof(c->addr));
}

// Copies the first min(size, sizeof(T)) bytes of `v` to `out`.
template <typename T>
int CopyOut(const T& v, void* out, unsigned long size) {
  if (out == nullptr) return kEinval;
  __builtin_memcpy(out, &v, size < sizeof(T) ? size : sizeof(T));
  return 0;
}

// The logs of an action, at the points the v1 glue logged: timeouts (with the command
// word), the firmware declared dead, recovered or WEDGED.
void LogAction(DevState& s, const DeviceAction& d) {
  const uint32_t timeouts = s.dev.txn().counters().timeouts;
  uint32_t fresh = timeouts - s.timeouts_seen;
  s.timeouts_seen = timeouts;
  if (d.kind == Act::kFail && d.status == Neg(Errno::kTimedOut) && fresh != 0) {
    Log(s, CONNAC_LOG_WARNING, "timeout, command 0x", d.ticket.cmd.raw);
    --fresh;
  }
  // The Device's own command (a key frame or a restore item) timed out: it handles that
  // itself, the log still says so.
  for (; fresh != 0; --fresh) Log(s, CONNAC_LOG_WARNING, "timeout, command 0x", s.owned_cmd);
  const connac::ResetReport& r = s.dev.sequencer().report();
  if (d.kind == Act::kStopTx) {
    Log(s, CONNAC_LOG_WARNING, "firmware declared dead, cause", static_cast<long long>(r.cause));
  }
  if (d.kind == Act::kReport) {
    Log(s, d.wedged ? CONNAC_LOG_ERR : CONNAC_LOG_INFO,
        d.wedged ? "WEDGED, attempts:" : "recovered, attempts:", r.attempts);
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------
// The device.

extern "C" CONNAC_COLD int connac_dev_init(connac_dev* dev, unsigned int family, unsigned int flags,
                                           const connac_host_ops* ops) {
  const Profile* p = ProfileOf(family);
  if (dev == nullptr || p == nullptr || (flags & ~CONNAC_DEV_PAIRWISE_BEFORE_GROUP) != 0)
    return kEinval;
  connac_host_ops o{};
  if (ops != nullptr) {
    if (ops->size < CONNAC_HOST_OPS_MIN_SIZE || ops->version != CONNAC_API_VERSION) return kEinval;
    // A caller built against an older, shorter header: the fields it does not know stay 0.
    __builtin_memcpy(&o, ops, ops->size < sizeof(o) ? ops->size : sizeof(o));
    o.size = sizeof(o);
  }
  connac::ZeroizeBytes(dev->opaque, sizeof(dev->opaque));
  connac::DeviceConfig c;
  c.keys.pairwise_before_group = (flags & CONNAC_DEV_PAIRWISE_BEFORE_GROUP) != 0;
  new (dev->opaque + kStateOffset) DevState(*p, c, o);
  dev->opaque[kFamilyOffset] = static_cast<unsigned char>(family);
  __builtin_memcpy(dev->opaque, &kMagic, sizeof(kMagic));
  return 0;
}

extern "C" CONNAC_COLD void connac_dev_destroy(connac_dev* dev) {
  if (dev != nullptr) connac::ZeroizeBytes(dev->opaque, sizeof(dev->opaque));
}

extern "C" CONNAC_COLD int connac_dev_family(const connac_dev* dev) {
  return StateOf(dev) == nullptr ? kEinval : static_cast<int>(dev->opaque[kFamilyOffset]);
}

extern "C" CONNAC_COLD unsigned long connac_dev_state_bytes(void) {
  return kStateOffset + sizeof(DevState);
}

// ---------------------------------------------------------------------------------------
// Inputs.

extern "C" int connac_dev_submit(connac_dev* dev, unsigned int cmd, unsigned int origin,
                                 long long now_ns, connac_ticket* t) {
  DevState* s = Input(dev, now_ns);
  if (s == nullptr || t == nullptr || origin > CONNAC_ORIGIN_RESTORE) return kEinval;
  const Result<connac::Ticket> r = s->dev.Submit(
      CmdWord{cmd}, Instant{now_ns},
      origin == CONNAC_ORIGIN_RESTORE ? connac::Origin::kRestore : connac::Origin::kStack);
  if (!r.ok()) return r.status().code();
  *t = ToC(*r);
  return 0;
}

extern "C" int connac_dev_on_event(connac_dev* dev, const void* ev, unsigned long len,
                                   long long now_ns) {
  DevState* s = Input(dev, now_ns);
  if (s == nullptr || !ValidBuf(ev, len) || len > 0xffffffffUL) return kEinval;
  // The previous event's result was not handed out yet: the Device holds one at a time.
  if (s->event_unread) return Neg(Errno::kBusy);
  s->ev = static_cast<const uint8_t*>(ev);
  s->ev_len = len;
  s->event_unread = true;
  s->dev.OnEvent(In(ev, len), Instant{now_ns});
  return 0;
}

extern "C" int connac_dev_on_command_result(connac_dev* dev, const connac_ticket* t, int status,
                                            long long now_ns) {
  DevState* s = Input(dev, now_ns);
  if (s == nullptr || t == nullptr) return kEinval;
  const connac::Ticket k = FromC(*t);
  const bool timeout = status == Neg(Errno::kTimedOut) && s->dev.txn().IsCurrent(k);
  s->dev.OnCommandResult(k, status, Instant{now_ns});
  if (timeout) Log(*s, CONNAC_LOG_WARNING, "timeout, command 0x", t->cmd);
  s->timeouts_seen = s->dev.txn().counters().timeouts;
  return 0;
}

extern "C" int connac_dev_on_tick(connac_dev* dev, long long now_ns) {
  DevState* s = Input(dev, now_ns);
  if (s == nullptr) return kEinval;
  s->dev.OnTick(Instant{now_ns});
  return 0;
}

extern "C" CONNAC_COLD int connac_dev_on_step_result(connac_dev* dev, unsigned int step, int ok,
                                                     long long now_ns) {
  DevState* s = Input(dev, now_ns);
  if (s == nullptr || step >= CONNAC_STEPS) return kEinval;
  s->dev.OnStepResult(static_cast<ResetStep>(step), ok != 0, Instant{now_ns});
  return 0;
}

extern "C" CONNAC_COLD int connac_dev_on_probe_result(connac_dev* dev, int alive,
                                                      long long now_ns) {
  DevState* s = Input(dev, now_ns);
  if (s == nullptr) return kEinval;
  s->dev.OnProbeResult(alive != 0, Instant{now_ns});
  return 0;
}

extern "C" CONNAC_COLD int connac_dev_request_reset(connac_dev* dev, long long now_ns) {
  DevState* s = Input(dev, now_ns);
  if (s == nullptr) return kEinval;
  s->dev.RequestReset(Instant{now_ns});
  return 0;
}

// ---------------------------------------------------------------------------------------
// Links, stations, keys.

extern "C" CONNAC_COLD int connac_dev_set_device(connac_dev* dev, const unsigned char addr[6]) {
  DevState* s = StateOf(dev);
  if (s == nullptr || addr == nullptr) return kEinval;
  s->dev.SetDevice(Mac(addr));
  return 0;
}

extern "C" CONNAC_COLD int connac_dev_link_add(connac_dev* dev, unsigned int link,
                                               const unsigned char bssid[6], long long now_ns,
                                               unsigned int* bss_idx) {
  DevState* s = Input(dev, now_ns);
  if (s == nullptr || bssid == nullptr || link >= CONNAC_MAX_MLO_LINKS) return kEinval;
  uint8_t bss = 0;
  const Status st = s->dev.LinkAdd(static_cast<uint8_t>(link), Mac(bssid), Instant{now_ns}, &bss);
  if (st.ok() && bss_idx != nullptr) *bss_idx = bss;
  return st.code();
}

extern "C" CONNAC_COLD int connac_dev_link_associated(connac_dev* dev, unsigned int link,
                                                      const unsigned char peer[6], int active) {
  DevState* s = StateOf(dev);
  if (s == nullptr || peer == nullptr || link >= CONNAC_MAX_MLO_LINKS) return kEinval;
  return s->dev.LinkAssociated(static_cast<uint8_t>(link), Mac(peer), active != 0).code();
}

extern "C" CONNAC_COLD int connac_dev_link_remove(connac_dev* dev, unsigned int link) {
  DevState* s = StateOf(dev);
  if (s == nullptr) return kEinval;
  // An unknown link is no link: idempotent.
  if (link >= CONNAC_MAX_MLO_LINKS) return 0;
  return s->dev.LinkRemove(static_cast<uint8_t>(link)).code();
}

extern "C" CONNAC_COLD int connac_dev_sta_add(connac_dev* dev, unsigned int link,
                                              const unsigned char addr[6], long long now_ns) {
  DevState* s = Input(dev, now_ns);
  if (s == nullptr || addr == nullptr || link >= CONNAC_MAX_MLO_LINKS) return kEinval;
  return s->dev.StaAdd(static_cast<uint8_t>(link), Mac(addr), Instant{now_ns}).code();
}

extern "C" CONNAC_COLD int connac_dev_sta_remove(connac_dev* dev, unsigned int link) {
  DevState* s = StateOf(dev);
  if (s == nullptr) return kEinval;
  if (link >= CONNAC_MAX_MLO_LINKS) return 0;
  return s->dev.StaRemove(static_cast<uint8_t>(link)).code();
}

extern "C" CONNAC_COLD int connac_dev_set_key(connac_dev* dev, unsigned int cmd,
                                              const connac_key_conf* key, long long now_ns) {
  DevState* s = Input(dev, now_ns);
  if (s == nullptr || key == nullptr || (cmd != CONNAC_KEY_SET && cmd != CONNAC_KEY_DISABLE))
    return kEinval;
  const bool disable = cmd == CONNAC_KEY_DISABLE;
  if (disable && key->link_id >= 0 && key->link_id < CONNAC_MAX_MLO_LINKS &&
      !s->dev.keys().link(static_cast<uint8_t>(key->link_id)).up) {
    Log(*s, CONNAC_LOG_DEBUG, "keys: DISABLE on a link that is down: done, no MCU traffic; link",
        key->link_id);
  }
  connac::KeyConf k;
  ToKeyConf(*key, &k);
  const Status st =
      s->dev.SetKey(disable ? connac::KeyCmd::kDisable : connac::KeyCmd::kSet, k, Instant{now_ns});
  connac::ZeroizeBytes(k.key, sizeof(k.key));
  return st.code();
}

// ---------------------------------------------------------------------------------------
// Outputs.

extern "C" int connac_dev_next_action(connac_dev* dev, connac_action* a) {
  DevState* s = StateOf(dev);
  if (s == nullptr || a == nullptr) return kEinval;
  *a = connac_action{};
  DeviceAction d;
  bool got = s->dev.NextAction(&d);
  // With a probe callback the host never sees PROBE: the core asks and feeds the answer
  // back. Each answer moves the sequencer out of PROBING, so this ends.
  for (int guard = 0; got && d.kind == Act::kProbe && s->ops.probe != nullptr; ++guard) {
    if (!CONNAC_CHECK(guard < 4)) return kEinval;
    const bool alive = s->ops.probe(s->ops.ctx) == 0;
    Log(*s, CONNAC_LOG_DEBUG, "liveness probe, alive:", alive);
    s->dev.OnProbeResult(alive, Instant{});  // the Device's own `now`: time never goes back
    got = s->dev.NextAction(&d);
  }
  // The result of the last event, if it had one, came first: the event is done with.
  const ConstBytes ev(s->ev, s->event_unread ? s->ev_len : 0);
  s->ev = nullptr;
  s->ev_len = 0;
  s->event_unread = false;
  if (!got) {
    LogAction(*s, d);  // a timeout of the Device's own command may be all that happened
    return 0;
  }
  int ret = 1;
  a->kind = static_cast<unsigned int>(d.kind);
  a->status = d.status;
  a->ticket = ToC(d.ticket);
  switch (d.kind) {
    case Act::kComplete:
    case Act::kUnsolicited: {
      const ConstBytes v = d.kind == Act::kComplete ? d.payload : d.event;
      // The Device's views point into the event this device was given last.
      if (!v.empty() && !CONNAC_CHECK(v.data() >= ev.data() && ev.data() != nullptr &&
                                      v.data() + v.size() <= ev.data() + ev.size())) {
        *a = connac_action{};
        ret = kEinval;
        break;
      }
      a->payload_offset = Offset(v, ev);
      a->payload_len = static_cast<unsigned int>(v.size());
      break;
    }
    case Act::kSend:
      a->cmd = d.cmd.raw;
      a->is_restore = d.is_restore ? 1 : 0;
      s->owned_cmd = d.cmd.raw;
      if (d.is_restore) {
        ToC(d.restore, &a->restore);
      } else {
        ToC(d.key, &a->key);
      }
      break;
    case Act::kRunStep: a->step = static_cast<unsigned int>(d.step); break;
    case Act::kReport: a->wedged = d.wedged ? 1 : 0; break;
    default: break;
  }
  LogAction(*s, d);
  connac::ZeroizeBytes(d.key.key, sizeof(d.key.key));
  return ret;
}

extern "C" long long connac_dev_next_deadline(const connac_dev* dev) {
  const DevState* s = StateOf(dev);
  return s == nullptr ? CONNAC_NEVER : s->dev.NextDeadline().ns;
}

extern "C" CONNAC_COLD int connac_dev_state(const connac_dev* dev) {
  const DevState* s = StateOf(dev);
  return s == nullptr ? kEinval : E(s->dev.state());
}

extern "C" CONNAC_COLD int connac_dev_get_counters(const connac_dev* dev, connac_counters* c,
                                                   unsigned long size) {
  const DevState* s = StateOf(dev);
  if (s == nullptr || c == nullptr) return kEinval;
  connac_counters v{};
  const connac::TxnCounters& t = s->dev.txn().counters();
  v.armed = t.armed;
  v.completed = t.completed;
  v.timeouts = t.timeouts;
  v.stale = t.stale;
  v.late = t.late;
  v.unmatched = t.unmatched;
  v.malformed = t.malformed;
  v.canceled = t.canceled;
  v.in_flight = static_cast<unsigned int>(s->dev.txn().in_flight());
  v.quarantined = s->dev.txn().quarantined();
  const connac::ResetCounters& k = s->dev.sequencer().counters();
  for (size_t i = 0; i < connac::kResetCauses; ++i) v.triggers[i] = k.triggers[i];
  for (size_t i = 0; i < connac::kResetSteps; ++i) {
    v.step_failures[i] = k.step_failures[i];
    v.step_timeouts[i] = k.step_timeouts[i];
  }
  v.coalesced = k.coalesced;
  v.episodes = k.episodes;
  v.attempts = k.attempts;
  v.failed_attempts = k.failed_attempts;
  v.crashes_in_restore = k.crashes_in_restore;
  v.quick_relapses = k.quick_relapses;
  v.recoveries = k.recoveries;
  v.hold_offs = k.hold_offs;
  v.wedged = k.wedged;
  v.probes = k.probes;
  v.probes_alive = k.probes_alive;
  v.stale_results = k.stale_results;
  v.failures = s->dev.sequencer().failures();
  const connac::DeviceCounters& d = s->dev.counters();
  v.submitted = d.submitted;
  v.refused = d.refused;
  v.key_ops = d.key_ops;
  v.key_ops_failed = d.key_ops_failed;
  v.key_frames = d.key_frames;
  v.rollback_frames = d.rollback_frames;
  v.restore_items = d.restore_items;
  v.keys_replayed = d.keys_replayed;
  return CopyOut(v, c, size);
}

extern "C" CONNAC_COLD int connac_dev_get_report(const connac_dev* dev, connac_report* r,
                                                 unsigned long size) {
  const DevState* s = StateOf(dev);
  if (s == nullptr || r == nullptr) return kEinval;
  const connac::ResetReport& k = s->dev.sequencer().report();
  connac_report v{};
  v.cause = static_cast<int>(k.cause);
  v.attempts = k.attempts;
  v.detected_ns = k.detected.ns;
  v.ended_ns = k.ended.ns;
  v.recovered = k.recovered ? 1 : 0;
  return CopyOut(v, r, size);
}

extern "C" CONNAC_COLD int connac_dev_get_config(const connac_dev* dev, connac_config* cfg,
                                                 unsigned long size) {
  const DevState* s = StateOf(dev);
  if (s == nullptr || cfg == nullptr || size < sizeof(cfg->size)) return kEinval;
  const connac::ResetConfig& k = s->dev.sequencer().config();
  connac_config v{};
  v.size = static_cast<unsigned int>(size < sizeof(v) ? size : sizeof(v));
  v.hold_off_after = k.hold_off_after;
  v.wedge_after = k.wedge_after;
  v.suspect_ns = k.suspect.ns;
  v.probe_window_ns = k.probe_window.ns;
  for (size_t i = 0; i < connac::kResetSteps; ++i) v.step_watchdog_ns[i] = k.step_watchdog[i].ns;
  for (size_t i = 0; i < sizeof(v.backoff_ns) / sizeof(v.backoff_ns[0]); ++i)
    v.backoff_ns[i] = k.backoff[i].ns;
  v.hold_off_ns = k.hold_off.ns;
  v.healthy_decay_ns = k.healthy_decay.ns;
  return CopyOut(v, cfg, size);
}

extern "C" CONNAC_COLD int connac_dev_set_config(connac_dev* dev, const connac_config* cfg) {
  DevState* s = StateOf(dev);
  if (s == nullptr || cfg == nullptr || cfg->size < CONNAC_CONFIG_MIN_SIZE ||
      cfg->wedge_after == 0 || cfg->suspect_ns < 0 || cfg->probe_window_ns <= 0 ||
      cfg->hold_off_ns < 0 || cfg->healthy_decay_ns < 0) {
    return kEinval;
  }
  connac::ResetConfig k = s->dev.sequencer().config();
  for (size_t i = 0; i < connac::kResetSteps; ++i) {
    if (cfg->step_watchdog_ns[i] <= 0) return kEinval;
    k.step_watchdog[i] = connac::Duration::Nanos(cfg->step_watchdog_ns[i]);
  }
  for (size_t i = 0; i < sizeof(cfg->backoff_ns) / sizeof(cfg->backoff_ns[0]); ++i) {
    if (cfg->backoff_ns[i] < 0) return kEinval;
    k.backoff[i] = connac::Duration::Nanos(cfg->backoff_ns[i]);
  }
  k.suspect = connac::Duration::Nanos(cfg->suspect_ns);
  k.probe_window = connac::Duration::Nanos(cfg->probe_window_ns);
  k.hold_off_after = cfg->hold_off_after;
  k.hold_off = connac::Duration::Nanos(cfg->hold_off_ns);
  k.wedge_after = cfg->wedge_after;
  k.healthy_decay = connac::Duration::Nanos(cfg->healthy_decay_ns);
  return s->dev.SetResetConfig(k).code();
}

// ---------------------------------------------------------------------------------------
// Framing and names (stateless).

extern "C" long connac_frame_encode(unsigned int family, unsigned int cmd, unsigned char seq,
                                    unsigned int flags, const void* payload,
                                    unsigned long payload_len, void* out, unsigned long out_len) {
  const Profile* p = ProfileOf(family);
  if (p == nullptr || (flags & ~CONNAC_FRAME_NO_WAIT) != 0 || !ValidBuf(payload, payload_len) ||
      !ValidBuf(out, out_len)) {
    return kEinval;
  }
  connac::FrameParams params;
  params.wait_response = (flags & CONNAC_FRAME_NO_WAIT) == 0;
  const Result<size_t> n =
      connac::EncodeFrame(*p, CmdWord{cmd}, seq, In(payload, payload_len),
                          MutableBytes(static_cast<uint8_t*>(out), out_len), params);
  return n.ok() ? static_cast<long>(*n) : n.status().code();
}

extern "C" CONNAC_COLD int connac_frame_decode(const void* frame, unsigned long len,
                                               connac_frame_info* info) {
  if (info == nullptr || !ValidBuf(frame, len)) return kEinval;
  *info = connac_frame_info{};
  const char* reason = nullptr;
  const Result<connac::DecodedFrame> d = connac::DecodeFrame(In(frame, len), &reason);
  if (!d.ok()) {
    info->reason = reason;
    return d.status().code();
  }
  info->cmd = d->cmd.raw;
  info->uni = d->uni ? 1 : 0;
  info->seq = d->seq;
  info->option = d->option;
  info->s2d_index = d->s2d_index;
  info->len = d->len;
  info->header_size =
      static_cast<unsigned short>(d->uni ? connac::kUniHeaderSize : connac::kLegacyHeaderSize);
  info->payload_len = d->payload.size();
  return 0;
}

extern "C" int connac_parse_response(unsigned int family, unsigned int cmd, unsigned char seq,
                                     const void* ev, unsigned long len, connac_response* r) {
  const Profile* p = ProfileOf(family);
  if (p == nullptr || r == nullptr || !ValidBuf(ev, len)) return kEinval;
  *r = connac_response{};
  const ConstBytes raw = In(ev, len);
  const connac::Response resp = connac::ParseResponse(*p, CmdWord{cmd}, seq, raw);
  switch (resp.verdict) {
    case connac::Verdict::kDone:
      r->fw_status = resp.status;
      r->payload_offset = Offset(resp.payload, raw);
      r->payload_len = resp.payload.size();
      return 0;
    case connac::Verdict::kStale: r->reason = resp.reason; return Neg(Errno::kAgain);
    case connac::Verdict::kMalformed: r->reason = resp.reason; return Neg(Errno::kBadMsg);
  }
  return kEinval;
}

extern "C" CONNAC_COLD long connac_key_action_encode(unsigned int family,
                                                     const connac_key_action* a, unsigned char seq,
                                                     void* out, unsigned long out_len) {
  const Profile* p = ProfileOf(family);
  if (p == nullptr || a == nullptr || !ValidBuf(out, out_len) || a->kind != CONNAC_KEY_ACTION_KEY ||
      seq < 1 || seq > CONNAC_MAX_SEQ)
    return kEinval;
  // The frame's size is fixed: refuse a short buffer before a byte of it is written.
  if (out_len < CONNAC_KEY_FRAME_SIZE) return Neg(Errno::kNoBufs);
  connac::KeyAction k;
  FromC(*a, &k);
  const Result<ConstBytes> f =
      connac::EncodeKeyAction(*p, k, seq, MutableBytes(static_cast<uint8_t*>(out), out_len));
  connac::ZeroizeBytes(k.key, sizeof(k.key));
  return f.ok() ? static_cast<long>(f->size()) : f.status().code();
}

extern "C" CONNAC_COLD const char* connac_cmd_name(unsigned int cmd, const char** kind) {
  const connac::CmdName n = connac::DescribeCmd(CmdWord{cmd});
  if (kind != nullptr) *kind = n.kind_name;
  return n.name;
}

extern "C" CONNAC_COLD long long connac_cmd_timeout_ns(unsigned int family, unsigned int cmd) {
  const Profile* p = ProfileOf(family);
  if (p == nullptr) return kEinval;
  return connac::TimeoutFor(*p, CmdWord{cmd}).ns;
}

extern "C" CONNAC_COLD const char* connac_errno_name(int err) { return connac::ErrnoName(err); }

extern "C" CONNAC_COLD const char* connac_state_name(int state) {
  if (state < 0 || state > CONNAC_STATE_WEDGED) return nullptr;
  return connac::ResetStateName(static_cast<ResetState>(state));
}

extern "C" CONNAC_COLD const char* connac_step_name(unsigned int step) {
  return step < CONNAC_STEPS ? connac::ResetStepName(static_cast<ResetStep>(step)) : nullptr;
}
