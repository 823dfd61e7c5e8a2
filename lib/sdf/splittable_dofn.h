// SplittableDoFn<In, Out, R, P>: a splittable DoFn, the shape of Beam's SDF
// connectors. It reads each input element as a restriction R of work (an
// OffsetRange of a log partition, a key range, a source bundle), claiming
// positions P through a RestrictionTracker<R, P>.
//
// The restriction provider, called by the runner:
//   * initial_restriction(element): all the work of the element.
//   * split_restriction(element, restriction, desired_size): the initial
//     splits, before any processing (by default the restriction whole);
//     together they must be exactly the restriction.
//   * restriction_size(element, restriction): the work in a restriction, in
//     the DoFn's unit (>= 0), for sizing and progress.
//   * new_tracker(element, restriction): a fresh tracker over it.
//   * new_watermark_estimator(element, state): an estimator that resumes from
//     `state` (kMinTimestamp for a fresh restriction); by default a
//     ManualWatermarkEstimator.
//
// process(element, tracker, watermark, out) does the work: it claims each
// block with tracker.try_claim and stops at the first refusal, emitting
// output for claimed blocks only (out.output(value, timestamp)), and returns
//   * ProcessContinuation::stop(): the restriction is done (the runner calls
//     tracker.check_done(), which fails if work was left unclaimed); or
//   * ProcessContinuation::resume(delay): the DoFn checkpoints: the runner
//     splits the tracker with try_split(0), and schedules the residual with
//     the watermark estimator's state, no sooner than `delay` from now.
// While process runs the runner may split the tracker from another thread
// (dynamic rebalancing); a DoFn sees that only as an earlier refusal.
//
// A DoFn is shared by all workers: its methods are const and must be
// thread-safe. Exceptions from process fail the attempt (retried unless a
// UsageError, CorruptDataError or other non-retryable error; lib/error.h);
// the runner retries the restriction the tracker held when it failed (what
// was split off before that is someone else's).

#ifndef SPLITCHECK_LIB_SDF_SPLITTABLE_DOFN_H_
#define SPLITCHECK_LIB_SDF_SPLITTABLE_DOFN_H_

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/sdf/restriction_tracker.h"
#include "splitcheck/lib/sdf/watermark_estimator.h"
#include "splitcheck/lib/sdf/watermark_estimators.h"

namespace splitcheck {

// What process() asks for when it returns.
struct ProcessContinuation {
  bool resume = false;
  std::chrono::milliseconds delay{0};

  static ProcessContinuation stop() { return {}; }
  static ProcessContinuation resume_after(std::chrono::milliseconds delay = {}) {
    return {true, delay};
  }
};

// Where process() emits: each value with its event timestamp.
template <typename Out>
class SdfOutput {
 public:
  virtual ~SdfOutput() = default;
  virtual void output(Out value, Timestamp timestamp) = 0;
};

template <typename In, typename Out, typename R, typename P>
class SplittableDoFn {
 public:
  using element_type = In;
  using output_type = Out;
  using restriction_type = R;
  using position_type = P;

  virtual ~SplittableDoFn() = default;

  virtual R initial_restriction(const In& element) const = 0;
  virtual std::vector<R> split_restriction(const In& /*element*/, const R& restriction,
                                           double /*desired_size*/) const {
    return {restriction};
  }
  virtual double restriction_size(const In& element, const R& restriction) const = 0;
  virtual std::unique_ptr<RestrictionTracker<R, P>> new_tracker(const In& element,
                                                                const R& restriction) const = 0;
  virtual std::unique_ptr<WatermarkEstimator> new_watermark_estimator(const In& /*element*/,
                                                                      Timestamp state) const {
    return std::make_unique<ManualWatermarkEstimator>(state);
  }

  virtual ProcessContinuation process(const In& element, RestrictionTracker<R, P>& tracker,
                                      WatermarkEstimator& watermark, SdfOutput<Out>& out) const = 0;

  // A short description for messages.
  virtual std::string debug_string() const = 0;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_SDF_SPLITTABLE_DOFN_H_
