// Throughput of the tracker contract checker on OffsetRangeTracker:
// operations validated per second by the sequential property, histories
// checked per second by the linearizability property, and the search states
// visited on histories of 3 threads x 20 operations (the search must stay
// polynomial in practice). Each figure is the min, median and max of
// --repetitions=N runs (5 by default); rates are at the median.
//
//   ./bazelw run -c opt //bench:tracker_contract_bench [-- --repetitions=N]

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "splitcheck/bench/file_bench.h"
#include "splitcheck/lib/trackers/offset_range_tracker.h"
#include "splitcheck/testkit/tracker/tracker_contract.h"

namespace {

using splitcheck::OffsetRangeTracker;
using namespace splitcheck::testkit;

using splitcheck::bench::time_runs;
using splitcheck::bench::Timing;

void print_timing(const char* what, const Timing& t) {
  std::printf("  %-44s %8.3f %8.3f %8.3f s\n", what, t.min, t.median, t.max);
}

}  // namespace

int main(int argc, char** argv) {
  int repetitions = 5;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--repetitions=", 0) == 0 && std::atoi(arg.c_str() + 14) >= 1) {
      repetitions = std::atoi(arg.c_str() + 14);
    } else {
      std::fprintf(stderr, "unknown or bad flag %s (known: --repetitions=N, N >= 1)\n",
                   arg.c_str());
      return 2;
    }
  }
  std::printf("  %-44s %8s %8s %8s\n", "", "min", "median", "max");
  const TrackerFactory<std::int64_t> factory = [](const std::int64_t& s, const std::int64_t& e) {
    return std::make_unique<OffsetRangeTracker>(s, e);
  };
  const auto domain = offset_positions();

  CheckResult sequential;
  const Timing sequential_time = time_runs(repetitions, [&] {
    sequential = check_tracker_sequential(factory, domain, {.sequential_runs = 3000, .seed = 1});
  });
  print_timing("sequential, 3000 runs", sequential_time);
  std::printf("sequential: %s, %lld operations: %.0f operations/s at the median\n",
              sequential.ok() ? "passed" : "FAILED", static_cast<long long>(sequential.cases),
              static_cast<double>(sequential.cases) / sequential_time.median);

  CheckResult concurrent;
  const Timing concurrent_time = time_runs(repetitions, [&] {
    concurrent = check_tracker_linearizable(factory, domain,
                                            {.concurrent_runs = 200, .repetitions = 20, .seed = 1});
  });
  print_timing("linearizable, 200 cases x 20 repetitions", concurrent_time);
  std::printf("linearizable: %s, %lld histories: %.0f histories/s at the median\n",
              concurrent.ok() ? "passed" : "FAILED", static_cast<long long>(concurrent.cases),
              static_cast<double>(concurrent.cases) / concurrent_time.median);
  for (const auto& note : concurrent.notes) std::printf("  %s\n", note.c_str());

  // Histories of 3 threads x 20 operations: a reader claiming, a splitter
  // splitting just ahead of it, a monitor asking for progress.
  internal::ModelOptions options;
  options.check_monotone_positions = false;
  const internal::TrackerModel<std::int64_t> model(domain, options);
  // Each repetition searches the same 200 histories' shapes (seed 1); the
  // state counts are those of the last.
  std::vector<std::int64_t> visited;
  bool all_linearizable = true;
  const Timing search_time = time_runs(repetitions, [&] {
    std::mt19937 random(1);
    visited.clear();
    for (int h = 0; h < 200; ++h) {
      internal::ConcurrentCase<std::int64_t> c{0, 1000, {}, {{}, {}, {}}};
      for (std::int64_t i = 0; i < 20; ++i) {
        c.threads[0].push_back({TrackerOpKind::kTryClaim, i * 10, 0});
        c.threads[1].push_back({TrackerOpKind::kTrySplit,
                                1000 - 45 * i - static_cast<std::int64_t>(random() % 10), 0});
        c.threads[2].push_back(
            {i % 2 ? TrackerOpKind::kSplitPoints : TrackerOpKind::kFractionConsumed, std::nullopt,
             0});
      }
      const auto history = internal::record_history(factory, c);
      internal::LinearizabilitySearch<std::int64_t> search(model, history);
      const auto verdict = search.run(model.initial(c.start, c.stop));
      all_linearizable &= verdict.linearizable;
      visited.push_back(verdict.visited_states);
    }
  });
  if (!all_linearizable) {
    std::printf("unexpected: OffsetRangeTracker history not linearizable\n");
    return 1;
  }
  std::sort(visited.begin(), visited.end());
  print_timing("search, 200 histories of 3 threads x 20", search_time);
  std::printf(
      "3 threads x 20 operations: search states visited: median %lld, 90th percentile %lld, max "
      "%lld (60 operations: 2^60 orders without memoisation)\n",
      static_cast<long long>(visited[100]), static_cast<long long>(visited[180]),
      static_cast<long long>(visited.back()));

  // Harder for the search: the same operations run in a random interleaving,
  // each stretched to overlap the next 8 calls, as if every call were slow.
  std::vector<std::int64_t> wide;
  bool wide_linearizable = true;
  const Timing wide_time = time_runs(repetitions, [&] {
    std::mt19937 random(2);
    wide.clear();
    for (int h = 0; h < 200; ++h) {
      internal::ConcurrentCase<std::int64_t> c{0, 1000, {}, {{}, {}, {}}};
      for (std::int64_t i = 0; i < 20; ++i) {
        c.threads[0].push_back({TrackerOpKind::kTryClaim, i * 10, 0});
        c.threads[1].push_back({TrackerOpKind::kTrySplit,
                                1000 - 45 * i - static_cast<std::int64_t>(random() % 10), 0});
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
      wide_linearizable &= verdict.linearizable;
      wide.push_back(verdict.visited_states);
    }
  });
  if (!wide_linearizable) {
    std::printf("unexpected: a sequentially produced history is not linearizable\n");
    return 1;
  }
  std::sort(wide.begin(), wide.end());
  print_timing("search, the same overlapping the next 8", wide_time);
  std::printf(
      "same, every call overlapping the next 8: states visited: median %lld, 90th percentile "
      "%lld, max %lld\n",
      static_cast<long long>(wide[100]), static_cast<long long>(wide[180]),
      static_cast<long long>(wide.back()));
  return sequential.ok() && concurrent.ok() ? 0 : 1;
}
