// File: tools/keys_wipe_test.cc
//
// Key hygiene of `connac keys` (tools/keys_cmd.h): no heap block the script runner frees
// still holds the key, as raw bytes or as hex text. This binary replaces the global
// operator new/delete to look into every block as it is freed; the rest of the tests of the
// CLI live in cli_util_test.cc and cli_test.sh.

#include <malloc.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <optional>
#include <string>

#include "gtest/gtest.h"
#include "tools/keys_cmd.h"

namespace {

// The key the script sets, and what of it must not be left in freed memory.
constexpr char kScript[] =
    "link add 0\n"
    "sta add 0 02:00:00:00:00:10\n"
    "key set pairwise idx=0 cipher=CCMP key=c0ffee11c0ffee22c0ffee33c0ffee44\n"
    "key set group idx=1 link=0 cipher=CCMP key=c0ffee11c0ffee22c0ffee33c0ffee44\n"
    "reset\n"
    "key del pairwise idx=0\n";
constexpr unsigned char kKeyBytes[] = {0xc0, 0xff, 0xee, 0x11, 0xc0, 0xff, 0xee, 0x22};
constexpr char kKeyHex[] = "c0ffee11c0ffee22";

bool auditing = false;
int frees_audited = 0;
int frees_with_key = 0;

void Audit(void* p) {
  if (!auditing || p == nullptr) return;
  auditing = false;  // nothing below allocates, but stay out of our own way
  ++frees_audited;
  const size_t n = malloc_usable_size(p);
  if (memmem(p, n, kKeyBytes, sizeof(kKeyBytes)) != nullptr ||
      memmem(p, n, kKeyHex, sizeof(kKeyHex) - 1) != nullptr) {
    ++frees_with_key;
  }
  auditing = true;
}

}  // namespace

// The replaceable global allocation functions ([new.delete]): malloc/free underneath, with
// the audit on every free.
void* operator new(size_t n) {
  void* p = std::malloc(n == 0 ? 1 : n);
  if (p == nullptr) std::abort();
  return p;
}
void* operator new[](size_t n) { return operator new(n); }
void operator delete(void* p) noexcept {
  Audit(p);
  std::free(p);
}
void operator delete[](void* p) noexcept { operator delete(p); }
void operator delete(void* p, size_t) noexcept { operator delete(p); }
void operator delete[](void* p, size_t) noexcept { operator delete(p); }

namespace connac::cli {
namespace {

TEST(KeysWipe, NoFreedBlockHoldsTheKey) {
  std::string error;
  frees_audited = frees_with_key = 0;
  auditing = true;
  std::optional<std::string> out = RunKeysScriptText(kScript, &error);
  auditing = false;
  ASSERT_TRUE(out.has_value()) << error;
  // The key went out in the frames (it is the tool's output)...
  EXPECT_NE(out->find("c0ffee11c0ffee22c0ffee33c0ffee44"), std::string::npos);
  // ...but no block freed on the way held it.
  EXPECT_GT(frees_audited, 10);
  EXPECT_EQ(frees_with_key, 0) << "of " << frees_audited << " blocks freed";
  // The returned copy is the caller's to wipe.
  volatile char* d = out->data();
  for (size_t i = 0; i < out->size(); ++i) d[i] = 0;
}

TEST(KeysWipe, AMalformedLineAfterAKeyLeavesNothingEither) {
  std::string error;
  frees_audited = frees_with_key = 0;
  auditing = true;
  std::optional<std::string> out = RunKeysScriptText(
      "link add 0\n"
      "key set group idx=1 link=0 cipher=CCMP key=c0ffee11c0ffee22c0ffee33c0ffee44\n"
      "key set group idx=2 link=0 cipher=CCMP c0ffee11c0ffee22c0ffee33c0ffee44\n",
      &error);
  auditing = false;
  EXPECT_FALSE(out.has_value());
  EXPECT_EQ(error, "line 3: unexpected hex word in 'key set group' (a key needs key=)");
  EXPECT_EQ(frees_with_key, 0) << "of " << frees_audited << " blocks freed";
}

// The audit itself: a std::string with the key hex, freed without wiping, is caught.
TEST(KeysWipe, TheAuditSeesAnUnwipedString) {
  frees_audited = frees_with_key = 0;
  auditing = true;
  { std::string s = std::string("key=") + kKeyHex + "c0ffee33c0ffee44"; }
  auditing = false;
  EXPECT_GE(frees_with_key, 1);
}

}  // namespace
}  // namespace connac::cli
