#include "splitcheck/examples/kv/kv_io.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/examples/kv/sqlite_database.h"
#include "splitcheck/lib/error.h"
#include "splitcheck/lib/sinks/sink.h"
#include "splitcheck/lib/sinks/write_id.h"
#include "splitcheck/lib/sources/bounded_source.h"
#include "splitcheck/lib/sources/generator.h"
#include "splitcheck/lib/sources/source_coder.h"
#include "splitcheck/lib/trackers/lexicographic_key_range_tracker.h"

namespace splitcheck::examples {
namespace {

using internal::Database;
using internal::quote_identifier;
using internal::Statement;

// A staging table is <table>__stage_<write id>_<attempt uid>.
constexpr std::string_view kStagingInfix = "__stage_";

// The WHERE clause of [start, stop) (the start is always bound: "" is the
// first key), with ?1 and ?2 bound by bind_range.
std::string range_clause(const std::string& stop) {
  return std::string(" WHERE key >= ?1") + (stop.empty() ? "" : " AND key < ?2");
}

void bind_range(Statement& s, const std::string& start, const std::string& stop) {
  s.bind(1, start);
  if (!stop.empty()) s.bind(2, stop);
}

class KvSource final : public BoundedSource<KeyValue, std::string> {
 public:
  KvSource(std::string database, std::string table, ReadFromKVOptions options)
      : database_(std::move(database)), table_(std::move(table)), options_(std::move(options)) {
    Database db(database_, false);
    if (!db.table_exists(table_)) {
      throw InputError("SQLite database \"" + database_ + "\": no table \"" + table_ + "\"");
    }
    // Unbounded ends become the table's own first key and the key right
    // after its last, so that fractions of the range spread over the keys
    // that exist rather than over the whole key space.
    Statement bounds(db, "SELECT min(key), max(key), count(*) FROM " + quote_identifier(table_) +
                             range_clause(options_.end_key));
    bind_range(bounds, options_.start_key, options_.end_key);
    bounds.step();
    if (bounds.column_int(2) > 0) {
      if (options_.start_key.empty()) options_.start_key = bounds.column(0);
      if (options_.end_key.empty()) options_.end_key = bounds.column(1) + std::string(1, '\0');
    }
  }

  std::int64_t estimate_size() const override {
    Database db(database_, false);
    Statement s(db, "SELECT coalesce(sum(length(key) + length(value)), 0) FROM " +
                        quote_identifier(table_) + range_clause(options_.end_key));
    bind_range(s, options_.start_key, options_.end_key);
    s.step();
    return s.column_int(0);
  }

  std::vector<SourceBundle<KeyValue, std::string>> split(
      std::int64_t desired_bundle_size, std::optional<std::string> start,
      std::optional<std::string> stop) const override {
    if (desired_bundle_size <= 0) {
      throw UsageError(debug_string() + ": split(" + std::to_string(desired_bundle_size) +
                       "): the desired bundle size must be positive");
    }
    const std::string first = start.value_or(options_.start_key);
    const std::string last = stop.value_or(options_.end_key);
    Database db(database_, false);
    Statement s(db, "SELECT key, length(key) + length(value) FROM " + quote_identifier(table_) +
                        range_clause(last) + " ORDER BY key");
    bind_range(s, first, last);
    // A new bundle starts at the key where the running size passes the
    // desired size.
    std::vector<SourceBundle<KeyValue, std::string>> out;
    std::string begin = first;
    std::int64_t size = 0;
    const auto self = this->self();
    while (s.step()) {
      if (size >= desired_bundle_size) {
        std::string key = s.column(0);
        out.push_back({static_cast<double>(size), self, begin, key});
        begin = std::move(key);
        size = 0;
      }
      size += s.column_int(1);
    }
    out.push_back({static_cast<double>(size), self, begin, last});
    return out;
  }

  std::unique_ptr<RangeTracker<std::string>> get_range_tracker(
      std::optional<std::string> start, std::optional<std::string> stop) const override {
    return std::make_unique<LexicographicKeyRangeTracker>(start.value_or(options_.start_key),
                                                          stop.value_or(options_.end_key));
  }

