// Reading Avro object container files: ReadFromAvro(pattern) and the
// AvroSource behind it.
//
//   LocalRunner runner;
//   std::vector<AvroRecord> users = runner.run(ReadFromAvro("users-*.avro")).records;
//
// Records are AvroRecords (avro_record.h): avro-c values of the file's
// schema, or of options.reader_schema when one is given (Avro schema
// resolution, done by avro-c: fields matched by name, promotions such as
// int to long, writer fields the reader lacks dropped). avro-c 1.11 does not
// fill in the default of a reader field the writer lacks: such a reader
// schema is a CorruptDataError naming the file, not records with defaults.
//
// A file's header (and its schema) is read and parsed once per source, by
// the first reader of the file; every other bundle of it reuses it.
//
// Splitting. A block belongs to the range of byte offsets that holds the
// start of the sync marker before it (for the first block, the header's
// marker). A reader whose range starts at s reads from the first block whose
// marker starts at or after s: it searches the bytes from s for the file's
// marker, so a split at any byte offset is allowed, inside the header, a
// block or a marker. Records inside a block are not split points: a block is
// read whole by the reader that claimed its marker.
//
// Codecs: null, deflate, snappy, xz, bzip2, zstandard (the Avro spec's and
// Java's names) and lzma (avro-c's raw LZMA2); internal/avro_codec.h says
// why splitcheck decodes blocks itself instead of through avro-c's file
// reader (which ignores a codec's failure, and leaks the writer schema on
// every file it opens). Records are decoded by avro-c.
//
// Bad input is a CorruptDataError naming the file and the byte offset: a
// file that does not start with the Avro magic, a header without a schema,
// an unknown codec, a schema avro-c cannot parse or that does not resolve to
// the reader schema, a block whose count, size or trailing sync marker is
// wrong, a block the codec cannot decode or whose records do not fill it
// exactly, a file that ends inside any of these. A corrupt block fails the
// reader that owns it; the blocks before it are read.
//
// Not detected (as in every Avro reader): a 16-byte run inside a block's
// data that equals the file's sync marker, which a reader starting before
// it would take for a marker. Random markers make this a 2^-128 event per
// position for data not made to contain it.
//
// Everything else is as FileBasedSource describes: globs, several patterns,
// empty matches, files that shrink while read. Files are read as stored
// (options.compression is not offered: an Avro file compresses its blocks).

#ifndef SPLITCHECK_LIB_AVRO_AVRO_SOURCE_H_
#define SPLITCHECK_LIB_AVRO_AVRO_SOURCE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/avro/avro_record.h"
#include "splitcheck/lib/avro/internal/avro_reader.h"
#include "splitcheck/lib/sources/file_based_source.h"
#include "splitcheck/lib/sources/generator.h"
#include "splitcheck/lib/sources/read.h"
#include "splitcheck/lib/sources/source_coder.h"

namespace splitcheck {

struct AvroSourceOptions {
  // Where the files are; null means the local disk.
  std::shared_ptr<const FileSystem> file_system;
  // Initial bundles hold at least this many bytes of a file (0: as the
  // runner asks). Dynamic splits are not limited by it.
  std::int64_t min_bundle_size = 0;
  // A pattern that matches no file: an InputError (kDisallow) or no records.
  EmptyMatchTreatment empty_match = EmptyMatchTreatment::kDisallow;
  // Empty: records have each file's own schema. Otherwise the JSON of the
  // schema records are resolved to (a UsageError when avro-c cannot parse
  // it, when the source is made).
  std::string reader_schema;
};

namespace internal {

// What AvroSource and MappedAvroSource pass to FileBasedSource: stored bytes,
// never a whole-file codec.
FileBasedSourceOptions avro_file_options(const AvroSourceOptions& options);
// options.reader_schema parsed, or null when empty (a UsageError from `who`).
AvroSchemaHandle avro_reader_schema(const AvroSourceOptions& options, const std::string& who);

// The reader schema's JSON after the base class's encoding, and back (a
// schema avro-c cannot parse is a CorruptDataError).
void encode_avro_reader_schema(const std::string& json, ByteWriter& out);
std::pair<std::string, AvroSchemaHandle> decode_avro_reader_schema(ByteReader& in,
                                                                   const std::string& who);

}  // namespace internal

class AvroSource final : public FileBasedSource<AvroRecord> {
 public:
  AvroSource(std::string pattern, AvroSourceOptions options);
  // The files of every pattern, in the order given (FileBasedSource's
  // ReadAll constructor).
  AvroSource(std::vector<std::string> patterns, AvroSourceOptions options);

  std::string debug_string() const override;

