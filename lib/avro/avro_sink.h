// Writing Avro container files: WriteToAvro(prefix, options) and the
// AvroSink behind it.
//
//   AvroSinkOptions options;
//   options.schema = R"({"type": "record", "name": "User", "fields": [...]})";
//   WriteResult result = LocalRunner().run(WriteToAvro("out/users", options), users);
//   // out/users-00000-of-00003.avro, ...
//
// Every shard is a container file with the sink's schema (verbatim in the
// header), options.codec and a random sync marker of its own; records go
// into blocks of about options.sync_interval encoded bytes (a block is
// written once it holds at least that many). A record whose schema is not
// the sink's (avro_schema_equal) is a UsageError naming both: it would be
// written in a layout the header does not describe. Every block stays inside
// what AvroSource reads: at most kMaxAvroWriterBlockBytes of records (a
// larger record is a UsageError), and at most its size plus
// kAvroZeroByteValues records, so records that encode to no bytes still
// come in bounded blocks. Blocks are compressed
// with the libraries avro-c links (internal/avro_codec.h): avro-c keeps its
// codecs private.
//
// Everything else (temporary files, shard names, rollover, skip_if_empty,
// idempotent finalize, abort) is as FileBasedSink describes; the rollover's
// byte limit counts records' encoded bytes.

#ifndef SPLITCHECK_LIB_AVRO_AVRO_SINK_H_
#define SPLITCHECK_LIB_AVRO_AVRO_SINK_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "splitcheck/lib/avro/avro_record.h"
#include "splitcheck/lib/avro/internal/avro_codec.h"
#include "splitcheck/lib/avro/internal/avro_reader.h"
#include "splitcheck/lib/sinks/file_based_sink.h"
#include "splitcheck/lib/sinks/write.h"

namespace splitcheck {

namespace internal {
struct AvroSinkFormat;  // avro_sink.cc
}  // namespace internal

struct AvroSinkOptions {
  // The records' schema, as JSON: required (a UsageError when empty or not
  // a schema avro-c can parse).
  std::string schema;
  // "null", "deflate" (the default, as Beam's), "snappy", "xz", "bzip2",
  // "zstandard", or avro-c's "lzma"; anything else is a UsageError.
  std::string codec = "deflate";
  // Encoded bytes a block holds before it is written; in [32, 2^27] (Java
  // allows up to 2^30; AvroSource reads blocks of up to 256 MiB stored, and
  // a codec can make a block larger than its records). Java's default.
  std::int64_t sync_interval = 64000;
  // More header metadata; a key starting with "avro." is reserved (a
  // UsageError).
  std::map<std::string, std::string> metadata;
  // Where the shards are written; null means the local disk.
  std::shared_ptr<FileSystem> file_system;
  std::string file_name_suffix = ".avro";
  // As TextSinkOptions: 0 lets the runner choose; the template's runs of S
  // and N; empty for one file.
  int num_shards = 0;
  std::string shard_name_template = "-SSSSS-of-NNNNN";
  std::int64_t max_records_per_shard = 0;
  std::int64_t max_bytes_per_shard = 0;
  bool skip_if_empty = false;
};

class AvroSink final : public FileBasedSink<AvroRecord> {
 public:
  AvroSink(std::string path_prefix, AvroSinkOptions options);

  std::string debug_string() const override;

  // Serializable: the prefix and every option but the file system, which
  // decoder() carries (the sink's own). CorruptDataError for bytes encode()
  // did not write.
  void encode(ByteWriter& out) const override;
  static std::shared_ptr<const AvroSink> decode(ByteReader& in,
                                                std::shared_ptr<FileSystem> file_system);
  SinkDecoder<AvroRecord> decoder() const override;

 protected:
  void write_record(WritableFile& file, const AvroRecord& record) const override;

 private:
  AvroSink(std::string path_prefix, const AvroSinkOptions& options,
           std::shared_ptr<const internal::AvroSinkFormat> format);

  const std::shared_ptr<const internal::AvroSinkFormat> format_;
};

// Writes AvroRecords to shards named path_prefix + template + suffix.
Write<AvroRecord> WriteToAvro(std::string path_prefix, AvroSinkOptions options);

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_AVRO_AVRO_SINK_H_
