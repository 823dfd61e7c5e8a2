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
// run and "operation k" names the same step each time. A failure names the crash point and mode,
// the operation (as the file system's trace shows it, e.g. "rename out/.temp-splitcheck-0123/b1-a1
// -> out/s-00001-of-00002"), and the first record lost or duplicated or the file left behind, after
// shrinking the records to a smallest write that still fails. The result counts the crash points
// explored.

#ifndef SPLITCHECK_TESTKIT_SINK_SINK_CRASH_POINTS_H_
#define SPLITCHECK_TESTKIT_SINK_SINK_CRASH_POINTS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "splitcheck/lib/files/in_memory_file_system.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/lib/sinks/sink.h"
#include "splitcheck/lib/sinks/write.h"
#include "splitcheck/testkit/check_result.h"
#include "splitcheck/testkit/faults/fault_injecting_file_system.h"
#include "splitcheck/testkit/internal/compare_records.h"
#include "splitcheck/testkit/internal/split_cases.h"
#include "splitcheck/testkit/sink/sink_under_test.h"

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

// What a write left besides its outputs: the sink's own temporary state (its
// leftovers hook) or a file, described; nothing if it left nothing.
template <typename T>
std::optional<std::string> left_behind(const SinkUnderTest<T>& sut,
                                       const InMemoryFileSystem& memory, const SinkEnvironment& env,
                                       const std::vector<std::string>& outputs) {
  if (sut.leftovers) {
    if (auto left = sut.leftovers(env)) return *left + " is left after the write";
  }
  const std::set<std::string> ours(outputs.begin(), outputs.end());
  for (const FileMetadata& file : memory.list("")) {
    if (ours.count(file.path) == 0) {
      return "\"" + file.path + "\" is left after the write, and is not one of its outputs";
    }
  }
  return std::nullopt;
}

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
    result = LocalRunner(runner).run(Write<T>(sut.make_sink(env, sut.destination)), sut.records);
  } catch (...) {
    run.error = current_exception_message();
  }
  run.fired = points->fired();
  run.operations = points->operations();
  run.trace = points->trace();
  if (run.error) return run;
  const SinkEnvironment after{memory, std::make_shared<FaultPoints>(), run_name};
  try {
    const std::vector<T> committed = sut.read_back(after, sut.destination);
    if (auto difference = first_multiset_difference(sut.records, committed)) {
      run.violation = "the committed output differs from the records written: " + *difference;
      return run;
    }
    run.violation = left_behind(sut, *memory, after, result.outputs);
  } catch (...) {
    run.violation = "reading back the committed output threw: " + current_exception_message();
  }
  return run;
}

}  // namespace internal

namespace internal {

struct CrashFailure {
  std::int64_t point = 0;
  FaultMode mode = FaultMode::kFail;
  std::int64_t operations = 0;
  std::string operation;  // as the clean run's trace shows it
  SinkRun run;
};

struct CrashSearch {
  std::int64_t operations = 0;
  std::int64_t points = 0;
  std::int64_t cases = 0;
  bool sampled = false;
  std::optional<std::string> clean_failure;  // the write fails without faults
  std::optional<CrashFailure> failure;
};

template <typename T>
CrashSearch search_crash_points(const SinkUnderTest<T>& sut, const SinkCrashOptions& options) {
  CrashSearch search;
  const SinkRun clean = run_sink_once(sut, options, std::nullopt, "run-0");
  if (clean.error) {
    search.clean_failure = "the write failed without any fault: " + *clean.error;
    return search;
  }
  if (clean.violation) {
    search.clean_failure = "without any fault, " + *clean.violation;
    return search;
  }
  search.operations = clean.operations;
  const std::int64_t n = clean.operations;
  const std::int64_t step =
      n > options.max_points ? (n + options.max_points - 1) / options.max_points : 1;
  search.sampled = step > 1;
  for (std::int64_t k = 0; k < n; k += step) {
    ++search.points;
    for (const FaultMode mode : options.modes) {
      ++search.cases;
      SinkRun run = run_sink_once(sut, options, std::make_pair(k, mode),
                                  "run-" + std::to_string(search.cases));
      if (!run.error && !run.violation) continue;
      search.failure =
          CrashFailure{k, mode, n, clean.trace[static_cast<std::size_t>(k)], std::move(run)};
      return search;
    }
  }
  return search;
}

}  // namespace internal

// The check; on a failure it also shrinks the records: it retries with
// halves, then with single records removed, while some crash point still
// fails, and reports the smallest write that fails.
template <typename T>
CheckResult check_sink_crash_points(const SinkUnderTest<T>& sut, SinkCrashOptions options = {}) {
  constexpr const char* kCheck = "sink_crash_points";
  internal::CrashSearch search = internal::search_crash_points(sut, options);
  if (search.clean_failure) return CheckResult::failed(kCheck, *search.clean_failure);
  if (search.operations == 0) {
    return CheckResult::gave_up(kCheck,
                                "the write has no fault points: it writes no files through the "
                                "environment's file system and marks none of its own calls");
  }
  const std::int64_t cases = search.cases;
  if (search.failure) {
    SinkUnderTest<T> smallest = sut;
    for (bool shrunk = true; shrunk && smallest.records.size() > 1;) {
      shrunk = false;
      std::vector<std::vector<T>> candidates;
      const std::size_t half = smallest.records.size() / 2;
      candidates.emplace_back(smallest.records.begin(), smallest.records.begin() + half);
      candidates.emplace_back(smallest.records.begin() + half, smallest.records.end());
      for (std::size_t i = 0; i < smallest.records.size() && i < 16; ++i) {
        std::vector<T> fewer = smallest.records;
        fewer.erase(fewer.begin() + static_cast<std::ptrdiff_t>(i));
        candidates.push_back(std::move(fewer));
      }
      for (auto& candidate : candidates) {
        SinkUnderTest<T> attempt = smallest;
        attempt.records = std::move(candidate);
        internal::CrashSearch again = internal::search_crash_points(attempt, options);
        if (again.failure) {
          smallest = std::move(attempt);
          search = std::move(again);
          shrunk = true;
          break;
        }
      }
    }
    const internal::CrashFailure& f = *search.failure;
    const std::string where = std::string("a ") + fault_mode_name(f.mode) + " at operation " +
                              std::to_string(f.point) + " of " + std::to_string(f.operations) +
                              " (\"" + f.operation + "\")";
    std::string message = f.run.error
                              ? where + " made the write fail after recovery: " + *f.run.error
                              : where + ": " + *f.run.violation;
    message += "\nwriting " + std::to_string(smallest.records.size()) + " of the " +
               std::to_string(sut.records.size()) + " records (shrunk):";
    for (const T& record : smallest.records) message += " " + internal::describe_value(record);
    message += "\nfault points of that run:";
    for (const std::string& line : f.run.trace) message += "\n  " + line;
    CheckResult result = CheckResult::failed(kCheck, message);
    result.cases = cases;
    result.replay = "check_sink_crash_points on the records listed; crash point " +
                    std::to_string(f.point) + ", mode " + fault_mode_name(f.mode);
    return result;
  }
  CheckResult result = CheckResult::passed(kCheck);
  result.cases = cases;
  result.notes.push_back(std::to_string(search.points) + " crash points x " +
                         std::to_string(options.modes.size()) + " modes, of " +
                         std::to_string(search.operations) + " counted operations" +
                         (search.sampled ? " (sampled)" : ""));
  return result;
}

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_SINK_SINK_CRASH_POINTS_H_
