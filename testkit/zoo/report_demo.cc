// A gate that fails on purpose, for report_page_test.sh: a correct source,
// its mutation analysis, and a source whose readers skip the first record of
// a residual (a boundary bug), each through the checks, so that the report
// the run writes holds passes, rejections with replays, a mutation score and
// a split map with failures in it.
#include <memory>

#include "splitcheck/testkit/gtest.h"
#include "splitcheck/testkit/zoo/flawed_sources.h"

namespace splitcheck::testkit {
namespace {

using internal::Flaw;
using internal::FlawedSource;

std::shared_ptr<FlawedSource> MakeCorrect() {
  return std::make_shared<FlawedSource>(30, Flaw::kNone);
}
std::shared_ptr<FlawedSource> MakeBoundaryBug() {
  return std::make_shared<FlawedSource>(30, Flaw::kDropsFirstRecordOfResidual);
}

// The plain checks (this file is compiled with SPLITCHECK_MUTATION_ANALYSIS,
// for the mutation section, so the public macro would expand to mutants).
SPLITCHECK_SOURCE_CONFORMANCE_TEST_(Correct, MakeCorrect, internal::source_options());
SPLITCHECK_SOURCE_CONFORMANCE_TEST_(BoundaryBug, MakeBoundaryBug, internal::source_options());
SPLITCHECK_SOURCE_MUTATION_TEST(CorrectSource, MakeCorrect);

}  // namespace
}  // namespace splitcheck::testkit
