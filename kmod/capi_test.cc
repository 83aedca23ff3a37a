// The C API of connac_core.ko (kmod/include/connac_core.h) in userspace.
//
// The table-driven cases and their runners come from kmod/include/connac_cases.h, the very
// header the in-kernel self-test (connac_core.ko selftest=1) runs, so a case that passes
// here and fails in the kernel points at code generation, not at a different test. The rest
// checks what only the API adds: the opaque state, the versioned ops, assertions, logging.

#include "connac_cases.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "connac_core.h"
#include "connac_fwsim.h"
#include "gtest/gtest.h"
#include "kmod/testing/shim_stub.h"

// CORE_COPTS keeps the kernel's 2048-byte frame budget. Under AddressSanitizer every gtest
// temporary gets its own redzoned slot, so test bodies exceed it although they are not
// kernel code (as in userspace_test/test_util.h). The glue and exports are separate TUs and
// stay checked.
#if defined(__SANITIZE_ADDRESS__)
#pragma GCC diagnostic ignored "-Wframe-larger-than="
#endif

namespace {

std::string Describe(const connac_case_fail& f) {
  return std::string(f.what ? f.what : "?") + " (step " + std::to_string(f.step) + ": got " +
         std::to_string(f.got) + ", want " + std::to_string(f.want) + ")";
}

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
}

TEST_F(CaseTableTest, FrameErrors) {
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
}

TEST_F(CaseTableTest, InflightScripts) {
  for (const connac_txn_case& c : connac_txn_cases) {
    EXPECT_EQ(connac_case_txn(&c, s_.get(), &f_), 0) << c.name << ": " << Describe(f_);
  }
}

TEST_F(CaseTableTest, KeyScripts) {
  for (const connac_key_case& c : connac_key_cases) {
    EXPECT_EQ(connac_case_key(&c, s_.get(), &f_), 0) << c.name << ": " << Describe(f_);
  }
}

TEST_F(CaseTableTest, SequencerScripts) {
  for (const connac_seq_case& c : connac_seq_cases) {
    EXPECT_EQ(connac_case_seq(&c, s_.get(), &f_), 0) << c.name << ": " << Describe(f_);
  }
}

TEST_F(CaseTableTest, RestoreScripts) {
  for (const connac_restore_case& c : connac_restore_cases) {
    EXPECT_EQ(connac_case_restore(&c, s_.get(), &f_), 0) << c.name << ": " << Describe(f_);
  }
}

TEST_F(CaseTableTest, MovedDeviceWorksOnItsOwn) {
  EXPECT_EQ(connac_case_move(s_.get(), &f_), 0) << Describe(f_);
}

TEST(CaseHelpersTest, HexRejectsBadInput) {
  unsigned char b[4];
  EXPECT_EQ(connac_case_hex("01 0a ff", b, sizeof(b)), 3);
  EXPECT_EQ(connac_case_hex("0", b, sizeof(b)), -1);
  EXPECT_EQ(connac_case_hex("0g", b, sizeof(b)), -1);
  EXPECT_EQ(connac_case_hex("00 00 00 00 00", b, sizeof(b)), -1);
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

class DevTest : public ::testing::Test {
 protected:
  void TearDown() override { connac_dev_destroy(&dev_); }
  connac_dev dev_{};
};

TEST_F(DevTest, StateWithTheSequencerFits) {
  // In-flight table (7 slots), key slots, reset sequencer, restore record: 4080 bytes on
  // x86-64 (docs/kmod.md). The compile-time checks in the glue are the real guard.
  EXPECT_LE(connac_dev_state_bytes(), static_cast<unsigned long>(CONNAC_DEV_SIZE));
  EXPECT_GT(connac_dev_state_bytes(), 4000u) << "the sequencer's state is in struct connac_dev";
}

TEST_F(DevTest, InitChecksFamilyFlagsAndOps) {
  EXPECT_EQ(connac_dev_init(&dev_, 3, 0, nullptr), -22);
  EXPECT_EQ(connac_dev_init(&dev_, CONNAC_MT7925, 0x80, nullptr), -22);
  EXPECT_EQ(connac_dev_init(nullptr, CONNAC_MT7925, 0, nullptr), -22);
  connac_host_ops ops;
  connac_host_ops_init(&ops);
  EXPECT_EQ(ops.size, sizeof(ops));
  EXPECT_EQ(ops.version, static_cast<unsigned int>(CONNAC_API_VERSION));
  ops.version = CONNAC_API_VERSION + 1;
  EXPECT_EQ(connac_dev_init(&dev_, CONNAC_MT7925, 0, &ops), -22);
  ops.version = CONNAC_API_VERSION;
  ops.size = CONNAC_HOST_OPS_MIN_SIZE - 1;
  EXPECT_EQ(connac_dev_init(&dev_, CONNAC_MT7925, 0, &ops), -22);
  for (unsigned int f : {CONNAC_MT7921, CONNAC_MT7925, CONNAC_MT7996}) {
    ASSERT_EQ(connac_dev_init(&dev_, f, 0, nullptr), 0);
    EXPECT_EQ(connac_dev_family(&dev_), static_cast<int>(f));
  }
}

struct LogRecord {
  int level;
  std::string msg;
  long long arg;
};

void RecordLog(void* ctx, int level, const char* msg, long long arg) {
  static_cast<std::vector<LogRecord>*>(ctx)->push_back({level, msg, arg});
}

int ProbeNever(void*) { return -110; }

TEST_F(DevTest, OlderShorterOpsAreAcceptedAndTheTailReadsAsNull) {
  // A caller built before @probe existed: its struct ends after @log. Whatever follows it in
  // memory must not be taken for a callback.
  struct {
    connac_host_ops ops;
    char poison[16];
  } old;
  std::memset(&old, 0xff, sizeof(old));
  std::vector<LogRecord> logs;
  old.ops.size = CONNAC_HOST_OPS_MIN_SIZE;
  old.ops.version = CONNAC_API_VERSION;
  old.ops.ctx = &logs;
  old.ops.log = RecordLog;
  ASSERT_EQ(connac_dev_init(&dev_, CONNAC_MT7925, 0, &old.ops), 0);
  connac_ticket t;
  ASSERT_EQ(connac_txn_arm(&dev_, 0x00020002, 0, &t), 0);
  connac_ticket out[2];
  EXPECT_EQ(connac_txn_expire(&dev_, 3'000'000'000LL, out, 2), 1u);
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0].level, CONNAC_LOG_WARNING);
  EXPECT_EQ(logs[0].arg, 0x00020002);
}

TEST_F(DevTest, LogsTheDisableOnATornDownLink) {
  std::vector<LogRecord> logs;
  connac_host_ops ops;
  connac_host_ops_init(&ops);
  ops.ctx = &logs;
  ops.log = RecordLog;
  ops.probe = ProbeNever;
  ASSERT_EQ(connac_dev_init(&dev_, CONNAC_MT7925, 0, &ops), 0);
  connac_key_conf k{};
  k.cipher = CONNAC_SUITE_CCMP;
  k.keyidx = 1;
  k.link_id = 2;
  k.key_len = 16;
  connac_key_actions acts{};
  EXPECT_EQ(connac_key_set(&dev_, CONNAC_KEY_DISABLE, &k, &acts), 0);
  EXPECT_EQ(acts.count, 0u);
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0].arg, 2);
  EXPECT_NE(logs[0].msg.find("down"), std::string::npos);
}

