// Reading a PostgreSQL table or query in parallel: ReadFromPostgres and
// ReadFromPostgresByTextKey.
//
//   LocalRunner runner;
//   ReadFromPostgresOptions options;
//   options.table = "orders";
//   options.key = "id";                      // a unique bigint column
//   auto rows = runner.run(ReadFromPostgres("host=/run/postgresql dbname=shop", options)).records;
//
// Rows are PgRows (pg_row.h): the selected columns as text, NULL as nullopt.
//
// Splitting. The input is split by ranges of a unique key column:
//   * ReadFromPostgres: a 64-bit integer key (smallint, integer, bigint),
//     tracked by an OffsetRangeTracker whose positions are key - first key
//     (the source's start_key, or the smallest key when the source is made);
//   * ReadFromPostgresByTextKey: a text key, tracked by a
//     LexicographicKeyRangeTracker over the keys' UTF-8 bytes, compared with
//     COLLATE "C" (byte order) whatever the database's collation is. A split
//     key that is not valid UTF-8 (key arithmetic makes such keys) is
//     rounded up to the smallest valid text at or after it, which selects
//     the same rows. An index on the key serves the range scans only if
//     its collation is "C".
// Every key is a split point: a reader claims each row's key before it
// yields the row, so it can be split dynamically at any key while it reads.
// split() cuts where the key distribution says (percentile_disc over the
// range), so bundles hold about the same number of rows however skewed the
// keys are. A key that repeats (a key column that is not unique) is an
// InputError naming it: rows would be read twice or not at all otherwise.
//
// Consistency. All readers of one source read the same snapshot: making the
// source opens a connection that exports its REPEATABLE READ snapshot
// (pg_export_snapshot) and holds it while any copy of the source lives;
// every reader, split and size estimate imports it. So a table written to
// while it is read is read as it was when the source was made, once per row,
// and the bundles agree on it. (Beam's JdbcIO reads each bundle in its own
// transaction, at its own time.) Turn it off (options.snapshot = false) for
// a server that does not allow exported snapshots (a hot standby before
// PostgreSQL 10, a connection pooler in transaction mode); then each reader
// has its own snapshot.
//
// Readers stream: each runs one COPY (SELECT ... ORDER BY key) TO STDOUT
// over its range (a reader split dynamically closes its connection at the
// first key it may not claim), and idle connections are kept (up to 8 per
// source) for the next reader. Every wait for the server is bounded by options.io_timeout; a lost
// connection, a timeout or a server error fails the reader's bundle with an
// InputError naming the server and the statement, and the runner retries
// the bundle (from its start, on a new connection: nothing the failed
// attempt yielded is kept).
//
// Bad arguments are UsageErrors when the source is made: no table or query,
// both, no key; a table, key or column that does not exist is an InputError
// naming it.

#ifndef SPLITCHECK_LIB_POSTGRES_POSTGRES_SOURCE_H_
#define SPLITCHECK_LIB_POSTGRES_POSTGRES_SOURCE_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "splitcheck/lib/postgres/pg_row.h"
#include "splitcheck/lib/sources/read.h"

namespace splitcheck {

struct ReadFromPostgresOptions {
  // What to read: a table (optionally schema-qualified through `schema`) or
  // a query (any SELECT; it is read as a subquery, so `key` must be one of
  // its output columns). Exactly one of them.
  std::string table;
  std::string schema;
  std::string query;
  // The unique key column the input is split on.
  std::string key;
  // The columns a row holds, in order; empty: every column (SELECT *).
  std::vector<std::string> columns;
  // Bounds on the key, [start_key, end_key) (as text: "-5", "apple").
  // Absent: the table's first key, and just past its last.
  std::optional<std::string> start_key;
  std::optional<std::string> end_key;
  // The longest wait for the server (connecting, any statement's answer).
  std::chrono::milliseconds io_timeout{30000};
  // One exported snapshot for every reader (see above).
  bool snapshot = true;
};

Read<PgRow, std::int64_t> ReadFromPostgres(std::string conninfo, ReadFromPostgresOptions options);

Read<PgRow, std::string> ReadFromPostgresByTextKey(std::string conninfo,
                                                   ReadFromPostgresOptions options);

// The decoders of the two sources' encodings (what their decoder() gives):
// the connection string, the options, the exported snapshot's name and what
// was measured in it. Decoding connects to nothing; reading does.
SourceDecoder<PgRow, std::int64_t> PostgresSourceDecoder();
SourceDecoder<PgRow, std::string> PostgresTextKeySourceDecoder();

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_POSTGRES_POSTGRES_SOURCE_H_
