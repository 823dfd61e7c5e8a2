// The gate's report as a page: one self-contained HTML file (inline CSS, no
// scripts, nothing fetched) with, for each check a test ran, its verdict,
// cases, records read and time; each counterexample with its replay and
// notes; the mutation analysis' outcomes and score; and, for the exhaustive
// split check, a map of records read x split position coloured by accepted,
// refused and failed cases, so that a boundary bug shows as a stripe.
//
// The gtest integration (gtest.h) collects what each test checked and, when
// Bazel gives the test an undeclared-outputs directory
// ($TEST_UNDECLARED_OUTPUTS_DIR, kept by CI systems as an artifact), writes
// splitcheck_report.html there (splitcheck_report_shard_<i>.html in a
// sharded test) when the test program ends.

#ifndef SPLITCHECK_TESTKIT_HTML_REPORT_H_
#define SPLITCHECK_TESTKIT_HTML_REPORT_H_

#include <string>
#include <utility>
#include <vector>

#include "splitcheck/testkit/check_result.h"

namespace splitcheck::testkit {

struct ReportEntry {
  enum class Kind { kCheck, kExpectedRejection, kMutant, kControl };
  Kind kind = Kind::kCheck;
  std::string test;      // Suite.Name of the test that ran it
  CheckResult result;    // kCheck, kExpectedRejection
  std::string mutation;  // kMutant, kControl: what was put into the connector
  std::string outcome;   // kMutant, kControl: the outcome as printed
  bool ok = true;        // whether the test holds it as it should be
  double seconds = 0;
};

// An entry for a check's result, and one for a mutant or the control.
inline ReportEntry check_entry(ReportEntry::Kind kind, const CheckResult& result, bool ok) {
  ReportEntry entry;
  entry.kind = kind;
  entry.result = result;
  entry.ok = ok;
  return entry;
}
inline ReportEntry mutant_entry(ReportEntry::Kind kind, std::string mutation, std::string outcome,
                                bool ok) {
  ReportEntry entry;
  entry.kind = kind;
  entry.mutation = std::move(mutation);
  entry.outcome = std::move(outcome);
  entry.ok = ok;
  return entry;
}

// The page; `title` heads it (the test target, say).
std::string html_report(const std::string& title, const std::vector<ReportEntry>& entries);

// `text` with &, <, >, " and ' escaped for HTML.
std::string html_escape(const std::string& text);

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_HTML_REPORT_H_
