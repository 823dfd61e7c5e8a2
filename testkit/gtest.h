// GoogleTest integration of the testkit.
//
//   SPLITCHECK_EXPECT_PASSED(check_reentrant_reads(*source));
//   SPLITCHECK_ASSERT_PASSED(result);
//
// pass when the CheckResult passed and print the whole result (check, cases,
// counterexample, replay) either way.
//
//   SPLITCHECK_SOURCE_CONFORMANCE_TEST(Suite, MakeSource, MakeOptions);
//   SPLITCHECK_SOURCE_CONFORMANCE_TEST(Suite, MakeSource);  // default options
//
// expands to one named test per source check (Suite.ReferenceEquality,
// Suite.ReentrantReads, Suite.DynamicSplitSchedules, Suite.ProgressContract,
// Suite.SourceHygiene, Suite.Serialization) plus the exhaustive split check cut into
// kExhaustiveChunks value-parameterized tests
// (Chunks/SuiteExhaustive.SplitAtFractionExhaustive/0..7), so that Bazel's
// test sharding (shard_count on the cc_test) spreads it. MakeSource is a
// function returning std::shared_ptr<Source> for a fresh source; MakeOptions,
// if given, a function returning SourceConformanceOptions (without it: the
// defaults, with the schedules' seed fixed at 1 so that a cached pass means
// something).
//
//   SPLITCHECK_SINK_CONFORMANCE_TEST(Suite, MakeSinkUnderTest, MakeOptions);
//   SPLITCHECK_SINK_CONFORMANCE_TEST(Suite, MakeSinkUnderTest);
//
// does the same for a sink, with one test per sink check (see
// sink_conformance.h); MakeOptions returns SinkConformanceOptions.
//
//   SPLITCHECK_SOURCE_FAULT_TEST(Suite, MakeSourceWithFaults[, MakeOptions]);
//
// is one test, Suite.ConnectionFaults, running check_source_fault_points
// (source/source_fault_points.h): MakeSourceWithFaults takes the
// std::shared_ptr<FaultPoints> a fresh source must reach its store through
// (a TcpFaultProxy bound to them, say); MakeOptions returns
// SourceFaultOptions. Not part of the mutation analysis (it expands to
// nothing there).
//
// Expected rejections: the broken connectors a team keeps as regressions of
// its gate (its own zoo) stay green in `bazel test //...`:
//
//   SPLITCHECK_SOURCE_REJECTION_TEST(Suite, Check, MakeSource[, MakeOptions]);
//   SPLITCHECK_SINK_REJECTION_TEST(Suite, Check, MakeSinkUnderTest[, MakeOptions]);
//
// is one test, Suite.<Check>RejectsIt, that runs the check named Check (a
// SourceCheck or SinkCheck enumerator without its k: SplitAtFractionExhaustive,
// CrashPoints, ...) whole and passes only when it rejects the connector (a
// failed case; a pass, a give-up or a check that could not run is a test
// failure saying so). Several fit in one file, each with its own factory: a
// bug variant is a function, not a library. SPLITCHECK_EXPECT_REJECTED(result)
// is the same test on a CheckResult. Under SPLITCHECK_MUTATION_ANALYSIS they
// expand to nothing (mutating a connector that is already broken says
// nothing about the gate).
//
//   SPLITCHECK_SOURCE_MUTATION_TEST(Suite, MakeSource[, MakeOptions]);
//   SPLITCHECK_SINK_MUTATION_TEST(Suite, MakeSinkUnderTest[, MakeOptions]);
//
// run the mutation analysis of the gate (mutation_analysis.h) with the same
// factory and options, as value-parameterized tests Mutants/SuiteMutants.Mutant/0..N
// that Bazel's test sharding spreads: 0 is the control (the gate passes the
// connector itself), each other one a mutant, which passes when the gate
// rejects it (or it cannot apply, with the reason printed) and fails, with
// what to change in the gate, when it survives. Compiled with
// SPLITCHECK_MUTATION_ANALYSIS defined, the conformance macros above expand
// to these instead. Compiled with SPLITCHECK_GATE_AND_MUTANTS, they expand to
// both, the checks and the mutation analysis, and the program's main
// (testkit/gate_main.cc) runs the part its --splitcheck_gate_part flag names:
// the conformance macros of bazel/defs.bzl compile the factory file once that
// way, for both their <name> and <name>_mutants tests.
//
// Every test that checks through these macros and assertions also adds to a
// self-contained HTML report of the test program, written to
// $TEST_UNDECLARED_OUTPUTS_DIR/splitcheck_report.html (html_report.h).
//
// Linking this library also touches $TEST_SHARD_STATUS_FILE at start-up,
// which Bazel 7+ requires of sharded tests and which GoogleTest 1.12 with
// Bazel 4 leaves untouched (Bazel 4 does not export GTEST_SHARD_STATUS_FILE).

