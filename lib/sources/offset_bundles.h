// split_offset_range: the initial bundles of a source over int64 offsets
// (record numbers, byte offsets), the usual body of BoundedSource::split.
//
//   std::vector<SourceBundle<T>> MySource::split(std::int64_t desired_bundle_size,
//                                                std::optional<std::int64_t> start,
//                                                std::optional<std::int64_t> stop) const {
//     return split_offset_range<T>(self(), start.value_or(0), stop.value_or(size_),
//                                  desired_bundle_size);
//   }
//
// Tiles [first, last) into consecutive bundles [first, first + size),
// [first + size, first + 2 size), ..., the last one ending at `last`: no gap,
// no overlap, in order, each weighing its number of offsets. Computed without
// overflow for any bounds, negative ones included (a naive `b + size` wraps
// past INT64_MAX).
// No bundles for an empty range.
//
// REQUIRES: desired_bundle_size > 0 and first <= last, else a UsageError
// naming the source.

#ifndef SPLITCHECK_LIB_SOURCES_OFFSET_BUNDLES_H_
#define SPLITCHECK_LIB_SOURCES_OFFSET_BUNDLES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/sources/bounded_source.h"

namespace splitcheck {

template <typename T>
std::vector<SourceBundle<T>> split_offset_range(std::shared_ptr<const BoundedSource<T>> source,
                                                std::int64_t first, std::int64_t last,
                                                std::int64_t desired_bundle_size) {
  const auto name = [&] { return source != nullptr ? source->debug_string() : "a null source"; };
  if (desired_bundle_size <= 0) {
    throw UsageError(name() + ": split(" + std::to_string(desired_bundle_size) +
                     "): the desired bundle size must be positive");
  }
  if (first > last) {
    throw UsageError(name() + ": split of [" + std::to_string(first) + ", " + std::to_string(last) +
                     "): the start is after the stop");
  }
  std::vector<SourceBundle<T>> bundles;
  for (std::int64_t begin = first; begin < last;) {
    // The distance in unsigned arithmetic: exact for any begin <= last, where
    // last - begin in int64 overflows once the range spans more than INT64_MAX.
    const auto left = static_cast<std::uint64_t>(last) - static_cast<std::uint64_t>(begin);
    const std::int64_t end = left <= static_cast<std::uint64_t>(desired_bundle_size)
                                 ? last
                                 : begin + desired_bundle_size;
    bundles.push_back({static_cast<double>(end - begin), source, begin, end});
    begin = end;
  }
  return bundles;
}

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_SOURCES_OFFSET_BUNDLES_H_
