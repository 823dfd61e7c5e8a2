// Is a concurrent history of tracker operations linearizable against the
// sequential model? Internal.
//
// A history records, for each operation, the thread, the call and its result,
// and two ticks of a global counter taken just before the call and just after
// the return. The search is Wing and Gong's: repeatedly pick an operation not
// yet placed whose call came before every unplaced operation's return (it
// could have taken effect first), check its result against the model in the
// current state, and recurse; backtrack on a violation. Visited (placed set,
// model state) pairs are memoised, which keeps histories of a few threads x a
// few dozen operations polynomial in practice; the count of visited states is
// reported.

#ifndef SPLITCHECK_TESTKIT_INTERNAL_LINEARIZABILITY_H_
#define SPLITCHECK_TESTKIT_INTERNAL_LINEARIZABILITY_H_

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "splitcheck/lib/internal/no_fuzz_coverage.h"
#include "splitcheck/testkit/internal/thread_sanitizer.h"
#include "splitcheck/testkit/internal/tracker_model.h"
#include "splitcheck/testkit/tracker/tracker_scenario.h"

SPLITCHECK_BEGIN_NO_FUZZ_COVERAGE

namespace splitcheck::testkit::internal {

template <typename P>
struct HistoryEvent {
  int thread = 0;
  TrackerOp<P> op;
  TrackerOpResult<P> result;
  std::uint64_t call = 0;
  std::uint64_t ret = 0;
};

struct LinearizabilityVerdict {
  bool linearizable = false;
  std::int64_t visited_states = 0;
};

// The clock that orders the calls and returns of a recorded history. Its
// ticks must follow real time. A sequentially consistent counter does, but
// each tick is then also a synchronization between the threads, and
// ThreadSanitizer sees every operation of one thread as ordered before the
// next tick of another: it would miss the tracker's own races (an unlocked
// read of state written under a lock passed TSan in half the runs). Under
// TSan the counter is relaxed, with compiler fences keeping each tick in
// program order around the operation; the hardware's locked add keeps the
// ticks in real-time order.
class HistoryClock {
 public:
  std::uint64_t tick() {
    if constexpr (kThreadSanitizer) {
      std::atomic_signal_fence(std::memory_order_seq_cst);
      const std::uint64_t t = now_.fetch_add(1, std::memory_order_relaxed);
      std::atomic_signal_fence(std::memory_order_seq_cst);
      return t;
    } else {
      return now_.fetch_add(1);
    }
  }

 private:
  std::atomic<std::uint64_t> now_{0};
};

// The search over any model: Model::apply(State&, op, result) returns a
// violation (or nothing, advancing the state), State::key() names a state
// for the memo, and Event has op, result, call and ret. Used for range
// trackers (LinearizabilitySearch) and restriction trackers.
template <typename Model, typename State, typename Event>
class BasicLinearizabilitySearch {
 public:
  BasicLinearizabilitySearch(const Model& model, const std::vector<Event>& history)
      : model_(model), history_(history) {}

  // Histories of at most 64 operations.
  LinearizabilityVerdict run(const State& initial) {
    LinearizabilityVerdict verdict;
    verdict.linearizable = search(initial, 0);
    verdict.visited_states = static_cast<std::int64_t>(seen_.size());
    return verdict;
  }

 private:
  bool search(const State& state, std::uint64_t placed) {
    const std::size_t n = history_.size();
    if (placed == (n == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1)) return true;
    if (!seen_.insert(std::to_string(placed) + "#" + state.key()).second) return false;
    std::uint64_t earliest_return = ~std::uint64_t{0};
    for (std::size_t i = 0; i < n; ++i) {
      if (!(placed >> i & 1)) earliest_return = std::min(earliest_return, history_[i].ret);
    }
    for (std::size_t i = 0; i < n; ++i) {
      if ((placed >> i & 1) || history_[i].call > earliest_return) continue;
      State next = state;
      if (model_.apply(next, history_[i].op, history_[i].result)) continue;  // a violation
      if (search(next, placed | (std::uint64_t{1} << i))) return true;
    }
    return false;
  }

  const Model& model_;
  const std::vector<Event>& history_;
  std::unordered_set<std::string> seen_;
};

template <typename P>
using LinearizabilitySearch =
    BasicLinearizabilitySearch<TrackerModel<P>, ModelState<P>, HistoryEvent<P>>;

}  // namespace splitcheck::testkit::internal

SPLITCHECK_END_NO_FUZZ_COVERAGE

#endif  // SPLITCHECK_TESTKIT_INTERNAL_LINEARIZABILITY_H_
