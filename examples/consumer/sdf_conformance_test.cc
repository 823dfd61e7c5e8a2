// The SDF half of the gate: DailyEventSource read as a splittable DoFn
// through splitcheck's BoundedSourceDoFn (as Beam runs a source as an SDF),
// through every SDF check. (Between the splitcheck-glue markers: the
// factory, the connector's test data; the rest is glue.)
#include "daily_events.h"
#include "splitcheck/lib/files/in_memory_file_system.h"
#include "splitcheck/testkit/sdf_gtest.h"

namespace daily_events {

// splitcheck-glue: factory
// Two sources: ten days with gaps and a day without a final newline, and an
// empty range.
std::vector<std::shared_ptr<const splitcheck::BoundedSource<Event, Day>>> MakeSources() {
  auto files = std::make_shared<splitcheck::InMemoryFileSystem>();
  const Day first = *Day::parse("2026-12-01");
  for (int i = 0; i < 10; ++i) {
    if (i % 3 == 2) continue;
    std::string text;
    for (int line = 0; line <= i % 4; ++line) text += "sdf event " + std::to_string(line) + "\n";
    if (i == 4) text += "last line";
    files->set_contents("logs/" + Day{first.number + i}.to_string() + ".log", text);
  }
  return {std::make_shared<DailyEventSource>(files, "logs", first, Day{first.number + 10}),
          std::make_shared<DailyEventSource>(files, "logs", first, first)};
}
// splitcheck-glue: end

splitcheck::BoundedSourceDoFn<Event, Day> MakeDoFn() { return {}; }
SPLITCHECK_SDF_CONFORMANCE_TEST(DailyEventsAsSdf, MakeDoFn, MakeSources);

}  // namespace daily_events
