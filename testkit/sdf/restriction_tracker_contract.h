// The restriction tracker contract checker: is a RestrictionTracker (a
// splittable DoFn's tracker) right, for every sequence of operations and
// under real concurrency? Beam ships no such check.
//
//   SPLITCHECK_EXPECT_PASSED(check_restriction_tracker_contract<OffsetRange, std::int64_t>(
//       [](const OffsetRange& range, EndEstimate) {
//         return std::make_unique<MyTracker>(range);
//       },
//       offset_restrictions()));
//
// check_restriction_tracker_sequential: RapidCheck generates scenarios (a
// restriction and up to max_ops operations: mostly increasing claims,
// splits by fraction of the remainder and checkpoints, progress, check_done,
// some misuse), runs each on a fresh tracker and validates every answer with
// the domain's model (restriction_domain.h). The rules:
//   * claims: true inside the restriction, false at or past its end (and
//     final); a claim after a refusal, before the start or not after the
//     last claim is a UsageError;
//   * try_split(f): a fraction outside [0, 1] is a UsageError; an accepted
//     split gives primary [start, s) and residual [s, end) of the restriction
//     as it was, with every claimed position in the primary (s after the
//     last claim); try_split(0) splits exactly after the claimed work, and is
//     accepted whenever unclaimed work is left; a split with nothing left is
//     refused; with check_arithmetic, s is where the domain's arithmetic puts
//     the fraction of the *remainder*, and a possible split is accepted;
//   * check_done: an error exactly while unclaimed work remains;
//   * progress: completed and remaining >= 0, completed never going back,
//     remaining 0 after a refused claim, and with check_arithmetic the
//     domain's exact figures;
//   * current_restriction and is_bounded as the splits made them.
// A failure shrinks to a shortest scenario, printed as C++ with each answer
// and the broken rule.
//
// check_restriction_tracker_linearizable: a sequential prefix, then a
// reader claiming, a splitter splitting and a monitor asking for progress on
// three threads released together; the history (each call's and return's
// order) must have a linearization the model accepts (Wing and Gong's
// search, memoised). Each case runs `repetitions` times. Run it under
// --config=tsan too.
//
// check_restriction_tracker_contract runs both. The seed (0: $SPLITCHECK_SEED
// or random) is in the result's notes and its replay.

#ifndef SPLITCHECK_TESTKIT_SDF_RESTRICTION_TRACKER_CONTRACT_H_
#define SPLITCHECK_TESTKIT_SDF_RESTRICTION_TRACKER_CONTRACT_H_

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/no_fuzz_coverage.h"
#include "splitcheck/lib/sdf/restriction_tracker.h"
#include "splitcheck/testkit/check_result.h"
#include "splitcheck/testkit/internal/linearizability.h"
#include "splitcheck/testkit/internal/property.h"
#include "splitcheck/testkit/internal/rapidcheck_no_coverage.h"
#include "splitcheck/testkit/internal/thread_team.h"
#include "splitcheck/testkit/sdf/restriction_domain.h"
#include "splitcheck/testkit/sdf/restriction_scenario.h"

SPLITCHECK_BEGIN_NO_FUZZ_COVERAGE

namespace splitcheck::testkit {
namespace internal {

// The end estimate a check's tracker sees: what the scenario last set.
class EstimateCell {
 public:
  explicit EstimateCell(std::int64_t initial)
      : value_(std::make_shared<std::atomic<std::int64_t>>(initial)) {}
  EndEstimate estimate() const {
    return [v = value_] { return v->load(std::memory_order_relaxed); };
  }
  void set(std::int64_t value) { value_->store(value, std::memory_order_relaxed); }

