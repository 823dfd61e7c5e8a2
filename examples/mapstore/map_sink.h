// MapSink: a sink of strings into a MapStore (map_store.h), written the way
// a sink over a key-value store without transactions must be to survive
// retries, a finalize that fails for good, and power loss; the example of
// wiring such a store to the gate (map_sink_test.cc).
//
//   * each writer attempt puts its records under a staging prefix of its own,
//     "stage/<destination>/<write id>/<uid>/<n>", and flushes before close()
//     returns (the runner records the result: its entries must survive);
//   * finalize copies each committed attempt's entries to
//     "data/<destination>/<write id>/<uid>/<n>", flushes, and only then puts
//     the one entry that commits them all, "commit/<destination>/<write id>"
//     (a store without transactions still has an atomic single put), then
//     erases every staging entry of the write and flushes. Readers see the
//     data of committed writes only (committed()), so a finalize stopped
//     anywhere leaves none of the write visible, or all of it; a rerun puts
//     the same keys again and erases what is left;
//   * abort_write erases the write's staging entries and, if it never
//     committed, its copies.
//
// `MapSinkBug` makes a broken sink, kept to prove the crash check rejects
// it; never use them for anything else.

#ifndef SPLITCHECK_EXAMPLES_MAPSTORE_MAP_SINK_H_
#define SPLITCHECK_EXAMPLES_MAPSTORE_MAP_SINK_H_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/examples/mapstore/map_store.h"
#include "splitcheck/lib/sinks/sink.h"
#include "splitcheck/lib/sinks/write_id.h"

namespace splitcheck::examples {

enum class MapSinkBug {
  kNone,
  kNoFlushInClose,       // a writer's result is recorded before its entries are durable
  kNoFlushBeforeCommit,  // the commit entry may be kept while copies it shows are lost
  kNoFlushInFinalize,    // finalize returns before its commit is durable
};

class MapSink final : public Sink<std::string> {
 public:
  MapSink(std::shared_ptr<MapStore> store, std::string destination,
          MapSinkBug bug = MapSinkBug::kNone)
      : store_(std::move(store)), destination_(std::move(destination)), bug_(bug) {
    if (store_ == nullptr) throw UsageError("MapSink: the store is null");
    if (destination_.empty() || destination_.find('/') != std::string::npos) {
      throw UsageError("MapSink: destination \"" + destination_ +
                       "\" must be a non-empty name without '/'");
    }
  }

  // The records of the writes committed at `destination`, sorted.
  static std::vector<std::string> committed(const MapStore& store, const std::string& destination) {
    std::vector<std::string> records;
    for (const std::string& key : store.keys_with_prefix("data/" + destination + "/")) {
      if (!store.get(commit_of(key))) continue;
      if (auto value = store.get(key)) records.push_back(std::move(*value));
    }
    std::sort(records.begin(), records.end());
    return records;
  }

  // What writes (to any destination) left that no reader sees: staging
  // entries, and copies of writes that never committed. Empty once every
  // write finalized or aborted.
  static std::vector<std::string> garbage(const MapStore& store) {
    std::vector<std::string> keys = store.keys_with_prefix("stage/");
    for (const std::string& key : store.keys_with_prefix("data/")) {
      if (!store.get(commit_of(key))) keys.push_back(key);
    }
    return keys;
  }

  std::string initialize_write() const override {
    const std::string id = new_write_id();
    if (id.size() != kIdLength) throw UsageError("MapSink: unexpected write id \"" + id + "\"");
    return id;
  }

  std::unique_ptr<Writer<std::string>> open_writer(const std::string& write_id,
                                                   const std::string& uid) const override {
    return std::make_unique<MapWriter>(this, uid, stage(write_id) + uid + "/");
  }

