// Test-only sources with one deliberate flaw each, to prove that every check
// of the testkit rejects what it claims to. FlawedSource(n, Flaw::kNone) is a
// correct source of the integers [0, n), record i at offset i; each other
// flaw is a classic bug of real connectors. Internal to the testkit's tests.

#ifndef SPLITCHECK_TESTKIT_ZOO_FLAWED_SOURCES_H_
#define SPLITCHECK_TESTKIT_ZOO_FLAWED_SOURCES_H_

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "splitcheck/lib/coders/byte_reader.h"
#include "splitcheck/lib/coders/byte_writer.h"
#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/mutex.h"
#include "splitcheck/lib/internal/thread_annotations.h"
#include "splitcheck/lib/sources/bounded_source.h"
#include "splitcheck/lib/sources/source_coder.h"
#include "splitcheck/lib/trackers/offset_range_tracker.h"

namespace splitcheck::testkit::internal {

enum class Flaw {
  kNone,
  // read() counts from 0, not from the tracker's start (the guide's bug).
  kReadsFromZero,
  // After the refused claim, emits that record anyway: the record at the
  // split position is read twice, by the primary and by the residual.
  kEmitsTheRefusedRecord,
  // A reader that does not start at 0 skips its first record: the record
  // straddling a split is lost.
  kDropsFirstRecordOfResidual,
  // Ignores refused claims and reads to the end of the source.
  kIgnoresRefusedClaims,
  // Its tracker reports splits as accepted but keeps its stop: the primary
  // reads on past the split (a tracker that claims past the stop).
  kTrackerClaimsPastStop,
  // split() leaves a gap of one record between bundles.
  kSplitLeavesAGap,
  // Readers share a cursor kept in the source: two readers interleaved
  // disturb each other.
  kSharedCursor,
  // Its tracker's fraction_consumed drops back half-way through.
  kProgressGoesBackwards,
  // split() gives different bundles on each call.
  kNondeterministicSplit,
  // Bundle weights are twice what estimate_size() says.
  kWrongWeights,
  // Its tracker accepts a split at the last claimed position and moves its
  // stop there: the reader has emitted the record at the split, stops, and
  // the residual reads that record again.
  kSplitAtLastClaim,
  // Its tracker's position_at_fraction rounds down (floor instead of ceil).
  kFlooredFractions,
  // Its tracker reports a split's fraction as a share of what was left to
  // read, not of the whole range.
  kFractionOfRemainder,
  // Its tracker's fraction_consumed divides by half the span: progress runs
  // ahead of the records read.
  kProgressAhead,
  // split() ends its last bundle at estimate_size(), not at the stop it was
  // given: right for the whole source, an overrun on any inner range.
  kLastBundleEndsAtTheEstimate,
  // read() gives its tracker a split-points callback one short: after
  // record i it counts the records after i before the stop as stop - i - 2,
  // so it reports 1 remaining (only the current record: no split possible)
  // while one more record is still to come.
  kRemainingUndercount,
};

// An OffsetRangeTracker with one of the three fraction bugs above.
class MisreportingTracker final : public RangeTracker<std::int64_t> {
 public:
  MisreportingTracker(std::int64_t start, std::int64_t stop, Flaw flaw)
      : inner_(start, stop), flaw_(flaw) {}
  std::int64_t start_position() const override { return inner_.start_position(); }
  std::int64_t stop_position() const override { return inner_.stop_position(); }
  bool try_claim(const std::int64_t& p) override { return inner_.try_claim(p); }
  void set_current_position(const std::int64_t& p) override { inner_.set_current_position(p); }
  // floor(x) is ceil(x) - 1 unless x is a whole number, where f is the
  // largest fraction that maps to ceil(x).
  std::int64_t position_at_fraction(double f) const override {
    const std::int64_t p = inner_.position_at_fraction(f);
    if (flaw_ != Flaw::kFlooredFractions || f <= 0 || f >= 1) return p;
    return inner_.position_at_fraction(std::nextafter(f, 2.0)) > p ? p : p - 1;
  }
  std::optional<SplitResult<std::int64_t>> try_split(const std::int64_t& p) override {
    const double consumed = inner_.fraction_consumed();
    auto split = inner_.try_split(p);
    if (split && flaw_ == Flaw::kFractionOfRemainder && consumed < 1) {
      split->fraction = (split->fraction - consumed) / (1 - consumed);
    }
    return split;
  }
  double fraction_consumed() const override {
    const double f = inner_.fraction_consumed();
    return flaw_ == Flaw::kProgressAhead ? std::min(1.0, 2 * f) : f;
  }
  SplitPoints split_points() const override { return inner_.split_points(); }
  void set_split_points_unclaimed_callback(SplitPointsUnclaimedCallback<std::int64_t> cb) override {
    inner_.set_split_points_unclaimed_callback(std::move(cb));
  }
  std::string debug_string() const override { return "MisreportingTracker"; }

