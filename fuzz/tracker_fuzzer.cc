#include "splitcheck/fuzz/tracker_fuzzer.h"

#include <cstdio>
#include <cstdlib>

namespace splitcheck::fuzz {

void report_violation(const std::string& report) {
  std::fprintf(stderr, "\n==splitcheck== %s\n", report.c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace splitcheck::fuzz
