#include "splitcheck/lib/files/compression.h"

#include <bzlib.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "splitcheck/lib/error.h"

namespace splitcheck {
namespace {

constexpr std::size_t kChunk = 1 << 16;

// One codec's streaming state. A step consumes from `in` and produces into
// `out`, advancing both; it returns true when the current stream ended.
// Errors are thrown as the codec's message; the caller adds file and offset.
struct CodecError {
  std::string message;
};

class Decoder {
 public:
  virtual ~Decoder() = default;
  virtual void start_stream() = 0;
  virtual bool step(const char*& in, std::size_t& in_len, char*& out, std::size_t& out_len) = 0;
};

class Encoder {
 public:
  virtual ~Encoder() = default;
  // With `finish`, returns true once the stream is complete.
  virtual bool step(const char*& in, std::size_t& in_len, char*& out, std::size_t& out_len,
                    bool finish) = 0;
};

// zlib, for gzip (window bits 16 + 15) and zlib-wrapped deflate (15).
class ZlibDecoder final : public Decoder {
 public:
  explicit ZlibDecoder(int window_bits) {
    if (inflateInit2(&z_, window_bits) != Z_OK) throw CodecError{"zlib initialisation failed"};
  }
  ~ZlibDecoder() override { inflateEnd(&z_); }
  void start_stream() override { inflateReset(&z_); }
  bool step(const char*& in, std::size_t& in_len, char*& out, std::size_t& out_len) override {
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in));
    z_.avail_in = static_cast<uInt>(in_len);
    z_.next_out = reinterpret_cast<Bytef*>(out);
    z_.avail_out = static_cast<uInt>(out_len);
    const int status = inflate(&z_, Z_NO_FLUSH);
    in += in_len - z_.avail_in;
    in_len = z_.avail_in;
    out += out_len - z_.avail_out;
    out_len = z_.avail_out;
    if (status == Z_STREAM_END) return true;
    if (status == Z_OK || status == Z_BUF_ERROR) return false;
    throw CodecError{z_.msg != nullptr ? z_.msg : "error " + std::to_string(status)};
  }

 private:
  z_stream z_{};
};

class ZlibEncoder final : public Encoder {
 public:
  explicit ZlibEncoder(int window_bits) {
    if (deflateInit2(&z_, Z_DEFAULT_COMPRESSION, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK) {
      throw CodecError{"zlib initialisation failed"};
    }
  }
  ~ZlibEncoder() override { deflateEnd(&z_); }
  bool step(const char*& in, std::size_t& in_len, char*& out, std::size_t& out_len,
            bool finish) override {
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in));
    z_.avail_in = static_cast<uInt>(in_len);
    z_.next_out = reinterpret_cast<Bytef*>(out);
    z_.avail_out = static_cast<uInt>(out_len);
    const int status = deflate(&z_, finish ? Z_FINISH : Z_NO_FLUSH);
    in += in_len - z_.avail_in;
    in_len = z_.avail_in;
    out += out_len - z_.avail_out;
    out_len = z_.avail_out;
    if (status == Z_STREAM_END) return true;
    if (status == Z_OK || status == Z_BUF_ERROR) return false;
    throw CodecError{z_.msg != nullptr ? z_.msg : "error " + std::to_string(status)};
  }

 private:
  z_stream z_{};
};

const char* bzip2_message(int status) {
  switch (status) {
    case BZ_DATA_ERROR:
      return "data integrity error";
    case BZ_DATA_ERROR_MAGIC:
      return "not bzip2 data (bad magic number)";
    case BZ_MEM_ERROR:
      return "out of memory";
    default:
      return "internal error";
  }
}

class Bzip2Decoder final : public Decoder {
 public:
  Bzip2Decoder() { init(); }
  ~Bzip2Decoder() override { BZ2_bzDecompressEnd(&s_); }
  void start_stream() override {
    BZ2_bzDecompressEnd(&s_);
    s_ = bz_stream{};
    init();
  }
  bool step(const char*& in, std::size_t& in_len, char*& out, std::size_t& out_len) override {
    s_.next_in = const_cast<char*>(in);
    s_.avail_in = static_cast<unsigned>(in_len);
    s_.next_out = out;
    s_.avail_out = static_cast<unsigned>(out_len);
    const int status = BZ2_bzDecompress(&s_);
    in += in_len - s_.avail_in;
    in_len = s_.avail_in;
    out += out_len - s_.avail_out;
    out_len = s_.avail_out;
    if (status == BZ_STREAM_END) return true;
    if (status == BZ_OK) return false;
    throw CodecError{bzip2_message(status)};
  }

