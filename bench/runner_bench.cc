// Records per second of Read(CountingSource) through the LocalRunner with 1
// and 2 workers, into a ReadResult and streamed to a ReadOutput, beside a bare
// loop that produces the same values into a growing vector (as ReadResult
// does) and the source's reader alone on one thread, measured in the same
// run. Target (issue 21): the runner at 1 worker within 1.5x of the bare
// loop. Also the runner's splittable DoFn path (run_sdf) on the same input,
// the counting source through BoundedSourceDoFn and a DoFn over an
// OffsetRange: target (issue 23) within 2x of the BoundedSource path. Prints
// min, median and max of 5 repetitions and ratios of medians.
//
//   ./bazelw run -c opt //bench:runner_bench

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "benchmark/benchmark.h"
#include "splitcheck/bench/recording_reporter.h"
#include "splitcheck/examples/counting/counting_dofn.h"
#include "splitcheck/examples/counting/read_from_counting_source.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/lib/runner/read_output.h"
#include "splitcheck/lib/sdf/bounded_source_dofn.h"

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

// The same loop on a thread of its own, as the runner's workers are: its
// vector grows in a thread arena of malloc, which keeps memory between runs,
// where the main thread's arena gives it back and faults it in again (about
// 5,000 page faults per run here). Starting the thread is timed too (tens of
// microseconds).
void BM_BareLoopOnAThread(benchmark::State& state) {
  for (auto _ : state) {
    std::thread([] {
      std::vector<std::int64_t> records;
      for (std::int64_t i = 0; i < kRecords; ++i) records.push_back(i);
      benchmark::DoNotOptimize(records.data());
      benchmark::ClobberMemory();
    }).join();
  }
  state.SetItemsProcessed(state.iterations() * kRecords);
}
BENCHMARK(BM_BareLoopOnAThread)->Unit(benchmark::kMillisecond)->UseRealTime();

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

// The reader alone: CountingSource's read() over the whole range on this
// thread, values pushed into a growing vector. What the runner adds to a
// source is the difference between this and BM_Runner/1.
void BM_ReaderAlone(benchmark::State& state) {
  const auto source = examples::ReadFromCountingSource(kRecords).source();
  for (auto _ : state) {
    auto tracker = source->get_range_tracker(std::nullopt, std::nullopt);
    std::vector<std::int64_t> records;
    for (std::int64_t value : source->read(*tracker)) records.push_back(value);
    benchmark::DoNotOptimize(records.data());
  }
  state.SetItemsProcessed(state.iterations() * kRecords);
}
BENCHMARK(BM_ReaderAlone)->Unit(benchmark::kMillisecond)->UseRealTime();

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

// Sums each attempt's values and publishes the sum on commit: nothing held.
class SumOutput final : public ReadOutput<std::int64_t> {
 public:
  std::unique_ptr<AttemptOutput<std::int64_t>> open(const AttemptInfo&) override {
    return std::make_unique<Attempt>(&sum_);
  }
  std::int64_t sum() const { return sum_.load(); }

 private:
  class Attempt final : public AttemptOutput<std::int64_t> {
   public:
    explicit Attempt(std::atomic<std::int64_t>* sum) : sum_(sum) {}
    void add(std::int64_t&& value) override { local_ += value; }
    void commit() override { *sum_ += local_; }
    void discard() noexcept override {}

   private:
    std::atomic<std::int64_t>* const sum_;
    std::int64_t local_ = 0;
  };
  std::atomic<std::int64_t> sum_{0};
};

