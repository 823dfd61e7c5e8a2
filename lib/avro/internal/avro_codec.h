// The block codecs of Avro object container files: decoding a block's bytes
// as the codec the file's header names ("avro.codec"; absent means "null").
//
//   null       the bytes as they are
//   deflate    raw deflate (RFC 1951, no zlib header), as the Avro spec says;
//              3 or 4 bytes of the data's big-endian Adler-32 may follow (Python's
//              avro writes zlib's output minus its header and last byte) and
//              are then checked
//   snappy     snappy, then the CRC-32 of the uncompressed bytes, 4 bytes
//              big-endian; the checksum is checked
//   xz         an xz stream (the spec's name; Java writes it)
//   lzma       avro-c's own name: a raw LZMA2 stream, no xz container, as
//              avro-c 1.11 writes it
//   bzip2      a bzip2 stream (Java writes it)
//   zstandard  a zstd frame (Java writes it)
//
// The libraries are the ones Debian's avro-c links (zlib, snappy, liblzma),
// plus libbz2 and libzstd. avro-c keeps its codecs private (codec.h is not
// installed) and its file reader ignores a codec's failure: a corrupt deflate
// block there is silently a short or garbled block. Here every failure,
// including data that ends inside the stream and bytes after its end, is a
// CorruptDataError.
//
// Thread-safe: no state is shared between calls.

#ifndef SPLITCHECK_LIB_AVRO_INTERNAL_AVRO_CODEC_H_
#define SPLITCHECK_LIB_AVRO_INTERNAL_AVRO_CODEC_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace splitcheck::internal {

enum class AvroCodec { kNull, kDeflate, kSnappy, kXz, kLzma, kBzip2, kZstandard };

// The codec a header's "avro.codec" value names, or nullopt for a name this
// reader does not know. Names are case-sensitive, as in the spec.
std::optional<AvroCodec> avro_codec_named(std::string_view name);

// The name written in a header for `codec`.
std::string_view avro_codec_name(AvroCodec codec);

// The decoded bytes of one block, appended to `out` (cleared first). Throws
// CorruptDataError whose message starts with `where` (the file and offset of
// the block) and says what the codec found wrong. `max_bytes` bounds the
// decoded size: a block that decodes to more is corrupt (a decompression bomb
// or garbage), not an allocation of whatever size the bytes claim.
void decode_avro_block(AvroCodec codec, std::string_view block, std::int64_t max_bytes,
                       const std::string& where, std::string& out);

// decode_avro_block for many blocks of one file: keeps the deflate state
// (zlib's window and tables) from block to block instead of setting it up
// for each. One thread at a time.
class AvroBlockDecoder {
 public:
  explicit AvroBlockDecoder(AvroCodec codec);
  ~AvroBlockDecoder();
  AvroBlockDecoder(const AvroBlockDecoder&) = delete;
  AvroBlockDecoder& operator=(const AvroBlockDecoder&) = delete;

  AvroCodec codec() const { return codec_; }
  void decode(std::string_view block, std::int64_t max_bytes, const std::string& where,
              std::string& out);

 private:
  const AvroCodec codec_;
  void* inflater_ = nullptr;  // a z_stream, for deflate
};

// `data` encoded as `codec` (the writer's side, used by tests and by the
// sink for the codecs avro-c cannot write).
std::string encode_avro_block(AvroCodec codec, std::string_view data);

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_AVRO_INTERNAL_AVRO_CODEC_H_
