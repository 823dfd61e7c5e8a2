// Broken PostgreSQL connectors for the zoo: each handles a lost connection
// the way connectors have got it wrong. Nothing goes wrong while the
// network holds, so the source and sink batteries without faults pass them;
// the checks that fail the connection at each call and acknowledgement
// (broken_postgres_connectors_test.cc names them) must reject them.
//
//   BrokenPgReader, PgReaderBug::kRestartsItsRange
//       reconnects after a lost connection and reads its range again from
//       the start; the rows it had already claimed it takes to be its own
//       still, and yields them again (duplicates).
//   BrokenPgReader, PgReaderBug::kEndsOnALostConnection
//       takes a lost connection for the end of its range (rows lost).
//   RetriesLostCommitSink
//       WriteToPostgres's staging, but finalize reads the staged rows into
//       memory first, then moves them in one transaction that it retries on
//       a lost connection. When the COMMIT reached the server and only its
//       acknowledgement was lost, the retry inserts the rows a second time
//       (duplicates).
//
// The reader reads a table (id bigint, name text) with ids >= 0, whose
// positions are the ids.

#ifndef SPLITCHECK_TESTKIT_ZOO_BROKEN_POSTGRES_CONNECTORS_H_
#define SPLITCHECK_TESTKIT_ZOO_BROKEN_POSTGRES_CONNECTORS_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/postgres/internal/pg_connection.h"
#include "splitcheck/lib/postgres/pg_row.h"
#include "splitcheck/lib/sinks/sink.h"
#include "splitcheck/lib/sinks/write_id.h"
#include "splitcheck/lib/sources/bounded_source.h"
#include "splitcheck/lib/trackers/offset_range_tracker.h"

namespace splitcheck::examples::broken {

using splitcheck::internal::PgConnection;
using splitcheck::internal::PgConnectionLost;
using splitcheck::internal::PgResult;
using splitcheck::internal::quote_pg_identifier;

inline constexpr std::chrono::seconds kZooTimeout{10};

// (id, name) as a line of COPY's text format.
inline std::string copy_line(const std::optional<std::string>& id,
                             const std::optional<std::string>& name) {
  std::string out = id.value_or("\\N") + "\t";
  if (!name) return out + "\\N\n";
  for (const char c : *name) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out + "\n";
}

enum class PgReaderBug { kNone, kRestartsItsRange, kEndsOnALostConnection };

class BrokenPgReader final : public BoundedSource<PgRow, std::int64_t> {
 public:
  BrokenPgReader(std::string conninfo, std::string table, PgReaderBug bug)
      : conninfo_(std::move(conninfo)), table_(quote_pg_identifier(table)), bug_(bug) {
    PgConnection conn(conninfo_, kZooTimeout);
    const PgResult r = conn.exec("SELECT coalesce(max(id) + 1, 0), count(*) FROM " + table_);
    stop_ = r.int64(0, 0);
    rows_ = r.int64(0, 1);
  }

  std::int64_t estimate_size() const override { return rows_ * 16; }

  std::vector<SourceBundle<PgRow, std::int64_t>> split(
      std::int64_t desired_bundle_size, std::optional<std::int64_t> start,
      std::optional<std::int64_t> stop) const override {
    if (desired_bundle_size <= 0) throw UsageError("BrokenPgReader: bad bundle size");
    const std::int64_t first = start.value_or(0);
    const std::int64_t last = stop.value_or(stop_);
    const std::int64_t count =
        std::max<std::int64_t>(1, std::min(last - first, estimate_size() / desired_bundle_size));
    std::vector<SourceBundle<PgRow, std::int64_t>> out;
    for (std::int64_t i = 0; i < count; ++i) {
      const std::int64_t lo = first + (last - first) * i / count;
      const std::int64_t hi = first + (last - first) * (i + 1) / count;
      const double weight = stop_ > 0
                                ? static_cast<double>(estimate_size()) *
                                      static_cast<double>(hi - lo) / static_cast<double>(stop_)
                                : 0;
      out.push_back({weight, self(), lo, hi});
    }
    return out;
  }

  std::unique_ptr<RangeTracker<std::int64_t>> get_range_tracker(
      std::optional<std::int64_t> start, std::optional<std::int64_t> stop) const override {
    return std::make_unique<OffsetRangeTracker>(start.value_or(0), stop.value_or(stop_));
  }

