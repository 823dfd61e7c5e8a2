// The conformance battery and the checks it adds to the split checks: each
// passes correct sources (200 seeds for the randomised one) and rejects the
// flaw it is meant to catch.

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/internal/in_memory_source.h"
#include "splitcheck/lib/sources/concat_source.h"
#include "splitcheck/testkit/gtest.h"
#include "splitcheck/testkit/source_testkit.h"
#include "splitcheck/testkit/zoo/flawed_sources.h"

namespace splitcheck::testkit {
namespace {

using internal::Flaw;
using internal::FlawedSource;
using ::testing::HasSubstr;
using ::testing::Not;
using Outcome = CheckResult::Outcome;

std::shared_ptr<FlawedSource> MakeCorrectSource() {
  return std::make_shared<FlawedSource>(40, Flaw::kNone);
}

std::shared_ptr<ConcatSource<std::int64_t>> MakeConcatSource() {
  using Sub = std::shared_ptr<const BoundedSource<std::int64_t>>;
  return std::make_shared<ConcatSource<std::int64_t>>(
      std::vector<Sub>{std::make_shared<FlawedSource>(9, Flaw::kNone),
                       std::make_shared<FlawedSource>(0, Flaw::kNone),
                       std::make_shared<FlawedSource>(14, Flaw::kNone)});
}

SourceConformanceOptions MakeOptions() {
  SourceConformanceOptions options;
  options.schedules.seed = 20261124;
  options.schedules.runs = 30;
  return options;
}

SPLITCHECK_SOURCE_CONFORMANCE_TEST(CorrectSourceConformance, MakeCorrectSource, MakeOptions);
SPLITCHECK_SOURCE_CONFORMANCE_TEST(ConcatSourceConformance, MakeConcatSource, MakeOptions);

SourceFactory<std::int64_t, std::int64_t> flawed(Flaw flaw, std::int64_t n = 40) {
  return [flaw, n] { return std::make_shared<FlawedSource>(n, flaw); };
}

// Without options: the defaults, the schedules' seed fixed.
SPLITCHECK_SOURCE_CONFORMANCE_TEST(DefaultOptionsConformance, MakeCorrectSource);

std::shared_ptr<FlawedSource> MakeProgressGoesBackwards() {
  return std::make_shared<FlawedSource>(40, Flaw::kProgressGoesBackwards);
}

// An expected rejection, with and without options.
SPLITCHECK_SOURCE_REJECTION_TEST(ProgressGoesBackwards, ProgressContract,
                                 MakeProgressGoesBackwards);
SPLITCHECK_SOURCE_REJECTION_TEST(ProgressGoesBackwardsWithOptions, ProgressContract,
                                 MakeProgressGoesBackwards, MakeOptions);

// The battery's reference equality names the split() call and the range
// that fail, as code.
TEST(ReferenceEqualityReplayTest, TheReplayIsTheCall) {
  const CheckResult result = run_source_check(SourceCheck::kReferenceEquality,
                                              flawed(Flaw::kSplitLeavesAGap, 100), MakeOptions());
  ASSERT_EQ(result.outcome, Outcome::kFailed) << result;
  EXPECT_EQ(result.replay,
            "check_sources_equal_reference_source(*source, source->split(33, std::nullopt, "
            "std::nullopt), std::nullopt, std::nullopt)");
  EXPECT_GT(result.cases, 0);
  // Pasted, it fails the same way.
  const auto source = flawed(Flaw::kSplitLeavesAGap, 100)();
  const CheckResult replayed = check_sources_equal_reference_source(
      *source, source->split(33, std::nullopt, std::nullopt), std::nullopt, std::nullopt);
  EXPECT_EQ(replayed.message, result.message.substr(result.message.find(": ") + 2)) << replayed;
}

// Every check's failure counts the cases it ran, the failing one included.
TEST(CaseCountTest, NoFailureReportsZeroCases) {
  for (const Flaw flaw : {Flaw::kProgressGoesBackwards, Flaw::kWrongWeights, Flaw::kSplitLeavesAGap,
                          Flaw::kReadsFromZero}) {
    for (const CheckResult& result : check_source_conformance(flawed(flaw), MakeOptions())) {
      if (result.outcome == Outcome::kFailed) {
        EXPECT_GT(result.cases, 0) << result;
      }
    }
  }
}

TEST(RejectedTest, OnlyAFailedCheckIsARejection) {
  EXPECT_TRUE(Rejected(CheckResult::failed("progress_contract", "went back")));
  const auto passed = Rejected(CheckResult::passed("progress_contract"));
  EXPECT_FALSE(passed);
  EXPECT_THAT(passed.message(), HasSubstr("expected progress_contract to reject the connector, "
                                          "but it passed: either the bug was fixed"));
  const auto gave_up = Rejected(CheckResult::gave_up("progress_contract", "one record"));
  EXPECT_FALSE(gave_up);
  EXPECT_THAT(gave_up.message(), HasSubstr("but it gave up, which proves nothing"));
  const auto broken = Rejected(CheckResult::broken("progress_contract", "the factory threw"));
  EXPECT_FALSE(broken);
  EXPECT_THAT(broken.message(), HasSubstr("the check could not run"));
}

TEST(PassedTest, AFailureIsPrintedOnceInTheAssertionAlone) {
  ::testing::internal::CaptureStdout();
  const auto failed = Passed(CheckResult::failed("progress_contract", "went back from 0.5"));
  EXPECT_EQ(::testing::internal::GetCapturedStdout(), "");
  EXPECT_FALSE(failed);
  EXPECT_THAT(failed.message(), HasSubstr("went back from 0.5"));
  ::testing::internal::CaptureStdout();
  EXPECT_TRUE(Passed(CheckResult::passed("progress_contract")));
  EXPECT_THAT(::testing::internal::GetCapturedStdout(), HasSubstr("progress_contract"));
}

TEST(ProgressContractTest, RejectsProgressThatGoesBackwards) {
  const CheckResult result = check_progress_contract(*flawed(Flaw::kProgressGoesBackwards)());
  EXPECT_EQ(result.outcome, Outcome::kFailed) << result;
  EXPECT_THAT(result.message, HasSubstr("fraction_consumed went back from"));
}

// A split-points count that runs one short (1 remaining with a record still
// to come): only the progress contract sees it; every other check passes.
TEST(ProgressContractTest, RejectsARemainingCountThatRunsShort) {
  const CheckResult result = check_progress_contract(*flawed(Flaw::kRemainingUndercount)());
  EXPECT_EQ(result.outcome, Outcome::kFailed) << result;
  EXPECT_THAT(result.message,
              HasSubstr("split_points().remaining is 39 during the read (after 1 records), but 40 "
                        "split points were still read from there"));
  for (const CheckResult& other :
       check_source_conformance(flawed(Flaw::kRemainingUndercount), MakeOptions())) {
    if (other.check != "progress_contract") {
      EXPECT_TRUE(other.ok()) << other;
    }
  }
}

TEST(ProgressContractTest, RejectsWeightsThatDoNotAddUp) {
  const CheckResult result = check_progress_contract(*flawed(Flaw::kWrongWeights)());
  EXPECT_EQ(result.outcome, Outcome::kFailed) << result;
  EXPECT_THAT(result.message, HasSubstr("weigh 80 in all, but estimate_size() is 40"));
}

TEST(SourceHygieneTest, RejectsANondeterministicSplit) {
  const CheckResult result = check_source_hygiene(flawed(Flaw::kNondeterministicSplit));
  EXPECT_EQ(result.outcome, Outcome::kFailed) << result;
  EXPECT_THAT(result.message, HasSubstr("is not deterministic"));
}

TEST(SourceHygieneTest, RejectsAOneRecordRangeReadWrong) {
  const CheckResult result = check_source_hygiene(flawed(Flaw::kReadsFromZero));
  EXPECT_EQ(result.outcome, Outcome::kFailed) << result;
  EXPECT_THAT(result.message, HasSubstr("cannot claim 0"));
}

TEST(DynamicSplitSchedulesTest, CorrectSourcesPassUnder200Seeds) {
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    const ScheduleOptions options{.runs = 5, .seed = seed};
    const CheckResult plain =
        check_dynamic_split_schedules<std::int64_t, std::int64_t>(MakeCorrectSource(), options);
    ASSERT_TRUE(plain) << plain;
    const CheckResult concat =
        check_dynamic_split_schedules<std::int64_t, ConcatPosition<std::int64_t>>(
            MakeConcatSource(), options);
    ASSERT_TRUE(concat) << concat;
  }
}

TEST(DynamicSplitSchedulesTest, EmptyScheduleSufficesForABugAtBundleBoundaries) {
  const CheckResult result = check_dynamic_split_schedules<std::int64_t, std::int64_t>(
      flawed(Flaw::kEmitsTheRefusedRecord)(), {.seed = 7});
  ASSERT_EQ(result.outcome, Outcome::kFailed) << result;
  EXPECT_THAT(result.message, HasSubstr("the initial bundles alone lose or duplicate records"));
  EXPECT_THAT(result.message, HasSubstr("splits nothing dynamically and fails nothing"));
  EXPECT_THAT(result.message, HasSubstr(":\nworkers 1\n\n"));
}

TEST(DynamicSplitSchedulesTest, RejectsATrackerThatClaimsPastItsStopWithOneSplit) {
  const CheckResult result = check_dynamic_split_schedules<std::int64_t, std::int64_t>(
      flawed(Flaw::kTrackerClaimsPastStop)(), {.seed = 7});
  std::cout << result << "\n";  // what a user would see
  ASSERT_EQ(result.outcome, Outcome::kFailed) << result;
  EXPECT_THAT(result.message, HasSubstr("shortest failing schedule"));
  EXPECT_THAT(result.message, Not(HasSubstr("the initial bundles alone")));
  EXPECT_THAT(result.message, HasSubstr("is extra or duplicated"));
  EXPECT_THAT(result.replay, HasSubstr("seed = 7"));
  // Shrunk: one dynamic split is enough to duplicate a record.
  EXPECT_THAT(result.message, HasSubstr("split "));
  EXPECT_EQ(std::string(result.message).find("split ", result.message.find("split ") + 1),
            std::string::npos)
      << result.message;
}

// A record type with no Coder cannot come back from worker processes: the
// schedules run on threads, and their pass is a give-up, unless threads
// were asked for.
struct Opaque {
  int value = 0;
  friend auto operator<=>(const Opaque&, const Opaque&) = default;
  friend std::ostream& operator<<(std::ostream& os, const Opaque& o) {
    return os << "Opaque(" << o.value << ")";
  }
};

TEST(DynamicSplitSchedulesTest, ARecordTypeWithoutACoderGivesUp) {
  std::vector<Opaque> records;
  for (int i = 0; i < 30; ++i) records.push_back({i});
  const auto source = std::make_shared<const splitcheck::internal::InMemorySource<Opaque>>(records);
  ScheduleOptions options;
  options.seed = 1;
  options.runs = 5;
  const CheckResult result = check_dynamic_split_schedules<Opaque, std::int64_t>(source, options);
  EXPECT_EQ(result.outcome, Outcome::kGaveUp) << result;
  EXPECT_THAT(result.message, HasSubstr("no splitcheck::Coder"));
  options.worker_processes = false;
  const CheckResult threads = check_dynamic_split_schedules<Opaque, std::int64_t>(source, options);
  EXPECT_TRUE(threads.ok()) << threads;
}

TEST(DynamicSplitSchedulesTest, SameSeedSameVerdict) {
  const auto a = check_dynamic_split_schedules<std::int64_t, std::int64_t>(
      flawed(Flaw::kTrackerClaimsPastStop)(), {.seed = 11});
  const auto b = check_dynamic_split_schedules<std::int64_t, std::int64_t>(
      flawed(Flaw::kTrackerClaimsPastStop)(), {.seed = 11});
  EXPECT_FALSE(a.ok());
  EXPECT_EQ(a.message, b.message);
}

TEST(SourceConformanceTest, TheBatteryNamesTheFailingChecks) {
  const auto results = check_source_conformance(flawed(Flaw::kReadsFromZero), MakeOptions());
  ASSERT_EQ(results.size(), 7u);
  for (const CheckResult& r : results) {
    // Reading from zero is not a serialization bug: the decoded bundles
    // read (or throw) exactly as the originals do.
    if (r.check == "reentrant_reads" || r.check == "progress_contract" ||
        r.check == "source_serialization") {
      continue;
    }
    EXPECT_FALSE(r.ok()) << r;
  }
}

// Right on the whole source, wrong on any inner range: only checks that also
// run on sub-ranges can see it, and at any size.
TEST(SubRangeTest, ALastBundleThatEndsAtTheEstimateIsRejected) {
  const auto results =
      check_source_conformance(flawed(Flaw::kLastBundleEndsAtTheEstimate, 100), MakeOptions());
  bool rejected = false;
  for (const CheckResult& r : results) {
    std::cout << r << "\n";
    if (r.check == "sources_equal_reference_source") {
      EXPECT_EQ(r.outcome, Outcome::kFailed) << r;
      EXPECT_THAT(r.message, HasSubstr("on the sub-range ["));
      rejected = !r.ok();
    }
  }
  EXPECT_TRUE(rejected);
}

TEST(ShardStatusTest, TheStatusFileIsTouchedWhenBazelShards) {
  if (std::getenv("TEST_SHARD_STATUS_FILE") == nullptr) GTEST_SKIP() << "not sharded";
  EXPECT_TRUE(shard_status_file_touched());
}

}  // namespace
}  // namespace splitcheck::testkit
