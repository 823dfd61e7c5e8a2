// ByteKeyRestrictionTracker: a RestrictionTracker over a ByteKeyRange (Beam's
// ByteKeyRangeTracker). The contract is restriction_tracker.h's, with:
//
//   * try_claim(k): true for a key in the range; false for a key at or past
//     a non-empty end. The empty key is the end marker (as in Beam): claiming
//     it is always refused and ends the range, the way a DoFn over the whole
//     key space says it has read its last key. (So the empty key itself is
//     never claimed as data.)
//   * try_split(f): let u be the first unclaimed key: before any claim the
//     range's first_key() (its start, or "\0" for the empty start: a
//     checkpoint before any claim then gives the primary ["", "\0"), which
//     holds no claimable key, where ["", "") would be the whole key space),
//     else the last claim followed by a zero byte (the next key).
//     Refused once a claim was refused or when no key is left (u at or past
//     the end). try_split(0) splits at u (a checkpoint: the primary keeps the
//     claimed keys). For f > 0 the split key s is the shortest key strictly
//     inside (u, end) whose share of [u, end) is at least f and at most
//     f * (1 + 2^-40) (keys read as base-256 fractions,
//     lib/internal/key_arithmetic.h); refused when there is none (f = 1, or
//     no key lies strictly between u and the end).
//     Primary [start, s), residual [s, end).
//   * check_done: a UsageError naming the unclaimed keys unless a claim was
//     refused, the range is empty, or no key lies between the last claim and
//     a non-empty end.
//   * progress: in shares of the current range: (0, 1) before any claim,
//     (c, 1 - c) after a claim, c the share of [start, end) before the last
//     claimed key, (1, 0) once a claim was refused, (0, 0) for an empty range.
//   * is_bounded(): true (a key range is finite work).
//
// A non-empty end before the start is a UsageError at construction.
// Thread-safe; see RestrictionTracker.

#ifndef SPLITCHECK_LIB_SDF_BYTE_KEY_RESTRICTION_TRACKER_H_
#define SPLITCHECK_LIB_SDF_BYTE_KEY_RESTRICTION_TRACKER_H_

#include <optional>
#include <string>

#include "splitcheck/lib/internal/spin_mutex.h"
#include "splitcheck/lib/internal/thread_annotations.h"
#include "splitcheck/lib/sdf/byte_key_range.h"
#include "splitcheck/lib/sdf/restriction_tracker.h"

namespace splitcheck {

class ByteKeyRestrictionTracker final : public RestrictionTracker<ByteKeyRange, std::string> {
 public:
  // REQUIRES: range.end empty or not before range.start, else a UsageError.
  explicit ByteKeyRestrictionTracker(ByteKeyRange range);

  bool try_claim(const std::string& key) override;
  std::optional<RestrictionSplit<ByteKeyRange>> try_split(double fraction_of_remainder) override;
  void check_done() const override;
  ByteKeyRange current_restriction() const override;
  RestrictionProgress progress() const override;
  bool is_bounded() const override { return true; }
  std::string debug_string() const override;

 private:
  mutable internal::SpinMutex mu_;
  ByteKeyRange range_ SPLITCHECK_GUARDED_BY(mu_);
  std::optional<std::string> last_ SPLITCHECK_GUARDED_BY(mu_);  // last claim attempted
  bool refused_ SPLITCHECK_GUARDED_BY(mu_) = false;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_SDF_BYTE_KEY_RESTRICTION_TRACKER_H_
