// Why: a header-only template core emits no code until something calls it, so merely
// including the headers under kernel flags would prove little. This TU includes every public
// core header and calls each entry point from extern "C" functions the kernel C file uses, so
// GCC emits the real code with the kernel's flags; tools/kcheck/check.sh then inspects this
// object (undefined symbols, forbidden sections) and objtool validates it.
//
// Rules for this file: no kernel headers (they are not C++), no std:: beyond what the core
// itself includes, every namespace-scope core object is `constinit` (the kernel never runs
// constructors: CONFIG_CONSTRUCTORS=n).

#include "connac/bytes.h"
#include "connac/connac.h"
#include "connac/family.h"
#include "connac/fwsim.h"
#include "connac/keys.h"
#include "connac/mcu_cmd.h"
#include "connac/mcu_event.h"
#include "connac/mcu_frame.h"
#include "connac/mcu_ids.h"
#include "connac/mcu_response.h"
#include "connac/mcu_txn.h"
#include "connac/reset.h"
#include "connac/status.h"
#include "connac/time.h"
#include "kcheck.h"

namespace {

using connac::CmdWord;
using connac::ConstBytes;
using connac::Errno;
using connac::MutableBytes;
using connac::Profile;
using connac::Result;
using connac::Status;

// The module's one in-flight table. constinit: compilation fails if it would need a dynamic
// initializer, which the kernel would silently never run.
constinit connac::InflightTable<4> g_table(connac::kMt7925);

constexpr uint8_t kFixedHeader[4] = {0x01, 0x00, 0x00, 0x00};  // {u8 idx, u8 rsv, le16 tlv_num}
constexpr uint8_t kTlvBody[6] = {1, 2, 3, 4, 5, 6};

const Profile& ProfileAt(unsigned int i) {
  constexpr unsigned int kCount = sizeof(connac::kAllProfiles) / sizeof(connac::kAllProfiles[0]);
  return *connac::kAllProfiles[i % kCount];
}

Result<size_t> Frame(const Profile& p, CmdWord cmd, uint8_t seq, MutableBytes out) {
  Result<size_t> n = connac::WriteHeader(p, cmd, seq, /*payload_len=*/0, out);
  if (!n.ok()) return n;
  n = connac::EncodeFrame(p, cmd, seq, ConstBytes(kTlvBody), out);
  if (!n.ok()) return n;

  Result<connac::FrameBuilder> b = connac::FrameBuilder::Start(p, cmd, out);
  if (!b.ok()) return b.status();
  connac::FrameBuilder fb = *b;
  CONNAC_RETURN_IF_ERROR(fb.SetFixedHeader(ConstBytes(kFixedHeader), /*count_offset=*/2));
  Result<MutableBytes> body = fb.AddTlv(/*tag=*/0x27, /*body_len=*/8);
  if (!body.ok()) return body.status();
  body->put_le32(0, 0xc0ffee);
  CONNAC_RETURN_IF_ERROR(fb.AppendTlv(/*tag=*/0x28, ConstBytes(kTlvBody)));
  Result<ConstBytes> frame = fb.Finish(seq);
  if (!frame.ok()) return frame.status();

  if (cmd.is_fw_scatter()) return frame->size();  // No header to decode.
  const char* reason = nullptr;
  Result<connac::DecodedFrame> d = connac::DecodeFrame(*frame, &reason);
  if (!d.ok()) return d.status();
  if (d->seq != seq || d->payload.size() != fb.payload().size()) return Errno::kProto;
  return frame->size();
}

Status Event(const Profile& p, CmdWord cmd, uint8_t seq, ConstBytes raw, int32_t* fw_status,
             const char** cmd_name) {
  *cmd_name = connac::DescribeCmd(cmd).name;
  Result<connac::McuEvent> ev = connac::ParseEvent(p, raw);
  if (!ev.ok()) return ev.status();
  connac::TlvIterator it(ev->unsolicited() ? ev->UnsolicitedTlvs().value_or(ConstBytes())
                                           : ev->payload);
  uint32_t tags = 0;
  for (Result<connac::Tlv> t = it.Next(); t.ok(); t = it.Next()) tags += t->tag;
  const Status tlvs = it.done() ? connac::OkStatus() : it.status();

  // Every family's rules, each with a constant profile, plus the requested one.
  const connac::Response r21 = connac::ParseResponse(connac::kMt7921, cmd, seq, raw);
  const connac::Response r25 = connac::ParseResponse(connac::kMt7925, cmd, seq, raw);
  const connac::Response r96 = connac::ParseResponse(connac::kMt7996, cmd, seq, raw);
  const connac::Response r = connac::ParseResponse(p, cmd, seq, raw);
  if (r.verdict == connac::Verdict::kMalformed) return Status(Errno::kBadMsg);
  if (r.verdict == connac::Verdict::kStale) return Status(Errno::kAgain);
  *fw_status = r.status;
  // Keep the per-family results live without exposing them.
  if ((r21.status ^ r25.status ^ r96.status) == 0x7fffffff && tags == 0) return Status(Errno::kIo);
  return tlvs;
}

// The module's key slots, and the action lists a set_key call fills. The lists are about
// 800 bytes each and the table about 3.5 KB: static, never on the kernel stack. constinit as
// g_table above.
constinit connac::KeyTable g_keys;
constinit connac::KeyActionList g_key_acts;
constinit connac::KeyActionList g_key_rollback;

connac::KeyConf KeyFrom(const uint8_t* key, unsigned long len, uint32_t cipher, uint8_t idx,
                        int8_t link) {
  connac::KeyConf k;
  k.cipher = cipher;
  k.keyidx = idx;
  k.link_id = link;
  const connac::CipherInfo* c = connac::FindCipher(cipher);
  k.key_len = c != nullptr ? c->key_len : 0;
  if (k.key_len > len) k.key_len = static_cast<uint8_t>(len);
  connac::CopyBytes(k.key, key, k.key_len);
  return k;
}

// Encodes every action in `acts` into `out` (one frame at a time, as the host sends them),
// then wipes the list. Returns the number of frames.
Result<size_t> SendAll(const Profile& p, connac::KeyActionList& acts, uint8_t seq,
                       MutableBytes out) {
  size_t n = 0;
  for (size_t i = 0; i < acts.size; ++i) {
    Result<ConstBytes> f = connac::EncodeKeyAction(p, acts.items[i], seq, out);
    if (!f.ok()) {
      // The host failed to send action i: undo the operation.
      g_key_rollback.Wipe();
      const Status st = g_keys.AbortActions(acts, i, &g_key_rollback);
      acts.Wipe();
      g_key_rollback.Wipe();
      CONNAC_RETURN_IF_ERROR(st);
      return f.status();
    }
    ++n;
  }
  acts.Wipe();
  return n;
}

// One MLO link's key life: link and station up, group CCMP + IGTK + pairwise, a failed send
// rolled back, a firmware reset replayed, then the #1036 teardown order (link first, DISABLEs
// after).
Result<size_t> Keys(const Profile& p, const uint8_t* key, unsigned long len, uint8_t seq,
                    MutableBytes out) {
  using connac::KeyCmd;
  const connac::MacAddr bssid{{0x02, 0x00, 0x00, 0x00, 0x00, 0x01}};
  const connac::MacAddr ap{{0x02, 0x00, 0x00, 0x00, 0x00, 0x02}};
  size_t frames = 0;
  g_key_acts.Wipe();
  CONNAC_RETURN_IF_ERROR(g_keys.LinkAdd(0, bssid, &g_key_acts));
  CONNAC_RETURN_IF_ERROR(g_keys.StaAdd(0, ap, &g_key_acts));

  connac::KeyConf gtk = KeyFrom(key, len, connac::suite::kCcmp, 1, 0);
  connac::KeyConf igtk = KeyFrom(key, len, connac::suite::kAesCmac, 4, 0);
  connac::KeyConf ptk = KeyFrom(key, len, connac::suite::kTkip, 0, -1);
  CONNAC_RETURN_IF_ERROR(g_keys.SetKey(KeyCmd::kSet, gtk, &g_key_acts));
  CONNAC_RETURN_IF_ERROR(g_keys.SetKey(KeyCmd::kSet, igtk, &g_key_acts));
  CONNAC_RETURN_IF_ERROR(g_keys.SetKey(KeyCmd::kSet, ptk, &g_key_acts));

  // The first send "fails": everything set above is rolled back, then set again.
  g_key_rollback.Wipe();
  CONNAC_RETURN_IF_ERROR(g_keys.AbortActions(g_key_acts, 0, &g_key_rollback));
  g_key_acts.Wipe();
  Result<size_t> n = SendAll(p, g_key_rollback, seq, out);
  if (!n.ok()) return n;
  CONNAC_RETURN_IF_ERROR(g_keys.SetKey(KeyCmd::kSet, gtk, &g_key_acts));
  CONNAC_RETURN_IF_ERROR(g_keys.SetKey(KeyCmd::kSet, igtk, &g_key_acts));
  CONNAC_RETURN_IF_ERROR(g_keys.SetKey(KeyCmd::kSet, ptk, &g_key_acts));
  n = SendAll(p, g_key_acts, seq, out);
  if (!n.ok()) return n;
  frames += *n;

  g_keys.BeginReset();
  CONNAC_RETURN_IF_ERROR(g_keys.ReplayAfterReset(&g_key_acts));
  n = SendAll(p, g_key_acts, seq, out);
  if (!n.ok()) return n;
  frames += *n;

  CONNAC_RETURN_IF_ERROR(g_keys.LinkRemove(0));
  CONNAC_RETURN_IF_ERROR(g_keys.SetKey(KeyCmd::kDisable, gtk, &g_key_acts));
  CONNAC_RETURN_IF_ERROR(g_keys.SetKey(KeyCmd::kDisable, igtk, &g_key_acts));
  CONNAC_RETURN_IF_ERROR(g_keys.SetKey(KeyCmd::kDisable, ptk, &g_key_acts));
  CONNAC_RETURN_IF_ERROR(g_keys.StaRemove(0));
  n = SendAll(p, g_key_acts, seq, out);
  if (!n.ok()) return n;
  frames += *n;

  connac::ZeroizeBytes(gtk.key, sizeof(gtk.key));
  connac::ZeroizeBytes(igtk.key, sizeof(igtk.key));
  connac::ZeroizeBytes(ptk.key, sizeof(ptk.key));
  return frames;
}

Status Txn(connac::Instant now, ConstBytes event) {
  Result<connac::Ticket> a = g_table.Arm(CmdWord::Uni(connac::uni::kBssInfoUpdate), now);
  if (!a.ok()) return a.status();
  Result<connac::Ticket> b = g_table.Arm(CmdWord::Ext(connac::ext::kThermalCtrl), now);
  const connac::EventOutcome o = g_table.OnEvent(event);

  connac::Ticket done[4];
  const connac::Instant deadline = g_table.NextDeadline();
  size_t n = g_table.Expire(deadline, done, 4);
  if (b.ok() && g_table.IsCurrent(*b)) CONNAC_RETURN_IF_ERROR(g_table.Cancel(*b));
  n += g_table.FailAll(done, 4);
  if (g_table.in_flight() != 0 || n > 4) return Status(Errno::kProto);
  return o.kind == connac::EventOutcome::kMalformed ? Status(Errno::kBadMsg) : connac::OkStatus();
}

// The reset sequencer driving the firmware simulator through one whole episode: a command
// the firmware never answers, the timeout, fail-all, every reset step, the restore plan.
constinit connac::ResetSequencer g_reset;
// The simulator hangs on the first command. Built here, not assigned in Reset(): a
// temporary FwSim (its key store is ~2 KB) would exceed the kernel's 2 KB frame limit.
constexpr connac::FwSimConfig HangFirst() {
  connac::FwSimConfig cfg;
  cfg.hang_at_cmd = 1;
  return cfg;
}
constinit connac::FwSim g_fw(HangFirst());
constinit connac::RestoreRecord g_record;
constinit connac::InflightTable<2> g_reset_table(connac::kMt7925);

Result<int> Reset(long long start_ns) {
  if (g_fw.counters().commands != 0) return Status(Errno::kBusy);  // one episode per load
  g_reset = connac::ResetSequencer();
  CONNAC_RETURN_IF_ERROR(g_record.SetDevice(connac::MacAddr{}));
  CONNAC_RETURN_IF_ERROR(g_record.LinkJoining(0, connac::MacAddr{}, 0));
  CONNAC_RETURN_IF_ERROR(g_record.LinkAssociated(0, connac::MacAddr{}, true));
  connac::Instant now{start_ns};
  CONNAC_RETURN_IF_ERROR(g_reset.Admit());
  const connac::CmdWord bss = connac::CmdWord::Uni(connac::uni::kBssInfoUpdate);
  Result<connac::Ticket> t = g_reset_table.Arm(bss, now);
  if (!t.ok()) return t.status();
  uint8_t frame[connac::kUniHeaderSize + 4] = {};
  Result<size_t> n = connac::WriteHeader(connac::kMt7925, bss, t->seq, 4, MutableBytes(frame));
  if (!n.ok()) return n.status();
  g_fw.Receive(ConstBytes(frame, *n), now);
  now = g_reset_table.NextDeadline();
  connac::Ticket expired[2];
  if (g_reset_table.Expire(now, expired, 2) != 1) return Status(Errno::kProto);
  connac::ResetActions a = g_reset.OnTimeout(now);
  if (a.has(connac::ResetActions::kFailPending)) g_reset_table.FailAll(expired, 2);
  int steps = 0;
  while (a.has(connac::ResetActions::kRunStep) && steps < 16) {
    ++steps;
    if (a.step == connac::ResetStep::kRestore) {
      const connac::RestoreRecord::Plan p = g_record.MakePlan();
      if (p.size == 0) return Status(Errno::kProto);
    }
    const connac::FwSim::StepOutcome o = g_fw.RunStep(a.step, now);
    now = o.done;
    a = g_reset.OnStepResult(a.step, o.ok, now);
  }
  if (g_reset.state() != connac::ResetState::kRunning || !g_fw.running())
    return Status(Errno::kProto);
  return steps;
}

}  // namespace

