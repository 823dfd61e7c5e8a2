// Counting sources (the integers [0, count), record i at offset i) with one
// classic reader or tracker bug each, kept to prove the gate rejects them
// (examples/counting/broken_counting_sources_test.cc):
//
//   kEmitsAfterRefusedClaim  the reader yields the record whose claim was
//                            refused, then stops: after a dynamic split the
//                            record at the split is read twice;
//   kProgressJumpsBackwards  the tracker's fraction_consumed counts the
//                            records of the current block of 8 and forgets
//                            the blocks before: it drops every 8 records;
//   kSplitAtLastClaim        the tracker accepts a split at the position it
//                            last claimed, handing that record to the
//                            residual as well.
//
// Never use them for anything else.

#ifndef SPLITCHECK_EXAMPLES_COUNTING_BROKEN_COUNTING_SOURCES_H_
#define SPLITCHECK_EXAMPLES_COUNTING_BROKEN_COUNTING_SOURCES_H_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/sources/bounded_source.h"
#include "splitcheck/lib/sources/offset_bundles.h"
#include "splitcheck/lib/trackers/offset_range_tracker.h"

namespace splitcheck::examples::broken {

enum class CountingBug {
  kNone,
  kEmitsAfterRefusedClaim,
  kProgressJumpsBackwards,
  kSplitAtLastClaim
};

// An OffsetRangeTracker with the tracker bugs above; correct otherwise.
class BrokenOffsetTracker final : public RangeTracker<std::int64_t> {
 public:
  BrokenOffsetTracker(std::int64_t start, std::int64_t stop, CountingBug bug)
      : tracker_(start, stop), bug_(bug) {}

  std::int64_t start_position() const override { return tracker_.start_position(); }
  std::int64_t stop_position() const override { return tracker_.stop_position(); }
  bool try_claim(const std::int64_t& p) override {
    std::lock_guard<std::mutex> lock(mu_);
    const bool claimed = tracker_.try_claim(p);
    if (claimed) last_ = p;
    return claimed;
  }
  void set_current_position(const std::int64_t& p) override { tracker_.set_current_position(p); }
  std::int64_t position_at_fraction(double f) const override {
    return tracker_.position_at_fraction(f);
  }
  std::optional<SplitResult<std::int64_t>> try_split(const std::int64_t& p) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (bug_ == CountingBug::kSplitAtLastClaim && last_ && p == *last_) {
      // Accepted where the contract refuses: the tracker keeps the record
      // at p (it splits after it) but reports the split at p, so the
      // residual [p, stop) reads that record again.
      auto split = tracker_.try_split(p + 1);
      if (split) split->position = p;
      return split;
    }
    return tracker_.try_split(p);
  }
  double fraction_consumed() const override {
    if (bug_ != CountingBug::kProgressJumpsBackwards) return tracker_.fraction_consumed();
    // Counts the records of the current block of 8 and forgets the blocks
    // before: a saw-tooth that drops every 8 records.
    std::lock_guard<std::mutex> lock(mu_);
    if (!last_) return 0.0;
    return static_cast<double>((*last_ - tracker_.start_position()) % 8) / 8.0;
  }
  SplitPoints split_points() const override { return tracker_.split_points(); }
  void set_split_points_unclaimed_callback(
      SplitPointsUnclaimedCallback<std::int64_t> callback) override {
    tracker_.set_split_points_unclaimed_callback(std::move(callback));
  }
  std::string debug_string() const override { return "Broken" + tracker_.debug_string(); }

 private:
  OffsetRangeTracker tracker_;
  const CountingBug bug_;
  mutable std::mutex mu_;
  std::optional<std::int64_t> last_;
};

class BrokenCountingSource final : public BoundedSource<std::int64_t> {
 public:
  BrokenCountingSource(std::int64_t count, CountingBug bug) : count_(count), bug_(bug) {}

  std::int64_t estimate_size() const override { return count_; }

  std::vector<SourceBundle<std::int64_t>> split(std::int64_t desired,
                                                std::optional<std::int64_t> start,
                                                std::optional<std::int64_t> stop) const override {
    return split_offset_range<std::int64_t>(this->self(), start.value_or(0), stop.value_or(count_),
                                            desired);
  }

  std::unique_ptr<RangeTracker<std::int64_t>> get_range_tracker(
      std::optional<std::int64_t> start, std::optional<std::int64_t> stop) const override {
    return std::make_unique<BrokenOffsetTracker>(start.value_or(0), stop.value_or(count_), bug_);
  }

  Generator<std::int64_t> read(RangeTracker<std::int64_t>& tracker) const override {
    for (std::int64_t i = tracker.start_position();; ++i) {
      if (!tracker.try_claim(i)) {
        if (bug_ == CountingBug::kEmitsAfterRefusedClaim && i < count_) co_yield i;
        co_return;
      }
      co_yield i;
    }
  }

  std::string debug_string() const override { return "BrokenCountingSource"; }

  void encode(ByteWriter& out) const override {
    out.put_string("BrokenCountingSource");
    out.put_signed(count_);
    out.put_varint(static_cast<std::uint64_t>(bug_));
  }

  SourceDecoder<std::int64_t> decoder() const override {
    return [](ByteReader& in) -> std::shared_ptr<const BoundedSource<std::int64_t>> {
      in.expect_tag("BrokenCountingSource");
      const std::int64_t count = in.get_signed("count");
      const std::size_t at = in.offset();
      const std::uint64_t bug = in.get_varint("bug");
      if (bug > static_cast<std::uint64_t>(CountingBug::kSplitAtLastClaim)) {
        in.fail(at, "bug", std::to_string(bug) + " names no bug");
      }
      return std::make_shared<const BrokenCountingSource>(count, static_cast<CountingBug>(bug));
    };
  }

 private:
  const std::int64_t count_;
  const CountingBug bug_;
};

}  // namespace splitcheck::examples::broken

#endif  // SPLITCHECK_EXAMPLES_COUNTING_BROKEN_COUNTING_SOURCES_H_