  Generator<PgRow> read(RangeTracker<std::int64_t>& tracker) const override {
    std::optional<std::int64_t> last_claimed;
    for (;;) {
      bool lost = false;
      try {
        PgConnection conn(conninfo_, kZooTimeout);
        conn.exec("BEGIN");
        const std::vector<std::optional<std::string>> params = {
            std::to_string(tracker.start_position()), std::to_string(tracker.stop_position())};
        conn.exec_params("DECLARE rows NO SCROLL CURSOR FOR SELECT id, name FROM " + table_ +
                             " WHERE id >= $1 AND id < $2 ORDER BY id",
                         params);
        for (;;) {
          PgResult rows = conn.exec("FETCH FORWARD 16 FROM rows");
          if (rows.rows() == 0) break;
          for (int r = 0; r < rows.rows(); ++r) {
            const std::int64_t id = rows.int64(r, 0);
            const bool claimed_before = last_claimed && id <= *last_claimed;
            if (!claimed_before) {
              if (!tracker.try_claim(id)) co_return;
              last_claimed = id;
            }
            PgRow row;
            row.values = {
                std::string(rows.value(r, 0)),
                rows.is_null(r, 1) ? std::nullopt : std::optional<std::string>(rows.value(r, 1))};
            co_yield std::move(row);
          }
        }
      } catch (const PgConnectionLost&) {
        if (bug_ == PgReaderBug::kNone) throw;
        lost = true;
      }
      if (!lost) break;
      if (bug_ == PgReaderBug::kEndsOnALostConnection) co_return;
      // kRestartsItsRange: connect again and read the range from its start.
    }
    tracker.try_claim(tracker.stop_position());
  }

  std::string debug_string() const override { return "BrokenPgReader(" + table_ + ")"; }

  // Serializable: the connection, the table (quoted), the bug and what was
  // measured.
  BrokenPgReader(std::string conninfo, std::string quoted_table, PgReaderBug bug, std::int64_t stop,
                 std::int64_t rows)
      : conninfo_(std::move(conninfo)),
        table_(std::move(quoted_table)),
        bug_(bug),
        stop_(stop),
        rows_(rows) {}

  void encode(ByteWriter& out) const override {
    out.put_string("BrokenPgReader");
    out.put_string(conninfo_);
    out.put_string(table_);
    out.put_varint(static_cast<std::uint64_t>(bug_));
    out.put_signed(stop_);
    out.put_signed(rows_);
  }

  SourceDecoder<PgRow, std::int64_t> decoder() const override {
    return [](ByteReader& in) -> std::shared_ptr<const BoundedSource<PgRow, std::int64_t>> {
      in.expect_tag("BrokenPgReader");
      std::string conninfo = in.get_string("conninfo");
      std::string table = in.get_string("table");
      const std::size_t at = in.offset();
      const std::uint64_t bug = in.get_varint("bug");
      if (bug > static_cast<std::uint64_t>(PgReaderBug::kEndsOnALostConnection)) {
        in.fail(at, "bug", std::to_string(bug) + " names no bug");
      }
      const std::int64_t stop = in.get_signed("stop");
      const std::int64_t rows = in.get_signed("rows");
      return std::make_shared<const BrokenPgReader>(std::move(conninfo), std::move(table),
                                                    static_cast<PgReaderBug>(bug), stop, rows);
    };
  }

 private:
  const std::string conninfo_;
  const std::string table_;
  const PgReaderBug bug_;
  std::int64_t stop_ = 0;
  std::int64_t rows_ = 0;
};

class RetriesLostCommitSink final : public Sink<PgRow> {
 public:
  RetriesLostCommitSink(std::string conninfo, std::string schema, std::string table)
      : conninfo_(std::move(conninfo)),
        schema_(std::move(schema)),
        table_(std::move(table)),
        target_(quote_pg_identifier(schema_) + "." + quote_pg_identifier(table_)) {}

  std::string initialize_write() const override { return "zoo_stage_" + new_write_id() + "_"; }

  std::unique_ptr<Writer<PgRow>> open_writer(const std::string& init,
                                             const std::string& uid) const override {
    return std::make_unique<StagingWriter>(this, init + uid);
  }

