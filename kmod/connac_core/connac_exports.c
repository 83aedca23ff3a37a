// SPDX-License-Identifier: GPL-2.0
/*
 * The exported C API of connac_core.ko (connac_core.h): each function calls
 * its twin in the C++ glue (connac_impl.h) and is exported right after its
 * definition. Plain C with no kernel header other than <linux/export.h>, so
 * the userspace tests (kmod/BUILD) compile and call this very file.
 */

#ifdef __KERNEL__
#include <linux/export.h>
#else
#define EXPORT_SYMBOL_GPL(sym) _Static_assert(1, #sym)
#endif

#include "connac_core.h"
#include "connac_impl.h"

int connac_dev_init(struct connac_dev *dev, unsigned int family,
		    unsigned int flags, const struct connac_host_ops *ops)
{
	return connac_impl_dev_init(dev, family, flags, ops);
}
EXPORT_SYMBOL_GPL(connac_dev_init);

void connac_dev_destroy(struct connac_dev *dev)
{
	connac_impl_dev_destroy(dev);
}
EXPORT_SYMBOL_GPL(connac_dev_destroy);

int connac_dev_family(const struct connac_dev *dev)
{
	return connac_impl_dev_family(dev);
}
EXPORT_SYMBOL_GPL(connac_dev_family);

unsigned long connac_dev_state_bytes(void)
{
	return connac_impl_dev_state_bytes();
}
EXPORT_SYMBOL_GPL(connac_dev_state_bytes);

long connac_frame_encode(unsigned int family, unsigned int cmd,
			 unsigned char seq, unsigned int flags, const void *payload,
			 unsigned long payload_len, void *out, unsigned long out_len)
{
	return connac_impl_frame_encode(family, cmd, seq, flags, payload,
					payload_len, out, out_len);
}
EXPORT_SYMBOL_GPL(connac_frame_encode);

int connac_frame_decode(const void *frame, unsigned long len,
			struct connac_frame_info *info)
{
	return connac_impl_frame_decode(frame, len, info);
}
EXPORT_SYMBOL_GPL(connac_frame_decode);

int connac_parse_response(unsigned int family, unsigned int cmd,
			  unsigned char seq, const void *ev, unsigned long len,
			  struct connac_response *r)
{
	return connac_impl_parse_response(family, cmd, seq, ev, len, r);
}
EXPORT_SYMBOL_GPL(connac_parse_response);

const char *connac_cmd_name(unsigned int cmd, const char **kind)
{
	return connac_impl_cmd_name(cmd, kind);
}
EXPORT_SYMBOL_GPL(connac_cmd_name);

long long connac_cmd_timeout_ns(unsigned int family, unsigned int cmd)
{
	return connac_impl_cmd_timeout_ns(family, cmd);
}
EXPORT_SYMBOL_GPL(connac_cmd_timeout_ns);

const char *connac_errno_name(int err)
{
	return connac_impl_errno_name(err);
}
EXPORT_SYMBOL_GPL(connac_errno_name);

int connac_txn_arm(struct connac_dev *dev, unsigned int cmd, long long now_ns,
		   struct connac_ticket *t)
{
	return connac_impl_txn_arm(dev, cmd, now_ns, t);
}
EXPORT_SYMBOL_GPL(connac_txn_arm);

int connac_txn_on_event(struct connac_dev *dev, const void *ev,
			unsigned long len, struct connac_event_outcome *o)
{
	return connac_impl_txn_on_event(dev, ev, len, o);
}
EXPORT_SYMBOL_GPL(connac_txn_on_event);

unsigned int connac_txn_expire(struct connac_dev *dev, long long now_ns,
			       struct connac_ticket *out, unsigned int max)
{
	return connac_impl_txn_expire(dev, now_ns, out, max);
}
EXPORT_SYMBOL_GPL(connac_txn_expire);

long long connac_txn_next_deadline(const struct connac_dev *dev)
{
	return connac_impl_txn_next_deadline(dev);
}
EXPORT_SYMBOL_GPL(connac_txn_next_deadline);

int connac_txn_cancel(struct connac_dev *dev, const struct connac_ticket *t)
{
	return connac_impl_txn_cancel(dev, t);
}
EXPORT_SYMBOL_GPL(connac_txn_cancel);

