// Each sink check rejects the broken line sink's bug it is meant to catch,
// with the right message; the same sink without a bug passes every check.
// (Moved here from the testkit's own tests: the testkit may not depend on the
// zoo, which sits above it.)

#include "splitcheck/testkit/zoo/broken_line_sink.h"

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/testkit/sink/sink_conformance.h"

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

SinkUnderTest<std::string> broken(SinkBug bug) {
  SinkUnderTest<std::string> sut;
  sut.make_sink = [bug](const SinkEnvironment& env, const std::string& place) {
    return std::make_shared<const BrokenLineSink>(env.file_system, place, bug);
  };
  sut.read_back = [](const SinkEnvironment& env, const std::string& place) {
    return testkit::committed_lines(env, place + "-*");
  };
  sut.destination = "out/s";
  sut.records = lines(12);
  return sut;
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
                    "closing the bundles' writers in the order"}));

TEST(SinkChecksTest, TheControlSinkPassesEveryCheck) {
  for (const CheckResult& result : testkit::check_sink_conformance(broken(SinkBug::kNone))) {
    EXPECT_TRUE(result.ok()) << result;
  }
}

}  // namespace
}  // namespace splitcheck::examples::broken
