// Splittable DoFns with one classic bug each, for proving that the SDF
// checks (testkit/sdf/sdf_checks.h) catch them (never use them for anything
// else). BrokenCountingDoFn reads element n as the offsets [0, n), one output
// per offset (the value n * 1000 + offset at timestamp offset), setting a
// manual watermark to each offset it has output, checkpoints after
// `per_call` claims (0: never), and splits each restriction initially into
// `pieces` (default 1). With SdfBug::kNone it is correct and passes.
//
//   kEmitsAfterRefusal        outputs the offset whose claim was refused
//                             (the residual's reader outputs it too).
//   kSkipsTheFirstOffset      a restriction that does not start at 0 (a
//                             residual, a resumed one) skips its first
//                             offset: it is lost.
//   kStopsEarly               returns after half of its restriction without
//                             checkpointing: check_done fails.
//   kDropsTheWatermark        its estimator ignores the checkpointed state
//                             and starts from the minimum again.
//   kWatermarkAhead           sets the watermark past the offset it is
//                             about to output (the watermark passes an
//                             element still to come).
//   kCursorInTheDoFn          keeps a cursor per element in the DoFn (state
//                             a DoFn must not have: it is shared by every
//                             restriction of the element) and starts each
//                             call at max(restriction start, cursor),
//                             resetting it when a read starts at 0. One
//                             split at a time is read in order and passes;
//                             a residual read after a later one loses its
//                             offsets: only the checkpoint schedules see it.
//   kRemembersWhatItEmitted   keeps the offsets it has output in the DoFn
//                             and never outputs one twice (forgetting them
//                             when a read starts at 0), a home-made
//                             exactly-once: when the runner discards a
//                             failed attempt's outputs and retries it, the
//                             retry skips them and they are lost. Only the
//                             runner schedules (which inject failures) see
//                             it.
//   kStateForgetsTheWatermark its estimator reports the largest timestamp
//                             observed but saves (state()) the one it was
//                             made with: at each checkpoint the resumed
//                             watermark goes back.
//   kShiftsTimestamps         a restriction that does not start at 0
//                             stamps its outputs one later than their
//                             offset: the values are right, their
//                             timestamps are not.
//   kOutputsBeforeClaiming    outputs each offset, then claims it: the
//                             offset the tracker refuses is output too. On
//                             an empty element it outputs one record for a
//                             restriction with none, the same on every
//                             read, so only the rule that outputs follow a
//                             successful claim sees it there.

#ifndef SPLITCHECK_TESTKIT_ZOO_BROKEN_SDFS_H_
#define SPLITCHECK_TESTKIT_ZOO_BROKEN_SDFS_H_

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "splitcheck/lib/sdf/offset_restriction_tracker.h"
#include "splitcheck/lib/sdf/splittable_dofn.h"
#include "splitcheck/lib/sdf/watermark_estimators.h"

namespace splitcheck::examples::broken {

enum class SdfBug {
  kNone,
  kEmitsAfterRefusal,
  kSkipsTheFirstOffset,
  kStopsEarly,
  kDropsTheWatermark,
  kWatermarkAhead,
  kCursorInTheDoFn,
  kRemembersWhatItEmitted,
  kStateForgetsTheWatermark,
  kShiftsTimestamps,
  kOutputsBeforeClaiming,
};

// An estimator that follows the data but checkpoints its starting point.
class ForgetfulWatermarkEstimator final : public WatermarkEstimator {
 public:
  explicit ForgetfulWatermarkEstimator(Timestamp state) : start_(state), watermark_(state) {}
  Timestamp current_watermark() override { return watermark_.load(); }
  Timestamp state() const override { return start_; }  // the bug
  void observe_timestamp(Timestamp t) override {
    if (t > watermark_.load()) watermark_.store(t);
  }
  std::string debug_string() const override { return "ForgetfulWatermarkEstimator"; }

