// Mutation analysis rejects every mutant of a correct connector whose gate is
// strong enough, names the survivors of a gate too weak for its connector
// with what to change, says which mutants cannot apply, and refuses to
// analyse a connector its gate rejects.

#include "splitcheck/testkit/mutation_analysis.h"

#include <cstdint>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/sources/concat_source.h"
#include "splitcheck/lib/text/text_sink.h"
#include "splitcheck/lib/trackers/lexicographic_key_range_tracker.h"
#include "splitcheck/lib/trackers/offset_range_tracker.h"
#include "splitcheck/testkit/gtest.h"
#include "splitcheck/testkit/internal/concat_offsets.h"
#include "splitcheck/testkit/zoo/flawed_sources.h"

namespace splitcheck::testkit {
namespace {

using internal::Flaw;
using internal::FlawedSource;
using ::testing::HasSubstr;
using Verdict = MutantOutcome::Verdict;

SourceFactory<std::int64_t, std::int64_t> flawed(Flaw flaw, std::int64_t n = 40) {
  return [flaw, n] { return std::make_shared<FlawedSource>(n, flaw); };
}

SourceConformanceOptions options() {
  SourceConformanceOptions o;
  o.schedules.seed = 20261201;
  o.schedules.runs = 30;
  return o;
}

const MutantOutcome* find(const MutationReport& report, const std::string& name) {
  for (const MutantOutcome& m : report.mutants) {
    if (m.mutation.find(name) != std::string::npos) return &m;
  }
  return nullptr;
}

TEST(MutationAnalysisTest, EveryMutantOfACorrectSourceIsRejected) {
  const MutationReport report = analyze_source_gate(flawed(Flaw::kNone), options());
  std::cout << report;
  ASSERT_FALSE(report.broken) << *report.broken;
  EXPECT_EQ(report.mutants.size(), 11u);
  EXPECT_EQ(report.applied(), 10);
  EXPECT_EQ(report.rejected(), 10) << report;
  EXPECT_EQ(report.score(), "10/10 (100%)");
  SPLITCHECK_EXPECT_PASSED(to_check_result(report));
  // The refused claim that does not end the range is the tracker gate's.
  const MutantOutcome* refused = find(report, "does not end the range");
  ASSERT_NE(refused, nullptr);
  EXPECT_EQ(refused->verdict, Verdict::kNotApplicable);
  EXPECT_THAT(refused->detail, HasSubstr("analyze_tracker_gate"));
}

// A ConcatSource reads only through its own tracker: a tracker bug the
// reader must see cannot be put in from outside; the others still are.
TEST(MutationAnalysisTest, ATrackerBugTheReaderMustSeeNeedsAForeignTracker) {
  const SourceFactory<std::int64_t, ConcatPosition<std::int64_t>> concat = [] {
    using Sub = std::shared_ptr<const BoundedSource<std::int64_t>>;
    return std::make_shared<ConcatSource<std::int64_t>>(
        std::vector<Sub>{std::make_shared<FlawedSource>(15, Flaw::kNone),
                         std::make_shared<FlawedSource>(20, Flaw::kNone)});
  };
  const MutationReport report = analyze_source_gate(concat, options());
  std::cout << report;
  ASSERT_FALSE(report.broken) << *report.broken;
  const MutantOutcome* last_claim = find(report, "split accepted at the last claim");
  ASSERT_NE(last_claim, nullptr);
  EXPECT_EQ(last_claim->verdict, Verdict::kNotApplicable);
  EXPECT_THAT(last_claim->detail, HasSubstr("needs its own tracker type"));
  EXPECT_EQ(report.applied(), 9);
  EXPECT_EQ(report.rejected(), 9) << report;
}

// A two-record source is too small for the progress contract to see progress
// that jumps back within eighths of the range: the report says so, and what
// to change.
TEST(MutationAnalysisTest, AGateTooWeakForItsSourceNamesTheSurvivors) {
  const MutationReport report = analyze_source_gate(flawed(Flaw::kNone, 2), options());
  std::cout << report;
  ASSERT_FALSE(report.broken) << *report.broken;
  const MutantOutcome* progress = find(report, "jumps back");
  ASSERT_NE(progress, nullptr);
  EXPECT_EQ(progress->verdict, Verdict::kSurvived);
  EXPECT_THAT(progress->advice, HasSubstr("at least 9 split points"));
  const CheckResult result = to_check_result(report);
  EXPECT_EQ(result.outcome, CheckResult::Outcome::kFailed);
  EXPECT_THAT(result.message, HasSubstr("mutants survived the gate"));
  EXPECT_THAT(report.to_string(), HasSubstr("SURVIVED"));
  // With 40 records the same gate rejects it (above).
}

TEST(MutationAnalysisTest, AConnectorTheGateRejectsCannotBeAnalysed) {
  const MutationReport report = analyze_source_gate(flawed(Flaw::kReadsFromZero), options());
  ASSERT_TRUE(report.broken);
  EXPECT_THAT(*report.broken, HasSubstr("the gate rejects the source itself"));
  EXPECT_EQ(to_check_result(report).outcome, CheckResult::Outcome::kBroken);
}

TEST(MutationAnalysisTest, EveryMutantOfTheOffsetTrackerIsRejected) {
  const TrackerFactory<std::int64_t> offsets = [](const std::int64_t& s, const std::int64_t& e) {
    return std::make_unique<OffsetRangeTracker>(s, e);
  };
  const MutationReport report =
      analyze_tracker_gate(offsets, offset_positions(), {.seed = 20261201});
  std::cout << report;
  ASSERT_FALSE(report.broken) << *report.broken;
  EXPECT_EQ(report.applied(), 5);
  EXPECT_EQ(report.rejected(), 5) << report;
}

// Every built-in tracker's gate rejects every mutant: keys (whose positions
// are dense: one position is 2^-40 of the fraction), ordered positions, and
// the concatenation through its offset adapter.
TEST(MutationAnalysisTest, EveryMutantOfTheOtherTrackersIsRejected) {
  const TrackerFactory<std::string> keys = [](const std::string& s, const std::string& e) {
    return std::make_unique<LexicographicKeyRangeTracker>(s, e);
  };
  const MutationReport key_report = analyze_tracker_gate(keys, key_positions(), {.seed = 20261201});
  std::cout << key_report;
  EXPECT_EQ(key_report.rejected(), 5) << key_report;
  const TrackerFactory<std::int64_t> concat = [](const std::int64_t& s, const std::int64_t& e) {
    return std::make_unique<internal::ConcatOffsetTracker>(s, e);
  };
  const MutationReport concat_report =
      analyze_tracker_gate(concat, internal::concat_offset_positions(), {.seed = 20261201});
  std::cout << concat_report;
  EXPECT_EQ(concat_report.rejected(), 5) << concat_report;
}

SinkUnderTest<std::string> text_sink();

// Which check rejects which bug class, each check run on every mutant (the
// matrix docs/testkit.md prints): every mutant is rejected by at least one.
TEST(MutationAnalysisTest, TheMatrixOfChecksAndBugClasses) {
  const auto print = [](const MutantOutcome& m) {
    std::cout << m.mutation << ":";
    for (const std::string& check : m.rejected_by) std::cout << " " << check;
    if (m.verdict == Verdict::kNotApplicable) std::cout << " (not applicable)";
    std::cout << "\n";
  };
  for (int i = 0; i < source_mutant_count(); ++i) {
    const MutantOutcome m = run_source_mutant(flawed(Flaw::kNone), options(), i, true);
    print(m);
    EXPECT_NE(m.verdict, Verdict::kSurvived) << m.mutation;
  }
  for (int i = 0; i < sink_mutant_count(); ++i) {
    const MutantOutcome m = run_sink_mutant(text_sink(), {}, i, true);
    print(m);
    EXPECT_EQ(m.verdict, Verdict::kRejected) << m.mutation;
  }
}

SinkUnderTest<std::string> text_sink() {
  SinkUnderTest<std::string> sut;
  sut.make_sink = [](const SinkEnvironment& env, const std::string& place) {
    TextSinkOptions o;
    o.file_system = env.file_system;
    o.num_shards = 3;
    o.file_name_suffix = ".txt";
    return std::make_shared<const TextSink>(place, o);
  };
  sut.read_back = [](const SinkEnvironment& env, const std::string& place) {
    return committed_lines(env, place + "-*");
  };
  for (int i = 0; i < 30; ++i) sut.records.push_back("record " + std::to_string(i));
  return sut;
}

TEST(MutationAnalysisTest, EveryMutantOfTheTextSinkIsRejected) {
  const MutationReport report = analyze_sink_gate(text_sink());
  std::cout << report;
  ASSERT_FALSE(report.broken) << *report.broken;
  EXPECT_EQ(report.applied(), 7);
  EXPECT_EQ(report.rejected(), 7) << report;
}

// A sink that always writes exactly one shard has no order of writer results
// to get wrong: that mutant is equivalent, not a survivor; every other one
// is still rejected.
TEST(MutationAnalysisTest, ShardOrderIsNotApplicableToAnUnshardedSink) {
  SinkUnderTest<std::string> sut = text_sink();
  sut.make_sink = [](const SinkEnvironment& env, const std::string& place) {
    TextSinkOptions o;
    o.file_system = env.file_system;
    o.shard_name_template = "";
    o.file_name_suffix = ".txt";
    return std::make_shared<const TextSink>(place, o);
  };
  sut.read_back = [](const SinkEnvironment& env, const std::string& place) {
    return committed_lines(env, place + ".txt");
  };
  const MutationReport report = analyze_sink_gate(sut);
  std::cout << report;
  ASSERT_FALSE(report.broken) << *report.broken;
  bool saw_order_mutant = false;
  for (const MutantOutcome& m : report.mutants) {
    if (m.mutation != "sink: shard names from completion order") {
      EXPECT_EQ(m.verdict, Verdict::kRejected) << m.mutation;
      continue;
    }
    saw_order_mutant = true;
    EXPECT_EQ(m.verdict, Verdict::kNotApplicable);
    EXPECT_THAT(m.detail, ::testing::HasSubstr("exactly one shard"));
  }
  EXPECT_TRUE(saw_order_mutant);
}

}  // namespace
}  // namespace splitcheck::testkit
