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

// Collects what each test recorded, names it after the test when the test
// ends, and writes the page when the program ends.
class ReportListener final : public ::testing::EmptyTestEventListener {
 public:
  void record(ReportEntry entry) {
    const std::lock_guard<std::mutex> lock(mu_);
    pending_.push_back(std::move(entry));
  }

  void OnTestEnd(const ::testing::TestInfo& info) override {
    const std::lock_guard<std::mutex> lock(mu_);
    const std::string name = std::string(info.test_suite_name()) + "." + info.name();
    const double seconds = static_cast<double>(info.result()->elapsed_time()) / 1000.0 /
                           static_cast<double>(std::max<std::size_t>(1, pending_.size()));
    for (ReportEntry& entry : pending_) {
      entry.test = name;
      entry.seconds = seconds;
      entries_.push_back(std::move(entry));
    }
    pending_.clear();
  }

  void OnTestProgramEnd(const ::testing::UnitTest&) override {
    const char* dir = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR");
    const std::lock_guard<std::mutex> lock(mu_);
    if (dir == nullptr || *dir == '\0' || entries_.empty()) return;
    std::string file = std::string(dir) + "/splitcheck_report";
    const char* shard = std::getenv("TEST_SHARD_INDEX");
    if (shard != nullptr && *shard != '\0') file += std::string("_shard_") + shard;
    file += ".html";
    const char* target = std::getenv("TEST_TARGET");
    const std::string title =
        std::string("splitcheck gate report: ") + (target != nullptr ? target : "tests");
    std::ofstream out(file, std::ios::binary);
    out << html_report(title, entries_);
    if (!out) std::cerr << "splitcheck: could not write the report " << file << std::endl;
  }

 private:
  std::mutex mu_;
  std::vector<ReportEntry> pending_;
  std::vector<ReportEntry> entries_;
};

ReportListener* report_listener() {
  // Owned by GoogleTest's listener list once appended; appended at start-up,
  // before any test runs.
  static ReportListener* const listener = [] {
    auto* l = new ReportListener;
    ::testing::UnitTest::GetInstance()->listeners().Append(l);
    return l;
  }();
  return listener;
}

const bool report_registered = report_listener() != nullptr;

}  // namespace

namespace internal {

void record_for_report(ReportEntry entry) { report_listener()->record(std::move(entry)); }

}  // namespace internal

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
    case MutantOutcome::Verdict::kNotJudged:
      return outcome.mutation + ": NOT JUDGED: " + outcome.detail;
  }
  return outcome.mutation;
}

}  // namespace

::testing::AssertionResult Rejected(const CheckResult& result) {
  internal::record_for_report(check_entry(ReportEntry::Kind::kExpectedRejection, result,
                                          result.outcome == CheckResult::Outcome::kFailed));
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
  const bool passes = outcome.verdict == MutantOutcome::Verdict::kRejected ||
                      outcome.verdict == MutantOutcome::Verdict::kNotApplicable;
  internal::record_for_report(
      mutant_entry(ReportEntry::Kind::kMutant, outcome.mutation, text, passes));
  std::cout << text << std::endl;
  if (passes) {
    return ::testing::AssertionSuccess() << text;
  }
  return ::testing::AssertionFailure() << text;
}

::testing::AssertionResult ControlPassed(const MutantOutcome& control) {
  internal::record_for_report(
      mutant_entry(ReportEntry::Kind::kControl, control.mutation,
                   control.verdict == MutantOutcome::Verdict::kRejected
                       ? control.mutation + ": the gate rejects it (" + control.check + ")"
                       : control.mutation + ": the gate passes it",
                   control.verdict != MutantOutcome::Verdict::kRejected));
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
