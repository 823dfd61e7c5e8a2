#include "splitcheck/lib/internal/describe.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

namespace splitcheck::internal {

std::string describe_bytes(std::string_view bytes, std::size_t max_bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  const std::size_t shown = bytes.size() < max_bytes ? bytes.size() : max_bytes;
  for (std::size_t i = 0; i < shown; ++i) {
    const unsigned char c = static_cast<unsigned char>(bytes[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  out += '"';
  if (shown < bytes.size()) {
    out += "...(" + std::to_string(bytes.size()) + " bytes)";
  }
  return out;
}

InlineText::InlineText(std::int64_t value) {
  size_ = static_cast<unsigned char>(std::to_chars(chars_, chars_ + kCapacity, value).ptr - chars_);
}

InlineText::InlineText(std::string_view text) {
  size_ = static_cast<unsigned char>(std::min(text.size(), kCapacity));
  std::memcpy(chars_, text.data(), size_);
}

std::string describe_double(double value) {
  if (std::isnan(value)) return "nan";
  // The shortest text that reads back as the same double.
  char buffer[32];  // the longest is 24 characters
  return std::string(buffer, std::to_chars(buffer, buffer + sizeof buffer, value).ptr);
}

}  // namespace splitcheck::internal
