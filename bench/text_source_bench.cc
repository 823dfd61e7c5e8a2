// Throughput of ReadFromText on a generated text file of 100-byte lines read
// from the page cache: one reader alone, and the LocalRunner with 1 and 2
// workers streaming to a ReadOutput that counts, beside `wc -l` and a bare
// read+memchr+assign loop on the same file in the same run. Targets (issue
// 21): one reader >= 0.9x the bare loop and >= 0.6x `wc -l`; 2 workers >=
// 1.7x one reader and >= 0.8x `wc -l`; the streaming runs' peak RSS <= 64 MiB
// above the process's baseline. --collect adds a run into a ReadResult
// (every line held). The five are timed in turns (each round runs every
// one once), so that a change in the machine's load falls on all of them.
// Prints min, median and max, and ratios of medians.
//
//   ./bazelw run -c opt //bench:text_source_bench                 # 1 GiB
//   ./bazelw run -c opt //bench:text_source_bench -- --size_mb=64
//
// The file goes to $TEST_TMPDIR, $TMPDIR or /tmp and is removed at the end.
// Each figure is --repetitions runs (default 5).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "splitcheck/bench/file_bench.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/lib/runner/read_output.h"
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

// Counts each attempt's records and record bytes, and publishes them only
// when the attempt commits: a streaming consumer that holds nothing.
class CountingOutput final : public ReadOutput<std::string> {
 public:
  std::unique_ptr<AttemptOutput<std::string>> open(const AttemptInfo&) override {
    return std::make_unique<Attempt>(this);
  }
  std::int64_t records() const { return records_.load(); }
  std::int64_t chars() const { return chars_.load(); }

 private:
  class Attempt final : public AttemptOutput<std::string> {
   public:
    explicit Attempt(CountingOutput* parent) : parent_(parent) {}
    void add(std::string&& line) override {
      ++records_;
      chars_ += static_cast<std::int64_t>(line.size());
    }
    void commit() override {
      parent_->records_ += records_;
      parent_->chars_ += chars_;
    }
    void discard() noexcept override {}

   private:
    CountingOutput* const parent_;
    std::int64_t records_ = 0;
    std::int64_t chars_ = 0;
  };

  std::atomic<std::int64_t> records_{0};
  std::atomic<std::int64_t> chars_{0};
};

