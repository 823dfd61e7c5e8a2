#include "splitcheck/lib/internal/key_arithmetic.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace splitcheck::internal {
namespace {

// A non-negative integer as little-endian base-256 digits. A key of length
// <= width is the integer key * 256^(width - length); the end of the key
// space is 256^width.
using Digits = std::vector<std::uint8_t>;

Digits key_digits(std::string_view key, std::size_t width) {
  Digits digits(width + 1, 0);
  for (std::size_t i = 0; i < key.size(); ++i) {
    digits[width - 1 - i] = static_cast<std::uint8_t>(key[i]);
  }
  return digits;
}

Digits stop_digits(std::string_view stop, std::size_t width) {
  if (!stop.empty()) return key_digits(stop, width);
  Digits digits(width + 1, 0);
  digits[width] = 1;
  return digits;
}

// Compares numbers of equal width.
int compare(const Digits& a, const Digits& b) {
  for (std::size_t i = a.size(); i-- > 0;) {
    if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

// a - b for a >= b, both of the same width.
Digits subtract(const Digits& a, const Digits& b) {
  Digits out(a.size());
  int borrow = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    int d = int{a[i]} - int{b[i]} - borrow;
    borrow = d < 0 ? 1 : 0;
    out[i] = static_cast<std::uint8_t>(d + 256 * borrow);
  }
  return out;
}

// a + b, both of the same width; the caller guarantees no overflow.
Digits add(const Digits& a, const Digits& b) {
  Digits out(a.size());
  int carry = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    int d = int{a[i]} + int{b[i]} + carry;
    carry = d >> 8;
    out[i] = static_cast<std::uint8_t>(d & 0xff);
  }
  return out;
}

// Index of the most significant non-zero digit, or -1 for zero.
std::ptrdiff_t top_digit(const Digits& a) {
  for (std::size_t i = a.size(); i-- > 0;) {
    if (a[i] != 0) return static_cast<std::ptrdiff_t>(i);
  }
  return -1;
}

// The value of `a` scaled so that digit `top` has weight 1, from its ten
// leading digits (80 bits: more than a long double holds).
long double leading_value(const Digits& a, std::ptrdiff_t top) {
  long double value = 0;
  long double weight = 1;
  for (std::ptrdiff_t i = top; i >= 0 && i > top - 10; --i) {
    value += weight * a[static_cast<std::size_t>(i)];
    weight /= 256;
  }
  return value;
}

// floor(a * fraction) for fraction in [0, 1), exactly: fraction = m * 2^-s
// with m < 2^53, so the product is a multiplication by m and a right shift.
Digits scale(const Digits& a, double fraction) {
  int exponent = 0;
  const double mantissa = std::frexp(fraction, &exponent);  // fraction = mantissa * 2^exponent
  const auto m = static_cast<std::uint64_t>(std::ldexp(mantissa, 53));
  const long shift = 53L - exponent;  // >= 53, since fraction < 1
  Digits product(a.size() + 8, 0);
  std::uint64_t carry = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::uint64_t d = a[i] * m + carry;  // < 2^61
    product[i] = static_cast<std::uint8_t>(d & 0xff);
    carry = d >> 8;
  }
  for (std::size_t i = a.size(); carry != 0; ++i) {
    product[i] = static_cast<std::uint8_t>(carry & 0xff);
    carry >>= 8;
  }
  Digits out(a.size(), 0);
  const long byte_shift = shift / 8;
  const int bit_shift = static_cast<int>(shift % 8);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::size_t lo = i + static_cast<std::size_t>(byte_shift);
    if (lo >= product.size()) break;
    unsigned value = product[lo] >> bit_shift;
    if (lo + 1 < product.size()) value |= (unsigned{product[lo + 1]} << (8 - bit_shift)) & 0xff;
    out[i] = static_cast<std::uint8_t>(value & 0xff);
  }
  return out;
}