  Generator<KeyValue> read(RangeTracker<std::string>& tracker) const override {
    const std::string start = tracker.start_position();
    const std::string stop = tracker.stop_position();
    Database db(database_, false);
    Statement s(db, "SELECT key, value FROM " + quote_identifier(table_) + range_clause(stop) +
                        " ORDER BY key");
    bind_range(s, start, stop);
    KeyValue row;
    while (s.step()) {
      row.key = s.column(0);
      if (!tracker.try_claim(row.key)) co_return;
      row.value = s.column(1);
      co_yield std::move(row);
    }
  }

  std::string debug_string() const override {
    return "KvSource(\"" + database_ + "\", \"" + table_ + "\")";
  }

  // Serializable: the database's path, the table and the key range as the
  // constructor resolved it, so that a worker reads the range this source
  // reads even if rows are added past its ends meanwhile.
  struct Resolved {};
  KvSource(Resolved, std::string database, std::string table, ReadFromKVOptions options)
      : database_(std::move(database)), table_(std::move(table)), options_(std::move(options)) {}

  void encode(ByteWriter& out) const override {
    out.put_string("KvSource");
    out.put_string(database_);
    out.put_string(table_);
    out.put_string(options_.start_key);
    out.put_string(options_.end_key);
  }

  static std::shared_ptr<const KvSource> decode(ByteReader& in) {
    in.expect_tag("KvSource");
    std::string database = in.get_string("database");
    std::string table = in.get_string("table");
    ReadFromKVOptions options;
    options.start_key = in.get_string("start_key");
    options.end_key = in.get_string("end_key");
    return std::make_shared<const KvSource>(Resolved{}, std::move(database), std::move(table),
                                            std::move(options));
  }

  SourceDecoder<KeyValue, std::string> decoder() const override { return decoder_of<KvSource>(); }

 private:
  const std::string database_;
  const std::string table_;
  ReadFromKVOptions options_;  // set in the constructor, then never changed
};

class KvSink final : public Sink<KeyValue> {
 public:
  KvSink(std::string database, std::string table, WriteToKVOptions options)
      : database_(std::move(database)), table_(std::move(table)), options_(std::move(options)) {
    if (table_.empty()) throw UsageError("WriteToKV: the table name is empty");
  }

  // A prefix of staging tables unique to this write.
  std::string initialize_write() const override {
    return table_ + std::string(kStagingInfix) + splitcheck::new_write_id() + "_";
  }

  std::unique_ptr<Writer<KeyValue>> open_writer(const std::string& init,
                                                const std::string& uid) const override {
    return std::make_unique<KvWriter>(this, init + uid);
  }

  std::vector<std::string> finalize_write(const std::string& init,
                                          const std::vector<std::string>& results,
                                          const std::string&) const override {
    hook("before", "commit " + table_);
    Database db(database_, true, options_.vfs);
    durable_commits(db);
    in_transaction(db, [&] {
      db.create_kv_table(table_, true);
      for (const std::string& stage : results) {
        if (stage.rfind(init, 0) != 0) {
          throw UsageError("WriteToKV: \"" + stage + "\" is not a writer result of this write");
        }
        // Gone: moved by an earlier finalize, which committed as a whole.
        if (!db.table_exists(stage)) continue;
        db.exec("INSERT INTO " + quote_identifier(table_) + " SELECT key, value FROM " +
                quote_identifier(stage));
      }
      // Every staging table of this write: used, failed and duplicate attempts.
      for (const std::string& stage : db.tables_with_prefix(init)) {
        db.exec("DROP TABLE " + quote_identifier(stage));
      }
    });
    hook("after", "commit " + table_);
    return {table_};
  }

  // Drops every staging table of the write in one transaction. A finalize
  // commits as a whole, so there is nothing half-committed to undo.
  void abort_write(const std::string& init, const std::vector<std::string>&) const override {
    hook("before", "abort " + table_);
    Database db(database_, true, options_.vfs);
    durable_commits(db);
    in_transaction(db, [&] {
      for (const std::string& stage : db.tables_with_prefix(init)) {
        db.exec("DROP TABLE " + quote_identifier(stage));
      }
    });
    hook("after", "abort " + table_);
  }

  std::string debug_string() const override {
    return "KvSink(\"" + database_ + "\", \"" + table_ + "\")";
  }

  // Serializable: the database's path, the table and the VFS's name; the
  // call hook is code, which the decoder carries (its presence is encoded).
  void encode(ByteWriter& out) const override {
    out.put_string("KvSink");
    out.put_string(database_);
    out.put_string(table_);
    out.put_string(options_.vfs);
    out.put_bool(static_cast<bool>(options_.call_hook));
  }

