#include "splitcheck/lib/internal/delimited_reader.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidcheck.h"
#include "rapidcheck/gtest.h"
#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/reference_lines.h"

namespace splitcheck::internal {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

struct Record {
  std::string text;
  std::int64_t start;
  friend bool operator==(const Record&, const Record&) = default;
};

// A reader fed `chunk` bytes per read(), to put buffer ends everywhere.
class ChunkedFile final : public ReadableFile {
 public:
  ChunkedFile(std::string bytes, std::size_t chunk) : bytes_(std::move(bytes)), chunk_(chunk) {}
  std::size_t read(char* buffer, std::size_t n) override {
    const std::size_t count = std::min({n, chunk_, bytes_.size() - at_});
    bytes_.copy(buffer, count, at_);
    at_ += count;
    return count;
  }
  const std::string& path() const override { return path_; }

 private:
  std::string bytes_;
  std::size_t chunk_;
  std::size_t at_ = 0;
  std::string path_ = "chunked";
};

std::vector<Record> read_all(const std::string& bytes, const std::string& delimiter,
                             std::size_t chunk = 1 << 20) {
  DelimitedReader reader(std::make_unique<ChunkedFile>(bytes, chunk), 0, delimiter);
  std::vector<Record> out;
  Record r;
  while (reader.next(&r.text, &r.start)) out.push_back(r);
  EXPECT_EQ(reader.position(), static_cast<std::int64_t>(bytes.size()));
  return out;
}

std::vector<Record> reference_parse(const std::string& bytes, const std::string& delimiter) {
  std::vector<Record> out;
  for (const ReferenceLine& line : reference_lines(bytes, delimiter)) {
    out.push_back({line.text, line.start});
  }
  return out;
}

TEST(DelimitedReaderTest, DefaultDelimitersMix) {
  EXPECT_THAT(read_all("a\nb\r\nc\rd", ""),
              ElementsAre(Record{"a", 0}, Record{"b", 2}, Record{"c", 5}, Record{"d", 7}));
}

TEST(DelimitedReaderTest, TrailingDelimiterMakesNoEmptyRecord) {
  EXPECT_THAT(read_all("a\n", ""), ElementsAre(Record{"a", 0}));
  EXPECT_THAT(read_all("a\r", ""), ElementsAre(Record{"a", 0}));
  EXPECT_THAT(read_all("a\r\n", ""), ElementsAre(Record{"a", 0}));
  EXPECT_THAT(read_all("", ""), IsEmpty());
}

TEST(DelimitedReaderTest, EmptyLinesAreRecords) {
  EXPECT_THAT(read_all("\n\n", ""), ElementsAre(Record{"", 0}, Record{"", 1}));
  EXPECT_THAT(read_all("\r\r\n\n", ""), ElementsAre(Record{"", 0}, Record{"", 1}, Record{"", 3}));
}

TEST(DelimitedReaderTest, CarriageReturnAtBufferEndLooksAhead) {
  // Chunks of one byte: every "\r" is at the end of the bytes read so far.
  EXPECT_THAT(read_all("a\r\nb\r", "", 1), ElementsAre(Record{"a", 0}, Record{"b", 3}));
}

TEST(DelimitedReaderTest, SelfOverlappingDelimiterIsLeftmostFirst) {
  EXPECT_THAT(read_all("ababab", "abab"), ElementsAre(Record{"", 0}, Record{"ab", 4}));
  EXPECT_THAT(read_all("xaaay", "aa"), ElementsAre(Record{"x", 0}, Record{"ay", 3}));
}

TEST(DelimitedReaderTest, RecordLongerThanTheBufferGrowsIt) {
  const std::string long_line(3 << 18, 'x');
  EXPECT_THAT(read_all(long_line + "\nz", ""),
              ElementsAre(Record{long_line, 0},
                          Record{"z", static_cast<std::int64_t>(long_line.size()) + 1}));
}

std::vector<Record> read_from(const std::string& bytes, std::size_t offset,
                              const std::string& delimiter, DelimitedReader::Options options,
                              std::size_t chunk) {
  DelimitedReader reader(std::make_unique<ChunkedFile>(bytes.substr(offset), chunk),
                         static_cast<std::int64_t>(offset), delimiter, -1, options);
  std::vector<Record> out;
  Record r;
  while (reader.next(&r.text, &r.start)) out.push_back(r);
  return out;
}

TEST(DelimitedReaderTest, AnEscapedDelimiterDoesNotEndARecord) {
  DelimitedReader::Options options;
  options.escape = '\\';
  EXPECT_THAT(read_from("a\\\nb\nc\\\\\nd\\\r\ne\\", 0, "", options, 1 << 20),
              ElementsAre(Record{"a\\\nb", 0}, Record{"c\\\\", 5}, Record{"d\\\r\ne\\", 9}));
}

TEST(DelimitedReaderTest, KeptDelimitersEndTheirRecords) {
  DelimitedReader::Options options;
  options.keep_delimiter = true;
  EXPECT_THAT(read_from("a\r\nb\rc\nd", 0, "", options, 1 << 20),
              ElementsAre(Record{"a\r\n", 0}, Record{"b\r", 3}, Record{"c\n", 5}, Record{"d", 7}));
}

TEST(DelimitedReaderTest, AnEscapeByteInTheDelimiterIsAUsageError) {
  DelimitedReader::Options options;
  options.escape = '|';
  EXPECT_THROW(DelimitedReader(std::make_unique<ChunkedFile>("", 1), 0, "||", -1, options),
               UsageError);
  options.escape = '\n';
  EXPECT_THROW(DelimitedReader(std::make_unique<ChunkedFile>("", 1), 0, "", -1, options),
               UsageError);
}

// With escapes and kept delimiters, from the stream's start and from every
// record start (told whether it starts escaped, as TextSource tells it), the
// reader agrees with the byte-at-a-time parse, at every buffer size.
RC_GTEST_PROP(DelimitedReaderTest, EscapesAgreeWithByteAtATimeParse, ()) {
  const std::string delimiter = *rc::gen::element<std::string>("", "|", "ab", "abab", "aa");
  const std::string alphabet = delimiter.empty() ? "x\r\n\\" : "xab|\\";
  const std::string bytes = *rc::gen::container<std::string>(rc::gen::elementOf(alphabet));
  const auto chunk = *rc::gen::inRange<std::size_t>(1, 8);
  ReferenceOptions reference;
  reference.escape = '\\';
  reference.keep_delimiter = *rc::gen::arbitrary<bool>();
  DelimitedReader::Options options;
  options.escape = reference.escape;
  options.keep_delimiter = reference.keep_delimiter;
  std::vector<Record> expected;
  for (const ReferenceLine& line : reference_lines(bytes, delimiter, reference)) {
    expected.push_back({line.text, line.start});
  }
  RC_ASSERT(read_from(bytes, 0, delimiter, options, chunk) == expected);
  for (std::size_t i = 1; i < expected.size(); ++i) {
    const auto offset = static_cast<std::size_t>(expected[i].start);
    RC_ASSERT(
        read_from(bytes, offset, delimiter, options, chunk) ==
        std::vector<Record>(expected.begin() + static_cast<std::ptrdiff_t>(i), expected.end()));
  }
}

RC_GTEST_PROP(DelimitedReaderTest, AgreesWithByteAtATimeParse, ()) {
  const std::string delimiter = *rc::gen::element<std::string>("", "|", "ab", "abab", "aa", "\r\n");
  const std::string alphabet = delimiter.empty() ? "x\r\n" : "xab|\r\n";
  const std::string bytes = *rc::gen::container<std::string>(rc::gen::elementOf(alphabet));
  const auto chunk = *rc::gen::inRange<std::size_t>(1, 8);
  RC_ASSERT(read_all(bytes, delimiter, chunk) == reference_parse(bytes, delimiter));
}

}  // namespace
}  // namespace splitcheck::internal
