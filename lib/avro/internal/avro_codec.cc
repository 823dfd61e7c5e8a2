#include "splitcheck/lib/avro/internal/avro_codec.h"

#include <bzlib.h>
#include <lzma.h>
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <memory>
#include <new>

#include "splitcheck/lib/error.h"

namespace splitcheck::internal {
namespace {

[[noreturn]] void corrupt(const std::string& where, AvroCodec codec, const std::string& what) {
  throw CorruptDataError(where + ": " + std::string(avro_codec_name(codec)) + " block: " + what);
}

// Grows `out` by the next chunk to decode into, never past `max_bytes`;
// false when `out` already holds `max_bytes`.
bool grow(std::string& out, std::size_t& used, std::int64_t max_bytes) {
  const std::size_t limit = static_cast<std::size_t>(max_bytes);
  if (used >= limit) return false;
  const std::size_t next = std::min(limit, std::max<std::size_t>(4096, out.size() * 2));
  out.resize(next);
  return true;
}

std::string too_large(std::int64_t max_bytes) {
  return "decodes to more than " + std::to_string(max_bytes) + " bytes";
}

// Inflates `in` with `z`, an inflater set up for raw deflate and reset.
void inflate_raw(z_stream& z, std::string_view in, std::int64_t max_bytes, const std::string& where,
                 std::string& out) {
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  // Blocks of records usually inflate 2-4x: start there, grow by doubling.
  out.resize(static_cast<std::size_t>(
      std::min<std::int64_t>(max_bytes, std::max<std::int64_t>(4096, 4 * std::ssize(in)))));
  std::size_t used = 0;
  for (;;) {
    if (used == out.size() && !grow(out, used, max_bytes)) {
      corrupt(where, AvroCodec::kDeflate, too_large(max_bytes));
    }
    z.next_out = reinterpret_cast<Bytef*>(out.data() + used);
    z.avail_out = static_cast<uInt>(out.size() - used);
    const int rc = inflate(&z, Z_NO_FLUSH);
    used = out.size() - z.avail_out;
    if (rc == Z_STREAM_END) break;
    if (rc == Z_OK) continue;
    if (rc == Z_BUF_ERROR && z.avail_in == 0) {
      corrupt(where, AvroCodec::kDeflate, "the deflate stream ends early (truncated)");
    }
    if (rc == Z_BUF_ERROR) continue;
    corrupt(where, AvroCodec::kDeflate,
            std::string("not a valid deflate stream (") +
                (z.msg != nullptr ? z.msg : "zlib error") + ")");
  }
  out.resize(used);
  if (z.avail_in != 0) {
    // Python's avro writes zlib's stream minus its 2-byte header and last
    // byte: 3 bytes of the big-endian Adler-32 follow the deflate data.
    // Those (or all 4) are checked; anything else after the stream is corrupt.
    const auto adler = static_cast<std::uint32_t>(
        adler32(1, reinterpret_cast<const Bytef*>(out.data()), static_cast<uInt>(out.size())));
    const char expected[4] = {static_cast<char>(adler >> 24), static_cast<char>(adler >> 16),
                              static_cast<char>(adler >> 8), static_cast<char>(adler)};
    const std::string_view tail(reinterpret_cast<const char*>(z.next_in), z.avail_in);
    if (tail.size() > 4 || tail.size() < 3 || tail != std::string_view(expected, tail.size())) {
      corrupt(where, AvroCodec::kDeflate,
              std::to_string(z.avail_in) +
                  " bytes after the end of the deflate stream that are not its Adler-32");
    }
  }
}

void inflate_raw(std::string_view in, std::int64_t max_bytes, const std::string& where,
                 std::string& out) {
  z_stream z{};
  if (inflateInit2(&z, -MAX_WBITS) != Z_OK) throw std::bad_alloc();
  const std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&z, inflateEnd);
  inflate_raw(z, in, max_bytes, where, out);
}

void unsnappy(std::string_view in, std::int64_t max_bytes, const std::string& where,
              std::string& out) {
  if (in.size() < 4) {
    corrupt(where, AvroCodec::kSnappy,
            std::to_string(in.size()) + " bytes: too short for the 4-byte checksum");
  }
  const std::string_view data = in.substr(0, in.size() - 4);
  std::size_t length = 0;
  if (snappy_uncompressed_length(data.data(), data.size(), &length) != SNAPPY_OK) {
    corrupt(where, AvroCodec::kSnappy, "not a valid snappy stream (bad length)");
  }
  if (length > static_cast<std::size_t>(max_bytes)) {
    corrupt(where, AvroCodec::kSnappy, too_large(max_bytes));
  }
  out.resize(length);
  if (snappy_uncompress(data.data(), data.size(), out.data(), &length) != SNAPPY_OK) {
    corrupt(where, AvroCodec::kSnappy, "not a valid snappy stream");
  }
  out.resize(length);
  const auto* tail = reinterpret_cast<const unsigned char*>(in.data() + data.size());
  const std::uint32_t stored = (std::uint32_t{tail[0]} << 24) | (std::uint32_t{tail[1]} << 16) |
                               (std::uint32_t{tail[2]} << 8) | std::uint32_t{tail[3]};
  const std::uint32_t actual = static_cast<std::uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(out.data()), static_cast<uInt>(out.size())));
  if (stored != actual) {
    corrupt(where, AvroCodec::kSnappy,
            "checksum mismatch: the block stores " + std::to_string(stored) + ", its bytes have " +
                std::to_string(actual));
  }
}

