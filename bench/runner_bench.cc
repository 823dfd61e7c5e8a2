// Records per second of Read(CountingSource) through the LocalRunner with 1
// and 2 workers, beside a bare loop that produces the same values into a
// growing vector, as the runner does, measured in the same run. Target: the runner's cost per
// record within 5x of the bare loop at 1 worker. Prints the ratios after the table.
//
//   ./bazelw run -c opt //bench:runner_bench

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "splitcheck/bench/recording_reporter.h"
#include "splitcheck/examples/counting/read_from_counting_source.h"
#include "splitcheck/lib/runner/local_runner.h"

namespace splitcheck {
namespace {

constexpr std::int64_t kRecords = 1 << 20;

void BM_BareLoop(benchmark::State& state) {
  for (auto _ : state) {
    std::vector<std::int64_t> records;
    for (std::int64_t i = 0; i < kRecords; ++i) records.push_back(i);
    benchmark::DoNotOptimize(records.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * kRecords);
}
BENCHMARK(BM_BareLoop)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same with the vector's memory reserved up front: the floor of any
// loop that delivers the records, shown for context.
void BM_BareLoopReserved(benchmark::State& state) {
  for (auto _ : state) {
    std::vector<std::int64_t> records;
    records.reserve(kRecords);
    for (std::int64_t i = 0; i < kRecords; ++i) records.push_back(i);
    benchmark::DoNotOptimize(records.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * kRecords);
}
BENCHMARK(BM_BareLoopReserved)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Runner(benchmark::State& state) {
  RunnerOptions options;
  options.num_workers = static_cast<int>(state.range(0));
  const LocalRunner runner(options);
  for (auto _ : state) {
    auto result = runner.run(examples::ReadFromCountingSource(kRecords));
    benchmark::DoNotOptimize(result.records.data());
  }
  state.SetItemsProcessed(state.iterations() * kRecords);
}
BENCHMARK(BM_Runner)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace splitcheck

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  splitcheck::bench::RecordingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  const double bare = reporter.time("BM_BareLoop/real_time");
  const double one = reporter.time("BM_Runner/1/real_time");
  const double two = reporter.time("BM_Runner/2/real_time");
  const double reserved = reporter.time("BM_BareLoopReserved/real_time");
  if (bare <= 0 || one <= 0) return 0;  // filtered out
  std::printf("\nrunner, 1 worker / bare loop: %.2fx per record (target <= 5.00x: %s)\n",
              one / bare, one / bare <= 5.0 ? "met" : "NOT met");
  if (two > 0) {
    std::printf("runner, 2 workers / bare loop: %.2fx per record (no target)\n", two / bare);
  }
  if (reserved > 0) {
    std::printf("runner, 1 worker / bare loop into a reserved vector: %.2fx (no target)\n",
                one / reserved);
  }
  return 0;
}