  std::vector<std::string> finalize_write(const std::string& init,
                                          const std::vector<std::string>& results,
                                          const std::string&) const override {
    // The staged rows, read into memory; a stage that is gone was moved by
    // an earlier finalize.
    std::string rows;
    {
      PgConnection conn(conninfo_, kZooTimeout);
      for (const std::string& stage : results) {
        if (!exists(conn, stage)) continue;
        const PgResult r = conn.exec("SELECT id, name FROM " + qualified(stage));
        for (int i = 0; i < r.rows(); ++i) {
          rows +=
              copy_line(std::string(r.value(i, 0)),
                        r.is_null(i, 1) ? std::nullopt : std::optional<std::string>(r.value(i, 1)));
        }
      }
    }
    // One transaction moves them and drops every stage of the write; on a
    // lost connection it is run again, whether or not it committed.
    for (int attempt = 0;; ++attempt) {
      try {
        PgConnection conn(conninfo_, kZooTimeout);
        conn.exec("BEGIN; CREATE TABLE IF NOT EXISTS " + target_ + " (id bigint, name text)");
        if (!rows.empty()) conn.copy_in("COPY " + target_ + " FROM STDIN", rows);
        drop_stages(conn, init);
        conn.exec("COMMIT");
        break;
      } catch (const PgConnectionLost&) {
        if (attempt == 2) throw;  // the bug: retried whether or not it committed
      }
    }
    return {table_};
  }

  void abort_write(const std::string& init, const std::vector<std::string>&) const override {
    PgConnection conn(conninfo_, kZooTimeout);
    conn.exec("BEGIN");
    drop_stages(conn, init);
    conn.exec("COMMIT");
  }

  std::string debug_string() const override { return "RetriesLostCommitSink(" + target_ + ")"; }

  void encode(ByteWriter& out) const override {
    out.put_string(conninfo_);
    out.put_string(schema_);
    out.put_string(table_);
  }
  SinkDecoder<PgRow> decoder() const override {
    return [](ByteReader& in) -> std::shared_ptr<const Sink<PgRow>> {
      std::string conninfo = in.get_string("conninfo");
      std::string schema = in.get_string("schema");
      std::string table = in.get_string("table");
      return std::make_shared<const RetriesLostCommitSink>(std::move(conninfo), std::move(schema),
                                                           std::move(table));
    };
  }

 private:
  std::string qualified(const std::string& stage) const {
    return quote_pg_identifier(schema_) + "." + quote_pg_identifier(stage);
  }

  bool exists(PgConnection& conn, const std::string& stage) const {
    return conn.exec("SELECT 1 FROM pg_tables WHERE schemaname = '" + schema_ +
                     "' AND tablename = '" + stage + "'")
               .rows() > 0;
  }

  void drop_stages(PgConnection& conn, const std::string& init) const {
    const PgResult r = conn.exec("SELECT tablename FROM pg_tables WHERE schemaname = '" + schema_ +
                                 "' AND starts_with(tablename, '" + init + "')");
    for (int i = 0; i < r.rows(); ++i) {
      conn.exec("DROP TABLE IF EXISTS " + qualified(std::string(r.value(i, 0))));
    }
  }

  class StagingWriter final : public Writer<PgRow> {
   public:
    StagingWriter(const RetriesLostCommitSink* sink, std::string stage)
        : sink_(sink), stage_(std::move(stage)) {}
    void write(const PgRow& row) override { rows_ += copy_line(row.values[0], row.values[1]); }
    std::string close() override {
      PgConnection conn(sink_->conninfo_, kZooTimeout);
      conn.exec("BEGIN; CREATE TABLE " + sink_->qualified(stage_) + " (id bigint, name text)");
      conn.copy_in("COPY " + sink_->qualified(stage_) + " FROM STDIN", rows_);
      conn.exec("COMMIT");
      return stage_;
    }

   private:
    const RetriesLostCommitSink* const sink_;
    const std::string stage_;
    std::string rows_;
  };

  const std::string conninfo_;
  const std::string schema_;
  const std::string table_;
  const std::string target_;
};

}  // namespace splitcheck::examples::broken

#endif  // SPLITCHECK_TESTKIT_ZOO_BROKEN_POSTGRES_CONNECTORS_H_
