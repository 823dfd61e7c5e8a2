#include "splitcheck/lib/avro/avro_source.h"

#include <utility>

namespace splitcheck {
namespace {

FileBasedSourceOptions base_options(const AvroSourceOptions& options) {
  FileBasedSourceOptions base;
  base.file_system = options.file_system;
  base.compression = Compression::kUncompressed;
  base.min_bundle_size = options.min_bundle_size;
  base.empty_match = options.empty_match;
  return base;
}

internal::AvroSchemaHandle reader_schema(const AvroSourceOptions& options) {
  if (options.reader_schema.empty()) return nullptr;
  return internal::parse_avro_schema(options.reader_schema, "AvroSource reader_schema");
}

}  // namespace

AvroSource::AvroSource(std::string pattern, AvroSourceOptions options)
    : AvroSource(std::vector<std::string>{std::move(pattern)}, std::move(options)) {}

AvroSource::AvroSource(std::vector<std::string> patterns, AvroSourceOptions options)
    : FileBasedSource(std::move(patterns), base_options(options)),
      reader_schema_(reader_schema(options)) {}

std::string AvroSource::debug_string() const {
  return "AvroSource(\"" + pattern() + "\", " + std::to_string(files().size()) + " files)";
}

Generator<AvroRecord> AvroSource::read_records(const SourceFile& file,
                                               RangeTracker<std::int64_t>& tracker) const {
  return internal::read_avro_range(file, tracker, reader_schema_);
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
