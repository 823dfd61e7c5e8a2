#include "splitcheck/lib/runner/write_checkpoint.h"

#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/mutex.h"
#include "splitcheck/lib/internal/thread_annotations.h"

namespace splitcheck {

std::string WriteProgress::describe() const {
  std::int64_t done = 0;
  for (const auto& r : results) done += r.has_value() ? 1 : 0;
  std::string out = init_result ? "initialized" : "not initialized";
  if (bundles > 0) {
    out += ", " + std::to_string(done) + " of " + std::to_string(bundles) + " bundle results";
  }
  out += finalize_attempts == 0 ? ", finalize not attempted"
         : finalize_attempts == 1
             ? ", finalize attempted once"
             : ", finalize attempted " + std::to_string(finalize_attempts) + " times";
  out += outputs ? ", committed" : aborted ? ", given up" : ", not committed";
  return out;
}

struct WriteCheckpoint::State {
  mutable internal::Mutex mu;
  WriteProgress progress SPLITCHECK_GUARDED_BY(mu);
};

WriteCheckpoint::WriteCheckpoint(WriteProgress progress) : state_(std::make_unique<State>()) {
  if (progress.bundles < 0 ||
      progress.attempts_started.size() != static_cast<std::size_t>(progress.bundles) ||
      progress.results.size() != static_cast<std::size_t>(progress.bundles)) {
    throw UsageError("WriteCheckpoint: progress of " + std::to_string(progress.bundles) +
                     " bundles with " + std::to_string(progress.attempts_started.size()) +
                     " attempt counts and " + std::to_string(progress.results.size()) +
                     " result slots");
  }
  internal::MutexLock lock(&state_->mu);
  state_->progress = std::move(progress);
}

WriteCheckpoint::~WriteCheckpoint() = default;

WriteProgress WriteCheckpoint::progress() const {
  internal::MutexLock lock(&state_->mu);
  return state_->progress;
}

void WriteCheckpoint::record_init(const std::string& init_result) {
  internal::MutexLock lock(&state_->mu);
  state_->progress.init_result = init_result;
}

void WriteCheckpoint::record_bundles(std::int64_t records, std::int64_t bundles) {
  internal::MutexLock lock(&state_->mu);
  WriteProgress& p = state_->progress;
  if (p.bundles == 0) {
    p.records = records;
    p.bundles = bundles;
    p.attempts_started.assign(static_cast<std::size_t>(bundles), 0);
    p.results.assign(static_cast<std::size_t>(bundles), std::nullopt);
    return;
  }
  if (p.records != records || p.bundles != bundles) {
    throw UsageError("WriteCheckpoint: resuming a write of " + std::to_string(p.records) +
                     " records in " + std::to_string(p.bundles) + " bundles with " +
                     std::to_string(records) + " records in " + std::to_string(bundles) +
                     " bundles: a resumed write must be the same write");
  }
}

int WriteCheckpoint::start_attempt(std::int64_t bundle) {
  internal::MutexLock lock(&state_->mu);
  return ++state_->progress.attempts_started.at(static_cast<std::size_t>(bundle));
}

bool WriteCheckpoint::record_result(std::int64_t bundle, const std::string& result) {
  internal::MutexLock lock(&state_->mu);
  auto& slot = state_->progress.results.at(static_cast<std::size_t>(bundle));
  if (slot) return false;
  slot = result;
  return true;
}

void WriteCheckpoint::record_finalize_attempt() {
  internal::MutexLock lock(&state_->mu);
  ++state_->progress.finalize_attempts;
}

void WriteCheckpoint::record_outputs(const std::vector<std::string>& outputs) {
  internal::MutexLock lock(&state_->mu);
  state_->progress.outputs = outputs;
}

}  // namespace splitcheck

namespace splitcheck {

void WriteCheckpoint::record_aborted() {
  internal::MutexLock lock(&state_->mu);
  state_->progress.aborted = true;
}

}  // namespace splitcheck
