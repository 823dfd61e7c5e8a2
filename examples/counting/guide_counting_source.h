// GuideCountingSource: the connector guide's CountingSource listing, ported
// as written, bugs included. Do not use it: it exists so that the gate can be
// shown to reject it.
//
// Its two bugs:
//   * split() computes each bundle's stop with max(count, start + size)
//     instead of min(stop, start + size), and loops up to count instead of the
//     requested stop: it never splits a whole source, and a bundle asked for
//     [10, 20) comes back as [10, count), overlapping its neighbours;
//   * read() counts from 0 instead of the tracker's start, so every bundle
//     but the first claims positions before its range. Beam's Python tracker
//     let those claims through and the records were duplicated; splitcheck's
//     trackers reject them with a UsageError.

#ifndef SPLITCHECK_EXAMPLES_COUNTING_GUIDE_COUNTING_SOURCE_H_
#define SPLITCHECK_EXAMPLES_COUNTING_GUIDE_COUNTING_SOURCE_H_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "splitcheck/lib/sources/bounded_source.h"
#include "splitcheck/lib/sources/generator.h"
#include "splitcheck/lib/trackers/offset_range_tracker.h"

namespace splitcheck::examples::broken {

class GuideCountingSource final : public BoundedSource<std::int64_t> {
 public:
  explicit GuideCountingSource(std::int64_t count) : count_(count) {}

  std::int64_t estimate_size() const override { return count_; }

  std::unique_ptr<RangeTracker<std::int64_t>> get_range_tracker(
      std::optional<std::int64_t> start, std::optional<std::int64_t> stop) const override {
    return std::make_unique<OffsetRangeTracker>(start.value_or(0), stop.value_or(count_));
  }

  Generator<std::int64_t> read(RangeTracker<std::int64_t>& tracker) const override {
    for (std::int64_t i = 0; i < count_; ++i) {  // bug: starts at 0
      if (!tracker.try_claim(i)) co_return;
      co_yield i;
    }
  }

  std::vector<SourceBundle<std::int64_t>> split(
      std::int64_t desired_bundle_size, std::optional<std::int64_t> start,
      std::optional<std::int64_t> /*stop*/) const override {
    std::vector<SourceBundle<std::int64_t>> bundles;
    std::int64_t bundle_start = start.value_or(0);
    while (bundle_start < count_) {  // bug: ignores the requested stop
      const std::int64_t bundle_stop = std::max(count_, bundle_start + desired_bundle_size);  // bug
      bundles.push_back(
          {static_cast<double>(bundle_stop - bundle_start), self(), bundle_start, bundle_stop});
      bundle_start = bundle_stop;
    }
    return bundles;
  }

  std::string debug_string() const override {
    return "GuideCountingSource(" + std::to_string(count_) + ")";
  }

  // Serializable (correct): the count is everything a worker needs.
  void encode(ByteWriter& out) const override {
    out.put_string("GuideCountingSource");
    out.put_signed(count_);
  }

  SourceDecoder<std::int64_t> decoder() const override {
    return [](ByteReader& in) -> std::shared_ptr<const BoundedSource<std::int64_t>> {
      in.expect_tag("GuideCountingSource");
      const std::size_t at = in.offset();
      const std::int64_t count = in.get_signed("count");
      if (count < 0) in.fail(at, "count", "negative");
      return std::make_shared<const GuideCountingSource>(count);
    };
  }

 private:
  const std::int64_t count_;
};

}  // namespace splitcheck::examples::broken

#endif  // SPLITCHECK_EXAMPLES_COUNTING_GUIDE_COUNTING_SOURCE_H_
