// LocalRunner: executes a Read or a Write on N worker threads, the way a
// distributed runner would, so that a source's splitting, dynamic splitting
// and retries, and a sink's retries, duplicates and finalize, are exercised
// for real. Options: runner_options.h.
//
// run(Read(source)) returns a ReadResult (run_result.h):
//   1. splits the source into initial bundles of desired_bundle_size (by
//      default estimate_size() / num_workers, at least 1);
//   2. N workers take bundles from a queue; each bundle attempt makes a
//      tracker with get_range_tracker(start, stop) and reads it with read();
//   3. dynamic work rebalancing: the policy may ask, on the reader's thread,
//      for a split of the attempt's remainder at a fraction of what is left;
//      and when a worker has nothing to do, it splits the running bundle with
//      the most work left at half its remainder (unless the policy disables
//      it). An accepted split shrinks the running bundle to its primary and
//      queues the residual as a new bundle, which may be split again;
//   4. an attempt whose read throws is retried, with its output discarded,
//      up to max_attempts attempts per bundle. A retry reads the bundle's
//      range as shrunk by the splits accepted so far, so residuals already
//      handed out are not read twice. An error that would fail again
//      (retryable() false in error.h: UsageError, InternalError,
//      CorruptDataError) is not retried: it is a bug or bad data, not bad
//      luck.
// The output holds the records of each bundle's successful attempt, bundles
// in id order ("0", "0.1", "0.1.1", "0.2", "1", ...). If a bundle cannot
// succeed, run() stops the other workers and rethrows that bundle's last
// error unchanged. run(read, output) streams instead: each attempt's records
// go to a ReadOutput as they are read, committed or discarded when the
// attempt ends (read_output.h), so nothing is held; the workers share no
// lock per record either way (each attempt has its own output).
//
// Process mode (RunnerOptions::worker_processes): before the source is
// split, the runner forks a spawner process, and each worker thread has it
// fork a worker process as the thread starts; the thread then sends its
// process the bytes of a bundle attempt (the source's encode(), rebuilt
// there by its decoder()) and receives the records as bytes (Coder<T>), so a
// source that does not survive serialization, or whose bundles share state
// only the parent's memory holds, fails here as on a real cluster. Dynamic
// splits are made by the worker's own tracker, between two batches of
// records (a batch ends at 128 KiB, at a record count that adapts to the
// source's speed, or after about 4 ms: batch_limit.h; a request to a bundle
// that fits in one batch is never answered), on the runner's request or the
// policy's; the residual comes back as a position and is queued as usual.
// fail_after is a real crash: the worker stops, the runner kills it with
// SIGKILL, discards what it sent for that attempt, starts a new process
// in its place and retries the bundle. A worker that dies by itself is
// retried the same way (InputError naming its exit). Errors come back with
// their type (those of error.h) and message. The children are forks: they
// inherit the parent's memory as it was at the fork, so the check is that
// nothing made after it (by split(), by a read) is reached except through
// bytes. Writes run the same way: the runner forks its workers before
// initialize_write; each attempt goes to a worker as the sink's encode(),
// the init result, the uid and the records (Coder<T>); the writer's result
// comes back as bytes, and initialize_write, pre_finalize, finalize_write
// and abort_write run in the parent on a copy of the sink decoded from its
// bytes, as a finalizing worker would, so a result that names something only
// the writer's memory holds commits nothing, and an option only finalize
// uses must survive the encoding. The write policy's failure point is a real crash there
// (SIGKILL: the writer is neither closed nor destroyed), and the attempt is
// retried. A test harness, not a distributed engine: Linux.
//
// run(Write(sink), records) returns a WriteResult (run_result.h):
//   1. init = sink.initialize_write();
//   2. the records are cut into bundles, in order: the sink's num_shards, or
//      RunnerOptions::write_bundles (default one per worker), at most one per
//      record and at least one; each bundle is
//      written by attempts on N worker threads, each with a fresh uid
//      ("b<bundle>-a<attempt>[-s]", attempts numbered per bundle, a
//      speculative one too); an attempt that throws (or that the
//      WritePolicy fails) is retried up to max_attempts; a speculative
//      duplicate runs beside the first attempt where the policy asks;
//   3. the first successful attempt of each bundle gives its result;
//   4. pre_finalize then finalize_write, retried together up to max_attempts
//      times when what they throw is retryable().
// With RunnerOptions::write_checkpoint, each step is recorded as it happens
// and a run resumes from what the checkpoint holds (write_checkpoint.h):
// how a write recovers from a MachineCrash, which run() never retries.
// An error that is not retryable() is not retried, anywhere. A bundle that fails
// every attempt stops the run and nothing is finalized; a finalize that fails
// for good stops it too. Either way the runner gives up: once every attempt has
// stopped it calls the sink's abort_write (with the results handed to
// finalize, if it ran), then rethrows the error unchanged (with abort_write's
// own error added, if that failed too). After a MachineCrash nothing runs.
//
// Reproducibility: with a policy whose decisions depend only on the progress
// it is shown (ScriptedSchedule, SeededSchedule), and idle rebalancing off,
// every bundle, split and failure is the same on every run, whatever the
// thread timing. The initial bundles depend on desired_bundle_size, whose
// default depends on num_workers: set it to replay a run with another number
// of workers.
//
// Thread safety: run() may be called from several threads at once; each call
// has its own workers. The source, its trackers and the policy are used from
// several threads (as the BoundedSource contract allows).

