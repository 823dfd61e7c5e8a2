#include "splitcheck/lib/postgres/internal/pg_connection.h"

#include <poll.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "libpq-fe.h"

namespace splitcheck::internal {
namespace {

// The first 60 characters of a statement, for messages.
std::string excerpt(std::string_view sql) {
  constexpr std::size_t kMax = 60;
  std::string out(sql.substr(0, kMax));
  if (sql.size() > kMax) out += "...";
  return "\"" + out + "\"";
}

std::string trimmed(const char* message) {
  std::string s = message ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

PgResult::PgResult(pg_result* result) : result_(result) {}
PgResult::PgResult(PgResult&& other) noexcept : result_(std::exchange(other.result_, nullptr)) {}
PgResult& PgResult::operator=(PgResult&& other) noexcept {
  if (this != &other) {
    if (result_) PQclear(result_);
    result_ = std::exchange(other.result_, nullptr);
  }
  return *this;
}
PgResult::~PgResult() {
  if (result_) PQclear(result_);
}

int PgResult::rows() const { return result_ ? PQntuples(result_) : 0; }
int PgResult::columns() const { return result_ ? PQnfields(result_) : 0; }

std::string_view PgResult::value(int row, int column) const {
  return std::string_view(PQgetvalue(result_, row, column),
                          static_cast<std::size_t>(PQgetlength(result_, row, column)));
}

bool PgResult::is_null(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }

std::int64_t PgResult::int64(int row, int column) const {
  const std::string_view text = value(row, column);
  std::int64_t out = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || end != text.data() + text.size() || is_null(row, column)) {
    throw InputError("PostgreSQL result: \"" + std::string(text) + "\" at row " +
                     std::to_string(row) + ", column " + std::to_string(column) +
                     " is not a 64-bit integer");
  }
  return out;
}

std::int64_t PgResult::affected_rows() const {
  const char* tuples = result_ ? PQcmdTuples(result_) : "";
  std::int64_t out = 0;
  std::from_chars(tuples, tuples + std::strlen(tuples), out);
  return out;
}

PgConnection::PgConnection(const std::string& conninfo, std::chrono::milliseconds io_timeout)
    : io_timeout_(io_timeout) {
  // The connection string (or URI) expanded, then client_encoding forced
  // to UTF8 over whatever it or PGCLIENTENCODING says: text keys are
  // compared and rounded as UTF-8 bytes (pg_text_bound.h), and rows travel
  // as UTF-8.
  const char* const keywords[] = {"dbname", "client_encoding", nullptr};
  const char* const values[] = {conninfo.c_str(), "UTF8", nullptr};
  conn_ = PQconnectStartParams(keywords, values, 1);
  if (conn_ == nullptr) throw PgConnectionLost("PostgreSQL: out of memory while connecting");
  const char* host = PQhost(conn_);
  const char* port = PQport(conn_);
  name_ = std::string("PostgreSQL ") + (host && *host ? host : "(default host)") + ":" +
          (port && *port ? port : "5432");
  PostgresPollingStatusType status = PGRES_POLLING_WRITING;
  while (status != PGRES_POLLING_OK) {
    if (status == PGRES_POLLING_FAILED || PQstatus(conn_) == CONNECTION_BAD) {
      lost("connecting", trimmed(PQerrorMessage(conn_)));
    }
    wait_socket(status == PGRES_POLLING_WRITING, "connecting");
    status = PQconnectPoll(conn_);
  }
  if (PQsetnonblocking(conn_, 1) != 0) lost("connecting", trimmed(PQerrorMessage(conn_)));
}

PgConnection::PgConnection(PgConnection&& other) noexcept
    : conn_(std::exchange(other.conn_, nullptr)),
      io_timeout_(other.io_timeout_),
      name_(std::move(other.name_)),
      copy_sql_(std::move(other.copy_sql_)),
      copy_row_(std::exchange(other.copy_row_, nullptr)) {}

PgConnection& PgConnection::operator=(PgConnection&& other) noexcept {
  if (this != &other) {
    abandon();
    conn_ = std::exchange(other.conn_, nullptr);
    copy_row_ = std::exchange(other.copy_row_, nullptr);
    io_timeout_ = other.io_timeout_;
    name_ = std::move(other.name_);
    copy_sql_ = std::move(other.copy_sql_);
  }
  return *this;
}

PgConnection::~PgConnection() { abandon(); }

bool PgConnection::broken() const { return conn_ == nullptr || PQstatus(conn_) == CONNECTION_BAD; }

void PgConnection::lost(std::string_view doing, const std::string& why) {
  abandon();
  throw PgConnectionLost(name_ + ": connection lost while " + std::string(doing) + ": " + why);
}

void PgConnection::wait_socket(bool for_write, std::string_view doing) {
  pollfd fd{PQsocket(conn_), static_cast<short>(for_write ? POLLOUT : POLLIN), 0};
  if (fd.fd < 0) lost(doing, "no socket");
  for (;;) {
    const int ready = ::poll(&fd, 1, static_cast<int>(io_timeout_.count()));
    if (ready > 0) return;
    if (ready == 0) {
      lost(doing, "no answer from the server for " + std::to_string(io_timeout_.count()) + " ms");
    }
    if (errno != EINTR) lost(doing, std::string("poll: ") + std::strerror(errno));
  }
}

void PgConnection::flush(std::string_view doing) {
  for (;;) {
    const int pending = PQflush(conn_);
    if (pending == 0) return;
    if (pending < 0) lost(doing, trimmed(PQerrorMessage(conn_)));
    wait_socket(true, doing);
  }
}

PgResult PgConnection::wait_result(std::string_view sql) {
  const std::string doing = "running " + excerpt(sql);
  flush(doing);
  PgResult last;
  std::string error;
  std::string sqlstate;
  for (;;) {
    while (PQisBusy(conn_)) {
      wait_socket(false, doing);
      if (PQconsumeInput(conn_) == 0) lost(doing, trimmed(PQerrorMessage(conn_)));
    }
    pg_result* result = PQgetResult(conn_);
    if (result == nullptr) break;
    const ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT) return PgResult(result);
    if (status == PGRES_FATAL_ERROR || status == PGRES_BAD_RESPONSE ||
        status == PGRES_NONFATAL_ERROR) {
      if (error.empty()) {
        error = trimmed(PQresultErrorMessage(result));
        const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
        sqlstate = state ? state : "";
      }
      PQclear(result);
      if (PQstatus(conn_) == CONNECTION_BAD) lost(doing, error);
      continue;
    }
    last = PgResult(result);
  }
  if (PQstatus(conn_) == CONNECTION_BAD) lost(doing, trimmed(PQerrorMessage(conn_)));
  if (!error.empty()) {
    // An error without a SQLSTATE is libpq's own: the connection is gone.
    if (sqlstate.empty()) lost(doing, error);
    throw PgServerError(
        name_ + ": " + excerpt(sql) + " failed: " + error + " (SQLSTATE " + sqlstate + ")",
        sqlstate);
  }
  return last;
}

PgResult PgConnection::exec(std::string_view sql) {
  if (broken()) lost("running " + excerpt(sql), "the connection was lost before");
  const std::string text(sql);
  if (PQsendQuery(conn_, text.c_str()) == 0) {
    lost("sending " + excerpt(sql), trimmed(PQerrorMessage(conn_)));
  }
  return wait_result(sql);
}

PgResult PgConnection::exec_params(std::string_view sql,
                                   std::span<const std::optional<std::string>> params) {
  if (broken()) lost("running " + excerpt(sql), "the connection was lost before");
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const std::optional<std::string>& p : params) values.push_back(p ? p->c_str() : nullptr);
  const std::string text(sql);
  if (PQsendQueryParams(conn_, text.c_str(), static_cast<int>(values.size()), nullptr,
                        values.data(), nullptr, nullptr, 0) == 0) {
    lost("sending " + excerpt(sql), trimmed(PQerrorMessage(conn_)));
  }
  return wait_result(sql);
}

