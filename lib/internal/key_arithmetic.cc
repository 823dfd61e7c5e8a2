#include "splitcheck/lib/internal/key_arithmetic.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace splitcheck::internal {
namespace {

// A non-negative integer of a fixed number of 32-bit limbs, little-endian.
// A key of length <= width is the integer key * 256^(width - length), its
// byte i at bits [8 (width - 1 - i), 8 (width - i)); the end of the key space
// is 2^(8 width). Every number of one computation has the same limb count.
using Nat = std::vector<std::uint32_t>;

// Limbs enough for numbers of 8 * width + `extra_bits` bits, with one to
// spare for carries and shifts.
std::size_t limbs_for(std::size_t width, std::size_t extra_bits) {
  return (8 * width + extra_bits) / 32 + 2;
}

void set_byte(Nat& n, std::size_t bit, std::uint8_t byte) {
  n[bit / 32] |= std::uint32_t{byte} << (bit % 32);  // bit is a multiple of 8
}

std::uint8_t get_byte(const Nat& n, std::size_t bit) {
  return static_cast<std::uint8_t>(n[bit / 32] >> (bit % 32));
}

Nat from_key(std::string_view key, std::size_t width, std::size_t limbs) {
  Nat n(limbs, 0);
  for (std::size_t i = 0; i < key.size(); ++i) {
    set_byte(n, 8 * (width - 1 - i), static_cast<std::uint8_t>(key[i]));
  }
  return n;
}

// The value of stop: the key, or 2^(8 width) for the empty stop.
Nat from_stop(std::string_view stop, std::size_t width, std::size_t limbs) {
  if (!stop.empty()) return from_key(stop, width, limbs);
  Nat n(limbs, 0);
  n[8 * width / 32] = std::uint32_t{1} << (8 * width % 32);
  return n;
}

int compare(const Nat& a, const Nat& b) {
  for (std::size_t i = a.size(); i-- > 0;) {
    if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

// a -= b, for a >= b.
void subtract(Nat& a, const Nat& b) {
  std::int64_t borrow = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::int64_t d = std::int64_t{a[i]} - b[i] - borrow;
    borrow = d < 0 ? 1 : 0;
    a[i] = static_cast<std::uint32_t>(d + (borrow << 32));
  }
}

// a += b; the caller leaves room for the carry.
void add(Nat& a, const Nat& b) {
  std::uint64_t carry = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::uint64_t d = std::uint64_t{a[i]} + b[i] + carry;
    a[i] = static_cast<std::uint32_t>(d);
    carry = d >> 32;
  }
}

// a *= m; the caller leaves room for the product.
void multiply(Nat& a, std::uint64_t m) {
  const std::uint32_t parts[2] = {static_cast<std::uint32_t>(m),
                                  static_cast<std::uint32_t>(m >> 32)};
  Nat out(a.size(), 0);
  for (std::size_t j = 0; j < 2; ++j) {
    std::uint64_t carry = 0;
    for (std::size_t i = 0; i + j < out.size(); ++i) {
      const std::uint64_t p = std::uint64_t{a[i]} * parts[j] + out[i + j] + carry;  // < 2^64
      out[i + j] = static_cast<std::uint32_t>(p);
      carry = p >> 32;
    }
  }
  a = std::move(out);
}

std::size_t bit_length(const Nat& a) {
  for (std::size_t i = a.size(); i-- > 0;) {
    if (a[i] != 0) return 32 * i + static_cast<std::size_t>(std::bit_width(a[i]));
  }
  return 0;
}

void shift_left(Nat& a, std::size_t bits) {
  if (bits == 0) return;
  const std::size_t limbs = bits / 32;
  const unsigned rest = bits % 32;
  for (std::size_t i = a.size(); i-- > 0;) {
    std::uint64_t v = i >= limbs ? std::uint64_t{a[i - limbs]} << rest : 0;
    if (rest != 0 && i >= limbs + 1) v |= std::uint64_t{a[i - limbs - 1]} >> (32 - rest);
    a[i] = static_cast<std::uint32_t>(v);
  }
}

void shift_right(Nat& a, std::size_t bits) {
  if (bits == 0) return;
  const std::size_t limbs = bits / 32;
  const unsigned rest = bits % 32;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::size_t from = i + limbs;
    std::uint64_t v = from < a.size() ? a[from] >> rest : 0;
    if (rest != 0 && from + 1 < a.size()) v |= std::uint64_t{a[from + 1]} << (32 - rest);
    a[i] = static_cast<std::uint32_t>(v);
  }
}

// Clears the bits below `bit`; true if any was set.
bool clear_below(Nat& a, std::size_t bit) {
  bool any = false;
  for (std::size_t i = 0; i < a.size() && 32 * i < bit; ++i) {
    const std::size_t top = std::min<std::size_t>(32, bit - 32 * i);
    const std::uint32_t mask = top == 32 ? 0xffffffffu : ((std::uint32_t{1} << top) - 1);
    any |= (a[i] & mask) != 0;
    a[i] &= ~mask;
  }
  return any;
}

Nat power_of_two(std::size_t bit, std::size_t limbs) {
  Nat n(limbs, 0);
  n[bit / 32] = std::uint32_t{1} << (bit % 32);
  return n;
}

