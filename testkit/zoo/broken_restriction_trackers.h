// Restriction trackers with one classic bug each, for proving that the
// restriction tracker contract checker catches them (never use them for
// anything else). BuggyOffsetRestrictionTracker is a whole offset tracker of
// its own (bounded, or growable with an estimator), written plainly so that
// each bug is one changed line; with RestrictionBug::kNone it is correct and
// passes the check.
//
//   kCheckDonePassesWithWorkLeft  check_done never complains: a DoFn that
//                                 stops early loses the rest silently.
//   kResidualOverlapsPrimary      the split offset may equal the last claim
//                                 (step max(0, ...) instead of max(1, ...)):
//                                 try_split(0) hands the block being done to
//                                 the residual too, read twice.
//   kCompletedFromTheStop         progress's completed work is stop - last,
//                                 the bug an early Beam Python tracker had.
//   kCheckpointKeepsUnclaimedWork try_split(0) splits one past the claimed
//                                 work: the primary keeps an unclaimed
//                                 offset that nobody will claim.
//   kSplitsPastTheEstimate        a growable tracker splits as if the input
//                                 were twice as long as the estimate says.
//   kClaimsAfterRefusal           a claim after a refused one is answered
//                                 (true inside the range) instead of being a
//                                 UsageError: a DoFn that goes on is not
//                                 stopped.
//   kRoundsTheSplit               rounds (cur + round((end - cur) * f))
//                                 where Beam floors: [0, 10) split at 0.5
//                                 before any claim gives [0, 5) for [0, 4).
//   kSplitWithoutTheLock          try_split reads the last claim, lets go of
//                                 the lock, then splits on what it read: a
//                                 claim in between lands in the residual as
//                                 well (only the linearizability check sees
//                                 it).
//
// BuggyByteKeyRestrictionTracker wraps ByteKeyRestrictionTracker:
//   kClaimsTheEndMarker           try_claim("") is accepted as a key.
//   kCheckDoneAfterAnyClaim       check_done passes once any key is claimed.

#ifndef SPLITCHECK_TESTKIT_ZOO_BROKEN_RESTRICTION_TRACKERS_H_
#define SPLITCHECK_TESTKIT_ZOO_BROKEN_RESTRICTION_TRACKERS_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/sdf/byte_key_restriction_tracker.h"
#include "splitcheck/lib/sdf/offset_range.h"
#include "splitcheck/lib/sdf/restriction_tracker.h"

namespace splitcheck::examples::broken {

enum class RestrictionBug {
  kNone,
  kCheckDonePassesWithWorkLeft,
  kResidualOverlapsPrimary,
  kCompletedFromTheStop,
  kCheckpointKeepsUnclaimedWork,
  kSplitsPastTheEstimate,
  kClaimsAfterRefusal,
  kSplitWithoutTheLock,
  kRoundsTheSplit,
  kClaimsTheEndMarker,
  kCheckDoneAfterAnyClaim,
};

class BuggyOffsetRestrictionTracker final : public RestrictionTracker<OffsetRange, std::int64_t> {
 public:
  // `estimate` null: a bounded tracker; else growable over [from, inf).
  BuggyOffsetRestrictionTracker(OffsetRange range, std::function<std::int64_t()> estimate,
                                RestrictionBug bug)
      : range_(range), estimate_(std::move(estimate)), bug_(bug) {
    if (range.from < 0 || range.to < range.from) throw UsageError("bad range");
  }

  bool try_claim(const std::int64_t& p) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (refused_ && bug_ != RestrictionBug::kClaimsAfterRefusal) {
      throw UsageError("a claim after a refused one");
    }
    if (p < range_.from || (last_ && p <= *last_)) throw UsageError("bad claim");
    last_ = p;
    if (p < range_.to) return true;
    refused_ = true;
    return false;
  }

