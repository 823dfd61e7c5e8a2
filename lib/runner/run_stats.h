// RunStats: what a LocalRunner did in one run.

#ifndef SPLITCHECK_LIB_RUNNER_RUN_STATS_H_
#define SPLITCHECK_LIB_RUNNER_RUN_STATS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace splitcheck {

struct RunStats {
  int workers = 0;
  std::int64_t initial_bundles = 0;
  std::int64_t residual_bundles = 0;  // made by accepted dynamic splits
  std::int64_t splits_asked = 0;      // dynamic splits the runner asked for
  std::int64_t splits_accepted = 0;
  // Splits abandoned because the tracker raised a UsageError (for example, a
  // range of unknown size has no position at a fraction), and the first
  // such message.
  std::int64_t split_errors = 0;
  std::string first_split_error;
  std::int64_t attempts = 0;           // bundle attempts started
  std::int64_t failed_attempts = 0;    // attempts whose read threw (retried or not)
  std::int64_t injected_failures = 0;  // failures the policy injected
  // Process mode: worker processes replaced after a crash (injected or not).
  std::int64_t worker_processes_replaced = 0;
  std::int64_t records = 0;            // records in the output
  std::int64_t discarded_records = 0;  // records of failed attempts, dropped
  std::vector<std::int64_t> records_per_worker;
  double seconds = 0;

  // A multi-line human-readable summary.
  std::string to_string() const;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_RUNNER_RUN_STATS_H_
