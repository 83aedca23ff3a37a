// connac/status.h: errno mapping, Status, Result<T>, CONNAC_RETURN_IF_ERROR.
//
// Style: table-driven, one line of description per case (mac80211/iwlwifi KUnit style).

#include "connac/status.h"

#include <climits>
#include <cstdint>
#include <cstring>

#include "gtest/gtest.h"

namespace connac {
namespace {

// ---------------------------------------------------------------------------------------
// Errno values and names.

struct ErrnoCase {
  const char* desc;
  Errno err;
  int linux_value;  // include/uapi/asm-generic/errno-base.h and errno.h
  const char* name;
};

constexpr ErrnoCase kErrnoCases[] = {
    {"success", Errno::kOk, 0, "OK"},
    {"no such slot", Errno::kNoEnt, 2, "ENOENT"},
    {"transport I/O failure", Errno::kIo, 5, "EIO"},
    {"keep waiting (driver -EAGAIN)", Errno::kAgain, 11, "EAGAIN"},
    {"dropped during reset", Errno::kNoMem, 12, "ENOMEM"},
    {"all seqs in flight", Errno::kBusy, 16, "EBUSY"},
    {"argument outside domain", Errno::kInval, 22, "EINVAL"},
    {"fixed table full", Errno::kNoSpc, 28, "ENOSPC"},
    {"value does not fit wire field", Errno::kRange, 34, "ERANGE"},
    {"MLO link not present", Errno::kNoLink, 67, "ENOLINK"},
    {"protocol violation", Errno::kProto, 71, "EPROTO"},
    {"malformed device message", Errno::kBadMsg, 74, "EBADMSG"},
    {"frame too long for 16-bit fields", Errno::kMsgSize, 90, "EMSGSIZE"},
    {"feature not offloaded", Errno::kOpNotSupp, 95, "EOPNOTSUPP"},
    {"caller buffer too small", Errno::kNoBufs, 105, "ENOBUFS"},
    {"firmware dead", Errno::kShutdown, 108, "ESHUTDOWN"},
    {"no response before deadline", Errno::kTimedOut, 110, "ETIMEDOUT"},
    {"response of an earlier request", Errno::kStale, 116, "ESTALE"},
    {"failed by reset", Errno::kCanceled, 125, "ECANCELED"},
};

TEST(ErrnoTest, ValuesAndNamesMatchLinux) {
  for (const ErrnoCase& c : kErrnoCases) {
    SCOPED_TRACE(c.desc);
    EXPECT_EQ(static_cast<int>(c.err), c.linux_value);
    EXPECT_STREQ(ErrnoName(c.linux_value), c.name);
    EXPECT_STREQ(ErrnoName(-c.linux_value), c.name) << "negative errno must name the same";
    const Status s(c.err);
    EXPECT_EQ(s.code(), -c.linux_value) << "code() is what a kernel function returns";
    EXPECT_EQ(s.err(), c.err);
    EXPECT_STREQ(s.name(), c.name);
    EXPECT_EQ(s.ok(), c.linux_value == 0);
    EXPECT_TRUE(s == c.err);
    EXPECT_TRUE(s == Status(c.err));
  }
}

struct NameOnlyCase {
  const char* desc;
  int value;
  const char* name;
};

constexpr NameOnlyCase kNameOnlyCases[] = {
    {"EPERM is named though the core never returns it", 1, "EPERM"},
    {"ENODEV is named though the core never returns it", -19, "ENODEV"},
    {"unknown positive errno", 3, "E?"},
    {"unknown negative errno", -4095, "E?"},
    {"MAX_ERRNO + 1", 4096, "E?"},
    {"INT_MAX", INT_MAX, "E?"},
    {"INT_MIN + 1", INT_MIN + 1, "E?"},
    {"INT_MIN: no signed overflow when taking the magnitude", INT_MIN, "E?"},
};

TEST(ErrnoTest, NameOfValuesOutsideTheEnum) {
  for (const NameOnlyCase& c : kNameOnlyCases) {
    SCOPED_TRACE(c.desc);
    EXPECT_STREQ(ErrnoName(c.value), c.name);
  }
}

TEST(ErrnoTest, NamesAreConstexpr) {
  static_assert(ErrnoName(-22)[0] == 'E');
  // "Accepts positive or negative numbers": every int, including INT_MIN, whose negation
  // does not fit an int (constant evaluation rejects the overflow even with -fwrapv).
  static_assert(ErrnoName(INT_MIN)[1] == '?');
  static_assert(Status(Errno::kMsgSize).code() == -90);
  static_assert(!Status(Errno::kNoBufs).ok());
  static_assert(OkStatus().ok());
  SUCCEED();
}

// Every name the table knows is distinct (a typo would make two errnos print the same).
TEST(ErrnoTest, NamesAreDistinct) {
  for (const ErrnoCase& a : kErrnoCases) {
    for (const ErrnoCase& b : kErrnoCases) {
      if (&a == &b) continue;
      EXPECT_STRNE(a.name, b.name) << a.desc << " vs " << b.desc;
    }
  }
}

// ---------------------------------------------------------------------------------------
// Status.

TEST(StatusTest, DefaultIsOk) {
  const Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), 0);
  EXPECT_EQ(s.err(), Errno::kOk);
  EXPECT_STREQ(s.name(), "OK");
  EXPECT_TRUE(s == OkStatus());
  EXPECT_TRUE(Status(Errno::kOk).ok());
  s.IgnoreError();
}

