#include "splitcheck/testkit/faults/fault_points.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/mutex.h"
#include "splitcheck/lib/internal/thread_annotations.h"

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

struct FaultPoints::State {
  mutable ::splitcheck::internal::Mutex mu;
  std::int64_t operations SPLITCHECK_GUARDED_BY(mu) = 0;
  std::optional<std::int64_t> fault_at SPLITCHECK_GUARDED_BY(mu);  // counted in `kind`
  std::string kind SPLITCHECK_GUARDED_BY(mu);
  std::int64_t of_kind SPLITCHECK_GUARDED_BY(mu) = 0;
  FaultMode mode SPLITCHECK_GUARDED_BY(mu) = FaultMode::kFail;
  bool fired SPLITCHECK_GUARDED_BY(mu) = false;
  std::vector<std::string> trace SPLITCHECK_GUARDED_BY(mu);
};

FaultPoints::FaultPoints() : state_(std::make_unique<State>()) {}
FaultPoints::~FaultPoints() = default;

void FaultPoints::raise(FaultMode mode, const std::string& what) {
  throw InjectedFailure(std::string("injected ") + fault_mode_name(mode) + " at \"" + what + "\"");
}

void FaultPoints::inject(std::int64_t index, FaultMode mode, std::string kind) {
  if (index < 0) throw UsageError("FaultPoints: negative point index");
  State& st = *state_;
  ::splitcheck::internal::MutexLock lock(&st.mu);
  st.fault_at = index;
  st.kind = std::move(kind);
  st.of_kind = 0;
  st.mode = mode;
  st.fired = false;
}

std::int64_t FaultPoints::operations() const {
  State& st = *state_;
  ::splitcheck::internal::MutexLock lock(&st.mu);
  return st.operations;
}

std::vector<std::string> FaultPoints::trace() const {
  State& st = *state_;
  ::splitcheck::internal::MutexLock lock(&st.mu);
  return st.trace;
}

bool FaultPoints::fired() const {
  State& st = *state_;
  ::splitcheck::internal::MutexLock lock(&st.mu);
  return st.fired;
}

std::optional<FaultMode> FaultPoints::count(const std::string& what) {
  State& st = *state_;
  ::splitcheck::internal::MutexLock lock(&st.mu);
  bool fault = false;
  if (st.fault_at.has_value() && what.rfind(st.kind, 0) == 0) fault = st.of_kind++ == *st.fault_at;
  ++st.operations;
  st.trace.push_back(fault ? "! " + what : what);
  if (!fault) return std::nullopt;
  st.fired = true;
  st.fault_at.reset();
  return st.mode;
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
