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

#ifdef __cplusplus
}
#endif

#endif /* CONNAC_IMPL_H */
