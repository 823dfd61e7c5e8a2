#include <optional>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/runner/scripted_schedule.h"
#include "splitcheck/lib/runner/seeded_schedule.h"
#include "splitcheck/testkit/error_matchers.h"

namespace splitcheck {
namespace {

using ::testing::HasSubstr;
using ::testing::Optional;
using testkit::UsageErrorOf;

TEST(ScriptedScheduleTest, AnswersExactlyAtTheScriptedPoints) {
  ScriptedSchedule schedule({{"0", 1, 10, 0.25}, {"0.1", 2, 0, 0.5}}, {{"3", 1, 7}});
  EXPECT_THAT(schedule.split_after({"0", 1, 10}), Optional(0.25));
  EXPECT_EQ(schedule.split_after({"0", 1, 9}), std::nullopt);
  EXPECT_EQ(schedule.split_after({"0", 2, 10}), std::nullopt);
  EXPECT_THAT(schedule.split_after({"0.1", 2, 0}), Optional(0.5));
  EXPECT_TRUE(schedule.fail_after({"3", 1, 7}));
  EXPECT_FALSE(schedule.fail_after({"3", 2, 7}));
  EXPECT_FALSE(schedule.rebalance_idle_workers());
  EXPECT_EQ(schedule.to_string(),
            "split 0 attempt 1 after 10 records at 0.25\n"
            "split 0.1 attempt 2 after 0 records at 0.5\n"
            "fail 3 attempt 1 after 7 records\n");
}

TEST(ScriptedScheduleTest, BadEventsAreUsageErrors) {
  EXPECT_THAT(UsageErrorOf([] {
                ScriptedSchedule({{"0", 1, 1, 1.0}}, {});
              }),
              HasSubstr("must be in (0, 1), got 1"));
  EXPECT_THAT(UsageErrorOf([] {
                ScriptedSchedule({}, {{"0", 0, 1}});
              }),
              HasSubstr("attempts are numbered from 1"));
  EXPECT_THAT(UsageErrorOf([] {
                ScriptedSchedule({}, {{"0", 1, -1}});
              }),
              HasSubstr("must not be negative"));
}

TEST(SeededScheduleTest, DecisionsDependOnlyOnSeedAndProgress) {
  const SeededSchedule a(7, {.split_probability = 0.3, .failure_probability = 0.3});
  const SeededSchedule b(7, {.split_probability = 0.3, .failure_probability = 0.3});
  const SeededSchedule c(8, {.split_probability = 0.3, .failure_probability = 0.3});
  int splits = 0;
  int differences = 0;
  for (std::int64_t k = 0; k < 1000; ++k) {
    const ReadProgress p{"2.1", 1, k};
    EXPECT_EQ(a.split_after(p), b.split_after(p));
    EXPECT_EQ(a.fail_after(p), b.fail_after(p));
    splits += a.split_after(p).has_value();
    differences += a.split_after(p) != c.split_after(p);
    if (const auto f = a.split_after(p)) {
      EXPECT_GE(*f, 0.05);
      EXPECT_LE(*f, 0.95);
    }
  }
  EXPECT_GT(splits, 200);  // about 300 expected
  EXPECT_LT(splits, 400);
  EXPECT_GT(differences, 100);
}

TEST(SeededScheduleTest, FailuresStopAfterMaxFailedAttempts) {
  const SeededSchedule schedule(1, {.failure_probability = 1.0, .max_failed_attempts = 2});
  EXPECT_TRUE(schedule.fail_after({"0", 1, 5}));
  EXPECT_TRUE(schedule.fail_after({"0", 2, 5}));
  EXPECT_FALSE(schedule.fail_after({"0", 3, 5}));
}

TEST(SeededScheduleTest, BadOptionsAreUsageErrors) {
  EXPECT_THAT(UsageErrorOf([] { SeededSchedule(1, {.split_probability = 1.5}); }),
              HasSubstr("split_probability must be in [0, 1], got 1.5"));
  EXPECT_THAT(UsageErrorOf([] { SeededSchedule(1, {.min_fraction = 0.9, .max_fraction = 0.1}); }),
              HasSubstr("need 0 < min_fraction <= max_fraction < 1"));
}

}  // namespace
}  // namespace splitcheck
