#include "splitcheck/lib/avro/internal/avro_container.h"

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/avro/internal/avro_test_files.h"
#include "splitcheck/lib/files/in_memory_file_system.h"
#include "splitcheck/testkit/error_matchers.h"

namespace splitcheck::internal {
namespace {

using ::testing::HasSubstr;
using testkit::ErrorOf;

AvroByteStream StreamOver(const std::string& bytes, std::int64_t offset = 0) {
  static auto fs = std::make_shared<InMemoryFileSystem>();
  fs->set_contents("s.avro", bytes);
  return AvroByteStream(fs->open("s.avro", offset), "s.avro", offset,
                        static_cast<std::int64_t>(bytes.size()));
}

TEST(AvroByteStream, ReadsZigZagVarints) {
  for (std::int64_t v :
       {std::int64_t{0}, std::int64_t{-1}, std::int64_t{1}, std::int64_t{63}, std::int64_t{-64},
        std::int64_t{64}, std::int64_t{1} << 40, INT64_MAX, INT64_MIN}) {
    AvroByteStream stream = StreamOver(avro_long(v) + "x");
    EXPECT_EQ(stream.read_long("n"), v);
    EXPECT_EQ(stream.offset(), static_cast<std::int64_t>(avro_long(v).size()));
  }
}

TEST(AvroByteStream, RefusesOverlongAndTruncatedVarints) {
  AvroByteStream overlong = StreamOver(std::string(10, '\xff') + "\x01");
  EXPECT_THAT(ErrorOf<CorruptDataError>([&] { overlong.read_long("count"); }),
              HasSubstr("s.avro: offset 0: the count is not a varint of at most 64 bits"));
  AvroByteStream truncated = StreamOver("ab\x80");
  std::string two;
  truncated.read_bytes(2, "x", two);
  EXPECT_THAT(ErrorOf<CorruptDataError>([&] { truncated.read_long("size"); }),
              HasSubstr("s.avro: offset 2: the file ends inside the size"));
}

TEST(AvroByteStream, FindsTheMarkerAtEveryOffsetAcrossBufferFills) {
  const AvroSync sync{'0', '1', '2', '3', '4', '5', '6', '7',
                      '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  // Around the 64 KiB fill boundary and at 2 and 3 fills.
  for (std::int64_t at : {std::int64_t{0}, std::int64_t{65536 - 16}, std::int64_t{65536 - 15},
                          std::int64_t{65536 - 8}, std::int64_t{65536 - 1}, std::int64_t{65536},
                          std::int64_t{2 * 65536 - 9}, std::int64_t{3 * 65536 - 30}}) {
    for (std::int64_t from : {std::int64_t{0}, std::int64_t{3}}) {
      if (from > at) continue;
      std::string bytes(static_cast<std::size_t>(at) + 100, '.');
      bytes.replace(static_cast<std::size_t>(at), 16, sync.data(), 16);
      AvroByteStream stream = StreamOver(bytes, from);
      EXPECT_EQ(stream.find(sync), at) << "marker at " << at << ", search from " << from;
      EXPECT_EQ(stream.offset(), at);
    }
  }
  AvroByteStream none = StreamOver(std::string(200000, '.'));
  EXPECT_EQ(none.find(sync), std::nullopt);
  EXPECT_TRUE(none.at_end());
}

TEST(AvroHeader, ReadsMetadataCodecAndMarker) {
  const AvroTestFile file = avro_test_file(kUserSchema, test_users(0, 3), 2, AvroCodec::kDeflate);
  AvroByteStream stream = StreamOver(file.bytes);
  const AvroHeader header = read_avro_header(stream);
  EXPECT_EQ(header.schema_json, kUserSchema);
  EXPECT_EQ(header.codec, AvroCodec::kDeflate);
  EXPECT_EQ(header.sync_offset, file.block_positions[0]);
  EXPECT_EQ(stream.offset(), header.sync_offset + 16);
  AvroBlock block;
  read_avro_block(stream, header, header.sync_offset, block);
  EXPECT_EQ(block.count, 2);
  EXPECT_EQ(stream.offset(), file.block_positions[1] + 16);
}

TEST(AvroBlock, AWrongTrailingMarkerOrSizeIsCorrupt) {
  AvroTestFile file = avro_test_file(kUserSchema, test_users(0, 3), 3, AvroCodec::kNull);
  std::string bad = file.bytes;
  bad[bad.size() - 3] ^= 1;
  AvroByteStream stream = StreamOver(bad);
  const AvroHeader header = read_avro_header(stream);
  AvroBlock block;
  EXPECT_THAT(ErrorOf<CorruptDataError>(
                  [&] { read_avro_block(stream, header, header.sync_offset, block); }),
              HasSubstr("offset " + std::to_string(bad.size() - 16) +
                        ": the sync marker after the block is not the header's"));
  std::string huge = file.bytes.substr(0, static_cast<std::size_t>(file.block_positions[0] + 16)) +
                     avro_long(1) + avro_long(kMaxAvroBlockBytes + 1);
  AvroByteStream big = StreamOver(huge);
  const AvroHeader big_header = read_avro_header(big);
  EXPECT_THAT(ErrorOf<CorruptDataError>(
                  [&] { read_avro_block(big, big_header, big_header.sync_offset, block); }),
              HasSubstr("block's byte size 268435457 is corrupt"));
}

}  // namespace
}  // namespace splitcheck::internal
