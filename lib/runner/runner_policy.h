// RunnerPolicy: the scheduling decisions of a LocalRunner, injectable.
//
// The runner asks its policy three things:
//   * split_after(progress): called on the reading worker's thread before a
//     bundle attempt reads its first record (records_read == 0) and after each
//     record; a fraction f in (0, 1) asks the runner to split the bundle's
//     tracker at f of what is left to read (the residual becomes a new bundle).
//   * fail_after(progress): called at the same points; true makes the attempt
//     fail there with an InjectedFailure, as if the read had thrown.
//   * rebalance_idle_workers(): whether a worker with nothing to do may split
//     a running bundle itself, from its own thread, at half of what is left.
// Decisions that depend only on the progress (bundle id, attempt, records
// read) are reproducible: bundle ids are deterministic ("3" for the fourth
// initial bundle, "3.2" for the residual of its second accepted split), so
// the same policy gives the same splits and failures whatever the thread
// timing. Idle rebalancing depends on timing and is not reproducible.
//
// In LocalRunner's process mode (RunnerOptions::worker_processes) the
// worker process reading the bundle calls split_after and fail_after (on
// its copy of the policy, forked with it), and an idle worker's split is a
// request the reading process answers between two batches of records.
//
// split_after and fail_after are called only when observes_records() is true,
// so the default policy costs nothing per record. Policies are called from
// several worker threads at once and must be thread-safe.

#ifndef SPLITCHECK_LIB_RUNNER_RUNNER_POLICY_H_
#define SPLITCHECK_LIB_RUNNER_RUNNER_POLICY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "splitcheck/lib/error.h"

namespace splitcheck {

// Where a bundle attempt stands when the policy is asked.
struct ReadProgress {
  std::string_view bundle_id;
  int attempt = 1;                // 1 for the first attempt of the bundle
  std::int64_t records_read = 0;  // by this attempt so far
};

// The default policy: no per-record decisions; idle workers rebalance.
class RunnerPolicy {
 public:
  virtual ~RunnerPolicy() = default;

  virtual bool observes_records() const { return false; }
  virtual std::optional<double> split_after(const ReadProgress& /*progress*/) const {
    return std::nullopt;
  }
  virtual bool fail_after(const ReadProgress& /*progress*/) const { return false; }
  virtual bool rebalance_idle_workers() const { return true; }
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_RUNNER_RUNNER_POLICY_H_
