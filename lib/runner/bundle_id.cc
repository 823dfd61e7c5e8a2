#include "splitcheck/lib/runner/bundle_id.h"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

#include "splitcheck/lib/error.h"

namespace splitcheck {
namespace {

[[noreturn]] void bad_id(std::string_view id) {
  throw UsageError("bundle id \"" + std::string(id) +
                   "\" is not decimal components separated by dots (\"0\", \"2.1\")");
}

// Reads the component of `id` that starts at `*at`, and moves `*at` past it
// and past the dot after it.
std::uint64_t next_component(std::string_view id, std::size_t* at) {
  std::uint64_t value = 0;
  std::size_t i = *at;
  const std::size_t begin = i;
  for (; i < id.size() && id[i] != '.'; ++i) {
    const char c = id[i];
    if (c < '0' || c > '9') bad_id(id);
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) bad_id(id);
    value = value * 10 + digit;
  }
  if (i == begin) bad_id(id);  // empty: "", "1.", ".1", "1..2"
  if (i < id.size()) {
    ++i;  // the dot
    if (i == id.size()) bad_id(id);
  }
  *at = i;
  return value;
}

}  // namespace

bool bundle_id_less(std::string_view a, std::string_view b) {
  std::size_t i = 0;
  std::size_t j = 0;
  for (;;) {
    const bool a_ended = i == a.size() && i > 0;
    const bool b_ended = j == b.size() && j > 0;
    if (a_ended || b_ended) {
      // Validate the rest of the longer one, so a bad id never compares.
      while (i < a.size() || i == 0) next_component(a, &i);
      while (j < b.size() || j == 0) next_component(b, &j);
      return a_ended && !b_ended;
    }
    const std::uint64_t x = next_component(a, &i);
    const std::uint64_t y = next_component(b, &j);
    if (x != y) {
      while (i < a.size()) next_component(a, &i);
      while (j < b.size()) next_component(b, &j);
      return x < y;
    }
  }
}

}  // namespace splitcheck
