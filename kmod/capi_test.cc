// The C API of connac_core.ko (kmod/include/connac_core.h, API 2) in userspace.
//
// The table-driven cases and their runners come from kmod/test/connac_cases.h, the very
// header the kernel test module (connac_core_test.ko) runs, and the fwsim-virtual scenarios
// from kmod/test/connac_test_sim.cc, so a case that passes here and fails in the kernel
// points at code generation, not at a different test. The rest checks what only the API
// adds: the opaque state, the versioned ops, bad arguments, assertions, logging, the probe
// callback, the configuration, and a driver-shaped host over the firmware simulator.

#include "connac_cases.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "connac_core.h"
#include "connac_test_sim.h"
#include "gtest/gtest.h"
#include "kmod/testing/shim_stub.h"

// CORE_COPTS keeps the kernel's 2048-byte frame budget. Under AddressSanitizer every gtest
// temporary gets its own redzoned slot, so test bodies exceed it although they are not
// kernel code (as in userspace_test/test_util.h). The glue is a separate TU and stays checked.
#if defined(__SANITIZE_ADDRESS__)
#pragma GCC diagnostic ignored "-Wframe-larger-than="
#endif

namespace {

constexpr unsigned int kBss = 0x00020002;
constexpr unsigned int kStaRec = 0x00020003;
constexpr unsigned int kDevInfo = 0x00020001;
constexpr long long kMs = 1'000'000;

std::string Describe(const connac_case_fail& f) {
  return std::string(f.what ? f.what : "?") + " (step " + std::to_string(f.step) + ": got " +
         std::to_string(f.got) + ", want " + std::to_string(f.want) + ")";
}

// ---------------------------------------------------------------------------------------
// The case tables (suites frames, responses, names and device of the kernel test module).

class CaseTableTest : public ::testing::Test {
 protected:
  // Too large for a kernel-budget stack frame, as in the kernel.
  std::unique_ptr<connac_case_scratch> s_ = std::make_unique<connac_case_scratch>();
  connac_case_fail f_{};
};

TEST_F(CaseTableTest, Frames) {
  for (const connac_frame_case& c : connac_frame_cases) {
    EXPECT_EQ(connac_case_frame(&c, s_.get(), &f_), 0) << c.name << ": " << Describe(f_);
  }
  for (const connac_frame_err_case& c : connac_frame_err_cases) {
    EXPECT_EQ(connac_case_frame_err(&c, s_.get(), &f_), 0) << c.name << ": " << Describe(f_);
  }
}

TEST_F(CaseTableTest, Responses) {
  for (const connac_response_case& c : connac_response_cases) {
    EXPECT_EQ(connac_case_response(&c, s_.get(), &f_), 0) << c.name << ": " << Describe(f_);
  }
}

TEST_F(CaseTableTest, Names) {
  for (const connac_name_case& c : connac_name_cases) {
    EXPECT_EQ(connac_case_name(&c, &f_), 0) << std::hex << c.cmd << ": " << Describe(f_);
  }
  EXPECT_EQ(connac_case_names(&f_), 0) << Describe(f_);
}

TEST_F(CaseTableTest, DeviceScripts) {
  for (const connac_dev_case& c : connac_dev_cases) {
    EXPECT_EQ(connac_case_dev(&c, s_.get(), &f_), 0) << c.name << ": " << Describe(f_);
  }
}

// A script that expects something else fails at the step that differs: the runner can fail.
TEST_F(CaseTableTest, AWrongExpectationFails) {
  auto c = std::make_unique<connac_dev_case>(connac_dev_cases[0]);
  ASSERT_EQ(c->steps[3].op, CONNAC_DOP_ACT);
  c->steps[3].expect = 8;  // the firmware said 7
  EXPECT_EQ(connac_case_dev(c.get(), s_.get(), &f_), -1);
  EXPECT_EQ(f_.step, 3);
  EXPECT_EQ(f_.got, 7);
}

TEST(CaseHelpersTest, HexRejectsBadInput) {
  unsigned char b[4];
  EXPECT_EQ(connac_case_hex("01 0a ff", b, sizeof(b)), 3);
  EXPECT_EQ(connac_case_hex("0", b, sizeof(b)), -1);
  EXPECT_EQ(connac_case_hex("0g", b, sizeof(b)), -1);
  EXPECT_EQ(connac_case_hex("00 00 00 00 00", b, sizeof(b)), -1);
}

// ---------------------------------------------------------------------------------------
// The fwsim-virtual suite and the simulator's C view (the kernel test module's C++).

TEST(KernelTestModuleTest, VirtualScenarios) {
  const unsigned long size = connac_vsim_mem_size();
  auto mem = std::make_unique<uint64_t[]>(size / sizeof(uint64_t) + 1);
  ASSERT_GE(connac_vsim_count(), 10u);
  for (unsigned int i = 0; i < connac_vsim_count(); ++i) {
    connac_vsim_result r{};
    EXPECT_EQ(connac_vsim_run(i, mem.get(), size, &r), 0)
        << connac_vsim_name(i) << ": " << (r.check ? r.check : "?") << " (line " << r.line << ": "
        << r.a << ", " << r.b << ")";
  }
  EXPECT_EQ(connac_vsim_name(connac_vsim_count()), nullptr);
  connac_vsim_result r{};
  EXPECT_EQ(connac_vsim_run(0, mem.get(), size - 1, &r), -EINVAL);
  EXPECT_EQ(connac_vsim_run(connac_vsim_count(), mem.get(), size, &r), -EINVAL);
}

TEST(KernelTestModuleTest, FwSimArgumentsAndProbe) {
  auto fw = std::make_unique<connac_fwsim>();
  connac_fwsim_config c;
  connac_fwsim_default_config(&c);
  EXPECT_EQ(c.latency_ns, 2 * kMs);
  EXPECT_EQ(c.wfsys_ns, 55 * kMs);
  EXPECT_EQ(connac_fwsim_init(nullptr, &c), -EINVAL);
  c.fw_load_ns = -1;
  EXPECT_EQ(connac_fwsim_init(fw.get(), &c), -EINVAL);
  connac_fwsim_default_config(&c);
  ASSERT_EQ(connac_fwsim_init(fw.get(), &c), 0);
  EXPECT_EQ(connac_fwsim_probe(fw.get()), 0);
  long long done = 0;
  EXPECT_EQ(connac_fwsim_run_step(fw.get(), CONNAC_STEPS, 0, &done), -EINVAL);
  EXPECT_EQ(connac_fwsim_run_step(fw.get(), CONNAC_STEP_WFSYS, 0, &done), 1);
  EXPECT_EQ(done, 55 * kMs);
  EXPECT_EQ(connac_fwsim_probe(fw.get()), -ETIMEDOUT) << "off between WFSYS and ready";
  unsigned char ev[CONNAC_FWSIM_EVENT_SIZE];
  EXPECT_EQ(connac_fwsim_poll_event(fw.get(), 0, ev, sizeof(ev)), -ENOENT);
  EXPECT_EQ(connac_fwsim_next_event_at(fw.get()), CONNAC_NEVER);
}

// ---------------------------------------------------------------------------------------
// The opaque state and the versioned ops.

struct Embedded {
  char before;
  connac_dev dev;
};
static_assert(sizeof(connac_dev) == CONNAC_DEV_SIZE);
static_assert(alignof(connac_dev) == CONNAC_DEV_ALIGN);
static_assert(offsetof(Embedded, dev) == CONNAC_DEV_ALIGN);

struct LogRecord {
  int level;
  std::string msg;
  long long arg;
};

class DevTest : public ::testing::Test {
 public:
  // What the probe callback (ops.ctx is the test) counts and answers.
  int probe_calls_ = 0;
  int probe_answer_ = 0;
  std::vector<LogRecord> logs_;

