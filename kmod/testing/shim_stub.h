// Userspace stand-in for the kernel C shim: what the API tests can observe.
#ifndef CONNAC_KMOD_TESTING_SHIM_STUB_H_
#define CONNAC_KMOD_TESTING_SHIM_STUB_H_

#include "connac_shim.h"

namespace connac_kmod_test {
// Number of connac_shim_assert_failed() calls so far, and the last expression reported.
int AssertCount();
const char* LastAssert();
}  // namespace connac_kmod_test

#endif  // CONNAC_KMOD_TESTING_SHIM_STUB_H_
