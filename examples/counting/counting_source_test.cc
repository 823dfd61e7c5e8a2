#include "splitcheck/examples/counting/counting_source.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/testkit/error_matchers.h"

namespace splitcheck::examples::internal {
namespace {

using ::splitcheck::testkit::UsageErrorOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::int64_t> read_range(const CountingSource& source,
                                     std::optional<std::int64_t> start,
                                     std::optional<std::int64_t> stop) {
  std::vector<std::int64_t> out;
  auto tracker = source.get_range_tracker(start, stop);
  for (std::int64_t i : source.read(*tracker)) out.push_back(i);
  return out;
}

TEST(CountingSourceTest, ReadsItsWholeRange) {
  CountingSource source(5);
  EXPECT_EQ(source.estimate_size(), 5);
  EXPECT_THAT(read_range(source, std::nullopt, std::nullopt), ElementsAre(0, 1, 2, 3, 4));
}

TEST(CountingSourceTest, ReadsFromTheTrackersStart) {
  CountingSource source(10);
  EXPECT_THAT(read_range(source, 7, std::nullopt), ElementsAre(7, 8, 9));
  EXPECT_THAT(read_range(source, 3, 5), ElementsAre(3, 4));
  EXPECT_THAT(read_range(source, 4, 4), ElementsAre());
}

TEST(CountingSourceTest, SplitTilesTheRequestedRange) {
  auto source = std::make_shared<CountingSource>(100);
  const auto bundles = source->split(30, 5, 95);
  ASSERT_EQ(bundles.size(), 3u);
  std::int64_t expected_start = 5;
  for (const auto& bundle : bundles) {
    EXPECT_EQ(bundle.start, expected_start);
    EXPECT_EQ(bundle.source, source);
    EXPECT_DOUBLE_EQ(bundle.weight, static_cast<double>(*bundle.stop - *bundle.start));
    expected_start = *bundle.stop;
  }
  EXPECT_EQ(expected_start, 95);
}

TEST(CountingSourceTest, HugeBundleSizesDoNotOverflow) {
  auto source = std::make_shared<CountingSource>(100);
  const auto bundles = source->split(INT64_MAX, 50, std::nullopt);
  ASSERT_EQ(bundles.size(), 1u);
  EXPECT_EQ(bundles[0].stop, 100);
}

TEST(CountingSourceTest, DynamicSplitWhileReading) {
  CountingSource source(100);
  auto tracker = source.get_range_tracker(std::nullopt, std::nullopt);
  std::vector<std::int64_t> primary;
  for (std::int64_t i : source.read(*tracker)) {
    primary.push_back(i);
    if (i == 10) {
      ASSERT_TRUE(tracker->try_split(40).has_value());
    }
  }
  EXPECT_EQ(primary.size(), 40u);
  EXPECT_EQ(read_range(source, 40, 100).size(), 60u);
}

TEST(CountingSourceTest, BadArgumentsAreUsageErrors) {
  EXPECT_THAT(UsageErrorOf([] { CountingSource(-1); }), HasSubstr("must not be negative"));
  auto source = std::make_shared<CountingSource>(10);
  EXPECT_THAT(UsageErrorOf([&] { source->split(0, std::nullopt, std::nullopt); }),
              HasSubstr("the desired bundle size must be positive"));
  EXPECT_THAT(UsageErrorOf([&] { source->get_range_tracker(5, 20); }),
              HasSubstr("CountingSource(10): [5, 20) is not a range of [0, 10)"));
  CountingSource on_stack(10);
  EXPECT_THAT(UsageErrorOf([&] { on_stack.split(5, std::nullopt, std::nullopt); }),
              HasSubstr("must be created with std::make_shared"));
}

}  // namespace
}  // namespace splitcheck::examples::internal
