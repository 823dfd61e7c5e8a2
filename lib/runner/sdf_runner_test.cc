// Splittable DoFns through LocalRunner::run_sdf: every output exactly once
// under seeds, worker counts, forced splits and failures; checkpoints
// rescheduled with their watermark; a DoFn that leaves work unclaimed fails
// the run; a BoundedSource through BoundedSourceDoFn reads what run(Read)
// reads. Run it under --config=tsan too.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "splitcheck/lib/internal/in_memory_source.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/lib/runner/scripted_schedule.h"
#include "splitcheck/lib/runner/seeded_schedule.h"
#include "splitcheck/lib/sdf/bounded_source_dofn.h"
#include "splitcheck/lib/sdf/growable_offset_restriction_tracker.h"
#include "splitcheck/lib/sdf/offset_restriction_tracker.h"
#include "splitcheck/lib/sdf/splittable_dofn.h"
#include "splitcheck/testkit/error_matchers.h"

namespace splitcheck {
namespace {

using ::splitcheck::testkit::ErrorOf;
using ::splitcheck::testkit::UsageErrorOf;
using ::testing::HasSubstr;

// Element n: the offsets [0, n), each output as element * 1000 + offset at
// timestamp offset. Claims at most `per_call` offsets per process call, then
// checkpoints (0: no limit). `lazy`: returns after half of its range.
class CountingDoFn final
    : public SplittableDoFn<std::int64_t, std::int64_t, OffsetRange, std::int64_t> {
 public:
  // Called at the start of each process call with the restriction's start
  // and the watermark the estimator starts from.
  using OnEntry = std::function<void(std::int64_t from, Timestamp watermark)>;

  explicit CountingDoFn(int per_call = 0, bool lazy = false, OnEntry on_entry = nullptr)
      : per_call_(per_call), lazy_(lazy), on_entry_(std::move(on_entry)) {}

  OffsetRange initial_restriction(const std::int64_t& n) const override { return {0, n}; }
  std::vector<OffsetRange> split_restriction(const std::int64_t&, const OffsetRange& r,
                                             double desired) const override {
    std::vector<OffsetRange> parts;
    const auto step = std::max<std::int64_t>(1, static_cast<std::int64_t>(desired));
    for (std::int64_t from = r.from; from < r.to; from += step) {
      parts.push_back({from, std::min(r.to, from + step)});
    }
    if (parts.empty()) parts.push_back(r);
    return parts;
  }
  double restriction_size(const std::int64_t&, const OffsetRange& r) const override {
    return static_cast<double>(r.size());
  }
  std::unique_ptr<RestrictionTracker<OffsetRange, std::int64_t>> new_tracker(
      const std::int64_t&, const OffsetRange& r) const override {
    return std::make_unique<OffsetRestrictionTracker>(r);
  }
  ProcessContinuation process(const std::int64_t& element,
                              RestrictionTracker<OffsetRange, std::int64_t>& tracker,
                              WatermarkEstimator& watermark,
                              SdfOutput<std::int64_t>& out) const override {
    const OffsetRange r = tracker.current_restriction();
    if (on_entry_) on_entry_(r.from, watermark.current_watermark());
    int claimed = 0;
    for (std::int64_t i = r.from;; ++i) {
      if (lazy_ && i >= r.from + r.size() / 2 && r.size() > 1) return ProcessContinuation::stop();
      if (per_call_ > 0 && claimed == per_call_) return ProcessContinuation::resume_after();
      if (!tracker.try_claim(i)) return ProcessContinuation::stop();
      ++claimed;
      out.output(element * 1000 + i, i);
      dynamic_cast<ManualWatermarkEstimator&>(watermark).set_watermark(i);
    }
  }
  std::string debug_string() const override { return "CountingDoFn"; }

 private:
  const int per_call_;
  const bool lazy_;
  const OnEntry on_entry_;
};

std::vector<std::int64_t> expected(const std::vector<std::int64_t>& elements) {
  std::vector<std::int64_t> out;
  for (const std::int64_t n : elements) {
    for (std::int64_t i = 0; i < n; ++i) out.push_back(n * 1000 + i);
  }
  return out;
}

std::vector<std::int64_t> values(const SdfResult<std::int64_t>& r) {
  std::vector<std::int64_t> out;
  for (const auto& v : r.outputs) out.push_back(v.value);
  return out;
}

TEST(SdfRunnerTest, EveryOutputExactlyOnceUnderSplitsAndFailures) {
  const std::vector<std::int64_t> elements = {0, 1, 7, 100, 250};
  const CountingDoFn dofn;
  for (const int workers : {1, 2, 4}) {
    for (std::uint64_t seed = 1; seed <= 8; ++seed) {
      RunnerOptions o;
      o.num_workers = workers;
      o.max_attempts = 10;
      o.policy = std::make_shared<SeededSchedule>(
          seed,
          SeededSchedule::Options{
              .split_probability = 0.05, .failure_probability = 0.02, .max_failed_attempts = 3});
      const SdfResult<std::int64_t> r = LocalRunner(o).run_sdf(dofn, elements);
      std::vector<std::int64_t> got = values(r);
      std::sort(got.begin(), got.end());
      ASSERT_EQ(got, expected(elements)) << "seed " << seed << ", " << workers << " workers";
      EXPECT_EQ(r.stats.outputs, static_cast<std::int64_t>(got.size()));
      EXPECT_EQ(r.stats.items, static_cast<std::int64_t>(r.items.size()));
      EXPECT_EQ(r.stats.attempts, r.stats.items + r.stats.failed_attempts);
    }
  }
}

TEST(SdfRunnerTest, IdleWorkersSplitRunningItems) {
  RunnerOptions o;
  o.num_workers = 4;
  o.desired_bundle_size = 1 << 20;  // one item: only dynamic splits spread it
  const std::vector<std::int64_t> elements = {200000};
  const SdfResult<std::int64_t> r = LocalRunner(o).run_sdf(CountingDoFn(), elements);
  std::vector<std::int64_t> got = values(r);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, expected(elements));
  EXPECT_EQ(r.stats.initial_items, 1);
}

TEST(SdfRunnerTest, ScriptedSplitsNameTheirResiduals) {
  RunnerOptions o;
  o.num_workers = 1;
  o.desired_bundle_size = 1000;
  o.policy = std::make_shared<ScriptedSchedule>(std::vector<ScheduledSplit>{{"0", 1, 10, 0.5}},
                                                std::vector<ScheduledFailure>{});
  const SdfResult<std::int64_t> r = LocalRunner(o).run_sdf(CountingDoFn(), {std::int64_t{100}});
  ASSERT_EQ(r.items.size(), 2u);
  EXPECT_EQ(r.items[0].id, "0");
  // After the claim of 9, cur = 9: 9 + floor((100 - 9) * 0.5) = 54.
  EXPECT_EQ(r.items[0].outputs, 54);
  EXPECT_EQ(r.items[0].splits, 1);
  EXPECT_EQ(r.items[1].id, "0.1");
  EXPECT_EQ(values(r), expected({100}));
}

TEST(SdfRunnerTest, AFailedAttemptsOutputsAreDiscardedAndCounted) {
  RunnerOptions o;
  o.num_workers = 1;
  o.desired_bundle_size = 1000;
  o.policy = std::make_shared<ScriptedSchedule>(std::vector<ScheduledSplit>{},
                                                std::vector<ScheduledFailure>{{"0", 1, 5}});
  const SdfResult<std::int64_t> r = LocalRunner(o).run_sdf(CountingDoFn(), {std::int64_t{20}});
  EXPECT_EQ(values(r), expected({20}));
  EXPECT_EQ(r.stats.failed_attempts, 1);
  EXPECT_EQ(r.stats.discarded_outputs, 5);
  ASSERT_EQ(r.items.size(), 1u);
  EXPECT_EQ(r.items[0].attempts, 2);
}

TEST(SdfRunnerTest, CheckpointsResumeWithTheirWatermark) {
  RunnerOptions o;
  o.num_workers = 2;
  o.desired_bundle_size = 1000;  // one item per element
  std::mutex mu;
  std::map<std::int64_t, Timestamp> at_entry;  // restriction start -> watermark
  const CountingDoFn dofn(/*per_call=*/3, false, [&](std::int64_t from, Timestamp w) {
    std::lock_guard<std::mutex> lock(mu);
    at_entry[from] = w;
  });
  const std::vector<std::int64_t> elements = {10};
  const SdfResult<std::int64_t> r = LocalRunner(o).run_sdf(dofn, elements);
  EXPECT_EQ(values(r), expected(elements));
  EXPECT_EQ(r.stats.checkpoints, 3);  // [0, 3) [3, 6) [6, 9) [9, 10)
  ASSERT_EQ(r.items.size(), 4u);
  EXPECT_EQ(r.items[1].id, "0.1");
  EXPECT_EQ(r.items[3].id, "0.1.1.1");
  EXPECT_TRUE(r.items[0].checkpointed);
  EXPECT_FALSE(r.items[3].checkpointed);
  // Each resumed call starts from the watermark its checkpoint saved: the
  // last offset the call before it claimed.
  EXPECT_EQ(at_entry,
            (std::map<std::int64_t, Timestamp>{{0, kMinTimestamp}, {3, 2}, {6, 5}, {9, 8}}));
}

TEST(SdfRunnerTest, ADoFnThatLeavesWorkUnclaimedFailsTheRun) {
  EXPECT_THAT(UsageErrorOf([] {
                LocalRunner(RunnerOptions{.num_workers = 1})
                    .run_sdf(CountingDoFn(0, /*lazy=*/true), {std::int64_t{10}});
              }),
              HasSubstr("are unclaimed"));
}

TEST(SdfRunnerTest, ABoundedSourceReadsAsThroughRead) {
  std::vector<std::string> records;
  for (int i = 0; i < 500; ++i) records.push_back("r" + std::to_string(i));
  const auto source = std::make_shared<const internal::InMemorySource<std::string>>(records);
  const BoundedSourceDoFn<std::string, std::int64_t> dofn;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    RunnerOptions o;
    o.num_workers = 3;
    o.max_attempts = 10;
    o.policy = std::make_shared<SeededSchedule>(
        seed, SeededSchedule::Options{.split_probability = 0.02, .failure_probability = 0.01});
    const std::vector<std::shared_ptr<const BoundedSource<std::string>>> elements = {source};
    const auto r = LocalRunner(o).run_sdf(dofn, elements);
    std::vector<std::string> got;
    for (const auto& v : r.outputs) got.push_back(v.value);
    std::sort(got.begin(), got.end());
    std::vector<std::string> want =
        LocalRunner(o).run(Read(std::shared_ptr<const BoundedSource<std::string>>(source))).records;
    std::sort(want.begin(), want.end());
    EXPECT_EQ(got, want) << "seed " << seed;
  }
}

