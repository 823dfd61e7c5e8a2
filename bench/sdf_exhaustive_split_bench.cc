// The SDF exhaustive split check (check_sdf_exhaustive_split) on
// CountingDoFn over 1,000 offsets, beside the range tracker's exhaustive
// check on CountingSource(1000), with and without its concurrent trials,
// all measured in the same run: 5 runs each, min, median and max, and the
// ratios of the medians. Target (issue 23): the SDF check within 1.5x of the
// range tracker's check.
//
//   ./bazelw run -c opt //bench:sdf_exhaustive_split_bench
//   ./bazelw run -c opt //bench:sdf_exhaustive_split_bench -- --n=100   (the smoke test)

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "splitcheck/examples/counting/counting_dofn.h"
#include "splitcheck/examples/counting/counting_source.h"
#include "splitcheck/testkit/sdf_testkit.h"
#include "splitcheck/testkit/source/exhaustive_split.h"

namespace {

struct Figures {
  double min = 0, median = 0, max = 0;
};

Figures five_runs(const std::function<bool()>& run) {
  std::vector<double> v;
  for (int i = 0; i < 5; ++i) {
    const auto began = std::chrono::steady_clock::now();
    if (!run()) {
      std::fprintf(stderr, "a check failed\n");
      std::exit(1);
    }
    v.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count());
  }
  std::sort(v.begin(), v.end());
  return {v.front(), v[2], v.back()};
}

void print(const char* what, const Figures& f) {
  std::printf("  %-44s min %8.3f  median %8.3f  max %8.3f s\n", what, f.min, f.median, f.max);
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t n = 1000;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--n=", 0) == 0) {
      n = std::atoll(arg.c_str() + 4);
    } else {
      std::fprintf(stderr, "unknown flag %s (known: --n=N)\n", arg.c_str());
      return 2;
    }
  }
  using splitcheck::examples::CountingDoFn;
  using splitcheck::examples::internal::CountingSource;
  const CountingSource source(n);
  splitcheck::testkit::ExhaustiveSplitOptions without_trials;
  without_trials.concurrent_trials = false;
  std::printf("n = %lld, 5 runs each\n", static_cast<long long>(n));
  const Figures range_all = five_runs(
      [&] { return splitcheck::testkit::check_split_at_fraction_exhaustive(source).ok(); });
  const Figures range_sequential = five_runs([&] {
    return splitcheck::testkit::check_split_at_fraction_exhaustive(source, without_trials).ok();
  });
  const CountingDoFn dofn;
  std::int64_t cases = 0;
  const Figures sdf = five_runs([&] {
    const auto r = splitcheck::testkit::check_sdf_exhaustive_split(dofn, n);
    cases = r.cases;
    return r.ok();
  });
  print("range check, CountingSource (whole)", range_all);
  print("range check, CountingSource (no concurrent trials)", range_sequential);
  print("SDF check, CountingDoFn", sdf);
  std::printf("  SDF check: %lld cases (8 fractions after each of 0..n outputs)\n",
              static_cast<long long>(cases));
  std::printf("SDF check / range check (whole): %.2fx (target <= 1.5x: %s)\n",
              sdf.median / range_all.median,
              sdf.median <= 1.5 * range_all.median ? "met" : "NOT met");
  std::printf("SDF check / range check (no concurrent trials): %.2fx\n",
              sdf.median / range_sequential.median);
  return 0;
}
