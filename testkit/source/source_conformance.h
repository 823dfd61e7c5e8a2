// The source conformance battery: every source check, on a source factory,
// with one set of options.
//
//   SourceConformanceOptions options;
//   for (const CheckResult& r : check_source_conformance<T, P>(factory, options)) ...
//
// or, with GoogleTest, one named test per check (see gtest.h):
//
//   // MakeSource() returns the source (a shared_ptr); MakeOptions() the
//   // SourceConformanceOptions.
//   SPLITCHECK_SOURCE_CONFORMANCE_TEST(CountingSourceConformance, MakeSource, MakeOptions);
//
// The checks (SourceCheck): reference equality of the bundles of split() at
// several bundle sizes, reentrant reads, split at fraction exhaustively (with
// concurrent trials), dynamic split schedules, the progress contract,
// source hygiene, and serialization (with the decoder the source names). Reference equality, the
// exhaustive check and hygiene run on the whole range and on `sub_ranges` inner sub-ranges [a, b)
// (start < a < b < stop, positions the source's own tracker names), so that a bug that shows only
// away from the ends of the source is caught at any size; what could not be chosen is in the
// result's notes. The exhaustive check can be cut in chunks over records-read counts (`chunk`,
// `chunks`), which is how the gtest macro spreads it over Bazel test shards.

#ifndef SPLITCHECK_TESTKIT_SOURCE_SOURCE_CONFORMANCE_H_
#define SPLITCHECK_TESTKIT_SOURCE_SOURCE_CONFORMANCE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "splitcheck/testkit/check_result.h"
#include "splitcheck/testkit/internal/split_cases.h"
#include "splitcheck/testkit/internal/sub_ranges.h"
#include "splitcheck/testkit/source/dynamic_split_schedules.h"
#include "splitcheck/testkit/source/exhaustive_split.h"
#include "splitcheck/testkit/source/progress_contract.h"
#include "splitcheck/testkit/source/reentrant_reads.h"
#include "splitcheck/testkit/source/reference_equality.h"
#include "splitcheck/testkit/source/source_hygiene.h"
#include "splitcheck/testkit/source/source_serialization.h"

