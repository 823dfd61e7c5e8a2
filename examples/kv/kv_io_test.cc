#include "splitcheck/examples/kv/kv_io.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/examples/kv/kv_test_support.h"
#include "splitcheck/examples/kv/sqlite_database.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/testkit/error_matchers.h"
#include "splitcheck/testkit/source_testkit.h"

namespace splitcheck::examples {
namespace {

using ::splitcheck::testkit::InputErrorOf;
using ::testing::HasSubstr;

TEST(KvTest, WriteThenReadGivesTheRowsInKeyOrder) {
  const std::string database = make_table("roundtrip", 500);
  RunnerOptions options;
  options.num_workers = 3;
  options.desired_bundle_size = 400;
  auto read = LocalRunner(options).run(ReadFromKV(database, "t")).records;
  std::sort(read.begin(), read.end());
  EXPECT_EQ(read, rows(500));
  EXPECT_GT(ReadFromKV(database, "t").source()->split(400, std::nullopt, std::nullopt).size(), 10u);
}

TEST(KvTest, ReadsAKeyRange) {
  const std::string database = make_table("range", 50);
  const auto all = rows(50);
  ReadFromKVOptions options;
  options.start_key = all[10].key;
  options.end_key = all[20].key;
  const auto source = ReadFromKV(database, "t", options).source();
  EXPECT_EQ(testkit::read_from_source(*source),
            std::vector<KeyValue>(all.begin() + 10, all.begin() + 20));
}

TEST(KvTest, MissingTableAndCorruptFileAreNamed) {
  const std::string database = make_table("errors", 3);
  EXPECT_THAT(InputErrorOf([&] { ReadFromKV(database, "absent"); }),
              HasSubstr("no table \"absent\""));
  const std::string corrupt = scratch("corrupt.db");
  std::ofstream(corrupt) << std::string(4096, 'x');
  EXPECT_THAT(InputErrorOf([&] { ReadFromKV(corrupt, "t"); }), HasSubstr("file is not a database"));
  EXPECT_THAT(InputErrorOf([&] { ReadFromKV(scratch("missing.db"), "t"); }),
              HasSubstr("cannot open"));
}

TEST(KvTest, ALockedDatabaseIsAnErrorAfterWaiting) {
  const std::string database = make_table("locked", 5);
  internal::Database holder(database, false);
  holder.exec("BEGIN EXCLUSIVE");
  RunnerOptions options;
  options.max_attempts = 1;  // each attempt waits 5 s for the lock
  options.write_bundles = 1;
  EXPECT_THAT(InputErrorOf([&] { LocalRunner(options).run(WriteToKV(database, "t2"), rows(3)); }),
              HasSubstr("database is locked"));
  holder.exec("ROLLBACK");
}

TEST(KvTest, DuplicateKeysFailTheFinalizeInsteadOfReplacing) {
  const std::string database = scratch("duplicates.db");
  std::filesystem::remove(database);
  std::vector<KeyValue> input = {{"a", "1"}, {"b", "2"}, {"a", "3"}};
  RunnerOptions options;
  options.max_attempts = 1;
  EXPECT_THAT(InputErrorOf([&] { LocalRunner(options).run(WriteToKV(database, "t"), input); }),
              HasSubstr("UNIQUE constraint failed"));
  EXPECT_TRUE(table_rows(database, "t").empty()) << "nothing committed";
}

}  // namespace
}  // namespace splitcheck::examples
