#include "splitcheck/lib/postgres/internal/pg_text_bound.h"

#include <cstdint>
#include <vector>

namespace splitcheck::internal {
namespace {

// UTF-8 of a code point (surrogates included: their encodings keep the
// order of code points, which the search below relies on).
std::string encode(std::uint32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

// Byte order, as unsigned bytes.
bool greater(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto x = static_cast<unsigned char>(a[i]);
    const auto y = static_cast<unsigned char>(b[i]);
    if (x != y) return x > y;
  }
  return a.size() > b.size();
}

// The encoding of the smallest character (not NUL, not a surrogate) whose
// encoding is greater than `rest`; nullopt when there is none.
std::optional<std::string> smallest_character_above(std::string_view rest) {
  std::uint32_t lo = 1;
  std::uint32_t hi = 0x10FFFF;
  if (!greater(encode(hi), rest)) return std::nullopt;
  while (lo < hi) {  // the first code point whose encoding is > rest
    const std::uint32_t mid = lo + (hi - lo) / 2;
    if (greater(encode(mid), rest)) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  if (lo >= 0xD800 && lo <= 0xDFFF) lo = 0xE000;
  return encode(lo);
}

}  // namespace

std::size_t utf8_sequence_length(std::string_view s, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char b0 = byte(at);
  if (b0 == 0) return 0;
  if (b0 < 0x80) return 1;
  std::size_t length;
  std::uint32_t cp;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
    cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    cp = b0 & 0x0F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (at + length > s.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    const unsigned char b = byte(at + i);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  // Overlong forms, surrogates and code points past U+10FFFF are invalid.
  if ((length == 3 && cp < 0x800) || (length == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  return length;
}

std::optional<std::string> smallest_text_at_least(std::string_view bound) {
  // The longest prefix of valid characters is kept as it is.
  std::string kept;
  std::vector<std::size_t> starts;  // where each kept character starts
  std::size_t at = 0;
  while (at < bound.size()) {
    const std::size_t n = utf8_sequence_length(bound, at);
    if (n == 0) break;
    starts.push_back(kept.size());
    kept.append(bound.substr(at, n));
    at += n;
  }
  if (at == bound.size()) return kept;
  // What follows the prefix cannot start a text value: the answer is the
  // prefix and the smallest character above the rest; when no character is
  // above it, the last kept character moves into the rest and the next one
  // up replaces it.
  std::string rest(bound.substr(at));
  for (;;) {
    if (std::optional<std::string> next = smallest_character_above(rest)) return kept + *next;
    if (starts.empty()) return std::nullopt;
    rest = kept.substr(starts.back()) + rest;
    kept.resize(starts.back());
    starts.pop_back();
  }
}

}  // namespace splitcheck::internal
