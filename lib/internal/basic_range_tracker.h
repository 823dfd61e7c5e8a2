// BasicRangeTracker<Domain>: the one implementation of the RangeTracker
// contract (see splitcheck/lib/trackers/range_tracker.h) that every built-in tracker
// over an ordered position type shares. Internal: use OffsetRangeTracker,
// OrderedPositionRangeTracker or LexicographicKeyRangeTracker.
//
// What differs between trackers is their *domain*, a small copyable value:
//
//   struct Domain {
//     using Position = ...;                    // std::totally_ordered
//     static constexpr std::string_view kName;  // "OffsetRangeTracker"
//     // Whether a split may be accepted before the first claim.
//     static constexpr bool kSplitsBeforeFirstClaim;
//     // Throws UsageError (naming kName) if [start, stop) is not a range.
//     void validate_range(const Position& start, const Position& stop) const;
//     // Whether `position` lies before `stop` (a stop may mean "the end").
//     bool before_stop(const Position& position, const Position& stop) const;
//     // False when the range has no known size (an "infinite" stop).
//     bool has_size(const Position& start, const Position& stop) const;
//     // The share of [start, stop) before `position`, for position >= start.
//     // May exceed 1 for positions past the stop; callers clamp.
//     double to_fraction(const Position& position, const Position& start,
//                        const Position& stop) const;
//     // The position at `fraction` in [0, 1] of [start, stop).
//     Position from_fraction(double fraction, const Position& start,
//                            const Position& stop) const;
//     // How a position and a stop ("inf", "<end>") are shown in messages:
//     // a std::string, or anything else that converts to std::string_view
//     // (OffsetDomain returns InlineText, which needs no allocation).
//     auto describe(const Position& position) const;
//     auto describe_stop(const Position& stop) const;
//   };
//
// Lock discipline: one lock guards the mutable state, a SpinMutex (one locked
// instruction per claim instead of std::mutex's two; spin_mutex.h) unless the
// domain names another (`using Mutex = ...;` see DomainMutex below). Every
// public method takes it once, briefly: under it positions are compared and
// copied, nothing else. Domain mappings, messages (allocation), and the
// split-points callback (user code, called and destroyed) run after it is
// released, on a snapshot of the state.
// Results of the mappings are checked, so a broken user mapping is reported
// as a UsageError rather than corrupting the range.

#ifndef SPLITCHECK_LIB_INTERNAL_BASIC_RANGE_TRACKER_H_
#define SPLITCHECK_LIB_INTERNAL_BASIC_RANGE_TRACKER_H_

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/describe.h"
#include "splitcheck/lib/internal/mutex.h"
#include "splitcheck/lib/internal/spin_mutex.h"
#include "splitcheck/lib/internal/thread_annotations.h"
#include "splitcheck/lib/trackers/range_tracker.h"

namespace splitcheck::internal {

template <typename D>
concept TrackerDomain = std::copy_constructible<D> && std::totally_ordered<typename D::Position> &&
    requires(const D& d, const typename D::Position& p, double f) {
  { D::kName } -> std::convertible_to<std::string_view>;
  { D::kSplitsBeforeFirstClaim } -> std::convertible_to<bool>;
  d.validate_range(p, p);
  { d.before_stop(p, p) } -> std::same_as<bool>;
  { d.has_size(p, p) } -> std::same_as<bool>;
  { d.to_fraction(p, p, p) } -> std::same_as<double>;
  { d.from_fraction(f, p, p) } -> std::same_as<typename D::Position>;
  { d.describe(p) } -> std::convertible_to<std::string_view>;
  { d.describe_stop(p) } -> std::convertible_to<std::string_view>;
};

// The lock a tracker over Domain uses: Domain::Mutex where the domain names
// one, else SpinMutex. A domain whose positions are copied or compared by user
// code (OrderedDomain over a user type) names Mutex: a spin lock must not be
// held across code that may block or run long.
template <typename D>
struct DomainMutex {
  using type = SpinMutex;
};
template <typename D>
requires requires { typename D::Mutex; }
struct DomainMutex<D> {
  using type = typename D::Mutex;
};

// Throws UsageError unless `fraction` is a number in [0, 1].
void check_fraction(std::string_view tracker, std::string_view method, double fraction);

template <TrackerDomain Domain>
class BasicRangeTracker : public RangeTracker<typename Domain::Position> {
 public:
  using Position = typename Domain::Position;

  // Throws UsageError if [start, stop) is not a valid range of the domain.
  BasicRangeTracker(Position start, Position stop, Domain domain = Domain())
      : domain_(std::move(domain)), start_(std::move(start)), stop_(std::move(stop)) {
    domain_.validate_range(start_, stop_);
  }

  BasicRangeTracker(const BasicRangeTracker&) = delete;
  BasicRangeTracker& operator=(const BasicRangeTracker&) = delete;

  Position start_position() const override { return start_; }

  Position stop_position() const override SPLITCHECK_EXCLUDES(mu_) {
    Lock lock(&mu_);
    return stop_;
  }