 private:
  OffsetRangeTracker inner_;
  const Flaw flaw_;
};

// An offset tracker, written out, whose only bug is the one above: a split
// at the last claimed position is accepted (the contract wants it after).
class LastClaimSplittingTracker final : public RangeTracker<std::int64_t> {
 public:
  LastClaimSplittingTracker(std::int64_t start, std::int64_t stop) : start_(start), stop_(stop) {}
  std::int64_t start_position() const override { return start_; }
  std::int64_t stop_position() const override {
    splitcheck::internal::MutexLock lock(&mu_);
    return stop_;
  }
  bool try_claim(const std::int64_t& p) override {
    splitcheck::internal::MutexLock lock(&mu_);
    if (p < start_ || (last_ && p <= *last_)) throw UsageError("claims must increase");
    if (done_ || p >= stop_) {
      done_ = true;
      return false;
    }
    last_ = p;
    ++claims_;
    return true;
  }
  void set_current_position(const std::int64_t&) override {
    throw UsageError("every record is a split point");
  }
  std::int64_t position_at_fraction(double f) const override {
    splitcheck::internal::MutexLock lock(&mu_);
    return start_ + static_cast<std::int64_t>(std::ceil(f * static_cast<double>(stop_ - start_)));
  }
  std::optional<SplitResult<std::int64_t>> try_split(const std::int64_t& p) override {
    splitcheck::internal::MutexLock lock(&mu_);
    if (done_ || !last_ || p < *last_ || p <= start_ || p >= stop_) return std::nullopt;
    const double fraction = static_cast<double>(p - start_) / static_cast<double>(stop_ - start_);
    stop_ = p;
    return SplitResult<std::int64_t>{p, fraction};
  }
  double fraction_consumed() const override {
    splitcheck::internal::MutexLock lock(&mu_);
    if (done_) return 1.0;
    if (!last_ || stop_ == start_) return 0.0;
    return static_cast<double>(*last_ - start_) / static_cast<double>(stop_ - start_);
  }
  SplitPoints split_points() const override {
    splitcheck::internal::MutexLock lock(&mu_);
    if (done_) return {claims_, 0};
    return {std::max<std::int64_t>(0, claims_ - 1), SplitPoints::kUnknown};
  }
  void set_split_points_unclaimed_callback(SplitPointsUnclaimedCallback<std::int64_t>) override {}
  std::string debug_string() const override { return "LastClaimSplittingTracker"; }

 private:
  const std::int64_t start_;
  mutable splitcheck::internal::Mutex mu_;
  std::int64_t stop_ SPLITCHECK_GUARDED_BY(mu_);
  std::optional<std::int64_t> last_ SPLITCHECK_GUARDED_BY(mu_);
  std::int64_t claims_ SPLITCHECK_GUARDED_BY(mu_) = 0;
  bool done_ SPLITCHECK_GUARDED_BY(mu_) = false;
};

// Progress that drops back from 0.5 to 0.1 half-way through the range.
class BackwardsProgressTracker final : public RangeTracker<std::int64_t> {
 public:
  BackwardsProgressTracker(std::int64_t start, std::int64_t stop) : inner_(start, stop) {}
  std::int64_t start_position() const override { return inner_.start_position(); }
  std::int64_t stop_position() const override { return inner_.stop_position(); }
  bool try_claim(const std::int64_t& p) override { return inner_.try_claim(p); }
  void set_current_position(const std::int64_t& p) override { inner_.set_current_position(p); }
  std::int64_t position_at_fraction(double f) const override {
    return inner_.position_at_fraction(f);
  }
  std::optional<SplitResult<std::int64_t>> try_split(const std::int64_t& p) override {
    return inner_.try_split(p);
  }
  double fraction_consumed() const override {
    const double f = inner_.fraction_consumed();
    return f >= 0.5 && f < 1.0 ? f - 0.4 : f;
  }
  SplitPoints split_points() const override { return inner_.split_points(); }
  void set_split_points_unclaimed_callback(SplitPointsUnclaimedCallback<std::int64_t> cb) override {
    inner_.set_split_points_unclaimed_callback(std::move(cb));
  }
  std::string debug_string() const override { return "BackwardsProgressTracker"; }

