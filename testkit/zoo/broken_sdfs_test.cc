// Each bug of broken_sdfs.h is rejected by the SDF checks, with the rule it
// breaks; the same DoFn without a bug (and with checkpoints) passes.

#include "splitcheck/testkit/zoo/broken_sdfs.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "splitcheck/testkit/gtest.h"
#include "splitcheck/testkit/sdf_testkit.h"

namespace splitcheck::testkit {
namespace {

using ::splitcheck::examples::broken::BrokenCountingDoFn;
using ::splitcheck::examples::broken::SdfBug;
using ::testing::HasSubstr;

TEST(BrokenSdfsTest, WithoutABugItPasses) {
  for (const int per_call : {0, 1, 3}) {
    const BrokenCountingDoFn dofn(SdfBug::kNone, per_call);
    for (const std::int64_t n : {0, 1, 2, 17}) {
      SPLITCHECK_EXPECT_PASSED(check_sdf(dofn, n)) << "n " << n << ", per call " << per_call;
    }
  }
}

enum class Check { kExhaustive, kCheckpoints, kRunner };

struct Case {
  const char* name;
  SdfBug bug;
  int per_call;
  Check check;  // the check that rejects it
  const char* rule;
};

class SdfBugTest : public ::testing::TestWithParam<Case> {};

TEST_P(SdfBugTest, IsRejected) {
  const Case& c = GetParam();
  const BrokenCountingDoFn dofn(c.bug, c.per_call);
  const std::int64_t n = 10;
  const CheckResult r = c.check == Check::kExhaustive    ? check_sdf_exhaustive_split(dofn, n)
                        : c.check == Check::kCheckpoints ? check_sdf_checkpoints(dofn, n)
                                                         : check_sdf_runner_schedules(dofn, n);
  ASSERT_FALSE(r.ok()) << r.to_string();
  EXPECT_THAT(r.message, HasSubstr(c.rule)) << r.message;
}

INSTANTIATE_TEST_SUITE_P(
    Zoo, SdfBugTest,
    ::testing::Values(
        Case{"EmitsAfterRefusal", SdfBug::kEmitsAfterRefusal, 0, Check::kExhaustive,
             "primary and residual together are not the outputs of the whole restriction"},
        Case{"SkipsTheFirstOffset", SdfBug::kSkipsTheFirstOffset, 0, Check::kExhaustive,
             "is missing"},
        Case{"StopsEarly", SdfBug::kStopsEarly, 0, Check::kExhaustive, "check_done() failed"},
        Case{"DropsTheWatermark", SdfBug::kDropsTheWatermark, 3, Check::kCheckpoints,
             "the checkpoint dropped the watermark"},
        Case{"DropsTheWatermarkOnASplit", SdfBug::kDropsTheWatermark, 0, Check::kExhaustive,
             "the checkpoint dropped the watermark"},
        Case{"WatermarkAhead", SdfBug::kWatermarkAhead, 0, Check::kExhaustive,
             "the watermark passed an element still to be output"},
        Case{"CursorInTheDoFn", SdfBug::kCursorInTheDoFn, 0, Check::kCheckpoints, "is missing"},
        Case{"RemembersWhatItEmitted", SdfBug::kRemembersWhatItEmitted, 0, Check::kRunner,
             "is missing"},
        Case{"StateForgetsTheWatermark", SdfBug::kStateForgetsTheWatermark, 3, Check::kCheckpoints,
             "the resumed restriction's watermark would go back"},
        Case{"ShiftsTimestamps", SdfBug::kShiftsTimestamps, 0, Check::kExhaustive,
             "record {10001, 1} is missing"}),
    [](const auto& info) { return std::string(info.param.name); });

// One split at a time, read in order, hides it: the exhaustive check passes.
// On an empty element the read is self-consistent (one record, every time):
// only the claim rules of the reference read see the output made for a
// claim the tracker refused. On a longer one the split check sees it too.
TEST(BrokenSdfsTest, OutputsBeforeClaimingIsRejectedEvenOnAnEmptyElement) {
  const BrokenCountingDoFn dofn(SdfBug::kOutputsBeforeClaiming);
  for (const std::int64_t n : {0, 1, 10}) {
    const CheckResult r = check_sdf_exhaustive_split(dofn, n);
    ASSERT_EQ(r.outcome, CheckResult::Outcome::kFailed) << "n " << n << ": " << r.to_string();
    EXPECT_THAT(r.message, HasSubstr("an output before the first successful try_claim"))
        << r.message;
  }
}

TEST(BrokenSdfsTest, ACursorInTheDoFnPassesTheExhaustiveCheck) {
  const BrokenCountingDoFn dofn(SdfBug::kCursorInTheDoFn);
  SPLITCHECK_EXPECT_PASSED(check_sdf_exhaustive_split(dofn, std::int64_t{10}));
}

// No retry in the checks' own reads: only the runner's failures show it.
TEST(BrokenSdfsTest, RememberingWhatItEmittedPassesTheChecksWithoutRetries) {
  const BrokenCountingDoFn dofn(SdfBug::kRemembersWhatItEmitted);
  SPLITCHECK_EXPECT_PASSED(check_sdf_exhaustive_split(dofn, std::int64_t{10}));
  SPLITCHECK_EXPECT_PASSED(check_sdf_checkpoints(dofn, std::int64_t{10}));
}

}  // namespace
}  // namespace splitcheck::testkit
