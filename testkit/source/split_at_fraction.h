// Split-at-fraction checks, one case or a bisection of cases.
//
// A case is (k, f): make a tracker for the range, read k records, split at
// position_at_fraction(f), read the rest. The outcome is *consistent* when:
//   * the split was accepted at p, the tracker's stop became p, the reported
//     fraction is in [0, 1], the reader's records (the k before the split and
//     the rest) equal a fresh read of [start, p), and that fresh primary
//     followed by a fresh read of the residual [p, stop) equals a read of the
//     whole range, in order; or
//   * the split was refused and the reader's records equal the whole range;
// and, for an accepted split, the fraction it reported agrees with the
// tracker's own position_at_fraction (the share of the split position, not
// below it, not past the next position's) and is not below the reader's
// fraction_consumed() just before the split (see SplitOracle::
// check_split_fraction in internal/split_cases.h).
// Each case is checked against the expected outcome:
//   kMustSucceedAndBeConsistent, kMustFail, kMustBeConsistentIfSucceeds.
//
// check_split_at_fraction_binary bisects [left, right] for one k, running a
// case wherever the split position changes, until every distinct split
// position between them has been tried (Beam stops at fractions 0.001 apart
// and so skips positions on large sources).
//
// Failures name the case (k, fraction, position) and the first record lost,
// duplicated or wrong; `replay` is the call that reruns the case.

#ifndef SPLITCHECK_TESTKIT_SOURCE_SPLIT_AT_FRACTION_H_
#define SPLITCHECK_TESTKIT_SOURCE_SPLIT_AT_FRACTION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "splitcheck/lib/internal/describe.h"
#include "splitcheck/lib/sources/bounded_source.h"
#include "splitcheck/testkit/check_result.h"
#include "splitcheck/testkit/internal/split_cases.h"

namespace splitcheck::testkit {

enum class ExpectedSplitOutcome {
  kMustSucceedAndBeConsistent,
  kMustFail,
  kMustBeConsistentIfSucceeds,
};

namespace internal {

// Runs one case against `oracle`; the error, if any, names the case.
template <typename T, typename P>
CaseOutcome<P> run_fraction_case(SplitOracle<T, P>& oracle, std::int64_t k, double fraction,
                                 ExpectedSplitOutcome expected) {
  CaseReader<T, P> reader(oracle);
  CaseOutcome<P> outcome;
  if (auto error = reader.open(k)) {
    outcome.error = *error;
  } else {
    std::optional<P> position;
    try {
      position = reader.tracker().position_at_fraction(fraction);
    } catch (...) {
      outcome.error = "position_at_fraction threw: " + current_exception_message();
    }
    if (position.has_value()) outcome = split_and_finish(oracle, reader, *position);
    if (!outcome.error && expected == ExpectedSplitOutcome::kMustSucceedAndBeConsistent &&
        !outcome.accepted) {
      outcome.error =
          "the split at " + describe_value(*position) + " was refused, but must succeed";
    }
    if (!outcome.error && expected == ExpectedSplitOutcome::kMustFail && outcome.accepted) {
      outcome.error = "the split at " + describe_value(*outcome.split_position) +
                      " was accepted, but must fail";
    }
  }
  if (outcome.error) *outcome.error = case_name(k, fraction) + ": " + *outcome.error;
  return outcome;
}

// The enumerator's name, for replays.
inline const char* expected_name(ExpectedSplitOutcome expected) {
  switch (expected) {
    case ExpectedSplitOutcome::kMustSucceedAndBeConsistent:
      return "kMustSucceedAndBeConsistent";
    case ExpectedSplitOutcome::kMustFail:
      return "kMustFail";
    case ExpectedSplitOutcome::kMustBeConsistentIfSucceeds:
      break;
  }
  return "kMustBeConsistentIfSucceeds";
}

}  // namespace internal

// One case; see the file comment. `start`/`stop` select a sub-range.
template <typename T, typename P>
CheckResult check_split_at_fraction(const BoundedSource<T, P>& source,
                                    std::int64_t records_before_split, double fraction,
                                    ExpectedSplitOutcome expected,
                                    std::type_identity_t<std::optional<P>> start = std::nullopt,
                                    std::type_identity_t<std::optional<P>> stop = std::nullopt) {
  constexpr const char* kCheck = "split_at_fraction";
  try {
    internal::SplitOracle<T, P> oracle(source, std::move(start), std::move(stop));
    const auto outcome =
        internal::run_fraction_case(oracle, records_before_split, fraction, expected);
    CheckResult result = internal::result_of(kCheck, oracle, 1);
    if (outcome.error) {
      result.outcome = CheckResult::Outcome::kFailed;
      result.message = *outcome.error;
      result.replay = internal::replay_call(records_before_split, fraction, oracle.start(),
                                            oracle.stop(), internal::expected_name(expected));
    }
    return result;
  } catch (...) {
    return CheckResult::broken(
        kCheck, "reading the whole range threw: " + internal::current_exception_message());
  }
}

// Bisects [left_fraction, right_fraction] for one k; see the file comment.
template <typename T, typename P>
CheckResult check_split_at_fraction_binary(
    const BoundedSource<T, P>& source, std::int64_t records_before_split, double left_fraction,
    double right_fraction, std::type_identity_t<std::optional<P>> start = std::nullopt,
    std::type_identity_t<std::optional<P>> stop = std::nullopt) {
  constexpr const char* kCheck = "split_at_fraction_binary";
  try {
    internal::SplitOracle<T, P> oracle(source, std::move(start), std::move(stop));
    const auto tracker = source.get_range_tracker(oracle.start(), oracle.stop());
    std::int64_t cases = 0;
    std::optional<std::string> error;
    double failing_fraction = 0;
    struct Point {
      double fraction;
      P position;
    };
    auto run = [&](const Point& point) {
      ++cases;
      auto outcome = internal::run_fraction_case(oracle, records_before_split, point.fraction,
                                                 ExpectedSplitOutcome::kMustBeConsistentIfSucceeds);
      if (outcome.error && !error) {
        error = outcome.error;
        failing_fraction = point.fraction;
      }
    };
    std::vector<std::pair<Point, Point>> stack;
    Point left{left_fraction, tracker->position_at_fraction(left_fraction)};
    Point right{right_fraction, tracker->position_at_fraction(right_fraction)};
    run(left);
    if (!(left.position == right.position)) run(right);
    stack.emplace_back(std::move(left), std::move(right));
    while (!stack.empty() && !error) {
      auto [lo, hi] = std::move(stack.back());
      stack.pop_back();
      if (lo.position == hi.position || std::nextafter(lo.fraction, 2.0) >= hi.fraction) continue;
      const double mid_fraction = lo.fraction + (hi.fraction - lo.fraction) / 2;
      Point mid{mid_fraction, tracker->position_at_fraction(mid_fraction)};
      if (!(mid.position == lo.position) && !(mid.position == hi.position)) run(mid);
      stack.emplace_back(mid, std::move(hi));
      stack.emplace_back(std::move(lo), std::move(mid));
    }
    CheckResult result = internal::result_of(kCheck, oracle, cases);
    if (error) {
      result.outcome = CheckResult::Outcome::kFailed;
      result.message = *error;
      result.replay = internal::replay_call(records_before_split, failing_fraction, oracle.start(),
                                            oracle.stop());
    }
    return result;
  } catch (...) {
    return CheckResult::broken(
        kCheck, "reading the whole range threw: " + internal::current_exception_message());
  }
}

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_SOURCE_SPLIT_AT_FRACTION_H_
