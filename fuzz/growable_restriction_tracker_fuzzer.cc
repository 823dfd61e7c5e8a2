// Fuzzes GrowableOffsetRestrictionTracker against the restriction tracker
// contract, its end estimate set by the input.
#include <memory>
#include <utility>

#include "splitcheck/fuzz/restriction_tracker_fuzzer.h"
#include "splitcheck/lib/sdf/growable_offset_restriction_tracker.h"

namespace {
std::unique_ptr<splitcheck::GrowableOffsetRestrictionTracker> MakeTracker(
    const splitcheck::OffsetRange& range, splitcheck::testkit::EndEstimate estimate) {
  return std::make_unique<splitcheck::GrowableOffsetRestrictionTracker>(range, std::move(estimate));
}
}  // namespace

SPLITCHECK_RESTRICTION_TRACKER_FUZZER(MakeTracker,
                                      splitcheck::testkit::growable_offset_restrictions());