 private:
  const Timestamp start_;
  std::atomic<Timestamp> watermark_;
};

class BrokenCountingDoFn final
    : public SplittableDoFn<std::int64_t, std::int64_t, OffsetRange, std::int64_t> {
 public:
  explicit BrokenCountingDoFn(SdfBug bug, int per_call = 0, int pieces = 1)
      : bug_(bug), per_call_(per_call), pieces_(std::max(1, pieces)) {}

  OffsetRange initial_restriction(const std::int64_t& n) const override { return {0, n}; }
  std::vector<OffsetRange> split_restriction(const std::int64_t&, const OffsetRange& r,
                                             double) const override {
    std::vector<OffsetRange> parts;
    for (int i = 0; i < pieces_; ++i) {
      parts.push_back({r.from + r.size() * i / pieces_, r.from + r.size() * (i + 1) / pieces_});
    }
    return parts;
  }
  double restriction_size(const std::int64_t&, const OffsetRange& r) const override {
    return static_cast<double>(r.size());
  }
  std::unique_ptr<RestrictionTracker<OffsetRange, std::int64_t>> new_tracker(
      const std::int64_t&, const OffsetRange& r) const override {
    return std::make_unique<OffsetRestrictionTracker>(r);
  }
  std::unique_ptr<WatermarkEstimator> new_watermark_estimator(const std::int64_t&,
                                                              Timestamp state) const override {
    if (bug_ == SdfBug::kStateForgetsTheWatermark) {
      return std::make_unique<ForgetfulWatermarkEstimator>(state);
    }
    return std::make_unique<ManualWatermarkEstimator>(
        bug_ == SdfBug::kDropsTheWatermark ? kMinTimestamp : state);
  }

  ProcessContinuation process(const std::int64_t& n,
                              RestrictionTracker<OffsetRange, std::int64_t>& tracker,
                              WatermarkEstimator& watermark,
                              SdfOutput<std::int64_t>& out) const override {
    auto* manual = dynamic_cast<ManualWatermarkEstimator*>(&watermark);
    const OffsetRange r = tracker.current_restriction();
    std::int64_t i = r.from;
    if (bug_ == SdfBug::kSkipsTheFirstOffset && r.from > 0) ++i;
    if (bug_ == SdfBug::kCursorInTheDoFn) {
      std::lock_guard<std::mutex> lock(mu_);
      std::int64_t& cursor = cursors_[n];
      if (r.from == 0) cursor = 0;
      i = std::max(i, cursor);
    }
    if (bug_ == SdfBug::kRemembersWhatItEmitted && r.from == 0) {
      std::lock_guard<std::mutex> lock(mu_);
      emitted_[n].clear();
    }
    for (int claimed = 0;; ++i, ++claimed) {
      if (bug_ == SdfBug::kStopsEarly && r.size() > 1 && i >= r.from + r.size() / 2) {
        return ProcessContinuation::stop();
      }
      if (per_call_ > 0 && claimed == per_call_) return ProcessContinuation::resume_after();
      // Output first, claim after: the offset the tracker refuses is output
      // too (an empty element outputs one record, and reads the same every
      // time).
      if (bug_ == SdfBug::kOutputsBeforeClaiming) out.output(n * 1000 + i, i);
      if (!tracker.try_claim(i)) {
        if (bug_ == SdfBug::kEmitsAfterRefusal && i < n) out.output(n * 1000 + i, i);
        return ProcessContinuation::stop();
      }
      if (bug_ == SdfBug::kOutputsBeforeClaiming) continue;
      if (bug_ == SdfBug::kWatermarkAhead) manual->set_watermark(i + 1);
      if (bug_ == SdfBug::kRemembersWhatItEmitted) {
        std::lock_guard<std::mutex> lock(mu_);
        if (!emitted_[n].insert(i).second) continue;  // "already emitted"
      }
      if (bug_ == SdfBug::kCursorInTheDoFn) {
        std::lock_guard<std::mutex> lock(mu_);
        cursors_[n] = i + 1;
      }
      out.output(n * 1000 + i, bug_ == SdfBug::kShiftsTimestamps && r.from > 0 ? i + 1 : i);
      if (manual != nullptr && manual->current_watermark() < i) manual->set_watermark(i);
    }
  }

  std::string debug_string() const override { return "BrokenCountingDoFn"; }

 private:
  const SdfBug bug_;
  const int per_call_;
  const int pieces_;
  mutable std::mutex mu_;
  mutable std::map<std::int64_t, std::int64_t> cursors_;            // kCursorInTheDoFn
  mutable std::map<std::int64_t, std::set<std::int64_t>> emitted_;  // kRemembersWhatItEmitted
};

}  // namespace splitcheck::examples::broken

#endif  // SPLITCHECK_TESTKIT_ZOO_BROKEN_SDFS_H_
