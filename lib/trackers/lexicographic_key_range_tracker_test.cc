#include "splitcheck/lib/trackers/lexicographic_key_range_tracker.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidcheck/gtest.h"
#include "splitcheck/testkit/error_matchers.h"

namespace splitcheck {
namespace {

using ::testing::HasSubstr;
using ::testing::Optional;
using testkit::UsageErrorOf;
using Split = SplitResult<std::string>;

TEST(LexicographicKeyRangeTrackerTest, ClaimsFollowLexicographicOrder) {
  LexicographicKeyRangeTracker tracker("b", "d");
  EXPECT_TRUE(tracker.try_claim("b"));
  EXPECT_TRUE(tracker.try_claim("b\xff"));
  EXPECT_TRUE(tracker.try_claim("c"));
  EXPECT_TRUE(tracker.try_claim("czzzz"));
  EXPECT_FALSE(tracker.try_claim("d"));
  EXPECT_FALSE(tracker.try_claim("e"));
}

TEST(LexicographicKeyRangeTrackerTest, BytesCompareUnsigned) {
  LexicographicKeyRangeTracker tracker("a", "b");
  EXPECT_TRUE(tracker.try_claim("a\x01"));
  EXPECT_TRUE(tracker.try_claim("a\x80"));  // 0x80 sorts after 0x01
  EXPECT_THAT(UsageErrorOf([&] { tracker.try_claim("a\x7f"); }),
              HasSubstr("cannot claim \"a\\x7f\" after \"a\\x80\""));
}

TEST(LexicographicKeyRangeTrackerTest, EmptyBoundsMeanTheWholeKeySpace) {
  LexicographicKeyRangeTracker tracker("", "");
  EXPECT_EQ(tracker.debug_string(), "LexicographicKeyRangeTracker[\"\", <end>)");
  EXPECT_TRUE(tracker.try_claim(""));  // the empty key is the first key
  EXPECT_TRUE(tracker.try_claim(std::string(1000, '\xff')));
  EXPECT_EQ(tracker.position_at_fraction(0.5), "\x80");
  EXPECT_EQ(tracker.position_at_fraction(1.0), "");
}

TEST(LexicographicKeyRangeTrackerTest, PositionAtFractionOneIsTheEndOfTheKeySpace) {
  // Found by the tracker contract checker: the empty stop sorts before any
  // start, and was once rejected as "outside the range".
  LexicographicKeyRangeTracker tracker("\x7f", "");
  EXPECT_EQ(tracker.position_at_fraction(1.0), "");
}

TEST(LexicographicKeyRangeTrackerTest, ClaimBeforeTheStartIsAUsageError) {
  LexicographicKeyRangeTracker tracker("m", "");
  EXPECT_THAT(UsageErrorOf([&] { tracker.try_claim("a"); }),
              HasSubstr("LexicographicKeyRangeTracker[\"m\", <end>): cannot "
                        "claim \"a\": it is "
                        "before the start of the range"));
}

TEST(LexicographicKeyRangeTrackerTest, StopBeforeStartIsAUsageError) {
  EXPECT_THAT(UsageErrorOf([] { LexicographicKeyRangeTracker("b", "a"); }),
              HasSubstr("[\"b\", \"a\"): the start must not be after the stop"));
}

TEST(LexicographicKeyRangeTrackerTest, UnstartedSplitIsAccepted) {
  LexicographicKeyRangeTracker tracker("a", "c");
  EXPECT_THAT(tracker.try_split("b"), Optional(Split{"b", 0.5}));
  EXPECT_EQ(tracker.stop_position(), "b");
  EXPECT_FALSE(tracker.try_claim("b"));
}

TEST(LexicographicKeyRangeTrackerTest, SplitRulesMatchTheContract) {
  LexicographicKeyRangeTracker tracker("a", "");
  EXPECT_EQ(tracker.try_split("a"),
            std::nullopt);  // at the start: empty primary
  ASSERT_TRUE(tracker.try_claim("k"));
  EXPECT_EQ(tracker.try_split("k"), std::nullopt);
  EXPECT_EQ(tracker.try_split("j"), std::nullopt);
  EXPECT_EQ(tracker.try_split(""),
            std::nullopt);  // "" sorts first: before the claim
  const auto split = tracker.try_split("x");
  ASSERT_TRUE(split.has_value());
  EXPECT_EQ(split->position, "x");
  EXPECT_NEAR(split->fraction, (0x78 - 0x61) / (256.0 - 0x61), 1e-12);
  EXPECT_EQ(tracker.try_split("y"), std::nullopt);  // past the new stop
  EXPECT_TRUE(tracker.try_claim("w\xff"));
  EXPECT_FALSE(tracker.try_claim("x"));
}

TEST(LexicographicKeyRangeTrackerTest, AdjacentKeysCannotBeSplit) {
  const std::string stop("a\0", 2);
  LexicographicKeyRangeTracker tracker("a", stop);
  EXPECT_EQ(tracker.position_at_fraction(0.5), "a");
  EXPECT_EQ(tracker.try_split(tracker.position_at_fraction(0.5)), std::nullopt);
}

TEST(LexicographicKeyRangeTrackerTest, FractionConsumedAndProgress) {
  LexicographicKeyRangeTracker tracker("", "");
  EXPECT_DOUBLE_EQ(tracker.fraction_consumed(), 0.0);
  ASSERT_TRUE(tracker.try_claim("\x40"));
  EXPECT_DOUBLE_EQ(tracker.fraction_consumed(), 0.25);
  ASSERT_TRUE(tracker.try_split("\x80").has_value());
  EXPECT_DOUBLE_EQ(tracker.fraction_consumed(), 0.5);
  ASSERT_FALSE(tracker.try_claim("\x90"));
  EXPECT_DOUBLE_EQ(tracker.fraction_consumed(), 1.0);
}

TEST(LexicographicKeyRangeTrackerTest, HugeKeysAreHandledAndMessagesStayShort) {
  const std::string start(1 << 20, 'k');
  LexicographicKeyRangeTracker tracker(start, start + "z");
  const std::string middle = tracker.position_at_fraction(0.5);
  EXPECT_GT(middle, start);
  EXPECT_LT(middle, start + "z");
  ASSERT_TRUE(tracker.try_claim(middle));
  const std::string message = UsageErrorOf([&] { tracker.try_claim(start); });
  EXPECT_THAT(message, HasSubstr("...(1048576 bytes)"));
  EXPECT_LT(message.size(), 1000u);
}

// Any fraction gives a position inside the range, and splitting there (when
// it is after the last claim) is accepted with a fraction near the request.
RC_GTEST_PROP(LexicographicKeyRangeTrackerProperty, SplitAtAFractionLandsNearIt, ()) {
  const auto key = rc::gen::container<std::string>(rc::gen::element('a', 'b', 'c', '\0', '\xff'));
  std::string start = *key;
  std::string stop = *key;
  if (stop < start) std::swap(start, stop);
  RC_PRE(start + '\0' < stop);
  const double f = *rc::gen::map(rc::gen::inRange(1, 999), [](int n) { return n / 1000.0; });
  LexicographicKeyRangeTracker tracker(start, stop);
  const std::string position = tracker.position_at_fraction(f);
  RC_ASSERT(start < position);
  RC_ASSERT(position < stop);
  const auto split = tracker.try_split(position);
  RC_ASSERT(split.has_value());
  RC_ASSERT(split->fraction >= 0.0);
  RC_ASSERT(split->fraction <= 1.0);
  RC_ASSERT(tracker.stop_position() == position);
}

}  // namespace
}  // namespace splitcheck
