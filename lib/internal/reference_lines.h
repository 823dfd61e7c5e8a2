// Test helper: the records of a delimited byte string, parsed one byte at a
// time, as the obviously correct reference for DelimitedReader and
// TextSource. Test-only.
//
// The rules are those of delimited_reader.h: an empty delimiter means "\n",
// "\r\n" or "\r"; otherwise the delimiter is matched leftmost first without
// overlap; a trailing delimiter does not start an empty record; with an
// escape byte, escaped delimiters do not end records.

#ifndef SPLITCHECK_LIB_INTERNAL_REFERENCE_LINES_H_
#define SPLITCHECK_LIB_INTERNAL_REFERENCE_LINES_H_

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace splitcheck::internal {

struct ReferenceLine {
  std::string text;
  std::int64_t start;  // byte offset of its first byte
  friend bool operator==(const ReferenceLine&, const ReferenceLine&) = default;
};

struct ReferenceOptions {
  // An escape byte escapes the next byte, or the whole delimiter occurrence
  // that starts after it.
  std::optional<char> escape;
  // Records keep their delimiter.
  bool keep_delimiter = false;
};

inline std::vector<ReferenceLine> reference_lines(const std::string& bytes,
                                                  const std::string& delimiter,
                                                  const ReferenceOptions& options = {}) {
  // The length of the delimiter occurrence at i, 0 when none starts there.
  const auto delimiter_at = [&](std::size_t i) -> std::size_t {
    if (delimiter.empty()) {
      if (bytes[i] == '\n') return 1;
      if (bytes[i] == '\r') return i + 1 < bytes.size() && bytes[i + 1] == '\n' ? 2 : 1;
      return 0;
    }
    return bytes.compare(i, delimiter.size(), delimiter) == 0 ? delimiter.size() : 0;
  };
  std::vector<ReferenceLine> out;
  std::size_t start = 0, i = 0;
  while (i < bytes.size()) {
    if (options.escape && bytes[i] == *options.escape) {
      ++i;  // the escape, then what it escapes: a delimiter occurrence or a byte
      if (i < bytes.size()) i += std::max<std::size_t>(1, delimiter_at(i));
      continue;
    }
    const std::size_t length = delimiter_at(i);
    if (length == 0) {
      ++i;
      continue;
    }
    out.push_back({bytes.substr(start, i - start + (options.keep_delimiter ? length : 0)),
                   static_cast<std::int64_t>(start)});
    i += length;
    start = i;
  }
  if (start < bytes.size()) out.push_back({bytes.substr(start), static_cast<std::int64_t>(start)});
  return out;
}

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_INTERNAL_REFERENCE_LINES_H_
