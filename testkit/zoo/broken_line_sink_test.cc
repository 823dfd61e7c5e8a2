// Each sink check rejects the broken line sink's bug it is meant to catch,
// with the right message; the same sink without a bug passes every check.
// (Moved here from the testkit's own tests: the testkit may not depend on the
// zoo, which sits above it.)

#include "splitcheck/testkit/zoo/broken_line_sink.h"

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/testkit/gtest.h"
#include "splitcheck/testkit/sink/sink_conformance.h"
#include "splitcheck/testkit/zoo/gate_verdicts.h"

namespace splitcheck::examples::broken {
namespace {

using ::testing::HasSubstr;
using testkit::CheckResult;
using testkit::SinkCheck;
using testkit::SinkEnvironment;
using testkit::SinkUnderTest;

std::vector<std::string> lines(int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back("record " + std::to_string(i));
  return out;
}

SinkUnderTest<std::string> broken(SinkBug bug, std::string suffix = "") {
  SinkUnderTest<std::string> sut;
  sut.make_sink = [bug, suffix](const SinkEnvironment& env, const std::string& place) {
    return std::make_shared<const BrokenLineSink>(env.file_system, place, bug, suffix);
  };
  sut.read_back = [](const SinkEnvironment& env, const std::string& place) {
    return testkit::committed_lines(env, place + "-*");
  };
  sut.destination = "out/s";
  sut.records = lines(12);
  return sut;
}

// Expected rejections, as a team keeps its own zoo: with and without options.
SinkUnderTest<std::string> MakeRenamesBeforeSync() { return broken(SinkBug::kRenameBeforeSync); }
SinkUnderTest<std::string> MakeNamesShardsByCompletion() {
  return broken(SinkBug::kShardNamesByCompletion);
}
testkit::SinkConformanceOptions FourBundles() {
  testkit::SinkConformanceOptions options;
  options.checks.bundles = 4;
  return options;
}
SPLITCHECK_SINK_REJECTION_TEST(RenamesBeforeSync, CrashPoints, MakeRenamesBeforeSync);
SPLITCHECK_SINK_REJECTION_TEST(NamesShardsByCompletion, OrderIndependence,
                               MakeNamesShardsByCompletion, FourBundles);

// The options reach the check: with one bundle there is no order to get wrong.
TEST(SinkRejectionTest, TheOptionsReachTheCheck) {
  testkit::SinkConformanceOptions one;
  one.checks.bundles = 1;
  const CheckResult result =
      testkit::run_sink_check(SinkCheck::kOrderIndependence, MakeNamesShardsByCompletion(),
                              testkit::internal::sink_options([&] { return one; }));
  EXPECT_TRUE(result.ok()) << result;
}

struct SinkBugCase {
  SinkBug bug;
  SinkCheck check;  // the check that must reject it
  const char* expected;
};

class SinkChecksRejectTest : public ::testing::TestWithParam<SinkBugCase> {};

TEST_P(SinkChecksRejectTest, TheBugWithTheRightCheck) {
  const CheckResult result = testkit::run_sink_check(GetParam().check, broken(GetParam().bug));
  std::cout << result << "\n";
  EXPECT_EQ(result.outcome, CheckResult::Outcome::kFailed);
  EXPECT_THAT(result.message, HasSubstr(GetParam().expected));
}

INSTANTIATE_TEST_SUITE_P(
    Bugs, SinkChecksRejectTest,
    ::testing::Values(
        SinkBugCase{SinkBug::kFinalizeFailsIfTempMissing, SinkCheck::kCrashPoints,
                    "made the write fail after recovery"},
        // The shard moved before the crash is deleted on the rerun, and its
        // temporary file is gone: the rerun cannot complete the output.
        SinkBugCase{SinkBug::kPreFinalizeDeletesOutputs, SinkCheck::kCrashPoints,
                    "made the write fail after recovery: in-memory file system: rename "
                    "\"out/s.tmp/b0-a1\" to \"out/s-0\": no such file"},
        SinkBugCase{SinkBug::kNoCleanup, SinkCheck::kCrashPoints, "is left after the write"},
        SinkBugCase{SinkBug::kFinalizeFailsIfTempMissing, SinkCheck::kFinalizeIdempotence,
                    "finalize call 2 of the same write threw"},
        SinkBugCase{SinkBug::kNoCleanup, SinkCheck::kRetriesAndSpeculation, "is left"},
        SinkBugCase{SinkBug::kSharedTempName, SinkCheck::kRetriesAndSpeculation,
                    "temporary names must be unique per attempt"},
        SinkBugCase{SinkBug::kCommitInClose, SinkCheck::kRetriesAndSpeculation,
                    "is extra or duplicated"},
        SinkBugCase{SinkBug::kShardNamesByCompletion, SinkCheck::kOrderIndependence,
                    "closing the bundles' writers in the order"},
        // Power loss: only a crash that drops what was not made durable
        // shows these four; the other checks never crash.
        SinkBugCase{SinkBug::kRenameBeforeSync, SinkCheck::kCrashPoints,
                    "the committed output differs from the records written"},
        SinkBugCase{SinkBug::kNoTempDirectorySync, SinkCheck::kCrashPoints,
                    "lost:\n  create out/s.tmp/b0-a1\nthe runner had recorded: initialized, 1 of "
                    "1 bundle results"},
        SinkBugCase{SinkBug::kNoOutputDirectorySync, SinkCheck::kCrashPoints,
                    "the committed output differs from the records written"},
        SinkBugCase{SinkBug::kNoNewDirectorySync, SinkCheck::kCrashPoints,
                    "lost:\n  create directory out\n  create directory out/s.tmp\n  "
                    "out/s.tmp/b0-a1, with a directory above it\nthe runner had recorded: "
                    "initialized, 1 of 1 bundle results"},
        SinkBugCase{SinkBug::kNoAbort, SinkCheck::kFailedWriteCleanup,
                    "every attempt of bundle 0 failing with its records written: "
                    "\"out/s.tmp/b0-a1\" is left after the write gave up with nothing committed"}));

// An option only finalize uses, forgotten by the encoding: every check
// that runs in one process finalizes on the sink itself, and the
// serialization check's write in worker processes finalizes on a decoded
// copy, whose shards lack the suffix (the records read back are the same).
TEST(SinkChecksTest, AnOptionOnlyFinalizeUsesMustSurviveTheEncoding) {
  EXPECT_THAT(failed_sink_checks([] { return broken(SinkBug::kForgetsTheSuffix, ".txt"); }),
              ::testing::ElementsAre("sink_serialization"));
  EXPECT_THAT(failed_sink_checks([] { return broken(SinkBug::kNone, ".txt"); }),
              ::testing::IsEmpty());
  const CheckResult result =
      testkit::check_sink_serialization(broken(SinkBug::kForgetsTheSuffix, ".txt"));
  EXPECT_THAT(result.message, HasSubstr("is not the same write on threads"));
}

// Only the failed-write check makes the runner give up.
TEST(SinkChecksTest, OnlyTheFailedWriteCheckSeesANoOpAbort) {
  for (const SinkCheck check : testkit::kAllSinkChecks) {
    if (check == SinkCheck::kFailedWriteCleanup) continue;
    const CheckResult result = testkit::run_sink_check(check, broken(SinkBug::kNoAbort));
    EXPECT_TRUE(result.ok()) << result;
  }
}

// The crash bugs are caught by the crash check alone: every other check
// passes them.
TEST(SinkChecksTest, OnlyTheCrashCheckSeesTheDurabilityBugs) {
  for (const SinkBug bug : {SinkBug::kRenameBeforeSync, SinkBug::kNoTempDirectorySync,
                            SinkBug::kNoOutputDirectorySync, SinkBug::kNoNewDirectorySync}) {
    for (const SinkCheck check : testkit::kAllSinkChecks) {
      if (check == SinkCheck::kCrashPoints) continue;  // (a crash never reaches abort_write)
      const CheckResult result = testkit::run_sink_check(check, broken(bug));
      EXPECT_TRUE(result.ok()) << static_cast<int>(bug) << ": " << result;
    }
  }
}

// The replay printed for a crash reruns that one case, pasted as code.
TEST(SinkChecksTest, ACrashReplaysAsTheCallItPrints) {
  const CheckResult first =
      testkit::check_sink_crash_points(broken(SinkBug::kNoOutputDirectorySync));
  ASSERT_EQ(first.outcome, CheckResult::Outcome::kFailed);
  EXPECT_EQ(first.replay,
            "check_sink_crash_points(sut, {.only_point = 8, .only_mode = FaultMode::kCrash, "
            ".only_state = 0}), with sut.records set to the 1 records listed");
  SinkUnderTest<std::string> sut = broken(SinkBug::kNoOutputDirectorySync);
  sut.records = {"record 0"};
  using testkit::FaultMode;
  const CheckResult replayed = testkit::check_sink_crash_points(
      sut, {.only_point = 8, .only_mode = FaultMode::kCrash, .only_state = 0});
  EXPECT_EQ(replayed.outcome, CheckResult::Outcome::kFailed);
  EXPECT_EQ(replayed.cases, 1);
  const auto before_records = [](const std::string& m) { return m.substr(0, m.find("writing")); };
  EXPECT_EQ(before_records(replayed.message), before_records(first.message));
  // The control passes the same case: the state is one a correct sink survives.
  SinkUnderTest<std::string> control = broken(SinkBug::kNone);
  control.records = {"record 0"};
  EXPECT_TRUE(testkit::check_sink_crash_points(
                  control, {.only_point = 7, .only_mode = FaultMode::kCrash, .only_state = 0})
                  .ok());
}

// A sink that syncs correctly survives every crash state at every point,
// with a larger model than the default (more states and cuts per crash).
TEST(SinkChecksTest, TheControlSurvivesEveryCrashState) {
  testkit::SinkCrashOptions options;
  options.modes = {testkit::FaultMode::kCrash};
  options.crash_model.max_states = 1024;
  options.crash_model.cuts_per_file = 8;
  options.bundles = 4;
  const CheckResult result = testkit::check_sink_crash_points(broken(SinkBug::kNone), options);
  EXPECT_TRUE(result.ok()) << result;
  std::cout << result << "\n";
  // More states than points: the crashes explore more than the pessimistic
  // state.
  long long points = 0, states = 0;
  ASSERT_EQ(std::sscanf(result.notes.front().c_str(), "%lld points", &points), 1);
  ASSERT_EQ(std::sscanf(result.notes.front().substr(result.notes.front().rfind("; ")).c_str(),
                        "; %lld crash states", &states),
            1);
  EXPECT_GT(states, 2 * points);
}

TEST(SinkChecksTest, TheControlSinkPassesEveryCheck) {
  for (const CheckResult& result : testkit::check_sink_conformance(broken(SinkBug::kNone))) {
    EXPECT_TRUE(result.ok()) << result;
  }
}

}  // namespace
}  // namespace splitcheck::examples::broken
