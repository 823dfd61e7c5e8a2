// OffsetRange: the restriction [from, to) of 64-bit offsets (records of a
// file, offsets of a log partition), with 0 <= from <= to. A `to` of
// kOffsetInfinity (lib/trackers/offset_range_tracker.h) is an unbounded
// range: a growing log read until it is split
// (growable_offset_restriction_tracker.h).
//
// A value type; Coder<OffsetRange> writes both ends and its decoder rejects a
// range that breaks the rule above (CorruptDataError).

#ifndef SPLITCHECK_LIB_SDF_OFFSET_RANGE_H_
#define SPLITCHECK_LIB_SDF_OFFSET_RANGE_H_

#include <cstdint>
#include <ostream>
#include <string>

#include "splitcheck/lib/coders/coder.h"
#include "splitcheck/lib/trackers/offset_range_tracker.h"

namespace splitcheck {

struct OffsetRange {
  std::int64_t from = 0;
  std::int64_t to = 0;

  bool bounded() const { return to != kOffsetInfinity; }
  // Offsets in the range (to - from); kOffsetInfinity - from when unbounded.
  std::int64_t size() const { return to - from; }
  // "[from, to)", "inf" for an unbounded end.
  std::string debug_string() const {
    return "[" + std::to_string(from) + ", " + (bounded() ? std::to_string(to) : "inf") + ")";
  }

  friend bool operator==(const OffsetRange&, const OffsetRange&) = default;
  friend std::ostream& operator<<(std::ostream& os, const OffsetRange& r) {
    return os << r.debug_string();
  }
};

template <>
struct Coder<OffsetRange> {
  static void encode(const OffsetRange& r, ByteWriter& out) {
    out.put_signed(r.from);
    out.put_signed(r.to);
  }
  static OffsetRange decode(ByteReader& in) {
    const std::size_t begin = in.offset();
    OffsetRange r;
    r.from = in.get_signed("offset range start");
    r.to = in.get_signed("offset range end");
    if (r.from < 0 || r.to < r.from) {
      in.fail(begin, "offset range", "needs 0 <= from <= to, got " + r.debug_string());
    }
    return r;
  }
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_SDF_OFFSET_RANGE_H_
