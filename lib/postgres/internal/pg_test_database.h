// For lib/postgres's tests: a database of its own on the test process's
// PostgreSQL server (testkit::shared_postgres_server), set up by SQL.

#ifndef SPLITCHECK_LIB_POSTGRES_INTERNAL_PG_TEST_DATABASE_H_
#define SPLITCHECK_LIB_POSTGRES_INTERNAL_PG_TEST_DATABASE_H_

#include <chrono>
#include <string>

#include "splitcheck/lib/postgres/internal/pg_connection.h"
#include "splitcheck/testkit/postgres/postgres_server.h"

namespace splitcheck::internal {

// Creates `database` (dropping any of that name first), runs `setup_sql` in
// it, and returns its connection info.
inline std::string pg_test_database(const std::string& database, const std::string& setup_sql) {
  testkit::PostgresServer& server = testkit::shared_postgres_server();
  {
    PgConnection admin(server.connection_info("postgres"), std::chrono::seconds(30));
    admin.exec("DROP DATABASE IF EXISTS " + quote_pg_identifier(database) + " WITH (FORCE)");
  }
  server.create_database(database);
  const std::string conninfo = server.connection_info(database);
  if (!setup_sql.empty()) PgConnection(conninfo, std::chrono::seconds(30)).exec(setup_sql);
  return conninfo;
}

// Runs `sql` in a connection of its own.
inline PgResult pg_exec(const std::string& conninfo, const std::string& sql) {
  return PgConnection(conninfo, std::chrono::seconds(30)).exec(sql);
}

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_POSTGRES_INTERNAL_PG_TEST_DATABASE_H_
