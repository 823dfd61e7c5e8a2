// Arithmetic on byte-string keys read as base-256 fractions.
//
// The key k0 k1 ... k(n-1) is the number 0.k0 k1 ... k(n-1) in base 256, and
// the empty *stop* key means 1, the end of the key space. This numeric order
// agrees with lexicographic (unsigned byte) order, except that keys differing
// only by trailing zero bytes ("a" and "a\0") have the same value. Both
// functions are exact up to the precision of a double, linear (or n log n) in
// the key length, and defined for keys of any length. Internal: used by
// LexicographicKeyRangeTracker.

#ifndef SPLITCHECK_LIB_INTERNAL_KEY_ARITHMETIC_H_
#define SPLITCHECK_LIB_INTERNAL_KEY_ARITHMETIC_H_

#include <string>
#include <string_view>

namespace splitcheck::internal {

// (key - start) / (stop - start), with stop == "" meaning 1. Requires start <=
// stop (or stop empty). Returns 0 for keys at or before start and a value
// above 1 for keys past stop; 0 when start and stop have the same value.
double key_to_fraction(std::string_view key, std::string_view start, std::string_view stop);

// The shortest key whose value is at least start + fraction * (stop - start)
// and that lies strictly inside (start, stop) in lexicographic order. Returns
// start for fraction 0, stop for fraction 1, and start when no key lies
// strictly between them (adjacent keys such as "a" and "a\0"). Requires
// fraction in [0, 1] and start <= stop (or stop empty).
std::string fraction_to_key(double fraction, std::string_view start, std::string_view stop);

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_INTERNAL_KEY_ARITHMETIC_H_