 private:
  OffsetRangeTracker inner_;
};

// A tracker that says yes to splits without moving its stop.
class StopIgnoringTracker final : public RangeTracker<std::int64_t> {
 public:
  StopIgnoringTracker(std::int64_t start, std::int64_t stop) : inner_(start, stop) {}
  std::int64_t start_position() const override { return inner_.start_position(); }
  std::int64_t stop_position() const override {
    return reported_stop_.value_or(inner_.stop_position());
  }
  bool try_claim(const std::int64_t& p) override { return inner_.try_claim(p); }
  void set_current_position(const std::int64_t& p) override { inner_.set_current_position(p); }
  std::int64_t position_at_fraction(double f) const override {
    return inner_.position_at_fraction(f);
  }
  std::optional<SplitResult<std::int64_t>> try_split(const std::int64_t& p) override {
    if (p <= inner_.start_position() || p >= stop_position()) return std::nullopt;
    reported_stop_ = p;  // not thread-safe either; this tracker is wrong anyway
    return SplitResult<std::int64_t>{p, 0.5};
  }
  double fraction_consumed() const override { return inner_.fraction_consumed(); }
  SplitPoints split_points() const override { return inner_.split_points(); }
  void set_split_points_unclaimed_callback(SplitPointsUnclaimedCallback<std::int64_t> cb) override {
    inner_.set_split_points_unclaimed_callback(std::move(cb));
  }
  std::string debug_string() const override { return "StopIgnoringTracker"; }

 private:
  OffsetRangeTracker inner_;
  std::optional<std::int64_t> reported_stop_;
};

class FlawedSource final : public BoundedSource<std::int64_t> {
 public:
  FlawedSource(std::int64_t count, Flaw flaw) : count_(count), flaw_(flaw) {}

  std::int64_t estimate_size() const override { return count_; }

  std::vector<SourceBundle<std::int64_t>> split(std::int64_t size,
                                                std::optional<std::int64_t> start,
                                                std::optional<std::int64_t> stop) const override {
    if (size <= 0) throw UsageError("FlawedSource: bad bundle size");
    std::vector<SourceBundle<std::int64_t>> bundles;
    const std::int64_t last = stop.value_or(count_);
    if (flaw_ == Flaw::kNondeterministicSplit) size += splits_++ % 2;
    for (std::int64_t b = start.value_or(0); b < last;) {
      const std::int64_t e = std::min(last, b + size);
      const double weight = static_cast<double>(e - b) * (flaw_ == Flaw::kWrongWeights ? 2 : 1);
      const bool overrun = flaw_ == Flaw::kLastBundleEndsAtTheEstimate && e == last;
      bundles.push_back({weight, self(), b, overrun ? estimate_size() : e});
      b = e + (flaw_ == Flaw::kSplitLeavesAGap ? 1 : 0);
    }
    return bundles;
  }

  std::unique_ptr<RangeTracker<std::int64_t>> get_range_tracker(
      std::optional<std::int64_t> start, std::optional<std::int64_t> stop) const override {
    const std::int64_t first = start.value_or(0);
    const std::int64_t last = stop.value_or(count_);
    if (flaw_ == Flaw::kTrackerClaimsPastStop) {
      return std::make_unique<StopIgnoringTracker>(first, last);
    }
    if (flaw_ == Flaw::kProgressGoesBackwards) {
      return std::make_unique<BackwardsProgressTracker>(first, last);
    }
    if (flaw_ == Flaw::kSplitAtLastClaim) {
      return std::make_unique<LastClaimSplittingTracker>(first, last);
    }
    if (flaw_ == Flaw::kFlooredFractions || flaw_ == Flaw::kFractionOfRemainder ||
        flaw_ == Flaw::kProgressAhead) {
      return std::make_unique<MisreportingTracker>(first, last, flaw_);
    }
    return std::make_unique<OffsetRangeTracker>(first, last);
  }

