// What LocalRunner::run_sdf returns: a splittable DoFn's outputs, a report
// per work item, and the run's counts.
//
// A work item is a restriction of one element: the initial splits are
// named "0", "1", ... (over all elements, in order), and the residual of
// the n-th split of item "i" (a dynamic split, or a checkpoint) "i.n", as
// bundles are (bundle_id.h). Outputs are those of each item's successful
// attempt, items in bundle_id_less order, each item's in the order process
// emitted them.

#ifndef SPLITCHECK_LIB_RUNNER_SDF_RESULT_H_
#define SPLITCHECK_LIB_RUNNER_SDF_RESULT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "splitcheck/lib/sdf/watermark_estimator.h"

namespace splitcheck {

template <typename T>
struct TimestampedValue {
  T value;
  Timestamp timestamp = kMinTimestamp;

  friend bool operator==(const TimestampedValue&, const TimestampedValue&) = default;
};

struct SdfWorkReport {
  std::string id;
  std::size_t element = 0;   // index into the elements given to run_sdf
  std::int64_t outputs = 0;  // of the successful attempt
  int attempts = 0;
  int splits = 0;             // dynamic splits accepted while it ran
  bool checkpointed = false;  // process asked to resume: its residual is an item of its own
  Timestamp watermark = kMinTimestamp;  // the estimator's state when it ended
};

struct SdfStats {
  std::int64_t elements = 0;
  std::int64_t initial_items = 0;
  std::int64_t items = 0;  // committed: initial ones and every residual
  std::int64_t attempts = 0;
  std::int64_t failed_attempts = 0;
  std::int64_t dynamic_splits = 0;
  std::int64_t checkpoints = 0;
  std::int64_t outputs = 0;
  std::int64_t discarded_outputs = 0;  // of failed attempts
  double seconds = 0;
};

template <typename T>
struct SdfResult {
  std::vector<TimestampedValue<T>> outputs;
  std::vector<SdfWorkReport> items;  // in id order, as the outputs
  SdfStats stats;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_RUNNER_SDF_RESULT_H_
