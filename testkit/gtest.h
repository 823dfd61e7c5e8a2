// GoogleTest integration of the testkit.
//
//   SPLITCHECK_EXPECT_PASSED(check_reentrant_reads(*source));
//   SPLITCHECK_ASSERT_PASSED(result);
//
// pass when the CheckResult passed and print the whole result (check, cases,
// counterexample, replay) either way.
//
//   SPLITCHECK_SOURCE_CONFORMANCE_TEST(Suite, MakeSource, MakeOptions);
//
// expands to one named test per source check (Suite.ReferenceEquality,
// Suite.ReentrantReads, Suite.DynamicSplitSchedules, Suite.ProgressContract,
// Suite.SourceHygiene) plus the exhaustive split check cut into
// kExhaustiveChunks value-parameterized tests
// (Chunks/SuiteExhaustive.SplitAtFractionExhaustive/0..7), so that Bazel's
// test sharding (shard_count on the cc_test) spreads it. MakeSource is a
// function returning std::shared_ptr<Source> for a fresh source; MakeOptions a
// function returning SourceConformanceOptions.
//
// SPLITCHECK_SINK_CONFORMANCE_TEST(Suite, MakeSinkUnderTest) does the same for
// a sink, with one test per sink check (see sink_conformance.h).
//
//   SPLITCHECK_SOURCE_MUTATION_TEST(Suite, MakeSource, MakeOptions);
//   SPLITCHECK_SINK_MUTATION_TEST(Suite, MakeSinkUnderTest);
//
// run the mutation analysis of the gate (mutation_analysis.h) with the same
// factory and options, as value-parameterized tests Mutants/SuiteMutants.Mutant/0..N
// that Bazel's test sharding spreads: 0 is the control (the gate passes the
// connector itself), each other one a mutant, which passes when the gate
// rejects it (or it cannot apply, with the reason printed) and fails, with
// what to change in the gate, when it survives. Compiled with
// SPLITCHECK_MUTATION_ANALYSIS defined (the conformance macros of
// bazel/defs.bzl do so for their <name>_mutants test), the conformance
// macros above expand to these instead, so one factory file serves both.
//
// Linking this library also touches $TEST_SHARD_STATUS_FILE at start-up,
// which Bazel 7+ requires of sharded tests and which GoogleTest 1.12 with
// Bazel 4 leaves untouched (Bazel 4 does not export GTEST_SHARD_STATUS_FILE).

#ifndef SPLITCHECK_TESTKIT_GTEST_H_
#define SPLITCHECK_TESTKIT_GTEST_H_

#include <iostream>
#include <memory>

#include "gtest/gtest.h"
#include "splitcheck/testkit/check_result.h"
#ifdef SPLITCHECK_MUTATION_ANALYSIS
// Only where the mutation macros expand: it costs every other test seconds
// of compile time.
#include "splitcheck/testkit/mutation_analysis.h"
#endif
#include "splitcheck/testkit/sink/sink_conformance.h"
#include "splitcheck/testkit/source/source_conformance.h"

namespace splitcheck::testkit {

inline constexpr int kExhaustiveChunks = 8;

inline ::testing::AssertionResult Passed(const CheckResult& result) {
  std::cout << result << std::endl;
  if (result.ok()) return ::testing::AssertionSuccess() << result;
  return ::testing::AssertionFailure() << result;
}

// Whether the shard status file was touched (exposed for tests).
bool shard_status_file_touched();

struct MutantOutcome;  // mutation_analysis.h

// Success when the mutant was rejected or cannot apply; prints the outcome.
::testing::AssertionResult MutantRejected(const MutantOutcome& outcome);

// Success when the gate passes the connector itself; prints the outcome.
::testing::AssertionResult ControlPassed(const MutantOutcome& control);

}  // namespace splitcheck::testkit

