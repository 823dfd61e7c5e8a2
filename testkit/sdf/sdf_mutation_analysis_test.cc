// The SDF mutation analyses: the built-in trackers and a correct DoFn reject
// every mutant that applies; a gate made too weak lets mutants survive, and
// the report says so and what to change; a broken connector cannot be
// analysed.

#include "splitcheck/testkit/sdf/sdf_mutation_analysis.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/in_memory_source.h"
#include "splitcheck/lib/sdf/bounded_source_dofn.h"
#include "splitcheck/lib/sdf/forwarding_dofn.h"
#include "splitcheck/lib/sdf/offset_restriction_tracker.h"
#include "splitcheck/lib/sdf/splittable_dofn.h"
#include "splitcheck/lib/sdf/watermark_estimator.h"
#include "splitcheck/testkit/gtest.h"
#include "splitcheck/testkit/sdf/built_in_tracker_factories.h"
#include "splitcheck/testkit/sdf_gtest.h"
#include "splitcheck/testkit/zoo/broken_restriction_trackers.h"
#include "splitcheck/testkit/zoo/broken_sdfs.h"

namespace splitcheck::testkit {
namespace {

using examples::broken::BrokenCountingDoFn;
using examples::broken::SdfBug;
using ::testing::HasSubstr;

const MutantOutcome* find(const MutationReport& report, const std::string& mutation) {
  for (const MutantOutcome& m : report.mutants) {
    if (m.mutation == mutation) return &m;
  }
  return nullptr;
}

TEST(RestrictionTrackerMutationTest, TheBuiltInTrackersRejectEveryMutant) {
  const RestrictionContractOptions o{.seed = 20261207};
  for (const MutationReport& report :
       {analyze_restriction_tracker_gate(offset_tracker_factory(), offset_restrictions(), o),
        analyze_restriction_tracker_gate(growable_offset_tracker_factory(),
                                         growable_offset_restrictions(), o)}) {
    SPLITCHECK_EXPECT_PASSED(to_check_result(report));
    EXPECT_EQ(report.applied(), restriction_tracker_mutant_count()) << report;
  }
  const MutationReport key_report =
      analyze_restriction_tracker_gate(byte_key_tracker_factory(), byte_key_restrictions(), o);
  SPLITCHECK_EXPECT_PASSED(to_check_result(key_report));
  EXPECT_EQ(key_report.applied(), restriction_tracker_mutant_count()) << key_report;
}

// The torn progress read is seen only by the linearizability check: without
// concurrent runs it survives, and the report says what to change.
TEST(RestrictionTrackerMutationTest, AGateWithoutConcurrencyLetsTornProgressThrough) {
  const MutationReport report = analyze_restriction_tracker_gate(
      offset_tracker_factory(), offset_restrictions(), {.concurrent_runs = 0, .seed = 20261207});
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
      offset_tracker_factory(), offset_restrictions(),
      {.sequential_runs = 1, .max_ops = 1, .concurrent_runs = 0, .seed = 3});
  EXPECT_GE(report.survived(), 4) << report;
  EXPECT_FALSE(to_check_result(report).ok());
}

TEST(RestrictionTrackerMutationTest, WithoutTheArithmeticTwoMutantsCannotApply) {
  const MutationReport report =
      analyze_restriction_tracker_gate(offset_tracker_factory(), offset_restrictions(),
                                       {.seed = 20261207, .check_arithmetic = false});
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

using CountingForwarder = ForwardingDoFn<std::int64_t, std::int64_t, OffsetRange, std::int64_t>;

// A correct DoFn that insists on the tracker it made (as BoundedSourceDoFn
// does): a tracker mutant's wrapper alone makes it throw.
class CastingDoFn final : public CountingForwarder {
 public:
  CastingDoFn() : CountingForwarder(std::make_shared<BrokenCountingDoFn>(SdfBug::kNone, 3, 3)) {}
  ProcessContinuation process(const std::int64_t& n,
                              RestrictionTracker<OffsetRange, std::int64_t>& tracker,
                              WatermarkEstimator& watermark,
                              SdfOutput<std::int64_t>& out) const override {
    if (dynamic_cast<OffsetRestrictionTracker*>(&tracker) == nullptr) {
      throw UsageError("CastingDoFn: the tracker is not the one new_tracker made");
    }
    return CountingForwarder::process(n, tracker, watermark, out);
  }
};

// The wrapper is not the bug: a rejection it causes must not count as the
// gate's. The three tracker mutants cannot be put into this DoFn from
// outside; the others still apply and are rejected.
TEST(SdfMutationTest, ADoFnThatCastsItsTrackerGetsNoTrackerMutants) {
  const CastingDoFn dofn;
  const MutationReport report = analyze_sdf_gate(dofn, std::vector<std::int64_t>{0, 1, 9}, fast());
  SPLITCHECK_EXPECT_PASSED(to_check_result(report));
  for (const char* name :
       {"a split's residual starts at the last claim", "the first refused claim is accepted",
        "a checkpoint splits at half the remainder"}) {
    const MutantOutcome* m = find(report, name);
    ASSERT_NE(m, nullptr) << name;
    EXPECT_EQ(m->verdict, MutantOutcome::Verdict::kNotApplicable) << report;
    EXPECT_THAT(m->detail, HasSubstr("cast its tracker"));
    EXPECT_THAT(m->detail, HasSubstr("not the one new_tracker made"));
  }
  EXPECT_EQ(report.applied(), sdf_mutant_count() - 3) << report;
}

// Sized in bytes (1,000 per offset) but split by offsets: the runner
// schedules pass a desired size that splits it (max(1, outputs / 3)), a
// third of its size would not. The lost initial split applies, through
// the path the gtest macro takes (no facts given) as through the analysis.
class BytesSizedDoFn final : public CountingForwarder {
 public:
  BytesSizedDoFn() : CountingForwarder(std::make_shared<BrokenCountingDoFn>(SdfBug::kNone)) {}
  double restriction_size(const std::int64_t&, const OffsetRange& r) const override {
    return 1000.0 * static_cast<double>(r.size());
  }
  std::vector<OffsetRange> split_restriction(const std::int64_t&, const OffsetRange& r,
                                             double desired) const override {
    const auto step = std::max<std::int64_t>(1, static_cast<std::int64_t>(desired));
    std::vector<OffsetRange> parts;
    for (std::int64_t from = r.from; from < r.to; from += step) {
      parts.push_back({from, std::min(r.to, from + step)});
    }
    if (parts.empty()) parts.push_back(r);
    return parts;
  }
};

// A BoundedSource through the SDF adapter: its tracker is a
// SourceRestrictionTracker, which BoundedSourceDoFn casts to, so the three
// tracker mutants cannot be put in from outside; the residual and initial
// split mutants apply and are rejected; it never checkpoints and sets no
// watermark, so those three cannot apply.
TEST(SdfMutationTest, ABoundedSourceThroughTheAdapter) {
  std::vector<std::int64_t> records;
  for (std::int64_t i = 0; i < 30; ++i) records.push_back(i * 7);
  const std::vector<std::shared_ptr<const BoundedSource<std::int64_t>>> elements = {
      std::make_shared<splitcheck::internal::InMemorySource<std::int64_t>>(records)};
  const BoundedSourceDoFn<std::int64_t, std::int64_t> dofn;
  const MutationReport report = analyze_sdf_gate(dofn, elements, fast());
  SPLITCHECK_EXPECT_PASSED(to_check_result(report));
  for (const char* name :
       {"a residual's first output skipped", "a residual's first output emitted twice",
        "an initial split returned twice", "the last initial split lost"}) {
    const MutantOutcome* m = find(report, name);
    ASSERT_NE(m, nullptr) << name;
    EXPECT_EQ(m->verdict, MutantOutcome::Verdict::kRejected) << report;
  }
  const MutantOutcome* overlap = find(report, "a split's residual starts at the last claim");
  ASSERT_NE(overlap, nullptr);
  EXPECT_THAT(overlap->detail, HasSubstr("not the one new_tracker made"));
  EXPECT_EQ(report.applied(), 4) << report;
}

int mutant_index(internal::SdfMutation m) {
  for (int i = 0; i < sdf_mutant_count(); ++i) {
    if (internal::kSdfMutants[static_cast<std::size_t>(i)] == m) return i;
  }
  return -1;
}

TEST(SdfMutationTest, TheLostInitialSplitIsJudgedByTheRunnersOwnSplits) {
  const BytesSizedDoFn dofn;
  const std::vector<std::int64_t> elements = {9};
  const MutantOutcome lost = run_sdf_mutant(
      dofn, elements, fast(), mutant_index(internal::SdfMutation::kInitialSplitDropped));
  EXPECT_EQ(lost.verdict, MutantOutcome::Verdict::kRejected) << lost.detail;
  const MutationReport report = analyze_sdf_gate(dofn, elements, fast());
  const MutantOutcome* m = find(report, "the last initial split lost");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->verdict, MutantOutcome::Verdict::kRejected) << report;
}

// The first refused claim is accepted only inside the tracker's first
// restriction: after a split, the block past the primary's end (the
// residual's); never a position outside the element, which user code could
// not handle.
TEST(SdfMutationTest, AnAcceptedRefusalStaysInsideTheFirstRestriction) {
  using Mutant = internal::MutantRestrictionTracker<OffsetRange, std::int64_t>;
  Mutant whole(std::make_unique<OffsetRestrictionTracker>(OffsetRange{0, 3}),
               internal::RestrictionMutation::kClaimPastEndAccepted);
  for (std::int64_t i = 0; i < 3; ++i) EXPECT_TRUE(whole.try_claim(i));
  EXPECT_FALSE(whole.try_claim(3));  // past the element: refused, as by the tracker
  Mutant split(std::make_unique<OffsetRestrictionTracker>(OffsetRange{0, 10}),
               internal::RestrictionMutation::kClaimPastEndAccepted);
  EXPECT_TRUE(split.try_claim(0));
  ASSERT_TRUE(split.try_split(0.5).has_value());
  const std::int64_t end = split.current_restriction().to;
  for (std::int64_t i = 1; i < end; ++i) EXPECT_TRUE(split.try_claim(i));
  EXPECT_TRUE(split.try_claim(end));       // the residual's first block: the bug
  EXPECT_FALSE(split.try_claim(end + 1));  // and only that one
}

// Elements of one output give no split after an output: the bugs on
// residuals' first outputs, and the residual that starts at the last claim,
// survive.
TEST(SdfMutationTest, ElementsTooSmallLetBugsThrough) {
  const BrokenCountingDoFn dofn(SdfBug::kNone);
  const MutationReport report = analyze_sdf_gate(dofn, std::vector<std::int64_t>{1}, fast());
  for (const char* name :
       {"a split's residual starts at the last claim", "a residual's first output skipped",
        "a residual's first output emitted twice"}) {
    const MutantOutcome* m = find(report, name);
    ASSERT_NE(m, nullptr) << name;
    EXPECT_EQ(m->verdict, MutantOutcome::Verdict::kSurvived) << report;
    EXPECT_THAT(m->advice, HasSubstr("at least 2 outputs"));
  }
  EXPECT_EQ(report.survived(), 3) << report;
  EXPECT_FALSE(to_check_result(report).ok());
}

TEST(SdfMutationTest, ABrokenDoFnCannotBeAnalysed) {
  const BrokenCountingDoFn dofn(SdfBug::kSkipsTheFirstOffset);
  const MutationReport report = analyze_sdf_gate(dofn, std::vector<std::int64_t>{5}, fast());
  ASSERT_TRUE(report.broken.has_value()) << report;
  EXPECT_THAT(*report.broken, HasSubstr("rejects the DoFn itself"));
}

// A mutant of a DoFn the gate rejects is not judged: a rejection would be
// the DoFn's own bug's, not the mutant's.
TEST(SdfMutationTest, NoMutantIsJudgedOnABrokenDoFn) {
  const BrokenCountingDoFn dofn(SdfBug::kSkipsTheFirstOffset, 0, 3);
  for (int i = 0; i < sdf_mutant_count(); ++i) {
    const MutantOutcome m = run_sdf_mutant(dofn, std::vector<std::int64_t>{5}, fast(), i);
    EXPECT_EQ(m.verdict, MutantOutcome::Verdict::kNotJudged) << m.mutation;
    EXPECT_THAT(m.detail, HasSubstr("not judged: the gate rejects the DoFn itself"));
    EXPECT_FALSE(MutantRejected(m));
  }
}

// A report holding a mutant that was not judged is broken, not a pass and
// not a weak gate.
TEST(SdfMutationTest, ANotJudgedMutantMakesTheReportBroken) {
  MutationReport report;
  MutantOutcome rejected;
  rejected.mutation = "m1";
  rejected.verdict = MutantOutcome::Verdict::kRejected;
  MutantOutcome not_judged;
  not_judged.mutation = "m2";
  not_judged.verdict = MutantOutcome::Verdict::kNotJudged;
  not_judged.detail = "not judged: the gate rejects the DoFn itself";
  report.mutants = {rejected, not_judged};
  EXPECT_EQ(report.applied(), 1);
  EXPECT_EQ(report.not_judged(), 1);
  const CheckResult r = to_check_result(report);
  EXPECT_EQ(r.outcome, CheckResult::Outcome::kBroken) << r.to_string();
  EXPECT_THAT(r.message, HasSubstr("1 mutants not judged"));
  EXPECT_THAT(report.to_string(), HasSubstr("NOT JUDGED      m2"));
}

// Correct through any tracker, but with a bug on the path it takes with
// its own (a DoFn that casts to its tracker type, with a fallback): the
// control runs with wrapped trackers, so every mutant must too, or the bug
// on the other path would "reject" mutants whose own bug the gate misses.
class TwoPathDoFn final : public CountingForwarder {
 public:
  TwoPathDoFn() : CountingForwarder(std::make_shared<BrokenCountingDoFn>(SdfBug::kNone, 0, 3)) {}
  ProcessContinuation process(const std::int64_t& n,
                              RestrictionTracker<OffsetRange, std::int64_t>& tracker,
                              WatermarkEstimator& watermark,
                              SdfOutput<std::int64_t>& out) const override {
    if (dynamic_cast<OffsetRestrictionTracker*>(&tracker) != nullptr) {
      return buggy_.process(n, tracker, watermark, out);
    }
    return CountingForwarder::process(n, tracker, watermark, out);
  }

