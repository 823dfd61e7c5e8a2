// Arithmetic on byte-string keys read as base-256 fractions.
//
// The key k0 k1 ... k(n-1) is the number 0.k0 k1 ... k(n-1) in base 256, and
// the empty *stop* key means 1, the end of the key space. This numeric order
// agrees with lexicographic (unsigned byte) order, except that keys differing
// only by trailing zero bytes ("a" and "a\0") have the same value. Both
// functions compute with exact integers (no digit of a key is dropped), are
// defined for keys of any length, and cost time linear in the key lengths
// after the common prefix of start and stop. Internal: used by
// LexicographicKeyRangeTracker and by the testkit's key domain.

#ifndef SPLITCHECK_LIB_INTERNAL_KEY_ARITHMETIC_H_
#define SPLITCHECK_LIB_INTERNAL_KEY_ARITHMETIC_H_

#include <string>
#include <string_view>

namespace splitcheck::internal {

// How far above the requested fraction f the fraction of fraction_to_key's
// key may lie, relative to f: f * 2^-40, so never more than about 9.1e-13.
inline constexpr double kKeyFractionTolerance = 0x1p-40;

// (key - start) / (stop - start), with stop == "" meaning 1, rounded down to
// a double: exact to double precision, and never above the true value, so a
// key at or past a fraction f maps to a value >= f. Requires start <= stop (or
// stop empty). Returns 0 for keys at or before start in value and a value
// above 1 for keys past stop; 1 for a key past a stop that has the value of
// start.
double key_to_fraction(std::string_view key, std::string_view start, std::string_view stop);

// The shortest key whose value lies in [t, t + kKeyFractionTolerance *
// fraction * (stop - start)], t = start + fraction * (stop - start) computed
// exactly, and that is strictly inside (start, stop). So key_to_fraction of
// the result is never below `fraction` and at most fraction *
// kKeyFractionTolerance above it: keys carry about five significant bytes
// past the common prefix, more for tiny fractions. Returns start
// for fraction 0 and stop for fraction 1. Where stop has the value of start
// (as "a" and "a\0" do), no key has a fraction in between: the result is the
// successor of start (start + "\0") when that lies before stop, else start.
// Requires fraction in [0, 1] and start <= stop (or stop empty).
std::string fraction_to_key(double fraction, std::string_view start, std::string_view stop);

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_INTERNAL_KEY_ARITHMETIC_H_
