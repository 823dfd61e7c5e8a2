// Fuzzes OrderedPositionRangeTracker<int64_t> with a linear mapping: how a
// user fuzzes a tracker over a position type of their own, with domains of
// their own (here: finite offset ranges).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>

#include "splitcheck/fuzz/tracker_fuzzer.h"
#include "splitcheck/lib/trackers/offset_range_tracker.h"
#include "splitcheck/lib/trackers/ordered_position_range_tracker.h"

namespace {

using splitcheck::OrderedPositionRangeTracker;
using splitcheck::PositionMapping;

std::unique_ptr<OrderedPositionRangeTracker<std::int64_t>> MakeTracker(std::int64_t start,
                                                                       std::int64_t stop) {
  const PositionMapping<std::int64_t> linear{
      [](const std::int64_t& p, const std::int64_t& s, const std::int64_t& e) {
        return e == s ? (p > s ? 1.0 : 0.0)
                      : static_cast<double>(static_cast<long double>(p - s) / (e - s));
      },
      [](double f, const std::int64_t& s, const std::int64_t& e) {
        return std::min(
            e, s + static_cast<std::int64_t>(std::ceil(f * static_cast<long double>(e - s))));
      }};
  return std::make_unique<OrderedPositionRangeTracker<std::int64_t>>(start, stop, linear);
}

}  // namespace

// Offsets without the unknown end: an ordered tracker always has a size.
SPLITCHECK_TRACKER_FUZZER(std::int64_t, MakeTracker, splitcheck::fuzz::finite_offset_bytes(),
                          splitcheck::testkit::finite_offset_positions());
