// check_dynamic_split_schedules: exactly-once output under generated
// schedules of repeated dynamic splits, with several workers.
//
// RapidCheck generates schedules: a number of workers and a list of splits,
// each "when bundle B has read k records, split its remainder at fraction f",
// where B is an initial bundle or a residual of one ("2.1.1": the residual of
// the first split of the residual of the first split of bundle 2), so that
// primaries are split again and residuals are split in turn; optionally also
// injected read failures, which the runner retries. Each schedule runs on the
// LocalRunner (idle rebalancing off, so the run is reproducible) and the
// output must hold every record of the source exactly once.
//
// The runs use LocalRunner's process mode (worker_processes, on by default):
// every bundle and residual reaches a worker process only as bytes, so
// state the bundles share through the parent's memory (a handle a decoder
// looks up, a cursor in a global) fails here as on a real cluster. That
// needs a Coder for the records (lib/coders/coder.h) and a serializable
// source. A source with no decoder() runs on threads, with a note (the
// serialization check rejects it); a record or position type with no Coder
// runs on threads too, and a pass is then a give-up, not a pass: say
// worker_processes = false to accept threads.
//
// On failure RapidCheck shrinks the schedule to a shortest one that still
// fails; the result's message prints it (as a ScriptedSchedule, ready to
// paste into a test) with the error, and `replay` names the seed. The same
// seed gives the same schedules, the same runs and the same shrink. A seed of
// 0 means: $SPLITCHECK_SEED if set, else a random seed (printed in a note).

#ifndef SPLITCHECK_TESTKIT_SOURCE_DYNAMIC_SPLIT_SCHEDULES_H_
#define SPLITCHECK_TESTKIT_SOURCE_DYNAMIC_SPLIT_SCHEDULES_H_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "splitcheck/lib/coders/coder.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/lib/runner/scripted_schedule.h"
#include "splitcheck/lib/sources/bounded_source.h"
#include "splitcheck/lib/sources/read.h"
#include "splitcheck/testkit/check_result.h"
#include "splitcheck/testkit/internal/compare_records.h"
#include "splitcheck/testkit/internal/rapidcheck_no_coverage.h"
#include "splitcheck/testkit/internal/schedule_gen.h"
#include "splitcheck/testkit/internal/split_cases.h"
#include "splitcheck/testkit/source/read_source.h"

namespace splitcheck::testkit {

struct ScheduleOptions {
  int runs = 100;          // schedules that must pass
  std::uint64_t seed = 0;  // 0: $SPLITCHECK_SEED, else random
  int max_workers = 4;
  int max_splits = 8;           // per schedule
  bool inject_failures = true;  // up to 2 failed first attempts per schedule
  // Initial bundle size; 0 means estimate_size() / 3.
  std::int64_t desired_bundle_size = 0;
  // Each run's workers are other processes (see above).
  bool worker_processes = true;
};

template <typename T, typename P>
CheckResult check_dynamic_split_schedules(std::shared_ptr<const BoundedSource<T, P>> source,
                                          ScheduleOptions options = {}) {
  constexpr const char* kCheck = "dynamic_split_schedules";
  std::vector<T> reference;
  std::int64_t desired = options.desired_bundle_size;
  std::size_t initial = 0;
  try {
    reference = read_from_source(*source);
    if (desired <= 0) desired = std::max<std::int64_t>(1, source->estimate_size() / 3);
    initial = source->split(desired, std::nullopt, std::nullopt).size();
  } catch (...) {
    return CheckResult::broken(
        kCheck, "reading or splitting the source threw: " + internal::current_exception_message());
  }
  if (initial == 0) return CheckResult::gave_up(kCheck, "split() gave no bundles to schedule");
  bool in_processes = false;
  std::string where = "on threads";
  if (options.worker_processes) {
    if constexpr (Encodable<T> && Encodable<P>) {
      in_processes = static_cast<bool>(source->decoder());
      where = in_processes ? "in worker processes"
                           : "on threads (the source has no decoder(): see source_serialization)";
    } else {
      where =
          "on threads (the record type has no splitcheck::Coder, so records cannot come back "
          "from worker processes: state shared through memory is not checked)";
    }
  }
  const std::uint64_t seed = internal::resolve_seed(options.seed);
  const internal::ScheduleShape shape{
      static_cast<int>(initial), options.max_workers, options.max_splits,
      std::max<std::int64_t>(
          1, static_cast<std::int64_t>(reference.size()) / static_cast<std::int64_t>(initial)),
      options.inject_failures};
  std::int64_t runs = 0;
  std::int64_t records = 0;
  // The last schedule that failed: shrinking ends on the shortest one.
  std::optional<internal::ScheduleCase> last_failing;
  const auto outcome = internal::run_property(
      [&] {
        const internal::ScheduleCase schedule_case = *internal::gen_schedule(shape).as("schedule");
        ++runs;
        RunnerOptions runner;
        runner.num_workers = schedule_case.workers;
        runner.desired_bundle_size = desired;
        runner.max_attempts = 3;
        runner.worker_processes = in_processes;
        runner.policy =
            std::make_shared<ScriptedSchedule>(schedule_case.splits, schedule_case.failures);
        const auto result = LocalRunner(runner).run(Read<T, P>(source));
        records += static_cast<std::int64_t>(result.records.size());
        if (const auto diff = internal::first_multiset_difference(reference, result.records)) {
          last_failing = schedule_case;
          RC_FAIL("the output is not the source's records exactly once: " + *diff);
        }
      },
      seed, options.runs);
  CheckResult result = CheckResult::passed(kCheck);
  result.cases = runs;
  result.records_read = records + static_cast<std::int64_t>(reference.size());
  result.notes.push_back("seed " + std::to_string(seed) + ", " + std::to_string(options.runs) +
                         " schedules, " + std::to_string(initial) + " initial bundles, " + where);
  if (outcome.failed) {
    result.outcome = CheckResult::Outcome::kFailed;
    result.message = "a schedule lost or duplicated records; shortest failing schedule:\n" +
                     outcome.counterexample;
    if (last_failing && last_failing->splits.empty() && last_failing->failures.empty()) {
      result.message =
          "the initial bundles alone lose or duplicate records: the shortest failing schedule "
          "splits nothing dynamically and fails nothing, so split() or the bundles' own reads "
          "are wrong (the reference equality check names the bundle):\n" +
          outcome.counterexample;
    }
    result.replay = "check_dynamic_split_schedules(source, {.seed = " + std::to_string(seed) +
                    "}) or SPLITCHECK_SEED=" + std::to_string(seed);
  } else if (outcome.gave_up) {
    result.outcome = CheckResult::Outcome::kGaveUp;
    result.message = outcome.counterexample;
  } else if (options.worker_processes && !(Encodable<T> && Encodable<P>)) {
    // Passed on threads, which cannot see state shared through memory.
    result.outcome = CheckResult::Outcome::kGaveUp;
    result.message =
        "the schedules passed on threads, but could not run in worker processes: the record or "
        "position type has no splitcheck::Coder (lib/coders/coder.h), so state the bundles share "
        "through memory went unchecked; specialize the Coder, or set "
        "ScheduleOptions::worker_processes = false to accept threads";
  }
  return result;
}

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_SOURCE_DYNAMIC_SPLIT_SCHEDULES_H_
