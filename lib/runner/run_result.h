// What a LocalRunner run returns: ReadResult<T> for a Read (the records, in
// bundle order, and a report per bundle), ReadReport for a Read streamed to a
// ReadOutput (the reports without the records), WriteResult for a Write (what
// finalize committed and a report per bundle).

#ifndef SPLITCHECK_LIB_RUNNER_RUN_RESULT_H_
#define SPLITCHECK_LIB_RUNNER_RUN_RESULT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "splitcheck/lib/runner/run_stats.h"

namespace splitcheck {

// One bundle of a finished run.
struct BundleReport {
  std::string id;
  std::int64_t records = 0;
  int attempts = 0;
  int splits = 0;  // dynamic splits accepted while it was read
};

template <typename T>
struct ReadResult {
  std::vector<T> records;
  std::vector<BundleReport> bundles;  // in id order, as the records
  RunStats stats;
};

struct ReadReport {
  std::vector<BundleReport> bundles;  // in id order
  RunStats stats;
};

struct WriteBundleReport {
  std::int64_t records = 0;
  int attempts = 0;  // started, speculative ones included
  int failed_attempts = 0;
  bool duplicated = false;
};

struct WriteResult {
  std::vector<std::string> outputs;  // what finalize_write committed
  std::vector<WriteBundleReport> bundles;
  int finalize_attempts = 0;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_RUNNER_RUN_RESULT_H_
