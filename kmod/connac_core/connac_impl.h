/* SPDX-License-Identifier: GPL-2.0 */
/*
 * connac_impl.h - the C++ glue's implementation of every function of
 * connac_core.h, under the name connac_impl_<name>.
 *
 * Why: EXPORT_SYMBOL_GPL belongs right after the definition it exports, and
 * that must be C. connac_exports.c defines each public function as a call
 * to its connac_impl_ twin and exports it; connac_glue.cc checks at compile
 * time that each twin has exactly the public signature.
 */
#ifndef CONNAC_IMPL_H
#define CONNAC_IMPL_H

#include "connac_core.h"

#ifdef __cplusplus
extern "C" {
#endif

int connac_impl_dev_init(struct connac_dev *dev, unsigned int family,
			 unsigned int flags, const struct connac_host_ops *ops);
void connac_impl_dev_destroy(struct connac_dev *dev);
int connac_impl_dev_family(const struct connac_dev *dev);
unsigned long connac_impl_dev_state_bytes(void);
long connac_impl_frame_encode(unsigned int family, unsigned int cmd,
			      unsigned char seq, unsigned int flags, const void *payload,
			      unsigned long payload_len, void *out, unsigned long out_len);
int connac_impl_frame_decode(const void *frame, unsigned long len,
			     struct connac_frame_info *info);
int connac_impl_parse_response(unsigned int family, unsigned int cmd,
			       unsigned char seq, const void *ev, unsigned long len,
			       struct connac_response *r);
const char *connac_impl_cmd_name(unsigned int cmd, const char **kind);
long long connac_impl_cmd_timeout_ns(unsigned int family, unsigned int cmd);
const char *connac_impl_errno_name(int err);
int connac_impl_txn_arm(struct connac_dev *dev, unsigned int cmd,
			long long now_ns, struct connac_ticket *t);
int connac_impl_txn_on_event(struct connac_dev *dev, const void *ev,
			     unsigned long len, struct connac_event_outcome *o);
unsigned int connac_impl_txn_expire(struct connac_dev *dev, long long now_ns,
				    struct connac_ticket *out, unsigned int max);
long long connac_impl_txn_next_deadline(const struct connac_dev *dev);
int connac_impl_txn_cancel(struct connac_dev *dev,
			   const struct connac_ticket *t);
int connac_impl_txn_is_current(const struct connac_dev *dev,
			       const struct connac_ticket *t);
unsigned int connac_impl_txn_fail_all(struct connac_dev *dev,
				      struct connac_ticket *out, unsigned int max);
void connac_impl_txn_get_counters(const struct connac_dev *dev,
				  struct connac_txn_counters *c);
int connac_impl_key_link_add(struct connac_dev *dev, unsigned int link,
			     const unsigned char bssid[6], struct connac_key_actions *out);
int connac_impl_key_link_remove(struct connac_dev *dev, unsigned int link);
int connac_impl_key_sta_add(struct connac_dev *dev, unsigned int link,
			    const unsigned char addr[6], struct connac_key_actions *out);
int connac_impl_key_sta_remove(struct connac_dev *dev, unsigned int link);
int connac_impl_key_set(struct connac_dev *dev, int cmd,
			const struct connac_key_conf *key, struct connac_key_actions *out);
int connac_impl_key_abort(struct connac_dev *dev,
			  const struct connac_key_actions *sent, unsigned long failed,
			  struct connac_key_actions *rollback);
void connac_impl_key_reset_begin(struct connac_dev *dev);
int connac_impl_key_reset_replay(struct connac_dev *dev,
				 struct connac_key_actions *out);
long connac_impl_key_action_encode(const struct connac_dev *dev,
				   const struct connac_key_action *a, unsigned char seq, void *out,
				   unsigned long out_len);
void connac_impl_key_actions_wipe(struct connac_key_actions *acts);

/* Reset sequencer and restore record. */
int connac_impl_seq_admit(struct connac_dev *dev);
int connac_impl_seq_on_timeout(struct connac_dev *dev, long long now_ns,
			       struct connac_seq_actions *a);
int connac_impl_seq_on_assert(struct connac_dev *dev, long long now_ns,
			      struct connac_seq_actions *a);
int connac_impl_seq_on_request(struct connac_dev *dev, long long now_ns,
			       struct connac_seq_actions *a);
int connac_impl_seq_on_step_result(struct connac_dev *dev, unsigned int step,
				   int ok, long long now_ns,
				   struct connac_seq_actions *a);
int connac_impl_seq_on_probe_result(struct connac_dev *dev, int alive,
				    long long now_ns,
				    struct connac_seq_actions *a);
int connac_impl_seq_on_tick(struct connac_dev *dev, long long now_ns,
			    long long oldest_ns, struct connac_seq_actions *a);
long long connac_impl_seq_next_deadline(const struct connac_dev *dev,
					long long oldest_ns);
int connac_impl_seq_state(const struct connac_dev *dev);
const char *connac_impl_seq_state_name(int state);
const char *connac_impl_seq_step_name(unsigned int step);
int connac_impl_seq_get_counters(const struct connac_dev *dev,
				 struct connac_seq_counters *c,
				 unsigned long size);
int connac_impl_seq_get_report(const struct connac_dev *dev,
			       struct connac_seq_report *r, unsigned long size);
int connac_impl_seq_get_config(const struct connac_dev *dev,
			       struct connac_seq_config *cfg,
			       unsigned long size);
int connac_impl_seq_set_config(struct connac_dev *dev,
			       const struct connac_seq_config *cfg);
int connac_impl_restore_set_device(struct connac_dev *dev,
				   const unsigned char addr[6]);
int connac_impl_restore_link_joining(struct connac_dev *dev, unsigned int link,
				     const unsigned char bssid[6],
				     unsigned int bss_idx);
int connac_impl_restore_link_associated(struct connac_dev *dev,
					unsigned int link,
					const unsigned char sta_addr[6],
					int active);
int connac_impl_restore_link_removed(struct connac_dev *dev, unsigned int link);
long connac_impl_restore_make_plan(const struct connac_dev *dev,
				   struct connac_restore_item *out,
				   unsigned long max);

#ifdef __cplusplus
}
#endif

#endif /* CONNAC_IMPL_H */
