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

}  // namespace internal

AvroSource::AvroSource(std::string pattern, AvroSourceOptions options)
    : AvroSource(std::vector<std::string>{std::move(pattern)}, std::move(options)) {}

AvroSource::AvroSource(std::vector<std::string> patterns, AvroSourceOptions options)
    : FileBasedSource(std::move(patterns), internal::avro_file_options(options)),
      reader_schema_(internal::avro_reader_schema(options, "AvroSource reader_schema")) {}

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
