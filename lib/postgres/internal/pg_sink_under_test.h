// For the sink checks of a sink over PostgreSQL (WriteToPostgres, and the
// zoo's broken ones): a SinkUnderTest whose every write runs in a schema of
// its own on the test process's server, through a TcpFaultProxy bound to
// the write's fault points, so that every call the sink makes, and every
// acknowledgement it waits for, is a point the crash check fails or
// crashes at.

#ifndef SPLITCHECK_LIB_POSTGRES_INTERNAL_PG_SINK_UNDER_TEST_H_
#define SPLITCHECK_LIB_POSTGRES_INTERNAL_PG_SINK_UNDER_TEST_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "splitcheck/lib/postgres/internal/pg_connection.h"
#include "splitcheck/lib/postgres/internal/pg_test_database.h"
#include "splitcheck/lib/postgres/internal/pg_through_proxy.h"
#include "splitcheck/lib/postgres/pg_row.h"
#include "splitcheck/lib/postgres/postgres_sink.h"
#include "splitcheck/lib/sinks/sink.h"
#include "splitcheck/testkit/server/tcp_fault_proxy.h"
#include "splitcheck/testkit/sink/sink_under_test.h"

namespace splitcheck::internal {

// Makes the sink under test: writes `table` in `schema` through `conninfo`.
using PgSinkFactory = std::function<std::shared_ptr<const Sink<PgRow>>(
    const std::string& conninfo, const std::string& schema, const std::string& table)>;

// The schema of a write: "run_" and a hash of its run name (run names can
// be longer than an identifier may be).
inline std::string pg_run_schema(const std::string& tag, const std::string& run_id) {
  std::uint64_t h = 1469598103934665603ULL;
  for (const char c : tag + "/" + run_id)
    h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return "run_" + std::string(hex);
}

// Twelve rows of (id bigint, name text): one NULL, and names with the
// characters COPY's text format escapes.
inline std::vector<PgRow> pg_sink_test_rows() {
  std::vector<PgRow> rows;
  for (int i = 0; i < 12; ++i) {
    std::optional<std::string> name = "row " + std::to_string(i);
    if (i == 3) name = std::nullopt;
    if (i == 5) name = "tab\there, newline\nthere, back\\slash";
    rows.push_back(PgRow{{std::to_string(i), name}});
  }
  return rows;
}

// Each call is a new instance, with schemas of its own: run names recur
// from one check to the next.
inline testkit::SinkUnderTest<PgRow> pg_sink_under_test(const std::string& name,
                                                        PgSinkFactory factory) {
  static std::atomic<int> instances{0};
  const std::string tag = name + "-" + std::to_string(instances++);
  static const std::string database = [] { return pg_test_database("sinks", ""); }();
  testkit::SinkUnderTest<PgRow> sut;
  sut.make_sink = [tag, factory](const testkit::SinkEnvironment& env,
                                 const std::string& destination) {
    const std::string schema = pg_run_schema(tag, env.run_id);
    try {
      PgConnection(database, std::chrono::seconds(30))
          .exec("CREATE SCHEMA IF NOT EXISTS " + quote_pg_identifier(schema));
    } catch (const PgServerError& e) {
      // Two writes of one check (the isolation check's) made it at once.
      if (e.sqlstate() != "23505" && e.sqlstate() != "42P06") throw;
    }
    return pg_through_proxy(env.faults, "sinks", [&](const std::string& conninfo) {
      return factory(conninfo, schema, destination);
    });
  };
  sut.read_back = [tag](const testkit::SinkEnvironment& env, const std::string& destination) {
    return postgres_table_rows(database, pg_run_schema(tag, env.run_id), destination);
  };
  sut.leftovers = [tag](const testkit::SinkEnvironment& env) -> std::optional<std::string> {
    const auto left = postgres_staging_tables_left(database, pg_run_schema(tag, env.run_id));
    if (!left.empty()) return "staging table \"" + left.front() + "\"";
    return std::nullopt;
  };
  sut.records = pg_sink_test_rows();
  sut.destination = "t";
  return sut;
}

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_POSTGRES_INTERNAL_PG_SINK_UNDER_TEST_H_
