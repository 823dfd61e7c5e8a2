// try_claim throughput of OffsetRangeTracker and of the splittable DoFns'
// OffsetRestrictionTracker, uncontended and (the range tracker) with a thread
// splitting and asking for progress, beside a bare std::mutex lock/unlock
// pair measured in the same run, in a process that has started a thread (as
// any runner has: glibc's std::mutex skips its atomics until then). Target:
// an uncontended try_claim of either within 2x of the lock/unlock pair. Prints min,
// median and max of 5 repetitions and the ratios of medians.
//
//   ./bazelw run -c opt //bench:tracker_bench

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "benchmark/benchmark.h"
#include "splitcheck/bench/recording_reporter.h"
#include "splitcheck/lib/sdf/offset_restriction_tracker.h"
#include "splitcheck/lib/trackers/offset_range_tracker.h"

namespace splitcheck {
namespace {

constexpr std::int64_t kStop = std::int64_t{1} << 62;

void BM_MutexLockUnlock(benchmark::State& state) {
  std::mutex mu;
  for (auto _ : state) {
    mu.lock();
    mu.unlock();
  }
}
BENCHMARK(BM_MutexLockUnlock);

void BM_TryClaimUncontended(benchmark::State& state) {
  OffsetRangeTracker tracker(0, kStop);
  std::int64_t position = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(tracker.try_claim(position++));
  }
}
BENCHMARK(BM_TryClaimUncontended);

void BM_RestrictionTryClaimUncontended(benchmark::State& state) {
  OffsetRestrictionTracker tracker(OffsetRange{0, kStop});
  std::int64_t position = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(tracker.try_claim(position++));
  }
}
BENCHMARK(BM_RestrictionTryClaimUncontended);

// A second thread keeps asking for progress and splitting near the stop, as a
// runner's monitor and rebalancer would, while this thread claims.
void BM_TryClaimWithSplitterAndMonitor(benchmark::State& state) {
  OffsetRangeTracker tracker(0, kStop);
  std::atomic<bool> stop{false};
  std::thread other([&] {
    std::int64_t splits = 0;
    while (!stop.load(std::memory_order_relaxed)) {
      benchmark::DoNotOptimize(tracker.fraction_consumed());
      benchmark::DoNotOptimize(tracker.split_points());
      if (tracker.try_split(kStop - 1 - splits)) ++splits;
    }
  });
  std::int64_t position = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(tracker.try_claim(position++));
  }
  stop = true;
  other.join();
}
BENCHMARK(BM_TryClaimWithSplitterAndMonitor)->UseRealTime();

}  // namespace
}  // namespace splitcheck

int main(int argc, char** argv) {
  splitcheck::bench::RecordingReporter reporter;
  if (!splitcheck::bench::run_benchmarks(argc, argv, reporter)) return 1;

  const double lock = reporter.time("BM_MutexLockUnlock");
  const double uncontended = reporter.time("BM_TryClaimUncontended");
  const double contended = reporter.time("BM_TryClaimWithSplitterAndMonitor/real_time");
  if (lock <= 0 || uncontended <= 0) return 0;  // filtered out
  const double ratio = uncontended / lock;
  std::printf("\ntry_claim uncontended / mutex lock+unlock: %.2fx (target <= 2.00x: %s)\n", ratio,
              ratio <= 2.0 ? "met" : "NOT met");
  const double restriction = reporter.time("BM_RestrictionTryClaimUncontended");
  if (restriction > 0) {
    std::printf(
        "OffsetRestrictionTracker::try_claim uncontended / mutex lock+unlock: %.2fx "
        "(target <= 2.00x: %s)\n",
        restriction / lock, restriction / lock <= 2.0 ? "met" : "NOT met");
  }
  if (contended > 0) {
    std::printf("try_claim with splitter+monitor / mutex lock+unlock: %.2fx (no target)\n",
                contended / lock);
  }
  return 0;
}
