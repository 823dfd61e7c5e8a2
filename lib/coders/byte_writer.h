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
// bytes() views the bytes written so far; it stays valid until the next
// put or clear.
// A value type, not thread-safe: one thread writes a ByteWriter.

#ifndef SPLITCHECK_LIB_CODERS_BYTE_WRITER_H_
#define SPLITCHECK_LIB_CODERS_BYTE_WRITER_H_

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

namespace splitcheck {

class ByteWriter {
 public:
  ByteWriter() = default;
  ByteWriter(const ByteWriter&) = default;
  ByteWriter& operator=(const ByteWriter&) = default;
  // A moved-from writer is empty, and usable.
  ByteWriter(ByteWriter&& other) noexcept
      : buffer_(std::move(other.buffer_)), size_(std::exchange(other.size_, 0)) {
    other.buffer_.clear();
  }
  ByteWriter& operator=(ByteWriter&& other) noexcept {
    if (this == &other) return *this;
    buffer_ = std::move(other.buffer_);
    size_ = std::exchange(other.size_, 0);
    other.buffer_.clear();
    return *this;
  }

  // Unsigned LEB128: seven bits a byte, the high bit set on all but the last.
  void put_varint(std::uint64_t value) {
    char* const p = room(10);
    std::size_t n = 0;
    while (value >= 0x80) {
      p[n++] = static_cast<char>((value & 0x7f) | 0x80);
      value >>= 7;
    }
    p[n++] = static_cast<char>(value);
    size_ += n;
  }

  // Zig-zag, then varint: small magnitudes of either sign stay short.
  void put_signed(std::int64_t value) {
    put_varint((static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63));
  }

  void put_bool(bool value) {
    *room(1) = value ? '\1' : '\0';
    ++size_;
  }

  // The bit pattern, little-endian: NaN payloads and -0.0 survive.
  void put_double(double value) {
    std::uint64_t bits = std::bit_cast<std::uint64_t>(value);
    char* const p = room(8);
    for (int i = 0; i < 8; ++i, bits >>= 8) p[i] = static_cast<char>(bits & 0xff);
    size_ += 8;
  }

  // A length, then the bytes. Unlike put_raw, `value` must not view this
  // writer's own bytes.
  void put_string(std::string_view value) {
    put_varint(value.size());
    put_raw(value);
  }

  // Bytes with no length: for a reader that knows how many to expect.
  // `value` may be a view of this writer's own bytes.
  void put_raw(std::string_view value) {
    if (value.empty()) return;
    const char* from = value.data();
    const std::less<const char*> before;
    if (!before(from, buffer_.data()) && before(from, buffer_.data() + size_)) {
      // Growing moves the bytes: find them again by their offset.
      const std::size_t offset = static_cast<std::size_t>(from - buffer_.data());
      char* const to = room(value.size());
      std::memmove(to, buffer_.data() + offset, value.size());
    } else {
      std::memcpy(room(value.size()), from, value.size());
    }
    size_ += value.size();
  }

  // Empties the bytes and keeps their buffer, for a writer used again.
  void clear() { size_ = 0; }

  // The bytes written so far, valid until the next call that writes.
  std::string_view bytes() const { return std::string_view(buffer_.data(), size_); }
  std::string release() && {
    buffer_.resize(size_);
    size_ = 0;
    return std::move(buffer_);
  }

 private:
  // Where the next `n` bytes go. The buffer's size is its room: resized
  // (doubling) only when full, so that a put is a check, stores and an add,
  // with no write through the string's own length between bytes.
  char* room(std::size_t n) {
    if (buffer_.size() - size_ < n) [[unlikely]]
      grow(n);
    return buffer_.data() + size_;
  }
  [[gnu::noinline]] void grow(std::size_t n) {
    buffer_.resize(std::max<std::size_t>({64, 2 * buffer_.size(), size_ + n}));
  }

  std::string buffer_;  // [0, size_) written; the rest is room
  std::size_t size_ = 0;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_CODERS_BYTE_WRITER_H_
