// RangeTracker<Position>: who owns which part of a source's range while it is
// being read and split.
//
// A tracker represents the range [start, stop) of positions that one reader
// is responsible for. The reader announces each record before emitting it:
//
//   * try_claim(p) for a record at a *split point* (a place where the source
//     could be divided). It returns true if p is inside the current range, and
//     the reader then emits the record; it returns false once p reaches the
//     stop, and the reader must stop without emitting that record. A refused
//     claim is final: the tracker is then *done* and refuses every later claim
//     (stricter than Beam, whose trackers may accept a claim after a refusal).
//   * set_current_position(p) for a record that is not a split point. It
//     belongs to the range of the preceding split point, so it is accepted
//     even past the stop, but never before the first claim or after the
//     tracker is done.
//
// Meanwhile another thread may split the range dynamically: try_split(p)
// shrinks the range to the *primary* [start, p) and gives up the *residual*
// [p, old_stop) to be read by someone else. It succeeds only if p lies
// strictly after every record already claimed or set, and strictly inside the
// range; otherwise it refuses and changes nothing. The fraction it returns is
// the share of the range as it was just before this split (not of the range
// the tracker was created with) that the primary keeps.
//
// Progress is reported by fraction_consumed(), in [0, 1], never decreasing
// (it may jump up when a split shrinks the range) and exactly 1 once done, and
// by split_points(), the split points consumed and remaining.
//
// Fractions. Every fraction is a *share* of the current range: the share of
// position p is the part of [start, stop) before p (the tracker's mapping;
// 1 for the stop). position_at_fraction(f) is monotone in f, gives the start
// for 0 and the stop for 1, and the share of its answer is never below f and
// at most the tracker's tolerance above it: one position for offsets (the
// answer is the ceiling), f * 2^-40 for keys; a custom tracker documents its
// own. So a runner asking for 10% gets 10%, not less and not a round number
// further on. The fraction try_split returns is the share of the position it
// returns, and fraction_consumed() the share of the last record, both of the
// range as it was just before. A tracker that refuses every split
// (UnsplittableRangeTracker) may name only its ends. splitcheck's tracker
// contract checker holds trackers to these rules; its source checks hold a
// source's tracker to what can be seen without knowing the mapping.
//
// Thread safety: every method may be called from any thread at any time,
// concurrently with every other method (a reader claims while a runner splits
// and a monitor asks for progress). Each call takes effect atomically.
// The trackers of lib/trackers hold one mutex per tracker and never call user
// code (callbacks, position mappings) with it held. ConcatRangeTracker
// (lib/sources) is the exception: it creates and calls its sub-sources'
// trackers with its lock held, so that a split is atomic across the
// concatenation and the sub-source being read; a sub-tracker must not call
// back into the concatenation's tracker.
//
// Misuse is reported with a UsageError that names the tracker and the value:
// claiming backwards or twice at the same split point, claiming before the
// start, set_current_position before the first claim or after the tracker is
// done, fractions that are NaN or outside [0, 1]. Refusals (try_claim false,
// try_split empty) are normal answers, not errors.

#ifndef SPLITCHECK_LIB_TRACKERS_RANGE_TRACKER_H_
#define SPLITCHECK_LIB_TRACKERS_RANGE_TRACKER_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace splitcheck {

// An accepted dynamic split.
template <typename Position>
struct SplitResult {
  // Where the range was split: the primary is [start, position), the residual
  // [position, old stop).
  Position position;
  // The share of the range as it was just before the split that the primary
  // keeps, in [0, 1].
  double fraction = 0;

  friend bool operator==(const SplitResult&, const SplitResult&) = default;
};

// Split points read so far and still to read, as reported by split_points().
struct SplitPoints {
  static constexpr std::int64_t kUnknown = -1;

  // Split points fully read: all claimed ones but the one being read, and
  // all claimed ones once the tracker is done. Never negative.
  std::int64_t consumed = 0;
  // Split points not yet fully read, including the one being read, or
  // kUnknown. 0 once the tracker is done.
  std::int64_t remaining = kUnknown;

  friend bool operator==(const SplitPoints&, const SplitPoints&) = default;
};

// Estimates how many split points of the source lie after the last claimed
// one and before `stop` (the current stop of the range). Returns a count >= 0
// or SplitPoints::kUnknown. Called without the tracker's lock held, so it may
// call back into the tracker.
template <typename Position>
using SplitPointsUnclaimedCallback = std::function<std::int64_t(const Position& stop)>;

template <typename Position>
class RangeTracker {
 public:
  using position_type = Position;

  virtual ~RangeTracker() = default;

  // The first position of the range.
  virtual Position start_position() const = 0;
  // The current end of the range (exclusive); moves down on each accepted
  // split.
  virtual Position stop_position() const = 0;

  // Claims the split-point record at `position`. True: emit it. False: the
  // range is exhausted; stop without emitting it. Throws UsageError if
  // `position` is before the start, before the last record, or equal to the
  // last claimed split point.
  virtual bool try_claim(const Position& position) = 0;

  // Records that a non-split-point record at `position` is being emitted.
  // Throws UsageError before the first claim, after a refused claim, or if
  // `position` moves backwards.
  virtual void set_current_position(const Position& position) = 0;

  // The position at `fraction` of the current range. Throws UsageError if
  // `fraction` is NaN or outside [0, 1]. On a range with no known size it
  // either throws UsageError (OffsetRangeTracker) or names a position inside
  // the range (UnsplittableRangeTracker: its start).
  virtual Position position_at_fraction(double fraction) const = 0;

  // Tries to split the range at `position`; see the class comment.
  virtual std::optional<SplitResult<Position>> try_split(const Position& position) = 0;

  // The fraction of the current range consumed so far, in [0, 1].
  virtual double fraction_consumed() const = 0;

  // Split points consumed and remaining.
  virtual SplitPoints split_points() const = 0;

  // Installs the estimator used for SplitPoints::remaining (replacing any
  // earlier one). Without one, remaining is kUnknown until the tracker is
  // done.
  virtual void set_split_points_unclaimed_callback(
      SplitPointsUnclaimedCallback<Position> callback) = 0;

  // A short description for messages, e.g. "OffsetRangeTracker[0, 100)".
  virtual std::string debug_string() const = 0;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_TRACKERS_RANGE_TRACKER_H_
