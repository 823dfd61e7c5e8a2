#include "daily_events.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <utility>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/files/compression.h"
#include "splitcheck/lib/trackers/ordered_position_range_tracker.h"

namespace daily_events {
namespace {

using splitcheck::InputError;
using splitcheck::UsageError;

constexpr std::string_view kExtension = ".log";

std::int64_t days_since_epoch(int year, unsigned month, unsigned day) {
  const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{month},
                                         std::chrono::day{day}};
  return std::chrono::sys_days(date).time_since_epoch().count();
}

const std::int64_t kFirstWritableDay = days_since_epoch(0, 1, 1);
const std::int64_t kLastWritableDay = days_since_epoch(9999, 12, 31);

bool writable(const Day& day) {
  return day.number >= kFirstWritableDay && day.number <= kLastWritableDay;
}

std::string quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

// Fractions linear in days, computed in long double so that no difference of
// two int64 day numbers can overflow.
const splitcheck::PositionMapping<Day>& day_mapping() {
  static const splitcheck::PositionMapping<Day> mapping{
      [](const Day& position, const Day& start, const Day& stop) {
        if (stop == start) return position > start ? 1.0 : 0.0;
        return static_cast<double>((static_cast<long double>(position.number) - start.number) /
                                   (static_cast<long double>(stop.number) - start.number));
      },
      [](double fraction, const Day& start, const Day& stop) {
        const long double width = static_cast<long double>(stop.number) - start.number;
        const long double offset = std::ceil(fraction * width);
        if (offset >= width) return stop;
        return Day{start.number + static_cast<std::int64_t>(offset)};
      }};
  return mapping;
}

}  // namespace

std::optional<Day> Day::parse(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int fields[3] = {0, 0, 0};
  const std::pair<int, int> spans[3] = {{0, 4}, {5, 7}, {8, 10}};
  for (int f = 0; f < 3; ++f) {
    for (int i = spans[f].first; i < spans[f].second; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      fields[f] = fields[f] * 10 + (text[i] - '0');
    }
  }
  const std::chrono::year_month_day date{std::chrono::year{fields[0]},
                                         std::chrono::month{static_cast<unsigned>(fields[1])},
                                         std::chrono::day{static_cast<unsigned>(fields[2])}};
  if (!date.ok()) return std::nullopt;
  return Day{std::chrono::sys_days(date).time_since_epoch().count()};
}

std::string Day::to_string() const {
  if (!writable(*this)) {
    throw UsageError("day " + std::to_string(number) + " is outside the years 0000-9999");
  }
  const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{number}}};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

std::ostream& operator<<(std::ostream& out, const Day& day) {
  if (writable(day)) return out << day.to_string();
  return out << "day " << day.number;
}

std::ostream& operator<<(std::ostream& out, const Event& event) {
  return out << "{" << event.day << ", " << quoted(event.text) << "}";
}

DailyEventSource::DailyEventSource(std::shared_ptr<splitcheck::FileSystem> file_system,
                                   std::string directory, Day first, Day stop)
    : file_system_(std::move(file_system)),
      directory_(std::move(directory)),
      first_(first),
      stop_(stop) {
  if (file_system_ == nullptr) throw UsageError("ReadDailyEvents: the file system is null");
  if (stop_ < first_) {
    std::ostringstream message;
    message << debug_string() << ": the first day comes after the stop";
    throw UsageError(message.str());
  }
  bool any_log = false;
  for (const splitcheck::FileMetadata& file : file_system_->list(directory_)) {
    const std::string_view name = std::string_view(file.path).substr(directory_.size() + 1);
    if (name.find('/') != std::string_view::npos || !name.ends_with(kExtension)) continue;
    any_log = true;
    const auto day = Day::parse(name.substr(0, name.size() - kExtension.size()));
    if (!day) {
      throw InputError("ReadDailyEvents: " + quoted(file.path) +
                       " is not named YYYY-MM-DD.log with a valid date");
    }
    if (first_ <= *day && *day < stop_) files_.emplace(*day, file);
  }
  if (!any_log) {
    throw InputError("ReadDailyEvents: no YYYY-MM-DD.log file in " + quoted(directory_) +
                     " (a missing directory lists nothing)");
  }
}

