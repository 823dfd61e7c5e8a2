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
// Position's copy and comparison operators do run under the lock, a
// std::mutex for any type but a built-in arithmetic one (for which it is a
// spin lock): they must not call back into the tracker.
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
#include <type_traits>
#include <utility>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/basic_range_tracker.h"
#include "splitcheck/lib/internal/describe.h"
#include "splitcheck/lib/internal/mutex.h"
#include "splitcheck/lib/internal/spin_mutex.h"

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
  // Comparing and copying a user type is user code, which must not run under
  // a spin lock; built-in arithmetic types compare and copy in an instruction.
  using Mutex = std::conditional_t<std::is_arithmetic_v<P>, SpinMutex, internal::Mutex>;

  explicit OrderedDomain(PositionMapping<P> m) : mapping(std::move(m)) {}

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
class OrderedPositionRangeTracker final
    : public internal::BasicRangeTracker<internal::OrderedDomain<Position>> {
  using Base = internal::BasicRangeTracker<internal::OrderedDomain<Position>>;

 public:
  // The range [start, stop) under `mapping`.
  // REQUIRES: start <= stop, and both functions of `mapping` set, else a
  // UsageError naming the range.
  OrderedPositionRangeTracker(Position start, Position stop, PositionMapping<Position> mapping)
      : Base(std::move(start), std::move(stop),
             internal::OrderedDomain<Position>(std::move(mapping))) {}

  // The RangeTracker<Position> methods, with the contract of range_tracker.h and
  // the specifics above. REQUIRES, else a UsageError naming the tracker and
  // the value (a refusal is not an error):
  //   try_claim(p): p at or after the start, after the last claim and not
  //     before the last record.
  //   set_current_position(p): after an accepted claim, before any refused
  //     one, and not before the last record.
  //   position_at_fraction(f): 0 <= f <= 1; the mapping's answers are checked
  //     (see above).
  using Base::debug_string;
  using Base::fraction_consumed;
  using Base::position_at_fraction;
  using Base::set_current_position;
  using Base::set_split_points_unclaimed_callback;
  using Base::split_points;
  using Base::start_position;
  using Base::stop_position;
  using Base::try_claim;
  using Base::try_split;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_TRACKERS_ORDERED_POSITION_RANGE_TRACKER_H_