namespace splitcheck::testkit {

enum class SourceCheck {
  kReferenceEquality,
  kReentrantReads,
  kSplitAtFractionExhaustive,
  kDynamicSplitSchedules,
  kProgressContract,
  kSourceHygiene,
  kSerialization,
};

inline constexpr SourceCheck kAllSourceChecks[] = {
    SourceCheck::kReferenceEquality,
    SourceCheck::kReentrantReads,
    SourceCheck::kSplitAtFractionExhaustive,
    SourceCheck::kDynamicSplitSchedules,
    SourceCheck::kProgressContract,
    SourceCheck::kSourceHygiene,
    SourceCheck::kSerialization,
};

struct SourceConformanceOptions {
  ExhaustiveSplitOptions exhaustive;
  ScheduleOptions schedules;
  ProgressOptions progress;
  SerializationOptions serialization;
  std::int64_t max_reentrant_cases = 1000;
  // Bundle counts split() is asked for in the reference-equality check.
  std::vector<std::int64_t> bundle_counts = {1, 3, 10, 100};
  // Inner sub-ranges checked besides the whole range; 0 turns them off (and
  // the results say so).
  int sub_ranges = 2;
};

namespace internal {

// Folds the result of a check on a sub-range into the whole range's: counts
// add up, the first failure wins (named by its sub-range), a sub-range that
// gave up or had notes says so in the notes.
inline void merge_sub_range_result(CheckResult& total, const CheckResult& part,
                                   const std::string& where) {
  total.cases += part.cases;
  total.records_read += part.records_read;
  for (const std::string& note : part.notes) total.notes.push_back(where + ": " + note);
  if (part.outcome == CheckResult::Outcome::kGaveUp) {
    total.notes.push_back(where + ": gave up: " + part.message);
  } else if (!part.ok() && total.ok()) {
    total.outcome = part.outcome;
    total.message = "on the sub-range " + where + ": " + part.message;
    total.replay = part.replay;
    if (part.split_map) total.split_map = part.split_map;
  }
}

// The bundles of split() at each bundle count, on [start, stop), against a
// read of that range.
template <typename T, typename P>
CheckResult reference_equality_on(const BoundedSource<T, P>& source,
                                  const std::vector<std::int64_t>& counts,
                                  const std::optional<P>& start, const std::optional<P>& stop) {
  CheckResult total = CheckResult::passed("sources_equal_reference_source");
  for (const std::int64_t count : counts) {
    const std::int64_t desired =
        std::max<std::int64_t>(1, source.estimate_size() / std::max<std::int64_t>(1, count));
    std::vector<SourceBundle<T, P>> bundles;
    try {
      bundles = source.split(desired, start, stop);
    } catch (...) {
      ++total.cases;
      total.replay = "source->split(" + std::to_string(desired) + ", " + describe_optional(start) +
                     ", " + describe_optional(stop) + ")";
      return total.fail("split(" + std::to_string(desired) +
                        ") threw: " + current_exception_message());
    }
    CheckResult one = check_sources_equal_reference_source(source, bundles, start, stop);
    total.cases += one.cases;
    total.records_read += one.records_read;
    if (!one) {
      one.message = "split(" + std::to_string(desired) + "): " + one.message;
      one.cases = total.cases;
      one.records_read = total.records_read;
      const std::string range = describe_optional(start) + ", " + describe_optional(stop);
      one.replay = "check_sources_equal_reference_source(*source, source->split(" +
                   std::to_string(desired) + ", " + range + "), " + range + ")";
      return one;
    }
  }
  return total;
}

}  // namespace internal

template <typename T, typename P>
CheckResult run_source_check(SourceCheck check, const SourceFactory<T, P>& factory,
                             const SourceConformanceOptions& options, int chunk = 0,
                             int chunks = 1) {
  const auto source = factory();
  if (source == nullptr)
    return CheckResult::broken("source_conformance", "the factory returned null");
  switch (check) {
    case SourceCheck::kReferenceEquality: {
      CheckResult total = internal::reference_equality_on(*source, options.bundle_counts,
                                                          std::optional<P>(), std::optional<P>());
      if (!total) return total;
      const auto inner = internal::inner_sub_ranges(*source, options.sub_ranges);
      total.notes.insert(total.notes.end(), inner.notes.begin(), inner.notes.end());
      for (const auto& range : inner.ranges) {
        internal::merge_sub_range_result(
            total,
            internal::reference_equality_on(*source, options.bundle_counts,
                                            std::optional<P>(range.first),
                                            std::optional<P>(range.second)),
            internal::describe_range(range));
      }
      return total;
    }
    case SourceCheck::kReentrantReads:
      return check_reentrant_reads(*source, options.max_reentrant_cases);
    case SourceCheck::kSplitAtFractionExhaustive: {
      ExhaustiveSplitOptions exhaustive = options.exhaustive;
      exhaustive.shard_index = chunk;
      exhaustive.shard_count = chunks;
      CheckResult total = check_split_at_fraction_exhaustive(*source, exhaustive);
      if (!total.ok()) return total;
      exhaustive.vacuous_is_failure = false;  // a sub-range may be one unsplittable part
      const auto inner = internal::inner_sub_ranges(*source, options.sub_ranges);
      total.notes.insert(total.notes.end(), inner.notes.begin(), inner.notes.end());
      for (const auto& range : inner.ranges) {
        internal::merge_sub_range_result(
            total,
            check_split_at_fraction_exhaustive(*source, exhaustive, std::optional<P>(range.first),
                                               std::optional<P>(range.second)),
            internal::describe_range(range));
      }
      return total;
    }
    case SourceCheck::kDynamicSplitSchedules:
      return check_dynamic_split_schedules(source, options.schedules);
    case SourceCheck::kProgressContract:
      return check_progress_contract(*source, options.progress);
    case SourceCheck::kSourceHygiene:
      return check_source_hygiene(factory, 8, options.sub_ranges);
    case SourceCheck::kSerialization:
      return check_source_serialization(factory, options.serialization);
  }
  return CheckResult::broken("source_conformance", "unknown check");
}

template <typename T, typename P>
std::vector<CheckResult> check_source_conformance(const SourceFactory<T, P>& factory,
                                                  const SourceConformanceOptions& options = {}) {
  std::vector<CheckResult> results;
  for (const SourceCheck check : kAllSourceChecks) {
    results.push_back(run_source_check(check, factory, options));
  }
  return results;
}

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_SOURCE_SOURCE_CONFORMANCE_H_
