// OffsetRangeTracker: a RangeTracker over 64-bit offsets (byte offsets in a
// file, record numbers, ...).
//
// The range is [start, stop) with 0 <= start <= stop; a stop of
// kOffsetInfinity means "until the end, size unknown". The contract is the
// one in splitcheck/lib/trackers/range_tracker.h, with these specifics:
//
//   * position_at_fraction(f) is ceil(start + f * (stop - start)), computed
//     without overflow for any offsets; on an infinite range it throws.
//   * try_split refuses on an infinite range, and before the first claim (an
//     unstarted reader is split by the runner before it starts, not
//     dynamically; Beam's Python tracker does the same).
//   * fraction_consumed is (last record - start) / (stop - start), clamped to
//     [0, 1]; 0 on an infinite range until the tracker is done; 1 once done.
//
// Stricter than Beam: negative offsets and start > stop are rejected at
// construction with a UsageError, a refused claim is final, and
// set_current_position after a refused claim is a UsageError.
//
// Thread-safe; see RangeTracker.

#ifndef SPLITCHECK_LIB_TRACKERS_OFFSET_RANGE_TRACKER_H_
#define SPLITCHECK_LIB_TRACKERS_OFFSET_RANGE_TRACKER_H_

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "splitcheck/lib/internal/basic_range_tracker.h"

namespace splitcheck {

// The stop of a range whose end is unknown.
inline constexpr std::int64_t kOffsetInfinity = std::numeric_limits<std::int64_t>::max();

namespace internal {

struct OffsetDomain {
  using Position = std::int64_t;
  static constexpr std::string_view kName = "OffsetRangeTracker";
  static constexpr bool kSplitsBeforeFirstClaim = false;

  void validate_range(std::int64_t start, std::int64_t stop) const;
  bool before_stop(std::int64_t position, std::int64_t stop) const { return position < stop; }
  bool has_size(std::int64_t /*start*/, std::int64_t stop) const { return stop != kOffsetInfinity; }
  double to_fraction(std::int64_t position, std::int64_t start, std::int64_t stop) const;
  std::int64_t from_fraction(double fraction, std::int64_t start, std::int64_t stop) const;
  InlineText describe(std::int64_t position) const { return InlineText(position); }
  InlineText describe_stop(std::int64_t stop) const;
};

}  // namespace internal

// Instantiated once, in the .cc file.
extern template class internal::BasicRangeTracker<internal::OffsetDomain>;

class OffsetRangeTracker final : public internal::BasicRangeTracker<internal::OffsetDomain> {
  using Base = internal::BasicRangeTracker<internal::OffsetDomain>;

 public:
  // The range [start, stop); kOffsetInfinity as the stop for "until the end".
  // REQUIRES: 0 <= start <= stop, else a UsageError naming the range.
  OffsetRangeTracker(std::int64_t start, std::int64_t stop) : Base(start, stop) {}

  // The RangeTracker<std::int64_t> methods, with the contract of range_tracker.h and
  // the specifics above. REQUIRES, else a UsageError naming the tracker and
  // the value (a refusal is not an error):
  //   try_claim(p): p at or after the start, after the last claim and not
  //     before the last record.
  //   set_current_position(p): after an accepted claim, before any refused
  //     one, and not before the last record.
  //   position_at_fraction(f): 0 <= f <= 1, and the range of known size (stop
  //     not kOffsetInfinity).
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

#endif  // SPLITCHECK_LIB_TRACKERS_OFFSET_RANGE_TRACKER_H_
