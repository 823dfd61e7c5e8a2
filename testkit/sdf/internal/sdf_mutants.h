// The machinery of the SDF mutation analysis (sdf_mutation_analysis.h):
// wrappers that put one generic, classic bug into a user's restriction
// tracker or splittable DoFn without knowing its code. Internal to the
// testkit.
//
//   MutantRestrictionTracker<R, P>  wraps a RestrictionTracker;
//                                   RestrictionMutation picks the bug.
//   MutantDoFn<In, Out, R, P>       wraps a SplittableDoFn; SdfMutation picks
//                                   the bug, and its trackers are
//                                   MutantRestrictionTrackers when the bug is
//                                   a tracker's (or when asked, for a
//                                   control that wraps them without a bug).
//                                   With SdfMutation::kNone it only records
//                                   SdfMutantFacts: what the DoFn does
//                                   (checkpoints itself, resumes with a
//                                   watermark, splits initially), for judging
//                                   which bugs can show.
//
// Each bug is the observable behaviour of a one-line mistake, emulated from
// outside through the wrapped object's own calls (see the enums). The bugs
// that move a restriction's bound (kResidualOverlapsPrimary) or accept a
// claim inside it (kClaimPastEndAccepted) need to know the restriction
// type: RestrictionBounds is defined for OffsetRange and ByteKeyRange; for
// another type the first does not apply and the second, in a DoFn, does not
// either (it could hand user code a position outside its element).
//
// Thread safety as the wrapped objects': every wrapper may be used as the
// original is. A MutantRestrictionTracker with a bug holds its own mutex
// across the inner tracker's claims, splits and progress reads, so that its
// bookkeeping changes with the inner state: claims and splits are
// serialised (they are in the built-in trackers anyway), and an inner
// tracker whose end estimator calls back into the same tracker would
// deadlock under a mutant. kTornProgress reads progress in two steps on
// purpose, without it. With RestrictionMutation::kNone it forwards every
// call as it comes, without the mutex: it changes nothing.

#ifndef SPLITCHECK_TESTKIT_SDF_INTERNAL_SDF_MUTANTS_H_
#define SPLITCHECK_TESTKIT_SDF_INTERNAL_SDF_MUTANTS_H_

#include <algorithm>
#include <atomic>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "splitcheck/lib/internal/mutex.h"
#include "splitcheck/lib/internal/thread_annotations.h"
#include "splitcheck/lib/sdf/byte_key_range.h"
#include "splitcheck/lib/sdf/offset_range.h"
#include "splitcheck/lib/sdf/restriction_tracker.h"
#include "splitcheck/lib/sdf/splittable_dofn.h"
#include "splitcheck/lib/sdf/watermark_estimator.h"

