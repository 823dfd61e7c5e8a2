#include "splitcheck/testkit/gtest.h"

#include <cstdlib>
#include <fstream>

namespace splitcheck::testkit {
namespace {

// Bazel asks a sharded test runner to create this file to show that it
// understood sharding; GoogleTest only looks at GTEST_SHARD_STATUS_FILE.
bool touch_shard_status_file() {
  const char* path = std::getenv("TEST_SHARD_STATUS_FILE");
  if (path == nullptr || *path == '\0') return false;
  std::ofstream touch(path, std::ios::app);
  return static_cast<bool>(touch);
}

const bool touched = touch_shard_status_file();

}  // namespace

bool shard_status_file_touched() { return touched; }

}  // namespace splitcheck::testkit
