// ByteKeyRange: the restriction [start, end) of byte-string keys, ordered
// lexicographically as unsigned bytes (a key-value store's or a table's key
// space). An empty end is the end of the key space; a non-empty end must not
// be before the start. The empty start is the first key.
//
// A value type; Coder<ByteKeyRange> writes both keys and its decoder rejects
// an end before the start (CorruptDataError).

#ifndef SPLITCHECK_LIB_SDF_BYTE_KEY_RANGE_H_
#define SPLITCHECK_LIB_SDF_BYTE_KEY_RANGE_H_

#include <ostream>
#include <string>

#include "splitcheck/lib/coders/coder.h"

namespace splitcheck {

struct ByteKeyRange {
  std::string start;
  std::string end;  // "" = the end of the key space

  // Whether `key` lies in the range.
  bool contains(const std::string& key) const { return key >= start && (end.empty() || key < end); }
  // The first key a DoFn can claim in the range: the start, or "\0" when the
  // start is the empty key (the empty key is the end marker, never claimed:
  // ByteKeyRestrictionTracker).
  std::string first_key() const { return start.empty() ? std::string(1, '\0') : start; }
  // No key can be claimed in the range (so ["", "\0") is empty).
  bool empty() const { return !end.empty() && first_key() >= end; }
  // "[61 62, <end>)": keys as hex bytes.
  std::string debug_string() const;

  friend bool operator==(const ByteKeyRange&, const ByteKeyRange&) = default;
  friend std::ostream& operator<<(std::ostream& os, const ByteKeyRange& r) {
    return os << r.debug_string();
  }
};

// A key as hex bytes ("" as "<empty>"), for messages.
std::string describe_key(const std::string& key);

template <>
struct Coder<ByteKeyRange> {
  static void encode(const ByteKeyRange& r, ByteWriter& out) {
    out.put_string(r.start);
    out.put_string(r.end);
  }
  static ByteKeyRange decode(ByteReader& in) {
    const std::size_t begin = in.offset();
    ByteKeyRange r;
    r.start = in.get_string("key range start");
    r.end = in.get_string("key range end");
    if (!r.end.empty() && r.end < r.start) {
      in.fail(begin, "key range", "its end is before its start: " + r.debug_string());
    }
    return r;
  }
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_SDF_BYTE_KEY_RANGE_H_
