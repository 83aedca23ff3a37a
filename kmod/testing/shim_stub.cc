// Userspace stand-in for the kernel C shim (kmod/connac_core/connac_main.c): the glue's
// assertions are counted instead of going to WARN_ONCE, so tests can check they fire.

#include "kmod/testing/shim_stub.h"

namespace {
int g_asserts = 0;
const char* g_last_expr = nullptr;
}  // namespace

extern "C" void connac_shim_assert_failed(const char* expr, const char* /*file*/, int /*line*/) {
  ++g_asserts;
  g_last_expr = expr;
}

namespace connac_kmod_test {
int AssertCount() { return g_asserts; }
const char* LastAssert() { return g_last_expr; }
}  // namespace connac_kmod_test
