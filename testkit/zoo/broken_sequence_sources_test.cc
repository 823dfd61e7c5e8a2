// Each broken event-log source is rejected by the check that closes the hole
// it used to slip through; the same source without a bug passes the whole
// gate, tracker contract included.

#include "splitcheck/testkit/zoo/broken_sequence_sources.h"

#include <cstdint>
#include <iostream>
#include <memory>
#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/testkit/source_testkit.h"
#include "splitcheck/testkit/tracker/tracker_contract.h"
#include "splitcheck/testkit/zoo/gate_verdicts.h"

namespace splitcheck::examples::broken {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::shared_ptr<EventLogSource> log_of(SequenceBug bug) {
  return std::make_shared<EventLogSource>(1000, 100, bug);
}

std::set<std::string> failed_checks(SequenceBug bug) {
  return failed_source_checks<std::string, std::int64_t>([bug] { return log_of(bug); });
}

testkit::CheckResult tracker_contract(SequenceBug bug) {
  const testkit::TrackerFactory<std::int64_t> factory = [bug](const std::int64_t& s,
                                                              const std::int64_t& e) {
    return std::make_unique<SequenceTracker>(s, e, bug);
  };
  return testkit::check_tracker_sequential(factory, testkit::finite_offset_positions(),
                                           {.seed = 1});
}

TEST(BrokenSequenceSourcesTest, TheControlPasses) {
  EXPECT_THAT(failed_checks(SequenceBug::kNone), IsEmpty());
  EXPECT_TRUE(tracker_contract(SequenceBug::kNone)) << tracker_contract(SequenceBug::kNone);
}

// Records 1000 and 1001 read, the split at position_at_fraction(0.005) =
// 1001 accepted, the reader stops: it emitted 1001, which the residual
// [1001, 1100) reads again.
TEST(BrokenSequenceSourcesTest, ASplitAtTheLastClaimIsRejected) {
  const testkit::CheckResult one =
      testkit::check_split_at_fraction(*log_of(SequenceBug::kSplitAtTheLastClaim), 2, 0.005,
                                       testkit::ExpectedSplitOutcome::kMustBeConsistentIfSucceeds);
  EXPECT_EQ(one.outcome, testkit::CheckResult::Outcome::kFailed) << one;
  EXPECT_THAT(one.message, HasSubstr("the primary holds 1"));
  EXPECT_THAT(failed_checks(SequenceBug::kSplitAtTheLastClaim),
              Contains("split_at_fraction_exhaustive"));
  EXPECT_THAT(tracker_contract(SequenceBug::kSplitAtTheLastClaim).message,
              HasSubstr("was accepted at or before the last record"));
}

TEST(BrokenSequenceSourcesTest, AFlooringMappingIsRejected) {
  EXPECT_THAT(failed_checks(SequenceBug::kFloorsFractions),
              Contains("split_at_fraction_exhaustive"));
  EXPECT_THAT(tracker_contract(SequenceBug::kFloorsFractions).message,
              HasSubstr("below the fraction asked"));
}

TEST(BrokenSequenceSourcesTest, ALastBundleToTheEstimateIsRejectedOnASubRange) {
  const auto failed = failed_checks(SequenceBug::kLastBundleToTheEstimate);
  EXPECT_THAT(failed, Contains("sources_equal_reference_source"));
  EXPECT_THAT(failed, Contains("source_hygiene"));
}

}  // namespace
}  // namespace splitcheck::examples::broken
