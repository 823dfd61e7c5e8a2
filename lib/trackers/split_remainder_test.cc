#include "splitcheck/lib/trackers/split_remainder.h"

#include <cmath>
#include <cstdint>
#include <memory>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/trackers/offset_range_tracker.h"
#include "splitcheck/lib/trackers/unsplittable_range_tracker.h"
#include "splitcheck/testkit/error_matchers.h"

namespace splitcheck {
namespace {

using ::splitcheck::testkit::UsageErrorOf;
using ::testing::HasSubstr;

TEST(TrySplitRemainder, KeepsTheFractionOfWhatIsLeft) {
  OffsetRangeTracker tracker(0, 100);
  ASSERT_TRUE(tracker.try_claim(50));
  const auto split = try_split_remainder(tracker, 0.5);
  ASSERT_TRUE(split.has_value());
  // Consumed 0.5; half of the remaining 0.5 is kept: 0.75 of the range.
  EXPECT_EQ(split->result.position, 75);
  EXPECT_DOUBLE_EQ(split->result.fraction, 0.75);
  EXPECT_EQ(split->residual_stop, 100);
  EXPECT_EQ(tracker.stop_position(), 75);
}

TEST(TrySplitRemainder, TheResidualStopIsTheStopBeforeThisSplit) {
  OffsetRangeTracker tracker(0, 100);
  ASSERT_TRUE(tracker.try_claim(0));
  ASSERT_TRUE(tracker.try_split(80).has_value());
  const auto split = try_split_remainder(tracker, 0.5);
  ASSERT_TRUE(split.has_value());
  EXPECT_EQ(split->result.position, 40);
  EXPECT_EQ(split->residual_stop, 80);
}

TEST(TrySplitRemainder, RefusesWhereTrySplitRefuses) {
  OffsetRangeTracker unstarted(0, 100);  // offset trackers refuse before the first claim
  EXPECT_FALSE(try_split_remainder(unstarted, 0.5).has_value());
  EXPECT_EQ(unstarted.stop_position(), 100);

  UnsplittableRangeTracker<std::int64_t> unsplittable(std::make_unique<OffsetRangeTracker>(0, 100));
  ASSERT_TRUE(unsplittable.try_claim(0));
  EXPECT_FALSE(try_split_remainder(unsplittable, 0.5).has_value());

  OffsetRangeTracker done(0, 2);
  ASSERT_TRUE(done.try_claim(1));
  ASSERT_FALSE(done.try_claim(2));
  EXPECT_FALSE(try_split_remainder(done, 0.5).has_value());
}

TEST(TrySplitRemainder, RejectsAFractionOutsideZeroToOne) {
  OffsetRangeTracker tracker(0, 100);
  ASSERT_TRUE(tracker.try_claim(0));
  EXPECT_THAT(UsageErrorOf([&] { try_split_remainder(tracker, 1.5); }),
              HasSubstr("must be in [0, 1]"));
  EXPECT_THAT(UsageErrorOf([&] { try_split_remainder(tracker, std::nan("")); }),
              HasSubstr("OffsetRangeTracker[0, 100)"));
  EXPECT_EQ(tracker.stop_position(), 100);
}

TEST(TrySplitRemainder, ARangeOfUnknownSizeIsAUsageError) {
  OffsetRangeTracker tracker(0, kOffsetInfinity);
  ASSERT_TRUE(tracker.try_claim(0));
  EXPECT_THAT(UsageErrorOf([&] { try_split_remainder(tracker, 0.5); }), HasSubstr("unknown size"));
}

}  // namespace
}  // namespace splitcheck
