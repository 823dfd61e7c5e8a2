// Inner sub-ranges of a source's range, so that checks do not only split and
// read from the whole range: a bug that shows only on a range that neither
// starts at the start nor ends at the end (split() ending its last bundle at
// estimate_size() instead of the stop it was given, a reader that assumes it
// starts at the first record) is caught at any input size. Internal to the
// testkit.

#ifndef SPLITCHECK_TESTKIT_INTERNAL_SUB_RANGES_H_
#define SPLITCHECK_TESTKIT_INTERNAL_SUB_RANGES_H_

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/sources/bounded_source.h"
#include "splitcheck/testkit/internal/compare_records.h"
#include "splitcheck/testkit/internal/split_cases.h"
#include "splitcheck/testkit/internal/split_positions.h"

namespace splitcheck::testkit::internal {

template <typename P>
struct SubRanges {
  std::vector<std::pair<P, P>> ranges;
  // What could not be chosen, and why: for the checks' notes.
  std::vector<std::string> notes;
};

// "[a, b)".
template <typename P>
std::string describe_range(const std::pair<P, P>& range) {
  return "[" + describe_value(range.first) + ", " + describe_value(range.second) + ")";
}

// Up to `count` ranges [a, b) with start < a < b < stop, a and b positions
// the source's own tracker names (position_at_fraction on the whole range):
// the widest one (one distinct position in from each end), the middle
// third, then equal slices. Fewer when the range has too few
// distinct positions (fewer than four), with a note saying so.
template <typename T, typename P>
SubRanges<P> inner_sub_ranges(const BoundedSource<T, P>& source, int count) {
  SubRanges<P> out;
  if (count <= 0) {
    out.notes.push_back("sub-ranges were not checked (sub_ranges = 0)");
    return out;
  }
  SplitPositions<P> positions;
  try {
    const auto tracker = source.get_range_tracker(std::nullopt, std::nullopt);
    if (tracker == nullptr) {
      out.notes.push_back("no sub-range was checked: get_range_tracker returned null");
      return out;
    }
    positions = distinct_split_positions(*tracker, 20000);
  } catch (...) {
    out.notes.push_back(
        "no sub-range was checked: position_at_fraction on the whole range threw: " +
        current_exception_message());
    return out;
  }
  const std::vector<std::pair<P, double>>& p = positions.positions;
  const std::size_t m = p.size();
  if (positions.error || m < 4) {
    out.notes.push_back("no sub-range was checked: the range has " + std::to_string(m) +
                        " distinct split positions, and an inner sub-range needs 4");
    return out;
  }
  // Index pairs (i, j), 1 <= i < j <= m - 2: the widest, the middle third,
  // then equal slices of the inner positions.
  std::vector<std::pair<std::size_t, std::size_t>> picks = {{1, m - 2}, {m / 3, (2 * m) / 3}};
  const std::size_t slices = count > 2 ? static_cast<std::size_t>(count) - 2 : 0;
  for (std::size_t k = 0; k < slices; ++k) {
    picks.push_back({1 + (m - 3) * k / slices, 1 + (m - 3) * (k + 1) / slices});
  }
  for (auto [i, j] : picks) {
    if (static_cast<int>(out.ranges.size()) >= count) break;
    i = std::max<std::size_t>(1, i);
    j = std::min(m - 2, j);
    if (i >= j) continue;
    std::pair<P, P> range(p[i].first, p[j].first);
    bool seen = false;
    for (const auto& r : out.ranges) seen |= r.first == range.first && r.second == range.second;
    if (!seen) out.ranges.push_back(std::move(range));
  }
  if (static_cast<int>(out.ranges.size()) < count) {
    out.notes.push_back(std::to_string(out.ranges.size()) + " of " + std::to_string(count) +
                        " sub-ranges were checked: the range has only " + std::to_string(m) +
                        " distinct split positions");
  }
  return out;
}

}  // namespace splitcheck::testkit::internal

#endif  // SPLITCHECK_TESTKIT_INTERNAL_SUB_RANGES_H_
