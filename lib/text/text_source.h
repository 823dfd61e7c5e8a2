// Reading text files: ReadFromText(pattern) and the TextSource behind it.
//
//   LocalRunner runner;
//   auto lines = runner.run(ReadFromText("logs/**/*.txt.gz")).records;
//
// Records are lines: the bytes between delimiters, without the delimiters.
// The default delimiters are "\n", "\r\n" and "\r", mixed freely; a custom
// delimiter is any non-empty byte string (options.delimiter), matched leftmost
// first without overlap. Empty lines are records; a trailing delimiter does
// not make an empty last record; a last line without delimiter is a record.
// The first options.skip_header_lines lines of every file are not records.
//
// Splitting. A record belongs to the range of byte offsets holding its first
// byte. A reader whose range starts at s > 0 reads from the first record
// starting at or after s: when s is itself a record start it is that record,
// when a "\r\n" straddles s it is the record after it, and with a custom
// delimiter that can overlap itself ("abab", "aa") the reader finds where
// the whole file's leftmost scan would be by looking back from s to a point
// no occurrence of the delimiter straddles. (Each reader looks back at most
// as far as overlapping occurrences chain, one delimiter length per link.)
// Header lines are skipped by every reader, and never emitted: a range that
// starts inside the header reads from the first record after it.
//
// Escapes (options.escape). A delimiter preceded by an odd run of escape
// bytes does not end a record: the escape escapes the next byte, or the whole
// delimiter occurrence starting there, and an escape escapes an escape, so
// "a\\\nb" is one record and "a\\\\\nb" two. Records keep their escapes
// (nothing is unescaped). A reader whose range starts at s > 0 counts the
// run of escapes before the point it starts scanning from, so a split right
// after an escape, or inside an escaped "\r\n", never starts a record.
//
// options.keep_delimiters: every record ends with the delimiter that ended
// it ("\r\n", "\n", "\r" or the custom one), as Beam's
// strip_trailing_newlines = False; a last line without one has none.
//
// Compressed files (.gz, .bz2, .zst, .deflate, or options.compression) are
// read whole by one reader and never split, as in Beam; their offsets are
// decompressed bytes. Everything else is as FileBasedSource describes:
// match errors, shrinking files, and progress.

#ifndef SPLITCHECK_LIB_TEXT_TEXT_SOURCE_H_
#define SPLITCHECK_LIB_TEXT_TEXT_SOURCE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/sources/file_based_source.h"
#include "splitcheck/lib/sources/generator.h"
#include "splitcheck/lib/sources/read.h"
#include "splitcheck/lib/sources/source_coder.h"

namespace splitcheck {

struct TextSourceOptions {
  // Where the files are; null means the local disk.
  std::shared_ptr<const FileSystem> file_system;
  // How every matched file is compressed. kAuto: by its first bytes (a
  // gzip, bzip2 or zstd stream is known by content, whatever the name), then
  // by its extension in any case (".deflate" goes by name only); a name that
  // promises a codec the content lacks is a CorruptDataError
  // (detect_compression in compression.h). A compressed file is one bundle.
  Compression compression = Compression::kAuto;
  // Initial bundles hold at least this many bytes of a file (0: as the
  // runner asks). Dynamic splits are not limited by it.
  std::int64_t min_bundle_size = 0;
  // A pattern that matches no file: an InputError (kDisallow) or no records
  // (kAllow, kAllowIfWildcard when the pattern has a wildcard).
  EmptyMatchTreatment empty_match = EmptyMatchTreatment::kDisallow;
  // Empty: lines end at "\n", "\r\n" or "\r". Otherwise this exact byte
  // string ends a record (see the file comment).
  std::string delimiter;
  // Lines skipped at the start of every file; >= 0 (a UsageError otherwise).
  std::int64_t skip_header_lines = 0;
  // The escape byte, if any (see the file comment). It must not be a byte of
  // the delimiter ("\r" or "\n" for the default ones): a UsageError.
  std::optional<char> escape;
  // Records end with their delimiter (see the file comment).
  bool keep_delimiters = false;
  // Called with a file's path and its skipped header lines (as records are
  // read: escapes kept, delimiters per keep_delimiters) by every reader of
  // that file, before its first record, when the file has at least one
  // header line; so once per bundle of the file and per attempt, possibly
  // from several workers at once (it must be thread-safe). Beam's
  // header_processor_fns, with the header chosen by skip_header_lines.
  std::function<void(const std::string& path, const std::vector<std::string>& header_lines)>
      header_processor;
};

namespace internal {

// How lines are read: the options of TextSourceOptions that are not the
// base class's, validated (UsageError naming `pattern`).
struct LineFormat {
  LineFormat(const std::string& pattern, const TextSourceOptions& options);

