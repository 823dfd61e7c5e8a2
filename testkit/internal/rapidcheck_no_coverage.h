// RapidCheck, included so that its functions carry no fuzzing coverage
// instrumentation (lib/internal/no_fuzz_coverage.h). Internal: testkit
// headers include this instead of "rapidcheck.h".
//
// A fuzz binary links the tracker contract check beside the harness (the
// factory file is compiled once, fuzz/tracker_fuzzer.h); RapidCheck's
// templates instantiated there would otherwise add thousands of counters
// that libFuzzer scans after every execution and that measure nothing of
// the tracker. The standard headers come first, outside the region, so the
// standard-library code a tracker uses stays instrumented. With compilers
// other than clang the region is empty.

#ifndef SPLITCHECK_TESTKIT_INTERNAL_RAPIDCHECK_NO_COVERAGE_H_
#define SPLITCHECK_TESTKIT_INTERNAL_RAPIDCHECK_NO_COVERAGE_H_

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <iosfwd>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <sstream>
#include <stack>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "splitcheck/lib/internal/no_fuzz_coverage.h"

SPLITCHECK_BEGIN_NO_FUZZ_COVERAGE
#include "rapidcheck.h"
#include "rapidcheck/detail/Configuration.h"
SPLITCHECK_END_NO_FUZZ_COVERAGE

#endif  // SPLITCHECK_TESTKIT_INTERNAL_RAPIDCHECK_NO_COVERAGE_H_
