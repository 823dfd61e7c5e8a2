// FileBasedSource with a subclass that implements only read_records: a
// fixed-width record format (every 4 bytes is a record). Covers what
// TextSource does not: the guide's subclass shape, splittable = false, and
// sub-sources outliving their parent.

#include "splitcheck/lib/sources/file_based_source.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/files/in_memory_file_system.h"
#include "splitcheck/lib/sources/source_coder.h"
#include "splitcheck/testkit/error_matchers.h"
#include "splitcheck/testkit/source_testkit.h"

namespace splitcheck {
namespace {

using ::splitcheck::testkit::UsageErrorOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr std::int64_t kWidth = 4;

class FixedWidthSource final : public FileBasedSource<std::string> {
 public:
  using FileBasedSource::FileBasedSource;
  explicit FixedWidthSource(Matched matched) : FileBasedSource(std::move(matched)) {}

  // Serializable: the format has no options of its own, only its tag.
  SourceDecoder<std::string, Position> decoder() const override {
    return file_decoder([](Matched matched, ByteReader& in) {
      in.expect_tag("FixedWidthSource");
      return std::make_shared<const FixedWidthSource>(std::move(matched));
    });
  }

 protected:
  void encode_format(ByteWriter& out) const override { out.put_string("FixedWidthSource"); }

  Generator<std::string> read_records(const SourceFile& file,
                                      RangeTracker<std::int64_t>& tracker) const override {
    // The first record at or after the range's start.
    std::int64_t at = (tracker.start_position() + kWidth - 1) / kWidth * kWidth;
    auto stream = file.open(at);
    std::string record(kWidth, '\0');
    for (;; at += kWidth) {
      std::size_t have = 0;
      while (have < record.size()) {
        const std::size_t got = stream->read(record.data() + have, record.size() - have);
        if (got == 0) break;
        have += got;
      }
      if (have == 0) break;  // the end of the file
      if (!tracker.try_claim(at)) co_return;
      record.resize(have);
      co_yield std::string(record);
      record.resize(kWidth);
    }
    if (at >= tracker.stop_position()) tracker.try_claim(at);
  }
};

// A format that forgot encode_format: not serializable, and said so.
class NoFormatSource final : public FileBasedSource<std::string> {
 public:
  using FileBasedSource::FileBasedSource;

