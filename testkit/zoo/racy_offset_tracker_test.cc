// The tracker contract checker rejects a tracker that checks, unlocks and
// then acts: sequentially it is correct, so only the linearizability search
// over concurrent histories catches it.

#include "splitcheck/testkit/zoo/racy_offset_tracker.h"

#include <cstdint>
#include <iostream>
#include <memory>
#include <optional>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/sources/bounded_source.h"
#include "splitcheck/lib/sources/generator.h"
#include "splitcheck/testkit/source/exhaustive_split.h"
#include "splitcheck/testkit/tracker/tracker_contract.h"

namespace splitcheck::examples::broken {
namespace {

using ::testing::HasSubstr;

testkit::TrackerFactory<std::int64_t> racy() {
  return [](const std::int64_t& start, const std::int64_t& stop) {
    return std::make_unique<RacyOffsetTracker>(start, stop);
  };
}

TEST(RacyOffsetTrackerTest, SequentiallyItKeepsTheContract) {
  const auto result =
      testkit::check_tracker_sequential(racy(), testkit::offset_positions(), {.seed = 1});
  EXPECT_TRUE(result.ok()) << result;
}

TEST(RacyOffsetTrackerTest, TheLinearizabilitySearchRejectsIt) {
  const auto result = testkit::check_tracker_linearizable(
      racy(), testkit::offset_positions(), {.concurrent_runs = 200, .repetitions = 30, .seed = 5});
  std::cout << result << "\n";
  EXPECT_EQ(result.outcome, testkit::CheckResult::Outcome::kFailed);
  EXPECT_THAT(result.message, HasSubstr("no order of these calls is accepted"));
}

// The numbers [0, n), read through the racy tracker.
class RacyCountingSource final : public BoundedSource<std::int64_t> {
 public:
  explicit RacyCountingSource(std::int64_t n) : n_(n) {}
  std::int64_t estimate_size() const override { return n_; }
  std::vector<SourceBundle<std::int64_t>> split(std::int64_t, std::optional<std::int64_t> start,
                                                std::optional<std::int64_t> stop) const override {
    return {{1.0, self(), start, stop}};
  }
  std::unique_ptr<RangeTracker<std::int64_t>> get_range_tracker(
      std::optional<std::int64_t> start, std::optional<std::int64_t> stop) const override {
    return std::make_unique<RacyOffsetTracker>(start.value_or(0), stop.value_or(n_));
  }
  Generator<std::int64_t> read(RangeTracker<std::int64_t>& tracker) const override {
    for (std::int64_t i = tracker.start_position();; ++i) {
      if (!tracker.try_claim(i)) co_return;
      co_yield i;
    }
  }

 private:
  const std::int64_t n_;
};

// Only a race shows the bug, and the replay says so: no sequential case
// reproduces it, and what to rerun instead; the message records when the
// split came.
TEST(RacyOffsetTrackerTest, TheExhaustiveCheckSaysARaceHasNoSequentialReplay) {
  const auto source = std::make_shared<RacyCountingSource>(40);
  testkit::ExhaustiveSplitOptions options;
  options.max_trials_per_k = 200;
  options.max_trials = 4000;
  options.max_trials_seconds = 0;  // no time budget: under tsan the trials are slow
  const testkit::CheckResult result = testkit::check_split_at_fraction_exhaustive(*source, options);
  std::cout << result << "\n";
  ASSERT_EQ(result.outcome, testkit::CheckResult::Outcome::kFailed) << result;
  EXPECT_THAT(result.message, HasSubstr("concurrent trial"));
  EXPECT_THAT(result.message, HasSubstr("the split came while the reader had fetched"));
  EXPECT_THAT(result.replay, HasSubstr("no sequential case reproduces it"));
  EXPECT_GT(result.cases, 0);
}

}  // namespace
}  // namespace splitcheck::examples::broken
