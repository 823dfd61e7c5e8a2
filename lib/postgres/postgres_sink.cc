#include "splitcheck/lib/postgres/postgres_sink.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/coders/coder.h"
#include "splitcheck/lib/error.h"
#include "splitcheck/lib/postgres/internal/pg_connection.h"
#include "splitcheck/lib/postgres/internal/pg_copy_text.h"
#include "splitcheck/lib/sinks/sink.h"
#include "splitcheck/lib/sinks/sink_coder.h"
#include "splitcheck/lib/sinks/write_id.h"

namespace splitcheck {
namespace {

using internal::PgConnection;
using internal::PgResult;
using internal::quote_pg_identifier;
using internal::quote_pg_literal;

constexpr std::string_view kStagingPrefix = "splitcheck_stage_";
constexpr std::size_t kMaxIdentifier = 63;  // PostgreSQL's NAMEDATALEN - 1
constexpr std::size_t kCopyPiece = 1 << 16;

// The schema-qualified name of `table`.
std::string qualified(const std::string& schema, const std::string& table) {
  return (schema.empty() ? "" : quote_pg_identifier(schema) + ".") + quote_pg_identifier(table);
}

// The schema as an SQL expression, for catalog queries.
std::string schema_expression(const std::string& schema) {
  return schema.empty() ? "current_schema()" : quote_pg_literal(schema);
}

// The staging tables of the write whose prefix is `init`.
std::vector<std::string> staging_tables(PgConnection& conn, const std::string& schema,
                                        const std::string& init) {
  const PgResult r =
      conn.exec("SELECT tablename FROM pg_tables WHERE schemaname = " + schema_expression(schema) +
                " AND starts_with(tablename, " + quote_pg_literal(init) + ") ORDER BY tablename");
  std::vector<std::string> out;
  for (int i = 0; i < r.rows(); ++i) out.emplace_back(r.value(i, 0));
  return out;
}

// One attempt's staging table: the uid itself when the name fits, else a
// hash of it (identifiers longer than 63 bytes would be cut, and two
// attempts could then share a table).
std::string staging_table(const std::string& init, const std::string& uid) {
  if (init.size() + uid.size() <= kMaxIdentifier) return init + uid;
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (const char c : uid) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return init + hex;
}

// Runs `body` in one transaction: committed if it returns, rolled back (by
// closing the connection) if it throws.
template <typename Body>
void in_transaction(PgConnection& conn, Body body) {
  conn.exec("BEGIN");
  body();
  conn.exec("COMMIT");
}

class PostgresSink final : public Sink<PgRow> {
 public:
  PostgresSink(std::string conninfo, std::string table, WriteToPostgresOptions options)
      : conninfo_(std::move(conninfo)), table_(std::move(table)), options_(std::move(options)) {
    if (table_.empty()) throw UsageError("WriteToPostgres: the table name is empty");
    if (options_.io_timeout.count() <= 0) {
      throw UsageError("WriteToPostgres: io_timeout must be positive");
    }
    target_ = qualified(options_.schema, table_);
    if (!options_.columns.empty()) {
      columns_ = " (";
      for (std::size_t i = 0; i < options_.columns.size(); ++i) {
        if (i > 0) columns_ += ", ";
        columns_ += quote_pg_identifier(options_.columns[i]);
      }
      select_ = columns_.substr(2);
      columns_ += ")";
    }
  }

  // The prefix of this write's staging tables.
  std::string initialize_write() const override {
    return std::string(kStagingPrefix) + new_write_id() + "_";
  }

  std::unique_ptr<Writer<PgRow>> open_writer(const std::string& init,
                                             const std::string& uid) const override {
    check_init(init);
    return std::make_unique<PostgresWriter>(this, staging_table(init, uid));
  }

  std::vector<std::string> finalize_write(const std::string& init,
                                          const std::vector<std::string>& results,
                                          const std::string&) const override {
    check_init(init);
    for (const std::string& stage : results) {
      if (stage.rfind(init, 0) != 0) {
        throw UsageError("WriteToPostgres: \"" + stage + "\" is not a writer result of this write");
      }
    }
    PgConnection conn(conninfo_, options_.io_timeout);
    in_transaction(conn, [&] {
      if (!options_.create_definition.empty()) {
        conn.exec("CREATE TABLE IF NOT EXISTS " + target_ + " " + options_.create_definition);
      }
      const std::vector<std::string> staged = staging_tables(conn, options_.schema, init);
      const std::set<std::string> present(staged.begin(), staged.end());
      for (const std::string& stage : results) {
        // Gone: moved by an earlier finalize, which committed as a whole.
        if (present.count(stage) == 0) continue;
        conn.exec("INSERT INTO " + target_ + columns_ + " SELECT " + select_ + " FROM " +
                  qualified(options_.schema, stage));
      }
      // Every staging table of this write: used, failed and duplicate attempts.
      drop_all(conn, staged);
    });
    return {table_};
  }

  // Drops every staging table of the write, in one transaction. A finalize
  // commits as a whole, so there is nothing half-committed to undo.
  void abort_write(const std::string& init, const std::vector<std::string>&) const override {
    check_init(init);
    PgConnection conn(conninfo_, options_.io_timeout);
    in_transaction(conn, [&] { drop_all(conn, staging_tables(conn, options_.schema, init)); });
  }

