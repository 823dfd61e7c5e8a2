#include "splitcheck/lib/avro/avro_source.h"

#include <utility>

namespace splitcheck {
namespace internal {

FileBasedSourceOptions avro_file_options(const AvroSourceOptions& options) {
  FileBasedSourceOptions base;
  base.file_system = options.file_system;
  base.compression = Compression::kUncompressed;
  base.min_bundle_size = options.min_bundle_size;
  base.empty_match = options.empty_match;
  return base;
}

AvroSchemaHandle avro_reader_schema(const AvroSourceOptions& options, const std::string& who) {
  if (options.reader_schema.empty()) return nullptr;
  return parse_avro_schema(options.reader_schema, who);
}

void encode_avro_reader_schema(const std::string& json, ByteWriter& out) { out.put_string(json); }

std::pair<std::string, AvroSchemaHandle> decode_avro_reader_schema(ByteReader& in,
                                                                   const std::string& who) {
  const std::size_t at = in.offset();
  std::string json = in.get_string("reader schema");
  if (json.empty()) return {std::move(json), nullptr};
  try {
    AvroSchemaHandle schema = parse_avro_schema(json, who);
    return {std::move(json), std::move(schema)};
  } catch (const UsageError& e) {
    in.fail(at, "reader schema", e.what());
  }
}

}  // namespace internal

AvroSource::AvroSource(std::string pattern, AvroSourceOptions options)
    : AvroSource(std::vector<std::string>{std::move(pattern)}, std::move(options)) {}

AvroSource::AvroSource(std::vector<std::string> patterns, AvroSourceOptions options)
    : FileBasedSource(std::move(patterns), internal::avro_file_options(options)),
      reader_schema_json_(options.reader_schema),
      reader_schema_(internal::avro_reader_schema(options, "AvroSource reader_schema")) {}

AvroSource::AvroSource(Matched matched, std::string reader_schema_json,
                       internal::AvroSchemaHandle schema)
    : FileBasedSource(std::move(matched)),
      reader_schema_json_(std::move(reader_schema_json)),
      reader_schema_(std::move(schema)) {}

void AvroSource::encode_format(ByteWriter& out) const {
  out.put_string("AvroSource");
  internal::encode_avro_reader_schema(reader_schema_json_, out);
}

std::shared_ptr<const AvroSource> AvroSource::decode(
    ByteReader& in, std::shared_ptr<const FileSystem> file_system) {
  Matched matched = decode_base(in, std::move(file_system));
  in.expect_tag("AvroSource");
  auto [json, schema] = internal::decode_avro_reader_schema(in, "AvroSource reader_schema");
  return std::make_shared<const AvroSource>(std::move(matched), std::move(json), std::move(schema));
}

SourceDecoder<AvroRecord, AvroSource::Position> AvroSource::decoder() const {
  return [fs = options().file_system](
             ByteReader& in) -> std::shared_ptr<const BoundedSource<AvroRecord, Position>> {
    return decode(in, fs);
  };
}

std::string AvroSource::debug_string() const {
  return "AvroSource(\"" + pattern() + "\", " + std::to_string(files().size()) + " files)";
}

Generator<AvroRecord> AvroSource::read_records(const SourceFile& file,
                                               RangeTracker<std::int64_t>& tracker) const {
  return internal::read_avro_range(file, tracker, reader_schema_, &headers_);
}

Read<AvroRecord, ConcatPosition<std::int64_t>> ReadFromAvro(std::string pattern,
                                                            AvroSourceOptions options) {
  return Read<AvroRecord, ConcatPosition<std::int64_t>>(
      std::make_shared<const AvroSource>(std::move(pattern), std::move(options)));
}

Read<AvroRecord, ConcatPosition<std::int64_t>> ReadAllFromAvro(std::vector<std::string> patterns,
                                                               AvroSourceOptions options) {
  return Read<AvroRecord, ConcatPosition<std::int64_t>>(
      std::make_shared<const AvroSource>(std::move(patterns), std::move(options)));
}

}  // namespace splitcheck
