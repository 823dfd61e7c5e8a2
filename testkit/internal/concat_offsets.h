// ConcatRangeTracker seen as a tracker over 64-bit offsets, so that the
// tracker contract checker and the fuzzers check it with the offset domain.
// Internal to splitcheck's own tests and fuzzers.
//
// ConcatOffsetTracker(start, stop) concatenates sub-ranges of offsets whose
// boundaries depend on the start only: [start, start + 1), [start + 1,
// start + 3), [start + 3, start + 7), ..., sub-range k holding 2^k offsets,
// up to INT64_MAX. Offset g is the concat position (k, g) of the sub-range k
// holding it, and (k, nothing) is the offset where sub-range k begins. Each
// sub-range is weighted by its part of [start, stop), so fractions are linear
// in offsets and the offset domain's to_fraction holds. A range with an
// infinite stop is one sub-range [start, kOffsetInfinity).
//
// concat_offset_positions() is offset_positions() plus the two hooks that
// describe a concatenation: a split asked in a later sub-range happens at its
// beginning, and set_current_position stays inside the last record's
// sub-range.

#ifndef SPLITCHECK_TESTKIT_INTERNAL_CONCAT_OFFSETS_H_
#define SPLITCHECK_TESTKIT_INTERNAL_CONCAT_OFFSETS_H_

#include <bit>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "splitcheck/lib/sources/bounded_source.h"
#include "splitcheck/lib/sources/concat_range_tracker.h"
#include "splitcheck/lib/trackers/offset_range_tracker.h"
#include "splitcheck/testkit/tracker/position_domain.h"

namespace splitcheck::testkit::internal {

// Where sub-range k begins: start + 2^k - 1, or INT64_MAX past the last.
inline std::int64_t concat_offset_block_start(std::int64_t start, std::size_t k) {
  if (k >= 63) return kOffsetInfinity;
  const std::uint64_t offset = (std::uint64_t{1} << k) - 1;
  const auto room = static_cast<std::uint64_t>(kOffsetInfinity - start);
  return offset >= room ? kOffsetInfinity : start + static_cast<std::int64_t>(offset);
}

// The sub-range holding offset g: sub-range 0 for g < start, and the last
// one (which ends at INT64_MAX) for INT64_MAX itself.
inline std::size_t concat_offset_block(std::int64_t start, std::int64_t g) {
  if (g <= start) return 0;
  const auto distance = static_cast<std::uint64_t>(g - start) + 1;
  auto k = static_cast<std::size_t>(std::bit_width(distance) - 1);
  if (k > 0 && concat_offset_block_start(start, k) == kOffsetInfinity) --k;
  return k;
}

class ConcatOffsetTracker final : public RangeTracker<std::int64_t> {
 public:
  using Concat = ConcatPosition<std::int64_t>;

  ConcatOffsetTracker(std::int64_t start, std::int64_t stop)
      : start_(start), infinite_(stop == kOffsetInfinity), tracker_(make(start, stop)) {}

  std::int64_t start_position() const override { return start_; }
  std::int64_t stop_position() const override { return offset(tracker_->stop_position()); }
  bool try_claim(const std::int64_t& g) override { return tracker_->try_claim(concat(g)); }
  void set_current_position(const std::int64_t& g) override {
    tracker_->set_current_position(concat(g));
  }
  std::int64_t position_at_fraction(double f) const override {
    return offset(tracker_->position_at_fraction(f));
  }
  std::optional<SplitResult<std::int64_t>> try_split(const std::int64_t& g) override {
    if (g < start_) return std::nullopt;
    auto split = tracker_->try_split(concat(g));
    if (!split) return std::nullopt;
    return SplitResult<std::int64_t>{offset(split->position), split->fraction};
  }
  double fraction_consumed() const override { return tracker_->fraction_consumed(); }
  SplitPoints split_points() const override { return tracker_->split_points(); }
  void set_split_points_unclaimed_callback(SplitPointsUnclaimedCallback<std::int64_t>) override {
    throw UsageError("ConcatOffsetTracker: no split-points callback");
  }
  std::string debug_string() const override { return tracker_->debug_string(); }

