// Hashing for seeded, reproducible decisions (schedules, fault policies):
// SplitMix64's finaliser and a map of 64 bits to [0, 1). Internal.

#ifndef SPLITCHECK_LIB_INTERNAL_SEEDED_HASH_H_
#define SPLITCHECK_LIB_INTERNAL_SEEDED_HASH_H_

#include <cstdint>

namespace splitcheck::internal {

// SplitMix64's finaliser: a fast, well-mixed 64-bit hash step.
inline std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// The top 53 bits of `x` as a double in [0, 1).
inline double unit_interval(std::uint64_t x) { return static_cast<double>(x >> 11) * 0x1.0p-53; }

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_INTERNAL_SEEDED_HASH_H_
