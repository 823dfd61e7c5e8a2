// GoogleTest integration of the SDF checks.
//
//   SPLITCHECK_SDF_CONFORMANCE_TEST(Suite, MakeDoFn, MakeElements);
//
// expands to three tests, Suite.ExhaustiveSplit, Suite.Checkpoints and
// Suite.RunnerSchedules, each running that check (testkit/sdf/sdf_checks.h)
// on every element. MakeDoFn returns the DoFn (by value or a smart
// pointer); MakeElements a std::vector of its elements. The seeds are fixed
// (1) so that a cached pass means something; SPLITCHECK_SEED overrides them.

#ifndef SPLITCHECK_TESTKIT_SDF_GTEST_H_
#define SPLITCHECK_TESTKIT_SDF_GTEST_H_

#include <cstdlib>
#include <memory>
#include <type_traits>

#include "splitcheck/testkit/gtest.h"
#include "splitcheck/testkit/sdf/sdf_checks.h"

namespace splitcheck::testkit::internal {

template <typename D>
const auto& dofn_of(const D& d) {
  if constexpr (requires { *d; }) {
    return *d;
  } else {
    return d;
  }
}

inline SdfCheckOptions sdf_gate_options() {
  SdfCheckOptions o;
  o.seed = std::getenv("SPLITCHECK_SEED") != nullptr ? 0 : 1;
  return o;
}

}  // namespace splitcheck::testkit::internal

#define SPLITCHECK_SDF_CHECK_TEST_(Suite, Name, MakeDoFn, MakeElements, check)                \
  TEST(Suite, Name) {                                                                         \
    const auto splitcheck_made = MakeDoFn();                                                  \
    const auto& splitcheck_dofn = ::splitcheck::testkit::internal::dofn_of(splitcheck_made);  \
    for (const auto& splitcheck_element : MakeElements()) {                                   \
      SPLITCHECK_EXPECT_PASSED(                                                               \
          ::splitcheck::testkit::check(splitcheck_dofn, splitcheck_element,                   \
                                       ::splitcheck::testkit::internal::sdf_gate_options())); \
    }                                                                                         \
  }

#define SPLITCHECK_SDF_CONFORMANCE_TEST(Suite, MakeDoFn, MakeElements)                          \
  SPLITCHECK_SDF_CHECK_TEST_(Suite, ExhaustiveSplit, MakeDoFn, MakeElements,                    \
                             check_sdf_exhaustive_split)                                        \
  SPLITCHECK_SDF_CHECK_TEST_(Suite, Checkpoints, MakeDoFn, MakeElements, check_sdf_checkpoints) \
  SPLITCHECK_SDF_CHECK_TEST_(Suite, RunnerSchedules, MakeDoFn, MakeElements,                    \
                             check_sdf_runner_schedules)                                        \
  static_assert(true, "a semicolon after the macro")

#endif  // SPLITCHECK_TESTKIT_SDF_GTEST_H_
