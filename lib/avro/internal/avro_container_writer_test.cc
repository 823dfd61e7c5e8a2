#include "splitcheck/lib/avro/internal/avro_container_writer.h"

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/avro/internal/avro_reader.h"
#include "splitcheck/lib/avro/internal/avro_validate.h"
#include "splitcheck/lib/files/in_memory_file_system.h"
#include "splitcheck/testkit/error_matchers.h"

namespace splitcheck::internal {
namespace {

using ::testing::HasSubstr;

// Every block the writer makes is one the reader's checks accept.
TEST(AvroContainerWriter, RecordsOfNoBytesComeInBoundedBlocks) {
  auto fs = std::make_shared<InMemoryFileSystem>();
  const std::string schema = R"({"type": "record", "name": "Empty", "fields": []})";
  {
    AvroContainerWriter writer(fs->create("e.avro"), schema, AvroCodec::kNull, 64000, {},
                               random_avro_sync());
    for (std::int64_t i = 0; i < kAvroZeroByteValues + 10; ++i) writer.append("");
    writer.close();
  }
  AvroByteStream stream(fs->open("e.avro", 0), "e.avro", 0,
                        static_cast<std::int64_t>(fs->read_all("e.avro").size()));
  const AvroHeader header = read_avro_header(stream);
  const AvroSchemaHandle parsed = parse_avro_schema(schema, "test");
  const AvroValidator validator(parsed.get());
  std::int64_t records = 0;
  int blocks = 0;
  while (!stream.at_end()) {
    AvroBlock block;
    read_avro_block(stream, header, 0, block);
    validator.validate(block.data, block.count, "e.avro: ");
    records += block.count;
    ++blocks;
  }
  EXPECT_EQ(records, kAvroZeroByteValues + 10);
  EXPECT_EQ(blocks, 2);
}

TEST(AvroContainerWriter, ARecordLargerThanABlockIsAUsageError) {
  auto fs = std::make_shared<InMemoryFileSystem>();
  AvroContainerWriter writer(fs->create("big.avro"), R"("bytes")", AvroCodec::kNull, 64000, {},
                             random_avro_sync());
  const std::string huge(static_cast<std::size_t>(kMaxAvroWriterBlockBytes) + 1, 'x');
  EXPECT_THAT(testkit::UsageErrorOf([&] { writer.append(huge); }),
              HasSubstr("a block holds at most"));
}

}  // namespace
}  // namespace splitcheck::internal
