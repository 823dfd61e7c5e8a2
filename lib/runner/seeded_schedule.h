// SeededSchedule: a RunnerPolicy that makes pseudo-random dynamic splits and
// injected failures, reproducible from a seed.
//
// Every decision is a hash of (seed, bundle id, attempt, records read), not a
// draw from a shared generator, so it does not depend on which thread asks
// first: the same seed gives the same splits and failures on every run and
// with any number of workers. At each point, a split of the remainder is
// asked with probability split_probability, at a fraction drawn in
// [min_fraction, max_fraction]; a failure is injected with probability
// failure_probability, but only in the first max_failed_attempts attempts of
// a bundle, so that a run with enough allowed attempts still completes. Idle
// workers do not rebalance. Immutable and thread-safe.

#ifndef SPLITCHECK_LIB_RUNNER_SEEDED_SCHEDULE_H_
#define SPLITCHECK_LIB_RUNNER_SEEDED_SCHEDULE_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "splitcheck/lib/runner/runner_policy.h"

namespace splitcheck {

class SeededSchedule final : public RunnerPolicy {
 public:
  struct Options {
    double split_probability = 0.01;
    double failure_probability = 0.0;
    int max_failed_attempts = 1;
    double min_fraction = 0.05;
    double max_fraction = 0.95;
  };

  // Throws UsageError for probabilities outside [0, 1] or fractions outside
  // (0, 1) or out of order.
  SeededSchedule(std::uint64_t seed, Options options);

  bool observes_records() const override { return true; }
  std::optional<double> split_after(const ReadProgress& progress) const override;
  bool fail_after(const ReadProgress& progress) const override;
  bool rebalance_idle_workers() const override { return false; }

  std::uint64_t seed() const { return seed_; }

 private:
  // A uniform draw in [0, 1) determined by the seed, the progress and `salt`.
  double draw(const ReadProgress& progress, std::uint64_t salt) const;

  std::uint64_t seed_;
  Options options_;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_RUNNER_SEEDED_SCHEDULE_H_
