// File: connac/check.h
//
// CONNAC_CORE_CHECK: what the core does when its own contract is broken.
//
// Bad input is never a check: the device's bytes and the caller's arguments are validated
// and answered with an errno. A check fires only on a programming error that the type system
// cannot rule out, such as reading the value of an error Result. The core cannot abort (it
// runs in the kernel) and cannot log (it has no I/O), so it calls one hook that the host
// defines, exactly once per binary:
//
//   extern "C" void connac_core_check_failed(const char* expr, const char* file, int line);
//
//   - userspace (Bazel targets, the CLI, fuzzers): core/check_abort.cc prints and aborts, so
//     a test that trips a check fails loudly;
//   - the kernel module (kmod/connac_core/connac_main.c): WARN_ONCE and return;
//   - the kernel-compile check module (kmod/kcheck): the same.
//
// The hook may return; the core then carries on with a defined, harmless result (for example
// a zero value), never with undefined behaviour.
//
// Example:
//
//   if (!CONNAC_CORE_CHECK(slot < capacity_)) return Status(Errno::kInval);

#ifndef CONNAC_CHECK_H_
#define CONNAC_CHECK_H_

extern "C" void connac_core_check_failed(const char* expr, const char* file, int line);

// Evaluates to `cond`; when it is false, reports it first. Usable in constexpr functions as
// long as the check holds during constant evaluation.
#define CONNAC_CORE_CHECK(cond)  \
  (__builtin_expect(!!(cond), 1) \
       ? true                    \
       : (connac_core_check_failed(#cond, __FILE_NAME__, __LINE__), false))

#endif  // CONNAC_CHECK_H_