  bool try_claim(const Position& position) override SPLITCHECK_EXCLUDES(mu_) {
    {
      Lock lock(&mu_);
      if (claim_error_locked(position) == ClaimError::kNone) [[likely]] {
        last_attempt_ = position;
        if (done_) return false;
        if (!domain_.before_stop(position, stop_)) {
          done_ = true;
          return false;
        }
        last_record_ = position;
        ++split_points_seen_;
        return true;
      }
    }
    refuse_claim(position);
  }

  void set_current_position(const Position& position) override SPLITCHECK_EXCLUDES(mu_) {
    State snapshot;
    {
      Lock lock(&mu_);
      if (!done_ && split_points_seen_ > 0 && !(position < *last_record_)) [[likely]] {
        last_record_ = position;
        return;
      }
      snapshot = state_locked();
    }
    const auto what = [&] {
      return message(*snapshot.stop, ": set_current_position(", domain_.describe(position), ")");
    };
    if (snapshot.done) {
      throw UsageError(what() +
                       " after a refused claim: the reader must stop at the first refused claim");
    }
    if (snapshot.split_points_seen == 0) {
      throw UsageError(what() + " before any claim: the first record must be a split point");
    }
    throw UsageError(what() + " moves backwards from " +
                     std::string(domain_.describe(*snapshot.last_record)));
  }

  Position position_at_fraction(double fraction) const override SPLITCHECK_EXCLUDES(mu_) {
    check_fraction(Domain::kName, "position_at_fraction", fraction);
    const Position stop = stop_position();
    if (!domain_.has_size(start_, stop)) {
      throw UsageError(message(stop, ": position_at_fraction(", describe_double(fraction),
                               ") on a range of unknown size"));
    }
    Position position = domain_.from_fraction(fraction, start_, stop);
    // The stop itself is allowed (fraction 1), even where it sorts before the
    // start: an empty stop key means the end of the key space.
    if (!(position == stop) && (position < start_ || !domain_.before_stop(position, stop))) {
      throw UsageError(message(stop, ": the position mapping returned ", domain_.describe(position),
                               " for fraction ", describe_double(fraction), ", outside the range"));
    }
    return position;
  }

  std::optional<SplitResult<Position>> try_split(const Position& position) override
      SPLITCHECK_EXCLUDES(mu_) {
    std::optional<Position> stop;
    {
      Lock lock(&mu_);
      if (!split_allowed_locked(position)) return std::nullopt;
      stop = stop_;
    }
    // The fraction is computed on a snapshot; the split is committed only if
    // the state still allows it and no other split moved the stop meanwhile.
    const double fraction = domain_.to_fraction(position, start_, *stop);
    if (!(fraction >= 0.0 && fraction <= 1.0)) {
      throw UsageError(message(*stop, ": the position mapping returned fraction ",
                               describe_double(fraction), " for split position ",
                               domain_.describe(position), ", outside [0, 1]"));
    }
    Lock lock(&mu_);
    if (!(stop_ == *stop) || !split_allowed_locked(position)) return std::nullopt;
    stop_ = position;
    return SplitResult<Position>{position, fraction};
  }

  double fraction_consumed() const override SPLITCHECK_EXCLUDES(mu_) {
    std::optional<Position> last;
    std::optional<Position> stop;
    {
      Lock lock(&mu_);
      if (done_) return 1.0;
      if (split_points_seen_ == 0 || !domain_.has_size(start_, stop_)) return 0.0;
      last = last_record_;
      stop = stop_;
    }
    const double fraction = domain_.to_fraction(*last, start_, *stop);
    if (std::isnan(fraction)) {
      throw UsageError(
          message(*stop, ": the position mapping returned NaN for ", domain_.describe(*last)));
    }
    return std::clamp(fraction, 0.0, 1.0);
  }

  SplitPoints split_points() const override SPLITCHECK_EXCLUDES(mu_) {
    SplitPoints points;
    std::shared_ptr<const SplitPointsUnclaimedCallback<Position>> callback;
    std::optional<Position> stop;
    {
      Lock lock(&mu_);
      if (done_) return SplitPoints{split_points_seen_, 0};
      points.consumed = split_points_seen_ > 0 ? split_points_seen_ - 1 : 0;
      callback = callback_;
      stop = stop_;
      if (callback == nullptr) return points;
      points.remaining = split_points_seen_ > 0 ? 1 : 0;
    }
    const std::int64_t unclaimed = (*callback)(*stop);
    if (unclaimed == SplitPoints::kUnknown) {
      points.remaining = SplitPoints::kUnknown;
    } else if (unclaimed < 0) {
      throw UsageError(message(*stop, ": the split-points-unclaimed callback returned ",
                               InlineText(unclaimed), ": it must return a count >= 0 or kUnknown"));
    } else {
      points.remaining += unclaimed;
    }
    return points;
  }

