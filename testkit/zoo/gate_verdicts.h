// For the zoo's tests: the names of the source (or sink) checks that reject
// a connector, the battery run with a fixed seed and every result printed.

#ifndef SPLITCHECK_TESTKIT_ZOO_GATE_VERDICTS_H_
#define SPLITCHECK_TESTKIT_ZOO_GATE_VERDICTS_H_

#include <iostream>
#include <set>
#include <string>

#include "splitcheck/testkit/sink_testkit.h"
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

// The same for a sink, each check on a fresh SinkUnderTest from `make` (as
// the gate's one test per check does: a store keyed by run name gets a tag
// per instance, and run names recur from one check to the next).
template <typename MakeSinkUnderTest>
std::set<std::string> failed_sink_checks(MakeSinkUnderTest make) {
  std::set<std::string> failed;
  for (const testkit::SinkCheck check : testkit::kAllSinkChecks) {
    const testkit::CheckResult result = testkit::run_sink_check(check, make(), {});
    std::cout << result << "\n";
    if (!result.ok()) failed.insert(result.check);
  }
  return failed;
}

}  // namespace splitcheck::examples::broken

#endif  // SPLITCHECK_TESTKIT_ZOO_GATE_VERDICTS_H_
