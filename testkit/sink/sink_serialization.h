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
//      (all of them up to max_truncations, then a spread) is a
//      CorruptDataError; the bytes with one byte changed (bit 0 or bit 1,
//      as many of each) give an
//      error or a sink that encodes to exactly them (a decoder that ignores
//      or defaults a field fails); the decoder of a sink made for another
//      destination rebuilds this one from its bytes (a decoder that copies
//      the sink it holds fails);
//   2. a write in worker processes (LocalRunner with
//      RunnerOptions::worker_processes), on a fresh directory of the local
//      disk (SinkEnvironment::file_system is a file system rooted there:
//      every process sees the same files), `bundles` bundles on 2 workers,
//      the first attempt of every bundle killed (SIGKILL) halfway through its
//      records and retried, bundle 0 duplicated speculatively, and
//      initialize_write and finalize called on a copy of the sink decoded
//      from its bytes (as on another machine): exactly the records are
//      committed, and nothing is left behind (no file but the outputs,
//      nothing SinkUnderTest::leftovers reports); and it is the same write
//      as on threads in this process, on other directories, as far as two
//      such writes agree with each other: the same outputs, the same records
//      read back in the same order, the same files with the same sizes and,
//      where the two agree on them, the same bytes (a format may hold random
//      ones, as Avro's sync markers). A decoder that drops an option (one
//      the writers use, or finalize), a writer result that names something
//      only the writer's memory holds (a buffer, a handle into a table of
//      the process), and a store that lives in one process's memory show
//      here.
//
// What it cannot show: the worker processes are forks of this process on
// this machine, made when the write starts: state made before (when the
// sink was made) is inherited, and the machine's own files (a temporary
// file a writer makes outside the file system it was given, in /tmp) are
// shared; a result that names either passes. A forgotten option that
// changes neither the records read back nor any file, in a format whose
// files differ from one write to the next, passes too.

#ifndef SPLITCHECK_TESTKIT_SINK_SINK_SERIALIZATION_H_
#define SPLITCHECK_TESTKIT_SINK_SINK_SERIALIZATION_H_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

// One write of the check on a fresh directory of the local disk, in worker
// processes or on threads: what it committed, as read back, the files left
// (paths and sizes), and what went wrong (a throw, something left behind).
template <typename T>
struct DiskWrite {
  std::unique_ptr<ScratchDirectory> scratch;
  std::shared_ptr<RootedFileSystem> disk;
  std::vector<std::string> outputs;  // without a leading '/'
  std::vector<T> read;
  std::vector<FileMetadata> files;
  std::vector<std::string> contents;  // of `files`
  std::optional<std::string> error;
  std::optional<std::string> left;
};

// Outputs named as the directory lists them (a sink may name them from "/").
inline std::vector<std::string> listed_form(std::vector<std::string> outputs) {
  for (std::string& o : outputs) {
    if (!o.empty() && o.front() == '/') o.erase(0, 1);
  }
  return outputs;
}

template <typename T>
DiskWrite<T> write_on_disk(const SinkUnderTest<T>& sut, const SinkSerializationOptions& options,
                           bool processes, const std::string& run_id) {
  DiskWrite<T> out;
  out.scratch = std::make_unique<ScratchDirectory>("splitcheck-sink-serialization");
  out.disk = std::make_shared<RootedFileSystem>(out.scratch->path());
  const SinkEnvironment env{out.disk, std::make_shared<FaultPoints>(), run_id};
  RunnerOptions runner;
  runner.num_workers = 2;
  runner.write_bundles = options.bundles;
  runner.worker_processes = processes;
  runner.write_policy = std::make_shared<CrashFirstAttempts>();
  WriteResult written;
  try {
    written = LocalRunner(runner).run(Write<T>(sut.make_sink(env, sut.destination)), sut.records);
  } catch (...) {
    out.error = "the write threw: " + current_exception_message();
    return out;
  }
  out.outputs = listed_form(written.outputs);
  try {
    out.read = sut.read_back(env, sut.destination);
    out.left = left_behind(sut, *out.disk, env, out.outputs);
    out.files = out.disk->list("");
    for (const FileMetadata& f : out.files) out.contents.push_back(out.disk->read_all(f.path));
  } catch (...) {
    out.error = "reading back the output threw: " + current_exception_message();
  }
  return out;
}

