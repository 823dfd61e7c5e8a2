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
#include <optional>
#include <ostream>
#include <ranges>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <variant>

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

// The customization point: a function `splitcheck_describe(const T&)`
// returning std::string (or anything convertible), declared in T's
// namespace so that argument-dependent lookup finds it. It wins over every
// rule below.
template <typename T>
concept HasSplitcheckDescribe = requires(const T& value) {
  { splitcheck_describe(value) } -> std::convertible_to<std::string>;
};

template <typename T>
struct IsOptional : std::false_type {};
template <typename T>
struct IsOptional<std::optional<T>> : std::true_type {};

template <typename T>
struct IsVariant : std::false_type {};
template <typename... Ts>
struct IsVariant<std::variant<Ts...>> : std::true_type {};

template <typename T>
concept TupleLike = requires {
  std::tuple_size<T>::value;
};

template <typename T>
inline constexpr bool kDependentFalse = false;

// Whether describe_value(T) compiles: every rule below but the last.
template <typename V>
concept Describable =
    HasSplitcheckDescribe<V> || std::is_convertible_v<const V&, std::string_view> ||
    std::is_arithmetic_v<V> || std::is_enum_v<V> || Streamable<V> || IsOptional<V>::value ||
    IsVariant<V>::value || std::ranges::input_range<const V> || TupleLike<V> ||
    std::has_unique_object_representations_v<V>;

// At most this many elements of a range are shown, then how many there are.
inline constexpr std::size_t kMaxElementsShown = 16;

// A position or record of any type, for messages, by the first rule that
// applies: splitcheck_describe(value) found by ADL; byte strings quoted and
// escaped; bool as true/false; a char as a one-byte string; integers in
// decimal; floating point as the shortest text that reads back; operator<< when
// the type has one; enums in decimal; std::optional as nullopt or its value;
// std::variant as its value; ranges (vectors, sets, maps, ...) as
// [a, b, ...] (the first kMaxElementsShown, then the count); pairs and
// tuples as {a, b}; a type without padding as its bytes in hex. Any other
// type fails to compile with a message naming the fix.
template <typename V>
std::string describe_value(const V& value) {
  if constexpr (HasSplitcheckDescribe<V>) {
    return std::string(splitcheck_describe(value));
  } else if constexpr (std::is_convertible_v<const V&, std::string_view>) {
    return describe_bytes(value);
  } else if constexpr (std::is_same_v<V, bool>) {
    return value ? "true" : "false";
  } else if constexpr (std::is_same_v<V, char>) {
    return describe_bytes(std::string_view(&value, 1));
  } else if constexpr (std::is_integral_v<V>) {
    return std::to_string(value);
  } else if constexpr (std::is_floating_point_v<V>) {
    return describe_double(static_cast<double>(value));
  } else if constexpr (Streamable<V>) {
    std::ostringstream out;
    out << value;
    return out.str();
  } else if constexpr (std::is_enum_v<V>) {
    return std::to_string(static_cast<std::underlying_type_t<V>>(value));
  } else if constexpr (IsOptional<V>::value) {
    return value.has_value() ? describe_value(*value) : "nullopt";
  } else if constexpr (IsVariant<V>::value) {
    if (value.valueless_by_exception()) return "valueless variant";
    return std::visit([](const auto& alternative) { return describe_value(alternative); }, value);
  } else if constexpr (std::ranges::input_range<const V>) {
    std::string out = "[";
    std::size_t n = 0;
    for (const auto& element : value) {
      if (n < kMaxElementsShown) {
        if (n > 0) out += ", ";
        out += describe_value(element);
      }
      ++n;
    }
    if (n > kMaxElementsShown) out += ", ...(" + std::to_string(n) + " elements)";
    return out + "]";
  } else if constexpr (TupleLike<V>) {
    std::string out = "{";
    std::apply(
        [&out](const auto&... parts) {
          std::size_t i = 0;
          ((out += (i++ > 0 ? ", " : "") + describe_value(parts)), ...);
        },
        value);
    return out + "}";
  } else if constexpr (std::has_unique_object_representations_v<V>) {
    // Bytes a person can compare, when nothing better is known.
    static constexpr char kHex[] = "0123456789abcdef";
    const auto* bytes = reinterpret_cast<const unsigned char*>(&value);
    std::string out = "<" + std::to_string(sizeof(V)) + " bytes: ";
    for (std::size_t i = 0; i < sizeof(V); ++i) {
      out += kHex[bytes[i] >> 4];
      out += kHex[bytes[i] & 0xf];
    }
    return out + ">";
  } else {
    static_assert(kDependentFalse<V>,
                  "splitcheck cannot print this record or position type in its messages: give "
                  "it an operator<< that argument-dependent lookup finds, or declare "
                  "std::string splitcheck_describe(const T&) in its namespace "
                  "(docs/testkit.md, \"Records in messages\")");
    return "";
  }
}

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_INTERNAL_DESCRIBE_H_
