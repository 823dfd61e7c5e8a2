// The gate report: every example connector and every connector of the zoo
// through the whole gate (the source battery, the sink battery, or for a
// tracker the tracker contract checker), printed
// as one row per connector and check with the verdict, the cases explored
// and the time, then the counterexample and replay of every rejection.
//
// The correct connectors must pass and every zoo connector must be rejected;
// run_gate_report returns the number of connectors for which that did not
// hold (0 is success). Progress goes to stderr as it runs.

#ifndef SPLITCHECK_EXAMPLES_GATE_REPORT_H_
#define SPLITCHECK_EXAMPLES_GATE_REPORT_H_

namespace splitcheck::examples {

int run_gate_report();

}  // namespace splitcheck::examples

#endif  // SPLITCHECK_EXAMPLES_GATE_REPORT_H_