 private:
  const BrokenCountingDoFn buggy_{SdfBug::kSkipsTheFirstOffset, 0, 3};
};

TEST(SdfMutationTest, MutantsRunWithTheControlsTrackers) {
  SdfCheckOptions o = fast();
  o.runner_seeds = 0;  // the initial-split bugs then survive: the gate cannot see them
  const MutationReport report =
      analyze_sdf_gate(TwoPathDoFn(), std::vector<std::int64_t>{0, 1, 9}, o);
  ASSERT_FALSE(report.broken.has_value()) << report;
  for (const char* name : {"an initial split returned twice", "the last initial split lost"}) {
    const MutantOutcome* m = find(report, name);
    ASSERT_NE(m, nullptr) << name;
    EXPECT_EQ(m->verdict, MutantOutcome::Verdict::kSurvived) << report;
  }
}

// Fails its first process call ever, then never again: the wrapped control
// fails once and passes once, so the gate's verdict is not reproducible and
// the analysis says so instead of turning the tracker mutants off.
class FailsOnceDoFn final : public CountingForwarder {
 public:
  FailsOnceDoFn() : CountingForwarder(std::make_shared<BrokenCountingDoFn>(SdfBug::kNone, 3, 3)) {}
  ProcessContinuation process(const std::int64_t& n,
                              RestrictionTracker<OffsetRange, std::int64_t>& tracker,
                              WatermarkEstimator& watermark,
                              SdfOutput<std::int64_t>& out) const override {
    if (!failed_.exchange(true)) throw UsageError("FailsOnceDoFn: the first call fails");
    return CountingForwarder::process(n, tracker, watermark, out);
  }

