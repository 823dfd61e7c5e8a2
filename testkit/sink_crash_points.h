// check_sink_crash_points: a write survives a crash at every point.
//
// Given a SinkUnderTest (sink_under_test.h):
//   1. writes once without faults through a FaultInjectingFileSystem over an
//      InMemoryFileSystem, counting the N fault points: the operations that
//      change files, and the external calls the sink marks itself;
//   2. for every operation k < N and every fault mode (a transient failure,
//      a crash, a torn close), writes again on a fresh file system with that
//      fault at operation k, recovering as a runner does: the LocalRunner
//      retries a failed bundle attempt with a new uid, and reruns
//      pre_finalize + finalize_write when they fail;
//   3. checks after each write that it succeeded, that what the sink
//      committed holds every record exactly once (as a multiset), and that
//      no file other than the write's outputs is left.
// One worker writes the bundles (options.bundles of them, unless the sink
// fixes its shard count), so the operations come in the same order in every
// run and "operation k" names the same step each time. A failure names the crash point and mode, the
// operation (as the file system's trace shows it, e.g. "rename
// out/.temp-splitcheck-0123/b1-a1 -> out/s-00001-of-00002"), and the first
// record lost or duplicated or the file left behind. The result counts the
// crash points explored.

#ifndef SPLITCHECK_TESTKIT_SINK_CRASH_POINTS_H_
#define SPLITCHECK_TESTKIT_SINK_CRASH_POINTS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "splitcheck/lib/in_memory_file_system.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/lib/sink.h"
#include "splitcheck/lib/write.h"
#include "splitcheck/testkit/check_result.h"
#include "splitcheck/testkit/fault_injecting_file_system.h"
#include "splitcheck/testkit/internal/compare_records.h"
#include "splitcheck/testkit/internal/split_cases.h"
#include "splitcheck/testkit/sink_under_test.h"

namespace splitcheck::testkit {

struct SinkCrashOptions {
  std::vector<FaultMode> modes = {FaultMode::kFail, FaultMode::kCrash, FaultMode::kTorn};
  // Bundles, where the sink leaves the count to the runner: several, so that
  // a crash can fall between two bundles' steps.
  int bundles = 3;
  int max_attempts = 3;
  // More crash points than this are sampled evenly.
  std::int64_t max_points = 10000;
};

namespace internal {

struct SinkRun {
  std::optional<std::string> error;  // the write threw
  std::optional<std::string> violation;
  bool fired = false;
  std::int64_t operations = 0;
  std::vector<std::string> trace;
};

template <typename T>
SinkRun run_sink_once(const SinkUnderTest<T>& sut, const SinkCrashOptions& options,
                      std::optional<std::pair<std::int64_t, FaultMode>> fault,
                      const std::string& run_name) {
  SinkRun run;
  auto memory = std::make_shared<InMemoryFileSystem>();
  auto points = std::make_shared<FaultPoints>();
  const SinkEnvironment env{std::make_shared<FaultInjectingFileSystem>(memory, points), points,
                            run_name};
  if (fault) points->inject(fault->first, fault->second);
  RunnerOptions runner;
  runner.num_workers = 1;
  runner.write_bundles = options.bundles;
  runner.max_attempts = options.max_attempts;
  WriteResult result;
  try {
    result = LocalRunner(runner).run(Write<T>(sut.make_sink(env, sut.place)), sut.records);
  } catch (...) {
    run.error = current_exception_message();
  }
  run.fired = points->fired();
  run.operations = points->operations();
  run.trace = points->trace();
  if (run.error) return run;
  const SinkEnvironment after{memory, std::make_shared<FaultPoints>(), run_name};
  try {
    const std::vector<T> committed = sut.read_back(after, sut.place);
    if (auto difference = first_multiset_difference(sut.records, committed)) {
      run.violation = "the committed output differs from the records written: " + *difference;
      return run;
    }
    if (sut.leftovers) {
      if (auto left = sut.leftovers(after)) {
        run.violation = *left + " is left after the write";
        return run;
      }
    }
  } catch (...) {
    run.violation = "reading back the committed output threw: " + current_exception_message();
    return run;
  }
  const std::set<std::string> outputs(result.outputs.begin(), result.outputs.end());
  for (const FileMetadata& file : memory->list("")) {
    if (outputs.count(file.path) == 0) {
      run.violation = "\"" + file.path + "\" is left after the write, and is not one of its outputs";
      return run;
    }
  }
  return run;
}

}  // namespace internal

template <typename T>
CheckResult check_sink_crash_points(const SinkUnderTest<T>& sut, SinkCrashOptions options = {}) {
  constexpr const char* kCheck = "sink_crash_points";
  const internal::SinkRun clean = internal::run_sink_once(sut, options, std::nullopt, "run-0");
  if (clean.error) {
    return CheckResult::failed(kCheck, "the write failed without any fault: " + *clean.error);
  }
  if (clean.violation) return CheckResult::failed(kCheck, "without any fault, " + *clean.violation);
  const std::int64_t n = clean.operations;
  std::vector<std::int64_t> points;
  const std::int64_t step = n > options.max_points ? (n + options.max_points - 1) / options.max_points : 1;
  for (std::int64_t k = 0; k < n; k += step) points.push_back(k);
  std::int64_t cases = 0;
  for (const std::int64_t k : points) {
    for (const FaultMode mode : options.modes) {
      ++cases;
      const internal::SinkRun run = internal::run_sink_once(
          sut, options, std::make_pair(k, mode), "run-" + std::to_string(cases));
      if (!run.error && !run.violation) continue;
      const std::string where =
          std::string("a ") + fault_mode_name(mode) + " at operation " + std::to_string(k) + " of " +
          std::to_string(n) + " (\"" + (k < std::ssize(clean.trace) ? clean.trace[static_cast<std::size_t>(k)] : "?") +
          "\")";
      std::string message = run.error ? where + " made the write fail after recovery: " + *run.error
                                       : where + ": " + *run.violation;
      message += "\ncounted operations of that run:";
      for (const std::string& line : run.trace) message += "\n  " + line;
      CheckResult result = CheckResult::failed(kCheck, message);
      result.cases = cases;
      result.replay = "check_sink_crash_points with the same records; crash point " +
                      std::to_string(k) + ", mode " + fault_mode_name(mode);
      return result;
    }
  }
  CheckResult result = CheckResult::passed(kCheck);
  result.cases = cases;
  result.notes.push_back(std::to_string(points.size()) + " crash points x " +
                         std::to_string(options.modes.size()) + " modes, of " + std::to_string(n) +
                         " counted operations" + (step > 1 ? " (sampled)" : ""));
  return result;
}

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_SINK_CRASH_POINTS_H_
