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

struct Case {
  const char* name;
  SdfBug bug;
  int per_call;
  bool exhaustive;   // which check rejects it: the exhaustive one, or the
  const char* rule;  // checkpoint schedules
};

class SdfBugTest : public ::testing::TestWithParam<Case> {};

TEST_P(SdfBugTest, IsRejected) {
  const Case& c = GetParam();
  const BrokenCountingDoFn dofn(c.bug, c.per_call);
  const std::int64_t n = 10;
  const CheckResult r =
      c.exhaustive ? check_sdf_exhaustive_split(dofn, n) : check_sdf_checkpoints(dofn, n);
  ASSERT_FALSE(r.ok()) << r.to_string();
  EXPECT_THAT(r.message, HasSubstr(c.rule)) << r.message;
}

INSTANTIATE_TEST_SUITE_P(
    Zoo, SdfBugTest,
    ::testing::Values(
        Case{"EmitsAfterRefusal", SdfBug::kEmitsAfterRefusal, 0, true,
             "primary and residual together are not the outputs of the whole restriction"},
        Case{"SkipsTheFirstOffset", SdfBug::kSkipsTheFirstOffset, 0, true, "is missing"},
        Case{"StopsEarly", SdfBug::kStopsEarly, 0, true, "check_done() failed"},
        Case{"DropsTheWatermark", SdfBug::kDropsTheWatermark, 3, false,
             "the checkpoint dropped the watermark"},
        Case{"DropsTheWatermarkOnASplit", SdfBug::kDropsTheWatermark, 0, true,
             "the checkpoint dropped the watermark"},
        Case{"WatermarkAhead", SdfBug::kWatermarkAhead, 0, true,
             "the watermark passed an element still to be output"},
        Case{"CursorInTheDoFn", SdfBug::kCursorInTheDoFn, 0, false, "is missing"}),
    [](const auto& info) { return std::string(info.param.name); });

// One split at a time, read in order, hides it: the exhaustive check passes.
TEST(BrokenSdfsTest, ACursorInTheDoFnPassesTheExhaustiveCheck) {
  const BrokenCountingDoFn dofn(SdfBug::kCursorInTheDoFn);
  SPLITCHECK_EXPECT_PASSED(check_sdf_exhaustive_split(dofn, std::int64_t{10}));
}

}  // namespace
}  // namespace splitcheck::testkit
