// OrderedPositionRangeTracker<Position>: a RangeTracker over any totally
// ordered position type (timestamps, composite keys, ...), given a mapping
// between positions and fractions of a range.
//
// The range is [start, stop) with start <= stop (a UsageError otherwise). The
// claim, split and progress rules are those of RangeTracker; like
// LexicographicKeyRangeTracker, a split before the first claim is accepted.
//
// The mapping is user code and is checked, not trusted:
//   to_fraction(position, start, stop) -> the share of [start, stop) before
//     `position`. Called for split positions inside the range and for the
//     last record, which may lie past the stop (records that are not split
//     points belong to the preceding split point); results above 1 are
//     clamped for progress, a NaN is a UsageError, and a split fraction
//     outside [0, 1] is a UsageError.
//   from_fraction(fraction, start, stop) -> a position in [start, stop] for
//     fraction in [0, 1]; a result outside the range is a UsageError.
// Both must be monotone for progress to be monotone; both are called without
// the tracker's lock held and possibly from several threads at once.
//
// Positions appear in messages through operator<< when the type has one.
//
// Thread-safe; see RangeTracker.

#ifndef SPLITCHECK_LIB_TRACKERS_ORDERED_POSITION_RANGE_TRACKER_H_
#define SPLITCHECK_LIB_TRACKERS_ORDERED_POSITION_RANGE_TRACKER_H_

#include <concepts>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/basic_range_tracker.h"
#include "splitcheck/lib/internal/describe.h"

namespace splitcheck {

// The position <-> fraction mapping of an OrderedPositionRangeTracker.
template <typename Position>
struct PositionMapping {
  std::function<double(const Position& position, const Position& start, const Position& stop)>
      to_fraction;
  std::function<Position(double fraction, const Position& start, const Position& stop)>
      from_fraction;
};

namespace internal {

template <std::totally_ordered P>
struct OrderedDomain {
  using Position = P;
  static constexpr std::string_view kName = "OrderedPositionRangeTracker";
  static constexpr bool kSplitsBeforeFirstClaim = true;

  // Implicit, so that a tracker is built from (start, stop, mapping).
  OrderedDomain(PositionMapping<P> m) : mapping(std::move(m)) {}  // NOLINT

  void validate_range(const P& start, const P& stop) const {
    // Described only when wrong (see OffsetDomain::validate_range).
    const auto range = [&] {
      return std::string(kName) + "[" + describe(start) + ", " + describe(stop) + ")";
    };
    if (!mapping.to_fraction || !mapping.from_fraction) {
      throw UsageError(range() + ": the position mapping needs both to_fraction and from_fraction");
    }
    if (stop < start) throw UsageError(range() + ": the start must not be after the stop");
  }
  bool before_stop(const P& position, const P& stop) const { return position < stop; }
  bool has_size(const P& /*start*/, const P& /*stop*/) const { return true; }
  double to_fraction(const P& position, const P& start, const P& stop) const {
    return mapping.to_fraction(position, start, stop);
  }
  P from_fraction(double fraction, const P& start, const P& stop) const {
    return mapping.from_fraction(fraction, start, stop);
  }
  std::string describe(const P& position) const { return describe_value(position); }
  std::string describe_stop(const P& stop) const { return describe(stop); }

  PositionMapping<P> mapping;
};

}  // namespace internal

template <std::totally_ordered Position>
using OrderedPositionRangeTracker = internal::BasicRangeTracker<internal::OrderedDomain<Position>>;

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_TRACKERS_ORDERED_POSITION_RANGE_TRACKER_H_
