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
  limit.after_batch(microseconds(100));
  EXPECT_EQ(limit.records(), 2 * BatchLimit::kFirst);
  for (int i = 0; i < 20; ++i) limit.after_batch(microseconds(100));
  EXPECT_EQ(limit.records(), BatchLimit::kMax);
}

TEST(BatchLimitTest, ShrinksForASlowSourceDownToOneRecord) {
  BatchLimit limit;
  limit.after_batch(milliseconds(50));
  EXPECT_EQ(limit.records(), BatchLimit::kFirst / 2);
  for (int i = 0; i < 20; ++i) limit.after_batch(milliseconds(50));
  EXPECT_EQ(limit.records(), 1);
  limit.after_batch(milliseconds(50));
  EXPECT_EQ(limit.records(), 1);
  limit.after_batch(microseconds(10));  // the source sped up
  EXPECT_EQ(limit.records(), 2);
}

TEST(BatchLimitTest, StaysWhenABatchTakesAboutTheTarget) {
  BatchLimit limit;
  limit.after_batch(BatchLimit::kTarget);
  limit.after_batch(BatchLimit::kTarget / 2);
  limit.after_batch(BatchLimit::kTarget * 2);
  EXPECT_EQ(limit.records(), BatchLimit::kFirst);
}

TEST(BatchLimitTest, ABatchIsFullAtItsCountOrItsBytes) {
  const BatchLimit limit;
  EXPECT_FALSE(limit.full(BatchLimit::kFirst - 1, BatchLimit::kBytes - 1));
  EXPECT_TRUE(limit.full(BatchLimit::kFirst, 0));
  EXPECT_TRUE(limit.full(1, BatchLimit::kBytes));
}

}  // namespace
}  // namespace splitcheck::internal
