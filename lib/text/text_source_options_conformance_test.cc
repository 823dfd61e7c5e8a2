// TextSource's escape and kept-delimiter options, and the lines paired with
// their file (TextWithFilenameSource), through the whole source conformance
// battery, on files where they matter: escapes before "\n",
// before "\r\n" and before "\r", runs of two and three escapes, an escape as
// the last byte, escaped delimiters inside the header. The exhaustive split
// check splits at every byte offset, so a split lands right after every
// escape and inside every escaped "\r\n".

#include <memory>
#include <string>

#include "splitcheck/lib/files/in_memory_file_system.h"
#include "splitcheck/lib/text/text_source.h"
#include "splitcheck/testkit/gtest.h"
#include "splitcheck/testkit/source_testkit.h"

namespace splitcheck {
namespace {

std::shared_ptr<const InMemoryFileSystem> Files() {
  static const auto fs = [] {
    auto fs = std::make_shared<InMemoryFileSystem>();
    const char* const kEndings[] = {"\n",     "\\\n",     "\r\n", "\\\r\n",
                                    "\\\\\n", "\\\\\\\n", "\r",   "\\\r"};
    std::string a = "head\\\ner\n";  // one header line holding an escaped newline
    for (int i = 0; i < 24; ++i) {
      a += "r" + std::to_string(i) + std::string(static_cast<std::size_t>(i % 3), 'x') +
           kEndings[i % 8];
    }
    fs->set_contents("in/a.txt", a);
    fs->set_contents("in/b.txt", "head\nx\\\r\ny\\\\\r\nlast\\");
    fs->set_contents("in/c.txt", "");
    return fs;
  }();
  return fs;
}

std::shared_ptr<const TextSource> MakeEscapingSource() {
  TextSourceOptions options;
  options.file_system = Files();
  options.skip_header_lines = 1;
  options.escape = '\\';
  return std::make_shared<const TextSource>("in/*.txt", options);
}

std::shared_ptr<const TextSource> MakeDelimiterKeepingSource() {
  TextSourceOptions options;
  options.file_system = Files();
  options.escape = '\\';
  options.keep_delimiters = true;
  return std::make_shared<const TextSource>("in/*.txt", options);
}

std::shared_ptr<const TextWithFilenameSource> MakeWithFilenameSource() {
  TextSourceOptions options;
  options.file_system = Files();
  options.skip_header_lines = 1;
  options.escape = '\\';
  return std::make_shared<const TextWithFilenameSource>("in/*.txt", options);
}

// ReadAll: three patterns, one of them matching a file another matches.
std::shared_ptr<const TextSource> MakeReadAllSource() {
  TextSourceOptions options;
  options.file_system = Files();
  options.escape = '\\';
  return std::make_shared<const TextSource>(
      std::vector<std::string>{"in/b.txt", "in/*.txt", "in/c.txt"}, options);
}

SPLITCHECK_SOURCE_CONFORMANCE_TEST(TextSourceEscapes, MakeEscapingSource);
SPLITCHECK_SOURCE_CONFORMANCE_TEST(TextSourceReadAll, MakeReadAllSource);
SPLITCHECK_SOURCE_CONFORMANCE_TEST(TextWithFilename, MakeWithFilenameSource);
SPLITCHECK_SOURCE_CONFORMANCE_TEST(TextSourceKeptDelimiters, MakeDelimiterKeepingSource);

}  // namespace
}  // namespace splitcheck