void unlzma(AvroCodec codec, std::string_view in, std::int64_t max_bytes, const std::string& where,
            std::string& out) {
  lzma_stream s = LZMA_STREAM_INIT;
  lzma_ret rc;
  lzma_options_lzma options;
  if (codec == AvroCodec::kXz) {
    // 256 MiB: what xz's own presets need at most is ~65 MiB; more is a
    // header asking for a dictionary no Avro writer uses.
    rc = lzma_stream_decoder(&s, std::uint64_t{256} << 20, 0);
  } else {
    if (lzma_lzma_preset(&options, LZMA_PRESET_DEFAULT)) throw std::bad_alloc();
    // avro-c 1.11 always encodes with the default preset, whose dictionary
    // (8 MiB) this is.
    const lzma_filter filters[] = {{LZMA_FILTER_LZMA2, &options}, {LZMA_VLI_UNKNOWN, nullptr}};
    rc = lzma_raw_decoder(&s, filters);
  }
  if (rc != LZMA_OK) throw std::bad_alloc();
  const std::unique_ptr<lzma_stream, void (*)(lzma_stream*)> guard(&s, lzma_end);
  s.next_in = reinterpret_cast<const std::uint8_t*>(in.data());
  s.avail_in = in.size();
  std::size_t used = 0;
  for (;;) {
    if (used == out.size() && !grow(out, used, max_bytes)) {
      corrupt(where, codec, too_large(max_bytes));
    }
    s.next_out = reinterpret_cast<std::uint8_t*>(out.data() + used);
    s.avail_out = out.size() - used;
    rc = lzma_code(&s, LZMA_FINISH);
    used = out.size() - s.avail_out;
    if (rc == LZMA_STREAM_END) break;
    if (rc == LZMA_OK) continue;
    if (rc == LZMA_BUF_ERROR && s.avail_in == 0) {
      corrupt(where, codec, "the stream ends early (truncated)");
    }
    if (rc == LZMA_BUF_ERROR) continue;
    if (rc == LZMA_MEMLIMIT_ERROR) {
      corrupt(where, codec, "the stream asks for more than 256 MiB to decode");
    }
    corrupt(where, codec, "not a valid stream (liblzma error " + std::to_string(rc) + ")");
  }
  if (s.avail_in != 0) {
    corrupt(where, codec, std::to_string(s.avail_in) + " bytes after the end of the stream");
  }
  out.resize(used);
}

