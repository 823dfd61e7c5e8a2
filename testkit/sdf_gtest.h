// GoogleTest integration of the SDF checks.
//
//   SPLITCHECK_SDF_CONFORMANCE_TEST(Suite, MakeDoFn, MakeElements);
//
//   SPLITCHECK_SDF_CONFORMANCE_TEST(Suite, MakeDoFn, MakeElements, MakeOptions);
//
// expands to three tests, Suite.ExhaustiveSplit, Suite.Checkpoints and
// Suite.RunnerSchedules, each running that check (testkit/sdf/sdf_checks.h)
// on every element. MakeDoFn returns the DoFn (by value or a smart
// pointer); MakeElements a std::vector of its elements; MakeOptions, when
// given, the SdfCheckOptions (else the defaults). A seed of 0 is fixed at 1
// so that a cached pass means something; SPLITCHECK_SEED overrides it. The
// mutation macros below take the same optional MakeOptions.
// Compiled with SPLITCHECK_GATE_AND_MUTANTS (as splitcheck_sdf_conformance_test
// of bazel/defs.bzl compiles its factory file), it expands to the mutation
// test below as well, and testkit/gate_main.cc runs one part or the other:
// such a factory file holds the conformance line alone (a mutation line for
// the same suite would define its test twice). No elements is a failure.
//
//   SPLITCHECK_SDF_MUTATION_TEST(Suite, MakeDoFn, MakeElements);
//   SPLITCHECK_RESTRICTION_TRACKER_MUTATION_TEST(Suite, MakeFactory, MakeDomain);
//
// expand to the mutation analysis of those gates (testkit/sdf/
// sdf_mutation_analysis.h), one test case per mutant (SuiteMutants.Mutant/0
// is the control, the gate on the connector itself, run once per use of a
// macro in a test process): each passes when its mutant is rejected or
// cannot apply, and prints the outcome; after a rejected control each
// mutant fails, not judged. MakeFactory
// returns a RestrictionTrackerFactory, MakeDomain its RestrictionDomain.

#ifndef SPLITCHECK_TESTKIT_SDF_GTEST_H_
#define SPLITCHECK_TESTKIT_SDF_GTEST_H_

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <type_traits>

// The adapter of BoundedSources, so that a gate of a source run as an SDF
// (BoundedSourceDoFn) needs nothing more.
#include "splitcheck/lib/sdf/bounded_source_dofn.h"
#include "splitcheck/testkit/gtest.h"
#include "splitcheck/testkit/sdf/sdf_checks.h"
#include "splitcheck/testkit/sdf/sdf_mutation_analysis.h"

namespace splitcheck::testkit::internal {

template <typename D>
const auto& dofn_of(const D& d) {
  if constexpr (requires { *d; }) {
    return *d;
  } else {
    return d;
  }
}

// The gate's options: the default ones, or MakeOptions()'s; a seed of 0 is
// fixed at 1 unless SPLITCHECK_SEED is set (then it names the seed).
inline SdfCheckOptions sdf_gate_options(SdfCheckOptions o = {}) {
  if (o.seed == 0 && std::getenv("SPLITCHECK_SEED") == nullptr) o.seed = 1;
  return o;
}
template <typename MakeOptions>
requires std::is_invocable_r_v<SdfCheckOptions, MakeOptions> SdfCheckOptions
sdf_gate_options(MakeOptions make) {
  return sdf_gate_options(make());
}

inline RestrictionContractOptions restriction_gate_options() {
  RestrictionContractOptions o;
  o.seed = std::getenv("SPLITCHECK_SEED") != nullptr ? 0 : 1;
  return o;
}

}  // namespace splitcheck::testkit::internal

#define SPLITCHECK_SDF_OPTIONS_(...) ::splitcheck::testkit::internal::sdf_gate_options(__VA_ARGS__)

#define SPLITCHECK_SDF_CHECK_TEST_(Suite, Name, MakeDoFn, MakeElements, check, options)      \
  TEST(Suite, Name) {                                                                        \
    const auto splitcheck_made = MakeDoFn();                                                 \
    const auto& splitcheck_dofn = ::splitcheck::testkit::internal::dofn_of(splitcheck_made); \
    const auto splitcheck_elements = MakeElements();                                         \
    ASSERT_FALSE(splitcheck_elements.empty()) << "no elements to run the gate on";           \
    const ::splitcheck::testkit::SdfCheckOptions splitcheck_options = options;               \
    for (std::size_t splitcheck_i = 0; splitcheck_i < splitcheck_elements.size();            \
         ++splitcheck_i) {                                                                   \
      SPLITCHECK_EXPECT_PASSED(::splitcheck::testkit::check(                                 \
          splitcheck_dofn, splitcheck_elements[splitcheck_i], splitcheck_options))           \
          << "element " << splitcheck_i << " of MakeElements()";                             \
    }                                                                                        \
  }

