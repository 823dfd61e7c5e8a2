// RestrictionTrackerFactory values for the three built-in restriction
// trackers, for the checks, analyses and fuzzers that run on them:
//
//   check_restriction_tracker_contract(offset_tracker_factory(), offset_restrictions());
//
// offset_tracker_factory() ignores the domain's end estimate (its ranges
// are bounded); growable_offset_tracker_factory() hands the estimate to
// GrowableOffsetRestrictionTracker; byte_key_tracker_factory() ignores it.
// Each call returns a new factory; the trackers it makes are independent.

#ifndef SPLITCHECK_TESTKIT_SDF_BUILT_IN_TRACKER_FACTORIES_H_
#define SPLITCHECK_TESTKIT_SDF_BUILT_IN_TRACKER_FACTORIES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "splitcheck/lib/sdf/byte_key_restriction_tracker.h"
#include "splitcheck/lib/sdf/growable_offset_restriction_tracker.h"
#include "splitcheck/lib/sdf/offset_restriction_tracker.h"
#include "splitcheck/testkit/sdf/restriction_scenario.h"

namespace splitcheck::testkit {

inline RestrictionTrackerFactory<OffsetRange, std::int64_t> offset_tracker_factory() {
  return [](const OffsetRange& r, EndEstimate) {
    return std::make_unique<OffsetRestrictionTracker>(r);
  };
}

inline RestrictionTrackerFactory<OffsetRange, std::int64_t> growable_offset_tracker_factory() {
  return [](const OffsetRange& r, EndEstimate e) {
    return std::make_unique<GrowableOffsetRestrictionTracker>(r, std::move(e));
  };
}

inline RestrictionTrackerFactory<ByteKeyRange, std::string> byte_key_tracker_factory() {
  return [](const ByteKeyRange& r, EndEstimate) {
    return std::make_unique<ByteKeyRestrictionTracker>(r);
  };
}

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_SDF_BUILT_IN_TRACKER_FACTORIES_H_