void unbzip2(std::string_view in, std::int64_t max_bytes, const std::string& where,
             std::string& out) {
  bz_stream b{};
  if (BZ2_bzDecompressInit(&b, 0, 0) != BZ_OK) throw std::bad_alloc();
  const std::unique_ptr<bz_stream, int (*)(bz_stream*)> guard(&b, BZ2_bzDecompressEnd);
  b.next_in = const_cast<char*>(in.data());
  b.avail_in = static_cast<unsigned>(in.size());
  std::size_t used = 0;
  for (;;) {
    if (used == out.size() && !grow(out, used, max_bytes)) {
      corrupt(where, AvroCodec::kBzip2, too_large(max_bytes));
    }
    b.next_out = out.data() + used;
    b.avail_out = static_cast<unsigned>(out.size() - used);
    const int rc = BZ2_bzDecompress(&b);
    used = out.size() - b.avail_out;
    if (rc == BZ_STREAM_END) break;
    if (rc == BZ_OK && b.avail_in == 0 && b.avail_out != 0) {
      corrupt(where, AvroCodec::kBzip2, "the bzip2 stream ends early (truncated)");
    }
    if (rc == BZ_OK) continue;
    corrupt(where, AvroCodec::kBzip2,
            "not a valid bzip2 stream (libbz2 error " + std::to_string(rc) + ")");
  }
  if (b.avail_in != 0) {
    corrupt(where, AvroCodec::kBzip2,
            std::to_string(b.avail_in) + " bytes after the end of the bzip2 stream");
  }
  out.resize(used);
}

void unzstd(std::string_view in, std::int64_t max_bytes, const std::string& where,
            std::string& out) {
  const std::unique_ptr<ZSTD_DCtx, std::size_t (*)(ZSTD_DCtx*)> ctx(ZSTD_createDCtx(),
                                                                    ZSTD_freeDCtx);
  if (ctx == nullptr) throw std::bad_alloc();
  ZSTD_inBuffer input{in.data(), in.size(), 0};
  std::size_t used = 0;
  std::size_t pending = 1;  // nonzero: inside a frame
  while (input.pos < input.size || pending != 0) {
    if (used == out.size() && !grow(out, used, max_bytes)) {
      corrupt(where, AvroCodec::kZstandard, too_large(max_bytes));
    }
    ZSTD_outBuffer output{out.data(), out.size(), used};
    const std::size_t before = input.pos;
    pending = ZSTD_decompressStream(ctx.get(), &output, &input);
    used = output.pos;
    if (ZSTD_isError(pending)) {
      corrupt(where, AvroCodec::kZstandard,
              std::string("not a valid zstd stream (") + ZSTD_getErrorName(pending) + ")");
    }
    if (pending != 0 && input.pos == input.size && input.pos == before &&
        output.pos < output.size) {
      corrupt(where, AvroCodec::kZstandard, "the zstd stream ends early (truncated)");
    }
  }
  out.resize(used);
}

}  // namespace

std::optional<AvroCodec> avro_codec_named(std::string_view name) {
  if (name == "null") return AvroCodec::kNull;
  if (name == "deflate") return AvroCodec::kDeflate;
  if (name == "snappy") return AvroCodec::kSnappy;
  if (name == "xz") return AvroCodec::kXz;
  if (name == "lzma") return AvroCodec::kLzma;
  if (name == "bzip2") return AvroCodec::kBzip2;
  if (name == "zstandard") return AvroCodec::kZstandard;
  return std::nullopt;
}

std::string_view avro_codec_name(AvroCodec codec) {
  switch (codec) {
    case AvroCodec::kNull:
      return "null";
    case AvroCodec::kDeflate:
      return "deflate";
    case AvroCodec::kSnappy:
      return "snappy";
    case AvroCodec::kXz:
      return "xz";
    case AvroCodec::kLzma:
      return "lzma";
    case AvroCodec::kBzip2:
      return "bzip2";
    case AvroCodec::kZstandard:
      return "zstandard";
  }
  return "?";
}

void decode_avro_block(AvroCodec codec, std::string_view block, std::int64_t max_bytes,
                       const std::string& where, std::string& out) {
  out.clear();
  switch (codec) {
    case AvroCodec::kNull:
      if (static_cast<std::int64_t>(block.size()) > max_bytes) {
        corrupt(where, codec, too_large(max_bytes));
      }
      out.assign(block);
      return;
    case AvroCodec::kDeflate:
      return inflate_raw(block, max_bytes, where, out);
    case AvroCodec::kSnappy:
      return unsnappy(block, max_bytes, where, out);
    case AvroCodec::kXz:
    case AvroCodec::kLzma:
      return unlzma(codec, block, max_bytes, where, out);
    case AvroCodec::kBzip2:
      return unbzip2(block, max_bytes, where, out);
    case AvroCodec::kZstandard:
      return unzstd(block, max_bytes, where, out);
  }
}

