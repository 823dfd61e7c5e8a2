#include "splitcheck/lib/files/compression.h"

#include <cstdint>
#include <memory>
#include <random>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/files/in_memory_file_system.h"
#include "splitcheck/testkit/error_matchers.h"

namespace splitcheck {
namespace {

using ::splitcheck::testkit::ErrorOf;
using ::splitcheck::testkit::InputErrorOf;
using ::testing::HasSubstr;

std::string compressed(const std::string& bytes, Compression c) {
  InMemoryFileSystem fs;
  auto file = compress(fs.create("x"), c);
  // Several appends, to exercise the streaming path.
  for (std::size_t i = 0; i < bytes.size(); i += 1000) file->append(bytes.substr(i, 1000));
  file->close();
  return *fs.contents("x");
}

std::string decompressed(const std::string& stored, Compression c, std::size_t chunk = 4096) {
  InMemoryFileSystem fs;
  fs.set_contents("data.bin", stored);
  auto file = decompress(fs.open("data.bin", 0), c);
  std::string out;
  std::string buffer(chunk, '\0');
  for (std::size_t n; (n = file->read(buffer.data(), buffer.size())) > 0;) out.append(buffer, 0, n);
  return out;
}

std::string sample(std::size_t n, unsigned seed) {
  std::mt19937 random(seed);
  std::string out;
  while (out.size() < n) {
    out += "line " + std::to_string(random() % 100000) + (random() % 3 == 0 ? "\r\n" : "\n");
  }
  out.resize(n);
  return out;
}

class CodecTest : public ::testing::TestWithParam<Compression> {};

TEST_P(CodecTest, RoundTrips) {
  for (std::size_t n : {0u, 1u, 100u, 100000u, 1000003u}) {
    const std::string bytes = sample(n, static_cast<unsigned>(n));
    const std::string stored = compressed(bytes, GetParam());
    EXPECT_EQ(decompressed(stored, GetParam()), bytes) << n << " bytes";
    EXPECT_EQ(decompressed(stored, GetParam(), 1), bytes) << n << " bytes, 1 byte per read";
  }
}

TEST_P(CodecTest, ConcatenatedStreamsAreReadFully) {
  const std::string a = sample(5000, 1), b = sample(7000, 2);
  EXPECT_EQ(decompressed(compressed(a, GetParam()) + compressed(b, GetParam()), GetParam()), a + b);
}

TEST_P(CodecTest, TruncatedDataIsAnErrorNamingTheFile) {
  const std::string stored = compressed(sample(50000, 3), GetParam());
  for (std::size_t keep : {stored.size() - 1, stored.size() / 2, std::size_t{3}}) {
    const std::string message =
        InputErrorOf([&] { decompressed(stored.substr(0, keep), GetParam()); });
    EXPECT_THAT(message, HasSubstr("\"data.bin\"")) << keep;
    EXPECT_THAT(message, ::testing::AnyOf(HasSubstr("truncated"), HasSubstr("corrupt"))) << keep;
  }
}

TEST_P(CodecTest, CorruptDataIsAnErrorNamingFileAndOffset) {
  std::string stored = compressed(sample(50000, 4), GetParam());
  for (std::size_t i = stored.size() / 3; i < stored.size() / 3 + 64; ++i) stored[i] ^= 0x5a;
  EXPECT_THAT(InputErrorOf([&] { decompressed(stored, GetParam()); }),
              ::testing::AllOf(HasSubstr("\"data.bin\""),
                               HasSubstr("corrupt " + std::string(compression_name(GetParam())))));
}

// The offset named is where decoding failed: near the damage, not the start
// of the buffer the decoder was given.
TEST_P(CodecTest, CorruptDataNamesTheOffsetWhereDecodingFailed) {
  std::string stored = compressed(sample(200000, 5), GetParam());
  const std::size_t damage = 23000;
  ASSERT_GT(stored.size(), damage + 64);
  for (std::size_t i = damage; i < damage + 64; ++i) stored[i] ^= 0x5a;
  const std::string message = ErrorOf<CorruptDataError>([&] { decompressed(stored, GetParam()); });
  const std::string marker = "decoding failed at compressed byte ";
  const auto at = message.find(marker);
  ASSERT_NE(at, std::string::npos) << message;
  const std::int64_t offset = std::stoll(message.substr(at + marker.size()));
  // bzip2 checks a whole block (up to 900 kB) at once, so it can only name
  // the block; the others notice within a few kilobytes.
  if (GetParam() != Compression::kBzip2) {
    EXPECT_GE(offset, static_cast<std::int64_t>(damage) - 4096) << message;
  }
  EXPECT_LE(offset, static_cast<std::int64_t>(stored.size())) << message;
}

TEST_P(CodecTest, CorruptAndTruncatedDataAreNotRetryable) {
  const std::string stored = compressed(sample(50000, 6), GetParam());
  try {
    decompressed(stored.substr(0, stored.size() / 2), GetParam());
    ADD_FAILURE() << "a truncated stream was read without an error";
  } catch (const InputError& e) {
    EXPECT_FALSE(retryable(e)) << e.what();
  }
}

TEST_P(CodecTest, GarbageAfterTheLastStreamIsAnError) {
  const std::string stored = compressed("abc\n", GetParam()) + "trailing junk";
  EXPECT_THAT(InputErrorOf([&] { decompressed(stored, GetParam()); }), HasSubstr("corrupt"));
}

TEST_P(CodecTest, EmptyFileHoldsNoData) { EXPECT_EQ(decompressed("", GetParam()), ""); }

INSTANTIATE_TEST_SUITE_P(AllCodecs, CodecTest,
                         ::testing::Values(Compression::kGzip, Compression::kBzip2,
                                           Compression::kZstd, Compression::kDeflate),
                         [](const auto& info) {
                           return std::string(compression_name(info.param));
                         });

TEST(CompressionTest, ExtensionsPickTheCodec) {
  EXPECT_EQ(compression_for_path("a/b.txt.gz"), Compression::kGzip);
  EXPECT_EQ(compression_for_path("b.bz2"), Compression::kBzip2);
  EXPECT_EQ(compression_for_path("b.zst"), Compression::kZstd);
  EXPECT_EQ(compression_for_path("b.deflate"), Compression::kDeflate);
  EXPECT_EQ(compression_for_path("b.gz.txt"), Compression::kUncompressed);
  EXPECT_EQ(compression_for_path("data.txt.GZ"), Compression::kGzip);
  EXPECT_EQ(compression_for_path("B.Bz2"), Compression::kBzip2);
  EXPECT_EQ(compression_for_path("b.ZST"), Compression::kZstd);
  EXPECT_EQ(compression_for_path("b.Deflate"), Compression::kDeflate);
  EXPECT_EQ(resolve_compression(Compression::kAuto, "x.zst"), Compression::kZstd);
  EXPECT_EQ(resolve_compression(Compression::kGzip, "x.txt"), Compression::kGzip);
}

TEST(CompressionTest, ContentIsKnownByItsFirstBytes) {
  for (const Compression c : {Compression::kGzip, Compression::kBzip2, Compression::kZstd}) {
    EXPECT_EQ(compression_for_content(compressed("some text\n", c)), c) << compression_name(c);
    EXPECT_EQ(compression_for_content(compressed("", c)), c) << compression_name(c);
  }
  // deflate has no magic of its own; text never looks compressed.
  EXPECT_EQ(compression_for_content(compressed("x", Compression::kDeflate)),
            Compression::kUncompressed);
  EXPECT_EQ(compression_for_content("BZh9 is how this line starts"), Compression::kUncompressed);
  EXPECT_EQ(compression_for_content(""), Compression::kUncompressed);
}

TEST(CompressionTest, AutoDecompressesByThePathOfTheFile) {
  InMemoryFileSystem fs;
  fs.set_contents("d.gz", compressed("hello\n", Compression::kGzip));
  auto file = decompress(fs.open("d.gz", 0), Compression::kAuto);
  char buffer[16];
  EXPECT_EQ(std::string(buffer, file->read(buffer, sizeof buffer)), "hello\n");
}

TEST(CompressionTest, NotGzipAtAllIsCorrupt) {
  EXPECT_THAT(InputErrorOf([&] { decompressed("plain text, not gzip", Compression::kGzip); }),
              HasSubstr("corrupt gzip data: decoding failed at compressed byte 2"));
}

}  // namespace
}  // namespace splitcheck
