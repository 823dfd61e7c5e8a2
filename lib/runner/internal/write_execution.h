// The LocalRunner's write path (local_runner.h describes it). Internal: use
// LocalRunner::run(write, records).

#ifndef SPLITCHECK_LIB_RUNNER_INTERNAL_WRITE_EXECUTION_H_
#define SPLITCHECK_LIB_RUNNER_INTERNAL_WRITE_EXECUTION_H_

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "splitcheck/lib/coders/byte_writer.h"
#include "splitcheck/lib/coders/coder.h"
#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/mutex.h"
#include "splitcheck/lib/runner/internal/process_worker.h"
#include "splitcheck/lib/runner/internal/worker_process.h"
#include "splitcheck/lib/runner/internal/write_worker.h"
#include "splitcheck/lib/runner/run_result.h"
#include "splitcheck/lib/runner/runner_policy.h"
#include "splitcheck/lib/runner/write_checkpoint.h"
#include "splitcheck/lib/runner/write_policy.h"
#include "splitcheck/lib/sinks/sink.h"
#include "splitcheck/lib/sinks/sink_coder.h"

namespace splitcheck {

namespace internal {

template <typename T>
class WriteExecution {
 public:
  WriteExecution(int num_workers, int bundles, int max_attempts,
                 std::shared_ptr<const WritePolicy> policy,
                 std::shared_ptr<WriteCheckpoint> checkpoint, std::shared_ptr<const Sink<T>> sink,
                 const std::vector<T>& records, bool worker_processes = false)
      : worker_processes_(worker_processes),
        num_workers_(num_workers),
        bundles_wanted_(bundles),
        max_attempts_(max_attempts),
        policy_(policy != nullptr ? std::move(policy) : std::make_shared<WritePolicy>()),
        checkpoint_(checkpoint != nullptr ? std::move(checkpoint)
                                          : std::make_shared<WriteCheckpoint>()),
        sink_(std::move(sink)),
        driver_(sink_),
        records_(records) {}

  WriteResult run() {
    const std::optional<int> fixed = sink_->num_shards();
    if (bundles_wanted_ < 1) {
      throw UsageError("LocalRunner: write_bundles " + std::to_string(bundles_wanted_) +
                       " must be at least 1");
    }
    std::int64_t n = fixed.value_or(bundles_wanted_);
    if (fixed && *fixed < 1) {
      throw UsageError(sink_->debug_string() + ": num_shards() is " + std::to_string(*fixed));
    }
    if (!fixed) n = std::max<std::int64_t>(1, std::min<std::int64_t>(n, std::ssize(records_)));
    const auto size = static_cast<std::int64_t>(records_.size());
    const WriteProgress resumed = checkpoint_->progress();
    if (resumed.aborted) {
      throw UsageError(sink_->debug_string() +
                       ": cannot resume a write that was given up (its abort_write ran)");
    }
    if (resumed.bundles > 0) checkpoint_->record_bundles(size, n);  // the same write?
    if (resumed.outputs) {  // committed before: nothing to do
      WriteResult out;
      out.outputs = *resumed.outputs;
      out.bundles.assign(static_cast<std::size_t>(n), WriteBundleReport{});
      return out;
    }
    // Forked now, before initialize_write and this run's threads: what the
    // write makes from here on reaches the workers only as bytes.
    if (worker_processes_) start_processes();
    std::string init;
    if (resumed.init_result) {
      init = *resumed.init_result;
    } else {
      init = driver_->initialize_write();
      checkpoint_->record_init(init);
    }
    checkpoint_->record_bundles(size, n);
    const WriteProgress progress = checkpoint_->progress();
    for (std::int64_t k = 0; k < n; ++k) bundles_.push_back({k * size / n, (k + 1) * size / n});
    {
      MutexLock lock(&mu_);
      for (const Range& range : bundles_)
        reports_.push_back({range.end - range.begin, 0, 0, false});
      results_ = progress.results;  // those written before a crash count
      running_.assign(static_cast<std::size_t>(n), 0);
      for (std::int64_t k = 0; k < n; ++k) {
        if (results_[static_cast<std::size_t>(k)]) continue;
        queue_.push_back({k, 1, false});
        if (policy_->duplicate(k)) {
          queue_.push_back({k, 1, true});
          reports_[static_cast<std::size_t>(k)].duplicated = true;
        }
      }
    }
    std::vector<std::thread> workers;
    for (int w = 0; w < num_workers_; ++w) {
      workers.emplace_back([this, &init, w] { work(init, w); });
    }
    for (std::thread& t : workers) t.join();
    stop_processes();
    std::vector<std::optional<std::string>> slots;
    WriteResult out;
    std::exception_ptr failed;
    {
      MutexLock lock(&mu_);
      failed = error_;
      slots = std::move(results_);
      out.bundles = std::move(reports_);
    }
    if (failed) give_up(failed, init, {});

    std::vector<std::string> results;
    for (std::size_t k = 0; k < slots.size(); ++k) {
      if (!slots[k]) {  // cannot happen: a bundle ends with a result or an error
        throw InternalError("LocalRunner: bundle " + std::to_string(k) + " of " +
                            sink_->debug_string() + " ended without a result");
      }
      results.push_back(std::move(*slots[k]));
    }
    for (int attempt = 1;; ++attempt) {
      out.finalize_attempts = attempt;
      checkpoint_->record_finalize_attempt();
      try {
        const std::string pre = driver_->pre_finalize(init, results);
        out.outputs = driver_->finalize_write(init, results, pre);
        checkpoint_->record_outputs(out.outputs);
        break;
      } catch (...) {
        const std::exception_ptr failure = std::current_exception();
        if (!retryable(failure) || attempt >= max_attempts_) give_up(failure, init, results);
      }
    }
    return out;
  }

