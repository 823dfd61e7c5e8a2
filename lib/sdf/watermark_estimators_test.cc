#include "splitcheck/lib/sdf/watermark_estimators.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>

#include "splitcheck/testkit/error_matchers.h"

namespace splitcheck {
namespace {

using ::splitcheck::testkit::UsageErrorOf;
using ::testing::HasSubstr;

TEST(ManualWatermarkEstimatorTest, SetsAndNeverGoesBack) {
  ManualWatermarkEstimator e(10);
  EXPECT_EQ(e.current_watermark(), 10);
  e.set_watermark(15);
  e.observe_timestamp(3);  // ignored
  EXPECT_EQ(e.current_watermark(), 15);
  EXPECT_EQ(e.state(), 15);
  EXPECT_THAT(UsageErrorOf([&] { e.set_watermark(14); }),
              HasSubstr("set_watermark(14) is before the current watermark 15"));
  ManualWatermarkEstimator resumed(e.state());
  EXPECT_EQ(resumed.current_watermark(), 15);
}

TEST(MonotonicWatermarkEstimatorTest, FollowsTheLargestTimestampObserved) {
  MonotonicWatermarkEstimator e;
  EXPECT_EQ(e.current_watermark(), kMinTimestamp);
  e.observe_timestamp(5);
  e.observe_timestamp(3);
  EXPECT_EQ(e.current_watermark(), 5);
  MonotonicWatermarkEstimator resumed(e.state());
  resumed.observe_timestamp(4);
  EXPECT_EQ(resumed.current_watermark(), 5);
}

TEST(WallTimeWatermarkEstimatorTest, FollowsTheClockButNeverGoesBack) {
  std::atomic<Timestamp> now{100};
  WallTimeWatermarkEstimator e(kMinTimestamp, [&] { return now.load(); });
  EXPECT_EQ(e.current_watermark(), 100);
  now = 50;  // a clock stepped back
  EXPECT_EQ(e.current_watermark(), 100);
  now = 200;
  EXPECT_EQ(e.current_watermark(), 200);
  WallTimeWatermarkEstimator resumed(e.state(), [] { return Timestamp{150}; });
  EXPECT_EQ(resumed.current_watermark(), 200);
  WallTimeWatermarkEstimator system;
  EXPECT_GT(system.current_watermark(), Timestamp{1'700'000'000'000'000});  // after 2023
}

}  // namespace
}  // namespace splitcheck
