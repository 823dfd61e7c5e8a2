// The parts of an Avro range reader: a file's header and decoder, and the
// reader AvroSource uses (read_avro_range). The zoo's broken Avro readers
// are built from the same parts with one step changed.
//
// Internal to lib/avro and the zoo.

#ifndef SPLITCHECK_LIB_AVRO_INTERNAL_AVRO_READER_H_
#define SPLITCHECK_LIB_AVRO_INTERNAL_AVRO_READER_H_

#include <avro.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/avro/avro_record.h"
#include "splitcheck/lib/avro/internal/avro_container.h"
#include "splitcheck/lib/avro/internal/avro_validate.h"
#include "splitcheck/lib/files/source_file.h"
#include "splitcheck/lib/internal/mutex.h"
#include "splitcheck/lib/sources/generator.h"
#include "splitcheck/lib/trackers/range_tracker.h"

namespace splitcheck::internal {

// A parsed schema, shared (avro-c's reference counts are atomic).
using AvroSchemaHandle = std::shared_ptr<std::remove_pointer_t<avro_schema_t>>;

// Parses `json` (a UsageError from `who` naming avro-c's complaint when it
// is not a schema).
//
// avro-c keeps one error buffer for the whole process, and any failing
// call writes it unlocked. splitcheck reads it only after the calls it runs
// under a process-wide lock of its own (schema parsing here, resolution in
// AvroFileDecoder), under that lock; decoding failures are described by the
// schema walk instead (avro_validate.h).
AvroSchemaHandle parse_avro_schema(const std::string& json, const std::string& who);

// What every reader of one file shares: the header, the writer schema and
// its schema walk. Immutable.
struct AvroFileHeader {
  AvroHeader header;
  AvroSchemaHandle writer_schema;
  std::shared_ptr<const AvroValidator> validator;
};

// Reads and parses the header of `file` from a stream at offset 0 (left at
// the first block). A schema avro-c cannot parse is a CorruptDataError.
std::shared_ptr<const AvroFileHeader> read_avro_file_header(const SourceFile& file,
                                                            AvroByteStream& stream);

// The headers of a source's files, read once per file (by path and size)
// however many bundles read it. Thread-safe.
class AvroHeaderCache {
 public:
  // The header of `file`, read into the cache if it is not there (`stream`
  // then holds the stream that read it, at the first block; else null).
  std::shared_ptr<const AvroFileHeader> get(const SourceFile& file,
                                            std::unique_ptr<AvroByteStream>& stream);
  // How many headers were read (a cache miss each), for tests.
  std::int64_t reads() const;

 private:
  mutable Mutex mutex_;
  std::map<std::pair<std::string, std::int64_t>, std::shared_ptr<const AvroFileHeader>> headers_
      SPLITCHECK_GUARDED_BY(mutex_);
  std::int64_t reads_ SPLITCHECK_GUARDED_BY(mutex_) = 0;
};

// One file opened for reading: its header, the writer schema, and a decoder
// of blocks into records of the reader schema (or the writer's when
// `reader_schema` is null). The header is read at construction, or taken
// from the cache; a schema avro-c cannot parse, or a reader schema the
// writer's does not resolve to, is a CorruptDataError naming the file.
class AvroFileDecoder {
 public:
  // `cache` (may be null) holds headers already read.
  AvroFileDecoder(const SourceFile& file, AvroSchemaHandle reader_schema,
                  AvroHeaderCache* cache = nullptr);
  ~AvroFileDecoder();
  AvroFileDecoder(const AvroFileDecoder&) = delete;
  AvroFileDecoder& operator=(const AvroFileDecoder&) = delete;

  const AvroHeader& header() const { return file_header_->header; }
  // A stream at the first block's count (the one that read the header, when
  // this decoder read it).
  std::unique_ptr<AvroByteStream> take_header_stream();
  // A new stream of the file from `offset`.
  std::unique_ptr<AvroByteStream> open(std::int64_t offset) const;

  // Decodes `block` with the header's codec (`codec` overrides it: the
  // zoo's codec-blind reader) and checks the bytes against the writer
  // schema (avro_validate.h) before avro-c sees them; its records are then
  // taken one by one with next_record, which returns nullopt after the
  // last. A block whose bytes do not hold exactly block.count records is a
  // CorruptDataError naming the file and the block's offset. One block at
  // a time: starting the next ends the last.
  void start_block(const AvroBlock& block);
  void start_block(const AvroBlock& block, AvroCodec codec);
  std::optional<AvroRecord> next_record();

 private:
  // The constructor's work; on a throw the constructor releases what was
  // made (a destructor does not run for a constructor that threw).
  void initialize();
  void release();

  const SourceFile& file_;
  AvroHeaderCache* const cache_;
  std::unique_ptr<AvroByteStream> header_stream_;
  std::shared_ptr<const AvroFileHeader> file_header_;
  AvroSchemaHandle reader_schema_;
  avro_value_iface_t* output_class_ = nullptr;    // records handed out
  avro_value_iface_t* resolver_class_ = nullptr;  // writer -> reader, or null
  avro_value_t resolver_{};
  avro_schema_t sentinel_schema_ = nullptr;
  avro_value_iface_t* sentinel_class_ = nullptr;
  avro_value_t sentinel_{};
  avro_reader_t memory_ = nullptr;
  std::unique_ptr<AvroBlockDecoder> blocks_;  // of the header's codec
  std::string decoded_;
  // The block being read: "path: offset N: ", its size decoded, its count,
  // the next record's index (both -1 once its end was checked).
  std::string where_;
  std::size_t decoded_size_ = 0;
  std::int64_t block_count_ = -1;
  std::int64_t next_ = -1;
};

// The records of the blocks whose sync marker (the one before the block)
// starts in the tracker's range; the header's marker for the first block.
// Each block's marker offset is claimed before the block is read.
// `cache` (may be null) must outlive the generator.
Generator<AvroRecord> read_avro_range(const SourceFile& file, RangeTracker<std::int64_t>& tracker,
                                      AvroSchemaHandle reader_schema,
                                      AvroHeaderCache* cache = nullptr);

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_AVRO_INTERNAL_AVRO_READER_H_