TEST_F(DevTest, UseBeforeInitIsReportedAndFails) {
  const int before = connac_kmod_test::AssertCount();
  connac_ticket t;
  EXPECT_EQ(connac_txn_arm(&dev_, 0x00020002, 0, &t), -22);
  EXPECT_EQ(connac_kmod_test::AssertCount(), before + 1);
  EXPECT_NE(std::string(connac_kmod_test::LastAssert()).find("kMagic"), std::string::npos);
  // After destroy too.
  ASSERT_EQ(connac_dev_init(&dev_, CONNAC_MT7925, 0, nullptr), 0);
  connac_dev_destroy(&dev_);
  EXPECT_EQ(connac_txn_next_deadline(&dev_), CONNAC_NEVER);
  EXPECT_EQ(connac_kmod_test::AssertCount(), before + 2);
  // A NULL device is a plain argument error, not an invariant.
  EXPECT_EQ(connac_txn_arm(nullptr, 0x00020002, 0, &t), -22);
  EXPECT_EQ(connac_kmod_test::AssertCount(), before + 2);
}

bool Contains(const void* obj, size_t size, const unsigned char* key, size_t len) {
  const auto* p = static_cast<const unsigned char*>(obj);
  for (size_t i = 0; i + len <= size; ++i) {
    if (std::memcmp(p + i, key, len) == 0) return true;
  }
  return false;
}

TEST_F(DevTest, DestroyAndWipeZeroizeKeyMaterial) {
  ASSERT_EQ(connac_dev_init(&dev_, CONNAC_MT7925, 0, nullptr), 0);
  const unsigned char bssid[6] = {2, 0xb0, 0x55, 0x1d, 0, 0};
  connac_key_actions acts{};
  ASSERT_EQ(connac_key_link_add(&dev_, 0, bssid, &acts), 0);
  connac_key_conf k{};
  k.cipher = CONNAC_SUITE_CCMP;
  k.keyidx = 1;
  k.link_id = 0;
  k.key_len = 16;
  for (int i = 0; i < 16; ++i) k.key[i] = static_cast<unsigned char>(0x71 + 3 * i);
  ASSERT_EQ(connac_key_set(&dev_, CONNAC_KEY_SET, &k, &acts), 0);
  ASSERT_EQ(acts.count, 1u);
  EXPECT_TRUE(Contains(&dev_, sizeof(dev_), k.key, 16));
  EXPECT_TRUE(Contains(&acts, sizeof(acts), k.key, 16));
  connac_key_actions_wipe(&acts);
  EXPECT_EQ(acts.count, 0u);
  EXPECT_FALSE(Contains(&acts, sizeof(acts), k.key, 16));
  connac_dev_destroy(&dev_);
  EXPECT_FALSE(Contains(&dev_, sizeof(dev_), k.key, 16));
}

// ---------------------------------------------------------------------------------------
// Misuse by a second driver (issue 11). Each of these corrupted memory before.

