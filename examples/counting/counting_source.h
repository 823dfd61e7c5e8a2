// CountingSource: the connector guide's example source, written correctly.
// It produces the integers [0, count), record i at offset i, every record a
// split point.
//
// Users do not see this class; they call ReadFromCountingSource(count)
// (read_from_counting_source.h). It lives in an internal namespace so that it
// can change without breaking them, as the guide advises.
//
// Compared with the guide's listing (kept, bugs and all, in
// examples/counting/guide_counting_source.h): split() bounds each bundle with
// min(stop, start + size), not max, and stays inside the requested range;
// read() starts at the tracker's start, not at 0.

#ifndef SPLITCHECK_EXAMPLES_COUNTING_COUNTING_SOURCE_H_
#define SPLITCHECK_EXAMPLES_COUNTING_COUNTING_SOURCE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/coders/byte_reader.h"
#include "splitcheck/lib/coders/byte_writer.h"
#include "splitcheck/lib/sources/bounded_source.h"
#include "splitcheck/lib/sources/generator.h"
#include "splitcheck/lib/trackers/range_tracker.h"

namespace splitcheck::examples::internal {

class CountingSource final : public BoundedSource<std::int64_t> {
 public:
  // Throws UsageError for a negative count.
  explicit CountingSource(std::int64_t count);

  std::int64_t estimate_size() const override { return count_; }
  std::vector<SourceBundle<std::int64_t>> split(std::int64_t desired_bundle_size,
                                                std::optional<std::int64_t> start,
                                                std::optional<std::int64_t> stop) const override;
  std::unique_ptr<RangeTracker<std::int64_t>> get_range_tracker(
      std::optional<std::int64_t> start, std::optional<std::int64_t> stop) const override;
  Generator<std::int64_t> read(RangeTracker<std::int64_t>& tracker) const override;
  std::string debug_string() const override;

  // Serializable: the encoding is the count (source_coder.h).
  void encode(ByteWriter& out) const override;
  static std::shared_ptr<const CountingSource> decode(ByteReader& in);
  SourceDecoder<std::int64_t> decoder() const override;

 private:
  // [start, stop) with absent bounds filled in; UsageError if it is not
  // inside [0, count).
  std::pair<std::int64_t, std::int64_t> range(std::optional<std::int64_t> start,
                                              std::optional<std::int64_t> stop) const;

  const std::int64_t count_;
};

}  // namespace splitcheck::examples::internal

#endif  // SPLITCHECK_EXAMPLES_COUNTING_COUNTING_SOURCE_H_
