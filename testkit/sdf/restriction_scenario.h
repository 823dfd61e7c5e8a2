// A restriction tracker scenario: a restriction and the operations run on a
// fresh tracker over it, as the restriction tracker contract checker
// generates, runs, shrinks and prints them (restriction_tracker_contract.h).
// Also the factory shape the checker takes.

#ifndef SPLITCHECK_TESTKIT_SDF_RESTRICTION_SCENARIO_H_
#define SPLITCHECK_TESTKIT_SDF_RESTRICTION_SCENARIO_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "splitcheck/lib/internal/no_fuzz_coverage.h"
#include "splitcheck/lib/sdf/restriction_tracker.h"

SPLITCHECK_BEGIN_NO_FUZZ_COVERAGE

namespace splitcheck::testkit {

// The current end of a growing input, for trackers that take an estimator
// (GrowableOffsetRestrictionTracker); other factories ignore it. In a
// check it answers what the scenario's last kSetEstimate said.
using EndEstimate = std::function<std::int64_t()>;

// Makes a fresh tracker over `restriction`.
template <typename R, typename P>
using RestrictionTrackerFactory = std::function<std::unique_ptr<RestrictionTracker<R, P>>(
    const R& restriction, EndEstimate end_estimate)>;

enum class RestrictionOpKind {
  kTryClaim,
  kTrySplit,
  kProgress,
  kCheckDone,
  kCurrentRestriction,
  kIsBounded,
  kSetEstimate,  // not a tracker call: what the end estimate answers from now on
};

template <typename P>
struct RestrictionOp {
  RestrictionOpKind kind = RestrictionOpKind::kProgress;
  P position{};               // kTryClaim
  double fraction = 0;        // kTrySplit
  std::int64_t estimate = 0;  // kSetEstimate
};

template <typename R, typename P>
struct RestrictionScenario {
  R restriction{};
  std::int64_t estimate = 0;  // the end estimate before any kSetEstimate
  std::vector<RestrictionOp<P>> ops;
};

// How an operation ended: normally, with a UsageError, or with another
// exception.
enum class RestrictionOpError { kNone, kUsage, kOther };

// What one operation returned.
template <typename R>
struct RestrictionOpResult {
  using Error = RestrictionOpError;
  Error error = Error::kNone;
  std::string message;  // of the error
  bool value = false;   // try_claim, is_bounded
  std::optional<RestrictionSplit<R>> split;
  RestrictionProgress progress;
  std::optional<R> restriction;  // current_restriction
};

// A concurrent case: a sequential prefix, then a reader (claims), a splitter
// (splits) and a monitor (progress, current_restriction, is_bounded) on
// three threads released together.
template <typename R, typename P>
struct ConcurrentRestrictionCase {
  R restriction{};
  std::int64_t estimate = 0;
  std::vector<RestrictionOp<P>> prefix;
  std::vector<std::vector<RestrictionOp<P>>> threads;
};

}  // namespace splitcheck::testkit

SPLITCHECK_END_NO_FUZZ_COVERAGE

#endif  // SPLITCHECK_TESTKIT_SDF_RESTRICTION_SCENARIO_H_