#ifndef SPLITCHECK_LIB_RUNNER_LOCAL_RUNNER_H_
#define SPLITCHECK_LIB_RUNNER_LOCAL_RUNNER_H_

#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/runner/internal/read_execution.h"
#include "splitcheck/lib/runner/internal/sdf_execution.h"
#include "splitcheck/lib/runner/internal/write_execution.h"
#include "splitcheck/lib/runner/read_output.h"
#include "splitcheck/lib/runner/run_result.h"
#include "splitcheck/lib/runner/runner_options.h"
#include "splitcheck/lib/runner/sdf_result.h"
#include "splitcheck/lib/sdf/splittable_dofn.h"
#include "splitcheck/lib/sinks/write.h"
#include "splitcheck/lib/sources/read.h"

namespace splitcheck {

class LocalRunner {
 public:
  // Throws UsageError for num_workers < 1, max_attempts < 1 or a
  // desired_bundle_size <= 0.
  explicit LocalRunner(RunnerOptions options = {});

  template <typename T, typename P>
  ReadResult<T> run(const Read<T, P>& read) const {
    return internal::ReadExecution<T, P>(options_, read.source()).run();
  }

  // The same run, but each attempt's records go to `output` as they are
  // read, and only the committed ones count (read_output.h): memory does not
  // grow with the input. The report's bundles and stats are what run(read)
  // would report.
  template <typename T, typename P>
  ReadReport run(const Read<T, P>& read, ReadOutput<T>& output) const {
    return internal::ReadExecution<T, P>(options_, read.source()).run(output);
  }

  // Runs a splittable DoFn over `elements` on threads (sdf_result.h,
  // internal/sdf_execution.h): each element's initial restriction split as
  // the DoFn says (desired_bundle_size in the DoFn's size unit, by default
  // its size / num_workers), idle workers splitting running trackers at half
  // of their remainder (only attempts that have output something, waiting
  // longer after each refusal), the policy's split_after and fail_after
  // asked after every output, checkpoints (process returning resume) rescheduled as
  // residuals with their watermark state, check_done after every process
  // call, failed attempts retried on the restriction their tracker held.
  // worker_processes is not supported for splittable DoFns yet (a
  // UsageError).
  template <typename In, typename Out, typename R, typename P>
  SdfResult<Out> run_sdf(const SplittableDoFn<In, Out, R, P>& dofn,
                         const std::vector<In>& elements) const {
    if (options_.worker_processes) {
      throw UsageError(dofn.debug_string() +
                       ": LocalRunner::run_sdf does not run splittable DoFns in worker "
                       "processes yet (RunnerOptions::worker_processes)");
    }
    return internal::SdfExecution<In, Out, R, P>(options_, dofn, elements).run();
  }

  // Writes `records` through the sink, as the header comment says.
  template <typename T>
  WriteResult run(const Write<T>& write, const std::vector<T>& records) const {
    return internal::WriteExecution<T>(
               options_.num_workers, options_.write_bundles.value_or(options_.num_workers),
               options_.max_attempts, options_.write_policy, options_.write_checkpoint,
               write.sink(), records, options_.worker_processes)
        .run();
  }

  const RunnerOptions& options() const { return options_; }

 private:
  RunnerOptions options_;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_RUNNER_LOCAL_RUNNER_H_