// Whether t rounded up to `length` fractional digits is below `stop`.
// `lowest_non_zero` is the index of t's least significant non-zero digit.
bool ceiling_below(const Digits& t, std::size_t length, std::ptrdiff_t lowest_non_zero,
                   const Digits& stop) {
  const std::size_t width = t.size() - 1;
  const std::size_t cut = width - length;  // digits [0, cut) are dropped
  Digits rounded(t.size(), 0);
  std::copy(t.begin() + static_cast<std::ptrdiff_t>(cut), t.end(),
            rounded.begin() + static_cast<std::ptrdiff_t>(cut));
  if (lowest_non_zero >= 0 && static_cast<std::size_t>(lowest_non_zero) < cut) {
    Digits unit(t.size(), 0);
    unit[cut] = 1;
    rounded = add(rounded, unit);
  }
  return compare(rounded, stop) < 0;
}

// The key made of t's `length` leading fractional digits, trailing zeros
// dropped.
std::string leading_key(const Digits& t, std::size_t length) {
  const std::size_t width = t.size() - 1;
  std::string key;
  key.reserve(length);
  for (std::size_t i = 0; i < length; ++i) key += static_cast<char>(t[width - 1 - i]);
  while (!key.empty() && key.back() == '\0') key.pop_back();
  return key;
}

// Rounds t up to `length` digits, then renders it as a key.
std::string ceiling_key(const Digits& t, std::size_t length, std::ptrdiff_t lowest_non_zero) {
  const std::size_t width = t.size() - 1;
  const std::size_t cut = width - length;
  if (lowest_non_zero < 0 || static_cast<std::size_t>(lowest_non_zero) >= cut) {
    return leading_key(t, length);
  }
  Digits unit(t.size(), 0);
  unit[cut] = 1;
  Digits rounded = add(t, unit);
  return leading_key(rounded, length);
}

std::ptrdiff_t lowest_digit(const Digits& a) {
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] != 0) return static_cast<std::ptrdiff_t>(i);
  }
  return -1;
}

}  // namespace

double key_to_fraction(std::string_view key, std::string_view start, std::string_view stop) {
  const std::size_t width = std::max({key.size(), start.size(), stop.size()});
  const Digits s = key_digits(start, width);
  const Digits k = key_digits(key, width);
  if (compare(k, s) <= 0) return 0.0;
  const Digits e = stop_digits(stop, width);
  const Digits span = compare(e, s) > 0 ? subtract(e, s) : Digits(width + 1, 0);
  const Digits offset = subtract(k, s);
  const std::ptrdiff_t span_top = top_digit(span);
  if (span_top < 0) return 1.0;  // key is past a stop equal in value to start
  const std::ptrdiff_t top = std::max(span_top, top_digit(offset));
  return static_cast<double>(leading_value(offset, top) / leading_value(span, top));
}

std::string fraction_to_key(double fraction, std::string_view start, std::string_view stop) {
  if (fraction <= 0.0) return std::string(start);
  if (fraction >= 1.0) return std::string(stop);
  // Eight digits past the longer bound resolve any double fraction of the span.
  const std::size_t width = std::max(start.size(), stop.size()) + 8;
  const Digits s = key_digits(start, width);
  const Digits e = stop_digits(stop, width);
  const Digits step = compare(e, s) > 0 ? scale(subtract(e, s), fraction) : Digits(width + 1, 0);
  if (top_digit(step) < 0) {
    // The target has the value of start: take start's immediate successor
    // if it is still inside the range.
    std::string next = std::string(start) + '\0';
    return stop.empty() || next < stop ? next : std::string(start);
  }
  const Digits t = add(s, step);  // start < t < stop
  const std::ptrdiff_t lowest = lowest_digit(t);
  // Rounding t up to fewer digits gives a larger value; find the fewest
  // digits that still stay below stop (true at full width, where it is t).
  std::size_t lo = 1;
  std::size_t hi = width;
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (ceiling_below(t, mid, lowest, e)) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return ceiling_key(t, lo, lowest);
}

}  // namespace splitcheck::internal
