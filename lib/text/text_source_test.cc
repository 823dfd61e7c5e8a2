#include "splitcheck/lib/text/text_source.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidcheck.h"
#include "rapidcheck/gtest.h"
#include "splitcheck/lib/files/compression.h"
#include "splitcheck/lib/files/in_memory_file_system.h"
#include "splitcheck/lib/internal/reference_lines.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/testkit/error_matchers.h"
#include "splitcheck/testkit/source_testkit.h"

namespace splitcheck {
namespace {

using ::splitcheck::testkit::InputErrorOf;
using ::splitcheck::testkit::UsageErrorOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Position = ConcatPosition<std::int64_t>;

std::vector<std::string> expected_lines(const std::string& bytes, const std::string& delimiter,
                                        std::int64_t skip_header_lines = 0,
                                        const internal::ReferenceOptions& reference = {}) {
  std::vector<std::string> out;
  for (const auto& line : internal::reference_lines(bytes, delimiter, reference)) {
    out.push_back(line.text);
  }
  out.erase(out.begin(),
            out.begin() +
                std::min<std::int64_t>(skip_header_lines, static_cast<std::int64_t>(out.size())));
  return out;
}

std::string stored(const std::string& bytes, Compression c) {
  InMemoryFileSystem scratch;
  auto file = compress(scratch.create("x"), c);
  file->append(bytes);
  file->close();
  return *scratch.contents("x");
}

class TextSourceTest : public ::testing::Test {
 protected:
  std::shared_ptr<const TextSource> source(const std::string& pattern,
                                           TextSourceOptions options = {}) {
    options.file_system = fs_;
    return std::make_shared<const TextSource>(pattern, options);
  }

