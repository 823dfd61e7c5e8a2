// check_sink_crash_points: a write survives a failure, or a power loss, at
// every point.
//
// Given a SinkUnderTest (sink_under_test.h):
//   1. writes once without faults through a FaultInjectingFileSystem over an
//      InMemoryFileSystem, counting the N fault points: the operations that
//      change files, and the external calls the sink marks itself;
//   2. for every point k and every fault mode, writes again on a fresh file
//      system with that fault at point k:
//        kFail   point k fails (a transient error); the LocalRunner recovers
//                in the same process, as it does: it retries the bundle
//                attempt with a new uid, and reruns pre_finalize +
//                finalize_write;
//        kTorn   the same, at the closes only, with half of the file's bytes
//                written before the failure;
//        kCrash  the machine loses power at point k (k = N: just after the
//                write returned). Everything stops; the file system can come
//                back in any state its durability model allows
//                (InMemoryFileSystem::crash_states: what was not synced is
//                lost, kept or torn, in each combination, bounded by
//                `crash_model`). For *each* such state, a new run of the
//                same write resumes from what the runner had recorded at the
//                crash (write_checkpoint.h): bundles without a result are
//                written again, finalize is rerun unless it had returned;
//   3. checks after each recovered write that it succeeded, that what the
//      sink committed holds every record exactly once (as a multiset), and
//      that no file other than the write's outputs is left.
// One worker writes the bundles (options.bundles of them, unless the sink
// fixes its shard count), so the points come in the same order in every run
// and "point k" names the same step each time. A failure names the point and
// mode, the operation (as the file system's trace shows it, e.g. "rename
// out/.temp-splitcheck-0123/b1-a1 -> out/s-00001-of-00002"), for a crash the
// state the machine came back in (which operations survived, which were
// lost) and what the runner had recorded, and the first record lost or
// duplicated or the file left behind, after shrinking the records to a
// smallest write that still fails. Its replay is a call that reruns exactly
// that point, mode and crash state (the only_* options). The result counts
// the points, and the crash states recovered.
//
// A store outside the file system that registered with the write's fault
// points (FaultPoints::add_store, crashable_store.h; SqliteFaultVfs does)
// has crash states of its own: each state recovered is one of the file
// system's with one of each store's (every combination up to
// crash_model.max_states: the most pessimistic first, then each varied
// alone, then the rest), each store's state put in place before the
// recovery. A sink call that fails once the machine is down (a C library's
// I/O error) counts as the crash. A store that only marks its calls
// (before / after) and registers nothing is not copied per crash state: the
// states of one crash point are recovered one after another on it, which is
// exact for a sink that writes no files. A sink that writes files and marks
// such calls too, where a crash leaves several file-system states, makes the
// check give up rather than recover them on one store.

#ifndef SPLITCHECK_TESTKIT_SINK_SINK_CRASH_POINTS_H_
#define SPLITCHECK_TESTKIT_SINK_SINK_CRASH_POINTS_H_

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/files/in_memory_file_system.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/lib/runner/write_checkpoint.h"
#include "splitcheck/lib/sinks/sink.h"
#include "splitcheck/lib/sinks/write.h"
#include "splitcheck/testkit/check_result.h"
#include "splitcheck/testkit/faults/crashable_store.h"
#include "splitcheck/testkit/faults/fault_injecting_file_system.h"
#include "splitcheck/testkit/internal/compare_records.h"
#include "splitcheck/testkit/internal/crash_aware_sink.h"
#include "splitcheck/testkit/internal/split_cases.h"
#include "splitcheck/testkit/sink/sink_under_test.h"

namespace splitcheck::testkit {

struct SinkCrashOptions {
  // To replay one case (a failure prints them): only this point, mode, and
  // for a crash this state of the ones the machine could come back in.
  std::optional<std::int64_t> only_point = std::nullopt;
  std::optional<FaultMode> only_mode = std::nullopt;
  std::optional<int> only_state = std::nullopt;
  std::vector<FaultMode> modes = {FaultMode::kFail, FaultMode::kCrash, FaultMode::kTorn};
  // Bundles, where the sink leaves the count to the runner: several, so that
  // a crash can fall between two bundles' steps.
  int bundles = 3;
  int max_attempts = 3;
  // More points than this are sampled evenly.
  std::int64_t max_points = 10000;
  // The states explored per crash (in_memory_file_system.h).
  CrashModel crash_model = {};
  // Set by the check itself for a sink with both kinds of points.
  bool store_outside_files = false;
};

namespace internal {

struct SinkRun {
  std::optional<std::string> error;  // the write (or its recovery) threw
  std::optional<std::string> violation;
  bool fired = false;
  std::int64_t operations = 0;
  std::vector<std::string> trace;
  // For a crash: the states recovered, and the one that failed.
  std::int64_t states = 0;
  std::optional<int> state;
  std::string state_description;
  std::string progress;  // what the runner had recorded at the crash
  bool states_sampled = false;
  std::int64_t states_possible = 0;  // the file-system states of the crash

