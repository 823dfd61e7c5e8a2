// RecordingReporter: Google Benchmark's console reporter that also keeps each
// run's time per iteration, so that a benchmark's main can print ratios
// between runs measured in the same process.

#ifndef SPLITCHECK_BENCH_RECORDING_REPORTER_H_
#define SPLITCHECK_BENCH_RECORDING_REPORTER_H_

#include <map>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"

namespace splitcheck::bench {

class RecordingReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.run_type == Run::RT_Iteration)
        times_[run.benchmark_name()] = run.GetAdjustedRealTime();
    }
    ConsoleReporter::ReportRuns(runs);
  }

  // Real time per iteration of the run named `name` (as printed, e.g.
  // "BM_Runner/1/real_time"), in the run's time unit; 0 if it did not run.
  double time(const std::string& name) const {
    const auto it = times_.find(name);
    return it == times_.end() ? 0.0 : it->second;
  }

 private:
  std::map<std::string, double> times_;
};

}  // namespace splitcheck::bench

#endif  // SPLITCHECK_BENCH_RECORDING_REPORTER_H_