DailyEventSource::DailyEventSource(std::shared_ptr<splitcheck::FileSystem> file_system,
                                   std::string directory, Day first, Day stop,
                                   std::map<Day, splitcheck::FileMetadata> files)
    : file_system_(std::move(file_system)),
      directory_(std::move(directory)),
      first_(first),
      stop_(stop),
      files_(std::move(files)) {}

void DailyEventSource::encode(splitcheck::ByteWriter& out) const {
  out.put_string("DailyEventSource");
  out.put_string(directory_);
  splitcheck::encode_value(first_, out);
  splitcheck::encode_value(stop_, out);
  out.put_varint(files_.size());
  for (const auto& [day, file] : files_) {
    splitcheck::encode_value(day, out);
    out.put_string(file.path);
    out.put_signed(file.size_bytes);
  }
}

splitcheck::SourceDecoder<Event, Day> DailyEventSource::decoder() const {
  return [fs = file_system_](splitcheck::ByteReader& in)
             -> std::shared_ptr<const splitcheck::BoundedSource<Event, Day>> {
    in.expect_tag("DailyEventSource");
    std::string directory = in.get_string("directory");
    const Day first = splitcheck::decode_value<Day>(in);
    std::size_t at = in.offset();
    const Day stop = splitcheck::decode_value<Day>(in);
    if (stop < first) in.fail(at, "stop", "before the first day");
    const std::size_t count = in.get_length("file count", 3);
    std::map<Day, splitcheck::FileMetadata> files;
    for (std::size_t i = 0; i < count; ++i) {
      at = in.offset();
      const Day day = splitcheck::decode_value<Day>(in);
      // encode() writes the days in order, each once.
      if (day < first || !(day < stop) || (!files.empty() && !(files.rbegin()->first < day))) {
        in.fail(at, "day", "outside the range, or not after the one before");
      }
      splitcheck::FileMetadata file;
      file.path = in.get_string("path");
      at = in.offset();
      file.size_bytes = in.get_signed("size");
      if (file.size_bytes < 0) in.fail(at, "size", "negative");
      files.emplace(day, std::move(file));
    }
    return std::shared_ptr<const DailyEventSource>(
        new DailyEventSource(fs, std::move(directory), first, stop, std::move(files)));
  };
}

std::int64_t DailyEventSource::estimate_size() const {
  std::int64_t total = 0;
  for (const auto& [day, file] : files_) total += file.size_bytes;
  return total;
}

std::vector<splitcheck::SourceBundle<Event, Day>> DailyEventSource::split(
    std::int64_t desired_bundle_size, std::optional<Day> start, std::optional<Day> stop) const {
  if (desired_bundle_size <= 0) {
    throw UsageError(debug_string() + ": split(" + std::to_string(desired_bundle_size) +
                     "): the desired bundle size must be positive");
  }
  const auto [first, last] = range(start, stop);
  std::vector<splitcheck::SourceBundle<Event, Day>> bundles;
  if (first == last) return bundles;
  Day bundle_start = first;
  std::int64_t bytes = 0;
  for (auto it = files_.lower_bound(first); it != files_.end() && it->first < last; ++it) {
    bytes += it->second.size_bytes;
    const Day next{it->first.number + 1};
    if (bytes >= desired_bundle_size && next < last) {
      bundles.push_back({static_cast<double>(bytes), self(), bundle_start, next});
      bundle_start = next;
      bytes = 0;
    }
  }
  bundles.push_back({static_cast<double>(bytes), self(), bundle_start, last});
  return bundles;
}

std::unique_ptr<splitcheck::RangeTracker<Day>> DailyEventSource::get_range_tracker(
    std::optional<Day> start, std::optional<Day> stop) const {
  const auto [first, last] = range(start, stop);
  return MakeDayTracker(first, last);
}

