// The tracker contract checker: is a RangeTracker implementation right, for
// every sequence of operations and under real concurrency?
//
//   SPLITCHECK_EXPECT_PASSED(check_tracker_contract<std::int64_t>(
//       [](const std::int64_t& start, const std::int64_t& stop) {
//         return std::make_unique<MyTracker>(start, stop);
//       },
//       offset_positions()));
//
// check_tracker_sequential: RapidCheck generates TrackerScenarios (a range
// and up to max_ops operations: mostly increasing claims, splits, progress
// queries, and some misuse), runs each on a fresh tracker, and validates every
// result with the sequential model (see internal/tracker_model.h for the
// rules). A failure shrinks to a shortest scenario, printed as C++ with each
// result and the violating operation marked.
//
// check_tracker_linearizable: generates a sequential prefix and then two or
// three threads (a reader claiming, a splitter splitting, a monitor asking for
// progress), releases them together, records each call's and return's order,
// and asks whether some linearization of the history is accepted by the
// model (Wing-Gong search, memoised). Each case is run `repetitions` times;
// a non-linearizable history shrinks like a scenario and is printed with
// its per-thread timeline. Run it under --config=tsan too: data races that
// happen not to produce a wrong answer are TSan's to find.
//
// check_tracker_contract runs both. `seed` 0 means $SPLITCHECK_SEED or a
// random seed; the seed is in the result's notes and replay.

#ifndef SPLITCHECK_TESTKIT_TRACKER_TRACKER_CONTRACT_H_
#define SPLITCHECK_TESTKIT_TRACKER_TRACKER_CONTRACT_H_

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "splitcheck/lib/internal/no_fuzz_coverage.h"
#include "splitcheck/lib/trackers/range_tracker.h"
#include "splitcheck/testkit/check_result.h"
#include "splitcheck/testkit/internal/linearizability.h"
#include "splitcheck/testkit/internal/property.h"
#include "splitcheck/testkit/internal/rapidcheck_no_coverage.h"
#include "splitcheck/testkit/internal/split_cases.h"
#include "splitcheck/testkit/internal/thread_sanitizer.h"
#include "splitcheck/testkit/internal/thread_team.h"
#include "splitcheck/testkit/internal/tracker_model.h"
#include "splitcheck/testkit/tracker/position_domain.h"
#include "splitcheck/testkit/tracker/tracker_scenario.h"

SPLITCHECK_BEGIN_NO_FUZZ_COVERAGE

