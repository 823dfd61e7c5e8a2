// For the zoo's tests: the names of the source checks that reject a source,
// the battery run with a fixed seed and every result printed.

#ifndef SPLITCHECK_TESTKIT_ZOO_GATE_VERDICTS_H_
#define SPLITCHECK_TESTKIT_ZOO_GATE_VERDICTS_H_

#include <iostream>
#include <set>
#include <string>

#include "splitcheck/testkit/source_testkit.h"

namespace splitcheck::examples::broken {

template <typename T, typename P>
std::set<std::string> failed_source_checks(const testkit::SourceFactory<T, P>& factory) {
  testkit::SourceConformanceOptions options;
  options.schedules.seed = 1;
  std::set<std::string> failed;
  for (const testkit::CheckResult& result : testkit::check_source_conformance(factory, options)) {
    std::cout << result << "\n";
    if (!result.ok()) failed.insert(result.check);
  }
  return failed;
}

}  // namespace splitcheck::examples::broken

#endif  // SPLITCHECK_TESTKIT_ZOO_GATE_VERDICTS_H_
