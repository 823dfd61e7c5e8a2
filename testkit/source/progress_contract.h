// check_progress_contract: what a reader reports about its progress is true.
//
// Reads the range twice, once plainly and once with a dynamic split at the
// middle of the remainder after a third of the records, and at every step:
//   * fraction_consumed() is a number in [0, 1] and never decreases (it may
//     jump up when the split shrinks the range);
//   * split_points().consumed never decreases and never exceeds the records
//     emitted so far; remaining is kUnknown or >= 0, and 0 once the tracker
//     is done;
//   * a known remaining count never runs short: at each step, consumed plus
//     remaining is at least the split points consumed when the read ends
//     (the final count, the one being read included). Beam's runners take
//     1 remaining to mean "only the current record: do not split"; a count
//     too low hides work a split could have shared. A count too high is an
//     estimate and passes.
// Then splits the source into about `bundles` bundles and checks that their
// weights add up to estimate_size() within `size_tolerance` (a relative
// error; 0.1 = 10%).

#ifndef SPLITCHECK_TESTKIT_SOURCE_PROGRESS_CONTRACT_H_
#define SPLITCHECK_TESTKIT_SOURCE_PROGRESS_CONTRACT_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "splitcheck/lib/internal/describe.h"
#include "splitcheck/lib/sources/bounded_source.h"
#include "splitcheck/testkit/check_result.h"
#include "splitcheck/testkit/internal/split_cases.h"

namespace splitcheck::testkit {

struct ProgressOptions {
  double size_tolerance = 0.1;
  std::int64_t bundles = 10;
};

namespace internal {

// Reads the range, splitting once after `split_after` records (if set), and
// checks the progress reports at every step.
template <typename T, typename P>
std::optional<std::string> watch_progress(const BoundedSource<T, P>& source,
                                          std::optional<std::int64_t> split_after,
                                          std::int64_t* records_read) {
  using splitcheck::internal::describe_double;
  auto tracker = source.get_range_tracker(std::nullopt, std::nullopt);
  double last_fraction = 0;
  std::int64_t last_consumed = 0;
  std::int64_t emitted = 0;
  struct Promise {
    std::int64_t consumed, remaining;
    std::string at;
  };
  std::vector<Promise> promises;  // each step's known remaining count
  auto look = [&](const char* when) -> std::optional<std::string> {
    const double fraction = tracker->fraction_consumed();
    const SplitPoints points = tracker->split_points();
    const std::string at = std::string(when) + " (after " + std::to_string(emitted) + " records" +
                           (split_after ? ", with a split" : "") + ")";
    if (!(fraction >= 0.0 && fraction <= 1.0)) {
      return "fraction_consumed is " + describe_double(fraction) + " " + at + ", outside [0, 1]";
    }
    if (fraction < last_fraction) {
      return "fraction_consumed went back from " + describe_double(last_fraction) + " to " +
             describe_double(fraction) + " " + at;
    }
    if (points.consumed < last_consumed || points.consumed > emitted) {
      return "split_points().consumed is " + std::to_string(points.consumed) + " " + at +
             " (it was " + std::to_string(last_consumed) + ")";
    }
    if (points.remaining < 0 && points.remaining != SplitPoints::kUnknown) {
      return "split_points().remaining is " + std::to_string(points.remaining) + " " + at;
    }
    if (points.remaining != SplitPoints::kUnknown) {
      promises.push_back({points.consumed, points.remaining, at});
    }
    last_fraction = fraction;
    last_consumed = points.consumed;
    return std::nullopt;
  };
  try {
    if (auto error = look("before the read")) return error;
    for (T& record : source.read(*tracker)) {
      (void)record;
      ++emitted;
      if (auto error = look("during the read")) return error;
      if (split_after && emitted == *split_after) {
        const double f = tracker->fraction_consumed();
        tracker->try_split(tracker->position_at_fraction(std::min(1.0, f + (1 - f) / 2)));
        if (auto error = look("right after the split")) return error;
      }
    }
    if (auto error = look("after the read")) return error;
    const SplitPoints end = tracker->split_points();
    if (tracker->fraction_consumed() == 1.0 && end.remaining != 0 &&
        end.remaining != SplitPoints::kUnknown) {
      return "split_points().remaining is " + std::to_string(end.remaining) +
             " after the read ended";
    }
    for (const Promise& promise : promises) {
      const std::int64_t still = end.consumed - promise.consumed;
      if (promise.remaining < still) {
        return "split_points().remaining is " + std::to_string(promise.remaining) + " " +
               promise.at + ", but " + std::to_string(still) +
               " split points were still read from there (the one being read included): a "
               "count that runs short tells a runner no split is possible";
      }
    }
  } catch (...) {
    return "the source threw: " + current_exception_message();
  }
  *records_read += emitted;
  return std::nullopt;
}

}  // namespace internal

template <typename T, typename P>
CheckResult check_progress_contract(const BoundedSource<T, P>& source,
                                    ProgressOptions options = {}) {
  using splitcheck::internal::describe_double;
  CheckResult result = CheckResult::passed("progress_contract");
  result.replay = "check_progress_contract(source, {.size_tolerance = " +
                  describe_double(options.size_tolerance) +
                  ", .bundles = " + std::to_string(options.bundles) + "})";
  std::int64_t n = 0;
  ++result.cases;  // a whole read
  if (auto error = internal::watch_progress(source, std::nullopt, &n)) {
    return result.fail(*error);
  }
  result.records_read = n;
  ++result.cases;  // a read split a third of the way
  if (auto error = internal::watch_progress(source, std::max<std::int64_t>(1, n / 3),
                                            &result.records_read)) {
    return result.fail(*error);
  }
  ++result.cases;  // the weights of split() against estimate_size()
  try {
    const std::int64_t size = source.estimate_size();
    if (size < 0) return result.fail("estimate_size() is negative");
    const std::int64_t desired =
        std::max<std::int64_t>(1, size / std::max<std::int64_t>(1, options.bundles));
    double total = 0;
    for (const auto& bundle : source.split(desired, std::nullopt, std::nullopt))
      total += bundle.weight;
    const double error = size == 0 ? total : std::abs(total - size) / static_cast<double>(size);
    if (error > options.size_tolerance) {
      return result.fail("the bundles of split(" + std::to_string(desired) + ") weigh " +
                         describe_double(total) + " in all, but estimate_size() is " +
                         std::to_string(size) + " (tolerance " +
                         describe_double(options.size_tolerance) + ")");
    }
  } catch (...) {
    return result.fail("splitting threw: " + internal::current_exception_message());
  }
  result.replay.clear();
  return result;
}

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_SOURCE_PROGRESS_CONTRACT_H_