// A log read until it is closed, whose end estimator fails: an idle
// worker's split asks it, and the run must stop with that error (not
// terminate the process).
class FailingLogDoFn final
    : public SplittableDoFn<std::int64_t, std::int64_t, OffsetRange, std::int64_t> {
 public:
  OffsetRange initial_restriction(const std::int64_t&) const override {
    return {0, kOffsetInfinity};
  }
  double restriction_size(const std::int64_t&, const OffsetRange&) const override { return 1; }
  std::unique_ptr<RestrictionTracker<OffsetRange, std::int64_t>> new_tracker(
      const std::int64_t&, const OffsetRange& r) const override {
    return std::make_unique<GrowableOffsetRestrictionTracker>(
        r, []() -> std::int64_t { throw InputError("the log's end offset is unavailable"); });
  }
  ProcessContinuation process(const std::int64_t& n,
                              RestrictionTracker<OffsetRange, std::int64_t>& tracker,
                              WatermarkEstimator&, SdfOutput<std::int64_t>& out) const override {
    for (std::int64_t i = tracker.current_restriction().from; i < n; ++i) {
      if (!tracker.try_claim(i)) return ProcessContinuation::stop();
      out.output(i, i);
      std::this_thread::sleep_for(std::chrono::microseconds(50));  // others go idle
    }
    tracker.try_claim(kOffsetInfinity);  // the log is closed
    return ProcessContinuation::stop();
  }
  std::string debug_string() const override { return "FailingLogDoFn"; }
};

TEST(SdfRunnerTest, ASplitThatThrowsStopsTheRunWithItsError) {
  RunnerOptions o;
  o.num_workers = 2;
  EXPECT_THAT(
      ErrorOf<InputError>([&] { LocalRunner(o).run_sdf(FailingLogDoFn(), {std::int64_t{2000}}); }),
      HasSubstr("the log's end offset is unavailable"));
}

TEST(SdfRunnerTest, WorkerProcessesAreRefusedForNow) {
  RunnerOptions o;
  o.worker_processes = true;
  EXPECT_THAT(UsageErrorOf([&] { LocalRunner(o).run_sdf(CountingDoFn(), {std::int64_t{3}}); }),
              HasSubstr("worker processes"));
}

}  // namespace
}  // namespace splitcheck
