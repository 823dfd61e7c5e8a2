// Writing text files: WriteToText(prefix) and the TextSink behind it.
//
//   TextSinkOptions options;
//   options.file_name_suffix = ".txt";
//   WriteResult result = LocalRunner().run(WriteToText("out/part", options), lines);
//
// One record per line, each followed by the delimiter ("\n" unless
// options.delimiter says otherwise); an optional header line (followed by
// the delimiter) starts every shard, an optional footer line ends it. Compression by the suffix's
// extension
// (".gz", ".bz2", ".zst", ".deflate") or options.compression. Everything
// else (temporary files, shard names, idempotent finalize) is as
// FileBasedSink describes. Serializable: the prefix and every option but the
// file system, which decoder() carries (the sink's own).

#ifndef SPLITCHECK_LIB_TEXT_TEXT_SINK_H_
#define SPLITCHECK_LIB_TEXT_TEXT_SINK_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "splitcheck/lib/sinks/file_based_sink.h"
#include "splitcheck/lib/sinks/write.h"

namespace splitcheck {

struct TextSinkOptions {
  // Where the shards are written; null means the local disk.
  std::shared_ptr<FileSystem> file_system;
  // Appended to every shard name (".txt", ".csv.gz"); its extension chooses
  // the compression when `compression` is kAuto.
  std::string file_name_suffix;
  // Shards written; 0 lets the runner choose (one per write bundle). >= 0.
  int num_shards = 0;
  // Between the prefix and the suffix: its run of S becomes the shard index
  // and its run of N the shard count, zero-padded to the run's length.
  // Empty: unsharded, exactly one file named prefix + suffix (num_shards
  // must be 0 or 1).
  std::string shard_name_template = "-SSSSS-of-NNNNN";
  // A first line of every shard, followed by the delimiter.
  std::optional<std::string> header;
  // A last line of every shard, followed by the delimiter.
  std::optional<std::string> footer;
  // Written after every record (and after the header).
  std::string delimiter = "\n";
  // kAuto: by the suffix's extension; kUncompressed when it has none.
  Compression compression = Compression::kAuto;
  // Rollover (0: no limit): a writer starts a new shard before a record
  // that would give its shard more records, or more uncompressed bytes
  // (header, delimiters and footer included), than this; a shard holds at
  // least one record. Shards are then counted and numbered over every
  // bundle's files (FileBasedSink). Not with an empty shard_name_template.
  std::int64_t max_records_per_shard = 0;
  std::int64_t max_bytes_per_shard = 0;
  // An empty input writes no file (earlier output under the prefix is still
  // removed), rather than one empty shard (or num_shards of them).
  bool skip_if_empty = false;
};

class TextSink final : public FileBasedSink<std::string> {
 public:
  TextSink(std::string path_prefix, TextSinkOptions options);

  std::string debug_string() const override;

  void encode(ByteWriter& out) const override;
  // A sink on `file_system` (null: the local disk); CorruptDataError for
  // bytes encode() did not write.
  static std::shared_ptr<const TextSink> decode(ByteReader& in,
                                                std::shared_ptr<FileSystem> file_system);
  SinkDecoder<std::string> decoder() const override;

 protected:
  void write_record(WritableFile& file, const std::string& line) const override;

 private:
  struct Decoded {};
  TextSink(Decoded, std::string path_prefix, FileBasedSinkOptions options, std::string delimiter);

  const std::string delimiter_;
};

// Writes lines to shards named path_prefix + shard template + suffix.
Write<std::string> WriteToText(std::string path_prefix, TextSinkOptions options = {});

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_TEXT_TEXT_SINK_H_
