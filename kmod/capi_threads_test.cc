// The C API used the way a driver uses it, from several threads: workers submit commands
// through connac_dev_submit() under one mutex (the driver's mt76.mutex), a firmware thread
// answers them (and the core's own frames) and then hangs, a timer thread ticks the device.
// Every thread drains the actions after its input and does what they say; the reset steps
// succeed and revive the firmware. The core decides everything about the recovery.
//
// Run under ThreadSanitizer by `make test` (--config=tsan) to prove the locking contract is
// enough; the assertions check that every command ends exactly once, that only commands in
// flight at the hang can time out, and that the device runs again with its key restored.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
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

struct Frame {
  unsigned char seq;
  unsigned char cid;
};

struct World {
  alignas(CONNAC_DEV_ALIGN) struct connac_dev dev;
  std::mutex mu;  // the driver's mutex: every connac_* call on `dev` holds it
  std::condition_variable cv;
  long long now = 0;                 // virtual clock (ns), advanced by the timer thread
  std::map<unsigned int, End> ends;  // host commands, by ticket generation
  std::deque<Frame> to_answer;       // sent, not yet answered by the firmware
  int answers_before_hang = 12;      // then the firmware hangs, once
  bool hung = false;
  bool hang_done = false;
  bool done = false;
  int refused = 0;
  int busy = 0;
  int reports = 0;
  int key_ops = 0;
  int steps = 0;
  std::vector<unsigned int> due_steps;  // RUN_STEP, reported by the reset "work"
  struct connac_action act;
};

World w;  // 4 KiB device state: not on a stack

void Finish(const struct connac_ticket& t, End how) {
  auto it = w.ends.find(t.generation);
  if (it == w.ends.end()) return;  // the core's own command
  EXPECT_EQ(it->second, End::kNone) << "a command ended twice";
  it->second = how;
}

// The driver's side of every input: do what the actions say. `mu` held.
void Drain() {
  for (;;) {
    while (connac_dev_next_action(&w.dev, &w.act) == 1) {
      const connac_action& a = w.act;
      switch (a.kind) {
        case CONNAC_ACT_COMPLETE: Finish(a.ticket, End::kAnswered); break;
        case CONNAC_ACT_FAIL:
          Finish(a.ticket, a.status == -ETIMEDOUT ? End::kTimedOut : End::kFailed);
          break;
        case CONNAC_ACT_SEND:  // the frame goes on the bus (key frames encoded and wiped)
          if (!a.is_restore && a.key.kind == CONNAC_KEY_ACTION_KEY) {
            unsigned char frame[CONNAC_KEY_FRAME_SIZE];
            EXPECT_EQ(
                connac_key_action_encode(CONNAC_MT7925, &a.key, a.ticket.seq, frame, sizeof(frame)),
                CONNAC_KEY_FRAME_SIZE);
            std::memset(frame, 0, sizeof(frame));
          }
          w.to_answer.push_back({a.ticket.seq, static_cast<unsigned char>(a.cmd)});
          break;
        case CONNAC_ACT_KEY_OP_DONE:
          EXPECT_EQ(a.status, 0);
          ++w.key_ops;
          break;
        case CONNAC_ACT_RUN_STEP: w.due_steps.push_back(a.step); break;
        case CONNAC_ACT_REPORT:
          EXPECT_EQ(a.wedged, 0);
          ++w.reports;
          break;
        default: break;
      }
    }
    std::memset(&w.act, 0, sizeof(w.act));
    if (w.due_steps.empty()) break;
    // The reset work: each step succeeds at once; after READY the firmware is back.
    const unsigned int step = w.due_steps.front();
    w.due_steps.erase(w.due_steps.begin());
    ++w.steps;
    if (step == CONNAC_STEP_WFSYS) w.to_answer.clear();
    if (step == CONNAC_STEP_READY) w.hung = false;
    EXPECT_EQ(connac_dev_on_step_result(&w.dev, step, 1, w.now), 0);
  }
  w.cv.notify_all();
}

// An mt7925 UNI RESULT for `f`: 44-byte RXD, then {cid, 3 pad, le32 status 0}.
std::vector<unsigned char> Answer(const Frame& f) {
  std::vector<unsigned char> ev(52, 0);
  ev[0] = 52;
  ev[3] = 0x38;  // PKT_TYPE_RX_EVENT
  ev[32] = 52 - 32;
  ev[36] = 0x01;  // eid RESULT
  ev[37] = f.seq;
  ev[38] = 0x02;  // option: UNI event
  ev[44] = f.cid;
  return ev;
}

