// The tracker contract checker accepts every built-in tracker and an
// independent correct one (under 200 seeds), and rejects each classic bug
// with a readable, shrunk counterexample.

#include "splitcheck/testkit/tracker/tracker_contract.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/internal/key_arithmetic.h"
#include "splitcheck/lib/trackers/lexicographic_key_range_tracker.h"
#include "splitcheck/lib/trackers/offset_range_tracker.h"
#include "splitcheck/lib/trackers/ordered_position_range_tracker.h"
#include "splitcheck/lib/trackers/unsplittable_range_tracker.h"
#include "splitcheck/testkit/gtest.h"
#include "splitcheck/testkit/internal/concat_offsets.h"
#include "splitcheck/testkit/zoo/buggy_trackers.h"

namespace splitcheck::testkit {
namespace {

using internal::BuggyOffsetTracker;
using internal::TrackerBug;
using ::testing::HasSubstr;
using Outcome = CheckResult::Outcome;

TrackerFactory<std::int64_t> offsets() {
  return [](const std::int64_t& start, const std::int64_t& stop) {
    return std::make_unique<OffsetRangeTracker>(start, stop);
  };
}

TrackerFactory<std::int64_t> buggy(TrackerBug bug) {
  return [bug](const std::int64_t& start, const std::int64_t& stop) {
    return std::make_unique<BuggyOffsetTracker>(start, stop, bug);
  };
}

// One seed: the check's own, in its result. RapidCheck's "Using
// configuration: seed=..." (a seed that replays nothing) is not printed; a
// fresh process (the threadsafe death-test style re-runs the binary) shows
// what a user's test prints first.
TEST(OneSeedTest, RapidChecksOwnSeedIsNotPrinted) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        const CheckResult result = check_tracker_sequential(buggy(TrackerBug::kSplitAtLastClaim),
                                                            offset_positions(), {.seed = 5});
        std::cerr << result << std::endl;
        std::exit(result.ok() ? 1 : 0);
      },
      ::testing::ExitedWithCode(0),
      ::testing::AllOf(HasSubstr("seed 5"), ::testing::Not(HasSubstr("Using configuration"))));
}

TEST(TrackerContractTest, OffsetRangeTrackerPasses) {
  SPLITCHECK_EXPECT_PASSED(check_tracker_contract(offsets(), offset_positions(), {.seed = 1}));
}

// One seed replays the whole contract: its sequential and concurrent halves
// run from the same one, printed once.
TEST(OneSeedTest, TheContractsTwoHalvesShareOneSeed) {
  const CheckResult result = check_tracker_contract(offsets(), offset_positions(),
                                                    {.sequential_runs = 20, .concurrent_runs = 5});
  ASSERT_TRUE(result.ok()) << result;
  int seed_notes = 0;
  for (const std::string& note : result.notes) seed_notes += note.rfind("seed ", 0) == 0;
  EXPECT_EQ(seed_notes, 1) << result;
}

TEST(TrackerContractTest, LexicographicKeyRangeTrackerPasses) {
  const TrackerFactory<std::string> keys = [](const std::string& start, const std::string& stop) {
    return std::make_unique<LexicographicKeyRangeTracker>(start, stop);
  };
  SPLITCHECK_EXPECT_PASSED(check_tracker_contract(keys, key_positions(), {.seed = 1}));
}

TEST(TrackerContractTest, UnsplittableRangeTrackerPassesWhenRefusalsAreAllowed) {
  const TrackerFactory<std::int64_t> unsplittable = [](const std::int64_t& s,
                                                       const std::int64_t& e) {
    return std::make_unique<UnsplittableRangeTracker<std::int64_t>>(
        std::make_unique<OffsetRangeTracker>(s, e));
  };
  SPLITCHECK_EXPECT_PASSED(check_tracker_contract(
      unsplittable, offset_positions(),
      {.seed = 1, .require_split_acceptance = false, .check_fraction_mapping = false}));
  // With acceptance required, refusing every split is a violation.
  const CheckResult strict = check_tracker_sequential(unsplittable, offset_positions(),
                                                      {.seed = 1, .check_fraction_mapping = false});
  EXPECT_EQ(strict.outcome, Outcome::kFailed);
  EXPECT_THAT(strict.message, HasSubstr("was refused, but nothing in the contract forbids it"));
  // And its position_at_fraction, which names only the start below 1, is
  // checked against the fraction asked unless that is turned off too.
  const CheckResult mapped = check_tracker_sequential(
      unsplittable, offset_positions(), {.seed = 1, .require_split_acceptance = false});
  EXPECT_EQ(mapped.outcome, Outcome::kFailed);
  EXPECT_THAT(mapped.message, HasSubstr("below the fraction asked"));
}

