#include "splitcheck/testkit/internal/thread_team.h"

#include <atomic>
#include <chrono>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace splitcheck::testkit::internal {
namespace {

TEST(ThreadTeamTest, RunsEachIndexOnceOnItsOwnThreadAndWaits) {
  ThreadTeam team(3);
  for (int round = 0; round < 200; ++round) {
    std::vector<int> calls(3, 0);
    std::vector<std::thread::id> ids(3);
    const int n = round % 2 == 0 ? 3 : 2;
    team.run(n, [&](int i) {
      ++calls[static_cast<std::size_t>(i)];
      ids[static_cast<std::size_t>(i)] = std::this_thread::get_id();
    });
    // run() returned: every call finished and its writes are visible.
    EXPECT_EQ(calls[0], 1);
    EXPECT_EQ(calls[1], 1);
    EXPECT_EQ(calls[2], n == 3 ? 1 : 0);
    EXPECT_NE(ids[0], std::this_thread::get_id());
    EXPECT_NE(ids[0], ids[1]);
  }
}

TEST(ThreadTeamTest, WorkersStartTogether) {
  ThreadTeam team(3);
  std::atomic<int> ready{0};
  // Each call waits for the others: it returns only if all three run at once.
  team.run(3, [&](int) {
    ++ready;
    while (ready.load() < 3) std::this_thread::yield();
  });
  EXPECT_EQ(ready.load(), 3);
}

TEST(ThreadTeamTest, RunWithCallerRunsZeroHereAndTheRestOnWorkers) {
  ThreadTeam team(2);
  for (int round = 0; round < 200; ++round) {
    std::vector<int> calls(3, 0);
    std::vector<std::thread::id> ids(3);
    const int n = round % 2 == 0 ? 3 : 2;
    std::atomic<int> ready{0};
    team.run_with_caller(n, [&](int i) {
      ++calls[static_cast<std::size_t>(i)];
      ids[static_cast<std::size_t>(i)] = std::this_thread::get_id();
      // All n run at once: each waits for the others.
      ++ready;
      while (ready.load() < n) std::this_thread::yield();
    });
    EXPECT_EQ(calls[0], 1);
    EXPECT_EQ(calls[1], 1);
    EXPECT_EQ(calls[2], n == 3 ? 1 : 0);
    EXPECT_EQ(ids[0], std::this_thread::get_id());
    EXPECT_NE(ids[1], std::this_thread::get_id());
    if (n == 3) {
      EXPECT_NE(ids[2], ids[1]);
    }
  }
}

TEST(ThreadTeamTest, RunWithCallerWaitsForTheWorkersWhenTheCallerThrows) {
  ThreadTeam team(1);
  for (int round = 0; round < 20; ++round) {
    std::atomic<bool> worker_finished{false};
    try {
      team.run_with_caller(2, [&](int i) {
        if (i == 0) throw std::runtime_error("the caller's part failed");
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        worker_finished = true;
      });
      ADD_FAILURE() << "the caller's exception was not rethrown";
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "the caller's part failed");
      // The worker ran the work through a frame of run_with_caller's: it
      // must have returned before the exception left that frame.
      EXPECT_TRUE(worker_finished.load());
    }
  }
  // The team is still usable.
  int calls = 0;
  team.run_with_caller(2, [&](int i) {
    if (i == 0) ++calls;
  });
  EXPECT_EQ(calls, 1);
}

TEST(ThreadTeamTest, RunWithCallerNeedsAParticipant) {
  ThreadTeam team(1);
  EXPECT_THROW(team.run_with_caller(0, [](int) {}), std::invalid_argument);
}

TEST(ThreadTeamTest, ReusesTheSameThreads) {
  ThreadTeam& team = ThreadTeam::for_this_thread(2);
  std::set<std::thread::id> seen;
  std::mutex mu;
  for (int round = 0; round < 50; ++round) {
    team.run(2, [&](int) {
      std::lock_guard<std::mutex> lock(mu);
      seen.insert(std::this_thread::get_id());
    });
  }
  EXPECT_EQ(seen.size(), 2u);
  EXPECT_EQ(&ThreadTeam::for_this_thread(2), &team);
  EXPECT_GE(ThreadTeam::for_this_thread(3).size(), 3);
}

}  // namespace
}  // namespace splitcheck::testkit::internal
