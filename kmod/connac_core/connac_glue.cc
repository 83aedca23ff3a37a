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
//     fails with -EINVAL instead of continuing.

#include <new>

#include "connac/bytes.h"
#include "connac/family.h"
#include "connac/keys.h"
#include "connac/mcu_cmd.h"
#include "connac/mcu_event.h"
#include "connac/mcu_frame.h"
#include "connac/mcu_response.h"
#include "connac/mcu_txn.h"
#include "connac/status.h"
#include "connac/time.h"
#include "connac_core.h"
#include "connac_impl.h"
#include "connac_shim.h"

// Reports a broken invariant and evaluates to false, so callers write
// `if (!CONNAC_CHECK(x)) return -EINVAL;`.
#define CONNAC_CHECK(cond) \
  (__builtin_expect(!!(cond), 1) ? true : (connac_shim_assert_failed(#cond, __FILE_NAME__, __LINE__), false))

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
static_assert(CONNAC_SUITE_CCMP == connac::suite::kCcmp && CONNAC_SUITE_AES_CMAC == connac::suite::kAesCmac &&
              CONNAC_SUITE_TKIP == connac::suite::kTkip && CONNAC_SUITE_GCMP == connac::suite::kGcmp &&
              CONNAC_SUITE_GCMP_256 == connac::suite::kGcmp256 &&
              CONNAC_SUITE_CCMP_256 == connac::suite::kCcmp256);
static_assert(CONNAC_EV_COMPLETED == int{connac::EventOutcome::kCompleted} &&
              CONNAC_EV_STALE == int{connac::EventOutcome::kStale} &&
              CONNAC_EV_LATE == int{connac::EventOutcome::kLate} &&
              CONNAC_EV_UNMATCHED == int{connac::EventOutcome::kUnmatched} &&
              CONNAC_EV_MALFORMED == int{connac::EventOutcome::kMalformed} &&
              CONNAC_EV_UNSOLICITED == int{connac::EventOutcome::kUnsolicited});

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
static_assert(std::is_standard_layout_v<connac::KeyAction> && std::is_trivially_copyable_v<connac::KeyAction>);
static_assert(std::is_standard_layout_v<connac::KeyActionList> &&
              std::is_trivially_copyable_v<connac::KeyActionList>);
static_assert(sizeof(bool) == 1 && sizeof(connac::MacAddr) == 6);
#define CONNAC_SAME_FIELD(f)                                                            \
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

connac::KeyActionList* AsList(connac_key_actions* a) { return reinterpret_cast<connac::KeyActionList*>(a); }
const connac::KeyActionList* AsList(const connac_key_actions* a) {
  return reinterpret_cast<const connac::KeyActionList*>(a);
}
const connac::KeyAction* AsAction(const connac_key_action* a) { return reinterpret_cast<const connac::KeyAction*>(a); }

// ---------------------------------------------------------------------------------------
// The per-device state inside struct connac_dev.

// Layout of connac_dev::opaque: a 4-byte magic at offset 0 (set by connac_dev_init, zeroed
// by destroy, so use before init or after destroy is caught), the core state at kStateOffset.
constexpr uint32_t kMagic = 0x636e6331;  // "cnc1"
constexpr size_t kStateOffset = CONNAC_DEV_ALIGN;

struct DevState {
  DevState(unsigned int fam, const Profile& p, connac::KeyPolicy policy, const connac_host_ops& o)
      : family(fam), profile(&p), ops(o), txn(p), keys(policy) {}

  uint32_t family;
  const Profile* profile;
  connac_host_ops ops;  // The caller's ops, zero-extended to this header's size.
  connac::InflightTable<CONNAC_TXN_MAX_INFLIGHT> txn;
  connac::KeyTable keys;
};

static_assert(kStateOffset + sizeof(DevState) <= CONNAC_DEV_SIZE, "connac_dev is too small for the core state");
static_assert(alignof(DevState) <= CONNAC_DEV_ALIGN, "connac_dev is under-aligned for the core state");
static_assert(std::is_trivially_destructible_v<DevState>, "destroy only zeroizes the bytes");

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

ConstBytes In(const void* p, unsigned long len) { return ConstBytes(static_cast<const uint8_t*>(p), len); }

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
  if (dev == nullptr || p == nullptr || (flags & ~CONNAC_DEV_PAIRWISE_BEFORE_GROUP) != 0) return kEinval;
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
  new (dev->opaque + kStateOffset) DevState(family, *p, policy, o);
  __builtin_memcpy(dev->opaque, &kMagic, sizeof(kMagic));
  return 0;
}

extern "C" void connac_impl_dev_destroy(connac_dev* dev) {
  if (dev == nullptr) return;
  connac::ZeroizeBytes(dev->opaque, sizeof(dev->opaque));
}

extern "C" int connac_impl_dev_family(const connac_dev* dev) {
  const DevState* s = State(dev);
  return s == nullptr ? kEinval : static_cast<int>(s->family);
}

extern "C" unsigned long connac_impl_dev_state_bytes(void) { return kStateOffset + sizeof(DevState); }

// ---------------------------------------------------------------------------------------
// Framing.

extern "C" long connac_impl_frame_encode(unsigned int family, unsigned int cmd, unsigned char seq, unsigned int flags,
                                    const void* payload, unsigned long payload_len, void* out,
                                    unsigned long out_len) {
  const Profile* p = ProfileOf(family);
  if (p == nullptr || (flags & ~CONNAC_FRAME_NO_WAIT) != 0 || !ValidBuf(payload, payload_len) ||
      !ValidBuf(out, out_len)) {
    return kEinval;
  }
  connac::FrameParams params;
  params.wait_response = (flags & CONNAC_FRAME_NO_WAIT) == 0;
  const Result<size_t> n = connac::EncodeFrame(*p, CmdWord{cmd}, seq, In(payload, payload_len),
                                               MutableBytes(static_cast<uint8_t*>(out), out_len), params);
  return n.ok() ? static_cast<long>(*n) : n.status().code();
}

extern "C" int connac_impl_frame_decode(const void* frame, unsigned long len, connac_frame_info* info) {
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
  info->header_size = static_cast<unsigned short>(d->uni ? connac::kUniHeaderSize : connac::kLegacyHeaderSize);
  info->payload_len = d->payload.size();
  return 0;
}

extern "C" int connac_impl_parse_response(unsigned int family, unsigned int cmd, unsigned char seq, const void* ev,
                                     unsigned long len, connac_response* r) {
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
    case connac::Verdict::kStale:
      r->reason = resp.reason;
      return -static_cast<int>(Errno::kAgain);
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

extern "C" int connac_impl_txn_arm(connac_dev* dev, unsigned int cmd, long long now_ns, connac_ticket* t) {
  DevState* s = State(dev);
  if (s == nullptr || t == nullptr) return kEinval;
  const Result<connac::Ticket> tk = s->txn.Arm(CmdWord{cmd}, connac::Instant{now_ns});
  if (!tk.ok()) return tk.status().code();
  *t = ToC(*tk);
  return 0;
}

extern "C" int connac_impl_txn_on_event(connac_dev* dev, const void* ev, unsigned long len, connac_event_outcome* o) {
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
  if (out.kind == connac::EventOutcome::kLate) Log(*s, CONNAC_LOG_INFO, "txn: late answer absorbed, seq freed", 0);
  return o->kind;
}

extern "C" unsigned int connac_impl_txn_expire(connac_dev* dev, long long now_ns, connac_ticket* out, unsigned int max) {
  DevState* s = State(dev);
  if (s == nullptr || (out == nullptr && max != 0)) return 0;
  connac::Ticket batch[CONNAC_TXN_MAX_INFLIGHT];
  const unsigned int n = static_cast<unsigned int>(
      s->txn.Expire(connac::Instant{now_ns}, batch, max < CONNAC_TXN_MAX_INFLIGHT ? max : CONNAC_TXN_MAX_INFLIGHT));
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

extern "C" unsigned int connac_impl_txn_fail_all(connac_dev* dev, connac_ticket* out, unsigned int max) {
  DevState* s = State(dev);
  if (s == nullptr || (out == nullptr && max != 0)) return 0;
  connac::Ticket batch[CONNAC_TXN_MAX_INFLIGHT];
  const unsigned int n = static_cast<unsigned int>(
      s->txn.FailAll(batch, max < CONNAC_TXN_MAX_INFLIGHT ? max : CONNAC_TXN_MAX_INFLIGHT));
  for (unsigned int i = 0; i < n; ++i) out[i] = ToC(batch[i]);
  Log(*s, CONNAC_LOG_WARNING, "txn: fail all, commands failed:", n);
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

extern "C" int connac_impl_key_link_add(connac_dev* dev, unsigned int link, const unsigned char bssid[6],
                                   connac_key_actions* out) {
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

extern "C" int connac_impl_key_sta_add(connac_dev* dev, unsigned int link, const unsigned char addr[6],
                                  connac_key_actions* out) {
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

extern "C" int connac_impl_key_set(connac_dev* dev, int cmd, const connac_key_conf* key, connac_key_actions* out) {
  DevState* s = State(dev);
  if (s == nullptr || key == nullptr || out == nullptr || (cmd != CONNAC_KEY_SET && cmd != CONNAC_KEY_DISABLE) ||
      out->count > CONNAC_KEY_ACTIONS_MAX) {
    return kEinval;
  }
  const bool disable = cmd == CONNAC_KEY_DISABLE;
  if (disable && key->link_id >= 0 && key->link_id < CONNAC_MAX_MLO_LINKS &&
      !s->keys.link(static_cast<uint8_t>(key->link_id)).up) {
    Log(*s, CONNAC_LOG_DEBUG, "keys: DISABLE on a link that is down: done, no MCU traffic; link", key->link_id);
  }
  connac::KeyConf k = ToKeyConf(*key);
  const Status st = s->keys.SetKey(disable ? connac::KeyCmd::kDisable : connac::KeyCmd::kSet, k, AsList(out));
  connac::ZeroizeBytes(k.key, sizeof(k.key));
  return st.code();
}

extern "C" int connac_impl_key_abort(connac_dev* dev, const connac_key_actions* sent, unsigned long failed,
                                connac_key_actions* rollback) {
  DevState* s = State(dev);
  if (s == nullptr || sent == nullptr || rollback == nullptr || sent->count > CONNAC_KEY_ACTIONS_MAX ||
      rollback->count > CONNAC_KEY_ACTIONS_MAX || failed > sent->count) {
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

extern "C" long connac_impl_key_action_encode(const connac_dev* dev, const connac_key_action* a, unsigned char seq,
                                         void* out, unsigned long out_len) {
  const DevState* s = State(dev);
  if (s == nullptr || a == nullptr || !ValidBuf(out, out_len)) return kEinval;
  const Result<ConstBytes> f =
      connac::EncodeKeyAction(*s->profile, *AsAction(a), seq, MutableBytes(static_cast<uint8_t*>(out), out_len));
  return f.ok() ? static_cast<long>(f->size()) : f.status().code();
}

extern "C" void connac_impl_key_actions_wipe(connac_key_actions* acts) {
  if (acts != nullptr) AsList(acts)->Wipe();
}
