// CountingDoFn: the counting input as a splittable DoFn, the smallest SDF
// there is. Element n is the offsets [0, n); each claimed offset is output
// at its own timestamp, and the manual watermark follows the offsets output.
// With `per_call` > 0, each process call claims at most that many offsets
// and then checkpoints (ProcessContinuation::resume_after), as an unbounded
// reader does when it has caught up.
//
//   LocalRunner().run_sdf(CountingDoFn(), std::vector<std::int64_t>{1000});
//
// Gated by examples/counting/counting_dofn_test.cc (check_sdf and
// check_restriction_tracker_contract), and measured by
// bench/sdf_exhaustive_split_bench.cc and bench/runner_bench.cc.

#ifndef SPLITCHECK_EXAMPLES_COUNTING_COUNTING_DOFN_H_
#define SPLITCHECK_EXAMPLES_COUNTING_COUNTING_DOFN_H_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "splitcheck/lib/sdf/offset_restriction_tracker.h"
#include "splitcheck/lib/sdf/splittable_dofn.h"
#include "splitcheck/lib/sdf/watermark_estimators.h"

namespace splitcheck::examples {

class CountingDoFn final
    : public SplittableDoFn<std::int64_t, std::int64_t, OffsetRange, std::int64_t> {
 public:
  explicit CountingDoFn(int per_call = 0) : per_call_(per_call) {}

  OffsetRange initial_restriction(const std::int64_t& n) const override {
    return {0, std::max<std::int64_t>(0, n)};
  }
  // Pieces of about desired_size offsets.
  std::vector<OffsetRange> split_restriction(const std::int64_t&, const OffsetRange& r,
                                             double desired_size) const override {
    const auto step = std::max<std::int64_t>(1, static_cast<std::int64_t>(desired_size));
    std::vector<OffsetRange> parts;
    for (std::int64_t from = r.from; from < r.to; from += std::min(step, r.to - from)) {
      parts.push_back({from, from + std::min(step, r.to - from)});
    }
    if (parts.empty()) parts.push_back(r);
    return parts;
  }
  double restriction_size(const std::int64_t&, const OffsetRange& r) const override {
    return static_cast<double>(r.size());
  }
  std::unique_ptr<RestrictionTracker<OffsetRange, std::int64_t>> new_tracker(
      const std::int64_t&, const OffsetRange& r) const override {
    return std::make_unique<OffsetRestrictionTracker>(r);
  }

  ProcessContinuation process(const std::int64_t&,
                              RestrictionTracker<OffsetRange, std::int64_t>& tracker,
                              WatermarkEstimator& watermark,
                              SdfOutput<std::int64_t>& out) const override {
    auto* manual = dynamic_cast<ManualWatermarkEstimator*>(&watermark);
    int claimed = 0;
    for (std::int64_t i = tracker.current_restriction().from;; ++i, ++claimed) {
      if (per_call_ > 0 && claimed == per_call_) return ProcessContinuation::resume_after();
      if (!tracker.try_claim(i)) return ProcessContinuation::stop();
      out.output(i, i);
      if (manual != nullptr) manual->set_watermark(i);
    }
  }

  std::string debug_string() const override { return "CountingDoFn"; }

 private:
  const int per_call_;
};

}  // namespace splitcheck::examples

#endif  // SPLITCHECK_EXAMPLES_COUNTING_COUNTING_DOFN_H_
