#include "splitcheck/lib/runner/local_runner.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>
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

LocalRunner::LocalRunner(RunnerOptions options) : options_(std::move(options)) {
  if (options_.num_workers < 1) {
    throw UsageError("LocalRunner: num_workers must be at least 1, got " +
                     std::to_string(options_.num_workers));
  }
  if (options_.max_attempts < 1) {
    throw UsageError("LocalRunner: max_attempts must be at least 1, got " +
                     std::to_string(options_.max_attempts));
  }
  if (options_.desired_bundle_size.has_value() && *options_.desired_bundle_size <= 0) {
    throw UsageError("LocalRunner: desired_bundle_size must be positive, got " +
                     std::to_string(*options_.desired_bundle_size));
  }
}

}  // namespace splitcheck
