#include "splitcheck/lib/sdf/byte_key_restriction_tracker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "splitcheck/lib/coders/coder.h"
#include "splitcheck/lib/internal/key_arithmetic.h"
#include "splitcheck/testkit/error_matchers.h"

namespace splitcheck {
namespace {

using ::splitcheck::testkit::ErrorOf;
using ::splitcheck::testkit::UsageErrorOf;
using ::testing::HasSubstr;
using Split = RestrictionSplit<ByteKeyRange>;

std::string key(const char* s, std::size_t n) { return std::string(s, n); }

TEST(ByteKeyRestrictionTrackerTest, ClaimsKeysInTheRange) {
  ByteKeyRestrictionTracker t({"b", "d"});
  EXPECT_TRUE(t.try_claim("b"));
  EXPECT_TRUE(t.try_claim("c\xff"));
  EXPECT_FALSE(t.try_claim("d"));
  t.check_done();
  EXPECT_EQ(t.progress(), (RestrictionProgress{1, 0}));
}

TEST(ByteKeyRestrictionTrackerTest, TheEmptyKeyEndsTheWholeKeySpace) {
  ByteKeyRestrictionTracker t({"", ""});
  EXPECT_TRUE(t.try_claim("a"));
  EXPECT_THAT(UsageErrorOf([&] { t.check_done(); }), HasSubstr("are unclaimed"));
  EXPECT_FALSE(t.try_claim(""));
  t.check_done();
}

TEST(ByteKeyRestrictionTrackerTest, ACheckpointSplitsAtTheNextKey) {
  ByteKeyRestrictionTracker t({"a", "z"});
  ASSERT_TRUE(t.try_claim("k"));
  EXPECT_EQ(t.try_split(0), (Split{{"a", key("k\0", 2)}, {key("k\0", 2), "z"}}));
  t.check_done();  // nothing lies between "k" and "k\0"
  EXPECT_FALSE(t.try_claim("ka"));
}

TEST(ByteKeyRestrictionTrackerTest, AFractionIsOfTheUnclaimedKeys) {
  ByteKeyRestrictionTracker t({"a", "c"});
  ASSERT_TRUE(t.try_claim("a"));
  const auto split = t.try_split(0.5);
  ASSERT_TRUE(split);
  const std::string u = key("a\0", 2);
  const double share = internal::key_to_fraction(split->residual.start, u, "c");
  EXPECT_GE(share, 0.5);
  EXPECT_LE(share, 0.5 * (1 + internal::kKeyFractionTolerance));
  EXPECT_EQ(split->primary.end, split->residual.start);
  EXPECT_EQ(split->residual.end, "c");
}

TEST(ByteKeyRestrictionTrackerTest, ACheckpointBeforeAnyClaimOfTheWholeKeySpace) {
  // ["", "") would be the whole key space again: the primary is ["", "\0"),
  // which holds no claimable key.
  ByteKeyRestrictionTracker t({"", ""});
  EXPECT_EQ(t.try_split(0), (Split{{"", key("\0", 1)}, {key("\0", 1), ""}}));
  t.check_done();
  EXPECT_EQ(t.progress(), (RestrictionProgress{0, 0}));
  EXPECT_FALSE(t.try_claim(key("\0", 1)));
}

TEST(ByteKeyRestrictionTrackerTest, RefusesWhenNoKeyIsLeft) {
  ByteKeyRestrictionTracker t({"a", key("a\0", 2)});
  ASSERT_TRUE(t.try_claim("a"));
  EXPECT_EQ(t.try_split(0), std::nullopt);
  EXPECT_EQ(t.try_split(0.5), std::nullopt);
  t.check_done();
  ByteKeyRestrictionTracker whole({"a", "b"});
  EXPECT_EQ(whole.try_split(1), std::nullopt);  // the residual would be empty
}

TEST(ByteKeyRestrictionTrackerTest, ProgressIsInSharesOfTheRange) {
  ByteKeyRestrictionTracker t({"", "\x80"});
  EXPECT_EQ(t.progress(), (RestrictionProgress{0, 1}));
  ASSERT_TRUE(t.try_claim("\x40"));
  EXPECT_EQ(t.progress(), (RestrictionProgress{0.5, 0.5}));
  ByteKeyRestrictionTracker empty({"b", "b"});
  EXPECT_EQ(empty.progress(), (RestrictionProgress{0, 0}));
  empty.check_done();
}

TEST(ByteKeyRestrictionTrackerTest, MisuseIsAUsageError) {
  ByteKeyRestrictionTracker t({"b", "d"});
  EXPECT_THAT(UsageErrorOf([&] { t.try_claim("a"); }), HasSubstr("before the start"));
  ASSERT_TRUE(t.try_claim("c"));
  EXPECT_THAT(UsageErrorOf([&] { t.try_claim("c"); }), HasSubstr("claims must increase"));
  EXPECT_THAT(UsageErrorOf([&] { t.try_split(2); }), HasSubstr("must be in [0, 1]"));
  EXPECT_FALSE(t.try_claim("e"));
  EXPECT_THAT(UsageErrorOf([&] { t.try_claim("f"); }), HasSubstr("the DoFn must stop"));
  EXPECT_THAT(UsageErrorOf([] {
                ByteKeyRestrictionTracker({"b", "a"});
              }),
              HasSubstr("ends before it starts"));
}

TEST(ByteKeyRangeTest, CoderRoundTripsAndRejectsBadRanges) {
  const ByteKeyRange r{key("a\0b", 3), ""};
  EXPECT_EQ(decode_from_bytes<ByteKeyRange>(encode_to_bytes(r), "range"), r);
  EXPECT_EQ(r.debug_string(), "[61 00 62, <end>)");
  const std::string bad = encode_to_bytes(std::string("b")) + encode_to_bytes(std::string("a"));
  EXPECT_THAT(ErrorOf<CorruptDataError>([&] { decode_from_bytes<ByteKeyRange>(bad, "range"); }),
              HasSubstr("its end is before its start"));
}

}  // namespace
}  // namespace splitcheck