// How the files of two writes differ, if they do: their names and sizes,
// and their bytes when both byte lists are given (a file format may hold
// random bytes, as Avro's sync markers: the caller compares bytes only where
// two writes on threads agree on them).
inline std::optional<std::string> file_difference(const std::vector<FileMetadata>& threads,
                                                  const std::vector<FileMetadata>& processes,
                                                  const std::vector<std::string>* threads_bytes,
                                                  const std::vector<std::string>* processes_bytes) {
  for (std::size_t i = 0; i < std::max(threads.size(), processes.size()); ++i) {
    if (i >= threads.size()) {
      return "it wrote \"" + processes[i].path + "\", which the write on threads did not";
    }
    if (i >= processes.size()) {
      return "it did not write \"" + threads[i].path + "\", which the write on threads did";
    }
    if (threads[i].path != processes[i].path) {
      return "it wrote \"" + processes[i].path + "\" where the write on threads wrote \"" +
             threads[i].path + "\"";
    }
    if (threads[i].size_bytes != processes[i].size_bytes) {
      return "its \"" + processes[i].path + "\" holds " + std::to_string(processes[i].size_bytes) +
             " bytes, " + std::to_string(threads[i].size_bytes) + " on threads";
    }
    if (threads_bytes != nullptr && processes_bytes != nullptr &&
        (*threads_bytes)[i] != (*processes_bytes)[i]) {
      return "its \"" + processes[i].path + "\" holds other bytes than on threads (" +
             first_byte_difference((*threads_bytes)[i], (*processes_bytes)[i]) + ")";
    }
  }
  return std::nullopt;
}

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
  // Bytes encode() did not write: each byte changed in its lowest bit must
  // decode to an error or to a sink that encodes to exactly those bytes. A
  // decoder that ignores or defaults a field fails here.
  for (const std::size_t at :
       internal::truncation_lengths(2 * bytes.size(), 2 * options.max_truncations)) {
    // Bit 0, then bit 1, of each byte: bit 0 of a small signed value is its
    // sign, which a decoder that checks the range rejects anyway.
    ++result.cases;
    const std::size_t k = at / 2;
    std::string changed = bytes;
    changed[k] = static_cast<char>(changed[k] ^ (at % 2 == 0 ? 1 : 2));
    std::shared_ptr<const Sink<T>> lenient;
    try {
      lenient =
          decode_sink(changed, decoder, "the encoding with byte " + std::to_string(k) + " changed");
    } catch (const Error&) {
      continue;
    } catch (...) {
      return result.fail(name + ": decoding its encoding with byte " + std::to_string(k) +
                         " changed threw something other than a splitcheck::Error: " +
                         internal::current_exception_message());
    }
    std::string again;
    try {
      again = encode_sink(*lenient);
    } catch (...) {
      return result.fail(name + ": the sink decoded from its encoding with byte " +
                         std::to_string(k) +
                         " changed cannot be encoded: " + internal::current_exception_message());
    }
    if (again != changed) {
      return result.fail(name + ": its encoding with byte " + std::to_string(k) + " of " +
                         std::to_string(bytes.size()) +
                         " changed decodes to a sink that encodes to other bytes (" +
                         internal::first_byte_difference(changed, again) +
                         "): the decoder ignores or defaults a field instead of throwing "
                         "CorruptDataError for bytes encode() did not write");
    }
  }
  // The decoder of another sink of the same kind must rebuild this one from
  // its bytes: a decoder that makes its sink from what it holds (a copy of
  // the sink it came from, an object a registry hands back) fails here.
  ++result.cases;
  try {
    std::shared_ptr<const Sink<T>> other;
    try {
      other = sut.make_sink(env, sut.destination + "-other");
    } catch (...) {
      return CheckResult::broken(kCheck,
                                 "make_sink(env, \"" + sut.destination +
                                     "-other\") threw: " + internal::current_exception_message());
    }
    const SinkDecoder<T> other_decoder = other->decoder();
    if (!other_decoder) return result.fail(other->debug_string() + " has no decoder()");
    const auto rebuilt = decode_sink(bytes, other_decoder, "its encoding, by another's decoder");
    if (encode_sink(*rebuilt) != bytes || rebuilt->debug_string() != name) {
      return result.fail(name + ": the decoder of " + other->debug_string() +
                         " turns its bytes into " + rebuilt->debug_string() +
                         ", which encodes differently: the decoder builds its sink from what it "
                         "holds, not from the bytes");
    }
  } catch (...) {
    return result.fail(
        name + ": the decoder of a sink at \"" + sut.destination +
        "-other\" cannot decode its bytes (a decoder must rebuild any sink of its kind from the "
        "bytes, not only the one it came from): " +
        internal::current_exception_message());
  }

  // 2. A write in worker processes, on the local disk, and the same write on
  // threads beside it.
  if constexpr (!Encodable<T>) {
    return result.fail(name +
                       ": the record type has no splitcheck::Coder (lib/coders/coder.h): records "
                       "cannot travel to workers in other processes as bytes");
  } else {
    ++result.cases;
    internal::DiskWrite<T> processes;
    internal::DiskWrite<T> threads;
    internal::DiskWrite<T> again;  // a second write on threads: what is deterministic
    try {
      processes = internal::write_on_disk(sut, options, true, "serialization-processes");
      threads = internal::write_on_disk(sut, options, false, "serialization-threads");
      again = internal::write_on_disk(sut, options, false, "serialization-threads-again");
    } catch (...) {
      return CheckResult::broken(kCheck, internal::current_exception_message());
    }
    const std::string where =
        "written by worker processes (the sink and the records sent as bytes, the first attempt "
        "of every bundle killed halfway and retried, bundle 0 duplicated, finalize on a copy "
        "decoded from the bytes), on " +
        processes.disk->debug_string();
    if (processes.error) return result.fail(name + ", " + where + ": " + *processes.error);
    if (auto d = internal::first_multiset_difference(sut.records, processes.read)) {
      return result.fail(name + ", " + where + ": " + *d +
                         " (does the decoder drop an option, or a writer's result name something "
                         "only the writer's process holds?)");
    }
    if (processes.left) return result.fail(name + ", " + where + ": " + *processes.left);
    for (const internal::DiskWrite<T>* t : {&threads, &again}) {
      if (t->error) return result.fail(name + ", the same write on threads: " + *t->error);
      if (t->left) return result.fail(name + ", the same write on threads: " + *t->left);
    }
    // Compared with the writes on threads as far as those two agree with
    // each other (a sink may name a file or fill it with what differs from
    // one write to the next: a random marker, the attempt that won).
    const std::string same =
        name + ", " + where + ", is not the same write on threads in this process: ";
    if (threads.outputs == again.outputs && processes.outputs != threads.outputs) {
      return result.fail(same + "its outputs are named differently");
    }
    if (threads.read == again.read) {
      if (auto d = internal::first_list_difference(threads.read, processes.read)) {
        return result.fail(same + "what it commits reads back differently: " + *d);
      }
    }
    if (!internal::file_difference(threads.files, again.files, nullptr, nullptr)) {
      const bool same_bytes = threads.contents == again.contents;
      if (auto d = internal::file_difference(threads.files, processes.files,
                                             same_bytes ? &threads.contents : nullptr,
                                             same_bytes ? &processes.contents : nullptr)) {
        return result.fail(same + *d + " (an option the decoder drops?)");
      }
      if (!same_bytes) {
        result.notes.push_back(
            "two writes on threads gave files of other bytes: the write in worker processes was "
            "compared by file names and sizes only");
      }
    } else {
      result.notes.push_back(
          "two writes on threads gave other files: the write in worker processes was not "
          "compared file by file");
    }
  }
  result.replay.clear();
  return result;
}

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_SINK_SINK_SERIALIZATION_H_
