// The guide's CountingSource, as written, is wrong. These tests pin down how;
// the source testkit will make the gate reject it by name.

#include "splitcheck/examples/counting/guide_counting_source.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/lib/sources/read.h"
#include "splitcheck/testkit/error_matchers.h"
#include "splitcheck/testkit/source_testkit.h"

namespace splitcheck::examples::broken {
namespace {

using ::splitcheck::testkit::UsageErrorOf;
using ::testing::HasSubstr;

TEST(GuideCountingSourceTest, SplitDoesNotSplitAWholeSource) {
  auto source = std::make_shared<GuideCountingSource>(100);
  const auto bundles = source->split(25, std::nullopt, std::nullopt);
  ASSERT_EQ(bundles.size(), 1u);  // a correct split gives 4 bundles of 25
  EXPECT_EQ(bundles[0].start, 0);
  EXPECT_EQ(bundles[0].stop, 100);
}

TEST(GuideCountingSourceTest, SplitOfASubRangeOverflowsIt) {
  auto source = std::make_shared<GuideCountingSource>(100);
  const auto bundles = source->split(5, 10, 20);
  ASSERT_EQ(bundles.size(), 1u);
  EXPECT_EQ(bundles[0].start, 10);
  EXPECT_EQ(bundles[0].stop, 100);  // asked for [10, 20)
}

TEST(GuideCountingSourceTest, ReadingABundleNotAtZeroClaimsBeforeItsStart) {
  GuideCountingSource source(100);
  auto tracker = source.get_range_tracker(50, 100);
  EXPECT_THAT(UsageErrorOf([&] {
                for (std::int64_t record : source.read(*tracker)) (void)record;
              }),
              HasSubstr("cannot claim 0: it is before the start of the range"));
}

TEST(GuideCountingSourceTest, TheRunnerFailsOnceABundleIsSplit) {
  // The one bundle is split by idle workers; its residual is read from 0.
  LocalRunner runner(RunnerOptions{.num_workers = 4});
  const std::vector<std::int64_t> sizes = {200000};
  EXPECT_THAT(UsageErrorOf([&] {
                runner.run(Read<std::int64_t>(std::make_shared<GuideCountingSource>(sizes[0])));
              }),
              HasSubstr("before the start of the range"));
}

TEST(GuideCountingSourceTest, TheSourceGateRejectsItAndNamesTheChecks) {
  const testkit::SourceFactory<std::int64_t, std::int64_t> factory = [] {
    return std::make_shared<GuideCountingSource>(50);
  };
  testkit::SourceConformanceOptions options;
  options.schedules.seed = 1;
  std::vector<std::string> failed;
  for (const testkit::CheckResult& result : testkit::check_source_conformance(factory, options)) {
    if (!result.ok()) failed.push_back(result.check);
  }
  // Its split() never splits a whole source, so the bundles of the whole
  // range read fine; what gives it away is a sub-range (whose one bundle
  // runs to the end), any residual (dynamic splits, schedules) and splitting
  // an empty range (hygiene), which returns the whole source.
  EXPECT_THAT(failed, ::testing::ElementsAre("sources_equal_reference_source",
                                             "split_at_fraction_exhaustive",
                                             "dynamic_split_schedules", "source_hygiene"));
}

}  // namespace
}  // namespace splitcheck::examples::broken
