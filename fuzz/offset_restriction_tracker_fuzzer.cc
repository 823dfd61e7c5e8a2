// Fuzzes OffsetRestrictionTracker against the restriction tracker contract.
#include <memory>

#include "splitcheck/fuzz/restriction_tracker_fuzzer.h"
#include "splitcheck/lib/sdf/offset_restriction_tracker.h"

namespace {
std::unique_ptr<splitcheck::OffsetRestrictionTracker> MakeTracker(
    const splitcheck::OffsetRange& range, splitcheck::testkit::EndEstimate) {
  return std::make_unique<splitcheck::OffsetRestrictionTracker>(range);
}
}  // namespace

SPLITCHECK_RESTRICTION_TRACKER_FUZZER(MakeTracker, splitcheck::testkit::offset_restrictions());
