// ReadFromPostgres and ReadFromPostgresByTextKey through the whole source
// conformance battery, against the test process's own PostgreSQL server:
// 60 rows with sparse, partly negative integer keys (the exhaustive split
// check tries every key position of the range), and 60 text keys of one to
// four UTF-8 bytes per character.

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "splitcheck/lib/postgres/internal/pg_test_database.h"
#include "splitcheck/lib/postgres/internal/pg_through_proxy.h"
#include "splitcheck/lib/postgres/postgres_source.h"
#include "splitcheck/testkit/gtest.h"
#include "splitcheck/testkit/source_testkit.h"

namespace splitcheck {
namespace {

constexpr char kDatabase[] = "conformance";

const std::string& Database() {
  static const std::string conninfo = internal::pg_test_database(
      kDatabase,
      "CREATE TABLE ints (id bigint PRIMARY KEY, name text NOT NULL, v integer);"
      "INSERT INTO ints SELECT 3 * i - 40, 'row ' || i, CASE WHEN i % 7 = 0 THEN NULL ELSE i END"
      "  FROM generate_series(0, 59) i;"
      "CREATE TABLE texts (id text PRIMARY KEY, n integer NOT NULL);"
      "INSERT INTO texts SELECT chr(65 + i % 26) || chr(160 + 37 * i) || chr(70000 + i), i"
      "  FROM generate_series(0, 59) i;");
  return conninfo;
}

ReadFromPostgresOptions Options(const char* table) {
  ReadFromPostgresOptions options;
  options.table = table;
  options.key = "id";
  return options;
}

std::shared_ptr<const BoundedSource<PgRow, std::int64_t>> MakeIntKeySource() {
  return ReadFromPostgres(Database(), Options("ints")).source();
}

std::shared_ptr<const BoundedSource<PgRow, std::string>> MakeTextKeySource() {
  return ReadFromPostgresByTextKey(Database(), Options("texts")).source();
}

testkit::SourceConformanceOptions MakeOptions() {
  testkit::SourceConformanceOptions options;
  options.schedules.seed = 1;              // fixed, so that a cached pass means something
  options.exhaustive.max_positions = 200;  // text keys have ~2^53 positions: sampled
  return options;
}

SPLITCHECK_SOURCE_CONFORMANCE_TEST(PostgresIntKeyConformance, MakeIntKeySource, MakeOptions);
SPLITCHECK_SOURCE_CONFORMANCE_TEST(PostgresTextKeyConformance, MakeTextKeySource, MakeOptions);

// The same sources through a TcpFaultProxy: a reader whose connection
// resets, or is cut in the middle of a message, at any call or
// acknowledgement fails its bundle or reads exactly its rows.
std::shared_ptr<const BoundedSource<PgRow, std::int64_t>> MakeIntKeySourceWithFaults(
    std::shared_ptr<testkit::FaultPoints> faults) {
  Database();
  return internal::pg_through_proxy(std::move(faults), kDatabase, [](const std::string& conninfo) {
    return ReadFromPostgres(conninfo, Options("ints")).source();
  });
}

std::shared_ptr<const BoundedSource<PgRow, std::string>> MakeTextKeySourceWithFaults(
    std::shared_ptr<testkit::FaultPoints> faults) {
  Database();
  return internal::pg_through_proxy(std::move(faults), kDatabase, [](const std::string& conninfo) {
    return ReadFromPostgresByTextKey(conninfo, Options("texts")).source();
  });
}

SPLITCHECK_SOURCE_FAULT_TEST(PostgresIntKeyFaults, MakeIntKeySourceWithFaults);
SPLITCHECK_SOURCE_FAULT_TEST(PostgresTextKeyFaults, MakeTextKeySourceWithFaults);

}  // namespace
}  // namespace splitcheck