  void set_split_points_unclaimed_callback(SplitPointsUnclaimedCallback<Position> callback) override
      SPLITCHECK_EXCLUDES(mu_) {
    auto shared =
        callback
            ? std::make_shared<const SplitPointsUnclaimedCallback<Position>>(std::move(callback))
            : nullptr;
    {
      Lock lock(&mu_);
      callback_.swap(shared);
    }
    // `shared` now holds the old callback, destroyed here, unlocked: its
    // captures are user code.
  }

  std::string debug_string() const override SPLITCHECK_EXCLUDES(mu_) {
    return message(stop_position());
  }

 private:
  using Mutex = typename DomainMutex<Domain>::type;
  using Lock = ScopedLock<Mutex>;

  enum class ClaimError { kNone, kTwice, kNotIncreasing, kBeforeStart, kBackwards };

  // A copy of the mutable state, taken under the lock so that a message can
  // be built after it is released.
  struct State {
    std::optional<Position> stop;
    std::optional<Position> last_record;
    std::optional<Position> last_attempt;
    std::int64_t split_points_seen = 0;
    bool done = false;
  };

  State state_locked() const SPLITCHECK_REQUIRES(mu_) {
    return State{stop_, last_record_, last_attempt_, split_points_seen_, done_};
  }

  ClaimError claim_error_locked(const Position& position) const SPLITCHECK_REQUIRES(mu_) {
    if (last_attempt_.has_value() && !(*last_attempt_ < position)) {
      return position == *last_attempt_ ? ClaimError::kTwice : ClaimError::kNotIncreasing;
    }
    if (position < start_) return ClaimError::kBeforeStart;
    if (last_record_.has_value() && position < *last_record_) return ClaimError::kBackwards;
    return ClaimError::kNone;
  }

  // The error of a claim try_claim found wrong, out of its path (no state
  // is copied there). What decides it (the start, the last attempt, the
  // last record) only moves forward, so a claim wrong once is wrong at the
  // second look too.
  [[noreturn, gnu::cold, gnu::noinline]] void refuse_claim(const Position& position) const
      SPLITCHECK_EXCLUDES(mu_) {
    ClaimError error;
    State snapshot;
    {
      Lock lock(&mu_);
      error = claim_error_locked(position);
      snapshot = state_locked();
    }
    throw_claim_error(error, position, snapshot);
  }

  [[noreturn, gnu::cold, gnu::noinline]] void throw_claim_error(ClaimError error,
                                                                const Position& position,
                                                                const State& state) const {
    const Position& stop = *state.stop;
    switch (error) {
      case ClaimError::kTwice:
        throw UsageError(message(stop, ": cannot claim ", domain_.describe(position),
                                 " twice: split points must be distinct"));
      case ClaimError::kNotIncreasing:
        throw UsageError(message(stop, ": cannot claim ", domain_.describe(position), " after ",
                                 domain_.describe(*state.last_attempt), ": claims must increase"));
      case ClaimError::kBeforeStart:
        throw UsageError(message(stop, ": cannot claim ", domain_.describe(position),
                                 ": it is before the start of the range"));
      case ClaimError::kBackwards:
      case ClaimError::kNone:
        break;
    }
    throw UsageError(message(stop, ": cannot claim ", domain_.describe(position),
                             " after the record at ", domain_.describe(*state.last_record),
                             ": positions must not go backwards"));
  }

  bool split_allowed_locked(const Position& position) const SPLITCHECK_REQUIRES(mu_) {
    if (done_ || !domain_.has_size(start_, stop_)) return false;
    if (split_points_seen_ == 0 && !Domain::kSplitsBeforeFirstClaim) return false;
    if (last_record_.has_value() && !(*last_record_ < position)) return false;
    return start_ < position && domain_.before_stop(position, stop_);
  }

  // "<kName>[<start>, <stop>)" and then `parts`, built with one allocation:
  // the text of every UsageError (fuzzing provokes millions).
  template <typename... Parts>
  std::string message(const Position& stop, const Parts&... parts) const {
    return str_cat(Domain::kName, "[", domain_.describe(start_), ", ", domain_.describe_stop(stop),
                   ")", parts...);
  }

  const Domain domain_;
  const Position start_;
  mutable Mutex mu_;
  Position stop_ SPLITCHECK_GUARDED_BY(mu_);
  // The last claimed or set record; empty before the first claim.
  std::optional<Position> last_record_ SPLITCHECK_GUARDED_BY(mu_);
  // The last position passed to try_claim, accepted or not.
  std::optional<Position> last_attempt_ SPLITCHECK_GUARDED_BY(mu_);
  std::int64_t split_points_seen_ SPLITCHECK_GUARDED_BY(mu_) = 0;
  // Set by the first refused claim; final.
  bool done_ SPLITCHECK_GUARDED_BY(mu_) = false;
  std::shared_ptr<const SplitPointsUnclaimedCallback<Position>> callback_
      SPLITCHECK_GUARDED_BY(mu_);
};

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_INTERNAL_BASIC_RANGE_TRACKER_H_
