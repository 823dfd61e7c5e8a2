#include "splitcheck/examples/counting/counting_source.h"

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/sources/offset_bundles.h"
#include "splitcheck/lib/sources/source_coder.h"
#include "splitcheck/lib/trackers/offset_range_tracker.h"

namespace splitcheck::examples::internal {

CountingSource::CountingSource(std::int64_t count) : count_(count) {
  if (count < 0) {
    throw UsageError("CountingSource(" + std::to_string(count) +
                     "): the count must not be negative");
  }
}

std::vector<SourceBundle<std::int64_t>> CountingSource::split(
    std::int64_t desired_bundle_size, std::optional<std::int64_t> start,
    std::optional<std::int64_t> stop) const {
  const auto [first, last] = range(start, stop);
  // Tiles [first, last) in order, without overflow (the guide's listing had
  // max for min).
  return split_offset_range<std::int64_t>(self(), first, last, desired_bundle_size);
}

std::unique_ptr<RangeTracker<std::int64_t>> CountingSource::get_range_tracker(
    std::optional<std::int64_t> start, std::optional<std::int64_t> stop) const {
  const auto [first, last] = range(start, stop);
  return std::make_unique<OffsetRangeTracker>(first, last);
}

Generator<std::int64_t> CountingSource::read(RangeTracker<std::int64_t>& tracker) const {
  // From the tracker's start, not from 0 (the guide's second bug).
  for (std::int64_t i = tracker.start_position(); tracker.try_claim(i); ++i) {
    co_yield i;
  }
}

std::string CountingSource::debug_string() const {
  return "CountingSource(" + std::to_string(count_) + ")";
}

void CountingSource::encode(ByteWriter& out) const {
  out.put_string("CountingSource");
  out.put_signed(count_);
}

std::shared_ptr<const CountingSource> CountingSource::decode(ByteReader& in) {
  in.expect_tag("CountingSource");
  const std::size_t begin = in.offset();
  const std::int64_t count = in.get_signed("count");
  if (count < 0) in.fail(begin, "count", std::to_string(count) + " is negative");
  return std::make_shared<const CountingSource>(count);
}

SourceDecoder<std::int64_t> CountingSource::decoder() const { return decoder_of<CountingSource>(); }

std::pair<std::int64_t, std::int64_t> CountingSource::range(
    std::optional<std::int64_t> start, std::optional<std::int64_t> stop) const {
  const std::int64_t first = start.value_or(0);
  const std::int64_t last = stop.value_or(count_);
  if (first < 0 || first > last || last > count_) {
    throw UsageError(debug_string() + ": [" + std::to_string(first) + ", " + std::to_string(last) +
                     ") is not a range of [0, " + std::to_string(count_) + ")");
  }
  return {first, last};
}

}  // namespace splitcheck::examples::internal