TEST(StatusTest, CodeIsANegativeErrnoWithinMaxErrno) {
  for (const ErrnoCase& c : kErrnoCases) {
    const int code = Status(c.err).code();
    EXPECT_LE(code, 0) << c.desc;
    EXPECT_GE(code, -4095) << c.desc;
  }
}

// ---------------------------------------------------------------------------------------
// Result<T>.

struct Pair {
  uint16_t a = 0;
  uint32_t b = 0;
};

struct ResultCase {
  const char* desc;
  Result<int> r;
  bool ok;
  Errno err;
  int value;  // value() (value-initialised on error)
};

const ResultCase kResultCases[] = {
    {"a value", Result<int>(42), true, Errno::kOk, 42},
    {"a zero value is still a value", Result<int>(0), true, Errno::kOk, 0},
    {"an error from Errno", Result<int>(Errno::kBadMsg), false, Errno::kBadMsg, 0},
    {"an error from Status", Result<int>(Status(Errno::kNoBufs)), false, Errno::kNoBufs, 0},
    {"OK Status without a value becomes kInval", Result<int>(OkStatus()), false, Errno::kInval, 0},
    {"Errno::kOk without a value becomes kInval", Result<int>(Errno::kOk), false, Errno::kInval, 0},
};

TEST(ResultTest, Semantics) {
  for (const ResultCase& c : kResultCases) {
    SCOPED_TRACE(c.desc);
    EXPECT_EQ(c.r.ok(), c.ok);
    EXPECT_EQ(c.r.status().err(), c.err);
    EXPECT_EQ(c.r.status().ok(), c.ok) << "ok() and status().ok() never disagree";
    if (c.ok) {
      EXPECT_EQ(c.r.value(), c.value);
      EXPECT_EQ(*c.r, c.value);
    }
    EXPECT_EQ(c.r.value_or(-7), c.ok ? c.value : -7);
  }
}

// Reading the value of an error is a programming error, not a zero: the check hook fires
// (connac/check.h; userspace aborts with the expression, the kernel WARN_ONCEs). Issue 11:
// it used to return a zeroed value silently.
TEST(ResultDeathTest, DereferencingAnErrorFiresTheCheckHook) {
  const Result<Pair> r(Errno::kMsgSize);
  EXPECT_FALSE(r.ok());
  EXPECT_DEATH(static_cast<void>(r.value()), "connac core check failed: ok\\(\\)");
  EXPECT_DEATH(static_cast<void>(r->a), "connac core check failed");
  EXPECT_DEATH(static_cast<void>(*r), "connac core check failed");
}

TEST(ResultTest, ValueOrAndValueOfAnOkResult) {
  const Result<Pair> r(Errno::kMsgSize);
  const Result<Pair> v(Pair{7, 9});
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->a, 7);
  EXPECT_EQ(v.value().b, 9u);
  const Pair fallback = r.value_or(Pair{1, 2});
  EXPECT_EQ(fallback.a, 1);
}

TEST(ResultTest, IsConstexpr) {
  constexpr Result<int> ok_r(5);
  constexpr Result<int> err_r(Errno::kRange);
  static_assert(ok_r.ok() && *ok_r == 5);
  static_assert(!err_r.ok() && err_r.status().code() == -34);
  static_assert(!Result<int>(OkStatus()).ok());
  static_assert(std::is_trivially_destructible_v<Result<Pair>>);
  SUCCEED();
}

// ---------------------------------------------------------------------------------------
// CONNAC_RETURN_IF_ERROR.

int g_after = 0;

Status Step(Errno e) { return Status(e); }

Status TwoSteps(Errno first, Errno second) {
  CONNAC_RETURN_IF_ERROR(Step(first));
  ++g_after;
  CONNAC_RETURN_IF_ERROR(Step(second));
  ++g_after;
  return OkStatus();
}

struct MacroCase {
  const char* desc;
  Errno first;
  Errno second;
  Errno want;
  int steps_after;  // how many statements after a macro ran
};

constexpr MacroCase kMacroCases[] = {
    {"both succeed", Errno::kOk, Errno::kOk, Errno::kOk, 2},
    {"first fails: returns at once", Errno::kInval, Errno::kOk, Errno::kInval, 0},
    {"second fails: first statement ran", Errno::kOk, Errno::kNoBufs, Errno::kNoBufs, 1},
};

TEST(ReturnIfErrorTest, PropagatesTheFirstError) {
  for (const MacroCase& c : kMacroCases) {
    SCOPED_TRACE(c.desc);
    g_after = 0;
    const Status s = TwoSteps(c.first, c.second);
    EXPECT_EQ(s.err(), c.want);
    EXPECT_EQ(g_after, c.steps_after);
  }
}

// The macro is a single statement (do/while), so it nests under an unbraced if/else.
Status Nested(bool take, Errno e) {
  if (take)
    CONNAC_RETURN_IF_ERROR(Step(e));
  else
    return Status(Errno::kProto);
  return OkStatus();
}

TEST(ReturnIfErrorTest, IsOneStatement) {
  EXPECT_TRUE(Nested(true, Errno::kOk).ok());
  EXPECT_EQ(Nested(true, Errno::kIo).err(), Errno::kIo);
  EXPECT_EQ(Nested(false, Errno::kOk).err(), Errno::kProto);
}

}  // namespace
}  // namespace connac
