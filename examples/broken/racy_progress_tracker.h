// An offset tracker whose fraction_consumed reads its state without taking
// the lock that try_claim and try_split write it under: "it is only a
// progress report". Every answer it gives is one the contract allows, so
// the sequential checks pass it, and the linearizability search sees a wrong
// answer only when a torn or stale read happens to show (about one run in
// twenty). ThreadSanitizer sees the race itself on every run: CI runs the
// tracker checks under --config=tsan. Kept to prove that
// (examples/broken/racy_progress_tracker_test.cc); never use it for anything
// else.

#ifndef SPLITCHECK_EXAMPLES_BROKEN_RACY_PROGRESS_TRACKER_H_
#define SPLITCHECK_EXAMPLES_BROKEN_RACY_PROGRESS_TRACKER_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <mutex>
#include <optional>
#include <string>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/offset_range_tracker.h"
#include "splitcheck/lib/range_tracker.h"

namespace splitcheck::examples::broken {

class RacyProgressTracker final : public RangeTracker<std::int64_t> {
 public:
  RacyProgressTracker(std::int64_t start, std::int64_t stop) : start_(start), stop_(stop) {
    if (start < 0 || stop < start) throw UsageError("RacyProgressTracker: bad range");
  }

  std::int64_t start_position() const override { return start_; }
  std::int64_t stop_position() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return stop_;
  }

  bool try_claim(const std::int64_t& p) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (p < start_ || (attempt_ && p <= *attempt_) || (record_ && p < *record_)) {
      throw UsageError("RacyProgressTracker: claims must increase, from the start");
    }
    attempt_ = p;
    if (done_ || p >= stop_) {
      done_ = true;
      return false;
    }
    record_ = p;
    ++claims_;
    return true;
  }

  void set_current_position(const std::int64_t& p) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (done_ || !record_ || p < *record_) {
      throw UsageError("RacyProgressTracker: set_current_position out of order");
    }
    record_ = p;
  }

  std::int64_t position_at_fraction(double f) const override {
    if (!(f >= 0 && f <= 1)) throw UsageError("RacyProgressTracker: bad fraction");
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_ == kOffsetInfinity) throw UsageError("RacyProgressTracker: unknown size");
    const std::int64_t span = stop_ - start_;
    const auto step = static_cast<std::int64_t>(std::ceil(f * static_cast<long double>(span)));
    return start_ + std::min(span, step);
  }

  std::optional<SplitResult<std::int64_t>> try_split(const std::int64_t& p) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (done_ || !record_ || stop_ == kOffsetInfinity || p <= *record_ || p >= stop_) {
      return std::nullopt;
    }
    const double fraction = static_cast<double>(static_cast<long double>(p - start_) /
                                                static_cast<long double>(stop_ - start_));
    stop_ = p;
    return SplitResult<std::int64_t>{p, fraction};
  }

  // The bug: no lock. done_, record_ and stop_ may be half-written by
  // try_claim or try_split on another thread.
  double fraction_consumed() const override {
    if (done_) return 1.0;
    if (!record_ || stop_ == kOffsetInfinity || stop_ == start_) return 0.0;
    const double f = static_cast<double>(static_cast<long double>(*record_ - start_) /
                                         static_cast<long double>(stop_ - start_));
    return std::clamp(f, 0.0, 1.0);
  }

  SplitPoints split_points() const override {
    std::lock_guard<std::mutex> lock(mu_);
    if (done_) return {claims_, 0};
    return {std::max<std::int64_t>(0, claims_ - 1), SplitPoints::kUnknown};
  }

  void set_split_points_unclaimed_callback(SplitPointsUnclaimedCallback<std::int64_t>) override {}
  std::string debug_string() const override { return "RacyProgressTracker"; }

 private:
  const std::int64_t start_;
  mutable std::mutex mu_;
  std::int64_t stop_;
  std::optional<std::int64_t> attempt_;
  std::optional<std::int64_t> record_;
  std::int64_t claims_ = 0;
  bool done_ = false;
};

}  // namespace splitcheck::examples::broken

#endif  // SPLITCHECK_EXAMPLES_BROKEN_RACY_PROGRESS_TRACKER_H_
