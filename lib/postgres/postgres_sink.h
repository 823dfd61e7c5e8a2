// Writing to a PostgreSQL table from many workers, committed once:
// WriteToPostgres.
//
//   LocalRunner runner;
//   runner.run(WriteToPostgres("host=/run/postgresql dbname=shop", "orders"), rows);
//
// Each row (PgRow, pg_row.h) holds the values of options.columns (or of
// every column of the table, in order), as PostgreSQL's text input form
// takes them ("42", "t", "2026-12-04"); nullopt is NULL.
//
// Every writer attempt stages its rows in a table of its own,
// splitcheck_stage_<write id>_<attempt>, beside the target, created and
// filled by COPY in one transaction that commits when the writer closes: an
// attempt that fails or is abandoned leaves nothing (its transaction rolls
// back), and one whose commit was acknowledged is a table the runner may or
// may not hand to finalize. Finalize, in one transaction, moves the rows of
// the staging tables the runner names into the target and drops every
// staging table of the write (the used ones, and those of failed or
// speculative attempts). So:
//   * a finalize that fails, or whose commit is lost on the way back, is
//     either wholly done or not done at all; run again, it finds the staging
//     tables it moved gone and moves nothing twice;
//   * abort_write drops every staging table of the write, in one
//     transaction.
// The target must exist unless options.create_definition is given (then
// finalize creates it in the same transaction, and writers stage in tables
// of that definition). Staging tables are ordinary (logged) tables, so a
// server that crashes and recovers keeps them. Duplicate rows are not
// detected: give the target a primary key to refuse them (the finalize then
// fails with an InputError naming the key, and commits nothing).
//
// Every wait for the server is bounded by options.io_timeout; a lost
// connection or a server error is an InputError naming the server and the
// statement, and the runner retries the attempt or the finalize.

#ifndef SPLITCHECK_LIB_POSTGRES_POSTGRES_SINK_H_
#define SPLITCHECK_LIB_POSTGRES_POSTGRES_SINK_H_

#include <chrono>
#include <string>
#include <vector>

#include "splitcheck/lib/postgres/pg_row.h"
#include "splitcheck/lib/sinks/write.h"

namespace splitcheck {

struct WriteToPostgresOptions {
  // The schema of the target (and of the staging tables); empty: the
  // connection's current schema.
  std::string schema;
  // The columns each row fills, in order; empty: every column of the table.
  std::vector<std::string> columns;
  // Non-empty: the target's definition, "(id bigint, name text)", created
  // by finalize when the table does not exist.
  std::string create_definition;
  std::chrono::milliseconds io_timeout{30000};
};

Write<PgRow> WriteToPostgres(std::string conninfo, std::string table,
                             WriteToPostgresOptions options = {});

// For tests' read-backs: every row of `table` in `schema` ("" : the current
// one), sorted; none when there is no such table.
std::vector<PgRow> postgres_table_rows(const std::string& conninfo, const std::string& schema,
                                       const std::string& table);

// The staging tables of WriteToPostgres's writes left in `schema`: none once
// every write has finalized or aborted.
std::vector<std::string> postgres_staging_tables_left(const std::string& conninfo,
                                                      const std::string& schema);

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_POSTGRES_POSTGRES_SINK_H_
