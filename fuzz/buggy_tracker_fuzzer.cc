// Fuzzes the testkit's deliberately broken offset tracker; SPLITCHECK_BUG
// (set by the BUILD file) picks the bug, SPLITCHECK_MAX_MISUSES (optional)
// how many misuse operations a scenario runs. Used to show that each bug is found
// from the seed corpus (fuzz/prove_bugs_found.sh).
#include <cstdint>
#include <memory>

#include "splitcheck/fuzz/tracker_fuzzer.h"
#include "splitcheck/testkit/zoo/buggy_trackers.h"

namespace {
std::unique_ptr<splitcheck::testkit::internal::BuggyOffsetTracker> MakeTracker(std::int64_t start,
                                                                               std::int64_t stop) {
  return std::make_unique<splitcheck::testkit::internal::BuggyOffsetTracker>(
      start, stop, splitcheck::testkit::internal::TrackerBug::SPLITCHECK_BUG);
}
}  // namespace

#ifdef SPLITCHECK_CONCURRENT
SPLITCHECK_CONCURRENT_TRACKER_FUZZER(std::int64_t, MakeTracker, splitcheck::fuzz::offset_bytes(),
                                     splitcheck::testkit::offset_positions());
#elif defined(SPLITCHECK_MAX_MISUSES)
SPLITCHECK_TRACKER_FUZZER_WITH_OPTIONS(fuzz_tracker_sequential, std::int64_t, MakeTracker,
                                       splitcheck::fuzz::offset_bytes(),
                                       splitcheck::testkit::offset_positions(),
                                       {.max_misuses = SPLITCHECK_MAX_MISUSES});
#else
SPLITCHECK_TRACKER_FUZZER(std::int64_t, MakeTracker, splitcheck::fuzz::offset_bytes(),
                          splitcheck::testkit::offset_positions());
#endif
