// An offset tracker with one of two classic races, each invisible to the
// sequential checks (never use it for anything else):
//
//   Race::kCheckUnlockAct       try_split checks, lets go of its lock, and
//                               then acts on what it checked: a split can
//                               land at or before a record the reader claimed
//                               meanwhile, which then belongs to both ranges
//                               (trackers written without holding one lock
//                               across the decision). The linearizability
//                               search rejects it
//                               (testkit/zoo/racy_offset_tracker_test.cc).
//   Race::kProgressWithoutLock  fraction_consumed reads the state that
//                               try_claim and try_split write under the lock
//                               without taking it ("only a progress report").
//                               Every answer it gives is one the contract
//                               allows, so the linearizability search sees a
//                               wrong one only when a stale read happens to
//                               show (about one run in twenty); ThreadSanitizer
//                               sees the race on every run, and CI runs the
//                               tracker checks under --config=tsan
//                               (testkit/zoo/racy_progress_tracker_test.cc).

#ifndef SPLITCHECK_TESTKIT_ZOO_RACY_OFFSET_TRACKER_H_
#define SPLITCHECK_TESTKIT_ZOO_RACY_OFFSET_TRACKER_H_

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/trackers/range_tracker.h"

namespace splitcheck::examples::broken {

enum class Race { kCheckUnlockAct, kProgressWithoutLock };

class RacyOffsetTracker final : public RangeTracker<std::int64_t> {
 public:
  RacyOffsetTracker(std::int64_t start, std::int64_t stop, Race race = Race::kCheckUnlockAct)
      : start_(start), stop_(stop), race_(race) {
    if (start < 0 || stop < start) throw UsageError("RacyOffsetTracker: bad range");
  }

  std::int64_t start_position() const override { return start_; }
  std::int64_t stop_position() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return stop_;
  }
  bool try_claim(const std::int64_t& p) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (p < start_ || (last_ && p <= *last_) || (record_ && p < *record_)) {
      throw UsageError("RacyOffsetTracker: bad claim");
    }
    last_ = p;
    if (done_ || p >= stop_) {
      done_ = true;
      return false;
    }
    ++claims_;
    record_ = p;
    return true;
  }
  void set_current_position(const std::int64_t& p) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (done_ || !record_ || p < *record_) throw UsageError("RacyOffsetTracker: bad position");
    record_ = p;
  }
  std::int64_t position_at_fraction(double f) const override {
    if (!(f >= 0 && f <= 1)) throw UsageError("RacyOffsetTracker: bad fraction");
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_ == kInfinity) throw UsageError("RacyOffsetTracker: unknown size");
    return start_ + static_cast<std::int64_t>(std::ceil(f * static_cast<double>(stop_ - start_)));
  }
  std::optional<SplitResult<std::int64_t>> try_split(const std::int64_t& p) override {
    std::unique_lock<std::mutex> lock(mu_);
    if (done_ || !record_ || p <= *record_ || p <= start_ || p >= stop_ || stop_ == kInfinity) {
      return std::nullopt;
    }
    const double fraction = static_cast<double>(p - start_) / static_cast<double>(stop_ - start_);
    if (race_ == Race::kCheckUnlockAct) {
      lock.unlock();  // the bug: the check above is stale by the time it is applied
      std::this_thread::sleep_for(std::chrono::microseconds(20));
      lock.lock();
    }
    stop_ = p;
    return SplitResult<std::int64_t>{p, fraction};
  }
  double fraction_consumed() const override {
    std::unique_lock<std::mutex> lock(mu_, std::defer_lock);
    if (race_ != Race::kProgressWithoutLock) lock.lock();  // the bug: no lock
    if (done_) return 1.0;
    if (!record_ || stop_ == kInfinity || stop_ == start_) return 0.0;
    return std::clamp(static_cast<double>(*record_ - start_) / static_cast<double>(stop_ - start_),
                      0.0, 1.0);
  }
  SplitPoints split_points() const override {
    std::lock_guard<std::mutex> lock(mu_);
    if (done_) return {claims_, 0};
    return {std::max<std::int64_t>(0, claims_ - 1), SplitPoints::kUnknown};
  }
  void set_split_points_unclaimed_callback(SplitPointsUnclaimedCallback<std::int64_t>) override {
    throw UsageError("RacyOffsetTracker: no split-points callback");
  }
  std::string debug_string() const override { return "RacyOffsetTracker"; }

 private:
  static constexpr std::int64_t kInfinity = std::numeric_limits<std::int64_t>::max();
  const std::int64_t start_;
  mutable std::mutex mu_;
  std::int64_t stop_;
  std::optional<std::int64_t> last_;    // last claim attempted
  std::optional<std::int64_t> record_;  // last record claimed or set
  std::int64_t claims_ = 0;
  bool done_ = false;
  const Race race_;
};

}  // namespace splitcheck::examples::broken

#endif  // SPLITCHECK_TESTKIT_ZOO_RACY_OFFSET_TRACKER_H_
