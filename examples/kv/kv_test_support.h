// Helpers of the KV connector's tests: scratch databases under the test's
// temporary directory, and tables of known rows. Test-only.

#ifndef SPLITCHECK_EXAMPLES_KV_KV_TEST_SUPPORT_H_
#define SPLITCHECK_EXAMPLES_KV_KV_TEST_SUPPORT_H_

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "splitcheck/examples/kv/kv_io.h"
#include "splitcheck/lib/runner/local_runner.h"

namespace splitcheck::examples {

// A path under $TEST_TMPDIR (or /tmp).
inline std::string scratch(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  return std::string(tmp != nullptr ? tmp : "/tmp") + "/" + name;
}

inline std::vector<KeyValue> rows(int n) {
  std::vector<KeyValue> out;
  for (int i = 0; i < n; ++i) {
    // Keys with a 0x00 and a 0xff byte, so unsigned byte order matters.
    out.push_back({"k" + std::string(1, static_cast<char>(i * 37 % 256)) + std::to_string(i),
                   "value " + std::to_string(i)});
  }
  std::sort(out.begin(), out.end());
  return out;
}

inline std::string make_table(const std::string& name, int n) {
  const std::string database = scratch(name + ".db");
  std::filesystem::remove(database);
  LocalRunner().run(WriteToKV(database, "t"), rows(n));
  return database;
}

}  // namespace splitcheck::examples

#endif  // SPLITCHECK_EXAMPLES_KV_KV_TEST_SUPPORT_H_
