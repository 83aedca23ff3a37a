// The userspace definition of the core's check hook (connac/check.h): print and abort.
//
// Every userspace binary that includes the core links this (//core depends on it). The
// kernel module and the kernel-compile check define their own hook (WARN_ONCE), so this file
// is never part of a kernel build.

#include <cstdio>
#include <cstdlib>

#include "connac/check.h"

extern "C" void connac_core_check_failed(const char* expr, const char* file, int line) {
  std::fprintf(stderr, "connac core check failed: %s (%s:%d)\n", expr, file, line);
  std::abort();
}
