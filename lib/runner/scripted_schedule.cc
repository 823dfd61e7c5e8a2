#include "splitcheck/lib/runner/scripted_schedule.h"

#include <utility>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/describe.h"

namespace splitcheck {
namespace {

void check_event(const std::string& what, int attempt, std::int64_t after_records) {
  if (attempt < 1) {
    throw UsageError("ScriptedSchedule: " + what + ": attempts are numbered from 1, got " +
                     std::to_string(attempt));
  }
  if (after_records < 0) {
    throw UsageError("ScriptedSchedule: " + what + ": a record count must not be negative, got " +
                     std::to_string(after_records));
  }
}

}  // namespace

ScriptedSchedule::ScriptedSchedule(std::vector<ScheduledSplit> splits,
                                   std::vector<ScheduledFailure> failures)
    : splits_(std::move(splits)), failures_(std::move(failures)) {
  for (const ScheduledSplit& s : splits_) {
    const std::string what = "split of bundle " + s.bundle_id;
    check_event(what, s.attempt, s.after_records);
    if (!(s.fraction > 0.0 && s.fraction < 1.0)) {
      throw UsageError("ScriptedSchedule: " + what + ": the fraction of the remainder must be in " +
                       "(0, 1), got " + internal::describe_double(s.fraction));
    }
    split_at_[Key{s.bundle_id, s.attempt, s.after_records}] = s.fraction;
  }
  for (const ScheduledFailure& f : failures_) {
    check_event("failure of bundle " + f.bundle_id, f.attempt, f.after_records);
    fail_at_.insert(Key{f.bundle_id, f.attempt, f.after_records});
  }
}

std::optional<double> ScriptedSchedule::split_after(const ReadProgress& progress) const {
  const auto it =
      split_at_.find(Key{std::string(progress.bundle_id), progress.attempt, progress.records_read});
  if (it == split_at_.end()) return std::nullopt;
  return it->second;
}

bool ScriptedSchedule::fail_after(const ReadProgress& progress) const {
  return fail_at_.count(
             Key{std::string(progress.bundle_id), progress.attempt, progress.records_read}) > 0;
}

std::string ScriptedSchedule::to_string() const {
  std::string out;
  for (const ScheduledSplit& s : splits_) {
    out += "split " + s.bundle_id + " attempt " + std::to_string(s.attempt) + " after " +
           std::to_string(s.after_records) + " records at " +
           internal::describe_double(s.fraction) + "\n";
  }
  for (const ScheduledFailure& f : failures_) {
    out += "fail " + f.bundle_id + " attempt " + std::to_string(f.attempt) + " after " +
           std::to_string(f.after_records) + " records\n";
  }
  return out;
}

}  // namespace splitcheck
