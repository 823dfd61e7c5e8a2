// The runner over CountingSource: exactly once, whatever the workers, the
// dynamic splits and the failures.

#include "splitcheck/examples/counting/read_from_counting_source.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <numeric>
#include <vector>

#include "gtest/gtest.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/lib/runner/seeded_schedule.h"
#include "splitcheck/lib/sources/concat_source.h"

namespace splitcheck::examples {
namespace {

std::vector<std::int64_t> iota(std::int64_t n) {
  std::vector<std::int64_t> v(static_cast<std::size_t>(n));
  std::iota(v.begin(), v.end(), 0);
  return v;
}

std::vector<std::int64_t> sorted(std::vector<std::int64_t> v) {
  std::sort(v.begin(), v.end());
  return v;
}

RunnerOptions seeded(int workers, std::uint64_t seed, double failure_probability) {
  RunnerOptions options;
  options.num_workers = workers;
  options.max_attempts = 3;
  options.policy = std::make_shared<SeededSchedule>(
      seed, SeededSchedule::Options{.split_probability = 0.02,
                                    .failure_probability = failure_probability,
                                    .max_failed_attempts = 2});
  return options;
}

TEST(ReadFromCountingSourceTest, ExactlyOnceWithIdleRebalancing) {
  for (int workers = 1; workers <= 8; ++workers) {
    SCOPED_TRACE("workers " + std::to_string(workers));
    RunnerOptions options;
    options.num_workers = workers;
    options.desired_bundle_size = 7000;  // few bundles: idle workers must split
    const auto result = LocalRunner(options).run(ReadFromCountingSource(20000));
    EXPECT_EQ(sorted(result.records), iota(20000));
    EXPECT_EQ(result.stats.records, 20000);
  }
}

TEST(ReadFromCountingSourceTest, ExactlyOnceUnderSeededSplitsAndFailures) {
  std::int64_t splits = 0;
  std::int64_t failures = 0;
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    for (int workers : {1, 2, 3, 8}) {
      SCOPED_TRACE("seed " + std::to_string(seed) + ", workers " + std::to_string(workers));
      const auto result =
          LocalRunner(seeded(workers, seed, 0.002)).run(ReadFromCountingSource(3000));
      EXPECT_EQ(sorted(result.records), iota(3000));
      splits += result.stats.splits_accepted;
      failures += result.stats.injected_failures;
    }
  }
  // The schedules did exercise both mechanisms.
  EXPECT_GT(splits, 100);
  EXPECT_GT(failures, 10);
}

TEST(ReadFromCountingSourceTest, SameSeedSameRunWhateverTheWorkers) {
  RunnerOptions one_worker = seeded(1, 42, 0.002);
  RunnerOptions eight_workers = seeded(8, 42, 0.002);
  one_worker.desired_bundle_size = eight_workers.desired_bundle_size = 500;
  const auto one = LocalRunner(one_worker).run(ReadFromCountingSource(3000));
  const auto eight = LocalRunner(eight_workers).run(ReadFromCountingSource(3000));
  EXPECT_EQ(one.records, eight.records);
  ASSERT_EQ(one.bundles.size(), eight.bundles.size());
  for (std::size_t i = 0; i < one.bundles.size(); ++i) {
    EXPECT_EQ(one.bundles[i].id, eight.bundles[i].id);
    EXPECT_EQ(one.bundles[i].records, eight.bundles[i].records);
    EXPECT_EQ(one.bundles[i].attempts, eight.bundles[i].attempts);
  }
  EXPECT_EQ(one.stats.splits_accepted, eight.stats.splits_accepted);
  EXPECT_GT(one.stats.splits_accepted, 0);
}

TEST(ReadFromCountingSourceTest, ConcatOfCountingSourcesExactlyOnce) {
  using Sub = std::shared_ptr<const BoundedSource<std::int64_t>>;
  const std::vector<Sub> subs = {std::make_shared<internal::CountingSource>(500),
                                 std::make_shared<internal::CountingSource>(0),
                                 std::make_shared<internal::CountingSource>(1200),
                                 std::make_shared<internal::CountingSource>(1)};
  std::vector<std::int64_t> expected;
  for (std::int64_t n : {500, 0, 1200, 1}) {
    const auto part = iota(n);
    expected.insert(expected.end(), part.begin(), part.end());
  }
  std::sort(expected.begin(), expected.end());
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    for (int workers : {1, 4}) {
      SCOPED_TRACE("seed " + std::to_string(seed) + ", workers " + std::to_string(workers));
      RunnerOptions options = seeded(workers, seed, 0.002);
      options.desired_bundle_size = 400;
      const auto result = LocalRunner(options).run(Read<std::int64_t, ConcatPosition<std::int64_t>>(
          std::make_shared<ConcatSource<std::int64_t>>(subs)));
      EXPECT_EQ(sorted(result.records), expected);
    }
  }
}

}  // namespace
}  // namespace splitcheck::examples