 protected:
  void TearDown() override { connac_dev_destroy(dev()); }
  connac_dev* dev() { return owner_.get(); }

  void Init(int (*probe)(void*) = nullptr, unsigned int flags = 0) {
    connac_host_ops ops;
    connac_host_ops_init(&ops);
    ops.ctx = this;
    ops.log = [](void* ctx, int level, const char* msg, long long arg) {
      static_cast<DevTest*>(ctx)->logs_.push_back({level, msg, arg});
    };
    ops.probe = probe;
    ASSERT_EQ(connac_dev_init(dev(), CONNAC_MT7925, flags, &ops), 0);
  }
  bool Logged(const std::string& part, long long arg = -1) const {
    for (const LogRecord& r : logs_) {
      if (r.msg.find(part) != std::string::npos && (arg < 0 || r.arg == arg)) return true;
    }
    return false;
  }
  // Drains the actions; returns them (keys wiped).
  std::vector<connac_action> Drain() {
    std::vector<connac_action> out;
    connac_action a;
    while (connac_dev_next_action(dev(), &a) == 1) {
      std::memset(a.key.key, 0, sizeof(a.key.key));
      out.push_back(a);
    }
    return out;
  }
  // An mt7925 UNI RESULT for `t` with `status` (connac_cases.h's layout).
  std::vector<unsigned char> Answer(const connac_ticket& t, int status = 0) {
    const unsigned char res[8] = {static_cast<unsigned char>(t.cmd),
                                  0,
                                  0,
                                  0,
                                  static_cast<unsigned char>(status),
                                  static_cast<unsigned char>(status >> 8),
                                  static_cast<unsigned char>(status >> 16),
                                  static_cast<unsigned char>(status >> 24)};
    std::vector<unsigned char> ev(64);
    const long n =
        connac_case_event(CONNAC_MT7925, t.seq, CONNAC_CASE_EID_RESULT, CONNAC_CASE_OPT_UNI, 0, res,
                          sizeof(res), ev.data(), ev.size());
    ev.resize(static_cast<size_t>(n));
    return ev;
  }

