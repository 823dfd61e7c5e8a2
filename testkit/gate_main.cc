// The main of the gate's test targets (bazel/defs.bzl): GoogleTest's, plus
// one flag that picks a part of a program compiled with both parts of the
// gate (SPLITCHECK_GATE_AND_MUTANTS, testkit/gtest.h):
//
//   --splitcheck_gate_part=checks   every test but the mutation analysis
//   --splitcheck_gate_part=mutants  only the mutation analysis (Mutants/...)
//
// so that one compiled factory file serves both <name> and <name>_mutants.
// The part narrows whatever filter is already set (--gtest_filter,
// GTEST_FILTER, Bazel's --test_filter): it adds negative patterns, so the
// tests run are those both select. A part the program has no test of is an
// error (exit 1), not an empty pass. Without the flag, every test runs.

#include <cstdio>
#include <cstring>
#include <string>

#include "gtest/gtest.h"

namespace {

constexpr char kFlag[] = "--splitcheck_gate_part=";
constexpr char kMutantsPrefix[] = "Mutants/";

// `filter` with `negatives` (':'-separated patterns) excluded too.
std::string exclude(const std::string& filter, const std::string& negatives) {
  if (negatives.empty()) return filter;
  if (filter.find('-') != std::string::npos) return filter + ":" + negatives;
  return (filter.empty() ? "*" : filter) + "-" + negatives;
}

// The ':'-separated patterns of every test suite that is not (`mutants`) or
// is (!mutants) part of the mutation analysis.
std::string suites_outside(bool mutants) {
  std::string patterns;
  const ::testing::UnitTest& unit = *::testing::UnitTest::GetInstance();
  for (int i = 0; i < unit.total_test_suite_count(); ++i) {
    const std::string name = unit.GetTestSuite(i)->name();
    const bool is_mutants = name.rfind(kMutantsPrefix, 0) == 0;
    if (is_mutants == mutants) continue;
    if (!patterns.empty()) patterns += ':';
    patterns += name + ".*";
  }
  return patterns;
}

}  // namespace

int main(int argc, char** argv) {
  // The flag is ours: taken out before GoogleTest parses the rest.
  std::string part;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], kFlag, sizeof kFlag - 1) == 0) {
      part = argv[i] + sizeof kFlag - 1;
      if (part != "checks" && part != "mutants") {
        std::fprintf(stderr, "%s: %s%s: the part must be \"checks\" or \"mutants\"\n", argv[0],
                     kFlag, part.c_str());
        return 2;
      }
      continue;
    }
    if (std::strcmp(argv[i], "--splitcheck_gate_part") == 0) {
      std::fprintf(stderr, "%s: write --splitcheck_gate_part=checks or =mutants\n", argv[0]);
      return 2;
    }
    argv[kept++] = argv[i];
  }
  argv[kept] = nullptr;
  argc = kept;
  ::testing::InitGoogleTest(&argc, argv);
  if (!part.empty()) {
    const std::string outside = suites_outside(part == "mutants");
    const ::testing::UnitTest& unit = *::testing::UnitTest::GetInstance();
    bool any = false;
    for (int i = 0; i < unit.total_test_suite_count(); ++i) {
      const bool is_mutants =
          std::string(unit.GetTestSuite(i)->name()).rfind(kMutantsPrefix, 0) == 0;
      any = any || is_mutants == (part == "mutants");
    }
    if (!any) {
      // A part with nothing in it is a build mistake (the factory file not
      // compiled with SPLITCHECK_GATE_AND_MUTANTS), not a pass.
      std::fprintf(stderr, "%s: --splitcheck_gate_part=%s: the program has no test of that part\n",
                   argv[0], part.c_str());
      return 1;
    }
    const std::string filter = GTEST_FLAG_GET(filter);
    GTEST_FLAG_SET(filter, exclude(filter, outside));
  }
  return RUN_ALL_TESTS();
}
