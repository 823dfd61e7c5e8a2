// FileBasedSink<T>: a sink that writes shards of files, through temporary
// files renamed into place at finalize.
//
// A subclass implements write_record(file, record); the base class does the
// rest:
//   * initialize_write() picks a fresh temporary directory beside the output,
//     "<dir of prefix>/.temp-splitcheck-<random>", and returns it;
//   * each attempt writes "<temp dir>/<uid>" (the uid is unique per attempt):
//     the header, the records, the footer, compressed with options.compression
//     (kAuto: by the suffix's extension), then closes, syncs it and syncs the
//     temporary and the output directory, so that the result it returns,
//     "<bytes> <temp path>", names a file that survives power loss
//     (directories above the output directory are taken as durable);
//   * shard i of n is named prefix + template + suffix, the template's run of
//     S replaced by i and its run of N by n, zero-padded to the run's length
//     ("-SSSSS-of-NNNNN" gives "out-00002-of-00010.txt"); an empty template
//     writes one file, prefix + suffix, whatever the runner's choice;
//   * pre_finalize deletes earlier output under the same prefix and template
//     that this write will not replace (shards of a run with another shard
//     count), never a file this write produces;
//   * finalize_write renames each result's temporary file to its shard name,
//     syncs the output directory (the shards are then durable), removes what
//     failed or duplicate attempts left in the temporary directory, syncs it,
//     removes it and syncs the output directory again (its removal durable). Finalize is
//     idempotent: a temporary file that is gone while its shard exists with the recorded size was
//     moved by an earlier finalize and is skipped; gone with no such shard is an InputError
//     (records would be lost), never silence;
//   * abort_write (the runner gave up on the write) removes the temporary
//     directory and everything in it, durably, and, if finalize had moved
//     any shard, every shard of this write's names (the output would be a
//     mixture of this write and whatever it replaced); if finalize moved
//     none, an earlier write's output under the prefix is left as it was.
// The number of shards is options.num_shards, or the runner's choice when 0.
// With the runner's choice and no records, one empty shard is written (with
// header and footer), so that the output exists; with a fixed count, every
// shard is written, empty or not.
//
// Immutable and thread-safe. Create it with std::make_shared.

#ifndef SPLITCHECK_LIB_SINKS_FILE_BASED_SINK_H_
#define SPLITCHECK_LIB_SINKS_FILE_BASED_SINK_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/files/compression.h"
#include "splitcheck/lib/files/file_system.h"
#include "splitcheck/lib/sinks/sink.h"

namespace splitcheck {

struct FileBasedSinkOptions {
  // Null means the local disk.
  std::shared_ptr<FileSystem> file_system;
  std::string file_name_suffix;
  // 0: the runner chooses.
  int num_shards = 0;
  // Empty: unsharded, one file named prefix + suffix (num_shards 0 or 1).
  std::string shard_name_template = "-SSSSS-of-NNNNN";
  // Written verbatim at the start and end of every shard.
  std::optional<std::string> header;
  std::optional<std::string> footer;
  Compression compression = Compression::kAuto;
};

namespace internal {

// The file handling of FileBasedSink, independent of the record type.
class FileSinkFiles {
 public:
  // UsageError for an empty prefix, one in the root directory ("/", "/x"), a negative shard count
  // or a template without a run of S.
  FileSinkFiles(std::string path_prefix, FileBasedSinkOptions options);

  const std::string& path_prefix() const { return prefix_; }
  const FileBasedSinkOptions& options() const { return options_; }
  FileSystem& file_system() const { return *options_.file_system; }

  std::string shard_name(std::size_t index, std::size_t count) const;
  std::string initialize() const;
  // The attempt's file, compressed, with the header written.
  std::unique_ptr<WritableFile> open(const std::string& temp_dir, const std::string& uid) const;
  // Writes the footer, closes, and returns the attempt's result.
  std::string close(std::unique_ptr<WritableFile> file) const;
  void pre_finalize(const std::vector<std::string>& results) const;
  std::vector<std::string> finalize(const std::string& temp_dir,
                                    const std::vector<std::string>& results) const;
  void abort(const std::string& temp_dir, const std::vector<std::string>& results) const;

 private:
  std::string prefix_;
  FileBasedSinkOptions options_;
};

}  // namespace internal

template <typename T>
class FileBasedSink : public Sink<T> {
 public:
  FileBasedSink(std::string path_prefix, FileBasedSinkOptions options)
      : files_(std::move(path_prefix), std::move(options)) {}

  std::string initialize_write() const override { return files_.initialize(); }

  std::unique_ptr<Writer<T>> open_writer(const std::string& init_result,
                                         const std::string& uid) const override {
    return std::make_unique<FileWriter>(this, files_.open(init_result, uid));
  }

  std::string pre_finalize(const std::string& /*init_result*/,
                           const std::vector<std::string>& writer_results) const override {
    files_.pre_finalize(writer_results);
    return "";
  }

  std::vector<std::string> finalize_write(
      const std::string& init_result, const std::vector<std::string>& writer_results,
      const std::string& /*pre_finalize_result*/) const override {
    return files_.finalize(init_result, writer_results);
  }

  void abort_write(const std::string& init_result,
                   const std::vector<std::string>& writer_results) const override {
    files_.abort(init_result, writer_results);
  }

  std::optional<int> num_shards() const override {
    if (files_.options().shard_name_template.empty()) return 1;  // unsharded
    if (files_.options().num_shards == 0) return std::nullopt;
    return files_.options().num_shards;
  }

  std::string debug_string() const override {
    return "FileBasedSink(\"" + files_.path_prefix() + "\")";
  }

  const std::string& path_prefix() const { return files_.path_prefix(); }

 protected:
  // Appends one record to the shard being written.
  virtual void write_record(WritableFile& file, const T& record) const = 0;

 private:
  class FileWriter final : public Writer<T> {
   public:
    FileWriter(const FileBasedSink* sink, std::unique_ptr<WritableFile> file)
        : sink_(sink), file_(std::move(file)) {}
    void write(const T& record) override {
      if (file_ == nullptr) throw UsageError(sink_->debug_string() + ": write after close");
      sink_->write_record(*file_, record);
    }
    std::string close() override {
      if (file_ == nullptr) throw UsageError(sink_->debug_string() + ": writer closed twice");
      return sink_->files_.close(std::move(file_));
    }

   private:
    const FileBasedSink* const sink_;
    std::unique_ptr<WritableFile> file_;
  };

  internal::FileSinkFiles files_;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_SINKS_FILE_BASED_SINK_H_
