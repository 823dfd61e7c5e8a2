// FileBasedSource<T>: a source over the files a pattern matches, read by a
// subclass that only knows how to read records from one file.
//
// A subclass implements read_records(file, tracker), the one method the
// connector guide asks of a file-based source:
//
//   class MyFormatSource final : public FileBasedSource<Row> {
//    public:
//     using FileBasedSource::FileBasedSource;
//    protected:
//     Generator<Row> read_records(const SourceFile& file,
//                                 RangeTracker<std::int64_t>& tracker) const override;
//   };
//
// read_records yields the records of `file` whose split point lies in the
// tracker's range of byte offsets, claiming each split point first and
// stopping at the first refused claim, as any read() does (bounded_source.h).
// For a compressed file the offsets are those of the decompressed bytes and
// the range is [0, kOffsetInfinity).
//
// The base class does the rest:
//   * The pattern (glob.h) is matched once, when the source is created;
//     matching nothing is an InputError unless options.empty_match allows it.
//     The files, sorted by path, are fixed from then on (see SourceFile for a
//     file that changes afterwards).
//   * One sub-source per file, concatenated: positions are ConcatPosition
//     (file index, byte offset), and a reader is split dynamically between
//     files and inside the one it reads (concat_source.h).
//   * A splittable file is split into byte ranges of
//     max(desired_bundle_size, options.min_bundle_size) bytes. A compressed
//     file (codec from options.compression, kAuto = by content, then extension) or a
//     source with options.splittable = false is read whole by one reader:
//     one bundle per file, and its tracker refuses every split.
//   * estimate_size() is the sum of the matched files' sizes in stored bytes.
//   * Serializable (source_coder.h): the encoding holds the files as they
//     were matched (path, size, codec) and the options, never the patterns
//     to match again, so a worker reads the files the source was made with.
//     The file system is not encoded: the decoder supplies it. A subclass
//     writes its own options in encode_format (the default throws: not
//     serializable) and decodes with decode_base and then its own fields:
//
//       void encode_format(ByteWriter& out) const override {
//         out.put_string("MyFormatSource");
//         out.put_varint(width_);
//       }
//       static std::shared_ptr<const MyFormatSource> decode(
//           ByteReader& in, std::shared_ptr<const FileSystem> fs = nullptr) {
//         Matched matched = decode_base(in, std::move(fs));
//         in.expect_tag("MyFormatSource");
//         return std::make_shared<const MyFormatSource>(std::move(matched),
//                                                       in.get_varint("width"));
//       }
//
// Create it with std::make_shared. Immutable and thread-safe.

#ifndef SPLITCHECK_LIB_SOURCES_FILE_BASED_SOURCE_H_
#define SPLITCHECK_LIB_SOURCES_FILE_BASED_SOURCE_H_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "splitcheck/lib/coders/byte_reader.h"
#include "splitcheck/lib/coders/byte_writer.h"
#include "splitcheck/lib/coders/coder.h"
#include "splitcheck/lib/error.h"
#include "splitcheck/lib/files/compression.h"
#include "splitcheck/lib/files/file_system.h"
#include "splitcheck/lib/files/source_file.h"
#include "splitcheck/lib/sources/bounded_source.h"
#include "splitcheck/lib/sources/concat_source.h"
#include "splitcheck/lib/sources/generator.h"
#include "splitcheck/lib/sources/offset_bundles.h"
#include "splitcheck/lib/trackers/offset_range_tracker.h"
#include "splitcheck/lib/trackers/unsplittable_range_tracker.h"

namespace splitcheck {

struct FileBasedSourceOptions {
  // Null means the local disk.
  std::shared_ptr<const FileSystem> file_system;
  Compression compression = Compression::kAuto;
  // No bundle of a splittable file is smaller than this (but the last).
  std::int64_t min_bundle_size = 0;
  // False for formats that cannot start reading mid-file.
  bool splittable = true;
  EmptyMatchTreatment empty_match = EmptyMatchTreatment::kDisallow;
};

template <typename T>
class FileBasedSource : public BoundedSource<T, ConcatPosition<std::int64_t>> {
 public:
  using Position = ConcatPosition<std::int64_t>;

  FileBasedSource(std::string pattern, FileBasedSourceOptions options)
      : FileBasedSource(std::vector<std::string>{std::move(pattern)}, std::move(options)) {}

  // The files of several patterns (Beam's ReadAll over a list of patterns
  // known when the source is made): each pattern matched as above, in the
  // order given, its files in path order after the previous pattern's. A
  // file two patterns match is read once for each, as Beam's ReadAll does.
  // No pattern at all: no files.
  FileBasedSource(std::vector<std::string> patterns, FileBasedSourceOptions options)
      : patterns_(std::move(patterns)), pattern_(joined(patterns_)), options_(std::move(options)) {
    if (options_.file_system == nullptr) options_.file_system = local_file_system();
    if (options_.min_bundle_size < 0) {
      throw UsageError("FileBasedSource(\"" + pattern_ + "\"): min_bundle_size " +
                       std::to_string(options_.min_bundle_size) + " is negative");
    }
    for (const std::string& one : patterns_) {
      for (FileMetadata& file : options_.file_system->match(one, options_.empty_match)) {
        files_.emplace_back(options_.file_system, std::move(file), options_.compression);
      }
    }
  }

