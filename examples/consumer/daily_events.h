// daily_events: a connector for an event log kept as one text file per day.
//
// This is the connector of examples/consumer, a repository of its own that
// uses splitcheck only through @splitcheck (see its WORKSPACE and BUILD). It
// is written the way an author outside splitcheck would write one.
//
// The store: a directory holding YYYY-MM-DD.log files, one event per line
// ('\n'-terminated; a last line without '\n' counts). Other files in the
// directory are ignored; a .log file whose name is not a valid date is an
// InputError naming it.
//
// ReadDailyEvents(file_system, directory, first, stop) reads the events of
// the days [first, stop) as Event{day, text}. Positions are Days; each day
// that has a file is a split point, so a reader can be split between any two
// days, while it reads. The files are listed and sized when the source is
// made: a file that shrinks afterwards is an InputError, growth is ignored.
//
// WriteEventExport(prefix, options) writes events as "YYYY-MM-DD\ttext" lines
// to shards (temporary files, shard names and idempotent finalize come from
// splitcheck's FileBasedSink). An event whose text holds a newline is a
// UsageError naming it: the line format could not hold it.

#ifndef DAILY_EVENTS_DAILY_EVENTS_H_
#define DAILY_EVENTS_DAILY_EVENTS_H_

#include <compare>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "splitcheck/lib/coders/coder.h"
#include "splitcheck/lib/files/file_system.h"
#include "splitcheck/lib/sinks/file_based_sink.h"
#include "splitcheck/lib/sinks/write.h"
#include "splitcheck/lib/sources/bounded_source.h"
#include "splitcheck/lib/sources/read.h"

namespace daily_events {

// A calendar day: days since 1970-01-01 (proleptic Gregorian).
struct Day {
  std::int64_t number = 0;

  // "YYYY-MM-DD" for a valid date in years 0000-9999, else nothing.
  static std::optional<Day> parse(std::string_view text);
  // "YYYY-MM-DD"; UsageError outside years 0000-9999.
  std::string to_string() const;

  friend auto operator<=>(const Day&, const Day&) = default;
};

// YYYY-MM-DD, or "day N" outside years 0000-9999.
std::ostream& operator<<(std::ostream& out, const Day& day);

}  // namespace daily_events

// Positions travel to workers inside bundles, so they need a coder.
template <>
struct splitcheck::Coder<daily_events::Day> {
  static void encode(const daily_events::Day& day, ByteWriter& out) { out.put_signed(day.number); }
  static daily_events::Day decode(ByteReader& in) { return {in.get_signed("day")}; }
};

namespace daily_events {

struct Event {
  Day day;
  std::string text;

  friend auto operator<=>(const Event&, const Event&) = default;
};

std::ostream& operator<<(std::ostream& out, const Event& event);

}  // namespace daily_events

// Events travel from worker processes to the runner as bytes.
template <>
struct splitcheck::Coder<daily_events::Event> {
  static void encode(const daily_events::Event& event, ByteWriter& out) {
    encode_value(event.day, out);
    out.put_string(event.text);
  }
  static daily_events::Event decode(ByteReader& in) {
    daily_events::Event event;
    event.day = decode_value<daily_events::Day>(in);
    event.text = in.get_string("text");
    return event;
  }
};

namespace daily_events {

class DailyEventSource final : public splitcheck::BoundedSource<Event, Day> {
 public:
  // Lists `directory` now. UsageError if first > stop.
  DailyEventSource(std::shared_ptr<splitcheck::FileSystem> file_system, std::string directory,
                   Day first, Day stop);

  std::int64_t estimate_size() const override;
  std::vector<splitcheck::SourceBundle<Event, Day>> split(std::int64_t desired_bundle_size,
                                                          std::optional<Day> start,
                                                          std::optional<Day> stop) const override;
  std::unique_ptr<splitcheck::RangeTracker<Day>> get_range_tracker(
      std::optional<Day> start, std::optional<Day> stop) const override;
  splitcheck::Generator<Event> read(splitcheck::RangeTracker<Day>& tracker) const override;
  std::string debug_string() const override;

  // Serializable: the directory, the range and the files as listed (a
  // worker reads the days this source listed); the decoder reads them on
  // this source's file system.
  void encode(splitcheck::ByteWriter& out) const override;
  splitcheck::SourceDecoder<Event, Day> decoder() const override;

 private:
  DailyEventSource(std::shared_ptr<splitcheck::FileSystem> file_system, std::string directory,
                   Day first, Day stop, std::map<Day, splitcheck::FileMetadata> files);

  std::pair<Day, Day> range(std::optional<Day> start, std::optional<Day> stop) const;

  std::shared_ptr<splitcheck::FileSystem> file_system_;
  std::string directory_;
  Day first_;
  Day stop_;
  std::map<Day, splitcheck::FileMetadata> files_;  // the days of [first_, stop_) with a file
};

// The tracker DailyEventSource uses: an OrderedPositionRangeTracker over
// [start, stop) whose fractions are linear in days. Exposed so that it can
// be fuzzed on its own.
std::unique_ptr<splitcheck::RangeTracker<Day>> MakeDayTracker(Day start, Day stop);

splitcheck::Read<Event, Day> ReadDailyEvents(std::shared_ptr<splitcheck::FileSystem> file_system,
                                             std::string directory, Day first, Day stop);

struct ExportOptions {
  std::shared_ptr<splitcheck::FileSystem> file_system;  // null: the local disk
  int num_shards = 0;                                   // 0: the runner chooses
  std::string file_name_suffix = ".tsv";
};

class EventExportSink final : public splitcheck::FileBasedSink<Event> {
 public:
  EventExportSink(std::string prefix, const ExportOptions& options);

  // Serializable: the prefix and the options but the file system, which the
  // decoder carries.
  void encode(splitcheck::ByteWriter& out) const override;
  splitcheck::SinkDecoder<Event> decoder() const override;

 protected:
  void write_record(splitcheck::WritableFile& file, const Event& event) const override;
};

splitcheck::Write<Event> WriteEventExport(std::string prefix, const ExportOptions& options = {});

}  // namespace daily_events

#endif  // DAILY_EVENTS_DAILY_EVENTS_H_
