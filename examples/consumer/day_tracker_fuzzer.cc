// The tracker half of the gate: the Day tracker DailyEventSource uses, fuzzed
// (and run through RapidCheck by day_tracker_fuzz_test_contract). Day ranges
// and positions are read and generated like offsets, through the day number.
#include <utility>

#include "daily_events.h"
#include "rapidcheck.h"
#include "splitcheck/fuzz/tracker_fuzzer.h"
#include "splitcheck/lib/offset_range_tracker.h"

namespace {

using daily_events::Day;

Day ToDay(std::int64_t number) { return Day{number}; }
std::int64_t ToNumber(const Day& day) { return day.number; }

// A DailyEventSource always has a stop day: an unknown end becomes empty.
std::pair<Day, Day> Sized(std::pair<Day, Day> range) {
  if (range.second.number == splitcheck::kOffsetInfinity) range.second = range.first;
  return range;
}

splitcheck::fuzz::ByteDomain<Day> DayBytes() {
  auto days =
      splitcheck::fuzz::map_byte_domain<Day>(splitcheck::fuzz::offset_bytes(), ToDay, ToNumber);
  days.read_range = [read = days.read_range](auto& in) { return Sized(read(in)); };
  return days;
}

splitcheck::testkit::PositionDomain<Day> DayPositions() {
  auto days = splitcheck::testkit::map_position_domain<Day>(
      splitcheck::testkit::offset_positions(), "days", ToDay, ToNumber,
      [](const Day& p) { return "Day{" + std::to_string(p.number) + "}"; });
  days.ranges = [ranges = days.ranges] { return rc::gen::map(ranges(), Sized); };
  days.has_size = [](const Day&, const Day&) { return true; };
  return days;
}

}  // namespace

SPLITCHECK_TRACKER_FUZZER(Day, daily_events::MakeDayTracker, DayBytes(), DayPositions());