 private:
  void init() {
    if (BZ2_bzDecompressInit(&s_, 0, 0) != BZ_OK) throw CodecError{"bzip2 initialisation failed"};
  }
  bz_stream s_{};
};

class Bzip2Encoder final : public Encoder {
 public:
  Bzip2Encoder() {
    if (BZ2_bzCompressInit(&s_, 9, 0, 0) != BZ_OK) throw CodecError{"bzip2 initialisation failed"};
  }
  ~Bzip2Encoder() override { BZ2_bzCompressEnd(&s_); }
  bool step(const char*& in, std::size_t& in_len, char*& out, std::size_t& out_len,
            bool finish) override {
    s_.next_in = const_cast<char*>(in);
    s_.avail_in = static_cast<unsigned>(in_len);
    s_.next_out = out;
    s_.avail_out = static_cast<unsigned>(out_len);
    const int status = BZ2_bzCompress(&s_, finish ? BZ_FINISH : BZ_RUN);
    in += in_len - s_.avail_in;
    in_len = s_.avail_in;
    out += out_len - s_.avail_out;
    out_len = s_.avail_out;
    if (status == BZ_STREAM_END) return true;
    if (status == BZ_RUN_OK || status == BZ_FINISH_OK) return false;
    throw CodecError{bzip2_message(status)};
  }

 private:
  bz_stream s_{};
};

class ZstdDecoder final : public Decoder {
 public:
  ZstdDecoder() : ctx_(ZSTD_createDCtx()) {
    if (ctx_ == nullptr) throw CodecError{"zstd initialisation failed"};
  }
  ~ZstdDecoder() override { ZSTD_freeDCtx(ctx_); }
  void start_stream() override { ZSTD_DCtx_reset(ctx_, ZSTD_reset_session_only); }
  bool step(const char*& in, std::size_t& in_len, char*& out, std::size_t& out_len) override {
    // At most kStep bytes per call: zstd reports no position on an error, so
    // what earlier calls took is how close the offset in the message gets.
    constexpr std::size_t kStep = 4096;
    ZSTD_inBuffer input{in, std::min(in_len, kStep), 0};
    ZSTD_outBuffer output{out, out_len, 0};
    const std::size_t status = ZSTD_decompressStream(ctx_, &output, &input);
    in += input.pos;
    in_len -= input.pos;
    out += output.pos;
    out_len -= output.pos;
    if (ZSTD_isError(status)) throw CodecError{ZSTD_getErrorName(status)};
    return status == 0;  // the frame is complete and flushed
  }

 private:
  ZSTD_DCtx* ctx_;
};

class ZstdEncoder final : public Encoder {
 public:
  ZstdEncoder() : ctx_(ZSTD_createCCtx()) {
    if (ctx_ == nullptr) throw CodecError{"zstd initialisation failed"};
  }
  ~ZstdEncoder() override { ZSTD_freeCCtx(ctx_); }
  bool step(const char*& in, std::size_t& in_len, char*& out, std::size_t& out_len,
            bool finish) override {
    ZSTD_inBuffer input{in, in_len, 0};
    ZSTD_outBuffer output{out, out_len, 0};
    const std::size_t remaining =
        ZSTD_compressStream2(ctx_, &output, &input, finish ? ZSTD_e_end : ZSTD_e_continue);
    if (ZSTD_isError(remaining)) throw CodecError{ZSTD_getErrorName(remaining)};
    in += input.pos;
    in_len -= input.pos;
    out += output.pos;
    out_len -= output.pos;
    return finish && remaining == 0;
  }

 private:
  ZSTD_CCtx* ctx_;
};

std::unique_ptr<Decoder> make_decoder(Compression c) {
  switch (c) {
    case Compression::kGzip:
      return std::make_unique<ZlibDecoder>(16 + MAX_WBITS);
    case Compression::kDeflate:
      return std::make_unique<ZlibDecoder>(MAX_WBITS);
    case Compression::kBzip2:
      return std::make_unique<Bzip2Decoder>();
    case Compression::kZstd:
      return std::make_unique<ZstdDecoder>();
    default:
      throw UsageError("no decoder for " + std::string(compression_name(c)));
  }
}

