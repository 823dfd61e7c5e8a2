// Throughput of the tracker contract checker on OffsetRangeTracker:
// operations validated per second by the sequential property, histories
// checked per second by the linearizability property, and the search states
// visited on histories of 3 threads x 20 operations (the search must stay
// polynomial in practice).
//
//   ./bazelw run -c opt //bench:tracker_contract_bench

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <random>
#include <vector>

#include "splitcheck/lib/trackers/offset_range_tracker.h"
#include "splitcheck/testkit/tracker/tracker_contract.h"

namespace {

using splitcheck::OffsetRangeTracker;
using namespace splitcheck::testkit;

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

int main() {
  const TrackerFactory<std::int64_t> factory = [](const std::int64_t& s, const std::int64_t& e) {
    return std::make_unique<OffsetRangeTracker>(s, e);
  };
  const auto domain = offset_positions();

  auto began = std::chrono::steady_clock::now();
  const CheckResult sequential =
      check_tracker_sequential(factory, domain, {.sequential_runs = 3000, .seed = 1});
  const double sequential_seconds = seconds_since(began);
  std::printf("sequential: %s, %lld operations in %.2f s: %.0f operations/s\n",
              sequential.ok() ? "passed" : "FAILED", static_cast<long long>(sequential.cases),
              sequential_seconds, static_cast<double>(sequential.cases) / sequential_seconds);

  began = std::chrono::steady_clock::now();
  const CheckResult concurrent = check_tracker_linearizable(
      factory, domain, {.concurrent_runs = 200, .repetitions = 20, .seed = 1});
  const double concurrent_seconds = seconds_since(began);
  std::printf("linearizable: %s, %lld histories in %.2f s: %.0f histories/s\n",
              concurrent.ok() ? "passed" : "FAILED", static_cast<long long>(concurrent.cases),
              concurrent_seconds, static_cast<double>(concurrent.cases) / concurrent_seconds);
  for (const auto& note : concurrent.notes) std::printf("  %s\n", note.c_str());

  // Histories of 3 threads x 20 operations: a reader claiming, a splitter
  // splitting just ahead of it, a monitor asking for progress.
  internal::ModelOptions options;
  options.check_monotone_positions = false;
  const internal::TrackerModel<std::int64_t> model(domain, options);
  std::mt19937 random(1);
  std::vector<std::int64_t> visited;
  began = std::chrono::steady_clock::now();
  for (int h = 0; h < 200; ++h) {
    internal::ConcurrentCase<std::int64_t> c{0, 1000, {}, {{}, {}, {}}};
    for (std::int64_t i = 0; i < 20; ++i) {
      c.threads[0].push_back({TrackerOpKind::kTryClaim, i * 10, 0});
      c.threads[1].push_back(
          {TrackerOpKind::kTrySplit, 1000 - 45 * i - static_cast<std::int64_t>(random() % 10), 0});
      c.threads[2].push_back(
          {i % 2 ? TrackerOpKind::kSplitPoints : TrackerOpKind::kFractionConsumed, std::nullopt,
           0});
    }
    const auto history = internal::record_history(factory, c);
    internal::LinearizabilitySearch<std::int64_t> search(model, history);
    const auto verdict = search.run(model.initial(c.start, c.stop));
    if (!verdict.linearizable) {
      std::printf("unexpected: OffsetRangeTracker history not linearizable\n");
      return 1;
    }
    visited.push_back(verdict.visited_states);
  }
  const double search_seconds = seconds_since(began);
  std::sort(visited.begin(), visited.end());
  std::printf(
      "3 threads x 20 operations: 200 histories in %.2f s; search states visited: median %lld, "
      "90th percentile %lld, max %lld (60 operations: 2^60 orders without memoisation)\n",
      search_seconds, static_cast<long long>(visited[100]), static_cast<long long>(visited[180]),
      static_cast<long long>(visited.back()));

  // Harder for the search: the same operations run in a random interleaving,
  // each stretched to overlap the next 8 calls, as if every call were slow.
  std::vector<std::int64_t> wide;
  began = std::chrono::steady_clock::now();
  for (int h = 0; h < 200; ++h) {
    internal::ConcurrentCase<std::int64_t> c{0, 1000, {}, {{}, {}, {}}};
    for (std::int64_t i = 0; i < 20; ++i) {
      c.threads[0].push_back({TrackerOpKind::kTryClaim, i * 10, 0});
      c.threads[1].push_back(
          {TrackerOpKind::kTrySplit, 1000 - 45 * i - static_cast<std::int64_t>(random() % 10), 0});
      c.threads[2].push_back({TrackerOpKind::kFractionConsumed, std::nullopt, 0});
    }
    std::vector<int> order;
    for (int t = 0; t < 3; ++t) order.insert(order.end(), 20, t);
    std::shuffle(order.begin(), order.end(), random);
    OffsetRangeTracker tracker(c.start, c.stop);
    std::vector<internal::HistoryEvent<std::int64_t>> history;
    std::size_t next[3] = {0, 0, 0};
    for (std::size_t tick = 0; tick < order.size(); ++tick) {
      const int t = order[tick];
      const auto& op = c.threads[static_cast<std::size_t>(t)][next[t]++];
      history.push_back({t, op, run_op<std::int64_t>(tracker, op), tick, tick + 8});
    }
    // Listed in a random order, so the search does not meet the real order first.
    std::shuffle(history.begin(), history.end(), random);
    internal::LinearizabilitySearch<std::int64_t> search(model, history);
    const auto verdict = search.run(model.initial(c.start, c.stop));
    if (!verdict.linearizable) {
      std::printf("unexpected: a sequentially produced history is not linearizable\n");
      return 1;
    }
    wide.push_back(verdict.visited_states);
  }
  const double wide_seconds = seconds_since(began);
  std::sort(wide.begin(), wide.end());
  std::printf(
      "same, every call overlapping the next 8: 200 histories in %.2f s; states visited: median "
      "%lld, 90th percentile %lld, max %lld\n",
      wide_seconds, static_cast<long long>(wide[100]), static_cast<long long>(wide[180]),
      static_cast<long long>(wide.back()));
  return sequential.ok() && concurrent.ok() ? 0 : 1;
}
