#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/in_memory_file_system.h"
#include "splitcheck/lib/text_sink.h"
#include "splitcheck/lib/text_source.h"
#include "splitcheck/testkit/fault_injecting_file_system.h"
#include "splitcheck/testkit/internal/broken_sinks.h"
#include "splitcheck/testkit/gtest.h"
#include "splitcheck/testkit/sink_conformance.h"
#include "splitcheck/testkit/sink_crash_points.h"

namespace splitcheck::testkit {
namespace {

using internal::BrokenLineSink;
using internal::SinkBug;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> lines(int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back("record " + std::to_string(i));
  return out;
}

std::vector<std::string> read_lines(std::shared_ptr<FileSystem> fs, const std::string& pattern) {
  TextSourceOptions options;
  options.file_system = std::move(fs);
  options.empty_match = EmptyMatchTreatment::kAllow;
  return LocalRunner().run(ReadFromText(pattern, options)).records;
}

TEST(FaultInjectingFileSystemTest, CountsFailsOnceAndTraces) {
  auto memory = std::make_shared<InMemoryFileSystem>();
  FaultInjectingFileSystem fs(memory);
  fs.inject(1, FaultMode::kFail);
  auto file = fs.create("a");  // operation 0
  file->append("hello");
  EXPECT_THROW(file->close(), InjectedFailure);  // operation 1: never happens
  EXPECT_EQ(memory->contents("a"), "");
  auto again = fs.create("a");
  again->append("hello");
  again->close();  // the fault fired once: this one passes
  fs.rename("a", "b");
  EXPECT_EQ(memory->contents("b"), "hello");
  EXPECT_TRUE(fs.fired());
  EXPECT_EQ(fs.operations(), 5);
  EXPECT_THAT(fs.trace(), ElementsAre("create a", "! close a", "create a", "close a", "rename a -> b"));
}

TEST(FaultInjectingFileSystemTest, ATornCloseLeavesHalfTheBytes) {
  auto memory = std::make_shared<InMemoryFileSystem>();
  FaultInjectingFileSystem fs(memory);
  fs.inject(1, FaultMode::kTorn);
  auto file = fs.create("t");
  file->append("0123456789");
  EXPECT_THROW(file->close(), InjectedFailure);
  EXPECT_EQ(memory->contents("t"), "01234");
}

SinkUnderTest<std::string> text_sink(int shards, const std::string& suffix) {
  SinkUnderTest<std::string> sut;
  sut.make_sink = [shards, suffix](std::shared_ptr<FileSystem> fs, const std::string& place) {
    TextSinkOptions options;
    options.file_system = std::move(fs);
    options.num_shards = shards;
    options.file_name_suffix = suffix;
    return std::make_shared<const TextSink>(place, options);
  };
  sut.read_back = [](std::shared_ptr<FileSystem> fs, const std::string& place) {
    return read_lines(fs, place + "-*");
  };
  sut.records = lines(40);
  return sut;
}

TEST(SinkCrashPointsTest, TextSinkSurvivesEveryCrashPoint) {
  for (int shards : {1, 3}) {
    for (const char* suffix : {".txt", ".txt.gz"}) {
      const CheckResult result = check_sink_crash_points(text_sink(shards, suffix));
      std::cout << result << "\n";
      EXPECT_TRUE(result.ok()) << result;
      EXPECT_GE(result.cases, 3 * (2 * shards + shards + 1));  // create+close, rename, cleanup
    }
  }
}

SinkUnderTest<std::string> broken(SinkBug bug) {
  SinkUnderTest<std::string> sut;
  sut.make_sink = [bug](std::shared_ptr<FileSystem> fs, const std::string& place) {
    return std::make_shared<const BrokenLineSink>(std::move(fs), place, bug);
  };
  sut.read_back = [](std::shared_ptr<FileSystem> fs, const std::string& place) {
    return read_lines(fs, place + "-*");
  };
  sut.place = "out/s";
  sut.records = lines(12);
  return sut;
}

struct SinkBugCase {
  SinkBug bug;
  SinkCheck check;  // the check that must reject it
  const char* expected;
};

class SinkChecksRejectTest : public ::testing::TestWithParam<SinkBugCase> {};

TEST_P(SinkChecksRejectTest, TheBugWithTheRightCheck) {
  const CheckResult result = run_sink_check(GetParam().check, broken(GetParam().bug));
  std::cout << result << "\n";
  EXPECT_EQ(result.outcome, CheckResult::Outcome::kFailed);
  EXPECT_THAT(result.message, HasSubstr(GetParam().expected));
}

INSTANTIATE_TEST_SUITE_P(
    Bugs, SinkChecksRejectTest,
    ::testing::Values(
        SinkBugCase{SinkBug::kFinalizeFailsIfTempMissing, SinkCheck::kCrashPoints,
                    "made the write fail after recovery"},
        // The shard moved before the crash is deleted on the rerun, and its
        // temporary file is gone: the rerun cannot complete the output.
        SinkBugCase{SinkBug::kPreFinalizeDeletesOutputs, SinkCheck::kCrashPoints,
                    "made the write fail after recovery: in-memory file system: rename "
                    "\"out/s.tmp/b0-a1\" to \"out/s-0\": no such file"},
        SinkBugCase{SinkBug::kNoCleanup, SinkCheck::kCrashPoints, "is left after the write"},
        SinkBugCase{SinkBug::kFinalizeFailsIfTempMissing, SinkCheck::kFinalizeIdempotence,
                    "finalize call 2 of the same write threw"},
        SinkBugCase{SinkBug::kNoCleanup, SinkCheck::kRetriesAndSpeculation, "is left"},
        SinkBugCase{SinkBug::kSharedTempName, SinkCheck::kRetriesAndSpeculation,
                    "temporary names must be unique per attempt"},
        SinkBugCase{SinkBug::kCommitInClose, SinkCheck::kRetriesAndSpeculation,
                    "is extra or duplicated"},
        SinkBugCase{SinkBug::kShardNamesByCompletion, SinkCheck::kOrderIndependence,
                    "closing the bundles' writers in the order"}));

TEST(SinkChecksTest, TheControlSinkPassesEveryCheck) {
  for (const CheckResult& result : check_sink_conformance(broken(SinkBug::kNone))) {
    EXPECT_TRUE(result.ok()) << result;
  }
}

SinkUnderTest<std::string> MakeTextSinkUnderTest() { return text_sink(3, ".txt.gz"); }

SPLITCHECK_SINK_CONFORMANCE_TEST(TextSinkConformance, MakeTextSinkUnderTest);

}  // namespace
}  // namespace splitcheck::testkit
