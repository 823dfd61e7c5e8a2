#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>

#include "splitcheck/lib/sdf/byte_key_restriction_tracker.h"
#include "splitcheck/lib/sdf/growable_offset_restriction_tracker.h"
#include "splitcheck/lib/sdf/offset_restriction_tracker.h"
#include "splitcheck/testkit/gtest.h"
#include "splitcheck/testkit/sdf_testkit.h"

namespace splitcheck::testkit {
namespace {

using ::testing::HasSubstr;

RestrictionTrackerFactory<OffsetRange, std::int64_t> offsets() {
  return [](const OffsetRange& r, EndEstimate) {
    return std::make_unique<OffsetRestrictionTracker>(r);
  };
}

RestrictionTrackerFactory<OffsetRange, std::int64_t> growable() {
  return [](const OffsetRange& r, EndEstimate e) {
    return std::make_unique<GrowableOffsetRestrictionTracker>(r, std::move(e));
  };
}

RestrictionTrackerFactory<ByteKeyRange, std::string> keys() {
  return [](const ByteKeyRange& r, EndEstimate) {
    return std::make_unique<ByteKeyRestrictionTracker>(r);
  };
}

TEST(RestrictionTrackerContractTest, TheBuiltInTrackersPass) {
  SPLITCHECK_EXPECT_PASSED(check_restriction_tracker_contract(offsets(), offset_restrictions()));
  SPLITCHECK_EXPECT_PASSED(
      check_restriction_tracker_contract(growable(), growable_offset_restrictions()));
  SPLITCHECK_EXPECT_PASSED(check_restriction_tracker_contract(keys(), byte_key_restrictions()));
}

TEST(RestrictionTrackerContractTest, TheyPassWithoutTheArithmeticToo) {
  RestrictionContractOptions o;
  o.check_arithmetic = false;
  o.sequential_runs = 100;
  o.concurrent_runs = 10;
  SPLITCHECK_EXPECT_PASSED(check_restriction_tracker_contract(offsets(), offset_restrictions(), o));
  SPLITCHECK_EXPECT_PASSED(check_restriction_tracker_contract(keys(), byte_key_restrictions(), o));
}

// The bounded offset tracker is not the growable one: its [from, inf) is a
// large bounded range, so the growable rules reject it (is_bounded, and
// splits that ignore the estimate).
TEST(RestrictionTrackerContractTest, ABoundedTrackerFailsTheGrowableRules) {
  const CheckResult r =
      check_restriction_tracker_sequential(offsets(), growable_offset_restrictions(), {.seed = 7});
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
  EXPECT_EQ(check_restriction_scenario(offsets(), domain, *model, s), std::nullopt);
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
