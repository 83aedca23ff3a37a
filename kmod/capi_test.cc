// The C API of connac_core.ko (kmod/include/connac_core.h) in userspace.
//
// The table-driven cases and their runners come from kmod/include/connac_cases.h, the very
// header the in-kernel self-test (connac_core.ko selftest=1) runs, so a case that passes
// here and fails in the kernel points at code generation, not at a different test. The rest
// checks what only the API adds: the opaque state, the versioned ops, assertions, logging.

#include "connac_cases.h"

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "connac_core.h"
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

TEST_F(DevTest, StateFitsWithRoomForTheSequencer) {
  EXPECT_LE(connac_dev_state_bytes(), static_cast<unsigned long>(CONNAC_DEV_SIZE));
  EXPECT_GE(CONNAC_DEV_SIZE - connac_dev_state_bytes(), 256u) << "reserved room for the reset sequencer";
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

}  // namespace
