// The step of an offset split: floor(span * f), with f read as its shortest
// decimal (the digits std::to_chars prints, as Java's BigDecimal.valueOf
// reads a double), computed exactly. So 70 * 0.7 is 49, as Beam's Java
// tracker gives (the double nearest 0.7 is a little below it: a product in
// floating point gives 48). Internal to the offset restriction trackers.

#ifndef SPLITCHECK_LIB_SDF_INTERNAL_OFFSET_SPLIT_H_
#define SPLITCHECK_LIB_SDF_INTERNAL_OFFSET_SPLIT_H_

#include <cstdint>

namespace splitcheck::internal {

// REQUIRES: 0 <= f <= 1, 0 <= span <= 2^63 + 1. Returns a value in
// [0, span] (128 bits: span itself may not fit in 64).
__int128 offset_split_step(unsigned __int128 span, double f);

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_SDF_INTERNAL_OFFSET_SPLIT_H_
