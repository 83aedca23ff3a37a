// connac_fwsim.cc: connac::FwSim (core/include/connac/fwsim.h) behind the plain C interface
// of connac_fwsim.h, for the in-kernel self-test.
//
// Why a separate file: the simulator is test equipment, not part of the module's API; it
// follows the glue's rules (no heap, no constructor globals, no exceptions) so the C
// self-test can run the sequencer against the simulated firmware with real kernel timers.
// The kernel build compiles it inside connac_cxx.cc, one translation unit with the glue;
// Bazel builds this same file on its own for the userspace test (kmod/BUILD). Its helpers
// live in a named namespace so they do not collide with the glue's in that unit.

#include <new>

#include "connac/bytes.h"
#include "connac/fwsim.h"
#include "connac/reset.h"
#include "connac/status.h"
#include "connac/time.h"
#include "connac_core.h"
#include "connac_fwsim.h"

// In the kernel only the self-test calls these, from module init, so they live in .init.text
// (freed after the load) like the self-test itself (the kernel's __init, which a C++ file
// cannot include). `flatten` inlines the core code they call, so none of it is left behind
// in shared .text.
#if defined(__KERNEL__)
#define CONNAC_FWSIM_FN __attribute__((section(".init.text"), cold, flatten))
#else
#define CONNAC_FWSIM_FN
#endif

namespace connac_fwsim_glue {

using connac::FwSim;

constexpr int kFwEinval = -static_cast<int>(connac::Errno::kInval);

static_assert(sizeof(FwSim) <= CONNAC_FWSIM_SIZE,
              "struct connac_fwsim is too small for connac::FwSim");
static_assert(alignof(FwSim) <= CONNAC_FWSIM_ALIGN);
static_assert(std::is_trivially_destructible_v<FwSim>);
static_assert(CONNAC_FWSIM_EVENT_SIZE == FwSim::kEventSize);
static_assert(sizeof(connac::FwSimConfig::step_failures) == CONNAC_SEQ_STEPS);

inline FwSim* Sim(connac_fwsim* f) { return std::launder(reinterpret_cast<FwSim*>(f->opaque)); }
inline const FwSim* Sim(const connac_fwsim* f) {
  return std::launder(reinterpret_cast<const FwSim*>(f->opaque));
}

}  // namespace connac_fwsim_glue

using connac_fwsim_glue::Sim;

extern "C" CONNAC_FWSIM_FN void connac_fwsim_default_config(connac_fwsim_config* c) {
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

extern "C" CONNAC_FWSIM_FN int connac_fwsim_init(connac_fwsim* fw, const connac_fwsim_config* c) {
  if (fw == nullptr || c == nullptr || c->latency_ns < 0 || c->slow_latency_ns < 0 ||
      c->wfsys_ns < 0 || c->fw_load_ns < 0 || c->restore_step_ns < 0) {
    return connac_fwsim_glue::kFwEinval;
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

extern "C" CONNAC_FWSIM_FN void connac_fwsim_receive(connac_fwsim* fw, const void* frame,
                                                     unsigned long len, long long now_ns) {
  if (fw == nullptr || (frame == nullptr && len != 0)) return;
  Sim(fw)->Receive(connac::ConstBytes(static_cast<const uint8_t*>(frame), len),
                   connac::Instant{now_ns});
}

extern "C" CONNAC_FWSIM_FN long connac_fwsim_poll_event(connac_fwsim* fw, long long now_ns,
                                                        void* out, unsigned long cap) {
  if (fw == nullptr || out == nullptr) return connac_fwsim_glue::kFwEinval;
  const connac::Result<size_t> n = Sim(fw)->PollEvent(
      connac::Instant{now_ns}, connac::MutableBytes(static_cast<uint8_t*>(out), cap));
  return n.ok() ? static_cast<long>(*n) : n.status().code();
}

extern "C" CONNAC_FWSIM_FN long long connac_fwsim_next_event_at(const connac_fwsim* fw) {
  return fw == nullptr ? CONNAC_NEVER : Sim(fw)->NextEventAt().ns;
}

extern "C" CONNAC_FWSIM_FN int connac_fwsim_run_step(connac_fwsim* fw, unsigned int step,
                                                     long long now_ns, long long* done_ns) {
  if (fw == nullptr || done_ns == nullptr || step >= CONNAC_SEQ_STEPS)
    return connac_fwsim_glue::kFwEinval;
  const connac::FwSim::StepOutcome o =
      Sim(fw)->RunStep(static_cast<connac::ResetStep>(step), connac::Instant{now_ns});
  *done_ns = o.done.ns;
  return o.ok ? 1 : 0;
}

extern "C" CONNAC_FWSIM_FN int connac_fwsim_probe(const connac_fwsim* fw) {
  return fw != nullptr && Sim(fw)->Probe() ? 0 : -static_cast<int>(connac::Errno::kTimedOut);
}

extern "C" CONNAC_FWSIM_FN void connac_fwsim_get_state(const connac_fwsim* fw,
                                                       connac_fwsim_state* s) {
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

extern "C" CONNAC_FWSIM_FN int connac_fwsim_bss_active(const connac_fwsim* fw,
                                                       unsigned int bss_idx) {
  return fw != nullptr && bss_idx <= 0xff && Sim(fw)->bss_active(static_cast<uint8_t>(bss_idx)) ? 1
                                                                                                : 0;
}

extern "C" CONNAC_FWSIM_FN int connac_fwsim_sta_present(const connac_fwsim* fw, unsigned int wcid) {
  return fw != nullptr && wcid <= 0xff && Sim(fw)->sta_present(static_cast<uint8_t>(wcid)) ? 1 : 0;
}

extern "C" CONNAC_FWSIM_FN int connac_fwsim_key(const connac_fwsim* fw, unsigned int wcid,
                                                unsigned int slot, unsigned char* key,
                                                unsigned long cap) {
  const int noent = -static_cast<int>(connac::Errno::kNoEnt);
  if (fw == nullptr || wcid >= connac::kWtblSize || slot > 1 || (key == nullptr && cap != 0))
    return noent;
  const connac::FwSim::FwKey& k = Sim(fw)->key(static_cast<uint8_t>(wcid), static_cast<int>(slot));
  if (!k.present) return noent;
  connac::CopyBytes(key, k.key, k.key_len < cap ? k.key_len : cap);
  return k.key_len;
}
