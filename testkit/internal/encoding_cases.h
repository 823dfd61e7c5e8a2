// Helpers of the serialization checks (testkit/source/source_serialization.h,
// testkit/sink/sink_serialization.h): the truncations of an encoding to
// decode, and where two encodings differ. Internal.

#ifndef SPLITCHECK_TESTKIT_INTERNAL_ENCODING_CASES_H_
#define SPLITCHECK_TESTKIT_INTERNAL_ENCODING_CASES_H_

#include <algorithm>
#include <cstddef>
#include <set>
#include <string>
#include <vector>

namespace splitcheck::testkit::internal {

// Where two encodings first differ, for messages.
inline std::string first_byte_difference(const std::string& expected, const std::string& actual) {
  const std::size_t common = std::min(expected.size(), actual.size());
  std::size_t i = 0;
  while (i < common && expected[i] == actual[i]) ++i;
  if (i == common) {
    return std::to_string(expected.size()) + " bytes, then " + std::to_string(actual.size());
  }
  return "byte " + std::to_string(i) + " of " + std::to_string(expected.size()) + " differs";
}

// The lengths of the truncations to try: every one below `size` when there
// are few, else the first half of the budget from the start and the rest
// spread evenly.
inline std::vector<std::size_t> truncation_lengths(std::size_t size, std::size_t budget) {
  std::set<std::size_t> lengths;
  if (size <= budget) {
    for (std::size_t n = 0; n < size; ++n) lengths.insert(n);
  } else {
    for (std::size_t n = 0; n < budget / 2; ++n) lengths.insert(n);
    const std::size_t spread = budget - budget / 2;
    for (std::size_t i = 1; i <= spread; ++i) lengths.insert(size - 1 - (i - 1) * size / spread);
  }
  return {lengths.begin(), lengths.end()};
}

}  // namespace splitcheck::testkit::internal

#endif  // SPLITCHECK_TESTKIT_INTERNAL_ENCODING_CASES_H_