 private:
  // Sub-ranges of offsets: their trackers are OffsetRangeTrackers.
  class Offsets final : public BoundedSource<int, std::int64_t> {
   public:
    std::int64_t estimate_size() const override { return 0; }
    std::vector<SourceBundle<int>> split(std::int64_t, std::optional<std::int64_t>,
                                         std::optional<std::int64_t>) const override {
      return {};
    }
    std::unique_ptr<RangeTracker<std::int64_t>> get_range_tracker(
        std::optional<std::int64_t> start, std::optional<std::int64_t> stop) const override {
      return std::make_unique<OffsetRangeTracker>(start.value_or(0),
                                                  stop.value_or(kOffsetInfinity));
    }
    Generator<int> read(RangeTracker<std::int64_t>&) const override { co_return; }
  };

  static std::unique_ptr<ConcatRangeTracker<int, std::int64_t>> make(std::int64_t start,
                                                                     std::int64_t stop) {
    if (start < 0 || stop < start) {  // the errors an OffsetRangeTracker gives
      OffsetRangeTracker check(start, stop);
    }
    const auto source = std::make_shared<const Offsets>();
    std::vector<SourceBundle<int>> bundles;
    if (stop == kOffsetInfinity) {
      bundles.push_back({1.0, source, start, std::nullopt});
      return std::make_unique<ConcatRangeTracker<int, std::int64_t>>(
          Concat{0, std::nullopt}, Concat{1, std::nullopt}, std::move(bundles));
    }
    for (std::size_t k = 0;; ++k) {
      const std::int64_t begin = concat_offset_block_start(start, k);
      const std::int64_t end = concat_offset_block_start(start, k + 1);
      if (begin == end) break;
      // Weighted by the part inside [start, stop): fractions stay linear.
      const std::int64_t inside = begin >= stop ? 0 : std::min(end, stop) - begin;
      bundles.push_back({static_cast<double>(inside), source, begin, end});
      if (end == kOffsetInfinity) break;
    }
    const std::size_t k = concat_offset_block(start, stop);
    const Concat last =
        stop == concat_offset_block_start(start, k) ? Concat{k, std::nullopt} : Concat{k, stop};
    return std::make_unique<ConcatRangeTracker<int, std::int64_t>>(Concat{0, std::nullopt}, last,
                                                                   std::move(bundles));
  }

  // Offsets before the start have no concat position: (0, nothing) is the
  // first one. Claiming or reading there is misuse, as on any tracker.
  Concat concat(std::int64_t g) const {
    if (g < start_) {
      throw UsageError("ConcatOffsetTracker[" + std::to_string(start_) + ", ...): offset " +
                       std::to_string(g) + " is before the start of the range");
    }
    return Concat{infinite_ ? 0 : concat_offset_block(start_, g), g};
  }
  std::int64_t offset(const Concat& p) const {
    if (p.position) return *p.position;
    if (infinite_) return p.source_index == 0 ? start_ : kOffsetInfinity;
    return concat_offset_block_start(start_, p.source_index);
  }

  const std::int64_t start_;
  const bool infinite_;
  const std::unique_ptr<ConcatRangeTracker<int, std::int64_t>> tracker_;
};

inline PositionDomain<std::int64_t> concat_offset_positions() {
  PositionDomain<std::int64_t> d = offset_positions();
  d.name = "offsets in concatenated sub-ranges";
  d.split_position = [](const std::int64_t& p, const std::int64_t& current,
                        const std::int64_t& start, const std::int64_t& stop) {
    if (stop == kOffsetInfinity) return p;
    const std::size_t k = concat_offset_block(start, p);
    return k > concat_offset_block(start, current) ? concat_offset_block_start(start, k) : p;
  };
  d.same_sub_range = [](const std::int64_t& a, const std::int64_t& b, const std::int64_t& start,
                        const std::int64_t& stop) {
    return stop == kOffsetInfinity ||
           concat_offset_block(start, a) == concat_offset_block(start, b);
  };
  return d;
}

}  // namespace splitcheck::testkit::internal

#endif  // SPLITCHECK_TESTKIT_INTERNAL_CONCAT_OFFSETS_H_
