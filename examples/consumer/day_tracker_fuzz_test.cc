// The tracker half of the gate: the Day tracker DailyEventSource uses, fuzzed
// sequentially and on three threads (two fuzz targets in one file), and run
// through RapidCheck by day_tracker_fuzz_test_contract. Day ranges
// and positions are read and generated like offsets, through the day number.
#include "daily_events.h"
#include "splitcheck/fuzz/tracker_fuzzer.h"

using daily_events::Day;

// splitcheck-glue: factory
static Day ToDay(std::int64_t number) { return Day{number}; }
static std::int64_t ToNumber(const Day& day) { return day.number; }

// A DailyEventSource always has a stop day: the finite offset domains.
static splitcheck::fuzz::ByteDomain<Day> DayBytes() {
  return splitcheck::fuzz::map_byte_domain<Day>(splitcheck::fuzz::finite_offset_bytes(), ToDay,
                                                ToNumber);
}

static splitcheck::testkit::PositionDomain<Day> DayPositions() {
  return splitcheck::testkit::map_position_domain<Day>(
      splitcheck::testkit::finite_offset_positions(), "days", ToDay, ToNumber,
      [](const Day& p) { return "Day{" + std::to_string(p.number) + "}"; });
}
// splitcheck-glue: end

SPLITCHECK_TRACKER_FUZZER(Day, daily_events::MakeDayTracker, DayBytes(), DayPositions());
SPLITCHECK_CONCURRENT_TRACKER_FUZZER(Day, daily_events::MakeDayTracker, DayBytes(), DayPositions());
