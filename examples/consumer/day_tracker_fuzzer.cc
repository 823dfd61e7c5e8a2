// The tracker half of the gate: the Day tracker DailyEventSource uses, fuzzed
// (and run through RapidCheck by day_tracker_fuzz_test_contract). Day ranges
// and positions are read and generated like offsets; an unknown end becomes
// an empty range, as a DailyEventSource always has a stop day.
#include <utility>

#include "daily_events.h"
#include "rapidcheck.h"
#include "splitcheck/fuzz/tracker_fuzzer.h"
#include "splitcheck/lib/offset_range_tracker.h"

namespace {

using daily_events::Day;
using splitcheck::kOffsetInfinity;

std::pair<Day, Day> DayRange(std::pair<std::int64_t, std::int64_t> offsets) {
  if (offsets.second == kOffsetInfinity) offsets.second = offsets.first;
  return {Day{offsets.first}, Day{offsets.second}};
}

splitcheck::fuzz::ByteDomain<Day> DayBytes() {
  const auto offsets = splitcheck::fuzz::offset_bytes();
  return {
      [=](auto& in) { return DayRange(offsets.read_range(in)); },
      [=](auto& in, const Day& s, const Day& e) {
        return Day{offsets.read_position(in, s.number, e.number)};
      },
      [=](auto& out, const Day& s, const Day& e) { offsets.write_range(out, s.number, e.number); },
      [=](auto& out, const Day& p, const Day& s, const Day& e) {
        offsets.write_position(out, p.number, s.number, e.number);
      }};
}

splitcheck::testkit::PositionDomain<Day> DayPositions() {
  const auto offsets = splitcheck::testkit::offset_positions();
  splitcheck::testkit::PositionDomain<Day> days;
  days.name = "days";
  days.ranges = [=] { return rc::gen::map(offsets.ranges(), DayRange); };
  days.positions = [=](const Day& s, const Day& e) {
    return rc::gen::map(offsets.positions(s.number, e.number),
                        [](std::int64_t p) { return Day{p}; });
  };
  days.to_fraction = [=](const Day& p, const Day& s, const Day& e) {
    return offsets.to_fraction(p.number, s.number, e.number);
  };
  days.has_size = [](const Day&, const Day&) { return true; };
  days.before_stop = [](const Day& p, const Day& e) { return p < e; };
  days.literal = [](const Day& p) { return "Day{" + std::to_string(p.number) + "}"; };
  return days;
}

}  // namespace

SPLITCHECK_TRACKER_FUZZER(Day, daily_events::MakeDayTracker, DayBytes(), DayPositions());