 private:
  std::shared_ptr<std::atomic<std::int64_t>> value_;
};

// Runs one operation, catching what it throws.
template <typename R, typename P>
RestrictionOpResult<R> run_restriction_op(RestrictionTracker<R, P>& tracker,
                                          const RestrictionOp<P>& op, EstimateCell& estimate) {
  RestrictionOpResult<R> r;
  try {
    switch (op.kind) {
      case RestrictionOpKind::kTryClaim:
        r.value = tracker.try_claim(op.position);
        break;
      case RestrictionOpKind::kTrySplit:
        r.split = tracker.try_split(op.fraction);
        break;
      case RestrictionOpKind::kProgress:
        r.progress = tracker.progress();
        break;
      case RestrictionOpKind::kCheckDone:
        tracker.check_done();
        break;
      case RestrictionOpKind::kCurrentRestriction:
        r.restriction = tracker.current_restriction();
        break;
      case RestrictionOpKind::kIsBounded:
        r.value = tracker.is_bounded();
        break;
      case RestrictionOpKind::kSetEstimate:
        estimate.set(op.estimate);
        break;
    }
  } catch (const UsageError& e) {
    r.error = RestrictionOpResult<R>::Error::kUsage;
    r.message = e.what();
  } catch (const std::exception& e) {
    r.error = RestrictionOpResult<R>::Error::kOther;
    r.message = e.what();
  } catch (...) {
    r.error = RestrictionOpResult<R>::Error::kOther;
    r.message = "a non-standard exception";
  }
  return r;
}

template <typename R, typename P>
std::string restriction_op_to_cpp(const RestrictionOp<P>& op, const RestrictionDomain<R, P>& d) {
  std::ostringstream fraction;
  fraction.precision(17);
  fraction << op.fraction;
  switch (op.kind) {
    case RestrictionOpKind::kTryClaim:
      return "t->try_claim(" + d.position_literal(op.position) + ");";
    case RestrictionOpKind::kTrySplit:
      return "t->try_split(" + fraction.str() + ");";
    case RestrictionOpKind::kProgress:
      return "t->progress();";
    case RestrictionOpKind::kCheckDone:
      return "t->check_done();";
    case RestrictionOpKind::kCurrentRestriction:
      return "t->current_restriction();";
    case RestrictionOpKind::kIsBounded:
      return "t->is_bounded();";
    case RestrictionOpKind::kSetEstimate:
      return "end_estimate = " + std::to_string(op.estimate) + ";";
  }
  return "";
}

template <typename R, typename P>
std::string restriction_result_to_string(const RestrictionOp<P>& op,
                                         const RestrictionOpResult<R>& r) {
  using Error = typename RestrictionOpResult<R>::Error;
  if (r.error == Error::kUsage) return "UsageError: " + r.message;
  if (r.error == Error::kOther) return "threw: " + r.message;
  std::ostringstream out;
  out.precision(17);
  switch (op.kind) {
    case RestrictionOpKind::kTryClaim:
    case RestrictionOpKind::kIsBounded:
      return r.value ? "true" : "false";
    case RestrictionOpKind::kTrySplit:
      if (!r.split) return "refused";
      out << "primary " << r.split->primary << ", residual " << r.split->residual;
      return out.str();
    case RestrictionOpKind::kProgress:
      out << "completed " << r.progress.completed << ", remaining " << r.progress.remaining;
      return out.str();
    case RestrictionOpKind::kCheckDone:
      return "passed";
    case RestrictionOpKind::kCurrentRestriction:
      out << *r.restriction;
      return out.str();
    case RestrictionOpKind::kSetEstimate:
      return "";
  }
  return "";
}

template <typename R, typename P>
std::string restriction_case_header(const R& restriction, std::int64_t estimate,
                                    const RestrictionDomain<R, P>& d) {
  std::string out;
  if (d.uses_estimate) out += "std::int64_t end_estimate = " + std::to_string(estimate) + ";\n";
  return out + "auto t = factory(" + d.restriction_literal(restriction) + ", " +
         (d.uses_estimate ? "[&] { return end_estimate; }" : "nullptr") + ");\n";
}

// A sequential prefix, then one thread's operations each on a team thread,
// released together; the history in call order per thread.
template <typename R, typename P>
struct RestrictionEvent {
  int thread = 0;
  RestrictionOp<P> op;
  RestrictionOpResult<R> result;
  std::uint64_t call = 0;
  std::uint64_t ret = 0;
};

template <typename R, typename P>
std::vector<RestrictionEvent<R, P>> record_restriction_history(
    const RestrictionTrackerFactory<R, P>& factory, const ConcurrentRestrictionCase<R, P>& c) {
  EstimateCell estimate(c.estimate);
  auto tracker = factory(c.restriction, estimate.estimate());
  HistoryClock clock;
  std::vector<RestrictionEvent<R, P>> history;
  for (const auto& op : c.prefix) {
    RestrictionEvent<R, P> e{-1, op, {}, clock.tick(), 0};
    e.result = run_restriction_op(*tracker, op, estimate);
    e.ret = clock.tick();
    history.push_back(std::move(e));
  }
  const int n = static_cast<int>(c.threads.size());
  std::vector<std::vector<RestrictionEvent<R, P>>> per_thread(c.threads.size());
  std::atomic<int> ready{0};
  ThreadTeam::for_this_thread(n).run(n, [&](int t) {
    ++ready;
    while (ready.load() < n) std::this_thread::yield();
    for (const auto& op : c.threads[static_cast<std::size_t>(t)]) {
      RestrictionEvent<R, P> e{t, op, {}, clock.tick(), 0};
      e.result = run_restriction_op(*tracker, op, estimate);
      e.ret = clock.tick();
      per_thread[static_cast<std::size_t>(t)].push_back(std::move(e));
    }
  });
  for (auto& events : per_thread) {
    for (auto& e : events) history.push_back(std::move(e));
  }
  return history;
}

template <typename R, typename P>
std::string restriction_history_to_string(const std::vector<RestrictionEvent<R, P>>& history,
                                          const RestrictionDomain<R, P>& d) {
  std::vector<const RestrictionEvent<R, P>*> by_call;
  for (const auto& e : history) by_call.push_back(&e);
  std::sort(by_call.begin(), by_call.end(), [](auto* a, auto* b) { return a->call < b->call; });
  std::string out;
  for (const auto* e : by_call) {
    out +=
        "[" + std::to_string(e->call) + ".." + std::to_string(e->ret) + "] " +
        (e->thread < 0 ? std::string("prefix   ") : "thread " + std::to_string(e->thread) + " ") +
        restriction_op_to_cpp(e->op, d) + "  // " + restriction_result_to_string(e->op, e->result) +
        "\n";
  }
  return out;
}

inline CheckResult restriction_result(const char* check, const std::string& domain,
                                      std::uint64_t seed, const PropertyOutcome& outcome,
                                      std::int64_t cases, const char* replay_function) {
  CheckResult result = CheckResult::passed(check);
  result.cases = cases;
  result.notes.push_back("seed " + std::to_string(seed) + ", " + domain + " restrictions");
  if (outcome.failed) {
    result.outcome = CheckResult::Outcome::kFailed;
    result.message = outcome.counterexample;
    result.replay = std::string(replay_function) +
                    "(factory, domain, {.seed = " + std::to_string(seed) +
                    "}) or SPLITCHECK_SEED=" + std::to_string(seed);
  } else if (outcome.gave_up) {
    result.outcome = CheckResult::Outcome::kGaveUp;
    result.message = outcome.counterexample;
  }
  return result;
}

}  // namespace internal

// Runs one scenario on a fresh tracker and validates every answer: the
// violation (the scenario as C++, each answer, the broken rule marked) or
// nothing. `operations` (if not null) counts the operations validated. The
// factory's exceptions propagate.
template <typename R, typename P>
std::optional<std::string> check_restriction_scenario(
    const RestrictionTrackerFactory<R, P>& factory, const RestrictionDomain<R, P>& domain,
    const internal::RestrictionModel<R, P>& model, const RestrictionScenario<R, P>& scenario,
    std::int64_t* operations = nullptr) {
  internal::EstimateCell estimate(scenario.estimate);
  auto tracker = factory(scenario.restriction, estimate.estimate());
  if (tracker == nullptr) return std::string("the factory returned a null tracker");
  auto state = model.initial(scenario.restriction, scenario.estimate);
  std::string listing =
      internal::restriction_case_header(scenario.restriction, scenario.estimate, domain);
  for (const auto& op : scenario.ops) {
    const auto result = internal::run_restriction_op(*tracker, op, estimate);
    if (operations != nullptr) ++*operations;
    const auto violation = model.apply(state, op, result);
    listing += internal::restriction_op_to_cpp(op, domain);
    if (op.kind != RestrictionOpKind::kSetEstimate) {
      listing += "  // " + internal::restriction_result_to_string(op, result);
    }
    listing += "\n";
    if (violation) {
      return listing + "^ violation: " + tracker->debug_string() + ": " + *violation + "\n";
    }
  }
  return std::nullopt;
}

template <typename R, typename P>
CheckResult check_restriction_tracker_sequential(const RestrictionTrackerFactory<R, P>& factory,
                                                 const RestrictionDomain<R, P>& domain,
                                                 RestrictionContractOptions options = {}) {
  const std::uint64_t seed = internal::resolve_seed(options.seed);
  const auto model = domain.model(options);
  std::int64_t operations = 0;
  const auto outcome = internal::run_property(
      [&] {
        const auto scenario = *domain.scenarios(options.max_ops);
        if (auto violation =
                check_restriction_scenario(factory, domain, *model, scenario, &operations)) {
          RC_FAIL(*violation);
        }
      },
      seed, options.sequential_runs);
  CheckResult result =
      internal::restriction_result("restriction_tracker_sequential", domain.name, seed, outcome,
                                   operations, "check_restriction_tracker_sequential");
  result.notes.push_back(std::to_string(operations) + " operations validated");
  if (!options.check_arithmetic) {
    result.notes.push_back("the domain's arithmetic was not checked (check_arithmetic = false)");
  }
  return result;
}

template <typename R, typename P>
CheckResult check_restriction_tracker_linearizable(const RestrictionTrackerFactory<R, P>& factory,
                                                   const RestrictionDomain<R, P>& domain,
                                                   RestrictionContractOptions options = {}) {
  const std::uint64_t seed = internal::resolve_seed(options.seed);
  const auto model = domain.model(options);
  using Model = internal::RestrictionModel<R, P>;
  std::int64_t histories = 0;
  std::int64_t max_visited = 0;
  // A race may not recur when RapidCheck re-runs the case it shrank to: keep
  // the last violation seen.
  std::string last_violation;
  const auto outcome = internal::run_property(
      [&] {
        const auto c = *domain.concurrent_cases();
        for (int rep = 0; rep < options.repetitions; ++rep) {
          const auto history = internal::record_restriction_history(factory, c);
          ++histories;
          internal::BasicLinearizabilitySearch<Model, typename Model::State,
                                               internal::RestrictionEvent<R, P>>
              search(*model, history);
          const auto verdict = search.run(model->initial(c.restriction, c.estimate));
          max_visited = std::max(max_visited, verdict.visited_states);
          if (!verdict.linearizable) {
            last_violation =
                "no order of these calls is accepted by the sequential model (repetition " +
                std::to_string(rep + 1) + "):\n" +
                internal::restriction_case_header(c.restriction, c.estimate, domain) +
                internal::restriction_history_to_string(history, domain);
            RC_FAIL(last_violation);
          }
        }
      },
      seed, options.concurrent_runs);
  CheckResult result =
      internal::restriction_result("restriction_tracker_linearizable", domain.name, seed, outcome,
                                   histories, "check_restriction_tracker_linearizable");
  if (!result.ok() && !last_violation.empty() &&
      result.message.find("no order of these calls") == std::string::npos) {
    result.message = last_violation;
  }
  result.notes.push_back("at most " + std::to_string(max_visited) +
                         " states visited by one linearizability search");
  return result;
}

// Both checks; the first failure, or the sequential check's result with the
// concurrent one's notes.
template <typename R, typename P>
CheckResult check_restriction_tracker_contract(const RestrictionTrackerFactory<R, P>& factory,
                                               const RestrictionDomain<R, P>& domain,
                                               RestrictionContractOptions options = {}) {
  options.seed = internal::resolve_seed(options.seed);
  CheckResult sequential = check_restriction_tracker_sequential(factory, domain, options);
  if (!sequential.ok()) return sequential;
  CheckResult concurrent = check_restriction_tracker_linearizable(factory, domain, options);
  if (!concurrent.ok()) return concurrent;
  sequential.check = "restriction_tracker_contract";
  sequential.cases += concurrent.cases;
  for (auto& note : concurrent.notes) sequential.notes.push_back(std::move(note));
  return sequential;
}

}  // namespace splitcheck::testkit

SPLITCHECK_END_NO_FUZZ_COVERAGE

#endif  // SPLITCHECK_TESTKIT_SDF_RESTRICTION_TRACKER_CONTRACT_H_
