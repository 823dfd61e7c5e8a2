#include "splitcheck/lib/runner/local_runner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/internal/in_memory_source.h"
#include "splitcheck/lib/runner/scripted_schedule.h"
#include "splitcheck/lib/runner/seeded_schedule.h"
#include "splitcheck/lib/sources/concat_source.h"
#include "splitcheck/lib/trackers/offset_range_tracker.h"
#include "splitcheck/testkit/error_matchers.h"

namespace splitcheck {
namespace {

using internal::InMemorySource;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testkit::ErrorOf;
using testkit::UsageErrorOf;

std::vector<std::string> words(int n) { return internal::numbered_strings(n); }

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

Read<std::string> read_words(int n) {
  return Read<std::string>(std::make_shared<InMemorySource<std::string>>(words(n)));
}

RunnerOptions with_policy(int workers, std::shared_ptr<const RunnerPolicy> policy) {
  RunnerOptions options;
  options.num_workers = workers;
  options.policy = std::move(policy);
  return options;
}

std::vector<std::string> ids(const ReadResult<std::string>& result) {
  std::vector<std::string> out;
  for (const auto& b : result.bundles) out.push_back(b.id);
  return out;
}

TEST(LocalRunnerTest, ReadsEverythingOnceWithAnyNumberOfWorkers) {
  for (int workers = 1; workers <= 8; ++workers) {
    SCOPED_TRACE("workers " + std::to_string(workers));
    RunnerOptions options;
    options.num_workers = workers;
    const auto result = LocalRunner(options).run(read_words(1000));
    EXPECT_EQ(sorted(result.records), sorted(words(1000)));
    EXPECT_EQ(result.stats.records, 1000);
    EXPECT_EQ(result.stats.workers, workers);
  }
}

TEST(LocalRunnerTest, ScriptedSplitsMakeTheExpectedBundles) {
  RunnerOptions options =
      with_policy(2, std::make_shared<ScriptedSchedule>(
                         std::vector<ScheduledSplit>{{"0", 1, 10, 0.5}, {"0.1", 1, 5, 0.5}},
                         std::vector<ScheduledFailure>{}));
  options.desired_bundle_size = 100;
  const auto result = LocalRunner(options).run(read_words(200));
  // Bundle 0 is [0, 100). After 10 records (last claim 9) it has consumed
  // 0.09; half of the rest is 0.545, position 55. Its residual 0.1 is
  // [55, 100); after 5 records (last claim 59) it has consumed 4/45, and half
  // of the rest lands at 55 + ceil(0.5444 * 45) = 80.
  EXPECT_THAT(ids(result), ElementsAre("0", "0.1", "0.1.1", "1"));
  EXPECT_EQ(result.bundles[0].records, 55);
  EXPECT_EQ(result.bundles[0].splits, 1);
  EXPECT_EQ(result.bundles[1].records, 25);
  EXPECT_EQ(result.bundles[2].records, 20);
  EXPECT_EQ(result.bundles[3].records, 100);
  EXPECT_EQ(result.records, words(200));  // bundles in id order happen to keep order here
  EXPECT_EQ(result.stats.splits_asked, 2);
  EXPECT_EQ(result.stats.splits_accepted, 2);
  EXPECT_EQ(result.stats.residual_bundles, 2);
}

TEST(LocalRunnerTest, ARetryDiscardsTheFailedAttemptsOutput) {
  RunnerOptions options = with_policy(
      1, std::make_shared<ScriptedSchedule>(std::vector<ScheduledSplit>{},
                                            std::vector<ScheduledFailure>{{"0", 1, 5}}));
  const auto result = LocalRunner(options).run(read_words(20));
  EXPECT_EQ(result.records, words(20));
  EXPECT_EQ(result.stats.failed_attempts, 1);
  EXPECT_EQ(result.stats.injected_failures, 1);
  EXPECT_EQ(result.stats.discarded_records, 5);
  EXPECT_EQ(result.stats.attempts, 2);
  EXPECT_EQ(result.bundles[0].attempts, 2);
}

TEST(LocalRunnerTest, ARetryAfterASplitReadsOnlyThePrimary) {
  // Bundle 0 splits after 4 records (residual 0.1), then fails after 6: the
  // retry must read [0, split) only, or the residual's records come twice.
  RunnerOptions options = with_policy(
      1, std::make_shared<ScriptedSchedule>(std::vector<ScheduledSplit>{{"0", 1, 4, 0.5}},
                                            std::vector<ScheduledFailure>{{"0", 1, 6}}));
  const auto result = LocalRunner(options).run(read_words(20));
  EXPECT_EQ(sorted(result.records), sorted(words(20)));
  EXPECT_THAT(ids(result), ElementsAre("0", "0.1"));
  EXPECT_EQ(result.bundles[0].records, 12);  // [0, 12): 4 + half of the 16 left
  EXPECT_EQ(result.bundles[0].attempts, 2);
  EXPECT_EQ(result.bundles[1].records, 8);
}

TEST(LocalRunnerTest, ExactlyOnceUnderManySeededSchedules) {
  std::int64_t splits = 0;
  std::int64_t failures = 0;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    for (int workers : {1, 2, 5, 8}) {
      SCOPED_TRACE("seed " + std::to_string(seed) + ", workers " + std::to_string(workers));
      RunnerOptions options =
          with_policy(workers, std::make_shared<SeededSchedule>(
                                   seed, SeededSchedule::Options{.split_probability = 0.03,
                                                                 .failure_probability = 0.005,
                                                                 .max_failed_attempts = 2}));
      options.max_attempts = 3;
      const auto result = LocalRunner(options).run(read_words(1500));
      EXPECT_EQ(sorted(result.records), sorted(words(1500)));
      splits += result.stats.splits_accepted;
      failures += result.stats.injected_failures;
    }
  }
  EXPECT_GT(splits, 100);
  EXPECT_GT(failures, 10);
}

TEST(LocalRunnerTest, ConcatSourceExactlyOnceUnderSeededSchedules) {
  using Sub = std::shared_ptr<const BoundedSource<std::string>>;
  std::vector<Sub> subs;
  std::vector<std::string> expected;
  for (int n : {300, 0, 17, 900, 1}) {
    std::vector<std::string> part;
    for (int i = 0; i < n; ++i) part.push_back(std::to_string(n) + ":" + std::to_string(i));
    expected.insert(expected.end(), part.begin(), part.end());
    subs.push_back(std::make_shared<InMemorySource<std::string>>(part));
  }
  auto concat = std::make_shared<ConcatSource<std::string>>(subs);
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    for (int workers : {1, 3, 8}) {
      SCOPED_TRACE("seed " + std::to_string(seed) + ", workers " + std::to_string(workers));
      RunnerOptions options =
          with_policy(workers, std::make_shared<SeededSchedule>(
                                   seed, SeededSchedule::Options{.split_probability = 0.03,
                                                                 .failure_probability = 0.005}));
      options.desired_bundle_size = 250;
      const auto result = LocalRunner(options).run(Read(concat));
      EXPECT_EQ(sorted(result.records), sorted(expected));
    }
  }
}

