// Compression: the codecs file sources and sinks read and write, detected by
// file extension or chosen explicitly. The codecs are Debian's zlib, libbz2
// and libzstd.
//
//   kGzip     .gz       gzip members; several members one after the other
//                       (as `cat a.gz b.gz` makes) are read as one stream
//   kBzip2    .bz2      bzip2 streams, likewise concatenated (as pbzip2 makes)
//   kZstd     .zst      zstd frames, likewise concatenated
//   kDeflate  .deflate  zlib-wrapped deflate streams (RFC 1950), as Beam's
//                       DEFLATE; likewise concatenated
//
// Reading: decompress(file, codec) wraps a ReadableFile. Corrupt data is an
// InputError naming the file, the codec and the offset in the compressed
// bytes where decoding failed; data that ends inside a stream (a truncated
// file) is an InputError too, never a silently short read. Bytes after the
// last complete stream that do not start a new stream are corrupt data. An
// empty (0-byte) compressed file holds no data.
//
// Writing: compress(file, codec) wraps a WritableFile; close() finishes the
// stream and closes the file.

#ifndef SPLITCHECK_LIB_COMPRESSION_H_
#define SPLITCHECK_LIB_COMPRESSION_H_

#include <memory>
#include <string_view>

#include "splitcheck/lib/file_system.h"

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

// The codec a path's extension names, or kUncompressed.
Compression compression_for_path(std::string_view path);

// `compression`, with kAuto resolved by the path's extension.
Compression resolve_compression(Compression compression, std::string_view path);

// A stream of the decompressed bytes of `file`. kAuto is resolved from the
// file's path; kUncompressed returns `file` itself.
std::unique_ptr<ReadableFile> decompress(std::unique_ptr<ReadableFile> file,
                                         Compression compression);

// A file that compresses what is appended to `file`. kAuto is resolved from
// the file's path; kUncompressed returns `file` itself.
std::unique_ptr<WritableFile> compress(std::unique_ptr<WritableFile> file, Compression compression);

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_COMPRESSION_H_