splitcheck::Generator<Event> DailyEventSource::read(splitcheck::RangeTracker<Day>& tracker) const {
  for (auto it = files_.lower_bound(tracker.start_position()); it != files_.end(); ++it) {
    // Every day with a file is a split point: claim it before its events.
    if (!tracker.try_claim(it->first)) co_return;
    const splitcheck::FileMetadata& file = it->second;
    std::string bytes = file_system_->read_all(file.path);
    if (bytes.size() < static_cast<std::size_t>(file.size_bytes)) {
      throw InputError("ReadDailyEvents: " + quoted(file.path) + " shrank from " +
                       std::to_string(file.size_bytes) + " to " + std::to_string(bytes.size()) +
                       " bytes after it was listed");
    }
    bytes.resize(file.size_bytes);  // what was appended since is not read
    for (std::size_t begin = 0; begin < bytes.size();) {
      std::size_t end = bytes.find('\n', begin);
      if (end == std::string::npos) end = bytes.size();
      // A named event, not a temporary in the co_yield: GCC 12 destroys
      // some temporaries of a co_yield expression twice.
      Event event{it->first, bytes.substr(begin, end - begin)};
      co_yield std::move(event);
      begin = end + 1;
    }
  }
}

std::string DailyEventSource::debug_string() const {
  std::ostringstream out;
  out << "DailyEventSource(" << quoted(directory_) << ", [" << first_ << ", " << stop_ << "))";
  return out.str();
}

std::pair<Day, Day> DailyEventSource::range(std::optional<Day> start,
                                            std::optional<Day> stop) const {
  const Day first = start.value_or(first_);
  const Day last = stop.value_or(stop_);
  if (first < first_ || last < first || stop_ < last) {
    std::ostringstream message;
    message << debug_string() << ": [" << first << ", " << last << ") is not a range of it";
    throw UsageError(message.str());
  }
  return {first, last};
}

std::unique_ptr<splitcheck::RangeTracker<Day>> MakeDayTracker(Day start, Day stop) {
  return std::make_unique<splitcheck::OrderedPositionRangeTracker<Day>>(start, stop, day_mapping());
}

splitcheck::Read<Event, Day> ReadDailyEvents(std::shared_ptr<splitcheck::FileSystem> file_system,
                                             std::string directory, Day first, Day stop) {
  return splitcheck::Read(std::make_shared<const DailyEventSource>(
      std::move(file_system), std::move(directory), first, stop));
}

EventExportSink::EventExportSink(std::string prefix, const ExportOptions& options)
    : FileBasedSink(std::move(prefix), [&] {
        splitcheck::FileBasedSinkOptions files;
        files.file_system = options.file_system;
        files.num_shards = options.num_shards;
        files.file_name_suffix = options.file_name_suffix;
        return files;
      }()) {}

void EventExportSink::encode(splitcheck::ByteWriter& out) const {
  out.put_string("EventExportSink");
  encode_base(out);
}

splitcheck::SinkDecoder<Event> EventExportSink::decoder() const {
  return [fs = file_options().file_system](
             splitcheck::ByteReader& in) -> std::shared_ptr<const splitcheck::Sink<Event>> {
    in.expect_tag("EventExportSink");
    const std::size_t at = in.offset();
    DecodedBase base = decode_base(in);
    // What ExportOptions cannot set must be as the constructor sets it.
    const splitcheck::FileBasedSinkOptions defaults;
    const splitcheck::FileBasedSinkOptions& got = base.options;
    if (got.shard_name_template != defaults.shard_name_template || got.header || got.footer ||
        got.compression !=
            splitcheck::resolve_compression(splitcheck::Compression::kAuto, got.file_name_suffix) ||
        got.max_records_per_shard != 0 || got.max_bytes_per_shard != 0 || got.skip_if_empty ||
        base.has_shard_format) {
      in.fail(at, "file options", "not those of an EventExportSink");
    }
    ExportOptions options;
    options.file_system = fs;
    options.num_shards = got.num_shards;
    options.file_name_suffix = got.file_name_suffix;
    try {
      return std::make_shared<const EventExportSink>(std::move(base.path_prefix), options);
    } catch (const splitcheck::UsageError& e) {
      in.fail(at, "file options", e.what());
    }
  };
}

void EventExportSink::write_record(splitcheck::WritableFile& file, const Event& event) const {
  if (event.text.find('\n') != std::string::npos) {
    std::ostringstream message;
    message << "WriteEventExport: event " << event
            << " has a newline in its text, which one line cannot hold";
    throw UsageError(message.str());
  }
  file.append(event.day.to_string() + "\t" + event.text + "\n");
}

splitcheck::Write<Event> WriteEventExport(std::string prefix, const ExportOptions& options) {
  return splitcheck::Write(std::make_shared<const EventExportSink>(std::move(prefix), options));
}

}  // namespace daily_events