// Holds its reader after the first record until someone splits the tracker
// (or a generous timeout passes), so that idle rebalancing is sure to act.
class WaitsForASplit final : public BoundedSource<std::string> {
 public:
  explicit WaitsForASplit(int n)
      : inner_(std::make_shared<InMemorySource<std::string>>(words(n))) {}
  std::int64_t estimate_size() const override { return inner_->estimate_size(); }
  std::vector<SourceBundle<std::string>> split(std::int64_t size, std::optional<std::int64_t> start,
                                               std::optional<std::int64_t> stop) const override {
    std::vector<SourceBundle<std::string>> bundles = inner_->split(size, start, stop);
    for (auto& b : bundles) b.source = self();
    return bundles;
  }
  std::unique_ptr<RangeTracker<std::int64_t>> get_range_tracker(
      std::optional<std::int64_t> start, std::optional<std::int64_t> stop) const override {
    return inner_->get_range_tracker(start, stop);
  }
  Generator<std::string> read(RangeTracker<std::int64_t>& tracker) const override {
    const std::int64_t original_stop = tracker.stop_position();
    bool first = true;
    for (std::string& record : inner_->read(tracker)) {
      co_yield std::move(record);
      if (std::exchange(first, false) && !waited_.exchange(true)) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (tracker.stop_position() == original_stop &&
               std::chrono::steady_clock::now() < deadline) {
          std::this_thread::sleep_for(std::chrono::microseconds(100));
        }
      }
    }
  }

 private:
  std::shared_ptr<InMemorySource<std::string>> inner_;
  mutable std::atomic<bool> waited_{false};
};

TEST(LocalRunnerTest, IdleWorkersSplitARunningBundle) {
  RunnerOptions options;
  options.num_workers = 4;
  options.desired_bundle_size = 1000;  // one bundle for four workers
  const auto result = LocalRunner(options).run(Read(std::make_shared<WaitsForASplit>(1000)));
  EXPECT_EQ(sorted(result.records), sorted(words(1000)));
  EXPECT_GE(result.stats.splits_accepted, 1);
  EXPECT_GE(result.bundles.size(), 2u);
}

