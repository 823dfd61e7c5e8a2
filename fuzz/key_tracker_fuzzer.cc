// Fuzzes LexicographicKeyRangeTracker against the tracker contract.
#include <memory>
#include <string>

#include "splitcheck/fuzz/tracker_fuzzer.h"
#include "splitcheck/lib/trackers/lexicographic_key_range_tracker.h"

namespace {
std::unique_ptr<splitcheck::LexicographicKeyRangeTracker> MakeTracker(const std::string& start,
                                                                      const std::string& stop) {
  return std::make_unique<splitcheck::LexicographicKeyRangeTracker>(start, stop);
}
}  // namespace

SPLITCHECK_TRACKER_FUZZER(std::string, MakeTracker, splitcheck::fuzz::key_bytes(),
                          splitcheck::testkit::key_positions());
