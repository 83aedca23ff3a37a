/* SPDX-License-Identifier: GPL-2.0 */
/*
 * connac_selftest.h - the in-kernel self-test of connac_core.ko, run at load
 * with selftest=1 (connac_selftest.c).
 */
#ifndef CONNAC_SELFTEST_H
#define CONNAC_SELFTEST_H

/* Prints KTAP v1 to the kernel log; returns the number of failed tests. */
int connac_selftest_run(void);

#endif /* CONNAC_SELFTEST_H */
