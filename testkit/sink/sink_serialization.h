// check_sink_serialization: a sink survives the trip to a worker in another
// process as bytes, and what its writers return means the same there.
//
//   const CheckResult result = check_sink_serialization(sut);
//
// A runner sends each worker the sink's encoding (sink_coder.h), never a
// pointer; the writer's result comes back as bytes and is finalized on
// another machine. The check, in this order (the first failure is
// reported):
//   1. the bytes, on the usual in-memory environment: the sink has a
//      decoder(); encode() is deterministic (twice the same bytes); the
//      decoder accepts them and gives a new object (not the original found
//      again through memory) that encodes to the same bytes and reports the
//      same num_shards() and debug_string(); every truncation of the bytes
//      is a CorruptDataError;
//   2. a write in worker processes (LocalRunner with
//      RunnerOptions::worker_processes), on a fresh directory of the local
//      disk (SinkEnvironment::file_system is a file system rooted there:
//      every process sees the same files), `bundles` bundles on 2 workers,
//      the first attempt of every bundle killed (SIGKILL) halfway through its
//      records and retried, bundle 0 duplicated speculatively: exactly the
//      records are committed, and nothing is left behind (no file but the
//      outputs, nothing SinkUnderTest::leftovers reports). A decoder that
//      drops an option, a writer result that names something only the
//      writer's memory holds (a buffer, a handle into a table of the
//      process), and a store that lives in one process's memory show here.
//
// What it cannot show: the worker processes are forks, made when the write
// starts: state made before (when the sink was made) is inherited, and a
// decoder that rebuilds from it passes.

#ifndef SPLITCHECK_TESTKIT_SINK_SINK_SERIALIZATION_H_
#define SPLITCHECK_TESTKIT_SINK_SINK_SERIALIZATION_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "splitcheck/lib/coders/coder.h"
#include "splitcheck/lib/error.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/lib/sinks/sink_coder.h"
#include "splitcheck/lib/sinks/write.h"
#include "splitcheck/testkit/check_result.h"
#include "splitcheck/testkit/faults/fault_points.h"
#include "splitcheck/testkit/internal/compare_records.h"
#include "splitcheck/testkit/internal/encoding_cases.h"
#include "splitcheck/testkit/internal/scratch_directory.h"
#include "splitcheck/testkit/internal/split_cases.h"
#include "splitcheck/testkit/sink/sink_checks.h"
#include "splitcheck/testkit/sink/sink_crash_points.h"
#include "splitcheck/testkit/sink/sink_under_test.h"

