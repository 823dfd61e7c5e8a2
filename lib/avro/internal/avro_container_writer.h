// AvroContainerWriter: a WritableFile that writes an Avro object container
// file around the records appended to it: the header when it is made, the
// records framed into blocks of about `sync_interval` bytes, each encoded
// with `codec` and followed by the sync marker.
//
// Each append() is one record's binary encoding (AvroSink appends exactly
// that). A block is written once it holds `sync_interval` bytes, before a
// record that would take it past kMaxAvroWriterBlockBytes, and once it holds
// its size plus kAvroZeroByteValues records (the bounds AvroSource checks);
// a record larger than kMaxAvroWriterBlockBytes is a UsageError. close()
// writes the last block and closes the file under it. A file
// with no record is a header alone, which every Avro reader reads as empty.
//
// Not thread-safe; one writer per shard file.

#ifndef SPLITCHECK_LIB_AVRO_INTERNAL_AVRO_CONTAINER_WRITER_H_
#define SPLITCHECK_LIB_AVRO_INTERNAL_AVRO_CONTAINER_WRITER_H_

#include <avro.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "splitcheck/lib/avro/internal/avro_codec.h"
#include "splitcheck/lib/avro/internal/avro_container.h"
#include "splitcheck/lib/avro/internal/avro_validate.h"
#include "splitcheck/lib/files/file_system.h"

namespace splitcheck::internal {

// The largest sync interval a writer takes.
inline constexpr std::int64_t kMaxAvroSyncInterval = std::int64_t{1} << 27;
// Record bytes a block holds at most: room under kMaxAvroBlockBytes for the
// worst a codec adds (snappy: a sixth).
inline constexpr std::int64_t kMaxAvroWriterBlockBytes = kMaxAvroBlockBytes / 4 * 3;

class AvroContainerWriter final : public WritableFile {
 public:
  // `metadata` joins avro.schema and avro.codec in the header. `sync` is the
  // file's marker (random_avro_sync() for a real file).
  AvroContainerWriter(std::unique_ptr<WritableFile> file, const std::string& schema_json,
                      AvroCodec codec, std::int64_t sync_interval,
                      const std::map<std::string, std::string>& metadata, const AvroSync& sync);

  void append(std::string_view record) override;
  void close() override;
  const std::string& path() const override { return file_->path(); }

 private:
  void flush_block();

  std::unique_ptr<WritableFile> file_;
  const AvroCodec codec_;
  const std::int64_t sync_interval_;
  const AvroSync sync_;
  std::string block_;
  std::int64_t count_ = 0;
  bool closed_ = false;
};

// The zig-zag varint of `value`, as Avro writes longs and lengths.
std::string avro_long(std::int64_t value);

// The binary encoding of `value` (avro-c's avro_value_write) in `out`;
// false when avro-c cannot encode it.
bool encode_avro_value(avro_value_t* value, std::string& out);

// 16 bytes from std::random_device.
AvroSync random_avro_sync();

// The header of a container file (avro_long and the map encoding).
std::string avro_container_header(const std::string& schema_json, AvroCodec codec,
                                  const std::map<std::string, std::string>& metadata,
                                  const AvroSync& sync);

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_AVRO_INTERNAL_AVRO_CONTAINER_WRITER_H_
