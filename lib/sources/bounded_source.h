// BoundedSource<T, Position>: a finite input that can be split into bundles
// and read by many workers at once, each bundle possibly split again while it
// is being read.
//
// A runner reads a source in three steps:
//   1. split(desired_bundle_size, start, stop) divides [start, stop) into
//      bundles of about desired_bundle_size (in the unit of estimate_size());
//   2. for each bundle, get_range_tracker(bundle.start, bundle.stop) makes a
//      RangeTracker for the bundle's range;
//   3. read(tracker) yields the bundle's records. The body claims the position
//      of each split-point record before yielding it and returns at the first
//      refused claim; records that are not split points are announced with
//      set_current_position. Meanwhile the runner may split the tracker from
//      another thread; the residual becomes a new bundle.
//
// Contract (checked by splitcheck's testkit):
//   * estimate_size() >= 0, in a unit consistent with bundle weights.
//   * The bundles of split() tile [start, stop) exactly, in order, with no gap
//     and no overlap, and are deterministic for the same arguments. An absent
//     start or stop means the source's own first or last position.
//   * read() over a tracker for [start, stop) yields exactly the records whose
//     split points lie in [start, stop) (plus the non-split-point records that
//     follow them), whatever splits the tracker accepts meanwhile.
//   * A source is an immutable value: every method is const and may be called
//     from several threads at once, and bundles are read independently and
//     concurrently. Sources are shared through shared_ptr<const ...>; a bundle
//     may name the source that produced it (shared_from_this()), so sources
//     must be created with std::make_shared.
//   * A source is serializable: encode() writes everything a worker in
//     another process needs to make an equal source (one that reads,
//     splits and encodes the same), and decoder() gives the function that
//     makes it (source_coder.h). Reading or splitting never changes what a
//     source encodes to.
//   * Errors thrown inside read() reach the caller unchanged. Bad arguments
//     (desired_bundle_size <= 0, positions outside the source) are UsageErrors.
//
// Users do not see this class: a connector exposes a wrapping function such
// as ReadFromCountingSource(count) that returns Read(source) (see read.h).

#ifndef SPLITCHECK_LIB_SOURCES_BOUNDED_SOURCE_H_
#define SPLITCHECK_LIB_SOURCES_BOUNDED_SOURCE_H_

#include <concepts>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "splitcheck/lib/coders/byte_reader.h"
#include "splitcheck/lib/coders/byte_writer.h"
#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/describe.h"
#include "splitcheck/lib/sources/generator.h"
#include "splitcheck/lib/trackers/range_tracker.h"

namespace splitcheck {

template <typename T, typename Position>
class BoundedSource;

// How a worker rebuilds a source from the bytes encode() wrote (see
// source_coder.h). CorruptDataError for bytes it did not write.
template <typename T, typename Position = std::int64_t>
using SourceDecoder = std::function<std::shared_ptr<const BoundedSource<T, Position>>(ByteReader&)>;

// A part of a source: the range [start, stop) of `source` (absent = the
// source's own bounds) and its relative size. Two bundles are equal when
// they name the same source object with the same bounds as written (an
// absent bound differs from an explicit one of the same value); the weight,
// an estimate, is not compared. For Positions with ==.
template <typename T, typename Position = std::int64_t>
struct SourceBundle {
  double weight = 0;
  std::shared_ptr<const BoundedSource<T, Position>> source;
  std::optional<Position> start;
  std::optional<Position> stop;

  friend bool operator==(const SourceBundle& a,
                         const SourceBundle& b) requires std::equality_comparable<Position> {
    return a.source == b.source && a.start == b.start && a.stop == b.stop;
  }
};

// A bundle in messages (the checks print restrictions): "<source> [start,
// stop)", each bound the source's own when absent. For describable
// Positions.
template <typename T, typename P>
requires internal::Describable<P> std::string splitcheck_describe(
    const SourceBundle<T, P>& bundle) {
  const std::string start = bundle.start ? internal::describe_value(*bundle.start) : "its start";
  const std::string stop = bundle.stop ? internal::describe_value(*bundle.stop) : "its stop";
  return (bundle.source != nullptr ? bundle.source->debug_string() : std::string("a null source")) +
         " [" + start + ", " + stop + ")";
}

template <typename T, typename Position = std::int64_t>
class BoundedSource : public std::enable_shared_from_this<BoundedSource<T, Position>> {
 public:
  using record_type = T;
  using position_type = Position;
  using Bundle = SourceBundle<T, Position>;

  virtual ~BoundedSource() = default;

  // The size of the whole source, in the unit bundle weights use.
  virtual std::int64_t estimate_size() const = 0;

  // Bundles tiling [start, stop); see the class comment.
  virtual std::vector<Bundle> split(std::int64_t desired_bundle_size,
                                    std::optional<Position> start = std::nullopt,
                                    std::optional<Position> stop = std::nullopt) const = 0;

  // A new tracker for [start, stop); absent bounds are the source's own.
  virtual std::unique_ptr<RangeTracker<Position>> get_range_tracker(
      std::optional<Position> start, std::optional<Position> stop) const = 0;

  // The records of the tracker's range. The source and the tracker must
  // outlive the generator.
  virtual Generator<T> read(RangeTracker<Position>& tracker) const = 0;

  // A short description for messages and reports.
  virtual std::string debug_string() const { return "BoundedSource"; }

  // Appends this source's encoding to `out`: deterministic, and complete
  // enough for the connector's decoder to rebuild an equal source in another
  // process (see the class comment and source_coder.h). The default throws
  // UsageError: a source that cannot be encoded cannot reach a worker.
  virtual void encode(ByteWriter& /*out*/) const {
    throw UsageError(debug_string() +
                     ": encode() is not implemented: a source must be serializable to be sent "
                     "to workers (docs/guide.md, \"Serializable and immutable\")");
  }

  // The decoder a worker uses for this source's encoding and for those of
  // the bundles it splits into, with whatever it needs of the worker's
  // environment (a file system, a callback that is code and cannot be
  // encoded). It must rebuild from the bytes alone: a decoder that finds
  // this object again (through a pointer it captured, a global registry)
  // defeats serialization, and a worker in another process sees only a
  // copy made when it started. The default is no decoder: not serializable.
  virtual SourceDecoder<T, Position> decoder() const { return {}; }

 protected:
  // This source as a shared pointer, to name it in the bundles it returns.
  // Throws UsageError if the source is not owned by a shared_ptr.
  std::shared_ptr<const BoundedSource> self() const {
    try {
      return this->shared_from_this();
    } catch (const std::bad_weak_ptr&) {
      throw UsageError(debug_string() +
                       ": a source must be created with std::make_shared to be split");
    }
  }
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_SOURCES_BOUNDED_SOURCE_H_
