#include "splitcheck/testkit/mutation_report.h"

#include <sstream>
#include <utility>

namespace splitcheck::testkit {

int MutationReport::applied() const {
  int n = 0;
  for (const MutantOutcome& m : mutants) {
    n += m.verdict == MutantOutcome::Verdict::kRejected ||
         m.verdict == MutantOutcome::Verdict::kSurvived;
  }
  return n;
}

int MutationReport::not_judged() const {
  int n = 0;
  for (const MutantOutcome& m : mutants) n += m.verdict == MutantOutcome::Verdict::kNotJudged;
  return n;
}

int MutationReport::rejected() const {
  int n = 0;
  for (const MutantOutcome& m : mutants) n += m.verdict == MutantOutcome::Verdict::kRejected;
  return n;
}

std::string MutationReport::score() const {
  const int a = applied();
  const int r = rejected();
  return std::to_string(r) + "/" + std::to_string(a) +
         (a > 0 ? " (" + std::to_string(100 * r / a) + "%)" : std::string());
}

std::string MutationReport::to_string() const {
  std::ostringstream out;
  out << "mutation analysis of the " << gate << (connector.empty() ? "" : " on " + connector)
      << ": ";
  if (broken) {
    out << "could not be made: " << *broken << "\n";
    return out.str();
  }
  out << score() << " mutants rejected\n";
  for (const MutantOutcome& m : mutants) {
    switch (m.verdict) {
      case MutantOutcome::Verdict::kRejected:
        out << "  rejected        " << m.mutation << "  (by " << m.check << ")\n";
        break;
      case MutantOutcome::Verdict::kSurvived:
        out << "  SURVIVED        " << m.mutation << "\n      the gate cannot see this bug on "
            << "this connector: " << m.advice << "\n";
        break;
      case MutantOutcome::Verdict::kNotApplicable:
        out << "  not applicable  " << m.mutation << "\n      " << m.detail << "\n";
        break;
      case MutantOutcome::Verdict::kNotJudged:
        out << "  NOT JUDGED      " << m.mutation << "\n      " << m.detail << "\n";
        break;
    }
  }
  return out.str();
}

std::ostream& operator<<(std::ostream& os, const MutationReport& report) {
  return os << report.to_string();
}

CheckResult to_check_result(const MutationReport& report) {
  const std::string check = "mutation_analysis";
  if (report.broken) return CheckResult::broken(check, *report.broken);
  if (report.not_judged() > 0) {
    for (const MutantOutcome& m : report.mutants) {
      if (m.verdict == MutantOutcome::Verdict::kNotJudged) {
        return CheckResult::broken(
            check, std::to_string(report.not_judged()) + " mutants not judged: " + m.detail);
      }
    }
  }
  CheckResult result = CheckResult::passed(check);
  result.cases = static_cast<std::int64_t>(report.mutants.size());
  result.notes.push_back(report.score() + " mutants rejected");
  for (const MutantOutcome& m : report.mutants) {
    if (m.verdict == MutantOutcome::Verdict::kNotApplicable) {
      result.notes.push_back("not applicable: " + m.mutation + ": " + m.detail);
    }
  }
  if (report.applied() == 0) {
    result.outcome = CheckResult::Outcome::kGaveUp;
    result.message = "no mutant could be applied to this connector";
    return result;
  }
  std::string survivors;
  for (const MutantOutcome& m : report.mutants) {
    if (m.verdict == MutantOutcome::Verdict::kSurvived) {
      survivors += "\n  " + m.mutation + ": " + m.advice;
    }
  }
  if (!survivors.empty()) {
    result.outcome = CheckResult::Outcome::kFailed;
    result.message = std::to_string(report.survived()) + " of " + std::to_string(report.applied()) +
                     " mutants survived the gate: it cannot see these bugs on this connector" +
                     survivors;
  }
  return result;
}

namespace internal {

std::string first_line(const std::string& text, std::size_t max_chars) {
  std::string line = text.substr(0, text.find('\n'));
  if (line.size() > max_chars) line = line.substr(0, max_chars) + "...";
  return line;
}

MutantOutcome judge(std::string mutation, const std::vector<CheckResult>& results,
                    std::string advice) {
  MutantOutcome outcome;
  outcome.mutation = std::move(mutation);
  for (const CheckResult& r : results) {
    if (r.ok()) continue;
    outcome.rejected_by.push_back(r.check);
    if (outcome.verdict == MutantOutcome::Verdict::kRejected) continue;
    outcome.verdict = MutantOutcome::Verdict::kRejected;
    outcome.check = r.check;
    outcome.detail = (r.outcome == CheckResult::Outcome::kGaveUp   ? "gave up: "
                      : r.outcome == CheckResult::Outcome::kBroken ? "broken: "
                                                                   : "") +
                     first_line(r.message);
  }
  if (outcome.verdict == MutantOutcome::Verdict::kRejected) return outcome;
  outcome.verdict = MutantOutcome::Verdict::kSurvived;
  outcome.advice = std::move(advice);
  return outcome;
}

}  // namespace internal
}  // namespace splitcheck::testkit
