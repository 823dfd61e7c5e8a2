// Test-only: an offset tracker written independently of lib/, correct by
// default, with switches for one classic bug each. The tracker contract
// checker must accept the correct one and reject every bug.

#ifndef SPLITCHECK_TESTKIT_ZOO_BUGGY_TRACKERS_H_
#define SPLITCHECK_TESTKIT_ZOO_BUGGY_TRACKERS_H_

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/trackers/offset_range_tracker.h"
#include "splitcheck/lib/trackers/range_tracker.h"

namespace splitcheck::testkit::internal {

enum class TrackerBug {
  kNone,
  kOffByOneAtStop,             // accepts a claim at the stop
  kSplitAtLastClaim,           // accepts a split at the last claimed position
  kDoneFractionZero,           // reports 0 instead of 1 once done: goes backwards
  kSplitFractionOfFirstRange,  // split fraction against the range it was built with
  kSplitPointsCountCurrent,    // counts the record being read as consumed
  kPositionPastStop,           // position_at_fraction(1) is stop + 1
  kClaimBeforeStartAccepted,   // no UsageError for a claim before the start
  kRacySplit,                  // checks, then sets the stop later: a data race in effect
  kMisuseEndsTheRange,         // a claim rejected as misuse also ends the range
  kMisuseMovesLastClaim,       // a claim rejected as misuse still becomes the last claim
  kFlooredFractions,           // position_at_fraction rounds down: below the fraction asked
};

class BuggyOffsetTracker final : public RangeTracker<std::int64_t> {
 public:
  BuggyOffsetTracker(std::int64_t start, std::int64_t stop, TrackerBug bug)
      : start_(start), first_stop_(stop), stop_(stop), bug_(bug) {}

  std::int64_t start_position() const override { return start_; }
  std::int64_t stop_position() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return stop_;
  }

  bool try_claim(const std::int64_t& p) override {
    std::lock_guard<std::mutex> lock(mu_);
    if ((p < start_ && bug_ != TrackerBug::kClaimBeforeStartAccepted) ||
        (last_attempt_ && p <= *last_attempt_) || (last_record_ && p < *last_record_)) {
      if (bug_ == TrackerBug::kMisuseEndsTheRange) done_ = true;
      if (bug_ == TrackerBug::kMisuseMovesLastClaim) last_attempt_ = p;
      throw UsageError("BuggyOffsetTracker: bad claim " + std::to_string(p));
    }
    last_attempt_ = p;
    const bool inside = bug_ == TrackerBug::kOffByOneAtStop ? p <= stop_ : p < stop_;
    if (done_ || !inside) {
      done_ = true;
      return false;
    }
    last_record_ = p;
    ++claims_;
    return true;
  }

  void set_current_position(const std::int64_t& p) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (done_ || claims_ == 0 || p < *last_record_) {
      throw UsageError("BuggyOffsetTracker: bad set_current_position " + std::to_string(p));
    }
    last_record_ = p;
  }

  std::int64_t position_at_fraction(double f) const override {
    if (!(f >= 0 && f <= 1)) throw UsageError("BuggyOffsetTracker: bad fraction");
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_ == kOffsetInfinity) throw UsageError("BuggyOffsetTracker: unbounded");
    if (bug_ == TrackerBug::kPositionPastStop && f == 1.0) return stop_ + 1;
    const long double span = static_cast<long double>(stop_ - start_);
    const long double step =
        bug_ == TrackerBug::kFlooredFractions ? std::floor(f * span) : std::ceil(f * span);
    return std::min(stop_, start_ + static_cast<std::int64_t>(step));
  }

  std::optional<SplitResult<std::int64_t>> try_split(const std::int64_t& p) override {
    std::unique_lock<std::mutex> lock(mu_);
    const bool past_record = bug_ == TrackerBug::kSplitAtLastClaim ? p >= *last_record_or(start_)
                                                                   : p > *last_record_or(start_);
    if (done_ || stop_ == kOffsetInfinity || claims_ == 0 || !past_record || p <= start_ ||
        p >= stop_) {
      return std::nullopt;
    }
    const std::int64_t base = bug_ == TrackerBug::kSplitFractionOfFirstRange ? first_stop_ : stop_;
    const double fraction = static_cast<double>(static_cast<long double>(p - start_) /
                                                static_cast<long double>(base - start_));
    if (bug_ == TrackerBug::kRacySplit) {
      // The decision is stale by the time it is applied. A sleep, not a few
      // yields, so that a reader gets into the window even when the
      // threads share one busy core (as in CI, with tests run in parallel).
      lock.unlock();
      std::this_thread::sleep_for(std::chrono::microseconds(20));
      lock.lock();
    }
    stop_ = p;
    return SplitResult<std::int64_t>{p, fraction};
  }

  double fraction_consumed() const override {
    std::lock_guard<std::mutex> lock(mu_);
    if (done_) return bug_ == TrackerBug::kDoneFractionZero ? 0.0 : 1.0;
    if (claims_ == 0 || stop_ == kOffsetInfinity) return 0.0;
    if (stop_ == start_) return 0.0;
    const double f = static_cast<double>(static_cast<long double>(*last_record_ - start_) /
                                         static_cast<long double>(stop_ - start_));
    return std::clamp(f, 0.0, 1.0);
  }

  SplitPoints split_points() const override {
    std::lock_guard<std::mutex> lock(mu_);
    if (done_) return {claims_, 0};
    const std::int64_t current = bug_ == TrackerBug::kSplitPointsCountCurrent ? 0 : 1;
    return {std::max<std::int64_t>(0, claims_ - current), SplitPoints::kUnknown};
  }

  void set_split_points_unclaimed_callback(SplitPointsUnclaimedCallback<std::int64_t>) override {}
  std::string debug_string() const override { return "BuggyOffsetTracker"; }

 private:
  std::optional<std::int64_t> last_record_or(std::int64_t fallback) const {
    return last_record_ ? last_record_ : std::optional<std::int64_t>(fallback - 1);
  }

  const std::int64_t start_;
  const std::int64_t first_stop_;
  mutable std::mutex mu_;
  std::int64_t stop_;
  std::optional<std::int64_t> last_attempt_;
  std::optional<std::int64_t> last_record_;
  std::int64_t claims_ = 0;
  bool done_ = false;
  const TrackerBug bug_;
};

}  // namespace splitcheck::testkit::internal

#endif  // SPLITCHECK_TESTKIT_ZOO_BUGGY_TRACKERS_H_
