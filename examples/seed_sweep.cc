// Looks for false alarms: runs every correct example connector through its
// whole gate under many seeds of the randomised checks, and reports any
// seed under which the gate rejected a correct connector. Not a test (it
// takes minutes):
//
//   ./bazelw run -c opt //examples:seed_sweep -- 50     # seeds 1 .. 50
//
// Exits non-zero if any seed gave a false alarm.

#include <cstdio>
#include <cstdlib>
#include <string>

#include "splitcheck/examples/gate_report.h"

int main(int argc, char** argv) {
  const int seeds = argc > 1 ? std::atoi(argv[1]) : 50;
  int alarms = 0;
  for (int seed = 1; seed <= seeds; ++seed) {
    std::printf("== seed %d\n", seed);
    std::fflush(stdout);
    const int wrong = splitcheck::examples::run_gate_report(
        {.seed = static_cast<std::uint64_t>(seed), .correct_only = true});
    if (wrong != 0) {
      ++alarms;
      std::printf("!! seed %d: %d correct connectors rejected\n", seed, wrong);
    }
  }
  std::printf("%d seeds, %d with a false alarm\n", seeds, alarms);
  return alarms == 0 ? 0 : 1;
}