 private:
  using MutexLock = internal::MutexLock;
  struct Task {
    std::int64_t bundle;
    int attempt;
    bool speculative;
  };
  struct Range {
    std::int64_t begin, end;
  };

  void work(const std::string& init, int worker) {
    for (;;) {
      Task task;
      {
        MutexLock lock(&mu_);
        while (queue_.empty() && in_flight_ > 0 && !error_) cv_.wait(mu_);
        if (queue_.empty() || error_) {
          cv_.notify_all();
          return;
        }
        task = queue_.front();
        queue_.pop_front();
        if (results_[static_cast<std::size_t>(task.bundle)].has_value())
          continue;  // done meanwhile
        ++in_flight_;
        ++running_[static_cast<std::size_t>(task.bundle)];
        ++reports_[static_cast<std::size_t>(task.bundle)].attempts;
      }
      std::optional<std::string> result;
      std::exception_ptr failure;
      bool permanent = false;  // fails again: not worth another attempt
      try {
        result = write_attempt(init, task, checkpoint_->start_attempt(task.bundle), worker);
      } catch (...) {
        failure = std::current_exception();
        permanent = !retryable(failure);
      }
      MutexLock lock(&mu_);
      --in_flight_;
      --running_[static_cast<std::size_t>(task.bundle)];
      auto& slot = results_[static_cast<std::size_t>(task.bundle)];
      auto& report = reports_[static_cast<std::size_t>(task.bundle)];
      if (result) {
        if (!slot) {  // a later duplicate is abandoned
          checkpoint_->record_result(task.bundle, *result);
          slot = std::move(result);
        }
      } else {
        ++report.failed_attempts;
        if (permanent) {
          if (!error_) error_ = failure;
        } else if (!slot) {
          if (task.attempt < max_attempts_) {
            queue_.push_back({task.bundle, task.attempt + 1, false});
          } else if (!error_ && !attempt_in_flight(task.bundle)) {
            error_ = failure;
          }
        }
      }
      cv_.notify_all();
    }
  }

  // Ends the write with `failure`: the sink's abort_write cleans up (unless
  // the machine is down: nothing runs after a MachineCrash), and `failure`
  // is rethrown unchanged, or, if the abort failed too, as an error of the
  // same kind that says both.
  [[noreturn]] void give_up(std::exception_ptr failure, const std::string& init,
                            const std::vector<std::string>& results) {
    try {
      std::rethrow_exception(failure);
    } catch (const MachineCrash&) {
      throw;
    } catch (...) {
    }
    checkpoint_->record_aborted();
    try {
      driver_->abort_write(init, results);
    } catch (...) {
      const std::string abort_error = current_message();
      try {
        std::rethrow_exception(failure);
      } catch (const UsageError& e) {
        throw UsageError(std::string(e.what()) + "; then abort_write failed: " + abort_error);
      } catch (const InternalError&) {
        throw;  // a bug of ours says enough
      } catch (const InjectedFailure& e) {
        throw InjectedFailure(std::string(e.what()) + "; then abort_write failed: " + abort_error);
      } catch (const CorruptDataError& e) {
        throw CorruptDataError(std::string(e.what()) + "; then abort_write failed: " + abort_error);
      } catch (const std::exception& e) {
        throw InputError(std::string(e.what()) + "; then abort_write failed: " + abort_error);
      } catch (...) {
        throw InputError("a non-standard exception; then abort_write failed: " + abort_error);
      }
    }
    std::rethrow_exception(failure);
  }

