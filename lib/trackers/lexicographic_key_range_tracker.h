// LexicographicKeyRangeTracker: a RangeTracker over byte-string keys ordered
// lexicographically (as unsigned bytes), for key-value stores and tables.
//
// The range is [start, stop). An empty start is the first key (the empty key
// is itself a key); an empty stop is the end of the key space. A non-empty
// stop before the start is a UsageError.
//
// Fractions read keys as base-256 fractional numbers (0.k0 k1 k2 ...), the
// end of the key space being 1, computed exactly (no digit of a key is
// dropped). position_at_fraction(f) returns the shortest key strictly inside
// the range whose fraction is at least f and at most f * (1 + 2^-40): so a
// runner asking for 10% gets 10%, never a rounder key further on. It returns
// start for 0, stop for 1, and start when no key lies strictly inside (for
// example [ "a", "a\0" )), so a split there is refused. fraction_consumed and
// the fraction of a split are rounded down, never above the true share. Keys
// of any length are handled; the cost is linear in their length past the
// common prefix of start and stop.
//
// Unlike OffsetRangeTracker, a split before the first claim is accepted (an
// unstarted key-range reader can give away any suffix of its range).
//
// Thread-safe; see RangeTracker.

#ifndef SPLITCHECK_LIB_TRACKERS_LEXICOGRAPHIC_KEY_RANGE_TRACKER_H_
#define SPLITCHECK_LIB_TRACKERS_LEXICOGRAPHIC_KEY_RANGE_TRACKER_H_

#include <string>
#include <string_view>
#include <utility>

#include "splitcheck/lib/internal/basic_range_tracker.h"

namespace splitcheck {
namespace internal {

struct LexicographicKeyDomain {
  using Position = std::string;
  static constexpr std::string_view kName = "LexicographicKeyRangeTracker";
  static constexpr bool kSplitsBeforeFirstClaim = true;

  void validate_range(const std::string& start, const std::string& stop) const;
  bool before_stop(const std::string& key, const std::string& stop) const {
    return stop.empty() || key < stop;
  }
  bool has_size(const std::string& /*start*/, const std::string& /*stop*/) const { return true; }
  double to_fraction(const std::string& key, const std::string& start,
                     const std::string& stop) const;
  std::string from_fraction(double fraction, const std::string& start,
                            const std::string& stop) const;
  std::string describe(const std::string& key) const;
  std::string describe_stop(const std::string& stop) const {
    return stop.empty() ? "<end>" : describe(stop);
  }
};

}  // namespace internal

// Instantiated once, in the .cc file.
extern template class internal::BasicRangeTracker<internal::LexicographicKeyDomain>;

class LexicographicKeyRangeTracker final
    : public internal::BasicRangeTracker<internal::LexicographicKeyDomain> {
  using Base = internal::BasicRangeTracker<internal::LexicographicKeyDomain>;

 public:
  // The range of keys [start, stop); "" as the start is the first key, "" as
  // the stop the end of the key space.
  // REQUIRES: stop is "" or not before start, else a UsageError naming the
  // range.
  LexicographicKeyRangeTracker(std::string start, std::string stop)
      : Base(std::move(start), std::move(stop)) {}

  // The RangeTracker<std::string> methods, with the contract of range_tracker.h and
  // the specifics above. REQUIRES, else a UsageError naming the tracker and
  // the value (a refusal is not an error):
  //   try_claim(p): p at or after the start, after the last claim and not
  //     before the last record.
  //   set_current_position(p): after an accepted claim, before any refused
  //     one, and not before the last record.
  //   position_at_fraction(f): 0 <= f <= 1.
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

#endif  // SPLITCHECK_LIB_TRACKERS_LEXICOGRAPHIC_KEY_RANGE_TRACKER_H_