void BM_RunnerStreaming(benchmark::State& state) {
  RunnerOptions options;
  options.num_workers = static_cast<int>(state.range(0));
  const LocalRunner runner(options);
  for (auto _ : state) {
    SumOutput output;
    runner.run(examples::ReadFromCountingSource(kRecords), output);
    if (output.sum() != kRecords * (kRecords - 1) / 2) state.SkipWithError("wrong sum");
  }
  state.SetItemsProcessed(state.iterations() * kRecords);
}
BENCHMARK(BM_RunnerStreaming)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_RunnerSdfBoundedSource(benchmark::State& state) {
  RunnerOptions options;
  options.num_workers = static_cast<int>(state.range(0));
  const LocalRunner runner(options);
  const BoundedSourceDoFn<std::int64_t, std::int64_t> dofn;
  const std::vector<std::shared_ptr<const BoundedSource<std::int64_t>>> elements = {
      examples::ReadFromCountingSource(kRecords).source()};
  for (auto _ : state) {
    auto result = runner.run_sdf(dofn, elements);
    if (static_cast<std::int64_t>(result.outputs.size()) != kRecords) {
      state.SkipWithError("wrong count");
    }
  }
  state.SetItemsProcessed(state.iterations() * kRecords);
}
BENCHMARK(BM_RunnerSdfBoundedSource)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_RunnerSdfOffsets(benchmark::State& state) {
  RunnerOptions options;
  options.num_workers = static_cast<int>(state.range(0));
  const LocalRunner runner(options);
  const examples::CountingDoFn dofn;  // examples/counting/counting_dofn.h
  const std::vector<std::int64_t> elements = {kRecords};
  for (auto _ : state) {
    auto result = runner.run_sdf(dofn, elements);
    if (static_cast<std::int64_t>(result.outputs.size()) != kRecords) {
      state.SkipWithError("wrong count");
    }
  }
  state.SetItemsProcessed(state.iterations() * kRecords);
}
BENCHMARK(BM_RunnerSdfOffsets)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace splitcheck

int main(int argc, char** argv) {
  splitcheck::bench::RecordingReporter reporter;
  if (!splitcheck::bench::run_benchmarks(argc, argv, reporter)) return 1;
  const double bare = reporter.time("BM_BareLoop/real_time");
  const double reserved = reporter.time("BM_BareLoopReserved/real_time");
  const double on_a_thread = reporter.time("BM_BareLoopOnAThread/real_time");
  const double alone = reporter.time("BM_ReaderAlone/real_time");
  const double one = reporter.time("BM_Runner/1/real_time");
  const double two = reporter.time("BM_Runner/2/real_time");
  const double stream_one = reporter.time("BM_RunnerStreaming/1/real_time");
  const double stream_two = reporter.time("BM_RunnerStreaming/2/real_time");
  const double sdf_source = reporter.time("BM_RunnerSdfBoundedSource/1/real_time");
  const double sdf_offsets = reporter.time("BM_RunnerSdfOffsets/1/real_time");
  if (one > 0 && sdf_source > 0 && sdf_offsets > 0) {
    std::printf(
        "\nrun_sdf, 1 worker, BoundedSourceDoFn / run(Read), 1 worker: %.2fx "
        "(target <= 2.00x: %s)\n",
        sdf_source / one, sdf_source / one <= 2.0 ? "met" : "NOT met");
    std::printf(
        "run_sdf, 1 worker, a DoFn over an OffsetRange / run(Read), 1 worker: %.2fx "
        "(target <= 2.00x: %s)\n",
        sdf_offsets / one, sdf_offsets / one <= 2.0 ? "met" : "NOT met");
  }
  if (bare <= 0 || one <= 0) return 0;  // filtered out
  std::printf("\nratios of medians:\n");
  std::printf("runner, 1 worker / bare loop into a growing vector: %.2fx (target <= 1.50x: %s)\n",
              one / bare, one / bare <= 1.5 ? "met" : "NOT met");
  if (on_a_thread > 0) {
    std::printf("runner, 1 worker / the bare loop on a thread of its own: %.2fx\n",
                one / on_a_thread);
  }
  if (alone > 0) {
    std::printf("reader alone (tracker + coroutine, no runner) / bare loop: %.2fx\n", alone / bare);
    std::printf("runner, 1 worker / reader alone: %.2fx (what the runner adds)\n", one / alone);
  }
  if (two > 0) std::printf("runner, 2 workers / bare loop: %.2fx\n", two / bare);
  if (reserved > 0) {
    std::printf("runner, 1 worker / bare loop into a reserved vector: %.2fx\n", one / reserved);
  }
  if (stream_one > 0 && stream_two > 0) {
    std::printf("streaming, 1 worker / bare loop: %.2fx; 2 workers: %.2fx\n", stream_one / bare,
                stream_two / bare);
    std::printf("streaming, 2 workers / 1 worker throughput: %.2fx\n", stream_one / stream_two);
  }
  return 0;
}