std::unique_ptr<Encoder> make_encoder(Compression c) {
  switch (c) {
    case Compression::kGzip:
      return std::make_unique<ZlibEncoder>(16 + MAX_WBITS);
    case Compression::kDeflate:
      return std::make_unique<ZlibEncoder>(MAX_WBITS);
    case Compression::kBzip2:
      return std::make_unique<Bzip2Encoder>();
    case Compression::kZstd:
      return std::make_unique<ZstdEncoder>();
    default:
      throw UsageError("no encoder for " + std::string(compression_name(c)));
  }
}

class DecompressingFile final : public ReadableFile {
 public:
  DecompressingFile(std::unique_ptr<ReadableFile> file, Compression compression)
      : file_(std::move(file)), compression_(compression), input_(kChunk) {
    try {
      decoder_ = make_decoder(compression);
    } catch (const CodecError& e) {
      throw InputError(where() + ": " + e.message);
    }
  }

  std::size_t read(char* buffer, std::size_t n) override {
    if (n == 0) return 0;
    char* out = buffer;
    std::size_t out_len = n;
    while (out_len == n) {  // until some output
      if (in_len_ == 0 && !eof_) refill();
      if (in_len_ == 0) {
        if (in_stream_) {
          throw CorruptDataError(
              where() + ": truncated " + std::string(compression_name(compression_)) +
              " data: the file ends at byte " + std::to_string(consumed_) + " inside a stream");
        }
        break;  // the end of the last stream is the end of the data
      }
      if (!in_stream_) {
        decoder_->start_stream();
        in_stream_ = true;
      }
      const char* in = input_.data() + in_pos_;
      const std::size_t before = in_len_;
      try {
        if (decoder_->step(in, in_len_, out, out_len)) {
          in_stream_ = false;
        } else if (in_len_ == before && out_len == n) {
          throw CodecError{"the decoder made no progress"};
        }
      } catch (const CodecError& e) {
        // The decoders report the input they took before failing: the damage
        // is there or before it (a stream's checksum is checked at its end).
        const auto at = consumed_ + static_cast<std::int64_t>(before - in_len_);
        throw CorruptDataError(
            where() + ": corrupt " + std::string(compression_name(compression_)) +
            " data: decoding failed at compressed byte " + std::to_string(at) + ": " + e.message);
      }
      in_pos_ += before - in_len_;
      consumed_ += static_cast<std::int64_t>(before - in_len_);
    }
    return n - out_len;
  }

  const std::string& path() const override { return file_->path(); }

 private:
  std::string where() const { return "\"" + file_->path() + "\""; }

  void refill() {
    in_pos_ = 0;
    in_len_ = file_->read(input_.data(), input_.size());
    if (in_len_ == 0) eof_ = true;
  }

  const std::unique_ptr<ReadableFile> file_;
  const Compression compression_;
  std::unique_ptr<Decoder> decoder_;
  std::vector<char> input_;
  std::size_t in_pos_ = 0;
  std::size_t in_len_ = 0;
  std::int64_t consumed_ = 0;  // compressed bytes decoded so far
  bool eof_ = false;
  bool in_stream_ = false;  // a stream has started and not ended
};

class CompressingFile final : public WritableFile {
 public:
  CompressingFile(std::unique_ptr<WritableFile> file, Compression compression)
      : file_(std::move(file)), compression_(compression), output_(kChunk) {
    try {
      encoder_ = make_encoder(compression);
    } catch (const CodecError& e) {
      throw InputError("\"" + file_->path() + "\": " + e.message);
    }
  }

  void append(std::string_view data) override {
    if (closed_) throw UsageError("\"" + file_->path() + "\": append after close");
    run(data, false);
  }

  void close() override {
    if (closed_) throw UsageError("\"" + file_->path() + "\": closed twice");
    closed_ = true;
    run({}, true);
    file_->close();
  }

  const std::string& path() const override { return file_->path(); }

 private:
  void run(std::string_view data, bool finish) {
    const char* in = data.data();
    std::size_t in_len = data.size();
    for (;;) {
      char* out = output_.data();
      std::size_t out_len = output_.size();
      bool done;
      try {
        done = encoder_->step(in, in_len, out, out_len, finish);
      } catch (const CodecError& e) {
        throw InputError("\"" + file_->path() +
                         "\": " + std::string(compression_name(compression_)) +
                         " compression: " + e.message);
      }
      const std::size_t produced = output_.size() - out_len;
      if (produced > 0) file_->append(std::string_view(output_.data(), produced));
      if (finish ? done : (in_len == 0 && out_len > 0)) return;
    }
  }

  const std::unique_ptr<WritableFile> file_;
  const Compression compression_;
  std::unique_ptr<Encoder> encoder_;
  std::vector<char> output_;
  bool closed_ = false;
};