#ifndef SPLITCHECK_TESTKIT_GTEST_H_
#define SPLITCHECK_TESTKIT_GTEST_H_

#include <iostream>
#include <memory>
#include <type_traits>
#include <utility>

#include "gtest/gtest.h"
#include "splitcheck/testkit/check_result.h"
#include "splitcheck/testkit/html_report.h"
#if defined(SPLITCHECK_MUTATION_ANALYSIS) || defined(SPLITCHECK_GATE_AND_MUTANTS)
// Only where the mutation macros expand: it costs every other test seconds
// of compile time.
#include "splitcheck/testkit/mutation_analysis.h"
#endif
#include "splitcheck/testkit/sink/sink_conformance.h"
#include "splitcheck/testkit/source/source_conformance.h"
#include "splitcheck/testkit/source/source_fault_points.h"

namespace splitcheck::testkit {

inline constexpr int kExhaustiveChunks = 8;

namespace internal {

// Adds `entry` to the report of this test program (html_report.h), under the
// running test's name and time.
void record_for_report(ReportEntry entry);

}  // namespace internal

// Success when the check passed. The result is printed once: on success to
// stdout (its cases and notes belong in the log), on failure only in the
// assertion's message, which GoogleTest prints.
inline ::testing::AssertionResult Passed(const CheckResult& result) {
  internal::record_for_report(check_entry(ReportEntry::Kind::kCheck, result, result.ok()));
  if (result.ok()) {
    std::cout << result << std::endl;
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << result;
}

// Success when the check rejected what it was given: it ran and found a
// case that breaks its contract. A pass, a give-up and a check that could not
// run (kBroken) are failures that say which: an expected rejection that stops
// happening is either a hole opened in the gate or a bug fixed in the
// connector, and both need a person.
::testing::AssertionResult Rejected(const CheckResult& result);

namespace internal {

// The options of a conformance macro: MakeOptions() when given, else the
// defaults with fixed seeds.
inline SourceConformanceOptions source_options() {
  SourceConformanceOptions options;
  options.schedules.seed = 1;
  return options;
}
inline SinkConformanceOptions sink_options() { return {}; }
template <typename MakeOptions>
auto source_options(MakeOptions make) -> decltype(make()) {
  return make();
}
template <typename MakeOptions>
auto sink_options(MakeOptions make) -> decltype(make()) {
  return make();
}

}  // namespace internal

// Whether the shard status file was touched (exposed for tests).
bool shard_status_file_touched();

struct MutantOutcome;  // mutation_analysis.h

// Success when the mutant was rejected or cannot apply; prints the outcome.
::testing::AssertionResult MutantRejected(const MutantOutcome& outcome);

// Success when the gate passes the connector itself; prints the outcome.
::testing::AssertionResult ControlPassed(const MutantOutcome& control);

}  // namespace splitcheck::testkit

namespace splitcheck::testkit::internal {

inline SourceFaultOptions source_fault_options() { return {}; }
template <typename MakeOptions>
auto source_fault_options(MakeOptions make) -> decltype(make()) {
  return make();
}

// check_source_fault_points with the record and position types read off
// the factory's return type.
template <typename MakeSource>
CheckResult run_source_fault_check(MakeSource make, const SourceFaultOptions& options) {
  using Pointer = std::invoke_result_t<MakeSource, std::shared_ptr<FaultPoints>>;
  using Source = typename Pointer::element_type;
  using T = typename Source::record_type;
  using P = typename Source::position_type;
  const FaultedSourceFactory<T, P> factory =
      [make](std::shared_ptr<FaultPoints> faults) -> std::shared_ptr<const BoundedSource<T, P>> {
    return make(std::move(faults));
  };
  return check_source_fault_points(factory, options);
}

}  // namespace splitcheck::testkit::internal

#define SPLITCHECK_EXPECT_PASSED(result) EXPECT_TRUE(::splitcheck::testkit::Passed(result))
#define SPLITCHECK_ASSERT_PASSED(result) ASSERT_TRUE(::splitcheck::testkit::Passed(result))
#define SPLITCHECK_EXPECT_REJECTED(result) EXPECT_TRUE(::splitcheck::testkit::Rejected(result))

#define SPLITCHECK_SOURCE_FACTORY_(MakeSource)                      \
  const ::splitcheck::testkit::SourceFactory<                       \
      typename decltype(MakeSource())::element_type::record_type,   \
      typename decltype(MakeSource())::element_type::position_type> \
      factory = [] { return MakeSource(); }

#define SPLITCHECK_SOURCE_CHECK_TEST_(Suite, Name, MakeSource, Options, Check) \
  TEST(Suite, Name) {                                                          \
    SPLITCHECK_SOURCE_FACTORY_(MakeSource);                                    \
    SPLITCHECK_EXPECT_PASSED(::splitcheck::testkit::run_source_check(          \
        ::splitcheck::testkit::SourceCheck::Check, factory, Options));         \
  }

#define SPLITCHECK_SOURCE_OPTIONS_(...) ::splitcheck::testkit::internal::source_options(__VA_ARGS__)

#define SPLITCHECK_SINK_OPTIONS_(...) ::splitcheck::testkit::internal::sink_options(__VA_ARGS__)

#ifndef SPLITCHECK_MUTATION_ANALYSIS
#define SPLITCHECK_SOURCE_FAULT_TEST(Suite, MakeSourceWithFaults, ...)                \
  TEST(Suite, ConnectionFaults) {                                                     \
    SPLITCHECK_EXPECT_PASSED(::splitcheck::testkit::internal::run_source_fault_check( \
        MakeSourceWithFaults,                                                         \
        ::splitcheck::testkit::internal::source_fault_options(__VA_ARGS__)));         \
  }                                                                                   \
  static_assert(true, "a semicolon after the macro")
#ifndef SPLITCHECK_GATE_AND_MUTANTS
#define SPLITCHECK_SOURCE_CONFORMANCE_TEST(Suite, MakeSource, ...) \
  SPLITCHECK_SOURCE_CONFORMANCE_TEST_(Suite, MakeSource, SPLITCHECK_SOURCE_OPTIONS_(__VA_ARGS__))
#define SPLITCHECK_SINK_CONFORMANCE_TEST(Suite, MakeSinkUnderTest, ...) \
  SPLITCHECK_SINK_CONFORMANCE_TEST_(Suite, MakeSinkUnderTest, SPLITCHECK_SINK_OPTIONS_(__VA_ARGS__))
#else
// Both parts in one program; testkit/gate_main.cc runs one of them.
#define SPLITCHECK_SOURCE_CONFORMANCE_TEST(Suite, MakeSource, ...)                                 \
  SPLITCHECK_SOURCE_CONFORMANCE_TEST_(Suite, MakeSource, SPLITCHECK_SOURCE_OPTIONS_(__VA_ARGS__)); \
  SPLITCHECK_SOURCE_MUTATION_TEST(Suite, MakeSource __VA_OPT__(, ) __VA_ARGS__)
#define SPLITCHECK_SINK_CONFORMANCE_TEST(Suite, MakeSinkUnderTest, ...)    \
  SPLITCHECK_SINK_CONFORMANCE_TEST_(Suite, MakeSinkUnderTest,              \
                                    SPLITCHECK_SINK_OPTIONS_(__VA_ARGS__)) \
  SPLITCHECK_SINK_MUTATION_TEST(Suite, MakeSinkUnderTest __VA_OPT__(, ) __VA_ARGS__)
#endif
#define SPLITCHECK_SOURCE_REJECTION_TEST(Suite, Check, MakeSource, ...) \
  TEST(Suite, Check##RejectsIt) {                                       \
    SPLITCHECK_SOURCE_FACTORY_(MakeSource);                             \
    SPLITCHECK_EXPECT_REJECTED(::splitcheck::testkit::run_source_check( \
        ::splitcheck::testkit::SourceCheck::k##Check, factory,          \
        SPLITCHECK_SOURCE_OPTIONS_(__VA_ARGS__)));                      \
  }                                                                     \
  static_assert(true, "a semicolon after the macro")
#define SPLITCHECK_SINK_REJECTION_TEST(Suite, Check, MakeSinkUnderTest, ...) \
  TEST(Suite, Check##RejectsIt) {                                            \
    SPLITCHECK_EXPECT_REJECTED(::splitcheck::testkit::run_sink_check(        \
        ::splitcheck::testkit::SinkCheck::k##Check, MakeSinkUnderTest(),     \
        SPLITCHECK_SINK_OPTIONS_(__VA_ARGS__)));                             \
  }                                                                          \
  static_assert(true, "a semicolon after the macro")
#else
#define SPLITCHECK_SOURCE_CONFORMANCE_TEST(Suite, MakeSource, ...) \
  SPLITCHECK_SOURCE_MUTATION_TEST(Suite, MakeSource __VA_OPT__(, ) __VA_ARGS__)
#define SPLITCHECK_SINK_CONFORMANCE_TEST(Suite, MakeSinkUnderTest, ...) \
  SPLITCHECK_SINK_MUTATION_TEST(Suite, MakeSinkUnderTest __VA_OPT__(, ) __VA_ARGS__)
#define SPLITCHECK_SOURCE_REJECTION_TEST(Suite, Check, MakeSource, ...) \
  static_assert(true, "no expected rejections in the mutation analysis")
// The fault check is not part of the mutation analysis; the factory stays
// used.
#define SPLITCHECK_SOURCE_FAULT_TEST(Suite, MakeSourceWithFaults, ...) \
  [[maybe_unused]] static const auto splitcheck_fault_factory_##Suite = &MakeSourceWithFaults
#define SPLITCHECK_SINK_REJECTION_TEST(Suite, Check, MakeSinkUnderTest, ...) \
  static_assert(true, "no expected rejections in the mutation analysis")
#endif

#define SPLITCHECK_SOURCE_CONFORMANCE_TEST_(Suite, MakeSource, Options)                            \
  SPLITCHECK_SOURCE_CHECK_TEST_(Suite, ReferenceEquality, MakeSource, Options, kReferenceEquality) \
  SPLITCHECK_SOURCE_CHECK_TEST_(Suite, ReentrantReads, MakeSource, Options, kReentrantReads)       \
  SPLITCHECK_SOURCE_CHECK_TEST_(Suite, DynamicSplitSchedules, MakeSource, Options,                 \
                                kDynamicSplitSchedules)                                            \
  SPLITCHECK_SOURCE_CHECK_TEST_(Suite, ProgressContract, MakeSource, Options, kProgressContract)   \
  SPLITCHECK_SOURCE_CHECK_TEST_(Suite, SourceHygiene, MakeSource, Options, kSourceHygiene)         \
  SPLITCHECK_SOURCE_CHECK_TEST_(Suite, Serialization, MakeSource, Options, kSerialization)         \
  class Suite##Exhaustive : public ::testing::TestWithParam<int> {};                               \
  TEST_P(Suite##Exhaustive, SplitAtFractionExhaustive) {                                           \
    SPLITCHECK_SOURCE_FACTORY_(MakeSource);                                                        \
    SPLITCHECK_EXPECT_PASSED(::splitcheck::testkit::run_source_check(                              \
        ::splitcheck::testkit::SourceCheck::kSplitAtFractionExhaustive, factory, Options,          \
        GetParam(), ::splitcheck::testkit::kExhaustiveChunks));                                    \
  }                                                                                                \
  INSTANTIATE_TEST_SUITE_P(Chunks, Suite##Exhaustive,                                              \
                           ::testing::Range(0, ::splitcheck::testkit::kExhaustiveChunks))

// One named test per sink check (Suite.CrashPoints, Suite.FinalizeIdempotence,
// Suite.RetriesAndSpeculation, Suite.OrderIndependence, Suite.Isolation,
// Suite.FailedWriteCleanup, Suite.Serialization).
// MakeSinkUnderTest is a function returning a SinkUnderTest<T>.
#define SPLITCHECK_SINK_CHECK_TEST_(Suite, Name, MakeSinkUnderTest, Options, Check) \
  TEST(Suite, Name) {                                                               \
    SPLITCHECK_EXPECT_PASSED(::splitcheck::testkit::run_sink_check(                 \
        ::splitcheck::testkit::SinkCheck::Check, MakeSinkUnderTest(), Options));    \
  }

#define SPLITCHECK_SINK_CONFORMANCE_TEST_(Suite, Make, Options)                                    \
  SPLITCHECK_SINK_CHECK_TEST_(Suite, CrashPoints, Make, Options, kCrashPoints)                     \
  SPLITCHECK_SINK_CHECK_TEST_(Suite, FinalizeIdempotence, Make, Options, kFinalizeIdempotence)     \
  SPLITCHECK_SINK_CHECK_TEST_(Suite, RetriesAndSpeculation, Make, Options, kRetriesAndSpeculation) \
  SPLITCHECK_SINK_CHECK_TEST_(Suite, OrderIndependence, Make, Options, kOrderIndependence)         \
  SPLITCHECK_SINK_CHECK_TEST_(Suite, Isolation, Make, Options, kIsolation)                         \
  SPLITCHECK_SINK_CHECK_TEST_(Suite, FailedWriteCleanup, Make, Options, kFailedWriteCleanup)       \
  SPLITCHECK_SINK_CHECK_TEST_(Suite, Serialization, Make, Options, kSerialization)

#define SPLITCHECK_SOURCE_MUTATION_TEST(Suite, MakeSource, ...) \
  SPLITCHECK_SOURCE_MUTATION_TEST_(Suite, MakeSource, SPLITCHECK_SOURCE_OPTIONS_(__VA_ARGS__))
#define SPLITCHECK_SINK_MUTATION_TEST(Suite, MakeSinkUnderTest, ...) \
  SPLITCHECK_SINK_MUTATION_TEST_(Suite, MakeSinkUnderTest, SPLITCHECK_SINK_OPTIONS_(__VA_ARGS__))

#define SPLITCHECK_SOURCE_MUTATION_TEST_(Suite, MakeSource, Options)                    \
  class Suite##Mutants : public ::testing::TestWithParam<int> {};                       \
  TEST_P(Suite##Mutants, Mutant) {                                                      \
    SPLITCHECK_SOURCE_FACTORY_(MakeSource);                                             \
    if (GetParam() == 0) {                                                              \
      EXPECT_TRUE(::splitcheck::testkit::ControlPassed(                                 \
          ::splitcheck::testkit::run_source_control(factory, Options)));                \
    } else {                                                                            \
      EXPECT_TRUE(::splitcheck::testkit::MutantRejected(                                \
          ::splitcheck::testkit::run_source_mutant(factory, Options, GetParam() - 1))); \
    }                                                                                   \
  }                                                                                     \
  INSTANTIATE_TEST_SUITE_P(Mutants, Suite##Mutants,                                     \
                           ::testing::Range(0, ::splitcheck::testkit::source_mutant_count() + 1))

#define SPLITCHECK_SINK_MUTATION_TEST_(Suite, MakeSinkUnderTest, Options)                         \
  class Suite##Mutants : public ::testing::TestWithParam<int> {};                                 \
  TEST_P(Suite##Mutants, Mutant) {                                                                \
    if (GetParam() == 0) {                                                                        \
      EXPECT_TRUE(::splitcheck::testkit::ControlPassed(                                           \
          ::splitcheck::testkit::run_sink_control(MakeSinkUnderTest(), Options)));                \
    } else {                                                                                      \
      EXPECT_TRUE(::splitcheck::testkit::MutantRejected(                                          \
          ::splitcheck::testkit::run_sink_mutant(MakeSinkUnderTest(), Options, GetParam() - 1))); \
    }                                                                                             \
  }                                                                                               \
  INSTANTIATE_TEST_SUITE_P(Mutants, Suite##Mutants,                                               \
                           ::testing::Range(0, ::splitcheck::testkit::sink_mutant_count() + 1))

#endif  // SPLITCHECK_TESTKIT_GTEST_H_
