// ConcatSource<T, P>: the records of several sources, one after the other,
// as one splittable source.
//
// Its positions are ConcatPosition<P> (sub-source index, position inside it)
// and its tracker is a ConcatRangeTracker, so a reader can be split
// dynamically between sub-sources and inside the one being read.
//
//   * estimate_size() is the sum of the sub-bundles' weights (each sub-source
//     given as a source has its estimate_size() as weight).
//   * split() splits each sub-source in the range with the same desired
//     bundle size. Bundles of a sub-source that name that same sub-source are
//     expressed in this source's positions, so the bundles tile [start, stop)
//     exactly: [(i, start), (i, p1)), [(i, p1), (i, p2)), ...,
//     [(i, pk), (i + 1, start)). A bundle that names a different source object
//     is wrapped in a ConcatSource of its own.
//   * read() needs the tracker made by this source's get_range_tracker (a
//     UsageError otherwise).
//   * encode() writes each sub-bundle (source_coder.h); decoder(sub) makes
//     the decoder of a concatenation from the decoder of its sub-sources.
//
// Immutable and thread-safe, like every source. Create it with
// std::make_shared.

#ifndef SPLITCHECK_LIB_SOURCES_CONCAT_SOURCE_H_
#define SPLITCHECK_LIB_SOURCES_CONCAT_SOURCE_H_

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/sources/bounded_source.h"
#include "splitcheck/lib/sources/concat_range_tracker.h"
#include "splitcheck/lib/sources/generator.h"
#include "splitcheck/lib/sources/source_coder.h"

namespace splitcheck {

template <typename T, typename P = std::int64_t>
class ConcatSource final : public BoundedSource<T, ConcatPosition<P>> {
 public:
  using Position = ConcatPosition<P>;
  using SubSource = BoundedSource<T, P>;
  using SubBundle = SourceBundle<T, P>;

  // Sub-sources given as bundles (a range of a source, with a weight).
  explicit ConcatSource(std::vector<SubBundle> bundles) : bundles_(std::move(bundles)) {
    for (std::size_t i = 0; i < bundles_.size(); ++i) {
      if (bundles_[i].source == nullptr) {
        throw UsageError("ConcatSource: sub-source " + std::to_string(i) + " is null");
      }
    }
  }

  // Whole sources, weighted by their estimate_size().
  explicit ConcatSource(const std::vector<std::shared_ptr<const SubSource>>& sources)
      : ConcatSource(whole(sources)) {}

  const std::vector<SubBundle>& bundles() const { return bundles_; }

  std::int64_t estimate_size() const override {
    double total = 0;
    for (const SubBundle& b : bundles_) total += b.weight;
    return static_cast<std::int64_t>(std::llround(total));
  }

  std::vector<SourceBundle<T, Position>> split(std::int64_t desired_bundle_size,
                                               std::optional<Position> start,
                                               std::optional<Position> stop) const override {
    if (desired_bundle_size <= 0) {
      throw UsageError(debug_string() + ": split(" + std::to_string(desired_bundle_size) +
                       "): the desired bundle size must be positive");
    }
    const Position first = start.value_or(Position{0, std::nullopt});
    const Position last = stop.value_or(Position{bundles_.size(), std::nullopt});
    check_concat_range(first, last, bundles_.size());
    std::vector<SourceBundle<T, Position>> out;
    const std::size_t end = last.position.has_value() ? last.source_index + 1 : last.source_index;
    for (std::size_t i = first.source_index; i < end; ++i) {
      const SubBundle& b = bundles_[i];
      const bool cut_start = i == first.source_index && first.position.has_value();
      const bool cut_stop = i == last.source_index && last.position.has_value();
      // The concat positions where this sub-source's part of the range
      // begins and ends, so that consecutive bundles share their bounds.
      const Position begin = cut_start ? first : Position{i, std::nullopt};
      const Position finish = cut_stop ? last : Position{i + 1, std::nullopt};
      std::vector<SubBundle> parts =
          b.source->split(desired_bundle_size, cut_start ? first.position : b.start,
                          cut_stop ? last.position : b.stop);
      if (parts.empty()) {
        out.push_back({0.0, this->self(), begin, finish});  // keeps the tiling
        continue;
      }
      for (std::size_t k = 0; k < parts.size(); ++k) {
        SubBundle& part = parts[k];
        if (part.source != b.source) {
          out.push_back({part.weight,
                         std::make_shared<ConcatSource>(std::vector<SubBundle>{std::move(part)}),
                         std::nullopt, std::nullopt});
          continue;
        }
        out.push_back({part.weight, this->self(), k == 0 ? begin : Position{i, part.start},
                       k + 1 == parts.size() ? finish : Position{i, part.stop}});
      }
    }
    return out;
  }

