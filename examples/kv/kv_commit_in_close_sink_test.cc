// The sink checks reject a KV sink that commits inside close().

#include "splitcheck/examples/kv/kv_commit_in_close_sink.h"

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/testkit/sink_testkit.h"

namespace splitcheck::examples::broken {
namespace {

using ::testing::HasSubstr;

TEST(KvCommitInCloseSinkTest, RetriesAndSpeculationRejectsIt) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string dir = std::string(tmp != nullptr ? tmp : "/tmp") + "/kv_commit_in_close";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  testkit::SinkUnderTest<KeyValue> sut;
  sut.make_sink = [dir](const testkit::SinkEnvironment& env, const std::string& place) {
    return std::make_shared<const KvCommitInCloseSink>(dir + "/" + env.run_id + ".db", place);
  };
  sut.read_back = [dir](const testkit::SinkEnvironment& env, const std::string& place) {
    return LocalRunner().run(ReadFromKV(dir + "/" + env.run_id + ".db", place)).records;
  };
  for (int i = 0; i < 9; ++i) sut.records.push_back({"k" + std::to_string(i), "v"});
  sut.destination = "kv";
  const testkit::CheckResult result =
      testkit::run_sink_check(testkit::SinkCheck::kRetriesAndSpeculation, sut);
  std::cout << result << "\n";
  EXPECT_EQ(result.outcome, testkit::CheckResult::Outcome::kFailed);
  EXPECT_THAT(result.message, HasSubstr("UNIQUE constraint failed"));
}

}  // namespace
}  // namespace splitcheck::examples::broken
