// A line source over one file that decides whether the file is gzip by its
// name, and compares the extension case-sensitively: "events.txt.gz" is
// decoded, "events.txt.GZ" is read as its compressed bytes. It splits the
// lines it read, the same lines every time, so every check that compares
// the source with itself passes it; only a check against records known in
// advance (check_source_reads_records) sees it
// (testkit/zoo/named_codec_line_source_test.cc). splitcheck's own
// TextSource knows a gzip stream by its first bytes, whatever the name.
// Never use it for anything else.

#ifndef SPLITCHECK_TESTKIT_ZOO_NAMED_CODEC_LINE_SOURCE_H_
#define SPLITCHECK_TESTKIT_ZOO_NAMED_CODEC_LINE_SOURCE_H_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "splitcheck/lib/coders/coder.h"
#include "splitcheck/lib/files/compression.h"
#include "splitcheck/lib/files/file_system.h"
#include "splitcheck/lib/sources/bounded_source.h"
#include "splitcheck/lib/sources/offset_bundles.h"
#include "splitcheck/lib/trackers/offset_range_tracker.h"

namespace splitcheck::examples::broken {

class NamedCodecLineSource final : public BoundedSource<std::string> {
 public:
  // Reads the file once; its lines are the records, line i at position i.
  NamedCodecLineSource(std::shared_ptr<const FileSystem> fs, const std::string& path)
      : path_(path) {
    const bool gzip = path.size() >= 3 && path.substr(path.size() - 3) == ".gz";  // the bug
    auto file =
        decompress(fs->open(path, 0), gzip ? Compression::kGzip : Compression::kUncompressed);
    std::string bytes;
    char buffer[4096];
    for (std::size_t n; (n = file->read(buffer, sizeof buffer)) > 0;) bytes.append(buffer, n);
    for (std::size_t begin = 0; begin < bytes.size();) {
      std::size_t end = bytes.find('\n', begin);
      if (end == std::string::npos) end = bytes.size();
      lines_.push_back(bytes.substr(begin, end - begin));
      begin = end + 1;
    }
  }

  std::int64_t estimate_size() const override { return static_cast<std::int64_t>(lines_.size()); }

  std::vector<SourceBundle<std::string>> split(std::int64_t desired,
                                               std::optional<std::int64_t> start,
                                               std::optional<std::int64_t> stop) const override {
    return split_offset_range<std::string>(self(), start.value_or(0),
                                           stop.value_or(estimate_size()), desired);
  }

  std::unique_ptr<RangeTracker<std::int64_t>> get_range_tracker(
      std::optional<std::int64_t> start, std::optional<std::int64_t> stop) const override {
    return std::make_unique<OffsetRangeTracker>(start.value_or(0), stop.value_or(estimate_size()));
  }

  Generator<std::string> read(RangeTracker<std::int64_t>& tracker) const override {
    for (std::int64_t i = tracker.start_position(); tracker.try_claim(i); ++i) {
      if (i >= estimate_size()) co_return;
      co_yield std::string(lines_[static_cast<std::size_t>(i)]);
    }
  }

  std::string debug_string() const override { return "NamedCodecLineSource(\"" + path_ + "\")"; }

  // Serializable: the path and the lines it read.
  NamedCodecLineSource(std::string path, std::vector<std::string> lines)
      : path_(std::move(path)), lines_(std::move(lines)) {}

  void encode(ByteWriter& out) const override {
    out.put_string("NamedCodecLineSource");
    out.put_string(path_);
    encode_value(lines_, out);
  }

  SourceDecoder<std::string> decoder() const override {
    return [](ByteReader& in) -> std::shared_ptr<const BoundedSource<std::string>> {
      in.expect_tag("NamedCodecLineSource");
      std::string path = in.get_string("path");
      return std::make_shared<const NamedCodecLineSource>(
          std::move(path), decode_value<std::vector<std::string>>(in));
    };
  }

 private:
  const std::string path_;
  std::vector<std::string> lines_;
};

}  // namespace splitcheck::examples::broken

#endif  // SPLITCHECK_TESTKIT_ZOO_NAMED_CODEC_LINE_SOURCE_H_