 protected:
  Generator<std::string> read_records(const SourceFile&,
                                      RangeTracker<std::int64_t>& tracker) const override {
    tracker.try_claim(tracker.stop_position());
    co_return;
  }
};

class FileBasedSourceTest : public ::testing::Test {
 protected:
  std::shared_ptr<const FixedWidthSource> source(FileBasedSourceOptions options = {}) {
    options.file_system = fs_;
    return std::make_shared<const FixedWidthSource>("f/*", options);
  }
  std::shared_ptr<InMemoryFileSystem> fs_ = std::make_shared<InMemoryFileSystem>();
};

TEST_F(FileBasedSourceTest, SubclassReadsEveryFile) {
  fs_->set_contents("f/1", "aaaabbbbcc");
  fs_->set_contents("f/2", "dddd");
  auto fixed = source();
  EXPECT_THAT(testkit::read_from_source(*fixed), ElementsAre("aaaa", "bbbb", "cc", "dddd"));
  EXPECT_EQ(fixed->estimate_size(), 14);
  EXPECT_EQ(fixed->files().size(), 2u);
}

TEST_F(FileBasedSourceTest, PassesTheConformanceChecks) {
  std::string bytes;
  for (int i = 0; i < 30; ++i) bytes += std::string(kWidth, static_cast<char>('a' + i % 26));
  fs_->set_contents("f/1", bytes);
  fs_->set_contents("f/2", bytes.substr(0, 41));
  testkit::SourceConformanceOptions options;
  options.schedules.seed = 1;
  const testkit::SourceFactory<std::string, ConcatPosition<std::int64_t>> factory = [this] {
    return source();
  };
  for (const testkit::CheckResult& result : testkit::check_source_conformance(factory, options)) {
    EXPECT_TRUE(result.ok()) << result;
  }
}

TEST_F(FileBasedSourceTest, AFormatWithoutEncodeFormatIsNotSerializable) {
  fs_->set_contents("f/1", "aaaa");
  FileBasedSourceOptions options;
  options.file_system = fs_;
  const auto source = std::make_shared<const NoFormatSource>("f/*", options);
  EXPECT_THAT(UsageErrorOf([&] { encode_source(*source); }),
              HasSubstr("encode_format() is not implemented"));
  EXPECT_FALSE(source->decoder());
}

// Every option but the file system is encoded; the matched files are, and
// are not matched again.
TEST_F(FileBasedSourceTest, ADecodedSourceHasTheOptionsAndFiles) {
  fs_->set_contents("f/1", "aaaabbbb");
  FileBasedSourceOptions options;
  options.min_bundle_size = 4;
  options.splittable = false;
  options.empty_match = EmptyMatchTreatment::kAllow;
  const auto original = source(options);
  fs_->set_contents("f/2", "cccc");
  const auto decoded = decode_source(encode_source(*original), original->decoder());
  const auto& fixed = dynamic_cast<const FixedWidthSource&>(*decoded);
  EXPECT_EQ(fixed.files().size(), 1u);
  EXPECT_EQ(fixed.options().min_bundle_size, 4);
  EXPECT_FALSE(fixed.options().splittable);
  EXPECT_EQ(fixed.options().empty_match, EmptyMatchTreatment::kAllow);
  EXPECT_EQ(fixed.options().file_system, fs_);
  EXPECT_THAT(testkit::read_from_source(*decoded), ElementsAre("aaaa", "bbbb"));
}

TEST_F(FileBasedSourceTest, UnsplittableSourceReadsEachFileWhole) {
  fs_->set_contents("f/1", "aaaabbbbcccc");
  fs_->set_contents("f/2", "dddd");
  FileBasedSourceOptions options;
  options.splittable = false;
  auto whole = source(options);
  const auto bundles = whole->split(1, std::nullopt, std::nullopt);
  EXPECT_EQ(bundles.size(), 2u);  // one per file, however small the request
  EXPECT_THAT(testkit::read_bundles(bundles), ElementsAre("aaaa", "bbbb", "cccc", "dddd"));
  auto tracker = whole->get_range_tracker(std::nullopt, std::nullopt);
  auto reader = whole->read(*tracker);
  auto it = reader.begin();
  ASSERT_EQ(*it, "aaaa");
  ++it;
  // Inside the first file nothing splits; between files it may.
  EXPECT_EQ(tracker->try_split(ConcatPosition<std::int64_t>{0, 8}), std::nullopt);
  EXPECT_TRUE(tracker->try_split(ConcatPosition<std::int64_t>{1, std::nullopt}).has_value());
}

TEST_F(FileBasedSourceTest, BundlesKeepTheirSourceAlive) {
  fs_->set_contents("f/1", "aaaabbbbcccc");
  std::vector<SourceBundle<std::string, ConcatPosition<std::int64_t>>> bundles;
  {
    auto fixed = source();
    bundles = fixed->split(4, std::nullopt, std::nullopt);
  }  // the last user reference is gone; the bundles still name the source
  EXPECT_THAT(testkit::read_bundles(bundles), ElementsAre("aaaa", "bbbb", "cccc"));
}

TEST_F(FileBasedSourceTest, SplitNeedsASharedSource) {
  fs_->set_contents("f/1", "aaaa");
  FileBasedSourceOptions options;
  options.file_system = fs_;
  const FixedWidthSource on_stack("f/*", options);
  EXPECT_THAT(UsageErrorOf([&] { on_stack.split(4, std::nullopt, std::nullopt); }),
              HasSubstr("std::make_shared"));
}

}  // namespace
}  // namespace splitcheck
