// The main of a <name>_contract test (bazel/fuzz.bzl): runs the registered
// tracker through the tracker contract checker and prints the result, whose
// notes name the seed to replay a failure with (SPLITCHECK_SEED=<seed>).

#include <iostream>

#include "splitcheck/fuzz/tracker_fuzzer.h"

int main() {
  const splitcheck::testkit::CheckResult result = splitcheck::fuzz::registered_tracker_contract();
  std::cout << result << std::endl;
  return result.ok() ? 0 : 1;
}
