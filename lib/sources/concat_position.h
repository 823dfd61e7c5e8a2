// ConcatPosition<P>: a position in a concatenation of sources (the positions
// of ConcatRangeTracker and ConcatSource): a sub-source index and, optionally,
// a position inside that sub-source; absent, the start of the sub-source,
// before any of its positions. Ordered by index, then position (an absent
// position first); printed as "(2, 17)" or "(2, start)". Encoded (coder.h)
// as the index, then the optional position.

#ifndef SPLITCHECK_LIB_SOURCES_CONCAT_POSITION_H_
#define SPLITCHECK_LIB_SOURCES_CONCAT_POSITION_H_

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>

#include "splitcheck/lib/coders/coder.h"
#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/describe.h"

namespace splitcheck {

// A position in a concatenation: a sub-source and, optionally, a position
// inside it (absent: the start of that sub-source).
template <typename P>
struct ConcatPosition {
  std::size_t source_index = 0;
  std::optional<P> position;

  friend bool operator==(const ConcatPosition&, const ConcatPosition&) = default;
  friend bool operator<(const ConcatPosition& a, const ConcatPosition& b) {
    if (a.source_index != b.source_index) return a.source_index < b.source_index;
    return a.position < b.position;  // an absent position sorts first
  }
  friend bool operator>(const ConcatPosition& a, const ConcatPosition& b) { return b < a; }
  friend bool operator<=(const ConcatPosition& a, const ConcatPosition& b) { return !(b < a); }
  friend bool operator>=(const ConcatPosition& a, const ConcatPosition& b) { return !(a < b); }

  // "(2, 17)", or "(2, start)" for the start of sub-source 2.
  friend std::ostream& operator<<(std::ostream& os, const ConcatPosition& p) {
    return os << "(" << p.source_index << ", "
              << (p.position ? internal::describe_value(*p.position) : "start") << ")";
  }
};

// Throws UsageError unless [start, stop) is a range of a concatenation of
// `size` sub-sources.
template <typename P>
void check_concat_range(const ConcatPosition<P>& start, const ConcatPosition<P>& stop,
                        std::size_t size) {
  const std::string range = "ConcatRangeTracker over " + std::to_string(size) + " sub-sources, [" +
                            internal::describe_value(start) + ", " +
                            internal::describe_value(stop) + ")";
  for (const ConcatPosition<P>* bound : {&start, &stop}) {
    if (bound->source_index > size || (bound->source_index == size && bound->position)) {
      throw UsageError(range + ": " + internal::describe_value(*bound) + " names no sub-source");
    }
  }
  if (stop < start) throw UsageError(range + ": the start must not be after the stop");
}

template <typename P>
struct Coder<ConcatPosition<P>> {
  static void encode(const ConcatPosition<P>& p, ByteWriter& out) {
    out.put_varint(p.source_index);
    encode_value(p.position, out);
  }
  static ConcatPosition<P> decode(ByteReader& in) {
    ConcatPosition<P> p;
    p.source_index = decode_value<std::size_t>(in);
    p.position = decode_value<std::optional<P>>(in);
    return p;
  }
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_SOURCES_CONCAT_POSITION_H_
