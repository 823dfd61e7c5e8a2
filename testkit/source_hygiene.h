// check_source_hygiene: a source behaves as an immutable value.
//
//   * split() is deterministic: the same arguments give the same bundles
//     (positions and weights) twice;
//   * each bundle reads the same records alone, and when all bundles are read
//     at once on their own threads, and from a second source made by the
//     factory;
//   * split() of an empty range gives bundles that read nothing, and split()
//     of a one-record range gives bundles that read exactly that record.
// The factory is called twice: once for the source under test, once for the
// "copy".

#ifndef SPLITCHECK_TESTKIT_SOURCE_HYGIENE_H_
#define SPLITCHECK_TESTKIT_SOURCE_HYGIENE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "splitcheck/lib/bounded_source.h"
#include "splitcheck/testkit/check_result.h"
#include "splitcheck/testkit/internal/compare_records.h"
#include "splitcheck/testkit/internal/split_cases.h"
#include "splitcheck/testkit/internal/split_positions.h"
#include "splitcheck/testkit/read_source.h"

namespace splitcheck::testkit {

template <typename T, typename P>
using SourceFactory = std::function<std::shared_ptr<const BoundedSource<T, P>>()>;

template <typename T, typename P>
CheckResult check_source_hygiene(const SourceFactory<T, P>& factory,
                                 std::int64_t desired_bundles = 8) {
  constexpr const char* kCheck = "source_hygiene";
  using internal::describe_value;
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

    const auto first = source->split(desired, std::nullopt, std::nullopt);
    const auto second = source->split(desired, std::nullopt, std::nullopt);
    ++result.cases;
    if (first.size() != second.size()) {
      return fail("split(" + std::to_string(desired) + ") is not deterministic: it gave " +
                  std::to_string(first.size()) + " bundles, then " + std::to_string(second.size()));
    }
    for (std::size_t i = 0; i < first.size(); ++i) {
      if (first[i].start != second[i].start || first[i].stop != second[i].stop ||
          first[i].weight != second[i].weight) {
        return fail("split(" + std::to_string(desired) + ") is not deterministic: bundle " +
                    std::to_string(i) + " differs between two calls");
      }
    }

    std::vector<std::vector<T>> alone;
    for (const auto& b : first) alone.push_back(read_from_source(*b.source, b.start, b.stop));
    std::vector<std::vector<T>> together(first.size());
    std::vector<std::string> errors(first.size());
    {
      std::vector<std::thread> readers;
      for (std::size_t i = 0; i < first.size(); ++i) {
        readers.emplace_back([&, i] {
          try {
            together[i] = read_from_source(*first[i].source, first[i].start, first[i].stop);
          } catch (...) {
            errors[i] = internal::current_exception_message();
          }
        });
      }
      for (auto& t : readers) t.join();
    }
    const auto from_copy = copy->split(desired, std::nullopt, std::nullopt);
    for (std::size_t i = 0; i < first.size(); ++i) {
      result.cases += 2;
      result.records_read += static_cast<std::int64_t>(2 * alone[i].size());
      if (!errors[i].empty())
        return fail("bundle " + std::to_string(i) + " threw when read concurrently: " + errors[i]);
      if (auto diff = internal::first_list_difference(alone[i], together[i])) {
        return fail("bundle " + std::to_string(i) +
                    " reads differently when all bundles are read "
                    "at once: " +
                    *diff);
      }
      if (i < from_copy.size()) {
        const auto again =
            read_from_source(*from_copy[i].source, from_copy[i].start, from_copy[i].stop);
        if (auto diff = internal::first_list_difference(alone[i], again)) {
          return fail("bundle " + std::to_string(i) +
                      " of a second source from the factory reads "
                      "differently: " +
                      *diff);
        }
      }
    }

    // Edge ranges: empty, and one record.
    const auto tracker = source->get_range_tracker(std::nullopt, std::nullopt);
    const P start = tracker->start_position();
    ++result.cases;
    const auto empty = source->split(desired, start, start);
    for (const auto& b : empty) {
      const auto records = read_from_source(*b.source, b.start, b.stop);
      if (!records.empty()) {
        return fail("split of the empty range [" + describe_value(start) + ", " +
                    describe_value(start) + ") gave a bundle that reads " +
                    std::to_string(records.size()) + " records");
      }
    }
    const auto positions = internal::distinct_split_positions(*tracker, 64);
    for (const auto& [p, f] : positions.positions) {
      const auto prefix = read_from_source(*source, std::optional<P>(start), std::optional<P>(p));
      if (prefix.size() > 1) break;
      if (prefix.size() != 1) continue;
      ++result.cases;
      const auto one = read_bundles(source->split(desired, start, p));
      if (auto diff = internal::first_list_difference(prefix, one)) {
        return fail("split of the one-record range [" + describe_value(start) + ", " +
                    describe_value(p) + ") does not read that record: " + *diff);
      }
      break;
    }
  } catch (...) {
    return fail("the source threw: " + internal::current_exception_message());
  }
  return result;
}

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_SOURCE_HYGIENE_H_
