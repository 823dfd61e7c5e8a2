// A log of events numbered from a first sequence number, as a message
// queue's partition would hold them, read by a hand-written tracker over
// sequence numbers. One bug each, every one a hole the gate used to have
// (testkit/zoo/broken_sequence_sources_test.cc names the check that now
// rejects it):
//
//   kSplitAtTheLastClaim     try_split accepts the sequence number last
//                            claimed and ends the range there: the reader
//                            has emitted that event, stops, and the residual
//                            reads it again. Passed every sequential split
//                            check, which only asked "not fewer".
//   kFloorsFractions         position_at_fraction rounds down: asked for 10%,
//                            a runner gets less. Passed: nothing held the
//                            mapping to the fraction asked.
//   kLastBundleToTheEstimate split() ends its last bundle at the log's end
//                            (what estimate_size() counts), not at the stop
//                            it was given. Passed at any size: every check
//                            split the whole log, where the two agree.
//
// Never use them for anything else.

#ifndef SPLITCHECK_TESTKIT_ZOO_BROKEN_SEQUENCE_SOURCES_H_
#define SPLITCHECK_TESTKIT_ZOO_BROKEN_SEQUENCE_SOURCES_H_

#include <algorithm>
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
#include "splitcheck/lib/sources/offset_bundles.h"
#include "splitcheck/lib/sources/source_coder.h"
#include "splitcheck/lib/trackers/range_tracker.h"

namespace splitcheck::examples::broken {

enum class SequenceBug { kNone, kSplitAtTheLastClaim, kFloorsFractions, kLastBundleToTheEstimate };

// A range [first, end) of sequence numbers.
class SequenceTracker final : public RangeTracker<std::int64_t> {
 public:
  SequenceTracker(std::int64_t first, std::int64_t end, SequenceBug bug)
      : first_(first), end_(end), bug_(bug) {
    if (end < first) throw UsageError("SequenceTracker: the end is before the first number");
  }

  std::int64_t start_position() const override { return first_; }
  std::int64_t stop_position() const override {
    splitcheck::internal::MutexLock lock(&mu_);
    return end_;
  }

  bool try_claim(const std::int64_t& seq) override {
    splitcheck::internal::MutexLock lock(&mu_);
    if (seq < first_ || (tried_ && seq <= *tried_) || (last_ && seq < *last_)) {
      throw UsageError("SequenceTracker: claims must increase from " + std::to_string(first_) +
                       ", got " + std::to_string(seq));
    }
    tried_ = seq;
    if (finished_ || seq >= end_) {
      finished_ = true;
      return false;
    }
    last_ = seq;
    ++claimed_;
    return true;
  }

  void set_current_position(const std::int64_t& seq) override {
    splitcheck::internal::MutexLock lock(&mu_);
    if (finished_ || !last_ || seq < *last_) {
      throw UsageError("SequenceTracker: set_current_position(" + std::to_string(seq) +
                       ") before a claim, after the end, or backwards");
    }
    last_ = seq;
  }

  std::int64_t position_at_fraction(double f) const override {
    if (!(f >= 0 && f <= 1)) throw UsageError("SequenceTracker: bad fraction");
    splitcheck::internal::MutexLock lock(&mu_);
    const long double exact = f * static_cast<long double>(end_ - first_);
    const long double step =
        bug_ == SequenceBug::kFloorsFractions ? std::floor(exact) : std::ceil(exact);
    return first_ + static_cast<std::int64_t>(step);
  }

  std::optional<SplitResult<std::int64_t>> try_split(const std::int64_t& seq) override {
    splitcheck::internal::MutexLock lock(&mu_);
    if (finished_ || !last_ || seq <= first_ || seq >= end_) return std::nullopt;
    const bool after_last =
        bug_ == SequenceBug::kSplitAtTheLastClaim ? seq >= *last_ : seq > *last_;
    if (!after_last) return std::nullopt;
    const double fraction = static_cast<double>(static_cast<long double>(seq - first_) /
                                                static_cast<long double>(end_ - first_));
    end_ = seq;
    return SplitResult<std::int64_t>{seq, fraction};
  }