  std::unique_ptr<RangeTracker<Position>> get_range_tracker(
      std::optional<Position> start, std::optional<Position> stop) const override {
    return std::make_unique<ConcatRangeTracker<T, P>>(
        start.value_or(Position{0, std::nullopt}),
        stop.value_or(Position{bundles_.size(), std::nullopt}), bundles_);
  }

  Generator<T> read(RangeTracker<Position>& tracker) const override {
    auto* concat = dynamic_cast<ConcatRangeTracker<T, P>*>(&tracker);
    if (concat == nullptr) {
      throw UsageError(debug_string() + ": read() needs the tracker from this source's " +
                       "get_range_tracker, got " + tracker.debug_string());
    }
    return read_sub_sources(*concat);
  }

  std::string debug_string() const override {
    return "ConcatSource(" + std::to_string(bundles_.size()) + " sub-sources)";
  }

  void encode(ByteWriter& out) const override {
    out.put_string("ConcatSource");
    out.put_varint(bundles_.size());
    for (const SubBundle& b : bundles_) encode_bundle(b, out);
  }

  static std::shared_ptr<const ConcatSource> decode(ByteReader& in,
                                                    const SourceDecoder<T, P>& sub) {
    in.expect_tag("ConcatSource");
    const std::size_t at = in.offset();
    // A bundle takes at least 11 bytes (weight, length, two bounds).
    const std::size_t count = in.get_length("sub-source count", 11);
    if (count > 0 && !sub) in.fail(at, "sub-source count", "sub-sources in an empty concatenation");
    std::vector<SubBundle> bundles;
    bundles.reserve(count);
    for (std::size_t i = 0; i < count; ++i) bundles.push_back(decode_bundle(in, sub));
    return std::make_shared<const ConcatSource>(std::move(bundles));
  }

  // The decoder of concatenations whose sub-sources the first sub-source's
  // decoder decodes (a concatenation of sources of different classes needs
  // decoder(sub) with a sub-decoder that tells them apart by their tags);
  // none when that sub-source has none.
  SourceDecoder<T, Position> decoder() const override {
    SourceDecoder<T, P> sub;
    if (!bundles_.empty()) {
      sub = bundles_.front().source->decoder();
      if (!sub) return {};
    }
    return decoder(std::move(sub));
  }

  // The decoder of concatenations whose sub-sources `sub` decodes.
  static SourceDecoder<T, Position> decoder(SourceDecoder<T, P> sub) {
    return [sub = std::move(sub)](
               ByteReader& in) -> std::shared_ptr<const BoundedSource<T, Position>> {
      return decode(in, sub);
    };
  }

 private:
  static std::vector<SubBundle> whole(
      const std::vector<std::shared_ptr<const SubSource>>& sources) {
    std::vector<SubBundle> bundles;
    bundles.reserve(sources.size());
    for (const auto& source : sources) {
      if (source == nullptr) throw UsageError("ConcatSource: a sub-source is null");
      bundles.push_back(
          {static_cast<double>(source->estimate_size()), source, std::nullopt, std::nullopt});
    }
    return bundles;
  }

  Generator<T> read_sub_sources(ConcatRangeTracker<T, P>& tracker) const {
    const Position start = tracker.start_position();
    const Position stop = tracker.stop_position();
    const std::size_t end = stop.position.has_value() ? stop.source_index + 1 : stop.source_index;
    for (std::size_t i = start.source_index; i < end; ++i) {
      if (!tracker.try_claim(Position{i, std::nullopt})) co_return;
      co_yield ElementsOf(bundles_[i].source->read(tracker.sub_range_tracker(i)));
    }
    // Past the last sub-source: always refused, and it tells the tracker the
    // read is over (so progress reaches 1), as any reader's last claim does.
    tracker.try_claim(Position{end, std::nullopt});
  }

  const std::vector<SubBundle> bundles_;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_SOURCES_CONCAT_SOURCE_H_
