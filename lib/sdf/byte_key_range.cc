#include "splitcheck/lib/sdf/byte_key_range.h"

#include <algorithm>

namespace splitcheck {

std::string describe_key(const std::string& key) {
  if (key.empty()) return "<empty>";
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  const std::size_t shown = std::min<std::size_t>(key.size(), 32);
  for (std::size_t i = 0; i < shown; ++i) {
    if (i > 0) out += ' ';
    const auto b = static_cast<unsigned char>(key[i]);
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  if (shown < key.size()) out += " ... (" + std::to_string(key.size()) + " bytes)";
  return out;
}

std::string ByteKeyRange::debug_string() const {
  return "[" + describe_key(start) + ", " + (end.empty() ? "<end>" : describe_key(end)) + ")";
}

}  // namespace splitcheck
