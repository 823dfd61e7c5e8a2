// GrowableOffsetRestrictionTracker: the tracker of an unbounded input whose
// end moves while it is read (a log partition, a Kafka topic), Beam's
// GrowableOffsetRangeTracker.
//
// Its restriction starts as [from, kOffsetInfinity). A user-supplied
// estimator gives the current end of the input (an exclusive offset, e.g.
// the log's latest offset + 1). While the range is unbounded:
//
//   * try_claim(p): true for every p >= from below kOffsetInfinity (the
//     input may yet reach p); a claim at kOffsetInfinity is refused and ends
//     the range (the DoFn's way of saying the input is closed).
//   * try_split(f): with cur the last claim or from - 1, and the estimated
//     end e = max(estimate, cur + 1), the split offset is
//     s = cur + max(1, floor((e - cur) * f)) (exact, as OffsetRestrictionTracker
//     computes it); refused when s > e, otherwise
//     the primary is [from, s), now bounded, and the residual [s, inf), still
//     unbounded. So a split never goes past what the estimator said (beyond
//     cur + 1), and try_split(0) is a checkpoint: the primary keeps the
//     claimed offsets, the residual resumes after them.
//   * progress: (cur - from, e - cur) after a claim at cur, (0, e - from)
//     before any, remaining 0 once a claim was refused.
//   * is_bounded(): false until a split bounds the range.
//   * check_done: a UsageError unless a claim was refused (an unbounded
//     range is never claimed to its end otherwise).
// Once split, the tracker behaves as OffsetRestrictionTracker on its bounded
// primary.
//
// The estimator is user code: it is called without the tracker's lock held,
// once per try_split and progress() of an unbounded range (never by
// try_claim), from whichever thread calls them, so it must be thread-safe.
// Its answer is a hint: one below cur + 1 counts as cur + 1. An estimator
// that throws makes that call throw.

#ifndef SPLITCHECK_LIB_SDF_GROWABLE_OFFSET_RESTRICTION_TRACKER_H_
#define SPLITCHECK_LIB_SDF_GROWABLE_OFFSET_RESTRICTION_TRACKER_H_

#include <cstdint>
#include <functional>
#include <utility>

#include "splitcheck/lib/sdf/internal/basic_offset_restriction_tracker.h"
#include "splitcheck/lib/sdf/offset_range.h"
#include "splitcheck/lib/sdf/restriction_tracker.h"

namespace splitcheck {

// The current end of a growing input, exclusive.
using OffsetEndEstimator = std::function<std::int64_t()>;

class GrowableOffsetRestrictionTracker final : public internal::BasicOffsetRestrictionTracker {
 public:
  // The range [from, inf). REQUIRES: from >= 0 and an estimator, else a
  // UsageError.
  GrowableOffsetRestrictionTracker(std::int64_t from, OffsetEndEstimator estimator)
      : BasicOffsetRestrictionTracker("GrowableOffsetRestrictionTracker",
                                      OffsetRange{from, kOffsetInfinity},
                                      checked(std::move(estimator))) {}

  // A tracker resumed on a residual: `range` may be unbounded (to =
  // kOffsetInfinity) or, after a split, bounded.
  GrowableOffsetRestrictionTracker(OffsetRange range, OffsetEndEstimator estimator)
      : BasicOffsetRestrictionTracker("GrowableOffsetRestrictionTracker", range,
                                      checked(std::move(estimator))) {}

 private:
  static OffsetEndEstimator checked(OffsetEndEstimator e);
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_SDF_GROWABLE_OFFSET_RESTRICTION_TRACKER_H_