#define SPLITCHECK_SDF_CONFORMANCE_TEST_(Suite, MakeDoFn, MakeElements, options)                \
  SPLITCHECK_SDF_CHECK_TEST_(Suite, ExhaustiveSplit, MakeDoFn, MakeElements,                    \
                             check_sdf_exhaustive_split, options)                               \
  SPLITCHECK_SDF_CHECK_TEST_(Suite, Checkpoints, MakeDoFn, MakeElements, check_sdf_checkpoints, \
                             options)                                                           \
  SPLITCHECK_SDF_CHECK_TEST_(Suite, RunnerSchedules, MakeDoFn, MakeElements,                    \
                             check_sdf_runner_schedules, options)                               \
  static_assert(true, "a semicolon after the macro")

#ifndef SPLITCHECK_GATE_AND_MUTANTS
#define SPLITCHECK_SDF_CONFORMANCE_TEST(Suite, MakeDoFn, MakeElements, ...) \
  SPLITCHECK_SDF_CONFORMANCE_TEST_(Suite, MakeDoFn, MakeElements,           \
                                   SPLITCHECK_SDF_OPTIONS_(__VA_ARGS__))
#else
// Both parts in one program (splitcheck_sdf_conformance_test of
// bazel/defs.bzl); testkit/gate_main.cc runs one of them.
#define SPLITCHECK_SDF_CONFORMANCE_TEST(Suite, MakeDoFn, MakeElements, ...) \
  SPLITCHECK_SDF_CONFORMANCE_TEST_(Suite, MakeDoFn, MakeElements,           \
                                   SPLITCHECK_SDF_OPTIONS_(__VA_ARGS__));   \
  SPLITCHECK_SDF_MUTATION_TEST(Suite, MakeDoFn, MakeElements __VA_OPT__(, ) __VA_ARGS__)
#endif

#define SPLITCHECK_SDF_MUTATION_TEST(Suite, MakeDoFn, MakeElements, ...)                       \
  class Suite##Mutants : public ::testing::TestWithParam<int> {};                              \
  TEST_P(Suite##Mutants, Mutant) {                                                             \
    const auto splitcheck_made = MakeDoFn();                                                   \
    const auto& splitcheck_dofn = ::splitcheck::testkit::internal::dofn_of(splitcheck_made);   \
    const auto splitcheck_elements = MakeElements();                                           \
    ASSERT_FALSE(splitcheck_elements.empty()) << "no elements to run the gate on";             \
    const ::splitcheck::testkit::SdfCheckOptions splitcheck_options =                          \
        SPLITCHECK_SDF_OPTIONS_(__VA_ARGS__);                                                  \
    /* One control per use of the macro in a test process: its facts judge */                  \
    /* which mutants apply, and after its rejection none is judged. */                         \
    static const auto splitcheck_control = ::splitcheck::testkit::internal::sdf_control(       \
        splitcheck_dofn, splitcheck_elements, splitcheck_options);                             \
    if (GetParam() == 0) {                                                                     \
      EXPECT_TRUE(::splitcheck::testkit::ControlPassed(splitcheck_control.first));             \
    } else {                                                                                   \
      EXPECT_TRUE(::splitcheck::testkit::MutantRejected(::splitcheck::testkit::run_sdf_mutant( \
          splitcheck_dofn, splitcheck_elements, splitcheck_options, GetParam() - 1,            \
          splitcheck_control.second.get())));                                                  \
    }                                                                                          \
  }                                                                                            \
  INSTANTIATE_TEST_SUITE_P(Mutants, Suite##Mutants,                                            \
                           ::testing::Range(0, ::splitcheck::testkit::sdf_mutant_count() + 1))

// After a rejected control, no mutant is judged (each fails, saying so).
#define SPLITCHECK_RESTRICTION_TRACKER_MUTATION_TEST(Suite, MakeFactory, MakeDomain)             \
  class Suite##Mutants : public ::testing::TestWithParam<int> {};                                \
  TEST_P(Suite##Mutants, Mutant) {                                                               \
    const auto splitcheck_options = ::splitcheck::testkit::internal::restriction_gate_options(); \
    static const ::splitcheck::testkit::MutantOutcome splitcheck_control =                       \
        ::splitcheck::testkit::run_restriction_tracker_control(MakeFactory(), MakeDomain(),      \
                                                               splitcheck_options);              \
    if (GetParam() == 0) {                                                                       \
      EXPECT_TRUE(::splitcheck::testkit::ControlPassed(splitcheck_control));                     \
    } else if (splitcheck_control.verdict ==                                                     \
               ::splitcheck::testkit::MutantOutcome::Verdict::kRejected) {                       \
      ADD_FAILURE() << "not judged: the gate rejects the tracker itself: "                       \
                    << splitcheck_control.detail;                                                \
    } else {                                                                                     \
      EXPECT_TRUE(::splitcheck::testkit::MutantRejected(                                         \
          ::splitcheck::testkit::run_restriction_tracker_mutant(                                 \
              MakeFactory(), MakeDomain(), splitcheck_options, GetParam() - 1)));                \
    }                                                                                            \
  }                                                                                              \
  INSTANTIATE_TEST_SUITE_P(                                                                      \
      Mutants, Suite##Mutants,                                                                   \
      ::testing::Range(0, ::splitcheck::testkit::restriction_tracker_mutant_count() + 1))

#endif  // SPLITCHECK_TESTKIT_SDF_GTEST_H_
