#include "splitcheck/examples/kv/kv_io.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/examples/kv/sqlite_database.h"
#include "splitcheck/lib/internal/error_matchers.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/testkit/gtest.h"
#include "splitcheck/testkit/sink_conformance.h"
#include "splitcheck/testkit/source_testkit.h"

namespace splitcheck::examples {
namespace {

using ::splitcheck::internal::InputErrorOf;
using ::testing::HasSubstr;

std::string scratch(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  return std::string(tmp != nullptr ? tmp : "/tmp") + "/" + name;
}

std::vector<KeyValue> rows(int n) {
  std::vector<KeyValue> out;
  for (int i = 0; i < n; ++i) {
    // Keys with a 0x00 and a 0xff byte, so unsigned byte order matters.
    out.push_back({"k" + std::string(1, static_cast<char>(i * 37 % 256)) + std::to_string(i),
                   "value " + std::to_string(i)});
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<KeyValue> table_rows(const std::string& database, const std::string& table) {
  internal::Database db(database, true);
  std::vector<KeyValue> out;
  if (!db.table_exists(table)) return out;
  internal::Statement s(
      db, "SELECT key, value FROM " + internal::quote_identifier(table) + " ORDER BY key");
  while (s.step()) out.push_back({s.column(0), s.column(1)});
  return out;
}

std::string make_table(const std::string& name, int n) {
  const std::string database = scratch(name + ".db");
  std::filesystem::remove(database);
  LocalRunner().run(WriteToKV(database, "t"), rows(n));
  return database;
}

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

std::shared_ptr<const BoundedSource<KeyValue, std::string>> MakeKvSource() {
  static const std::string database = make_table("conformance", 60);
  return ReadFromKV(database, "t").source();
}

testkit::SourceConformanceOptions MakeOptions() {
  testkit::SourceConformanceOptions options;
  options.schedules.seed = 1;
  options.exhaustive.max_positions = 500;  // key ranges have ~2^53 positions: sampled
  return options;
}

SPLITCHECK_SOURCE_CONFORMANCE_TEST(KvSourceConformance, MakeKvSource, MakeOptions);

testkit::SinkUnderTest<KeyValue> MakeKvSinkUnderTest() {
  static std::atomic<int> instances{0};
  const std::string tag = "kv-sink-" + std::to_string(instances++) + "-";
  testkit::SinkUnderTest<KeyValue> sut;
  sut.make_sink = [tag](const testkit::SinkEnvironment& env, const std::string& place) {
    WriteToKVOptions options;
    auto faults = env.faults;
    options.call_hook = [faults](std::string_view phase, std::string_view call) {
      if (phase == "before") faults->before(call);
      if (phase == "after") faults->after(call);
    };
    return WriteToKV(scratch(tag + env.run + ".db"), place, options).sink();
  };
  sut.read_back = [tag](const testkit::SinkEnvironment& env, const std::string& place) {
    return table_rows(scratch(tag + env.run + ".db"), place);
  };
  sut.leftovers = [tag](const testkit::SinkEnvironment& env) -> std::optional<std::string> {
    internal::Database db(scratch(tag + env.run + ".db"), true);
    internal::Statement s(db, "SELECT name FROM sqlite_master WHERE name LIKE '%__stage_%'");
    if (s.step()) return "staging table \"" + s.column(0) + "\"";
    return std::nullopt;
  };
  sut.records = rows(12);
  sut.place = "kv";
  return sut;
}

SPLITCHECK_SINK_CONFORMANCE_TEST(KvSinkConformance, MakeKvSinkUnderTest);

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
