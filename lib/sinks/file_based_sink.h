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
//     temporary and the output directory, so that the result it returns
//     names a file that survives power loss (directories above the output
//     directory are taken as durable);
//   * rollover: with options.max_records_per_shard or max_bytes_per_shard, an
//     attempt closes its file and starts another ("<uid>~r1", "<uid>~r2", ...;
//     a '~' of the uid is written "~t") before a record that would take the
//     file past either limit. The byte limit counts the uncompressed bytes,
//     header and footer included; a file holds at least one record, so only a
//     file of one record can exceed it. An attempt's result lists its files in
//     order, each with its record count, size and path;
//   * shard i of n is named prefix + template + suffix, the template's run of
//     S replaced by i and its run of N by n, zero-padded to the run's length
//     ("-SSSSS-of-NNNNN" gives "out-00002-of-00010.txt"); n counts the files of
//     every bundle's result, numbered in bundle order, so without rollover it
//     is the bundle count. An empty template writes one file, prefix + suffix,
//     whatever the runner's choice (and no rollover limit may be set);
//   * options.skip_if_empty: a write whose results hold no record commits no
//     file at all (pre_finalize still removes earlier output under the
//     prefix, as Beam's skip_if_empty does), rather than empty shards;
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
// The number of write bundles is options.num_shards, or the runner's choice when 0; each bundle
// writes one shard, or more when a rollover limit is reached. With the runner's choice and no
// records, one empty shard is written (with header and footer), so that the output exists; with a
// fixed count, every shard is written, empty or not; with skip_if_empty, neither.
//
// Serializable (sink.h): a subclass implements encode() by writing the
// base's part with encode_base() and then its own fields, and decodes with
// decode_base() (the prefix and options, the file system and the shard
// format left to the decoder to supply) and then its own fields:
//
//   void encode(ByteWriter& out) const override {
//     encode_base(out);
//     out.put_string(delimiter_);
//   }
//
// Immutable and thread-safe. Create it with std::make_shared.

#ifndef SPLITCHECK_LIB_SINKS_FILE_BASED_SINK_H_
#define SPLITCHECK_LIB_SINKS_FILE_BASED_SINK_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "splitcheck/lib/coders/byte_reader.h"
#include "splitcheck/lib/coders/byte_writer.h"
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
  // Rollover limits per shard (see above); 0: none. >= 0.
  std::int64_t max_records_per_shard = 0;
  std::int64_t max_bytes_per_shard = 0;
  // No records at all: commit no shard (see above).
  bool skip_if_empty = false;
  // The file format of a sink whose shards are not records in a row: wraps
  // every shard file (after compression), and is closed instead of it.
  // AvroSink frames records into blocks this way. Everything appended goes
  // through the wrapper, header and footer included (AvroSink sets
  // neither); the subclass's write_record must append each record in one
  // call, which the wrapper may take as one record. The rollover byte limit
  // counts what write_record appends, not what the wrapper adds. Null: none.
  std::function<std::unique_ptr<WritableFile>(std::unique_ptr<WritableFile>)> shard_format;
};

namespace internal {

// The file handling of FileBasedSink, independent of the record type.
class FileSinkFiles {
 public:
  // UsageError for an empty prefix, one in the root directory ("/", "/x"), a negative shard count
  // or limit, a template without a run of S, or a limit with an empty template.
  FileSinkFiles(std::string path_prefix, FileBasedSinkOptions options);

  const std::string& path_prefix() const { return prefix_; }
  const FileBasedSinkOptions& options() const { return options_; }

  // The prefix and the options but the file system and the shard format
  // (code: the decoder supplies them); whether a shard format is set is
  // encoded, so that a decoder that forgets it is caught.
  void encode(ByteWriter& out) const;
  struct Decoded {
    std::string path_prefix;
    FileBasedSinkOptions options;  // file_system and shard_format unset
    bool has_shard_format = false;
  };
  // CorruptDataError for bytes encode() did not write.
  static Decoded decode(ByteReader& in);
  FileSystem& file_system() const { return *options_.file_system; }

  std::string shard_name(std::size_t index, std::size_t count) const;
  std::string initialize() const;
  // File `part` (0, 1, ...) of the attempt `uid`, compressed, with the header written.
  std::unique_ptr<WritableFile> open(const std::string& temp_dir, const std::string& uid,
                                     int part) const;
  // Writes the footer, closes and syncs the file; returns its entry in the attempt's result.
  std::string close(std::unique_ptr<WritableFile> file, std::int64_t records) const;
  void pre_finalize(const std::vector<std::string>& results) const;
  std::vector<std::string> finalize(const std::string& temp_dir,
                                    const std::vector<std::string>& results) const;
  void abort(const std::string& temp_dir, const std::vector<std::string>& results) const;

 private:
  std::string prefix_;
  FileBasedSinkOptions options_;
};

// The files of one attempt: opens the first, rolls over at the limits,
// and closes them into the attempt's result.
class AttemptFiles {
 public:
  AttemptFiles(const FileSinkFiles& files, std::string temp_dir, std::string uid);

  // Whether next_record needs a record's size (a byte limit is set).
  bool counts_bytes() const { return files_->options().max_bytes_per_shard > 0; }
  // The file the next record goes to, `bytes` its uncompressed size when
  // counts_bytes() (else ignored): the current one, or a new one when the
  // record would take the current one past a limit.
  WritableFile& next_record(std::int64_t bytes);
  // Closes the last file; the attempt's result. UsageError when called twice.
  std::string close();
  bool closed() const { return file_ == nullptr; }

 private:
  const FileSinkFiles* files_;
  std::string temp_dir_;
  std::string uid_;
  std::unique_ptr<WritableFile> file_;
  std::string result_;  // entries of the files closed so far
  int part_ = 0;
  std::int64_t records_ = 0;  // in the current file
  std::int64_t bytes_ = 0;    // of the current file, uncompressed, with the header
};

// A WritableFile that keeps what is appended, to measure a record.
class StringFile final : public WritableFile {
 public:
  void append(std::string_view data) override { data_.append(data); }
  void close() override {}
  const std::string& path() const override { return path_; }
  const std::string& data() const { return data_; }

 private:
  std::string data_;
  const std::string path_;
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
    return std::make_unique<FileWriter>(this, internal::AttemptFiles(files_, init_result, uid));
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

  // The base's part of an encoding (see the class comment).
  void encode_base(ByteWriter& out) const { files_.encode(out); }
  using DecodedBase = internal::FileSinkFiles::Decoded;
  static DecodedBase decode_base(ByteReader& in) { return internal::FileSinkFiles::decode(in); }
  const FileBasedSinkOptions& file_options() const { return files_.options(); }

 private:
  class FileWriter final : public Writer<T> {
   public:
    FileWriter(const FileBasedSink* sink, internal::AttemptFiles files)
        : sink_(sink), files_(std::move(files)) {}
    void write(const T& record) override {
      if (files_.closed()) throw UsageError(sink_->debug_string() + ": write after close");
      if (!files_.counts_bytes()) {
        sink_->write_record(files_.next_record(0), record);
        return;
      }
      internal::StringFile measured;
      sink_->write_record(measured, record);
      files_.next_record(std::ssize(measured.data())).append(measured.data());
    }
    std::string close() override {
      if (files_.closed()) throw UsageError(sink_->debug_string() + ": writer closed twice");
      return files_.close();
    }

   private:
    const FileBasedSink* const sink_;
    internal::AttemptFiles files_;
  };

  internal::FileSinkFiles files_;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_SINKS_FILE_BASED_SINK_H_
