// Throughput of ReadFromText on a generated text file of 100-byte lines read
// from the page cache: one reader alone, and the LocalRunner with 2 workers,
// beside `wc -l` on the same file in the same run. Target: the single reader
// at least 0.5x of `wc -l`. Prints MB/s and the ratios.
//
//   ./bazelw run -c opt //bench:text_source_bench                 # 1 GiB
//   ./bazelw run -c opt //bench:text_source_bench -- --size_mb=64
//
// The file goes to $TEST_TMPDIR, $TMPDIR or /tmp and is removed at the end. Each figure is
// the best of --repetitions runs (default 3).

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>

#include "splitcheck/bench/file_bench.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/lib/text/text_source.h"

namespace splitcheck {
namespace {

// 100-byte lines: 99 bytes of text and '\n'.
std::int64_t generate(const std::string& path, std::int64_t bytes) {
  std::FILE* out = std::fopen(path.c_str(), "wb");
  if (out == nullptr) {
    std::perror(path.c_str());
    std::exit(1);
  }
  std::string block;
  for (int i = 0; i < 10000; ++i) {
    std::string line = "line " + std::to_string(i) + " ";
    while (line.size() < 99) line += static_cast<char>('a' + (line.size() * 7 + i) % 26);
    block += line + "\n";
  }
  std::int64_t written = 0;
  while (written < bytes) {
    const std::size_t n = static_cast<std::size_t>(
        std::min<std::int64_t>(static_cast<std::int64_t>(block.size()), bytes - written));
    std::fwrite(block.data(), 1, n, out);
    written += static_cast<std::int64_t>(n);
  }
  std::fclose(out);
  return bytes / 100 + (bytes % 100 != 0 ? 1 : 0);
}

int run(int argc, char** argv) {
  const bench::FileBenchFlags flags = bench::parse_file_bench_flags(argc, argv, {"single_only"});
  const std::string path = bench::scratch_directory() + "/splitcheck_text_bench.txt";
  const std::int64_t bytes = flags.size_mb << 20;
  const std::int64_t lines = generate(path, bytes);
  const double mb = static_cast<double>(bytes) / 1e6;
  std::printf("file: %s, %.0f MB, %lld lines of 100 bytes\n", path.c_str(), mb,
              static_cast<long long>(lines));

  const std::string wc = "wc -l < '" + path + "' > /dev/null";
  if (std::system(wc.c_str()) != 0) {  // also warms the page cache
    std::fprintf(stderr, "`%s` failed\n", wc.c_str());
    return 1;
  }
  const double wc_s = bench::best_seconds(flags.repetitions, [&] {
    if (std::system(wc.c_str()) != 0) std::exit(1);
  });
  bench::print_figure("wc -l", wc_s, mb);

  std::int64_t counted = 0;
  const double single_s = bench::best_seconds(flags.repetitions, [&] {
    const auto source = ReadFromText(path).source();
    auto tracker = source->get_range_tracker(std::nullopt, std::nullopt);
    std::int64_t records = 0, chars = 0;
    for (std::string& line : source->read(*tracker)) {
      ++records;
      chars += static_cast<std::int64_t>(line.size());
    }
    counted = records;
    if (chars + bytes / 100 != bytes) {  // every byte is a record byte or a '\n'
      std::fprintf(stderr, "single reader read %lld record bytes of %lld\n",
                   static_cast<long long>(chars), static_cast<long long>(bytes));
      std::exit(1);
    }
  });
  bench::print_figure("ReadFromText, one reader", single_s, mb);
  if (flags.switches.count("single_only") != 0) {
    std::filesystem::remove(path);
    return 0;
  }
  if (counted != lines) {
    std::fprintf(stderr, "single reader read %lld lines, expected %lld\n",
                 static_cast<long long>(counted), static_cast<long long>(lines));
    return 1;
  }

  // The floor for any reader that hands out each line as a std::string: a
  // hand-written loop of read(2), memchr and assign, no tracker, no coroutine.
  const double bare_s = bench::best_seconds(flags.repetitions, [&] {
    std::FILE* in = std::fopen(path.c_str(), "rb");
    std::string buffer(1 << 18, '\0'), line;
    std::size_t begin = 0, end = 0;
    std::int64_t records = 0;
    for (;;) {
      const char* nl =
          static_cast<const char*>(std::memchr(buffer.data() + begin, '\n', end - begin));
      if (nl == nullptr) {
        std::memmove(buffer.data(), buffer.data() + begin, end - begin);
        end -= begin;
        begin = 0;
        const std::size_t got = std::fread(buffer.data() + end, 1, buffer.size() - end, in);
        if (got == 0) break;
        end += got;
        continue;
      }
      line.assign(buffer.data() + begin, static_cast<std::size_t>(nl - buffer.data()) - begin);
      begin = static_cast<std::size_t>(nl - buffer.data()) + 1;
      ++records;
    }
    if (end > begin) ++records;
    std::fclose(in);
    if (records != lines) std::exit(5);
  });
  bench::print_figure("bare read+memchr+assign loop", bare_s, mb);

  RunnerOptions options;
  options.num_workers = 2;
  const LocalRunner runner(options);
  const double runner_s = bench::best_seconds(flags.repetitions, [&] {
    const auto result = runner.run(ReadFromText(path));
    if (static_cast<std::int64_t>(result.records.size()) != lines) {
      std::fprintf(stderr, "the runner read %zu lines, expected %lld\n", result.records.size(),
                   static_cast<long long>(lines));
      std::exit(1);
    }
  });
  bench::print_figure("ReadFromText, LocalRunner 2 workers", runner_s, mb);

  std::printf("single reader / wc -l throughput: %.2fx (target >= 0.5x)\n", wc_s / single_s);
  std::printf("single reader / bare loop throughput: %.2fx\n", bare_s / single_s);
  std::printf("runner 2 workers / wc -l throughput: %.2fx\n", wc_s / runner_s);
  std::filesystem::remove(path);
  return 0;
}

}  // namespace
}  // namespace splitcheck

int main(int argc, char** argv) { return splitcheck::run(argc, argv); }
