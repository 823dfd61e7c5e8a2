// The two ends of LocalRunner's process mode: what a worker process does
// with the bundles it is sent (worker_main), and the frames both ends speak.
// Internal: LocalRunner with RunnerOptions::worker_processes.
//
// The parent sends a worker a bundle attempt as bytes (encode_bundle); the
// worker decodes it with the source's decoder, reads it with a tracker of
// its own, and sends back its records (Coder<T>) in batches (sized to the
// source's speed: batch_limit.h), each batch with the tracker's fraction
// consumed. Between batches it answers the parent's
// split requests ("keep f of what is left") on its own tracker, and it
// applies the policy's per-record decisions itself: a split_after splits
// there, a fail_after asks the parent to kill it (kKillMe), which the
// parent does with SIGKILL. A split it accepts goes back as the split's
// position, fraction and residual stop; the parent queues the residual.

#ifndef SPLITCHECK_LIB_RUNNER_INTERNAL_PROCESS_WORKER_H_
#define SPLITCHECK_LIB_RUNNER_INTERNAL_PROCESS_WORKER_H_

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <utility>

#include "splitcheck/lib/coders/byte_reader.h"
#include "splitcheck/lib/coders/byte_writer.h"
#include "splitcheck/lib/coders/coder.h"
#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/describe.h"
#include "splitcheck/lib/runner/internal/batch_limit.h"
#include "splitcheck/lib/runner/internal/worker_process.h"
#include "splitcheck/lib/runner/runner_policy.h"
#include "splitcheck/lib/sources/bounded_source.h"
#include "splitcheck/lib/sources/source_coder.h"
#include "splitcheck/lib/trackers/split_remainder.h"

namespace splitcheck::internal {

namespace frame {
// Parent to worker.
inline constexpr char kBundle = 'B';  // varint attempt, string bundle id, string bundle bytes
inline constexpr char kSplit = 'S';   // double fraction of the remainder
// Worker to parent.
inline constexpr char kRecords = 'R';  // varint n, double fraction consumed, n records (Coder<T>)
// Both answers start with a bool: the parent asked for the split (else the
// policy did, in the worker).
inline constexpr char kSplitDone = 'P';     // bool, position, double fraction, residual stop
inline constexpr char kSplitRefused = 'N';  // bool, string error of the split (empty: refused)
inline constexpr char kDone = 'D';          // varint records
inline constexpr char kError = 'E';         // varint kind, string message
inline constexpr char kKillMe = 'K';        // varint records read
}  // namespace frame

// Error kinds across the process boundary.
enum class ErrorKind : std::uint64_t {
  kUsage,
  kInternal,
  kInput,
  kCorruptData,
  kInjected,
  kMachineCrash,
  kOther,
};

inline ErrorKind error_kind(const std::exception& e) {
  if (dynamic_cast<const UsageError*>(&e)) return ErrorKind::kUsage;
  if (dynamic_cast<const InternalError*>(&e)) return ErrorKind::kInternal;
  if (dynamic_cast<const CorruptDataError*>(&e)) return ErrorKind::kCorruptData;
  if (dynamic_cast<const InputError*>(&e)) return ErrorKind::kInput;
  if (dynamic_cast<const InjectedFailure*>(&e)) return ErrorKind::kInjected;
  if (dynamic_cast<const MachineCrash*>(&e)) return ErrorKind::kMachineCrash;
  return ErrorKind::kOther;
}

// The parent's copy of an error a worker sent: the same type (for the
// error types of error.h) and the same message.
[[noreturn]] inline void throw_worker_error(ErrorKind kind, const std::string& message) {
  switch (kind) {
    case ErrorKind::kUsage:
      throw UsageError(message);
    case ErrorKind::kInternal:
      throw InternalError(message);
    case ErrorKind::kInput:
      throw InputError(message);
    case ErrorKind::kCorruptData:
      throw CorruptDataError(message);
    case ErrorKind::kInjected:
      throw InjectedFailure(message);
    case ErrorKind::kMachineCrash:
      throw MachineCrash(message);
    case ErrorKind::kOther:
      break;
  }
  throw InputError(message);  // an unknown error is taken as bad luck: retried
}

template <typename T, typename P>
class WorkerMain {
 public:
  WorkerMain(FrameChannel& channel, const SourceDecoder<T, P>& decoder, const RunnerPolicy& policy)
      : channel_(channel),
        decoder_(decoder),
        policy_(policy),
        observes_(policy.observes_records()) {}

  void run() {
    char type = 0;
    std::string_view payload;
    while (channel_.receive(type, payload)) {
      if (type != frame::kBundle) continue;  // a split asked after the attempt ended
      ByteReader in(payload, "bundle attempt");
      const int attempt = static_cast<int>(in.get_varint("attempt"));
      const std::string id = in.get_string("bundle id");
      const std::string bytes = in.get_string("bundle");
      attempt_ = attempt;
      id_ = id;
      count_ = 0;
      try {
        read(decode_bundle_from_bytes(bytes, decoder_, "bundle " + id));
        ByteWriter done;
        done.put_varint(static_cast<std::uint64_t>(count_));
        channel_.send(frame::kDone, done.bytes());
      } catch (const std::exception& e) {
        tracker_ = nullptr;
        batch_.clear();
        batch_count_ = 0;
        ByteWriter error;
        error.put_varint(static_cast<std::uint64_t>(error_kind(e)));
        error.put_string(e.what());
        channel_.send(frame::kError, error.bytes());
      }
      channel_.flush();
    }
  }

