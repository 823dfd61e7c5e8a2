#include "splitcheck/lib/sdf/offset_restriction_tracker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <thread>

#include "splitcheck/lib/coders/coder.h"
#include "splitcheck/lib/sdf/growable_offset_restriction_tracker.h"
#include "splitcheck/lib/sdf/internal/offset_split.h"
#include "splitcheck/testkit/error_matchers.h"

namespace splitcheck {
namespace {

using ::splitcheck::testkit::ErrorOf;
using ::splitcheck::testkit::UsageErrorOf;
using ::testing::HasSubstr;
using Split = RestrictionSplit<OffsetRange>;

TEST(OffsetRestrictionTrackerTest, ClaimsInsideTheRangeAndRefusesAtTheEnd) {
  OffsetRestrictionTracker t({10, 13});
  EXPECT_TRUE(t.try_claim(10));
  EXPECT_TRUE(t.try_claim(12));
  EXPECT_FALSE(t.try_claim(13));
  t.check_done();
  EXPECT_EQ(t.progress(), (RestrictionProgress{3, 0}));
}

TEST(OffsetRestrictionTrackerTest, BeamsExampleSplit) {
  OffsetRestrictionTracker t({100, 200});
  ASSERT_TRUE(t.try_claim(100));
  ASSERT_TRUE(t.try_claim(130));
  EXPECT_EQ(t.try_split(0.7), (Split{{100, 179}, {179, 200}}));
  EXPECT_EQ(t.current_restriction(), (OffsetRange{100, 179}));
}

TEST(OffsetRestrictionTrackerTest, ACheckpointKeepsExactlyTheClaimedWork) {
  OffsetRestrictionTracker t({0, 50});
  ASSERT_TRUE(t.try_claim(0));
  ASSERT_TRUE(t.try_claim(7));
  EXPECT_EQ(t.try_split(0), (Split{{0, 8}, {8, 50}}));
  t.check_done();  // 7 is the last offset of the primary
  EXPECT_FALSE(t.try_claim(8));
}

TEST(OffsetRestrictionTrackerTest, ACheckpointBeforeAnyClaimGivesAwayEverything) {
  OffsetRestrictionTracker t({5, 9});
  EXPECT_EQ(t.try_split(0), (Split{{5, 5}, {5, 9}}));
  t.check_done();
  EXPECT_FALSE(t.try_claim(5));
}

TEST(OffsetRestrictionTrackerTest, RefusesSplitsWithNothingLeft) {
  OffsetRestrictionTracker t({0, 3});
  ASSERT_TRUE(t.try_claim(2));
  EXPECT_EQ(t.try_split(0.5), std::nullopt);  // 2 + max(1, floor(0.5)) = 3 = to
  EXPECT_EQ(t.try_split(0), std::nullopt);
  OffsetRestrictionTracker done({0, 3});
  EXPECT_FALSE(done.try_claim(3));
  EXPECT_EQ(done.try_split(0), std::nullopt);
  OffsetRestrictionTracker empty({4, 4});
  EXPECT_EQ(empty.try_split(0), std::nullopt);
  empty.check_done();
}

TEST(OffsetRestrictionTrackerTest, CheckDoneNamesTheUnclaimedOffsets) {
  OffsetRestrictionTracker t({0, 100});
  ASSERT_TRUE(t.try_claim(30));
  EXPECT_THAT(UsageErrorOf([&] { t.check_done(); }), HasSubstr("offsets [31, 100) are unclaimed"));
  OffsetRestrictionTracker fresh({3, 5});
  EXPECT_THAT(UsageErrorOf([&] { fresh.check_done(); }), HasSubstr("offsets [3, 5)"));
}

TEST(OffsetRestrictionTrackerTest, ProgressCountsTheBlockBeingDoneAsRemaining) {
  OffsetRestrictionTracker t({10, 20});
  EXPECT_EQ(t.progress(), (RestrictionProgress{0, 10}));
  ASSERT_TRUE(t.try_claim(14));
  EXPECT_EQ(t.progress(), (RestrictionProgress{4, 6}));
  ASSERT_TRUE(t.try_split(0.5));  // 14 + floor(6 * 0.5) = 17
  EXPECT_EQ(t.progress(), (RestrictionProgress{4, 3}));
}

TEST(OffsetRestrictionTrackerTest, MisuseIsAUsageError) {
  OffsetRestrictionTracker t({10, 20});
  EXPECT_THAT(UsageErrorOf([&] { t.try_claim(9); }), HasSubstr("before the start"));
  ASSERT_TRUE(t.try_claim(12));
  EXPECT_THAT(UsageErrorOf([&] { t.try_claim(12); }), HasSubstr("claims must increase"));
  EXPECT_THAT(UsageErrorOf([&] { t.try_split(-0.1); }), HasSubstr("must be in [0, 1]"));
  EXPECT_THAT(UsageErrorOf([&] { t.try_split(std::nan("")); }), HasSubstr("must be in [0, 1]"));
  EXPECT_THAT(UsageErrorOf([&] { t.try_split(1.5); }), HasSubstr("must be in [0, 1]"));
  EXPECT_FALSE(t.try_claim(25));
  EXPECT_THAT(UsageErrorOf([&] { t.try_claim(26); }), HasSubstr("the DoFn must stop"));
  EXPECT_THAT(UsageErrorOf([] { OffsetRestrictionTracker({5, 4}); }), HasSubstr("[5, 4)"));
  EXPECT_THAT(UsageErrorOf([] { OffsetRestrictionTracker({-1, 4}); }), HasSubstr("0 <= from"));
}

TEST(OffsetRestrictionTrackerTest, SplitArithmeticIsExactForHugeRanges) {
  const std::int64_t max = std::numeric_limits<std::int64_t>::max();
  OffsetRestrictionTracker t({0, max});
  ASSERT_TRUE(t.try_claim(max - 10));
  const auto split = t.try_split(0.5);  // (max - (max - 10)) * 0.5 = 5
  ASSERT_TRUE(split);
  EXPECT_EQ(split->residual.from, max - 5);
  OffsetRestrictionTracker whole({0, max});
  const auto half = whole.try_split(0.5);  // cur = -1: -1 + floor((max + 1) / 2)
  ASSERT_TRUE(half);
  EXPECT_EQ(half->residual.from, (max - 1) / 2);
}

TEST(OffsetRestrictionTrackerTest, ConcurrentClaimsAndSplitsLoseNothing) {
  for (int round = 0; round < 20; ++round) {
    OffsetRestrictionTracker t({0, 100000});
    std::atomic<bool> go{false};
    std::int64_t claimed_to = -1;
    std::thread reader([&] {
      while (!go) {
      }
      for (std::int64_t p = 0; t.try_claim(p); ++p) claimed_to = p;
    });
    std::vector<Split> splits;
    go = true;
    for (int i = 0; i < 50; ++i) {
      if (auto s = t.try_split(0.5)) splits.push_back(*s);
    }
    reader.join();
    // Each split gives away the tail of what the one before left: the
    // residuals and the final range tile [0, 100000), and the reader
    // claimed exactly the final range.
    std::int64_t stop = 100000;
    for (const Split& s : splits) {
      ASSERT_EQ(s.residual.to, stop);
      ASSERT_EQ(s.primary.to, s.residual.from);
      stop = s.residual.from;
    }
    EXPECT_EQ(t.current_restriction(), (OffsetRange{0, stop}));
    EXPECT_EQ(claimed_to, stop - 1);
    t.check_done();
  }
}

TEST(OffsetSplitStepTest, ReadsTheFractionAsItsShortestDecimal) {
  using internal::offset_split_step;
  const auto step = [](unsigned __int128 span, double f) {
    return static_cast<std::int64_t>(offset_split_step(span, f));
  };
  EXPECT_EQ(step(70, 0.7), 49);  // 70 * 0.7 in doubles is 48.99...
  EXPECT_EQ(step(10, 0.1), 1);
  EXPECT_EQ(step(3, 1.0 / 3), 0);  // 0.333...3 * 3 < 1
  EXPECT_EQ(step(100, 0), 0);
  EXPECT_EQ(step(100, 1), 100);
  EXPECT_EQ(step(100, 1e-300), 0);
  const unsigned __int128 top = static_cast<unsigned __int128>(1) << 63;
  EXPECT_TRUE(offset_split_step(top, 0.5) == (__int128{1} << 62));
  EXPECT_TRUE(offset_split_step(top, 0.9999999999999999) ==
              static_cast<__int128>(top * 9999999999999999 / 10000000000000000));
  EXPECT_TRUE(offset_split_step(top, 1) == static_cast<__int128>(top));  // not INT64_MIN
}

// The whole offset space, split at 1 before any claim: the step is 2^63,
// which does not fit in 64 bits; the split lands at the end and is refused.
TEST(OffsetRestrictionTrackerTest, ASplitAtOneOfTheWholeOffsetSpaceIsRefused) {
  OffsetRestrictionTracker t({0, kOffsetInfinity});
  EXPECT_EQ(t.try_split(1), std::nullopt);
  GrowableOffsetRestrictionTracker g(0, [] { return kOffsetInfinity; });
  EXPECT_EQ(g.try_split(1), std::nullopt);
}

TEST(OffsetRangeTest, CoderRoundTripsAndRejectsBadRanges) {
  const OffsetRange r{3, kOffsetInfinity};
  EXPECT_EQ(decode_from_bytes<OffsetRange>(encode_to_bytes(r), "range"), r);
  ByteWriter out;
  out.put_signed(9);
  out.put_signed(4);
  EXPECT_THAT(
      ErrorOf<CorruptDataError>([&] { decode_from_bytes<OffsetRange>(out.bytes(), "range"); }),
      HasSubstr("needs 0 <= from <= to, got [9, 4)"));
  EXPECT_EQ(r.debug_string(), "[3, inf)");
}

TEST(GrowableOffsetRestrictionTrackerTest, SplitsNoFurtherThanTheEstimate) {
  std::atomic<std::int64_t> end{20};
  GrowableOffsetRestrictionTracker t(10, [&] { return end.load(); });
  EXPECT_FALSE(t.is_bounded());
  ASSERT_TRUE(t.try_claim(10));
  ASSERT_TRUE(t.try_claim(1000));                          // the input may reach it
  EXPECT_EQ(t.progress(), (RestrictionProgress{990, 1}));  // estimate below: cur + 1
  end = 2000;
  EXPECT_EQ(t.progress(), (RestrictionProgress{990, 1000}));
  const auto split = t.try_split(0.5);  // 1000 + floor(1000 * 0.5)
  ASSERT_TRUE(split);
  EXPECT_EQ(split->primary, (OffsetRange{10, 1500}));
  EXPECT_EQ(split->residual, (OffsetRange{1500, kOffsetInfinity}));
  EXPECT_TRUE(t.is_bounded());
  EXPECT_EQ(t.progress(), (RestrictionProgress{990, 500}));  // bounded now: no estimate
}

TEST(GrowableOffsetRestrictionTrackerTest, ACheckpointResumesAfterTheClaims) {
  GrowableOffsetRestrictionTracker t(0, [] { return std::int64_t{5}; });
  ASSERT_TRUE(t.try_claim(0));
  ASSERT_TRUE(t.try_claim(1));
  const auto split = t.try_split(0);
  ASSERT_TRUE(split);
  EXPECT_EQ(split->primary, (OffsetRange{0, 2}));
  EXPECT_EQ(split->residual, (OffsetRange{2, kOffsetInfinity}));
  t.check_done();
  GrowableOffsetRestrictionTracker resumed(split->residual, [] { return std::int64_t{5}; });
  EXPECT_FALSE(resumed.is_bounded());
  EXPECT_TRUE(resumed.try_claim(2));
}

TEST(GrowableOffsetRestrictionTrackerTest, UnboundedWorkIsNeverDoneUntilRefused) {
  GrowableOffsetRestrictionTracker t(0, [] { return std::int64_t{3}; });
  ASSERT_TRUE(t.try_claim(2));
  EXPECT_THAT(UsageErrorOf([&] { t.check_done(); }), HasSubstr("offsets [3, inf) are unclaimed"));
  EXPECT_FALSE(t.try_claim(kOffsetInfinity));
  t.check_done();
  EXPECT_EQ(t.try_split(0), std::nullopt);
  EXPECT_EQ(t.progress().remaining, 0);
}

TEST(GrowableOffsetRestrictionTrackerTest, TheEstimatorIsRequiredAndItsErrorsPropagate) {
  EXPECT_THAT(UsageErrorOf([] { GrowableOffsetRestrictionTracker(0, nullptr); }),
              HasSubstr("the end estimator is empty"));
  GrowableOffsetRestrictionTracker t(0, []() -> std::int64_t { throw InputError("log gone"); });
  EXPECT_THAT(ErrorOf<InputError>([&] { t.try_split(0.5); }), HasSubstr("log gone"));
  EXPECT_TRUE(t.try_claim(0));  // claims never ask it
}

}  // namespace
}  // namespace splitcheck