// floor(num / den) as a double rounded down, for num, den > 0.
double divide_down(Nat num, Nat den) {
  const auto bn = static_cast<long>(bit_length(num));
  const auto bd = static_cast<long>(bit_length(den));
  // Align the leading bits: num / den = (num' / den') * 2^(bn - bd) with
  // num' / den' in (1/2, 2).
  if (bn > bd) shift_left(den, static_cast<std::size_t>(bn - bd));
  if (bd > bn) shift_left(num, static_cast<std::size_t>(bd - bn));
  // 64 quotient bits: q = floor(num' * 2^63 / den'), in [2^62, 2^64).
  std::uint64_t q = 0;
  for (int i = 0; i < 64; ++i) {
    q <<= 1;
    if (compare(num, den) >= 0) {
      subtract(num, den);
      q |= 1;
    }
    shift_left(num, 1);
  }
  const int bits = std::bit_width(q);
  if (bits > 53) q &= ~((std::uint64_t{1} << (bits - 53)) - 1);  // keep 53 bits: exact
  return std::ldexp(static_cast<double>(q), static_cast<int>(bn - bd - 63));
}

std::size_t common_prefix(std::string_view a, std::string_view b) {
  const auto [ia, ib] = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
  return static_cast<std::size_t>(ia - a.begin());
}

// The prefix that start and stop share and that can be set aside: never all
// of stop, so that what is left of it is not the empty "end" stop.
std::size_t removable_prefix(std::string_view start, std::string_view stop) {
  if (stop.empty()) return 0;
  return std::min(common_prefix(start, stop), stop.size() - 1);
}

// The key of t's `length` leading bytes, trailing zeros dropped.
std::string key_of(const Nat& t, std::size_t width, std::size_t length) {
  std::string key(length, '\0');
  for (std::size_t i = 0; i < length; ++i)
    key[i] = static_cast<char>(get_byte(t, 8 * (width - 1 - i)));
  while (!key.empty() && key.back() == '\0') key.pop_back();
  return key;
}

// t rounded up to a multiple of 256^-length.
Nat ceiling(const Nat& t, std::size_t width, std::size_t length) {
  Nat c = t;
  const std::size_t cut = 8 * (width - length);
  if (clear_below(c, cut)) add(c, power_of_two(cut, c.size()));
  return c;
}

}  // namespace

double key_to_fraction(std::string_view key, std::string_view start, std::string_view stop) {
  const std::size_t shared = removable_prefix(start, stop);
  if (shared > 0 && common_prefix(key, start) >= shared) {
    key.remove_prefix(shared);
    start.remove_prefix(shared);
    stop.remove_prefix(shared);
  }
  const std::size_t width = std::max({key.size(), start.size(), stop.size()});
  const std::size_t limbs = limbs_for(width, 72);
  const Nat s = from_key(start, width, limbs);
  Nat offset = from_key(key, width, limbs);
  if (compare(offset, s) <= 0) return 0.0;
  Nat span = from_stop(stop, width, limbs);
  if (compare(span, s) <= 0) return 1.0;  // past a stop with the value of start
  subtract(span, s);
  subtract(offset, s);
  return divide_down(std::move(offset), std::move(span));
}

std::string fraction_to_key(double fraction, std::string_view start, std::string_view stop) {
  if (fraction <= 0.0) return std::string(start);
  if (fraction >= 1.0) return std::string(stop);
  const std::size_t shared = removable_prefix(start, stop);
  const std::string prefix(start.substr(0, shared));
  start.remove_prefix(shared);
  stop.remove_prefix(shared);
  // fraction = m * 2^-shift with m < 2^53; shift > 53 since fraction < 1.
  int exponent = 0;
  const double mantissa = std::frexp(fraction, &exponent);
  const auto m = static_cast<std::uint64_t>(std::ldexp(mantissa, 53));
  const auto shift = static_cast<std::size_t>(53 - exponent);
  // Enough bytes past the longer bound that span * fraction is exact (the
  // span's lowest bit is at 8 * (width - longest) > shift).
  const std::size_t width = std::max(start.size(), stop.size()) + (shift + 7) / 8 + 1;
  const std::size_t limbs = limbs_for(width, 64);
  const Nat s = from_key(start, width, limbs);
  const Nat e = from_stop(stop, width, limbs);
  if (compare(e, s) <= 0) {
    // No value lies between them; the successor is the only key that might.
    std::string next = prefix + std::string(start) + '\0';
    const std::string whole_stop = prefix + std::string(stop);
    return stop.empty() || next < whole_stop ? next : prefix + std::string(start);
  }
  Nat span = e;
  subtract(span, s);
  Nat target = span;
  multiply(target, m);
  shift_right(target, shift);  // exact: no bit is lost
  add(target, s);              // start < target < stop
  Nat bound = target;
  subtract(bound, s);
  shift_right(bound, 40);  // kKeyFractionTolerance * fraction * span, rounded down
  add(bound, target);
  // Fewer bytes round the target up further: find the fewest whose ceiling
  // is still within the bound and below stop (true at full width, where the
  // ceiling is the target itself).
  std::size_t lo = 1;
  std::size_t hi = width;
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    const Nat c = ceiling(target, width, mid);
    if (compare(c, bound) <= 0 && compare(c, e) < 0) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return prefix + key_of(ceiling(target, width, lo), width, lo);
}

}  // namespace splitcheck::internal
