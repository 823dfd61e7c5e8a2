// Each source check passes correct sources and rejects the flawed one it is
// meant to catch, with a message that names the case.

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/sources/concat_source.h"
#include "splitcheck/testkit/source/exhaustive_split.h"
#include "splitcheck/testkit/source/reentrant_reads.h"
#include "splitcheck/testkit/source/reference_equality.h"
#include "splitcheck/testkit/source/split_at_fraction.h"
#include "splitcheck/testkit/zoo/flawed_sources.h"

namespace splitcheck::testkit {
namespace {

using internal::Flaw;
using internal::FlawedSource;
using ::testing::HasSubstr;
using ::testing::Not;
using Outcome = CheckResult::Outcome;

std::shared_ptr<FlawedSource> source(std::int64_t n, Flaw flaw = Flaw::kNone) {
  return std::make_shared<FlawedSource>(n, flaw);
}

TEST(ReferenceEqualityTest, BundlesOfACorrectSourceMatch) {
  auto s = source(100);
  const CheckResult result = check_sources_equal_reference_source(*s, s->split(7, {}, {}));
  EXPECT_TRUE(result) << result;
  EXPECT_EQ(result.cases, 15);
}

TEST(ReferenceEqualityTest, RejectsBundlesWithAGap) {
  auto s = source(100, Flaw::kSplitLeavesAGap);
  const CheckResult result = check_sources_equal_reference_source(*s, s->split(7, {}, {}));
  EXPECT_EQ(result.outcome, Outcome::kFailed);
  EXPECT_THAT(result.message, HasSubstr("record 7 is missing"));
}

TEST(ReferenceEqualityTest, RejectsBundlesThatReadFromZero) {
  auto s = source(100, Flaw::kReadsFromZero);
  const CheckResult result = check_sources_equal_reference_source(*s, s->split(50, {}, {}));
  EXPECT_EQ(result.outcome, Outcome::kFailed);
  EXPECT_THAT(result.message, HasSubstr("reading bundle 1 threw"));
  EXPECT_THAT(result.message, HasSubstr("cannot claim 0"));
}

TEST(ReferenceEqualityTest, NoBundlesLoseTheRecords) {
  const CheckResult result = check_sources_equal_reference_source(*source(3), {});
  EXPECT_EQ(result.outcome, Outcome::kFailed);
  EXPECT_THAT(result.message, HasSubstr("0 bundles do not read the same records"));
  EXPECT_EQ(result.cases, 1) << "a failure is never of 0 cases";
  EXPECT_TRUE(check_sources_equal_reference_source(*source(0), {})) << "nothing to lose";
}

TEST(SplitAtFractionTest, AReplayNamesTheOutcomeTheCaseExpected) {
  const CheckResult result =
      check_split_at_fraction(*source(10), 2, 0.5, ExpectedSplitOutcome::kMustFail);
  ASSERT_EQ(result.outcome, Outcome::kFailed) << result;
  EXPECT_EQ(result.replay,
            "check_split_at_fraction(source, 2, 0.5, ExpectedSplitOutcome::kMustFail)");
  const CheckResult must_succeed = check_split_at_fraction(
      *source(10), 8, 0.5, ExpectedSplitOutcome::kMustSucceedAndBeConsistent);
  ASSERT_EQ(must_succeed.outcome, Outcome::kFailed) << must_succeed;
  EXPECT_THAT(must_succeed.replay, HasSubstr("ExpectedSplitOutcome::kMustSucceedAndBeConsistent"));
  // On a sub-range, the replay's bounds are plain positions, and such a call compiles.
  const CheckResult inner =
      check_split_at_fraction(*source(10), 2, 0.5, ExpectedSplitOutcome::kMustFail, 2, 9);
  ASSERT_EQ(inner.outcome, Outcome::kFailed) << inner;
  EXPECT_EQ(inner.replay,
            "check_split_at_fraction(source, 2, 0.5, ExpectedSplitOutcome::kMustFail, 2, 9)");
}

TEST(ReentrantReadsTest, PassesACorrectSource) {
  const CheckResult result = check_reentrant_reads(*source(30));
  EXPECT_TRUE(result) << result;
  EXPECT_EQ(result.cases, 31);
}

TEST(ReentrantReadsTest, RejectsASharedCursor) {
  const CheckResult result = check_reentrant_reads(*source(30, Flaw::kSharedCursor));
  EXPECT_EQ(result.outcome, Outcome::kFailed);
  EXPECT_THAT(result.message, HasSubstr("first reader paused after 1 records"));
}

TEST(SplitAtFractionTest, ExpectedOutcomes) {
  auto s = source(10);
  EXPECT_TRUE(
      check_split_at_fraction(*s, 3, 0.5, ExpectedSplitOutcome::kMustSucceedAndBeConsistent));
  EXPECT_TRUE(check_split_at_fraction(*s, 6, 0.5, ExpectedSplitOutcome::kMustFail));
  EXPECT_TRUE(check_split_at_fraction(*s, 0, 0.5, ExpectedSplitOutcome::kMustFail))
      << "offset trackers refuse splits before the first claim";
  const CheckResult wrong =
      check_split_at_fraction(*s, 6, 0.5, ExpectedSplitOutcome::kMustSucceedAndBeConsistent);
  EXPECT_EQ(wrong.outcome, Outcome::kFailed);
  EXPECT_THAT(wrong.message, HasSubstr("split at fraction 0.5 after 6 records: the split at 5 was "
                                       "refused, but must succeed"));
  const CheckResult must_fail =
      check_split_at_fraction(*s, 3, 0.5, ExpectedSplitOutcome::kMustFail);
  EXPECT_EQ(must_fail.outcome, Outcome::kFailed);
  EXPECT_THAT(must_fail.message, HasSubstr("was accepted, but must fail"));
}

TEST(SplitAtFractionTest, RejectsAReaderThatEmitsTheRefusedRecord) {
  const CheckResult result =
      check_split_at_fraction(*source(10, Flaw::kEmitsTheRefusedRecord), 3, 0.5,
                              ExpectedSplitOutcome::kMustBeConsistentIfSucceeds);
  EXPECT_EQ(result.outcome, Outcome::kFailed);
  EXPECT_THAT(result.message, HasSubstr("split at fraction 0.5 after 3 records"));
  EXPECT_THAT(result.replay, HasSubstr("check_split_at_fraction(source, 3, 0.5"));
}

// The reader has read records 0 and 1; the split at 1 is accepted and the
// reader stops: it emitted record 1, which the residual [1, 100) reads too.
TEST(SplitAtFractionTest, RejectsASplitAcceptedAtTheLastClaim) {
  const CheckResult result =
      check_split_at_fraction(*source(100, Flaw::kSplitAtLastClaim), 2, 0.01,
                              ExpectedSplitOutcome::kMustBeConsistentIfSucceeds);
  EXPECT_EQ(result.outcome, Outcome::kFailed) << result;
  EXPECT_THAT(result.message, HasSubstr("split at fraction 0.01 after 2 records"));
  EXPECT_THAT(result.message, HasSubstr("the primary holds 1"));
}

TEST(SplitAtFractionBinaryTest, RejectsASplitAcceptedAtTheLastClaim) {
  const CheckResult result =
      check_split_at_fraction_binary(*source(100, Flaw::kSplitAtLastClaim), 2, 0.0, 1.0);
  EXPECT_EQ(result.outcome, Outcome::kFailed) << result;
  EXPECT_THAT(result.message, HasSubstr("the primary holds 1"));
}

TEST(SplitAtFractionBinaryTest, TriesEveryDistinctPositionBetweenTheFractions) {
  const CheckResult result = check_split_at_fraction_binary(*source(40), 5, 0.0, 1.0);
  EXPECT_TRUE(result) << result;
  EXPECT_EQ(result.cases, 41);  // positions 0 .. 40
}

TEST(SplitAtFractionBinaryTest, FindsTheOnePositionThatBreaks) {
  const CheckResult result =
      check_split_at_fraction_binary(*source(40, Flaw::kDropsFirstRecordOfResidual), 5, 0.0, 1.0);
  EXPECT_EQ(result.outcome, Outcome::kFailed);
  EXPECT_THAT(result.message, HasSubstr("do not add up to the whole range"));
}

TEST(ExhaustiveSplitTest, CorrectSourcePassesEveryCase) {
  const CheckResult result = check_split_at_fraction_exhaustive(*source(60));
  EXPECT_TRUE(result) << result;
  EXPECT_GE(result.cases, 61 * 61);
  ASSERT_EQ(result.notes.size(), 2u) << result;
  EXPECT_THAT(result.notes[0], HasSubstr("61 records-read counts (61 in this shard) x 61 distinct "
                                         "split positions: 1770 splits accepted, 1951 refused"));
  EXPECT_THAT(result.notes[1], HasSubstr("concurrent trials"));
}

// The time budget ends the trials, says so, and still leaves a passing
// check; a budget that is not a number of seconds >= 0 is refused.
TEST(ExhaustiveSplitTest, TheTimeBudgetEndsTheConcurrentTrials) {
  ExhaustiveSplitOptions options;
  options.max_trials_seconds = 1e-9;
  const CheckResult result = check_split_at_fraction_exhaustive(*source(60), options);
  EXPECT_TRUE(result) << result;
  ASSERT_EQ(result.notes.size(), 2u) << result;
  EXPECT_THAT(result.notes[1],
              HasSubstr("0 concurrent trials: 0 splits won the race, 0 lost it; the time budget "
                        "(max_trials_seconds = 1e-09) ended them at records-read count 1"));
  options.max_trials_seconds = 0;  // none: the count budget alone
  const CheckResult unbounded = check_split_at_fraction_exhaustive(*source(60), options);
  ASSERT_EQ(unbounded.notes.size(), 2u) << unbounded;
  EXPECT_THAT(unbounded.notes[1], Not(HasSubstr("time budget")));
  for (const double bad : {-1.0, std::nan("")}) {
    options.max_trials_seconds = bad;
    const CheckResult refused = check_split_at_fraction_exhaustive(*source(60), options);
    EXPECT_EQ(refused.outcome, Outcome::kBroken) << refused;
    EXPECT_THAT(refused.message, HasSubstr("max_trials_seconds is"));
    EXPECT_THAT(refused.message, HasSubstr("it must be >= 0"));
  }
}

TEST(ExhaustiveSplitTest, ConcatSourcePassesEveryCase) {
  using Sub = std::shared_ptr<const BoundedSource<std::int64_t>>;
  auto concat = std::make_shared<ConcatSource<std::int64_t>>(
      std::vector<Sub>{source(7), source(0), source(12), source(1)});
  const CheckResult result = check_split_at_fraction_exhaustive(*concat);
  EXPECT_TRUE(result) << result;
}

struct FlawCase {
  Flaw flaw;
  const char* expected;
};

class ExhaustiveRejectsTest : public ::testing::TestWithParam<FlawCase> {};

TEST_P(ExhaustiveRejectsTest, TheFlaw) {
  const CheckResult result = check_split_at_fraction_exhaustive(*source(30, GetParam().flaw),
                                                                {.concurrent_trials = false});
  EXPECT_EQ(result.outcome, Outcome::kFailed) << result;
  EXPECT_THAT(result.message, HasSubstr(GetParam().expected));
  EXPECT_THAT(result.message, HasSubstr("after"));
  EXPECT_FALSE(result.replay.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Flaws, ExhaustiveRejectsTest,
    ::testing::Values(FlawCase{Flaw::kReadsFromZero, "cannot claim 0"},
                      FlawCase{Flaw::kEmitsTheRefusedRecord, "do not add up to the whole range"},
                      FlawCase{Flaw::kDropsFirstRecordOfResidual,
                               "do not add up to the whole range"},
                      FlawCase{Flaw::kIgnoresRefusedClaims, "where it should have stopped"},
                      FlawCase{Flaw::kTrackerClaimsPastStop, "reported fraction 0.5"},
                      FlawCase{Flaw::kSplitAtLastClaim, "the primary holds"},
                      FlawCase{Flaw::kFlooredFractions, "position_at_fraction that rounds down"},
                      FlawCase{Flaw::kFractionOfRemainder, "share of the position is more"},
                      FlawCase{Flaw::kProgressAhead, "cannot keep less than was read"}));

// The fraction checks need no knowledge of the mapping: a single case sees a
// floored mapping, and a split fraction of what was left to read.
TEST(SplitAtFractionTest, RejectsAMappingThatRoundsDown) {
  const CheckResult result =
      check_split_at_fraction(*source(10, Flaw::kFlooredFractions), 3, 0.55,
                              ExpectedSplitOutcome::kMustBeConsistentIfSucceeds);
  EXPECT_EQ(result.outcome, Outcome::kFailed) << result;
  EXPECT_THAT(result.message, HasSubstr("the split at 5 reported fraction 0.5, but "
                                        "position_at_fraction(0.500000001) is still 5"));
}

TEST(SplitAtFractionBinaryTest, RejectsAFractionOfTheRemainder) {
  const CheckResult result =
      check_split_at_fraction_binary(*source(40, Flaw::kFractionOfRemainder), 10, 0.0, 1.0);
  EXPECT_EQ(result.outcome, Outcome::kFailed) << result;
  EXPECT_THAT(result.message, HasSubstr("the split at 20 reported fraction 0.3548387096774194, "
                                        "but position_at_fraction(0.3548387106774194) is 15"));
}

TEST(ExhaustiveSplitTest, GivesUpOnATinySource) {
  EXPECT_EQ(check_split_at_fraction_exhaustive(*source(1)).outcome, Outcome::kGaveUp);
}

TEST(ExhaustiveSplitTest, UnsplittableDeclarationIsChecked) {
  const CheckResult result = check_split_at_fraction_exhaustive(
      *source(10), {.expect_splittable = false, .concurrent_trials = false});
  EXPECT_EQ(result.outcome, Outcome::kFailed);
  EXPECT_THAT(result.message, HasSubstr("declared unsplittable accepted"));
}

TEST(ExhaustiveSplitTest, ShardsCoverTheWholeOnce) {
  std::int64_t cases = 0;
  for (int shard = 0; shard < 3; ++shard) {
    const CheckResult result = check_split_at_fraction_exhaustive(
        *source(20), {.concurrent_trials = false, .shard_index = shard, .shard_count = 3});
    EXPECT_TRUE(result) << result;
    cases += result.cases;
  }
  EXPECT_EQ(cases, 21 * 21);
}

}  // namespace
}  // namespace splitcheck::testkit
