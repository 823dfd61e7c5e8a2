// ByteWriter: appends values to a byte string, the one encoding every
// splitcheck coder uses.
//
// The encoding is deterministic: the same calls with the same values give
// the same bytes, on every machine (integers are little-endian varints,
// doubles their IEEE-754 bit pattern). There are no field tags or schema:
// a reader reads back exactly the calls made, in order (byte_reader.h).
//
//   ByteWriter out;
//   out.put_string("logs/*.txt");
//   out.put_signed(-3);
//   std::string bytes = std::move(out).release();
//
// A value type, not thread-safe: one thread writes a ByteWriter.

#ifndef SPLITCHECK_LIB_CODERS_BYTE_WRITER_H_
#define SPLITCHECK_LIB_CODERS_BYTE_WRITER_H_

#include <bit>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace splitcheck {

class ByteWriter {
 public:
  // Unsigned LEB128: seven bits a byte, the high bit set on all but the last.
  // Byte by byte: push_back is inline, where append of a small buffer is a
  // call (the worker processes' record batches are mostly short varints).
  void put_varint(std::uint64_t value) {
    while (value >= 0x80) {
      bytes_.push_back(static_cast<char>((value & 0x7f) | 0x80));
      value >>= 7;
    }
    bytes_.push_back(static_cast<char>(value));
  }

  // Zig-zag, then varint: small magnitudes of either sign stay short.
  void put_signed(std::int64_t value) {
    put_varint((static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63));
  }

  void put_bool(bool value) { bytes_.push_back(value ? '\1' : '\0'); }

  // The bit pattern, little-endian: NaN payloads and -0.0 survive.
  void put_double(double value) {
    std::uint64_t bits = std::bit_cast<std::uint64_t>(value);
    for (int i = 0; i < 8; ++i, bits >>= 8) bytes_.push_back(static_cast<char>(bits & 0xff));
  }

  // A length, then the bytes.
  void put_string(std::string_view value) {
    put_varint(value.size());
    bytes_.append(value);
  }

  // Bytes with no length: for a reader that knows how many to expect.
  void put_raw(std::string_view value) { bytes_.append(value); }

  // Empties the bytes and keeps their buffer, for a writer used again.
  void clear() { bytes_.clear(); }

  const std::string& bytes() const& { return bytes_; }
  std::string release() && { return std::move(bytes_); }

 private:
  std::string bytes_;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_CODERS_BYTE_WRITER_H_