  Generator<std::int64_t> read(RangeTracker<std::int64_t>& tracker) const override {
    const std::int64_t start = tracker.start_position();
    switch (flaw_) {
      case Flaw::kReadsFromZero:
        for (std::int64_t i = 0; i < count_; ++i) {
          if (!tracker.try_claim(i)) co_return;
          co_yield i;
        }
        break;
      case Flaw::kEmitsTheRefusedRecord:
        for (std::int64_t i = start; i < count_; ++i) {
          if (!tracker.try_claim(i)) {
            co_yield i;
            co_return;
          }
          co_yield i;
        }
        break;
      case Flaw::kDropsFirstRecordOfResidual:
        for (std::int64_t i = start > 0 ? start + 1 : start; tracker.try_claim(i); ++i) co_yield i;
        break;
      case Flaw::kIgnoresRefusedClaims: {
        const std::int64_t end = tracker.stop_position();
        for (std::int64_t i = start; i < end; ++i) {
          tracker.try_claim(i);
          co_yield i;
        }
        break;
      }
      case Flaw::kTrackerClaimsPastStop:
        for (std::int64_t i = start; i < count_ && tracker.try_claim(i); ++i) co_yield i;
        break;
      case Flaw::kRemainingUndercount: {
        auto last = std::make_shared<std::atomic<std::int64_t>>(-1);
        tracker.set_split_points_unclaimed_callback([last](const std::int64_t& stop) {
          const std::int64_t i = last->load();
          if (i < 0) return SplitPoints::kUnknown;
          return std::max<std::int64_t>(0, stop - i - 2);  // the flaw: stop - i - 1 is right
        });
        for (std::int64_t i = start; tracker.try_claim(i); ++i) {
          last->store(i);
          co_yield i;
        }
        break;
      }
      case Flaw::kSharedCursor:
        cursor_ = start;
        while (tracker.try_claim(cursor_)) co_yield cursor_++;
        break;
      case Flaw::kNone:
      case Flaw::kSplitLeavesAGap:
      case Flaw::kProgressGoesBackwards:
      case Flaw::kNondeterministicSplit:
      case Flaw::kWrongWeights:
      case Flaw::kSplitAtLastClaim:
      case Flaw::kFlooredFractions:
      case Flaw::kFractionOfRemainder:
      case Flaw::kProgressAhead:
      case Flaw::kLastBundleEndsAtTheEstimate:
        for (std::int64_t i = start; tracker.try_claim(i); ++i) co_yield i;
        break;
    }
  }

  std::string debug_string() const override {
    return "FlawedSource(" + std::to_string(count_) + ")";
  }

  // Serializable (the count and the flaw), so that the serialization check
  // has a source of the testkit's own to pass.
  void encode(ByteWriter& out) const override {
    out.put_string("FlawedSource");
    out.put_signed(count_);
    out.put_varint(static_cast<std::uint64_t>(flaw_));
  }

  SourceDecoder<std::int64_t> decoder() const override { return decoder_of<FlawedSource>(); }

  static std::shared_ptr<const FlawedSource> decode(ByteReader& in) {
    in.expect_tag("FlawedSource");
    std::size_t at = in.offset();
    const std::int64_t count = in.get_signed("count");
    if (count < 0) in.fail(at, "count", "negative");
    at = in.offset();
    const std::uint64_t flaw = in.get_varint("flaw");
    if (flaw > static_cast<std::uint64_t>(Flaw::kRemainingUndercount)) {
      in.fail(at, "flaw", std::to_string(flaw) + " names no flaw");
    }
    return std::make_shared<const FlawedSource>(count, static_cast<Flaw>(flaw));
  }

 private:
  const std::int64_t count_;
  const Flaw flaw_;
  mutable std::int64_t cursor_ = 0;              // the kSharedCursor flaw
  mutable std::atomic<std::int64_t> splits_{0};  // the kNondeterministicSplit flaw
};

}  // namespace splitcheck::testkit::internal

#endif  // SPLITCHECK_TESTKIT_ZOO_FLAWED_SOURCES_H_