#define SPLITCHECK_EXPECT_PASSED(result) EXPECT_TRUE(::splitcheck::testkit::Passed(result))
#define SPLITCHECK_ASSERT_PASSED(result) ASSERT_TRUE(::splitcheck::testkit::Passed(result))

#define SPLITCHECK_SOURCE_CHECK_TEST_(Suite, Name, MakeSource, MakeOptions, Check) \
  TEST(Suite, Name) {                                                              \
    using Source_ = typename decltype(MakeSource())::element_type;                 \
    const ::splitcheck::testkit::SourceFactory<typename Source_::record_type,      \
                                               typename Source_::position_type>    \
        factory = [] { return MakeSource(); };                                     \
    SPLITCHECK_EXPECT_PASSED(::splitcheck::testkit::run_source_check(              \
        ::splitcheck::testkit::SourceCheck::Check, factory, MakeOptions()));       \
  }

#ifndef SPLITCHECK_MUTATION_ANALYSIS
#define SPLITCHECK_SOURCE_CONFORMANCE_TEST(Suite, MakeSource, MakeOptions) \
  SPLITCHECK_SOURCE_CONFORMANCE_TEST_(Suite, MakeSource, MakeOptions)
#define SPLITCHECK_SINK_CONFORMANCE_TEST(Suite, MakeSinkUnderTest) \
  SPLITCHECK_SINK_CONFORMANCE_TEST_(Suite, MakeSinkUnderTest)
#else
#define SPLITCHECK_SOURCE_CONFORMANCE_TEST(Suite, MakeSource, MakeOptions) \
  SPLITCHECK_SOURCE_MUTATION_TEST(Suite, MakeSource, MakeOptions)
#define SPLITCHECK_SINK_CONFORMANCE_TEST(Suite, MakeSinkUnderTest) \
  SPLITCHECK_SINK_MUTATION_TEST(Suite, MakeSinkUnderTest)
#endif

#define SPLITCHECK_SOURCE_CONFORMANCE_TEST_(Suite, MakeSource, MakeOptions)                      \
  SPLITCHECK_SOURCE_CHECK_TEST_(Suite, ReferenceEquality, MakeSource, MakeOptions,               \
                                kReferenceEquality)                                              \
  SPLITCHECK_SOURCE_CHECK_TEST_(Suite, ReentrantReads, MakeSource, MakeOptions, kReentrantReads) \
  SPLITCHECK_SOURCE_CHECK_TEST_(Suite, DynamicSplitSchedules, MakeSource, MakeOptions,           \
                                kDynamicSplitSchedules)                                          \
  SPLITCHECK_SOURCE_CHECK_TEST_(Suite, ProgressContract, MakeSource, MakeOptions,                \
                                kProgressContract)                                               \
  SPLITCHECK_SOURCE_CHECK_TEST_(Suite, SourceHygiene, MakeSource, MakeOptions, kSourceHygiene)   \
  class Suite##Exhaustive : public ::testing::TestWithParam<int> {};                             \
  TEST_P(Suite##Exhaustive, SplitAtFractionExhaustive) {                                         \
    using Source_ = typename decltype(MakeSource())::element_type;                               \
    const ::splitcheck::testkit::SourceFactory<typename Source_::record_type,                    \
                                               typename Source_::position_type>                  \
        factory = [] { return MakeSource(); };                                                   \
    SPLITCHECK_EXPECT_PASSED(::splitcheck::testkit::run_source_check(                            \
        ::splitcheck::testkit::SourceCheck::kSplitAtFractionExhaustive, factory, MakeOptions(),  \
        GetParam(), ::splitcheck::testkit::kExhaustiveChunks));                                  \
  }                                                                                              \
  INSTANTIATE_TEST_SUITE_P(Chunks, Suite##Exhaustive,                                            \
                           ::testing::Range(0, ::splitcheck::testkit::kExhaustiveChunks))

