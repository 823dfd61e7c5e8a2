// OffsetRestrictionTracker: a RestrictionTracker over an OffsetRange, with
// Beam's offset arithmetic. The contract is restriction_tracker.h's, with:
//
//   * try_claim(p): true for from <= p < to; false for p >= to (recorded as
//     the last attempt: the range is then done).
//   * try_split(f): let cur be the last claim, or from - 1 before any; the
//     split offset is s = cur + max(1, floor((to - cur) * f)), computed
//     exactly for any offsets with f read as its shortest decimal (as Java's
//     BigDecimal.valueOf reads it: 0.7 is seven tenths, not the double a
//     little below); refused when s >= to, otherwise the primary is [from, s) and
//     the residual [s, to). So try_split(0) keeps exactly the claimed
//     offsets, and Beam's example holds: [100, 200) claimed up to 130,
//     fraction 0.7 -> primary [100, 179), residual [179, 200).
//   * check_done: a UsageError naming [cur + 1, to) unless the range is empty
//     or cur >= to - 1.
//   * progress: (0, to - from) before any claim; (cur - from, to - cur) after
//     an accepted claim at cur (the block being done counts as remaining);
//     (to - from, 0) once a claim was refused. completed + remaining is
//     always the size of the current range.
//   * is_bounded(): true (a range with to = kOffsetInfinity is then just a
//     large one; GrowableOffsetRestrictionTracker is the unbounded tracker).
//
// A range with from < 0 or to < from is a UsageError at construction.
// Thread-safe; see RestrictionTracker.

#ifndef SPLITCHECK_LIB_SDF_OFFSET_RESTRICTION_TRACKER_H_
#define SPLITCHECK_LIB_SDF_OFFSET_RESTRICTION_TRACKER_H_

#include <cstdint>
#include <optional>
#include <string>

#include "splitcheck/lib/sdf/internal/basic_offset_restriction_tracker.h"
#include "splitcheck/lib/sdf/offset_range.h"
#include "splitcheck/lib/sdf/restriction_tracker.h"

namespace splitcheck {

class OffsetRestrictionTracker final : public internal::BasicOffsetRestrictionTracker {
 public:
  // REQUIRES: 0 <= range.from <= range.to, else a UsageError naming it.
  explicit OffsetRestrictionTracker(OffsetRange range)
      : BasicOffsetRestrictionTracker("OffsetRestrictionTracker", range, nullptr) {}
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_SDF_OFFSET_RESTRICTION_TRACKER_H_