  std::unique_ptr<connac_dev> owner_ = std::make_unique<connac_dev>();
};

TEST_F(DevTest, StateFitsWithRoomToSpare) {
  // connac::Device<7> and what the glue adds: 4008 bytes on x86-64 (docs/kmod.md). The
  // compile-time checks in the glue are the real guard.
  EXPECT_LE(connac_dev_state_bytes(), static_cast<unsigned long>(CONNAC_DEV_SIZE));
  EXPECT_GT(connac_dev_state_bytes(), 3900u) << "the Device is in struct connac_dev";
}

TEST_F(DevTest, InitChecksFamilyFlagsAndOps) {
  EXPECT_EQ(connac_dev_init(dev(), 3, 0, nullptr), -EINVAL);
  EXPECT_EQ(connac_dev_init(dev(), CONNAC_MT7925, 0x80, nullptr), -EINVAL);
  EXPECT_EQ(connac_dev_init(nullptr, CONNAC_MT7925, 0, nullptr), -EINVAL);
  connac_host_ops ops;
  connac_host_ops_init(&ops);
  EXPECT_EQ(ops.size, sizeof(ops));
  EXPECT_EQ(ops.version, static_cast<unsigned int>(CONNAC_API_VERSION));
  EXPECT_EQ(CONNAC_API_VERSION, 2);
  ops.version = 1;  // a v1 caller: its calls mean something else
  EXPECT_EQ(connac_dev_init(dev(), CONNAC_MT7925, 0, &ops), -EINVAL);
  ops.version = CONNAC_API_VERSION + 1;
  EXPECT_EQ(connac_dev_init(dev(), CONNAC_MT7925, 0, &ops), -EINVAL);
  ops.version = CONNAC_API_VERSION;
  ops.size = CONNAC_HOST_OPS_MIN_SIZE - 1;
  EXPECT_EQ(connac_dev_init(dev(), CONNAC_MT7925, 0, &ops), -EINVAL);
  for (unsigned int f : {CONNAC_MT7921, CONNAC_MT7925, CONNAC_MT7996}) {
    ASSERT_EQ(connac_dev_init(dev(), f, 0, nullptr), 0);
    EXPECT_EQ(connac_dev_family(dev()), static_cast<int>(f));
  }
}

TEST_F(DevTest, OlderShorterOpsAreAcceptedAndTheTailReadsAsNull) {
  // A caller built before @probe existed: its struct ends after @log. Whatever follows it in
  // memory must not be taken for a callback.
  struct {
    connac_host_ops ops;
    char poison[16];
  } old;
  std::memset(&old, 0xff, sizeof(old));
  old.ops.size = CONNAC_HOST_OPS_MIN_SIZE;
  old.ops.version = CONNAC_API_VERSION;
  old.ops.ctx = this;
  old.ops.log = [](void* ctx, int level, const char* msg, long long arg) {
    static_cast<DevTest*>(ctx)->logs_.push_back({level, msg, arg});
  };
  ASSERT_EQ(connac_dev_init(dev(), CONNAC_MT7925, 0, &old.ops), 0);
  connac_ticket t;
  ASSERT_EQ(connac_dev_submit(dev(), kBss, CONNAC_ORIGIN_STACK, 0, &t), 0);
  ASSERT_EQ(connac_dev_on_tick(dev(), 3000 * kMs), 0);
  const std::vector<connac_action> a = Drain();
  ASSERT_GE(a.size(), 1u);
  EXPECT_EQ(a[0].kind, static_cast<unsigned int>(CONNAC_ACT_FAIL));
  // The timeout is logged with its command word, at WARNING (the log is the caller's).
  EXPECT_TRUE(Logged("timeout, command 0x", kBss));
  EXPECT_EQ(logs_.front().level, CONNAC_LOG_WARNING);
}

TEST_F(DevTest, UseBeforeInitIsReportedAndFails) {
  const int before = connac_kmod_test::AssertCount();
  connac_ticket t;
  EXPECT_EQ(connac_dev_submit(dev(), kBss, CONNAC_ORIGIN_STACK, 0, &t), -EINVAL);
  EXPECT_EQ(connac_kmod_test::AssertCount(), before + 1);
  EXPECT_NE(std::string(connac_kmod_test::LastAssert()).find("kMagic"), std::string::npos);
  // After destroy too.
  ASSERT_EQ(connac_dev_init(dev(), CONNAC_MT7925, 0, nullptr), 0);
  connac_dev_destroy(dev());
  EXPECT_EQ(connac_dev_next_deadline(dev()), CONNAC_NEVER);
  connac_action a;
  EXPECT_EQ(connac_dev_next_action(dev(), &a), -EINVAL);
  EXPECT_EQ(connac_kmod_test::AssertCount(), before + 3);
  // A NULL device is a plain argument error, not an invariant.
  EXPECT_EQ(connac_dev_submit(nullptr, kBss, CONNAC_ORIGIN_STACK, 0, &t), -EINVAL);
  EXPECT_EQ(connac_dev_state(nullptr), -EINVAL);
  EXPECT_EQ(connac_kmod_test::AssertCount(), before + 3);
}

// Every pointer, size, enum and time the caller passes is checked: -EINVAL, nothing changed,
// and no invariant reported (a bad argument is not a broken core).
TEST_F(DevTest, BadArgumentsAreEinvalAndChangeNothing) {
  Init();
  const int asserts = connac_kmod_test::AssertCount();
  const unsigned char mac[6] = {2, 0xb0, 0x55, 0x1d, 0, 0};
  connac_ticket t;
  std::memset(&t, 0x5a, sizeof(t));
  const connac_ticket untouched = t;
  EXPECT_EQ(connac_dev_submit(dev(), kBss, 2, 0, &t), -EINVAL) << "no such origin";
  EXPECT_EQ(connac_dev_submit(dev(), kBss, CONNAC_ORIGIN_STACK, -1, &t), -EINVAL) << "time";
  EXPECT_EQ(connac_dev_submit(dev(), kBss, CONNAC_ORIGIN_STACK, 0, nullptr), -EINVAL);
  EXPECT_EQ(std::memcmp(&t, &untouched, sizeof(t)), 0) << "nothing written";
  EXPECT_EQ(connac_dev_on_event(dev(), nullptr, 4, 0), -EINVAL);
  EXPECT_EQ(connac_dev_on_command_result(dev(), nullptr, 0, 0), -EINVAL);
  EXPECT_EQ(connac_dev_on_tick(dev(), -5), -EINVAL);
  EXPECT_EQ(connac_dev_on_step_result(dev(), CONNAC_STEPS, 1, 0), -EINVAL);
  EXPECT_EQ(connac_dev_on_probe_result(dev(), 1, -1), -EINVAL);
  EXPECT_EQ(connac_dev_request_reset(dev(), -1), -EINVAL);
  EXPECT_EQ(connac_dev_set_device(dev(), nullptr), -EINVAL);
  EXPECT_EQ(connac_dev_link_add(dev(), CONNAC_MAX_MLO_LINKS, mac, 0, nullptr), -EINVAL);
  EXPECT_EQ(connac_dev_link_add(dev(), 0x100, mac, 0, nullptr), -EINVAL);
  EXPECT_EQ(connac_dev_link_add(dev(), 0, nullptr, 0, nullptr), -EINVAL);
  EXPECT_EQ(connac_dev_link_associated(dev(), 0, mac, 1), -EINVAL) << "never added";
  EXPECT_EQ(connac_dev_link_associated(dev(), 99, mac, 1), -EINVAL);
  EXPECT_EQ(connac_dev_sta_add(dev(), 0, nullptr, 0), -EINVAL);
  EXPECT_EQ(connac_dev_sta_add(dev(), 0, mac, 0), -ENOLINK) << "link down";
  connac_key_conf k{};
  k.cipher = CONNAC_SUITE_CCMP;
  k.link_id = 0;
  k.key_len = 16;
  EXPECT_EQ(connac_dev_set_key(dev(), 2, &k, 0), -EINVAL) << "no such command";
  EXPECT_EQ(connac_dev_set_key(dev(), CONNAC_KEY_SET, nullptr, 0), -EINVAL);
  k.key_len = 33;
  EXPECT_EQ(connac_dev_set_key(dev(), CONNAC_KEY_SET, &k, 0), -EINVAL) << "key_len";
  k.key_len = 16;
  k.keyidx = 8;
  EXPECT_EQ(connac_dev_set_key(dev(), CONNAC_KEY_SET, &k, 0), -EINVAL) << "keyidx";
  EXPECT_EQ(connac_dev_next_action(dev(), nullptr), -EINVAL);
  EXPECT_EQ(connac_dev_get_counters(dev(), nullptr, 4), -EINVAL);
  EXPECT_EQ(connac_dev_get_report(dev(), nullptr, 4), -EINVAL);
  EXPECT_EQ(connac_dev_set_config(dev(), nullptr), -EINVAL);
  // Idempotent teardown: an unknown link is no link.
  EXPECT_EQ(connac_dev_link_remove(dev(), 99), 0);
  EXPECT_EQ(connac_dev_sta_remove(dev(), 99), 0);
  // Stateless calls.
  connac_frame_info info;
  EXPECT_EQ(connac_frame_decode(nullptr, 10, &info), -EINVAL);
  EXPECT_EQ(connac_frame_encode(CONNAC_MT7925, kBss, 1, 0, nullptr, 4, nullptr, 0), -EINVAL);
  connac_response r;
  EXPECT_EQ(connac_parse_response(CONNAC_MT7925, kBss, 1, nullptr, 1, &r), -EINVAL);
  EXPECT_EQ(connac_cmd_timeout_ns(9, kBss), -EINVAL);
  connac_key_action ka{};
  unsigned char frame[CONNAC_KEY_FRAME_SIZE];
  EXPECT_EQ(connac_key_action_encode(9, &ka, 1, frame, sizeof(frame)), -EINVAL);
  EXPECT_EQ(connac_key_action_encode(CONNAC_MT7925, &ka, 0, frame, sizeof(frame)), -EINVAL);
  EXPECT_EQ(connac_key_action_encode(CONNAC_MT7925, &ka, 1, frame, sizeof(frame) - 1), -ENOBUFS);
  ka.kind = 7;
  EXPECT_EQ(connac_key_action_encode(CONNAC_MT7925, &ka, 1, frame, sizeof(frame)), -EINVAL);
  ka.kind = CONNAC_KEY_ACTION_KEY;
  ka.add = 0x80;  // any nonzero byte is "add", never an invalid bool
  EXPECT_EQ(connac_key_action_encode(CONNAC_MT7925, &ka, 1, frame, sizeof(frame)),
            CONNAC_KEY_FRAME_SIZE);
  // Nothing of the above reached the device: still fresh.
  connac_counters c{};
  ASSERT_EQ(connac_dev_get_counters(dev(), &c, sizeof(c)), 0);
  EXPECT_EQ(c.submitted + c.armed + c.key_ops, 0u);
  connac_action none;
  EXPECT_EQ(connac_dev_next_action(dev(), &none), 0);
  EXPECT_EQ(connac_kmod_test::AssertCount(), asserts) << "bad arguments are not invariants";
}

TEST_F(DevTest, AnEventBeforeThePreviousWasReadIsBusy) {
  Init();
  connac_ticket t;
  ASSERT_EQ(connac_dev_submit(dev(), kBss, CONNAC_ORIGIN_STACK, 0, &t), 0);
  const std::vector<unsigned char> ev = Answer(t, 3);
  ASSERT_EQ(connac_dev_on_event(dev(), ev.data(), ev.size(), 1), 0);
  EXPECT_EQ(connac_dev_on_event(dev(), ev.data(), ev.size(), 2), -EBUSY);
  connac_action a;
  ASSERT_EQ(connac_dev_next_action(dev(), &a), 1);
  EXPECT_EQ(a.kind, static_cast<unsigned int>(CONNAC_ACT_COMPLETE));
  EXPECT_EQ(a.status, 3);
  EXPECT_TRUE(connac_ticket_eq(&a.ticket, &t));
  EXPECT_EQ(a.payload_offset, 44u);
  EXPECT_EQ(a.payload_offset + a.payload_len, ev.size());
  EXPECT_EQ(connac_dev_next_action(dev(), &a), 0);
  // Read: the next event goes in (a late duplicate, counted, no action).
  EXPECT_EQ(connac_dev_on_event(dev(), ev.data(), ev.size(), 3), 0);
  EXPECT_EQ(connac_dev_next_action(dev(), &a), 0);
}

bool Contains(const void* obj, size_t size, const unsigned char* key, size_t len) {
  const auto* p = static_cast<const unsigned char*>(obj);
  for (size_t i = 0; i + len <= size; ++i) {
    if (std::memcmp(p + i, key, len) == 0) return true;
  }
  return false;
}

TEST_F(DevTest, DestroyWipesTheKeys) {
  Init();
  const unsigned char bssid[6] = {2, 0xb0, 0x55, 0x1d, 0, 0};
  ASSERT_EQ(connac_dev_link_add(dev(), 0, bssid, 0, nullptr), 0);
  Drain();
  connac_key_conf k{};
  k.cipher = CONNAC_SUITE_CCMP;
  k.keyidx = 1;
  k.link_id = 0;
  k.key_len = 16;
  for (int i = 0; i < 16; ++i) k.key[i] = static_cast<unsigned char>(0x71 + 3 * i);
  ASSERT_EQ(connac_dev_set_key(dev(), CONNAC_KEY_SET, &k, 0), 0);
  EXPECT_TRUE(Contains(dev(), sizeof(*dev()), k.key, 16));
  // The key frame's action holds the key: the caller wipes it once encoded.
  connac_action a;
  ASSERT_EQ(connac_dev_next_action(dev(), &a), 1);  // BSS cipher
  EXPECT_FALSE(Contains(&a, sizeof(a), k.key, 16));
  const std::vector<unsigned char> answer = Answer(a.ticket);
  ASSERT_EQ(connac_dev_on_event(dev(), answer.data(), answer.size(), 1), 0);
  ASSERT_EQ(connac_dev_next_action(dev(), &a), 1);
  EXPECT_EQ(a.key.kind, CONNAC_KEY_ACTION_KEY);
  EXPECT_TRUE(Contains(&a, sizeof(a), k.key, 16));
  std::memset(&a, 0, sizeof(a));
  connac_dev_destroy(dev());
  EXPECT_FALSE(Contains(dev(), sizeof(*dev()), k.key, 16));
  // Destroyed: all zero, may be initialised again.
  for (unsigned char b : dev()->opaque) ASSERT_EQ(b, 0);
  EXPECT_EQ(connac_dev_init(dev(), CONNAC_MT7925, 0, nullptr), 0);
}

// A driver that moves its device struct (memcpy into a new allocation, then frees the old
// one) keeps a working device; ASan catches any pointer the state kept into the old one.
TEST(MisuseTest, DeviceMovedToANewAllocationAndTheOldOneFreed) {
  auto* first = new connac_dev;
  ASSERT_EQ(connac_dev_init(first, CONNAC_MT7925, 0, nullptr), 0);
  connac_ticket armed{};
  ASSERT_EQ(connac_dev_submit(first, kBss, CONNAC_ORIGIN_STACK, 0, &armed), 0);
  auto* second = new connac_dev;
  std::memcpy(second, first, sizeof(connac_dev));
  std::memset(first, 0x6b, sizeof(connac_dev));
  delete first;

  connac_ticket more{};
  ASSERT_EQ(connac_dev_submit(second, kStaRec, CONNAC_ORIGIN_STACK, 0, &more), 0);
  EXPECT_NE(more.seq, armed.seq) << "the copy knows what the original had in flight";
  connac_counters c{};
  ASSERT_EQ(connac_dev_get_counters(second, &c, sizeof(c)), 0);
  EXPECT_EQ(c.in_flight, 2u);
  ASSERT_EQ(connac_dev_on_tick(second, 3000 * kMs), 0);
  connac_action a;
  ASSERT_EQ(connac_dev_next_action(second, &a), 1);
  EXPECT_EQ(a.kind, static_cast<unsigned int>(CONNAC_ACT_FAIL));
  EXPECT_TRUE(connac_ticket_eq(&a.ticket, &armed));
  connac_dev_destroy(second);
  delete second;
}

// ---------------------------------------------------------------------------------------
// The probe callback, the logs, the snapshots, the configuration.

int ProbeFromTest(void* ctx) {
  DevTest* t = static_cast<DevTest*>(ctx);
  ++t->probe_calls_;
  return t->probe_answer_;
}

void ProbeOn(connac_dev* d) {
  connac_config cfg;
  ASSERT_EQ(connac_dev_get_config(d, &cfg, sizeof(cfg)), 0);
  cfg.suspect_ns = 300 * kMs;
  cfg.probe_window_ns = 200 * kMs;
  ASSERT_EQ(connac_dev_set_config(d, &cfg), 0);
}

TEST_F(DevTest, ProbeCallbackAnswersSoTheHostNeverSeesProbe) {
  Init(ProbeFromTest);
  ProbeOn(dev());
  connac_ticket t;
  ASSERT_EQ(connac_dev_submit(dev(), 0x00020016 /* SCAN */, CONNAC_ORIGIN_STACK, 0, &t), 0);
  // Alive: the core asks, folds the answer in; no action.
  ASSERT_EQ(connac_dev_on_tick(dev(), 300 * kMs), 0);
  EXPECT_TRUE(Drain().empty());
  EXPECT_EQ(probe_calls_, 1);
  EXPECT_EQ(connac_dev_state(dev()), CONNAC_STATE_RUNNING);
  EXPECT_TRUE(Logged("liveness probe", 1));
  // The slow command is answered; the next one outstanding as long, the firmware dead:
  // declared dead at once (the same command is never probed twice).
  const std::vector<unsigned char> answer = Answer(t);
  ASSERT_EQ(connac_dev_on_event(dev(), answer.data(), answer.size(), 350 * kMs), 0);
  ASSERT_EQ(Drain().size(), 1u);
  ASSERT_EQ(connac_dev_submit(dev(), kBss, CONNAC_ORIGIN_STACK, 400 * kMs, &t), 0);
  probe_answer_ = -ETIMEDOUT;
  ASSERT_EQ(connac_dev_on_tick(dev(), 700 * kMs), 0);
  const std::vector<connac_action> a = Drain();
  EXPECT_EQ(probe_calls_, 2);
  for (const connac_action& x : a) EXPECT_NE(x.kind, static_cast<unsigned int>(CONNAC_ACT_PROBE));
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a.back().kind, static_cast<unsigned int>(CONNAC_ACT_RUN_STEP));
  connac_counters c;
  ASSERT_EQ(connac_dev_get_counters(dev(), &c, sizeof(c)), 0);
  EXPECT_EQ(c.probes, 2u);
  EXPECT_EQ(c.probes_alive, 1u);
  EXPECT_EQ(c.triggers[CONNAC_CAUSE_PROBE], 1u);
  EXPECT_TRUE(Logged("declared dead", CONNAC_CAUSE_PROBE));
}

