// WriteToPostgres through the whole sink conformance battery, against the
// test process's own PostgreSQL server, through a TcpFaultProxy: every
// call the sink makes and every acknowledgement it waits for is a crash
// point (a lost COMMIT acknowledgement among them), and every write has a
// schema of its own.

#include <string>

#include "gtest/gtest.h"
#include "splitcheck/lib/postgres/internal/pg_sink_under_test.h"
#include "splitcheck/lib/postgres/postgres_sink.h"
#include "splitcheck/testkit/gtest.h"
#include "splitcheck/testkit/sink_testkit.h"

namespace splitcheck {
namespace {

testkit::SinkUnderTest<PgRow> MakePostgresSinkUnderTest() {
  return internal::pg_sink_under_test(
      "write-to-postgres",
      [](const std::string& conninfo, const std::string& schema, const std::string& table) {
        WriteToPostgresOptions options;
        options.schema = schema;
        options.create_definition = "(id bigint, name text)";
        return WriteToPostgres(conninfo, table, options).sink();
      });
}

SPLITCHECK_SINK_CONFORMANCE_TEST(PostgresSinkConformance, MakePostgresSinkUnderTest);

}  // namespace
}  // namespace splitcheck
