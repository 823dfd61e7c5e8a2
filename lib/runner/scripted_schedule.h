// ScriptedSchedule: a RunnerPolicy that replays an explicit list of dynamic
// splits and injected failures, for tests and for replaying a counterexample.
//
// Each event names a bundle id, an attempt and a record count: the split (at
// a fraction of the remainder) or failure happens when that attempt of that
// bundle has read exactly that many records. Events that never come up (the
// bundle ends earlier, or does not exist) are ignored. Idle workers do not
// rebalance, so a run under a ScriptedSchedule is reproducible. Immutable
// after construction and thread-safe.

#ifndef SPLITCHECK_LIB_RUNNER_SCRIPTED_SCHEDULE_H_
#define SPLITCHECK_LIB_RUNNER_SCRIPTED_SCHEDULE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "splitcheck/lib/runner/runner_policy.h"

namespace splitcheck {

struct ScheduledSplit {
  std::string bundle_id;
  int attempt = 1;
  std::int64_t after_records = 0;
  double fraction = 0.5;  // of the remainder, in (0, 1)
};

struct ScheduledFailure {
  std::string bundle_id;
  int attempt = 1;
  std::int64_t after_records = 0;
};

class ScriptedSchedule final : public RunnerPolicy {
 public:
  // Throws UsageError for a fraction outside (0, 1), an attempt < 1 or a
  // negative record count.
  ScriptedSchedule(std::vector<ScheduledSplit> splits, std::vector<ScheduledFailure> failures);

  bool observes_records() const override { return true; }
  std::optional<double> split_after(const ReadProgress& progress) const override;
  bool fail_after(const ReadProgress& progress) const override;
  bool rebalance_idle_workers() const override { return false; }

  // The schedule as text, one event per line, e.g.
  // "split 0.1 attempt 1 after 17 records at 0.25".
  std::string to_string() const;

 private:
  using Key = std::tuple<std::string, int, std::int64_t>;
  std::vector<ScheduledSplit> splits_;
  std::vector<ScheduledFailure> failures_;
  std::map<Key, double> split_at_;
  std::set<Key> fail_at_;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_RUNNER_SCRIPTED_SCHEDULE_H_
