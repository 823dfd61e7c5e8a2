// WatermarkEstimator: how a splittable DoFn reading an unbounded input says
// how far its output is complete, Beam's watermark estimators.
//
// A watermark is a timestamp W with the promise that no output with a
// timestamp before W is still to come from this restriction. Contract:
//
//   * current_watermark() never goes back, over the whole life of a
//     restriction: across checkpoints too, which is what state() is for.
//   * state() is the watermark last reported (never below any watermark
//     current_watermark() returned), and what a checkpoint saves with the
//     residual; an estimator made from it on resume starts at that
//     watermark (never before). Unlike current_watermark() it moves nothing
//     (a wall-time estimator does not read its clock).
//   * observe_timestamp(t) is called for every output of the DoFn with the
//     output's timestamp (estimators that follow the data use it; others
//     ignore it).
//   * An output with a timestamp before the watermark is late data: a DoFn
//     that emits it broke its own promise (the SDF checks reject it,
//     testkit/sdf/sdf_checks.h; the runner does not look).
//
// Thread safety: a runner may ask for current_watermark() from another
// thread while the DoFn observes and sets: every method is thread-safe.

#ifndef SPLITCHECK_LIB_SDF_WATERMARK_ESTIMATOR_H_
#define SPLITCHECK_LIB_SDF_WATERMARK_ESTIMATOR_H_

#include <cstdint>
#include <limits>
#include <string>

namespace splitcheck {

// Microseconds since the Unix epoch.
using Timestamp = std::int64_t;
inline constexpr Timestamp kMinTimestamp = std::numeric_limits<std::int64_t>::min();
inline constexpr Timestamp kMaxTimestamp = std::numeric_limits<std::int64_t>::max();

class WatermarkEstimator {
 public:
  virtual ~WatermarkEstimator() = default;

  virtual Timestamp current_watermark() = 0;
  virtual Timestamp state() const = 0;
  virtual void observe_timestamp(Timestamp timestamp) = 0;
  virtual std::string debug_string() const = 0;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_SDF_WATERMARK_ESTIMATOR_H_
