// SourceFile: one file of a FileBasedSource, as its record reader sees it.
//
// It names the file, its size when the source's pattern was matched, and its
// codec, and opens streams of its bytes. The size is the contract: a file is
// read as the bytes it had when it was matched.
//   * If it has fewer when read (it shrank, or was replaced by a shorter
//     file), the stream throws InputError naming the file, the size it had
//     and the offset where its bytes ended: never a silently short read.
//   * If it has more (it grew), the stream ends at the matched size. Records
//     appended meanwhile are not read, and no record is read half.
//   * If it vanished, open() throws InputError naming it.
//   * If it was matched at 0 bytes but reads as more (the files of /proc and
//     /sys do), constructing the SourceFile throws InputError naming it: a
//     size that cannot be trusted cannot be split, and taken at its word it
//     would read as empty.
// For a compressed file the check applies to its compressed bytes, and the
// stream yields the decompressed bytes. With Compression::kAuto the codec is
// detected from the name and the first bytes (detect_compression in
// compression.h): a compressed file is never read as text, whatever it is
// called.
//
// Immutable and thread-safe; each stream is used by one thread at a time.

#ifndef SPLITCHECK_LIB_FILES_SOURCE_FILE_H_
#define SPLITCHECK_LIB_FILES_SOURCE_FILE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "splitcheck/lib/files/compression.h"
#include "splitcheck/lib/files/file_system.h"

namespace splitcheck {

class SourceFile {
 public:
  // kAuto is resolved from the path and the file's first bytes (one small
  // read); a name that says a codec the content does not start as is a
  // CorruptDataError naming the file.
  SourceFile(std::shared_ptr<const FileSystem> file_system, FileMetadata metadata,
             Compression compression);

  const std::string& path() const { return metadata_.path; }
  // The size when matched, in stored (possibly compressed) bytes.
  std::int64_t size_bytes() const { return metadata_.size_bytes; }
  // Never kAuto.
  Compression compression() const { return compression_; }
  bool compressed() const { return compression_ != Compression::kUncompressed; }

  // The file's bytes from `offset` on: stored bytes for an uncompressed file
  // (a seek), decompressed bytes for a compressed one (the first `offset`
  // decompressed bytes are read and dropped). UsageError for a negative
  // offset or, uncompressed, one past size_bytes().
  std::unique_ptr<ReadableFile> open(std::int64_t offset = 0) const;

 private:
  std::shared_ptr<const FileSystem> file_system_;
  FileMetadata metadata_;
  Compression compression_;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_FILES_SOURCE_FILE_H_
