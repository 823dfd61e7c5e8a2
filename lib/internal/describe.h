// Renders values for error messages and debug strings.
//
// Messages must name the offending value exactly, yet a 1 MiB key must not
// become a 4 MiB message: byte strings are quoted, non-printable bytes escaped
// as \xHH, and long strings cut with their full length stated. Internal.

#ifndef SPLITCHECK_LIB_INTERNAL_DESCRIBE_H_
#define SPLITCHECK_LIB_INTERNAL_DESCRIBE_H_

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>

#include "splitcheck/lib/internal/no_fuzz_coverage.h"

namespace splitcheck::internal {

// `bytes` quoted, escaped, and cut after `max_bytes` bytes with a note of the
// full size.
std::string describe_bytes(std::string_view bytes, std::size_t max_bytes = 64);

// The parts (anything convertible to std::string_view) joined, built with one
// allocation: error messages of misuse that fuzzing provokes millions of
// times are cheaper this way than as a chain of operator+.
// Not coverage-instrumented for fuzzing (see no_fuzz_coverage.h): every
// instance's string-building branches would count as tracker behaviour.
SPLITCHECK_BEGIN_NO_FUZZ_COVERAGE
template <typename... Parts>
std::string str_cat(const Parts&... parts) {
  std::string out;
  out.reserve((std::string_view(parts).size() + ... + 0));
  (out.append(std::string_view(parts)), ...);
  return out;
}
SPLITCHECK_END_NO_FUZZ_COVERAGE

// Short text kept inside the object (at most kCapacity bytes; longer text is
// cut): a part of a message that costs no allocation of its own. An integer
// in decimal always fits.
class InlineText {
 public:
  static constexpr std::size_t kCapacity = 23;

  explicit InlineText(std::int64_t value);
  explicit InlineText(std::string_view text);

  operator std::string_view() const { return {chars_, size_}; }  // NOLINT

 private:
  char chars_[kCapacity];
  unsigned char size_ = 0;
};

// A double with enough digits to tell neighbouring values apart ("0.5",
// "nan", "1.0000000000000002").
std::string describe_double(double value);

template <typename T>
concept Streamable = requires(std::ostream& os, const T& value) {
  { os << value } -> std::convertible_to<std::ostream&>;
};

// A position or record of any type, for messages: integers in decimal,
// byte strings quoted and escaped, other types through operator<< when they
// have one, and "<value>" otherwise.
template <typename V>
std::string describe_value(const V& value) {
  if constexpr (std::is_integral_v<V>) {
    return std::to_string(value);
  } else if constexpr (std::is_convertible_v<const V&, std::string_view>) {
    return describe_bytes(value);
  } else if constexpr (Streamable<V>) {
    std::ostringstream out;
    out << value;
    return out.str();
  } else {
    return "<value>";
  }
}

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_INTERNAL_DESCRIBE_H_
