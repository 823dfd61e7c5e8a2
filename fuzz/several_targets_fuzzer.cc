// Three fuzz targets in one file (fuzz/several_targets_test.sh): a correct
// tracker fuzzed sequentially and concurrently, which share one contract,
// and a tracker off by one at its stop, which fails the corpus replay and
// its own contract.
#include <cstdint>
#include <memory>

#include "splitcheck/fuzz/tracker_fuzzer.h"
#include "splitcheck/lib/trackers/offset_range_tracker.h"
#include "splitcheck/testkit/zoo/buggy_trackers.h"

namespace {
std::unique_ptr<splitcheck::OffsetRangeTracker> MakeTracker(std::int64_t start, std::int64_t stop) {
  return std::make_unique<splitcheck::OffsetRangeTracker>(start, stop);
}

std::unique_ptr<splitcheck::testkit::internal::BuggyOffsetTracker> MakeOffByOne(std::int64_t start,
                                                                                std::int64_t stop) {
  return std::make_unique<splitcheck::testkit::internal::BuggyOffsetTracker>(
      start, stop, splitcheck::testkit::internal::TrackerBug::kOffByOneAtStop);
}
}  // namespace

SPLITCHECK_TRACKER_FUZZER(std::int64_t, MakeTracker, splitcheck::fuzz::offset_bytes(),
                          splitcheck::testkit::offset_positions());
SPLITCHECK_CONCURRENT_TRACKER_FUZZER(std::int64_t, MakeTracker, splitcheck::fuzz::offset_bytes(),
                                     splitcheck::testkit::offset_positions());
SPLITCHECK_TRACKER_FUZZER(std::int64_t, MakeOffByOne, splitcheck::fuzz::offset_bytes(),
                          splitcheck::testkit::offset_positions());
