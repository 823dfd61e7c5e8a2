// ConcatRangeTracker<T, P>: the RangeTracker of a ConcatSource, over
// positions (source index, position inside that source).
//
// The range is [start, stop) of ConcatPosition<P> values. (i, nothing) is
// the start of sub-source i, before any of its positions; (n, nothing), with
// n the number of sub-sources, is the end. A stop (i, p) keeps sub-source i up
// to p; a stop (i, nothing) keeps sub-sources before i only.
//
// Reading (ConcatSource::read): for each sub-source i in the range the reader
// claims (i, nothing), then reads sub-source i through sub_range_tracker(i),
// which claims the positions inside it. Claims made through this tracker
// must increase and move forward through the sub-sources (a UsageError
// otherwise), and after a refused claim set_current_position is a UsageError,
// as for every tracker.
//
// Splitting at (i, p):
//   * i after the sub-source being read: the range ends at the start of
//     sub-source i (the split position returned is (i, nothing), whatever p
//     is); whole sub-sources go to the residual.
//   * i the sub-source being read, p present: delegated to that sub-source's
//     tracker, which applies its own rules; on success the range ends at
//     (i, p).
//   * anything else (before the sub-source being read, at its start, at or
//     after the stop, after the tracker is done): refused.
// Fractions weight each sub-source by its bundle weight (equal weights when
// all are zero); the fraction returned by a split is the share of the range
// as it was just before the split, as for every tracker.
//
// Thread safety: every method may be called concurrently. One mutex guards
// the concat tracker's own state; sub-trackers are created (through the
// sub-source's get_range_tracker) and called with it held, so sub-trackers and
// their callbacks must not call back into this tracker. The reader's claims
// inside a sub-source go to the sub-tracker directly and do not take this
// tracker's lock.

#ifndef SPLITCHECK_LIB_SOURCES_CONCAT_RANGE_TRACKER_H_
#define SPLITCHECK_LIB_SOURCES_CONCAT_RANGE_TRACKER_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/basic_range_tracker.h"
#include "splitcheck/lib/internal/counting_range_tracker.h"
#include "splitcheck/lib/internal/describe.h"
#include "splitcheck/lib/internal/mutex.h"
#include "splitcheck/lib/sources/bounded_source.h"
#include "splitcheck/lib/sources/concat_position.h"
#include "splitcheck/lib/trackers/range_tracker.h"

namespace splitcheck {

template <typename T, typename P>
class ConcatRangeTracker final : public RangeTracker<ConcatPosition<P>> {
 public:
  using Position = ConcatPosition<P>;

  // Throws UsageError if a bound names a sub-source that does not exist or
  // the start is after the stop.
  ConcatRangeTracker(Position start, Position stop, std::vector<SourceBundle<T, P>> bundles)
      : bundles_(std::move(bundles)), start_(std::move(start)), stop_(std::move(stop)) {
    check_concat_range(start_, stop_, bundles_.size());
    trackers_.resize(bundles_.size());
    const std::size_t last = last_index(stop_);
    std::vector<double> weights(bundles_.size(), 0.0);
    double total = 0;
    for (std::size_t i = start_.source_index; i < last; ++i) total += bundles_[i].weight;
    for (std::size_t i = start_.source_index; i < last; ++i) {
      weights[i] = total > 0 ? bundles_[i].weight / total
                             : 1.0 / static_cast<double>(last - start_.source_index);
    }
    cumulative_.assign(bundles_.size() + 1, 0.0);
    for (std::size_t i = 0; i < bundles_.size(); ++i)
      cumulative_[i + 1] = cumulative_[i] + weights[i];
    for (std::size_t i = last; i <= bundles_.size(); ++i) cumulative_[i] = 1.0;
  }

  Position start_position() const override { return start_; }

  Position stop_position() const override SPLITCHECK_EXCLUDES(mu_) {
    internal::MutexLock lock(&mu_);
    return stop_;
  }

