// What the file benchmarks share: their flags (--size_mb, --repetitions and
// boolean switches), a timer of N runs (min, median, max), the figure line,
// the process's memory, and the scratch directory ($TEST_TMPDIR under bazel
// test, else $TMPDIR, else /tmp).

#ifndef SPLITCHECK_BENCH_FILE_BENCH_H_
#define SPLITCHECK_BENCH_FILE_BENCH_H_

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace splitcheck::bench {

struct FileBenchFlags {
  std::int64_t size_mb = 1024;
  int repetitions = 5;
  std::set<std::string> switches;  // given --name flags among the allowed ones
};

// Exits with status 2 and a message on an unknown or bad flag.
inline FileBenchFlags parse_file_bench_flags(int argc, char** argv,
                                             const std::set<std::string>& allowed = {}) {
  FileBenchFlags flags;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--size_mb=", 0) == 0) {
      flags.size_mb = std::atoll(arg.c_str() + 10);
    } else if (arg.rfind("--repetitions=", 0) == 0) {
      flags.repetitions = std::atoi(arg.c_str() + 14);
    } else if (allowed.count(arg.substr(2)) != 0 && arg.rfind("--", 0) == 0) {
      flags.switches.insert(arg.substr(2));
    } else {
      std::string known = "--size_mb=N, --repetitions=N";
      for (const std::string& s : allowed) known += ", --" + s;
      std::fprintf(stderr, "unknown flag %s (known: %s)\n", arg.c_str(), known.c_str());
      std::exit(2);
    }
  }
  if (flags.size_mb < 1 || flags.repetitions < 1) {
    std::fprintf(stderr, "--size_mb and --repetitions must be at least 1\n");
    std::exit(2);
  }
  return flags;
}

// Wall times of `repetitions` runs of `run`; `before` runs untimed before
// each. Ratios between figures use the medians.
struct Timing {
  double min = 0;
  double median = 0;
  double max = 0;
};

// Min, median and max of `took` (not empty).
inline Timing timing_of(std::vector<double> took) {
  std::sort(took.begin(), took.end());
  const std::size_t n = took.size();
  const double median = n % 2 == 1 ? took[n / 2] : (took[n / 2 - 1] + took[n / 2]) / 2;
  return Timing{took.front(), median, took.back()};
}

inline Timing time_runs(
    int repetitions, const std::function<void()>& run,
    const std::function<void()>& before = [] {}) {
  std::vector<double> took;
  for (int i = 0; i < repetitions; ++i) {
    before();
    const auto start = std::chrono::steady_clock::now();
    run();
    took.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return timing_of(std::move(took));
}

// Each of `runs` timed `repetitions` times, in turns (the first of each,
// then the second of each, ...), so that a change in the machine's load
// falls on every figure alike rather than on the ones measured then.
inline std::vector<Timing> time_in_turns(int repetitions,
                                         const std::vector<std::function<void()>>& runs) {
  std::vector<std::vector<double>> took(runs.size());
  for (int i = 0; i < repetitions; ++i) {
    for (std::size_t k = 0; k < runs.size(); ++k) {
      const auto start = std::chrono::steady_clock::now();
      runs[k]();
      took[k].push_back(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
  }
  std::vector<Timing> out;
  for (std::vector<double>& t : took) out.push_back(timing_of(std::move(t)));
  return out;
}

// One line: min, median and max seconds, and MB/s at the median.
inline void print_figure(const char* what, const Timing& t, double mb) {
  std::printf("%-40s %8.3f %8.3f %8.3f s %9.0f MB/s\n", what, t.min, t.median, t.max,
              mb / t.median);
  std::fflush(stdout);
}

inline void print_figure_header() {
  std::printf("%-40s %8s %8s %8s   %9s\n", "", "min", "median", "max", "at median");
}

// The process's peak resident set so far, in MiB (getrusage).
inline double max_rss_mib() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

// The process's resident set now, in MiB (/proc/self/statm).
inline double current_rss_mib() {
  std::FILE* statm = std::fopen("/proc/self/statm", "r");
  long pages = 0, resident = 0;
  if (statm == nullptr || std::fscanf(statm, "%ld %ld", &pages, &resident) != 2) resident = 0;
  if (statm != nullptr) std::fclose(statm);
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / 1048576.0;
}

// Starts and joins a thread. Call it first: glibc's std::mutex skips its
// atomics while a process has only one thread, which would flatter a
// single-threaded figure against what a runner's worker sees.
inline void become_multithreaded() {
  std::thread([] {}).join();
}

inline std::string scratch_directory() {
  const char* tmp = std::getenv("TEST_TMPDIR");
  if (tmp == nullptr) tmp = std::getenv("TMPDIR");
  return tmp != nullptr ? tmp : "/tmp";
}

}  // namespace splitcheck::bench

#endif  // SPLITCHECK_BENCH_FILE_BENCH_H_
