// The C API used the way a driver uses it, from several threads: workers issue commands under
// one mutex (the driver's mt76.mutex), a firmware thread answers them and then hangs, a timer
// thread expires deadlines and drives the reset sequencer while workers keep trying. Run under
// ThreadSanitizer by `make test` (--config=tsan) to prove the locking contract is enough; the
// assertions check that every command ends exactly once and nobody pays a second timeout.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "connac_core.h"
#include "gtest/gtest.h"

namespace {

constexpr unsigned int kBssInfo = 0x00020002;
constexpr long long kMs = 1000000;

enum class End { kNone, kAnswered, kTimedOut, kFailed };

struct World {
  alignas(CONNAC_DEV_ALIGN) struct connac_dev dev;
  std::mutex mu;  // the driver's mutex: every connac_* call on `dev` holds it
  std::condition_variable cv;
  long long now = 0;                 // virtual clock (ns), advanced by the timer thread under `mu`
  std::map<unsigned int, End> ends;  // by ticket generation
  std::vector<struct connac_ticket> to_answer;  // armed, not yet answered by the firmware
  int answers_before_hang = 12;                 // then the firmware hangs, once
  bool hung = false;
  bool hang_done = false;
  bool done = false;
  int refused = 0;
  int timeouts = 0;
  int episodes = 0;
};

// An mt7925 UNI RESULT event for `seq`: 44-byte RXD, then {cid 2, 3 pad, le32 status 0}.
std::vector<unsigned char> Answer(unsigned char seq) {
  std::vector<unsigned char> ev(52, 0);
  ev[36] = 0x01;  // eid RESULT
  ev[37] = seq;
  ev[38] = 0x02;  // option: UNI event
  ev[44] = 0x02;  // cid BSS_INFO_UPDATE
  return ev;
}

void Finish(World& w, const struct connac_ticket& t, End how) {
  auto it = w.ends.find(t.generation);
  ASSERT_NE(it, w.ends.end());
  EXPECT_EQ(it->second, End::kNone) << "a command ended twice";
  it->second = how;
}

// Runs the sequencer's actions; the reset steps succeed at once and revive the firmware.
void Handle(World& w, struct connac_seq_actions a) {
  for (int guard = 0; guard < 16 && a.flags != 0; ++guard) {
    if (a.flags & CONNAC_SEQ_ACT_FAIL_PENDING) {
      struct connac_ticket failed[8];
      const unsigned int n = connac_txn_fail_all(&w.dev, failed, 8);
      for (unsigned int i = 0; i < n; ++i) Finish(w, failed[i], End::kFailed);
      w.to_answer.clear();
      ++w.episodes;
    }
    if (!(a.flags & CONNAC_SEQ_ACT_RUN_STEP)) break;
    if (a.step == CONNAC_SEQ_STEP_READY) w.hung = false;  // reloaded
    struct connac_seq_actions next = {};
    ASSERT_EQ(connac_seq_on_step_result(&w.dev, a.step, 1, w.now, &next), 0);
    a = next;
  }
}

TEST(CapiThreadsTest, WorkersFirmwareAndTimerUnderOneMutex) {
  static World w;  // 4 KiB device state: not on the stack
  ASSERT_EQ(connac_dev_init(&w.dev, CONNAC_MT7925, 0, nullptr), 0);
  constexpr int kWorkers = 4;
  constexpr int kPerWorker = 10;

  std::thread firmware([] {
    std::unique_lock<std::mutex> l(w.mu);
    while (!w.done) {
      if (!w.hung && !w.to_answer.empty()) {
        const struct connac_ticket t = w.to_answer.front();
        w.to_answer.erase(w.to_answer.begin());
        if (!w.hang_done && w.answers_before_hang-- <= 0) {
          w.hung = true;  // swallows this and every later command until the reload
          w.hang_done = true;
          continue;
        }
        const std::vector<unsigned char> ev = Answer(t.seq);
        struct connac_event_outcome o = {};
        if (connac_txn_on_event(&w.dev, ev.data(), ev.size(), &o) == CONNAC_EV_COMPLETED) {
          Finish(w, o.ticket, End::kAnswered);
          w.cv.notify_all();
        }
        continue;
      }
      if (w.hung) w.to_answer.clear();
      w.cv.wait_for(l, std::chrono::microseconds(200));
    }
  });

  std::thread timer([] {
    std::unique_lock<std::mutex> l(w.mu);
    while (!w.done) {
      w.now += kMs;  // 1 ms of virtual time per tick
      struct connac_ticket expired[8];
      const unsigned int n = connac_txn_expire(&w.dev, w.now, expired, 8);
      for (unsigned int i = 0; i < n; ++i) Finish(w, expired[i], End::kTimedOut);
      w.timeouts += static_cast<int>(n);
      struct connac_seq_actions a = {};
      if (n > 0) {
        ASSERT_EQ(connac_seq_on_timeout(&w.dev, w.now, &a), 0);
        Handle(w, a);
      }
      w.cv.notify_all();
      l.unlock();
      std::this_thread::yield();
      l.lock();
    }
  });

  std::vector<std::thread> workers;
  for (int k = 0; k < kWorkers; ++k) {
    workers.emplace_back([] {
      for (int i = 0; i < kPerWorker; ++i) {
        std::unique_lock<std::mutex> l(w.mu);
        if (connac_seq_admit(&w.dev) != 0) {
          ++w.refused;  // -ESHUTDOWN at once: the firmware is being reset
          continue;
        }
        struct connac_ticket t = {};
        if (connac_txn_arm(&w.dev, kBssInfo, w.now, &t) != 0) {
          ++w.refused;  // table or sequence numbers full: try the next one
          continue;
        }
        w.ends[t.generation] = End::kNone;
        w.to_answer.push_back(t);
        w.cv.notify_all();
        w.cv.wait(l, [&t] { return w.ends[t.generation] != End::kNone; });
      }
    });
  }
  for (std::thread& t : workers) t.join();
  {
    std::lock_guard<std::mutex> l(w.mu);
    w.done = true;
  }
  w.cv.notify_all();
  firmware.join();
  timer.join();

  int answered = 0, timed_out = 0, failed = 0;
  for (const auto& [gen, how] : w.ends) {
    EXPECT_NE(how, End::kNone) << "command " << gen << " never ended";
    answered += how == End::kAnswered;
    timed_out += how == End::kTimedOut;
    failed += how == End::kFailed;
  }
  EXPECT_EQ(answered + timed_out + failed + w.refused, kWorkers * kPerWorker);
  EXPECT_GE(answered, 12) << "answered before the hang and after the reload";
  EXPECT_GE(w.episodes, 1);
  EXPECT_LE(timed_out, kWorkers) << "at most the commands in flight at the hang time out";
  EXPECT_EQ(connac_seq_admit(&w.dev), 0) << "running again after the reset";
  connac_dev_destroy(&w.dev);
}

}  // namespace