  double fraction_consumed() const override {
    splitcheck::internal::MutexLock lock(&mu_);
    if (finished_) return 1.0;
    if (!last_ || end_ == first_) return 0.0;
    // A position set past the end belongs to the last split point's record.
    return std::min(1.0, static_cast<double>(static_cast<long double>(*last_ - first_) /
                                             static_cast<long double>(end_ - first_)));
  }

  SplitPoints split_points() const override {
    splitcheck::internal::MutexLock lock(&mu_);
    if (finished_) return {claimed_, 0};
    return {std::max<std::int64_t>(0, claimed_ - 1), SplitPoints::kUnknown};
  }

  void set_split_points_unclaimed_callback(SplitPointsUnclaimedCallback<std::int64_t>) override {}

  std::string debug_string() const override {
    splitcheck::internal::MutexLock lock(&mu_);
    return "SequenceTracker[" + std::to_string(first_) + ", " + std::to_string(end_) + ")";
  }

 private:
  const std::int64_t first_;
  mutable splitcheck::internal::Mutex mu_;
  std::int64_t end_ SPLITCHECK_GUARDED_BY(mu_);
  std::optional<std::int64_t> tried_ SPLITCHECK_GUARDED_BY(mu_);
  std::optional<std::int64_t> last_ SPLITCHECK_GUARDED_BY(mu_);
  std::int64_t claimed_ SPLITCHECK_GUARDED_BY(mu_) = 0;
  bool finished_ SPLITCHECK_GUARDED_BY(mu_) = false;
  const SequenceBug bug_;
};

// Events "event <seq>" for seq in [first, first + count).
class EventLogSource final : public BoundedSource<std::string> {
 public:
  EventLogSource(std::int64_t first, std::int64_t count, SequenceBug bug)
      : first_(first), count_(count), bug_(bug) {}

  std::int64_t estimate_size() const override { return count_; }

  std::vector<SourceBundle<std::string>> split(std::int64_t desired,
                                               std::optional<std::int64_t> start,
                                               std::optional<std::int64_t> stop) const override {
    const std::int64_t to = stop.value_or(first_ + count_);
    auto bundles = split_offset_range<std::string>(self(), start.value_or(first_), to, desired);
    if (bug_ == SequenceBug::kLastBundleToTheEstimate && !bundles.empty()) {
      bundles.back().stop = first_ + estimate_size();
      bundles.back().weight = static_cast<double>(*bundles.back().stop - *bundles.back().start);
    }
    return bundles;
  }

  std::unique_ptr<RangeTracker<std::int64_t>> get_range_tracker(
      std::optional<std::int64_t> start, std::optional<std::int64_t> stop) const override {
    return std::make_unique<SequenceTracker>(start.value_or(first_), stop.value_or(first_ + count_),
                                             bug_);
  }

  Generator<std::string> read(RangeTracker<std::int64_t>& tracker) const override {
    for (std::int64_t seq = tracker.start_position(); tracker.try_claim(seq); ++seq) {
      co_yield "event " + std::to_string(seq);
    }
  }

  std::string debug_string() const override { return "EventLogSource"; }

  void encode(ByteWriter& out) const override {
    out.put_string("EventLogSource");
    out.put_signed(first_);
    out.put_signed(count_);
    out.put_varint(static_cast<std::uint64_t>(bug_));
  }

  static std::shared_ptr<const EventLogSource> decode(ByteReader& in) {
    in.expect_tag("EventLogSource");
    const std::int64_t first = in.get_signed("first");
    std::size_t at = in.offset();
    const std::int64_t count = in.get_signed("count");
    if (count < 0) in.fail(at, "count", "negative");
    at = in.offset();
    const std::uint64_t bug = in.get_varint("bug");
    if (bug > static_cast<std::uint64_t>(SequenceBug::kLastBundleToTheEstimate)) {
      in.fail(at, "bug", std::to_string(bug) + " names no bug");
    }
    return std::make_shared<const EventLogSource>(first, count, static_cast<SequenceBug>(bug));
  }

  SourceDecoder<std::string> decoder() const override { return decoder_of<EventLogSource>(); }

 private:
  const std::int64_t first_;
  const std::int64_t count_;
  const SequenceBug bug_;
};

}  // namespace splitcheck::examples::broken

#endif  // SPLITCHECK_TESTKIT_ZOO_BROKEN_SEQUENCE_SOURCES_H_