std::int64_t PgConnection::copy_in(std::string_view copy_sql, std::string_view data) {
  copy_start(copy_sql);
  copy_put(data);
  return copy_end();
}

void PgConnection::copy_start(std::string_view copy_sql) {
  if (broken()) lost("running " + excerpt(copy_sql), "the connection was lost before");
  copy_sql_ = std::string(copy_sql);
  if (PQsendQuery(conn_, copy_sql_.c_str()) == 0) {
    lost("sending " + excerpt(copy_sql), trimmed(PQerrorMessage(conn_)));
  }
  wait_result(copy_sql);
}

void PgConnection::copy_put(std::string_view data) {
  const std::string doing = "copying rows for " + excerpt(copy_sql_);
  if (broken()) lost(doing, "the connection was lost before");
  // libpq takes at most INT_MAX bytes per call; 1 MiB pieces keep its
  // buffer small.
  constexpr std::size_t kPiece = 1 << 20;
  for (std::size_t at = 0; at < data.size();) {
    const std::size_t n = std::min(kPiece, data.size() - at);
    const int sent = PQputCopyData(conn_, data.data() + at, static_cast<int>(n));
    if (sent < 0) lost(doing, trimmed(PQerrorMessage(conn_)));
    if (sent == 0) {
      wait_socket(true, doing);
      continue;
    }
    at += n;
    if (PQflush(conn_) < 0) lost(doing, trimmed(PQerrorMessage(conn_)));
  }
}

