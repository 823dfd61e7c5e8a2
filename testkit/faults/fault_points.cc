#include "splitcheck/testkit/faults/fault_points.h"

#include <string>
#include <utility>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/runner/runner_policy.h"

namespace splitcheck::testkit {

const char* fault_mode_name(FaultMode mode) {
  switch (mode) {
    case FaultMode::kFail:
      return "failure";
    case FaultMode::kCrash:
      return "crash";
    case FaultMode::kTorn:
      return "torn write";
  }
  return "fault";
}

void FaultPoints::raise(FaultMode mode, const std::string& what) {
  throw InjectedFailure(std::string("injected ") + fault_mode_name(mode) + " at \"" + what + "\"");
}

void FaultPoints::inject(std::int64_t index, FaultMode mode, std::string kind) {
  if (index < 0) throw UsageError("FaultPoints: negative point index");
  ::splitcheck::internal::MutexLock lock(&mu_);
  fault_at_ = index;
  kind_ = std::move(kind);
  of_kind_ = 0;
  mode_ = mode;
  fired_ = false;
}

std::int64_t FaultPoints::operations() const {
  ::splitcheck::internal::MutexLock lock(&mu_);
  return operations_;
}

std::vector<std::string> FaultPoints::trace() const {
  ::splitcheck::internal::MutexLock lock(&mu_);
  return trace_;
}

bool FaultPoints::fired() const {
  ::splitcheck::internal::MutexLock lock(&mu_);
  return fired_;
}

std::optional<FaultMode> FaultPoints::count(const std::string& what) {
  ::splitcheck::internal::MutexLock lock(&mu_);
  bool fault = false;
  if (fault_at_.has_value() && what.rfind(kind_, 0) == 0) fault = of_kind_++ == *fault_at_;
  ++operations_;
  trace_.push_back(fault ? "! " + what : what);
  if (!fault) return std::nullopt;
  fired_ = true;
  fault_at_.reset();
  return mode_;
}

void FaultPoints::before(std::string_view call) {
  const std::string what = "before " + std::string(call);
  if (const auto mode = count(what)) raise(*mode, what);
}

void FaultPoints::after(std::string_view call) {
  const std::string what = "after " + std::string(call);
  if (const auto mode = count(what)) raise(*mode, what);
}

}  // namespace splitcheck::testkit
