// A tracker whose fraction_consumed reads its state without the lock passes
// the sequential contract checks; under ThreadSanitizer (--config=tsan, as CI
// runs this test) the concurrent contract check rejects it on every run. The
// check runs in a child process, so that TSan's verdict (it halts the child)
// can be asserted.

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/testkit/internal/thread_sanitizer.h"
#include "splitcheck/testkit/tracker/tracker_contract.h"
#include "splitcheck/testkit/zoo/racy_offset_tracker.h"

extern char** environ;

namespace splitcheck::examples::broken {
namespace {

using testkit::internal::kThreadSanitizer;

constexpr const char* kChildVariable = "SPLITCHECK_RACY_PROGRESS_CHILD";

testkit::TrackerFactory<std::int64_t> racy() {
  return [](const std::int64_t& start, const std::int64_t& stop) {
    return std::make_unique<RacyOffsetTracker>(start, stop, Race::kProgressWithoutLock);
  };
}

TEST(RacyProgressTest, SequentiallyItKeepsTheContract) {
  const auto result =
      testkit::check_tracker_sequential(racy(), testkit::offset_positions(), {.seed = 1});
  EXPECT_TRUE(result.ok()) << result;
}

// The child's half: the concurrent contract check, which TSan halts.
TEST(RacyProgressTest, ConcurrentCheckInAChild) {
  if (std::getenv(kChildVariable) == nullptr) GTEST_SKIP() << "run by ThreadSanitizerRejectsIt";
  const auto result = testkit::check_tracker_linearizable(
      racy(), testkit::offset_positions(), {.concurrent_runs = 60, .repetitions = 20, .seed = 1});
  std::cout << result << "\n";
}

// Runs this binary again with only the child's test, and returns its exit
// status and standard error.
std::pair<int, std::string> run_child() {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return {-1, "pipe failed"};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  std::string filter = "--gtest_filter=RacyProgressTest.ConcurrentCheckInAChild";
  std::string self = "/proc/self/exe";
  char* argv[] = {self.data(), filter.data(), nullptr};
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
  env_strings.push_back(std::string(kChildVariable) + "=1");
  std::vector<char*> env;
  for (std::string& e : env_strings) env.push_back(e.data());
  env.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, self.c_str(), &actions, nullptr, argv, env.data());
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  std::string err;
  char buffer[4096];
  for (ssize_t n; (n = read(pipe_fds[0], buffer, sizeof buffer)) > 0;) err.append(buffer, n);
  close(pipe_fds[0]);
  if (spawned != 0) return {-1, std::string("posix_spawn failed: ") + std::strerror(spawned)};
  int status = 0;
  waitpid(pid, &status, 0);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), err};
}

TEST(RacyProgressTest, ThreadSanitizerRejectsIt) {
  if (std::getenv(kChildVariable) != nullptr) GTEST_SKIP() << "the child";
  if (!kThreadSanitizer) {
    GTEST_SKIP() << "needs ThreadSanitizer: run with --config=tsan (CI does)";
  }
  const auto [status, err] = run_child();
  EXPECT_NE(status, 0) << err;
  EXPECT_THAT(err, ::testing::HasSubstr("WARNING: ThreadSanitizer: data race"));
  EXPECT_THAT(err, ::testing::HasSubstr("RacyOffsetTracker::fraction_consumed"));
}

}  // namespace
}  // namespace splitcheck::examples::broken
