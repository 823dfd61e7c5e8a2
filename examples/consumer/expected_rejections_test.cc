// This repository's own zoo: broken variants of its connectors, kept as
// regressions of the gate. Each line below is a test that stays green while
// the named check rejects the variant, and turns red if the check ever lets
// it through. A variant is a function here, not a library of its own.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "daily_events.h"
#include "splitcheck/lib/files/in_memory_file_system.h"
#include "splitcheck/testkit/gtest.h"

namespace daily_events {
namespace {

using splitcheck::testkit::SinkEnvironment;

// DailyEventSource whose split() forgets its last bundle.
class DropsLastBundle final : public splitcheck::BoundedSource<Event, Day> {
 public:
  explicit DropsLastBundle(std::shared_ptr<const DailyEventSource> inner) : inner_(inner) {}
  std::int64_t estimate_size() const override { return inner_->estimate_size(); }
  std::vector<Bundle> split(std::int64_t size, std::optional<Day> start,
                            std::optional<Day> stop) const override {
    std::vector<Bundle> bundles = inner_->split(size, start, stop);
    if (bundles.size() > 1) bundles.pop_back();
    return bundles;
  }
  std::unique_ptr<splitcheck::RangeTracker<Day>> get_range_tracker(
      std::optional<Day> start, std::optional<Day> stop) const override {
    return inner_->get_range_tracker(start, stop);
  }
  splitcheck::Generator<Event> read(splitcheck::RangeTracker<Day>& tracker) const override {
    return inner_->read(tracker);
  }

 private:
  std::shared_ptr<const DailyEventSource> inner_;
};

std::shared_ptr<DropsLastBundle> MakeDropsLastBundle() {
  auto files = std::make_shared<splitcheck::InMemoryFileSystem>();
  const Day first = *Day::parse("2026-11-01");
  for (int i = 0; i < 10; ++i)
    files->set_contents("logs/" + Day{first.number + i}.to_string() + ".log", "a\nb\n");
  return std::make_shared<DropsLastBundle>(
      std::make_shared<DailyEventSource>(files, "logs", first, Day{first.number + 10}));
}

// An export sink that writes every event twice.
class WritesTwice final : public splitcheck::FileBasedSink<Event> {
 public:
  WritesTwice(std::string prefix, std::shared_ptr<splitcheck::FileSystem> files)
      : FileBasedSink(std::move(prefix), {.file_system = files, .file_name_suffix = ".tsv"}) {}

 protected:
  void write_record(splitcheck::WritableFile& file, const Event& event) const override {
    const std::string line = event.day.to_string() + "\t" + event.text + "\n";
    file.append(line + line);
  }
};

splitcheck::testkit::SinkUnderTest<Event> MakeWritesTwice() {
  splitcheck::testkit::SinkUnderTest<Event> sut;
  sut.make_sink = [](const SinkEnvironment& env, const std::string& destination) {
    return std::make_shared<const WritesTwice>(destination, env.file_system);
  };
  sut.read_back = [](const SinkEnvironment& env, const std::string& destination) {
    std::vector<Event> events;
    for (const std::string& line : splitcheck::testkit::committed_lines(env, destination + "-*"))
      events.push_back({*Day::parse(line.substr(0, 10)), line.substr(11)});
    return events;
  };
  for (int i = 0; i < 6; ++i) sut.records.push_back({Day{20000 + i}, std::to_string(i)});
  return sut;
}

SPLITCHECK_SOURCE_REJECTION_TEST(DropsLastBundle, ReferenceEquality, MakeDropsLastBundle);
SPLITCHECK_SINK_REJECTION_TEST(WritesTwice, FinalizeIdempotence, MakeWritesTwice);

}  // namespace
}  // namespace daily_events
