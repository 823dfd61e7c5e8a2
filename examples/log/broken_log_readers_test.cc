// Each broken log reader is rejected by the SDF gate, with the rule it
// breaks, on a sealed log; without a bug it passes every check.

#include "splitcheck/examples/log/broken_log_readers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "splitcheck/examples/log/partitioned_log.h"
#include "splitcheck/testkit/gtest.h"
#include "splitcheck/testkit/sdf_testkit.h"

namespace splitcheck::examples::broken {
namespace {

using ::testing::HasSubstr;

// One partition of 12 records with rising timestamps, sealed.
std::shared_ptr<PartitionedLog> sealed_log() {
  auto log = std::make_shared<PartitionedLog>(1);
  for (int i = 0; i < 12; ++i) log->append(0, 100 + i, std::to_string(i));
  log->seal();
  return log;
}

TEST(BrokenLogReadersTest, WithoutABugItPasses) {
  SPLITCHECK_EXPECT_PASSED(
      testkit::check_sdf(BrokenReadFromLogDoFn(sealed_log(), LogReaderBug::kNone), 0));
}

// Each is rejected by the exhaustive split check already, the first check
// of the gate.
struct Case {
  const char* name;
  LogReaderBug bug;
  const char* rule;
};

class LogReaderBugTest : public ::testing::TestWithParam<Case> {};

TEST_P(LogReaderBugTest, IsRejected) {
  const Case& c = GetParam();
  const BrokenReadFromLogDoFn dofn(sealed_log(), c.bug);
  const testkit::CheckResult r = testkit::check_sdf_exhaustive_split(dofn, 0);
  ASSERT_EQ(r.outcome, testkit::CheckResult::Outcome::kFailed) << r.to_string();
  EXPECT_THAT(r.message, HasSubstr(c.rule)) << r.message;
}

INSTANTIATE_TEST_SUITE_P(
    Zoo, LogReaderBugTest,
    ::testing::Values(Case{"StopsWithoutClosingTheRange",
                           LogReaderBug::kStopsWithoutClosingTheRange,
                           "offsets [12, inf) are unclaimed"},
                      Case{"ClaimsAfterOutput", LogReaderBug::kClaimsAfterOutput,
                           "an output before the first successful try_claim"},
                      Case{"WatermarkAtTheLogsHead", LogReaderBug::kWatermarkAtTheLogsHead,
                           "the watermark passed an element still to be output"},
                      Case{"ResumesWhenCaughtUpOnSealed",
                           LogReaderBug::kResumesWhenCaughtUpOnSealed, "process calls"}),
    [](const ::testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace splitcheck::examples::broken
