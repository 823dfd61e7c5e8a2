#include "splitcheck/lib/avro/internal/avro_codec.h"

#include <zlib.h>

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/testkit/error_matchers.h"

namespace splitcheck::internal {
namespace {

using ::testing::HasSubstr;
using testkit::ErrorOf;

constexpr AvroCodec kAll[] = {AvroCodec::kNull,     AvroCodec::kDeflate, AvroCodec::kSnappy,
                              AvroCodec::kXz,       AvroCodec::kLzma,    AvroCodec::kBzip2,
                              AvroCodec::kZstandard};
constexpr AvroCodec kCompressing[] = {AvroCodec::kDeflate, AvroCodec::kSnappy,
                                      AvroCodec::kXz,      AvroCodec::kLzma,
                                      AvroCodec::kBzip2,   AvroCodec::kZstandard};

std::string sample() {
  std::string s;
  for (int i = 0; i < 5000; ++i) s += "record " + std::to_string(i * 7919 % 1000) + ";";
  return s;
}

TEST(AvroCodec, NamesRoundTrip) {
  for (AvroCodec codec : kAll) EXPECT_EQ(avro_codec_named(avro_codec_name(codec)), codec);
  EXPECT_EQ(avro_codec_named("Deflate"), std::nullopt);
  EXPECT_EQ(avro_codec_named("brotli"), std::nullopt);
}

TEST(AvroCodec, EveryCodecRoundTrips) {
  const std::string data = sample();
  for (AvroCodec codec : kAll) {
    std::string out;
    decode_avro_block(codec, encode_avro_block(codec, data), 1 << 20, "f", out);
    EXPECT_EQ(out, data) << avro_codec_name(codec);
    decode_avro_block(codec, encode_avro_block(codec, ""), 1 << 20, "f", out);
    EXPECT_EQ(out, "") << avro_codec_name(codec);
  }
}

TEST(AvroCodec, EveryTruncationIsCorruptData) {
  const std::string data = sample();
  for (AvroCodec codec : kCompressing) {
    const std::string block = encode_avro_block(codec, data);
    for (std::size_t n = 0; n < block.size(); n += 1 + block.size() / 97) {
      std::string out;
      const std::string message = ErrorOf<CorruptDataError>(
          [&] { decode_avro_block(codec, block.substr(0, n), 1 << 20, "f.avro: offset 9", out); });
      EXPECT_THAT(message, HasSubstr("f.avro: offset 9: ")) << avro_codec_name(codec) << " " << n;
      EXPECT_THAT(message, HasSubstr(std::string(avro_codec_name(codec)) + " block"));
    }
  }
}

TEST(AvroCodec, TrailingBytesAreCorruptData) {
  for (AvroCodec codec :
       {AvroCodec::kDeflate, AvroCodec::kXz, AvroCodec::kLzma, AvroCodec::kBzip2}) {
    std::string out;
    EXPECT_THAT(ErrorOf<CorruptDataError>([&] {
                  decode_avro_block(codec, encode_avro_block(codec, "abc") + "zz", 100, "f", out);
                }),
                HasSubstr("after the end"))
        << avro_codec_name(codec);
  }
}

// What Python's avro writes: zlib's stream without its 2-byte header and
// last byte.
TEST(AvroCodec, DeflateAcceptsAndChecksPythonsAdlerTail) {
  const std::string data = sample();
  std::string zlib(compressBound(static_cast<uLong>(data.size())), '\0');
  uLongf length = zlib.size();
  ASSERT_EQ(compress(reinterpret_cast<Bytef*>(zlib.data()), &length,
                     reinterpret_cast<const Bytef*>(data.data()), data.size()),
            Z_OK);
  const std::string python = zlib.substr(2, length - 3);
  std::string out;
  decode_avro_block(AvroCodec::kDeflate, python, 1 << 20, "f", out);
  EXPECT_EQ(out, data);
  std::string bad = python;
  bad.back() ^= 1;
  EXPECT_THAT(ErrorOf<CorruptDataError>(
                  [&] { decode_avro_block(AvroCodec::kDeflate, bad, 1 << 20, "f", out); }),
              HasSubstr("3 bytes after the end of the deflate stream that are not its Adler-32"));
}

TEST(AvroCodec, SnappyChecksumIsChecked) {
  std::string block = encode_avro_block(AvroCodec::kSnappy, sample());
  block.back() ^= 1;
  std::string out;
  EXPECT_THAT(ErrorOf<CorruptDataError>(
                  [&] { decode_avro_block(AvroCodec::kSnappy, block, 1 << 20, "f", out); }),
              HasSubstr("checksum mismatch"));
}

TEST(AvroCodec, FlippedBytesNeverPassSilentlyWhereTheCodecChecks) {
  // deflate has no checksum and may decode a flipped byte to other bytes;
  // the others (xz's CRC-64, snappy's CRC-32, bzip2's block CRC, zstd's
  // structure) must refuse or, for zstd without a checksum, at least never
  // crash. Every outcome is a CorruptDataError or a decode.
  const std::string data = sample();
  for (AvroCodec codec : kCompressing) {
    const std::string block = encode_avro_block(codec, data);
    for (std::size_t i = 0; i < block.size(); i += 1 + block.size() / 61) {
      std::string bad = block;
      bad[i] ^= 0x10;
      std::string out;
      try {
        decode_avro_block(codec, bad, 1 << 20, "f", out);
        if (codec == AvroCodec::kSnappy || codec == AvroCodec::kXz || codec == AvroCodec::kBzip2) {
          EXPECT_EQ(out, data) << avro_codec_name(codec) << " byte " << i;
        }
      } catch (const CorruptDataError&) {
      }
    }
  }
}

TEST(AvroCodec, DecodedSizeIsBounded) {
  const std::string zeros(1 << 20, '\0');
  for (AvroCodec codec : kAll) {
    std::string out;
    EXPECT_THAT(ErrorOf<CorruptDataError>([&] {
                  decode_avro_block(codec, encode_avro_block(codec, zeros), 1000, "f", out);
                }),
                HasSubstr("decodes to more than 1000 bytes"))
        << avro_codec_name(codec);
  }
}

}  // namespace
}  // namespace splitcheck::internal
