// daily_events' own tests: the format, the runner round trip, bad input.
#include "daily_events.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/error.h"
#include "splitcheck/lib/files/in_memory_file_system.h"
#include "splitcheck/lib/runner/local_runner.h"

namespace daily_events {
namespace {

using splitcheck::InMemoryFileSystem;
using splitcheck::InputError;
using splitcheck::LocalRunner;
using splitcheck::RunnerOptions;
using splitcheck::UsageError;
using ::testing::HasSubstr;

Day D(const char* text) { return *Day::parse(text); }

TEST(DayTest, ParsesAndPrintsCalendarDates) {
  EXPECT_EQ(D("1970-01-01").number, 0);
  EXPECT_EQ(D("1970-01-02").number, 1);
  EXPECT_EQ(D("1969-12-31").number, -1);
  EXPECT_EQ(D("2024-02-29").to_string(), "2024-02-29");
  EXPECT_EQ(D("0000-01-01").to_string(), "0000-01-01");
  EXPECT_EQ(D("9999-12-31").to_string(), "9999-12-31");
  for (const char* bad : {"2023-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "2026-01-01x",
                          "20260101", "2026/01/01", ""}) {
    EXPECT_EQ(Day::parse(bad), std::nullopt) << bad;
  }
  EXPECT_THROW(Day{D("9999-12-31").number + 1}.to_string(), UsageError);
}

template <typename T>
std::vector<T> sorted(std::vector<T> values) {
  std::sort(values.begin(), values.end());
  return values;
}

TEST(DailyEventsTest, ReadsTheDaysOfItsRangeWithManyWorkersAndSplits) {
  auto files = std::make_shared<InMemoryFileSystem>();
  std::vector<Event> expected;
  for (int i = 0; i < 60; ++i) {
    const Day day{D("2026-01-01").number + i};
    std::string text;
    for (int line = 0; line < i % 7; ++line) {
      text += "e" + std::to_string(line) + "\n";
      if (i >= 10 && i < 50) expected.push_back({day, "e" + std::to_string(line)});
    }
    files->set_contents("logs/" + day.to_string() + ".log", text);
  }
  files->set_contents("logs/README", "not a log");
  files->set_contents("logs/old/2025-01-01.log", "in a subdirectory: not read\n");
  for (int workers : {1, 2, 5}) {
    RunnerOptions options;
    options.num_workers = workers;
    options.desired_bundle_size = 10;
    const auto read = ReadDailyEvents(files, "logs", D("2026-01-11"), D("2026-02-20"));
    EXPECT_EQ(sorted(LocalRunner(options).run(read).records), sorted(expected)) << workers;
  }
}

TEST(DailyEventsTest, ExportsWhatItIsGiven) {
  auto files = std::make_shared<InMemoryFileSystem>();
  const std::vector<Event> events = {{D("2026-11-26"), "a\tb"}, {D("2026-11-27"), ""}};
  LocalRunner().run(WriteEventExport("out/x", {.file_system = files, .num_shards = 1}), events);
  EXPECT_EQ(files->contents("out/x-00000-of-00001.tsv"), "2026-11-26\ta\tb\n2026-11-27\t\n");
}

TEST(DailyEventsTest, BadInputIsNamed) {
  auto files = std::make_shared<InMemoryFileSystem>();
  EXPECT_THAT(
      [&] { ReadDailyEvents(files, "nowhere", D("2026-01-01"), D("2026-01-02")); },
      ::testing::ThrowsMessage<InputError>(HasSubstr("no YYYY-MM-DD.log file in \"nowhere\"")));
  files->set_contents("bad/2026-02-30.log", "x\n");
  EXPECT_THAT(
      [&] { ReadDailyEvents(files, "bad", D("2026-01-01"), D("2026-01-02")); },
      ::testing::ThrowsMessage<InputError>(HasSubstr("\"bad/2026-02-30.log\" is not named")));
  EXPECT_THAT(
      [&] { ReadDailyEvents(files, "bad", D("2026-01-02"), D("2026-01-01")); },
      ::testing::ThrowsMessage<UsageError>(HasSubstr("the first day comes after the stop")));

  files->set_contents("shrinks/2026-01-01.log", "one\ntwo\n");
  const auto read = ReadDailyEvents(files, "shrinks", D("2026-01-01"), D("2026-01-02"));
  files->set_contents("shrinks/2026-01-01.log", "one\n");
  EXPECT_THAT([&] { LocalRunner().run(read); },
              ::testing::ThrowsMessage<InputError>(HasSubstr("shrank from 8 to 4 bytes")));

  EXPECT_THAT(
      [&] {
        LocalRunner().run(WriteEventExport("out/y", {.file_system = files}),
                          {{D("2026-01-01"), "a\nb"}});
      },
      ::testing::ThrowsMessage<UsageError>(
          HasSubstr("event {2026-01-01, \"a\nb\"} has a newline")));
}

}  // namespace
}  // namespace daily_events
