/* SPDX-License-Identifier: GPL-2.0 */
/*
 * connac_shim.h - what the C++ glue needs from the kernel C shim.
 *
 * Why: the glue must not include kernel headers (they are not C++), so the
 * few kernel services it uses are C functions the shim defines. Plain C,
 * read by both compilers; none of these is noreturn (objtool cannot see
 * across objects, and a failed assertion must let the caller return).
 */
#ifndef CONNAC_SHIM_H
#define CONNAC_SHIM_H

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A core invariant does not hold (a bug, not bad input): the kernel shim
 * reports it with WARN_ONCE() and returns; the caller then fails the call.
 */
void connac_shim_assert_failed(const char *expr, const char *file, int line);

#ifdef __cplusplus
}
#endif

#endif /* CONNAC_SHIM_H */
