// check_source_hygiene: a source behaves as an immutable value.
//
// On the whole range, and on inner sub-ranges [a, b) (start < a < b < stop,
// positions the source's own tracker names; see internal/sub_ranges.h):
//   * split() is deterministic: the same arguments give the same bundles
//     (positions and weights) twice;
//   * each bundle reads the same records alone, and when all bundles are read
//     at once on their own threads, and (whole range) from a second source
//     made by the factory;
//   * split() of an empty range [a, a) gives bundles that read nothing, and
//     split() of a one-record range [a, p) gives bundles that read exactly
//     that record, at the start and at the start of each sub-range.
// What could not be run (no one-record range among sampled positions, a
// range too small for a sub-range) is in the result's notes, never skipped
// silently. The factory is called twice: once for the source under test,
// once for the "copy".

#ifndef SPLITCHECK_TESTKIT_SOURCE_SOURCE_HYGIENE_H_
#define SPLITCHECK_TESTKIT_SOURCE_SOURCE_HYGIENE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "splitcheck/lib/sources/bounded_source.h"
#include "splitcheck/testkit/check_result.h"
#include "splitcheck/testkit/internal/compare_records.h"
#include "splitcheck/testkit/internal/split_cases.h"
#include "splitcheck/testkit/internal/split_positions.h"
#include "splitcheck/testkit/internal/sub_ranges.h"
#include "splitcheck/testkit/source/read_source.h"
#include "splitcheck/testkit/source/source_factory.h"