  static std::string current_message() {
    try {
      throw;
    } catch (const std::exception& e) {
      return e.what();
    } catch (...) {
      return "a non-standard exception";
    }
  }

  // Whether another attempt of the bundle may still succeed: a speculative
  // twin still running, or one queued.
  bool attempt_in_flight(std::int64_t bundle) const SPLITCHECK_REQUIRES(mu_) {
    if (running_[static_cast<std::size_t>(bundle)] > 0) return true;
    for (const Task& t : queue_) {
      if (t.bundle == bundle) return true;
    }
    return false;
  }

  // `number` counts the bundle's attempts across runs (write_checkpoint.h).
  std::string write_attempt(const std::string& init, const Task& task, int number, int worker) {
    const Range range = bundles_[static_cast<std::size_t>(task.bundle)];
    const std::string uid = "b" + std::to_string(task.bundle) + "-a" + std::to_string(number) +
                            (task.speculative ? "-s" : "");
    WriteAttempt where{task.bundle, task.attempt, task.speculative, 0, range.end - range.begin};
    if (worker_processes_) {
      if constexpr (Encodable<T>) {
        return write_remote_attempt(init, uid, range, where, worker);
      }
    }
    std::unique_ptr<Writer<T>> writer = sink_->open_writer(init, uid);
    for (std::int64_t i = range.begin; i < range.end; ++i) {
      where.records_written = i - range.begin;
      if (policy_->fail_attempt(where)) throw InjectedFailure("injected failure: " + uid);
      writer->write(records_[static_cast<std::size_t>(i)]);
    }
    where.records_written = range.end - range.begin;
    if (policy_->fail_attempt(where)) throw InjectedFailure("injected failure: " + uid);
    return writer->close();
  }

  void start_processes() {
    if constexpr (Encodable<T>) {
      decoder_ = sink_->decoder();
      if (!decoder_) {
        throw UsageError(sink_->debug_string() +
                         ": RunnerOptions::worker_processes needs a serializable sink, and it has "
                         "no decoder() (docs/guide.md, \"Serializable and immutable\")");
      }
      sink_bytes_ = encode_sink(*sink_);
      // initialize_write, finalize and abort_write run here, in the parent,
      // but on a copy decoded from the bytes, as a distributed runner's
      // finalizing worker would: an option only finalize uses must survive
      // the encoding too.
      driver_ = decode_sink(sink_bytes_, decoder_, sink_->debug_string() + ", for the parent");
      spawner_ = std::make_unique<ProcessSpawner>(
          [this](FrameChannel& channel) { WriteWorkerMain<T>(channel, decoder_).run(); });
      for (int w = 0; w < num_workers_; ++w) processes_.push_back(spawner_->spawn());
    } else {
      throw UsageError(sink_->debug_string() +
                       ": RunnerOptions::worker_processes needs a splitcheck::Coder for the "
                       "record type (lib/coders/coder.h): records travel to workers as bytes");
    }
  }

  // Ends every worker process: each is between attempts, and exits at the
  // end of its input.
  void stop_processes() {
    for (const auto& process : processes_) {
      if (process != nullptr) process->end_input();  // all exit at once
    }
    for (const auto& process : processes_) {
      if (process != nullptr) process->wait();
    }
    processes_.clear();
    spawner_.reset();
  }

