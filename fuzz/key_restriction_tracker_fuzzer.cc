// Fuzzes ByteKeyRestrictionTracker against the restriction tracker contract.
#include <memory>

#include "splitcheck/fuzz/restriction_tracker_fuzzer.h"
#include "splitcheck/lib/sdf/byte_key_restriction_tracker.h"

namespace {
std::unique_ptr<splitcheck::ByteKeyRestrictionTracker> MakeTracker(
    const splitcheck::ByteKeyRange& range, splitcheck::testkit::EndEstimate) {
  return std::make_unique<splitcheck::ByteKeyRestrictionTracker>(range);
}
}  // namespace

SPLITCHECK_RESTRICTION_TRACKER_FUZZER(MakeTracker, splitcheck::testkit::byte_key_restrictions());