TEST_F(DevTest, ProbeCallbackIsNeverCalledByDefault) {
  Init(ProbeFromTest);
  connac_ticket t;
  ASSERT_EQ(connac_dev_submit(dev(), kBss, CONNAC_ORIGIN_STACK, 0, &t), 0);
  for (long long ms = 0; ms < 2900; ms += 100) {
    ASSERT_EQ(connac_dev_on_tick(dev(), ms * kMs), 0);
    EXPECT_TRUE(Drain().empty());
  }
  EXPECT_EQ(probe_calls_, 0);
}

TEST_F(DevTest, LogsDeathRecoveryAndWedged) {
  Init();
  ASSERT_EQ(connac_dev_request_reset(dev(), 0), 0);
  std::vector<connac_action> a = Drain();
  EXPECT_TRUE(Logged("declared dead", CONNAC_CAUSE_REQUEST));
  for (unsigned int st = CONNAC_STEP_WFSYS; st <= CONNAC_STEP_READY; ++st) {
    ASSERT_FALSE(a.empty());
    ASSERT_EQ(a.back().kind, static_cast<unsigned int>(CONNAC_ACT_RUN_STEP));
    ASSERT_EQ(a.back().step, st);
    ASSERT_EQ(connac_dev_on_step_result(dev(), st, 1, (st + 1) * 10 * kMs), 0);
    a = Drain();
  }
  // Nothing to restore: straight to RUNNING.
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].kind, static_cast<unsigned int>(CONNAC_ACT_RESUME_TX));
  EXPECT_EQ(a[1].kind, static_cast<unsigned int>(CONNAC_ACT_REPORT));
  EXPECT_EQ(a[1].wedged, 0);
  EXPECT_TRUE(Logged("recovered, attempts:", 1));
  connac_report r;
  ASSERT_EQ(connac_dev_get_report(dev(), &r, sizeof(r)), 0);
  EXPECT_EQ(r.recovered, 1);
  EXPECT_EQ(r.cause, CONNAC_CAUSE_REQUEST);
  EXPECT_EQ(r.attempts, 1u);
  EXPECT_EQ(r.detected_ns, 0);
  EXPECT_EQ(r.ended_ns, 50 * kMs);
}

