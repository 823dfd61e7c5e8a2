// UnsplittableRangeTracker<Position>: wraps another tracker and refuses every
// split.
//
// For sources that must be read whole by one reader, such as a compressed
// file: claims, positions and progress are those of the wrapped tracker, but
// try_split always refuses and never reaches it. The wrapper owns the wrapped
// tracker; a null one is a UsageError. It adds no lock of its own: every call
// is at most one call to the wrapped tracker, which is thread-safe.
//
// position_at_fraction(f) is the start for f < 1 and the stop for f = 1. With
// no split possible, no position inside is worth naming, and the answer
// exists even where the wrapped tracker has none: a compressed file's range
// is [0, kOffsetInfinity), on which an OffsetRangeTracker cannot map a
// fraction. So a ConcatRangeTracker over such files maps every fraction that
// falls in one to the file's start: a split between files, which is valid.

#ifndef SPLITCHECK_LIB_TRACKERS_UNSPLITTABLE_RANGE_TRACKER_H_
#define SPLITCHECK_LIB_TRACKERS_UNSPLITTABLE_RANGE_TRACKER_H_

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/basic_range_tracker.h"
#include "splitcheck/lib/trackers/range_tracker.h"

namespace splitcheck {

template <typename Position>
class UnsplittableRangeTracker final : public RangeTracker<Position> {
 public:
  explicit UnsplittableRangeTracker(std::unique_ptr<RangeTracker<Position>> tracker)
      : tracker_(std::move(tracker)) {
    if (tracker_ == nullptr) {
      throw UsageError("UnsplittableRangeTracker: the wrapped tracker must not be null");
    }
  }

  Position start_position() const override { return tracker_->start_position(); }
  Position stop_position() const override { return tracker_->stop_position(); }
  bool try_claim(const Position& position) override { return tracker_->try_claim(position); }
  void set_current_position(const Position& position) override {
    tracker_->set_current_position(position);
  }
  Position position_at_fraction(double fraction) const override {
    internal::check_fraction("UnsplittableRangeTracker", "position_at_fraction", fraction);
    return fraction < 1.0 ? tracker_->start_position() : tracker_->stop_position();
  }
  std::optional<SplitResult<Position>> try_split(const Position& /*position*/) override {
    return std::nullopt;
  }
  double fraction_consumed() const override { return tracker_->fraction_consumed(); }
  SplitPoints split_points() const override { return tracker_->split_points(); }
  void set_split_points_unclaimed_callback(
      SplitPointsUnclaimedCallback<Position> callback) override {
    tracker_->set_split_points_unclaimed_callback(std::move(callback));
  }
  std::string debug_string() const override {
    return "UnsplittableRangeTracker(" + tracker_->debug_string() + ")";
  }

 private:
  const std::unique_ptr<RangeTracker<Position>> tracker_;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_TRACKERS_UNSPLITTABLE_RANGE_TRACKER_H_
