// BasicOffsetRestrictionTracker: the one implementation behind
// OffsetRestrictionTracker and GrowableOffsetRestrictionTracker (their
// headers state the contract). Internal: use those.

#ifndef SPLITCHECK_LIB_SDF_INTERNAL_BASIC_OFFSET_RESTRICTION_TRACKER_H_
#define SPLITCHECK_LIB_SDF_INTERNAL_BASIC_OFFSET_RESTRICTION_TRACKER_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "splitcheck/lib/internal/spin_mutex.h"
#include "splitcheck/lib/internal/thread_annotations.h"
#include "splitcheck/lib/sdf/offset_range.h"
#include "splitcheck/lib/sdf/restriction_tracker.h"

namespace splitcheck::internal {

class BasicOffsetRestrictionTracker : public RestrictionTracker<OffsetRange, std::int64_t> {
 public:
  bool try_claim(const std::int64_t& position) override;
  std::optional<RestrictionSplit<OffsetRange>> try_split(double fraction_of_remainder) override;
  void check_done() const override;
  OffsetRange current_restriction() const override;
  RestrictionProgress progress() const override;
  bool is_bounded() const override;
  std::string debug_string() const override;

 protected:
  // `estimator` null: a bounded tracker, whose kOffsetInfinity end is just
  // an offset.
  BasicOffsetRestrictionTracker(std::string_view name, OffsetRange range,
                                std::function<std::int64_t()> estimator);

 private:
  // The estimate for an unbounded range, asked without the lock; nullopt
  // when the range is bounded (or the tracker is).
  std::optional<std::int64_t> estimate_if_unbounded() const SPLITCHECK_EXCLUDES(mu_);
  std::string describe_locked() const SPLITCHECK_REQUIRES(mu_);
  bool unbounded_locked() const SPLITCHECK_REQUIRES(mu_);

  const std::string_view name_;
  const std::function<std::int64_t()> estimator_;  // null: bounded tracker
  mutable SpinMutex mu_;
  OffsetRange range_ SPLITCHECK_GUARDED_BY(mu_);
  std::optional<std::int64_t> last_ SPLITCHECK_GUARDED_BY(mu_);  // last claim attempted
  bool refused_ SPLITCHECK_GUARDED_BY(mu_) = false;
};

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_SDF_INTERNAL_BASIC_OFFSET_RESTRICTION_TRACKER_H_
