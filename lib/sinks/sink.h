// Sink<T> and Writer<T>: an output written by many workers, committed once.
//
// A runner writes a sink in four steps (Beam's life cycle):
//   1. init = initialize_write(), once per write (e.g. make a temporary
//      location);
//   2. per bundle *attempt*, writer = open_writer(init, uid), then
//      writer->write(record) for each record and result = writer->close();
//      `uid` is unique per attempt, never reused;
//   3. pre = pre_finalize(init, results), with the result of exactly one
//      successful attempt per bundle, in bundle order;
//   4. outputs = finalize_write(init, results, pre), which commits.
//
// Idempotence is the contract:
//   * An attempt may fail part-way (its writer is destroyed without close(),
//     or close() throws) or be duplicated speculatively; only the results
//     handed to pre_finalize/finalize_write count. What other attempts left
//     behind must not reach the output, and is cleaned up by finalize_write.
//   * finalize_write may be called again with the same arguments after it
//     failed half-way or after it succeeded; each call must leave the same
//     committed output, each record exactly once, and must not fail because
//     an earlier call already did part of the work. pre_finalize may be
//     re-run before each finalize_write call and must be idempotent too.
//   * After a successful finalize_write no temporary state remains.
//   * A write the runner gives up on (a bundle failed every attempt, or
//     finalize failed for good) gets one abort_write call, after every
//     attempt has stopped: it removes what the write staged, and what a
//     finalize that did not complete committed, so that a failed write
//     leaves nothing a later reader could take for output. A finalize that
//     committed everything before failing may leave its output whole. The
//     default does nothing, which is right only for a sink that stages
//     nothing; the sink checks reject a sink that leaves state behind.
// Results are bytes (std::string), as a distributed runner would carry
// them: the writer runs on one worker, pre_finalize and finalize_write on
// another (in LocalRunner's process mode, the parent), so a result must name
// what the attempt wrote in the store, never something only the writer's
// memory holds (a buffer, a handle, a pointer).
//
// A sink is serializable: encode() writes everything a worker in another
// process needs to make an equal sink (one that writes the same records to
// the same place the same way), and decoder() gives the function that makes
// it (sink_coder.h), as for sources (bounded_source.h).
//
// A sink is an immutable value shared between threads: every method is
// const and may be called concurrently; each Writer is used by one thread.
// Users see a wrapping transform (Write(sink), write.h), not the class.

#ifndef SPLITCHECK_LIB_SINKS_SINK_H_
#define SPLITCHECK_LIB_SINKS_SINK_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "splitcheck/lib/coders/byte_reader.h"
#include "splitcheck/lib/coders/byte_writer.h"
#include "splitcheck/lib/error.h"

namespace splitcheck {

template <typename T>
class Sink;

// How a worker rebuilds a sink from the bytes encode() wrote (see
// sink_coder.h). CorruptDataError for bytes it did not write.
template <typename T>
using SinkDecoder = std::function<std::shared_ptr<const Sink<T>>(ByteReader&)>;

template <typename T>
class Writer {
 public:
  virtual ~Writer() = default;

  virtual void write(const T& record) = 0;

  // Completes the attempt and returns its result. A writer destroyed without
  // close() is an abandoned attempt.
  virtual std::string close() = 0;
};

template <typename T>
class Sink {
 public:
  using record_type = T;

  virtual ~Sink() = default;

  virtual std::string initialize_write() const = 0;

  virtual std::unique_ptr<Writer<T>> open_writer(const std::string& init_result,
                                                 const std::string& uid) const = 0;

  virtual std::string pre_finalize(const std::string& /*init_result*/,
                                   const std::vector<std::string>& /*writer_results*/) const {
    return "";
  }

  // Commits; returns what was committed (e.g. the final file names).
  virtual std::vector<std::string> finalize_write(const std::string& init_result,
                                                  const std::vector<std::string>& writer_results,
                                                  const std::string& pre_finalize_result) const = 0;

  // Called once when the runner gives up on the write (see above), with the
  // results that were handed to finalize (none if it never ran). Best
  // effort: what it throws is added to the error that stopped the write.
  virtual void abort_write(const std::string& /*init_result*/,
                           const std::vector<std::string>& /*writer_results*/) const {}

  // The number of bundles the sink requires (fixed shard counts), or nothing
  // to let the runner choose.
  virtual std::optional<int> num_shards() const { return std::nullopt; }

  virtual std::string debug_string() const { return "Sink"; }

  // Appends this sink's encoding to `out`: deterministic, and complete
  // enough for the connector's decoder to rebuild an equal sink in another
  // process. The default throws UsageError: a sink that cannot be encoded
  // cannot reach a worker.
  virtual void encode(ByteWriter& /*out*/) const {
    throw UsageError(debug_string() +
                     ": encode() is not implemented: a sink must be serializable to be sent "
                     "to workers (docs/guide.md, \"Serializable and immutable\")");
  }

  // The decoder a worker uses for this sink's encoding, with whatever it
  // needs of the worker's environment (a file system, a format that is
  // code). It must rebuild from the bytes alone, as a source's decoder
  // must (bounded_source.h). The default is no decoder: not serializable.
  virtual SinkDecoder<T> decoder() const { return {}; }
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_SINKS_SINK_H_