 private:
  mutable std::atomic<bool> failed_{false};
};

TEST(SdfMutationTest, AVerdictThatChangesFromRunToRunIsNoControl) {
  const MutationReport report =
      analyze_sdf_gate(FailsOnceDoFn(), std::vector<std::int64_t>{0, 1, 9}, fast());
  ASSERT_TRUE(report.broken.has_value()) << report;
  EXPECT_THAT(*report.broken, HasSubstr("changes from run to run"));
}

BrokenCountingDoFn checkpointing_dofn() { return BrokenCountingDoFn(SdfBug::kNone, 2, 2); }
std::vector<std::int64_t> elements() { return {0, 6}; }
// The gate's macros with options of their own.
SPLITCHECK_SDF_CONFORMANCE_TEST(CheckpointingDoFnGate, checkpointing_dofn, elements, fast);
SPLITCHECK_SDF_MUTATION_TEST(CheckpointingDoFn, checkpointing_dofn, elements, fast);

TEST(SdfGateOptionsTest, TheSeedIsFixedUnlessGiven) {
  if (std::getenv("SPLITCHECK_SEED") != nullptr) GTEST_SKIP() << "SPLITCHECK_SEED is set";
  EXPECT_EQ(internal::sdf_gate_options().seed, 1u);
  EXPECT_EQ(internal::sdf_gate_options(fast).seed, 20261207u);
  EXPECT_EQ(internal::sdf_gate_options(fast).schedule_runs, 40);
}
SPLITCHECK_RESTRICTION_TRACKER_MUTATION_TEST(KeyTracker, byte_key_tracker_factory,
                                             byte_key_restrictions);

}  // namespace
}  // namespace splitcheck::testkit
