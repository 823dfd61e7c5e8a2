// ByteReader: reads back, in order, the values a ByteWriter wrote.
//
// Decoding is where untrusted bytes meet the program, so every read checks
// what it reads: a value cut short by the end of the bytes, a varint longer
// beyond 64 bits, a boolean other than 0 or 1, a length
// longer than what is left, or bytes left over after the last value are
// CorruptDataErrors (an InputError) naming the thing decoded, the field, the
// byte offset and the rule broken:
//
//   "CountingSource: bytes 3 to 11 of 11: field "count": truncated: needs 8
//    more bytes, 2 left"
//
// Never undefined behaviour, never an allocation sized by a corrupt length.
// `what` names the thing being decoded in every message.
//
// A ByteReader views bytes it does not own: they must outlive it. One thread
// reads a ByteReader.

#ifndef SPLITCHECK_LIB_CODERS_BYTE_READER_H_
#define SPLITCHECK_LIB_CODERS_BYTE_READER_H_

#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "splitcheck/lib/error.h"

namespace splitcheck {

class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes, std::string what = "bytes")
      : bytes_(bytes), what_(std::move(what)) {}

  const std::string& what() const { return what_; }
  std::size_t offset() const { return offset_; }
  std::size_t remaining() const { return bytes_.size() - offset_; }
  bool at_end() const { return offset_ == bytes_.size(); }

  // Inline by force: GCC leaves it a call in a large decoding loop.
  [[gnu::always_inline]] std::uint64_t get_varint(std::string_view field) {
    // Inline for the short varints most values are, when ten bytes are left
    // (a varint is at most ten, so no byte needs the end check); the rest,
    // and every error, in the out-of-line loop with the same rules.
    if (bytes_.size() - offset_ >= 10) [[likely]] {
      const auto* p = reinterpret_cast<const unsigned char*>(bytes_.data() + offset_);
      std::uint64_t value = p[0] & 0x7f;
      if (p[0] < 0x80) {
        offset_ += 1;
        return value;
      }
      for (int i = 1; i < 10; ++i) {
        value |= static_cast<std::uint64_t>(p[i] & 0x7f) << (7 * i);
        if (p[i] < 0x80) {
          // ByteWriter writes the shortest form (no last byte of 0), and
          // a tenth byte holds one bit: anything else is left to the loop
          // below, which names the rule broken.
          if (p[i] == 0 || (i == 9 && p[i] > 1)) break;
          offset_ += static_cast<std::size_t>(i) + 1;
          return value;
        }
      }
    }
    return get_varint_slowly(field);
  }

  std::int64_t get_signed(std::string_view field) {
    const std::uint64_t zigzag = get_varint(field);
    return static_cast<std::int64_t>((zigzag >> 1) ^ (~(zigzag & 1) + 1));
  }

  bool get_bool(std::string_view field) {
    const std::size_t begin = offset_;
    const std::string_view byte = take(1, field);
    if (byte[0] != '\0' && byte[0] != '\1') {
      fail(begin, field, "a boolean is 0 or 1, got " + std::to_string(static_cast<int>(byte[0])));
    }
    return byte[0] == '\1';
  }

  double get_double(std::string_view field) {
    const std::string_view raw = take(8, field);
    std::uint64_t bits = 0;
    for (int i = 7; i >= 0; --i) {
      bits = (bits << 8) | static_cast<unsigned char>(raw[static_cast<std::size_t>(i)]);
    }
    return std::bit_cast<double>(bits);
  }

  std::string get_string(std::string_view field) {
    return std::string(take(get_length(field), field));
  }

  // A length or count that cannot exceed the bytes left, each element taking
  // at least `min_element_bytes`: a corrupt count fails here, before anything
  // is allocated for it.
  std::size_t get_length(std::string_view field, std::size_t min_element_bytes = 1) {
    const std::size_t begin = offset_;
    const std::uint64_t length = get_varint(field);
    if (min_element_bytes > 0 && length > remaining() / min_element_bytes) {
      fail(begin, field,
           "length " + std::to_string(length) + " is more than the " + std::to_string(remaining()) +
               " bytes left allow");
    }
    return static_cast<std::size_t>(length);
  }

  // `count` bytes, as written by put_raw.
  std::string_view take(std::size_t count, std::string_view field) {
    if (count > remaining()) {
      fail(offset_, field,
           "truncated: needs " + std::to_string(count) + " more bytes, " +
               std::to_string(remaining()) + " left");
    }
    const std::string_view out = bytes_.substr(offset_, count);
    offset_ += count;
    return out;
  }

  // A tag written with put_string: a CorruptDataError unless it is `tag`.
  void expect_tag(std::string_view tag) {
    const std::size_t begin = offset_;
    const std::string got = get_string("tag");
    if (got != tag) {
      fail(begin, "tag", "expected \"" + std::string(tag) + "\", got \"" + printable(got) + "\"");
    }
  }

  // A CorruptDataError unless every byte was read.
  void expect_end() const {
    if (!at_end()) {
      fail(offset_, "end", std::to_string(remaining()) + " bytes left after the last value");
    }
  }

  // Throws a CorruptDataError for the value starting at `begin`.
  [[noreturn, gnu::cold, gnu::noinline]] void fail(std::size_t begin, std::string_view field,
                                                   const std::string& rule) const {
    throw CorruptDataError(what_ + ": bytes " + std::to_string(begin) + " to " +
                           std::to_string(offset_) + " of " + std::to_string(bytes_.size()) +
                           ": field \"" + std::string(field) + "\": " + rule);
  }

 private:
  // get_varint byte by byte, checking the end and every rule.
  [[gnu::noinline]] std::uint64_t get_varint_slowly(std::string_view field) {
    const std::size_t begin = offset_;
    std::uint64_t value = 0;
    for (int shift = 0;; shift += 7) {
      if (at_end()) fail(begin, field, "truncated inside a varint");
      const auto byte = static_cast<unsigned char>(bytes_[offset_++]);
      if (shift == 63 && byte > 1) fail(begin, field, "varint beyond 64 bits");
      value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) {
        // ByteWriter writes the shortest form: a longer one is not its bytes.
        if (byte == 0 && shift > 0) fail(begin, field, "a varint longer than its value needs");
        return value;
      }
    }
  }

  static std::string printable(std::string_view bytes) {
    std::string out;
    for (char c : bytes.substr(0, 40)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
    return bytes.size() > 40 ? out + "..." : out;
  }

  std::string_view bytes_;
  std::string what_;
  std::size_t offset_ = 0;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_CODERS_BYTE_READER_H_