extern "C" int kcheck_reset(long long start_ns) {
  const Result<int> n = Reset(start_ns);
  return n.ok() ? *n : n.status().code();
}

extern "C" int kcheck_frame(unsigned int profile, unsigned int cmd, unsigned char seq,
                            unsigned char* buf, unsigned long len) {
  const Result<size_t> n = Frame(ProfileAt(profile), CmdWord{cmd}, seq, MutableBytes(buf, len));
  return n.ok() ? static_cast<int>(*n) : n.status().code();
}

extern "C" int kcheck_event(unsigned int profile, unsigned int cmd, unsigned char seq,
                            const unsigned char* ev, unsigned long len, int* fw_status,
                            const char** cmd_name) {
  return Event(ProfileAt(profile), CmdWord{cmd}, seq, ConstBytes(ev, len), fw_status, cmd_name)
      .code();
}

extern "C" int kcheck_txn(long long now_ns, const unsigned char* ev, unsigned long len) {
  return Txn(connac::Instant{now_ns}, ConstBytes(ev, len)).code();
}

extern "C" int kcheck_keys(const unsigned char* key, unsigned long key_len, unsigned char seq,
                           unsigned char* buf, unsigned long len) {
  const Result<size_t> n = Keys(connac::kMt7925, key, key_len, seq, MutableBytes(buf, len));
  return n.ok() ? static_cast<int>(*n) : n.status().code();
}

extern "C" const char* kcheck_errno_name(int err) {
  if (err == 0) return connac::OkStatus().name();
  return connac::ErrnoName(err);  // Any int, INT_MIN included.
}

// Self-test hook (userspace_test/kcheck): a header whose code the check must reject.
#ifdef KCHECK_EXTRA_HEADER
#include KCHECK_EXTRA_HEADER
#endif
