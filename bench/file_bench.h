// What the file benchmarks share: their flags (--size_mb, --repetitions and
// boolean switches), a best-of-N timer, the figure line, and the scratch
// directory ($TEST_TMPDIR under bazel test, else $TMPDIR, else /tmp).

#ifndef SPLITCHECK_BENCH_FILE_BENCH_H_
#define SPLITCHECK_BENCH_FILE_BENCH_H_

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <set>
#include <string>

namespace splitcheck::bench {

struct FileBenchFlags {
  std::int64_t size_mb = 1024;
  int repetitions = 3;
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

// The best wall time of `repetitions` runs; `before` runs untimed first.
inline double best_seconds(
    int repetitions, const std::function<void()>& run,
    const std::function<void()>& before = [] {}) {
  double best = 1e300;
  for (int i = 0; i < repetitions; ++i) {
    before();
    const auto start = std::chrono::steady_clock::now();
    run();
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    best = std::min(best, took.count());
  }
  return best;
}

inline void print_figure(const char* what, double seconds, double mb) {
  std::printf("%-36s %8.3f s %9.0f MB/s\n", what, seconds, mb / seconds);
  std::fflush(stdout);
}

inline std::string scratch_directory() {
  const char* tmp = std::getenv("TEST_TMPDIR");
  if (tmp == nullptr) tmp = std::getenv("TMPDIR");
  return tmp != nullptr ? tmp : "/tmp";
}

}  // namespace splitcheck::bench

#endif  // SPLITCHECK_BENCH_FILE_BENCH_H_
