#include "splitcheck/lib/runner/local_runner.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace splitcheck {

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