TEST_F(DevTest, LogsWedged) {
  Init();
  connac_config cfg;
  ASSERT_EQ(connac_dev_get_config(dev(), &cfg, sizeof(cfg)), 0);
  cfg.wedge_after = 1;
  ASSERT_EQ(connac_dev_set_config(dev(), &cfg), 0);
  ASSERT_EQ(connac_dev_request_reset(dev(), 0), 0);
  Drain();
  ASSERT_EQ(connac_dev_on_step_result(dev(), CONNAC_STEP_WFSYS, 0, 55 * kMs), 0);
  const std::vector<connac_action> a = Drain();
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a.back().kind, static_cast<unsigned int>(CONNAC_ACT_REPORT));
  EXPECT_EQ(a.back().wedged, 1);
  EXPECT_TRUE(Logged("WEDGED, attempts:", 1));
  EXPECT_EQ(logs_.back().level, CONNAC_LOG_ERR);
  EXPECT_EQ(connac_dev_state(dev()), CONNAC_STATE_WEDGED);
}

TEST_F(DevTest, LogsTheDisableOnATornDownLink) {
  Init();
  connac_key_conf k{};
  k.cipher = CONNAC_SUITE_CCMP;
  k.keyidx = 1;
  k.link_id = 2;
  k.key_len = 16;
  EXPECT_EQ(connac_dev_set_key(dev(), CONNAC_KEY_DISABLE, &k, 0), 0);
  const std::vector<connac_action> a = Drain();
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].kind, static_cast<unsigned int>(CONNAC_ACT_KEY_OP_DONE));
  EXPECT_EQ(a[0].status, 0);
  EXPECT_TRUE(Logged("down", 2));
  EXPECT_EQ(logs_.back().level, CONNAC_LOG_DEBUG);
}

