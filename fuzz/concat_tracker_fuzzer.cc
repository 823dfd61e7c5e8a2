// Fuzzes ConcatRangeTracker against the tracker contract, through the
// adapter that maps offsets to (sub-range, offset) positions over sub-ranges
// of 1, 2, 4, ... offsets (testkit/internal/concat_offsets.h).
#include <cstdint>
#include <memory>

#include "splitcheck/fuzz/tracker_fuzzer.h"
#include "splitcheck/testkit/internal/concat_offsets.h"

namespace {
std::unique_ptr<splitcheck::testkit::internal::ConcatOffsetTracker> MakeTracker(std::int64_t start,
                                                                                std::int64_t stop) {
  return std::make_unique<splitcheck::testkit::internal::ConcatOffsetTracker>(start, stop);
}
}  // namespace

SPLITCHECK_TRACKER_FUZZER(std::int64_t, MakeTracker, splitcheck::fuzz::offset_bytes(),
                          splitcheck::testkit::internal::concat_offset_positions());