  // The attempt written by this worker's process: the sink, the init
  // result, the uid and the records go as bytes, the result comes back as
  // bytes. The policy's failure point becomes a real crash there.
  std::string write_remote_attempt(const std::string& init, const std::string& uid,
                                   const Range& range, WriteAttempt where, int worker) {
    std::unique_ptr<WorkerProcess>& process = processes_[static_cast<std::size_t>(worker)];
    if (process == nullptr) {
      try {
        process = spawner_->spawn();
      } catch (const std::exception& e) {
        throw InternalError(std::string("LocalRunner: could not start a worker process: ") +
                            e.what());
      }
    }
    // Where the policy fails the attempt (the thread path asks before each
    // record and after the last, stopping at the first yes).
    std::int64_t crash_at = -1;
    for (std::int64_t i = 0; i <= range.end - range.begin; ++i) {
      where.records_written = i;
      if (policy_->fail_attempt(where)) {
        crash_at = i;
        break;
      }
    }
    const std::int64_t end = crash_at >= 0 ? range.begin + crash_at : range.end;
    const auto died = [&](const std::string& how) {
      const pid_t pid = process->pid();
      const std::string status = how.empty() ? describe_exit(*process) : how;
      process.reset();
      return InputError("write worker process " + std::to_string(pid) + " " + status +
                        " in attempt " + uid);
    };
    // Sends a frame; the worker gone is bad luck, retried.
    const auto send = [&](char type, std::string_view payload) {
      try {
        process->channel().send(type, payload);
      } catch (const InternalError& e) {
        throw died(std::string("could not be sent its attempt (") + e.what() + ")");
      }
    };
    // Whether the worker ended the attempt itself (kResult, kError, kKillMe):
    // any other way out leaves it in the middle of one, so it is replaced.
    bool answered = false;
    try {
      ByteWriter open;
      open.put_string(sink_bytes_);
      open.put_string(init);
      open.put_string(uid);
      send(write_frame::kOpen, open.bytes());
      for (std::int64_t i = range.begin; i < end;) {
        ByteWriter values;  // encoded here, outside the send: a Coder's error is its own
        std::int64_t n = 0;
        for (; i < end && n < kWriteRecordsPerBatch && values.bytes().size() < 128 * 1024; ++i) {
          encode_value(records_[static_cast<std::size_t>(i)], values);
          ++n;
        }
        ByteWriter batch;
        batch.put_varint(static_cast<std::uint64_t>(n));
        batch.put_raw(values.bytes());
        send(write_frame::kRecords, batch.bytes());
      }
      send(crash_at >= 0 ? write_frame::kCrash : write_frame::kClose, "");
      try {
        process->channel().flush();
      } catch (const InternalError& e) {
        throw died(std::string("could not be sent its attempt (") + e.what() + ")");
      }
      char type = 0;
      std::string_view payload;
      bool got = false;
      try {
        got = process->channel().receive(type, payload);
      } catch (const InternalError& e) {
        throw died(std::string("broke its stream (") + e.what() + ")");
      }
      if (!got) throw died("");
      ByteReader in(payload, "a frame from write worker process");
      switch (type) {
        case write_frame::kResult: {
          answered = true;
          const auto written = static_cast<std::int64_t>(in.get_varint("records written"));
          std::string result = in.get_string("writer result");
          in.expect_end();
          if (written != end - range.begin) {
            throw InternalError("write worker process: attempt " + uid + " wrote " +
                                std::to_string(written) + " records, " +
                                std::to_string(end - range.begin) + " were sent");
          }
          return result;
        }
        case frame::kError: {
          answered = true;
          const auto kind = static_cast<ErrorKind>(in.get_varint("error kind"));
          throw_worker_error(kind, in.get_string("message"));
        }
        case frame::kKillMe: {
          answered = true;
          const pid_t pid = process->pid();
          process->kill();
          process.reset();
          throw InjectedFailure("injected crash: write worker process " + std::to_string(pid) +
                                " killed (SIGKILL) in attempt " + uid + " after " +
                                std::to_string(crash_at) + " records");
        }
        default:
          throw InternalError("write worker process: unexpected frame '" + std::string(1, type) +
                              "'");
      }
    } catch (...) {
      if (!answered && process != nullptr) process.reset();  // killed and reaped
      throw;
    }
  }

  static std::string describe_exit(WorkerProcess& process) {
    return "died (" + process.wait() + ")";
  }

  const bool worker_processes_;
  const int num_workers_;
  const int bundles_wanted_;
  const int max_attempts_;
  const std::shared_ptr<const WritePolicy> policy_;
  const std::shared_ptr<WriteCheckpoint> checkpoint_;
  const std::shared_ptr<const Sink<T>> sink_;
  // What initialize_write, finalize and abort_write are called on: the sink,
  // or in process mode a copy decoded from its bytes (start_processes).
  std::shared_ptr<const Sink<T>> driver_;
  const std::vector<T>& records_;
  std::vector<Range> bundles_;

  internal::Mutex mu_;
  std::condition_variable_any cv_;
  std::deque<Task> queue_ SPLITCHECK_GUARDED_BY(mu_);
  int in_flight_ SPLITCHECK_GUARDED_BY(mu_) = 0;
  std::vector<int> running_ SPLITCHECK_GUARDED_BY(mu_);  // attempts running, per bundle
  std::vector<std::optional<std::string>> results_ SPLITCHECK_GUARDED_BY(mu_);
  std::vector<WriteBundleReport> reports_ SPLITCHECK_GUARDED_BY(mu_);
  std::exception_ptr error_ SPLITCHECK_GUARDED_BY(mu_);

  // Process mode: written before the threads start, each slot then used by
  // its worker thread alone.
  SinkDecoder<T> decoder_;
  std::string sink_bytes_;
  std::unique_ptr<ProcessSpawner> spawner_;  // outlives the processes
  std::vector<std::unique_ptr<WorkerProcess>> processes_;
};

}  // namespace internal

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_RUNNER_INTERNAL_WRITE_EXECUTION_H_
