#include "splitcheck/lib/sdf/watermark_estimators.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "splitcheck/lib/error.h"

namespace splitcheck {
namespace {

std::string text(Timestamp t) {
  if (t == kMinTimestamp) return "min";
  if (t == kMaxTimestamp) return "max";
  return std::to_string(t);
}

Timestamp system_now() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

void ManualWatermarkEstimator::set_watermark(Timestamp watermark) {
  std::lock_guard<std::mutex> lock(mu_);
  if (watermark < watermark_) {
    throw UsageError("ManualWatermarkEstimator: set_watermark(" + text(watermark) +
                     ") is before the current watermark " + text(watermark_) +
                     ": a watermark never goes back");
  }
  watermark_ = watermark;
}

Timestamp ManualWatermarkEstimator::current_watermark() {
  std::lock_guard<std::mutex> lock(mu_);
  return watermark_;
}

Timestamp ManualWatermarkEstimator::state() const {
  std::lock_guard<std::mutex> lock(mu_);
  return watermark_;
}

std::string ManualWatermarkEstimator::debug_string() const {
  return "ManualWatermarkEstimator(" + text(state()) + ")";
}

Timestamp MonotonicWatermarkEstimator::current_watermark() {
  std::lock_guard<std::mutex> lock(mu_);
  return watermark_;
}

Timestamp MonotonicWatermarkEstimator::state() const {
  std::lock_guard<std::mutex> lock(mu_);
  return watermark_;
}

void MonotonicWatermarkEstimator::observe_timestamp(Timestamp timestamp) {
  std::lock_guard<std::mutex> lock(mu_);
  watermark_ = std::max(watermark_, timestamp);
}

std::string MonotonicWatermarkEstimator::debug_string() const {
  return "MonotonicWatermarkEstimator(" + text(state()) + ")";
}

WallTimeWatermarkEstimator::WallTimeWatermarkEstimator(Timestamp state, Clock clock)
    : clock_(clock ? std::move(clock) : Clock(system_now)), watermark_(state) {}

Timestamp WallTimeWatermarkEstimator::current_watermark() {
  const Timestamp now = clock_();  // user code: not under the lock
  std::lock_guard<std::mutex> lock(mu_);
  watermark_ = std::max(watermark_, now);
  return watermark_;
}

Timestamp WallTimeWatermarkEstimator::state() const {
  std::lock_guard<std::mutex> lock(mu_);
  return watermark_;
}

std::string WallTimeWatermarkEstimator::debug_string() const {
  return "WallTimeWatermarkEstimator(" + text(state()) + ")";
}

}  // namespace splitcheck
