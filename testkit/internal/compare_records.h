// Comparisons of record sequences that explain themselves: the first index
// where two lists differ, or the first record whose count differs between two
// multisets, rendered for a counterexample. Internal to the testkit.

#ifndef SPLITCHECK_TESTKIT_INTERNAL_COMPARE_RECORDS_H_
#define SPLITCHECK_TESTKIT_INTERNAL_COMPARE_RECORDS_H_

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "splitcheck/lib/internal/describe.h"

namespace splitcheck::testkit::internal {

using splitcheck::internal::describe_value;

// Empty if `actual` equals `expected` element by element; otherwise where and
// how they first differ.
template <typename T>
std::optional<std::string> first_list_difference(const std::vector<T>& expected,
                                                 const std::vector<T>& actual) {
  const std::size_t common = std::min(expected.size(), actual.size());
  for (std::size_t i = 0; i < common; ++i) {
    if (!(expected[i] == actual[i])) {
      return "record " + std::to_string(i) + " is " + describe_value(actual[i]) + ", expected " +
             describe_value(expected[i]);
    }
  }
  if (expected.size() == actual.size()) return std::nullopt;
  if (actual.size() < expected.size()) {
    return std::to_string(actual.size()) + " records instead of " +
           std::to_string(expected.size()) + ": the first missing is " +
           describe_value(expected[actual.size()]);
  }
  return std::to_string(actual.size()) + " records instead of " + std::to_string(expected.size()) +
         ": the first extra is " + describe_value(actual[expected.size()]);
}

// Empty if the two hold the same records with the same multiplicities;
// otherwise the first record (in sorted order, when records are ordered)
// that is missing or duplicated.
template <typename T>
std::optional<std::string> first_multiset_difference(std::vector<T> expected,
                                                     std::vector<T> actual) {
  if constexpr (std::totally_ordered<T>) {
    std::sort(expected.begin(), expected.end());
    std::sort(actual.begin(), actual.end());
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < expected.size() || j < actual.size()) {
      if (j == actual.size() || (i < expected.size() && expected[i] < actual[j])) {
        return "record " + describe_value(expected[i]) + " is missing (" +
               std::to_string(actual.size()) + " records read, " + std::to_string(expected.size()) +
               " expected)";
      }
      if (i == expected.size() || actual[j] < expected[i]) {
        return "record " + describe_value(actual[j]) + " is extra or duplicated (" +
               std::to_string(actual.size()) + " records read, " + std::to_string(expected.size()) +
               " expected)";
      }
      ++i;
      ++j;
    }
    return std::nullopt;
  } else {
    std::vector<bool> used(actual.size(), false);
    for (const T& e : expected) {
      std::size_t k = 0;
      while (k < actual.size() && (used[k] || !(actual[k] == e))) ++k;
      if (k == actual.size()) return "record " + describe_value(e) + " is missing";
      used[k] = true;
    }
    for (std::size_t k = 0; k < actual.size(); ++k) {
      if (!used[k]) return "record " + describe_value(actual[k]) + " is extra or duplicated";
    }
    return std::nullopt;
  }
}

}  // namespace splitcheck::testkit::internal

#endif  // SPLITCHECK_TESTKIT_INTERNAL_COMPARE_RECORDS_H_
