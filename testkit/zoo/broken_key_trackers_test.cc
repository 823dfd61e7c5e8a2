// The tracker contract checker rejects each broken key tracker for the share
// of its position_at_fraction answers; the tracker without a bug passes.

#include "splitcheck/testkit/zoo/broken_key_trackers.h"

#include <iostream>
#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/testkit/tracker/tracker_contract.h"

namespace splitcheck::examples::broken {
namespace {

using ::testing::HasSubstr;

testkit::CheckResult contract(KeyMappingBug bug) {
  const testkit::TrackerFactory<std::string> factory = [bug](const std::string& start,
                                                             const std::string& stop) {
    return std::make_unique<BrokenKeyTracker>(start, stop, bug);
  };
  testkit::CheckResult result =
      testkit::check_tracker_sequential(factory, testkit::key_positions(), {.seed = 1});
  std::cout << result << "\n";
  return result;
}

TEST(BrokenKeyTrackersTest, TheControlPasses) { EXPECT_TRUE(contract(KeyMappingBug::kNone).ok()); }

TEST(BrokenKeyTrackersTest, TinyFractionsMappedToTheStartAreRejected) {
  const testkit::CheckResult result = contract(KeyMappingBug::kTinyFractionsToTheStart);
  EXPECT_EQ(result.outcome, testkit::CheckResult::Outcome::kFailed);
  EXPECT_THAT(result.message, HasSubstr("below the fraction asked"));
}

TEST(BrokenKeyTrackersTest, TheShortestKeyPastTheTargetIsRejected) {
  const testkit::CheckResult result = contract(KeyMappingBug::kShortestKeyPastTarget);
  EXPECT_EQ(result.outcome, testkit::CheckResult::Outcome::kFailed);
  EXPECT_THAT(result.message, HasSubstr("more than the domain's tolerance"));
}

}  // namespace
}  // namespace splitcheck::examples::broken
