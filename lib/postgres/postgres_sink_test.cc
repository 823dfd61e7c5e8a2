#include "splitcheck/lib/postgres/postgres_sink.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/postgres/internal/pg_sink_under_test.h"
#include "splitcheck/lib/postgres/internal/pg_test_database.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/testkit/error_matchers.h"

namespace splitcheck {
namespace {

using internal::pg_exec;
using internal::pg_sink_test_rows;
using internal::pg_test_database;
using testing::HasSubstr;

std::vector<PgRow> sorted(std::vector<PgRow> rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}

TEST(WriteToPostgres, WritesEveryRowOnceAndLeavesNoStagingTable) {
  const std::string db =
      pg_test_database("sink_basic", "CREATE TABLE t (id bigint PRIMARY KEY, name text)");
  RunnerOptions options;
  options.num_workers = 3;
  options.write_bundles = 5;
  const WriteResult result =
      LocalRunner(options).run(WriteToPostgres(db, "t"), pg_sink_test_rows());
  EXPECT_EQ(result.outputs, std::vector<std::string>{"t"});
  EXPECT_EQ(postgres_table_rows(db, "", "t"), sorted(pg_sink_test_rows()));
  EXPECT_TRUE(postgres_staging_tables_left(db, "").empty());
}

TEST(WriteToPostgres, FillsTheNamedColumnsAndCreatesTheTable) {
  const std::string db = pg_test_database("sink_columns", "CREATE SCHEMA s");
  WriteToPostgresOptions options;
  options.schema = "s";
  options.columns = {"name", "id"};
  options.create_definition = "(id bigint, name text, extra integer DEFAULT 7)";
  LocalRunner().run(WriteToPostgres(db, "t", options),
                    std::vector<PgRow>{PgRow{{"a", "1"}}, PgRow{{std::nullopt, "2"}}});
  EXPECT_EQ(postgres_table_rows(db, "s", "t"),
            (std::vector<PgRow>{PgRow{{"1", "a", "7"}}, PgRow{{"2", std::nullopt, "7"}}}));
}

TEST(WriteToPostgres, AbortDropsEveryStagingTable) {
  const std::string db = pg_test_database("sink_abort", "CREATE TABLE t (id bigint, name text)");
  const auto sink = WriteToPostgres(db, "t").sink();
  const std::string init = sink->initialize_write();
  for (const char* uid : {"b0-a0", "b1-a0"}) {
    auto writer = sink->open_writer(init, uid);
    writer->write(PgRow{{"1", "x"}});
    writer->close();
  }
  auto abandoned = sink->open_writer(init, "b2-a0");
  abandoned->write(PgRow{{"2", "y"}});
  abandoned.reset();  // its transaction rolls back: no table
  EXPECT_EQ(postgres_staging_tables_left(db, "").size(), 2u);
  sink->abort_write(init, {});
  EXPECT_TRUE(postgres_staging_tables_left(db, "").empty());
  EXPECT_TRUE(postgres_table_rows(db, "", "t").empty());
}

TEST(WriteToPostgres, AFinalizeRunTwiceMovesNothingTwice) {
  const std::string db = pg_test_database("sink_twice", "CREATE TABLE t (id bigint, name text)");
  const auto sink = WriteToPostgres(db, "t").sink();
  const std::string init = sink->initialize_write();
  auto writer = sink->open_writer(init, "b0-a0");
  writer->write(PgRow{{"1", "x"}});
  const std::vector<std::string> results = {writer->close()};
  sink->finalize_write(init, results, "");
  sink->finalize_write(init, results, "");
  EXPECT_EQ(postgres_table_rows(db, "", "t"), (std::vector<PgRow>{PgRow{{"1", "x"}}}));
}

TEST(WriteToPostgres, ErrorsNameWhatIsWrong) {
  const std::string db = pg_test_database("sink_errors", "CREATE TABLE t (id bigint PRIMARY KEY)");
  EXPECT_THAT(testkit::InputErrorOf([&] {
                LocalRunner().run(WriteToPostgres(db, "no_such_table"),
                                  std::vector<PgRow>{PgRow{{"1"}}});
              }),
              HasSubstr("no_such_table"));
  EXPECT_THAT(
      testkit::InputErrorOf([&] {
        LocalRunner().run(WriteToPostgres(db, "t"), std::vector<PgRow>{PgRow{{"1"}}, PgRow{{"1"}}});
      }),
      HasSubstr("duplicate key"));
  EXPECT_TRUE(postgres_table_rows(db, "", "t").empty());  // the finalize committed nothing
  EXPECT_THAT(testkit::InputErrorOf([&] {
                LocalRunner().run(WriteToPostgres(db, "t"),
                                  std::vector<PgRow>{PgRow{{std::string("a\0b", 3)}}});
              }),
              HasSubstr("NUL"));
  EXPECT_THAT(testkit::UsageErrorOf([&] { WriteToPostgres(db, ""); }), HasSubstr("empty"));
  const auto sink = WriteToPostgres(db, "t").sink();
  EXPECT_THAT(testkit::UsageErrorOf(
                  [&] { sink->finalize_write(sink->initialize_write(), {"other_table"}, ""); }),
              HasSubstr("not a writer result of this write"));
}

}  // namespace
}  // namespace splitcheck
