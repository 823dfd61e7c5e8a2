// Looks for false alarms: runs every correct example connector through its
// whole gate, and the built-in trackers through the tracker contract
// checker, under many seeds of the randomised checks, and reports any seed
// under which a check rejected something correct. Not a test (it takes
// minutes):
//
//   ./bazelw run -c opt //examples:seed_sweep -- 50     # seeds 1 .. 50
//
// Exits non-zero if any seed gave a false alarm.

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "splitcheck/examples/gate_report.h"
#include "splitcheck/lib/trackers/lexicographic_key_range_tracker.h"
#include "splitcheck/lib/trackers/offset_range_tracker.h"
#include "splitcheck/testkit/internal/concat_offsets.h"
#include "splitcheck/testkit/tracker_testkit.h"

namespace {

namespace testkit = splitcheck::testkit;

// The built-in trackers' contract checks under `seed`; the number that fail.
int tracker_alarms(std::uint64_t seed) {
  const testkit::TrackerContractOptions options{.seed = seed};
  const testkit::TrackerFactory<std::int64_t> offsets = [](const std::int64_t& s,
                                                           const std::int64_t& e) {
    return std::make_unique<splitcheck::OffsetRangeTracker>(s, e);
  };
  const testkit::TrackerFactory<std::string> keys = [](const std::string& s, const std::string& e) {
    return std::make_unique<splitcheck::LexicographicKeyRangeTracker>(s, e);
  };
  const testkit::TrackerFactory<std::int64_t> concat = [](const std::int64_t& s,
                                                          const std::int64_t& e) {
    return std::make_unique<testkit::internal::ConcatOffsetTracker>(s, e);
  };
  int alarms = 0;
  for (const testkit::CheckResult& r :
       {testkit::check_tracker_contract(offsets, testkit::offset_positions(), options),
        testkit::check_tracker_contract(keys, testkit::key_positions(), options),
        testkit::check_tracker_contract(concat, testkit::internal::concat_offset_positions(),
                                        options)}) {
    if (!r.ok()) {
      ++alarms;
      std::cout << r << "\n";
    }
  }
  return alarms;
}

}  // namespace

int main(int argc, char** argv) {
  const int seeds = argc > 1 ? std::atoi(argv[1]) : 50;
  int alarms = 0;
  for (int seed = 1; seed <= seeds; ++seed) {
    std::printf("== seed %d\n", seed);
    std::fflush(stdout);
    const int wrong = splitcheck::examples::run_gate_report(
        {.seed = static_cast<std::uint64_t>(seed), .correct_only = true});
    const int trackers = tracker_alarms(static_cast<std::uint64_t>(seed));
    if (wrong != 0 || trackers != 0) {
      ++alarms;
      std::printf("!! seed %d: %d correct connectors and %d built-in trackers rejected\n", seed,
                  wrong, trackers);
    }
  }
  std::printf("%d seeds, %d with a false alarm\n", seeds, alarms);
  return alarms == 0 ? 0 : 1;
}
