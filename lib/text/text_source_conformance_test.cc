// TextSource through the whole source conformance battery, over several
// files at once: mixed delimiters, a header, an empty file, a file without a
// trailing newline, and a gzip file that must never be split.

#include <cstdint>
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "splitcheck/lib/files/compression.h"
#include "splitcheck/lib/files/in_memory_file_system.h"
#include "splitcheck/lib/text/text_source.h"
#include "splitcheck/testkit/gtest.h"
#include "splitcheck/testkit/source_testkit.h"

namespace splitcheck {
namespace {

std::shared_ptr<const InMemoryFileSystem> Files() {
  static const auto fs = [] {
    auto fs = std::make_shared<InMemoryFileSystem>();
    std::string a = "id,name\n";
    for (int i = 0; i < 40; ++i) {
      a += std::to_string(i) + ",n" + std::string(static_cast<std::size_t>(i % 7), 'x') +
           (i % 3 == 0   ? "\r\n"
            : i % 3 == 1 ? "\n"
                         : "\r");
    }
    fs->set_contents("in/a.csv", a);
    fs->set_contents("in/b.csv", "id,name\n\n\nlast line without newline");
    fs->set_contents("in/c.csv", "");
    auto gz = compress(fs->create("in/d.csv.gz"), Compression::kAuto);
    gz->append("id,name\ng1\ng2\r\ng3\n");
    gz->close();
    return fs;
  }();
  return fs;
}

std::shared_ptr<const TextSource> MakeTextSource() {
  TextSourceOptions options;
  options.file_system = Files();
  options.skip_header_lines = 1;
  return std::make_shared<const TextSource>("in/*.csv*", options);
}

testkit::SourceConformanceOptions MakeOptions() {
  testkit::SourceConformanceOptions options;
  options.schedules.seed = 1;  // fixed, so that a cached pass means something
  return options;
}

SPLITCHECK_SOURCE_CONFORMANCE_TEST(TextSourceConformance, MakeTextSource, MakeOptions);

}  // namespace
}  // namespace splitcheck
