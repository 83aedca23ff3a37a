// File: tools/sim/host.cc

#include "tools/sim/host.h"

namespace connac::sim {

void Recorder::Finish(const std::string& state, Instant now, const FwSim& fw,
                      const KeyTable& believed) {
  m_->final_state = state;
  if (m_->first_unanswered_ms >= 0) {
    const double end = m_->restored_ms >= 0 ? m_->restored_ms : Ms(now);
    m_->outage_ms = end - m_->first_unanswered_ms;
  }
  m_->resets = static_cast<int>(fw.counters().reloads);
  m_->commands = static_cast<int>(fw.counters().commands + fw.counters().swallowed);
  // What the host believes installed against what the firmware holds. A firmware that is
  // not running holds no usable key (any reset wipes it), so only the host side counts then.
  const bool fw_counts = fw.running();
  for (uint8_t w = 0; w < kWtblSize; ++w) {
    const KeyTable::Wcid& hw = believed.wcid(w);
    for (int s = 0; s < 2; ++s) {
      const bool host = hw.used && hw.slot[s].keyidx != kNoKey;
      const FwSim::FwKey& fk = fw.key(w, s);
      if (host && (!fk.present || !fw_counts)) ++m_->keys_lost;
      if (fw_counts && !host && fk.present) ++m_->stale_keys;
      if (fw_counts && host && fk.present && s == 0 && fk.key_id != hw.slot[s].keyidx)
        ++m_->stale_keys;
    }
  }
}

}  // namespace connac::sim
