// CountingDoFn through the SDF checks and the runner, with and without
// checkpoints; and the counting source through BoundedSourceDoFn.

#include "splitcheck/examples/counting/counting_dofn.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "splitcheck/examples/counting/counting_source.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/lib/runner/seeded_schedule.h"
#include "splitcheck/lib/sdf/bounded_source_dofn.h"
#include "splitcheck/testkit/gtest.h"
#include "splitcheck/testkit/sdf_gtest.h"
#include "splitcheck/testkit/sdf_testkit.h"

namespace splitcheck::examples {
namespace {

TEST(CountingDoFnTest, PassesTheSdfChecks) {
  for (const int per_call : {0, 1, 4}) {
    for (const std::int64_t n : {0, 1, 5, 60}) {
      SPLITCHECK_EXPECT_PASSED(testkit::check_sdf(CountingDoFn(per_call), n))
          << "n " << n << ", per call " << per_call;
    }
  }
}

TEST(CountingDoFnTest, RunsExactlyOnceThroughTheRunner) {
  const std::vector<std::int64_t> elements = {3, 1000, 0, 77};
  for (const int per_call : {0, 50}) {
    for (std::uint64_t seed = 1; seed <= 4; ++seed) {
      RunnerOptions o;
      o.num_workers = 3;
      o.max_attempts = 10;
      o.policy = std::make_shared<SeededSchedule>(
          seed, SeededSchedule::Options{.split_probability = 0.01, .failure_probability = 0.005});
      const auto r = LocalRunner(o).run_sdf(CountingDoFn(per_call), elements);
      std::vector<std::int64_t> got;
      for (const auto& v : r.outputs) got.push_back(v.value);
      std::sort(got.begin(), got.end());
      std::vector<std::int64_t> want;
      for (const std::int64_t n : elements) {
        for (std::int64_t i = 0; i < n; ++i) want.push_back(i);
      }
      std::sort(want.begin(), want.end());
      EXPECT_EQ(got, want) << "seed " << seed << ", per call " << per_call;
    }
  }
}

TEST(CountingDoFnTest, TheCountingSourceThroughTheAdapterReadsTheSame) {
  const std::shared_ptr<const BoundedSource<std::int64_t>> source =
      std::make_shared<internal::CountingSource>(5000);
  RunnerOptions o;
  o.num_workers = 2;
  const auto r =
      LocalRunner(o).run_sdf(BoundedSourceDoFn<std::int64_t, std::int64_t>(), std::vector{source});
  std::vector<std::int64_t> got;
  for (const auto& v : r.outputs) got.push_back(v.value);
  std::vector<std::int64_t> want = LocalRunner(o).run(Read(source)).records;
  // Idle workers split at times of their own in each run: the same records,
  // not always in the same order.
  std::sort(got.begin(), got.end());
  std::sort(want.begin(), want.end());
  EXPECT_EQ(got, want);
}

// Every mutant of the SDF mutation analysis applies to the checkpointing
// DoFn (it resumes, its checkpoints carry a watermark, it splits
// initially), so the mutation test below leaves no bug class unjudged. A
// lighter gate than the macro's, on fewer elements, keeps this quick.
TEST(CountingDoFnTest, EveryMutantAppliesToTheCheckpointingDoFn) {
  testkit::SdfCheckOptions o;
  o.schedule_runs = 40;
  o.runner_seeds = 4;
  const testkit::MutationReport report =
      testkit::analyze_sdf_gate(CountingDoFn(/*per_call=*/7), std::vector<std::int64_t>{1, 40}, o);
  SPLITCHECK_EXPECT_PASSED(testkit::to_check_result(report));
  EXPECT_EQ(report.applied(), testkit::sdf_mutant_count()) << report;
}

CountingDoFn MakeDoFn() { return CountingDoFn(); }
CountingDoFn MakeCheckpointingDoFn() { return CountingDoFn(/*per_call=*/7); }
std::vector<std::int64_t> MakeElements() { return {0, 1, 40, 200}; }

// The gate of an SDF: one line each.
SPLITCHECK_SDF_CONFORMANCE_TEST(CountingDoFnGate, MakeDoFn, MakeElements);
SPLITCHECK_SDF_CONFORMANCE_TEST(CheckpointingCountingDoFnGate, MakeCheckpointingDoFn, MakeElements);

// Is that gate strong enough for this DoFn? Every mutant of the SDF
// mutation analysis must be rejected (the checkpointing one: every mutant
// applies to it).
SPLITCHECK_SDF_MUTATION_TEST(CheckpointingCountingDoFnGate, MakeCheckpointingDoFn, MakeElements);

}  // namespace
}  // namespace splitcheck::examples