// ConcatRangeTracker through an adapter that maps offsets to (sub-range,
// offset) positions over sub-ranges of 1, 2, 4, ... offsets.
TEST(TrackerContractTest, ConcatRangeTrackerPasses) {
  const TrackerFactory<std::int64_t> concat = [](const std::int64_t& s, const std::int64_t& e) {
    return std::make_unique<internal::ConcatOffsetTracker>(s, e);
  };
  SPLITCHECK_EXPECT_PASSED(
      check_tracker_contract(concat, internal::concat_offset_positions(), {.seed = 1}));
}

TEST(TrackerContractTest, OrderedPositionRangeTrackerPassesWithACustomDomain) {
  // A user's position type would get a domain like this one: finite offsets,
  // mapped linearly.
  PositionDomain<std::int64_t> domain = offset_positions();
  domain.name = "finite offsets";
  domain.ranges = [] {
    return rc::gen::map(
        rc::gen::pair(rc::gen::inRange<std::int64_t>(0, 20), rc::gen::inRange<std::int64_t>(0, 40)),
        [](std::pair<std::int64_t, std::int64_t> r) {
          return std::make_pair(r.first, r.first + r.second);
        });
  };
  domain.has_size = [](const std::int64_t&, const std::int64_t&) { return true; };
  const PositionMapping<std::int64_t> linear{
      [](const std::int64_t& p, const std::int64_t& s, const std::int64_t& e) {
        return e == s ? (p > s ? 1.0 : 0.0)
                      : static_cast<double>(p - s) / static_cast<double>(e - s);
      },
      [](double f, const std::int64_t& s, const std::int64_t& e) {
        return std::min(e,
                        s + static_cast<std::int64_t>(std::ceil(f * static_cast<double>(e - s))));
      }};
  const TrackerFactory<std::int64_t> ordered = [linear](const std::int64_t& s,
                                                        const std::int64_t& e) {
    return std::make_unique<OrderedPositionRangeTracker<std::int64_t>>(s, e, linear);
  };
  SPLITCHECK_EXPECT_PASSED(check_tracker_contract(ordered, domain, {.seed = 1}));
}

// A strong type over offsets, as a user's sequence numbers or days would be.
struct Seq {
  std::int64_t n = 0;
  friend auto operator<=>(const Seq&, const Seq&) = default;
};

TEST(TrackerContractTest, AMappedDomainChecksATrackerOverAStrongType) {
  const auto to_seq = [](std::int64_t n) { return Seq{n}; };
  const auto to_number = [](const Seq& s) { return s.n; };
  const auto literal = [](const Seq& s) { return "Seq{" + std::to_string(s.n) + "}"; };
  const PositionDomain<Seq> unsized =
      map_position_domain<Seq>(offset_positions(), "sequence numbers", to_seq, to_number, literal);
  EXPECT_EQ(unsized.name, "sequence numbers");
  EXPECT_EQ(unsized.literal(Seq{7}), "Seq{7}");
  EXPECT_DOUBLE_EQ(unsized.to_fraction(Seq{5}, Seq{0}, Seq{10}), 0.5);
  EXPECT_FALSE(unsized.has_size(Seq{0}, Seq{kOffsetInfinity}));
  // An ordered tracker always has a size: map the finite offsets instead.
  const PositionDomain<Seq> domain = map_position_domain<Seq>(
      finite_offset_positions(), "sequence numbers", to_seq, to_number, literal);
  EXPECT_TRUE(domain.has_size(Seq{0}, Seq{kOffsetInfinity}));
  const PositionMapping<Seq> linear{
      [](const Seq& p, const Seq& s, const Seq& e) {
        if (e == s) return p > s ? 1.0 : 0.0;
        return static_cast<double>(static_cast<long double>(p.n - s.n) / (e.n - s.n));
      },
      [](double f, const Seq& s, const Seq& e) {
        const long double offset = std::ceil(f * static_cast<long double>(e.n - s.n));
        return offset >= e.n - s.n ? e : Seq{s.n + static_cast<std::int64_t>(offset)};
      }};
  const TrackerFactory<Seq> ordered = [linear](const Seq& s, const Seq& e) {
    return std::make_unique<OrderedPositionRangeTracker<Seq>>(s, e, linear);
  };
  SPLITCHECK_EXPECT_PASSED(check_tracker_contract(ordered, domain, {.seed = 1}));
}

