#include "splitcheck/lib/runner/internal/read_execution.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

namespace splitcheck {
namespace internal {

namespace {

std::vector<unsigned long long> id_components(const std::string& id) {
  std::vector<unsigned long long> parts;
  std::size_t begin = 0;
  while (begin <= id.size()) {
    const std::size_t end = std::min(id.find('.', begin), id.size());
    parts.push_back(std::stoull(id.substr(begin, end - begin)));
    begin = end + 1;
  }
  return parts;
}

}  // namespace

bool bundle_id_less(const std::string& a, const std::string& b) {
  return id_components(a) < id_components(b);
}

}  // namespace internal
}  // namespace splitcheck
