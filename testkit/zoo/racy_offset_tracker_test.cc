// The tracker contract checker rejects a tracker that checks, unlocks and
// then acts: sequentially it is correct, so only the linearizability search
// over concurrent histories catches it.

#include "splitcheck/testkit/zoo/racy_offset_tracker.h"

#include <cstdint>
#include <memory>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/testkit/tracker/tracker_contract.h"

namespace splitcheck::examples::broken {
namespace {

using ::testing::HasSubstr;

testkit::TrackerFactory<std::int64_t> racy() {
  return [](const std::int64_t& start, const std::int64_t& stop) {
    return std::make_unique<RacyOffsetTracker>(start, stop);
  };
}

TEST(RacyOffsetTrackerTest, SequentiallyItKeepsTheContract) {
  const auto result =
      testkit::check_tracker_sequential(racy(), testkit::offset_positions(), {.seed = 1});
  EXPECT_TRUE(result.ok()) << result;
}

TEST(RacyOffsetTrackerTest, TheLinearizabilitySearchRejectsIt) {
  const auto result = testkit::check_tracker_linearizable(
      racy(), testkit::offset_positions(), {.concurrent_runs = 200, .repetitions = 30, .seed = 5});
  std::cout << result << "\n";
  EXPECT_EQ(result.outcome, testkit::CheckResult::Outcome::kFailed);
  EXPECT_THAT(result.message, HasSubstr("no order of these calls is accepted"));
}

}  // namespace
}  // namespace splitcheck::examples::broken
