#include "splitcheck/lib/sdf/byte_key_restriction_tracker.h"

#include <algorithm>
#include <utility>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/key_arithmetic.h"
#include "splitcheck/lib/internal/mutex.h"

namespace splitcheck {
namespace {

using Lock = internal::ScopedLock<internal::SpinMutex>;

constexpr const char* kName = "ByteKeyRestrictionTracker";

// The first unclaimed key.
std::string first_unclaimed(const ByteKeyRange& range, const std::optional<std::string>& last) {
  if (!last) return range.first_key();
  std::string next = *last;
  next.push_back('\0');
  return next;
}

// No key of `range` lies at or after `key`.
bool nothing_from(const std::string& key, const ByteKeyRange& range) {
  return !range.end.empty() && key >= range.end;
}

}  // namespace

ByteKeyRestrictionTracker::ByteKeyRestrictionTracker(ByteKeyRange range)
    : range_(std::move(range)) {
  if (!range_.end.empty() && range_.end < range_.start) {
    throw UsageError(std::string(kName) + ": the range " + range_.debug_string() +
                     " ends before it starts");
  }
}

std::string ByteKeyRestrictionTracker::debug_string() const {
  Lock lock(&mu_);
  return kName + range_.debug_string();
}

bool ByteKeyRestrictionTracker::try_claim(const std::string& key) {
  std::string problem;
  std::optional<std::string> last;
  ByteKeyRange range;
  {
    Lock lock(&mu_);
    if (refused_) {
      problem = "after a refused claim: once try_claim returns false the DoFn must stop";
    } else if (key.empty()) {
      last_ = key;
      refused_ = true;
      return false;
    } else if (key < range_.start) {
      problem = "it is before the start of the range";
    } else if (last_ && key <= *last_) {
      problem = "claims must increase";
    } else {
      last_ = key;
      if (range_.end.empty() || key < range_.end) return true;
      refused_ = true;
      return false;
    }
    last = last_;
    range = range_;
  }
  throw UsageError(kName + range.debug_string() + ": cannot claim " + describe_key(key) +
                   (last ? " after " + describe_key(*last) : std::string()) + ": " + problem);
}

std::optional<RestrictionSplit<ByteKeyRange>> ByteKeyRestrictionTracker::try_split(
    double fraction_of_remainder) {
  if (!(fraction_of_remainder >= 0 && fraction_of_remainder <= 1)) {
    throw UsageError(debug_string() + ": try_split(" + std::to_string(fraction_of_remainder) +
                     "): the fraction of the remainder must be in [0, 1]");
  }
  // Copies taken under the lock; the key arithmetic runs without it, and the
  // split lands only if no claim or split came in between (else it is
  // computed again).
  for (;;) {
    ByteKeyRange range;
    std::optional<std::string> last;
    {
      Lock lock(&mu_);
      if (refused_) return std::nullopt;
      range = range_;
      last = last_;
    }
    const std::string u = first_unclaimed(range, last);
    if (nothing_from(u, range)) return std::nullopt;
    std::string split;
    if (fraction_of_remainder == 0) {
      split = u;
    } else {
      split = internal::fraction_to_key(fraction_of_remainder, u, range.end);
      if (split <= u || nothing_from(split, range)) return std::nullopt;
    }
    Lock lock(&mu_);
    if (refused_ || range_ != range || last_ != last) continue;
    RestrictionSplit<ByteKeyRange> result{{range_.start, split}, {split, range_.end}};
    range_.end = split;
    return result;
  }
}

void ByteKeyRestrictionTracker::check_done() const {
  ByteKeyRange range;
  std::optional<std::string> last;
  {
    Lock lock(&mu_);
    if (refused_ || range_.empty()) return;
    if (last_ && nothing_from(first_unclaimed(range_, last_), range_)) return;
    range = range_;
    last = last_;
  }
  const ByteKeyRange unclaimed{first_unclaimed(range, last), range.end};
  throw UsageError(
      kName + range.debug_string() + ": keys " + unclaimed.debug_string() +
      " are unclaimed: the DoFn returned with work left (claim until try_claim "
      "returns false, or return ProcessContinuation::resume_after() so that the runner "
      "checkpoints it with try_split(0))");
}

ByteKeyRange ByteKeyRestrictionTracker::current_restriction() const {
  Lock lock(&mu_);
  return range_;
}

RestrictionProgress ByteKeyRestrictionTracker::progress() const {
  ByteKeyRange range;
  std::optional<std::string> last;
  {
    Lock lock(&mu_);
    if (range_.empty()) return {0, 0};
    if (refused_) return {1, 0};
    if (!last_) return {0, 1};
    range = range_;
    last = last_;
  }
  const double c = std::clamp(internal::key_to_fraction(*last, range.start, range.end), 0.0, 1.0);
  return {c, 1 - c};
}

}  // namespace splitcheck
