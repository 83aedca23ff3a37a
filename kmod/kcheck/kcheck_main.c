// SPDX-License-Identifier: GPL-2.0
/*
 * Why: the C half of the connac kernel-compile check. It references every
 * entry point of the C++ core TU (core_all.cc), so the two objects link into
 * a real .ko and modpost resolves each undefined symbol of the C++ code
 * against the kernel's exports: anything the kernel does not provide (operator
 * new, libstdc++ throw helpers, __cxa_*) fails the build here instead of at
 * insmod time. The module is only built, never loaded; see
 * docs/kernel-compile-check.md.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/types.h>

#include "kcheck.h"

/* The core's check hook (core/include/connac/check.h), as connac_core.ko has it. */
void connac_core_check_failed(const char *expr, const char *file, int line);
void connac_core_check_failed(const char *expr, const char *file, int line)
{
	WARN_ONCE(1, "connac: core check failed: %s (%s:%d)\n", expr, file, line);
}

static u8 kcheck_buf[256];
static const u8 kcheck_key[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };

static int __init kcheck_init(void)
{
	const char *name = NULL;
	int fw_status = 0;
	int ret;

	/* UNI BSS_INFO_UPDATE for mt7925, as the core's own examples use. */
	ret = kcheck_frame(1, 0x00020002, 1, kcheck_buf, sizeof(kcheck_buf));
	pr_debug("frame %d (%s)\n", ret, kcheck_errno_name(ret));

	ret = kcheck_event(1, 0x00020002, 1, kcheck_buf, sizeof(kcheck_buf),
			   &fw_status, &name);
	pr_debug("event %s fw %d cmd %s\n", kcheck_errno_name(ret),
		 fw_status, name ? name : "?");

	ret = kcheck_txn(0, kcheck_buf, sizeof(kcheck_buf));
	pr_debug("txn %s\n", kcheck_errno_name(ret));

	ret = kcheck_keys(kcheck_key, sizeof(kcheck_key), 2, kcheck_buf,
			  sizeof(kcheck_buf));
	pr_debug("keys %d (%s)\n", ret, kcheck_errno_name(ret));

	ret = kcheck_reset(0);
	pr_debug("reset %d (%s)\n", ret, kcheck_errno_name(ret));
	return 0;
}

static void __exit kcheck_exit(void)
{
}

module_init(kcheck_init);
module_exit(kcheck_exit);

MODULE_DESCRIPTION("connac core kernel-compile check (never loaded)");
MODULE_LICENSE("GPL");
