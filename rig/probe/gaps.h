// File: rig/probe/gaps.h
//
// The traffic probe's bookkeeping, sans-I/O: replies (the probe's sequence number and the
// time its reply arrived) in, gaps out. A gap is the time between the arrival of two
// consecutive replies when it is longer than the threshold: the time during which nothing
// got through. Arrival times, not send times: while the link is down the stack queues
// probes (the neighbour and mac80211 queues) and delivers them when it comes back, so every
// probe may be answered, late; by send times such an outage would not show at all. A gap is
// reported when it closes (the first reply after it), with the number of probes whose
// replies never came. Times are milliseconds on one clock (the guest's CLOCK_MONOTONIC in
// rigprobe). Test material for the rig (nothing here ships).

#ifndef RIG_PROBE_GAPS_H_
#define RIG_PROBE_GAPS_H_

#include <cstdint>

namespace rigprobe {

struct Gap {
  int64_t last_ms = 0;   // arrival of the last reply before the gap
  int64_t first_ms = 0;  // arrival of the first reply after it
  int64_t lost = 0;      // probes sent in between whose replies never came
};

class GapTracker {
 public:
  explicit GapTracker(int64_t threshold_ms) : threshold_ms_(threshold_ms) {}

  // A reply to probe `seq` arrived at `arrival_ms`. Returns true and fills `*gap` when it
  // closes a gap longer than the threshold. Replies older than the newest seen (reordered or
  // duplicated) are counted but never close a gap.
  bool OnReply(uint64_t seq, int64_t arrival_ms, Gap* gap) {
    ++received_;
    if (!any_) {
      any_ = true;
      last_seq_ = seq;
      last_ms_ = arrival_ms;
      return false;
    }
    if (seq <= last_seq_) return false;
    const bool closes = arrival_ms - last_ms_ > threshold_ms_;
    if (closes) {
      gap->last_ms = last_ms_;
      gap->first_ms = arrival_ms;
      gap->lost = static_cast<int64_t>(seq - last_seq_ - 1);
    }
    last_seq_ = seq;
    last_ms_ = arrival_ms;
    return closes;
  }

  bool any() const { return any_; }
  int64_t last_ms() const { return last_ms_; }
  uint64_t received() const { return received_; }

 private:
  int64_t threshold_ms_;
  bool any_ = false;
  uint64_t last_seq_ = 0;
  int64_t last_ms_ = 0;
  uint64_t received_ = 0;
};

}  // namespace rigprobe

#endif  // RIG_PROBE_GAPS_H_
