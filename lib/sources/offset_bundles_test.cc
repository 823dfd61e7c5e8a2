#include "splitcheck/lib/sources/offset_bundles.h"

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/internal/in_memory_source.h"
#include "splitcheck/testkit/error_matchers.h"

namespace splitcheck {
namespace {

using ::splitcheck::testkit::UsageErrorOf;
using ::testing::HasSubstr;
using Bounds = std::pair<std::int64_t, std::int64_t>;

std::vector<Bounds> bounds(const std::vector<SourceBundle<int>>& bundles) {
  std::vector<Bounds> out;
  for (const auto& b : bundles) {
    out.emplace_back(*b.start, *b.stop);
    EXPECT_EQ(b.weight, static_cast<double>(*b.stop - *b.start));
  }
  return out;
}

std::shared_ptr<const BoundedSource<int>> source() {
  return std::make_shared<internal::InMemorySource<int>>(std::vector<int>{1, 2, 3});
}

TEST(SplitOffsetRangeTest, TilesTheRangeInOrder) {
  EXPECT_THAT(bounds(split_offset_range<int>(source(), 3, 10, 3)),
              ::testing::ElementsAre(Bounds{3, 6}, Bounds{6, 9}, Bounds{9, 10}));
  EXPECT_THAT(bounds(split_offset_range<int>(source(), 0, 4, 4)),
              ::testing::ElementsAre(Bounds{0, 4}));
  EXPECT_TRUE(split_offset_range<int>(source(), 5, 5, 2).empty());
}

TEST(SplitOffsetRangeTest, DoesNotOverflowNearTheEndOfInt64) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  EXPECT_THAT(bounds(split_offset_range<int>(source(), kMax - 5, kMax, kMax - 1)),
              ::testing::ElementsAre(Bounds{kMax - 5, kMax}));
  EXPECT_THAT(bounds(split_offset_range<int>(source(), 0, kMax, kMax / 2 + 1)),
              ::testing::ElementsAre(Bounds{0, kMax / 2 + 1}, Bounds{kMax / 2 + 1, kMax}));
  // A range wider than INT64_MAX: last - first does not fit in an int64.
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  EXPECT_THAT(
      bounds(split_offset_range<int>(source(), kMin, kMax, kMax)),
      ::testing::ElementsAre(Bounds{kMin, -1}, Bounds{-1, kMax - 1}, Bounds{kMax - 1, kMax}));
}

TEST(SplitOffsetRangeTest, BadArgumentsNameTheSource) {
  EXPECT_THAT(UsageErrorOf([] { split_offset_range<int>(source(), 0, 10, 0); }),
              HasSubstr("the desired bundle size must be positive"));
  EXPECT_THAT(UsageErrorOf([] { split_offset_range<int>(source(), 10, 0, 3); }),
              HasSubstr("split of [10, 0): the start is after the stop"));
}

}  // namespace
}  // namespace splitcheck
