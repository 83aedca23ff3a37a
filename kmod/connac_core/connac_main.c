// SPDX-License-Identifier: GPL-2.0
/*
 * connac_core.ko: the connac core (header-only C++, compiled into
 * connac_glue.o) exported to other modules through the C API of
 * connac_core.h (connac_exports.c, generated from the header).
 *
 * Why a C shim: WARN_ONCE and EXPORT_SYMBOL_GPL are kernel C macros, and
 * kernel headers are not C++. This file holds no state of the core: every
 * device's state lives in the struct connac_dev its driver embeds, and the
 * C++ object has no global with a constructor (the kernel never runs them;
 * kmod/scripts/cxx_guard.sh rejects them). No test code: the self-test is
 * its own module, connac_core_test.ko (kmod/test).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/build_bug.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/stddef.h>

#include "connac_core.h"
#include "connac_shim.h"

/* A driver embeds struct connac_dev; check the layout the header promises. */
struct connac_embed_check {
	char before;
	struct connac_dev dev;
};
static_assert(sizeof(struct connac_dev) == CONNAC_DEV_SIZE);
static_assert(__alignof__(struct connac_dev) == CONNAC_DEV_ALIGN);
static_assert(offsetof(struct connac_embed_check, dev) == CONNAC_DEV_ALIGN);

void connac_shim_assert_failed(const char *expr, const char *file, int line)
{
	WARN_ONCE(1, "connac: core invariant broken: %s (%s:%d)\n",
		  expr, file, line);
}

/* The core's own check hook (core/include/connac/check.h): same treatment. */
void connac_core_check_failed(const char *expr, const char *file, int line);
void connac_core_check_failed(const char *expr, const char *file, int line)
{
	WARN_ONCE(1, "connac: core check failed: %s (%s:%d)\n",
		  expr, file, line);
}

static int __init connac_core_init(void)
{
	pr_info("API %d, per-device state %lu of %d bytes\n",
		CONNAC_API_VERSION, connac_dev_state_bytes(), CONNAC_DEV_SIZE);
	return 0;
}

static void __exit connac_core_exit(void)
{
}

module_init(connac_core_init);
module_exit(connac_core_exit);

MODULE_DESCRIPTION("connac core: MCU framing, commands in flight, key slots and firmware recovery for MediaTek CONNAC drivers");
MODULE_LICENSE("GPL");
