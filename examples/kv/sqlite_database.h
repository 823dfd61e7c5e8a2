// A small RAII layer over the SQLite C API for the KV connector: a
// connection and prepared statements, every failure an InputError naming
// the database file and SQLite's message. Internal to examples/kv.

#ifndef SPLITCHECK_EXAMPLES_KV_SQLITE_DATABASE_H_
#define SPLITCHECK_EXAMPLES_KV_SQLITE_DATABASE_H_

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace splitcheck::examples::internal {

// `name` as an SQL identifier: "name", with quotes doubled.
std::string quote_identifier(std::string_view name);

class Statement;

class Database {
 public:
  // Opens `path`; with `create`, creates it if missing; through the SQLite
  // VFS named `vfs` ("" for the default). A locked database is waited for up
  // to 5 s, then an InputError.
  Database(const std::string& path, bool create, const std::string& vfs = "");
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  void exec(const std::string& sql);
  bool table_exists(const std::string& table);
  // The tables whose names start with `prefix`.
  std::vector<std::string> tables_with_prefix(std::string_view prefix);
  // Creates the KV table `table`: (key BLOB PRIMARY KEY, value BLOB).
  void create_kv_table(std::string_view table, bool if_not_exists);
  const std::string& path() const { return path_; }
  [[noreturn]] void fail(const std::string& what) const;

 private:
  friend class Statement;
  std::string path_;
  sqlite3* db_ = nullptr;
};

class Statement {
 public:
  Statement(Database& db, const std::string& sql);
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  void bind(int index, std::string_view blob);
  // For names compared with sqlite_master's TEXT columns.
  void bind_text(int index, std::string_view text);
  // True while there is a row.
  bool step();
  std::string column(int index) const;
  std::int64_t column_int(int index) const;
  void reset();

 private:
  Database& db_;
  std::string sql_;
  sqlite3_stmt* statement_ = nullptr;
};

// Inserts each row's `key` and `value` into the KV table `table`.
template <typename Rows>
void insert_rows(Database& db, std::string_view table, const Rows& rows) {
  Statement insert(db, "INSERT INTO " + quote_identifier(table) + " VALUES (?1, ?2)");
  for (const auto& row : rows) {
    insert.bind(1, row.key);
    insert.bind(2, row.value);
    insert.step();
    insert.reset();
  }
}

}  // namespace splitcheck::examples::internal

#endif  // SPLITCHECK_EXAMPLES_KV_SQLITE_DATABASE_H_