  // The pattern, or the patterns joined by ", ".
  const std::string& pattern() const { return pattern_; }
  const std::vector<std::string>& patterns() const { return patterns_; }
  const FileBasedSourceOptions& options() const { return options_; }
  const std::vector<SourceFile>& files() const { return files_; }

  std::int64_t estimate_size() const override {
    std::int64_t total = 0;
    for (const SourceFile& file : files_) total += file.size_bytes();
    return total;
  }

  std::vector<SourceBundle<T, Position>> split(std::int64_t desired_bundle_size,
                                               std::optional<Position> start,
                                               std::optional<Position> stop) const override {
    std::vector<SourceBundle<T, Position>> bundles =
        concat().split(desired_bundle_size, std::move(start), std::move(stop));
    // The concatenation is this source's own machinery: bundles name this
    // source, which keeps it (and so the files' readers) alive.
    for (auto& bundle : bundles) {
      if (bundle.source.get() == concat_.get()) bundle.source = this->self();
    }
    return bundles;
  }

  std::unique_ptr<RangeTracker<Position>> get_range_tracker(
      std::optional<Position> start, std::optional<Position> stop) const override {
    return concat().get_range_tracker(std::move(start), std::move(stop));
  }

  Generator<T> read(RangeTracker<Position>& tracker) const override {
    return concat().read(tracker);
  }

  std::string debug_string() const override {
    return "FileBasedSource(\"" + pattern_ + "\", " + std::to_string(files_.size()) + " files)";
  }

  void encode(ByteWriter& out) const override {
    out.put_string("FileBasedSource");
    encode_value(patterns_, out);
    out.put_varint(static_cast<std::uint64_t>(options_.compression));
    out.put_signed(options_.min_bundle_size);
    out.put_bool(options_.splittable);
    out.put_varint(static_cast<std::uint64_t>(options_.empty_match));
    out.put_varint(files_.size());
    for (const SourceFile& file : files_) {
      out.put_string(file.path());
      out.put_signed(file.size_bytes());
      out.put_varint(static_cast<std::uint64_t>(file.compression()));
    }
    encode_format(out);
  }

 protected:
  // What a decoded source is made of: the files as they were matched.
  struct Matched {
    std::vector<std::string> patterns;
    FileBasedSourceOptions options;
    std::vector<SourceFile> files;
  };

  // The patterns joined by ", ", as pattern() shows them.
  static std::string joined(const std::vector<std::string>& patterns) {
    std::string out;
    for (const std::string& p : patterns) out += (out.empty() ? "" : ", ") + p;
    return out;
  }

  // The source of decoded parts; the files are not matched again.
  explicit FileBasedSource(Matched matched)
      : patterns_(std::move(matched.patterns)),
        pattern_(joined(patterns_)),
        options_(std::move(matched.options)),
        files_(std::move(matched.files)) {}

  // The base class's part of an encoding, its files on `file_system` (null:
  // the local disk). CorruptDataError for bytes encode() did not write.
  static Matched decode_base(ByteReader& in, std::shared_ptr<const FileSystem> file_system) {
    if (file_system == nullptr) file_system = local_file_system();
    in.expect_tag("FileBasedSource");
    Matched matched;
    matched.patterns = decode_value<std::vector<std::string>>(in);
    matched.options.file_system = file_system;
    matched.options.compression = decode_compression(in, "compression", true);
    std::size_t at = in.offset();
    matched.options.min_bundle_size = in.get_signed("min_bundle_size");
    if (matched.options.min_bundle_size < 0) in.fail(at, "min_bundle_size", "negative");
    matched.options.splittable = in.get_bool("splittable");
    at = in.offset();
    const std::uint64_t empty = in.get_varint("empty_match");
    if (empty > static_cast<std::uint64_t>(EmptyMatchTreatment::kAllowIfWildcard)) {
      in.fail(at, "empty_match", std::to_string(empty) + " names no treatment");
    }
    matched.options.empty_match = static_cast<EmptyMatchTreatment>(empty);
    // A file takes at least 3 bytes.
    const std::size_t count = in.get_length("file count", 3);
    std::vector<std::tuple<std::string, std::int64_t, Compression>> files;
    files.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      std::string path = in.get_string("file path");
      at = in.offset();
      const std::int64_t size = in.get_signed("file size");
      if (size < 0) in.fail(at, "file size", "negative");
      files.emplace_back(std::move(path), size, decode_compression(in, "file codec", false));
    }
    for (auto& [path, size, codec] : files) {
      matched.files.emplace_back(file_system, FileMetadata{std::move(path), size}, codec);
    }
    return matched;
  }

  // A decoder for a subclass: decode_base on this source's file system, then
  // make(Matched, ByteReader&) reads the subclass's part and makes it.
  template <typename Make>
  SourceDecoder<T, Position> file_decoder(Make make) const {
    return [fs = options_.file_system, make = std::move(make)](
               ByteReader& in) -> std::shared_ptr<const BoundedSource<T, Position>> {
      return make(decode_base(in, fs), in);
    };
  }

