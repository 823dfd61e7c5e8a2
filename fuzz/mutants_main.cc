// The main of a <name>_mutants test (bazel/fuzz.bzl): the mutation analysis
// of each distinct registered tracker's contract check. Prints the reports;
// fails when a mutant survived (the check, as configured, cannot see that
// bug on this tracker) or an analysis could not be made.

#include <iostream>

#include "splitcheck/fuzz/tracker_fuzzer.h"

int main() {
  const auto contracts = splitcheck::fuzz::distinct_contracts();
  if (contracts.empty()) {
    std::cerr << "no SPLITCHECK_TRACKER_FUZZER line was linked into this test\n";
    return 1;
  }
  bool ok = true;
  for (const splitcheck::fuzz::RegisteredTracker* tracker : contracts) {
    const splitcheck::testkit::MutationReport report = tracker->mutation_analysis(0);
    std::cout << "mutation analysis of " << tracker->name() << "'s contract check:\n"
              << report << std::endl;
    const splitcheck::testkit::CheckResult result = splitcheck::testkit::to_check_result(report);
    std::cout << result << std::endl;
    ok = ok && result.ok();
  }
  return ok ? 0 : 1;
}
