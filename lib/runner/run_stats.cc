#include "splitcheck/lib/runner/run_stats.h"

#include <cstdio>

namespace splitcheck {

std::string RunStats::to_string() const {
  char line[160];
  std::string out;
  std::snprintf(line, sizeof line, "workers:           %d\n", workers);
  out += line;
  std::snprintf(line, sizeof line, "bundles:           %lld initial, %lld from dynamic splits\n",
                static_cast<long long>(initial_bundles), static_cast<long long>(residual_bundles));
  out += line;
  std::snprintf(line, sizeof line, "dynamic splits:    %lld asked, %lld accepted\n",
                static_cast<long long>(splits_asked), static_cast<long long>(splits_accepted));
  out += line;
  if (split_errors > 0) {
    out += "split errors:      " + std::to_string(split_errors) + " (first: " + first_split_error +
           ")\n";
  }
  std::snprintf(line, sizeof line, "attempts:          %lld started, %lld failed (%lld injected)\n",
                static_cast<long long>(attempts), static_cast<long long>(failed_attempts),
                static_cast<long long>(injected_failures));
  out += line;
  if (worker_processes_replaced > 0) {
    out += "worker processes:  " + std::to_string(worker_processes_replaced) +
           " replaced after a crash\n";
  }
  std::snprintf(line, sizeof line,
                "records:           %lld output, %lld discarded with failed attempts\n",
                static_cast<long long>(records), static_cast<long long>(discarded_records));
  out += line;
  out += "records per worker:";
  for (std::int64_t n : records_per_worker) out += " " + std::to_string(n);
  out += "\n";
  std::snprintf(line, sizeof line, "wall time:         %.3f s\n", seconds);
  out += line;
  return out;
}

}  // namespace splitcheck