  std::string debug_string() const override { return "WriteToPostgres(" + target_ + ")"; }

  // Serializable: everything, the connection string included (a worker
  // opens its own connection).
  void encode(ByteWriter& out) const override {
    out.put_string("PostgresSink");
    out.put_string(conninfo_);
    out.put_string(table_);
    out.put_string(options_.schema);
    encode_value(options_.columns, out);
    out.put_string(options_.create_definition);
    out.put_signed(options_.io_timeout.count());
  }

  static std::shared_ptr<const PostgresSink> decode(ByteReader& in) {
    in.expect_tag("PostgresSink");
    std::string conninfo = in.get_string("conninfo");
    const std::size_t table_at = in.offset();
    std::string table = in.get_string("table");
    if (table.empty()) in.fail(table_at, "table", "empty");
    WriteToPostgresOptions options;
    options.schema = in.get_string("schema");
    options.columns = decode_value<std::vector<std::string>>(in);
    options.create_definition = in.get_string("create_definition");
    const std::size_t at = in.offset();
    const std::int64_t timeout = in.get_signed("io_timeout");
    if (timeout <= 0) in.fail(at, "io_timeout", "must be positive");
    options.io_timeout = std::chrono::milliseconds(timeout);
    return std::make_shared<const PostgresSink>(std::move(conninfo), std::move(table),
                                                std::move(options));
  }

  SinkDecoder<PgRow> decoder() const override { return sink_decoder_of<PostgresSink>(); }

 private:
  void check_init(const std::string& init) const {
    if (init.rfind(kStagingPrefix, 0) != 0 || init.size() + 1 > kMaxIdentifier) {
      throw UsageError("WriteToPostgres: \"" + init + "\" is not this sink's initialize_write()");
    }
  }

  void drop_all(PgConnection& conn, const std::vector<std::string>& stages) const {
    if (stages.empty()) return;
    std::string sql = "DROP TABLE ";
    for (std::size_t i = 0; i < stages.size(); ++i) {
      if (i > 0) sql += ", ";
      sql += qualified(options_.schema, stages[i]);
    }
    conn.exec(sql);
  }

  class PostgresWriter final : public Writer<PgRow> {
   public:
    PostgresWriter(const PostgresSink* sink, std::string stage)
        : sink_(sink), stage_(std::move(stage)) {}

    void write(const PgRow& row) override {
      if (!conn_) start();
      internal::append_copy_row(row.values, buffer_);
      if (buffer_.size() >= kCopyPiece) {
        conn_->copy_put(buffer_);
        buffer_.clear();
      }
    }

    std::string close() override {
      if (!conn_) start();
      if (!buffer_.empty()) conn_->copy_put(buffer_);
      buffer_.clear();
      conn_->copy_end();
      conn_->exec("COMMIT");
      conn_.reset();
      return stage_;
    }

   private:
    // The attempt's transaction: its staging table, and a COPY into it.
    void start() {
      const WriteToPostgresOptions& o = sink_->options_;
      conn_ = std::make_unique<PgConnection>(sink_->conninfo_, o.io_timeout);
      const std::string stage = qualified(o.schema, stage_);
      const std::string definition = o.create_definition.empty()
                                         ? "(LIKE " + sink_->target_ + " INCLUDING DEFAULTS)"
                                         : o.create_definition;
      conn_->exec("BEGIN; CREATE TABLE " + stage + " " + definition);
      conn_->copy_start("COPY " + stage + sink_->columns_ + " FROM STDIN");
    }

    const PostgresSink* const sink_;
    const std::string stage_;
    std::unique_ptr<PgConnection> conn_;  // open from the first write to close
    std::string buffer_;
  };

  const std::string conninfo_;
  const std::string table_;
  const WriteToPostgresOptions options_;
  std::string target_;        // set in the constructor, then never changed
  std::string columns_;       // " (a, b)", or "" for every column
  std::string select_ = "*";  // "a, b", or "*"
};

}  // namespace

Write<PgRow> WriteToPostgres(std::string conninfo, std::string table,
                             WriteToPostgresOptions options) {
  return Write<PgRow>(std::make_shared<const PostgresSink>(std::move(conninfo), std::move(table),
                                                           std::move(options)));
}

std::vector<PgRow> postgres_table_rows(const std::string& conninfo, const std::string& schema,
                                       const std::string& table) {
  PgConnection conn(conninfo, std::chrono::seconds(30));
  const PgResult exists =
      conn.exec("SELECT 1 FROM pg_tables WHERE schemaname = " + schema_expression(schema) +
                " AND tablename = " + quote_pg_literal(table));
  std::vector<PgRow> rows;
  if (exists.rows() == 0) return rows;
  const PgResult r = conn.exec("SELECT * FROM " + qualified(schema, table));
  for (int i = 0; i < r.rows(); ++i) {
    PgRow row;
    for (int c = 0; c < r.columns(); ++c) {
      if (r.is_null(i, c)) {
        row.values.emplace_back(std::nullopt);
      } else {
        row.values.emplace_back(std::string(r.value(i, c)));
      }
    }
    rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::vector<std::string> postgres_staging_tables_left(const std::string& conninfo,
                                                      const std::string& schema) {
  PgConnection conn(conninfo, std::chrono::seconds(30));
  return staging_tables(conn, schema, std::string(kStagingPrefix));
}

}  // namespace splitcheck
