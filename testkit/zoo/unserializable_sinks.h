// Sinks with serialization bugs, kept to prove check_sink_serialization
// rejects each while every check that runs in one process passes it
// (unserializable_sinks_test.cc). Never use them for anything else.
//
// RecordSink writes lines ended by a delimiter ("\r\n" in the test) through
// FileBasedSink (temporary files, renames, syncs: crash-safe), except for
// its bug:
//   kNone                 correct (the control);
//   kForgetsTheDelimiter  encode() leaves the delimiter out, and the decoder
//                         defaults it to "\n": the bytes round-trip, but a
//                         worker in another process writes other lines;
//   kDecodesToItself      the decoder returns the sink it was made from,
//                         found through the pointer it holds, not the bytes
//                         (a forked worker still has a copy of it, so only
//                         the check of the bytes sees it).
//
// StashingSink keeps each attempt's lines in memory, in a table of the
// process, and returns the attempt's key as its result; finalize looks the
// key up and writes the shard. In one process every result is found; a
// writer in another process fills that process's table, and the parent's
// finalize finds nothing (the writer result names something only the
// worker's memory holds).

#ifndef SPLITCHECK_TESTKIT_ZOO_UNSERIALIZABLE_SINKS_H_
#define SPLITCHECK_TESTKIT_ZOO_UNSERIALIZABLE_SINKS_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/coders/byte_reader.h"
#include "splitcheck/lib/coders/byte_writer.h"
#include "splitcheck/lib/error.h"
#include "splitcheck/lib/files/file_system.h"
#include "splitcheck/lib/sinks/file_based_sink.h"
#include "splitcheck/lib/sinks/sink.h"
#include "splitcheck/lib/sinks/write_id.h"

namespace splitcheck::examples::broken {

enum class RecordSinkBug { kNone, kForgetsTheDelimiter, kDecodesToItself };

class RecordSink final : public FileBasedSink<std::string> {
 public:
  RecordSink(std::shared_ptr<FileSystem> fs, std::string prefix, std::string delimiter,
             RecordSinkBug bug)
      : FileBasedSink(std::move(prefix), options(std::move(fs))),
        delimiter_(std::move(delimiter)),
        bug_(bug) {}

  std::string debug_string() const override { return "RecordSink(\"" + path_prefix() + "\")"; }

  void encode(ByteWriter& out) const override {
    encode_base(out);
    if (bug_ != RecordSinkBug::kForgetsTheDelimiter) out.put_string(delimiter_);
    out.put_varint(static_cast<std::uint64_t>(bug_));
  }

  SinkDecoder<std::string> decoder() const override {
    std::shared_ptr<const RecordSink> self;
    if (bug_ == RecordSinkBug::kDecodesToItself) self = self_.lock();
    return [fs = file_options().file_system, self,
            forgets = bug_ == RecordSinkBug::kForgetsTheDelimiter](
               ByteReader& in) -> std::shared_ptr<const Sink<std::string>> {
      DecodedBase base = decode_base(in);
      std::string delimiter = forgets ? "\n" : in.get_string("delimiter");
      const std::size_t at = in.offset();
      const std::uint64_t bug = in.get_varint("bug");
      if (bug > static_cast<std::uint64_t>(RecordSinkBug::kDecodesToItself)) {
        in.fail(at, "bug", "no such bug");
      }
      if (self != nullptr) return self;  // the bug: the bytes read, the object found in memory
      return std::make_shared<const RecordSink>(
          fs, std::move(base.path_prefix), std::move(delimiter), static_cast<RecordSinkBug>(bug));
    };
  }

  // Set by the factory: the sink as a shared pointer, for kDecodesToItself.
  void set_self(const std::shared_ptr<const RecordSink>& self) const { self_ = self; }

 protected:
  void write_record(WritableFile& file, const std::string& line) const override {
    file.append(line);
    file.append(delimiter_);
  }