// The firmware answers one frame, or swallows it when hung. `mu` held.
bool AnswerOne() {
  if (w.to_answer.empty()) return false;
  const Frame f = w.to_answer.front();
  w.to_answer.pop_front();
  if (w.hung) return true;
  const std::vector<unsigned char> ev = Answer(f);
  EXPECT_EQ(connac_dev_on_event(&w.dev, ev.data(), ev.size(), w.now), 0);
  Drain();
  return true;
}

TEST(CapiThreadsTest, WorkersFirmwareAndTimerUnderOneMutex) {
  ASSERT_EQ(connac_dev_init(&w.dev, CONNAC_MT7925, 0, nullptr), 0);
  constexpr int kWorkers = 4;
  constexpr int kPerWorker = 10;

  // Associated with a pairwise key (so the restore has a key to replay), single-threaded.
  {
    std::lock_guard<std::mutex> l(w.mu);
    const unsigned char bssid[6] = {2, 0xb0, 0x55, 0x1d, 0, 0};
    const unsigned char ap[6] = {2, 0xa9, 0, 0, 0, 0};
    ASSERT_EQ(connac_dev_link_add(&w.dev, 0, bssid, 0, nullptr), 0);
    Drain();
    ASSERT_EQ(connac_dev_sta_add(&w.dev, 0, ap, 0), 0);
    Drain();
    ASSERT_EQ(connac_dev_link_associated(&w.dev, 0, ap, 1), 0);
    struct connac_key_conf k = {};
    k.cipher = CONNAC_SUITE_CCMP;
    k.link_id = -1;
    k.key_len = 16;
    ASSERT_EQ(connac_dev_set_key(&w.dev, CONNAC_KEY_SET, &k, 0), 0);
    Drain();
    while (AnswerOne()) {
    }
    ASSERT_EQ(w.key_ops, 3) << "link, station, key";
  }

  std::thread firmware([] {
    std::unique_lock<std::mutex> l(w.mu);
    while (!w.done) {
      if (!w.hung && !w.to_answer.empty() && !w.hang_done && w.answers_before_hang-- <= 0) {
        w.hung = true;  // swallows this and every later frame until the reload
        w.hang_done = true;
      }
      if (!AnswerOne()) w.cv.wait_for(l, std::chrono::microseconds(200));
    }
  });

  std::thread timer([] {
    std::unique_lock<std::mutex> l(w.mu);
    while (!w.done) {
      w.now += kMs;  // 1 ms of virtual time per tick
      EXPECT_EQ(connac_dev_on_tick(&w.dev, w.now), 0);
      Drain();
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
        struct connac_ticket t = {};
        const int ret = connac_dev_submit(&w.dev, kBssInfo, CONNAC_ORIGIN_STACK, w.now, &t);
        if (ret == -ESHUTDOWN) {
          ++w.refused;  // at once: the firmware is being reset
          continue;
        }
        if (ret != 0) {
          EXPECT_TRUE(ret == -ENOSPC || ret == -EBUSY) << ret;
          ++w.busy;  // every slot or seq in use: try the next one
          continue;
        }
        w.ends[t.generation] = End::kNone;
        w.to_answer.push_back({t.seq, static_cast<unsigned char>(kBssInfo)});
        Drain();
        w.cv.wait(l, [&t] { return w.ends[t.generation] != End::kNone; });
      }
    });
  }
  for (std::thread& t : workers) t.join();
  {
    // The reset may still be running: let the clock go until the device runs again.
    std::unique_lock<std::mutex> l(w.mu);
    w.cv.wait_for(l, std::chrono::seconds(30), [] {
      return connac_dev_state(&w.dev) == CONNAC_STATE_RUNNING && w.reports >= 1;
    });
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
  EXPECT_EQ(answered + timed_out + failed + w.refused + w.busy, kWorkers * kPerWorker);
  EXPECT_GE(answered, 12) << "answered before the hang (and after the reload)";
  EXPECT_GE(timed_out, 1) << "the first one pays its timeout";
  EXPECT_LE(timed_out, kWorkers) << "only commands in flight at the hang time out";
  EXPECT_GE(w.reports, 1);
  EXPECT_GE(w.steps, 5) << "WFSYS, semaphore, patch, RAM, ready";
  EXPECT_EQ(connac_dev_state(&w.dev), CONNAC_STATE_RUNNING) << "running again after the reset";
  struct connac_counters c;
  ASSERT_EQ(connac_dev_get_counters(&w.dev, &c, sizeof(c)), 0);
  EXPECT_GE(c.keys_replayed, 1u) << "the pairwise key came back";
  EXPECT_EQ(c.recoveries, static_cast<unsigned int>(w.reports));
  connac_dev_destroy(&w.dev);
}

}  // namespace
