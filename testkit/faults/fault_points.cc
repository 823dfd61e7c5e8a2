#include "splitcheck/testkit/faults/fault_points.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/mutex.h"
#include "splitcheck/lib/internal/thread_annotations.h"
#include "splitcheck/testkit/faults/crashable_store.h"

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
  std::optional<std::string> crashed_at SPLITCHECK_GUARDED_BY(mu);
  // Points left before every point fails (fail_from).
  std::optional<std::int64_t> failing_in SPLITCHECK_GUARDED_BY(mu);
  std::function<void()> crash_handler SPLITCHECK_GUARDED_BY(mu);
  std::vector<std::string> trace SPLITCHECK_GUARDED_BY(mu);
  std::vector<std::shared_ptr<CrashableStore>> stores SPLITCHECK_GUARDED_BY(mu);
};

void FaultPoints::add_store(std::shared_ptr<CrashableStore> store) {
  if (store == nullptr) throw UsageError("FaultPoints::add_store: the store is null");
  State& st = *state_;
  ::splitcheck::internal::MutexLock lock(&st.mu);
  st.stores.push_back(std::move(store));
}

std::vector<std::shared_ptr<CrashableStore>> FaultPoints::stores() const {
  State& st = *state_;
  ::splitcheck::internal::MutexLock lock(&st.mu);
  return st.stores;
}

FaultPoints::FaultPoints() : state_(std::make_unique<State>()) {}
FaultPoints::~FaultPoints() = default;

void FaultPoints::raise(FaultMode mode, const std::string& what) {
  if (mode == FaultMode::kCrash) throw MachineCrash("injected crash at \"" + what + "\"");
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

void FaultPoints::fail_from(std::int64_t index) {
  if (index < 0) throw UsageError("FaultPoints: negative point index");
  State& st = *state_;
  ::splitcheck::internal::MutexLock lock(&st.mu);
  st.failing_in = index;
}

void FaultPoints::clear() {
  State& st = *state_;
  ::splitcheck::internal::MutexLock lock(&st.mu);
  st.failing_in.reset();
  st.fault_at.reset();
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

bool FaultPoints::crashed() const {
  State& st = *state_;
  ::splitcheck::internal::MutexLock lock(&st.mu);
  return st.crashed_at.has_value();
}

void FaultPoints::set_crash_handler(std::function<void()> handler) {
  State& st = *state_;
  ::splitcheck::internal::MutexLock lock(&st.mu);
  st.crash_handler = std::move(handler);
}

std::optional<FaultMode> FaultPoints::count(const std::string& what) {
  State& st = *state_;
  std::function<void()> handler;
  {
    ::splitcheck::internal::MutexLock lock(&st.mu);
    if (st.crashed_at) {
      throw MachineCrash("\"" + what + "\" after the crash at \"" + *st.crashed_at +
                         "\": the machine is down");
    }
    bool fault = false;
    if (st.fault_at.has_value() && what.rfind(st.kind, 0) == 0) {
      fault = st.of_kind++ == *st.fault_at;
    }
    if (st.failing_in && (*st.failing_in)-- <= 0) {
      st.failing_in = 0;
      ++st.operations;
      st.trace.push_back("! " + what);
      st.fired = true;
      return FaultMode::kFail;
    }
    ++st.operations;
    st.trace.push_back(fault ? "! " + what : what);
    if (!fault) return std::nullopt;
    st.fired = true;
    st.fault_at.reset();
    if (st.mode != FaultMode::kCrash) return st.mode;
    st.crashed_at = what;
    handler = std::move(st.crash_handler);
  }
  if (handler) handler();
  raise(FaultMode::kCrash, what);
}

void FaultPoints::before(std::string_view call) {
  const std::string what = "before " + std::string(call);
  if (const auto mode = count(what)) raise(*mode, what);
}

void FaultPoints::after(std::string_view call) {
  const std::string what = "after " + std::string(call);
  if (const auto mode = count(what)) raise(*mode, what);
}

std::string trace_excerpt(const std::vector<std::string>& trace, std::size_t after) {
  constexpr std::size_t kWhole = 16, kBefore = 8;
  std::size_t from = 0, to = trace.size();
  if (trace.size() > kWhole) {
    std::size_t marked = trace.size() - 1;
    for (std::size_t i = 0; i < trace.size(); ++i) {
      if (trace[i].rfind("! ", 0) == 0) {
        marked = i;
        break;
      }
    }
    from = marked > kBefore ? marked - kBefore : 0;
    to = marked + 1 + std::min(after, trace.size() - marked - 1);
  }
  std::string out;
  if (from > 0) out += "\n  ... " + std::to_string(from) + " earlier points";
  for (std::size_t i = from; i < to; ++i) out += "\n  " + trace[i];
  if (to < trace.size()) out += "\n  ... " + std::to_string(trace.size() - to) + " later points";
  return out;
}

}  // namespace splitcheck::testkit