 private:
  static FileBasedSinkOptions options(std::shared_ptr<FileSystem> fs) {
    FileBasedSinkOptions out;
    out.file_system = std::move(fs);
    return out;
  }
  const std::string delimiter_;
  const RecordSinkBug bug_;
  mutable std::weak_ptr<const RecordSink> self_;
};

inline std::shared_ptr<const RecordSink> make_record_sink(std::shared_ptr<FileSystem> fs,
                                                          std::string prefix, std::string delimiter,
                                                          RecordSinkBug bug) {
  auto sink = std::make_shared<const RecordSink>(std::move(fs), std::move(prefix),
                                                 std::move(delimiter), bug);
  sink->set_self(sink);
  return sink;
}

class StashingSink final : public Sink<std::string> {
 public:
  StashingSink(std::shared_ptr<FileSystem> fs, std::string prefix)
      : fs_(std::move(fs)), prefix_(std::move(prefix)) {}

  std::string initialize_write() const override { return new_write_id(); }

  std::unique_ptr<Writer<std::string>> open_writer(const std::string& init,
                                                   const std::string& uid) const override {
    return std::make_unique<StashWriter>(init + "/" + uid);
  }

  std::vector<std::string> finalize_write(const std::string& /*init*/,
                                          const std::vector<std::string>& results,
                                          const std::string& /*pre*/) const override {
    std::vector<std::string> outputs;
    for (std::size_t i = 0; i < results.size(); ++i) {
      const std::string lines = stashed(results[i]);
      const std::string shard = prefix_ + "-" + std::to_string(i);
      auto file = fs_->create(shard);
      file->append(lines);
      file->close();
      fs_->sync(shard);
      outputs.push_back(shard);
    }
    sync_directory_and_parents(*fs_, directory_of(prefix_));
    return outputs;
  }

  void abort_write(const std::string& /*init*/,
                   const std::vector<std::string>& results) const override {
    for (std::size_t i = 0; i < results.size(); ++i) fs_->remove(prefix_ + "-" + std::to_string(i));
    if (!results.empty()) fs_->sync_directory(directory_of(prefix_));
  }

  std::string debug_string() const override { return "StashingSink(\"" + prefix_ + "\")"; }

  void encode(ByteWriter& out) const override { out.put_string(prefix_); }
  SinkDecoder<std::string> decoder() const override {
    return [fs = fs_](ByteReader& in) -> std::shared_ptr<const Sink<std::string>> {
      return std::make_shared<const StashingSink>(fs, in.get_string("prefix"));
    };
  }

 private:
  // The lines each closed attempt left, by key: this process's memory.
  static std::map<std::string, std::string>& stash(std::mutex*& mu) {
    static std::mutex stash_mu;
    static std::map<std::string, std::string> table;
    mu = &stash_mu;
    return table;
  }
  static std::string stashed(const std::string& key) {
    std::mutex* mu = nullptr;
    auto& table = stash(mu);
    std::lock_guard<std::mutex> lock(*mu);
    const auto it = table.find(key);
    if (it == table.end()) throw InputError("StashingSink: nothing stashed under \"" + key + "\"");
    return it->second;
  }

  class StashWriter final : public Writer<std::string> {
   public:
    explicit StashWriter(std::string key) : key_(std::move(key)) {}
    void write(const std::string& line) override { lines_ += line + "\n"; }
    std::string close() override {
      std::mutex* mu = nullptr;
      auto& table = stash(mu);
      std::lock_guard<std::mutex> lock(*mu);
      table[key_] = lines_;
      return key_;
    }

   private:
    const std::string key_;
    std::string lines_;
  };

  static std::string directory_of(const std::string& path) {
    const std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash);
  }

  const std::shared_ptr<FileSystem> fs_;
  const std::string prefix_;
};

}  // namespace splitcheck::examples::broken

#endif  // SPLITCHECK_TESTKIT_ZOO_UNSERIALIZABLE_SINKS_H_