namespace splitcheck::testkit::internal {

enum class RestrictionMutation {
  kNone,
  // An accepted split's residual starts at the last claimed position, not
  // at the split point: the primary's work from the last claim to the split
  // point (the block being done, and more when the split keeps more) is
  // handed to the residual too, and done twice.
  kResidualOverlapsPrimary,
  // The first refused claim of a position inside the tracker's first
  // restriction is answered true: the DoFn does one block past the end of
  // its current restriction (a residual's, given away by a split). Claims
  // outside the first restriction stay refused, so user code never gets a
  // position outside its element.
  kClaimPastEndAccepted,
  // check_done never complains: a DoFn that stops early loses the rest.
  kCheckDoneAlwaysPasses,
  // try_split(0) is taken as try_split(0.5): a checkpoint's primary keeps
  // half the unclaimed work, which the checkpointed DoFn never claims.
  kCheckpointSplitsAtHalf,
  // try_split(f) reads f as a fraction of the whole restriction, not of the
  // remainder (refusing when the claims are past it).
  kFractionOfWhole,
  // progress's completed work counts from the last accepted split with a
  // fraction above 0: it goes back at each such split (a checkpoint,
  // try_split(0), leaves it).
  kCompletedResetBySplit,
  // progress's remaining work is one unit more than the truth once a claim
  // was refused (it should be 0).
  kRemainingAfterRefusal,
  // progress reads completed and remaining in two steps: a claim in between
  // gives figures no state had (only concurrency shows it).
  kTornProgress,
};

inline constexpr RestrictionMutation kRestrictionMutants[] = {
    RestrictionMutation::kResidualOverlapsPrimary, RestrictionMutation::kClaimPastEndAccepted,
    RestrictionMutation::kCheckDoneAlwaysPasses,   RestrictionMutation::kCheckpointSplitsAtHalf,
    RestrictionMutation::kFractionOfWhole,         RestrictionMutation::kCompletedResetBySplit,
    RestrictionMutation::kRemainingAfterRefusal,   RestrictionMutation::kTornProgress,
};

inline std::string_view mutation_name(RestrictionMutation m) {
  switch (m) {
    case RestrictionMutation::kNone:
      return "none";
    case RestrictionMutation::kResidualOverlapsPrimary:
      return "a split's residual starts at the last claim";
    case RestrictionMutation::kClaimPastEndAccepted:
      return "the first refused claim is accepted";
    case RestrictionMutation::kCheckDoneAlwaysPasses:
      return "check_done passes with work left";
    case RestrictionMutation::kCheckpointSplitsAtHalf:
      return "a checkpoint splits at half the remainder";
    case RestrictionMutation::kFractionOfWhole:
      return "the split fraction read as a share of the whole";
    case RestrictionMutation::kCompletedResetBySplit:
      return "completed work counted from the last split";
    case RestrictionMutation::kRemainingAfterRefusal:
      return "remaining work left after a refused claim";
    case RestrictionMutation::kTornProgress:
      return "progress read in two steps";
  }
  return "?";
}

// How to move a restriction's start to a position, and whether a position
// lies inside a restriction, for the restriction types whose bounds the
// mutants know.
template <typename R, typename P>
struct RestrictionBounds;

template <>
struct RestrictionBounds<OffsetRange, std::int64_t> {
  static OffsetRange starting_at(OffsetRange r, std::int64_t p) {
    r.from = p;
    return r;
  }
  static bool contains(const OffsetRange& r, std::int64_t p) { return p >= r.from && p < r.to; }
};

template <>
struct RestrictionBounds<ByteKeyRange, std::string> {
  static ByteKeyRange starting_at(ByteKeyRange r, const std::string& p) {
    r.start = p;
    return r;
  }
  static bool contains(const ByteKeyRange& r, const std::string& p) { return r.contains(p); }
};

template <typename R, typename P>
concept HasRestrictionBounds = requires(const R& r, const P& p) {
  { RestrictionBounds<R, P>::starting_at(r, p) } -> std::same_as<R>;
  { RestrictionBounds<R, P>::contains(r, p) } -> std::same_as<bool>;
};

template <typename R, typename P>
class MutantRestrictionTracker final : public RestrictionTracker<R, P> {
 public:
  MutantRestrictionTracker(std::unique_ptr<RestrictionTracker<R, P>> inner, RestrictionMutation m)
      : inner_(std::move(inner)), mutation_(m), first_(inner_->current_restriction()) {}

  bool try_claim(const P& position) override {
    if (mutation_ == RestrictionMutation::kNone) return inner_->try_claim(position);
    splitcheck::internal::MutexLock lock(&mu_);
    if (past_end_) return false;  // the one accepted past the end was the last
    const bool claimed = inner_->try_claim(position);
    if (claimed) {
      last_ = position;
      return true;
    }
    refused_ = true;
    if (mutation_ == RestrictionMutation::kClaimPastEndAccepted && inside_first(position)) {
      past_end_ = true;
      return true;
    }
    return false;
  }

