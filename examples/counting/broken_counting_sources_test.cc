// The gate rejects each broken counting source and names the check that
// catches it; the same source without a bug passes every check.

#include "splitcheck/examples/counting/broken_counting_sources.h"

#include <memory>
#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/testkit/source_testkit.h"
#include "splitcheck/testkit/zoo/gate_verdicts.h"

namespace splitcheck::examples::broken {
namespace {

using ::testing::Contains;
using ::testing::IsEmpty;

std::set<std::string> failed_checks(CountingBug bug) {
  return failed_source_checks<std::int64_t, std::int64_t>(
      [bug] { return std::make_shared<BrokenCountingSource>(40, bug); });
}

TEST(BrokenCountingSourcesTest, TheControlPasses) {
  EXPECT_THAT(failed_checks(CountingBug::kNone), IsEmpty());
}

TEST(BrokenCountingSourcesTest, EmittingAfterARefusedClaimIsRejected) {
  EXPECT_THAT(failed_checks(CountingBug::kEmitsAfterRefusedClaim),
              Contains("split_at_fraction_exhaustive"));
}

TEST(BrokenCountingSourcesTest, ProgressJumpingBackwardsIsRejected) {
  EXPECT_THAT(failed_checks(CountingBug::kProgressJumpsBackwards), Contains("progress_contract"));
}

TEST(BrokenCountingSourcesTest, ASplitAtTheLastClaimIsRejected) {
  EXPECT_THAT(failed_checks(CountingBug::kSplitAtLastClaim),
              Contains("split_at_fraction_exhaustive"));
}

}  // namespace
}  // namespace splitcheck::examples::broken
