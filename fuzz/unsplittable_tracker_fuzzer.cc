// Fuzzes UnsplittableRangeTracker (over offsets): every split may be refused,
// and position_at_fraction names only the ends.
#include <cstdint>
#include <memory>

#include "splitcheck/fuzz/tracker_fuzzer.h"
#include "splitcheck/lib/trackers/offset_range_tracker.h"
#include "splitcheck/lib/trackers/unsplittable_range_tracker.h"

namespace {
std::unique_ptr<splitcheck::UnsplittableRangeTracker<std::int64_t>> MakeTracker(std::int64_t start,
                                                                                std::int64_t stop) {
  return std::make_unique<splitcheck::UnsplittableRangeTracker<std::int64_t>>(
      std::make_unique<splitcheck::OffsetRangeTracker>(start, stop));
}
}  // namespace

SPLITCHECK_TRACKER_FUZZER_WITH_OPTIONS(fuzz_tracker_sequential, std::int64_t, MakeTracker,
                                       splitcheck::fuzz::offset_bytes(),
                                       splitcheck::testkit::offset_positions(),
                                       {.require_split_acceptance = false,
                                        .check_fraction_mapping = false});
