// UnsplittableRangeTracker<Position>: wraps another tracker and refuses every
// split.
//
// For sources that must be read whole by one reader, such as a compressed
// file: claims, positions and progress are those of the wrapped tracker, but
// try_split always refuses and never reaches it. The wrapper owns the wrapped
// tracker; a null one is a UsageError. It adds no lock of its own: every call
// is one call to the wrapped tracker, which is thread-safe.

#ifndef SPLITCHECK_LIB_UNSPLITTABLE_RANGE_TRACKER_H_
#define SPLITCHECK_LIB_UNSPLITTABLE_RANGE_TRACKER_H_

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/range_tracker.h"

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
    return tracker_->position_at_fraction(fraction);
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

#endif  // SPLITCHECK_LIB_UNSPLITTABLE_RANGE_TRACKER_H_
