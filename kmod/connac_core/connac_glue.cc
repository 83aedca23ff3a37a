// connac_glue.cc: the C API of connac_core.ko (kmod/include/connac_core.h), implemented on
// the header-only C++ core.
//
// Why a separate C++ object: the core is C++ and the kernel's module code is C. This file
// is the only place where the two meet. It includes no kernel header (they are not C++); the
// kernel services it needs come from the C shim through connac_shim.h. The same file is
// compiled by kbuild (kmod/cxx.mk, with the kernel's own flags and objtool) and by Bazel for
// the userspace tests of the API (kmod/BUILD), so both run the same code.
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

#include "connac/bytes.h"
#include "connac/family.h"
#include "connac/keys.h"
#include "connac/mcu_cmd.h"
#include "connac/mcu_event.h"
#include "connac/mcu_frame.h"
#include "connac/mcu_response.h"
#include "connac/mcu_txn.h"
#include "connac/reset.h"
#include "connac/status.h"
#include "connac/time.h"
#include "connac_core.h"
#include "connac_impl.h"
#include "connac_shim.h"

// Reports a broken invariant and evaluates to false, so callers write
// `if (!CONNAC_CHECK(x)) return -EINVAL;`.
#define CONNAC_CHECK(cond)       \
  (__builtin_expect(!!(cond), 1) \
       ? true                    \
       : (connac_shim_assert_failed(#cond, __FILE_NAME__, __LINE__), false))

namespace {

using connac::CmdWord;
using connac::ConstBytes;
using connac::Errno;
using connac::MutableBytes;
using connac::Profile;
using connac::Result;
using connac::Status;

constexpr int kEinval = -static_cast<int>(Errno::kInval);

// The C header spells out numbers the core defines; they must agree.
static_assert(CONNAC_MAX_SEQ == connac::kMaxSeq);
static_assert(CONNAC_UNI_HEADER_SIZE == connac::kUniHeaderSize);
static_assert(CONNAC_LEGACY_HEADER_SIZE == connac::kLegacyHeaderSize);
static_assert(CONNAC_KEY_MAX_LEN == connac::kMaxKeyLen);
static_assert(CONNAC_KEY_ACTIONS_MAX == connac::KeyActionList::kCapacity);
static_assert(CONNAC_KEY_FRAME_SIZE == connac::kKeyFrameSize);
static_assert(CONNAC_MAX_MLO_LINKS == connac::kMaxMloLinks);
static_assert(CONNAC_NEVER == connac::Instant::Never().ns);
static_assert(CONNAC_SUITE_CCMP == connac::suite::kCcmp &&
              CONNAC_SUITE_AES_CMAC == connac::suite::kAesCmac &&
              CONNAC_SUITE_TKIP == connac::suite::kTkip &&
              CONNAC_SUITE_GCMP == connac::suite::kGcmp &&
              CONNAC_SUITE_GCMP_256 == connac::suite::kGcmp256 &&
              CONNAC_SUITE_CCMP_256 == connac::suite::kCcmp256);
static_assert(CONNAC_EV_COMPLETED == int{connac::EventOutcome::kCompleted} &&
              CONNAC_EV_STALE == int{connac::EventOutcome::kStale} &&
              CONNAC_EV_LATE == int{connac::EventOutcome::kLate} &&
              CONNAC_EV_UNMATCHED == int{connac::EventOutcome::kUnmatched} &&
              CONNAC_EV_MALFORMED == int{connac::EventOutcome::kMalformed} &&
              CONNAC_EV_UNSOLICITED == int{connac::EventOutcome::kUnsolicited});

// The sequencer's C enums and flags are the core's values.
using connac::ResetActions;
using connac::ResetState;
using connac::ResetStep;
constexpr int StateC(ResetState s) { return static_cast<int>(s); }
static_assert(CONNAC_SEQ_RUNNING == StateC(ResetState::kRunning) &&
              CONNAC_SEQ_PROBING == StateC(ResetState::kProbing) &&
              CONNAC_SEQ_WFSYS_RESET == StateC(ResetState::kWfsys) &&
              CONNAC_SEQ_FW_SEMAPHORE == StateC(ResetState::kSemaphore) &&
              CONNAC_SEQ_FW_PATCH == StateC(ResetState::kPatch) &&
              CONNAC_SEQ_FW_RAM == StateC(ResetState::kRam) &&
              CONNAC_SEQ_FW_READY == StateC(ResetState::kReady) &&
              CONNAC_SEQ_RESTORE == StateC(ResetState::kRestore) &&
              CONNAC_SEQ_BACKOFF == StateC(ResetState::kBackoff) &&
              CONNAC_SEQ_HOLD_OFF == StateC(ResetState::kHoldOff) &&
              CONNAC_SEQ_WEDGED == StateC(ResetState::kWedged));
static_assert(CONNAC_SEQ_STEPS == connac::kResetSteps && CONNAC_SEQ_CAUSES == connac::kResetCauses);
static_assert(CONNAC_SEQ_STEP_WFSYS == static_cast<int>(ResetStep::kWfsys) &&
              CONNAC_SEQ_STEP_SEMAPHORE == static_cast<int>(ResetStep::kSemaphore) &&
              CONNAC_SEQ_STEP_PATCH == static_cast<int>(ResetStep::kPatch) &&
              CONNAC_SEQ_STEP_RAM == static_cast<int>(ResetStep::kRam) &&
              CONNAC_SEQ_STEP_READY == static_cast<int>(ResetStep::kReady) &&
              CONNAC_SEQ_STEP_RESTORE == static_cast<int>(ResetStep::kRestore));
static_assert(CONNAC_SEQ_CAUSE_TIMEOUT == static_cast<int>(connac::ResetCause::kTimeout) &&
              CONNAC_SEQ_CAUSE_ASSERT == static_cast<int>(connac::ResetCause::kAssert) &&
              CONNAC_SEQ_CAUSE_PROBE == static_cast<int>(connac::ResetCause::kProbe) &&
              CONNAC_SEQ_CAUSE_REQUEST == static_cast<int>(connac::ResetCause::kRequest));
static_assert(CONNAC_SEQ_ACT_FAIL_PENDING == ResetActions::kFailPending &&
              CONNAC_SEQ_ACT_REJECT_NEW == ResetActions::kRejectNew &&
              CONNAC_SEQ_ACT_STOP_TX == ResetActions::kStopTx &&
              CONNAC_SEQ_ACT_RUN_STEP == ResetActions::kRunStep &&
              CONNAC_SEQ_ACT_PROBE == ResetActions::kProbe &&
              CONNAC_SEQ_ACT_RESUME_TX == ResetActions::kResumeTx &&
              CONNAC_SEQ_ACT_ACCEPT_NEW == ResetActions::kAcceptNew &&
              CONNAC_SEQ_ACT_REPORT == ResetActions::kReport &&
              CONNAC_SEQ_ACT_WEDGED == ResetActions::kWedged);
static_assert(sizeof(connac::ResetConfig::backoff) / sizeof(connac::Duration) ==
              sizeof(connac_seq_config::backoff_ns) / sizeof(long long));
static_assert(CONNAC_RESTORE_DEVICE == static_cast<int>(connac::RestoreRecord::ItemKind::kDevice) &&
              CONNAC_RESTORE_BSS == static_cast<int>(connac::RestoreRecord::ItemKind::kBss) &&
              CONNAC_RESTORE_STA == static_cast<int>(connac::RestoreRecord::ItemKind::kSta) &&
              CONNAC_RESTORE_KEYS == static_cast<int>(connac::RestoreRecord::ItemKind::kKeys));
static_assert(CONNAC_RESTORE_MAX_ITEMS == connac::RestoreRecord::kMaxItems);

// Each connac_impl_ twin has exactly the signature of the public function that calls it.
#define CONNAC_SAME_SIGNATURE(name) \
  static_assert(std::is_same_v<decltype(&connac_impl_##name), decltype(&connac_##name)>)
CONNAC_SAME_SIGNATURE(dev_init);
CONNAC_SAME_SIGNATURE(dev_destroy);
CONNAC_SAME_SIGNATURE(dev_family);
CONNAC_SAME_SIGNATURE(dev_state_bytes);
CONNAC_SAME_SIGNATURE(frame_encode);
CONNAC_SAME_SIGNATURE(frame_decode);
CONNAC_SAME_SIGNATURE(parse_response);
CONNAC_SAME_SIGNATURE(cmd_name);
CONNAC_SAME_SIGNATURE(cmd_timeout_ns);
CONNAC_SAME_SIGNATURE(errno_name);
CONNAC_SAME_SIGNATURE(txn_arm);
CONNAC_SAME_SIGNATURE(txn_on_event);
CONNAC_SAME_SIGNATURE(txn_expire);
CONNAC_SAME_SIGNATURE(txn_next_deadline);
CONNAC_SAME_SIGNATURE(txn_cancel);
CONNAC_SAME_SIGNATURE(txn_is_current);
CONNAC_SAME_SIGNATURE(txn_fail_all);
CONNAC_SAME_SIGNATURE(txn_get_counters);
CONNAC_SAME_SIGNATURE(key_link_add);
CONNAC_SAME_SIGNATURE(key_link_remove);
CONNAC_SAME_SIGNATURE(key_sta_add);
CONNAC_SAME_SIGNATURE(key_sta_remove);
CONNAC_SAME_SIGNATURE(key_set);
CONNAC_SAME_SIGNATURE(key_abort);
CONNAC_SAME_SIGNATURE(key_reset_begin);
CONNAC_SAME_SIGNATURE(key_reset_replay);
CONNAC_SAME_SIGNATURE(key_action_encode);
CONNAC_SAME_SIGNATURE(key_actions_wipe);
CONNAC_SAME_SIGNATURE(seq_admit);
CONNAC_SAME_SIGNATURE(seq_on_timeout);
CONNAC_SAME_SIGNATURE(seq_on_assert);
CONNAC_SAME_SIGNATURE(seq_on_request);
CONNAC_SAME_SIGNATURE(seq_on_step_result);
CONNAC_SAME_SIGNATURE(seq_on_probe_result);
CONNAC_SAME_SIGNATURE(seq_on_tick);
CONNAC_SAME_SIGNATURE(seq_next_deadline);
CONNAC_SAME_SIGNATURE(seq_state);
CONNAC_SAME_SIGNATURE(seq_state_name);
CONNAC_SAME_SIGNATURE(seq_step_name);
CONNAC_SAME_SIGNATURE(seq_get_counters);
CONNAC_SAME_SIGNATURE(seq_get_report);
CONNAC_SAME_SIGNATURE(seq_get_config);
CONNAC_SAME_SIGNATURE(seq_set_config);
CONNAC_SAME_SIGNATURE(restore_set_device);
CONNAC_SAME_SIGNATURE(restore_link_joining);
CONNAC_SAME_SIGNATURE(restore_link_associated);
CONNAC_SAME_SIGNATURE(restore_link_removed);
CONNAC_SAME_SIGNATURE(restore_make_plan);
#undef CONNAC_SAME_SIGNATURE

// enum connac_family indexes kAllProfiles.
static_assert(sizeof(connac::kAllProfiles) / sizeof(connac::kAllProfiles[0]) == 3);

const Profile* ProfileOf(unsigned int family) {
  switch (family) {
    case CONNAC_MT7921: return &connac::kMt7921;
    case CONNAC_MT7925: return &connac::kMt7925;
    case CONNAC_MT7996: return &connac::kMt7996;
    default: return nullptr;
  }
}

// struct connac_key_action / connac_key_actions are the core's KeyAction / KeyActionList
// seen from C: the glue hands the caller's list to KeyTable as is, so no 760-byte copy
// lands on the kernel stack. Both are standard-layout aggregates of bytes; every offset is
// checked here, and the kernel builds with -fno-strict-aliasing.
static_assert(std::is_standard_layout_v<connac::KeyAction> &&
              std::is_trivially_copyable_v<connac::KeyAction>);
static_assert(std::is_standard_layout_v<connac::KeyActionList> &&
              std::is_trivially_copyable_v<connac::KeyActionList>);
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
#undef CONNAC_SAME_FIELD
static_assert(sizeof(connac_key_action) == sizeof(connac::KeyAction) &&
              alignof(connac_key_action) == alignof(connac::KeyAction));
static_assert(offsetof(connac_key_actions, items) == offsetof(connac::KeyActionList, items) &&
              offsetof(connac_key_actions, count) == offsetof(connac::KeyActionList, size) &&
              sizeof(connac_key_actions::count) == sizeof(connac::KeyActionList::size) &&
              sizeof(connac_key_actions) == sizeof(connac::KeyActionList) &&
              alignof(connac_key_actions) == alignof(connac::KeyActionList));

connac::KeyActionList* AsList(connac_key_actions* a) {
  return reinterpret_cast<connac::KeyActionList*>(a);
}
const connac::KeyActionList* AsList(const connac_key_actions* a) {
  return reinterpret_cast<const connac::KeyActionList*>(a);
}
const connac::KeyAction* AsAction(const connac_key_action* a) {
  return reinterpret_cast<const connac::KeyAction*>(a);
}

// ---------------------------------------------------------------------------------------
// The per-device state inside struct connac_dev.

// Layout of connac_dev::opaque: a 4-byte magic at offset 0 (set by connac_dev_init, zeroed
// by destroy, so use before init or after destroy is caught), the family at kFamilyOffset
// (in the header's padding: DevState has no byte to spare), the core state at kStateOffset.
constexpr uint32_t kMagic = 0x636e6331;  // "cnc1"
constexpr size_t kFamilyOffset = sizeof(kMagic);
constexpr size_t kStateOffset = CONNAC_DEV_ALIGN;
static_assert(kFamilyOffset < kStateOffset);

// The members are ordered so the struct packs without holes (the budget is tight: 4096 bytes
// hold all of it, the reason CONNAC_TXN_MAX_INFLIGHT went from 8 to 7). The profile is the
// in-flight table's (txn.profile()).
struct DevState {
  DevState(const Profile& p, connac::KeyPolicy policy, const connac_host_ops& o)
      : ops(o), txn(p), keys(policy) {}

  connac_host_ops ops;  // The caller's ops, zero-extended to this header's size.
  connac::InflightTable<CONNAC_TXN_MAX_INFLIGHT> txn;
  connac::KeyTable keys;
  connac::ResetSequencer seq;
  connac::RestoreRecord restore;
  // The device address of `restore`, which keeps it private (the restore plan hands it to the
  // host). Drop this copy once RestoreRecord has an accessor.
  connac::MacAddr device_addr;
  bool has_device = false;
};

static_assert(kStateOffset + sizeof(DevState) <= CONNAC_DEV_SIZE,
              "connac_dev is too small for the core state");
static_assert(alignof(DevState) <= CONNAC_DEV_ALIGN,
              "connac_dev is under-aligned for the core state");
static_assert(std::is_trivially_destructible_v<DevState>, "destroy only zeroizes the bytes");
static_assert(sizeof(connac_restore_item) == 12 && sizeof(connac_seq_actions) == 8);

uint32_t MagicOf(const connac_dev* d) {
  uint32_t m;
  __builtin_memcpy(&m, d->opaque, sizeof(m));
  return m;
}

// The state of an initialised device, or nullptr (a NULL `d` is a plain argument error; a
// device used before init or after destroy is a host bug and is reported).
DevState* State(connac_dev* d) {
  if (d == nullptr || !CONNAC_CHECK(MagicOf(d) == kMagic)) return nullptr;
  return std::launder(reinterpret_cast<DevState*>(d->opaque + kStateOffset));
}
const DevState* State(const connac_dev* d) {
  if (d == nullptr || !CONNAC_CHECK(MagicOf(d) == kMagic)) return nullptr;
  return std::launder(reinterpret_cast<const DevState*>(d->opaque + kStateOffset));
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

// mac80211's key, copied into the core's type (and wiped by the caller).
connac::KeyConf ToKeyConf(const connac_key_conf& k) {
  connac::KeyConf c;
  c.cipher = k.cipher;
  c.keyidx = k.keyidx;
  c.link_id = k.link_id;
  c.key_len = k.key_len;
  connac::CopyBytes(c.key, k.key, sizeof(c.key));
  return c;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Per-device state.

extern "C" int connac_impl_dev_init(connac_dev* dev, unsigned int family, unsigned int flags,
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
  connac::KeyPolicy policy;
  policy.pairwise_before_group = (flags & CONNAC_DEV_PAIRWISE_BEFORE_GROUP) != 0;
  new (dev->opaque + kStateOffset) DevState(*p, policy, o);
  dev->opaque[kFamilyOffset] = static_cast<unsigned char>(family);
  __builtin_memcpy(dev->opaque, &kMagic, sizeof(kMagic));
  return 0;
}

extern "C" void connac_impl_dev_destroy(connac_dev* dev) {
  if (dev == nullptr) return;
  connac::ZeroizeBytes(dev->opaque, sizeof(dev->opaque));
}

extern "C" int connac_impl_dev_family(const connac_dev* dev) {
  return State(dev) == nullptr ? kEinval : static_cast<int>(dev->opaque[kFamilyOffset]);
}

extern "C" unsigned long connac_impl_dev_state_bytes(void) {
  return kStateOffset + sizeof(DevState);
}

// ---------------------------------------------------------------------------------------
// Framing.

extern "C" long connac_impl_frame_encode(unsigned int family, unsigned int cmd, unsigned char seq,
                                         unsigned int flags, const void* payload,
                                         unsigned long payload_len, void* out,
                                         unsigned long out_len) {
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

extern "C" int connac_impl_frame_decode(const void* frame, unsigned long len,
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

extern "C" int connac_impl_parse_response(unsigned int family, unsigned int cmd, unsigned char seq,
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
    case connac::Verdict::kStale: r->reason = resp.reason; return -static_cast<int>(Errno::kAgain);
    case connac::Verdict::kMalformed:
      r->reason = resp.reason;
      return -static_cast<int>(Errno::kBadMsg);
  }
  return kEinval;
}

extern "C" const char* connac_impl_cmd_name(unsigned int cmd, const char** kind) {
  const connac::CmdName n = connac::DescribeCmd(CmdWord{cmd});
  if (kind != nullptr) *kind = n.kind_name;
  return n.name;
}

extern "C" long long connac_impl_cmd_timeout_ns(unsigned int family, unsigned int cmd) {
  const Profile* p = ProfileOf(family);
  if (p == nullptr) return kEinval;
  return connac::TimeoutFor(*p, CmdWord{cmd}).ns;
}

extern "C" const char* connac_impl_errno_name(int err) { return connac::ErrnoName(err); }

// ---------------------------------------------------------------------------------------
// In-flight table.

extern "C" int connac_impl_txn_arm(connac_dev* dev, unsigned int cmd, long long now_ns,
                                   connac_ticket* t) {
  DevState* s = State(dev);
  if (s == nullptr || t == nullptr) return kEinval;
  const Result<connac::Ticket> tk = s->txn.Arm(CmdWord{cmd}, connac::Instant{now_ns});
  if (!tk.ok()) return tk.status().code();
  *t = ToC(*tk);
  return 0;
}

extern "C" int connac_impl_txn_on_event(connac_dev* dev, const void* ev, unsigned long len,
                                        connac_event_outcome* o) {
  DevState* s = State(dev);
  if (s == nullptr || o == nullptr || !ValidBuf(ev, len)) return kEinval;
  const ConstBytes raw = In(ev, len);
  const connac::EventOutcome out = s->txn.OnEvent(raw);
  *o = connac_event_outcome{};
  o->kind = out.kind;
  o->reason = out.reason;
  if (out.kind == connac::EventOutcome::kCompleted || out.kind == connac::EventOutcome::kStale) {
    o->ticket = ToC(out.ticket);
  }
  if (out.kind == connac::EventOutcome::kCompleted) {
    o->fw_status = out.status;
    o->payload_offset = Offset(out.payload, raw);
    o->payload_len = out.payload.size();
  }
  if (out.kind == connac::EventOutcome::kLate)
    Log(*s, CONNAC_LOG_INFO, "txn: late answer absorbed, seq freed", 0);
  return o->kind;
}

extern "C" unsigned int connac_impl_txn_expire(connac_dev* dev, long long now_ns,
                                               connac_ticket* out, unsigned int max) {
  DevState* s = State(dev);
  if (s == nullptr || (out == nullptr && max != 0)) return 0;
  connac::Ticket batch[CONNAC_TXN_MAX_INFLIGHT];
  const unsigned int n = static_cast<unsigned int>(
      s->txn.Expire(connac::Instant{now_ns}, batch,
                    max < CONNAC_TXN_MAX_INFLIGHT ? max : CONNAC_TXN_MAX_INFLIGHT));
  for (unsigned int i = 0; i < n; ++i) {
    out[i] = ToC(batch[i]);
    Log(*s, CONNAC_LOG_WARNING, "txn: timeout, command 0x", batch[i].cmd.raw);
  }
  return n;
}

extern "C" long long connac_impl_txn_next_deadline(const connac_dev* dev) {
  const DevState* s = State(dev);
  return s == nullptr ? CONNAC_NEVER : s->txn.NextDeadline().ns;
}

extern "C" int connac_impl_txn_cancel(connac_dev* dev, const connac_ticket* t) {
  DevState* s = State(dev);
  if (s == nullptr || t == nullptr) return kEinval;
  return s->txn.Cancel(FromC(*t)).code();
}

extern "C" int connac_impl_txn_is_current(const connac_dev* dev, const connac_ticket* t) {
  const DevState* s = State(dev);
  if (s == nullptr || t == nullptr) return 0;
  return s->txn.IsCurrent(FromC(*t)) ? 1 : 0;
}

extern "C" unsigned int connac_impl_txn_fail_all(connac_dev* dev, connac_ticket* out,
                                                 unsigned int max) {
  DevState* s = State(dev);
  if (s == nullptr || (out == nullptr && max != 0)) return 0;
  connac::Ticket batch[CONNAC_TXN_MAX_INFLIGHT];
  const unsigned int n = static_cast<unsigned int>(
      s->txn.FailAll(batch, max < CONNAC_TXN_MAX_INFLIGHT ? max : CONNAC_TXN_MAX_INFLIGHT));
  for (unsigned int i = 0; i < n; ++i) out[i] = ToC(batch[i]);
  if (n != 0) Log(*s, CONNAC_LOG_WARNING, "txn: fail all, commands failed:", n);
  return n;
}

extern "C" void connac_impl_txn_get_counters(const connac_dev* dev, connac_txn_counters* c) {
  if (c == nullptr) return;
  *c = connac_txn_counters{};
  const DevState* s = State(dev);
  if (s == nullptr) return;
  const connac::TxnCounters& k = s->txn.counters();
  c->armed = k.armed;
  c->completed = k.completed;
  c->timeouts = k.timeouts;
  c->stale = k.stale;
  c->late = k.late;
  c->unmatched = k.unmatched;
  c->malformed = k.malformed;
  c->canceled = k.canceled;
  c->in_flight = static_cast<unsigned int>(s->txn.in_flight());
  c->quarantined = s->txn.quarantined();
}

// ---------------------------------------------------------------------------------------
// Key slots.

extern "C" int connac_impl_key_link_add(connac_dev* dev, unsigned int link,
                                        const unsigned char bssid[6], connac_key_actions* out) {
  DevState* s = State(dev);
  if (s == nullptr || bssid == nullptr || out == nullptr || link > 0xff) return kEinval;
  connac::MacAddr a;
  connac::CopyBytes(a.b, bssid, sizeof(a.b));
  return s->keys.LinkAdd(static_cast<uint8_t>(link), a, AsList(out)).code();
}

extern "C" int connac_impl_key_link_remove(connac_dev* dev, unsigned int link) {
  DevState* s = State(dev);
  if (s == nullptr) return kEinval;
  return s->keys.LinkRemove(static_cast<uint8_t>(link > 0xff ? 0xff : link)).code();
}

extern "C" int connac_impl_key_sta_add(connac_dev* dev, unsigned int link,
                                       const unsigned char addr[6], connac_key_actions* out) {
  DevState* s = State(dev);
  if (s == nullptr || addr == nullptr || out == nullptr || link > 0xff) return kEinval;
  connac::MacAddr a;
  connac::CopyBytes(a.b, addr, sizeof(a.b));
  return s->keys.StaAdd(static_cast<uint8_t>(link), a, AsList(out)).code();
}

extern "C" int connac_impl_key_sta_remove(connac_dev* dev, unsigned int link) {
  DevState* s = State(dev);
  if (s == nullptr) return kEinval;
  return s->keys.StaRemove(static_cast<uint8_t>(link > 0xff ? 0xff : link)).code();
}

extern "C" int connac_impl_key_set(connac_dev* dev, int cmd, const connac_key_conf* key,
                                   connac_key_actions* out) {
  DevState* s = State(dev);
  if (s == nullptr || key == nullptr || out == nullptr ||
      (cmd != CONNAC_KEY_SET && cmd != CONNAC_KEY_DISABLE) || out->count > CONNAC_KEY_ACTIONS_MAX) {
    return kEinval;
  }
  const bool disable = cmd == CONNAC_KEY_DISABLE;
  if (disable && key->link_id >= 0 && key->link_id < CONNAC_MAX_MLO_LINKS &&
      !s->keys.link(static_cast<uint8_t>(key->link_id)).up) {
    Log(*s, CONNAC_LOG_DEBUG, "keys: DISABLE on a link that is down: done, no MCU traffic; link",
        key->link_id);
  }
  connac::KeyConf k = ToKeyConf(*key);
  const Status st =
      s->keys.SetKey(disable ? connac::KeyCmd::kDisable : connac::KeyCmd::kSet, k, AsList(out));
  connac::ZeroizeBytes(k.key, sizeof(k.key));
  return st.code();
}

extern "C" int connac_impl_key_abort(connac_dev* dev, const connac_key_actions* sent,
                                     unsigned long failed, connac_key_actions* rollback) {
  DevState* s = State(dev);
  if (s == nullptr || sent == nullptr || rollback == nullptr ||
      sent->count > CONNAC_KEY_ACTIONS_MAX || rollback->count > CONNAC_KEY_ACTIONS_MAX ||
      failed > sent->count) {
    return kEinval;
  }
  return s->keys.AbortActions(*AsList(sent), failed, AsList(rollback)).code();
}

extern "C" void connac_impl_key_reset_begin(connac_dev* dev) {
  DevState* s = State(dev);
  if (s != nullptr) s->keys.BeginReset();
}

extern "C" int connac_impl_key_reset_replay(connac_dev* dev, connac_key_actions* out) {
  DevState* s = State(dev);
  if (s == nullptr || out == nullptr || out->count > CONNAC_KEY_ACTIONS_MAX) return kEinval;
  return s->keys.ReplayAfterReset(AsList(out)).code();
}

extern "C" long connac_impl_key_action_encode(const connac_dev* dev, const connac_key_action* a,
                                              unsigned char seq, void* out, unsigned long out_len) {
  const DevState* s = State(dev);
  if (s == nullptr || a == nullptr || !ValidBuf(out, out_len)) return kEinval;
  const Result<ConstBytes> f = connac::EncodeKeyAction(
      s->txn.profile(), *AsAction(a), seq, MutableBytes(static_cast<uint8_t*>(out), out_len));
  return f.ok() ? static_cast<long>(f->size()) : f.status().code();
}

extern "C" void connac_impl_key_actions_wipe(connac_key_actions* acts) {
  if (acts != nullptr) AsList(acts)->Wipe();
}

// ---------------------------------------------------------------------------------------
// Reset sequencer.

namespace {

// The sequencer's answer, for the caller; the log says what began or ended. With a probe
// callback the core asks the host at once and folds the answer in, so kProbe never reaches
// a host that gave one.
int Deliver(DevState& s, ResetActions a, connac::Instant now, connac_seq_actions* out) {
  if (a.has(ResetActions::kProbe) && s.ops.probe != nullptr) {
    const bool alive = s.ops.probe(s.ops.ctx) == 0;
    Log(s, CONNAC_LOG_DEBUG, "seq: liveness probe, alive:", alive);
    const ResetActions b = s.seq.OnProbeResult(alive, now);
    a.flags = static_cast<uint16_t>((a.flags & ~ResetActions::kProbe) | b.flags);
    if (b.has(ResetActions::kRunStep)) a.step = b.step;
  }
  if (!CONNAC_CHECK(static_cast<size_t>(a.step) < connac::kResetSteps)) {
    *out = connac_seq_actions{};
    return kEinval;
  }
  out->flags = a.flags;
  out->step = static_cast<unsigned int>(a.step);
  if (a.has(ResetActions::kFailPending)) {
    Log(s, CONNAC_LOG_WARNING, "seq: firmware declared dead, cause",
        static_cast<long long>(s.seq.report().cause));
  }
  if (a.has(ResetActions::kReport)) {
    Log(s, s.seq.report().recovered ? CONNAC_LOG_INFO : CONNAC_LOG_ERR,
        s.seq.report().recovered ? "seq: recovered, attempts:" : "seq: WEDGED, attempts:",
        s.seq.report().attempts);
  }
  return 0;
}

// The device, for an input that writes actions to `a`: nullptr (and `a` emptied) when an
// argument is bad.
DevState* SeqInput(connac_dev* dev, connac_seq_actions* a) {
  if (a == nullptr) return nullptr;
  *a = connac_seq_actions{};
  return State(dev);
}

// Copies the first min(size, sizeof(T)) bytes of `v` to `out`.
template <typename T>
int CopyOut(const T& v, void* out, unsigned long size) {
  if (out == nullptr) return kEinval;
  __builtin_memcpy(out, &v, size < sizeof(T) ? size : sizeof(T));
  return 0;
}

bool AnyCounter(const connac::ResetCounters& c) {
  const auto* p = reinterpret_cast<const uint8_t*>(&c);
  for (size_t i = 0; i < sizeof(c); ++i) {
    if (p[i] != 0) return true;
  }
  return false;
}

connac::MacAddr Mac(const unsigned char a[6]) {
  connac::MacAddr m;
  connac::CopyBytes(m.b, a, sizeof(m.b));
  return m;
}

}  // namespace

extern "C" int connac_impl_seq_admit(connac_dev* dev) {
  DevState* s = State(dev);
  return s == nullptr ? kEinval : s->seq.Admit().code();
}

extern "C" int connac_impl_seq_on_timeout(connac_dev* dev, long long now_ns,
                                          connac_seq_actions* a) {
  DevState* s = SeqInput(dev, a);
  const connac::Instant now{now_ns};
  return s == nullptr ? kEinval : Deliver(*s, s->seq.OnTimeout(now), now, a);
}

extern "C" int connac_impl_seq_on_assert(connac_dev* dev, long long now_ns, connac_seq_actions* a) {
  DevState* s = SeqInput(dev, a);
  const connac::Instant now{now_ns};
  return s == nullptr ? kEinval : Deliver(*s, s->seq.OnAssert(now), now, a);
}

extern "C" int connac_impl_seq_on_request(connac_dev* dev, long long now_ns,
                                          connac_seq_actions* a) {
  DevState* s = SeqInput(dev, a);
  const connac::Instant now{now_ns};
  return s == nullptr ? kEinval : Deliver(*s, s->seq.OnRequest(now), now, a);
}

extern "C" int connac_impl_seq_on_step_result(connac_dev* dev, unsigned int step, int ok,
                                              long long now_ns, connac_seq_actions* a) {
  DevState* s = SeqInput(dev, a);
  if (s == nullptr || step >= CONNAC_SEQ_STEPS) return kEinval;
  const connac::Instant now{now_ns};
  return Deliver(*s, s->seq.OnStepResult(static_cast<ResetStep>(step), ok != 0, now), now, a);
}

extern "C" int connac_impl_seq_on_probe_result(connac_dev* dev, int alive, long long now_ns,
                                               connac_seq_actions* a) {
  DevState* s = SeqInput(dev, a);
  const connac::Instant now{now_ns};
  return s == nullptr ? kEinval : Deliver(*s, s->seq.OnProbeResult(alive != 0, now), now, a);
}

extern "C" int connac_impl_seq_on_tick(connac_dev* dev, long long now_ns, long long oldest_ns,
                                       connac_seq_actions* a) {
  DevState* s = SeqInput(dev, a);
  const connac::Instant now{now_ns};
  return s == nullptr ? kEinval
                      : Deliver(*s, s->seq.OnTick(now, connac::Instant{oldest_ns}), now, a);
}

extern "C" long long connac_impl_seq_next_deadline(const connac_dev* dev, long long oldest_ns) {
  const DevState* s = State(dev);
  return s == nullptr ? CONNAC_NEVER : s->seq.NextDeadline(connac::Instant{oldest_ns}).ns;
}

extern "C" int connac_impl_seq_state(const connac_dev* dev) {
  const DevState* s = State(dev);
  return s == nullptr ? kEinval : StateC(s->seq.state());
}

extern "C" const char* connac_impl_seq_state_name(int state) {
  if (state < 0 || state > static_cast<int>(CONNAC_SEQ_WEDGED)) return nullptr;
  return connac::ResetStateName(static_cast<ResetState>(state));
}

extern "C" const char* connac_impl_seq_step_name(unsigned int step) {
  return step < CONNAC_SEQ_STEPS ? connac::ResetStepName(static_cast<ResetStep>(step)) : nullptr;
}

extern "C" int connac_impl_seq_get_counters(const connac_dev* dev, connac_seq_counters* c,
                                            unsigned long size) {
  const DevState* s = State(dev);
  if (s == nullptr) return kEinval;
  const connac::ResetCounters& k = s->seq.counters();
  connac_seq_counters v{};
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
  v.rejected = k.rejected;
  v.failures = s->seq.failures();
  return CopyOut(v, c, size);
}

extern "C" int connac_impl_seq_get_report(const connac_dev* dev, connac_seq_report* r,
                                          unsigned long size) {
  const DevState* s = State(dev);
  if (s == nullptr) return kEinval;
  const connac::ResetReport& k = s->seq.report();
  connac_seq_report v{};
  v.cause = static_cast<int>(k.cause);
  v.attempts = k.attempts;
  v.detected_ns = k.detected.ns;
  v.ended_ns = k.ended.ns;
  v.recovered = k.recovered ? 1 : 0;
  return CopyOut(v, r, size);
}

extern "C" int connac_impl_seq_get_config(const connac_dev* dev, connac_seq_config* cfg,
                                          unsigned long size) {
  const DevState* s = State(dev);
  if (s == nullptr || size < sizeof(cfg->size)) return kEinval;
  const connac::ResetConfig& k = s->seq.config();
  connac_seq_config v{};
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

extern "C" int connac_impl_seq_set_config(connac_dev* dev, const connac_seq_config* cfg) {
  DevState* s = State(dev);
  if (s == nullptr || cfg == nullptr || cfg->size < CONNAC_SEQ_CONFIG_MIN_SIZE ||
      cfg->wedge_after == 0 || cfg->suspect_ns < 0 || cfg->probe_window_ns <= 0 ||
      cfg->hold_off_ns < 0 || cfg->healthy_decay_ns < 0) {
    return kEinval;
  }
  connac::ResetConfig k = s->seq.config();  // what a shorter struct lacks keeps its value
  for (size_t i = 0; i < connac::kResetSteps; ++i) {
    if (cfg->step_watchdog_ns[i] <= 0) return kEinval;
    k.step_watchdog[i] = connac::Duration::Nanos(cfg->step_watchdog_ns[i]);
  }
  for (size_t i = 0; i < sizeof(cfg->backoff_ns) / sizeof(cfg->backoff_ns[0]); ++i) {
    if (cfg->backoff_ns[i] < 0) return kEinval;
    k.backoff[i] = connac::Duration::Nanos(cfg->backoff_ns[i]);
  }
  // A sequencer that has seen anything keeps its history: replacing it would lose counters.
  if (s->seq.state() != ResetState::kRunning || AnyCounter(s->seq.counters())) {
    return -static_cast<int>(Errno::kBusy);
  }
  k.suspect = connac::Duration::Nanos(cfg->suspect_ns);
  k.probe_window = connac::Duration::Nanos(cfg->probe_window_ns);
  k.hold_off_after = cfg->hold_off_after;
  k.hold_off = connac::Duration::Nanos(cfg->hold_off_ns);
  k.wedge_after = cfg->wedge_after;
  k.healthy_decay = connac::Duration::Nanos(cfg->healthy_decay_ns);
  // In place: a temporary would put a second sequencer on the kernel stack.
  new (&s->seq) connac::ResetSequencer(k);
  return 0;
}

// ---------------------------------------------------------------------------------------
// Restore record.

extern "C" int connac_impl_restore_set_device(connac_dev* dev, const unsigned char addr[6]) {
  DevState* s = State(dev);
  if (s == nullptr || addr == nullptr) return kEinval;
  s->device_addr = Mac(addr);
  s->has_device = true;
  return s->restore.SetDevice(s->device_addr).code();
}

extern "C" int connac_impl_restore_link_joining(connac_dev* dev, unsigned int link,
                                                const unsigned char bssid[6],
                                                unsigned int bss_idx) {
  DevState* s = State(dev);
  if (s == nullptr || bssid == nullptr || link >= CONNAC_MAX_MLO_LINKS || bss_idx > 0xff)
    return kEinval;
  return s->restore
      .LinkJoining(static_cast<uint8_t>(link), Mac(bssid), static_cast<uint8_t>(bss_idx))
      .code();
}

extern "C" int connac_impl_restore_link_associated(connac_dev* dev, unsigned int link,
                                                   const unsigned char sta_addr[6], int active) {
  DevState* s = State(dev);
  if (s == nullptr || sta_addr == nullptr || link >= CONNAC_MAX_MLO_LINKS) return kEinval;
  return s->restore.LinkAssociated(static_cast<uint8_t>(link), Mac(sta_addr), active != 0).code();
}

extern "C" int connac_impl_restore_link_removed(connac_dev* dev, unsigned int link) {
  DevState* s = State(dev);
  if (s == nullptr || link >= CONNAC_MAX_MLO_LINKS) return kEinval;
  s->restore.LinkRemoved(static_cast<uint8_t>(link));
  return 0;
}

extern "C" long connac_impl_restore_make_plan(const connac_dev* dev, connac_restore_item* out,
                                              unsigned long max) {
  const DevState* s = State(dev);
  if (s == nullptr || (out == nullptr && max != 0)) return kEinval;
  const connac::RestoreRecord::Plan p = s->restore.MakePlan();
  if (!CONNAC_CHECK(p.size <= connac::RestoreRecord::kMaxItems)) return kEinval;
  if (p.size > max) return -static_cast<long>(Errno::kNoBufs);
  for (size_t i = 0; i < p.size; ++i) {
    const connac::RestoreRecord::Item& it = p.items[i];
    connac_restore_item c{};
    c.kind = static_cast<unsigned char>(it.kind);
    c.link = it.link;
    c.wcid = connac::kNoKey;
    const connac::MacAddr* addr = nullptr;
    if (it.kind == connac::RestoreRecord::ItemKind::kDevice && s->has_device) {
      addr = &s->device_addr;
    } else if (it.kind == connac::RestoreRecord::ItemKind::kBss ||
               it.kind == connac::RestoreRecord::ItemKind::kSta) {
      const connac::RestoreRecord::LinkRec& l = s->restore.link(it.link);
      c.bss_idx = l.bss_idx;
      if (it.kind == connac::RestoreRecord::ItemKind::kBss) {
        c.active = it.link == s->restore.active_link() ? 1 : 0;
        addr = &l.bssid;
      } else {
        c.wcid = s->keys.link(it.link).sta_wcid;
        addr = &l.sta_addr;
      }
    }
    if (addr != nullptr) connac::CopyBytes(c.addr, addr->b, sizeof(c.addr));
    out[i] = c;
  }
  return static_cast<long>(p.size);
}
