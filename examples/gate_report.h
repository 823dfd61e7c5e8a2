// The gate report: every example connector and every connector of the zoo
// through the whole gate (the source battery, the sink battery, or for a
// tracker the tracker contract checker), printed
// as one row per connector and check with the verdict, the cases explored
// and the time, then the counterexample and replay of every rejection.
//
// The correct connectors must pass and every zoo connector must be rejected;
// and every mutant of each correct connector's gate must be rejected (its
// mutation analysis). run_gate_report returns the number of connectors for
// which that did not hold (0 is success). Progress goes to stderr as it runs.

#ifndef SPLITCHECK_EXAMPLES_GATE_REPORT_H_
#define SPLITCHECK_EXAMPLES_GATE_REPORT_H_

#include <cstdint>

namespace splitcheck::examples {

struct GateReportOptions {
  // The seed of the randomised checks (dynamic split schedules).
  std::uint64_t seed = 1;
  // Only the correct connectors, without their mutation analysis: the
  // seed sweep (examples/seed_sweep.cc) looks for false alarms this way.
  bool correct_only = false;
};

int run_gate_report(const GateReportOptions& options = {});

}  // namespace splitcheck::examples

#endif  // SPLITCHECK_EXAMPLES_GATE_REPORT_H_
