// Fuzzes OffsetRangeTracker against the tracker contract.
#include <cstdint>
#include <memory>

#include "splitcheck/fuzz/tracker_fuzzer.h"
#include "splitcheck/lib/trackers/offset_range_tracker.h"

namespace {
std::unique_ptr<splitcheck::OffsetRangeTracker> MakeTracker(std::int64_t start, std::int64_t stop) {
  return std::make_unique<splitcheck::OffsetRangeTracker>(start, stop);
}
}  // namespace

SPLITCHECK_TRACKER_FUZZER(std::int64_t, MakeTracker, splitcheck::fuzz::offset_bytes(),
                          splitcheck::testkit::offset_positions());
