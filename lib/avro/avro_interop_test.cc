// Files written by other Avro implementations are read with identical
// records: avro-c's own file writer (every codec it has) and Debian's
// python3-avro (null, deflate and bzip2, the codecs it has), read whole,
// through the runner, and split at many offsets; and python3-avro reads what
// WriteToAvro writes.

#include <avro.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/avro/avro_sink.h"
#include "splitcheck/lib/avro/avro_source.h"
#include "splitcheck/lib/avro/internal/avro_reader.h"
#include "splitcheck/lib/avro/internal/avro_test_files.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/testkit/source_testkit.h"

namespace splitcheck {
namespace {

using ::testing::UnorderedElementsAreArray;
using Position = ConcatPosition<std::int64_t>;

const std::string kPython = "/usr/bin/python3 lib/avro/testdata/python_avro.py";

std::string TempDir(const std::string& name) {
  const char* root = std::getenv("TEST_TMPDIR");
  const std::filesystem::path dir = std::filesystem::path(root != nullptr ? root : "/tmp") / name;
  std::filesystem::create_directories(dir);
  return dir.string();
}

// Reads `path` whole, and as two ranges split at every `step`-th offset.
void ExpectReadsAs(const std::string& path, const std::vector<AvroRecord>& expected,
                   std::int64_t step) {
  const auto source = std::make_shared<const AvroSource>(path, AvroSourceOptions{});
  ASSERT_EQ(testkit::read_from_source(*source), expected) << path;
  const std::int64_t size = source->files()[0].size_bytes();
  for (std::int64_t split = 0; split <= size; split += step) {
    std::vector<AvroRecord> both =
        testkit::read_from_source(*source, Position{0, 0}, Position{0, split});
    for (AvroRecord& r :
         testkit::read_from_source(*source, Position{0, split}, Position{0, size})) {
      both.push_back(std::move(r));
    }
    ASSERT_EQ(both.size(), expected.size()) << path << " split at " << split;
    ASSERT_EQ(both, expected) << path << " split at " << split;
  }
}

TEST(AvroInterop, ReadsWhatAvroCsFileWriterWrites) {
  const std::vector<AvroRecord> users = internal::test_users(0, 2000);
  const internal::AvroSchemaHandle schema =
      internal::parse_avro_schema(internal::kUserSchema, "test");
  const std::string dir = TempDir("avro_c");
  for (const char* codec : {"null", "deflate", "snappy", "lzma"}) {
    const std::string path = dir + "/users-" + codec + ".avro";
    avro_file_writer_t writer;
    // 4 KiB blocks: many of them.
    ASSERT_EQ(avro_file_writer_create_with_codec(path.c_str(), schema.get(), &writer, codec, 4096),
              0)
        << avro_strerror();
    for (const AvroRecord& user : users) {
      ASSERT_EQ(avro_file_writer_append_value(writer, user.value()), 0) << avro_strerror();
    }
    ASSERT_EQ(avro_file_writer_close(writer), 0);
    ExpectReadsAs(path, users, 61);
  }
}

TEST(AvroInterop, ReadsWhatPythonAvroWrites) {
  const std::string dir = TempDir("python");
  ASSERT_EQ(std::system((kPython + " write " + dir + " 1000").c_str()), 0)
      << "python3-avro (installed by ./bazelw) could not write the files";
  const std::vector<AvroRecord> users = internal::test_users(0, 1000);
  for (const char* codec : {"null", "deflate", "bzip2"}) {
    ExpectReadsAs(dir + "/users-" + std::string(codec) + ".avro", users, 53);
  }
  LocalRunner runner;
  std::vector<AvroRecord> all;
  for (int i = 0; i < 3; ++i) all.insert(all.end(), users.begin(), users.end());
  EXPECT_THAT(runner.run(ReadFromAvro(dir + "/users-*.avro")).records,
              UnorderedElementsAreArray(all));
}

TEST(AvroInterop, PythonAvroReadsWhatWriteToAvroWrites) {
  const std::vector<AvroRecord> users = internal::test_users(0, 1500);
  for (const char* codec : {"null", "deflate", "bzip2"}) {
    const std::string dir = TempDir(std::string("ours-") + codec);
    AvroSinkOptions options;
    options.schema = internal::kUserSchema;
    options.codec = codec;
    options.num_shards = 3;
    options.sync_interval = 2000;
    LocalRunner().run(WriteToAvro(dir + "/users", options), users);
    std::string command = kPython + " check 1500";
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      command += " " + entry.path().string();
    }
    command += " > " + dir + "/python.out";
    EXPECT_EQ(std::system(command.c_str()), 0) << codec << ": " << command;
    std::ifstream out(dir + "/python.out");
    std::string line;
    std::getline(out, line);
    EXPECT_EQ(line, "ok 1500") << codec;
  }
}

}  // namespace
}  // namespace splitcheck
