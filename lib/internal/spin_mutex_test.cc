#include "splitcheck/lib/internal/spin_mutex.h"

#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace splitcheck::internal {
namespace {

// More threads than the machine has cores, so holders are preempted while
// others wait: every increment of the unguarded-by-anything-else counter must
// survive. Run under --config=tsan too: it sees a missing happens-before.
TEST(SpinMutexTest, ExcludesUnderContentionWithMoreThreadsThanCores) {
  SpinMutex mu;
  std::int64_t counter = 0;
  constexpr int kThreads = 8;
  constexpr int kIncrements = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        SpinMutexLock lock(&mu);
        counter = counter + 1;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(counter, std::int64_t{kThreads} * kIncrements);
}

// A waiter gets the lock once a holder that keeps it for a while (as a
// preempted one would) lets go, and sees what the holder wrote.
TEST(SpinMutexTest, AWaiterGetsTheLockAfterALongHold) {
  SpinMutex mu;
  int value = 0;
  mu.lock();
  std::thread waiter([&] {
    SpinMutexLock lock(&mu);
    value += 1;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  value = 41;
  mu.unlock();
  waiter.join();
  SpinMutexLock lock(&mu);
  EXPECT_EQ(value, 42);
}

}  // namespace
}  // namespace splitcheck::internal