// A driver that moves its device struct (memcpy into a new allocation, then frees the old
// one) keeps a working device: the in-flight table used to keep an absolute pointer into the
// old allocation (heap-use-after-free in Arm under ASan).
TEST(MisuseTest, DeviceMovedToANewAllocationAndTheOldOneFreed) {
  auto* first = new connac_dev;
  ASSERT_EQ(connac_dev_init(first, CONNAC_MT7925, 0, nullptr), 0);
  connac_ticket armed{};
  ASSERT_EQ(connac_txn_arm(first, 0x00020002u, 0, &armed), 0);
  auto* second = new connac_dev;
  std::memcpy(second, first, sizeof(connac_dev));
  delete first;

  connac_ticket more[2];
  ASSERT_EQ(connac_txn_arm(second, 0x00020003u, 0, &more[0]), 0);
  EXPECT_NE(more[0].seq, armed.seq) << "the copy knows what the original had in flight";
  connac_txn_counters c{};
  connac_txn_get_counters(second, &c);
  EXPECT_EQ(c.in_flight, 2u);
  EXPECT_EQ(connac_txn_expire(second, 3000000000LL, more, 2), 2u);
  connac_dev_destroy(second);
  delete second;
}

// A list whose count is above its capacity (an uninitialised or corrupted count) is refused
// by every entry point that appends to it: link_add and sta_add used to write past it
// (heap-buffer-overflow with count 17).
TEST(MisuseTest, KeyListsCountingPastTheirCapacityAreRefused) {
  auto owner = std::make_unique<connac_dev>();
  connac_dev& dev = *owner;
  ASSERT_EQ(connac_dev_init(&dev, CONNAC_MT7925, 0, nullptr), 0);
  connac_key_conf ptk{};
  ptk.cipher = CONNAC_SUITE_CCMP;
  ptk.link_id = -1;
  ptk.key_len = 16;
  connac_key_conf gtk = ptk;
  gtk.link_id = 0;
  gtk.keyidx = 1;
  auto ok_list = std::make_unique<connac_key_actions>();
  ASSERT_EQ(connac_key_set(&dev, CONNAC_KEY_SET, &ptk, ok_list.get()), 0);
  ASSERT_EQ(connac_key_set(&dev, CONNAC_KEY_SET, &gtk, ok_list.get()), 0);  // cached

  auto bad = std::make_unique<connac_key_actions>();
  bad->count = CONNAC_KEY_ACTIONS_MAX + 1;
  const unsigned char bssid[6] = {2, 0xb0, 0x55, 0x1d, 0, 0};
  const unsigned char ap[6] = {2, 0xa9, 0, 0, 0, 0};
  EXPECT_EQ(connac_key_link_add(&dev, 0, bssid, bad.get()), -EINVAL);
  ASSERT_EQ(connac_key_link_add(&dev, 0, bssid, ok_list.get()), 0) << "link 0 is still down";
  EXPECT_EQ(ok_list->count, 1u) << "its cached GTK was kept";
  EXPECT_EQ(connac_key_sta_add(&dev, 0, ap, bad.get()), -EINVAL);
  EXPECT_EQ(connac_key_set(&dev, CONNAC_KEY_DISABLE, &gtk, bad.get()), -EINVAL);
  EXPECT_EQ(connac_key_reset_replay(&dev, bad.get()), -EINVAL);
  EXPECT_EQ(connac_key_abort(&dev, bad.get(), 0, ok_list.get()), -EINVAL);
  EXPECT_EQ(bad->count, CONNAC_KEY_ACTIONS_MAX + 1u);
  connac_key_actions_wipe(ok_list.get());
  ASSERT_EQ(connac_key_sta_add(&dev, 0, ap, ok_list.get()), 0);
  EXPECT_EQ(ok_list->count, 1u) << "the pairwise key reaches the new link-station";
  connac_key_actions_wipe(ok_list.get());
  connac_dev_destroy(&dev);
}

// fail_all with a small @max reports every command it fails and leaves the rest in flight
// for the next call: it used to fail all three and report one, stranding two waiters.
TEST(MisuseTest, FailAllWithASmallMaxStrandsNoWaiter) {
  auto owner = std::make_unique<connac_dev>();
  connac_dev& dev = *owner;
  ASSERT_EQ(connac_dev_init(&dev, CONNAC_MT7925, 0, nullptr), 0);
  connac_ticket t[3];
  for (connac_ticket& x : t) ASSERT_EQ(connac_txn_arm(&dev, 0x00020002u, 0, &x), 0);
  connac_ticket out[1];
  int woken = 0;
  while (unsigned int n = connac_txn_fail_all(&dev, out, 1)) {
    ASSERT_EQ(n, 1u);
    EXPECT_EQ(connac_txn_is_current(&dev, &out[0]), 0);
    ++woken;
    ASSERT_LE(woken, 3);
  }
  EXPECT_EQ(woken, 3);
  for (const connac_ticket& x : t) EXPECT_EQ(connac_txn_is_current(&dev, &x), 0);
  connac_dev_destroy(&dev);
}

