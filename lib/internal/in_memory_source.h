// InMemorySource<T>: a source over a vector of records, record i at offset i.
// Test-only: the leaf source of lib's own tests (any T, including move-heavy
// ones such as strings), so that lib's tests need nothing from examples/.
// Splits into bundles of desired_bundle_size records; reads with an
// OffsetRangeTracker, one claim per record. Serializable when T has a Coder:
// the encoding is the records themselves.

#ifndef SPLITCHECK_LIB_INTERNAL_IN_MEMORY_SOURCE_H_
#define SPLITCHECK_LIB_INTERNAL_IN_MEMORY_SOURCE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/coders/coder.h"
#include "splitcheck/lib/error.h"
#include "splitcheck/lib/sources/bounded_source.h"
#include "splitcheck/lib/sources/generator.h"
#include "splitcheck/lib/sources/offset_bundles.h"
#include "splitcheck/lib/sources/source_coder.h"
#include "splitcheck/lib/trackers/offset_range_tracker.h"

namespace splitcheck::internal {

template <typename T>
class InMemorySource final : public BoundedSource<T> {
 public:
  explicit InMemorySource(std::vector<T> records)
      : records_(std::make_shared<const std::vector<T>>(std::move(records))) {}

  std::int64_t estimate_size() const override { return size(); }

  std::vector<SourceBundle<T>> split(std::int64_t desired_bundle_size,
                                     std::optional<std::int64_t> start,
                                     std::optional<std::int64_t> stop) const override {
    const auto [first, last] = bounds(start, stop);
    return split_offset_range<T>(this->self(), first, last, desired_bundle_size);
  }

  std::unique_ptr<RangeTracker<std::int64_t>> get_range_tracker(
      std::optional<std::int64_t> start, std::optional<std::int64_t> stop) const override {
    const auto [first, last] = bounds(start, stop);
    return std::make_unique<OffsetRangeTracker>(first, last);
  }

  Generator<T> read(RangeTracker<std::int64_t>& tracker) const override {
    for (std::int64_t i = tracker.start_position(); tracker.try_claim(i); ++i) {
      co_yield (*records_)[static_cast<std::size_t>(i)];
    }
  }

  std::string debug_string() const override {
    return "InMemorySource(" + std::to_string(size()) + " records)";
  }

  void encode(ByteWriter& out) const override {
    if constexpr (Encodable<T>) {
      out.put_string("InMemorySource");
      encode_value(*records_, out);
    } else {
      BoundedSource<T>::encode(out);
    }
  }

  SourceDecoder<T> decoder() const override {
    if constexpr (Encodable<T>) {
      return decoder_of<InMemorySource>();
    } else {
      return {};
    }
  }

  static std::shared_ptr<const InMemorySource> decode(ByteReader& in) requires Encodable<T> {
    in.expect_tag("InMemorySource");
    return std::make_shared<const InMemorySource>(decode_value<std::vector<T>>(in));
  }

 private:
  std::int64_t size() const { return static_cast<std::int64_t>(records_->size()); }

  std::pair<std::int64_t, std::int64_t> bounds(std::optional<std::int64_t> start,
                                               std::optional<std::int64_t> stop) const {
    const std::int64_t first = start.value_or(0);
    const std::int64_t last = stop.value_or(size());
    if (first < 0 || first > last || last > size()) {
      throw UsageError(debug_string() + ": [" + std::to_string(first) + ", " +
                       std::to_string(last) + ") is not a range of its records");
    }
    return {first, last};
  }

  std::shared_ptr<const std::vector<T>> records_;
};

// "record-0", "record-1", ..., "record-<n - 1>": the records lib's runner
// tests read.
inline std::vector<std::string> numbered_strings(int n) {
  std::vector<std::string> out;
  out.reserve(static_cast<std::size_t>(std::max(n, 0)));
  for (int i = 0; i < n; ++i) out.push_back("record-" + std::to_string(i));
  return out;
}

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_INTERNAL_IN_MEMORY_SOURCE_H_
