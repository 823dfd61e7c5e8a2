// The main of a <name>_contract test (bazel/fuzz.bzl): runs each distinct
// registered tracker (fuzz/tracker_fuzzer.h) through the tracker contract
// checker and prints the results, whose notes name the seed to replay a
// failure with (SPLITCHECK_SEED=<seed>). Fails when any contract fails.

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
    const splitcheck::testkit::CheckResult result = tracker->contract(0);
    std::cout << "tracker contract of " << tracker->name() << ":\n" << result << std::endl;
    ok = ok && result.ok();
  }
  return ok ? 0 : 1;
}