  // Serializable: FileBasedSource's encoding, then the reader schema's JSON;
  // the file system comes from the decoder (decode(in) reads the local disk).
  static std::shared_ptr<const AvroSource> decode(
      ByteReader& in, std::shared_ptr<const FileSystem> file_system = nullptr);
  SourceDecoder<AvroRecord, Position> decoder() const override;

  // A decoded source.
  AvroSource(Matched matched, std::string reader_schema_json, internal::AvroSchemaHandle schema);

 protected:
  Generator<AvroRecord> read_records(const SourceFile& file,
                                     RangeTracker<std::int64_t>& tracker) const override;
  void encode_format(ByteWriter& out) const override;

 private:
  const std::string reader_schema_json_;
  const internal::AvroSchemaHandle reader_schema_;
  // Each file's header, read by the first bundle that reads the file.
  mutable internal::AvroHeaderCache headers_;
};

// The records of the Avro files `pattern` matches.
Read<AvroRecord, ConcatPosition<std::int64_t>> ReadFromAvro(std::string pattern,
                                                            AvroSourceOptions options = {});

// The records of the files every pattern matches (Beam's ReadAllFromAvro).
Read<AvroRecord, ConcatPosition<std::int64_t>> ReadAllFromAvro(std::vector<std::string> patterns,
                                                               AvroSourceOptions options = {});

// The typed convenience: AvroSource's records, each mapped by `parse` to the
// user's own type (which the gate's checks need to compare with == and
// print with <<, like any record type).
//
//   struct User { std::int64_t id; std::string name; ... };
//   auto users = ReadFromAvroAs<User>("users-*.avro", [](const AvroRecord& r) {
//     return User{r.get<std::int64_t>("id"), r.get<std::string>("name")};
//   });
//
// `parse` is called from the reading threads and must be thread-safe; an
// exception from it fails the bundle, as any reader error does.
template <typename T>
class MappedAvroSource final : public FileBasedSource<T> {
 public:
  MappedAvroSource(std::vector<std::string> patterns, AvroSourceOptions options,
                   std::function<T(const AvroRecord&)> parse)
      : FileBasedSource<T>(std::move(patterns), internal::avro_file_options(options)),
        reader_schema_json_(options.reader_schema),
        reader_schema_(internal::avro_reader_schema(options, "MappedAvroSource reader_schema")),
        parse_(std::move(parse)) {
    if (!parse_)
      throw UsageError("MappedAvroSource(\"" + this->pattern() + "\"): no parse function");
  }

  // A decoded source.
  MappedAvroSource(typename FileBasedSource<T>::Matched matched, std::string reader_schema_json,
                   internal::AvroSchemaHandle schema, std::function<T(const AvroRecord&)> parse)
      : FileBasedSource<T>(std::move(matched)),
        reader_schema_json_(std::move(reader_schema_json)),
        reader_schema_(std::move(schema)),
        parse_(std::move(parse)) {}

  // Serializable as AvroSource is; the parse function is code, so the
  // decoder is given this source's.
  SourceDecoder<T, ConcatPosition<std::int64_t>> decoder() const override {
    return this->file_decoder(
        [parse = parse_](typename FileBasedSource<T>::Matched matched, ByteReader& in) {
          in.expect_tag("MappedAvroSource");
          auto [json, schema] =
              internal::decode_avro_reader_schema(in, "MappedAvroSource reader_schema");
          return std::make_shared<const MappedAvroSource>(std::move(matched), std::move(json),
                                                          std::move(schema), parse);
        });
  }

  std::string debug_string() const override {
    return "MappedAvroSource(\"" + this->pattern() + "\", " + std::to_string(this->files().size()) +
           " files)";
  }

 protected:
  void encode_format(ByteWriter& out) const override {
    out.put_string("MappedAvroSource");
    internal::encode_avro_reader_schema(reader_schema_json_, out);
  }

  Generator<T> read_records(const SourceFile& file,
                            RangeTracker<std::int64_t>& tracker) const override {
    for (const AvroRecord& record :
         internal::read_avro_range(file, tracker, reader_schema_, &headers_)) {
      T value = parse_(record);  // named: see generator.h on GCC 12
      co_yield std::move(value);
    }
  }

 private:
  const std::string reader_schema_json_;
  const internal::AvroSchemaHandle reader_schema_;
  const std::function<T(const AvroRecord&)> parse_;
  mutable internal::AvroHeaderCache headers_;
};

template <typename T, typename Parse>
Read<T, ConcatPosition<std::int64_t>> ReadFromAvroAs(std::string pattern, Parse parse,
                                                     AvroSourceOptions options = {}) {
  return Read<T, ConcatPosition<std::int64_t>>(std::make_shared<const MappedAvroSource<T>>(
      std::vector<std::string>{std::move(pattern)}, std::move(options),
      std::function<T(const AvroRecord&)>(std::move(parse))));
}

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_AVRO_AVRO_SOURCE_H_
