// A source that reads "events.txt.GZ" as plain bytes passes every check that
// compares it with itself; check_source_reads_records, against the lines the
// file was written with, rejects it. The same file named ".gz" passes.

#include "splitcheck/testkit/zoo/named_codec_line_source.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/files/compression.h"
#include "splitcheck/lib/files/in_memory_file_system.h"
#include "splitcheck/testkit/source_testkit.h"

namespace splitcheck::examples::broken {
namespace {

using ::testing::HasSubstr;

const std::vector<std::string> kLines = {"login alice", "view page 7", "logout alice"};

std::shared_ptr<InMemoryFileSystem> files_named(const std::string& path) {
  auto fs = std::make_shared<InMemoryFileSystem>();
  auto gz = compress(fs->create(path), Compression::kGzip);
  for (const std::string& line : kLines) gz->append(line + "\n");
  gz->close();
  return fs;
}

TEST(NamedCodecLineSourceTest, TheLowerCaseNameIsDecoded) {
  auto fs = files_named("events.txt.gz");
  const NamedCodecLineSource source(fs, "events.txt.gz");
  const testkit::CheckResult result = testkit::check_source_reads_records(source, kLines);
  EXPECT_TRUE(result.ok()) << result;
}

TEST(NamedCodecLineSourceTest, TheSelfComparingChecksPassItButTheRecordsCheckRejectsIt) {
  auto fs = files_named("events.txt.GZ");
  const testkit::SourceFactory<std::string, std::int64_t> factory = [fs] {
    return std::make_shared<NamedCodecLineSource>(fs, "events.txt.GZ");
  };
  testkit::SourceConformanceOptions options;
  options.schedules.seed = 1;
  for (const testkit::CheckResult& r : testkit::check_source_conformance(factory, options)) {
    EXPECT_NE(r.outcome, testkit::CheckResult::Outcome::kFailed) << r;
  }
  const testkit::CheckResult result = testkit::check_source_reads_records(*factory(), kLines);
  EXPECT_EQ(result.outcome, testkit::CheckResult::Outcome::kFailed) << result;
  EXPECT_THAT(result.message, HasSubstr("does not read the records expected: record 0 is"));
}

}  // namespace
}  // namespace splitcheck::examples::broken