TEST(TrackerContractTest, AnIndependentCorrectTrackerPassesUnder200Seeds) {
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    const TrackerContractOptions options{
        .sequential_runs = 15, .concurrent_runs = 2, .repetitions = 3, .seed = seed};
    const CheckResult mine =
        check_tracker_contract(buggy(TrackerBug::kNone), offset_positions(), options);
    ASSERT_TRUE(mine) << mine;
    const CheckResult lib = check_tracker_contract(offsets(), offset_positions(), options);
    ASSERT_TRUE(lib) << lib;
  }
}

struct BugCase {
  TrackerBug bug;
  const char* expected;
};

class SequentialRejectsTest : public ::testing::TestWithParam<BugCase> {};

TEST_P(SequentialRejectsTest, TheBug) {
  const CheckResult result =
      check_tracker_sequential(buggy(GetParam().bug), offset_positions(), {.seed = 3});
  std::cout << result << "\n";
  ASSERT_EQ(result.outcome, Outcome::kFailed);
  EXPECT_THAT(result.message, HasSubstr(GetParam().expected));
  EXPECT_THAT(result.message, HasSubstr("auto tracker = factory("));
  EXPECT_THAT(result.message, HasSubstr("<-- violates the contract"));
  EXPECT_THAT(result.replay, HasSubstr("seed = 3"));
}

INSTANTIATE_TEST_SUITE_P(
    Bugs, SequentialRejectsTest,
    ::testing::Values(
        BugCase{TrackerBug::kOffByOneAtStop, "was accepted at or past the stop"},
        BugCase{TrackerBug::kSplitAtLastClaim, "was accepted at or before the last record"},
        BugCase{TrackerBug::kDoneFractionZero, "expected 1 once the range ended"},
        BugCase{TrackerBug::kSplitFractionOfFirstRange, "reported fraction"},
        BugCase{TrackerBug::kSplitPointsCountCurrent, "split_points() is"},
        BugCase{TrackerBug::kPositionPastStop, "position_at_fraction(1) is"},
        BugCase{TrackerBug::kClaimBeforeStartAccepted, "should be a UsageError (before the start"},
        BugCase{TrackerBug::kMisuseEndsTheRange, "fraction_consumed() is 1"},
        BugCase{TrackerBug::kMisuseMovesLastClaim,
                "should be a UsageError (not after the last claim"},
        BugCase{TrackerBug::kFlooredFractions, "below the fraction asked"}));

// A LexicographicKeyRangeTracker whose position_at_fraction is replaced.
class RemappedKeyTracker final : public RangeTracker<std::string> {
 public:
  using Mapping = std::function<std::string(double, const std::string&, const std::string&)>;
  RemappedKeyTracker(const std::string& start, const std::string& stop, Mapping mapping)
      : inner_(start, stop), mapping_(std::move(mapping)) {}
  std::string start_position() const override { return inner_.start_position(); }
  std::string stop_position() const override { return inner_.stop_position(); }
  bool try_claim(const std::string& p) override { return inner_.try_claim(p); }
  void set_current_position(const std::string& p) override { inner_.set_current_position(p); }
  std::string position_at_fraction(double f) const override {
    const std::string p = inner_.position_at_fraction(f);  // the checks of bad fractions
    return mapping_(f, inner_.start_position(), inner_.stop_position());
  }
  std::optional<SplitResult<std::string>> try_split(const std::string& p) override {
    return inner_.try_split(p);
  }
  double fraction_consumed() const override { return inner_.fraction_consumed(); }
  SplitPoints split_points() const override { return inner_.split_points(); }
  void set_split_points_unclaimed_callback(SplitPointsUnclaimedCallback<std::string> cb) override {
    inner_.set_split_points_unclaimed_callback(std::move(cb));
  }
  std::string debug_string() const override { return "RemappedKeyTracker"; }

