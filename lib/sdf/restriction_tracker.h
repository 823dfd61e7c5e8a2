// RestrictionTracker<R, P>: who owns which part of a splittable DoFn's
// restriction while an element is processed, the contract of Beam's
// splittable DoFns (SDF).
//
// A restriction R is a description of work (OffsetRange, ByteKeyRange, a
// growing log's offsets); a position P names one block of it. The DoFn
// processing an element with a tracker announces each block before doing it:
//
//   * try_claim(p): true means the DoFn must do the whole block at p and
//     emit its output; false means the restriction holds no more work at p:
//     the DoFn must stop at once, doing and emitting nothing more. A refused
//     claim is final: later claims are a UsageError. Claims strictly
//     increase; a claim before the restriction's start is a UsageError.
//     Nothing may be output before the first claim.
//   * try_split(fraction_of_remainder): from another thread (a runner
//     rebalancing) or from the DoFn itself (a checkpoint), splits off the
//     unclaimed part of the restriction. On success the current restriction
//     becomes the *primary*, and the result holds it and the *residual*;
//     primary and residual together are exactly the restriction before the
//     split, every claimed block is in the primary, the residual holds no
//     claimed block. The fraction is a hint, relative to the work *remaining*
//     (not the whole restriction): 0.5 keeps about half of what is left.
//     fraction_of_remainder = 0 is a checkpoint: the primary keeps exactly the
//     work already claimed and the residual is the rest, resumed later.
//     Refusing is a normal answer (nothing left to give away). A fraction
//     that is NaN or outside [0, 1] is a UsageError.
//   * check_done(): called after the DoFn returns; throws a UsageError that
//     names the unclaimed work when some remains in the current restriction
//     (a DoFn that stopped early without checkpointing loses it).
//   * current_restriction(): the whole restriction this call is responsible
//     for, the work done included; shrinks on each accepted split.
//   * progress(): work completed and work remaining, both >= 0, in the
//     tracker's unit (offsets, shares of a key range, ...); completed never
//     decreases; remaining is 0 once a claim was refused.
//   * is_bounded(): whether the current restriction's work is finite (a
//     growable tracker is unbounded until a split bounds its primary).
//
// Thread safety: every method may be called from any thread at any time,
// concurrently with every other (a DoFn claims while a runner splits and a
// monitor asks for progress); each call takes effect atomically. The
// trackers of lib/sdf never call user code (an end estimator) with their
// lock held.
//
// splitcheck's restriction tracker contract checker
// (testkit/sdf/restriction_tracker_contract.h) holds an implementation to
// these rules, with the exact arithmetic of its domain.

#ifndef SPLITCHECK_LIB_SDF_RESTRICTION_TRACKER_H_
#define SPLITCHECK_LIB_SDF_RESTRICTION_TRACKER_H_

#include <optional>
#include <string>

namespace splitcheck {

// Work completed and remaining, in the tracker's unit.
struct RestrictionProgress {
  double completed = 0;
  double remaining = 0;

  friend bool operator==(const RestrictionProgress&, const RestrictionProgress&) = default;
};

// An accepted try_split: the primary (now the tracker's restriction) and the
// residual (work for someone else, or for later).
template <typename R>
struct RestrictionSplit {
  R primary;
  R residual;

  friend bool operator==(const RestrictionSplit&, const RestrictionSplit&) = default;
};

template <typename R, typename P>
class RestrictionTracker {
 public:
  using restriction_type = R;
  using position_type = P;

  virtual ~RestrictionTracker() = default;

  // Claims the block at `position`; see the class comment. Throws UsageError
  // for a claim before the start, not after the last one, or after a refused
  // one.
  virtual bool try_claim(const P& position) = 0;

  // Splits off part of the unclaimed work; see the class comment. Throws
  // UsageError if the fraction is NaN or outside [0, 1].
  virtual std::optional<RestrictionSplit<R>> try_split(double fraction_of_remainder) = 0;

  // Throws UsageError naming the unclaimed work, if any remains.
  virtual void check_done() const = 0;

  virtual R current_restriction() const = 0;
  virtual RestrictionProgress progress() const = 0;
  virtual bool is_bounded() const = 0;

  // A short description for messages, e.g. "OffsetRestrictionTracker[0, 100)".
  virtual std::string debug_string() const = 0;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_SDF_RESTRICTION_TRACKER_H_
