// A KV sink on SQLite that commits inside close(): each writer attempt
// inserts its rows straight into the final table, and finalize has nothing
// left to do. A retried or speculative attempt therefore writes its rows
// again (SQLite's UNIQUE key then fails the write). Kept to prove the sink
// checks reject it (examples/kv/kv_commit_in_close_sink_test.cc); never
// use it for anything else.

#ifndef SPLITCHECK_EXAMPLES_KV_KV_COMMIT_IN_CLOSE_SINK_H_
#define SPLITCHECK_EXAMPLES_KV_KV_COMMIT_IN_CLOSE_SINK_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/examples/kv/kv_io.h"
#include "splitcheck/examples/kv/sqlite_database.h"
#include "splitcheck/lib/sinks/sink.h"

namespace splitcheck::examples::broken {

class KvCommitInCloseSink final : public Sink<KeyValue> {
 public:
  KvCommitInCloseSink(std::string database, std::string table)
      : database_(std::move(database)), table_(std::move(table)) {}

  std::string initialize_write() const override { return ""; }

  std::unique_ptr<Writer<KeyValue>> open_writer(const std::string&,
                                                const std::string&) const override {
    return std::make_unique<CommittingWriter>(this);
  }

  std::vector<std::string> finalize_write(const std::string&, const std::vector<std::string>&,
                                          const std::string&) const override {
    return {table_};
  }

  void encode(ByteWriter& out) const override {
    out.put_string(database_);
    out.put_string(table_);
  }
  SinkDecoder<KeyValue> decoder() const override {
    return [](ByteReader& in) -> std::shared_ptr<const Sink<KeyValue>> {
      std::string database = in.get_string("database");
      std::string table = in.get_string("table");
      return std::make_shared<const KvCommitInCloseSink>(std::move(database), std::move(table));
    };
  }

 private:
  class CommittingWriter final : public Writer<KeyValue> {
   public:
    explicit CommittingWriter(const KvCommitInCloseSink* sink) : sink_(sink) {}
    void write(const KeyValue& row) override { rows_.push_back(row); }
    std::string close() override {
      internal::Database db(sink_->database_, true);
      db.create_kv_table(sink_->table_, true);
      internal::insert_rows(db, sink_->table_, rows_);
      return "committed";
    }

   private:
    const KvCommitInCloseSink* const sink_;
    std::vector<KeyValue> rows_;
  };

  const std::string database_;
  const std::string table_;
};

}  // namespace splitcheck::examples::broken

#endif  // SPLITCHECK_EXAMPLES_KV_KV_COMMIT_IN_CLOSE_SINK_H_
