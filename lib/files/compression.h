// Compression: the codecs file sources and sinks read and write, detected by
// file extension (in any case: ".GZ" is gzip) and, for files a source reads,
// by content, or chosen explicitly. The codecs are Debian's zlib, libbz2 and
// libzstd.
//
//   kGzip     .gz       gzip members; several members one after the other
//                       (as `cat a.gz b.gz` makes) are read as one stream
//   kBzip2    .bz2      bzip2 streams, likewise concatenated (as pbzip2 makes)
//   kZstd     .zst      zstd frames, likewise concatenated
//   kDeflate  .deflate  zlib-wrapped deflate streams (RFC 1950), as Beam's
//                       DEFLATE; likewise concatenated
//
// Detection for reading (detect_compression, which SourceFile applies to every
// file a file-based source reads with kAuto): a gzip, bzip2 or zstd stream is
// known by its first bytes and decoded as such whatever the file is called
// (a ".txt" that holds gzip, a ".gz" that holds zstd); otherwise the
// extension decides; a name that says a codec over bytes that do not start
// as that codec's streams do is a CorruptDataError naming the file, never a read
// of compressed bytes as text or of text as garbage. deflate has no magic of
// its own: it goes by name only (and its two-byte zlib header is checked).
// An explicit codec, kUncompressed included, is taken at its word.
//
// Reading: decompress(file, codec) wraps a ReadableFile. Corrupt data is a
// CorruptDataError (an InputError that is not retried) naming the file, the
// codec and the offset in the compressed bytes where decoding failed (the
// damage is there or before it; bzip2 notices a whole block at a time); data
// that ends inside a stream (a truncated file) is a CorruptDataError too,
// never a silently short read. Bytes after the
// last complete stream that do not start a new stream are corrupt data. An
// empty (0-byte) compressed file holds no data.
//
// Writing: compress(file, codec) wraps a WritableFile; close() finishes the
// stream and closes the file.

#ifndef SPLITCHECK_LIB_FILES_COMPRESSION_H_
#define SPLITCHECK_LIB_FILES_COMPRESSION_H_

#include <memory>
#include <string_view>

#include "splitcheck/lib/files/file_system.h"

namespace splitcheck {

enum class Compression {
  kAuto,  // by extension; see compression_for_path
  kUncompressed,
  kGzip,
  kBzip2,
  kZstd,
  kDeflate,
};

// "auto", "uncompressed", "gzip", "bzip2", "zstd", "deflate".
std::string_view compression_name(Compression compression);

// The codec a path's extension names, in any case, or kUncompressed.
Compression compression_for_path(std::string_view path);

// `compression`, with kAuto resolved by the path's extension.
Compression resolve_compression(Compression compression, std::string_view path);

// How many leading bytes compression_for_content looks at.
inline constexpr std::size_t kCompressionMagicBytes = 10;

// The codec whose stream `head` (a file's first bytes) starts as: gzip
// (1f 8b 08), bzip2 ("BZh", a level 1-9, then a block or end-of-stream
// magic), zstd (a frame or skippable-frame magic); kUncompressed otherwise.
Compression compression_for_content(std::string_view head);

// kAuto resolved for reading the file at `path` whose stored bytes begin
// with `head` (its first kCompressionMagicBytes, fewer if it is shorter);
// see the file comment. An empty file goes by its name. Throws
// CorruptDataError naming the file when the name says a codec the content
// does not start as.
Compression detect_compression(std::string_view path, std::string_view head);

// A stream of the decompressed bytes of `file`. kAuto is resolved from the
// file's path; kUncompressed returns `file` itself.
std::unique_ptr<ReadableFile> decompress(std::unique_ptr<ReadableFile> file,
                                         Compression compression);

// A file that compresses what is appended to `file`. kAuto is resolved from
// the file's path; kUncompressed returns `file` itself.
std::unique_ptr<WritableFile> compress(std::unique_ptr<WritableFile> file, Compression compression);

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_FILES_COMPRESSION_H_
