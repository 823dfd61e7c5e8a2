// check_sink_failed_write_cleanup: a write the runner gives up on leaves
// nothing a later reader could take for output, and no temporary state.
//
// Given a SinkUnderTest (sink_under_test.h), on a fresh InMemoryFileSystem
// per write, with one worker:
//   1. a clean write, counting the fault points of its pre_finalize and
//      finalize_write (M of them) and noting its outputs;
//   2. for each bundle b, a write in which every attempt of b fails, with all
//      its records written and the writer not closed (a disk that filled up,
//      a store that refuses): the runner gives up before finalize;
//   3. for each m in 0..M, a write whose finalize fails for good from its
//      m-th fault point on, in every attempt (m = M: it completed, then
//      reported a failure): the runner gives up after finalize started.
// The runner then calls the sink's abort_write (sink.h). After each, the
// write must have failed, and then either nothing is committed, no file is
// left and the sink reports no leftovers; or (a finalize that committed
// everything before it failed) every record is committed exactly once, no
// temporary state is left, and no file other than the clean write's outputs.
// Anything in between (some records committed, a staging table left, an
// attempt's file in a temporary directory) fails, naming the case and what
// was left. A sink that marks store calls of its own (state outside the
// file system) must give sut.leftovers, or the check gives up (it could not see a staging table
// left behind). Deterministic: the same case fails first on every run.

#ifndef SPLITCHECK_TESTKIT_SINK_SINK_FAILED_WRITE_H_
#define SPLITCHECK_TESTKIT_SINK_SINK_FAILED_WRITE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/files/in_memory_file_system.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/lib/runner/write_policy.h"
#include "splitcheck/testkit/check_result.h"
#include "splitcheck/testkit/faults/fault_injecting_file_system.h"
#include "splitcheck/testkit/faults/fault_points.h"
#include "splitcheck/testkit/internal/compare_records.h"
#include "splitcheck/testkit/internal/forwarding_sink.h"
#include "splitcheck/testkit/internal/split_cases.h"
#include "splitcheck/testkit/sink/sink_under_test.h"

namespace splitcheck::testkit {

namespace internal {

// Fails every attempt of one bundle just before its writer would close.
class BundleAlwaysFails final : public WritePolicy {
 public:
  explicit BundleAlwaysFails(std::int64_t bundle) : bundle_(bundle) {}
  bool fail_attempt(const WriteAttempt& attempt) const override {
    return attempt.bundle == bundle_ && attempt.records_written == attempt.bundle_records;
  }

 private:
  const std::int64_t bundle_;
};

// A sink whose finalize fails for good from its m-th fault point on (each
// attempt, pre_finalize's points counted first), or, without m, that counts
// those points.
template <typename T>
class FinalizeFailsForGood final : public ForwardingSink<T> {
 public:
  FinalizeFailsForGood(std::shared_ptr<const Sink<T>> inner, std::shared_ptr<FaultPoints> points,
                       std::optional<std::int64_t> from)
      : ForwardingSink<T>(std::move(inner)), points_(std::move(points)), from_(from) {}

  std::string pre_finalize(const std::string& init,
                           const std::vector<std::string>& results) const override {
    begin_ = points_->operations();
    if (from_) points_->fail_from(*from_);
    try {
      return this->inner().pre_finalize(init, results);
    } catch (...) {
      points_->clear();
      throw;
    }
  }
  std::vector<std::string> finalize_write(const std::string& init,
                                          const std::vector<std::string>& results,
                                          const std::string& pre) const override {
    std::vector<std::string> outputs;
    try {
      outputs = this->inner().finalize_write(init, results, pre);
    } catch (...) {
      points_->clear();
      throw;
    }
    points_->clear();
    points_in_finalize_ = points_->operations() - begin_;
    if (from_) {
      throw InjectedFailure("injected failure: finalize completed, then reported a failure");
    }
    return outputs;
  }

  std::int64_t points_in_finalize() const { return points_in_finalize_; }

 private:
  const std::shared_ptr<FaultPoints> points_;
  const std::optional<std::int64_t> from_;
  // One worker drives one write: plain members suffice.
  mutable std::int64_t begin_ = 0;
  mutable std::int64_t points_in_finalize_ = 0;
};

struct GiveUpCase {
  std::optional<std::int64_t> failing_bundle;
  std::optional<std::int64_t> finalize_from;
  std::int64_t finalize_points = 0;