 private:
  LexicographicKeyRangeTracker inner_;
  const Mapping mapping_;
};

TrackerFactory<std::string> remapped_keys(RemappedKeyTracker::Mapping mapping) {
  return [mapping](const std::string& start, const std::string& stop) {
    return std::make_unique<RemappedKeyTracker>(start, stop, mapping);
  };
}

// Every fraction below 1e-6 maps to the start key: a runner asking for a
// tiny split gets none, and nothing else is wrong.
TEST(TrackerContractTest, RejectsAKeyTrackerThatMapsTinyFractionsToTheStart) {
  const CheckResult result = check_tracker_sequential(
      remapped_keys([](double f, const std::string& s, const std::string& e) {
        return f > 0 && f < 1e-6 ? s : splitcheck::internal::fraction_to_key(f, s, e);
      }),
      key_positions(), {.seed = 3});
  std::cout << result << "\n";
  ASSERT_EQ(result.outcome, Outcome::kFailed);
  EXPECT_THAT(result.message, HasSubstr("below the fraction asked"));
}

// A mapping that overshoots by 1% of the range (the zoo's key trackers,
// testkit/zoo/broken_key_trackers.h, overshoot to a short key).
TEST(TrackerContractTest, RejectsAKeyMappingThatOvershoots) {
  const CheckResult result = check_tracker_sequential(
      remapped_keys([](double f, const std::string& s, const std::string& e) {
        return splitcheck::internal::fraction_to_key(std::min(1.0, f + 0.01), s, e);
      }),
      key_positions(), {.seed = 3});
  std::cout << result << "\n";
  ASSERT_EQ(result.outcome, Outcome::kFailed);
  EXPECT_THAT(result.message, HasSubstr("above the fraction asked"));
}

// With one misuse run per scenario (the fuzz harness's setting), a misuse that
// breaks later valid operations is still caught; one that only changes how a
// second misuse is judged needs a second misuse.
TEST(TrackerContractTest, MaxMisusesLeavesOutLaterMisuseButChecksWhatFollows) {
  const TrackerFactory<std::int64_t> ends = buggy(TrackerBug::kMisuseEndsTheRange);
  TrackerScenario<std::int64_t> scenario{0, 10, {}};
  scenario.ops = {{TrackerOpKind::kTryClaim, 2, 0},
                  {TrackerOpKind::kTryClaim, 1, 0},   // misuse: backwards
                  {TrackerOpKind::kTryClaim, 0, 0},   // misuse: left out with max_misuses = 1
                  {TrackerOpKind::kTryClaim, 3, 0}};  // valid: refused by the bug
  const auto one = check_tracker_scenario(ends, offset_positions(), scenario, {.max_misuses = 1});
  ASSERT_TRUE(one.has_value());
  EXPECT_THAT(*one, HasSubstr("operation 3: try_claim(3) was refused inside the range"));
  EXPECT_THAT(*one, ::testing::Not(HasSubstr("try_claim(0)")));

  const TrackerFactory<std::int64_t> moves = buggy(TrackerBug::kMisuseMovesLastClaim);
  scenario.ops = {{TrackerOpKind::kTryClaim, 5, 0},
                  {TrackerOpKind::kTryClaim, 1, 0},   // misuse: backwards, but moves the claim
                  {TrackerOpKind::kTryClaim, 5, 0}};  // misuse (twice) that the bug accepts
  EXPECT_FALSE(check_tracker_scenario(moves, offset_positions(), scenario, {.max_misuses = 1}));
  const auto two = check_tracker_scenario(moves, offset_positions(), scenario, {.max_misuses = 2});
  ASSERT_TRUE(two.has_value());
  EXPECT_THAT(*two, HasSubstr("operation 3: try_claim(5) should be a UsageError"));
}

