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

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "splitcheck/lib/internal/no_fuzz_coverage.h"
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

template <typename P>
class LinearizabilitySearch {
 public:
  LinearizabilitySearch(const TrackerModel<P>& model, const std::vector<HistoryEvent<P>>& history)
      : model_(model), history_(history) {}

  // Histories of at most 64 operations.
  LinearizabilityVerdict run(const ModelState<P>& initial) {
    LinearizabilityVerdict verdict;
    verdict.linearizable = search(initial, 0);
    verdict.visited_states = static_cast<std::int64_t>(seen_.size());
    return verdict;
  }

 private:
  bool search(const ModelState<P>& state, std::uint64_t placed) {
    const std::size_t n = history_.size();
    if (placed == (n == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1)) return true;
    if (!seen_.insert(std::to_string(placed) + "#" + state.key()).second) return false;
    std::uint64_t earliest_return = ~std::uint64_t{0};
    for (std::size_t i = 0; i < n; ++i) {
      if (!(placed >> i & 1)) earliest_return = std::min(earliest_return, history_[i].ret);
    }
    for (std::size_t i = 0; i < n; ++i) {
      if ((placed >> i & 1) || history_[i].call > earliest_return) continue;
      ModelState<P> next = state;
      if (model_.apply(next, history_[i].op, history_[i].result)) continue;  // a violation
      if (search(next, placed | (std::uint64_t{1} << i))) return true;
    }
    return false;
  }

  const TrackerModel<P>& model_;
  const std::vector<HistoryEvent<P>>& history_;
  std::unordered_set<std::string> seen_;
};

}  // namespace splitcheck::testkit::internal

SPLITCHECK_END_NO_FUZZ_COVERAGE

#endif  // SPLITCHECK_TESTKIT_INTERNAL_LINEARIZABILITY_H_
