// PgConnection: one libpq connection to a PostgreSQL server, used by one
// thread at a time, where every wait for the server is bounded.
//
// libpq's blocking calls (PQexec, PQconnectdb) wait for the server forever:
// a stalled server or a network path that silently stops forwarding hangs
// the caller. PgConnection drives libpq's non-blocking API instead and
// gives each wait `io_timeout`; a wait that runs out closes the connection
// and throws. So a reader never hangs on a stalled link: its bundle fails
// and the runner retries it.
//
// Errors are splitcheck errors naming the server (as "PostgreSQL <host>:
// <port>" or its socket directory), the statement (its first 60
// characters) and the server's or libpq's message:
//   - a connection that cannot be made, is lost, or times out: PgConnectionLost
//     (an InputError, so retried). Whether a statement whose connection
//     was lost took effect at the server is unknown: the caller must be
//     able to tell from the server's state (WriteToPostgres does).
//   - an error the server reports (SQLSTATE): PgServerError (an InputError)
//     with sqlstate().
// After a lost connection broken() is true; after a server error inside a
// transaction block the transaction is aborted (the caller rolls back or
// drops the connection).
//
// Every connection uses client_encoding UTF8, whatever the connection
// string or the environment asks for.
//
// Not thread-safe: a connection belongs to the reader or writer that made
// it. Move-only.

#ifndef SPLITCHECK_LIB_POSTGRES_INTERNAL_PG_CONNECTION_H_
#define SPLITCHECK_LIB_POSTGRES_INTERNAL_PG_CONNECTION_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "splitcheck/lib/error.h"

struct pg_conn;
struct pg_result;

namespace splitcheck::internal {

class PgConnectionLost : public InputError {
 public:
  using InputError::InputError;
};

class PgServerError : public InputError {
 public:
  PgServerError(const std::string& message, std::string sqlstate)
      : InputError(message), sqlstate_(std::move(sqlstate)) {}
  // The five-character SQLSTATE, e.g. "23505" for a unique violation.
  const std::string& sqlstate() const { return sqlstate_; }

 private:
  std::string sqlstate_;
};

// The rows of one statement's result, as text.
class PgResult {
 public:
  PgResult() = default;
  explicit PgResult(pg_result* result);
  PgResult(PgResult&&) noexcept;
  PgResult& operator=(PgResult&&) noexcept;
  ~PgResult();

  int rows() const;
  int columns() const;
  // The value at (row, column) as the server sent it in text form; empty
  // for SQL NULL (is_null tells them apart).
  std::string_view value(int row, int column) const;
  bool is_null(int row, int column) const;
  // value() as a 64-bit integer; an InputError if it is not one.
  std::int64_t int64(int row, int column) const;
  // The row count of an INSERT, UPDATE, DELETE, COPY, ... (0 when none).
  std::int64_t affected_rows() const;

 private:
  pg_result* result_ = nullptr;
};

class PgConnection {
 public:
  // Connects (bounded by io_timeout). Throws PgConnectionLost.
  PgConnection(const std::string& conninfo, std::chrono::milliseconds io_timeout);
  PgConnection(PgConnection&&) noexcept;
  PgConnection& operator=(PgConnection&&) noexcept;
  ~PgConnection();

  // Runs `sql` (one statement, or several separated by ';', whose last
  // result is returned) with the simple query protocol.
  PgResult exec(std::string_view sql);
  // Runs one statement with $1, $2, ... bound to `params` (nullopt: NULL),
  // as text, with the extended protocol.
  PgResult exec_params(std::string_view sql, std::span<const std::optional<std::string>> params);
  // COPY ... FROM STDIN: runs `copy_sql`, sends `data` (in the COPY
  // statement's format) and ends the copy; the rows copied.
  std::int64_t copy_in(std::string_view copy_sql, std::string_view data);
  // The same in steps, for data that comes in pieces: copy_start, then
  // copy_put for each piece, then copy_end (the rows copied).
  void copy_start(std::string_view copy_sql);
  void copy_put(std::string_view data);
  std::int64_t copy_end();
  // COPY ... TO STDOUT a row at a time: after copy_start(copy_sql), each
  // call returns the next row (in the COPY statement's format, with its
  // '\n'), valid until the next call, or nullopt once the copy is over and
  // its result is read.
  std::optional<std::string_view> copy_out_row();
  // Closes the connection now (a COPY or a query still running is
  // abandoned; the server ends it): broken() from then on.
  void abandon();
  // COPY ... TO STDOUT: runs `copy_sql` and hands each piece of data the
  // server sends (one row each, in the COPY statement's format) to
  // `consume`; the rows copied.
  std::int64_t copy_out(std::string_view copy_sql,
                        const std::function<void(std::string_view)>& consume);

  // Whether the connection can no longer be used (lost, timed out).
  bool broken() const;
  // "PostgreSQL <where>", for messages.
  const std::string& name() const { return name_; }

 private:
  PgResult wait_result(std::string_view sql);
  void wait_socket(bool for_write, std::string_view doing);
  void flush(std::string_view doing);
  [[noreturn]] void lost(std::string_view doing, const std::string& why);

  pg_conn* conn_ = nullptr;
  std::chrono::milliseconds io_timeout_{0};
  std::string name_;
  std::string copy_sql_;      // the COPY in progress, for messages
  char* copy_row_ = nullptr;  // the last row of copy_out_row, libpq's
};

// `s` as an SQL identifier: in double quotes, embedded quotes doubled.
std::string quote_pg_identifier(std::string_view s);
// `s` as an SQL string literal, right whatever standard_conforming_strings
// is (an E'' string).
std::string quote_pg_literal(std::string_view s);

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_POSTGRES_INTERNAL_PG_CONNECTION_H_