// Whether `s` ends with `suffix` (lower case ASCII), in any case.
bool ends_with_any_case(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  const std::string_view tail = s.substr(s.size() - suffix.size());
  return std::equal(tail.begin(), tail.end(), suffix.begin(), [](char a, char b) {
    return (a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a') : a) == b;
  });
}

bool starts_with_bytes(std::string_view s, std::initializer_list<unsigned char> bytes) {
  if (s.size() < bytes.size()) return false;
  std::size_t i = 0;
  for (const unsigned char b : bytes) {
    if (static_cast<unsigned char>(s[i++]) != b) return false;
  }
  return true;
}

// A zlib (RFC 1950) header: deflate, a window of at most 32 KiB, and a check
// that makes the first two bytes a multiple of 31.
bool zlib_header(std::string_view head) {
  if (head.size() < 2) return false;
  const auto cmf = static_cast<unsigned char>(head[0]);
  const auto flg = static_cast<unsigned char>(head[1]);
  return (cmf & 0x0f) == 8 && (cmf >> 4) <= 7 && (cmf * 256 + flg) % 31 == 0;
}

}  // namespace

std::string_view compression_name(Compression compression) {
  switch (compression) {
    case Compression::kAuto:
      return "auto";
    case Compression::kUncompressed:
      return "uncompressed";
    case Compression::kGzip:
      return "gzip";
    case Compression::kBzip2:
      return "bzip2";
    case Compression::kZstd:
      return "zstd";
    case Compression::kDeflate:
      return "deflate";
  }
  return "unknown";
}

Compression compression_for_path(std::string_view path) {
  if (ends_with_any_case(path, ".gz")) return Compression::kGzip;
  if (ends_with_any_case(path, ".bz2")) return Compression::kBzip2;
  if (ends_with_any_case(path, ".zst")) return Compression::kZstd;
  if (ends_with_any_case(path, ".deflate")) return Compression::kDeflate;
  return Compression::kUncompressed;
}

Compression compression_for_content(std::string_view head) {
  if (starts_with_bytes(head, {0x1f, 0x8b, 0x08})) return Compression::kGzip;
  if (head.size() >= 10 && head.substr(0, 3) == "BZh" && head[3] >= '1' && head[3] <= '9') {
    const std::string_view block = head.substr(4, 6);
    if (block == "1AY&SY" || block == std::string_view("\x17\x72\x45\x38\x50\x90", 6)) {
      return Compression::kBzip2;
    }
  }
  if (starts_with_bytes(head, {0x28, 0xb5, 0x2f, 0xfd})) return Compression::kZstd;
  if (head.size() >= 4 && (static_cast<unsigned char>(head[0]) & 0xf0) == 0x50 &&
      starts_with_bytes(head.substr(1), {0x2a, 0x4d, 0x18})) {
    return Compression::kZstd;  // a skippable frame first
  }
  return Compression::kUncompressed;
}

Compression detect_compression(std::string_view path, std::string_view head) {
  const Compression by_name = compression_for_path(path);
  if (head.empty()) return by_name;
  const Compression by_content = compression_for_content(head);
  if (by_content != Compression::kUncompressed) return by_content;
  if (by_name == Compression::kUncompressed) return by_name;
  if (by_name == Compression::kDeflate && zlib_header(head)) return by_name;
  throw CorruptDataError("\"" + std::string(path) + "\": its name says " +
                         std::string(compression_name(by_name)) + ", but it does not start as a " +
                         std::string(compression_name(by_name)) +
                         " stream does: set the source's compression to read it as it is");
}

Compression resolve_compression(Compression compression, std::string_view path) {
  return compression == Compression::kAuto ? compression_for_path(path) : compression;
}

std::unique_ptr<ReadableFile> decompress(std::unique_ptr<ReadableFile> file,
                                         Compression compression) {
  if (file == nullptr) throw UsageError("decompress: the file must not be null");
  compression = resolve_compression(compression, file->path());
  if (compression == Compression::kUncompressed) return file;
  return std::make_unique<DecompressingFile>(std::move(file), compression);
}

std::unique_ptr<WritableFile> compress(std::unique_ptr<WritableFile> file,
                                       Compression compression) {
  if (file == nullptr) throw UsageError("compress: the file must not be null");
  compression = resolve_compression(compression, file->path());
  if (compression == Compression::kUncompressed) return file;
  return std::make_unique<CompressingFile>(std::move(file), compression);
}

}  // namespace splitcheck