TEST_F(DevTest, SnapshotsHonourTheCallersSize) {
  Init();
  ASSERT_EQ(connac_dev_request_reset(dev(), 0), 0);
  Drain();
  // A caller whose struct held only the in-flight counters: nothing past them is written.
  struct {
    unsigned int first[4];
    unsigned char poison[32];
  } old;
  std::memset(&old, 0xa5, sizeof(old));
  ASSERT_EQ(
      connac_dev_get_counters(dev(), reinterpret_cast<connac_counters*>(&old), sizeof(old.first)),
      0);
  EXPECT_EQ(old.first[0], 0u) << "armed";
  for (unsigned char b : old.poison) ASSERT_EQ(b, 0xa5);
  connac_config cfg;
  std::memset(&cfg, 0xa5, sizeof(cfg));
  ASSERT_EQ(connac_dev_get_config(dev(), &cfg, 8), 0);
  EXPECT_EQ(cfg.size, 8u);
  EXPECT_EQ(cfg.wedge_after, 6);
  EXPECT_EQ(cfg.suspect_ns, static_cast<long long>(0xa5a5a5a5a5a5a5a5ULL)) << "not written";
  ASSERT_EQ(connac_dev_get_config(dev(), &cfg, sizeof(cfg)), 0);
  EXPECT_EQ(cfg.size, sizeof(cfg));
  EXPECT_EQ(cfg.step_watchdog_ns[CONNAC_STEP_WFSYS], 700 * kMs);
  EXPECT_EQ(connac_dev_get_config(dev(), &cfg, 2), -EINVAL);
  connac_report r;
  std::memset(&r, 0xa5, sizeof(r));
  ASSERT_EQ(connac_dev_get_report(dev(), &r, sizeof(r.cause)), 0);
  EXPECT_EQ(r.cause, CONNAC_CAUSE_REQUEST);
  EXPECT_EQ(r.attempts, 0xa5a5a5a5u);
}

TEST_F(DevTest, ConfigurationOnlyOnAFreshDevice) {
  Init();
  connac_config cfg;
  ASSERT_EQ(connac_dev_get_config(dev(), &cfg, sizeof(cfg)), 0);
  EXPECT_EQ(CONNAC_CONFIG_MIN_SIZE, sizeof(cfg));
  connac_config bad = cfg;
  bad.size = CONNAC_CONFIG_MIN_SIZE - 8;
  EXPECT_EQ(connac_dev_set_config(dev(), &bad), -EINVAL);
  bad = cfg;
  bad.step_watchdog_ns[CONNAC_STEP_RAM] = 0;
  EXPECT_EQ(connac_dev_set_config(dev(), &bad), -EINVAL);
  bad = cfg;
  bad.wedge_after = 0;
  EXPECT_EQ(connac_dev_set_config(dev(), &bad), -EINVAL);
  bad = cfg;
  bad.backoff_ns[2] = -1;
  EXPECT_EQ(connac_dev_set_config(dev(), &bad), -EINVAL);
  bad = cfg;
  bad.probe_window_ns = 0;
  EXPECT_EQ(connac_dev_set_config(dev(), &bad), -EINVAL);
  // A shorter WFSYS watchdog takes effect: the step runs out after it.
  cfg.step_watchdog_ns[CONNAC_STEP_WFSYS] = 70 * kMs;
  ASSERT_EQ(connac_dev_set_config(dev(), &cfg), 0);
  ASSERT_EQ(connac_dev_request_reset(dev(), 0), 0);
  Drain();
  EXPECT_EQ(connac_dev_next_deadline(dev()), 70 * kMs);
  EXPECT_EQ(connac_dev_set_config(dev(), &cfg), -EBUSY) << "after a trigger the history stays";
}

