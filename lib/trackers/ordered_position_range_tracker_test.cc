#include "splitcheck/lib/trackers/ordered_position_range_tracker.h"

#include <cmath>
#include <cstdint>
#include <ostream>
#include <type_traits>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/testkit/error_matchers.h"

namespace splitcheck {
namespace {

using ::testing::HasSubstr;
using ::testing::Optional;
using testkit::UsageErrorOf;

// A user's position type: a timestamp in milliseconds.
struct Timestamp {
  std::int64_t millis = 0;
  friend auto operator<=>(const Timestamp&, const Timestamp&) = default;
  friend std::ostream& operator<<(std::ostream& os, const Timestamp& t) {
    return os << "t=" << t.millis << "ms";
  }
};

PositionMapping<Timestamp> linear_mapping() {
  return {
      [](const Timestamp& p, const Timestamp& start, const Timestamp& stop) {
        return static_cast<double>(p.millis - start.millis) /
               static_cast<double>(stop.millis - start.millis);
      },
      [](double f, const Timestamp& start, const Timestamp& stop) {
        return Timestamp{start.millis + static_cast<std::int64_t>(std::ceil(
                                            f * static_cast<double>(stop.millis - start.millis)))};
      },
  };
}

TEST(OrderedPositionRangeTrackerTest, FollowsTheTrackerContract) {
  OrderedPositionRangeTracker<Timestamp> tracker({1000}, {2000}, linear_mapping());
  EXPECT_EQ(tracker.debug_string(), "OrderedPositionRangeTracker[t=1000ms, t=2000ms)");
  EXPECT_TRUE(tracker.try_claim({1000}));
  EXPECT_TRUE(tracker.try_claim({1250}));
  EXPECT_DOUBLE_EQ(tracker.fraction_consumed(), 0.25);
  EXPECT_EQ(tracker.position_at_fraction(0.5), Timestamp{1500});
  EXPECT_THAT(tracker.try_split({1500}), Optional(SplitResult<Timestamp>{{1500}, 0.5}));
  EXPECT_THAT(UsageErrorOf([&] { tracker.try_claim({1200}); }),
              HasSubstr("cannot claim t=1200ms after t=1250ms: claims must increase"));
  EXPECT_FALSE(tracker.try_claim({1500}));
  EXPECT_DOUBLE_EQ(tracker.fraction_consumed(), 1.0);
}

TEST(OrderedPositionRangeTrackerTest, UnstartedSplitIsAccepted) {
  OrderedPositionRangeTracker<Timestamp> tracker({0}, {100}, linear_mapping());
  EXPECT_THAT(tracker.try_split({40}), Optional(SplitResult<Timestamp>{{40}, 0.4}));
  EXPECT_EQ(tracker.try_split({0}), std::nullopt);
}

TEST(OrderedPositionRangeTrackerTest, MissingMappingIsAUsageError) {
  EXPECT_THAT(UsageErrorOf([] {
                OrderedPositionRangeTracker<Timestamp>({0}, {100}, PositionMapping<Timestamp>{});
              }),
              HasSubstr("needs both to_fraction and from_fraction"));
}

TEST(OrderedPositionRangeTrackerTest, StartAfterStopIsAUsageError) {
  EXPECT_THAT(
      UsageErrorOf([] { OrderedPositionRangeTracker<Timestamp>({100}, {0}, linear_mapping()); }),
      HasSubstr("[t=100ms, t=0ms): the start must not be after the stop"));
}

TEST(OrderedPositionRangeTrackerTest, MappingOutsideTheRangeIsAUsageError) {
  PositionMapping<Timestamp> broken = linear_mapping();
  broken.from_fraction = [](double, const Timestamp&, const Timestamp& stop) {
    return Timestamp{stop.millis + 1};
  };
  OrderedPositionRangeTracker<Timestamp> tracker({0}, {100}, broken);
  EXPECT_THAT(UsageErrorOf([&] { tracker.position_at_fraction(0.5); }),
              HasSubstr("the position mapping returned t=101ms for fraction 0.5, outside the "
                        "range"));
}

TEST(OrderedPositionRangeTrackerTest, SplitFractionOutsideZeroOneIsAUsageError) {
  PositionMapping<Timestamp> broken = linear_mapping();
  broken.to_fraction = [](const Timestamp&, const Timestamp&, const Timestamp&) { return 1.5; };
  OrderedPositionRangeTracker<Timestamp> tracker({0}, {100}, broken);
  EXPECT_THAT(UsageErrorOf([&] { tracker.try_split({50}); }),
              HasSubstr("returned fraction 1.5 for split position t=50ms, outside [0, 1]"));
  EXPECT_EQ(tracker.stop_position(), Timestamp{100});
}

TEST(OrderedPositionRangeTrackerTest, NanProgressIsAUsageError) {
  PositionMapping<Timestamp> broken = linear_mapping();
  broken.to_fraction = [](const Timestamp&, const Timestamp&, const Timestamp&) {
    return std::nan("");
  };
  OrderedPositionRangeTracker<Timestamp> tracker({0}, {100}, broken);
  ASSERT_TRUE(tracker.try_claim({10}));
  EXPECT_THAT(UsageErrorOf([&] { tracker.fraction_consumed(); }),
              HasSubstr("the position mapping returned NaN for t=10ms"));
}

// A position type without operator<< is still usable; messages show its
// bytes.
struct Opaque {
  int value = 0;
  friend auto operator<=>(const Opaque&, const Opaque&) = default;
};

TEST(OrderedPositionRangeTrackerTest, PositionsWithoutStreamingAreDescribedGenerically) {
  PositionMapping<Opaque> mapping{
      [](const Opaque& p, const Opaque& s, const Opaque& e) {
        return static_cast<double>(p.value - s.value) / (e.value - s.value);
      },
      [](double f, const Opaque& s, const Opaque& e) {
        return Opaque{s.value + static_cast<int>(f * (e.value - s.value))};
      },
  };
  OrderedPositionRangeTracker<Opaque> tracker({0}, {10}, mapping);
  EXPECT_EQ(tracker.debug_string(),
            "OrderedPositionRangeTracker[<4 bytes: 00000000>, <4 bytes: 0a000000>)");
}

// A position whose operator<< asks a tracker for its range: messages are
// built from user code and must be built with the tracker's lock released.
struct Reentrant {
  int value = 0;
  friend auto operator<=>(const Reentrant&, const Reentrant&) = default;
  static inline const RangeTracker<Reentrant>* tracker = nullptr;
  friend std::ostream& operator<<(std::ostream& os, const Reentrant& p) {
    if (tracker != nullptr) tracker->stop_position();
    return os << "r" << p.value;
  }
};

TEST(OrderedPositionRangeTrackerTest, MessagesAreBuiltWithoutTheLockHeld) {
  PositionMapping<Reentrant> mapping{
      [](const Reentrant& p, const Reentrant& s, const Reentrant& e) {
        return static_cast<double>(p.value - s.value) / (e.value - s.value);
      },
      [](double f, const Reentrant& s, const Reentrant& e) {
        return Reentrant{s.value + static_cast<int>(f * (e.value - s.value))};
      },
  };
  OrderedPositionRangeTracker<Reentrant> tracker({0}, {10}, mapping);
  Reentrant::tracker = &tracker;
  ASSERT_TRUE(tracker.try_claim({3}));
  EXPECT_THAT(UsageErrorOf([&] { tracker.try_claim({3}); }), HasSubstr("cannot claim r3 twice"));
  EXPECT_THAT(UsageErrorOf([&] { tracker.try_claim({1}); }), HasSubstr("cannot claim r1 after r3"));
  EXPECT_THAT(UsageErrorOf([&] { tracker.set_current_position({2}); }),
              HasSubstr("set_current_position(r2) moves backwards from r3"));
  EXPECT_EQ(tracker.debug_string(), "OrderedPositionRangeTracker[r0, r10)");
  Reentrant::tracker = nullptr;
}

// Comparing and copying a user's position is user code: such trackers lock a
// std::mutex, and only built-in arithmetic positions the spin lock.
static_assert(std::is_same_v<internal::DomainMutex<internal::OrderedDomain<Timestamp>>::type,
                             internal::Mutex>);
static_assert(std::is_same_v<internal::DomainMutex<internal::OrderedDomain<double>>::type,
                             internal::SpinMutex>);

}  // namespace
}  // namespace splitcheck
