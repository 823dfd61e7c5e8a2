// ReadFromKV and WriteToKV: the connector guide's key-value example, for real,
// on an SQLite database file (no server).
//
// A KV table holds (key BLOB PRIMARY KEY, value BLOB) rows; keys order as
// unsigned bytes, as LexicographicKeyRangeTracker positions do.
//
//   LocalRunner runner;
//   auto rows = runner.run(ReadFromKV("data.db", "users")).records;
//   runner.run(WriteToKV("data.db", "users_copy"), rows);
//
// ReadFromKV reads [start_key, end_key) of a table (empty: unbounded; the
// source then takes the table's first key and the key just after its last,
// when it is created, so that split fractions spread over existing keys),
// split into key ranges of about the desired size by scanning the keys, and
// splittable while it reads. WriteToKV stages every writer attempt in a table
// of its own; finalize moves the staged rows of the attempts the runner
// commits into the table and drops every staging table of the write, all in
// one transaction, so a rerun finds nothing left to move and changes nothing.
// Keys must be unique: a duplicate fails the finalize (InputError), it never
// silently replaces.
//
// Errors name the database and the cause: a missing table, a file that is
// not a database, a database locked for longer than 5 s.

#ifndef SPLITCHECK_EXAMPLES_KV_KV_IO_H_
#define SPLITCHECK_EXAMPLES_KV_KV_IO_H_

#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "splitcheck/lib/coders/coder.h"
#include "splitcheck/lib/sinks/write.h"
#include "splitcheck/lib/sources/read.h"

namespace splitcheck::examples {

struct KeyValue {
  std::string key;
  std::string value;

  friend bool operator==(const KeyValue&, const KeyValue&) = default;
  friend auto operator<=>(const KeyValue&, const KeyValue&) = default;
  friend std::ostream& operator<<(std::ostream& os, const KeyValue& kv) {
    return os << "{" << kv.key << ": " << kv.value << "}";
  }
};

}  // namespace splitcheck::examples

// Rows travel from worker processes to the runner as bytes.
template <>
struct splitcheck::Coder<splitcheck::examples::KeyValue> {
  static void encode(const splitcheck::examples::KeyValue& kv, ByteWriter& out) {
    out.put_string(kv.key);
    out.put_string(kv.value);
  }
  static splitcheck::examples::KeyValue decode(ByteReader& in) {
    splitcheck::examples::KeyValue kv;
    kv.key = in.get_string("key");
    kv.value = in.get_string("value");
    return kv;
  }
};

namespace splitcheck::examples {

struct ReadFromKVOptions {
  std::string start_key;  // empty: the first key
  std::string end_key;    // empty: the end of the key space
};

struct WriteToKVOptions {
  // The SQLite VFS to open the database with ("": the default). A test
  // passes testkit::install_sqlite_fault_vfs(env.faults), which makes every
  // write, sync, lock and commit a fault point, with no hook here.
  std::string vfs;
  // Called before and after each call that changes the database ("before",
  // "stage <table>"), so that a test can make it fail there: the wrapper
  // API for a store without a VFS (docs/testkit.md), kept as its example.
  std::function<void(std::string_view phase, std::string_view call)> call_hook;
};

Read<KeyValue, std::string> ReadFromKV(std::string database, std::string table,
                                       ReadFromKVOptions options = {});

Write<KeyValue> WriteToKV(std::string database, std::string table, WriteToKVOptions options = {});

// The rows of `table` in `database`, in key order: none if there is no such
// table (nothing committed yet). For tests' read-backs.
std::vector<KeyValue> table_rows(const std::string& database, const std::string& table);

// The staging tables of WriteToKV's writes (to any table) left in
// `database`: none once every write has finalized or aborted. What a test's
// leftover check looks for; a missing database has none.
std::vector<std::string> staging_tables_left(const std::string& database);

}  // namespace splitcheck::examples

#endif  // SPLITCHECK_EXAMPLES_KV_KV_IO_H_