TEST(ApiTest, TimeoutsAndNames) {
  EXPECT_EQ(connac_cmd_timeout_ns(CONNAC_MT7925, kBss), 3'000'000'000LL);
  EXPECT_EQ(connac_cmd_timeout_ns(CONNAC_MT7996, kBss), 2'000'000'000LL);
  EXPECT_STREQ(connac_errno_name(-110), "ETIMEDOUT");
  EXPECT_STREQ(connac_errno_name(0), "OK");
  EXPECT_STREQ(connac_errno_name(-1000), "E?");
  static const char* const kStates[] = {"RUNNING",  "PROBING",  "WFSYS_RESET", "FW_SEMAPHORE",
                                        "FW_PATCH", "FW_RAM",   "FW_READY",    "RESTORE",
                                        "BACKOFF",  "HOLD_OFF", "WEDGED"};
  for (int i = 0; i <= CONNAC_STATE_WEDGED; ++i) EXPECT_STREQ(connac_state_name(i), kStates[i]);
  EXPECT_EQ(connac_state_name(-1), nullptr);
  EXPECT_EQ(connac_state_name(CONNAC_STATE_WEDGED + 1), nullptr);
  EXPECT_STREQ(connac_step_name(CONNAC_STEP_WFSYS), "wfsys_reset");
  EXPECT_STREQ(connac_step_name(CONNAC_STEP_RESTORE), "restore");
  EXPECT_EQ(connac_step_name(CONNAC_STEPS), nullptr);
}

// ---------------------------------------------------------------------------------------
// A driver-shaped host over the firmware simulator's C view, in virtual time: the protocol
// of the kernel test module's hang suite, single-threaded and deterministic, so it runs
// under the sanitizers. The host executes actions; every recovery decision is the core's.

class HostOnFwSimTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(connac_dev_init(dev_.get(), CONNAC_MT7925, 0, nullptr), 0);
    connac_fwsim_config c;
    connac_fwsim_default_config(&c);
    c.arm_after_cmds = 7;  // DEV_INFO, BSS_INFO, STA_REC, the BSS cipher, three keys
    c.hang_at_cmd = 3;
    c.step_failures[CONNAC_STEP_WFSYS] = 1;
    ASSERT_EQ(connac_fwsim_init(fw_.get(), &c), 0);
  }
  void TearDown() override {
    std::memset(&act_, 0, sizeof(act_));
    connac_dev_destroy(dev_.get());
  }

  void Send(const unsigned char* frame, long len) {
    ASSERT_GT(len, 0);
    connac_fwsim_receive(fw_.get(), frame, static_cast<unsigned long>(len), now_);
  }

  // The core's SEND: a key frame, or the minimal BSS/DEV/STA payload the simulator reads.
  void SendForCore(const connac_action& a) {
    unsigned char frame[CONNAC_KEY_FRAME_SIZE];
    if (!a.is_restore && a.key.kind == CONNAC_KEY_ACTION_KEY) {
      Send(frame,
           connac_key_action_encode(CONNAC_MT7925, &a.key, a.ticket.seq, frame, sizeof(frame)));
      return;
    }
    unsigned char p[8] = {a.is_restore ? a.restore.bss_idx : a.key.bss_idx};
    unsigned long plen = 4;
    if (a.is_restore && a.restore.kind == CONNAC_RESTORE_STA) {
      p[1] = a.restore.wcid;
      p[4] = 1;
      plen = 8;
    }
    restore_sends_ += a.is_restore;
    Send(frame,
         connac_frame_encode(CONNAC_MT7925, a.cmd, a.ticket.seq, 0, p, plen, frame, sizeof(frame)));
  }

  void Execute(const connac_action& a) {
    switch (a.kind) {
      case CONNAC_ACT_COMPLETE:
      case CONNAC_ACT_FAIL:
        for (Cmd& c : cmds_) {
          if (!c.ended && connac_ticket_eq(&c.t, &a.ticket)) {
            c.ended = true;
            c.result = a.status;
          }
        }
        if (a.status == -ESHUTDOWN && dead_at_ < 0) dead_at_ = now_;
        break;
      case CONNAC_ACT_SEND: SendForCore(a); break;
      case CONNAC_ACT_KEY_OP_DONE:
        ++key_ops_;
        key_status_ = a.status;
        break;
      case CONNAC_ACT_STOP_TX:
        if (dead_at_ < 0) dead_at_ = now_;
        break;
      case CONNAC_ACT_RUN_STEP:
        ++steps_;
        step_ok_ = connac_fwsim_run_step(fw_.get(), a.step, now_, &step_done_);
        ASSERT_GE(step_ok_, 0);
        step_ = a.step;
        step_active_ = true;
        break;
      case CONNAC_ACT_REPORT: running_at_ = now_; break;
      case CONNAC_ACT_PROBE: ADD_FAILURE() << "the probe is off"; break;
    }
  }

  void Drain() {
    while (connac_dev_next_action(dev_.get(), &act_) == 1) Execute(act_);
    std::memset(&act_, 0, sizeof(act_));
  }

  // One step of virtual time: firmware events, a finished step, the core's deadline.
  void Step() {
    long long t =
        std::min(connac_fwsim_next_event_at(fw_.get()), connac_dev_next_deadline(dev_.get()));
    if (step_active_) t = std::min(t, step_done_);
    ASSERT_NE(t, CONNAC_NEVER) << "nothing left to happen";
    now_ = std::max(now_, t);
    unsigned char ev[CONNAC_FWSIM_EVENT_SIZE];
    long n;
    while ((n = connac_fwsim_poll_event(fw_.get(), now_, ev, sizeof(ev))) > 0) {
      ASSERT_EQ(connac_dev_on_event(dev_.get(), ev, static_cast<unsigned long>(n), now_), 0);
      Drain();
    }
    ASSERT_EQ(n, -ENOENT);
    if (step_active_ && step_done_ <= now_) {
      step_active_ = false;
      ASSERT_EQ(connac_dev_on_step_result(dev_.get(), step_, step_ok_, now_), 0);
      Drain();
    }
    ASSERT_EQ(connac_dev_on_tick(dev_.get(), now_), 0);
    Drain();
  }

  // Submits, sends and runs virtual time until the command ends; returns its result.
  int Call(unsigned int cmd, std::vector<unsigned char> payload) {
    Cmd c{};
    const int ret = connac_dev_submit(dev_.get(), cmd, CONNAC_ORIGIN_STACK, now_, &c.t);
    if (ret != 0) return ret;
    cmds_.push_back(c);
    const size_t i = cmds_.size() - 1;
    unsigned char frame[64];
    Send(frame, connac_frame_encode(CONNAC_MT7925, cmd, c.t.seq, 0, payload.data(), payload.size(),
                                    frame, sizeof(frame)));
    while (!cmds_[i].ended) Step();
    return cmds_[i].result;
  }

  int Key(unsigned int cipher, unsigned char idx, signed char link, unsigned char base) {
    connac_key_conf k{};
    k.cipher = cipher;
    k.keyidx = idx;
    k.link_id = link;
    k.key_len = 16;
    for (int i = 0; i < 16; ++i) k.key[i] = static_cast<unsigned char>(base + i);
    const int before = key_ops_;
    const int ret = connac_dev_set_key(dev_.get(), CONNAC_KEY_SET, &k, now_);
    if (ret != 0) return ret;
    Drain();
    while (key_ops_ == before) Step();
    return key_status_;
  }

  struct Cmd {
    connac_ticket t;
    bool ended;
    int result;
  };
  std::unique_ptr<connac_dev> dev_ = std::make_unique<connac_dev>();
  std::unique_ptr<connac_fwsim> fw_ = std::make_unique<connac_fwsim>();
  connac_action act_{};
  std::vector<Cmd> cmds_;
  long long now_ = 0;
  bool step_active_ = false;
  unsigned int step_ = 0;
  int step_ok_ = 0;
  long long step_done_ = 0;
  long long dead_at_ = -1, running_at_ = -1;
  int steps_ = 0, key_ops_ = 0, key_status_ = 0, restore_sends_ = 0;
};

