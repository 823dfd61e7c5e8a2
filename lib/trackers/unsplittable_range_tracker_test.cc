#include "splitcheck/lib/trackers/unsplittable_range_tracker.h"

#include <cstdint>
#include <memory>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/trackers/offset_range_tracker.h"
#include "splitcheck/testkit/error_matchers.h"

namespace splitcheck {
namespace {

using ::testing::HasSubstr;
using testkit::UsageErrorOf;

UnsplittableRangeTracker<std::int64_t> unsplittable(std::int64_t start, std::int64_t stop) {
  return UnsplittableRangeTracker<std::int64_t>(std::make_unique<OffsetRangeTracker>(start, stop));
}

TEST(UnsplittableRangeTrackerTest, RefusesEverySplit) {
  auto tracker = unsplittable(0, 100);
  EXPECT_EQ(tracker.try_split(50), std::nullopt);
  ASSERT_TRUE(tracker.try_claim(10));
  for (std::int64_t p = 0; p <= 100; ++p) EXPECT_EQ(tracker.try_split(p), std::nullopt);
  EXPECT_EQ(tracker.stop_position(), 100);
}

TEST(UnsplittableRangeTrackerTest, PositionAtFractionNamesOnlyTheEnds) {
  auto tracker = unsplittable(10, 100);
  EXPECT_EQ(tracker.position_at_fraction(0), 10);
  EXPECT_EQ(tracker.position_at_fraction(0.25), 10);
  EXPECT_EQ(tracker.position_at_fraction(1), 100);
  EXPECT_THAT(UsageErrorOf([&] { tracker.position_at_fraction(1.5); }),
              HasSubstr("position_at_fraction(1.5)"));
  // Also where the wrapped tracker could not answer: a range of unknown size.
  UnsplittableRangeTracker<std::int64_t> infinite(
      std::make_unique<OffsetRangeTracker>(0, kOffsetInfinity));
  EXPECT_EQ(infinite.position_at_fraction(0.5), 0);
  EXPECT_EQ(infinite.position_at_fraction(1), kOffsetInfinity);
}

TEST(UnsplittableRangeTrackerTest, DelegatesEverythingElse) {
  auto tracker = unsplittable(0, 100);
  EXPECT_EQ(tracker.debug_string(), "UnsplittableRangeTracker(OffsetRangeTracker[0, 100))");
  EXPECT_EQ(tracker.start_position(), 0);
  tracker.set_split_points_unclaimed_callback([](std::int64_t) -> std::int64_t { return 3; });
  ASSERT_TRUE(tracker.try_claim(50));
  tracker.set_current_position(60);
  EXPECT_DOUBLE_EQ(tracker.fraction_consumed(), 0.6);
  EXPECT_EQ(tracker.split_points(), (SplitPoints{0, 4}));
  EXPECT_THAT(UsageErrorOf([&] { tracker.try_claim(55); }), HasSubstr("cannot claim 55"));
  EXPECT_FALSE(tracker.try_claim(100));
  EXPECT_DOUBLE_EQ(tracker.fraction_consumed(), 1.0);
}

TEST(UnsplittableRangeTrackerTest, NullTrackerIsAUsageError) {
  EXPECT_THAT(UsageErrorOf([] { UnsplittableRangeTracker<std::int64_t>(nullptr); }),
              HasSubstr("the wrapped tracker must not be null"));
}

}  // namespace
}  // namespace splitcheck