// On a range of unknown size OffsetRangeTracker refuses position_at_fraction
// with a UsageError: those calls share the misuse budget.
TEST(TrackerContractTest, MaxMisusesCountsRefusalsOnRangesOfUnknownSize) {
  const TrackerFactory<std::int64_t> offsets = [](std::int64_t start, std::int64_t stop) {
    return std::make_unique<OffsetRangeTracker>(start, stop);
  };
  TrackerScenario<std::int64_t> scenario{0, kOffsetInfinity, {}};
  scenario.ops = {{TrackerOpKind::kPositionAtFraction, std::nullopt, 0.5},
                  {TrackerOpKind::kTryClaim, 3, 0},
                  {TrackerOpKind::kPositionAtFraction, std::nullopt, 0.25},
                  {TrackerOpKind::kFractionConsumed, std::nullopt, 0},
                  {TrackerOpKind::kPositionAtFraction, std::nullopt, 2.0}};  // misuse
  std::int64_t ran = 0;
  EXPECT_FALSE(check_tracker_scenario(offsets, offset_positions(), scenario, {}, &ran));
  EXPECT_EQ(ran, 5);
  ran = 0;
  EXPECT_FALSE(
      check_tracker_scenario(offsets, offset_positions(), scenario, {.max_misuses = 1}, &ran));
  EXPECT_EQ(ran, 3);  // the first position_at_fraction, the claim, fraction_consumed
}

TEST(LinearizabilityTest, RejectsASplitThatActsOnAStaleCheck) {
  const CheckResult result =
      check_tracker_linearizable(buggy(TrackerBug::kRacySplit), offset_positions(),
                                 {.concurrent_runs = 200, .repetitions = 30, .seed = 5});
  std::cout << result << "\n";
  ASSERT_EQ(result.outcome, Outcome::kFailed);
  EXPECT_THAT(result.message, HasSubstr("no order of these calls is accepted"));
  EXPECT_THAT(result.message, HasSubstr("thread 0"));
}

TEST(TrackerScenarioTest, APastedScenarioReplays) {
  // As printed by a failure of kOffByOneAtStop.
  TrackerScenario<std::int64_t> scenario{0, 3, {}};
  scenario.ops.push_back({TrackerOpKind::kTryClaim, 0, 0});
  scenario.ops.push_back({TrackerOpKind::kTryClaim, 3, 0});
  EXPECT_EQ(check_tracker_scenario(offsets(), offset_positions(), scenario), std::nullopt);
  const auto violation =
      check_tracker_scenario(buggy(TrackerBug::kOffByOneAtStop), offset_positions(), scenario);
  ASSERT_TRUE(violation.has_value());
  EXPECT_THAT(*violation,
              HasSubstr("operation 2: try_claim(3) was accepted at or past the stop 3"));
  EXPECT_THAT(*violation, HasSubstr("tracker->try_claim(3);  // true  <-- violates the contract"));
}

TEST(TrackerScenarioTest, TheEndOfTheKeySpaceComesAfterEveryKey) {
  // Found by the key tracker's fuzzer in its first seconds: the model took
  // position_at_fraction(1) == "" (the end) for a step backwards.
  const TrackerFactory<std::string> keys = [](const std::string& start, const std::string& stop) {
    return std::make_unique<LexicographicKeyRangeTracker>(start, stop);
  };
  TrackerScenario<std::string> scenario{"a", "", {}};
  scenario.ops.push_back({TrackerOpKind::kPositionAtFraction, std::nullopt, 0.5});
  scenario.ops.push_back({TrackerOpKind::kPositionAtFraction, std::nullopt, 1.0});
  scenario.ops.push_back({TrackerOpKind::kPositionAtFraction, std::nullopt, 0.75});
  EXPECT_EQ(check_tracker_scenario(keys, key_positions(), scenario), std::nullopt);
  // And on the whole key space, where the start and the stop are both "":
  // fraction 0 is the first key, fraction 1 the end (found by the fuzzer too).
  TrackerScenario<std::string> whole{"", "", {}};
  whole.ops.push_back({TrackerOpKind::kPositionAtFraction, std::nullopt, 0.0015});
  whole.ops.push_back({TrackerOpKind::kPositionAtFraction, std::nullopt, 0.0});
  whole.ops.push_back({TrackerOpKind::kPositionAtFraction, std::nullopt, 1.0});
  EXPECT_EQ(check_tracker_scenario(keys, key_positions(), whole), std::nullopt);
}

TEST(PositionDomainTest, KeyLiteralsAreValidCpp) {
  EXPECT_EQ(key_positions().literal(std::string("a\0b\xff\"", 5)),
            "std::string(\"a\\000b\\377\\042\", 5)");
  EXPECT_EQ(offset_positions().literal(kOffsetInfinity), "kOffsetInfinity");
}

}  // namespace
}  // namespace splitcheck::testkit
