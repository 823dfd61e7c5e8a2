#include "splitcheck/lib/trackers/offset_range_tracker.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/testkit/error_matchers.h"

namespace splitcheck {
namespace {

using ::testing::HasSubstr;
using ::testing::Optional;
using testkit::UsageErrorOf;

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

TEST(OffsetRangeTrackerTest, ClaimsInsideTheRangeSucceed) {
  OffsetRangeTracker tracker(100, 200);
  EXPECT_TRUE(tracker.try_claim(100));
  EXPECT_TRUE(tracker.try_claim(150));
  EXPECT_TRUE(tracker.try_claim(199));
  EXPECT_EQ(tracker.start_position(), 100);
  EXPECT_EQ(tracker.stop_position(), 200);
}

TEST(OffsetRangeTrackerTest, ClaimAtOrPastTheStopIsRefused) {
  OffsetRangeTracker at_stop(100, 200);
  EXPECT_TRUE(at_stop.try_claim(150));
  EXPECT_FALSE(at_stop.try_claim(200));
  OffsetRangeTracker past_stop(100, 200);
  EXPECT_FALSE(past_stop.try_claim(250));
}

TEST(OffsetRangeTrackerTest, ARefusedClaimIsFinal) {
  OffsetRangeTracker tracker(100, 200);
  EXPECT_TRUE(tracker.try_claim(150));
  EXPECT_FALSE(tracker.try_claim(250));
  // Beam's tracker would accept 260 < stop only if the stop grew; ours never
  // accepts anything after a refusal, whatever the position.
  EXPECT_FALSE(tracker.try_claim(260));
  OffsetRangeTracker shrunk(0, 100);
  EXPECT_TRUE(shrunk.try_claim(10));
  ASSERT_TRUE(shrunk.try_split(50).has_value());
  EXPECT_FALSE(shrunk.try_claim(60));
  EXPECT_FALSE(shrunk.try_claim(70));
}

TEST(OffsetRangeTrackerTest, ClaimingBackwardsIsAUsageError) {
  OffsetRangeTracker tracker(100, 200);
  ASSERT_TRUE(tracker.try_claim(160));
  EXPECT_THAT(UsageErrorOf([&] { tracker.try_claim(150); }),
              HasSubstr("OffsetRangeTracker[100, 200): cannot claim 150 after 160: "
                        "claims must increase"));
}

TEST(OffsetRangeTrackerTest, ClaimingTheSameSplitPointTwiceIsAUsageError) {
  OffsetRangeTracker tracker(100, 200);
  ASSERT_TRUE(tracker.try_claim(160));
  EXPECT_THAT(UsageErrorOf([&] { tracker.try_claim(160); }),
              HasSubstr("cannot claim 160 twice: split points must be distinct"));
}

TEST(OffsetRangeTrackerTest, ClaimingBackwardsAfterARefusalIsStillAUsageError) {
  OffsetRangeTracker tracker(100, 200);
  ASSERT_FALSE(tracker.try_claim(300));
  EXPECT_THAT(UsageErrorOf([&] { tracker.try_claim(150); }),
              HasSubstr("cannot claim 150 after 300"));
}

TEST(OffsetRangeTrackerTest, ClaimingBeforeTheStartIsAUsageError) {
  OffsetRangeTracker tracker(100, 200);
  EXPECT_THAT(UsageErrorOf([&] { tracker.try_claim(99); }),
              HasSubstr("cannot claim 99: it is before the start of the range"));
}

TEST(OffsetRangeTrackerTest, ClaimingBeforeTheLastSetPositionIsAUsageError) {
  OffsetRangeTracker tracker(0, 200);
  ASSERT_TRUE(tracker.try_claim(10));
  tracker.set_current_position(30);
  EXPECT_THAT(UsageErrorOf([&] { tracker.try_claim(20); }),
              HasSubstr("cannot claim 20 after the record at 30"));
  // A split point may share the offset of the record before it.
  EXPECT_TRUE(tracker.try_claim(30));
}

TEST(OffsetRangeTrackerTest, TheFirstRecordMustBeASplitPoint) {
  OffsetRangeTracker tracker(100, 200);
  EXPECT_THAT(UsageErrorOf([&] { tracker.set_current_position(100); }),
              HasSubstr("set_current_position(100) before any claim: the first "
                        "record must be a "
                        "split point"));
}

TEST(OffsetRangeTrackerTest, SetCurrentPositionMustNotMoveBackwards) {
  OffsetRangeTracker tracker(100, 200);
  ASSERT_TRUE(tracker.try_claim(120));
  tracker.set_current_position(120);
  tracker.set_current_position(130);
  EXPECT_THAT(UsageErrorOf([&] { tracker.set_current_position(125); }),
              HasSubstr("set_current_position(125) moves backwards from 130"));
}

TEST(OffsetRangeTrackerTest, RecordsAfterTheLastSplitPointMayPassTheStop) {
  OffsetRangeTracker tracker(100, 200);
  ASSERT_TRUE(tracker.try_claim(190));
  tracker.set_current_position(210);
  tracker.set_current_position(250);
  EXPECT_DOUBLE_EQ(tracker.fraction_consumed(), 1.0);
  EXPECT_FALSE(tracker.try_claim(260));
}

TEST(OffsetRangeTrackerTest, SetCurrentPositionAfterARefusedClaimIsAUsageError) {
  OffsetRangeTracker tracker(100, 200);
  ASSERT_TRUE(tracker.try_claim(150));
  ASSERT_FALSE(tracker.try_claim(200));
  EXPECT_THAT(UsageErrorOf([&] { tracker.set_current_position(201); }),
              HasSubstr("after a refused claim: the reader must stop"));
}

TEST(OffsetRangeTrackerTest, SplitBeforeTheFirstClaimIsRefused) {
  OffsetRangeTracker tracker(100, 200);
  EXPECT_EQ(tracker.try_split(150), std::nullopt);
  EXPECT_EQ(tracker.stop_position(), 200);
}

TEST(OffsetRangeTrackerTest, SplitAtOrBeforeTheLastRecordIsRefused) {
  OffsetRangeTracker tracker(100, 200);
  ASSERT_TRUE(tracker.try_claim(150));
  EXPECT_EQ(tracker.try_split(150), std::nullopt);
  EXPECT_EQ(tracker.try_split(140), std::nullopt);
  tracker.set_current_position(170);
  EXPECT_EQ(tracker.try_split(165), std::nullopt);
  EXPECT_EQ(tracker.try_split(170), std::nullopt);
  EXPECT_EQ(tracker.stop_position(), 200);
  EXPECT_TRUE(tracker.try_split(171).has_value());
}

TEST(OffsetRangeTrackerTest, SplitOutsideTheRangeIsRefused) {
  OffsetRangeTracker tracker(100, 200);
  ASSERT_TRUE(tracker.try_claim(100));
  EXPECT_EQ(tracker.try_split(200), std::nullopt);
  EXPECT_EQ(tracker.try_split(250), std::nullopt);
  EXPECT_EQ(tracker.try_split(-5), std::nullopt);
  EXPECT_EQ(tracker.try_split(kMax), std::nullopt);
  EXPECT_EQ(tracker.stop_position(), 200);
}

TEST(OffsetRangeTrackerTest, SplitAfterTheTrackerIsDoneIsRefused) {
  OffsetRangeTracker tracker(100, 200);
  ASSERT_TRUE(tracker.try_claim(150));
  ASSERT_FALSE(tracker.try_claim(200));
  EXPECT_EQ(tracker.try_split(180), std::nullopt);
}

TEST(OffsetRangeTrackerTest, SplitOfAnInfiniteRangeIsRefused) {
  OffsetRangeTracker tracker(100, kOffsetInfinity);
  ASSERT_TRUE(tracker.try_claim(150));
  EXPECT_EQ(tracker.try_split(1000), std::nullopt);
  EXPECT_TRUE(tracker.try_claim(kMax - 1));
  EXPECT_FALSE(tracker.try_claim(kMax));
}

TEST(OffsetRangeTrackerTest, AcceptedSplitShrinksTheRangeAndReportsTheFractionBeforeIt) {
  OffsetRangeTracker tracker(100, 200);
  ASSERT_TRUE(tracker.try_claim(110));
  EXPECT_THAT(tracker.try_split(150), Optional(SplitResult<std::int64_t>{150, 0.5}));
  EXPECT_EQ(tracker.stop_position(), 150);
  // The second split's fraction is relative to [100, 150), not [100, 200).
  EXPECT_THAT(tracker.try_split(140), Optional(SplitResult<std::int64_t>{140, 0.8}));
  EXPECT_TRUE(tracker.try_claim(139));
  EXPECT_FALSE(tracker.try_claim(140));
}

TEST(OffsetRangeTrackerTest, PositionAtFractionRoundsUp) {
  OffsetRangeTracker tracker(100, 200);
  EXPECT_EQ(tracker.position_at_fraction(0.0), 100);
  EXPECT_EQ(tracker.position_at_fraction(0.5), 150);
  EXPECT_EQ(tracker.position_at_fraction(0.501), 151);
  EXPECT_EQ(tracker.position_at_fraction(1.0), 200);
  OffsetRangeTracker small(0, 3);
  EXPECT_EQ(small.position_at_fraction(0.1), 1);
}

TEST(OffsetRangeTrackerTest, PositionAtFractionRejectsBadFractions) {
  OffsetRangeTracker tracker(100, 200);
  EXPECT_THAT(UsageErrorOf([&] { tracker.position_at_fraction(std::nan("")); }),
              HasSubstr("position_at_fraction(nan): a fraction must be a number in [0, 1]"));
  EXPECT_THAT(UsageErrorOf([&] { tracker.position_at_fraction(-0.25); }),
              HasSubstr("position_at_fraction(-0.25)"));
  EXPECT_THAT(UsageErrorOf([&] { tracker.position_at_fraction(1.5); }),
              HasSubstr("position_at_fraction(1.5)"));
  EXPECT_THAT(
      UsageErrorOf([&] { tracker.position_at_fraction(std::numeric_limits<double>::infinity()); }),
      HasSubstr("position_at_fraction(inf)"));
}

TEST(OffsetRangeTrackerTest, PositionAtFractionOfAnInfiniteRangeIsAUsageError) {
  OffsetRangeTracker tracker(0, kOffsetInfinity);
  EXPECT_THAT(UsageErrorOf([&] { tracker.position_at_fraction(0.5); }),
              HasSubstr("OffsetRangeTracker[0, inf): position_at_fraction(0.5) on a range of "
                        "unknown size"));
}

TEST(OffsetRangeTrackerTest, HugeRangesDoNotOverflow) {
  OffsetRangeTracker whole(0, kMax - 1);
  EXPECT_EQ(whole.position_at_fraction(1.0), kMax - 1);
  EXPECT_EQ(whole.position_at_fraction(0.5), (kMax - 1) / 2);
  // (1 - 2^-53) * (2^63 - 2) = 2^63 - 2 - 1024 + 2^-52, rounded up exactly.
  EXPECT_EQ(whole.position_at_fraction(std::nextafter(1.0, 0.0)), kMax - 1 - 1023);
  EXPECT_EQ(whole.position_at_fraction(std::numeric_limits<double>::denorm_min()), 1);
  ASSERT_TRUE(whole.try_claim(kMax - 3));
  EXPECT_GT(whole.fraction_consumed(), 0.999);
  EXPECT_LE(whole.fraction_consumed(), 1.0);
  EXPECT_THAT(whole.try_split(kMax - 2), Optional(SplitResult<std::int64_t>{kMax - 2, 1.0}));
  EXPECT_FALSE(whole.try_claim(kMax - 2));

  OffsetRangeTracker tail(kMax - 10, kMax - 1);
  EXPECT_EQ(tail.position_at_fraction(0.5), kMax - 5);
  ASSERT_TRUE(tail.try_claim(kMax - 10));
  EXPECT_THAT(tail.try_split(kMax - 4), Optional(SplitResult<std::int64_t>{kMax - 4, 6.0 / 9}));
}

TEST(OffsetRangeTrackerTest, BadRangesAreUsageErrors) {
  EXPECT_THAT(UsageErrorOf([] { OffsetRangeTracker(200, 100); }),
              HasSubstr("OffsetRangeTracker[200, 100): the start must not be "
                        "after the stop"));
  EXPECT_THAT(UsageErrorOf([] { OffsetRangeTracker(-1, 100); }),
              HasSubstr("OffsetRangeTracker[-1, 100): offsets must not be negative"));
}

TEST(OffsetRangeTrackerTest, AnEmptyRangeRefusesEverything) {
  OffsetRangeTracker tracker(100, 100);
  EXPECT_EQ(tracker.try_split(100), std::nullopt);
  EXPECT_EQ(tracker.position_at_fraction(0.5), 100);
  EXPECT_DOUBLE_EQ(tracker.fraction_consumed(), 0.0);
  EXPECT_FALSE(tracker.try_claim(100));
  EXPECT_DOUBLE_EQ(tracker.fraction_consumed(), 1.0);
}

TEST(OffsetRangeTrackerTest, FractionConsumedFollowsTheLastRecord) {
  OffsetRangeTracker tracker(100, 200);
  EXPECT_DOUBLE_EQ(tracker.fraction_consumed(), 0.0);
  ASSERT_TRUE(tracker.try_claim(100));
  EXPECT_DOUBLE_EQ(tracker.fraction_consumed(), 0.0);
  ASSERT_TRUE(tracker.try_claim(125));
  EXPECT_DOUBLE_EQ(tracker.fraction_consumed(), 0.25);
  tracker.set_current_position(130);
  EXPECT_DOUBLE_EQ(tracker.fraction_consumed(), 0.3);
  // A split shrinks the denominator: progress jumps up, never down.
  ASSERT_TRUE(tracker.try_split(160).has_value());
  EXPECT_DOUBLE_EQ(tracker.fraction_consumed(), 0.5);
  ASSERT_FALSE(tracker.try_claim(160));
  EXPECT_DOUBLE_EQ(tracker.fraction_consumed(), 1.0);
}

TEST(OffsetRangeTrackerTest, FractionConsumedOfAnInfiniteRangeIsZeroUntilDone) {
  OffsetRangeTracker tracker(0, kOffsetInfinity);
  ASSERT_TRUE(tracker.try_claim(1000));
  EXPECT_DOUBLE_EQ(tracker.fraction_consumed(), 0.0);
  ASSERT_FALSE(tracker.try_claim(kMax));
  EXPECT_DOUBLE_EQ(tracker.fraction_consumed(), 1.0);
}

TEST(OffsetRangeTrackerTest, SplitPointsWithoutACallbackHaveUnknownRemaining) {
  OffsetRangeTracker tracker(0, 100);
  EXPECT_EQ(tracker.split_points(), (SplitPoints{0, SplitPoints::kUnknown}));
  ASSERT_TRUE(tracker.try_claim(10));
  EXPECT_EQ(tracker.split_points(), (SplitPoints{0, SplitPoints::kUnknown}));
  ASSERT_TRUE(tracker.try_claim(20));
  tracker.set_current_position(25);
  ASSERT_TRUE(tracker.try_claim(30));
  EXPECT_EQ(tracker.split_points(), (SplitPoints{2, SplitPoints::kUnknown}));
  ASSERT_FALSE(tracker.try_claim(100));
  EXPECT_EQ(tracker.split_points(), (SplitPoints{3, 0}));
}

TEST(OffsetRangeTrackerTest, SplitPointsRemainingComesFromTheCallback) {
  OffsetRangeTracker tracker(0, 100);
  std::int64_t last_claimed = -1;
  // Records at every multiple of 10: those after the last claim, before stop.
  tracker.set_split_points_unclaimed_callback([&](std::int64_t stop) -> std::int64_t {
    std::int64_t count = 0;
    for (std::int64_t p = last_claimed + 1; p < stop; ++p) count += p % 10 == 0;
    return count;
  });
  EXPECT_EQ(tracker.split_points(), (SplitPoints{0, 10}));
  ASSERT_TRUE(tracker.try_claim(last_claimed = 0));
  EXPECT_EQ(tracker.split_points(), (SplitPoints{0, 10}));
  ASSERT_TRUE(tracker.try_claim(last_claimed = 10));
  EXPECT_EQ(tracker.split_points(), (SplitPoints{1, 9}));
  ASSERT_TRUE(tracker.try_split(50).has_value());
  EXPECT_EQ(tracker.split_points(), (SplitPoints{1, 4}));
}

TEST(OffsetRangeTrackerTest, SplitPointsCallbackMayAnswerUnknown) {
  OffsetRangeTracker tracker(0, 100);
  tracker.set_split_points_unclaimed_callback([](std::int64_t) { return SplitPoints::kUnknown; });
  ASSERT_TRUE(tracker.try_claim(10));
  EXPECT_EQ(tracker.split_points(), (SplitPoints{0, SplitPoints::kUnknown}));
}

TEST(OffsetRangeTrackerTest, NegativeCountFromTheCallbackIsAUsageError) {
  OffsetRangeTracker tracker(0, 100);
  tracker.set_split_points_unclaimed_callback([](std::int64_t) -> std::int64_t { return -7; });
  EXPECT_THAT(UsageErrorOf([&] { tracker.split_points(); }),
              HasSubstr("the split-points-unclaimed callback returned -7"));
}

TEST(OffsetRangeTrackerTest, TheCallbackMayCallBackIntoTheTracker) {
  OffsetRangeTracker tracker(0, 100);
  tracker.set_split_points_unclaimed_callback([&](std::int64_t stop) {
    return stop - tracker.start_position() -
           static_cast<std::int64_t>(100 * tracker.fraction_consumed());
  });
  ASSERT_TRUE(tracker.try_claim(40));
  EXPECT_EQ(tracker.split_points(), (SplitPoints{0, 61}));
}

TEST(OffsetRangeTrackerTest, AReplacedCallbackIsDestroyedWithoutTheLockHeld) {
  OffsetRangeTracker tracker(0, 100);
  // The captures of a callback are user code too: this one's destructor asks
  // the tracker for its range, which must not find the tracker's lock held.
  struct AsksOnDestruction {
    OffsetRangeTracker* tracker;
    std::string* seen;
    ~AsksOnDestruction() { *seen = tracker->debug_string(); }
  };
  std::string seen;
  auto guard = std::make_shared<AsksOnDestruction>(AsksOnDestruction{&tracker, &seen});
  tracker.set_split_points_unclaimed_callback(
      [guard](std::int64_t) -> std::int64_t { return guard == nullptr ? 0 : 1; });
  guard.reset();
  tracker.set_split_points_unclaimed_callback(nullptr);
  EXPECT_EQ(seen, "OffsetRangeTracker[0, 100)");
}

TEST(OffsetRangeTrackerTest, DebugStringNamesTheCurrentRange) {
  OffsetRangeTracker tracker(100, 200);
  EXPECT_EQ(tracker.debug_string(), "OffsetRangeTracker[100, 200)");
  ASSERT_TRUE(tracker.try_claim(100));
  ASSERT_TRUE(tracker.try_split(150).has_value());
  EXPECT_EQ(tracker.debug_string(), "OffsetRangeTracker[100, 150)");
  EXPECT_EQ(OffsetRangeTracker(5, kOffsetInfinity).debug_string(), "OffsetRangeTracker[5, inf)");
}

}  // namespace
}  // namespace splitcheck