int run(int argc, char** argv) {
  const bench::FileBenchFlags flags =
      bench::parse_file_bench_flags(argc, argv, {"single_only", "collect"});
  bench::become_multithreaded();
  const std::string path = bench::scratch_directory() + "/splitcheck_text_bench.txt";
  const std::int64_t bytes = flags.size_mb << 20;
  const std::int64_t lines = generate(path, bytes);
  const double mb = static_cast<double>(bytes) / 1e6;
  std::printf("file: %s, %.0f MB, %lld lines of 100 bytes; %d runs per figure\n", path.c_str(), mb,
              static_cast<long long>(lines), flags.repetitions);
  const double baseline_rss = bench::current_rss_mib();
  bench::print_figure_header();

  const std::string wc = "wc -l < '" + path + "' > /dev/null";
  if (std::system(wc.c_str()) != 0) {  // also warms the page cache
    std::fprintf(stderr, "`%s` failed\n", wc.c_str());
    return 1;
  }
  const auto wc_run = [&] {
    if (std::system(wc.c_str()) != 0) std::exit(1);
  };

  // Every byte is a record byte or one of the bytes / 100 '\n's.
  const auto check = [&](const char* who, std::int64_t records, std::int64_t chars) {
    if (records != lines || chars + bytes / 100 != bytes) {
      std::fprintf(stderr, "%s read %lld lines and %lld record bytes, expected %lld and %lld\n",
                   who, static_cast<long long>(records), static_cast<long long>(chars),
                   static_cast<long long>(lines), static_cast<long long>(bytes - bytes / 100));
      std::exit(1);
    }
  };

  const auto single_run = [&] {
    const auto source = ReadFromText(path).source();
    auto tracker = source->get_range_tracker(std::nullopt, std::nullopt);
    std::int64_t records = 0, chars = 0;
    for (std::string& line : source->read(*tracker)) {
      ++records;
      chars += static_cast<std::int64_t>(line.size());
    }
    check("the single reader", records, chars);
  };

  // The floor for any reader that hands out each line as a std::string: a
  // hand-written loop of read(2), memchr and assign, no tracker, no coroutine.
  const auto bare_run = [&] {
    std::FILE* in = std::fopen(path.c_str(), "rb");
    std::string buffer(1 << 18, '\0'), line;
    std::size_t begin = 0, end = 0;
    std::int64_t records = 0, chars = 0;
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
      chars += static_cast<std::int64_t>(line.size());
    }
    if (end > begin) {
      ++records;
      chars += static_cast<std::int64_t>(end - begin);
    }
    std::fclose(in);
    check("the bare loop", records, chars);
  };

  const auto runner_of = [](int workers) {
    RunnerOptions options;
    options.num_workers = workers;
    return LocalRunner(options);
  };
  const LocalRunner runners[3] = {runner_of(1), runner_of(1), runner_of(2)};
  const auto runner_run = [&](int workers) {
    return [&, workers] {
      CountingOutput output;
      runners[workers].run(ReadFromText(path), output);
      check("the runner", output.records(), output.chars());
    };
  };

  // In turns: wc, the reader, the bare loop, the runner with 1 and 2
  // workers, then again; the ratios compare figures of the same moments.
  const bool single_only = flags.switches.count("single_only") != 0;
  std::vector<std::function<void()>> runs = {wc_run, single_run};
  if (!single_only) {
    runs.push_back(bare_run);
    runs.push_back(runner_run(1));
    runs.push_back(runner_run(2));
  }
  const std::vector<bench::Timing> timings = bench::time_in_turns(flags.repetitions, runs);
  const bench::Timing& wc_s = timings[0];
  const bench::Timing& single_s = timings[1];
  bench::print_figure("wc -l", wc_s, mb);
  bench::print_figure("ReadFromText, one reader", single_s, mb);
  if (single_only) {
    std::filesystem::remove(path);
    return 0;
  }
  const bench::Timing& bare_s = timings[2];
  const bench::Timing streamed[3] = {{}, timings[3], timings[4]};
  bench::print_figure("bare read+memchr+assign loop", bare_s, mb);
  bench::print_figure("LocalRunner, 1 worker, streaming output", streamed[1], mb);
  bench::print_figure("LocalRunner, 2 workers, streaming output", streamed[2], mb);
  const double streamed_rss = bench::max_rss_mib() - baseline_rss;

  std::printf("\nsingle reader / wc -l throughput: %.2fx (target >= 0.6x: %s)\n",
              wc_s.median / single_s.median,
              wc_s.median / single_s.median >= 0.6 ? "met" : "NOT met");
  std::printf("single reader / bare loop throughput: %.2fx (target >= 0.9x: %s)\n",
              bare_s.median / single_s.median,
              bare_s.median / single_s.median >= 0.9 ? "met" : "NOT met");
  const double scaling = single_s.median / streamed[2].median;
  std::printf("runner 2 workers / one reader throughput: %.2fx (target >= 1.7x: %s)\n", scaling,
              scaling >= 1.7 ? "met" : "NOT met");
  std::printf("runner 1 worker / one reader throughput: %.2fx\n",
              single_s.median / streamed[1].median);
  const double vs_wc = wc_s.median / streamed[2].median;
  std::printf("runner 2 workers / wc -l throughput: %.2fx (target >= 0.8x: %s)\n", vs_wc,
              vs_wc >= 0.8 ? "met" : "NOT met");
  std::printf(
      "peak RSS above the baseline (%.0f MiB) while streaming: %.1f MiB (target <= 64: %s)\n",
      baseline_rss, streamed_rss, streamed_rss <= 64 ? "met" : "NOT met");

  if (flags.switches.count("collect") != 0) {
    // ReadResult holds every line: memory grows with the input.
    RunnerOptions options;
    options.num_workers = 2;
    const LocalRunner runner(options);
    const bench::Timing collect_s = bench::time_runs(flags.repetitions, [&] {
      const auto result = runner.run(ReadFromText(path));
      std::int64_t chars = 0;
      for (const std::string& line : result.records)
        chars += static_cast<std::int64_t>(line.size());
      check("the runner", static_cast<std::int64_t>(result.records.size()), chars);
    });
    bench::print_figure("LocalRunner, 2 workers, ReadResult", collect_s, mb);
    std::printf("peak RSS above the baseline with ReadResult: %.0f MiB\n",
                bench::max_rss_mib() - baseline_rss);
  }
  std::filesystem::remove(path);
  return 0;
}

}  // namespace
}  // namespace splitcheck

int main(int argc, char** argv) { return splitcheck::run(argc, argv); }