// One named test per sink check (Suite.CrashPoints, Suite.FinalizeIdempotence,
// Suite.RetriesAndSpeculation, Suite.OrderIndependence, Suite.Isolation,
// Suite.FailedWriteCleanup).
// MakeSinkUnderTest is a function returning a SinkUnderTest<T>.
#define SPLITCHECK_SINK_CHECK_TEST_(Suite, Name, MakeSinkUnderTest, Check) \
  TEST(Suite, Name) {                                                      \
    SPLITCHECK_EXPECT_PASSED(::splitcheck::testkit::run_sink_check(        \
        ::splitcheck::testkit::SinkCheck::Check, MakeSinkUnderTest()));    \
  }

#define SPLITCHECK_SINK_CONFORMANCE_TEST_(Suite, MakeSinkUnderTest)                                \
  SPLITCHECK_SINK_CHECK_TEST_(Suite, CrashPoints, MakeSinkUnderTest, kCrashPoints)                 \
  SPLITCHECK_SINK_CHECK_TEST_(Suite, FinalizeIdempotence, MakeSinkUnderTest, kFinalizeIdempotence) \
  SPLITCHECK_SINK_CHECK_TEST_(Suite, RetriesAndSpeculation, MakeSinkUnderTest,                     \
                              kRetriesAndSpeculation)                                              \
  SPLITCHECK_SINK_CHECK_TEST_(Suite, OrderIndependence, MakeSinkUnderTest, kOrderIndependence)     \
  SPLITCHECK_SINK_CHECK_TEST_(Suite, Isolation, MakeSinkUnderTest, kIsolation)                     \
  SPLITCHECK_SINK_CHECK_TEST_(Suite, FailedWriteCleanup, MakeSinkUnderTest, kFailedWriteCleanup)

#define SPLITCHECK_SOURCE_MUTATION_TEST(Suite, MakeSource, MakeOptions)                       \
  class Suite##Mutants : public ::testing::TestWithParam<int> {};                             \
  TEST_P(Suite##Mutants, Mutant) {                                                            \
    using Source_ = typename decltype(MakeSource())::element_type;                            \
    const ::splitcheck::testkit::SourceFactory<typename Source_::record_type,                 \
                                               typename Source_::position_type>               \
        factory = [] { return MakeSource(); };                                                \
    if (GetParam() == 0) {                                                                    \
      EXPECT_TRUE(::splitcheck::testkit::ControlPassed(                                       \
          ::splitcheck::testkit::run_source_control(factory, MakeOptions())));                \
    } else {                                                                                  \
      EXPECT_TRUE(::splitcheck::testkit::MutantRejected(                                      \
          ::splitcheck::testkit::run_source_mutant(factory, MakeOptions(), GetParam() - 1))); \
    }                                                                                         \
  }                                                                                           \
  INSTANTIATE_TEST_SUITE_P(Mutants, Suite##Mutants,                                           \
                           ::testing::Range(0, ::splitcheck::testkit::source_mutant_count() + 1))

#define SPLITCHECK_SINK_MUTATION_TEST(Suite, MakeSinkUnderTest)                              \
  class Suite##Mutants : public ::testing::TestWithParam<int> {};                            \
  TEST_P(Suite##Mutants, Mutant) {                                                           \
    if (GetParam() == 0) {                                                                   \
      EXPECT_TRUE(::splitcheck::testkit::ControlPassed(                                      \
          ::splitcheck::testkit::run_sink_control(MakeSinkUnderTest())));                    \
    } else {                                                                                 \
      EXPECT_TRUE(::splitcheck::testkit::MutantRejected(                                     \
          ::splitcheck::testkit::run_sink_mutant(MakeSinkUnderTest(), {}, GetParam() - 1))); \
    }                                                                                        \
  }                                                                                          \
  INSTANTIATE_TEST_SUITE_P(Mutants, Suite##Mutants,                                          \
                           ::testing::Range(0, ::splitcheck::testkit::sink_mutant_count() + 1))

#endif  // SPLITCHECK_TESTKIT_GTEST_H_
