// The sink half of the gate: EventExportSink through every sink check.
#include "daily_events.h"
#include "splitcheck/testkit/gtest.h"

namespace daily_events {

// splitcheck-glue: factory
splitcheck::testkit::SinkUnderTest<Event> MakeSinkUnderTest() {
  using splitcheck::testkit::SinkEnvironment;
  splitcheck::testkit::SinkUnderTest<Event> sut;
  sut.make_sink = [](const SinkEnvironment& env, const std::string& destination) {
    return std::make_shared<const EventExportSink>(
        destination, ExportOptions{.file_system = env.file_system, .num_shards = 3});
  };
  sut.read_back = [](const SinkEnvironment& env, const std::string& destination) {
    std::vector<Event> events;  // "YYYY-MM-DD\ttext" lines, in shard order
    for (const std::string& line : splitcheck::testkit::committed_lines(env, destination + "-*")) {
      events.push_back({*Day::parse(line.substr(0, 10)), line.substr(11)});
    }
    return events;
  };
  for (int i = 0; i < 24; ++i) sut.records.push_back({Day{20000 + i / 3}, std::to_string(i)});
  return sut;
}
// splitcheck-glue: end

SPLITCHECK_SINK_CONFORMANCE_TEST(EventExportSink, MakeSinkUnderTest);

}  // namespace daily_events
