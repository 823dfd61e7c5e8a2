#include "splitcheck/lib/avro/avro_sink.h"

#include <utility>

#include "splitcheck/lib/avro/internal/avro_container_writer.h"
#include "splitcheck/lib/error.h"

namespace splitcheck {

namespace internal {

// What every shard's header and blocks are made of, validated once.
struct AvroSinkFormat {
  std::string schema_json;
  AvroSchemaHandle schema;
  std::string codec_name;  // as the options gave it
  AvroCodec codec = AvroCodec::kDeflate;
  std::int64_t sync_interval = 0;
  std::map<std::string, std::string> metadata;
};

}  // namespace internal

namespace {

using internal::AvroSinkFormat;

std::string who(const std::string& prefix) { return "AvroSink(\"" + prefix + "\")"; }

std::shared_ptr<const AvroSinkFormat> make_format(const std::string& prefix,
                                                  const AvroSinkOptions& options) {
  if (options.schema.empty()) throw UsageError(who(prefix) + ": options.schema is empty");
  auto format = std::make_shared<AvroSinkFormat>();
  format->schema_json = options.schema;
  format->schema = internal::parse_avro_schema(options.schema, who(prefix) + ": options.schema");
  const std::optional<internal::AvroCodec> codec = internal::avro_codec_named(options.codec);
  if (!codec) {
    throw UsageError(who(prefix) + ": unknown codec \"" + options.codec +
                     "\" (null, deflate, snappy, xz, bzip2, zstandard or lzma)");
  }
  format->codec = *codec;
  format->codec_name = options.codec;
  if (options.sync_interval < 32 || options.sync_interval > internal::kMaxAvroSyncInterval) {
    throw UsageError(who(prefix) + ": sync_interval " + std::to_string(options.sync_interval) +
                     " is outside [32, 2^27]");
  }
  format->sync_interval = options.sync_interval;
  for (const auto& [key, value] : options.metadata) {
    if (key.rfind("avro.", 0) == 0) {
      throw UsageError(who(prefix) + ": metadata key \"" + key + "\" is reserved for Avro");
    }
  }
  format->metadata = options.metadata;
  return format;
}

FileBasedSinkOptions base_options(const AvroSinkOptions& options,
                                  std::shared_ptr<const AvroSinkFormat> format) {
  FileBasedSinkOptions out;
  out.file_system = options.file_system;
  out.file_name_suffix = options.file_name_suffix;
  out.num_shards = options.num_shards;
  out.shard_name_template = options.shard_name_template;
  out.compression = Compression::kUncompressed;
  out.max_records_per_shard = options.max_records_per_shard;
  out.max_bytes_per_shard = options.max_bytes_per_shard;
  out.skip_if_empty = options.skip_if_empty;
  out.shard_format = [format](std::unique_ptr<WritableFile> file) -> std::unique_ptr<WritableFile> {
    return std::make_unique<internal::AvroContainerWriter>(
        std::move(file), format->schema_json, format->codec, format->sync_interval,
        format->metadata, internal::random_avro_sync());
  };
  return out;
}

}  // namespace

AvroSink::AvroSink(std::string path_prefix, AvroSinkOptions options)
    : AvroSink(path_prefix, options, make_format(path_prefix, options)) {}

AvroSink::AvroSink(std::string path_prefix, const AvroSinkOptions& options,
                   std::shared_ptr<const internal::AvroSinkFormat> format)
    : FileBasedSink(std::move(path_prefix), base_options(options, format)),
      format_(std::move(format)) {}

std::string AvroSink::debug_string() const { return who(path_prefix()); }

void AvroSink::encode(ByteWriter& out) const {
  out.put_string("AvroSink");
  encode_base(out);
  out.put_string(format_->schema_json);
  out.put_string(format_->codec_name);
  out.put_signed(format_->sync_interval);
  out.put_varint(format_->metadata.size());
  for (const auto& [key, value] : format_->metadata) {
    out.put_string(key);
    out.put_string(value);
  }
}

std::shared_ptr<const AvroSink> AvroSink::decode(ByteReader& in,
                                                 std::shared_ptr<FileSystem> file_system) {
  in.expect_tag("AvroSink");
  const std::size_t base_at = in.offset();
  DecodedBase base = decode_base(in);
  if (base.options.header || base.options.footer || !base.has_shard_format ||
      base.options.compression != Compression::kUncompressed) {
    in.fail(base_at, "file options", "not those of an AvroSink");
  }
  AvroSinkOptions options;
  options.file_system = std::move(file_system);
  options.file_name_suffix = std::move(base.options.file_name_suffix);
  options.num_shards = base.options.num_shards;
  options.shard_name_template = std::move(base.options.shard_name_template);
  options.max_records_per_shard = base.options.max_records_per_shard;
  options.max_bytes_per_shard = base.options.max_bytes_per_shard;
  options.skip_if_empty = base.options.skip_if_empty;
  options.schema = in.get_string("schema");
  options.codec = in.get_string("codec");
  options.sync_interval = in.get_signed("sync_interval");
  const std::size_t entries = in.get_length("metadata count", 2);
  for (std::size_t i = 0; i < entries; ++i) {
    const std::size_t key_at = in.offset();
    std::string key = in.get_string("metadata key");
    if (!options.metadata.empty() && !(options.metadata.rbegin()->first < key)) {
      in.fail(key_at, "metadata key", "not after the one before (encode() writes them sorted)");
    }
    options.metadata[std::move(key)] = in.get_string("metadata value");
  }
  try {
    return std::make_shared<const AvroSink>(std::move(base.path_prefix), std::move(options));
  } catch (const UsageError& e) {
    throw CorruptDataError(in.what() + ": the options decoded are not valid: " + e.what());
  }
}

SinkDecoder<AvroRecord> AvroSink::decoder() const {
  return [fs = file_options().file_system](
             ByteReader& in) -> std::shared_ptr<const Sink<AvroRecord>> { return decode(in, fs); };
}

void AvroSink::write_record(WritableFile& file, const AvroRecord& record) const {
  // The last schema this thread found equal to this sink's (a sink of
  // another schema must not inherit the verdict), both held so that neither
  // address can be reused by another while remembered.
  thread_local std::shared_ptr<const internal::AvroSinkFormat> checked_for;
  thread_local internal::AvroSchemaHandle checked;
  avro_schema_t schema = record.schema();
  if (schema != format_->schema.get() && (checked_for != format_ || schema != checked.get())) {
    if (!avro_schema_equal(schema, format_->schema.get())) {
      throw UsageError(debug_string() + ": a record of another schema: " + record.to_json() +
                       "; the sink's schema is " + format_->schema_json);
    }
    checked_for = format_;
    checked = internal::AvroSchemaHandle(avro_schema_incref(schema), avro_schema_decref);
  }
  thread_local std::string encoded;
  if (!internal::encode_avro_value(record.value(), encoded)) {
    throw UsageError(debug_string() + ": avro-c cannot encode the record " + record.to_json());
  }
  file.append(encoded);
}

Write<AvroRecord> WriteToAvro(std::string path_prefix, AvroSinkOptions options) {
  return Write<AvroRecord>(
      std::make_shared<const AvroSink>(std::move(path_prefix), std::move(options)));
}

}  // namespace splitcheck
