// LocalRunner's process mode against its threads, from one run:
//   * throughput on CountingSource(2^20) with 2 workers, each mode 11 times
//     in turns (min, median, max), and the ratio of the medians (issue 22's
//     target: process mode >= 0.5x the threads);
//   * the fixed cost of a bundle in process mode (the bundle's encoding
//     sent, decoded by the worker, read, the answer back), from runs of
//     one-record bundles, against the same runs on threads (target < 1 ms);
//   * the cost of starting and stopping a worker process (fork, exit,
//     reap), from runs of a one-record source.
//
//   ./bazelw run -c opt //bench:process_runner_bench
//   ./bazelw run -c opt //bench:process_runner_bench -- --quick   (the smoke test)
//   ... -- --throughput_only   (the first figure alone: for perf)

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/examples/counting/counting_source.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/lib/sources/read.h"

namespace {

using splitcheck::examples::internal::CountingSource;

struct Figures {
  double min = 0, median = 0, max = 0;
};

Figures figures(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return {v.front(), v[v.size() / 2], v.back()};
}

double seconds_of(const std::function<void()>& f) {
  const auto began = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
}

// CPU seconds (user and system) of this process, or of its reaped
// descendants (the spawner and, through it, the worker processes).
double cpu_seconds(int who) {
  rusage usage{};
  getrusage(who, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// The CPU seconds of the last time_run: this process's, its children's.
double last_parent_cpu = 0, last_children_cpu = 0;

// Seconds of one run of CountingSource(count) with these options.
double time_run(std::int64_t count, const splitcheck::RunnerOptions& options) {
  const auto source = std::make_shared<CountingSource>(count);
  const double parent_before = cpu_seconds(RUSAGE_SELF);
  const double children_before = cpu_seconds(RUSAGE_CHILDREN);
  const double wall = seconds_of([&] {
    const auto result = splitcheck::LocalRunner(options).run(splitcheck::Read(source));
    if (static_cast<std::int64_t>(result.records.size()) != count) {
      std::fprintf(stderr, "wrong record count\n");
      std::exit(1);
    }
  });
  last_parent_cpu = cpu_seconds(RUSAGE_SELF) - parent_before;
  last_children_cpu = cpu_seconds(RUSAGE_CHILDREN) - children_before;
  return wall;
}

// The CPU seconds of the last time_runs' runs: all of each run of `a`; the
// parent's and the children's of each run of `b`.
std::vector<double> cpu_a, cpu_b_parent, cpu_b_children;

// `runs` runs of each of `a` and `b`, taken in turns (a, b, a, b, ...) after
// one unmeasured run of each: both see the same state of the machine, so a
// burst of other load cannot fall on one mode's runs only.
std::pair<std::vector<double>, std::vector<double>> time_runs(std::int64_t count,
                                                              const splitcheck::RunnerOptions& a,
                                                              const splitcheck::RunnerOptions& b,
                                                              int runs) {
  time_run(count, a);
  time_run(count, b);
  std::pair<std::vector<double>, std::vector<double>> out;
  cpu_a.clear();
  cpu_b_parent.clear();
  cpu_b_children.clear();
  for (int i = 0; i < runs; ++i) {
    out.first.push_back(time_run(count, a));
    cpu_a.push_back(last_parent_cpu + last_children_cpu);
    out.second.push_back(time_run(count, b));
    cpu_b_parent.push_back(last_parent_cpu);
    cpu_b_children.push_back(last_children_cpu);
  }
  return out;
}

void print(const char* what, const Figures& f, double scale, const char* unit) {
  std::printf("  %-34s min %9.3f  median %9.3f  max %9.3f %s\n", what, f.min * scale,
              f.median * scale, f.max * scale, unit);
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  bool throughput_only = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      quick = true;
    } else if (std::strcmp(argv[i], "--throughput_only") == 0) {
      throughput_only = true;
    } else {
      std::fprintf(stderr, "unknown flag %s (known: --quick, --throughput_only)\n", argv[i]);
      return 2;
    }
  }
  const int runs = quick ? 1 : 11;
  const std::int64_t big = quick ? 1 << 12 : 1 << 20;
  const std::int64_t small_bundles = quick ? 20 : 2000;

  splitcheck::RunnerOptions threads;
  threads.num_workers = 2;
  splitcheck::RunnerOptions processes = threads;
  processes.worker_processes = true;

  std::printf("CountingSource(%lld), 2 workers, %d runs each (seconds; records/s below)\n",
              static_cast<long long>(big), runs);
  const auto [thread_runs, process_runs] = time_runs(big, threads, processes, runs);
  const Figures t = figures(thread_runs);
  const Figures p = figures(process_runs);
  print("threads", t, 1, "s");
  print("worker processes", p, 1, "s");
  std::printf("  %-34s threads %.2f M/s, processes %.2f M/s\n", "median throughput",
              static_cast<double>(big) / t.median / 1e6, static_cast<double>(big) / p.median / 1e6);
  std::printf(
      "  %-34s threads %.1f ms; processes %.1f ms in the runner + %.1f ms in its "
      "spawner and workers\n",
      "CPU per run (median)", figures(cpu_a).median * 1e3, figures(cpu_b_parent).median * 1e3,
      figures(cpu_b_children).median * 1e3);
  std::printf("  processes / threads (median throughput): %.2fx   (target >= 0.5x)\n",
              t.median / p.median);
  if (throughput_only) return 0;

  // One-record bundles: the run's time over its bundles is the fixed cost
  // of one bundle (the workers' start is amortized over many).
  splitcheck::RunnerOptions one_record = processes;
  one_record.desired_bundle_size = 1;
  one_record.num_workers = 1;
  splitcheck::RunnerOptions one_record_threads = one_record;
  one_record_threads.worker_processes = false;
  const auto per_bundle = [&](std::vector<double> v) {
    for (double& s : v) s /= static_cast<double>(small_bundles);
    return figures(v);
  };
  std::printf("%lld one-record bundles, 1 worker (per bundle)\n",
              static_cast<long long>(small_bundles));
  const auto [bundle_thread_runs, bundle_process_runs] =
      time_runs(small_bundles, one_record_threads, one_record, runs);
  const Figures bt = per_bundle(bundle_thread_runs);
  const Figures bp = per_bundle(bundle_process_runs);
  print("threads", bt, 1e3, "ms");
  print("worker processes", bp, 1e3, "ms");
  std::printf("  fixed cost of a bundle in a worker process (median): %.3f ms   (target < 1 ms)\n",
              bp.median * 1e3);

  // Starting and stopping the workers: a one-record source, 2 workers.
  const auto [start_stop_threads, start_stop] = time_runs(1, threads, processes, quick ? 1 : 20);
  std::printf("a one-record source, 2 workers (whole run)\n");
  print("threads", figures(start_stop_threads), 1e3, "ms");
  print("worker processes", figures(start_stop), 1e3, "ms");
  std::printf(
      "  start and stop of one worker process (median, run minus threads' run, / 2): %.3f ms\n",
      (figures(start_stop).median - figures(start_stop_threads).median) / 2 * 1e3);
  return 0;
}
