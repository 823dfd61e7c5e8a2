#include "splitcheck/lib/avro/avro_sink.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/avro/avro_source.h"
#include "splitcheck/lib/avro/internal/avro_test_files.h"
#include "splitcheck/lib/files/in_memory_file_system.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/testkit/error_matchers.h"
#include "splitcheck/testkit/source_testkit.h"

namespace splitcheck {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAreArray;
using testkit::UsageErrorOf;

AvroSinkOptions Options(std::shared_ptr<InMemoryFileSystem> fs) {
  AvroSinkOptions options;
  options.schema = internal::kUserSchema;
  options.file_system = std::move(fs);
  return options;
}

std::vector<AvroRecord> ReadBack(std::shared_ptr<InMemoryFileSystem> fs, const std::string& glob) {
  AvroSourceOptions options;
  options.file_system = std::move(fs);
  return testkit::read_from_source(*std::make_shared<const AvroSource>(glob, options));
}

TEST(AvroSink, RoundTripsEveryCodecInManyBlocks) {
  const std::vector<AvroRecord> users = internal::test_users(0, 3000);
  for (const char* codec : {"null", "deflate", "snappy", "xz", "lzma", "bzip2", "zstandard"}) {
    auto fs = std::make_shared<InMemoryFileSystem>();
    AvroSinkOptions options = Options(fs);
    options.codec = codec;
    options.num_shards = 3;
    options.sync_interval = 1000;
    LocalRunner().run(WriteToAvro("out/users", options), users);
    EXPECT_THAT(fs->match("out/users-*-of-00003.avro", EmptyMatchTreatment::kDisallow), SizeIs(3));
    EXPECT_THAT(ReadBack(fs, "out/users-*"), UnorderedElementsAreArray(users)) << codec;
  }
}

TEST(AvroSink, WritesTheSchemaCodecAndMetadataInTheHeader) {
  auto fs = std::make_shared<InMemoryFileSystem>();
  AvroSinkOptions options = Options(fs);
  options.shard_name_template = "";
  options.codec = "snappy";
  options.metadata = {{"written.by", "splitcheck"}};
  LocalRunner().run(WriteToAvro("out/one", options), internal::test_users(0, 5));
  const std::string bytes = fs->read_all("out/one.avro");
  EXPECT_EQ(bytes.substr(0, 4), std::string("Obj\x01", 4));
  EXPECT_THAT(bytes, HasSubstr(internal::kUserSchema));
  EXPECT_THAT(bytes, HasSubstr("avro.codec\x0csnappy"));
  EXPECT_THAT(bytes, HasSubstr("splitcheck"));
}

TEST(AvroSink, AnEmptyWriteIsAHeaderOnlyFile) {
  auto fs = std::make_shared<InMemoryFileSystem>();
  AvroSinkOptions options = Options(fs);
  options.shard_name_template = "";
  LocalRunner().run(WriteToAvro("out/none", options), std::vector<AvroRecord>{});
  EXPECT_THAT(ReadBack(fs, "out/none.avro"), ::testing::IsEmpty());
}

TEST(AvroSink, ARecordOfAnotherSchemaIsAUsageError) {
  auto fs = std::make_shared<InMemoryFileSystem>();
  const AvroRecord user = internal::test_users(0, 1)[0];
  // First a sink whose schema the record has, on this thread: the verdict
  // "equal" it remembers is for that sink only.
  const AvroSink users("out/users", Options(fs));
  users.open_writer(users.initialize_write(), "w0")->write(user);
  AvroSinkOptions options = Options(fs);
  options.schema =
      R"({"type": "record", "name": "Other", "fields": [{"name": "id", "type": "long"}]})";
  const AvroSink sink("out/x", options);
  auto writer = sink.open_writer(sink.initialize_write(), "w1");
  EXPECT_THAT(UsageErrorOf([&] { writer->write(user); }), HasSubstr("a record of another schema"));
}

TEST(AvroSink, BadOptionsAreUsageErrors) {
  auto fs = std::make_shared<InMemoryFileSystem>();
  AvroSinkOptions options = Options(fs);
  options.schema = "";
  EXPECT_THAT(UsageErrorOf([&] { AvroSink("out/x", options); }), HasSubstr("schema is empty"));
  options = Options(fs);
  options.codec = "brotli";
  EXPECT_THAT(UsageErrorOf([&] { AvroSink("out/x", options); }),
              HasSubstr("unknown codec \"brotli\""));
  options = Options(fs);
  options.sync_interval = 8;
  EXPECT_THAT(UsageErrorOf([&] { AvroSink("out/x", options); }),
              HasSubstr("sync_interval 8 is outside [32, 2^27]"));
  options = Options(fs);
  options.metadata = {{"avro.codec", "null"}};
  EXPECT_THAT(UsageErrorOf([&] { AvroSink("out/x", options); }), HasSubstr("reserved"));
  options = Options(fs);
  options.schema = "{";
  EXPECT_THAT(UsageErrorOf([&] { AvroSink("out/x", options); }),
              HasSubstr("not an Avro schema avro-c can parse"));
}

TEST(AvroSink, RollsOverAtTheRecordLimit) {
  auto fs = std::make_shared<InMemoryFileSystem>();
  AvroSinkOptions options = Options(fs);
  options.num_shards = 1;
  options.max_records_per_shard = 40;
  const std::vector<AvroRecord> users = internal::test_users(0, 100);
  LocalRunner().run(WriteToAvro("out/r", options), users);
  EXPECT_THAT(fs->match("out/r-*", EmptyMatchTreatment::kDisallow), SizeIs(3));
  EXPECT_THAT(ReadBack(fs, "out/r-*"), UnorderedElementsAreArray(users));
}

}  // namespace
}  // namespace splitcheck
