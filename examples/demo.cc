// splitcheck demo: a source read by 4 workers that split and rebalance it
// while it is being read, with every record delivered exactly once.
//
//   ./bazelw run //examples:demo [-- --records=N]
//
// 1. CountingSource(N) split into 3 bundles for 4 workers: the idle worker
//    splits a running reader's remainder, and so on until the end.
// 2. The same source under a seeded schedule of forced dynamic splits and
//    injected read failures: retried attempts must not duplicate records.
// 3. The connector guide's CountingSource as written: the runner stops with
//    the UsageError its reader causes.
// 4. The gate report: every example connector (CountingSource, text, gzip
//    text, text sink, KV source and sink) and the zoo of broken ones through
//    the whole gate, one row per connector and check.
// Exits non-zero if any check fails.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "splitcheck/examples/counting/guide_counting_source.h"
#include "splitcheck/examples/counting/read_from_counting_source.h"
#include "splitcheck/examples/gate_report.h"
#include "splitcheck/lib/error.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/lib/runner/seeded_schedule.h"
#include "splitcheck/lib/sources/read.h"

namespace {

int failures = 0;

void check(bool ok, const std::string& what) {
  std::printf("  [%s] %s\n", ok ? "ok" : "FAILED", what.c_str());
  if (!ok) ++failures;
}

// Checks that `records` is exactly {0, ..., count - 1}, each once.
void check_exactly_once(const std::vector<std::int64_t>& records, std::int64_t count) {
  std::vector<unsigned char> seen(static_cast<std::size_t>(count), 0);
  std::int64_t out_of_range = 0;
  std::int64_t duplicates = 0;
  for (std::int64_t r : records) {
    if (r < 0 || r >= count) {
      ++out_of_range;
    } else if (seen[static_cast<std::size_t>(r)]++ != 0) {
      ++duplicates;
    }
  }
  std::int64_t missing = 0;
  for (unsigned char s : seen) missing += s == 0;
  check(out_of_range == 0 && duplicates == 0 && missing == 0,
        "exactly once: " + std::to_string(records.size()) + " records, " + std::to_string(missing) +
            " missing, " + std::to_string(duplicates) + " duplicated, " +
            std::to_string(out_of_range) + " out of range");
}

void print_stats(const splitcheck::RunStats& stats) {
  std::string text = stats.to_string();
  std::size_t begin = 0;
  while (begin < text.size()) {
    const std::size_t end = text.find('\n', begin);
    std::printf("  %s\n", text.substr(begin, end - begin).c_str());
    begin = end + 1;
  }
}

void rebalancing(std::int64_t count) {
  std::printf("1. CountingSource(%lld): 3 initial bundles, 4 workers, idle workers rebalance\n",
              static_cast<long long>(count));
  splitcheck::RunnerOptions options;
  options.num_workers = 4;
  options.desired_bundle_size = (count + 2) / 3;
  const auto result =
      splitcheck::LocalRunner(options).run(splitcheck::examples::ReadFromCountingSource(count));
  print_stats(result.stats);
  check_exactly_once(result.records, count);
  check(result.stats.splits_accepted > 0, "the idle worker split running bundles");
}

void forced_splits_and_failures(std::int64_t count) {
  std::printf("2. Seeded schedule 7: forced dynamic splits and injected read failures\n");
  splitcheck::RunnerOptions options;
  options.num_workers = 4;
  options.max_attempts = 3;
  options.policy = std::make_shared<splitcheck::SeededSchedule>(
      7,
      splitcheck::SeededSchedule::Options{.split_probability = 40.0 / static_cast<double>(count),
                                          .failure_probability = 8.0 / static_cast<double>(count),
                                          .max_failed_attempts = 2});
  const auto result =
      splitcheck::LocalRunner(options).run(splitcheck::examples::ReadFromCountingSource(count));
  print_stats(result.stats);
  check_exactly_once(result.records, count);
  check(result.stats.failed_attempts > 0 && result.stats.discarded_records > 0,
        "failed attempts were retried and their records discarded");
}

void guide_listing(std::int64_t count) {
  std::printf("3. The connector guide's CountingSource, as written\n");
  splitcheck::RunnerOptions options;
  options.num_workers = 4;
  try {
    splitcheck::LocalRunner(options).run(splitcheck::Read<std::int64_t>(
        std::make_shared<splitcheck::examples::broken::GuideCountingSource>(count)));
    check(false, "the broken source is caught");
  } catch (const splitcheck::UsageError& e) {
    std::printf("  UsageError: %s\n", e.what());
    check(true, "the broken source is caught: its residual readers claim from 0");
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t count = 4'000'000;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--records=", 10) == 0) {
      count = std::atoll(argv[i] + 10);
    } else {
      std::fprintf(stderr, "usage: %s [--records=N]\n", argv[0]);
      return 2;
    }
  }
  if (count < 1000) {
    std::fprintf(stderr, "demo: --records must be at least 1000\n");
    return 2;
  }
  rebalancing(count);
  forced_splits_and_failures(count);
  guide_listing(count);
  std::printf("4. The gate: every example connector and the zoo of broken ones\n");
  const int wrong = splitcheck::examples::run_gate_report();
  check(wrong == 0, "the gate accepts every correct connector and rejects every broken one");
  std::printf("%s\n", failures == 0 ? "All checks passed." : "Some checks FAILED.");
  return failures == 0 ? 0 : 1;
}