  SinkDecoder<KeyValue> decoder() const override {
    return [hook = options_.call_hook](ByteReader& in) -> std::shared_ptr<const Sink<KeyValue>> {
      in.expect_tag("KvSink");
      std::string database = in.get_string("database");
      const std::size_t at = in.offset();
      std::string table = in.get_string("table");
      if (table.empty()) in.fail(at, "table", "empty");
      WriteToKVOptions options;
      options.vfs = in.get_string("vfs");
      const std::size_t hook_at = in.offset();
      if (in.get_bool("call hook") != static_cast<bool>(hook)) {
        in.fail(hook_at, "call hook",
                "the decoder's sink and the encoded one differ in having one");
      }
      options.call_hook = hook;
      return std::make_shared<const KvSink>(std::move(database), std::move(table),
                                            std::move(options));
    };
  }

 private:
  // Runs `body` in one BEGIN IMMEDIATE transaction: committed if it
  // returns, rolled back if it throws.
  template <typename Body>
  static void in_transaction(Database& db, Body body) {
    db.exec("BEGIN IMMEDIATE");
    try {
      body();
      db.exec("COMMIT");
    } catch (...) {
      sqlite3_exec_rollback(db);
      throw;
    }
  }

  static void sqlite3_exec_rollback(Database& db) {
    try {
      db.exec("ROLLBACK");
    } catch (const Error&) {
      // Nothing to roll back (the failure ended the transaction).
    }
  }

  // A connection whose COMMIT is durable when it returns. With SQLite's
  // default synchronous = FULL a commit in DELETE journal mode ends with the
  // journal's unlink, and the directory is not synced after it: a power
  // loss can bring the journal back, and SQLite rolls the committed
  // transaction back from it (the crash check found this: a staging table
  // whose result the runner held, gone). EXTRA syncs the directory too.
  static void durable_commits(Database& db) { db.exec("PRAGMA synchronous = EXTRA"); }

  void hook(std::string_view phase, const std::string& call) const {
    if (options_.call_hook) options_.call_hook(phase, call);
  }

  class KvWriter final : public Writer<KeyValue> {
   public:
    KvWriter(const KvSink* sink, std::string stage) : sink_(sink), stage_(std::move(stage)) {}
    void write(const KeyValue& row) override { rows_.push_back(row); }
    std::string close() override {
      sink_->hook("before", "stage " + stage_);
      Database db(sink_->database_, true, sink_->options_.vfs);
      durable_commits(db);
      in_transaction(db, [&] {
        db.create_kv_table(stage_, false);
        insert_rows(db, stage_, rows_);
      });
      sink_->hook("after", "stage " + stage_);
      return stage_;
    }

   private:
    const KvSink* const sink_;
    const std::string stage_;
    std::vector<KeyValue> rows_;
  };

  const std::string database_;
  const std::string table_;
  const WriteToKVOptions options_;
};

}  // namespace

Read<KeyValue, std::string> ReadFromKV(std::string database, std::string table,
                                       ReadFromKVOptions options) {
  return Read<KeyValue, std::string>(
      std::make_shared<const KvSource>(std::move(database), std::move(table), std::move(options)));
}

Write<KeyValue> WriteToKV(std::string database, std::string table, WriteToKVOptions options) {
  return Write<KeyValue>(
      std::make_shared<const KvSink>(std::move(database), std::move(table), std::move(options)));
}

std::vector<KeyValue> table_rows(const std::string& database, const std::string& table) {
  Database db(database, true);
  std::vector<KeyValue> rows;
  if (!db.table_exists(table)) return rows;
  Statement s(db, "SELECT key, value FROM " + quote_identifier(table) + " ORDER BY key");
  while (s.step()) rows.push_back({s.column(0), s.column(1)});
  return rows;
}

std::vector<std::string> staging_tables_left(const std::string& database) {
  std::vector<std::string> tables;
  if (!std::filesystem::exists(database)) return tables;
  Database db(database, false);
  Statement s(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND instr(name, ?1) > 0");
  s.bind_text(1, std::string(kStagingInfix));
  while (s.step()) tables.push_back(s.column(0));
  return tables;
}

}  // namespace splitcheck::examples
