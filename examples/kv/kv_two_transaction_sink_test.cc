// The crash check rejects a KV sink whose finalize takes two transactions,
// with no hook in the sink: the SQLite fault VFS makes the points.

#include "splitcheck/examples/kv/kv_two_transaction_sink.h"

#include <atomic>
#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/examples/kv/kv_test_support.h"
#include "splitcheck/testkit/faults/sqlite_fault_vfs.h"
#include "splitcheck/testkit/sink_testkit.h"

namespace splitcheck::examples::broken {
namespace {

using ::testing::HasSubstr;

// `fault_vfs`: open the database through the SQLite fault VFS, or not (the
// sink then has no fault point at all).
testkit::SinkUnderTest<KeyValue> two_transactions(bool fault_vfs) {
  static std::atomic<int> instances{0};
  const std::string tag = "two-txn-" + std::to_string(instances++) + "-";
  testkit::SinkUnderTest<KeyValue> sut;
  sut.make_sink = [tag, fault_vfs](const testkit::SinkEnvironment& env, const std::string& place) {
    const std::string vfs = fault_vfs ? testkit::install_sqlite_fault_vfs(env.faults) : "";
    return std::make_shared<const KvTwoTransactionSink>(scratch(tag + env.run_id + ".db"), place,
                                                        vfs);
  };
  sut.read_back = [tag](const testkit::SinkEnvironment& env, const std::string& place) {
    return table_rows(scratch(tag + env.run_id + ".db"), place);
  };
  sut.records = rows(6);
  sut.destination = "kv";
  return sut;
}

TEST(KvTwoTransactionSinkTest, WithoutTheFaultVfsNoCheckSeesIt) {
  // No hook, no file: the crash check has no point to fault.
  const testkit::CheckResult result = testkit::check_sink_crash_points(two_transactions(false));
  std::cout << result << "\n";
  EXPECT_EQ(result.outcome, testkit::CheckResult::Outcome::kGaveUp);
}

TEST(KvTwoTransactionSinkTest, TheCrashCheckRejectsItThroughTheFaultVfs) {
  const testkit::CheckResult result = testkit::check_sink_crash_points(two_transactions(true));
  std::cout << result << "\n";
  EXPECT_EQ(result.outcome, testkit::CheckResult::Outcome::kFailed);
  EXPECT_THAT(result.message, HasSubstr("UNIQUE constraint failed"));
  EXPECT_THAT(result.message, HasSubstr("sqlite "));
}

}  // namespace
}  // namespace splitcheck::examples::broken
