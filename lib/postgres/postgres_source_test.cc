#include "splitcheck/lib/postgres/postgres_source.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/postgres/internal/pg_test_database.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/testkit/error_matchers.h"
#include "splitcheck/testkit/source_testkit.h"

namespace splitcheck {
namespace {

using internal::pg_exec;
using internal::pg_test_database;
using testing::HasSubstr;

// 1000 rows with sparse, partly negative keys: id = 7 i - 3000, name
// "row <i>", and a NULL in every tenth row's v.
constexpr char kRowsSql[] =
    "CREATE TABLE t (id bigint PRIMARY KEY, name text NOT NULL, v integer);"
    "INSERT INTO t SELECT 7 * i - 3000, 'row ' || i, CASE WHEN i % 10 = 0 THEN NULL ELSE i END"
    "  FROM generate_series(0, 999) i;";

PgRow expected_row(int i) {
  PgRow row;
  row.values = {std::to_string(7 * i - 3000), "row " + std::to_string(i),
                i % 10 == 0 ? std::nullopt : std::optional<std::string>(std::to_string(i))};
  return row;
}

std::vector<PgRow> expected_rows(int from, int to) {
  std::vector<PgRow> rows;
  for (int i = from; i < to; ++i) rows.push_back(expected_row(i));
  return rows;
}

std::vector<PgRow> sorted(std::vector<PgRow> rows) {
  std::sort(rows.begin(), rows.end(), [](const PgRow& a, const PgRow& b) {
    return std::stoll(*a.values[0]) < std::stoll(*b.values[0]);
  });
  return rows;
}

ReadFromPostgresOptions table_options() {
  ReadFromPostgresOptions options;
  options.table = "t";
  options.key = "id";
  return options;
}

TEST(ReadFromPostgres, ReadsEveryRowOnceThroughTheRunner) {
  const std::string db = pg_test_database("source_runner", kRowsSql);
  RunnerOptions runner_options;
  runner_options.num_workers = 3;
  runner_options.desired_bundle_size = 2000;
  LocalRunner runner(runner_options);
  const auto result = runner.run(ReadFromPostgres(db, table_options()));
  EXPECT_EQ(sorted(result.records), expected_rows(0, 1000));
}

TEST(ReadFromPostgres, ReadsInKeyOrderWithinARange) {
  const std::string db = pg_test_database("source_order", kRowsSql);
  const auto source = ReadFromPostgres(db, table_options()).source();
  // Positions count from the first key, -3000.
  EXPECT_EQ(testkit::read_from_source(*source, 7 * 10, 7 * 20), expected_rows(10, 20));
  EXPECT_EQ(testkit::read_from_source(*source), expected_rows(0, 1000));
}

TEST(ReadFromPostgres, SplitFollowsTheKeyDistribution) {
  // 900 keys in [0, 900) and 100 spread up to 10^12: cutting the key space
  // evenly would put nearly every row in the first bundle.
  const std::string db =
      pg_test_database("source_skew",
                       "CREATE TABLE t (id bigint PRIMARY KEY, name text NOT NULL);"
                       "INSERT INTO t SELECT i, 'x' FROM generate_series(0, 899) i;"
                       "INSERT INTO t SELECT i * 10000000000, 'y' FROM generate_series(1, 100) i;");
  // First from the key quantiles of the range, then (once ANALYZE has
  // run) from the planner's histogram.
  for (const bool analyzed : {false, true}) {
    if (analyzed) pg_exec(db, "ANALYZE t");
    const auto source = ReadFromPostgres(db, table_options()).source();
    const auto bundles = source->split(source->estimate_size() / 10);
    ASSERT_GE(bundles.size(), 8u) << "analyzed: " << analyzed;
    ASSERT_LE(bundles.size(), 12u) << "analyzed: " << analyzed;
    std::size_t total = 0;
    for (const auto& bundle : bundles) {
      const std::size_t rows = testkit::read_from_source(*source, bundle.start, bundle.stop).size();
      EXPECT_GE(rows, 50u) << "analyzed: " << analyzed;
      EXPECT_LE(rows, 200u) << "analyzed: " << analyzed;
      total += rows;
    }
    EXPECT_EQ(total, 1000u);
    // The same bundles every time.
    const auto again = source->split(source->estimate_size() / 10);
    ASSERT_EQ(again.size(), bundles.size());
    for (std::size_t i = 0; i < bundles.size(); ++i) EXPECT_EQ(again[i].start, bundles[i].start);
  }
}

TEST(ReadFromPostgres, EveryReaderSeesTheSnapshotOfTheSource) {
  const std::string db = pg_test_database("source_snapshot", kRowsSql);
  const auto source = ReadFromPostgres(db, table_options()).source();
  // Written after the source was made: no reader sees it.
  pg_exec(db, "DELETE FROM t WHERE id < 0; INSERT INTO t VALUES (5000000, 'late', 1)");
  EXPECT_EQ(testkit::read_bundles(source->split(3000)), expected_rows(0, 1000));
  // Without the snapshot, the reader sees the table as it is now.
  ReadFromPostgresOptions options = table_options();
  options.snapshot = false;
  EXPECT_EQ(testkit::read_from_source(*ReadFromPostgres(db, options).source()).size(),
            1000u - 429u + 1u);
}

TEST(ReadFromPostgres, BoundsColumnsAndQueries) {
  const std::string db = pg_test_database("source_bounds", kRowsSql);
  ReadFromPostgresOptions options = table_options();
  options.start_key = "-2993";  // i = 1
  options.end_key = "4";        // i <= 429
  options.columns = {"name"};
  std::vector<PgRow> names;
  for (int i = 1; i < 430; ++i) names.push_back(PgRow{{"row " + std::to_string(i)}});
  EXPECT_EQ(testkit::read_from_source(*ReadFromPostgres(db, options).source()), names);

  ReadFromPostgresOptions query;
  query.query = "SELECT id * 2 AS k, name FROM t WHERE v IS NULL";
  query.key = "k";
  const auto rows = testkit::read_from_source(*ReadFromPostgres(db, query).source());
  ASSERT_EQ(rows.size(), 100u);
  EXPECT_EQ(rows[0], (PgRow{{"-6000", "row 0"}}));  // the key once, as the query has it
}

TEST(ReadFromPostgres, AnEmptyTableReadsNothing) {
  const std::string db =
      pg_test_database("source_empty", "CREATE TABLE t (id bigint PRIMARY KEY, name text)");
  const auto source = ReadFromPostgres(db, table_options()).source();
  EXPECT_EQ(source->estimate_size(), 0);
  EXPECT_TRUE(testkit::read_bundles(source->split(100)).empty());
}

TEST(ReadFromPostgres, ErrorsNameWhatIsWrong) {
  const std::string db = pg_test_database("source_errors", kRowsSql);
  ReadFromPostgresOptions options = table_options();
  options.table = "no_such_table";
  EXPECT_THAT(testkit::InputErrorOf([&] { ReadFromPostgres(db, options); }),
              HasSubstr("no_such_table"));
  options = table_options();
  options.key = "no_such_column";
  EXPECT_THAT(testkit::InputErrorOf([&] { ReadFromPostgres(db, options); }),
              HasSubstr("no_such_column"));
  options = table_options();
  options.query = "SELECT 1";
  EXPECT_THAT(testkit::UsageErrorOf([&] { ReadFromPostgres(db, options); }),
              HasSubstr("exactly one of a table and a query"));
  options = table_options();
  options.key = "name";
  EXPECT_THAT(testkit::InputErrorOf([&] { ReadFromPostgres(db, options); }),
              HasSubstr("is not a 64-bit integer"));
  options = table_options();
  options.start_key = "ten";
  EXPECT_THAT(testkit::UsageErrorOf([&] { ReadFromPostgres(db, options); }),
              HasSubstr("start_key \"ten\""));
  // A key that is not unique.
  ReadFromPostgresOptions query;
  query.query = "SELECT id / 14 AS k, name FROM t";
  query.key = "k";
  EXPECT_THAT(testkit::InputErrorOf(
                  [&] { testkit::read_from_source(*ReadFromPostgres(db, query).source()); }),
              HasSubstr("appears twice"));
  EXPECT_THAT(testkit::InputErrorOf(
                  [&] { ReadFromPostgres("host=/nonexistent port=1 dbname=x", table_options()); }),
              HasSubstr("/nonexistent"));
  // NULL keys: no key range holds them, so they are an error, not a loss.
  ReadFromPostgresOptions nulls;
  nulls.query = "SELECT CASE WHEN id % 2 = 0 THEN id END AS k, name FROM t";
  nulls.key = "k";
  EXPECT_THAT(testkit::InputErrorOf([&] { ReadFromPostgres(db, nulls); }),
              HasSubstr("500 rows have a NULL key"));
}

// A smallint or integer key may hold its type's largest value: the stop
// past it is compared as a bigint.
TEST(ReadFromPostgres, KeysOfEveryIntegerTypeUpToTheirLargestValue) {
  const std::string db = pg_test_database(
      "source_int_types",
      "CREATE TABLE s (id smallint PRIMARY KEY, name text);"
      "INSERT INTO s VALUES (-32768, 'min'), (0, 'zero'), (32767, 'max');"
      "CREATE TABLE i (id integer PRIMARY KEY, name text);"
      "INSERT INTO i VALUES (-2147483648, 'min'), (0, 'zero'), (2147483647, 'max');");
  for (const char* table : {"s", "i"}) {
    ReadFromPostgresOptions options = table_options();
    options.table = table;
    const auto source = ReadFromPostgres(db, options).source();
    EXPECT_EQ(testkit::read_bundles(source->split(1)).size(), 3u) << table;
  }
}

// Every connection speaks UTF-8, whatever the connection string asks:
// text keys are compared and rounded as UTF-8 bytes.
TEST(ReadFromPostgresByTextKey, TheClientEncodingIsAlwaysUtf8) {
  const std::string db =
      pg_test_database("source_encoding",
                       "CREATE TABLE t (id text PRIMARY KEY, name text);"
                       "INSERT INTO t VALUES ('\u00e9', 'e'), ('a', 'a'), ('\u00e8', 'e2');");
  const std::string latin1 = db + " client_encoding=LATIN1";
  EXPECT_EQ(internal::PgConnection(latin1, std::chrono::seconds(10))
                .exec("SHOW client_encoding")
                .value(0, 0),
            "UTF8");
  const auto source = ReadFromPostgresByTextKey(latin1, table_options()).source();
  EXPECT_EQ(testkit::read_bundles(source->split(1)).size(), 3u);
}

// Text keys, including characters of every UTF-8 length; split keys that
// are not text (NUL, bytes that are not UTF-8) select the same rows as the
// text they round up to.
TEST(ReadFromPostgresByTextKey, ReadsEveryRowAtAnySplitKey) {
  const std::string db = pg_test_database(
      "source_text",
      "CREATE TABLE t (id text PRIMARY KEY, name text NOT NULL);"
      "INSERT INTO t SELECT 'k' || i || chr(160 + i % 3000), 'n' || i"
      "  FROM generate_series(0, 499) i;"
      "INSERT INTO t VALUES ('\u00e9', 'e'), ('\U0001F600', 'smile'), ('A', 'a');");
  ReadFromPostgresOptions options = table_options();
  const auto source = ReadFromPostgresByTextKey(db, options).source();
  const std::vector<PgRow> all = testkit::read_from_source(*source);
  ASSERT_EQ(all.size(), 503u);
  for (std::size_t i = 1; i < all.size(); ++i) {
    ASSERT_LT(*all[i - 1].values[0], *all[i].values[0]) << "not in byte order at " << i;
  }
  for (const std::string& cut :
       {std::string("k1\0", 3), std::string("k2\xC3"), std::string("k3\xFF"), std::string("\xC3"),
        std::string("\xF0\x9F\x98\x80\x00", 5)}) {
    auto head = testkit::read_from_source(*source, std::nullopt, cut);
    const auto tail = testkit::read_from_source(*source, cut, std::nullopt);
    head.insert(head.end(), tail.begin(), tail.end());
    EXPECT_EQ(head, all) << "split at a key of " << cut.size() << " bytes";
  }
  LocalRunner runner;
  auto result = runner.run(ReadFromPostgresByTextKey(db, options));
  std::sort(result.records.begin(), result.records.end());
  auto expected = all;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(result.records, expected);
}

}  // namespace
}  // namespace splitcheck
