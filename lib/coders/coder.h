// Coder<V>: how a value of type V becomes bytes and back, the C++ counterpart
// of Beam's coders. Records, positions and the parts of a source or a sink
// that a remote worker needs are encoded with it.
//
// A coder is a specialization with two static functions:
//
//   template <>
//   struct splitcheck::Coder<Event> {
//     static void encode(const Event& e, ByteWriter& out) {
//       out.put_signed(e.day);
//       out.put_string(e.name);
//     }
//     static Event decode(ByteReader& in) {
//       Event e;
//       e.day = in.get_signed("day");
//       e.name = in.get_string("name");
//       return e;
//     }
//   };
//
// Contract (checked by the testkit's serialization check for sources):
//   * encode is deterministic: equal values give equal bytes.
//   * decode(encode(v)) == v, reading exactly the bytes encode wrote.
//   * encode writes at least one byte (the vector coder bounds an element
//     count by the bytes left, so that corrupt counts cannot allocate).
//   * decode of truncated or corrupted bytes throws CorruptDataError (the
//     ByteReader's checks do this for the primitives) and never has
//     undefined behaviour.
// Provided here: bool, integers, double, std::string, std::optional,
// std::vector and std::pair of encodable types.

#ifndef SPLITCHECK_LIB_CODERS_CODER_H_
#define SPLITCHECK_LIB_CODERS_CODER_H_

#include <concepts>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "splitcheck/lib/coders/byte_reader.h"
#include "splitcheck/lib/coders/byte_writer.h"

namespace splitcheck {

template <typename V, typename Enable = void>
struct Coder;  // no coder for V: specialize splitcheck::Coder<V> (see above)

// V has a Coder.
template <typename V>
concept Encodable = requires(const V& value, ByteWriter& out, ByteReader& in) {
  {Coder<V>::encode(value, out)};
  { Coder<V>::decode(in) } -> std::same_as<V>;
};

template <typename V>
void encode_value(const V& value, ByteWriter& out) {
  Coder<V>::encode(value, out);
}

template <typename V>
V decode_value(ByteReader& in) {
  return Coder<V>::decode(in);
}

// The bytes of one value.
template <typename V>
std::string encode_to_bytes(const V& value) {
  ByteWriter out;
  Coder<V>::encode(value, out);
  return std::move(out).release();
}

// The value of `bytes`, which must hold exactly one; CorruptDataError
// naming `what` otherwise.
template <typename V>
V decode_from_bytes(std::string_view bytes, std::string what) {
  ByteReader in(bytes, std::move(what));
  V value = Coder<V>::decode(in);
  in.expect_end();
  return value;
}

template <>
struct Coder<bool> {
  static void encode(bool value, ByteWriter& out) { out.put_bool(value); }
  static bool decode(ByteReader& in) { return in.get_bool("bool"); }
};

template <std::integral I>
struct Coder<I, std::enable_if_t<!std::is_same_v<I, bool>>> {
  static void encode(I value, ByteWriter& out) {
    if constexpr (std::is_signed_v<I>) {
      out.put_signed(value);
    } else {
      out.put_varint(value);
    }
  }
  static I decode(ByteReader& in) {
    const std::size_t begin = in.offset();
    if constexpr (std::is_signed_v<I>) {
      const std::int64_t value = in.get_signed("integer");
      if (value < std::numeric_limits<I>::min() || value > std::numeric_limits<I>::max()) {
        in.fail(begin, "integer", std::to_string(value) + " is out of the type's range");
      }
      return static_cast<I>(value);
    } else {
      const std::uint64_t value = in.get_varint("integer");
      if (value > std::numeric_limits<I>::max()) {
        in.fail(begin, "integer", std::to_string(value) + " is out of the type's range");
      }
      return static_cast<I>(value);
    }
  }
};

template <>
struct Coder<double> {
  static void encode(double value, ByteWriter& out) { out.put_double(value); }
  static double decode(ByteReader& in) { return in.get_double("double"); }
};

template <>
struct Coder<std::string> {
  static void encode(const std::string& value, ByteWriter& out) { out.put_string(value); }
  static std::string decode(ByteReader& in) { return in.get_string("string"); }
};

template <typename V>
struct Coder<std::optional<V>> {
  static void encode(const std::optional<V>& value, ByteWriter& out) {
    out.put_bool(value.has_value());
    if (value.has_value()) Coder<V>::encode(*value, out);
  }
  static std::optional<V> decode(ByteReader& in) {
    if (!in.get_bool("optional")) return std::nullopt;
    return Coder<V>::decode(in);
  }
};

template <typename V>
struct Coder<std::vector<V>> {
  static void encode(const std::vector<V>& values, ByteWriter& out) {
    out.put_varint(values.size());
    for (const V& value : values) Coder<V>::encode(value, out);
  }
  static std::vector<V> decode(ByteReader& in) {
    // Every element takes at least one byte, so a corrupt count cannot
    // allocate more than the input's size.
    const std::size_t count = in.get_length("vector size");
    std::vector<V> values;
    values.reserve(count);
    for (std::size_t i = 0; i < count; ++i) values.push_back(Coder<V>::decode(in));
    return values;
  }
};

template <typename A, typename B>
struct Coder<std::pair<A, B>> {
  static void encode(const std::pair<A, B>& value, ByteWriter& out) {
    Coder<A>::encode(value.first, out);
    Coder<B>::encode(value.second, out);
  }
  static std::pair<A, B> decode(ByteReader& in) {
    A first = Coder<A>::decode(in);
    return {std::move(first), Coder<B>::decode(in)};
  }
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_CODERS_CODER_H_