  std::string describe() const {
    if (failing_bundle) {
      return "every attempt of bundle " + std::to_string(*failing_bundle) +
             " failing with its records written";
    }
    if (finalize_from && *finalize_from == finalize_points) {
      return "finalize completing, then reporting a failure, in every attempt";
    }
    return "finalize failing for good from its fault point " + std::to_string(*finalize_from) +
           " of " + std::to_string(finalize_points) + " on";
  }
};

struct GiveUpRun {
  std::optional<std::string> error;  // what the runner threw
  std::vector<std::string> outputs;  // of a clean run
  std::int64_t bundles = 0;          // of a clean run
  std::int64_t finalize_points = 0;
  std::optional<std::string> violation;
  std::vector<std::string> trace;
};

template <typename T>
GiveUpRun run_give_up(const SinkUnderTest<T>& sut, int bundles, const GiveUpCase& c,
                      const std::vector<std::string>& clean_outputs, const std::string& run_name) {
  GiveUpRun run;
  auto memory = std::make_shared<InMemoryFileSystem>();
  auto points = std::make_shared<FaultPoints>();
  const SinkEnvironment env{std::make_shared<FaultInjectingFileSystem>(memory, points), points,
                            run_name};
  auto sink = std::make_shared<const FinalizeFailsForGood<T>>(sut.make_sink(env, sut.destination),
                                                              points, c.finalize_from);
  RunnerOptions runner;
  runner.num_workers = 1;
  runner.write_bundles = bundles;
  runner.max_attempts = 2;
  if (c.failing_bundle)
    runner.write_policy = std::make_shared<BundleAlwaysFails>(*c.failing_bundle);
  const bool gives_up = c.failing_bundle || c.finalize_from;
  try {
    const WriteResult result = LocalRunner(runner).run(Write<T>(sink), sut.records);
    run.outputs = result.outputs;
    run.bundles = static_cast<std::int64_t>(result.bundles.size());
  } catch (...) {
    run.error = current_exception_message();
  }
  run.trace = points->trace();
  run.finalize_points = sink->points_in_finalize();
  if (!gives_up) {
    if (run.error) run.violation = "the write failed without any fault: " + *run.error;
    return run;
  }
  if (!run.error) {
    run.violation = "the write succeeded although it could not";
    return run;
  }
  const SinkEnvironment after{memory, std::make_shared<FaultPoints>(), run_name};
  try {
    const std::vector<T> committed = sut.read_back(after, sut.destination);
    std::optional<std::string> left = sut.leftovers ? sut.leftovers(after) : std::nullopt;
    if (left) {
      run.violation = *left + " is left after the write gave up";
      return run;
    }
    const std::set<std::string> allowed =
        committed.empty() ? std::set<std::string>{}
                          : std::set<std::string>(clean_outputs.begin(), clean_outputs.end());
    if (!committed.empty()) {
      if (auto difference = first_multiset_difference(sut.records, committed)) {
        run.violation = "the write gave up with " + std::to_string(committed.size()) + " of the " +
                        std::to_string(sut.records.size()) +
                        " records committed, not none or all: a later reader takes them for "
                        "output (" +
                        *difference + ")";
        return run;
      }
    }
    for (const FileMetadata& file : memory->list("")) {
      if (allowed.count(file.path) == 0) {
        run.violation = "\"" + file.path + "\" is left after the write gave up" +
                        (committed.empty() ? " with nothing committed" : "") +
                        ": abort_write must remove what the write staged";
        return run;
      }
    }
  } catch (...) {
    run.violation = "reading back after the write gave up threw: " + current_exception_message();
  }
  return run;
}

}  // namespace internal

template <typename T>
CheckResult check_sink_failed_write_cleanup(const SinkUnderTest<T>& sut, int bundles = 3) {
  constexpr const char* kCheck = "sink_failed_write_cleanup";
  const internal::GiveUpRun clean = internal::run_give_up(sut, bundles, {}, {}, "giveup-0");
  if (clean.violation) {  // the write without a fault: one case
    CheckResult failed = CheckResult::failed(kCheck, *clean.violation);
    failed.cases = 1;
    failed.replay = "check_sink_failed_write_cleanup(sut, " + std::to_string(bundles) + ")";
    return failed;
  }
  bool marks_store_calls = false;
  for (const std::string& point : clean.trace) {
    marks_store_calls =
        marks_store_calls || point.rfind("before ", 0) == 0 || point.rfind("after ", 0) == 0;
  }
  if (marks_store_calls && !sut.leftovers) {
    return CheckResult::gave_up(
        kCheck,
        "the sink keeps state outside the file system (it marks its own store calls) and the "
        "SinkUnderTest has no leftovers hook, so what a failed write leaves there cannot be "
        "seen: give sut.leftovers (staging tables, temporary objects, described)");
  }
  std::vector<internal::GiveUpCase> cases;
  const std::int64_t n = clean.bundles;
  for (std::int64_t b = 0; b < n; ++b) cases.push_back({b, std::nullopt, 0});
  for (std::int64_t m = 0; m <= clean.finalize_points; ++m) {
    cases.push_back({std::nullopt, m, clean.finalize_points});
  }
  CheckResult result = CheckResult::passed(kCheck);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    ++result.cases;
    const internal::GiveUpRun run = internal::run_give_up(sut, bundles, cases[i], clean.outputs,
                                                          "giveup-" + std::to_string(i + 1));
    if (!run.violation) continue;
    std::string message = cases[i].describe() + ": " + *run.violation;
    if (run.error) message += "\nthe runner gave up with: " + *run.error;
    message += "\nfault points of that run:";
    // From the failure that does not go away on: what abort_write did.
    message += trace_excerpt(run.trace, 24);
    CheckResult failed = CheckResult::failed(kCheck, message);
    failed.cases = result.cases;
    failed.replay = "check_sink_failed_write_cleanup(sut) (deterministic: case " +
                    std::to_string(i) + " fails first)";
    return failed;
  }
  result.notes.push_back(std::to_string(n) +
                         " bundles failing for good, finalize failing for "
                         "good at each of its " +
                         std::to_string(clean.finalize_points) + " points and after");
  return result;
}

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_SINK_SINK_FAILED_WRITE_H_
