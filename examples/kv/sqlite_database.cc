#include "splitcheck/examples/kv/sqlite_database.h"

#include <string>
#include <vector>

#include "splitcheck/lib/error.h"

namespace splitcheck::examples::internal {

std::string quote_identifier(std::string_view name) {
  std::string out = "\"";
  for (const char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

Database::Database(const std::string& path, bool create, const std::string& vfs) : path_(path) {
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  const int status =
      sqlite3_open_v2(path.c_str(), &db_, flags, vfs.empty() ? nullptr : vfs.c_str());
  if (status != SQLITE_OK) {
    const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(status);
    sqlite3_close(db_);
    db_ = nullptr;
    throw InputError("SQLite database \"" + path + "\": cannot open: " + message);
  }
  sqlite3_busy_timeout(db_, 5000);
  // A file that is not a database is noticed only at the first read. The
  // destructor does not run when the constructor throws: close here.
  try {
    exec("SELECT count(*) FROM sqlite_master");
  } catch (...) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw;
  }
}

Database::~Database() { sqlite3_close(db_); }

void Database::fail(const std::string& what) const {
  throw InputError("SQLite database \"" + path_ + "\": " + what + ": " + sqlite3_errmsg(db_));
}

void Database::exec(const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error != nullptr ? error : sqlite3_errmsg(db_);
    sqlite3_free(error);
    throw InputError("SQLite database \"" + path_ + "\": " + sql + ": " + message);
  }
}

bool Database::table_exists(const std::string& table) {
  Statement statement(*this, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1");
  statement.bind_text(1, table);
  return statement.step();
}

std::vector<std::string> Database::tables_with_prefix(std::string_view prefix) {
  std::vector<std::string> tables;
  Statement s(*this,
              "SELECT name FROM sqlite_master WHERE type = 'table' AND "
              "substr(name, 1, length(?1)) = ?1");
  s.bind_text(1, prefix);
  while (s.step()) tables.push_back(s.column(0));
  return tables;
}

void Database::create_kv_table(std::string_view table, bool if_not_exists) {
  exec(std::string("CREATE TABLE ") + (if_not_exists ? "IF NOT EXISTS " : "") +
       quote_identifier(table) + " (key BLOB PRIMARY KEY, value BLOB)");
}

Statement::Statement(Database& db, const std::string& sql) : db_(db), sql_(sql) {
  if (sqlite3_prepare_v2(db.db_, sql.c_str(), -1, &statement_, nullptr) != SQLITE_OK) {
    db.fail(sql);
  }
}

Statement::~Statement() { sqlite3_finalize(statement_); }

void Statement::bind(int index, std::string_view blob) {
  if (sqlite3_bind_blob(statement_, index, blob.data(), static_cast<int>(blob.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK) {
    db_.fail(sql_);
  }
}

bool Statement::step() {
  const int status = sqlite3_step(statement_);
  if (status == SQLITE_ROW) return true;
  if (status == SQLITE_DONE) return false;
  db_.fail(sql_);
}

void Statement::bind_text(int index, std::string_view text) {
  if (sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK) {
    db_.fail(sql_);
  }
}

std::string Statement::column(int index) const {
  const void* data = sqlite3_column_blob(statement_, index);
  const int size = sqlite3_column_bytes(statement_, index);
  return data == nullptr ? std::string() : std::string(static_cast<const char*>(data), size);
}

std::int64_t Statement::column_int(int index) const {
  return sqlite3_column_int64(statement_, index);
}

void Statement::reset() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

}  // namespace splitcheck::examples::internal
