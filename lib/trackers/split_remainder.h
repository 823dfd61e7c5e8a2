// try_split_remainder(tracker, fraction): the split a runner asks for when it
// rebalances, "keep `fraction` of what is left to read, give away the rest".
//
//   if (auto split = try_split_remainder(tracker, 0.5)) {
//     queue(residual range [split->result.position, split->residual_stop));
//   }
//
// With c = tracker.fraction_consumed(), the split position is
// tracker.position_at_fraction(c + (1 - c) * fraction), and the split is
// tracker.try_split(position): the answer is try_split's (nullopt when it
// refuses), with the stop the range had before it (the residual's stop).
// Nothing but the tracker's own methods is called, so a tracker that passes
// the tracker contract needs nothing more to be rebalanced correctly.
//
// REQUIRES: 0 <= fraction <= 1, else a UsageError. REQUIRES: no other split
// of this tracker runs meanwhile (the caller serializes its splits, as
// LocalRunner does under each bundle's lock; the reader's claims may run
// concurrently). Another split between these calls could leave the returned
// residual_stop stale, overlapping that split's residual. Throws what the
// tracker's calls throw: a UsageError from position_at_fraction on a range
// of unknown size, for example.

#ifndef SPLITCHECK_LIB_TRACKERS_SPLIT_REMAINDER_H_
#define SPLITCHECK_LIB_TRACKERS_SPLIT_REMAINDER_H_

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/trackers/range_tracker.h"

namespace splitcheck {

template <typename P>
struct RemainderSplit {
  SplitResult<P> result;  // the primary is [start, result.position)
  P residual_stop;        // the residual is [result.position, residual_stop)
};

template <typename P>
std::optional<RemainderSplit<P>> try_split_remainder(RangeTracker<P>& tracker, double fraction) {
  if (!(fraction >= 0.0 && fraction <= 1.0)) {
    throw UsageError(tracker.debug_string() + ": try_split_remainder(" + std::to_string(fraction) +
                     "): the fraction of the remainder must be in [0, 1]");
  }
  P stop = tracker.stop_position();
  const double consumed = tracker.fraction_consumed();
  const double target = std::min(1.0, consumed + (1.0 - consumed) * fraction);
  std::optional<SplitResult<P>> split = tracker.try_split(tracker.position_at_fraction(target));
  if (!split.has_value()) return std::nullopt;
  return RemainderSplit<P>{std::move(*split), std::move(stop)};
}

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_TRACKERS_SPLIT_REMAINDER_H_
