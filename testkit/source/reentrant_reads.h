// check_reentrant_reads: two readers of one source do not disturb each other.
//
// For each k from 0 to n: a first reader reads k records; a second reader
// then reads the whole range; then the first finishes. Both must produce
// exactly the whole range, in order. This catches state shared between
// readers (a cursor, a buffer, an open handle kept in the source). With more
// than max_cases values of k, evenly spaced ones are used and a note says so.

#ifndef SPLITCHECK_TESTKIT_SOURCE_REENTRANT_READS_H_
#define SPLITCHECK_TESTKIT_SOURCE_REENTRANT_READS_H_

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "splitcheck/lib/sources/bounded_source.h"
#include "splitcheck/testkit/check_result.h"
#include "splitcheck/testkit/internal/compare_records.h"
#include "splitcheck/testkit/internal/split_cases.h"

namespace splitcheck::testkit {

template <typename T, typename P>
CheckResult check_reentrant_reads(const BoundedSource<T, P>& source, std::int64_t max_cases = 1000,
                                  std::type_identity_t<std::optional<P>> start = std::nullopt,
                                  std::type_identity_t<std::optional<P>> stop = std::nullopt) {
  constexpr const char* kCheck = "reentrant_reads";
  try {
    internal::SplitOracle<T, P> oracle(source, std::move(start), std::move(stop));
    const auto n = static_cast<std::int64_t>(oracle.reference().size());
    const std::int64_t count = std::min(n + 1, std::max<std::int64_t>(1, max_cases));
    CheckResult result = CheckResult::passed(kCheck);
    for (std::int64_t c = 0; c < count; ++c) {
      const std::int64_t k = count == n + 1 ? c : c * n / std::max<std::int64_t>(1, count - 1);
      internal::CaseReader<T, P> first(oracle);
      std::optional<std::string> error = first.open(k);
      if (!error) {
        internal::CaseReader<T, P> second(oracle);
        error = second.open(0);
        if (!error) error = second.drain(n, "by the second reader");
      }
      if (!error) error = first.drain(n, "by the first reader after the second finished");
      ++result.cases;
      if (error) {
        result.outcome = CheckResult::Outcome::kFailed;
        result.message = "first reader paused after " + std::to_string(k) + " records: " + *error;
        break;
      }
    }
    if (count < n + 1) {
      result.notes.push_back(std::to_string(count) + " of " + std::to_string(n + 1) +
                             " pause points were tried, evenly spaced");
    }
    result.records_read = oracle.records_read();
    return result;
  } catch (...) {
    return CheckResult::broken(
        kCheck, "reading the whole range threw: " + internal::current_exception_message());
  }
}

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_SOURCE_REENTRANT_READS_H_
