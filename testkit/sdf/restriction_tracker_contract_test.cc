#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>

#include "splitcheck/lib/sdf/offset_restriction_tracker.h"
#include "splitcheck/testkit/gtest.h"
#include "splitcheck/testkit/sdf/built_in_tracker_factories.h"
#include "splitcheck/testkit/sdf_testkit.h"

namespace splitcheck::testkit {
namespace {

using ::testing::HasSubstr;

TEST(RestrictionTrackerContractTest, TheBuiltInTrackersPass) {
  SPLITCHECK_EXPECT_PASSED(
      check_restriction_tracker_contract(offset_tracker_factory(), offset_restrictions()));
  SPLITCHECK_EXPECT_PASSED(check_restriction_tracker_contract(growable_offset_tracker_factory(),
                                                              growable_offset_restrictions()));
  SPLITCHECK_EXPECT_PASSED(
      check_restriction_tracker_contract(byte_key_tracker_factory(), byte_key_restrictions()));
}

TEST(RestrictionTrackerContractTest, TheyPassWithoutTheArithmeticToo) {
  RestrictionContractOptions o;
  o.check_arithmetic = false;
  o.sequential_runs = 100;
  o.concurrent_runs = 10;
  SPLITCHECK_EXPECT_PASSED(
      check_restriction_tracker_contract(offset_tracker_factory(), offset_restrictions(), o));
  SPLITCHECK_EXPECT_PASSED(
      check_restriction_tracker_contract(byte_key_tracker_factory(), byte_key_restrictions(), o));
}

// The bounded offset tracker is not the growable one: its [from, inf) is a
// large bounded range, so the growable rules reject it (is_bounded, and
// splits that ignore the estimate).
TEST(RestrictionTrackerContractTest, ABoundedTrackerFailsTheGrowableRules) {
  const CheckResult r = check_restriction_tracker_sequential(
      offset_tracker_factory(), growable_offset_restrictions(), {.seed = 7});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.message, HasSubstr("auto t = factory(splitcheck::OffsetRange{"));
  EXPECT_THAT(r.message, HasSubstr("^ violation: OffsetRestrictionTracker"));
  EXPECT_THAT(r.replay, HasSubstr("check_restriction_tracker_sequential"));
}

TEST(RestrictionTrackerContractTest, AScenarioReplaysAsWritten) {
  const auto domain = offset_restrictions();
  const auto model = domain.model({});
  RestrictionScenario<OffsetRange, std::int64_t> s;
  s.restriction = {100, 200};
  s.ops = {{RestrictionOpKind::kTryClaim, 100, 0, 0},
           {RestrictionOpKind::kTryClaim, 130, 0, 0},
           {RestrictionOpKind::kTrySplit, 0, 0.7, 0},
           {RestrictionOpKind::kCurrentRestriction, 0, 0, 0},
           {RestrictionOpKind::kCheckDone, 0, 0, 0}};
  EXPECT_EQ(check_restriction_scenario(offset_tracker_factory(), domain, *model, s), std::nullopt);
  // A factory that ignores the restriction it is given.
  const RestrictionTrackerFactory<OffsetRange, std::int64_t> wrong = [](const OffsetRange&,
                                                                        EndEstimate) {
    return std::make_unique<OffsetRestrictionTracker>(OffsetRange{100, 120});
  };
  const auto violation = check_restriction_scenario(wrong, domain, *model, s);
  ASSERT_TRUE(violation);
  EXPECT_THAT(*violation,
              HasSubstr("auto t = factory(splitcheck::OffsetRange{100, 200}, nullptr);\n"
                        "t->try_claim(100);  // true\n"
                        "t->try_claim(130);  // false\n"
                        "^ violation: OffsetRestrictionTracker[100, 120): try_claim(130) "
                        "refused an offset inside [100, 200)"));
}

}  // namespace
}  // namespace splitcheck::testkit
