#include "splitcheck/lib/files/source_file.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/error.h"

namespace splitcheck {
namespace {

// Ends at the matched size; throws if the file ends before it.
class SizeCheckedFile final : public ReadableFile {
 public:
  SizeCheckedFile(std::unique_ptr<ReadableFile> file, std::int64_t offset, std::int64_t size)
      : file_(std::move(file)), offset_(offset), size_(size) {}

  std::size_t read(char* buffer, std::size_t n) override {
    if (offset_ >= size_ || n == 0) return 0;
    n = std::min(n, static_cast<std::size_t>(size_ - offset_));
    const std::size_t got = file_->read(buffer, n);
    if (got == 0) {
      throw InputError("\"" + file_->path() + "\" shrank while being read: it had " +
                       std::to_string(size_) + " bytes when matched, and ends at byte " +
                       std::to_string(offset_));
    }
    offset_ += static_cast<std::int64_t>(got);
    return got;
  }

  const std::string& path() const override { return file_->path(); }

 private:
  const std::unique_ptr<ReadableFile> file_;
  std::int64_t offset_;
  const std::int64_t size_;
};

// The first bytes of the file, for detect_compression.
std::string head_of(const FileSystem& file_system, const FileMetadata& metadata) {
  if (metadata.size_bytes <= 0) return "";
  const auto file = file_system.open(metadata.path, 0);
  std::string head(
      std::min<std::size_t>(kCompressionMagicBytes, static_cast<std::size_t>(metadata.size_bytes)),
      '\0');
  std::size_t got = 0;
  while (got < head.size()) {
    const std::size_t n = file->read(head.data() + got, head.size() - got);
    if (n == 0) break;
    got += n;
  }
  head.resize(got);
  return head;
}

}  // namespace

SourceFile::SourceFile(std::shared_ptr<const FileSystem> file_system, FileMetadata metadata,
                       Compression compression)
    : file_system_(std::move(file_system)), metadata_(std::move(metadata)) {
  if (file_system_ == nullptr) throw UsageError("SourceFile: the file system must not be null");
  if (metadata_.size_bytes == 0) {
    // Files of pseudo file systems (/proc, /sys) report 0 bytes and then
    // read as text; read at their size they would be silently empty.
    char byte = 0;
    if (file_system_->open(metadata_.path, 0)->read(&byte, 1) != 0) {
      throw InputError("\"" + metadata_.path +
                       "\": its size reads as 0 bytes, but it has content (a file of a "
                       "pseudo file system such as /proc?): its size cannot be trusted, so it "
                       "is not read; copy it to a regular file");
    }
  }
  compression_ = compression == Compression::kAuto
                     ? detect_compression(metadata_.path, head_of(*file_system_, metadata_))
                     : compression;
}

std::unique_ptr<ReadableFile> SourceFile::open(std::int64_t offset) const {
  if (offset < 0 || (!compressed() && offset > metadata_.size_bytes)) {
    throw UsageError(
        "\"" + metadata_.path + "\": cannot open at offset " + std::to_string(offset) +
        (compressed() ? "" : " of a " + std::to_string(metadata_.size_bytes) + "-byte file"));
  }
  if (!compressed()) {
    return std::make_unique<SizeCheckedFile>(file_system_->open(metadata_.path, offset), offset,
                                             metadata_.size_bytes);
  }
  std::unique_ptr<ReadableFile> stream =
      decompress(std::make_unique<SizeCheckedFile>(file_system_->open(metadata_.path, 0), 0,
                                                   metadata_.size_bytes),
                 compression_);
  std::vector<char> skip(std::min<std::int64_t>(offset, 1 << 16));
  for (std::int64_t left = offset; left > 0;) {
    const std::size_t got =
        stream->read(skip.data(), static_cast<std::size_t>(std::min<std::int64_t>(left, 1 << 16)));
    if (got == 0) break;  // past the end: an empty stream
    left -= static_cast<std::int64_t>(got);
  }
  return stream;
}

}  // namespace splitcheck