class ThrowsInRead final : public BoundedSource<std::string> {
 public:
  std::int64_t estimate_size() const override { return 1; }
  std::vector<SourceBundle<std::string>> split(std::int64_t, std::optional<std::int64_t>,
                                               std::optional<std::int64_t>) const override {
    return {{1.0, self(), std::nullopt, std::nullopt}};
  }
  std::unique_ptr<RangeTracker<std::int64_t>> get_range_tracker(
      std::optional<std::int64_t>, std::optional<std::int64_t>) const override {
    return std::make_unique<OffsetRangeTracker>(0, 10);
  }
  Generator<std::string> read(RangeTracker<std::int64_t>& tracker) const override {
    ++reads;
    if (tracker.try_claim(0)) co_yield "x";
    if (claim_backwards) tracker.try_claim(0);
    if (corrupt) throw CorruptDataError("\"a.gz\": corrupt gzip data");
    if (missing) throw InputError("\"a.txt\": no such file");
    throw std::runtime_error("disk on fire");
  }
  bool claim_backwards = false;
  bool corrupt = false;
  bool missing = false;
  mutable std::atomic<int> reads{0};
};

TEST(LocalRunnerTest, ReadErrorsReachTheCallerUnchangedAfterTheLastAttempt) {
  auto source = std::make_shared<ThrowsInRead>();
  RunnerOptions options;
  options.num_workers = 1;  // no idle worker to split the bundle into more reads
  options.max_attempts = 3;
  EXPECT_EQ(ErrorOf<std::runtime_error>([&] { LocalRunner(options).run(Read(source)); }),
            "disk on fire");
  EXPECT_EQ(source->reads.load(), 3);
}

TEST(LocalRunnerTest, UsageErrorsAreNotRetried) {
  auto source = std::make_shared<ThrowsInRead>();
  source->claim_backwards = true;
  RunnerOptions options;
  options.num_workers = 1;
  EXPECT_THAT(UsageErrorOf([&] { LocalRunner(options).run(Read(source)); }),
              HasSubstr("cannot claim 0 twice"));
  EXPECT_EQ(source->reads.load(), 1);
}

TEST(LocalRunnerTest, CorruptDataIsNotRetried) {
  auto source = std::make_shared<ThrowsInRead>();
  source->corrupt = true;
  RunnerOptions options;
  options.num_workers = 1;
  options.max_attempts = 3;
  EXPECT_THAT(ErrorOf<CorruptDataError>([&] { LocalRunner(options).run(Read(source)); }),
              HasSubstr("corrupt gzip data"));
  EXPECT_EQ(source->reads.load(), 1);
}

TEST(LocalRunnerTest, OtherInputErrorsAreRetried) {
  auto source = std::make_shared<ThrowsInRead>();
  source->missing = true;
  RunnerOptions options;
  options.num_workers = 1;
  options.max_attempts = 3;
  EXPECT_THAT(ErrorOf<InputError>([&] { LocalRunner(options).run(Read(source)); }),
              HasSubstr("no such file"));
  EXPECT_EQ(source->reads.load(), 3);
}

TEST(LocalRunnerTest, GivesUpWithTheInjectedFailureAfterMaxAttempts) {
  RunnerOptions options = with_policy(
      2,
      std::make_shared<ScriptedSchedule>(std::vector<ScheduledSplit>{},
                                         std::vector<ScheduledFailure>{{"0", 1, 3}, {"0", 2, 3}}));
  options.max_attempts = 2;
  EXPECT_EQ(ErrorOf<InjectedFailure>([&] { LocalRunner(options).run(read_words(10)); }),
            "injected failure in bundle 0, attempt 2, after 3 records");
}

class BadFraction final : public RunnerPolicy {
 public:
  bool observes_records() const override { return true; }
  std::optional<double> split_after(const ReadProgress&) const override { return 1.5; }
};

TEST(LocalRunnerTest, BadOptionsAndPoliciesAreUsageErrors) {
  EXPECT_THAT(UsageErrorOf([] { LocalRunner(RunnerOptions{.num_workers = 0}); }),
              HasSubstr("num_workers must be at least 1, got 0"));
  EXPECT_THAT(UsageErrorOf([] { LocalRunner(RunnerOptions{.max_attempts = 0}); }),
              HasSubstr("max_attempts must be at least 1"));
  EXPECT_THAT(UsageErrorOf([] { LocalRunner(RunnerOptions{.desired_bundle_size = -3}); }),
              HasSubstr("desired_bundle_size must be positive, got -3"));
  EXPECT_THAT(UsageErrorOf([] {
                LocalRunner(with_policy(1, std::make_shared<BadFraction>())).run(read_words(3));
              }),
              HasSubstr("split_after returned 1.5 for bundle 0"));
  EXPECT_THAT(UsageErrorOf([] { Read<std::string>(nullptr); }),
              HasSubstr("the source must not be null"));
}

}  // namespace
}  // namespace splitcheck
