// The gate rejects each broken counting source with the check that catches
// it (expected rejections, kept green in `bazel test //...`); the same source
// without a bug passes every check.

#include "splitcheck/examples/counting/broken_counting_sources.h"

#include <memory>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/testkit/gtest.h"
#include "splitcheck/testkit/source_testkit.h"
#include "splitcheck/testkit/zoo/gate_verdicts.h"

namespace splitcheck::examples::broken {
namespace {

std::shared_ptr<BrokenCountingSource> counting(CountingBug bug) {
  return std::make_shared<BrokenCountingSource>(40, bug);
}
std::shared_ptr<BrokenCountingSource> EmitsAfterRefusedClaim() {
  return counting(CountingBug::kEmitsAfterRefusedClaim);
}
std::shared_ptr<BrokenCountingSource> ProgressJumpsBackwards() {
  return counting(CountingBug::kProgressJumpsBackwards);
}
std::shared_ptr<BrokenCountingSource> SplitAtLastClaim() {
  return counting(CountingBug::kSplitAtLastClaim);
}

TEST(BrokenCountingSourcesTest, TheControlPasses) {
  const testkit::SourceFactory<std::int64_t, std::int64_t> control = [] {
    return counting(CountingBug::kNone);
  };
  EXPECT_THAT(failed_source_checks(control), ::testing::IsEmpty());
}

SPLITCHECK_SOURCE_REJECTION_TEST(EmittingAfterARefusedClaim, SplitAtFractionExhaustive,
                                 EmitsAfterRefusedClaim);
SPLITCHECK_SOURCE_REJECTION_TEST(ProgressJumpingBackwards, ProgressContract,
                                 ProgressJumpsBackwards);
SPLITCHECK_SOURCE_REJECTION_TEST(ASplitAtTheLastClaim, SplitAtFractionExhaustive, SplitAtLastClaim);

}  // namespace
}  // namespace splitcheck::examples::broken
