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
  sut.make_sink = [shards, suffix](std::shared_ptr<FileSystem> fs) {
    TextSinkOptions options;
    options.file_system = std::move(fs);
    options.num_shards = shards;
    options.file_name_suffix = suffix;
    return std::make_shared<const TextSink>("out/part", options);
  };
  sut.read_back = [](std::shared_ptr<FileSystem> fs) { return read_lines(fs, "out/part-*"); };
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
  sut.make_sink = [bug](std::shared_ptr<FileSystem> fs) {
    return std::make_shared<const BrokenLineSink>(std::move(fs), "out/s", bug);
  };
  sut.read_back = [](std::shared_ptr<FileSystem> fs) { return read_lines(fs, "out/s-*"); };
  sut.records = lines(12);
  return sut;
}

TEST(SinkCrashPointsTest, TheControlSinkPasses) {
  const CheckResult result = check_sink_crash_points(broken(SinkBug::kNone));
  EXPECT_TRUE(result.ok()) << result;
}

struct SinkBugCase {
  SinkBug bug;
  const char* expected;
};

class SinkCrashPointsRejectsTest : public ::testing::TestWithParam<SinkBugCase> {};

TEST_P(SinkCrashPointsRejectsTest, TheBug) {
  const CheckResult result = check_sink_crash_points(broken(GetParam().bug));
  std::cout << result << "\n";
  EXPECT_EQ(result.outcome, CheckResult::Outcome::kFailed);
  EXPECT_THAT(result.message, HasSubstr(GetParam().expected));
}

INSTANTIATE_TEST_SUITE_P(
    Bugs, SinkCrashPointsRejectsTest,
    ::testing::Values(
        SinkBugCase{SinkBug::kFinalizeFailsIfTempMissing,
                    "made the write fail after recovery"},
        // The shard moved before the crash is deleted on the rerun, and its
        // temporary file is gone: the rerun cannot complete the output.
        SinkBugCase{SinkBug::kPreFinalizeDeletesOutputs,
                    "made the write fail after recovery: in-memory file system: rename "
                    "\"out/s.tmp/b0-a1\" to \"out/s-0\": no such file"},
        SinkBugCase{SinkBug::kNoCleanup, "is left after the write"}));

}  // namespace
}  // namespace splitcheck::testkit