  bool failed() const { return error.has_value() || violation.has_value(); }
};

// What a write left besides its outputs: the sink's own temporary state (its
// leftovers hook) or a file, described; nothing if it left nothing.
template <typename T>
std::optional<std::string> left_behind(const SinkUnderTest<T>& sut, const FileSystem& memory,
                                       const SinkEnvironment& env,
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

inline RunnerOptions crash_runner_options(const SinkCrashOptions& options,
                                          std::shared_ptr<WriteCheckpoint> checkpoint) {
  RunnerOptions runner;
  runner.num_workers = 1;
  runner.write_bundles = options.bundles;
  runner.max_attempts = options.max_attempts;
  runner.write_checkpoint = std::move(checkpoint);
  return runner;
}

// Writes the records on `memory` (resuming from `checkpoint`, if any; with
// `fault` injected, if any), then checks what is committed there. Sets
// run.error or run.violation; returns the fault points of the write.
template <typename T>
std::shared_ptr<FaultPoints> write_and_verify(
    const SinkUnderTest<T>& sut, const SinkCrashOptions& options,
    const std::shared_ptr<InMemoryFileSystem>& memory, std::shared_ptr<WriteCheckpoint> checkpoint,
    std::optional<std::pair<std::int64_t, FaultMode>> fault, const std::string& run_name,
    SinkRun& run) {
  auto points = std::make_shared<FaultPoints>();
  const SinkEnvironment env{std::make_shared<FaultInjectingFileSystem>(memory, points), points,
                            run_name};
  if (fault) points->inject(fault->first, fault->second);
  WriteResult result;
  try {
    result = LocalRunner(crash_runner_options(options, std::move(checkpoint)))
                 .run(Write<T>(sut.make_sink(env, sut.destination)), sut.records);
  } catch (...) {
    run.error = current_exception_message();
    return points;
  }
  const SinkEnvironment after{memory, std::make_shared<FaultPoints>(), run_name};
  try {
    const std::vector<T> committed = sut.read_back(after, sut.destination);
    if (auto difference = first_multiset_difference(sut.records, committed)) {
      run.violation = "the committed output differs from the records written: " + *difference;
      return points;
    }
    run.violation = left_behind(sut, *memory, after, result.outputs);
  } catch (...) {
    run.violation = "reading back the committed output threw: " + current_exception_message();
  }
  return points;
}

// A write with a transient fault at point k (or none), recovered in process.
template <typename T>
SinkRun run_sink_once(const SinkUnderTest<T>& sut, const SinkCrashOptions& options,
                      std::optional<std::pair<std::int64_t, FaultMode>> fault,
                      const std::string& run_name) {
  SinkRun run;
  const std::shared_ptr<FaultPoints> points = write_and_verify(
      sut, options, std::make_shared<InMemoryFileSystem>(), nullptr, fault, run_name, run);
  run.fired = points->fired();
  run.operations = points->operations();
  run.trace = points->trace();
  return run;
}

// How many combinations of a file-system state and one state per store.
inline std::size_t combined_count(std::size_t file_states,
                                  const std::vector<std::vector<StoreCrashState>>& stores) {
  std::size_t n = file_states;
  for (const auto& s : stores) n = std::min<std::size_t>(n * s.size(), 1u << 30);
  return n;
}

// The combinations recovered, each {file-system state, state of store 0,
// ...}: the most pessimistic (all 0) first, then each varied alone, then
// every combination in order, up to model.max_states (at least the ones
// varied alone).
inline std::vector<std::vector<std::size_t>> combined_states(
    std::size_t file_states, const std::vector<std::vector<StoreCrashState>>& stores,
    const CrashModel& model) {
  std::vector<std::size_t> sizes{file_states};
  for (const auto& s : stores) sizes.push_back(s.size());
  std::vector<std::vector<std::size_t>> out;
  std::set<std::vector<std::size_t>> seen;
  auto add = [&](const std::vector<std::size_t>& pick) {
    if (seen.insert(pick).second) out.push_back(pick);
  };
  for (const std::size_t size : sizes) {
    if (size == 0) return out;
  }
  const std::vector<std::size_t> none(sizes.size(), 0);
  add(none);
  for (std::size_t d = 0; d < sizes.size(); ++d) {
    for (std::size_t c = 1; c < sizes[d]; ++c) {
      std::vector<std::size_t> one = none;
      one[d] = c;
      add(one);
    }
  }
  const std::size_t cap =
      std::max<std::size_t>(out.size(), static_cast<std::size_t>(model.max_states));
  std::vector<std::size_t> pick = none;
  for (bool more = true; more && out.size() < cap;) {
    add(pick);
    std::size_t d = 0;
    while (d < pick.size() && ++pick[d] == sizes[d]) pick[d++] = 0;
    more = d < pick.size();
  }
  return out;
}

// A power loss at point k (k == operations: after the write returned), then
// a recovery on every state the file system could come back in.
template <typename T>
SinkRun run_sink_crash(const SinkUnderTest<T>& sut, const SinkCrashOptions& options, std::int64_t k,
                       std::int64_t operations, const std::string& run_name) {
  SinkRun run;
  auto memory = std::make_shared<InMemoryFileSystem>();
  auto points = std::make_shared<FaultPoints>();
  auto checkpoint = std::make_shared<WriteCheckpoint>();
  const SinkEnvironment env{std::make_shared<FaultInjectingFileSystem>(memory, points), points,
                            run_name};
  std::vector<CrashState> states;
  std::vector<std::vector<StoreCrashState>> store_states;  // per registered store
  std::vector<std::string> store_names;
  WriteProgress progress;
  bool captured = false;
  std::optional<std::string> capture_error;  // listing the states threw
  auto capture = [&] {
    captured = true;
    try {
      states = memory->crash_states(options.crash_model);
      for (const auto& store : points->stores()) {
        store_names.push_back(store->debug_string());
        store_states.push_back(store->crash_states(options.crash_model));
      }
    } catch (...) {
      // Kept for the report: the handler may run inside a store's callback,
      // which turns any exception into the store's own error.
      capture_error =
          "listing the crash states" +
          (store_names.size() > store_states.size() ? " of " + store_names.back() : std::string()) +
          " threw: " + current_exception_message();
    }
    progress = checkpoint->progress();
  };
  points->set_crash_handler(capture);
  if (k < operations) points->inject(k, FaultMode::kCrash);
  std::optional<std::string> crashed_with;
  try {
    LocalRunner(crash_runner_options(options, checkpoint))
        .run(Write<T>(std::make_shared<const CrashAwareSink<T>>(sut.make_sink(env, sut.destination),
                                                                points)),
             sut.records);
  } catch (...) {
    crashed_with = current_exception_message();
  }
  run.fired = points->fired();
  run.operations = points->operations();
  run.trace = points->trace();
  if (k == operations) {
    if (crashed_with) {
      run.error = "the write failed without any fault: " + *crashed_with;
      return run;
    }
    capture();
  }
  if (!captured) {
    run.error = "the crash at point " + std::to_string(k) + " never came: this write passed " +
                std::to_string(run.operations) + " points, the first one " +
                std::to_string(operations) +
                " (a sink's points must come in the same order in "
                "every run)";
    return run;
  }
  if (capture_error) {
    run.violation = *capture_error;
    return run;
  }
  for (std::size_t s = 0; s < store_states.size(); ++s) {
    if (store_states[s].empty()) {
      run.violation = store_names[s] +
                      " listed no crash states: a store lists at least the one state it would come "
                      "back in, or no recovery is checked";
      return run;
    }
  }
  run.progress = progress.describe();
  run.states_possible = static_cast<std::int64_t>(states.size());
  run.states_sampled = !states.empty() && states.front().sampled;
  for (const auto& s : store_states) run.states_sampled = run.states_sampled || s.front().sampled;
  if (options.store_outside_files && states.size() > 1) return run;  // the caller gives up
  const std::vector<std::vector<std::size_t>> combined =
      combined_states(states.size(), store_states, options.crash_model);
  run.states_sampled =
      run.states_sampled || combined.size() < combined_count(states.size(), store_states);
  for (std::size_t i = 0; i < combined.size(); ++i) {
    if (options.only_state && *options.only_state != static_cast<int>(i)) continue;
    ++run.states;
    const std::vector<std::size_t>& pick = combined[i];
    // The file system's part, unless the write changed no file and a
    // store says what was lost.
    const CrashState& files = states[pick[0]];
    std::string description = store_states.empty() || !files.survived.empty() || !files.lost.empty()
                                  ? files.describe()
                                  : "";
    for (std::size_t s = 0; s < store_states.size(); ++s) {
      const StoreCrashState& store = store_states[s][pick[s + 1]];
      try {
        if (!store.restore) throw UsageError("the state has no restore()");
        store.restore();
      } catch (...) {
        run.violation = "restoring crash state " + std::to_string(pick[s + 1]) + " of " +
                        store_names[s] + " threw: " + current_exception_message();
        return run;
      }
      if (!description.empty()) description += "\n";
      description += store_names[s] + " survived:";
      if (store.survived.empty()) description += " nothing that was not durable";
      for (const std::string& line : store.survived) description += "\n  " + line;
      description += "\n" + store_names[s] + " lost:";
      if (store.lost.empty()) description += " nothing";
      for (const std::string& line : store.lost) description += "\n  " + line;
    }
    write_and_verify(sut, options, states[pick[0]].file_system,
                     std::make_shared<WriteCheckpoint>(progress), std::nullopt, run_name, run);
    if (run.failed()) {
      run.state = static_cast<int>(i);
      run.state_description = description;
      return run;
    }
  }
  return run;
}

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
  std::int64_t crash_states = 0;
  bool sampled = false;
  bool states_sampled = false;
  std::optional<std::string> clean_failure;  // the write fails without faults
  std::optional<std::string> gave_up;
  std::optional<CrashFailure> failure;
};

inline bool is_close(const std::string& operation) { return operation.rfind("close ", 0) == 0; }

// Run names start with `prefix`: each search of one check (the shrinking
// makes several) writes to stores of its own.
template <typename T>
CrashSearch search_crash_points(const SinkUnderTest<T>& sut, const SinkCrashOptions& options,
                                const std::string& prefix = "") {
  CrashSearch search;
  const SinkRun clean = run_sink_once(sut, options, std::nullopt, prefix + "run-0");
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
  bool files = false, store = false;
  for (const std::string& point : clean.trace) {
    const bool own = point.rfind("before ", 0) == 0 || point.rfind("after ", 0) == 0;
    (own ? store : files) = true;
  }
  SinkCrashOptions run_options = options;
  run_options.store_outside_files = files && store;
  const std::int64_t step =
      n > options.max_points ? (n + options.max_points - 1) / options.max_points : 1;
  search.sampled = step > 1;
  std::vector<std::int64_t> ks;
  for (std::int64_t k = 0; k < n; k += step) ks.push_back(k);
  ks.push_back(n);  // after the write: a crash only
  for (const std::int64_t k : ks) {
    if (options.only_point && *options.only_point != k) continue;
    const std::string operation =
        k < n ? clean.trace[static_cast<std::size_t>(k)] : "after the write returned";
    ++search.points;
    for (const FaultMode mode : options.modes) {
      if (options.only_mode && *options.only_mode != mode) continue;
      if (k == n && mode != FaultMode::kCrash) continue;
      if (mode == FaultMode::kTorn && !is_close(operation)) continue;
      ++search.cases;
      const std::string run_name = prefix + "run-" + std::to_string(search.cases);
      SinkRun run = mode == FaultMode::kCrash
                        ? run_sink_crash(sut, run_options, k, n, run_name)
                        : run_sink_once(sut, run_options, std::make_pair(k, mode), run_name);
      search.crash_states += run.states;
      search.states_sampled = search.states_sampled || run.states_sampled;
      if (run_options.store_outside_files && run.states_possible > 1) {
        search.gave_up =
            "the sink writes files and also marks calls to a store of its own, and a crash at " +
            operation + " leaves " + std::to_string(run.states_possible) +
            " file-system states: the store is not copied per state, so recovering them one "
            "after another on it would hide losses. Gate the file part and the store part as "
            "separate sinks";
        return search;
      }
      if (!run.failed()) continue;
      search.failure = CrashFailure{k, mode, n, operation, std::move(run)};
      return search;
    }
  }
  return search;
}

inline std::string fault_mode_enumerator(FaultMode mode) {
  switch (mode) {
    case FaultMode::kFail:
      return "FaultMode::kFail";
    case FaultMode::kCrash:
      return "FaultMode::kCrash";
    case FaultMode::kTorn:
      return "FaultMode::kTorn";
  }
  return "FaultMode::kFail";
}

}  // namespace internal

// The check; on a failure it also shrinks the records: it retries with
// halves, then with single records removed, while some point still fails,
// and reports the smallest write that fails.
template <typename T>
CheckResult check_sink_crash_points(const SinkUnderTest<T>& sut, SinkCrashOptions options = {}) {
  constexpr const char* kCheck = "sink_crash_points";
  internal::CrashSearch search = internal::search_crash_points(sut, options);
  if (search.clean_failure) {  // the write without a crash: one case
    CheckResult failed = CheckResult::failed(kCheck, *search.clean_failure);
    failed.cases = 1;
    failed.replay = "check_sink_crash_points(sut, options)  // the write without a crash";
    return failed;
  }
  if (search.gave_up) return CheckResult::gave_up(kCheck, *search.gave_up);
  if (search.operations == 0) {
    return CheckResult::gave_up(kCheck,
                                "the write has no fault points: it writes no files through the "
                                "environment's file system and marks none of its own calls");
  }
  const std::int64_t cases = search.cases;
  const std::int64_t states = search.crash_states;
  if (search.failure) {
    // Shrinking looks at the failing point's mode and state first, then at
    // any.
    SinkUnderTest<T> smallest = sut;
    int shrink_searches = 0;
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
        internal::CrashSearch again = internal::search_crash_points(
            attempt, options, "shrink-" + std::to_string(++shrink_searches) + "-");
        if (again.failure) {
          smallest = std::move(attempt);
          search = std::move(again);
          shrunk = true;
          break;
        }
      }
    }
    const internal::CrashFailure& f = *search.failure;
    const std::string where = std::string("a ") + fault_mode_name(f.mode) + " at point " +
                              std::to_string(f.point) + " of " + std::to_string(f.operations) +
                              " (\"" + f.operation + "\")";
    std::string message;
    if (f.run.state) {
      message = where + ", coming back in crash state " + std::to_string(*f.run.state) + ":\n" +
                f.run.state_description + "\nthe runner had recorded: " + f.run.progress + "\n";
      message += f.run.error ? "the write failed after recovery: " + *f.run.error
                             : "after recovery, " + *f.run.violation;
    } else {
      message = f.run.error ? where + " made the write fail after recovery: " + *f.run.error
                            : where + ": " + *f.run.violation;
    }
    message += "\nwriting " + std::to_string(smallest.records.size()) + " of the " +
               std::to_string(sut.records.size()) + " records (shrunk):";
    for (const T& record : smallest.records) message += " " + internal::describe_value(record);
    message += "\nfault points of that run:";
    message += trace_excerpt(f.run.trace);
    CheckResult result = CheckResult::failed(kCheck, message);
    result.cases = cases;
    std::string replay = "check_sink_crash_points(sut, {.only_point = " + std::to_string(f.point) +
                         ", .only_mode = " + internal::fault_mode_enumerator(f.mode);
    if (f.run.state) replay += ", .only_state = " + std::to_string(*f.run.state);
    replay += "})";
    if (smallest.records.size() != sut.records.size()) {
      replay += ", with sut.records set to the " + std::to_string(smallest.records.size()) +
                " records listed";
    }
    result.replay = replay;
    return result;
  }
  CheckResult result = CheckResult::passed(kCheck);
  result.cases = cases;
  result.notes.push_back(
      std::to_string(search.points) + " points (" + std::to_string(search.operations) +
      " counted operations and the end" + (search.sampled ? ", sampled" : "") + ") x " +
      std::to_string(options.modes.size()) + " modes; " + std::to_string(states) +
      " crash states recovered" +
      (search.states_sampled
           ? " (sampled where a crash had more states than the crash model lists: max_states " +
                 std::to_string(options.crash_model.max_states) + ", cuts_per_file " +
                 std::to_string(options.crash_model.cuts_per_file) + ")"
           : ""));
  return result;
}

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_SINK_SINK_CRASH_POINTS_H_
