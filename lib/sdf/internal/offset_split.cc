#include "splitcheck/lib/sdf/internal/offset_split.h"

#include <charconv>
#include <cstdlib>
#include <string>
#include <string_view>

namespace splitcheck::internal {

__int128 offset_split_step(unsigned __int128 span, double f) {
  using U = unsigned __int128;
  if (f <= 0 || span == 0) return 0;
  if (f >= 1) return static_cast<__int128>(span);
  // Shortest round-trip digits: d.ddddde-x, at most 17 significant digits.
  char text[40];
  const auto [end, ec] = std::to_chars(text, text + sizeof text, f, std::chars_format::scientific);
  (void)ec;  // 40 characters always hold a double
  const std::string_view s(text, static_cast<std::size_t>(end - text));
  const std::size_t e = s.find('e');
  U digits = 0;
  int count = 0;
  for (std::size_t i = 0; i < e; ++i) {
    if (s[i] == '.') continue;
    digits = digits * 10 + static_cast<unsigned>(s[i] - '0');
    ++count;
  }
  const int exponent = std::atoi(std::string(s.substr(e + 1)).c_str());
  // f = digits * 10^(exponent - (count - 1)), and f < 1: the power is negative.
  const int divisor_power = count - 1 - exponent;
  if (divisor_power > 38) return 0;  // f * span < 10^-21 * 2^63 < 1
  U divisor = 1;
  for (int i = 0; i < divisor_power; ++i) divisor *= 10;
  // span <= 2^63 and digits < 10^17 < 2^57: the product fits in 128 bits.
  return static_cast<__int128>(span * digits / divisor);
}

}  // namespace splitcheck::internal