  std::shared_ptr<InMemoryFileSystem> fs_ = std::make_shared<InMemoryFileSystem>();
};

TEST_F(TextSourceTest, ReadsLinesOfEveryFileInPathOrder) {
  fs_->set_contents("in/b.txt", "b1\r\nb2");
  fs_->set_contents("in/a.txt", "a1\n\na3\r");
  fs_->set_contents("in/c.csv", "not matched\n");
  EXPECT_THAT(testkit::read_from_source(*source("in/*.txt")),
              ElementsAre("a1", "", "a3", "b1", "b2"));
}

// A decoded source reads the files the original matched, as they were
// matched: a file created afterwards is not read, one removed is an error.
TEST_F(TextSourceTest, ADecodedSourceReadsTheFilesTheOriginalMatched) {
  fs_->set_contents("in/a.txt", "a1\na2\n");
  const auto original = source("in/*.txt");
  const std::string bytes = encode_source(*original);
  fs_->set_contents("in/b.txt", "b1\n");
  const auto decoded = decode_source(bytes, TextSource::decoder(fs_));
  EXPECT_THAT(testkit::read_from_source(*decoded), ElementsAre("a1", "a2"));
  EXPECT_EQ(encode_source(*decoded), bytes);
  fs_->remove("in/a.txt");
  EXPECT_THAT(InputErrorOf([&] { testkit::read_from_source(*decoded); }), HasSubstr("in/a.txt"));
}

// A header processor is code: its presence is encoded, and a decoder
// without one refuses the source rather than drop the headers' handling.
TEST_F(TextSourceTest, AHeaderProcessorMustBeGivenToTheDecoder) {
  fs_->set_contents("in/a.txt", "h\na1\n");
  TextSourceOptions options;
  options.skip_header_lines = 1;
  std::vector<std::string> seen;
  std::mutex mu;
  options.header_processor = [&](const std::string&, const std::vector<std::string>& lines) {
    std::lock_guard<std::mutex> lock(mu);
    seen.insert(seen.end(), lines.begin(), lines.end());
  };
  const std::string bytes = encode_source(*source("in/*.txt", options));
  EXPECT_THAT(UsageErrorOf([&] { decode_source(bytes, TextSource::decoder(fs_)); }),
              HasSubstr("give it to the decoder"));
  const auto decoded = decode_source(bytes, TextSource::decoder(fs_, options.header_processor));
  EXPECT_THAT(testkit::read_from_source(*decoded), ElementsAre("a1"));
  EXPECT_THAT(seen, ElementsAre("h"));
}

// The options the conformance battery's files leave at their defaults.
TEST_F(TextSourceTest, EveryOptionSurvivesEncoding) {
  fs_->set_contents("in/a.txt", "h||a1|b||c|\\|d||");
  TextSourceOptions options;
  options.file_system = fs_;
  options.delimiter = "||";
  options.escape = '\\';
  options.min_bundle_size = 3;
  options.skip_header_lines = 1;
  options.keep_delimiters = true;
  options.compression = Compression::kUncompressed;
  options.empty_match = EmptyMatchTreatment::kAllow;
  const testkit::SourceFactory<std::string, Position> factory = [&] {
    return std::make_shared<const TextSource>(std::vector<std::string>{"in/*.txt", "none/*.txt"},
                                              options);
  };
  const testkit::CheckResult result = testkit::check_source_serialization(factory);
  EXPECT_TRUE(result) << result;
}

TEST_F(TextSourceTest, ATextSourcesBytesAreNotAnotherFormats) {
  fs_->set_contents("in/a.txt", "a1\n");
  const std::string bytes = encode_source(*source("in/*.txt"));
  EXPECT_THAT(testkit::ErrorOf<CorruptDataError>(
                  [&] { decode_source(bytes, TextWithFilenameSource::decoder(fs_)); }),
              HasSubstr("TextWithFilenameSource"));
}

TEST_F(TextSourceTest, ReadFromTextRunsOnTheRunner) {
  std::string bytes;
  for (int i = 0; i < 5000; ++i) bytes += "record " + std::to_string(i) + "\n";
  fs_->set_contents("big.txt", bytes);
  TextSourceOptions options;
  options.file_system = fs_;
  RunnerOptions runner_options;
  runner_options.num_workers = 3;
  runner_options.desired_bundle_size = 1000;
  const auto result = LocalRunner(runner_options).run(ReadFromText("big.txt", options));
  // The runner gives bundles in id order, not position order: compare sets.
  auto records = result.records;
  auto expected = expected_lines(bytes, "");
  std::sort(records.begin(), records.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(records, expected);
  EXPECT_GT(result.bundles.size(), 10u);
}

// What split_points().remaining says after each record of every bundle:
// 1 at the last record of the bundle's range (no split possible: the next
// record starts at or after the stop), unknown before it while a later
// record may still be the range's. A dynamic split makes the record before
// the split point the last.
TEST_F(TextSourceTest, TheLastRecordOfARangeReportsOneSplitPointRemaining) {
  fs_->set_contents("in/a.txt", "a\nbb\nccc\n");
  fs_->set_contents("in/b.txt", "dddd\ne");
  auto text = source("in/*.txt");
  for (std::int64_t size = 1; size <= 16; ++size) {
    for (const auto& bundle : text->split(size, std::nullopt, std::nullopt)) {
      auto tracker = bundle.source->get_range_tracker(bundle.start, bundle.stop);
      std::vector<std::int64_t> remaining;
      std::vector<std::string> read;
      for (std::string& line : bundle.source->read(*tracker)) {
        remaining.push_back(tracker->split_points().remaining);
        read.push_back(line);
      }
      EXPECT_EQ(tracker->split_points().remaining, 0);
      if (read.empty()) continue;
      const std::string where = "bundle size " + std::to_string(size) + " from " + read.front();
      EXPECT_EQ(remaining.back(), 1) << where;
      for (std::size_t i = 0; i + 1 < remaining.size(); ++i) {
        EXPECT_EQ(remaining[i], SplitPoints::kUnknown) << where << ", record " << read[i];
      }
    }
  }
  // Split dynamically after "bb": "bb" is then the last record, 1 remaining.
  auto tracker = text->get_range_tracker(std::nullopt, std::nullopt);
  std::vector<std::int64_t> remaining;
  for (std::string& line : text->read(*tracker)) {
    if (line == "a") {
      ASSERT_TRUE(tracker->try_split(Position{0, std::int64_t{3}}).has_value());
    }
    remaining.push_back(tracker->split_points().remaining);
  }
  EXPECT_THAT(remaining, ElementsAre(SplitPoints::kUnknown, 1));
  // A compressed file reaches to infinity: its last record is only known at
  // its end, when the reader is done.
  fs_->set_contents("z.txt.gz", stored("x\ny\n", Compression::kGzip));
  auto zipped = source("z.txt.gz");
  tracker = zipped->get_range_tracker(std::nullopt, std::nullopt);
  remaining.clear();
  for (std::string& line : zipped->read(*tracker)) {
    (void)line;
    remaining.push_back(tracker->split_points().remaining);
  }
  EXPECT_THAT(remaining, ElementsAre(SplitPoints::kUnknown, SplitPoints::kUnknown));
  EXPECT_EQ(tracker->split_points().remaining, 0);
}

TEST_F(TextSourceTest, CustomDelimiterAndHeader) {
  fs_->set_contents("t", "h1||h2||r1||||r3");
  TextSourceOptions options;
  options.delimiter = "||";
  options.skip_header_lines = 2;
  EXPECT_THAT(testkit::read_from_source(*source("t", options)), ElementsAre("r1", "", "r3"));
}

TEST_F(TextSourceTest, HeaderIsSkippedOnceWhateverTheBundles) {
  const std::string bytes = "header\nx\ny\nz\n";
  fs_->set_contents("t", bytes);
  TextSourceOptions options;
  options.skip_header_lines = 1;
  auto text = source("t", options);
  for (std::int64_t size = 1; size <= 14; ++size) {
    EXPECT_THAT(testkit::read_bundles(text->split(size, std::nullopt, std::nullopt)),
                ElementsAre("x", "y", "z"))
        << "bundles of " << size << " bytes";
  }
}

TEST_F(TextSourceTest, SplitsAtMinBundleSize) {
  fs_->set_contents("t", std::string(1000, 'x'));
  TextSourceOptions options;
  options.min_bundle_size = 300;
  EXPECT_EQ(source("t", options)->split(100, std::nullopt, std::nullopt).size(), 4u);
  EXPECT_EQ(source("t")->split(100, std::nullopt, std::nullopt).size(), 10u);
}

// Every byte offset as a bundle boundary and as a dynamic split point, on
// generated files: lines of random lengths (0 included) joined by a random
// mix of delimiters, with and without a trailing one, or raw bytes rich in a
// custom delimiter that may overlap itself.
RC_GTEST_PROP(TextSourceProperty, EveryByteOffsetSplitsExactly, ()) {
  const std::string delimiter = *rc::gen::element<std::string>("", "", "|", "ab", "abab", "aa");
  std::string bytes;
  // Small files (the exhaustive check is cubic in their length), many cases.
  if (delimiter.empty()) {
    const auto lines =
        *rc::gen::resize(20, rc::gen::container<std::vector<std::string>>(
                                 rc::gen::container<std::string>(rc::gen::element('x', 'y'))));
    for (std::size_t i = 0; i < lines.size(); ++i) {
      bytes += lines[i];
      if (i + 1 < lines.size() || *rc::gen::arbitrary<bool>()) {
        bytes += *rc::gen::element<std::string>("\n", "\r\n", "\r");
      }
    }
  } else {
    bytes = *rc::gen::resize(
        60, rc::gen::container<std::string>(rc::gen::element('x', 'a', 'b', '|', '\n')));
  }
  const auto skip = *rc::gen::inRange<std::int64_t>(0, 3);
  auto fs = std::make_shared<InMemoryFileSystem>();
  fs->set_contents("f.txt", bytes);
  TextSourceOptions options;
  options.file_system = fs;
  options.delimiter = delimiter;
  options.skip_header_lines = skip;
  const auto text = std::make_shared<const TextSource>("f.txt", options);

  const std::vector<std::string> expected = expected_lines(bytes, delimiter, skip);
  RC_ASSERT(testkit::read_from_source(*text) == expected);
  // Static: bundles of every size down to one byte.
  for (std::int64_t size : {std::int64_t{1}, std::int64_t{2}, std::int64_t{3}, std::int64_t{7}}) {
    RC_ASSERT(testkit::read_bundles(text->split(size, std::nullopt, std::nullopt)) == expected);
  }
  // Dynamic: every records-read count against every split position.
  testkit::ExhaustiveSplitOptions exhaustive;
  exhaustive.threads = 1;
  exhaustive.concurrent_trials = false;
  const testkit::CheckResult result =
      testkit::check_split_at_fraction_exhaustive(*text, exhaustive);
  if (expected.size() >= 2) {
    RC_ASSERT(result.ok());
  }
}

// Escapes and kept delimiters: what a whole read gives is the byte-at-a-time
// parse, and every split of every size and at every byte offset reads it
// exactly (a split after an escape, inside an escaped "\r\n", after a run
// of escapes).
RC_GTEST_PROP(TextSourceProperty, EscapesSplitExactlyAtEveryByteOffset, ()) {
  const std::string delimiter = *rc::gen::element<std::string>("", "", "|", "abab");
  const std::string alphabet = delimiter.empty() ? "xy\r\n\\\\" : "xab|\\\\";
  const std::string bytes =
      *rc::gen::resize(40, rc::gen::container<std::string>(rc::gen::elementOf(alphabet)));
  const auto skip = *rc::gen::inRange<std::int64_t>(0, 2);
  internal::ReferenceOptions reference;
  reference.escape = '\\';
  reference.keep_delimiter = *rc::gen::arbitrary<bool>();
  auto fs = std::make_shared<InMemoryFileSystem>();
  fs->set_contents("f.txt", bytes);
  TextSourceOptions options;
  options.file_system = fs;
  options.delimiter = delimiter;
  options.skip_header_lines = skip;
  options.escape = reference.escape;
  options.keep_delimiters = reference.keep_delimiter;
  const auto text = std::make_shared<const TextSource>("f.txt", options);

  const std::vector<std::string> expected = expected_lines(bytes, delimiter, skip, reference);
  RC_ASSERT(testkit::read_from_source(*text) == expected);
  for (std::int64_t size : {std::int64_t{1}, std::int64_t{2}, std::int64_t{3}}) {
    RC_ASSERT(testkit::read_bundles(text->split(size, std::nullopt, std::nullopt)) == expected);
  }
  testkit::ExhaustiveSplitOptions exhaustive;
  exhaustive.threads = 1;
  exhaustive.concurrent_trials = false;
  if (expected.size() >= 2) {
    RC_ASSERT(testkit::check_split_at_fraction_exhaustive(*text, exhaustive).ok());
  }
}

TEST_F(TextSourceTest, EscapedDelimitersStayInTheRecord) {
  fs_->set_contents("e", "a\\\nb\nc\\\\\nd\\\r\ne\n");
  TextSourceOptions options;
  options.escape = '\\';
  EXPECT_THAT(testkit::read_from_source(*source("e", options)),
              ElementsAre("a\\\nb", "c\\\\", "d\\\r\ne"));
  options.keep_delimiters = true;
  EXPECT_THAT(testkit::read_from_source(*source("e", options)),
              ElementsAre("a\\\nb\n", "c\\\\\n", "d\\\r\ne\n"));
}

TEST_F(TextSourceTest, WithFilenameEveryLineIsPairedWithItsFile) {
  fs_->set_contents("d/a.txt", "h\na1\na2");
  fs_->set_contents("d/b.txt", "h\nb1\n");
  TextSourceOptions options;
  options.file_system = fs_;
  options.skip_header_lines = 1;
  const auto source = std::make_shared<const TextWithFilenameSource>("d/*.txt", options);
  EXPECT_THAT(testkit::read_from_source(*source),
              ElementsAre(LineWithPath{"d/a.txt", "a1"}, LineWithPath{"d/a.txt", "a2"},
                          LineWithPath{"d/b.txt", "b1"}));
  EXPECT_THAT(testkit::read_bundles(source->split(2, std::nullopt, std::nullopt)),
              ElementsAre(LineWithPath{"d/a.txt", "a1"}, LineWithPath{"d/a.txt", "a2"},
                          LineWithPath{"d/b.txt", "b1"}));
  options.skip_header_lines = -1;
  EXPECT_THAT(UsageErrorOf([&] { TextWithFilenameSource("d/*.txt", options); }),
              HasSubstr("skip_header_lines -1"));
}

// Every reader of a file hands its header to the processor before its
// first record, whether its range starts in the header or after it.
TEST_F(TextSourceTest, TheHeaderProcessorGetsEachFilesHeaderFromEveryReader) {
  fs_->set_contents("h/a.csv", "id,name\n# v2\n1,x\n2,y\n3,z\n");
  fs_->set_contents("h/b.csv", "id,name\n");
  fs_->set_contents("h/c.csv", "");
  std::mutex mu;
  std::vector<std::pair<std::string, std::vector<std::string>>> calls;
  TextSourceOptions options;
  options.skip_header_lines = 2;
  options.header_processor = [&](const std::string& path, const std::vector<std::string>& lines) {
    std::lock_guard<std::mutex> lock(mu);
    calls.emplace_back(path, lines);
  };
  const auto text = source("h/*.csv", options);
  EXPECT_THAT(testkit::read_from_source(*text), ElementsAre("1,x", "2,y", "3,z"));
  using Call = std::pair<std::string, std::vector<std::string>>;
  EXPECT_THAT(calls,
              ElementsAre(Call{"h/a.csv", {"id,name", "# v2"}}, Call{"h/b.csv", {"id,name"}}));
  calls.clear();
  const auto bundles = text->split(4, std::nullopt, std::nullopt);
  EXPECT_THAT(testkit::read_bundles(bundles), ElementsAre("1,x", "2,y", "3,z"));
  const std::vector<std::string> a_header = {"id,name", "# v2"};
  const std::vector<std::string> b_header = {"id,name"};
  for (const Call& call : calls) {
    EXPECT_EQ(call.second, call.first == "h/a.csv" ? a_header : b_header) << call.first;
  }
  EXPECT_GT(calls.size(), 2u) << "every bundle of a.csv calls it";
}

// Beam's ReadAll: the files of every pattern, in the order given; a file
// two patterns match is read for each; a pattern that matches nothing
// follows empty_match.
TEST_F(TextSourceTest, ReadAllReadsEveryPatternInOrder) {
  fs_->set_contents("x/1.txt", "x1\n");
  fs_->set_contents("y/1.txt", "y1\ny2\n");
  fs_->set_contents("y/2.log", "y3\n");
  TextSourceOptions options;
  options.file_system = fs_;
  const auto all = std::make_shared<const TextSource>(
      std::vector<std::string>{"y/*.txt", "x/*", "y/1.txt", "y/*.log"}, options);
  EXPECT_THAT(testkit::read_from_source(*all), ElementsAre("y1", "y2", "x1", "y1", "y2", "y3"));
  EXPECT_THAT(testkit::read_bundles(all->split(2, std::nullopt, std::nullopt)),
              ElementsAre("y1", "y2", "x1", "y1", "y2", "y3"));
  EXPECT_THAT(LocalRunner().run(ReadAllFromText({"x/*", "y/*.log"}, options)).records,
              ElementsAre("x1", "y3"));
  EXPECT_THAT(testkit::read_from_source(
                  *std::make_shared<const TextSource>(std::vector<std::string>{}, options)),
              IsEmpty());
  EXPECT_THAT(InputErrorOf([&] {
                TextSource(std::vector<std::string>{"x/*", "z/*"}, options);
              }),
              HasSubstr("z/*"));
}

TEST_F(TextSourceTest, ExhaustiveWithConcurrentTrialsOnAMixedFile) {
  fs_->set_contents("m", "alpha\r\nbeta\n\ngamma\rdelta\r\n\r\nepsilon");
  testkit::ExhaustiveSplitOptions options;
  const auto result = testkit::check_split_at_fraction_exhaustive(*source("m"), options);
  EXPECT_TRUE(result.ok()) << result;
  EXPECT_GT(result.cases, 100);
}

// A larger file: too many offsets to enumerate, so sampled.
TEST_F(TextSourceTest, LargeFileSampledSplits) {
  std::string bytes;
  for (int i = 0; i < 4000; ++i) {
    bytes += std::string(static_cast<std::size_t>(i * 7 % 13), 'x') + (i % 5 == 0 ? "\r\n" : "\n");
  }
  fs_->set_contents("large", bytes);
  testkit::ExhaustiveSplitOptions options;
  options.max_positions = 200;
  options.max_read_counts = 40;
  const auto result = testkit::check_split_at_fraction_exhaustive(*source("large"), options);
  EXPECT_TRUE(result.ok()) << result;
}

// A compressed file is never read as text: the extension counts in any
// case, and a gzip, bzip2 or zstd stream is known by its first bytes.
TEST_F(TextSourceTest, ExtensionsAreMatchedWithoutRegardToCase) {
  fs_->set_contents("data.txt.GZ", stored("one\ntwo\n", Compression::kGzip));
  fs_->set_contents("more.Bz2", stored("three\n", Compression::kBzip2));
  EXPECT_THAT(testkit::read_from_source(*source("*")), ElementsAre("one", "two", "three"));
}

TEST_F(TextSourceTest, CompressedContentIsDecodedWhateverTheName) {
  fs_->set_contents("a.txt", stored("gzip\n", Compression::kGzip));
  fs_->set_contents("b.log", stored("bzip2\n", Compression::kBzip2));
  fs_->set_contents("c", stored("zstd\n", Compression::kZstd));
  fs_->set_contents("d.gz", stored("zstd named gz\n", Compression::kZstd));
  EXPECT_THAT(testkit::read_from_source(*source("*")),
              ElementsAre("gzip", "bzip2", "zstd", "zstd named gz"));
  // Read whole, like any compressed file.
  EXPECT_EQ(source("a.txt")->files()[0].compression(), Compression::kGzip);
}

TEST_F(TextSourceTest, ANameThatSaysCompressedOverPlainContentIsAnError) {
  fs_->set_contents("plain.txt.gz", "not compressed\n");
  EXPECT_THAT(InputErrorOf([&] { source("*"); }),
              HasSubstr("\"plain.txt.gz\": its name says gzip, but it does not start as a "
                        "gzip stream does"));
  fs_->set_contents("plain.deflate", "not compressed\n");
  EXPECT_THAT(InputErrorOf([&] { source("*.deflate"); }), HasSubstr("its name says deflate"));
}

TEST_F(TextSourceTest, AnExplicitCodecIsTakenAtItsWord) {
  const std::string gz = stored("x\n", Compression::kGzip);
  fs_->set_contents("raw.bin", gz);
  TextSourceOptions options;
  options.compression = Compression::kUncompressed;  // the bytes as stored, on purpose
  EXPECT_EQ(testkit::read_from_source(*source("raw.bin", options)).size(), 1u);
  EXPECT_EQ(source("raw.bin", options)->files()[0].compression(), Compression::kUncompressed);
}

// Each gzip file is read whole and splits fall between files; a sub-range
// the battery picks may hold just one of them, where no split is possible:
// that is not a vacuous check of the source (it was a false alarm).
TEST_F(TextSourceTest, SeveralGzipFilesPassTheBatteryOnEverySubRange) {
  for (const char* name : {"gz/a.txt.gz", "gz/b.txt.gz", "gz/c.txt.gz"}) {
    fs_->set_contents(name, stored("one\ntwo\nthree\n", Compression::kGzip));
  }
  const testkit::SourceFactory<std::string, Position> factory = [this] { return source("gz/*"); };
  testkit::SourceConformanceOptions options;
  options.schedules.seed = 1;
  options.sub_ranges = 4;
  for (const testkit::CheckResult& r : testkit::check_source_conformance(factory, options)) {
    EXPECT_TRUE(r.ok()) << r;
  }
}

class CompressedTextTest : public TextSourceTest,
                           public ::testing::WithParamInterface<const char*> {};

TEST_P(CompressedTextTest, ReadWholeByOneReaderAndNeverSplit) {
  const std::string bytes = "one\ntwo\r\nthree\n";
  fs_->set_contents(std::string("c") + GetParam(), stored(bytes, compression_for_path(GetParam())));
  fs_->set_contents("d.txt", "plain\n");
  auto text = source("*");
  EXPECT_THAT(testkit::read_from_source(*text), ElementsAre("one", "two", "three", "plain"));
  // One bundle for the compressed file, however small the bundles asked.
  const auto bundles = text->split(1, std::nullopt, std::nullopt);
  EXPECT_EQ(bundles.size(), 1 + 6u);
  EXPECT_THAT(testkit::read_bundles(bundles), ElementsAre("one", "two", "three", "plain"));
  // Its tracker refuses every split.
  testkit::ExhaustiveSplitOptions options;
  options.expect_splittable = false;
  auto only_compressed = source(std::string("c") + GetParam());
  const auto result = testkit::check_split_at_fraction_exhaustive(*only_compressed, options);
  EXPECT_TRUE(result.ok()) << result;
  // Held to splitting, it fails with a message naming the option to set.
  const auto held = testkit::check_split_at_fraction_exhaustive(*only_compressed);
  EXPECT_EQ(held.outcome, testkit::CheckResult::Outcome::kFailed);
  EXPECT_THAT(held.message, ::testing::HasSubstr("expect_splittable = false"));
}

INSTANTIATE_TEST_SUITE_P(Codecs, CompressedTextTest,
                         ::testing::Values(".gz", ".bz2", ".zst", ".deflate"),
                         [](const auto& info) { return std::string(info.param + 1); });

TEST_F(TextSourceTest, ExplicitCompressionOverridesTheExtension) {
  fs_->set_contents("data.txt", stored("z1\nz2\n", Compression::kZstd));
  TextSourceOptions options;
  options.compression = Compression::kZstd;
  EXPECT_THAT(testkit::read_from_source(*source("data.txt", options)), ElementsAre("z1", "z2"));
}

TEST_F(TextSourceTest, ConcatenatedGzipMembersAreReadFully) {
  fs_->set_contents("m.gz",
                    stored("a\nb\n", Compression::kGzip) + stored("c\n", Compression::kGzip));
  EXPECT_THAT(testkit::read_from_source(*source("m.gz")), ElementsAre("a", "b", "c"));
}

TEST_F(TextSourceTest, MissingPathsAreInputErrorsNamingThePattern) {
  EXPECT_THAT(InputErrorOf([&] { source("nowhere/*.txt"); }),
              HasSubstr("no file matches \"nowhere/*.txt\""));
  EXPECT_THAT(InputErrorOf([&] { source("absent.txt"); }), HasSubstr("absent.txt"));
  TextSourceOptions options;
  options.empty_match = EmptyMatchTreatment::kAllow;
  auto empty = source("nowhere/*.txt", options);
  EXPECT_THAT(testkit::read_from_source(*empty), IsEmpty());
  EXPECT_EQ(empty->estimate_size(), 0);
}

TEST_F(TextSourceTest, CorruptAndTruncatedCompressedFilesFailTheRun) {
  std::string gz = stored(std::string(100000, 'q') + "\n", Compression::kGzip);
  fs_->set_contents("truncated.gz", gz.substr(0, gz.size() / 2));
  gz[gz.size() / 2] ^= 0x33;
  fs_->set_contents("corrupt.gz", gz);
  TextSourceOptions options;
  options.file_system = fs_;
  RunnerOptions runner;
  runner.max_attempts = 2;
  EXPECT_THAT(InputErrorOf([&] { LocalRunner(runner).run(ReadFromText("truncated.gz", options)); }),
              HasSubstr("\"truncated.gz\": truncated gzip data"));
  EXPECT_THAT(InputErrorOf([&] { LocalRunner(runner).run(ReadFromText("corrupt.gz", options)); }),
              HasSubstr("\"corrupt.gz\": corrupt gzip data"));
}

TEST_F(TextSourceTest, AFileThatShrinksAfterMatchingIsAnError) {
  fs_->set_contents("s.txt", "one\ntwo\nthree\n");
  auto text = source("s.txt");
  fs_->set_contents("s.txt", "one\ntw");
  EXPECT_THAT(InputErrorOf([&] { testkit::read_from_source(*text); }),
              HasSubstr("\"s.txt\" shrank while being read: it had 14 bytes when matched, and "
                        "ends at byte 6"));
}

TEST_F(TextSourceTest, AFileThatGrowsIsReadAsMatched) {
  fs_->set_contents("g.txt", "one\ntwo\n");
  auto text = source("g.txt");
  fs_->set_contents("g.txt", "one\ntwo\nthree\n");
  EXPECT_THAT(testkit::read_from_source(*text), ElementsAre("one", "two"));
}

TEST_F(TextSourceTest, AVanishedOrUnreadableFileIsNamed) {
  fs_->set_contents("v.txt", "x\n");
  fs_->set_contents("p.txt", "x\n");
  auto vanished = source("v.txt");
  auto unreadable = source("p.txt");
  fs_->remove("v.txt");
  fs_->set_readable("p.txt", false);
  EXPECT_THAT(InputErrorOf([&] { testkit::read_from_source(*vanished); }),
              HasSubstr("open \"v.txt\": no such file"));
  EXPECT_THAT(InputErrorOf([&] { testkit::read_from_source(*unreadable); }),
              HasSubstr("open \"p.txt\": permission denied"));
}

TEST_F(TextSourceTest, BadOptionsAreUsageErrors) {
  fs_->set_contents("t", "x");
  TextSourceOptions options;
  options.skip_header_lines = -1;
  EXPECT_THAT(UsageErrorOf([&] { source("t", options); }), HasSubstr("skip_header_lines -1"));
  options = {};
  options.min_bundle_size = -5;
  EXPECT_THAT(UsageErrorOf([&] { source("t", options); }), HasSubstr("min_bundle_size -5"));
  EXPECT_THAT(UsageErrorOf([&] { source("t")->split(0, std::nullopt, std::nullopt); }),
              HasSubstr("desired bundle size must be positive"));
  options = {};
  options.escape = '\n';
  EXPECT_THAT(
      UsageErrorOf([&] { source("t", options); }),
      HasSubstr("the escape byte \"\\x0a\" is a byte of the delimiter (\\n, \\r\\n or \\r)"));
  options.delimiter = "||";
  options.escape = '|';
  EXPECT_THAT(UsageErrorOf([&] { source("t", options); }),
              HasSubstr("the escape byte \"|\" is a byte of the delimiter \"||\""));
}

// /proc files say they hold 0 bytes and then read as text: taken at their
// size they would read as empty, silently.
TEST(TextSourceSpecialFileTest, AFileWhoseSizeIsZeroButHasContentIsAnError) {
  if (!std::filesystem::exists("/proc/self/status")) GTEST_SKIP() << "no /proc here";
  EXPECT_THAT(InputErrorOf([] { TextSource("/proc/self/status", {}); }),
              HasSubstr("\"/proc/self/status\": its size reads as 0 bytes, but it has content"));
}

TEST(TextSourceLocalTest, ReadsTheLocalDisk) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string dir = std::string(tmp != nullptr ? tmp : "/tmp") + "/text_local";
  auto fs = local_file_system();
  for (int i = 0; i < 3; ++i) {
    auto file = fs->create(dir + "/part-" + std::to_string(i) + ".txt");
    file->append("line " + std::to_string(i) + "\n");
    file->close();
  }
  auto file = compress(fs->create(dir + "/part-3.txt.gz"), Compression::kAuto);
  file->append("line 3\n");
  file->close();
  const auto result = LocalRunner().run(ReadFromText(dir + "/part-*"));
  EXPECT_THAT(result.records, ElementsAre("line 0", "line 1", "line 2", "line 3"));
}

}  // namespace
}  // namespace splitcheck
