// Each bug of broken_restriction_trackers.h is rejected by the restriction
// tracker contract check that should reject it, and the same tracker without
// a bug passes.

#include "splitcheck/testkit/zoo/broken_restriction_trackers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>

#include "splitcheck/testkit/gtest.h"
#include "splitcheck/testkit/sdf_testkit.h"

namespace splitcheck::testkit {
namespace {

using ::splitcheck::examples::broken::BuggyByteKeyRestrictionTracker;
using ::splitcheck::examples::broken::BuggyOffsetRestrictionTracker;
using ::splitcheck::examples::broken::RestrictionBug;
using ::testing::HasSubstr;

RestrictionTrackerFactory<OffsetRange, std::int64_t> bounded(RestrictionBug bug) {
  return [bug](const OffsetRange& r, EndEstimate) {
    return std::make_unique<BuggyOffsetRestrictionTracker>(r, nullptr, bug);
  };
}

RestrictionTrackerFactory<OffsetRange, std::int64_t> growable(RestrictionBug bug) {
  return [bug](const OffsetRange& r, EndEstimate e) {
    return std::make_unique<BuggyOffsetRestrictionTracker>(r, std::move(e), bug);
  };
}

RestrictionTrackerFactory<ByteKeyRange, std::string> keys(RestrictionBug bug) {
  return [bug](const ByteKeyRange& r, EndEstimate) {
    return std::make_unique<BuggyByteKeyRestrictionTracker>(r, bug);
  };
}

TEST(BrokenRestrictionTrackersTest, WithoutABugTheyPass) {
  SPLITCHECK_EXPECT_PASSED(
      check_restriction_tracker_contract(bounded(RestrictionBug::kNone), offset_restrictions()));
  SPLITCHECK_EXPECT_PASSED(check_restriction_tracker_contract(growable(RestrictionBug::kNone),
                                                              growable_offset_restrictions()));
  SPLITCHECK_EXPECT_PASSED(
      check_restriction_tracker_contract(keys(RestrictionBug::kNone), byte_key_restrictions()));
}

struct Case {
  const char* name;
  RestrictionBug bug;
  bool growable;
  const char* rule;  // in the violation
};

class SequentialBugTest : public ::testing::TestWithParam<Case> {};

TEST_P(SequentialBugTest, TheSequentialCheckRejectsIt) {
  const Case& c = GetParam();
  const CheckResult r =
      c.growable
          ? check_restriction_tracker_sequential(growable(c.bug), growable_offset_restrictions())
          : check_restriction_tracker_sequential(bounded(c.bug), offset_restrictions());
  ASSERT_FALSE(r.ok()) << r.to_string();
  // A rounded split shows in either of two rules, depending on the drawn
  // restriction: a split past what the fraction asked for, or a split
  // refused that the range allows (0.999 of [0, 1) rounded up to 1).
  const char* other = c.bug == RestrictionBug::kRoundsTheSplit
                          ? "refused, but [0, 1) with no claim yet can be split at 0"
                          : c.rule;
  EXPECT_THAT(r.message, ::testing::AnyOf(HasSubstr(c.rule), HasSubstr(other))) << r.message;
}

INSTANTIATE_TEST_SUITE_P(
    Zoo, SequentialBugTest,
    ::testing::Values(
        Case{"CheckDonePassesWithWorkLeft", RestrictionBug::kCheckDonePassesWithWorkLeft, false,
             "check_done() passed with offsets"},
        Case{"ResidualOverlapsPrimary", RestrictionBug::kResidualOverlapsPrimary, false,
             "the residual holds claimed work"},
        Case{"CompletedFromTheStop", RestrictionBug::kCompletedFromTheStop, false, "progress()"},
        Case{"CheckpointKeepsUnclaimedWork", RestrictionBug::kCheckpointKeepsUnclaimedWork, false,
             "try_split(0)"},
        Case{"SplitsPastTheEstimate", RestrictionBug::kSplitsPastTheEstimate, true, "the fraction"},
        Case{"ClaimsAfterRefusal", RestrictionBug::kClaimsAfterRefusal, false,
             "a claim after a refused one must be a UsageError"},
        Case{"RoundsTheSplit", RestrictionBug::kRoundsTheSplit, false,
             "of the remainder puts the split at"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(BrokenRestrictionTrackersTest, TheEndMarkerClaimedAsAKeyIsRejected) {
  const CheckResult r = check_restriction_tracker_sequential(
      keys(RestrictionBug::kClaimsTheEndMarker), byte_key_restrictions());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.message, HasSubstr("accepted the empty key, the end of the key space"));
}

TEST(BrokenRestrictionTrackersTest, CheckDoneAfterAnyClaimIsRejected) {
  const CheckResult r = check_restriction_tracker_sequential(
      keys(RestrictionBug::kCheckDoneAfterAnyClaim), byte_key_restrictions());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.message, HasSubstr("check_done() passed with keys"));
}

// Every sequential history of it is right: only the concurrent check sees
// the split that lands on a claim made while it had let go of its lock.
TEST(BrokenRestrictionTrackersTest, ASplitWithoutTheLockIsRejectedByTheLinearizabilityCheck) {
  SPLITCHECK_EXPECT_PASSED(check_restriction_tracker_sequential(
      bounded(RestrictionBug::kSplitWithoutTheLock), offset_restrictions()));
  RestrictionContractOptions o;
  o.concurrent_runs = 200;
  o.repetitions = 20;
  const CheckResult r = check_restriction_tracker_linearizable(
      bounded(RestrictionBug::kSplitWithoutTheLock), offset_restrictions(), o);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.message, HasSubstr("no order of these calls is accepted"));
}

}  // namespace
}  // namespace splitcheck::testkit
