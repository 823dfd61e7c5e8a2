#include "splitcheck/testkit/gtest.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "splitcheck/testkit/mutation_analysis.h"

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

namespace {

std::string describe(const MutantOutcome& outcome) {
  switch (outcome.verdict) {
    case MutantOutcome::Verdict::kRejected:
      return outcome.mutation + ": rejected by " + outcome.check + " (" + outcome.detail + ")";
    case MutantOutcome::Verdict::kSurvived:
      return outcome.mutation +
             ": SURVIVED the gate, which cannot see this bug on this "
             "connector: " +
             outcome.advice;
    case MutantOutcome::Verdict::kNotApplicable:
      return outcome.mutation + ": not applicable: " + outcome.detail;
  }
  return outcome.mutation;
}

}  // namespace

::testing::AssertionResult Rejected(const CheckResult& result) {
  switch (result.outcome) {
    case CheckResult::Outcome::kFailed:
      std::cout << "rejected as expected: " << result << std::endl;
      return ::testing::AssertionSuccess();
    case CheckResult::Outcome::kPassed:
      return ::testing::AssertionFailure()
             << "expected " << result.check
             << " to reject the connector, but it passed: either the bug was fixed (move the "
                "connector out of the expected rejections) or the check stopped seeing it (a hole "
                "in the gate)\n"
             << result;
    case CheckResult::Outcome::kGaveUp:
      return ::testing::AssertionFailure()
             << "expected " << result.check
             << " to reject the connector, but it gave up, which proves nothing: give it a "
                "connector it can split\n"
             << result;
    case CheckResult::Outcome::kBroken:
      break;
  }
  return ::testing::AssertionFailure()
         << "expected " << result.check
         << " to reject the connector, but the check could not run, which is not a rejection\n"
         << result;
}

::testing::AssertionResult MutantRejected(const MutantOutcome& outcome) {
  const std::string text = describe(outcome);
  std::cout << text << std::endl;
  if (outcome.verdict != MutantOutcome::Verdict::kSurvived) {
    return ::testing::AssertionSuccess() << text;
  }
  return ::testing::AssertionFailure() << text;
}

::testing::AssertionResult ControlPassed(const MutantOutcome& control) {
  if (control.verdict != MutantOutcome::Verdict::kRejected) {
    std::cout << control.mutation << ": the gate passes it" << std::endl;
    return ::testing::AssertionSuccess();
  }
  const std::string text = control.mutation + ": the gate rejects it (" + control.check +
                           "): " + control.detail +
                           "; fix the connector before its mutants can be judged";
  std::cout << text << std::endl;
  return ::testing::AssertionFailure() << text;
}

}  // namespace splitcheck::testkit