  bool try_claim(const Position& position) override SPLITCHECK_EXCLUDES(mu_) {
    internal::MutexLock lock(&mu_);
    check_index(position, "claim");
    const std::size_t i = position.source_index;
    if (i < start_.source_index) {
      throw UsageError(describe_locked() + ": cannot claim " + internal::describe_value(position) +
                       ": it is before the start of the range");
    }
    if (claimed_.has_value() && i < *claimed_) {
      throw UsageError(describe_locked() + ": cannot claim " + internal::describe_value(position) +
                       " after sub-source " + std::to_string(*claimed_) +
                       ": claims must move forward through the sub-sources");
    }
    if (!position.position.has_value() && boundary_claimed_ == i) {
      throw UsageError(describe_locked() + ": cannot claim " + internal::describe_value(position) +
                       " twice: split points must be distinct");
    }
    if (last_attempt_.has_value() && !(*last_attempt_ < position)) {
      throw UsageError(describe_locked() + ": cannot claim " + internal::describe_value(position) +
                       " after " + internal::describe_value(*last_attempt_) +
                       ": claims must increase");
    }
    if (done_) {
      last_attempt_ = position;
      return false;
    }
    if (i >= last_index(stop_)) {
      last_attempt_ = position;
      done_ = true;
      return false;
    }
    if (!position.position.has_value()) {
      last_attempt_ = position;
      claimed_ = i;
      boundary_claimed_ = i;
      return true;
    }
    // The sub-tracker's own misuse checks come first: a claim it rejects
    // changes nothing here.
    const bool accepted = sub_tracker_locked(i).try_claim(*position.position);
    last_attempt_ = position;
    claimed_ = i;
    if (!accepted) done_ = true;
    return accepted;
  }

  void set_current_position(const Position& position) override SPLITCHECK_EXCLUDES(mu_) {
    internal::MutexLock lock(&mu_);
    check_index(position, "set_current_position at");
    if (done_) {
      throw UsageError(describe_locked() + ": set_current_position(" +
                       internal::describe_value(position) +
                       ") after a refused claim: the reader must stop at the first refused claim");
    }
    if (!claimed_.has_value() || position.source_index != *claimed_ ||
        !position.position.has_value()) {
      throw UsageError(describe_locked() + ": set_current_position(" +
                       internal::describe_value(position) +
                       ") must name a position inside the sub-source being read");
    }
    sub_tracker_locked(position.source_index).set_current_position(*position.position);
  }

  Position position_at_fraction(double fraction) const override SPLITCHECK_EXCLUDES(mu_) {
    internal::check_fraction("ConcatRangeTracker", "position_at_fraction", fraction);
    internal::MutexLock lock(&mu_);
    const std::size_t first = start_.source_index;
    const std::size_t last = last_index(stop_);
    if (fraction >= 1.0 || first >= last) return stop_;
    std::size_t i = first;
    while (i + 1 < last && cumulative_[i + 1] <= fraction) ++i;
    const double width = cumulative_[i + 1] - cumulative_[i];
    const double local =
        width > 0 ? std::clamp((fraction - cumulative_[i]) / width, 0.0, 1.0) : 0.0;
    return Position{i, sub_tracker_locked(i).position_at_fraction(local)};
  }

  std::optional<SplitResult<Position>> try_split(const Position& position) override
      SPLITCHECK_EXCLUDES(mu_) {
    internal::MutexLock lock(&mu_);
    const std::size_t i = position.source_index;
    const std::size_t current = claimed_.value_or(start_.source_index);
    if (done_ || i >= last_index(stop_) || i < current) return std::nullopt;
    // Outside (start, stop): refused, even where a later sub-source's start
    // would be inside.
    if (!(start_ < position) || !(position < stop_)) return std::nullopt;
    if (i > current) {
      // A later sub-source: split at its start.
      return commit_split_locked(Position{i, std::nullopt}, cumulative_[i]);
    }
    if (!position.position.has_value()) return std::nullopt;  // the current one's start
    const auto sub = sub_tracker_locked(i).try_split(*position.position);
    if (!sub.has_value()) return std::nullopt;
    const double global = cumulative_[i] + sub->fraction * (cumulative_[i + 1] - cumulative_[i]);
    return commit_split_locked(Position{i, sub->position}, global);
  }

  double fraction_consumed() const override SPLITCHECK_EXCLUDES(mu_) {
    internal::MutexLock lock(&mu_);
    if (done_) return 1.0;
    if (!claimed_.has_value()) return 0.0;
    const std::size_t i = *claimed_;
    const double local = trackers_[i] != nullptr ? trackers_[i]->fraction_consumed() : 0.0;
    return std::clamp(cumulative_[i] + local * (cumulative_[i + 1] - cumulative_[i]), 0.0, 1.0);
  }

  // Split points are those of the sub-sources read so far: all the claims of
  // the sub-sources the reader has moved past (of all of them once done), and
  // what the current one reports as consumed. Remaining is what the current
  // sub-source reports when it is the last one of the range (nothing after it
  // to count), else unknown; 0 once done.
  SplitPoints split_points() const override SPLITCHECK_EXCLUDES(mu_) {
    internal::MutexLock lock(&mu_);
    SplitPoints points;
    for (std::size_t i = 0; i < trackers_.size(); ++i) {
      if (trackers_[i] == nullptr) continue;
      const bool finished = done_ || (claimed_.has_value() && i < *claimed_);
      points.consumed +=
          finished ? trackers_[i]->accepted_claims() : trackers_[i]->split_points().consumed;
    }
    if (done_) {
      points.remaining = 0;
    } else if (claimed_.has_value() && *claimed_ + 1 == last_index(stop_) &&
               trackers_[*claimed_] != nullptr) {
      points.remaining = trackers_[*claimed_]->split_points().remaining;
    }
    return points;
  }

