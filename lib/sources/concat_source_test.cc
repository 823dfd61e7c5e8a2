#include "splitcheck/lib/sources/concat_source.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/internal/in_memory_source.h"
#include "splitcheck/lib/trackers/unsplittable_range_tracker.h"
#include "splitcheck/testkit/error_matchers.h"

namespace splitcheck {
namespace {

using internal::InMemorySource;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testkit::UsageErrorOf;
using Pos = ConcatPosition<std::int64_t>;
using Concat = ConcatSource<std::string>;

std::shared_ptr<const BoundedSource<std::string>> letters(const std::string& prefix, int n) {
  std::vector<std::string> records;
  for (int i = 0; i < n; ++i) records.push_back(prefix + std::to_string(i));
  return std::make_shared<InMemorySource<std::string>>(records);
}

// a0 a1 a2 | (empty) | b0 .. b5 | c0
std::shared_ptr<Concat> abc() {
  return std::make_shared<Concat>(std::vector<std::shared_ptr<const BoundedSource<std::string>>>{
      letters("a", 3), letters("x", 0), letters("b", 6), letters("c", 1)});
}

std::vector<std::string> read_range(const Concat& source, std::optional<Pos> start,
                                    std::optional<Pos> stop) {
  std::vector<std::string> out;
  auto tracker = source.get_range_tracker(start, stop);
  for (std::string& r : source.read(*tracker)) out.push_back(r);
  return out;
}

TEST(ConcatSourceTest, ReadsTheSubSourcesInOrder) {
  auto source = abc();
  EXPECT_EQ(source->estimate_size(), 10);
  EXPECT_THAT(read_range(*source, std::nullopt, std::nullopt),
              ElementsAre("a0", "a1", "a2", "b0", "b1", "b2", "b3", "b4", "b5", "c0"));
}

TEST(ConcatSourceTest, ReadsASubRange) {
  auto source = abc();
  EXPECT_THAT(read_range(*source, Pos{0, 2}, Pos{2, 3}), ElementsAre("a2", "b0", "b1", "b2"));
  EXPECT_THAT(read_range(*source, Pos{2, std::nullopt}, Pos{3, std::nullopt}),
              ElementsAre("b0", "b1", "b2", "b3", "b4", "b5"));
}

TEST(ConcatSourceTest, SplitTilesTheRangeInConcatPositions) {
  auto source = abc();
  const auto bundles = source->split(4, std::nullopt, std::nullopt);
  std::vector<std::string> all;
  std::optional<Pos> previous_stop = Pos{0, std::nullopt};
  for (const auto& bundle : bundles) {
    EXPECT_EQ(bundle.source, source);
    EXPECT_EQ(bundle.start, previous_stop);
    previous_stop = bundle.stop;
    for (auto& r : read_range(*source, bundle.start, bundle.stop)) all.push_back(r);
  }
  EXPECT_EQ(previous_stop, (Pos{4, std::nullopt}));
  EXPECT_THAT(all, ElementsAre("a0", "a1", "a2", "b0", "b1", "b2", "b3", "b4", "b5", "c0"));
}

TEST(ConcatSourceTest, SplitOfASubRange) {
  auto source = abc();
  const auto bundles = source->split(100, Pos{0, 1}, Pos{2, 2});
  ASSERT_EQ(bundles.size(), 3u);  // a1-a2, the empty source, b0-b1
  EXPECT_EQ(bundles.front().start, (Pos{0, 1}));
  EXPECT_EQ(bundles.back().stop, (Pos{2, 2}));
  std::vector<std::string> all;
  for (const auto& b : bundles) {
    for (auto& r : read_range(*source, b.start, b.stop)) all.push_back(r);
  }
  EXPECT_THAT(all, ElementsAre("a1", "a2", "b0", "b1"));
}

TEST(ConcatSourceTest, DynamicSplitInsideTheCurrentSubSource) {
  auto source = abc();
  auto tracker = source->get_range_tracker(std::nullopt, std::nullopt);
  std::vector<std::string> primary;
  std::optional<SplitResult<Pos>> split;
  for (std::string& r : source->read(*tracker)) {
    primary.push_back(r);
    if (r == "b1") split = tracker->try_split(Pos{2, 4});
  }
  ASSERT_TRUE(split.has_value());
  EXPECT_EQ(split->position, (Pos{2, 4}));
  // Before the split: a (3) + empty (0) + b (6) + c (1) by weight; the
  // primary keeps a and b0-b3: 7 of 10.
  EXPECT_DOUBLE_EQ(split->fraction, 0.7);
  EXPECT_THAT(primary, ElementsAre("a0", "a1", "a2", "b0", "b1", "b2", "b3"));
  EXPECT_THAT(read_range(*source, split->position, Pos{4, std::nullopt}),
              ElementsAre("b4", "b5", "c0"));
}

TEST(ConcatSourceTest, DynamicSplitAtALaterSubSourceTakesItsStart) {
  auto source = abc();
  auto tracker = source->get_range_tracker(std::nullopt, std::nullopt);
  std::vector<std::string> primary;
  std::optional<SplitResult<Pos>> split;
  for (std::string& r : source->read(*tracker)) {
    primary.push_back(r);
    if (r == "a0") split = tracker->try_split(Pos{2, 3});
  }
  ASSERT_TRUE(split.has_value());
  EXPECT_EQ(split->position, (Pos{2, std::nullopt}));
  EXPECT_DOUBLE_EQ(split->fraction, 0.3);
  EXPECT_THAT(primary, ElementsAre("a0", "a1", "a2"));
}

TEST(ConcatSourceTest, SplitRefusals) {
  auto source = abc();
  auto tracker = source->get_range_tracker(std::nullopt, std::nullopt);
  EXPECT_EQ(tracker->try_split(Pos{0, std::nullopt}), std::nullopt);  // at the start
  ASSERT_TRUE(tracker->try_claim(Pos{0, std::nullopt}));
  ASSERT_TRUE(tracker->try_claim(Pos{0, 0}));
  EXPECT_EQ(tracker->try_split(Pos{0, 0}), std::nullopt);             // at the last claim
  EXPECT_EQ(tracker->try_split(Pos{4, std::nullopt}), std::nullopt);  // at the stop
  ASSERT_TRUE(tracker->try_split(Pos{2, std::nullopt}).has_value());
  EXPECT_EQ(tracker->try_split(Pos{3, std::nullopt}), std::nullopt);  // past the new stop
  EXPECT_FALSE(tracker->try_claim(Pos{2, std::nullopt}));
  EXPECT_EQ(tracker->try_split(Pos{0, 2}), std::nullopt);  // done
  EXPECT_DOUBLE_EQ(tracker->fraction_consumed(), 1.0);
}

TEST(ConcatSourceTest, ProgressIsMonotoneAcrossSubSources) {
  auto source = abc();
  auto tracker = source->get_range_tracker(std::nullopt, std::nullopt);
  double last = tracker->fraction_consumed();
  EXPECT_EQ(last, 0.0);
  for (std::string& r : source->read(*tracker)) {
    const double now = tracker->fraction_consumed();
    EXPECT_GE(now, last) << "at " << r;
    EXPECT_LE(now, 1.0);
    last = now;
  }
  EXPECT_EQ(tracker->fraction_consumed(), 1.0);
  EXPECT_EQ(tracker->split_points(), (SplitPoints{10, 0}));
}

TEST(ConcatSourceTest, PositionAtFractionUsesWeights) {
  // Weights 4, 12 and 16 (out of 32) put the sub-sources at [0, 1/8),
  // [1/8, 1/2) and [1/2, 1]: exact in binary.
  Concat source(std::vector<std::shared_ptr<const BoundedSource<std::string>>>{
      letters("p", 4), letters("q", 12), letters("r", 16)});
  auto tracker = source.get_range_tracker(std::nullopt, std::nullopt);
  EXPECT_EQ(tracker->position_at_fraction(0.0), (Pos{0, 0}));
  EXPECT_EQ(tracker->position_at_fraction(0.0625), (Pos{0, 2}));
  EXPECT_EQ(tracker->position_at_fraction(0.3125), (Pos{1, 6}));
  EXPECT_EQ(tracker->position_at_fraction(0.75), (Pos{2, 8}));
  EXPECT_EQ(tracker->position_at_fraction(1.0), (Pos{3, std::nullopt}));
}

TEST(ConcatSourceTest, MisuseIsAUsageError) {
  auto source = abc();
  auto tracker = source->get_range_tracker(std::nullopt, std::nullopt);
  ASSERT_TRUE(tracker->try_claim(Pos{2, std::nullopt}));
  EXPECT_THAT(UsageErrorOf([&] {
                tracker->try_claim(Pos{0, std::nullopt});
              }),
              HasSubstr("cannot claim (0, start) after sub-source 2"));
  EXPECT_THAT(UsageErrorOf([&] { tracker->try_claim(Pos{2, std::nullopt}); }), HasSubstr("twice"));
  EXPECT_THAT(UsageErrorOf([&] {
                tracker->try_claim(Pos{9, std::nullopt});
              }),
              HasSubstr("there are only 4 sub-sources"));
  EXPECT_THAT(UsageErrorOf([&] {
                source->get_range_tracker(Pos{5, std::nullopt}, std::nullopt);
              }),
              HasSubstr("(5, start) names no sub-source"));
  EXPECT_THAT(UsageErrorOf([&] {
                source->get_range_tracker(Pos{2, 0}, Pos{1, 0});
              }),
              HasSubstr("the start must not be after the stop"));
  UnsplittableRangeTracker<Pos> wrapped(source->get_range_tracker(std::nullopt, std::nullopt));
  EXPECT_THAT(UsageErrorOf([&] { source->read(wrapped); }),
              HasSubstr("read() needs the tracker from this source's get_range_tracker"));
  EXPECT_THAT(
      UsageErrorOf([] {
        Concat(std::vector<SourceBundle<std::string>>{{1.0, nullptr, std::nullopt, std::nullopt}});
      }),
      HasSubstr("sub-source 0 is null"));
}

}  // namespace
}  // namespace splitcheck
