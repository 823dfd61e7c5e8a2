// Executions per second of the sequential offset-tracker fuzz harness
// itself, on its seed corpus, without libFuzzer: the ceiling any engine can
// reach with this harness. (libFuzzer's own figures come from
// `./bazelw run --config=libfuzzer //fuzz:offset_tracker_fuzz_test_run`.)
// Five runs of one second each; prints the min, median and max.
//
//   ./bazelw run -c opt //bench:fuzz_harness_bench -- "$PWD/fuzz/corpus/offsets"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <vector>

#include "splitcheck/fuzz/tracker_fuzzer.h"
#include "splitcheck/lib/trackers/offset_range_tracker.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_harness_bench CORPUS_DIR\n");
    return 2;
  }
  std::vector<std::vector<std::uint8_t>> inputs;
  for (const auto& entry : std::filesystem::directory_iterator(argv[1])) {
    std::ifstream in(entry.path(), std::ios::binary);
    inputs.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (inputs.empty()) {
    std::fprintf(stderr, "fuzz_harness_bench: %s holds no inputs\n", argv[1]);
    return 2;
  }
  const splitcheck::testkit::TrackerFactory<std::int64_t> factory = [](const std::int64_t& s,
                                                                       const std::int64_t& e) {
    return std::make_unique<splitcheck::OffsetRangeTracker>(s, e);
  };
  const auto bytes = splitcheck::fuzz::offset_bytes();
  const auto positions = splitcheck::testkit::offset_positions();
  std::size_t total_bytes = 0;
  for (const auto& input : inputs) total_bytes += input.size();
  std::vector<double> execs_per_second;
  double seconds_per_exec_at_median = 0;
  for (int run = 0; run < 5; ++run) {
    const auto began = std::chrono::steady_clock::now();
    std::int64_t execs = 0;
    while (std::chrono::steady_clock::now() - began < std::chrono::seconds(1)) {
      for (const auto& input : inputs) {
        splitcheck::fuzz::fuzz_tracker_sequential(input.data(), input.size(), factory, bytes,
                                                  positions);
        ++execs;
      }
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    execs_per_second.push_back(static_cast<double>(execs) / seconds);
  }
  std::sort(execs_per_second.begin(), execs_per_second.end());
  seconds_per_exec_at_median = 1.0 / execs_per_second[2];
  std::printf(
      "%zu seed inputs (%.0f bytes on average), 5 runs of 1 s: execs/s min %.0f, median %.0f, max "
      "%.0f; %.1f us per exec at the median\n",
      inputs.size(), static_cast<double>(total_bytes) / static_cast<double>(inputs.size()),
      execs_per_second.front(), execs_per_second[2], execs_per_second.back(),
      1e6 * seconds_per_exec_at_median);
  return 0;
}
