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

// Raises `w` to at least `value`; the value it holds after.
Timestamp raise_to(std::atomic<Timestamp>& w, Timestamp value) {
  Timestamp seen = w.load(std::memory_order_relaxed);
  while (seen < value && !w.compare_exchange_weak(seen, value, std::memory_order_relaxed)) {
  }
  return std::max(seen, value);
}

}  // namespace

void ManualWatermarkEstimator::set_watermark(Timestamp watermark) {
  Timestamp seen = watermark_.load(std::memory_order_relaxed);
  do {
    if (watermark < seen) {
      throw UsageError("ManualWatermarkEstimator: set_watermark(" + text(watermark) +
                       ") is before the current watermark " + text(seen) +
                       ": a watermark never goes back");
    }
  } while (!watermark_.compare_exchange_weak(seen, watermark, std::memory_order_relaxed));
}

Timestamp ManualWatermarkEstimator::current_watermark() {
  return watermark_.load(std::memory_order_relaxed);
}

Timestamp ManualWatermarkEstimator::state() const {
  return watermark_.load(std::memory_order_relaxed);
}

std::string ManualWatermarkEstimator::debug_string() const {
  return "ManualWatermarkEstimator(" + text(state()) + ")";
}

Timestamp MonotonicWatermarkEstimator::current_watermark() {
  return watermark_.load(std::memory_order_relaxed);
}

Timestamp MonotonicWatermarkEstimator::state() const {
  return watermark_.load(std::memory_order_relaxed);
}

void MonotonicWatermarkEstimator::observe_timestamp(Timestamp timestamp) {
  if (timestamp > watermark_.load(std::memory_order_relaxed)) raise_to(watermark_, timestamp);
}

std::string MonotonicWatermarkEstimator::debug_string() const {
  return "MonotonicWatermarkEstimator(" + text(state()) + ")";
}

WallTimeWatermarkEstimator::WallTimeWatermarkEstimator(Timestamp state, Clock clock)
    : clock_(clock ? std::move(clock) : Clock(system_now)), watermark_(state) {}

Timestamp WallTimeWatermarkEstimator::current_watermark() { return raise_to(watermark_, clock_()); }

Timestamp WallTimeWatermarkEstimator::state() const {
  return watermark_.load(std::memory_order_relaxed);
}

std::string WallTimeWatermarkEstimator::debug_string() const {
  return "WallTimeWatermarkEstimator(" + text(state()) + ")";
}

}  // namespace splitcheck