  // The subclass's part of the encoding, written after the base class's:
  // a tag and every option that changes what it reads. The default throws
  // a UsageError: a subclass without it is not serializable.
  virtual void encode_format(ByteWriter& out) const {
    (void)out;
    throw UsageError(debug_string() +
                     ": encode_format() is not implemented: a file-based source must write its "
                     "own options to be sent to workers (file_based_source.h)");
  }

  // The records of `file` in the tracker's range; see the class comment.
  // `file` and `tracker` outlive the generator.
  virtual Generator<T> read_records(const SourceFile& file,
                                    RangeTracker<std::int64_t>& tracker) const = 0;

 private:
  class SingleFile;

  const ConcatSource<T>& concat() const {
    std::call_once(concat_once_, [this] {
      const std::weak_ptr<const FileBasedSource> parent =
          std::static_pointer_cast<const FileBasedSource>(this->self());
      std::vector<SourceBundle<T>> parts;
      parts.reserve(files_.size());
      for (const SourceFile& file : files_) {
        parts.push_back(
            {static_cast<double>(file.size_bytes()),
             std::make_shared<SingleFile>(parent, file, options_.splittable && !file.compressed(),
                                          options_.min_bundle_size),
             std::nullopt, std::nullopt});
      }
      concat_ = std::make_shared<const ConcatSource<T>>(std::move(parts));
    });
    return *concat_;
  }

  static Compression decode_compression(ByteReader& in, std::string_view field, bool auto_ok) {
    const std::size_t at = in.offset();
    const std::uint64_t value = in.get_varint(field);
    if (value > static_cast<std::uint64_t>(Compression::kDeflate) ||
        (!auto_ok && value == static_cast<std::uint64_t>(Compression::kAuto))) {
      in.fail(at, field, std::to_string(value) + " names no codec");
    }
    return static_cast<Compression>(value);
  }

  std::vector<std::string> patterns_;
  std::string pattern_;
  FileBasedSourceOptions options_;
  std::vector<SourceFile> files_;
  // Built on first use (it needs shared_from_this). Each file's sub-source
  // holds a weak pointer back, so there is no ownership cycle.
  mutable std::once_flag concat_once_;
  mutable std::shared_ptr<const ConcatSource<T>> concat_;
};

// One file, as a source of byte offsets.
template <typename T>
class FileBasedSource<T>::SingleFile final : public BoundedSource<T, std::int64_t> {
 public:
  SingleFile(std::weak_ptr<const FileBasedSource> parent, SourceFile file, bool splittable,
             std::int64_t min_bundle_size)
      : parent_(std::move(parent)),
        file_(std::move(file)),
        splittable_(splittable),
        min_bundle_size_(min_bundle_size) {}

  std::int64_t estimate_size() const override { return file_.size_bytes(); }

  std::vector<SourceBundle<T>> split(std::int64_t desired_bundle_size,
                                     std::optional<std::int64_t> start,
                                     std::optional<std::int64_t> stop) const override {
    if (desired_bundle_size <= 0) {
      throw UsageError(debug_string() + ": split(" + std::to_string(desired_bundle_size) +
                       "): the desired bundle size must be positive");
    }
    const auto self = this->self();
    if (!splittable_) {
      return {{static_cast<double>(file_.size_bytes()), self, start, stop}};
    }
    const std::int64_t first = start.value_or(0);
    const std::int64_t last = stop.value_or(file_.size_bytes());
    if (first < 0 || first > last) {
      throw UsageError(debug_string() + ": split of [" + std::to_string(first) + ", " +
                       std::to_string(last) + "): not a range of the file");
    }
    return split_offset_range<T>(self, first, last,
                                 std::max(desired_bundle_size, min_bundle_size_));
  }

  std::unique_ptr<RangeTracker<std::int64_t>> get_range_tracker(
      std::optional<std::int64_t> start, std::optional<std::int64_t> stop) const override {
    if (!splittable_) {
      return std::make_unique<UnsplittableRangeTracker<std::int64_t>>(
          std::make_unique<OffsetRangeTracker>(start.value_or(0), stop.value_or(kOffsetInfinity)));
    }
    return std::make_unique<OffsetRangeTracker>(start.value_or(0),
                                                stop.value_or(file_.size_bytes()));
  }

  Generator<T> read(RangeTracker<std::int64_t>& tracker) const override {
    const std::shared_ptr<const FileBasedSource> parent = parent_.lock();
    if (parent == nullptr) {
      throw UsageError(debug_string() + ": the FileBasedSource that made this reader is gone");
    }
    return parent->read_records(file_, tracker);
  }

  std::string debug_string() const override {
    return "file \"" + file_.path() + "\" (" + std::to_string(file_.size_bytes()) + " bytes, " +
           std::string(compression_name(file_.compression())) + ")";
  }

 private:
  const std::weak_ptr<const FileBasedSource> parent_;
  const SourceFile file_;
  const bool splittable_;
  const std::int64_t min_bundle_size_;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_SOURCES_FILE_BASED_SOURCE_H_
