#include "splitcheck/lib/sdf/growable_offset_restriction_tracker.h"

#include "splitcheck/lib/error.h"

namespace splitcheck {

OffsetEndEstimator GrowableOffsetRestrictionTracker::checked(OffsetEndEstimator e) {
  if (!e) throw UsageError("GrowableOffsetRestrictionTracker: the end estimator is empty");
  return e;
}

}  // namespace splitcheck
