// The gate rejects each broken text reader, and names the check that
// catches it; the correct TextSource passes the same battery on the same
// files (lib/text/text_source_conformance_test.cc).

#include "splitcheck/testkit/zoo/broken_text_sources.h"

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/files/compression.h"
#include "splitcheck/lib/files/in_memory_file_system.h"
#include "splitcheck/lib/text/text_source.h"
#include "splitcheck/testkit/source_testkit.h"

namespace splitcheck::examples::broken {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::IsEmpty;
using Position = ConcatPosition<std::int64_t>;

std::shared_ptr<InMemoryFileSystem> files() {
  auto fs = std::make_shared<InMemoryFileSystem>();
  std::string text;
  for (int i = 0; i < 30; ++i) text += "line " + std::to_string(i) + (i % 2 ? "\r\n" : "\n");
  fs->set_contents("in/a.txt", text);
  auto gz = compress(fs->create("gz/b.txt.gz"), Compression::kGzip);
  gz->append(text);
  gz->close();
  return fs;
}

std::set<std::string> failed_checks(const testkit::SourceFactory<std::string, Position>& factory,
                                    bool splittable = true) {
  testkit::SourceConformanceOptions options;
  options.schedules.seed = 1;
  options.exhaustive.expect_splittable = splittable;
  options.exhaustive.concurrent_trials = false;
  std::set<std::string> failed;
  for (const testkit::CheckResult& result : testkit::check_source_conformance(factory, options)) {
    std::cout << result << "\n";
    if (!result.ok()) failed.insert(result.check);
  }
  return failed;
}

std::set<std::string> failed_checks(const std::string& pattern, LineBug bug) {
  const auto fs = files();
  return failed_checks([=] { return std::make_shared<BrokenTextSource>(pattern, fs, bug); });
}

// The control: the correct TextSource passes every check on the same files
// (told that a lone compressed file must refuse every split).
TEST(BrokenTextSourcesTest, TheCorrectTextSourcePasses) {
  const auto fs = files();
  for (const char* pattern : {"in/*", "gz/*"}) {
    TextSourceOptions options;
    options.file_system = fs;
    const bool compressed = std::string(pattern) == "gz/*";
    EXPECT_THAT(
        failed_checks([=] { return std::make_shared<TextSource>(pattern, options); }, !compressed),
        IsEmpty())
        << pattern;
  }
}

TEST(BrokenTextSourcesTest, DroppingTheLineAtASplitIsRejectedByReferenceEquality) {
  EXPECT_THAT(
      failed_checks("in/*", LineBug::kDropsLineAtSplit),
      AllOf(Contains("sources_equal_reference_source"), Contains("split_at_fraction_exhaustive")));
}

TEST(BrokenTextSourcesTest, AnEmptyLineInsideCrLfIsRejectedByReferenceEquality) {
  EXPECT_THAT(
      failed_checks("in/*", LineBug::kCrLfAtSplit),
      AllOf(Contains("sources_equal_reference_source"), Contains("split_at_fraction_exhaustive")));
}

TEST(BrokenTextSourcesTest, SplittingACompressedFileIsRejectedByReferenceEquality) {
  EXPECT_THAT(
      failed_checks("gz/*", LineBug::kSplittableGzip),
      AllOf(Contains("sources_equal_reference_source"), Contains("split_at_fraction_exhaustive")));
}

// Lines with escaped newlines (and runs of escapes) in them: the correct
// TextSource with escape '\\' reads them as the broken reader does when not
// split, and passes; the broken one fails once a split lands after "\\\n".
std::shared_ptr<InMemoryFileSystem> escaped_files() {
  auto fs = std::make_shared<InMemoryFileSystem>();
  std::string text;
  for (int i = 0; i < 20; ++i) {
    text += "line " + std::to_string(i) +
            (i % 3 == 0   ? "\\\n cont"
             : i % 3 == 1 ? "\\\\"
                          : "") +
            "\n";
  }
  fs->set_contents("esc/a.txt", text);
  return fs;
}

TEST(BrokenTextSourcesTest, TheCorrectTextSourcePassesWithEscapes) {
  const auto fs = escaped_files();
  TextSourceOptions options;
  options.file_system = fs;
  options.escape = '\\';
  EXPECT_THAT(failed_checks([=] { return std::make_shared<TextSource>("esc/*", options); }),
              IsEmpty());
}

TEST(BrokenTextSourcesTest, AnEscapeBlindSplitIsRejectedByTheExhaustiveCheck) {
  const auto fs = escaped_files();
  EXPECT_THAT(failed_checks([=] {
                return std::make_shared<BrokenTextSource>("esc/*", fs,
                                                          LineBug::kEscapeBlindAtSplit);
              }),
              Contains("split_at_fraction_exhaustive"));
}

}  // namespace
}  // namespace splitcheck::examples::broken
