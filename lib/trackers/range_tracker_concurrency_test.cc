// A reader, a splitter and a monitor on one tracker at the same time, as a
// runner drives them. Run under --config=tsan to check for data races; the
// assertions check that the outcome is one some sequential order allows.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "splitcheck/lib/error.h"
#include "splitcheck/lib/trackers/lexicographic_key_range_tracker.h"
#include "splitcheck/lib/trackers/offset_range_tracker.h"

namespace splitcheck {
namespace {

constexpr std::int64_t kRecords = 20000;

// Record i of the test source sits at position_of(i).
std::int64_t offset_of(std::int64_t i) { return i; }
std::string key_of(std::int64_t i) {
  std::string key(8, '\0');
  for (int b = 7; b >= 0; --b, i >>= 8)
    key[static_cast<std::size_t>(b)] = static_cast<char>(i & 0xff);
  return "k" + key;
}

struct Outcome {
  std::int64_t claimed = 0;             // records the reader emitted
  std::vector<double> split_fractions;  // accepted splits, in order
  std::int64_t split_attempts = 0;
  bool monitor_saw_decrease = false;
  bool monitor_saw_out_of_range = false;
  bool monitor_saw_consumed_decrease = false;
};

template <typename Tracker, typename PositionOf>
Outcome race(Tracker& tracker, PositionOf position_of, std::uint32_t seed) {
  Outcome outcome;
  std::atomic<bool> reader_done{false};
  std::atomic<std::int64_t> attempts{0};

  std::thread reader([&] {
    // Position kRecords is the original stop: its claim is always refused.
    for (std::int64_t i = 0; i <= kRecords; ++i) {
      if (!tracker.try_claim(position_of(i))) break;
      tracker.set_current_position(position_of(i));
      ++outcome.claimed;
      // Every few hundred records, let the splitter get a word in.
      if (i % 256 == 255) {
        const std::int64_t seen = attempts.load();
        for (int spin = 0; spin < 10000 && attempts.load() == seen; ++spin) {
          std::this_thread::yield();
        }
      }
    }
    reader_done = true;
  });

  std::thread splitter([&] {
    std::mt19937 random(seed);
    std::uniform_real_distribution<double> share(0.05, 0.95);
    while (!reader_done) {
      const double consumed = tracker.fraction_consumed();
      const auto position = tracker.position_at_fraction(consumed + (1 - consumed) * share(random));
      if (const auto split = tracker.try_split(position)) {
        outcome.split_fractions.push_back(split->fraction);
      }
      ++outcome.split_attempts;
      ++attempts;
    }
  });

  std::thread monitor([&] {
    double last_fraction = 0;
    std::int64_t last_consumed = 0;
    while (!reader_done) {
      const double fraction = tracker.fraction_consumed();
      const SplitPoints points = tracker.split_points();
      outcome.monitor_saw_out_of_range |= !(fraction >= 0 && fraction <= 1);
      outcome.monitor_saw_decrease |= fraction < last_fraction;
      outcome.monitor_saw_consumed_decrease |= points.consumed < last_consumed;
      last_fraction = fraction;
      last_consumed = points.consumed;
    }
  });

  reader.join();
  splitter.join();
  monitor.join();
  return outcome;
}

template <typename Tracker, typename PositionOf>
void check_exactly_once(Tracker& tracker, const Outcome& outcome, PositionOf position_of) {
  // The reader emitted exactly the records before the final stop: the
  // primary. Every residual handed away starts at or after it.
  const auto stop = tracker.stop_position();
  std::int64_t in_primary = 0;
  while (in_primary < kRecords && position_of(in_primary) < stop) ++in_primary;
  EXPECT_EQ(outcome.claimed, in_primary) << tracker.debug_string();
  EXPECT_FALSE(outcome.monitor_saw_out_of_range);
  EXPECT_FALSE(outcome.monitor_saw_decrease);
  EXPECT_FALSE(outcome.monitor_saw_consumed_decrease);
  for (double f : outcome.split_fractions) {
    EXPECT_GE(f, 0.0);
    EXPECT_LE(f, 1.0);
  }
  EXPECT_DOUBLE_EQ(tracker.fraction_consumed(), 1.0);
}

TEST(RangeTrackerConcurrencyTest, OffsetReaderSplitterMonitorAgree) {
  std::int64_t accepted = 0;
  for (std::uint32_t seed = 1; seed <= 8; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    OffsetRangeTracker tracker(0, kRecords);
    const Outcome outcome = race(tracker, offset_of, seed);
    check_exactly_once(tracker, outcome, offset_of);
    accepted += static_cast<std::int64_t>(outcome.split_fractions.size());
  }
  // The schedule interleaves the threads, so splits do happen.
  EXPECT_GT(accepted, 0);
}

TEST(RangeTrackerConcurrencyTest, KeyReaderSplitterMonitorAgree) {
  std::int64_t accepted = 0;
  for (std::uint32_t seed = 1; seed <= 8; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    LexicographicKeyRangeTracker tracker(key_of(0), key_of(kRecords));
    const Outcome outcome = race(tracker, key_of, seed);
    check_exactly_once(tracker, outcome, key_of);
    accepted += static_cast<std::int64_t>(outcome.split_fractions.size());
  }
  EXPECT_GT(accepted, 0);
}

// Two readers sharing one tracker is misuse. It must end in UsageErrors or
// refusals, never in a crash, a hang or an accepted claim going backwards.
TEST(RangeTrackerConcurrencyTest, TwoReadersOnOneTrackerGetUsageErrors) {
  OffsetRangeTracker tracker(0, 100000);
  std::atomic<std::int64_t> errors{0};
  std::vector<std::vector<std::int64_t>> accepted(2);
  auto read = [&](int reader) {
    for (std::int64_t p = reader; p < 100000; p += 2) {
      try {
        if (tracker.try_claim(p)) accepted[static_cast<std::size_t>(reader)].push_back(p);
      } catch (const UsageError&) {
        ++errors;
      }
    }
  };
  std::thread a(read, 0);
  std::thread b(read, 1);
  a.join();
  b.join();
  std::vector<std::int64_t> all = accepted[0];
  all.insert(all.end(), accepted[1].begin(), accepted[1].end());
  std::sort(all.begin(), all.end());
  EXPECT_EQ(std::adjacent_find(all.begin(), all.end()), all.end()) << "a claim was accepted twice";
  EXPECT_EQ(static_cast<std::int64_t>(all.size()) + errors.load(), 100000);
}

}  // namespace
}  // namespace splitcheck