int connac_txn_is_current(const struct connac_dev *dev,
			  const struct connac_ticket *t)
{
	return connac_impl_txn_is_current(dev, t);
}
EXPORT_SYMBOL_GPL(connac_txn_is_current);

unsigned int connac_txn_fail_all(struct connac_dev *dev,
				 struct connac_ticket *out, unsigned int max)
{
	return connac_impl_txn_fail_all(dev, out, max);
}
EXPORT_SYMBOL_GPL(connac_txn_fail_all);

void connac_txn_get_counters(const struct connac_dev *dev,
			     struct connac_txn_counters *c)
{
	connac_impl_txn_get_counters(dev, c);
}
EXPORT_SYMBOL_GPL(connac_txn_get_counters);

int connac_key_link_add(struct connac_dev *dev, unsigned int link,
			const unsigned char bssid[6], struct connac_key_actions *out)
{
	return connac_impl_key_link_add(dev, link, bssid, out);
}
EXPORT_SYMBOL_GPL(connac_key_link_add);

int connac_key_link_remove(struct connac_dev *dev, unsigned int link)
{
	return connac_impl_key_link_remove(dev, link);
}
EXPORT_SYMBOL_GPL(connac_key_link_remove);

int connac_key_sta_add(struct connac_dev *dev, unsigned int link,
		       const unsigned char addr[6], struct connac_key_actions *out)
{
	return connac_impl_key_sta_add(dev, link, addr, out);
}
EXPORT_SYMBOL_GPL(connac_key_sta_add);

int connac_key_sta_remove(struct connac_dev *dev, unsigned int link)
{
	return connac_impl_key_sta_remove(dev, link);
}
EXPORT_SYMBOL_GPL(connac_key_sta_remove);

int connac_key_set(struct connac_dev *dev, int cmd,
		   const struct connac_key_conf *key, struct connac_key_actions *out)
{
	return connac_impl_key_set(dev, cmd, key, out);
}
EXPORT_SYMBOL_GPL(connac_key_set);

int connac_key_abort(struct connac_dev *dev,
		     const struct connac_key_actions *sent, unsigned long failed,
		     struct connac_key_actions *rollback)
{
	return connac_impl_key_abort(dev, sent, failed, rollback);
}
EXPORT_SYMBOL_GPL(connac_key_abort);

void connac_key_reset_begin(struct connac_dev *dev)
{
	connac_impl_key_reset_begin(dev);
}
EXPORT_SYMBOL_GPL(connac_key_reset_begin);

int connac_key_reset_replay(struct connac_dev *dev,
			    struct connac_key_actions *out)
{
	return connac_impl_key_reset_replay(dev, out);
}
EXPORT_SYMBOL_GPL(connac_key_reset_replay);

long connac_key_action_encode(const struct connac_dev *dev,
			      const struct connac_key_action *a, unsigned char seq, void *out,
			      unsigned long out_len)
{
	return connac_impl_key_action_encode(dev, a, seq, out, out_len);
}
EXPORT_SYMBOL_GPL(connac_key_action_encode);

void connac_key_actions_wipe(struct connac_key_actions *acts)
{
	connac_impl_key_actions_wipe(acts);
}
EXPORT_SYMBOL_GPL(connac_key_actions_wipe);

int connac_seq_admit(struct connac_dev *dev)
{
	return connac_impl_seq_admit(dev);
}
EXPORT_SYMBOL_GPL(connac_seq_admit);

int connac_seq_on_timeout(struct connac_dev *dev, long long now_ns,
			  struct connac_seq_actions *a)
{
	return connac_impl_seq_on_timeout(dev, now_ns, a);
}
EXPORT_SYMBOL_GPL(connac_seq_on_timeout);

int connac_seq_on_assert(struct connac_dev *dev, long long now_ns,
			 struct connac_seq_actions *a)
{
	return connac_impl_seq_on_assert(dev, now_ns, a);
}
EXPORT_SYMBOL_GPL(connac_seq_on_assert);

