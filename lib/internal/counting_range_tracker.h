// CountingRangeTracker<P>: a RangeTracker that forwards to another and counts
// the claims it accepts. Internal: ConcatRangeTracker wraps each sub-source's
// tracker in one.

#ifndef SPLITCHECK_LIB_INTERNAL_COUNTING_RANGE_TRACKER_H_
#define SPLITCHECK_LIB_INTERNAL_COUNTING_RANGE_TRACKER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "splitcheck/lib/trackers/range_tracker.h"

namespace splitcheck {

namespace internal {

// A sub-source's tracker, counting the claims it accepts, so that a
// concatenation knows the split points of the sub-sources its reader has
// moved past (their trackers still count their last record as current).
template <typename P>
class CountingRangeTracker final : public RangeTracker<P> {
 public:
  explicit CountingRangeTracker(std::unique_ptr<RangeTracker<P>> tracker)
      : tracker_(std::move(tracker)) {}

  std::int64_t accepted_claims() const { return claims_.load(std::memory_order_relaxed); }

  P start_position() const override { return tracker_->start_position(); }
  P stop_position() const override { return tracker_->stop_position(); }
  // Claims come from one reader thread (concurrent claims are misuse that
  // the wrapped tracker rejects), so a load and a store count them without
  // a locked instruction on the read path.
  bool try_claim(const P& position) override {
    const bool accepted = tracker_->try_claim(position);
    if (accepted)
      claims_.store(claims_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    return accepted;
  }
  void set_current_position(const P& position) override {
    tracker_->set_current_position(position);
  }
  P position_at_fraction(double fraction) const override {
    return tracker_->position_at_fraction(fraction);
  }
  std::optional<SplitResult<P>> try_split(const P& position) override {
    return tracker_->try_split(position);
  }
  double fraction_consumed() const override { return tracker_->fraction_consumed(); }
  SplitPoints split_points() const override { return tracker_->split_points(); }
  void set_split_points_unclaimed_callback(SplitPointsUnclaimedCallback<P> callback) override {
    tracker_->set_split_points_unclaimed_callback(std::move(callback));
  }
  std::string debug_string() const override { return tracker_->debug_string(); }

 private:
  const std::unique_ptr<RangeTracker<P>> tracker_;
  std::atomic<std::int64_t> claims_{0};
};

}  // namespace internal

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_INTERNAL_COUNTING_RANGE_TRACKER_H_
