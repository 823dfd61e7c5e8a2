// Sinks with serialization bugs, kept to prove check_sink_serialization
// rejects each while every check that runs in one process passes it
// (unserializable_sinks_test.cc). Never use them for anything else.
//
// RecordSink writes lines ended by a delimiter ("\r\n" in the test), each
// padded with spaces to `width` characters (fixed-width records; 0: none),
// through FileBasedSink (temporary files, renames, syncs: crash-safe),
// except for its bug:
//   kNone                 correct (the control);
//   kForgetsTheDelimiter  encode() leaves the delimiter out, and the decoder
//                         defaults it to "\n": the bytes round-trip, but a
//                         worker in another process writes other lines;
//   kForgetsTheWidth      encode() leaves the width out, and the decoder
//                         defaults it to 0: a worker writes the same records
//                         unpadded, which a reader that trims the padding
//                         reads the same (only the files' sizes differ);
//   kIgnoresFileOptions   the decoder reads the file options encode_base()
//                         wrote and ignores them, defaults for all: a
//                         RecordSink never sets them, so every write is
//                         right, but bytes encode() did not write decode;
//   kCopiesItsSink        the decoder accepts only the bytes of the sink it
//                         was made from (any other bytes are a
//                         CorruptDataError) and returns a copy of that sink,
//                         as a cache of decoded sinks would: right for its
//                         own sink, useless for any other;
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
#include "splitcheck/lib/files/compression.h"
#include "splitcheck/lib/files/file_system.h"
#include "splitcheck/lib/sinks/file_based_sink.h"
#include "splitcheck/lib/sinks/sink.h"
#include "splitcheck/lib/sinks/write_id.h"

namespace splitcheck::examples::broken {

enum class RecordSinkBug {
  kNone,
  kForgetsTheDelimiter,
  kForgetsTheWidth,
  kIgnoresFileOptions,
  kCopiesItsSink,
  kDecodesToItself,
};

class RecordSink final : public FileBasedSink<std::string> {
 public:
  RecordSink(std::shared_ptr<FileSystem> fs, std::string prefix, std::string delimiter,
             std::uint64_t width, RecordSinkBug bug)
      : FileBasedSink(std::move(prefix), options(std::move(fs))),
        delimiter_(std::move(delimiter)),
        width_(width),
        bug_(bug) {}

  std::string debug_string() const override { return "RecordSink(\"" + path_prefix() + "\")"; }

  void encode(ByteWriter& out) const override {
    encode_base(out);
    if (bug_ != RecordSinkBug::kForgetsTheDelimiter) out.put_string(delimiter_);
    if (bug_ != RecordSinkBug::kForgetsTheWidth) out.put_varint(width_);
  }

  SinkDecoder<std::string> decoder() const override {
    std::shared_ptr<const RecordSink> self;
    if (bug_ == RecordSinkBug::kDecodesToItself || bug_ == RecordSinkBug::kCopiesItsSink) {
      self = self_.lock();
    }
    // The bug is code: the decoder carries it, as it would a callback.
    return [fs = file_options().file_system, self,
            bug = bug_](ByteReader& in) -> std::shared_ptr<const Sink<std::string>> {
      const bool forgets = bug == RecordSinkBug::kForgetsTheDelimiter;
      const std::size_t base_at = in.offset();
      DecodedBase base = decode_base(in);
      const FileBasedSinkOptions defaults = options(nullptr);
      if (bug != RecordSinkBug::kIgnoresFileOptions &&
          (base.options.shard_name_template != defaults.shard_name_template ||
           base.options.file_name_suffix != defaults.file_name_suffix ||
           base.options.num_shards != 0 || base.options.header || base.options.footer ||
           base.options.compression !=
               resolve_compression(Compression::kAuto, base.options.file_name_suffix) ||
           base.options.max_records_per_shard != 0 || base.options.max_bytes_per_shard != 0 ||
           base.options.skip_if_empty || base.has_shard_format)) {
        in.fail(base_at, "file options", "not those of a RecordSink");
      }
      std::string delimiter = forgets ? "\n" : in.get_string("delimiter");
      const std::uint64_t width =
          bug == RecordSinkBug::kForgetsTheWidth ? 0 : in.get_varint("width");
      if (bug == RecordSinkBug::kCopiesItsSink) {
        ByteWriter mine;
        self->encode(mine);
        ByteWriter these;
        RecordSink(fs, base.path_prefix, delimiter, width, RecordSinkBug::kNone).encode(these);
        if (these.bytes() != mine.bytes()) in.fail(base_at, "sink", "not the sink cached");
        return std::make_shared<const RecordSink>(*self);
      }
      if (self != nullptr) return self;  // the bug: the bytes read, the object found in memory
      return std::make_shared<const RecordSink>(fs, std::move(base.path_prefix),
                                                std::move(delimiter), width, bug);
    };
  }

  // Set by the factory: the sink as a shared pointer, for kDecodesToItself.
  void set_self(const std::shared_ptr<const RecordSink>& self) const { self_ = self; }

 protected:
  void write_record(WritableFile& file, const std::string& line) const override {
    file.append(line);
    if (line.size() < width_) file.append(std::string(width_ - line.size(), ' '));
    file.append(delimiter_);
  }

 private:
  static FileBasedSinkOptions options(std::shared_ptr<FileSystem> fs) {
    FileBasedSinkOptions out;
    out.file_system = std::move(fs);
    return out;
  }
  const std::string delimiter_;
  const std::uint64_t width_;
  const RecordSinkBug bug_;
  mutable std::weak_ptr<const RecordSink> self_;
};

inline std::shared_ptr<const RecordSink> make_record_sink(std::shared_ptr<FileSystem> fs,
                                                          std::string prefix, std::string delimiter,
                                                          std::uint64_t width, RecordSinkBug bug) {
  auto sink = std::make_shared<const RecordSink>(std::move(fs), std::move(prefix),
                                                 std::move(delimiter), width, bug);
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
