// BoundedSourceDoFn<T, P>: any BoundedSource run as a splittable DoFn, as
// Beam's SDF wrapper of sources does. The element is the source; the
// restriction is a SourceBundle (a source and its bounds: split() may give
// other sources, one per file say); positions are the source's.
//
//   * initial_restriction(source): the whole source, weighted by its
//     estimate_size(); split_restriction: the source's split() of the
//     bundle (its bundles, with their sources, in order);
//     restriction_size: the bundle's weight (its source's estimate_size()
//     when the weight is 0).
//   * process reads the bundle with its source's read() on the range tracker
//     SourceRestrictionTracker holds, emitting every record at
//     kMinTimestamp, and returns stop: a bounded source never checkpoints.
//
// SourceRestrictionTracker wraps the bundle's RangeTracker:
//   * try_claim(p) is the range tracker's (the source's reader claims through
//     the range tracker itself; both see the same claims).
//   * try_split(f) splits at the position a fraction c + (1 - c) * f of the
//     range puts it (c: fraction_consumed()), through the range tracker's
//     try_split: primary [start, position), residual [position, stop). A
//     checkpoint, try_split(0), is refused: a range tracker names no
//     position right after its last record, so this tracker keeps the
//     restriction tracker contract except that rule (a bounded source's
//     reader never asks to resume).
//   * check_done passes once the source's reader has returned (read covers
//     its whole range) or a claim was refused.
//   * progress: the range tracker's fraction_consumed of the bundle's size,
//     and the rest; is_bounded() is true.
// Thread-safe as the range tracker is; splits are serialized by a lock of
// its own.

#ifndef SPLITCHECK_LIB_SDF_BOUNDED_SOURCE_DOFN_H_
#define SPLITCHECK_LIB_SDF_BOUNDED_SOURCE_DOFN_H_

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/sdf/restriction_tracker.h"
#include "splitcheck/lib/sdf/splittable_dofn.h"
#include "splitcheck/lib/sources/bounded_source.h"

namespace splitcheck {

template <typename T, typename P>
class SourceRestrictionTracker final : public RestrictionTracker<SourceBundle<T, P>, P> {
 public:
  explicit SourceRestrictionTracker(SourceBundle<T, P> bundle) : bundle_(std::move(bundle)) {
    if (bundle_.source == nullptr) throw UsageError("SourceRestrictionTracker: a null source");
    range_ = bundle_.source->get_range_tracker(bundle_.start, bundle_.stop);
    if (range_ == nullptr) {
      throw UsageError(bundle_.source->debug_string() + ": get_range_tracker returned null");
    }
    size_ =
        bundle_.weight > 0 ? bundle_.weight : static_cast<double>(bundle_.source->estimate_size());
  }

  bool try_claim(const P& position) override {
    const bool claimed = range_->try_claim(position);
    if (!claimed) refused_ = true;
    return claimed;
  }

  std::optional<RestrictionSplit<SourceBundle<T, P>>> try_split(double f) override {
    if (!(f >= 0 && f <= 1)) {
      throw UsageError(debug_string() + ": try_split(" + std::to_string(f) +
                       "): the fraction of the remainder must be in [0, 1]");
    }
    if (f == 0 || read_) return std::nullopt;
    const double consumed = range_->fraction_consumed();
    const double at = std::min(1.0, consumed + (1 - consumed) * f);
    P position;
    try {
      position = range_->position_at_fraction(at);
    } catch (const UsageError&) {
      return std::nullopt;  // a range of unknown size
    }
    // The range tracker's split and the new stop under one lock: two splits
    // at once must not record their stops in the other order.
    std::lock_guard<std::mutex> lock(mu_);
    const auto split = range_->try_split(position);
    if (!split) return std::nullopt;
    SourceBundle<T, P> residual{bundle_.weight * (1 - split->fraction), bundle_.source, position,
                                stop_ ? stop_ : bundle_.stop};
    stop_ = position;
    SourceBundle<T, P> primary{bundle_.weight * split->fraction, bundle_.source, bundle_.start,
                               stop_};
    return RestrictionSplit<SourceBundle<T, P>>{std::move(primary), std::move(residual)};
  }

  void check_done() const override {
    if (read_ || refused_) return;
    throw UsageError(debug_string() + ": the source's reader did not finish its range");
  }

  SourceBundle<T, P> current_restriction() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return {bundle_.weight, bundle_.source, bundle_.start, stop_ ? stop_ : bundle_.stop};
  }

  RestrictionProgress progress() const override {
    const double f = std::clamp(range_->fraction_consumed(), 0.0, 1.0);
    return {f * size_, (1 - f) * size_};
  }

  bool is_bounded() const override { return true; }

  std::string debug_string() const override {
    return "SourceRestrictionTracker(" + range_->debug_string() + ")";
  }

  // The range tracker the source's reader claims through.
  RangeTracker<P>& range_tracker() { return *range_; }
  // The reader returned: its whole range is read.
  void mark_read() { read_ = true; }

 private:
  const SourceBundle<T, P> bundle_;
  std::unique_ptr<RangeTracker<P>> range_;
  double size_ = 0;
  std::atomic<bool> read_{false};
  std::atomic<bool> refused_{false};
  mutable std::mutex mu_;
  std::optional<P> stop_;  // after a split; guarded by mu_
};

template <typename T, typename P>
class BoundedSourceDoFn final
    : public SplittableDoFn<std::shared_ptr<const BoundedSource<T, P>>, T, SourceBundle<T, P>, P> {
  using Source = std::shared_ptr<const BoundedSource<T, P>>;
  using Bundle = SourceBundle<T, P>;

 public:
  Bundle initial_restriction(const Source& source) const override {
    if (source == nullptr) throw UsageError("BoundedSourceDoFn: a null source");
    return {static_cast<double>(source->estimate_size()), source, std::nullopt, std::nullopt};
  }

  std::vector<Bundle> split_restriction(const Source&, const Bundle& bundle,
                                        double desired_size) const override {
    std::vector<Bundle> parts =
        bundle.source->split(std::max<std::int64_t>(1, static_cast<std::int64_t>(desired_size)),
                             bundle.start, bundle.stop);
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (parts[i].source == nullptr) {
        throw UsageError(bundle.source->debug_string() + ": split() returned bundle " +
                         std::to_string(i) + " with a null source");
      }
    }
    return parts;
  }

  double restriction_size(const Source&, const Bundle& bundle) const override {
    return bundle.weight > 0 ? bundle.weight : static_cast<double>(bundle.source->estimate_size());
  }

  std::unique_ptr<RestrictionTracker<Bundle, P>> new_tracker(const Source&,
                                                             const Bundle& bundle) const override {
    return std::make_unique<SourceRestrictionTracker<T, P>>(bundle);
  }

  ProcessContinuation process(const Source&, RestrictionTracker<Bundle, P>& tracker,
                              WatermarkEstimator&, SdfOutput<T>& out) const override {
    auto* t = dynamic_cast<SourceRestrictionTracker<T, P>*>(&tracker);
    if (t == nullptr) {
      throw UsageError("BoundedSourceDoFn::process: the tracker is not the one new_tracker made");
    }
    const Bundle bundle = t->current_restriction();
    Generator<T> reader = bundle.source->read(t->range_tracker());
    for (auto it = reader.begin(); it != reader.end(); ++it)
      out.output(std::move(*it), kMinTimestamp);
    t->mark_read();
    return ProcessContinuation::stop();
  }

  std::string debug_string() const override { return "BoundedSourceDoFn"; }
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_SDF_BOUNDED_SOURCE_DOFN_H_