TEST_F(HostOnFwSimTest, HangFailsFastResetsRestoresAndRunsAgain) {
  const unsigned char dev_addr[6] = {2, 0xde, 0, 0, 0, 0};
  const unsigned char bssid[6] = {2, 0xb0, 0x55, 0x1d, 0, 0};
  const unsigned char ap[6] = {2, 0xa9, 0, 0, 0, 0};
  // Setup: the core learns device, link 0, its AP station; the driver sends its own
  // DEV_INFO, BSS_INFO, STA_REC (peer wcid 1); the keys go through the core.
  ASSERT_EQ(connac_dev_set_device(dev_.get(), dev_addr), 0);
  ASSERT_EQ(connac_dev_link_add(dev_.get(), 0, bssid, now_, nullptr), 0);
  Drain();
  ASSERT_EQ(connac_dev_sta_add(dev_.get(), 0, ap, now_), 0);
  Drain();
  ASSERT_EQ(connac_dev_link_associated(dev_.get(), 0, ap, 1), 0);
  ASSERT_EQ(Call(kDevInfo, {0, 0, 0, 0}), 0);
  ASSERT_EQ(Call(kBss, {0, 0, 0, 0}), 0);
  ASSERT_EQ(Call(kStaRec, {0, 1, 0, 0, 1, 0, 0, 0}), 0);
  ASSERT_EQ(Key(CONNAC_SUITE_CCMP, 0, -1, 0x50), 0);
  ASSERT_EQ(Key(CONNAC_SUITE_CCMP, 1, 0, 0xc0), 0);
  ASSERT_EQ(Key(CONNAC_SUITE_AES_CMAC, 4, 0, 0xa0), 0);
  // Two answered, the third hangs: one timeout, then the core.
  EXPECT_EQ(Call(kBss, {0, 0, 0, 0}), 0);
  EXPECT_EQ(Call(kBss, {0, 0, 0, 0}), 0);
  const long long hang = now_;
  EXPECT_EQ(Call(kBss, {0, 0, 0, 0}), -ETIMEDOUT);
  EXPECT_EQ(dead_at_ - hang, 3000 * kMs) << "one timeout, no more";
  EXPECT_EQ(Call(kStaRec, {0, 1, 0, 0, 1, 0, 0, 0}), -ESHUTDOWN) << "refused during the reset";
  while (connac_dev_state(dev_.get()) != CONNAC_STATE_RUNNING) Step();

  connac_counters c;
  ASSERT_EQ(connac_dev_get_counters(dev_.get(), &c, sizeof(c)), 0);
  EXPECT_EQ(c.episodes, 1u);
  EXPECT_EQ(c.attempts, 2u);
  EXPECT_EQ(c.failed_attempts, 1u);
  EXPECT_EQ(c.step_failures[CONNAC_STEP_WFSYS], 1u);
  EXPECT_EQ(c.recoveries, 1u);
  EXPECT_EQ(c.refused, 1u);
  EXPECT_EQ(c.timeouts, 1u);
  EXPECT_EQ(steps_, 6) << "WFSYS twice, semaphore, patch, RAM, ready";
  EXPECT_EQ(restore_sends_, 3) << "device, BSS, station";
  EXPECT_EQ(c.keys_replayed, 3u);
  // WFSYS fails after 55 ms, then 55 ms + 4 x 37.5 ms of firmware load, then 6 restore
  // commands of 2 ms each (device, BSS, station, three keys).
  EXPECT_EQ(running_at_ - dead_at_, (55 + 55 + 150 + 6 * 2) * kMs);

  // The firmware has its state back, keys included, byte for byte.
  connac_fwsim_state st;
  connac_fwsim_get_state(fw_.get(), &st);
  EXPECT_EQ(st.resets, 1u);
  EXPECT_EQ(st.reloads, 1u);
  EXPECT_EQ(st.device, 1);
  EXPECT_EQ(connac_fwsim_bss_active(fw_.get(), 0), 1);
  EXPECT_EQ(connac_fwsim_sta_present(fw_.get(), 1), 1) << "peer wcid 1";
  unsigned char key[32];
  ASSERT_EQ(connac_fwsim_key(fw_.get(), 1, 0, key, sizeof(key)), 16);
  EXPECT_EQ(key[0], 0x50);
  ASSERT_EQ(connac_fwsim_key(fw_.get(), 19, 0, key, sizeof(key)), 16);
  EXPECT_EQ(key[15], 0xcf);
  ASSERT_EQ(connac_fwsim_key(fw_.get(), 19, 1, key, sizeof(key)), 32);  // CCMP key + IGTK
  EXPECT_EQ(key[16], 0xa0);
  EXPECT_EQ(connac_fwsim_key(fw_.get(), 0, 0, key, sizeof(key)), -ENOENT) << "wcid 0: driver's";
  // And it answers again; nothing is left in flight.
  EXPECT_EQ(Call(kBss, {0, 0, 0, 0}), 0);
  ASSERT_EQ(connac_dev_get_counters(dev_.get(), &c, sizeof(c)), 0);
  EXPECT_EQ(c.in_flight, 0u);
  EXPECT_EQ(c.quarantined, 0u);
  for (const Cmd& x : cmds_) EXPECT_TRUE(x.ended);
}

}  // namespace