  // Concatenations estimate remaining split points from their sub-sources;
  // a callback for the whole concatenation is not supported.
  void set_split_points_unclaimed_callback(SplitPointsUnclaimedCallback<Position>) override {
    throw UsageError(
        "ConcatRangeTracker: set a split-points callback on the sub-sources' trackers instead");
  }

  std::string debug_string() const override SPLITCHECK_EXCLUDES(mu_) {
    internal::MutexLock lock(&mu_);
    return describe_locked();
  }

  // The tracker of sub-source `index`, created on first use with the part of
  // that sub-source inside the range. The reader of sub-source `index` claims
  // through it. Throws UsageError for a sub-source outside the range.
  RangeTracker<P>& sub_range_tracker(std::size_t index) SPLITCHECK_EXCLUDES(mu_) {
    internal::MutexLock lock(&mu_);
    if (index < start_.source_index || index >= last_index(stop_)) {
      throw UsageError(describe_locked() + ": sub-source " + std::to_string(index) +
                       " is outside the range");
    }
    return sub_tracker_locked(index);
  }

 private:
  // One past the last sub-source that has positions in [start, stop).
  std::size_t last_index(const Position& stop) const {
    return stop.position.has_value() ? stop.source_index + 1 : stop.source_index;
  }

  void check_index(const Position& position, const char* what) const SPLITCHECK_REQUIRES(mu_) {
    if (position.source_index > bundles_.size() ||
        (position.source_index == bundles_.size() && position.position.has_value())) {
      throw UsageError(describe_locked() + ": cannot " + what + " " +
                       internal::describe_value(position) + ": there are only " +
                       std::to_string(bundles_.size()) + " sub-sources");
    }
  }

  RangeTracker<P>& sub_tracker_locked(std::size_t i) const SPLITCHECK_REQUIRES(mu_) {
    if (trackers_[i] == nullptr) {
      const SourceBundle<T, P>& bundle = bundles_[i];
      std::optional<P> start = bundle.start;
      std::optional<P> stop = bundle.stop;
      if (i == start_.source_index && start_.position.has_value()) start = start_.position;
      if (i == stop_.source_index && stop_.position.has_value()) stop = stop_.position;
      std::unique_ptr<RangeTracker<P>> tracker = bundle.source->get_range_tracker(start, stop);
      if (tracker == nullptr) {
        throw UsageError(describe_locked() + ": sub-source " + std::to_string(i) + " (" +
                         bundle.source->debug_string() + ") returned a null tracker");
      }
      trackers_[i] = std::make_unique<internal::CountingRangeTracker<P>>(std::move(tracker));
    }
    return *trackers_[i];
  }

  SplitResult<Position> commit_split_locked(Position at, double fraction) SPLITCHECK_REQUIRES(mu_) {
    stop_ = at;
    // Rescale so that the shrunk range spans [0, 1] again.
    for (double& c : cumulative_) c = fraction > 0 ? std::min(c / fraction, 1.0) : 1.0;
    return SplitResult<Position>{std::move(at), fraction};
  }

  std::string describe_range(const Position& stop) const {
    return "ConcatRangeTracker[" + internal::describe_value(start_) + ", " +
           internal::describe_value(stop) + ")";
  }
  std::string describe_locked() const SPLITCHECK_REQUIRES(mu_) { return describe_range(stop_); }

  const std::vector<SourceBundle<T, P>> bundles_;
  const Position start_;
  mutable internal::Mutex mu_;
  Position stop_ SPLITCHECK_GUARDED_BY(mu_);
  // The sub-source being read: the last one claimed into.
  std::optional<std::size_t> claimed_ SPLITCHECK_GUARDED_BY(mu_);
  // The last sub-source whose start (i, nothing) was claimed.
  std::optional<std::size_t> boundary_claimed_ SPLITCHECK_GUARDED_BY(mu_);
  bool done_ SPLITCHECK_GUARDED_BY(mu_) = false;
  // cumulative_[i]: the share of the range before sub-source i.
  std::vector<double> cumulative_ SPLITCHECK_GUARDED_BY(mu_);
  mutable std::vector<std::unique_ptr<internal::CountingRangeTracker<P>>> trackers_
      SPLITCHECK_GUARDED_BY(mu_);
  // The last position passed to try_claim, accepted or not.
  std::optional<Position> last_attempt_ SPLITCHECK_GUARDED_BY(mu_);
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_SOURCES_CONCAT_RANGE_TRACKER_H_