 private:
  void read(const SourceBundle<T, P>& bundle) {
    const auto tracker = bundle.source->get_range_tracker(bundle.start, bundle.stop);
    if (tracker == nullptr) {
      throw UsageError(bundle.source->debug_string() + ": get_range_tracker returned null");
    }
    tracker_ = tracker.get();
    if (observes_) consult_policy();
    Generator<T> reader = bundle.source->read(*tracker);
    batch_began_ = std::chrono::steady_clock::now();
    for (auto it = reader.begin(); it != reader.end(); ++it) {
      // One after another: a coder reads back exactly what it wrote.
      encode_value(*it, batch_);
      ++batch_count_;
      ++count_;
      if (observes_) consult_policy();
      bool full = batch_limit_.full(batch_count_, batch_.bytes().size());
      BatchLimit::Duration took{};
      if (full || batch_limit_.time_to_look(batch_count_)) {
        took = std::chrono::steady_clock::now() - batch_began_;
        full = full || BatchLimit::overdue(took);
      }
      if (full) {
        batch_limit_.after_batch(batch_count_, took);
        flush_batch();
        answer_split_requests();
        batch_began_ = std::chrono::steady_clock::now();
      }
    }
    flush_batch();
    tracker_ = nullptr;  // `tracker` ends here
  }

  void flush_batch() {
    if (batch_count_ == 0) return;
    ByteWriter& head = head_;
    head.clear();
    head.put_varint(static_cast<std::uint64_t>(batch_count_));
    double consumed = 0;
    try {
      consumed = tracker_ != nullptr ? tracker_->fraction_consumed() : 0.0;
    } catch (const Error&) {
    }
    head.put_double(consumed);
    channel_.send_now(frame::kRecords, head.bytes(), batch_.bytes());
    batch_.clear();
    batch_count_ = 0;
    batch_began_ = std::chrono::steady_clock::now();  // also after a flush the policy asked
  }

  void answer_split_requests() {
    while (channel_.readable()) {
      char type = 0;
      std::string_view payload;
      if (!channel_.receive(type, payload)) ::_exit(0);  // the parent is gone
      if (type != frame::kSplit) {
        throw InternalError("worker process: frame '" + std::string(1, type) +
                            "' in the middle of a bundle");
      }
      ByteReader in(payload, "split request");
      split(in.get_double("fraction"), true);
    }
  }

  // Splits the tracker at `fraction` of its remainder and tells the parent
  // (`requested`: the parent asked, else the policy did).
  void split(double fraction, bool requested) {
    std::optional<RemainderSplit<P>> result;
    std::string error;
    try {
      result = try_split_remainder(*tracker_, fraction);
    } catch (const UsageError& e) {
      error = e.what();
    }
    ByteWriter out;
    out.put_bool(requested);
    if (!result) {
      out.put_string(error);
      channel_.send(frame::kSplitRefused, out.bytes());
    } else {
      encode_value(result->result.position, out);
      out.put_double(result->result.fraction);
      encode_value(result->residual_stop, out);
      channel_.send(frame::kSplitDone, out.bytes());
    }
    channel_.flush();
  }

  void consult_policy() {
    const ReadProgress progress{id_, attempt_, count_};
    if (policy_.fail_after(progress)) {
      // A real crash: the parent kills this process. Everything read so far
      // is sent first, so that the parent sees the records it must discard.
      flush_batch();
      ByteWriter out;
      out.put_varint(static_cast<std::uint64_t>(count_));
      channel_.send(frame::kKillMe, out.bytes());
      channel_.flush();
      for (;;) ::pause();
    }
    if (const std::optional<double> fraction = policy_.split_after(progress)) {
      if (!(*fraction > 0.0 && *fraction < 1.0)) {
        throw UsageError("RunnerPolicy: split_after returned " + describe_double(*fraction) +
                         " for bundle " + id_ + ": a fraction of the remainder must be in (0, 1)");
      }
      flush_batch();
      split(*fraction, false);
    }
  }

  FrameChannel& channel_;
  const SourceDecoder<T, P>& decoder_;
  const RunnerPolicy& policy_;
  const bool observes_;
  RangeTracker<P>* tracker_ = nullptr;
  int attempt_ = 0;
  std::string id_;
  std::int64_t count_ = 0;
  ByteWriter batch_;  // cleared, not replaced: its buffer serves every batch
  ByteWriter head_;   // the same
  int batch_count_ = 0;
  BatchLimit batch_limit_;  // kept from bundle to bundle
  std::chrono::steady_clock::time_point batch_began_;
};

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_RUNNER_INTERNAL_PROCESS_WORKER_H_
