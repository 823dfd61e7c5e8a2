// Executions per second of the sequential offset-tracker fuzz harness
// itself, on its seed corpus, without libFuzzer: the ceiling any engine can
// reach with this harness. (libFuzzer's own figures come from
// `./bazelw run --config=libfuzzer //fuzz:offset_tracker_fuzz_test_run`.)
//
//   ./bazelw run -c opt //bench:fuzz_harness_bench -- "$PWD/fuzz/corpus/offsets"

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
  const splitcheck::testkit::TrackerFactory<std::int64_t> factory = [](const std::int64_t& s,
                                                                       const std::int64_t& e) {
    return std::make_unique<splitcheck::OffsetRangeTracker>(s, e);
  };
  const auto bytes = splitcheck::fuzz::offset_bytes();
  const auto positions = splitcheck::testkit::offset_positions();
  std::size_t total_bytes = 0;
  for (const auto& input : inputs) total_bytes += input.size();
  const auto began = std::chrono::steady_clock::now();
  std::int64_t execs = 0;
  while (std::chrono::steady_clock::now() - began < std::chrono::seconds(3)) {
    for (const auto& input : inputs) {
      splitcheck::fuzz::fuzz_tracker_sequential(input.data(), input.size(), factory, bytes,
                                                positions);
      ++execs;
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  std::printf("%zu seed inputs (%.0f bytes on average): %.0f execs/s, %.1f us per exec\n",
              inputs.size(), static_cast<double>(total_bytes) / inputs.size(), execs / seconds,
              1e6 * seconds / execs);
  return 0;
}
