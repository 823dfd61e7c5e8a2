#include "splitcheck/lib/runner/internal/batch_limit.h"

#include <chrono>

#include "gtest/gtest.h"

namespace splitcheck::internal {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

TEST(BatchLimitTest, GrowsForAFastSourceUpToItsMaximum) {
  BatchLimit limit;
  EXPECT_EQ(limit.records(), BatchLimit::kFirst);
  limit.after_batch(limit.records(), microseconds(100));
  EXPECT_EQ(limit.records(), 2 * BatchLimit::kFirst);
  for (int i = 0; i < 20; ++i) limit.after_batch(limit.records(), microseconds(100));
  EXPECT_EQ(limit.records(), BatchLimit::kMax);
}

// A batch that ended at its bytes, short of its count, says nothing about
// whether more records would fit in the time.
TEST(BatchLimitTest, DoesNotGrowOnABatchEndedByItsBytes) {
  BatchLimit limit;
  limit.after_batch(BatchLimit::kFirst / 2, microseconds(100));
  EXPECT_EQ(limit.records(), BatchLimit::kFirst);
}

// A slow batch sets the limit to what would have taken the target time, in
// one step, however large the limit was (a source that slows down in the
// middle of a bundle).
TEST(BatchLimitTest, ShrinksAtOnceToWhatATargetsTimeReads) {
  BatchLimit limit;
  for (int i = 0; i < 10; ++i) limit.after_batch(limit.records(), microseconds(100));
  ASSERT_EQ(limit.records(), BatchLimit::kMax);
  limit.after_batch(1000, milliseconds(100));  // 0.1 ms a record
  EXPECT_EQ(limit.records(), 20);
  limit.after_batch(1, std::chrono::seconds(3));  // 3 s a record
  EXPECT_EQ(limit.records(), 1);
  limit.after_batch(1, microseconds(10));  // the source sped up
  EXPECT_EQ(limit.records(), 2);
}

// A limit that is not a power of two (after a shrink) still stops at kMax.
TEST(BatchLimitTest, GrowsBackToExactlyItsMaximum) {
  BatchLimit limit;
  limit.after_batch(1000, milliseconds(100));
  ASSERT_EQ(limit.records(), 20);
  for (int i = 0; i < 30; ++i) limit.after_batch(limit.records(), microseconds(1));
  EXPECT_EQ(limit.records(), BatchLimit::kMax);
}

TEST(BatchLimitTest, StaysWhenABatchTakesAboutTheTarget) {
  BatchLimit limit;
  limit.after_batch(limit.records(), BatchLimit::kTarget);
  limit.after_batch(limit.records(), BatchLimit::kTarget / 2);
  limit.after_batch(limit.records(), BatchLimit::kTarget * 2);
  EXPECT_EQ(limit.records(), BatchLimit::kFirst);
}

TEST(BatchLimitTest, ABatchIsFullAtItsCountItsBytesOrItsTime) {
  const BatchLimit limit;
  EXPECT_FALSE(limit.full(BatchLimit::kFirst - 1, BatchLimit::kBytes - 1));
  EXPECT_TRUE(limit.full(BatchLimit::kFirst, 0));
  EXPECT_TRUE(limit.full(1, BatchLimit::kBytes));
  EXPECT_FALSE(BatchLimit::overdue(BatchLimit::kTarget));
  EXPECT_TRUE(BatchLimit::overdue(BatchLimit::kTarget * 3));
}

TEST(BatchLimitTest, LooksAtTheClockEveryFewRecordsOrEveryOneWhenTheLimitIsLow) {
  BatchLimit limit;
  EXPECT_TRUE(limit.time_to_look(1));  // the powers of two
  EXPECT_TRUE(limit.time_to_look(8));
  EXPECT_FALSE(limit.time_to_look(3));
  EXPECT_FALSE(limit.time_to_look(BatchLimit::kClockEvery + 1));
  EXPECT_TRUE(limit.time_to_look(3 * BatchLimit::kClockEvery));
  limit.after_batch(1, milliseconds(100));
  ASSERT_EQ(limit.records(), 1);
  EXPECT_TRUE(limit.time_to_look(1));
}

}  // namespace
}  // namespace splitcheck::internal
