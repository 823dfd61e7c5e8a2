// A KV sink on SQLite whose finalize commits the staged rows in one
// transaction and drops the staging tables in a second one. A failure or a
// power loss between the two leaves the staging tables of a committed
// write: the rerun of finalize moves their rows again (SQLite's UNIQUE key
// then fails it). Its author marks no call: the SQLite fault VFS finds the
// points between the transactions by itself. Kept to prove the crash check
// rejects it (examples/kv/kv_two_transaction_sink_test.cc); never use it for
// anything else.

#ifndef SPLITCHECK_EXAMPLES_KV_KV_TWO_TRANSACTION_SINK_H_
#define SPLITCHECK_EXAMPLES_KV_KV_TWO_TRANSACTION_SINK_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/examples/kv/kv_io.h"
#include "splitcheck/examples/kv/sqlite_database.h"
#include "splitcheck/lib/sinks/sink.h"
#include "splitcheck/lib/sinks/write_id.h"

namespace splitcheck::examples::broken {

class KvTwoTransactionSink final : public Sink<KeyValue> {
 public:
  KvTwoTransactionSink(std::string database, std::string table, std::string vfs)
      : database_(std::move(database)), table_(std::move(table)), vfs_(std::move(vfs)) {}

  std::string initialize_write() const override {
    return table_ + "__stage_" + splitcheck::new_write_id() + "_";
  }

  std::unique_ptr<Writer<KeyValue>> open_writer(const std::string& init,
                                                const std::string& uid) const override {
    return std::make_unique<StagingWriter>(this, init + uid);
  }

  std::vector<std::string> finalize_write(const std::string& init,
                                          const std::vector<std::string>& results,
                                          const std::string&) const override {
    internal::Database db(database_, true, vfs_);
    db.exec("PRAGMA synchronous = EXTRA");  // each commit durable (kv_io.cc)
    const std::string table = internal::quote_identifier(table_);
    db.exec("BEGIN IMMEDIATE");
    db.create_kv_table(table_, true);
    for (const std::string& stage : results) {
      if (!db.table_exists(stage)) continue;
      db.exec("INSERT INTO " + table + " SELECT key, value FROM " +
              internal::quote_identifier(stage));
    }
    db.exec("COMMIT");
    // The bug: a second transaction.
    db.exec("BEGIN IMMEDIATE");
    for (const std::string& stage : db.tables_with_prefix(init)) {
      db.exec("DROP TABLE " + internal::quote_identifier(stage));
    }
    db.exec("COMMIT");
    return {table_};
  }

  void abort_write(const std::string& init, const std::vector<std::string>&) const override {
    internal::Database db(database_, true, vfs_);
    db.exec("PRAGMA synchronous = EXTRA");  // each commit durable (kv_io.cc)
    for (const std::string& stage : db.tables_with_prefix(init)) {
      db.exec("DROP TABLE " + internal::quote_identifier(stage));
    }
  }

  void encode(ByteWriter& out) const override {
    out.put_string(database_);
    out.put_string(table_);
    out.put_string(vfs_);
  }
  SinkDecoder<KeyValue> decoder() const override {
    return [](ByteReader& in) -> std::shared_ptr<const Sink<KeyValue>> {
      std::string database = in.get_string("database");
      std::string table = in.get_string("table");
      std::string vfs = in.get_string("vfs");
      return std::make_shared<const KvTwoTransactionSink>(std::move(database), std::move(table),
                                                          std::move(vfs));
    };
  }

 private:
  class StagingWriter final : public Writer<KeyValue> {
   public:
    StagingWriter(const KvTwoTransactionSink* sink, std::string stage)
        : sink_(sink), stage_(std::move(stage)) {}
    void write(const KeyValue& row) override { rows_.push_back(row); }
    std::string close() override {
      internal::Database db(sink_->database_, true, sink_->vfs_);
      db.exec("PRAGMA synchronous = EXTRA");
      db.exec("BEGIN IMMEDIATE");
      db.exec("DROP TABLE IF EXISTS " + internal::quote_identifier(stage_));
      db.create_kv_table(stage_, false);
      internal::insert_rows(db, stage_, rows_);
      db.exec("COMMIT");
      return stage_;
    }

   private:
    const KvTwoTransactionSink* const sink_;
    const std::string stage_;
    std::vector<KeyValue> rows_;
  };

  const std::string database_;
  const std::string table_;
  const std::string vfs_;
};

}  // namespace splitcheck::examples::broken

#endif  // SPLITCHECK_EXAMPLES_KV_KV_TWO_TRANSACTION_SINK_H_
