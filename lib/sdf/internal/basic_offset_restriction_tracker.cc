#include "splitcheck/lib/sdf/internal/basic_offset_restriction_tracker.h"

#include <algorithm>
#include <utility>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/mutex.h"
#include "splitcheck/lib/sdf/internal/offset_split.h"

namespace splitcheck::internal {
namespace {

using Wide = __int128;

std::string text(std::int64_t offset) {
  return offset == kOffsetInfinity ? "inf" : std::to_string(offset);
}

}  // namespace

BasicOffsetRestrictionTracker::BasicOffsetRestrictionTracker(
    std::string_view name, OffsetRange range, std::function<std::int64_t()> estimator)
    : name_(name), estimator_(std::move(estimator)), range_(range) {
  if (range.from < 0 || range.to < range.from) {
    throw UsageError(std::string(name) + ": the range " + range.debug_string() +
                     " needs 0 <= from <= to");
  }
}

bool BasicOffsetRestrictionTracker::unbounded_locked() const {
  return estimator_ != nullptr && range_.to == kOffsetInfinity;
}

std::string BasicOffsetRestrictionTracker::describe_locked() const {
  return std::string(name_) + range_.debug_string();
}

std::string BasicOffsetRestrictionTracker::debug_string() const {
  ScopedLock<SpinMutex> lock(&mu_);
  return describe_locked();
}

bool BasicOffsetRestrictionTracker::try_claim(const std::int64_t& position) {
  enum class Misuse { kNone, kAfterRefusal, kBeforeStart, kNotIncreasing } misuse = Misuse::kNone;
  std::optional<std::int64_t> last;
  OffsetRange range;
  {
    ScopedLock<SpinMutex> lock(&mu_);
    if (refused_) {
      misuse = Misuse::kAfterRefusal;
    } else if (position < range_.from) {
      misuse = Misuse::kBeforeStart;
    } else if (last_ && position <= *last_) {
      misuse = Misuse::kNotIncreasing;
    } else {
      last_ = position;
      if (position < range_.to) return true;
      refused_ = true;
      return false;
    }
    last = last_;
    range = range_;
  }
  const std::string who =
      std::string(name_) + range.debug_string() + ": cannot claim " + text(position);
  switch (misuse) {
    case Misuse::kAfterRefusal:
      throw UsageError(who + " after the refused claim of " + text(*last) +
                       ": once try_claim returns false the DoFn must stop");
    case Misuse::kBeforeStart:
      throw UsageError(who + ": it is before the start of the range");
    default:
      throw UsageError(who + " after " + text(*last) + ": claims must increase");
  }
}

std::optional<std::int64_t> BasicOffsetRestrictionTracker::estimate_if_unbounded() const {
  {
    ScopedLock<SpinMutex> lock(&mu_);
    if (!unbounded_locked() || refused_) return std::nullopt;
  }
  return estimator_();
}

std::optional<RestrictionSplit<OffsetRange>> BasicOffsetRestrictionTracker::try_split(
    double fraction_of_remainder) {
  if (!(fraction_of_remainder >= 0 && fraction_of_remainder <= 1)) {
    throw UsageError(debug_string() + ": try_split(" + std::to_string(fraction_of_remainder) +
                     "): the fraction of the remainder must be in [0, 1]");
  }
  const std::optional<std::int64_t> estimate = estimate_if_unbounded();
  ScopedLock<SpinMutex> lock(&mu_);
  if (refused_) return std::nullopt;
  const Wide cur = last_ ? Wide{*last_} : Wide{range_.from} - 1;
  const bool unbounded = unbounded_locked();
  // A split between estimate_if_unbounded and here may have bounded the
  // range: its estimate is then unused.
  const Wide end = unbounded ? std::max(Wide{estimate.value_or(0)}, cur + 1) : Wide{range_.to};
  const Wide span = end - cur;  // >= 1
  const Wide step = std::max<Wide>(
      1, offset_split_step(static_cast<unsigned __int128>(span), fraction_of_remainder));
  const Wide split = cur + step;
  if (unbounded ? (split > end || split >= kOffsetInfinity) : split >= range_.to) {
    return std::nullopt;
  }
  const auto at = static_cast<std::int64_t>(split);
  RestrictionSplit<OffsetRange> result{{range_.from, at}, {at, range_.to}};
  range_.to = at;
  return result;
}

void BasicOffsetRestrictionTracker::check_done() const {
  std::optional<std::int64_t> last;
  OffsetRange range;
  {
    ScopedLock<SpinMutex> lock(&mu_);
    if (refused_ || range_.from == range_.to) return;
    if (!unbounded_locked() && last_ && *last_ >= range_.to - 1) return;
    last = last_;
    range = range_;
  }
  const std::int64_t first_unclaimed = last ? *last + 1 : range.from;
  throw UsageError(
      std::string(name_) + range.debug_string() + ": offsets [" + text(first_unclaimed) + ", " +
      text(range.to) +
      ") are unclaimed: the DoFn returned with work left (claim until try_claim "
      "returns false, or return ProcessContinuation::resume_after() so that the runner "
      "checkpoints it with try_split(0))");
}

OffsetRange BasicOffsetRestrictionTracker::current_restriction() const {
  ScopedLock<SpinMutex> lock(&mu_);
  return range_;
}

RestrictionProgress BasicOffsetRestrictionTracker::progress() const {
  const std::optional<std::int64_t> estimate = estimate_if_unbounded();
  ScopedLock<SpinMutex> lock(&mu_);
  const auto d = [](Wide v) { return static_cast<double>(v); };
  const Wide from = range_.from;
  if (refused_) return {d(Wide{std::min(*last_, range_.to)} - from), 0};
  const Wide end = unbounded_locked()
                       ? std::max(Wide{estimate.value_or(0)}, last_ ? Wide{*last_} + 1 : from)
                       : Wide{range_.to};
  if (!last_) return {0, d(end - from)};
  return {d(Wide{*last_} - from), d(end - *last_)};
}

bool BasicOffsetRestrictionTracker::is_bounded() const {
  ScopedLock<SpinMutex> lock(&mu_);
  return !unbounded_locked();
}

}  // namespace splitcheck::internal
