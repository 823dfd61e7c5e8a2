// The SDF mutation analyses: the built-in trackers and a correct DoFn reject
// every mutant that applies; a gate made too weak lets mutants survive, and
// the report says so and what to change; a broken connector cannot be
// analysed.

#include "splitcheck/testkit/sdf/sdf_mutation_analysis.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "splitcheck/lib/sdf/byte_key_restriction_tracker.h"
#include "splitcheck/lib/sdf/growable_offset_restriction_tracker.h"
#include "splitcheck/lib/sdf/offset_restriction_tracker.h"
#include "splitcheck/testkit/gtest.h"
#include "splitcheck/testkit/sdf_gtest.h"
#include "splitcheck/testkit/zoo/broken_restriction_trackers.h"
#include "splitcheck/testkit/zoo/broken_sdfs.h"

namespace splitcheck::testkit {
namespace {

using examples::broken::BrokenCountingDoFn;
using examples::broken::SdfBug;
using ::testing::HasSubstr;

RestrictionTrackerFactory<OffsetRange, std::int64_t> offsets() {
  return [](const OffsetRange& r, EndEstimate) {
    return std::make_unique<OffsetRestrictionTracker>(r);
  };
}

RestrictionTrackerFactory<OffsetRange, std::int64_t> growable() {
  return [](const OffsetRange& r, EndEstimate e) {
    return std::make_unique<GrowableOffsetRestrictionTracker>(r, std::move(e));
  };
}

RestrictionTrackerFactory<ByteKeyRange, std::string> keys() {
  return [](const ByteKeyRange& r, EndEstimate) {
    return std::make_unique<ByteKeyRestrictionTracker>(r);
  };
}

const MutantOutcome* find(const MutationReport& report, const std::string& mutation) {
  for (const MutantOutcome& m : report.mutants) {
    if (m.mutation == mutation) return &m;
  }
  return nullptr;
}

TEST(RestrictionTrackerMutationTest, TheBuiltInTrackersRejectEveryMutant) {
  const RestrictionContractOptions o{.seed = 20261207};
  for (const MutationReport& report :
       {analyze_restriction_tracker_gate(offsets(), offset_restrictions(), o),
        analyze_restriction_tracker_gate(growable(), growable_offset_restrictions(), o)}) {
    SPLITCHECK_EXPECT_PASSED(to_check_result(report));
    EXPECT_EQ(report.applied(), restriction_tracker_mutant_count()) << report;
  }
  const MutationReport key_report =
      analyze_restriction_tracker_gate(keys(), byte_key_restrictions(), o);
  SPLITCHECK_EXPECT_PASSED(to_check_result(key_report));
  EXPECT_EQ(key_report.applied(), restriction_tracker_mutant_count()) << key_report;
}

// The torn progress read is seen only by the linearizability check: without
// concurrent runs it survives, and the report says what to change.
TEST(RestrictionTrackerMutationTest, AGateWithoutConcurrencyLetsTornProgressThrough) {
  const MutationReport report = analyze_restriction_tracker_gate(
      offsets(), offset_restrictions(), {.concurrent_runs = 0, .seed = 20261207});
  const MutantOutcome* torn = find(report, "progress read in two steps");
  ASSERT_NE(torn, nullptr);
  EXPECT_EQ(torn->verdict, MutantOutcome::Verdict::kSurvived) << report;
  EXPECT_THAT(torn->advice, HasSubstr("concurrent_runs"));
  EXPECT_EQ(report.survived(), 1) << report;
  const CheckResult r = to_check_result(report);
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.message, HasSubstr("1 of 8 mutants survived"));
  EXPECT_THAT(report.to_string(), HasSubstr("SURVIVED        progress read in two steps"));
}

TEST(RestrictionTrackerMutationTest, ATinyGateLetsMutantsThrough) {
  const MutationReport report = analyze_restriction_tracker_gate(
      offsets(), offset_restrictions(),
      {.sequential_runs = 1, .max_ops = 1, .concurrent_runs = 0, .seed = 3});
  EXPECT_GE(report.survived(), 4) << report;
  EXPECT_FALSE(to_check_result(report).ok());
}

TEST(RestrictionTrackerMutationTest, WithoutTheArithmeticTwoMutantsCannotApply) {
  const MutationReport report = analyze_restriction_tracker_gate(
      offsets(), offset_restrictions(), {.seed = 20261207, .check_arithmetic = false});
  SPLITCHECK_EXPECT_PASSED(to_check_result(report));
  EXPECT_EQ(report.applied(), restriction_tracker_mutant_count() - 2) << report;
  const MutantOutcome* whole = find(report, "the split fraction read as a share of the whole");
  ASSERT_NE(whole, nullptr);
  EXPECT_EQ(whole->verdict, MutantOutcome::Verdict::kNotApplicable);
  EXPECT_THAT(whole->detail, HasSubstr("check_arithmetic off"));
}

TEST(RestrictionTrackerMutationTest, ABrokenTrackerCannotBeAnalysed) {
  const RestrictionTrackerFactory<OffsetRange, std::int64_t> broken = [](const OffsetRange& r,
                                                                         EndEstimate) {
    return std::make_unique<examples::broken::BuggyOffsetRestrictionTracker>(
        r, nullptr, examples::broken::RestrictionBug::kCheckDonePassesWithWorkLeft);
  };
  const MutationReport report = analyze_restriction_tracker_gate(broken, offset_restrictions());
  ASSERT_TRUE(report.broken.has_value()) << report;
  EXPECT_THAT(*report.broken, HasSubstr("rejects the tracker itself"));
  EXPECT_FALSE(to_check_result(report).ok());
}

SdfCheckOptions fast() {
  SdfCheckOptions o;
  o.schedule_runs = 40;
  o.runner_seeds = 4;
  o.seed = 20261207;
  return o;
}

// Checkpointing itself, in three initial pieces: every mutant applies.
TEST(SdfMutationTest, ACorrectDoFnRejectsEveryMutant) {
  const BrokenCountingDoFn dofn(SdfBug::kNone, /*per_call=*/3, /*pieces=*/3);
  const MutationReport report = analyze_sdf_gate(dofn, std::vector<std::int64_t>{0, 1, 9}, fast());
  SPLITCHECK_EXPECT_PASSED(to_check_result(report));
  EXPECT_EQ(report.applied(), sdf_mutant_count()) << report;
}

// A DoFn that never checkpoints itself and makes no initial splits: the
// bugs that need either cannot apply, and the report says why (its
// watermark still travels with the residuals of the exhaustive check).
TEST(SdfMutationTest, MutantsThatCannotShowAreNotApplicable) {
  const BrokenCountingDoFn dofn(SdfBug::kNone);
  const MutationReport report = analyze_sdf_gate(dofn, std::vector<std::int64_t>{7}, fast());
  SPLITCHECK_EXPECT_PASSED(to_check_result(report));
  EXPECT_EQ(report.applied(), sdf_mutant_count() - 3) << report;
  const MutantOutcome* stop = find(report, "stop returned instead of resume");
  ASSERT_NE(stop, nullptr);
  EXPECT_EQ(stop->verdict, MutantOutcome::Verdict::kNotApplicable);
  EXPECT_THAT(stop->detail, HasSubstr("never checkpoints itself"));
  const MutantOutcome* lost = find(report, "the last initial split lost");
  ASSERT_NE(lost, nullptr);
  EXPECT_THAT(lost->detail, HasSubstr("never splits a restriction initially"));
}

// Only the runner schedules use the initial splits: without them, both
// initial-split mutants survive.
TEST(SdfMutationTest, AGateWithoutTheRunnerLetsInitialSplitBugsThrough) {
  SdfCheckOptions o = fast();
  o.runner_seeds = 0;
  const BrokenCountingDoFn dofn(SdfBug::kNone, 3, 3);
  const MutationReport report = analyze_sdf_gate(dofn, std::vector<std::int64_t>{9}, o);
  for (const char* name : {"an initial split returned twice", "the last initial split lost"}) {
    const MutantOutcome* m = find(report, name);
    ASSERT_NE(m, nullptr) << name;
    EXPECT_EQ(m->verdict, MutantOutcome::Verdict::kSurvived) << report;
    EXPECT_THAT(m->advice, HasSubstr("runner_seeds"));
  }
  EXPECT_EQ(report.survived(), 2) << report;
  EXPECT_FALSE(to_check_result(report).ok());
}

// Elements of one output give no split after an output: the bugs on
// residuals' later outputs survive.
TEST(SdfMutationTest, ElementsTooSmallLetBugsThrough) {
  const BrokenCountingDoFn dofn(SdfBug::kNone);
  const MutationReport report = analyze_sdf_gate(dofn, std::vector<std::int64_t>{1}, fast());
  EXPECT_GE(report.survived(), 1) << report;
  EXPECT_FALSE(to_check_result(report).ok());
}

TEST(SdfMutationTest, ABrokenDoFnCannotBeAnalysed) {
  const BrokenCountingDoFn dofn(SdfBug::kSkipsTheFirstOffset);
  const MutationReport report = analyze_sdf_gate(dofn, std::vector<std::int64_t>{5}, fast());
  ASSERT_TRUE(report.broken.has_value()) << report;
  EXPECT_THAT(*report.broken, HasSubstr("rejects the DoFn itself"));
}

BrokenCountingDoFn checkpointing_dofn() { return BrokenCountingDoFn(SdfBug::kNone, 2, 2); }
std::vector<std::int64_t> elements() { return {0, 6}; }
SPLITCHECK_SDF_MUTATION_TEST(CheckpointingDoFn, checkpointing_dofn, elements);
SPLITCHECK_RESTRICTION_TRACKER_MUTATION_TEST(KeyTracker, keys, byte_key_restrictions);

}  // namespace
}  // namespace splitcheck::testkit
