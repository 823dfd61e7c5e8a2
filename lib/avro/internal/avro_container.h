// The framing of Avro object container files, read from a byte stream that
// knows its offsets: the header, the blocks, and the sync-marker search a
// reader that starts mid-file begins with.
//
// A file is
//   header   "Obj" 0x01, a metadata map (string -> bytes, Avro's map
//            encoding), the 16-byte sync marker
//   blocks   each: a count of records and a byte size (zig-zag varints), that
//            many bytes of encoded records (in the header's codec), the sync
//            marker again
// Every field is checked before its bytes are used: a length past the end of
// the file, a negative count, a block larger than kMaxAvroBlockBytes, a
// trailing marker that is not the header's, a file that ends inside a field.
// Each is a CorruptDataError naming the file and the byte offset of the field
// ("file.avro: offset 4711: ..."); avro-c's own reader trusts all of them.
//
// Not thread-safe; one stream per reader.

#ifndef SPLITCHECK_LIB_AVRO_INTERNAL_AVRO_CONTAINER_H_
#define SPLITCHECK_LIB_AVRO_INTERNAL_AVRO_CONTAINER_H_

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "splitcheck/lib/avro/internal/avro_codec.h"
#include "splitcheck/lib/files/file_system.h"

namespace splitcheck::internal {

inline constexpr std::size_t kAvroSyncSize = 16;

// Stored (encoded) bytes of one block, at most.
inline constexpr std::int64_t kMaxAvroBlockBytes = std::int64_t{256} << 20;
// A header's metadata key or value, at most (a schema is one).
inline constexpr std::int64_t kMaxAvroMetadataBytes = std::int64_t{64} << 20;
// Decoded bytes of one block, at most.
inline constexpr std::int64_t kMaxAvroDecodedBlockBytes = std::int64_t{1} << 30;

using AvroSync = std::array<char, kAvroSyncSize>;

struct AvroHeader {
  std::map<std::string, std::string> metadata;
  std::string schema_json;  // metadata["avro.schema"]
  AvroCodec codec = AvroCodec::kNull;
  AvroSync sync{};
  // Where the header's sync marker starts: the position of the first block.
  std::int64_t sync_offset = 0;
};

// Buffered reads of a file from a known offset, with the offset of every
// byte. `size_bytes` is the file's size as matched (lengths are checked
// against it).
class AvroByteStream {
 public:
  AvroByteStream(std::unique_ptr<ReadableFile> file, std::string path, std::int64_t offset,
                 std::int64_t size_bytes);

  const std::string& path() const { return path_; }
  // The offset of the next byte.
  std::int64_t offset() const { return buffer_start_ + static_cast<std::int64_t>(pos_); }
  // True when no byte is left.
  bool at_end();

  // A zig-zag varint long, as Avro encodes it. `what` names the field.
  std::int64_t read_long(std::string_view what);
  // Exactly `n` bytes (n >= 0), appended to `out` after clearing it.
  void read_bytes(std::int64_t n, std::string_view what, std::string& out);
  // Moves to the first occurrence of `sync` starting at or after offset()
  // and returns its offset, or returns nullopt at the end of the file (the
  // stream is then at its end). An occurrence that straddles two buffer
  // fills is found.
  std::optional<std::int64_t> find(const AvroSync& sync);

  // "path: offset N: " for an error at `offset`.
  std::string where(std::int64_t offset) const;

 private:
  // Makes at least `n` bytes available after pos_, or as many as are left;
  // returns how many are.
  std::size_t fill(std::size_t n);

  std::unique_ptr<ReadableFile> file_;
  std::string path_;
  std::int64_t size_bytes_;
  std::string buffer_;
  std::size_t pos_ = 0;
  std::int64_t buffer_start_;
  bool eof_ = false;
};

// Reads the header from a stream at offset 0, leaving it at the first block.
AvroHeader read_avro_header(AvroByteStream& stream);

// One block's framing and stored bytes.
struct AvroBlock {
  std::int64_t position = 0;  // the offset of the sync marker before it
  std::int64_t count = 0;
  std::int64_t data_offset = 0;
  std::string data;  // stored (encoded) bytes
};

// Reads the block that starts at the stream's offset (just after the marker
// at `position`) through its trailing marker, which must be header.sync.
// The stream must not be at its end.
void read_avro_block(AvroByteStream& stream, const AvroHeader& header, std::int64_t position,
                     AvroBlock& block);

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_AVRO_INTERNAL_AVRO_CONTAINER_H_
