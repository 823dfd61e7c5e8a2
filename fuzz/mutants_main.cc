// The main of a <name>_mutants test (bazel/fuzz.bzl): the mutation analysis
// of the registered tracker's contract check. Prints the report; fails when
// a mutant survived (the check, as configured, cannot see that bug on this
// tracker) or the analysis could not be made.

#include <iostream>

#include "splitcheck/fuzz/tracker_fuzzer.h"

int main() {
  const splitcheck::testkit::MutationReport report =
      splitcheck::fuzz::registered_tracker_mutation_analysis();
  std::cout << report << std::endl;
  const splitcheck::testkit::CheckResult result = splitcheck::testkit::to_check_result(report);
  std::cout << result << std::endl;
  return result.ok() ? 0 : 1;
}