AvroBlockDecoder::AvroBlockDecoder(AvroCodec codec) : codec_(codec) {}

AvroBlockDecoder::~AvroBlockDecoder() {
  if (inflater_ != nullptr) {
    auto* z = static_cast<z_stream*>(inflater_);
    inflateEnd(z);
    delete z;
  }
}

void AvroBlockDecoder::decode(std::string_view block, std::int64_t max_bytes,
                              const std::string& where, std::string& out) {
  if (codec_ != AvroCodec::kDeflate) return decode_avro_block(codec_, block, max_bytes, where, out);
  if (inflater_ == nullptr) {
    auto z = std::make_unique<z_stream>();
    if (inflateInit2(z.get(), -MAX_WBITS) != Z_OK) throw std::bad_alloc();
    inflater_ = z.release();
  } else if (inflateReset(static_cast<z_stream*>(inflater_)) != Z_OK) {
    throw InternalError("inflateReset failed on a valid stream");
  }
  out.clear();
  inflate_raw(*static_cast<z_stream*>(inflater_), block, max_bytes, where, out);
}

std::string encode_avro_block(AvroCodec codec, std::string_view data) {
  std::string out;
  switch (codec) {
    case AvroCodec::kNull:
      out.assign(data);
      break;
    case AvroCodec::kDeflate: {
      z_stream z{};
      if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) !=
          Z_OK) {
        throw std::bad_alloc();
      }
      out.resize(deflateBound(&z, static_cast<uLong>(data.size())));
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
      z.avail_in = static_cast<uInt>(data.size());
      z.next_out = reinterpret_cast<Bytef*>(out.data());
      z.avail_out = static_cast<uInt>(out.size());
      const int rc = deflate(&z, Z_FINISH);
      out.resize(z.total_out);
      deflateEnd(&z);
      if (rc != Z_STREAM_END) throw InternalError("deflate did not finish a bounded buffer");
      break;
    }
    case AvroCodec::kSnappy: {
      std::size_t length = snappy_max_compressed_length(data.size());
      out.resize(length + 4);
      if (snappy_compress(data.data(), data.size(), out.data(), &length) != SNAPPY_OK) {
        throw InternalError("snappy_compress refused a bounded buffer");
      }
      const auto crc = static_cast<std::uint32_t>(
          crc32(0, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
      out.resize(length);
      for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(crc >> shift));
      break;
    }
    case AvroCodec::kXz:
    case AvroCodec::kLzma: {
      out.resize(lzma_stream_buffer_bound(data.size()));
      std::size_t pos = 0;
      lzma_ret rc;
      const auto* in = reinterpret_cast<const std::uint8_t*>(data.data());
      auto* dst = reinterpret_cast<std::uint8_t*>(out.data());
      if (codec == AvroCodec::kXz) {
        rc = lzma_easy_buffer_encode(LZMA_PRESET_DEFAULT, LZMA_CHECK_CRC64, nullptr, in,
                                     data.size(), dst, &pos, out.size());
      } else {
        lzma_options_lzma options;
        lzma_lzma_preset(&options, LZMA_PRESET_DEFAULT);
        const lzma_filter filters[] = {{LZMA_FILTER_LZMA2, &options}, {LZMA_VLI_UNKNOWN, nullptr}};
        rc = lzma_raw_buffer_encode(filters, nullptr, in, data.size(), dst, &pos, out.size());
      }
      if (rc != LZMA_OK) throw InternalError("liblzma refused a bounded buffer");
      out.resize(pos);
      break;
    }
    case AvroCodec::kBzip2: {
      unsigned length = static_cast<unsigned>(data.size() + data.size() / 100 + 601);
      out.resize(length);
      if (BZ2_bzBuffToBuffCompress(out.data(), &length, const_cast<char*>(data.data()),
                                   static_cast<unsigned>(data.size()), 9, 0, 0) != BZ_OK) {
        throw InternalError("libbz2 refused a bounded buffer");
      }
      out.resize(length);
      break;
    }
    case AvroCodec::kZstandard: {
      out.resize(ZSTD_compressBound(data.size()));
      const std::size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3);
      if (ZSTD_isError(n)) throw InternalError("zstd refused a bounded buffer");
      out.resize(n);
      break;
    }
  }
  return out;
}

}  // namespace splitcheck::internal