  std::optional<RestrictionSplit<R>> try_split(double fraction) override {
    if (mutation_ == RestrictionMutation::kNone) return inner_->try_split(fraction);
    if (!(fraction >= 0 && fraction <= 1)) return inner_->try_split(fraction);  // its UsageError
    splitcheck::internal::MutexLock lock(&mu_);
    switch (mutation_) {
      case RestrictionMutation::kCheckpointSplitsAtHalf:
        return inner_->try_split(fraction == 0 ? 0.5 : fraction);
      case RestrictionMutation::kFractionOfWhole: {
        if (fraction == 0) break;
        const RestrictionProgress p = inner_->progress();
        if (!(p.remaining > 0) || !std::isfinite(p.remaining) || !std::isfinite(p.completed)) {
          break;
        }
        const double of_remainder =
            (fraction * (p.completed + p.remaining) - p.completed) / p.remaining;
        if (!(of_remainder > 0)) return std::nullopt;
        return inner_->try_split(std::min(1.0, of_remainder));
      }
      case RestrictionMutation::kResidualOverlapsPrimary: {
        auto split = inner_->try_split(fraction);
        if constexpr (HasRestrictionBounds<R, P>) {
          if (split && last_) {
            split->residual = RestrictionBounds<R, P>::starting_at(split->residual, *last_);
          }
        }
        return split;
      }
      case RestrictionMutation::kCompletedResetBySplit: {
        auto split = inner_->try_split(fraction);
        if (split && fraction > 0) completed_base_ = inner_->progress().completed;
        return split;
      }
      default:
        break;
    }
    return inner_->try_split(fraction);
  }

  void check_done() const override {
    if (mutation_ == RestrictionMutation::kCheckDoneAlwaysPasses) return;
    inner_->check_done();
  }

  R current_restriction() const override { return inner_->current_restriction(); }

  RestrictionProgress progress() const override {
    if (mutation_ == RestrictionMutation::kNone) return inner_->progress();
    if (mutation_ == RestrictionMutation::kTornProgress) {
      const double completed = inner_->progress().completed;
      std::this_thread::yield();
      return {completed, inner_->progress().remaining};
    }
    RestrictionProgress p = inner_->progress();
    splitcheck::internal::MutexLock lock(&mu_);
    if (mutation_ == RestrictionMutation::kCompletedResetBySplit) {
      p.completed = std::max(0.0, p.completed - completed_base_);
    }
    if (mutation_ == RestrictionMutation::kRemainingAfterRefusal && refused_) p.remaining += 1;
    return p;
  }

  bool is_bounded() const override { return inner_->is_bounded(); }
  std::string debug_string() const override {
    if (mutation_ == RestrictionMutation::kNone) return inner_->debug_string();
    return "mutant(" + std::string(mutation_name(mutation_)) + ") of " + inner_->debug_string();
  }

 private:
  // Whether `position` lies in the restriction the tracker was made with
  // (any position, for a restriction type whose bounds are unknown: the
  // DoFn analysis does not apply the bug to those).
  bool inside_first(const P& position) const {
    if constexpr (HasRestrictionBounds<R, P>) {
      return RestrictionBounds<R, P>::contains(first_, position);
    } else {
      return true;
    }
  }

