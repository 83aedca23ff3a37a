// connac_cxx.cc: every C++ file of connac_core.ko, as the one translation unit the kernel
// build compiles (kmod/connac_core/Kbuild says why: COMDAT sections and `ld -r`).
// Bazel compiles the two files separately for the userspace tests (kmod/BUILD).

#include "connac_fwsim.cc"
#include "connac_glue.cc"