  std::vector<std::string> finalize_write(const std::string& write_id,
                                          const std::vector<std::string>& results,
                                          const std::string&) const override {
    const std::string staged = stage(write_id);
    for (const std::string& uid : results) {
      for (const std::string& key : store_->keys_with_prefix(staged + uid + "/")) {
        if (const auto value = store_->get(key)) {
          store_->put(data(write_id) + key.substr(staged.size()), *value);
        }
      }
    }
    // Every copy durable before the commit that shows them: a store may
    // keep a later change and lose an earlier one.
    if (bug_ != MapSinkBug::kNoFlushBeforeCommit) store_->flush();
    store_->put(commit(write_id), "committed");
    for (const std::string& key : store_->keys_with_prefix(staged)) store_->erase(key);
    if (bug_ != MapSinkBug::kNoFlushInFinalize) store_->flush();
    return {destination_};
  }

  void abort_write(const std::string& write_id, const std::vector<std::string>&) const override {
    for (const std::string& key : store_->keys_with_prefix(stage(write_id))) store_->erase(key);
    if (!store_->get(commit(write_id))) {
      for (const std::string& key : store_->keys_with_prefix(data(write_id))) store_->erase(key);
    }
    store_->flush();
  }

  std::string debug_string() const override {
    return "MapSink(" + store_->debug_string() + ", \"" + destination_ + "\")";
  }

  // Serializable as a client of a networked store would be: the store's
  // name, the destination and the bug. But a MapStore lives in one
  // process's memory: a worker in another process finds its own copy by
  // that name, and what it writes there never reaches the parent. The sink
  // serialization check shows it (map_sink_test.cc): a real store is a
  // server, or a file every process opens.
  void encode(ByteWriter& out) const override {
    out.put_string(store_->name());
    out.put_string(destination_);
    out.put_varint(static_cast<std::uint64_t>(bug_));
  }
  SinkDecoder<std::string> decoder() const override {
    return [](ByteReader& in) -> std::shared_ptr<const Sink<std::string>> {
      const std::string store = in.get_string("store name");
      std::string destination = in.get_string("destination");
      const std::size_t at = in.offset();
      const std::uint64_t bug = in.get_varint("bug");
      if (bug > static_cast<std::uint64_t>(MapSinkBug::kNoFlushInFinalize)) {
        in.fail(at, "bug", "no such bug");
      }
      return std::make_shared<const MapSink>(MapStore::named(store), std::move(destination),
                                             static_cast<MapSinkBug>(bug));
    };
  }

 private:
  static constexpr std::size_t kIdLength = 16;  // new_write_id(): 16 hex digits

  // The commit entry of the write a "data/<destination>/<write id>/..." key
  // belongs to.
  static std::string commit_of(const std::string& data_key) {
    const std::size_t slash = data_key.find('/', 5);
    return "commit/" + data_key.substr(5, slash - 5) + "/" + data_key.substr(slash + 1, kIdLength);
  }

  std::string stage(const std::string& write_id) const {
    return "stage/" + destination_ + "/" + write_id + "/";
  }
  std::string data(const std::string& write_id) const {
    return "data/" + destination_ + "/" + write_id + "/";
  }
  std::string commit(const std::string& write_id) const {
    return "commit/" + destination_ + "/" + write_id;
  }

  class MapWriter final : public Writer<std::string> {
   public:
    MapWriter(const MapSink* sink, std::string uid, std::string prefix)
        : sink_(sink), uid_(std::move(uid)), prefix_(std::move(prefix)) {}
    void write(const std::string& record) override { records_.push_back(record); }
    std::string close() override {
      for (std::size_t i = 0; i < records_.size(); ++i) {
        sink_->store_->put(prefix_ + std::to_string(i), records_[i]);
      }
      if (sink_->bug_ != MapSinkBug::kNoFlushInClose) sink_->store_->flush();
      return uid_;
    }

   private:
    const MapSink* const sink_;
    const std::string uid_;
    const std::string prefix_;
    std::vector<std::string> records_;
  };

  const std::shared_ptr<MapStore> store_;
  const std::string destination_;
  const MapSinkBug bug_;
};

}  // namespace splitcheck::examples

#endif  // SPLITCHECK_EXAMPLES_MAPSTORE_MAP_SINK_H_