namespace splitcheck::testkit {

namespace internal {

// Whether two results of the same split() call agree, bundle by bundle.
template <typename T, typename P>
std::optional<std::string> same_bundles(const std::vector<SourceBundle<T, P>>& first,
                                        const std::vector<SourceBundle<T, P>>& second,
                                        const std::string& call) {
  if (first.size() != second.size()) {
    return call + " is not deterministic: it gave " + std::to_string(first.size()) +
           " bundles, then " + std::to_string(second.size());
  }
  for (std::size_t i = 0; i < first.size(); ++i) {
    if (first[i].start != second[i].start || first[i].stop != second[i].stop ||
        first[i].weight != second[i].weight) {
      return call + " is not deterministic: bundle " + std::to_string(i) +
             " differs between two calls";
    }
  }
  return std::nullopt;
}

// Every bundle read at once, each on its own thread (as a runner's workers
// would): the records, or the message of what a read threw.
template <typename T, typename P>
std::pair<std::vector<std::vector<T>>, std::vector<std::string>> read_all_at_once(
    const std::vector<SourceBundle<T, P>>& bundles) {
  std::vector<std::vector<T>> records(bundles.size());
  std::vector<std::string> errors(bundles.size());
  std::vector<std::thread> readers;
  for (std::size_t i = 0; i < bundles.size(); ++i) {
    readers.emplace_back([&, i] {
      try {
        records[i] = read_from_source(*bundles[i].source, bundles[i].start, bundles[i].stop);
      } catch (...) {
        errors[i] = current_exception_message();
      }
    });
  }
  for (auto& t : readers) t.join();
  return {std::move(records), std::move(errors)};
}

// The hygiene cases on [start, stop) (absent: the source's own bounds);
// `copy` is a second source from the factory, or null. Returns the failure,
// if any; counts cases and records into `result`.
template <typename T, typename P>
std::optional<std::string> hygiene_on(const BoundedSource<T, P>& source,
                                      const BoundedSource<T, P>* copy, std::int64_t desired,
                                      const std::optional<P>& start, const std::optional<P>& stop,
                                      CheckResult& result) {
  const std::string call =
      "split(" + std::to_string(desired) +
      (start ? ", " + describe_value(*start) + ", " + describe_value(*stop) : std::string()) + ")";
  const auto first = source.split(desired, start, stop);
  ++result.cases;
  if (auto error = same_bundles(first, source.split(desired, start, stop), call)) return error;
  std::vector<std::vector<T>> alone;
  for (const auto& b : first) alone.push_back(read_from_source(*b.source, b.start, b.stop));
  const auto [together, errors] = read_all_at_once(first);
  const auto from_copy =
      copy != nullptr ? copy->split(desired, start, stop) : std::vector<SourceBundle<T, P>>();
  for (std::size_t i = 0; i < first.size(); ++i) {
    result.cases += 2;
    result.records_read += static_cast<std::int64_t>(2 * alone[i].size());
    if (!errors[i].empty()) {
      return call + ": bundle " + std::to_string(i) + " threw when read concurrently: " + errors[i];
    }
    if (auto diff = first_list_difference(alone[i], together[i])) {
      return call + ": bundle " + std::to_string(i) +
             " reads differently when all bundles are read at once: " + *diff;
    }
    if (i < from_copy.size()) {
      const auto again =
          read_from_source(*from_copy[i].source, from_copy[i].start, from_copy[i].stop);
      if (auto diff = first_list_difference(alone[i], again)) {
        return call + ": bundle " + std::to_string(i) +
               " of a second source from the factory reads differently: " + *diff;
      }
    }
  }
  return std::nullopt;
}

// The first position p after `at` such that [at, p) holds a record, found by
// bisecting the fractions of a tracker for [at, stop) (the count of records
// before a position grows with it). Empty if [at, stop) holds none.
template <typename T, typename P>
std::optional<std::pair<P, std::vector<T>>> first_record_range(const BoundedSource<T, P>& source,
                                                               const P& at,
                                                               const std::optional<P>& stop) {
  const auto tracker = source.get_range_tracker(at, stop);
  const auto prefix = [&](double f) {
    P p = tracker->position_at_fraction(f);
    auto records = read_from_source(source, std::optional<P>(at), std::optional<P>(p));
    return std::make_pair(std::move(p), std::move(records));
  };
  auto hi = prefix(1.0);
  if (hi.second.empty()) return std::nullopt;
  double lo_f = 0.0;
  double hi_f = 1.0;
  while (std::nextafter(lo_f, 2.0) < hi_f && hi.second.size() > 1) {
    const double mid_f = lo_f + (hi_f - lo_f) / 2;
    auto mid = prefix(mid_f);
    if (mid.second.empty()) {
      lo_f = mid_f;
    } else {
      hi_f = mid_f;
      hi = std::move(mid);
    }
  }
  return hi;
}

// The edge ranges at `at`, a start of [at, stop): the empty range [at, at),
// and the shortest range [at, p) that holds a record, which must hold one
// (else the positions are too coarse for the case, and a note says so).
template <typename T, typename P>
std::optional<std::string> edge_ranges_at(const BoundedSource<T, P>& source, std::int64_t desired,
                                          const P& at, const std::optional<P>& stop,
                                          CheckResult& result) {
  ++result.cases;
  for (const auto& b : source.split(desired, at, at)) {
    const auto records = read_from_source(*b.source, b.start, b.stop);
    if (!records.empty()) {
      return "split of the empty range [" + describe_value(at) + ", " + describe_value(at) +
             ") gave a bundle that reads " + std::to_string(records.size()) + " records";
    }
  }
  const auto first = first_record_range(source, at, stop);
  if (!first) {
    result.notes.push_back("the range starting at " + describe_value(at) +
                           " holds no record: the one-record case was not run");
    return std::nullopt;
  }
  const auto& [p, records] = *first;
  if (records.size() != 1) {
    result.notes.push_back("no range starting at " + describe_value(at) +
                           " holds exactly one record (the shortest, to " + describe_value(p) +
                           ", holds " + std::to_string(records.size()) +
                           "): the one-record case was not run");
    return std::nullopt;
  }
  ++result.cases;
  const auto one = read_bundles(source.split(desired, at, p));
  if (auto diff = first_list_difference(records, one)) {
    return "split of the one-record range [" + describe_value(at) + ", " + describe_value(p) +
           ") does not read that record: " + *diff;
  }
  return std::nullopt;
}

}  // namespace internal

template <typename T, typename P>
CheckResult check_source_hygiene(const SourceFactory<T, P>& factory,
                                 std::int64_t desired_bundles = 8, int sub_ranges = 2) {
  constexpr const char* kCheck = "source_hygiene";
  CheckResult result = CheckResult::passed(kCheck);
  auto fail = [&](std::string message) {
    result.outcome = CheckResult::Outcome::kFailed;
    result.message = std::move(message);
    return result;
  };
  try {
    const auto source = factory();
    const auto copy = factory();
    if (source == nullptr || copy == nullptr)
      return CheckResult::broken(kCheck, "the factory returned null");
    const std::int64_t desired = std::max<std::int64_t>(
        1, source->estimate_size() / std::max<std::int64_t>(1, desired_bundles));
    if (auto error = internal::hygiene_on(*source, copy.get(), desired, std::optional<P>(),
                                          std::optional<P>(), result)) {
      return fail(*error);
    }
    const P start = source->get_range_tracker(std::nullopt, std::nullopt)->start_position();
    if (auto error =
            internal::edge_ranges_at(*source, desired, start, std::optional<P>(), result)) {
      return fail(*error);
    }
    const internal::SubRanges<P> inner = internal::inner_sub_ranges(*source, sub_ranges);
    result.notes.insert(result.notes.end(), inner.notes.begin(), inner.notes.end());
    for (const auto& range : inner.ranges) {
      const std::optional<P> a(range.first);
      const std::optional<P> b(range.second);
      if (auto error = internal::hygiene_on(*source, copy.get(), desired, a, b, result)) {
        return fail("on the sub-range " + internal::describe_range(range) + ": " + *error);
      }
      if (auto error = internal::edge_ranges_at(*source, desired, range.first, b, result)) {
        return fail("on the sub-range " + internal::describe_range(range) + ": " + *error);
      }
    }
  } catch (...) {
    return fail("the source threw: " + internal::current_exception_message());
  }
  return result;
}

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_SOURCE_SOURCE_HYGIENE_H_