  std::string delimiter;
  std::int64_t skip_header_lines;
  std::optional<char> escape;
  bool keep_delimiters;
  std::function<void(const std::string&, const std::vector<std::string>&)> header_processor;
};

using HeaderProcessor =
    std::function<void(const std::string& path, const std::vector<std::string>& header_lines)>;

// The line format's part of a text source's encoding: every field but the
// header processor, which is code; whether there was one is encoded, and
// decode_line_format needs it given then (UsageError without it).
void encode_line_format(const LineFormat& format, ByteWriter& out);
LineFormat decode_line_format(ByteReader& in, const std::string& pattern,
                              HeaderProcessor header_processor);

// The lines of the tracker's range of `file`.
Generator<std::string> read_lines(const SourceFile& file, RangeTracker<std::int64_t>& tracker,
                                  const LineFormat& format);

}  // namespace internal

class TextSource final : public FileBasedSource<std::string> {
 public:
  TextSource(std::string pattern, TextSourceOptions options);
  // The files of every pattern, in the order given (FileBasedSource's
  // ReadAll constructor).
  TextSource(std::vector<std::string> patterns, TextSourceOptions options);
  // A decoded source (decode below).
  TextSource(Matched matched, internal::LineFormat format);

  std::string debug_string() const override;

  // Serializable: FileBasedSource's encoding (the matched files, the file
  // system left out), then the line format. The file system and the header
  // processor (code, not data) come from the decoder: decode(in) reads the
  // local disk; decoder(fs, header_processor) makes one for another file
  // system. A source with a header processor decoded without one is a
  // UsageError.
  static std::shared_ptr<const TextSource> decode(
      ByteReader& in, std::shared_ptr<const FileSystem> file_system = nullptr,
      internal::HeaderProcessor header_processor = nullptr);
  static SourceDecoder<std::string, ConcatPosition<std::int64_t>> decoder(
      std::shared_ptr<const FileSystem> file_system,
      internal::HeaderProcessor header_processor = nullptr);
  // decoder(this source's file system, its header processor).
  SourceDecoder<std::string, ConcatPosition<std::int64_t>> decoder() const override;

 protected:
  Generator<std::string> read_records(const SourceFile& file,
                                      RangeTracker<std::int64_t>& tracker) const override;
  void encode_format(ByteWriter& out) const override;

 private:
  const internal::LineFormat format_;
};

// The lines of the files `pattern` matches.
Read<std::string, ConcatPosition<std::int64_t>> ReadFromText(std::string pattern,
                                                             TextSourceOptions options = {});

// The lines of the files every pattern matches (Beam's ReadAllFromText over
// patterns known when the pipeline runs): splits and options as ReadFromText.
Read<std::string, ConcatPosition<std::int64_t>> ReadAllFromText(std::vector<std::string> patterns,
                                                                TextSourceOptions options = {});

// A line and the path of the file it came from: {path, line}.
using LineWithPath = std::pair<std::string, std::string>;

// TextSource's lines, each paired with its file's path as the file system
// matched it (Beam's ReadFromTextWithFilename). Splits, options and errors
// are TextSource's.
class TextWithFilenameSource final : public FileBasedSource<LineWithPath> {
 public:
  TextWithFilenameSource(std::string pattern, TextSourceOptions options);
  TextWithFilenameSource(Matched matched, internal::LineFormat format);

  std::string debug_string() const override;

  // Serializable as TextSource is.
  static std::shared_ptr<const TextWithFilenameSource> decode(
      ByteReader& in, std::shared_ptr<const FileSystem> file_system = nullptr,
      internal::HeaderProcessor header_processor = nullptr);
  static SourceDecoder<LineWithPath, ConcatPosition<std::int64_t>> decoder(
      std::shared_ptr<const FileSystem> file_system,
      internal::HeaderProcessor header_processor = nullptr);
  // decoder(this source's file system, its header processor).
  SourceDecoder<LineWithPath, ConcatPosition<std::int64_t>> decoder() const override;

 protected:
  Generator<LineWithPath> read_records(const SourceFile& file,
                                       RangeTracker<std::int64_t>& tracker) const override;
  void encode_format(ByteWriter& out) const override;

 private:
  const internal::LineFormat format_;
};

Read<LineWithPath, ConcatPosition<std::int64_t>> ReadFromTextWithFilename(
    std::string pattern, TextSourceOptions options = {});

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_TEXT_TEXT_SOURCE_H_