std::int64_t PgConnection::copy_end() {
  const std::string doing = "ending the copy of " + excerpt(copy_sql_);
  if (broken()) lost(doing, "the connection was lost before");
  for (;;) {
    const int ended = PQputCopyEnd(conn_, nullptr);
    if (ended < 0) lost(doing, trimmed(PQerrorMessage(conn_)));
    if (ended == 1) break;
    wait_socket(true, doing);
  }
  return wait_result(copy_sql_).affected_rows();
}

std::optional<std::string_view> PgConnection::copy_out_row() {
  if (copy_row_) {
    PQfreemem(copy_row_);
    copy_row_ = nullptr;
  }
  const std::string doing = "copying rows out for " + excerpt(copy_sql_);
  if (broken()) lost(doing, "the connection was lost before");
  for (;;) {
    const int n = PQgetCopyData(conn_, &copy_row_, 1);
    if (n > 0) return std::string_view(copy_row_, static_cast<std::size_t>(n));
    if (n == -1) break;  // the copy is over; its result follows
    if (n == -2) lost(doing, trimmed(PQerrorMessage(conn_)));
    wait_socket(false, doing);
    if (PQconsumeInput(conn_) == 0) lost(doing, trimmed(PQerrorMessage(conn_)));
  }
  wait_result(copy_sql_);
  return std::nullopt;
}

void PgConnection::abandon() {
  if (copy_row_) {
    PQfreemem(copy_row_);
    copy_row_ = nullptr;
  }
  if (conn_) {
    PQfinish(conn_);
    conn_ = nullptr;
  }
}

std::int64_t PgConnection::copy_out(std::string_view copy_sql,
                                    const std::function<void(std::string_view)>& consume) {
  copy_start(copy_sql);
  std::int64_t rows = 0;
  while (const std::optional<std::string_view> row = copy_out_row()) {
    consume(*row);
    ++rows;
  }
  return rows;
}

std::string quote_pg_identifier(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string quote_pg_literal(std::string_view s) {
  // An escape string (E'...'): quotes and backslashes doubled mean the same
  // whatever standard_conforming_strings says.
  std::string out = "E'";
  for (const char c : s) {
    if (c == '\'' || c == '\\') out += c;
    out += c;
  }
  return out + "'";
}

}  // namespace splitcheck::internal
