#include "splitcheck/lib/runner/internal/worker_process.h"

#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/error.h"

namespace splitcheck::internal {
namespace {

// Frames of every size, across the buffer's refills, arrive whole and in
// order (a refill moves the buffer: a frame read across one once came back
// with a stale type byte).
TEST(WorkerProcessTest, FramesOfEverySizeArriveWholeAndInOrder) {
  const auto payload_of = [](int i) {
    return std::string(static_cast<std::size_t>((i * 7919) % 300000),
                       static_cast<char>('a' + i % 26));
  };
  WorkerProcess child(
      [&](FrameChannel& channel) {
        for (int i = 0; i < 200; ++i) channel.send(static_cast<char>('A' + i % 26), payload_of(i));
        channel.flush();
      },
      {});
  char type = 0;
  std::string_view payload;
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(child.channel().receive(type, payload)) << i;
    EXPECT_EQ(type, static_cast<char>('A' + i % 26)) << i;
    EXPECT_EQ(payload, payload_of(i)) << i;
  }
  EXPECT_FALSE(child.channel().receive(type, payload));
  EXPECT_EQ(child.wait(), "exit status 0");
}

TEST(WorkerProcessTest, AKilledChildEndsItsStream) {
  WorkerProcess child(
      [](FrameChannel& channel) {
        char type = 0;
        std::string_view payload;
        channel.receive(type, payload);  // waits for ever
      },
      {});
  child.kill();
  EXPECT_EQ(child.wait(), "killed by signal 9");
}

TEST(WorkerProcessTest, AChildThatThrowsExitsWith70) {
  WorkerProcess child([](FrameChannel&) { throw std::runtime_error("no"); }, {});
  char type = 0;
  std::string_view payload;
  EXPECT_FALSE(child.channel().receive(type, payload));
  EXPECT_EQ(child.wait(), "exit status 70");
}

TEST(WorkerProcessTest, ThePeersEndIsSeenWhenItExits) {
  WorkerProcess child([](FrameChannel&) {}, {});
  char type = 0;
  std::string_view payload;
  EXPECT_FALSE(child.channel().receive(type, payload));
  EXPECT_EQ(child.wait(), "exit status 0");
}

// Workers come from the spawner, one after another; each answers on its own
// channel, and the spawner kills and reaps the one it is asked to.
TEST(ProcessSpawnerTest, SpawnsWorkersThatAnswerAndKillsOnRequest) {
  ProcessSpawner spawner([](FrameChannel& channel) {
    char type = 0;
    std::string_view payload;
    while (channel.receive(type, payload)) {
      channel.send(type, std::string(payload) + "!");
      channel.flush();
    }
  });
  std::vector<std::unique_ptr<WorkerProcess>> workers;
  for (int i = 0; i < 3; ++i) workers.push_back(spawner.spawn());
  for (int i = 0; i < 3; ++i) {
    workers[i]->channel().send('x', std::to_string(i));
    workers[i]->channel().flush();
  }
  for (int i = 0; i < 3; ++i) {
    char type = 0;
    std::string_view payload;
    ASSERT_TRUE(workers[i]->channel().receive(type, payload));
    EXPECT_EQ(payload, std::to_string(i) + "!");
  }
  workers[1]->kill();
  EXPECT_EQ(workers[1]->wait(), "killed by signal 9");
  EXPECT_EQ(workers[0]->wait(), "exit status 0");  // its input ended
  workers.clear();
}

// shut_down ends the spawner at once: workers that exit by themselves and
// one that never would (it ignores the end of its input) are all gone,
// killed and reaped, once the spawner is; their kill() and wait() no longer
// ask it, and it spawns no more.
TEST(ProcessSpawnerTest, AfterShutDownNoWorkerIsLeft) {
  auto spawner = std::make_unique<ProcessSpawner>([](FrameChannel& channel) {
    char type = 0;
    std::string_view payload;
    const bool stubborn = channel.receive(type, payload) && payload == "stay";
    while (stubborn) ::pause();
  });
  std::vector<std::unique_ptr<WorkerProcess>> workers;
  for (int i = 0; i < 3; ++i) workers.push_back(spawner->spawn());
  workers[0]->channel().send('x', "stay");
  workers[0]->channel().flush();
  std::vector<pid_t> pids;
  for (const auto& w : workers) {
    pids.push_back(w->pid());
    w->end_input();
  }
  spawner->shut_down();
  spawner->shut_down();  // idempotent
  EXPECT_THROW(spawner->spawn(), InternalError);
  for (const auto& w : workers) {
    w->kill();
    EXPECT_EQ(w->wait(), "left to the spawner at its end");
  }
  spawner.reset();  // waits for the spawner, which reaped every worker
  for (const pid_t pid : pids) {
    EXPECT_EQ(::kill(pid, 0), -1) << "worker " << pid << " is still there";
    EXPECT_EQ(errno, ESRCH) << "worker " << pid;
  }
  workers.clear();
}

}  // namespace
}  // namespace splitcheck::internal
