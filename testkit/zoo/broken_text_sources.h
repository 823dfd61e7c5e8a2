// Text readers with the classic split-boundary bugs, kept to prove the gate
// rejects them (testkit/zoo/broken_text_sources_test.cc). Each reads the
// whole file and parses lines ending in "\n" or "\r\n", then decides where
// its range's first line is, wrongly:
//
//   DropsLineAtSplitSource  a range starting at s > 0 skips to after the next
//                           '\n' at or after s, so when s is itself the start
//                           of a line, that line is in no range.
//   CrLfAtSplitSource       a range starting at s > 0 takes s as a line start
//                           when the byte before it is '\r' or '\n', so when
//                           "\r\n" straddles s, an empty line appears at s.
//   SplittableGzipSource    .gz files are split by compressed byte offsets
//                           but read in decompressed offsets: the bundles of a
//                           compressed file overlap and miss.
//   EscapeBlindAtSplit      lines end at a '\n' not escaped by '\\' (an odd
//                           run of them), judged right from the start of a
//                           line; but a range starting at s > 0 looks for its
//                           first line end from s - 1 and counts only the
//                           escapes it has read since, so a split right after
//                           "\\\n" takes the escaped newline for a line end
//                           and emits the rest of that line as a line.
//
// Never use them for anything else.

#ifndef SPLITCHECK_TESTKIT_ZOO_BROKEN_TEXT_SOURCES_H_
#define SPLITCHECK_TESTKIT_ZOO_BROKEN_TEXT_SOURCES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/files/compression.h"
#include "splitcheck/lib/sources/file_based_source.h"

namespace splitcheck::examples::broken {

enum class LineBug { kDropsLineAtSplit, kCrLfAtSplit, kSplittableGzip, kEscapeBlindAtSplit };

class BrokenTextSource final : public FileBasedSource<std::string> {
 public:
  BrokenTextSource(std::string pattern, std::shared_ptr<const FileSystem> fs, LineBug bug)
      : FileBasedSource(std::move(pattern), options_for(std::move(fs), bug)), bug_(bug) {}
  BrokenTextSource(Matched matched, LineBug bug) : FileBasedSource(std::move(matched)), bug_(bug) {}

  // Serializable: the bug is the format's one option.
  SourceDecoder<std::string, Position> decoder() const override {
    return file_decoder([](Matched matched, ByteReader& in) {
      in.expect_tag("BrokenTextSource");
      const std::size_t at = in.offset();
      const std::uint64_t bug = in.get_varint("bug");
      if (bug > static_cast<std::uint64_t>(LineBug::kEscapeBlindAtSplit)) {
        in.fail(at, "bug", std::to_string(bug) + " names no bug");
      }
      return std::make_shared<const BrokenTextSource>(std::move(matched),
                                                      static_cast<LineBug>(bug));
    });
  }

 protected:
  void encode_format(ByteWriter& out) const override {
    out.put_string("BrokenTextSource");
    out.put_varint(static_cast<std::uint64_t>(bug_));
  }

  Generator<std::string> read_records(const SourceFile& file,
                                      RangeTracker<std::int64_t>& tracker) const override {
    std::string bytes;
    {
      std::unique_ptr<ReadableFile> in = file.open(0);
      if (bug_ == LineBug::kSplittableGzip) in = decompress(std::move(in), Compression::kGzip);
      char buffer[4096];
      for (std::size_t n; (n = in->read(buffer, sizeof buffer)) > 0;) bytes.append(buffer, n);
    }
    const auto size = static_cast<std::int64_t>(bytes.size());
    const std::int64_t start = tracker.start_position();
    std::int64_t at = 0;
    const bool escapes = bug_ == LineBug::kEscapeBlindAtSplit;
    // The next '\n' at or after `from` that is not escaped, counting the
    // escapes before it no further back than `floor`.
    const auto line_end = [&](std::int64_t from, std::int64_t floor) -> std::int64_t {
      for (auto nl = static_cast<std::size_t>(from);
           (nl = bytes.find('\n', nl)) != std::string::npos; ++nl) {
        std::size_t run = 0;
        if (escapes) {
          while (nl - run > static_cast<std::size_t>(floor) && bytes[nl - run - 1] == '\\') ++run;
        }
        if (run % 2 == 0) return static_cast<std::int64_t>(nl);
      }
      return size;
    };
    if (escapes && start > 0) {
      const std::int64_t from = std::min(start, size) - 1;
      at = std::min(size, line_end(from, from) + 1);  // the bug: escapes before s - 1 unseen
    } else if (start > 0) {
      if (bug_ == LineBug::kCrLfAtSplit && start <= size &&
          (bytes[start - 1] == '\r' || bytes[start - 1] == '\n')) {
        at = start;
      } else {  // skip to after the next '\n' at or after start
        const std::size_t nl = bytes.find('\n', static_cast<std::size_t>(std::min(start, size)));
        at = nl == std::string::npos ? size : static_cast<std::int64_t>(nl) + 1;
      }
    }
    while (at < size) {
      const std::int64_t end = line_end(at, at);
      if (!tracker.try_claim(at)) co_return;
      std::string line =
          bytes.substr(static_cast<std::size_t>(at), static_cast<std::size_t>(end - at));
      if (!line.empty() && line.back() == '\r') line.pop_back();
      co_yield std::move(line);
      at = end + 1;
    }
    if (at >= tracker.stop_position()) tracker.try_claim(at);
  }

 private:
  static FileBasedSourceOptions options_for(std::shared_ptr<const FileSystem> fs, LineBug bug) {
    FileBasedSourceOptions options;
    options.file_system = std::move(fs);
    // The bug of kSplittableGzip: the file is declared uncompressed, so the
    // base class splits it by its compressed bytes.
    if (bug == LineBug::kSplittableGzip) options.compression = Compression::kUncompressed;
    return options;
  }

  const LineBug bug_;
};

}  // namespace splitcheck::examples::broken

#endif  // SPLITCHECK_TESTKIT_ZOO_BROKEN_TEXT_SOURCES_H_