  const std::unique_ptr<RestrictionTracker<R, P>> inner_;
  const RestrictionMutation mutation_;
  const R first_;
  mutable splitcheck::internal::Mutex mu_;
  std::optional<P> last_ SPLITCHECK_GUARDED_BY(mu_);  // the last accepted claim
  bool refused_ SPLITCHECK_GUARDED_BY(mu_) = false;
  bool past_end_ SPLITCHECK_GUARDED_BY(mu_) = false;
  double completed_base_ SPLITCHECK_GUARDED_BY(mu_) = 0;
};

enum class SdfMutation {
  kNone,
  // The tracker bugs a DoFn's outputs must show.
  kResidualOverlapsPrimary,
  kClaimPastEndAccepted,
  kCheckpointSplitsAtHalf,
  // A call on a restriction that is not one the DoFn made itself (a
  // residual of a split or a checkpoint, a retried remainder) loses its
  // first output, or emits it twice.
  kSkipsFirstOutputOfResidual,
  kDuplicatesFirstOutputOfResidual,
  // new_watermark_estimator ignores the checkpointed state: a resumed
  // restriction's watermark starts from the minimum again.
  kWatermarkStateDropped,
  // split_restriction returns its first piece twice.
  kExtraInitialSplit,
  // split_restriction loses its last piece (when it makes several).
  kInitialSplitDropped,
  // process returns stop where the DoFn asked to resume: the rest of the
  // restriction is never checkpointed.
  kStopInsteadOfResume,
};

inline constexpr SdfMutation kSdfMutants[] = {
    SdfMutation::kResidualOverlapsPrimary,
    SdfMutation::kClaimPastEndAccepted,
    SdfMutation::kCheckpointSplitsAtHalf,
    SdfMutation::kSkipsFirstOutputOfResidual,
    SdfMutation::kDuplicatesFirstOutputOfResidual,
    SdfMutation::kWatermarkStateDropped,
    SdfMutation::kExtraInitialSplit,
    SdfMutation::kInitialSplitDropped,
    SdfMutation::kStopInsteadOfResume,
};

inline std::optional<RestrictionMutation> tracker_mutation_of(SdfMutation m) {
  switch (m) {
    case SdfMutation::kResidualOverlapsPrimary:
      return RestrictionMutation::kResidualOverlapsPrimary;
    case SdfMutation::kClaimPastEndAccepted:
      return RestrictionMutation::kClaimPastEndAccepted;
    case SdfMutation::kCheckpointSplitsAtHalf:
      return RestrictionMutation::kCheckpointSplitsAtHalf;
    default:
      return std::nullopt;
  }
}

inline std::string_view mutation_name(SdfMutation m) {
  if (const auto tracker = tracker_mutation_of(m)) return mutation_name(*tracker);
  switch (m) {
    case SdfMutation::kSkipsFirstOutputOfResidual:
      return "a residual's first output skipped";
    case SdfMutation::kDuplicatesFirstOutputOfResidual:
      return "a residual's first output emitted twice";
    case SdfMutation::kWatermarkStateDropped:
      return "a resumed watermark starts from the minimum";
    case SdfMutation::kExtraInitialSplit:
      return "an initial split returned twice";
    case SdfMutation::kInitialSplitDropped:
      return "the last initial split lost";
    case SdfMutation::kStopInsteadOfResume:
      return "stop returned instead of resume";
    default:
      return "none";
  }
}

// What a DoFn was seen to do through a MutantDoFn.
struct SdfMutantFacts {
  std::atomic<bool> resumed{false};  // process returned resume
  // new_watermark_estimator was given a state above the minimum
  std::atomic<bool> resumed_with_watermark{false};
  std::atomic<int> most_initial_splits{0};
  std::atomic<int> split_restriction_calls{0};
  // Set by the control (sdf_mutation_analysis.h) before any mutant runs,
  // and read-only after: how the gate failed the DoFn with its trackers
  // wrapped in a wrapper that changes nothing, when it did every time (the
  // DoFn needs its own tracker type); and the control's rejection, when the
  // gate rejects the DoFn itself.
  std::optional<std::string> wrapped_trackers_fail;
  std::optional<std::string> control_rejected;
};

template <typename In, typename Out, typename R, typename P>
class MutantDoFn final : public SplittableDoFn<In, Out, R, P> {
 public:
  using DoFn = SplittableDoFn<In, Out, R, P>;

  // `wrap_trackers`: with kNone, wrap the trackers in a MutantRestriction-
  // Tracker that changes nothing (the tracker bugs wrap them anyway).
  MutantDoFn(const DoFn& inner, SdfMutation m, std::shared_ptr<SdfMutantFacts> facts,
             bool wrap_trackers = false)
      : inner_(inner),
        mutation_(m),
        facts_(std::move(facts)),
        wrap_(tracker_mutation_of(m).value_or(RestrictionMutation::kNone)),
        wrap_trackers_(wrap_trackers || tracker_mutation_of(m).has_value()) {}

  R initial_restriction(const In& element) const override {
    R whole = inner_.initial_restriction(element);
    remember(whole);
    return whole;
  }

  std::vector<R> split_restriction(const In& element, const R& restriction,
                                   double desired_size) const override {
    std::vector<R> parts = inner_.split_restriction(element, restriction, desired_size);
    for (const R& part : parts) remember(part);
    ++facts_->split_restriction_calls;
    const int n = static_cast<int>(parts.size());
    int seen = facts_->most_initial_splits.load();
    while (n > seen && !facts_->most_initial_splits.compare_exchange_weak(seen, n)) {
    }
    if (mutation_ == SdfMutation::kExtraInitialSplit && !parts.empty()) {
      parts.push_back(parts.front());
    }
    if (mutation_ == SdfMutation::kInitialSplitDropped && parts.size() > 1) parts.pop_back();
    return parts;
  }

