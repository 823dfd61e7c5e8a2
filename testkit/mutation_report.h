// MutationReport: what a mutation analysis of a gate found, one outcome per
// mutant, and its score. The analyses that fill it: testkit/mutation_analysis.h
// (sources, trackers, sinks) and testkit/sdf/sdf_mutation_analysis.h
// (restriction trackers and splittable DoFns).
//
// A mutant is *rejected* when some check of the gate fails (or breaks) on
// it, *survived* when every check passes it (the gate, as configured, cannot
// see that bug on this connector; `advice` says what to change), and *not
// applicable* when the bug cannot be put into this connector from outside or
// cannot change anything the gate may demand (`detail` says why). The score
// is rejected / applied; the gate is strong enough when it is 100%.

#ifndef SPLITCHECK_TESTKIT_MUTATION_REPORT_H_
#define SPLITCHECK_TESTKIT_MUTATION_REPORT_H_

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "splitcheck/testkit/check_result.h"

namespace splitcheck::testkit {

struct MutantOutcome {
  // kNotJudged: the control failed (the gate rejects the connector itself),
  // so a rejection would be no bug's; `detail` says why. Neither a kill nor
  // a survivor, and never a pass.
  enum class Verdict { kRejected, kSurvived, kNotApplicable, kNotJudged };

  std::string mutation;
  Verdict verdict = Verdict::kSurvived;
  std::string check;  // the first check that rejected it
  // Every check that rejected it, when all were run (the matrix of
  // docs/testkit.md); otherwise just `check`.
  std::vector<std::string> rejected_by;
  std::string detail;  // the rejecting check's message, or why not applicable
  std::string advice;  // for a survivor: what to change in the gate
};

struct MutationReport {
  std::string gate;       // "source gate", "tracker gate", "sink gate"
  std::string connector;  // the connector's debug string
  std::vector<MutantOutcome> mutants;
  // Set when the analysis could not be made: the gate rejects the connector
  // itself, or the connector could not be built.
  std::optional<std::string> broken;

  // Mutants judged rejected or survived (not the not applicable, not the
  // not judged).
  int applied() const;
  int rejected() const;
  int survived() const { return applied() - rejected(); }
  int not_judged() const;
  // "11/11 (100%)".
  std::string score() const;
  std::string to_string() const;
};

std::ostream& operator<<(std::ostream& os, const MutationReport& report);

// Passed when the analysis could be made, at least one mutant applied, none
// survived and every one was judged; failed with the survivors and their
// advice; broken when a mutant could not be judged.
CheckResult to_check_result(const MutationReport& report);

namespace internal {

// The first line of a check's message, for one-line reports.
std::string first_line(const std::string& text, std::size_t max_chars = 200);

// A verdict from the results of the checks run on a mutant: rejected by the
// first that did not pass.
MutantOutcome judge(std::string mutation, const std::vector<CheckResult>& results,
                    std::string advice);

}  // namespace internal
}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_MUTATION_REPORT_H_