namespace splitcheck::testkit {

struct SinkSerializationOptions {
  // Bundles of the write in worker processes (when the sink leaves the
  // count to the runner).
  int bundles = 3;
  // As for sources (SerializationOptions).
  std::size_t max_truncations = 256;
};

namespace internal {

// Crashes the first attempt of every bundle halfway through its records;
// duplicates bundle 0.
class CrashFirstAttempts final : public WritePolicy {
 public:
  bool fail_attempt(const WriteAttempt& a) const override {
    return a.attempt == 1 && !a.speculative && a.records_written == a.bundle_records / 2;
  }
  bool duplicate(std::int64_t bundle) const override { return bundle == 0; }
};

}  // namespace internal

template <typename T>
CheckResult check_sink_serialization(const SinkUnderTest<T>& sut,
                                     const SinkSerializationOptions& options = {}) {
  constexpr const char* kCheck = "sink_serialization";
  CheckResult result = CheckResult::passed(kCheck);
  result.replay =
      "check_sink_serialization(sut, {.bundles = " + std::to_string(options.bundles) + "})";
  // 1. The bytes.
  ++result.cases;
  const SinkEnvironment env = internal::fresh_env("serialization");
  const std::shared_ptr<const Sink<T>> sink = sut.make_sink(env, sut.destination);
  const std::string name = sink->debug_string();
  const SinkDecoder<T> decoder = sink->decoder();
  if (!decoder) {
    return result.fail(name +
                       " has no decoder(): a sink must be serializable to be sent to workers "
                       "(docs/guide.md, \"Serializable and immutable\")");
  }
  std::string bytes;
  try {
    bytes = encode_sink(*sink);
    if (encode_sink(*sink) != bytes) {
      return result.fail(name + ": encode() is not deterministic: a second call wrote other bytes");
    }
  } catch (...) {
    return result.fail(name + ": encode() threw: " + internal::current_exception_message());
  }
  std::shared_ptr<const Sink<T>> decoded;
  try {
    decoded = decode_sink(bytes, decoder);
  } catch (...) {
    return result.fail(name + ": decoding its own encoding (" + std::to_string(bytes.size()) +
                       " bytes) threw: " + internal::current_exception_message());
  }
  if (decoded.get() == sink.get()) {
    return result.fail(name +
                       ": the decoder returns the original sink itself: it finds the object "
                       "through memory (a pointer it holds, a table of objects), not the bytes, "
                       "and a worker in another process has no such object");
  }
  try {
    const std::string again = encode_sink(*decoded);
    if (again != bytes) {
      return result.fail(name + ": the decoded sink encodes to other bytes (" +
                         internal::first_byte_difference(bytes, again) +
                         "): the decoder loses or changes what encode() wrote");
    }
  } catch (...) {
    return result.fail(
        name + ": encoding the decoded sink threw: " + internal::current_exception_message());
  }
  if (decoded->num_shards() != sink->num_shards()) {
    return result.fail(name + ": the decoded sink asks for another number of shards");
  }
  if (decoded->debug_string() != name) {
    return result.fail(name + ": the decoded sink describes itself as " + decoded->debug_string());
  }
  for (const std::size_t n : internal::truncation_lengths(bytes.size(), options.max_truncations)) {
    ++result.cases;
    const std::string what =
        "the first " + std::to_string(n) + " of " + std::to_string(bytes.size()) + " bytes";
    try {
      decode_sink(std::string_view(bytes).substr(0, n), decoder, what);
    } catch (const CorruptDataError&) {
      continue;
    } catch (...) {
      return result.fail(name + ": decoding " + what +
                         " threw something other than a CorruptDataError: " +
                         internal::current_exception_message());
    }
    return result.fail(name + ": decoding " + what +
                       " succeeded: a truncated encoding must be a CorruptDataError");
  }

  // 2. A write in worker processes, on the local disk.
  if constexpr (!Encodable<T>) {
    return result.fail(name +
                       ": the record type has no splitcheck::Coder (lib/coders/coder.h): records "
                       "cannot travel to workers in other processes as bytes");
  } else {
    ++result.cases;
    std::unique_ptr<internal::ScratchDirectory> scratch;
    try {
      scratch = std::make_unique<internal::ScratchDirectory>("splitcheck-sink-serialization");
    } catch (...) {
      return CheckResult::broken(kCheck, internal::current_exception_message());
    }
    auto disk = std::make_shared<internal::RootedFileSystem>(scratch->path());
    const SinkEnvironment on_disk{disk, std::make_shared<FaultPoints>(), "serialization-processes"};
    const std::string where =
        "written by worker processes (the sink and the records sent as bytes, the first attempt "
        "of every bundle killed halfway and retried, bundle 0 duplicated), on " +
        disk->debug_string();
    RunnerOptions runner;
    runner.num_workers = 2;
    runner.write_bundles = options.bundles;
    runner.worker_processes = true;
    runner.write_policy = std::make_shared<internal::CrashFirstAttempts>();
    WriteResult written;
    try {
      written =
          LocalRunner(runner).run(Write<T>(sut.make_sink(on_disk, sut.destination)), sut.records);
    } catch (...) {
      return result.fail(name + ", " + where +
                         ": the write threw: " + internal::current_exception_message());
    }
    try {
      if (auto d = internal::first_multiset_difference(sut.records,
                                                       sut.read_back(on_disk, sut.destination))) {
        return result.fail(name + ", " + where + ": " + *d +
                           " (does the decoder drop an option, or a writer's result name "
                           "something only the writer's process holds?)");
      }
      if (auto l = internal::left_behind(sut, *disk, on_disk, written.outputs)) {
        return result.fail(name + ", " + where + ": " + *l);
      }
    } catch (...) {
      return result.fail(name + ", " + where + ": reading back the output threw: " +
                         internal::current_exception_message());
    }
  }
  result.replay.clear();
  return result;
}

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_SINK_SINK_SERIALIZATION_H_
