#include "splitcheck/lib/avro/avro_source.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/avro/internal/avro_test_files.h"
#include "splitcheck/lib/files/in_memory_file_system.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/lib/trackers/offset_range_tracker.h"
#include "splitcheck/testkit/error_matchers.h"
#include "splitcheck/testkit/source_testkit.h"

namespace splitcheck {
namespace {

using internal::avro_test_file;
using internal::AvroCodec;
using internal::AvroTestFile;
using internal::kUserSchema;
using internal::test_users;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAreArray;
using testkit::ErrorOf;
using testkit::read_from_source;

using Position = ConcatPosition<std::int64_t>;

std::shared_ptr<const AvroSource> SourceOver(const std::string& bytes,
                                             AvroSourceOptions options = {}) {
  auto fs = std::make_shared<InMemoryFileSystem>();
  fs->set_contents("f.avro", bytes);
  options.file_system = fs;
  return std::make_shared<const AvroSource>("f.avro", options);
}

std::vector<AvroRecord> ReadRange(const AvroSource& source, std::int64_t start, std::int64_t stop) {
  return read_from_source(source, Position{0, start}, Position{0, stop});
}

TEST(AvroSource, ReadsEveryCodec) {
  const std::vector<AvroRecord> users = test_users(0, 100);
  for (AvroCodec codec : {AvroCodec::kNull, AvroCodec::kDeflate, AvroCodec::kSnappy, AvroCodec::kXz,
                          AvroCodec::kLzma, AvroCodec::kBzip2, AvroCodec::kZstandard}) {
    const auto source = SourceOver(avro_test_file(kUserSchema, users, 7, codec).bytes);
    EXPECT_EQ(read_from_source(*source), users) << internal::avro_codec_name(codec);
  }
}

TEST(AvroSource, EverySplitOffsetReadsEachRecordOnce) {
  const std::vector<AvroRecord> users = test_users(0, 30);
  for (AvroCodec codec : {AvroCodec::kNull, AvroCodec::kDeflate}) {
    const AvroTestFile file = avro_test_file(kUserSchema, users, 4, codec);
    const auto source = SourceOver(file.bytes);
    const auto size = static_cast<std::int64_t>(file.bytes.size());
    for (std::int64_t split = 0; split <= size; ++split) {
      std::vector<AvroRecord> both = ReadRange(*source, 0, split);
      for (AvroRecord& r : ReadRange(*source, split, size)) both.push_back(std::move(r));
      ASSERT_EQ(both, users) << internal::avro_codec_name(codec) << " split at " << split;
    }
  }
}

TEST(AvroSource, ARangeReadsTheBlocksWhoseMarkerStartsInIt) {
  const std::vector<AvroRecord> users = test_users(0, 12);
  const AvroTestFile file = avro_test_file(kUserSchema, users, 3, AvroCodec::kNull);
  ASSERT_EQ(file.block_positions.size(), 4u);
  const auto source = SourceOver(file.bytes);
  const std::int64_t second = file.block_positions[1];
  // [second, second + 1) holds the start of the second block's marker only.
  EXPECT_EQ(ReadRange(*source, second, second + 1),
            std::vector<AvroRecord>(users.begin() + 3, users.begin() + 6));
  EXPECT_EQ(ReadRange(*source, second + 1, file.block_positions[2]), std::vector<AvroRecord>{});
  EXPECT_EQ(ReadRange(*source, 0, file.block_positions[0]), std::vector<AvroRecord>{});
  EXPECT_EQ(ReadRange(*source, 0, file.block_positions[0] + 1),
            std::vector<AvroRecord>(users.begin(), users.begin() + 3));
}

TEST(AvroSource, FindsAMarkerThatStraddlesTheSearchBuffer) {
  // Blocks of ~66 KiB, more than the 64 KiB search window: a reader that
  // starts up to 64 KiB before a marker has it straddle its first window's
  // end.
  const std::vector<AvroRecord> users = test_users(0, 400, 1000);
  const AvroTestFile file = avro_test_file(kUserSchema, users, 65, AvroCodec::kNull);
  const auto source = SourceOver(file.bytes);
  const auto size = static_cast<std::int64_t>(file.bytes.size());
  int cases = 0;
  for (std::size_t b = 1; b < file.block_positions.size(); ++b) {
    const std::int64_t marker = file.block_positions[b];
    for (std::int64_t straddle = 1; straddle < 16; straddle += 7) {
      const std::int64_t start = marker + straddle - 65536;
      ASSERT_GT(start, file.block_positions[b - 1]);
      ++cases;
      std::vector<AvroRecord> got = ReadRange(*source, start, size);
      EXPECT_EQ(got, std::vector<AvroRecord>(users.begin() + static_cast<std::ptrdiff_t>(b * 65),
                                             users.end()))
          << "start " << start << ", marker " << marker;
    }
  }
  EXPECT_EQ(cases, 3 * (static_cast<int>(file.block_positions.size()) - 1));
}

TEST(AvroSource, ReadsEachHeaderOncePerSource) {
  const std::vector<AvroRecord> users = test_users(0, 30);
  const AvroTestFile file = avro_test_file(kUserSchema, users, 3, AvroCodec::kDeflate);
  internal::AvroHeaderCache cache;
  auto fs = std::make_shared<InMemoryFileSystem>();
  fs->set_contents("f.avro", file.bytes);
  const SourceFile source_file(fs, *fs->stat("f.avro"), Compression::kUncompressed);
  std::vector<AvroRecord> all;
  const auto size = static_cast<std::int64_t>(file.bytes.size());
  for (std::int64_t start = 0; start < size; start += 50) {
    OffsetRangeTracker tracker(start, std::min(size, start + 50));
    for (const AvroRecord& r : internal::read_avro_range(source_file, tracker, nullptr, &cache)) {
      all.push_back(r);
    }
  }
  EXPECT_EQ(all, users);
  EXPECT_EQ(cache.reads(), 1);
}

TEST(AvroSource, ReaderSchemaResolves) {
  const std::vector<AvroRecord> users = test_users(0, 10);
  AvroSourceOptions options;
  options.reader_schema =
      R"({"type": "record", "name": "User", "fields": [{"name": "name", "type": "string"},)"
      R"( {"name": "id", "type": "double"}]})";
  const auto source =
      SourceOver(avro_test_file(kUserSchema, users, 3, AvroCodec::kDeflate).bytes, options);
  const std::vector<AvroRecord> got = read_from_source(*source);
  ASSERT_EQ(got.size(), 10u);
  EXPECT_EQ(got[4].get<std::string>("name"), "user-4");
  EXPECT_EQ(got[4].get<double>("id"), 4.0);
  EXPECT_THAT(testkit::UsageErrorOf([&] { got[4].get<double>("score"); }),
              HasSubstr("no such field"));
}

TEST(AvroSource, ASchemaThatDoesNotResolveNamesTheFile) {
  AvroSourceOptions options;
  options.reader_schema =
      R"({"type": "record", "name": "User", "fields": [{"name": "id", "type": "string"}]})";
  const auto source =
      SourceOver(avro_test_file(kUserSchema, test_users(0, 3), 3, AvroCodec::kNull).bytes, options);
  const std::string message = ErrorOf<CorruptDataError>([&] { read_from_source(*source); });
  EXPECT_THAT(message, HasSubstr("f.avro: offset 0: the file's schema does not resolve"));
}

TEST(AvroSource, AReaderSchemaAvroCannotParseIsAUsageError) {
  AvroSourceOptions options;
  options.reader_schema = R"({"type": "recrod"})";
  EXPECT_THAT(testkit::UsageErrorOf([&] { SourceOver("", options); }),
              HasSubstr("AvroSource reader_schema: not an Avro schema"));
}

TEST(AvroSource, BadHeadersNameTheFileAndOffset) {
  const std::string good = avro_test_file(kUserSchema, test_users(0, 3), 3, AvroCodec::kNull).bytes;
  struct Case {
    std::string bytes;
    std::string message;
  };
  std::string unknown_codec = good;
  unknown_codec.replace(unknown_codec.find("null"), 4, "lz4x");
  const std::vector<Case> cases = {
      {"", "f.avro: offset 0: the magic needs 4 bytes, but the file has 0 left"},
      {"PAR1....", "f.avro: offset 0: not an Avro object container file"},
      {unknown_codec, "f.avro: offset 0: unknown codec \"lz4x\""},
      {std::string("Obj\x01", 4) + internal::avro_long(0) + std::string(16, 's'),
       "f.avro: offset 0: the header has no \"avro.schema\""},
      {std::string("Obj\x01", 4) + internal::avro_long(1) + internal::avro_long(11) +
           "avro.schema" + internal::avro_long(5) + "{bad}" + internal::avro_long(0) +
           std::string(16, 's'),
       "f.avro: offset 0: the header's schema"},
      {std::string("Obj\x01", 4) + internal::avro_long(1) + internal::avro_long(1000),
       "f.avro: offset 7: the metadata key needs 1000 bytes, but the file has 0 left"},
  };
  for (const Case& c : cases) {
    const auto source = SourceOver(c.bytes);
    EXPECT_THAT(ErrorOf<CorruptDataError>([&] { read_from_source(*source); }),
                HasSubstr(c.message));
  }
}

// A file cut at every offset: an error naming the file and an offset, or
// (cut just after a block's marker) exactly the blocks before the cut.
TEST(AvroSource, EveryTruncationIsAnErrorOrWholeBlocks) {
  const std::vector<AvroRecord> users = test_users(0, 20);
  for (AvroCodec codec : {AvroCodec::kNull, AvroCodec::kDeflate, AvroCodec::kSnappy}) {
    const AvroTestFile file = avro_test_file(kUserSchema, users, 6, codec);
    for (std::size_t n = 0; n < file.bytes.size(); ++n) {
      const auto source = SourceOver(file.bytes.substr(0, n));
      try {
        const std::vector<AvroRecord> got = read_from_source(*source);
        // Only a cut right after a marker is a valid, shorter file.
        std::size_t blocks = 0;
        bool at_boundary = false;
        for (std::size_t b = 0; b < file.block_positions.size(); ++b) {
          if (static_cast<std::int64_t>(n) == file.block_positions[b] + 16) {
            at_boundary = true;
            blocks = b;
          }
        }
        ASSERT_TRUE(at_boundary) << "cut at " << n << " read " << got.size() << " records";
        ASSERT_EQ(got.size(), std::min(users.size(), blocks * 6)) << "cut at " << n;
      } catch (const CorruptDataError& e) {
        ASSERT_THAT(e.what(), HasSubstr("f.avro: offset ")) << "cut at " << n;
      }
    }
  }
}

// Every byte flipped: an error naming the file and an offset, or records
// (deflate and null have no checksum, and a flip in the header's schema can
// make another valid schema); never a crash. With snappy's checksum, every
// flip from the header's sync marker on is caught.
TEST(AvroSource, EveryFlippedByteIsAnErrorOrRecords) {
  const std::vector<AvroRecord> users = test_users(0, 20);
  for (AvroCodec codec : {AvroCodec::kNull, AvroCodec::kDeflate, AvroCodec::kSnappy}) {
    const AvroTestFile file = avro_test_file(kUserSchema, users, 6, codec);
    for (std::size_t i = 0; i < file.bytes.size(); ++i) {
      std::string bad = file.bytes;
      bad[i] = static_cast<char>(bad[i] ^ 0x41);
      const auto source = SourceOver(bad);
      const bool must_fail =
          codec == AvroCodec::kSnappy && static_cast<std::int64_t>(i) >= file.block_positions[0];
      try {
        read_from_source(*source);
        ASSERT_FALSE(must_fail) << "snappy, byte " << i << " flipped, read without an error";
      } catch (const CorruptDataError& e) {
        ASSERT_THAT(e.what(), HasSubstr("f.avro: offset ")) << "byte " << i;
      }
    }
  }
}

TEST(AvroSource, ACorruptRecordCountIsCaught) {
  // One record fewer than the block holds: avro-c would read the first five
  // and drop the sixth silently; the block's bytes are not used up.
  const std::vector<AvroRecord> users = test_users(0, 6);
  AvroTestFile file = avro_test_file(kUserSchema, users, 6, AvroCodec::kNull);
  const auto count_at = static_cast<std::size_t>(file.block_positions[0] + 16);
  ASSERT_EQ(file.bytes[count_at], internal::avro_long(6)[0]);
  file.bytes[count_at] = internal::avro_long(5)[0];
  const auto source = SourceOver(file.bytes);
  EXPECT_THAT(ErrorOf<CorruptDataError>([&] { read_from_source(*source); }),
              HasSubstr("16 bytes are left after the block's 5 records"));
}

// avro-c writes one byte before a zero-size allocation for a string length
// of -1 (asan: heap-buffer-overflow); the lengths are checked before it
// decodes anything.
TEST(AvroSource, NegativeLengthsNeverReachAvroC) {
  AvroTestFile file = avro_test_file(kUserSchema, test_users(0, 1), 1, AvroCodec::kNull);
  // The block: count 1, size, then id (1 byte: 0), then the name's length.
  const auto name_length_at = static_cast<std::size_t>(file.block_positions[0] + 16 + 3);
  ASSERT_EQ(file.bytes[name_length_at], internal::avro_long(6)[0]);
  file.bytes[name_length_at] = internal::avro_long(-1)[0];
  const auto source = SourceOver(file.bytes);
  EXPECT_THAT(ErrorOf<CorruptDataError>([&] { read_from_source(*source); }),
              HasSubstr("record 0 of the block, decoded byte 1: a negative string or bytes "
                        "length, -1"));
}

// avro-c makes as many values as a count says; values that encode to no
// bytes would let a few bytes stand for billions of them.
TEST(AvroSource, CountsOfValuesThatTakeNoBytesAreBounded) {
  const internal::AvroSync sync{'s', 's', 's', 's', 's', 's', 's', 's',
                                's', 's', 's', 's', 's', 's', 's', 's'};
  const std::string marker(sync.data(), sync.size());
  const std::string nulls =
      internal::avro_container_header(R"("null")", AvroCodec::kNull, {}, sync) +
      internal::avro_long(INT32_MAX) + internal::avro_long(0) + marker;
  EXPECT_THAT(ErrorOf<CorruptDataError>([&] { read_from_source(*SourceOver(nulls)); }),
              HasSubstr("the block's record count of 2147483647 values, with 0 bytes left and "
                        "past the block's budget"));
  const std::string items = internal::avro_long(std::int64_t{1} << 40) + internal::avro_long(0);
  const std::string array = internal::avro_container_header(R"({"type": "array", "items": "null"})",
                                                            AvroCodec::kNull, {}, sync) +
                            internal::avro_long(1) +
                            internal::avro_long(static_cast<std::int64_t>(items.size())) + items +
                            marker;
  EXPECT_THAT(ErrorOf<CorruptDataError>([&] { read_from_source(*SourceOver(array)); }),
              HasSubstr("an array block of 1099511627776 values"));
}

TEST(AvroSource, ACorruptBlockFailsOnlyTheReaderThatOwnsIt) {
  const std::vector<AvroRecord> users = test_users(0, 12);
  AvroTestFile file = avro_test_file(kUserSchema, users, 3, AvroCodec::kSnappy);
  // Damage the third block's data.
  file.bytes[static_cast<std::size_t>(file.block_positions[2]) + 20] ^= 0x7f;
  const auto source = SourceOver(file.bytes);
  const auto size = static_cast<std::int64_t>(file.bytes.size());
  EXPECT_EQ(ReadRange(*source, 0, file.block_positions[2]),
            std::vector<AvroRecord>(users.begin(), users.begin() + 6));
  EXPECT_EQ(ReadRange(*source, file.block_positions[3], size),
            std::vector<AvroRecord>(users.begin() + 9, users.end()));
  EXPECT_THAT(ErrorOf<CorruptDataError>(
                  [&] { ReadRange(*source, file.block_positions[2], file.block_positions[3]); }),
              HasSubstr("f.avro: offset "));
}

TEST(AvroSource, GlobsAndTheRunner) {
  auto fs = std::make_shared<InMemoryFileSystem>();
  std::vector<AvroRecord> all;
  for (int f = 0; f < 3; ++f) {
    const std::vector<AvroRecord> users = test_users(f * 100, 50);
    fs->set_contents("in/part-" + std::to_string(f) + ".avro",
                     avro_test_file(kUserSchema, users, 5, AvroCodec::kDeflate).bytes);
    all.insert(all.end(), users.begin(), users.end());
  }
  AvroSourceOptions options;
  options.file_system = fs;
  RunnerOptions runner_options;
  runner_options.num_workers = 2;
  runner_options.desired_bundle_size = 100;
  LocalRunner runner(runner_options);
  EXPECT_THAT(runner.run(ReadFromAvro("in/*.avro", options)).records,
              UnorderedElementsAreArray(all));
  EXPECT_THAT(runner.run(ReadAllFromAvro({"in/part-0.avro", "in/part-2.avro"}, options)).records,
              ::testing::SizeIs(100));
}

struct User {
  std::int64_t id;
  std::string name;
  friend bool operator==(const User&, const User&) = default;
  friend std::ostream& operator<<(std::ostream& os, const User& u) {
    return os << u.id << ":" << u.name;
  }
};

TEST(AvroSource, TypedConvenience) {
  auto fs = std::make_shared<InMemoryFileSystem>();
  fs->set_contents("u.avro",
                   avro_test_file(kUserSchema, test_users(0, 4), 2, AvroCodec::kNull).bytes);
  AvroSourceOptions options;
  options.file_system = fs;
  LocalRunner runner;
  const std::vector<User> users =
      runner
          .run(ReadFromAvroAs<User>(
              "u.avro",
              [](const AvroRecord& r) {
                return User{r.get<std::int64_t>("id"), r.get<std::string>("name")};
              },
              options))
          .records;
  EXPECT_THAT(users, UnorderedElementsAreArray(std::vector<User>{
                         {0, "user-0"}, {1, "user-1"}, {2, "user-2"}, {3, "user-3"}}));
}

}  // namespace
}  // namespace splitcheck