namespace splitcheck::testkit {

template <typename P>
using TrackerFactory =
    std::function<std::unique_ptr<RangeTracker<P>>(const P& start, const P& stop)>;

struct TrackerContractOptions {
  int sequential_runs = 300;
  int max_ops = 40;
  int concurrent_runs = 60;
  int repetitions = 20;
  std::uint64_t seed = 0;
  // False for trackers allowed to refuse splits the contract permits
  // (UnsplittableRangeTracker).
  bool require_split_acceptance = true;
  // False for trackers that refuse every split and name only their ends in
  // position_at_fraction (UnsplittableRangeTracker): their answers are then
  // checked to lie in the range, but not against the fraction asked.
  bool check_fraction_mapping = true;
  // How many operations that may raise a UsageError a scenario runs: misuse
  // (as the model predicts it), and position_at_fraction on a range of
  // unknown size (which a tracker may refuse). Later ones are left out, and
  // the scenario goes on with its other operations, so what follows a misuse
  // is still checked. Unset: all of them, except in the fuzz harness, which
  // runs 1: each costs an exception, and a fuzzer's corpus is full of them
  // (each misuse rule is a path of its own). A tracker whose misuse corrupts
  // only how it judges later misuse is then the RapidCheck engine's to find
  // (or set 2).
  std::optional<int> max_misuses = std::nullopt;
};

namespace internal {

// The model's options for a check run with `options`.
inline ModelOptions model_options(const TrackerContractOptions& options) {
  ModelOptions model;
  model.require_split_acceptance = options.require_split_acceptance;
  model.check_fraction_mapping = options.check_fraction_mapping;
  return model;
}

}  // namespace internal

// Buffers for check_tracker_scenario that a caller may reuse between calls
// (the fuzz harness does, to keep allocations out of its loop). A call leaves
// them empty, with their capacity: what it allocated is freed before it
// returns (libFuzzer takes an execution that allocates more than it frees
// for a possible leak and runs it again).
template <typename P>
struct ScenarioBuffers {
  std::vector<std::size_t> ran;  // indices of the operations run, in order
  std::vector<TrackerOpResult<P>> results;
  std::vector<std::pair<double, P>> answers;  // the model's, lent to its state
};

// Validates one scenario; the violation (with the scenario as C++) or
// nothing. The factory's exceptions propagate.
// Operations left out by options.max_misuses do not appear in the printed
// scenario: it shows what ran.
template <typename P>
std::optional<std::string> check_tracker_scenario(const TrackerFactory<P>& factory,
                                                  const PositionDomain<P>& domain,
                                                  const TrackerScenario<P>& scenario,
                                                  const TrackerContractOptions& options,
                                                  std::int64_t* operations,
                                                  ScenarioBuffers<P>& buffers) {
  const internal::TrackerModel<P> model(domain, internal::model_options(options));
  auto state = model.initial(scenario.start, scenario.stop);
  state.answers = std::move(buffers.answers);
  state.answers.clear();
  auto tracker = factory(scenario.start, scenario.stop);
  buffers.ran.clear();
  buffers.results.clear();
  std::optional<std::string> violation;
  int misuses = 0;
  for (std::size_t k = 0; k < scenario.ops.size(); ++k) {
    const TrackerOp<P>& op = scenario.ops[k];
    if (options.max_misuses && model.may_raise(state, op) && misuses++ >= *options.max_misuses) {
      continue;
    }
    buffers.ran.push_back(k);
    run_op(*tracker, op, buffers.results.emplace_back());
    if (operations != nullptr) ++*operations;
    if (auto broken = model.apply(state, op, buffers.results.back())) {
      TrackerScenario<P> ran{scenario.start, scenario.stop, {}};
      for (const std::size_t j : buffers.ran) ran.ops.push_back(scenario.ops[j]);
      const std::size_t i = ran.ops.size() - 1;
      violation = "operation " + std::to_string(i + 1) + ": " + *broken + "\n" +
                  to_cpp(ran, domain, buffers.results, i);
      break;
    }
  }
  buffers.ran.clear();
  buffers.results.clear();
  buffers.answers = std::move(state.answers);
  buffers.answers.clear();
  return violation;
}

template <typename P>
std::optional<std::string> check_tracker_scenario(const TrackerFactory<P>& factory,
                                                  const PositionDomain<P>& domain,
                                                  const TrackerScenario<P>& scenario,
                                                  const TrackerContractOptions& options = {},
                                                  std::int64_t* operations = nullptr) {
  ScenarioBuffers<P> buffers;
  return check_tracker_scenario(factory, domain, scenario, options, operations, buffers);
}

namespace internal {

// Fractions for position_at_fraction: mostly thousandths, then tiny ones and
// ones just below 1 (where a mapping that rounds the wrong way shows), and
// invalid ones.
inline rc::Gen<double> gen_fraction() {
  return rc::gen::weightedOneOf<double>(
      {{6, rc::gen::map(rc::gen::inRange(0, 1001), [](int n) { return n / 1000.0; })},
       {1, rc::gen::map(rc::gen::inRange(7, 120), [](int n) { return std::ldexp(1.0, -n); })},
       {1, rc::gen::map(rc::gen::inRange(1, 16), [](int n) { return std::pow(10.0, -n); })},
       {1, rc::gen::map(rc::gen::inRange(7, 53), [](int n) { return 1 - std::ldexp(1.0, -n); })},
       {1, rc::gen::element(0.0, 1.0, std::nan(""), -0.25, 1.5,
                            std::numeric_limits<double>::infinity())}});
}

template <typename P>
rc::Gen<TrackerOp<P>> gen_op(const PositionDomain<P>& domain, const P& start, const P& stop) {
  const auto at = [&](TrackerOpKind kind) {
    return rc::gen::map(domain.positions(start, stop), [kind](P p) {
      return TrackerOp<P>{kind, std::move(p), 0.0};
    });
  };
  const auto just = [](TrackerOpKind kind) {
    return rc::gen::just(TrackerOp<P>{kind, std::nullopt, 0.0});
  };
  const auto fraction = gen_fraction();
  return rc::gen::weightedOneOf<TrackerOp<P>>(
      {{6, at(TrackerOpKind::kTryClaim)},
       {1, at(TrackerOpKind::kSetCurrentPosition)},
       {3, at(TrackerOpKind::kTrySplit)},
       {2, just(TrackerOpKind::kFractionConsumed)},
       {1, rc::gen::map(fraction,
                        [](double f) {
                          return TrackerOp<P>{TrackerOpKind::kPositionAtFraction, std::nullopt, f};
                        })},
       {1, just(TrackerOpKind::kSplitPoints)}});
}

// Mostly, the positions of claims and set_current_position calls are put in
// increasing order, so that scenarios go deep into valid reads; sometimes
// they are left as drawn, which exercises misuse.
template <typename P>
std::vector<TrackerOp<P>> order_reads(std::vector<TrackerOp<P>> ops, bool ordered) {
  if (!ordered) return ops;
  std::vector<P> positions;
  for (const auto& op : ops) {
    if (op.kind == TrackerOpKind::kTryClaim || op.kind == TrackerOpKind::kSetCurrentPosition) {
      positions.push_back(*op.position);
    }
  }
  std::sort(positions.begin(), positions.end());
  std::size_t next = 0;
  for (auto& op : ops) {
    if (op.kind == TrackerOpKind::kTryClaim || op.kind == TrackerOpKind::kSetCurrentPosition) {
      op.position = positions[next++];
    }
  }
  return ops;
}

template <typename P>
rc::Gen<TrackerScenario<P>> gen_scenario(const PositionDomain<P>& domain, int max_ops) {
  return rc::gen::mapcat(domain.ranges(), [&domain, max_ops](std::pair<P, P> range) {
    auto ops = up_to(max_ops, gen_op(domain, range.first, range.second));
    return rc::gen::map(rc::gen::pair(ops, rc::gen::weightedElement<bool>({{4, true}, {1, false}})),
                        [range](std::pair<std::vector<TrackerOp<P>>, bool> drawn) {
                          return TrackerScenario<P>{
                              range.first, range.second,
                              order_reads(std::move(drawn.first), drawn.second)};
                        });
  });
}

template <typename P>
struct ConcurrentCase {
  P start;
  P stop;
  std::vector<TrackerOp<P>> prefix;
  std::vector<std::vector<TrackerOp<P>>> threads;
};

template <typename P>
rc::Gen<ConcurrentCase<P>> gen_concurrent_case(const PositionDomain<P>& domain) {
  return rc::gen::mapcat(domain.ranges(), [&domain](std::pair<P, P> range) {
    const P& s = range.first;
    const P& e = range.second;
    const auto of = [&](TrackerOpKind kind) {
      return rc::gen::map(domain.positions(s, e), [kind](P p) {
        return TrackerOp<P>{kind, std::move(p), 0.0};
      });
    };
    const auto reader = rc::gen::map(
        up_to(12, rc::gen::weightedOneOf<TrackerOp<P>>(
                      {{4, of(TrackerOpKind::kTryClaim)},
                       {1, of(TrackerOpKind::kSetCurrentPosition)}})),
        [](std::vector<TrackerOp<P>> ops) { return order_reads(std::move(ops), true); });
    const auto splitter = up_to(
        6, rc::gen::weightedOneOf<TrackerOp<P>>(
               {{3, of(TrackerOpKind::kTrySplit)},
                {1, rc::gen::map(rc::gen::inRange(0, 101), [](int n) {
                   return TrackerOp<P>{TrackerOpKind::kPositionAtFraction, std::nullopt, n / 100.0};
                 })}}));
    const auto monitor =
        up_to(6, rc::gen::element(TrackerOp<P>{TrackerOpKind::kFractionConsumed, std::nullopt, 0.0},
                                  TrackerOp<P>{TrackerOpKind::kSplitPoints, std::nullopt, 0.0}));
    return rc::gen::map(
        rc::gen::tuple(up_to(3, of(TrackerOpKind::kTryClaim)), reader, splitter, monitor,
                       rc::gen::arbitrary<bool>()),
        [range](auto drawn) {
          auto [prefix, r, sp, m, with_monitor] = std::move(drawn);
          ConcurrentCase<P> c{range.first, range.second, order_reads(std::move(prefix), true), {}};
          c.threads.push_back(std::move(r));
          c.threads.push_back(std::move(sp));
          if (with_monitor) c.threads.push_back(std::move(m));
          return c;
        });
  });
}

// Runs the case once and records the history.
template <typename P>
std::vector<HistoryEvent<P>> record_history(const TrackerFactory<P>& factory,
                                            const ConcurrentCase<P>& c) {
  auto tracker = factory(c.start, c.stop);
  HistoryClock clock;
  std::vector<HistoryEvent<P>> prefix;
  for (const auto& op : c.prefix) {
    HistoryEvent<P> e{-1, op, {}, clock.tick(), 0};
    e.result = run_op(*tracker, op);
    e.ret = clock.tick();
    prefix.push_back(std::move(e));
  }
  std::vector<std::vector<HistoryEvent<P>>> per_thread(c.threads.size());
  std::atomic<int> ready{0};
  const int n = static_cast<int>(c.threads.size());
  // Threads of a team kept for this calling thread (see thread_team.h),
  // released together by `ready`.
  ThreadTeam::for_this_thread(n).run(n, [&](int t) {
    ++ready;
    while (ready.load() < n) std::this_thread::yield();
    for (const auto& op : c.threads[static_cast<std::size_t>(t)]) {
      HistoryEvent<P> e{t, op, {}, clock.tick(), 0};
      e.result = run_op(*tracker, op);
      e.ret = clock.tick();
      per_thread[static_cast<std::size_t>(t)].push_back(std::move(e));
    }
  });
  for (auto& events : per_thread) {
    for (auto& e : events) prefix.push_back(std::move(e));
  }
  return prefix;
}

template <typename P>
std::string history_to_string(const std::vector<HistoryEvent<P>>& history,
                              const PositionDomain<P>& domain) {
  std::vector<const HistoryEvent<P>*> by_call;
  for (const auto& e : history) by_call.push_back(&e);
  std::sort(by_call.begin(), by_call.end(), [](auto* a, auto* b) { return a->call < b->call; });
  std::string out;
  for (const auto* e : by_call) {
    out +=
        "[" + std::to_string(e->call) + ".." + std::to_string(e->ret) + "] " +
        (e->thread < 0 ? std::string("prefix   ") : "thread " + std::to_string(e->thread) + " ") +
        op_to_cpp(e->op, domain) + "  // " + result_to_string(e->op, e->result) + "\n";
  }
  return out;
}

// What the model leaves unchecked, for the result's notes.
template <typename P>
void note_unchecked(const PositionDomain<P>& domain, const TrackerContractOptions& options,
                    CheckResult& result) {
  if (!options.check_fraction_mapping) {
    result.notes.push_back(
        "position_at_fraction was not checked against the fraction asked "
        "(check_fraction_mapping = false)");
  } else if (!domain.fraction_tolerance) {
    result.notes.push_back("the " + domain.name +
                           " domain declares no fraction_tolerance: position_at_fraction was "
                           "checked never to fall below the fraction asked, not how far above");
  }
}

inline CheckResult tracker_result(const char* check, const std::string& domain, std::uint64_t seed,
                                  const PropertyOutcome& outcome, std::int64_t cases,
                                  const char* replay_function) {
  CheckResult result = CheckResult::passed(check);
  result.cases = cases;
  result.notes.push_back("seed " + std::to_string(seed) + ", " + domain + " positions");
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

template <typename P>
CheckResult check_tracker_sequential(const TrackerFactory<P>& factory,
                                     const PositionDomain<P>& domain,
                                     TrackerContractOptions options = {}) {
  const std::uint64_t seed = internal::resolve_seed(options.seed);
  std::int64_t operations = 0;
  const auto outcome = internal::run_property(
      [&] {
        const auto scenario = *internal::gen_scenario(domain, options.max_ops);
        if (auto violation =
                check_tracker_scenario(factory, domain, scenario, options, &operations)) {
          RC_FAIL(*violation);
        }
      },
      seed, options.sequential_runs);
  CheckResult result = internal::tracker_result("tracker_contract_sequential", domain.name, seed,
                                                outcome, operations, "check_tracker_sequential");
  result.notes.push_back(std::to_string(operations) + " operations validated");
  internal::note_unchecked(domain, options, result);
  return result;
}

template <typename P>
CheckResult check_tracker_linearizable(const TrackerFactory<P>& factory,
                                       const PositionDomain<P>& domain,
                                       TrackerContractOptions options = {}) {
  const std::uint64_t seed = internal::resolve_seed(options.seed);
  internal::ModelOptions model_options = internal::model_options(options);
  model_options.check_monotone_positions = false;  // keeps the memoised state small
  const internal::TrackerModel<P> model(domain, model_options);
  std::int64_t histories = 0;
  std::int64_t max_visited = 0;
  // A race does not always recur when RapidCheck re-runs the case it shrank
  // to, and then its final description is that of a passing run: keep the
  // last violation seen.
  std::string last_violation;
  const auto outcome = internal::run_property(
      [&] {
        const auto c = *internal::gen_concurrent_case(domain);
        for (int rep = 0; rep < options.repetitions; ++rep) {
          const auto history = internal::record_history(factory, c);
          ++histories;
          internal::LinearizabilitySearch<P> search(model, history);
          const auto verdict = search.run(model.initial(c.start, c.stop));
          max_visited = std::max(max_visited, verdict.visited_states);
          if (!verdict.linearizable) {
            last_violation =
                "no order of these calls is accepted by the sequential model (repetition " +
                std::to_string(rep + 1) + "); tracker on [" + domain.literal(c.start) + ", " +
                domain.literal(c.stop) + "):\n" + internal::history_to_string(history, domain);
            RC_FAIL(last_violation);
          }
        }
      },
      seed, options.concurrent_runs);
  CheckResult result = internal::tracker_result("tracker_contract_linearizable", domain.name, seed,
                                                outcome, histories, "check_tracker_linearizable");
  if (!result.ok() && !last_violation.empty() &&
      result.message.find("no order of these calls") == std::string::npos) {
    result.message = last_violation;
    result.notes.push_back("the race did not recur when the shrunk case was re-run");
  }
  result.notes.push_back(std::to_string(histories) + " histories checked; at most " +
                         std::to_string(max_visited) + " search states visited for one");
  internal::note_unchecked(domain, options, result);
  return result;
}

template <typename P>
CheckResult check_tracker_contract(const TrackerFactory<P>& factory,
                                   const PositionDomain<P>& domain,
                                   TrackerContractOptions options = {}) {
  options.seed = internal::resolve_seed(options.seed);  // one seed replays both halves
  CheckResult sequential = check_tracker_sequential(factory, domain, options);
  if (!sequential) return sequential;
  CheckResult concurrent = check_tracker_linearizable(factory, domain, options);
  if (!concurrent) return concurrent;
  CheckResult result = CheckResult::passed("tracker_contract");
  result.cases = sequential.cases + concurrent.cases;
  for (auto* part : {&sequential, &concurrent}) {
    for (const std::string& note : part->notes) {
      if (std::find(result.notes.begin(), result.notes.end(), note) == result.notes.end()) {
        result.notes.push_back(note);
      }
    }
  }
  return result;
}

// Compiled once, in tracker_contract.cc, for the positions of the built-in
// trackers (offsets and keys): a test or fuzz target of such a tracker does
// not compile the checker again. Other position types instantiate it where
// they are used.
#define SPLITCHECK_TRACKER_CONTRACT_INSTANCES_(prefix, P)                                          \
  prefix CheckResult check_tracker_sequential<P>(                                                  \
      const TrackerFactory<P>&, const PositionDomain<P>&, TrackerContractOptions);                 \
  prefix CheckResult check_tracker_linearizable<P>(                                                \
      const TrackerFactory<P>&, const PositionDomain<P>&, TrackerContractOptions);                 \
  prefix CheckResult check_tracker_contract<P>(const TrackerFactory<P>&, const PositionDomain<P>&, \
                                               TrackerContractOptions)
SPLITCHECK_TRACKER_CONTRACT_INSTANCES_(extern template, std::int64_t);
SPLITCHECK_TRACKER_CONTRACT_INSTANCES_(extern template, std::string);

}  // namespace splitcheck::testkit

SPLITCHECK_END_NO_FUZZ_COVERAGE

#endif  // SPLITCHECK_TESTKIT_TRACKER_TRACKER_CONTRACT_H_
