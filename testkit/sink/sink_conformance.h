// The sink conformance battery: every sink check on one SinkUnderTest.
//
//   for (const CheckResult& r : check_sink_conformance(sut)) ...
//
// or, with GoogleTest, one named test per check (testkit/gtest.h):
//
//   SPLITCHECK_SINK_CONFORMANCE_TEST(TextSinkConformance, MakeSinkUnderTest);
//
// The checks (SinkCheck): crash points (sink_crash_points.h), finalize
// idempotence, retries and speculation, order independence, isolation
// (sink_checks.h), failed-write cleanup (sink_failed_write.h), serialization
// (sink_serialization.h: the sink as bytes, and a write in worker processes).

#ifndef SPLITCHECK_TESTKIT_SINK_SINK_CONFORMANCE_H_
#define SPLITCHECK_TESTKIT_SINK_SINK_CONFORMANCE_H_

#include <vector>

#include "splitcheck/testkit/check_result.h"
#include "splitcheck/testkit/sink/sink_checks.h"
#include "splitcheck/testkit/sink/sink_crash_points.h"
#include "splitcheck/testkit/sink/sink_failed_write.h"
#include "splitcheck/testkit/sink/sink_serialization.h"
#include "splitcheck/testkit/sink/sink_under_test.h"

namespace splitcheck::testkit {

enum class SinkCheck {
  kCrashPoints,
  kFinalizeIdempotence,
  kRetriesAndSpeculation,
  kOrderIndependence,
  kIsolation,
  kFailedWriteCleanup,
  kSerialization,
};

inline constexpr SinkCheck kAllSinkChecks[] = {
    SinkCheck::kCrashPoints,
    SinkCheck::kFinalizeIdempotence,
    SinkCheck::kRetriesAndSpeculation,
    SinkCheck::kOrderIndependence,
    SinkCheck::kIsolation,
    SinkCheck::kFailedWriteCleanup,
    SinkCheck::kSerialization,
};

struct SinkConformanceOptions {
  SinkCrashOptions crash;
  SinkCheckOptions checks;
  SinkSerializationOptions serialization;
};

template <typename T>
CheckResult run_sink_check(SinkCheck check, const SinkUnderTest<T>& sut,
                           const SinkConformanceOptions& options = {}) {
  try {
    switch (check) {
      case SinkCheck::kCrashPoints:
        return check_sink_crash_points(sut, options.crash);
      case SinkCheck::kFinalizeIdempotence:
        return check_sink_finalize_idempotence(sut, options.checks);
      case SinkCheck::kRetriesAndSpeculation:
        return check_sink_retries_and_speculation(sut, options.checks);
      case SinkCheck::kOrderIndependence:
        return check_sink_order_independence(sut, options.checks);
      case SinkCheck::kIsolation:
        return check_sink_isolation(sut, options.checks);
      case SinkCheck::kFailedWriteCleanup:
        return check_sink_failed_write_cleanup(sut, options.checks.bundles);
      case SinkCheck::kSerialization:
        return check_sink_serialization(sut, options.serialization);
    }
  } catch (...) {
    return CheckResult::broken("sink_conformance",
                               "a check threw: " + internal::current_exception_message());
  }
  return CheckResult::broken("sink_conformance", "unknown check");
}

template <typename T>
std::vector<CheckResult> check_sink_conformance(const SinkUnderTest<T>& sut,
                                                const SinkConformanceOptions& options = {}) {
  std::vector<CheckResult> results;
  for (const SinkCheck check : kAllSinkChecks)
    results.push_back(run_sink_check(check, sut, options));
  return results;
}

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_SINK_SINK_CONFORMANCE_H_