  double restriction_size(const In& element, const R& restriction) const override {
    return inner_.restriction_size(element, restriction);
  }

  std::unique_ptr<RestrictionTracker<R, P>> new_tracker(const In& element,
                                                        const R& restriction) const override {
    auto tracker = inner_.new_tracker(element, restriction);
    if (!wrap_trackers_ || tracker == nullptr) return tracker;
    return std::make_unique<MutantRestrictionTracker<R, P>>(std::move(tracker), wrap_);
  }

  std::unique_ptr<WatermarkEstimator> new_watermark_estimator(const In& element,
                                                              Timestamp state) const override {
    if (state != kMinTimestamp) facts_->resumed_with_watermark = true;
    return inner_.new_watermark_estimator(
        element, mutation_ == SdfMutation::kWatermarkStateDropped ? kMinTimestamp : state);
  }

  ProcessContinuation process(const In& element, RestrictionTracker<R, P>& tracker,
                              WatermarkEstimator& watermark, SdfOutput<Out>& out) const override {
    FirstOutput first(out, is_residual(tracker.current_restriction()), mutation_);
    const ProcessContinuation c = inner_.process(element, tracker, watermark, first);
    if (c.resume) {
      facts_->resumed = true;
      if (mutation_ == SdfMutation::kStopInsteadOfResume) return ProcessContinuation::stop();
    }
    return c;
  }

  std::string debug_string() const override {
    if (mutation_ == SdfMutation::kNone) return inner_.debug_string();
    return "mutant(" + std::string(mutation_name(mutation_)) + ") of " + inner_.debug_string();
  }

 private:
  // The output of one call: its first output dropped or doubled, when the
  // mutation says so and the restriction is a residual.
  class FirstOutput final : public SdfOutput<Out> {
   public:
    FirstOutput(SdfOutput<Out>& out, bool residual, SdfMutation m)
        : out_(out), residual_(residual), mutation_(m) {}
    void output(Out value, Timestamp timestamp) override {
      const bool first = outputs_++ == 0;
      if (residual_ && first) {
        if (mutation_ == SdfMutation::kSkipsFirstOutputOfResidual) return;
        if (mutation_ == SdfMutation::kDuplicatesFirstOutputOfResidual) {
          out_.output(value, timestamp);
        }
      }
      out_.output(std::move(value), timestamp);
    }

   private:
    SdfOutput<Out>& out_;
    const bool residual_;
    const SdfMutation mutation_;
    std::int64_t outputs_ = 0;  // one call, one thread
  };

  void remember(const R& r) const {
    if constexpr (std::equality_comparable<R>) {
      splitcheck::internal::MutexLock lock(&mu_);
      if (std::find(made_.begin(), made_.end(), r) == made_.end()) made_.push_back(r);
    }
  }

  bool is_residual(const R& r) const {
    if constexpr (std::equality_comparable<R>) {
      splitcheck::internal::MutexLock lock(&mu_);
      return std::find(made_.begin(), made_.end(), r) == made_.end();
    } else {
      return false;  // cannot tell: the residual mutants do not apply
    }
  }

  const DoFn& inner_;
  const SdfMutation mutation_;
  const std::shared_ptr<SdfMutantFacts> facts_;
  const RestrictionMutation wrap_;  // the bug the wrapped trackers have
  const bool wrap_trackers_;
  mutable splitcheck::internal::Mutex mu_;
  // The restrictions the DoFn made, initial ones and initial splits, of
  // every element this wrapper has seen (a restriction equal to one another
  // element made counts as made: the residual mutants then miss it, never
  // hit a restriction the DoFn made).
  mutable std::vector<R> made_ SPLITCHECK_GUARDED_BY(mu_);
};

}  // namespace splitcheck::testkit::internal

#endif  // SPLITCHECK_TESTKIT_SDF_INTERNAL_SDF_MUTANTS_H_
