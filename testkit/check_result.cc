#include "splitcheck/testkit/check_result.h"

#include <utility>

namespace splitcheck::testkit {
namespace {

CheckResult make(CheckResult::Outcome outcome, std::string check, std::string message) {
  CheckResult result;
  result.outcome = outcome;
  result.check = std::move(check);
  result.message = std::move(message);
  return result;
}

const char* name(CheckResult::Outcome outcome) {
  switch (outcome) {
    case CheckResult::Outcome::kPassed:
      return "passed";
    case CheckResult::Outcome::kFailed:
      return "FAILED";
    case CheckResult::Outcome::kGaveUp:
      return "GAVE UP";
    case CheckResult::Outcome::kBroken:
      return "BROKEN";
  }
  return "?";
}

}  // namespace

CheckResult CheckResult::passed(std::string check) {
  return make(Outcome::kPassed, std::move(check), "");
}
CheckResult CheckResult::failed(std::string check, std::string message) {
  return make(Outcome::kFailed, std::move(check), std::move(message));
}
CheckResult CheckResult::gave_up(std::string check, std::string message) {
  return make(Outcome::kGaveUp, std::move(check), std::move(message));
}
CheckResult CheckResult::broken(std::string check, std::string message) {
  return make(Outcome::kBroken, std::move(check), std::move(message));
}

std::string CheckResult::to_string() const {
  std::string out =
      std::string(name(outcome)) + ": " + check + " (" + std::to_string(cases) + " cases" +
      (records_read > 0 ? ", " + std::to_string(records_read) + " records read" : "") + ")";
  if (!message.empty()) out += "\n  " + message;
  if (!replay.empty()) out += "\n  replay: " + replay;
  for (const std::string& note : notes) out += "\n  note: " + note;
  return out;
}

std::ostream& operator<<(std::ostream& os, const CheckResult& result) {
  return os << result.to_string();
}

}  // namespace splitcheck::testkit
