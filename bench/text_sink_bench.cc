// Throughput of WriteToText writing 1 GiB of 100-byte lines to a local disk
// through the LocalRunner with 1 and 2 workers, beside `cat` copying an
// equal file to the same disk in the same run, and beside `cat` followed by
// `sync` of the copy and its directory (a durable copy: WriteToText syncs
// what it writes, so that a committed write survives power loss). Target:
// at least 0.5x of the durable copy. Prints MB/s and the ratios to both.
//
//   ./bazelw run -c opt //bench:text_sink_bench                 # 1 GiB
//   ./bazelw run -c opt //bench:text_sink_bench -- --size_mb=64
//
// Files go to $TEST_TMPDIR, $TMPDIR or /tmp and are removed at the end. Each
// figure is the min, median and max of --repetitions runs (default 5),
// ratios of medians; the time of a write includes its finalize (renames) but
// not generating the records.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "splitcheck/bench/file_bench.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/lib/text/text_sink.h"

namespace splitcheck {
namespace {

int run(int argc, char** argv) {
  const bench::FileBenchFlags flags = bench::parse_file_bench_flags(argc, argv);
  const std::string dir = bench::scratch_directory() + "/splitcheck_sink_bench";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);

  // 100-byte lines: 99 bytes of text and the '\n' the sink adds.
  const std::int64_t lines = (flags.size_mb << 20) / 100;
  std::vector<std::string> records;
  records.reserve(static_cast<std::size_t>(lines));
  for (std::int64_t i = 0; i < lines; ++i) {
    std::string line = "line " + std::to_string(i) + " ";
    line.resize(99, static_cast<char>('a' + i % 26));
    records.push_back(std::move(line));
  }
  const double mb = static_cast<double>(lines) * 100 / 1e6;
  const std::string source = dir + "/source.txt";
  {
    std::FILE* out = std::fopen(source.c_str(), "wb");
    for (const auto& r : records) {
      std::fwrite(r.data(), 1, r.size(), out);
      std::fputc('\n', out);
    }
    std::fclose(out);
  }
  std::printf("%lld lines of 100 bytes, %.0f MB, in %s\n", static_cast<long long>(lines), mb,
              dir.c_str());

  const auto clean = [&] {
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path() != source) std::filesystem::remove_all(entry.path());
    }
  };
  const std::string cat = "cat '" + source + "' > '" + dir + "/copy.txt'";
  const bench::Timing cat_s = bench::time_runs(
      flags.repetitions,
      [&] {
        if (std::system(cat.c_str()) != 0) std::exit(1);
      },
      clean);
  bench::print_figure_header();
  bench::print_figure("cat", cat_s, mb);
  const std::string durable_cat = cat + " && sync '" + dir + "/copy.txt' '" + dir + "'";
  const bench::Timing durable_s = bench::time_runs(
      flags.repetitions,
      [&] {
        if (std::system(durable_cat.c_str()) != 0) std::exit(1);
      },
      clean);
  bench::print_figure("cat, then sync", durable_s, mb);

  bench::Timing write_s[3];
  for (int workers : {1, 2}) {
    RunnerOptions options;
    options.num_workers = workers;
    const LocalRunner runner(options);
    TextSinkOptions sink;
    sink.file_name_suffix = ".txt";
    write_s[workers] = bench::time_runs(
        flags.repetitions,
        [&] {
          const auto result = runner.run(WriteToText(dir + "/out", sink), records);
          if (result.outputs.size() != static_cast<std::size_t>(workers)) std::exit(4);
        },
        clean);
    bench::print_figure(workers == 1 ? "WriteToText, 1 worker" : "WriteToText, 2 workers",
                        write_s[workers], mb);
  }
  std::printf("1 worker / durable copy throughput: %.2fx (target >= 0.5x)\n",
              durable_s.median / write_s[1].median);
  std::printf("2 workers / durable copy throughput: %.2fx\n", durable_s.median / write_s[2].median);
  std::printf("1 worker / cat throughput: %.2fx (cat does not sync)\n",
              cat_s.median / write_s[1].median);
  std::printf("2 workers / cat throughput: %.2fx\n", cat_s.median / write_s[2].median);
  std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace splitcheck

int main(int argc, char** argv) { return splitcheck::run(argc, argv); }
