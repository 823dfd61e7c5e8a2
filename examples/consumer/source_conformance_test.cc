// The source half of the gate: DailyEventSource through every source check.
// (Between the splitcheck-glue markers: the factory, which is the connector's
// test data; everything else is glue, counted by tools/count_glue.sh.)
#include "daily_events.h"
#include "splitcheck/lib/files/in_memory_file_system.h"
#include "splitcheck/testkit/gtest.h"

namespace daily_events {

// splitcheck-glue: factory
// Three weeks of logs with gaps, an empty day and a day without a final newline.
std::shared_ptr<DailyEventSource> MakeSource() {
  auto files = std::make_shared<splitcheck::InMemoryFileSystem>();
  const Day first = *Day::parse("2026-11-01");
  for (int i = 0; i < 21; ++i) {
    if (i % 4 == 3) continue;
    std::string text;
    for (int line = 0; line < i % 5; ++line) text += "event " + std::to_string(line) + "\n";
    if (i == 10) text += "no newline";
    files->set_contents("logs/" + Day{first.number + i}.to_string() + ".log", text);
  }
  return std::make_shared<DailyEventSource>(files, "logs", first, Day{first.number + 21});
}
// splitcheck-glue: end

// Default options: every check, the schedules' seed fixed.
SPLITCHECK_SOURCE_CONFORMANCE_TEST(DailyEventSource, MakeSource);

}  // namespace daily_events