  std::optional<RestrictionSplit<OffsetRange>> try_split(double f) override {
    if (!(f >= 0 && f <= 1)) throw UsageError("bad fraction");
    const bool unlocked = bug_ == RestrictionBug::kSplitWithoutTheLock;
    const std::optional<std::int64_t> estimate =
        unbounded() && estimate_ ? std::optional<std::int64_t>(estimate_()) : std::nullopt;
    std::unique_lock<std::mutex> lock(mu_);
    if (refused_) return std::nullopt;
    const long double cur = last_ ? *last_ : range_.from - 1.0L;
    const bool grows = estimate_ && range_.to == kOffsetInfinity;
    long double end = grows ? std::max<long double>(estimate.value_or(0), cur + 1) : range_.to;
    if (grows && bug_ == RestrictionBug::kSplitsPastTheEstimate) end = cur + 2 * (end - cur);
    const long double exact = (end - cur) * static_cast<long double>(f);
    const long double product =
        bug_ == RestrictionBug::kRoundsTheSplit ? std::round(exact) : std::floor(exact);
    long double step = std::max<long double>(1, product);
    if (bug_ == RestrictionBug::kResidualOverlapsPrimary) step = std::max<long double>(0, product);
    if (bug_ == RestrictionBug::kCheckpointKeepsUnclaimedWork && f == 0) step = 2;
    const long double split = std::max<long double>(cur + step, range_.from);
    if (grows ? split > end || split >= kOffsetInfinity : split >= range_.to) return std::nullopt;
    const auto at = static_cast<std::int64_t>(split);
    if (unlocked) {
      lock.unlock();
      std::this_thread::yield();  // the window a claim falls into
      lock.lock();
    }
    RestrictionSplit<OffsetRange> result{{range_.from, at}, {at, range_.to}};
    range_.to = at;
    return result;
  }

  void check_done() const override {
    std::lock_guard<std::mutex> lock(mu_);
    if (bug_ == RestrictionBug::kCheckDonePassesWithWorkLeft) return;
    if (refused_ || range_.from == range_.to) return;
    if (!grows_locked() && last_ && *last_ >= range_.to - 1) return;
    throw UsageError("unclaimed work");
  }

  OffsetRange current_restriction() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return range_;
  }

  RestrictionProgress progress() const override {
    const std::optional<std::int64_t> estimate =
        unbounded() && estimate_ ? std::optional<std::int64_t>(estimate_()) : std::nullopt;
    std::lock_guard<std::mutex> lock(mu_);
    const long double from = range_.from;
    if (refused_) return {static_cast<double>(std::min(*last_, range_.to) - from), 0};
    const long double next = last_ ? *last_ + 1.0L : from;
    const long double end =
        grows_locked() ? std::max<long double>(estimate.value_or(0), next) : range_.to;
    if (!last_) return {0, static_cast<double>(end - from)};
    const long double completed =
        bug_ == RestrictionBug::kCompletedFromTheStop ? end - *last_ : *last_ - from;
    return {static_cast<double>(completed), static_cast<double>(end - *last_)};
  }

  bool is_bounded() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return !grows_locked();
  }

  std::string debug_string() const override {
    return "BuggyOffsetRestrictionTracker" + current_restriction().debug_string();
  }

 private:
  bool grows_locked() const { return estimate_ && range_.to == kOffsetInfinity; }
  bool unbounded() const {
    std::lock_guard<std::mutex> lock(mu_);
    return grows_locked();
  }

  mutable std::mutex mu_;
  OffsetRange range_;
  const std::function<std::int64_t()> estimate_;
  const RestrictionBug bug_;
  std::optional<std::int64_t> last_;
  bool refused_ = false;
};

class BuggyByteKeyRestrictionTracker final : public RestrictionTracker<ByteKeyRange, std::string> {
 public:
  BuggyByteKeyRestrictionTracker(ByteKeyRange range, RestrictionBug bug)
      : inner_(std::move(range)), bug_(bug) {}

  bool try_claim(const std::string& key) override {
    if (key.empty() && bug_ == RestrictionBug::kClaimsTheEndMarker) return true;
    const bool claimed = inner_.try_claim(key);
    std::lock_guard<std::mutex> lock(mu_);
    any_claim_ = true;
    return claimed;
  }
  std::optional<RestrictionSplit<ByteKeyRange>> try_split(double f) override {
    return inner_.try_split(f);
  }
  void check_done() const override {
    if (bug_ == RestrictionBug::kCheckDoneAfterAnyClaim) {
      std::lock_guard<std::mutex> lock(mu_);
      if (any_claim_) return;
    }
    inner_.check_done();
  }
  ByteKeyRange current_restriction() const override { return inner_.current_restriction(); }
  RestrictionProgress progress() const override { return inner_.progress(); }
  bool is_bounded() const override { return inner_.is_bounded(); }
  std::string debug_string() const override { return "Buggy" + inner_.debug_string(); }

 private:
  ByteKeyRestrictionTracker inner_;
  const RestrictionBug bug_;
  mutable std::mutex mu_;
  bool any_claim_ = false;
};

}  // namespace splitcheck::examples::broken

#endif  // SPLITCHECK_TESTKIT_ZOO_BROKEN_RESTRICTION_TRACKERS_H_