TEST(ApiTest, TimeoutsAndErrnoNames) {
  EXPECT_EQ(connac_cmd_timeout_ns(CONNAC_MT7925, 0x00020002), 3'000'000'000LL);
  EXPECT_EQ(connac_cmd_timeout_ns(CONNAC_MT7996, 0x00020002), 2'000'000'000LL);
  EXPECT_EQ(connac_cmd_timeout_ns(9, 0x00020002), -22);
  EXPECT_STREQ(connac_errno_name(-110), "ETIMEDOUT");
  EXPECT_STREQ(connac_errno_name(0), "OK");
  EXPECT_STREQ(connac_errno_name(-1000), "E?");
}

TEST(ApiTest, NullBuffersAreRejected) {
  connac_frame_info info;
  EXPECT_EQ(connac_frame_decode(nullptr, 10, &info), -22);
  EXPECT_EQ(connac_frame_encode(CONNAC_MT7925, 0x00020002, 1, 0, nullptr, 4, nullptr, 0), -22);
  connac_response r;
  EXPECT_EQ(connac_parse_response(CONNAC_MT7925, 0x00020002, 1, nullptr, 1, &r), -22);
}

// ---------------------------------------------------------------------------------------
// The reset sequencer's API beyond the scripts: the probe callback, the size rules of the
// snapshot structs, the configuration's lifetime, what is and is not an invariant.

constexpr long long kMs = 1'000'000;

class SeqTest : public DevTest {
 public:
  // What the probe callback (ops.ctx is the test) counts and answers.
  int probe_calls_ = 0;
  int probe_answer_ = 0;

 protected:
  void Init(int (*probe)(void*) = nullptr) {
    connac_host_ops ops;
    connac_host_ops_init(&ops);
    ops.ctx = this;
    ops.log = [](void* ctx, int level, const char* msg, long long arg) {
      static_cast<SeqTest*>(ctx)->logs_.push_back({level, msg, arg});
    };
    ops.probe = probe;
    ASSERT_EQ(connac_dev_init(&dev_, CONNAC_MT7925, 0, &ops), 0);
  }
  void ProbeOn() {
    connac_seq_config cfg;
    ASSERT_EQ(connac_seq_get_config(&dev_, &cfg, sizeof(cfg)), 0);
    cfg.suspect_ns = 300 * kMs;
    cfg.probe_window_ns = 200 * kMs;
    ASSERT_EQ(connac_seq_set_config(&dev_, &cfg), 0);
  }
  bool Logged(const std::string& part) const {
    for (const LogRecord& r : logs_) {
      if (r.msg.find(part) != std::string::npos) return true;
    }
    return false;
  }

  std::vector<LogRecord> logs_;
};

int ProbeFromTest(void* ctx) {
  SeqTest* t = static_cast<SeqTest*>(ctx);
  ++t->probe_calls_;
  return t->probe_answer_;
}

TEST_F(SeqTest, ProbeCallbackAnswersAtOnceWhenProbingIsOn) {
  Init(ProbeFromTest);
  ProbeOn();
  connac_seq_actions a;
  // Alive: the sequencer asks, the core folds the answer in; the host sees no PROBE.
  ASSERT_EQ(connac_seq_on_tick(&dev_, 300 * kMs, 0, &a), 0);
  EXPECT_EQ(probe_calls_, 1);
  EXPECT_EQ(a.flags, 0u);
  EXPECT_EQ(connac_seq_state(&dev_), CONNAC_SEQ_RUNNING);
  // Dead: the same tick declares the firmware dead.
  probe_answer_ = -110;
  ASSERT_EQ(connac_seq_on_tick(&dev_, 1000 * kMs, 600 * kMs, &a), 0);
  EXPECT_EQ(probe_calls_, 2);
  EXPECT_EQ(a.flags, CONNAC_SEQ_ACT_FAIL_PENDING | CONNAC_SEQ_ACT_REJECT_NEW |
                         CONNAC_SEQ_ACT_STOP_TX | CONNAC_SEQ_ACT_RUN_STEP);
  EXPECT_EQ(a.step, static_cast<unsigned int>(CONNAC_SEQ_STEP_WFSYS));
  connac_seq_counters c;
  ASSERT_EQ(connac_seq_get_counters(&dev_, &c, sizeof(c)), 0);
  EXPECT_EQ(c.probes, 2u);
  EXPECT_EQ(c.probes_alive, 1u);
  EXPECT_EQ(c.triggers[CONNAC_SEQ_CAUSE_PROBE], 1u);
  EXPECT_TRUE(Logged("declared dead"));
}

TEST_F(SeqTest, ProbeCallbackIsNeverCalledByDefault) {
  Init(ProbeFromTest);
  connac_seq_actions a;
  for (long long t = 0; t < 10'000; t += 100)
    ASSERT_EQ(connac_seq_on_tick(&dev_, t * kMs, 0, &a), 0);
  EXPECT_EQ(probe_calls_, 0);
  EXPECT_EQ(connac_seq_next_deadline(&dev_, 0), CONNAC_NEVER);
}

TEST_F(SeqTest, LogsDeathAndRecovery) {
  Init();
  connac_seq_actions a;
  ASSERT_EQ(connac_seq_on_timeout(&dev_, 0, &a), 0);
  for (unsigned int st = CONNAC_SEQ_STEP_WFSYS; st <= CONNAC_SEQ_STEP_RESTORE; ++st) {
    ASSERT_EQ(a.step, st);
    ASSERT_EQ(connac_seq_on_step_result(&dev_, st, 1, (st + 1) * 10 * kMs, &a), 0);
  }
  EXPECT_EQ(a.flags, CONNAC_SEQ_ACT_ACCEPT_NEW | CONNAC_SEQ_ACT_RESUME_TX | CONNAC_SEQ_ACT_REPORT);
  EXPECT_TRUE(Logged("declared dead"));
  EXPECT_TRUE(Logged("recovered"));
  connac_seq_report r;
  ASSERT_EQ(connac_seq_get_report(&dev_, &r, sizeof(r)), 0);
  EXPECT_EQ(r.recovered, 1);
  EXPECT_EQ(r.attempts, 1u);
  EXPECT_EQ(r.detected_ns, 0);
  EXPECT_EQ(r.ended_ns, 60 * kMs);
}

TEST_F(SeqTest, SnapshotsHonourTheCallersSize) {
  Init();
  connac_seq_actions a;
  ASSERT_EQ(connac_seq_on_timeout(&dev_, 0, &a), 0);
  // A caller built when the struct held only the trigger counts: nothing past them is written.
  struct {
    unsigned int triggers[CONNAC_SEQ_CAUSES];
    unsigned char poison[32];
  } old;
  std::memset(&old, 0xa5, sizeof(old));
  ASSERT_EQ(connac_seq_get_counters(&dev_, reinterpret_cast<connac_seq_counters*>(&old),
                                    sizeof(old.triggers)),
            0);
  EXPECT_EQ(old.triggers[CONNAC_SEQ_CAUSE_TIMEOUT], 1u);
  for (unsigned char b : old.poison) ASSERT_EQ(b, 0xa5);
  connac_seq_config cfg;
  std::memset(&cfg, 0xa5, sizeof(cfg));
  ASSERT_EQ(connac_seq_get_config(&dev_, &cfg, CONNAC_SEQ_CONFIG_MIN_SIZE), 0);
  EXPECT_EQ(cfg.size, CONNAC_SEQ_CONFIG_MIN_SIZE);
  EXPECT_EQ(cfg.step_watchdog_ns[CONNAC_SEQ_STEP_WFSYS], 700 * kMs);
  EXPECT_EQ(cfg.wedge_after, 6);
  EXPECT_EQ(connac_seq_get_config(&dev_, &cfg, 2), -22);
  EXPECT_EQ(connac_seq_get_counters(&dev_, nullptr, 4), -22);
  EXPECT_EQ(connac_seq_get_report(&dev_, nullptr, 4), -22);
}

TEST_F(SeqTest, ConfigurationOnlyOnAFreshSequencer) {
  Init();
  connac_seq_config cfg;
  ASSERT_EQ(connac_seq_get_config(&dev_, &cfg, sizeof(cfg)), 0);
  connac_seq_config bad = cfg;
  bad.size = CONNAC_SEQ_CONFIG_MIN_SIZE - 8;
  EXPECT_EQ(connac_seq_set_config(&dev_, &bad), -22);
  bad = cfg;
  bad.step_watchdog_ns[CONNAC_SEQ_STEP_RAM] = 0;
  EXPECT_EQ(connac_seq_set_config(&dev_, &bad), -22);
  bad = cfg;
  bad.wedge_after = 0;
  EXPECT_EQ(connac_seq_set_config(&dev_, &bad), -22);
  bad = cfg;
  bad.backoff_ns[2] = -1;
  EXPECT_EQ(connac_seq_set_config(&dev_, &bad), -22);
  // A shorter WFSYS watchdog takes effect.
  cfg.step_watchdog_ns[CONNAC_SEQ_STEP_WFSYS] = 70 * kMs;
  ASSERT_EQ(connac_seq_set_config(&dev_, &cfg), 0);
  connac_seq_actions a;
  ASSERT_EQ(connac_seq_on_timeout(&dev_, 0, &a), 0);
  EXPECT_EQ(connac_seq_next_deadline(&dev_, CONNAC_NEVER), 70 * kMs);
  EXPECT_EQ(connac_seq_set_config(&dev_, &cfg), -16) << "after a trigger the history stays";
}

TEST_F(SeqTest, NamesOfStatesAndSteps) {
  static const char* const kStates[] = {"RUNNING",  "PROBING",  "WFSYS_RESET", "FW_SEMAPHORE",
                                        "FW_PATCH", "FW_RAM",   "FW_READY",    "RESTORE",
                                        "BACKOFF",  "HOLD_OFF", "WEDGED"};
  for (int i = 0; i <= CONNAC_SEQ_WEDGED; ++i) EXPECT_STREQ(connac_seq_state_name(i), kStates[i]);
  EXPECT_EQ(connac_seq_state_name(-1), nullptr);
  EXPECT_EQ(connac_seq_state_name(CONNAC_SEQ_WEDGED + 1), nullptr);
  EXPECT_STREQ(connac_seq_step_name(CONNAC_SEQ_STEP_WFSYS), "wfsys_reset");
  EXPECT_STREQ(connac_seq_step_name(CONNAC_SEQ_STEP_RESTORE), "restore");
  EXPECT_EQ(connac_seq_step_name(CONNAC_SEQ_STEPS), nullptr);
}

TEST_F(SeqTest, MisuseIsReportedDeviceInputAndBadArgumentsAreNot) {
  const int before = connac_kmod_test::AssertCount();
  connac_seq_actions a{7, 7};
  // Before init: an invariant (WARN_ONCE in the kernel), and the call fails.
  EXPECT_EQ(connac_seq_on_timeout(&dev_, 0, &a), -22);
  EXPECT_EQ(a.flags, 0u);
  EXPECT_EQ(connac_seq_admit(&dev_), -22);
  const unsigned char addr[6] = {2, 0xde, 0, 0, 0, 0};
  EXPECT_EQ(connac_restore_set_device(&dev_, addr), -22);
  EXPECT_EQ(connac_kmod_test::AssertCount(), before + 3);
  // NULL device, NULL actions, an unknown step: argument errors, not invariants.
  Init();
  EXPECT_EQ(connac_seq_on_timeout(nullptr, 0, &a), -22);
  EXPECT_EQ(connac_seq_on_timeout(&dev_, 0, nullptr), -22);
  EXPECT_EQ(connac_seq_on_step_result(&dev_, 99, 1, 0, &a), -22);
  EXPECT_EQ(connac_restore_link_joining(&dev_, 0, nullptr, 0), -22);
  EXPECT_EQ(connac_restore_make_plan(&dev_, nullptr, 4), -22);
  // What the device says, however late or wrong, is counted, never an invariant.
  EXPECT_EQ(connac_seq_on_step_result(&dev_, CONNAC_SEQ_STEP_PATCH, 1, 0, &a), 0);
  EXPECT_EQ(connac_seq_on_probe_result(&dev_, 0, 0, &a), 0);
  EXPECT_EQ(a.flags, 0u);
  connac_seq_counters c;
  ASSERT_EQ(connac_seq_get_counters(&dev_, &c, sizeof(c)), 0);
  EXPECT_EQ(c.stale_results, 2u);
  EXPECT_EQ(connac_kmod_test::AssertCount(), before + 3);
}

// ---------------------------------------------------------------------------------------
// The sequencer on the firmware simulator in virtual time: the protocol of the kernel
// self-test's hang (connac_selftest.c), single-threaded and deterministic, so it runs
// under the sanitizers. The firmware hangs on the third command after setup; the first
// WFSYS reset fails once.

class SeqOnFwSimTest : public ::testing::Test {
 protected:
  static constexpr unsigned int kDev = 0x00020001, kBss = 0x00020002, kSta = 0x00020003;

  void SetUp() override {
    ASSERT_EQ(connac_dev_init(dev_.get(), CONNAC_MT7925, 0, nullptr), 0);
    connac_fwsim_config c;
    connac_fwsim_default_config(&c);
    c.arm_after_cmds = 6;  // DEV_INFO, BSS_INFO, STA_REC, three keys
    c.hang_at_cmd = 3;
    c.step_failures[CONNAC_SEQ_STEP_WFSYS] = 1;
    ASSERT_EQ(connac_fwsim_init(fw_.get(), &c), 0);
  }
  void TearDown() override {
    connac_key_actions_wipe(acts_.get());
    connac_dev_destroy(dev_.get());
  }

  // Arms and sends one command (a key action when `ka`); returns its slot or -errno.
  int Send(unsigned int cmd, const std::vector<unsigned char>& payload, const connac_key_action* ka,
           bool admit) {
    if (admit && connac_seq_admit(dev_.get()) != 0) return -108;
    connac_ticket t;
    int ret = connac_txn_arm(dev_.get(), cmd, now_, &t);
    if (ret != 0) return ret;
    unsigned char frame[160];
    const long len = ka != nullptr
                         ? connac_key_action_encode(dev_.get(), ka, t.seq, frame, sizeof(frame))
                         : connac_frame_encode(CONNAC_MT7925, cmd, t.seq, 0, payload.data(),
                                               payload.size(), frame, sizeof(frame));
    if (len < 0) return static_cast<int>(len);
    tickets_[t.slot] = t;
    result_[t.slot] = 1;  // pending
    connac_fwsim_receive(fw_.get(), frame, static_cast<unsigned long>(len), now_);
    return t.slot;
  }

  // Sends and runs virtual time until the command ends; returns its result.
  int Call(unsigned int cmd, const std::vector<unsigned char>& payload,
           const connac_key_action* ka = nullptr, bool admit = true) {
    const int slot = Send(cmd, payload, ka, admit);
    if (slot < 0) return slot;
    while (result_[slot] == 1) Step();
    return result_[slot];
  }

  void Finish(const connac_ticket& t, int result) {
    if (t.slot < CONNAC_TXN_MAX_INFLIGHT && connac_ticket_eq(&tickets_[t.slot], &t))
      result_[t.slot] = result;
  }

  void FailAll() {
    connac_ticket t[CONNAC_TXN_MAX_INFLIGHT];
    const unsigned int n = connac_txn_fail_all(dev_.get(), t, CONNAC_TXN_MAX_INFLIGHT);
    for (unsigned int i = 0; i < n; ++i) Finish(t[i], -108);
  }

  void Handle(const connac_seq_actions& a) {
    if (a.flags & CONNAC_SEQ_ACT_FAIL_PENDING) {
      if (dead_at_ < 0) dead_at_ = now_;
      FailAll();
    }
    if (a.flags & CONNAC_SEQ_ACT_RUN_STEP) {
      ++steps_;
      if (a.step == CONNAC_SEQ_STEP_WFSYS) {
        FailAll();
        connac_key_reset_begin(dev_.get());
      }
      if (a.step == CONNAC_SEQ_STEP_RESTORE) {
        restore_pending_ = true;
      } else {
        step_ok_ = connac_fwsim_run_step(fw_.get(), a.step, now_, &step_done_);
        ASSERT_GE(step_ok_, 0);
        step_ = a.step;
        step_active_ = true;
      }
    }
    if (a.flags & CONNAC_SEQ_ACT_REPORT) running_at_ = now_;
  }

  // The restore, as the kernel self-test's restore work does it: the plan, then the keys.
  void Restore() {
    restore_pending_ = false;
    connac_restore_item plan[CONNAC_RESTORE_MAX_ITEMS];
    const long n = connac_restore_make_plan(dev_.get(), plan, CONNAC_RESTORE_MAX_ITEMS);
    ASSERT_GT(n, 0);
    bool ok = true;
    for (long i = 0; ok && i < n; ++i) {
      const connac_restore_item& it = plan[i];
      switch (it.kind) {
        case CONNAC_RESTORE_DEVICE: ok = Call(kDev, {0, 0, 0, 0}, nullptr, false) == 0; break;
        case CONNAC_RESTORE_BSS: ok = Call(kBss, {it.bss_idx, 0, 0, 0}, nullptr, false) == 0; break;
        case CONNAC_RESTORE_STA:
          ok = Call(kSta, {it.bss_idx, it.wcid, 0, 0, 1, 0, 0, 0}, nullptr, false) == 0;
          break;
        case CONNAC_RESTORE_KEYS:
          connac_key_actions_wipe(acts_.get());
          ok = connac_key_reset_replay(dev_.get(), acts_.get()) == 0;
          for (unsigned long k = 0; ok && k < acts_->count; ++k) {
            ok = Call(kSta, {}, &acts_->items[k], false) == 0;
            keys_replayed_ += ok;
          }
          connac_key_actions_wipe(acts_.get());
          break;
      }
      plan_items_ += ok;
    }
    connac_seq_actions a;
    ASSERT_EQ(connac_seq_on_step_result(dev_.get(), CONNAC_SEQ_STEP_RESTORE, ok, now_, &a), 0);
    Handle(a);
  }

  // One event of virtual time: firmware events, a finished step, deadlines.
  void Step() {
    long long t = connac_fwsim_next_event_at(fw_.get());
    t = std::min(t, connac_txn_next_deadline(dev_.get()));
    t = std::min(t, connac_seq_next_deadline(dev_.get(), CONNAC_NEVER));
    if (step_active_) t = std::min(t, step_done_);
    ASSERT_NE(t, CONNAC_NEVER) << "nothing left to happen";
    now_ = std::max(now_, t);
    unsigned char ev[CONNAC_FWSIM_EVENT_SIZE];
    long n;
    while ((n = connac_fwsim_poll_event(fw_.get(), now_, ev, sizeof(ev))) > 0) {
      connac_event_outcome o;
      if (connac_txn_on_event(dev_.get(), ev, static_cast<unsigned long>(n), &o) ==
          CONNAC_EV_COMPLETED) {
        Finish(o.ticket, o.fw_status);
      }
    }
    ASSERT_EQ(n, -2);
    connac_seq_actions a;
    if (step_active_ && step_done_ <= now_) {
      step_active_ = false;
      ASSERT_EQ(connac_seq_on_step_result(dev_.get(), step_, step_ok_, now_, &a), 0);
      Handle(a);
    }
    connac_ticket exp[CONNAC_TXN_MAX_INFLIGHT];
    const unsigned int k = connac_txn_expire(dev_.get(), now_, exp, CONNAC_TXN_MAX_INFLIGHT);
    for (unsigned int i = 0; i < k; ++i) Finish(exp[i], -110);
    timeouts_ += k;
    if (k != 0) {
      ASSERT_EQ(connac_seq_on_timeout(dev_.get(), now_, &a), 0);
      Handle(a);
    }
    ASSERT_EQ(connac_seq_on_tick(dev_.get(), now_, CONNAC_NEVER, &a), 0);
    Handle(a);
    if (restore_pending_) Restore();
  }

  std::unique_ptr<connac_dev> dev_ = std::make_unique<connac_dev>();
  std::unique_ptr<connac_fwsim> fw_ = std::make_unique<connac_fwsim>();
  std::unique_ptr<connac_key_actions> acts_ = std::make_unique<connac_key_actions>();
  long long now_ = 0;
  connac_ticket tickets_[CONNAC_TXN_MAX_INFLIGHT] = {};
  int result_[CONNAC_TXN_MAX_INFLIGHT] = {};
  bool step_active_ = false;
  unsigned int step_ = 0;
  int step_ok_ = 0;
  long long step_done_ = 0;
  bool restore_pending_ = false;
  long long dead_at_ = -1, running_at_ = -1;
  int steps_ = 0, timeouts_ = 0, keys_replayed_ = 0, plan_items_ = 0;
};

TEST_F(SeqOnFwSimTest, HangFailsFastResetsRestoresAndRunsAgain) {
  const unsigned char dev_addr[6] = {2, 0xde, 0, 0, 0, 0};
  const unsigned char bssid[6] = {2, 0xb0, 0x55, 0x1d, 0, 0};
  const unsigned char ap[6] = {2, 0xa9, 0, 0, 0, 0};
  // Setup: device, BSS 0, the AP's station (wcid 0), then pairwise, GTK 1, IGTK 4.
  ASSERT_EQ(connac_restore_set_device(dev_.get(), dev_addr), 0);
  ASSERT_EQ(connac_restore_link_joining(dev_.get(), 0, bssid, 0), 0);
  ASSERT_EQ(connac_key_link_add(dev_.get(), 0, bssid, acts_.get()), 0);
  ASSERT_EQ(connac_key_sta_add(dev_.get(), 0, ap, acts_.get()), 0);
  ASSERT_EQ(Call(kDev, {0, 0, 0, 0}), 0);
  ASSERT_EQ(Call(kBss, {0, 0, 0, 0}), 0);
  ASSERT_EQ(Call(kSta, {0, 0, 0, 0, 1, 0, 0, 0}), 0);
  ASSERT_EQ(connac_restore_link_associated(dev_.get(), 0, ap, 1), 0);
  const struct {
    unsigned int cipher;
    unsigned char idx;
    signed char link;
    unsigned char base;
  } keys[] = {{CONNAC_SUITE_CCMP, 0, -1, 0x50},
              {CONNAC_SUITE_CCMP, 1, 0, 0xc0},
              {CONNAC_SUITE_AES_CMAC, 4, 0, 0xa0}};
  for (const auto& k : keys) {
    connac_key_conf conf{};
    conf.cipher = k.cipher;
    conf.keyidx = k.idx;
    conf.link_id = k.link;
    conf.key_len = 16;
    for (int i = 0; i < 16; ++i) conf.key[i] = static_cast<unsigned char>(k.base + i);
    connac_key_actions_wipe(acts_.get());
    ASSERT_EQ(connac_key_set(dev_.get(), CONNAC_KEY_SET, &conf, acts_.get()), 0);
    ASSERT_EQ(acts_->count, 1u);
    ASSERT_EQ(Call(kSta, {}, &acts_->items[0]), 0);
  }
  // Two answered, the third hangs: one timeout, then the sequencer.
  EXPECT_EQ(Call(kBss, {0, 0, 0, 0}), 0);
  EXPECT_EQ(Call(kBss, {0, 0, 0, 0}), 0);
  const long long hang = now_;
  EXPECT_EQ(Call(kBss, {0, 0, 0, 0}), -110);
  EXPECT_EQ(dead_at_ - hang, 3000 * kMs) << "one timeout, no more";
  EXPECT_EQ(Call(kSta, {0, 0, 0, 0, 1, 0, 0, 0}), -108) << "refused unsent during the reset";
  while (connac_seq_state(dev_.get()) != CONNAC_SEQ_RUNNING) Step();

  connac_seq_counters c;
  ASSERT_EQ(connac_seq_get_counters(dev_.get(), &c, sizeof(c)), 0);
  EXPECT_EQ(c.episodes, 1u);
  EXPECT_EQ(c.attempts, 2u);
  EXPECT_EQ(c.failed_attempts, 1u);
  EXPECT_EQ(c.step_failures[CONNAC_SEQ_STEP_WFSYS], 1u);
  EXPECT_EQ(c.recoveries, 1u);
  EXPECT_EQ(c.rejected, 1u);
  EXPECT_EQ(steps_, 7);
  EXPECT_EQ(timeouts_, 1);
  EXPECT_EQ(plan_items_, 4);
  EXPECT_EQ(keys_replayed_, 3);
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
  EXPECT_EQ(connac_fwsim_sta_present(fw_.get(), 0), 1);
  unsigned char key[32];
  ASSERT_EQ(connac_fwsim_key(fw_.get(), 0, 0, key, sizeof(key)), 16);
  EXPECT_EQ(key[0], 0x50);
  ASSERT_EQ(connac_fwsim_key(fw_.get(), 19, 0, key, sizeof(key)), 16);
  EXPECT_EQ(key[15], 0xcf);
  ASSERT_EQ(connac_fwsim_key(fw_.get(), 19, 1, key, sizeof(key)), 32);  // CCMP key + IGTK
  EXPECT_EQ(key[16], 0xa0);
  EXPECT_EQ(connac_fwsim_key(fw_.get(), 5, 0, key, sizeof(key)), -2);
  // And it answers again.
  EXPECT_EQ(Call(kBss, {0, 0, 0, 0}), 0);
  connac_txn_counters tc;
  connac_txn_get_counters(dev_.get(), &tc);
  EXPECT_EQ(tc.in_flight, 0u);
  EXPECT_EQ(tc.quarantined, 0u);
}

TEST(FwSimApiTest, ArgumentsAndProbe) {
  auto fw = std::make_unique<connac_fwsim>();
  connac_fwsim_config c;
  connac_fwsim_default_config(&c);
  EXPECT_EQ(c.latency_ns, 2 * kMs);
  EXPECT_EQ(c.wfsys_ns, 55 * kMs);
  EXPECT_EQ(connac_fwsim_init(nullptr, &c), -22);
  c.fw_load_ns = -1;
  EXPECT_EQ(connac_fwsim_init(fw.get(), &c), -22);
  connac_fwsim_default_config(&c);
  ASSERT_EQ(connac_fwsim_init(fw.get(), &c), 0);
  EXPECT_EQ(connac_fwsim_probe(fw.get()), 0);
  long long done = 0;
  EXPECT_EQ(connac_fwsim_run_step(fw.get(), CONNAC_SEQ_STEPS, 0, &done), -22);
  EXPECT_EQ(connac_fwsim_run_step(fw.get(), CONNAC_SEQ_STEP_WFSYS, 0, &done), 1);
  EXPECT_EQ(done, 55 * kMs);
  EXPECT_EQ(connac_fwsim_probe(fw.get()), -110) << "off between WFSYS and ready";
  unsigned char ev[CONNAC_FWSIM_EVENT_SIZE];
  EXPECT_EQ(connac_fwsim_poll_event(fw.get(), 0, ev, sizeof(ev)), -2);
  EXPECT_EQ(connac_fwsim_next_event_at(fw.get()), CONNAC_NEVER);
}
}  // namespace