int connac_seq_on_request(struct connac_dev *dev, long long now_ns,
			  struct connac_seq_actions *a)
{
	return connac_impl_seq_on_request(dev, now_ns, a);
}
EXPORT_SYMBOL_GPL(connac_seq_on_request);

int connac_seq_on_step_result(struct connac_dev *dev, unsigned int step, int ok,
			      long long now_ns, struct connac_seq_actions *a)
{
	return connac_impl_seq_on_step_result(dev, step, ok, now_ns, a);
}
EXPORT_SYMBOL_GPL(connac_seq_on_step_result);

int connac_seq_on_probe_result(struct connac_dev *dev, int alive,
			       long long now_ns, struct connac_seq_actions *a)
{
	return connac_impl_seq_on_probe_result(dev, alive, now_ns, a);
}
EXPORT_SYMBOL_GPL(connac_seq_on_probe_result);

int connac_seq_on_tick(struct connac_dev *dev, long long now_ns,
		       long long oldest_ns, struct connac_seq_actions *a)
{
	return connac_impl_seq_on_tick(dev, now_ns, oldest_ns, a);
}
EXPORT_SYMBOL_GPL(connac_seq_on_tick);

long long connac_seq_next_deadline(const struct connac_dev *dev,
				   long long oldest_ns)
{
	return connac_impl_seq_next_deadline(dev, oldest_ns);
}
EXPORT_SYMBOL_GPL(connac_seq_next_deadline);

int connac_seq_state(const struct connac_dev *dev)
{
	return connac_impl_seq_state(dev);
}
EXPORT_SYMBOL_GPL(connac_seq_state);

const char *connac_seq_state_name(int state)
{
	return connac_impl_seq_state_name(state);
}
EXPORT_SYMBOL_GPL(connac_seq_state_name);

const char *connac_seq_step_name(unsigned int step)
{
	return connac_impl_seq_step_name(step);
}
EXPORT_SYMBOL_GPL(connac_seq_step_name);

int connac_seq_get_counters(const struct connac_dev *dev,
			    struct connac_seq_counters *c, unsigned long size)
{
	return connac_impl_seq_get_counters(dev, c, size);
}
EXPORT_SYMBOL_GPL(connac_seq_get_counters);

int connac_seq_get_report(const struct connac_dev *dev,
			  struct connac_seq_report *r, unsigned long size)
{
	return connac_impl_seq_get_report(dev, r, size);
}
EXPORT_SYMBOL_GPL(connac_seq_get_report);

int connac_seq_get_config(const struct connac_dev *dev,
			  struct connac_seq_config *cfg, unsigned long size)
{
	return connac_impl_seq_get_config(dev, cfg, size);
}
EXPORT_SYMBOL_GPL(connac_seq_get_config);

int connac_seq_set_config(struct connac_dev *dev,
			  const struct connac_seq_config *cfg)
{
	return connac_impl_seq_set_config(dev, cfg);
}
EXPORT_SYMBOL_GPL(connac_seq_set_config);

int connac_restore_set_device(struct connac_dev *dev,
			      const unsigned char addr[6])
{
	return connac_impl_restore_set_device(dev, addr);
}
EXPORT_SYMBOL_GPL(connac_restore_set_device);

int connac_restore_link_joining(struct connac_dev *dev, unsigned int link,
				const unsigned char bssid[6],
				unsigned int bss_idx)
{
	return connac_impl_restore_link_joining(dev, link, bssid, bss_idx);
}
EXPORT_SYMBOL_GPL(connac_restore_link_joining);

int connac_restore_link_associated(struct connac_dev *dev, unsigned int link,
				   const unsigned char sta_addr[6], int active)
{
	return connac_impl_restore_link_associated(dev, link, sta_addr, active);
}
EXPORT_SYMBOL_GPL(connac_restore_link_associated);

int connac_restore_link_removed(struct connac_dev *dev, unsigned int link)
{
	return connac_impl_restore_link_removed(dev, link);
}
EXPORT_SYMBOL_GPL(connac_restore_link_removed);

long connac_restore_make_plan(const struct connac_dev *dev,
			      struct connac_restore_item *out,
			      unsigned long max)
{
	return connac_impl_restore_make_plan(dev, out, max);
}
EXPORT_SYMBOL_GPL(connac_restore_make_plan);
