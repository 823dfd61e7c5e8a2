// check_sources_equal_reference_source: a set of bundles (typically what
// split() returned) reads the same records as a reference range; and
// check_source_reads_records: a source reads records known in advance.
//
// Records are compared as multisets: bundles may come in any order and
// records within them keep the source's order. The failure names the bundle
// count, the record counts and the first record missing or duplicated. No
// bundles for a range that holds records is a failure (a runner would read
// nothing); a bundle with no source is kBroken.

#ifndef SPLITCHECK_TESTKIT_SOURCE_REFERENCE_EQUALITY_H_
#define SPLITCHECK_TESTKIT_SOURCE_REFERENCE_EQUALITY_H_

#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "splitcheck/lib/sources/bounded_source.h"
#include "splitcheck/testkit/check_result.h"
#include "splitcheck/testkit/internal/compare_records.h"
#include "splitcheck/testkit/internal/split_cases.h"
#include "splitcheck/testkit/source/read_source.h"

namespace splitcheck::testkit {

template <typename T, typename P>
CheckResult check_sources_equal_reference_source(
    const BoundedSource<T, P>& reference, const std::vector<SourceBundle<T, P>>& bundles,
    std::type_identity_t<std::optional<P>> start = std::nullopt,
    std::type_identity_t<std::optional<P>> stop = std::nullopt) {
  constexpr const char* kCheck = "sources_equal_reference_source";
  std::vector<T> expected;
  std::vector<T> actual;
  try {
    expected = read_from_source(reference, std::move(start), std::move(stop));
  } catch (...) {
    return CheckResult::broken(
        kCheck, "reading the reference threw: " + internal::current_exception_message());
  }
  for (std::size_t i = 0; i < bundles.size(); ++i) {
    if (bundles[i].source == nullptr) {
      return CheckResult::broken(kCheck, "bundle " + std::to_string(i) + " has no source");
    }
    try {
      for (T& r : read_from_source(*bundles[i].source, bundles[i].start, bundles[i].stop)) {
        actual.push_back(std::move(r));
      }
    } catch (...) {
      CheckResult threw =
          CheckResult::failed(kCheck, "reading bundle " + std::to_string(i) +
                                          " threw: " + internal::current_exception_message());
      threw.cases = static_cast<std::int64_t>(i) + 1;
      return threw;
    }
  }
  CheckResult result = CheckResult::passed(kCheck);
  // Each bundle read is a case, and so is the comparison when there are none.
  result.cases = std::max<std::int64_t>(1, static_cast<std::int64_t>(bundles.size()));
  result.records_read = static_cast<std::int64_t>(expected.size() + actual.size());
  if (auto diff = internal::first_multiset_difference(expected, actual)) {
    result.outcome = CheckResult::Outcome::kFailed;
    result.message = std::to_string(bundles.size()) + " bundles do not read the same records as " +
                     "the reference: " + *diff;
  }
  return result;
}

// check_source_reads_records: the source, read plainly over [start, stop),
// yields exactly `expected`, in order. Every other source check compares a
// source with itself, so a source that decodes its input wrong but the same
// way every time (compressed bytes read as text lines) passes them all: this
// is the check that holds it to records known from its input's own writer.
template <typename T, typename P>
CheckResult check_source_reads_records(const BoundedSource<T, P>& source,
                                       const std::vector<T>& expected,
                                       std::type_identity_t<std::optional<P>> start = std::nullopt,
                                       std::type_identity_t<std::optional<P>> stop = std::nullopt) {
  constexpr const char* kCheck = "source_reads_records";
  std::vector<T> actual;
  try {
    actual = read_from_source(source, std::move(start), std::move(stop));
  } catch (...) {
    CheckResult threw = CheckResult::failed(
        kCheck, "reading the source threw: " + internal::current_exception_message());
    threw.cases = 1;
    return threw;
  }
  CheckResult result = CheckResult::passed(kCheck);
  result.cases = 1;
  result.records_read = static_cast<std::int64_t>(actual.size());
  if (auto diff = internal::first_list_difference(expected, actual)) {
    result.outcome = CheckResult::Outcome::kFailed;
    result.message = source.debug_string() + " does not read the records expected: " + *diff;
  }
  return result;
}

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_SOURCE_REFERENCE_EQUALITY_H_
