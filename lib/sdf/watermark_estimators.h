// The built-in watermark estimators (the contract is watermark_estimator.h's).
// Each one's state is its watermark, so a checkpoint saves exactly what it
// reported last.
//
//   ManualWatermarkEstimator(state)   the DoFn sets the watermark
//       (set_watermark); setting one before the current watermark is a
//       UsageError naming both (a watermark never goes back).
//   MonotonicWatermarkEstimator(state) the largest output timestamp
//       observed: for inputs whose timestamps arrive in order.
//   WallTimeWatermarkEstimator(state, clock)  the clock's time (never less
//       than the state, never less than an earlier answer): for inputs that
//       are read as they are written. `clock` defaults to the system clock;
//       tests pass their own.
//
// Thread-safe: each keeps its watermark in an atomic (the runner calls
// observe_timestamp for every output).

#ifndef SPLITCHECK_LIB_SDF_WATERMARK_ESTIMATORS_H_
#define SPLITCHECK_LIB_SDF_WATERMARK_ESTIMATORS_H_

#include <atomic>
#include <functional>
#include <string>

#include "splitcheck/lib/sdf/watermark_estimator.h"

namespace splitcheck {

class ManualWatermarkEstimator final : public WatermarkEstimator {
 public:
  explicit ManualWatermarkEstimator(Timestamp state = kMinTimestamp) : watermark_(state) {}

  // REQUIRES: watermark >= current_watermark(), else a UsageError.
  void set_watermark(Timestamp watermark);

  Timestamp current_watermark() override;
  Timestamp state() const override;
  void observe_timestamp(Timestamp) override {}
  std::string debug_string() const override;

 private:
  std::atomic<Timestamp> watermark_;
};

class MonotonicWatermarkEstimator final : public WatermarkEstimator {
 public:
  explicit MonotonicWatermarkEstimator(Timestamp state = kMinTimestamp) : watermark_(state) {}

  Timestamp current_watermark() override;
  Timestamp state() const override;
  void observe_timestamp(Timestamp timestamp) override;
  std::string debug_string() const override;

 private:
  std::atomic<Timestamp> watermark_;
};

class WallTimeWatermarkEstimator final : public WatermarkEstimator {
 public:
  // The current time in microseconds since the epoch.
  using Clock = std::function<Timestamp()>;

  explicit WallTimeWatermarkEstimator(Timestamp state = kMinTimestamp, Clock clock = nullptr);

  Timestamp current_watermark() override;
  Timestamp state() const override;
  void observe_timestamp(Timestamp) override {}
  std::string debug_string() const override;

 private:
  const Clock clock_;
  std::atomic<Timestamp> watermark_;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_SDF_WATERMARK_ESTIMATORS_H_
