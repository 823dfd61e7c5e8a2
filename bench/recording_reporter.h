// RecordingReporter: Google Benchmark's console reporter that also keeps the
// time per iteration of every repetition of every run, so that a benchmark's
// main can print min, median and max and the ratios between runs measured in
// the same process. run_benchmarks() runs them with 5 repetitions unless the
// command line gives --benchmark_repetitions.

#ifndef SPLITCHECK_BENCH_RECORDING_REPORTER_H_
#define SPLITCHECK_BENCH_RECORDING_REPORTER_H_

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "benchmark/benchmark.h"

namespace splitcheck::bench {

struct Spread {
  double min = 0;
  double median = 0;
  double max = 0;
};

class RecordingReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.run_type == Run::RT_Iteration) {
        times_[run.benchmark_name()].push_back(run.GetAdjustedRealTime());
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }

  // Min, median and max over the repetitions of the run named `name` (as
  // printed, e.g. "BM_Runner/1/real_time"), real time per iteration in the
  // run's time unit; all 0 if it did not run.
  Spread spread(const std::string& name) const {
    const auto it = times_.find(name);
    if (it == times_.end() || it->second.empty()) return {};
    std::vector<double> t = it->second;
    std::sort(t.begin(), t.end());
    const std::size_t n = t.size();
    return {t.front(), n % 2 == 1 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2, t.back()};
  }
  // The median: what ratios use.
  double time(const std::string& name) const { return spread(name).median; }

  // One line per run: repetitions, min, median and max.
  void print_spreads() const {
    std::printf("\n%-48s %5s %12s %12s %12s\n", "per iteration", "runs", "min", "median", "max");
    for (const auto& [name, t] : times_) {
      const Spread s = spread(name);
      std::printf("%-48s %5zu %12.4g %12.4g %12.4g\n", name.c_str(), t.size(), s.min, s.median,
                  s.max);
    }
  }

 private:
  std::map<std::string, std::vector<double>> times_;
};

// Initializes Google Benchmark with 5 repetitions unless the command line
// sets --benchmark_repetitions, and runs the benchmarks. It first starts and
// joins a thread: glibc skips the atomics of std::mutex while a process has
// only one thread, and every figure should be what a runner's worker sees.
// Returns false on an unrecognized argument.
inline bool run_benchmarks(int argc, char** argv, RecordingReporter& reporter) {
  std::thread([] {}).join();
  std::vector<char*> args(argv, argv + argc);
  bool repetitions_given = false;
  for (char* arg : args) {
    if (std::strncmp(arg, "--benchmark_repetitions", 23) == 0) repetitions_given = true;
  }
  static char kRepetitions[] = "--benchmark_repetitions=5";
  if (!repetitions_given) args.push_back(kRepetitions);
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) return false;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  reporter.print_spreads();
  return true;
}

}  // namespace splitcheck::bench

#endif  // SPLITCHECK_BENCH_RECORDING_REPORTER_H_
