// Test helper: the records of a delimited byte string, parsed one byte at a
// time, as the obviously correct reference for DelimitedReader and
// TextSource. Test-only.
//
// The rules are those of delimited_reader.h: an empty delimiter means "\n",
// "\r\n" or "\r"; otherwise the delimiter is matched leftmost first without
// overlap; a trailing delimiter does not start an empty record.

#ifndef SPLITCHECK_LIB_INTERNAL_REFERENCE_LINES_H_
#define SPLITCHECK_LIB_INTERNAL_REFERENCE_LINES_H_

#include <cstdint>
#include <string>
#include <vector>

namespace splitcheck::internal {

struct ReferenceLine {
  std::string text;
  std::int64_t start;  // byte offset of its first byte
  friend bool operator==(const ReferenceLine&, const ReferenceLine&) = default;
};

inline std::vector<ReferenceLine> reference_lines(const std::string& bytes,
                                                  const std::string& delimiter) {
  std::vector<ReferenceLine> out;
  std::size_t start = 0, i = 0;
  while (i < bytes.size()) {
    std::size_t length = 0;
    if (delimiter.empty()) {
      if (bytes[i] == '\n') length = 1;
      if (bytes[i] == '\r') length = i + 1 < bytes.size() && bytes[i + 1] == '\n' ? 2 : 1;
    } else if (bytes.compare(i, delimiter.size(), delimiter) == 0) {
      length = delimiter.size();
    }
    if (length == 0) {
      ++i;
      continue;
    }
    out.push_back({bytes.substr(start, i - start), static_cast<std::int64_t>(start)});
    i += length;
    start = i;
  }
  if (start < bytes.size()) out.push_back({bytes.substr(start), static_cast<std::int64_t>(start)});
  return out;
}

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_INTERNAL_REFERENCE_LINES_H_
