#include "splitcheck/lib/text/text_source.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/delimited_reader.h"
#include "splitcheck/lib/internal/describe.h"

namespace splitcheck {
namespace {

FileBasedSourceOptions base_options(const TextSourceOptions& options) {
  FileBasedSourceOptions out;
  out.file_system = options.file_system;
  out.compression = options.compression;
  out.min_bundle_size = options.min_bundle_size;
  out.empty_match = options.empty_match;
  return out;
}

// Up to `n` bytes of `file` from `offset` (fewer at its end).
std::string read_window(const SourceFile& file, std::int64_t offset, std::int64_t n) {
  std::string out(static_cast<std::size_t>(n), '\0');
  std::unique_ptr<ReadableFile> stream = file.open(offset);
  std::size_t have = 0;
  while (have < out.size()) {
    const std::size_t got = stream->read(out.data() + have, out.size() - have);
    if (got == 0) break;
    have += got;
  }
  out.resize(have);
  return out;
}

// A point p < s where the scan of the whole file is, and that is as close to
// s as that can be known by looking back: no occurrence of the delimiter
// starts in (p - length, p), so the leftmost scan cannot jump over p.
std::int64_t sync_point(const SourceFile& file, std::int64_t s, const std::string& delimiter) {
  // With the default delimiters s - 1 always works: the only two-byte
  // delimiter, "\r\n", ends at s whether the scan starts at its '\r' or
  // at its '\n'.
  if (delimiter.empty()) return s - 1;
  const auto length = static_cast<std::int64_t>(delimiter.size());
  std::int64_t p = s - 1;
  for (;;) {
    const std::int64_t lo = std::max<std::int64_t>(0, p - length + 1);
    if (lo >= p) return p;
    const std::string window = read_window(file, lo, p + length - 1 - lo);
    std::optional<std::int64_t> straddling;
    for (std::int64_t i = lo; i < p; ++i) {
      if (window.compare(static_cast<std::size_t>(i - lo), delimiter.size(), delimiter) == 0) {
        straddling = i;
        break;
      }
    }
    if (!straddling) return p;
    p = *straddling;
  }
}

// Whether the run of `escape` bytes that ends just before offset p is odd
// (the byte at p is escaped).
bool escaped_at(const SourceFile& file, std::int64_t p, char escape) {
  constexpr std::int64_t kWindow = 64;
  std::int64_t run = 0;
  for (std::int64_t q = p; q > 0;) {
    const std::int64_t lo = std::max<std::int64_t>(0, q - kWindow);
    const std::string window = read_window(file, lo, q - lo);
    for (auto i = static_cast<std::int64_t>(window.size()); i > 0; --i) {
      if (window[static_cast<std::size_t>(i - 1)] != escape) return run % 2 == 1;
      ++run;
    }
    q = lo;
  }
  return run % 2 == 1;
}

}  // namespace

namespace internal {

LineFormat::LineFormat(const std::string& pattern, const TextSourceOptions& options)
    : delimiter(options.delimiter),
      skip_header_lines(options.skip_header_lines),
      escape(options.escape),
      keep_delimiters(options.keep_delimiters),
      header_processor(options.header_processor) {
  if (skip_header_lines < 0) {
    throw UsageError("TextSource(\"" + pattern + "\"): skip_header_lines " +
                     std::to_string(skip_header_lines) + " is negative");
  }
  if (escape && escape_is_a_delimiter_byte(*escape, delimiter)) {
    throw UsageError("TextSource(\"" + pattern + "\"): the escape byte " + describe_value(*escape) +
                     " is a byte of the delimiter" +
                     (delimiter.empty() ? std::string(" (\\n, \\r\\n or \\r)")
                                        : " " + describe_value(delimiter)));
  }
}

void encode_line_format(const LineFormat& format, ByteWriter& out) {
  out.put_string(format.delimiter);
  out.put_signed(format.skip_header_lines);
  out.put_bool(format.escape.has_value());
  if (format.escape) out.put_varint(static_cast<unsigned char>(*format.escape));
  out.put_bool(format.keep_delimiters);
  out.put_bool(static_cast<bool>(format.header_processor));
}

LineFormat decode_line_format(ByteReader& in, const std::string& pattern,
                              HeaderProcessor header_processor) {
  const std::size_t begin = in.offset();
  TextSourceOptions options;
  options.delimiter = in.get_string("delimiter");
  std::size_t at = in.offset();
  options.skip_header_lines = in.get_signed("skip_header_lines");
  if (options.skip_header_lines < 0) in.fail(at, "skip_header_lines", "negative");
  if (in.get_bool("has escape")) {
    at = in.offset();
    const std::uint64_t escape = in.get_varint("escape");
    if (escape > 255) in.fail(at, "escape", std::to_string(escape) + " is not a byte");
    options.escape = static_cast<char>(static_cast<unsigned char>(escape));
  }
  options.keep_delimiters = in.get_bool("keep_delimiters");
  const bool had_processor = in.get_bool("has header_processor");
  if (had_processor && header_processor == nullptr) {
    throw UsageError("TextSource(\"" + pattern +
                     "\"): the source had a header_processor, which is code and is not "
                     "encoded: give it to the decoder (TextSource::decoder(fs, processor))");
  }
  if (had_processor) options.header_processor = std::move(header_processor);
  try {
    return LineFormat(pattern, options);
  } catch (const UsageError& e) {
    in.fail(begin, "line format", e.what());
  }
}

}  // namespace internal

TextSource::TextSource(std::string pattern, TextSourceOptions options)
    : FileBasedSource(std::move(pattern), base_options(options)),
      format_(this->pattern(), options) {}

TextSource::TextSource(std::vector<std::string> patterns, TextSourceOptions options)
    : FileBasedSource(std::move(patterns), base_options(options)),
      format_(this->pattern(), options) {}

TextSource::TextSource(Matched matched, internal::LineFormat format)
    : FileBasedSource(std::move(matched)), format_(std::move(format)) {}

void TextSource::encode_format(ByteWriter& out) const {
  out.put_string("TextSource");
  internal::encode_line_format(format_, out);
}

std::shared_ptr<const TextSource> TextSource::decode(ByteReader& in,
                                                     std::shared_ptr<const FileSystem> file_system,
                                                     internal::HeaderProcessor header_processor) {
  Matched matched = decode_base(in, std::move(file_system));
  in.expect_tag("TextSource");
  internal::LineFormat format =
      internal::decode_line_format(in, joined(matched.patterns), std::move(header_processor));
  return std::make_shared<const TextSource>(std::move(matched), std::move(format));
}

SourceDecoder<std::string, ConcatPosition<std::int64_t>> TextSource::decoder(
    std::shared_ptr<const FileSystem> file_system, internal::HeaderProcessor header_processor) {
  return [file_system, header_processor](ByteReader& in)
             -> std::shared_ptr<const BoundedSource<std::string, ConcatPosition<std::int64_t>>> {
    return decode(in, file_system, header_processor);
  };
}

SourceDecoder<std::string, ConcatPosition<std::int64_t>> TextSource::decoder() const {
  return decoder(options().file_system, format_.header_processor);
}

std::string TextSource::debug_string() const {
  return "TextSource(\"" + pattern() + "\", " + std::to_string(files().size()) + " files)";
}

namespace {

// The reader over `file` positioned at the first record the tracker's range
// owns: after the header, and at or after the range's start.
// The header lines it skips go to *header_lines when that is not null.
internal::DelimitedReader first_record_reader(const SourceFile& file, std::int64_t start,
                                              const std::string& delimiter,
                                              std::int64_t skip_header_lines,
                                              std::optional<char> escape, bool keep_delimiters,
                                              std::vector<std::string>* header_lines) {
  const auto open_at = [&](std::int64_t offset) {
    internal::DelimitedReader::Options options;
    options.escape = escape;
    options.keep_delimiter = keep_delimiters;
    options.starts_escaped = escape && offset > 0 && escaped_at(file, offset, *escape);
    return internal::DelimitedReader(file.open(offset), offset, delimiter,
                                     file.compressed() ? -1 : file.size_bytes() - offset, options);
  };
  std::int64_t header_end = 0;
  if (skip_header_lines > 0) {
    internal::DelimitedReader header = open_at(0);
    std::string line;
    std::int64_t line_start = 0;
    for (std::int64_t i = 0; i < skip_header_lines; ++i) {
      if (header_lines == nullptr ? !header.skip() : !header.next(&line, &line_start)) break;
      if (header_lines != nullptr) header_lines->push_back(line);
    }
    header_end = header.position();
    if (start <= header_end) return header;
  }
  if (start <= header_end) return open_at(0);
  std::int64_t p = sync_point(file, start, delimiter);
  // With escapes the scan must not start inside an escaped "\r\n": its '\n'
  // alone would look like a delimiter with no escape before it.
  if (escape && delimiter.empty() && p >= 1 && read_window(file, p - 1, 2) == "\r\n") --p;
  internal::DelimitedReader reader = open_at(p);
  while (reader.position() < start && reader.skip()) {
  }
  return reader;
}

}  // namespace

namespace internal {

Generator<std::string> read_lines(const SourceFile& file, RangeTracker<std::int64_t>& tracker,
                                  const LineFormat& format) {
  std::vector<std::string> header_lines;
  DelimitedReader reader = first_record_reader(
      file, tracker.start_position(), format.delimiter, format.skip_header_lines, format.escape,
      format.keep_delimiters, format.header_processor ? &header_lines : nullptr);
  if (format.header_processor && !header_lines.empty()) {
    format.header_processor(file.path(), header_lines);
  }
  // Progress: once a record is claimed, the reader knows where the next one
  // starts; at or past the stop, no record of the range is left unclaimed,
  // so split_points() reports 1 remaining (the record being read) as Beam's
  // readers do at their last record. Before that the count is unknown. Kept
  // in shared state: the tracker (and a progress thread) may outlive this
  // generator. A compressed file's stop is infinite: its count stays
  // unknown until the reader is done.
  auto next_start = std::make_shared<std::atomic<std::int64_t>>(-1);
  tracker.set_split_points_unclaimed_callback(
      [next_start](const std::int64_t& stop) -> std::int64_t {
        const std::int64_t next = next_start->load(std::memory_order_acquire);
        return next >= 0 && next >= stop ? 0 : SplitPoints::kUnknown;
      });
  std::string record;
  std::int64_t at = 0;
  while (reader.next(&record, &at)) {
    if (!tracker.try_claim(at)) co_return;
    // Release, not seq_cst: a plain store on the read path (an xchg was 8%
    // of a reader's time). A progress thread that sees the older value
    // reports unknown, which is always true.
    next_start->store(reader.position(), std::memory_order_release);
    co_yield std::move(record);
  }
  // The end of the file ends the range: a claim there is refused when the
  // range reaches the end (for a compressed file it reaches infinity).
  const std::int64_t end = reader.position();
  if (end >= tracker.stop_position()) tracker.try_claim(end);
}

}  // namespace internal

Generator<std::string> TextSource::read_records(const SourceFile& file,
                                                RangeTracker<std::int64_t>& tracker) const {
  return internal::read_lines(file, tracker, format_);
}

Read<std::string, ConcatPosition<std::int64_t>> ReadFromText(std::string pattern,
                                                             TextSourceOptions options) {
  return Read<std::string, ConcatPosition<std::int64_t>>(
      std::make_shared<const TextSource>(std::move(pattern), std::move(options)));
}

Read<std::string, ConcatPosition<std::int64_t>> ReadAllFromText(std::vector<std::string> patterns,
                                                                TextSourceOptions options) {
  return Read<std::string, ConcatPosition<std::int64_t>>(
      std::make_shared<const TextSource>(std::move(patterns), std::move(options)));
}

TextWithFilenameSource::TextWithFilenameSource(std::string pattern, TextSourceOptions options)
    : FileBasedSource(std::move(pattern), base_options(options)),
      format_(this->pattern(), options) {}

TextWithFilenameSource::TextWithFilenameSource(Matched matched, internal::LineFormat format)
    : FileBasedSource(std::move(matched)), format_(std::move(format)) {}

void TextWithFilenameSource::encode_format(ByteWriter& out) const {
  out.put_string("TextWithFilenameSource");
  internal::encode_line_format(format_, out);
}

std::shared_ptr<const TextWithFilenameSource> TextWithFilenameSource::decode(
    ByteReader& in, std::shared_ptr<const FileSystem> file_system,
    internal::HeaderProcessor header_processor) {
  Matched matched = decode_base(in, std::move(file_system));
  in.expect_tag("TextWithFilenameSource");
  internal::LineFormat format =
      internal::decode_line_format(in, joined(matched.patterns), std::move(header_processor));
  return std::make_shared<const TextWithFilenameSource>(std::move(matched), std::move(format));
}

SourceDecoder<LineWithPath, ConcatPosition<std::int64_t>> TextWithFilenameSource::decoder(
    std::shared_ptr<const FileSystem> file_system, internal::HeaderProcessor header_processor) {
  return [file_system, header_processor](ByteReader& in)
             -> std::shared_ptr<const BoundedSource<LineWithPath, ConcatPosition<std::int64_t>>> {
    return decode(in, file_system, header_processor);
  };
}

SourceDecoder<LineWithPath, ConcatPosition<std::int64_t>> TextWithFilenameSource::decoder() const {
  return decoder(options().file_system, format_.header_processor);
}

std::string TextWithFilenameSource::debug_string() const {
  return "TextWithFilenameSource(\"" + pattern() + "\", " + std::to_string(files().size()) +
         " files)";
}

Generator<LineWithPath> TextWithFilenameSource::read_records(
    const SourceFile& file, RangeTracker<std::int64_t>& tracker) const {
  for (std::string& line : internal::read_lines(file, tracker, format_)) {
    LineWithPath record(file.path(), std::move(line));  // named: see generator.h on GCC 12
    co_yield std::move(record);
  }
}

Read<LineWithPath, ConcatPosition<std::int64_t>> ReadFromTextWithFilename(
    std::string pattern, TextSourceOptions options) {
  return Read<LineWithPath, ConcatPosition<std::int64_t>>(
      std::make_shared<const TextWithFilenameSource>(std::move(pattern), std::move(options)));
}

}  // namespace splitcheck
