// The LocalRunner's read path (local_runner.h describes it). Internal: use
// LocalRunner::run(read).

#ifndef SPLITCHECK_LIB_RUNNER_INTERNAL_READ_EXECUTION_H_
#define SPLITCHECK_LIB_RUNNER_INTERNAL_READ_EXECUTION_H_

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "splitcheck/lib/coders/coder.h"
#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/describe.h"
#include "splitcheck/lib/internal/mutex.h"
#include "splitcheck/lib/runner/bundle_id.h"
#include "splitcheck/lib/runner/internal/process_worker.h"
#include "splitcheck/lib/runner/internal/unforked_pages.h"
#include "splitcheck/lib/runner/internal/worker_process.h"
#include "splitcheck/lib/runner/read_output.h"
#include "splitcheck/lib/runner/run_result.h"
#include "splitcheck/lib/runner/run_stats.h"
#include "splitcheck/lib/runner/runner_options.h"
#include "splitcheck/lib/runner/runner_policy.h"
#include "splitcheck/lib/sources/bounded_source.h"
#include "splitcheck/lib/sources/source_coder.h"
#include "splitcheck/lib/trackers/split_remainder.h"

namespace splitcheck {
namespace internal {

template <typename T, typename P>
class ReadExecution {
 public:
  ReadExecution(const RunnerOptions& options, std::shared_ptr<const BoundedSource<T, P>> source)
      : options_(options),
        policy_(options.policy != nullptr ? options.policy : std::make_shared<RunnerPolicy>()),
        observes_(policy_->observes_records()),
        rebalance_idle_(policy_->rebalance_idle_workers()),
        source_(std::move(source)) {}

  // Reads everything into a ReadResult.
  ReadResult<T> run() SPLITCHECK_EXCLUDES(mu_) {
    const auto began = std::chrono::steady_clock::now();
    execute();
    MutexLock lock(&mu_);
    ReadResult<T> result;
    result.bundles = sorted_reports();
    if (committed_.size() == 1 && committed_.front().remote_records.empty()) {
      result.records = std::move(committed_.front().records);
    } else {
      std::size_t total = 0;
      for (const Committed& c : committed_) total += c.records.size() + c.remote_records.size();
      result.records.reserve(total);
      if (options_.worker_processes) prefault_for_writing(result.records.data(), total * sizeof(T));
      for (Committed& c : committed_) {
        result.records.insert(result.records.end(), std::make_move_iterator(c.records.begin()),
                              std::make_move_iterator(c.records.end()));
        c.remote_records.move_to(result.records);
      }
    }
    spawner_.reset();  // the worker processes ended while the above ran
    result.stats = finish_stats(began);
    return result;
  }

  // Streams every attempt's records to `output` (read_output.h).
  ReadReport run(ReadOutput<T>& output) SPLITCHECK_EXCLUDES(mu_) {
    const auto began = std::chrono::steady_clock::now();
    output_ = &output;
    execute();
    MutexLock lock(&mu_);
    ReadReport report;
    report.bundles = sorted_reports();
    spawner_.reset();  // waits for the worker processes to end
    report.stats = finish_stats(began);
    return report;
  }

 private:
  // Splits the source and runs the workers to the end; rethrows the error
  // that stopped the run.
  void execute() SPLITCHECK_EXCLUDES(mu_) {
    // Worker processes start before the source is split, as a cluster's
    // workers exist before a job: what split() makes reaches them only as
    // bytes.
    if (options_.worker_processes) start_processes();
    const std::int64_t size = source_->estimate_size();
    const std::int64_t desired = options_.desired_bundle_size.value_or(
        std::max<std::int64_t>(1, size / options_.num_workers));
    std::vector<SourceBundle<T, P>> initial = source_->split(desired, std::nullopt, std::nullopt);
    {
      MutexLock lock(&mu_);
      for (std::size_t i = 0; i < initial.size(); ++i) {
        if (initial[i].source == nullptr) {
          throw UsageError(source_->debug_string() + ": split() returned bundle " +
                           std::to_string(i) + " with a null source");
        }
        pending_.push_back(std::make_shared<Bundle>(std::to_string(i), std::move(initial[i])));
      }
      stats_.initial_bundles = static_cast<std::int64_t>(initial.size());
      stats_.workers = options_.num_workers;
      stats_.records_per_worker.assign(static_cast<std::size_t>(options_.num_workers), 0);
    }
    std::vector<std::thread> workers;
    for (int w = 0; w < options_.num_workers; ++w) workers.emplace_back([this, w] { work(w); });
    for (std::thread& t : workers) t.join();
    stop_processes();
    std::exception_ptr error;
    {
      MutexLock lock(&mu_);
      error = error_;
    }
    if (error) {
      spawner_.reset();  // waits for every process of the run
      std::rethrow_exception(error);
    }
  }

  // One worker process per worker thread (process mode).
  struct WorkerSlot {
    Mutex write_mu;  // held to send on the channel, and to replace the process
    std::unique_ptr<WorkerProcess> process;
  };

  // What a bundle attempt read by a worker process shares with the threads
  // that may ask it to split.
  struct RemoteAttempt {
    explicit RemoteAttempt(WorkerSlot* s) : slot(s) {}
    WorkerSlot* const slot;
    std::atomic<double> consumed{0.0};  // as the worker last reported it
    int pending_splits = 0;             // guarded by the bundle's mu
  };

  void start_processes() {
    if constexpr (Encodable<T> && Encodable<P>) {
      decoder_ = source_->decoder();
      if (!decoder_) {
        throw UsageError(source_->debug_string() +
                         ": RunnerOptions::worker_processes needs a serializable source, and it "
                         "has no decoder() (docs/guide.md, \"Serializable and immutable\")");
      }
      // Forked now, before this run's threads: every worker comes from it.
      // Each runner thread has its worker forked as it starts (work()), so
      // that the first reads while the others are forked.
      spawner_ = std::make_unique<ProcessSpawner>(
          [this](FrameChannel& channel) { WorkerMain<T, P>(channel, decoder_, *policy_).run(); });
      for (int w = 0; w < options_.num_workers; ++w) {
        slots_.push_back(std::make_unique<WorkerSlot>());
      }
    } else {
      throw UsageError(source_->debug_string() +
                       ": RunnerOptions::worker_processes needs a splitcheck::Coder for the "
                       "record and position types (lib/coders/coder.h): records and bundles "
                       "travel between processes as bytes");
    }
  }

  // A fresh process in `slot` after its last one was killed or died.
  void respawn(WorkerSlot& slot) SPLITCHECK_EXCLUDES(mu_) {
    MutexLock write_lock(&slot.write_mu);
    slot.process.reset();
    slot.process = spawner_->spawn();
    MutexLock lock(&mu_);
    ++stats_.worker_processes_replaced;
  }

  // Ends every worker process: at their input's end they exit; after an
  // aborted run they may be in the middle of a bundle, and are killed. The
  // spawner reaps them as the run's results are put together, and
  // spawner_.reset() (at the end of run(), or the destructor) waits for it.
  void stop_processes() {
    for (const auto& slot : slots_) {
      if (slot->process != nullptr) slot->process->end_input();
    }
    // Kills what is left, mid-bundle after an abort, all at once.
    if (spawner_ != nullptr) spawner_->shut_down();
    slots_.clear();
  }

  // Sorts the committed bundles into id order and returns their reports.
  std::vector<BundleReport> sorted_reports() SPLITCHECK_REQUIRES(mu_) {
    std::sort(committed_.begin(), committed_.end(), [](const Committed& a, const Committed& b) {
      return bundle_id_less(a.report.id, b.report.id);
    });
    std::vector<BundleReport> reports;
    reports.reserve(committed_.size());
    for (const Committed& c : committed_) reports.push_back(c.report);
    return reports;
  }

  RunStats finish_stats(std::chrono::steady_clock::time_point began) SPLITCHECK_REQUIRES(mu_) {
    stats_.splits_asked = splits_asked_.load();
    stats_.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    return stats_;
  }

  // A bundle and what is known of it while the run goes on.
  struct Bundle {
    Bundle(std::string bundle_id, SourceBundle<T, P> b)
        : id(std::move(bundle_id)),
          source(std::move(b.source)),
          start(std::move(b.start)),
          stop(std::move(b.stop)),
          weight(b.weight) {}

    const std::string id;
    const std::shared_ptr<const BoundedSource<T, P>> source;
    const std::optional<P> start;
    Mutex mu;
    // Shrinks with each accepted split: what a retry reads.
    std::optional<P> stop SPLITCHECK_GUARDED_BY(mu);
    double weight SPLITCHECK_GUARDED_BY(mu);
    int attempts SPLITCHECK_GUARDED_BY(mu) = 0;
    int splits SPLITCHECK_GUARDED_BY(mu) = 0;
    // The tracker of the attempt being read; null between attempts. Splits
    // go through it only with `mu` held, so the residual's stop is exact.
    RangeTracker<P>* running SPLITCHECK_GUARDED_BY(mu) = nullptr;
    // In process mode, the attempt a worker process reads instead.
    RemoteAttempt* remote SPLITCHECK_GUARDED_BY(mu) = nullptr;
  };

  // Records a worker process sent back: in process mode the parent's pages
  // are shared with its forks, so these buffers come from mappings no fork
  // ever gets (unforked_pages.h).
  // Kept in blocks that are never moved or copied as the attempt grows (a
  // vector's doubling copied every value about once more). Block sizes
  // double from kFirstBlock values up to kBlock, whose bytes (a power of
  // two, at least kUnforkedPagesThreshold) come from the unforked pool, so
  // a small attempt holds a small block.
  class RemoteRecords {
   public:
    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }
    void push_back(T&& value) {
      room();
      blocks_.back().push_back(std::move(value));
      ++size_;
    }
    void append(const T* values, std::size_t n) {
      while (n > 0) {
        room();
        std::vector<T, UnforkedPages<T>>& block = blocks_.back();
        const std::size_t k = std::min(n, block.capacity() - block.size());
        block.insert(block.end(), values, values + k);
        values += k;
        n -= k;
        size_ += k;
      }
    }
    // Moves every value to the end of `out`, freeing each block once moved.
    void move_to(std::vector<T>& out) {
      for (auto& block : blocks_) {
        out.insert(out.end(), std::make_move_iterator(block.begin()),
                   std::make_move_iterator(block.end()));
        std::vector<T, UnforkedPages<T>>().swap(block);
      }
      blocks_.clear();
      size_ = 0;
    }

   private:
    static constexpr std::size_t kFirstBlock = 256;
    static constexpr std::size_t kBlock = std::max<std::size_t>(
        kFirstBlock, std::bit_ceil(std::max(kUnforkedPagesThreshold, sizeof(T))) / sizeof(T));
    // A block with room at the back.
    void room() {
      if (blocks_.empty() || blocks_.back().size() == blocks_.back().capacity()) {
        const std::size_t capacity =
            blocks_.empty() ? kFirstBlock : std::min(kBlock, 2 * blocks_.back().capacity());
        blocks_.emplace_back();
        blocks_.back().reserve(capacity);
      }
    }
    std::vector<std::vector<T, UnforkedPages<T>>> blocks_;
    std::size_t size_ = 0;
  };

  // A bundle's output: `records` when a thread read it, `remote_records`
  // when a worker process did.
  struct Committed {
    BundleReport report;
    std::vector<T> records;
    RemoteRecords remote_records;
  };

  void work(int worker) SPLITCHECK_EXCLUDES(mu_) {
    WorkerSlot* const slot =
        options_.worker_processes ? slots_[static_cast<std::size_t>(worker)].get() : nullptr;
    if (slot != nullptr) {
      try {
        MutexLock write_lock(&slot->write_mu);
        slot->process = spawner_->spawn();
      } catch (...) {
        fail_run(std::current_exception());
        return;
      }
    }
    while (std::shared_ptr<Bundle> bundle = next_bundle()) run_attempt(bundle, worker);
    if (slot != nullptr) {
      // Nothing is left to read: the process exits while the other
      // threads finish.
      MutexLock write_lock(&slot->write_mu);
      if (slot->process != nullptr) slot->process->end_input();
    }
  }

  // The next bundle to read, or null when the run is over. While waiting,
  // splits running bundles if idle rebalancing is on.
  std::shared_ptr<Bundle> next_bundle() SPLITCHECK_EXCLUDES(mu_) {
    for (;;) {
      std::vector<std::shared_ptr<Bundle>> victims;
      {
        MutexLock lock(&mu_);
        for (;;) {
          if (aborted_ || (pending_.empty() && active_ == 0)) {
            cv_.notify_all();
            return nullptr;
          }
          if (!pending_.empty()) {
            std::shared_ptr<Bundle> bundle = std::move(pending_.front());
            pending_.pop_front();
            ++active_;
            running_.push_back(bundle);
            return bundle;
          }
          if (rebalance_idle_) break;
          cv_.wait(mu_);
        }
        victims = running_;
      }
      if (!split_largest(victims)) {
        MutexLock lock(&mu_);
        if (pending_.empty() && active_ > 0 && !aborted_) cv_.wait_for(mu_, options_.idle_retry);
      }
    }
  }

  // Splits, at half its remainder, the running bundle with the most work
  // left that accepts a split. True if one did.
  bool split_largest(std::vector<std::shared_ptr<Bundle>>& victims) SPLITCHECK_EXCLUDES(mu_) {
    std::vector<std::pair<double, Bundle*>> by_work;
    for (const auto& b : victims) {
      MutexLock lock(&b->mu);
      if (b->remote != nullptr) {
        by_work.emplace_back(b->weight * (1.0 - b->remote->consumed.load()), b.get());
        continue;
      }
      if (b->running == nullptr) continue;
      try {
        by_work.emplace_back(b->weight * (1.0 - b->running->fraction_consumed()), b.get());
      } catch (const Error&) {
        // A tracker that cannot report progress is still worth a try.
        by_work.emplace_back(0.0, b.get());
      }
    }
    std::sort(by_work.begin(), by_work.end(),
              [](const auto& a, const auto& b) { return a.first > b.first; });
    for (const auto& [work, bundle] : by_work) {
      if (split_remainder(*bundle, 0.5)) return true;
    }
    return false;
  }

  // Asks the running attempt of `bundle` to split at `fraction` of what it
  // has left; queues the residual if the split is accepted.
  bool split_remainder(Bundle& bundle, double fraction) SPLITCHECK_EXCLUDES(mu_) {
    MutexLock bundle_lock(&bundle.mu);
    if (RemoteAttempt* remote = bundle.remote; remote != nullptr) {
      // Asked, not answered: the worker process splits its own tracker
      // between two batches and the answer queues the residual.
      if (remote->pending_splits > 0) return false;
      ByteWriter request;
      request.put_double(fraction);
      try {
        MutexLock write_lock(&remote->slot->write_mu);
        remote->slot->process->channel().send(frame::kSplit, request.bytes());
        remote->slot->process->channel().flush();
      } catch (const InternalError&) {
        return false;  // the worker is gone: its reader thread sees it
      }
      ++remote->pending_splits;
      ++splits_asked_;  // answered by kSplitDone or kSplitRefused
      return false;
    }
    RangeTracker<P>* tracker = bundle.running;
    if (tracker == nullptr) return false;
    ++splits_asked_;
    std::optional<RemainderSplit<P>> split;
    try {
      split = try_split_remainder(*tracker, fraction);
    } catch (const UsageError& e) {
      // For example, a range of unknown size has no position at a fraction.
      MutexLock lock(&mu_);
      if (stats_.split_errors++ == 0) stats_.first_split_error = e.what();
      return false;
    }
    if (!split.has_value()) return false;
    accept_split(bundle, std::move(*split));
    return true;
  }

  // Shrinks `bundle` to the primary of an accepted split and queues the
  // residual.
  void accept_split(Bundle& bundle, RemainderSplit<P> split) SPLITCHECK_REQUIRES(bundle.mu)
      SPLITCHECK_EXCLUDES(mu_) {
    bundle.stop = split.result.position;
    ++bundle.splits;
    SourceBundle<T, P> residual{bundle.weight * (1.0 - split.result.fraction), bundle.source,
                                split.result.position, std::move(split.residual_stop)};
    bundle.weight *= split.result.fraction;
    auto queued = std::make_shared<Bundle>(bundle.id + "." + std::to_string(bundle.splits),
                                           std::move(residual));
    MutexLock lock(&mu_);
    pending_.push_back(std::move(queued));
    ++stats_.splits_accepted;
    ++stats_.residual_bundles;
    cv_.notify_one();
  }

  // The policy's decisions at a point of the read: maybe fail, maybe split.
  void consult_policy(Bundle& bundle, int attempt, std::int64_t records_read) {
    const ReadProgress progress{bundle.id, attempt, records_read};
    if (policy_->fail_after(progress)) {
      {
        MutexLock lock(&mu_);
        ++stats_.injected_failures;
      }
      throw InjectedFailure("injected failure in bundle " + bundle.id + ", attempt " +
                            std::to_string(attempt) + ", after " + std::to_string(records_read) +
                            " records");
    }
    if (const std::optional<double> fraction = policy_->split_after(progress)) {
      if (!(*fraction > 0.0 && *fraction < 1.0)) {
        throw UsageError("RunnerPolicy: split_after returned " + describe_double(*fraction) +
                         " for bundle " + bundle.id +
                         ": a fraction of the remainder must be in "
                         "(0, 1)");
      }
      split_remainder(bundle, *fraction);
    }
  }

  void run_attempt(const std::shared_ptr<Bundle>& bundle, int worker) SPLITCHECK_EXCLUDES(mu_) {
    if constexpr (Encodable<T> && Encodable<P>) {
      // (start_processes refused process mode for other types)
      if (options_.worker_processes) return run_remote_attempt(bundle, worker);
    }
    int attempt = 0;
    std::optional<P> stop;
    {
      MutexLock lock(&bundle->mu);
      attempt = ++bundle->attempts;
      stop = bundle->stop;
    }
    std::unique_ptr<RangeTracker<P>> tracker;
    std::unique_ptr<AttemptOutput<T>> out;
    std::vector<T> records;  // when collecting, not streaming
    std::int64_t count = 0;
    std::exception_ptr failure;
    try {
      if (output_ != nullptr) {
        out = output_->open(AttemptInfo{bundle->id, attempt, worker});
        if (out == nullptr) {
          throw UsageError("ReadOutput::open returned null for bundle " + bundle->id +
                           ", attempt " + std::to_string(attempt));
        }
      }
      tracker = bundle->source->get_range_tracker(bundle->start, stop);
      if (tracker == nullptr) {
        throw UsageError(bundle->source->debug_string() + ": get_range_tracker returned null");
      }
      {
        MutexLock lock(&bundle->mu);
        bundle->running = tracker.get();
      }
      if (observes_) consult_policy(*bundle, attempt, 0);
      Generator<T> reader = bundle->source->read(*tracker);
      for (auto it = reader.begin(); it != reader.end(); ++it) {
        if (out != nullptr) {
          out->add(std::move(*it));
        } else {
          records.push_back(std::move(*it));
        }
        ++count;
        if (observes_) consult_policy(*bundle, attempt, count);
        if (aborted_.load(std::memory_order_relaxed)) break;
      }
    } catch (...) {
      failure = std::current_exception();
    }
    int splits = 0;
    {
      MutexLock lock(&bundle->mu);
      bundle->running = nullptr;  // no split reaches this attempt any more
      splits = bundle->splits;
    }
    if (finish_attempt(bundle, worker, attempt, splits, count, std::move(records), failure)) {
      if (out != nullptr) commit(*out);
    } else if (out != nullptr) {
      out->discard();
    }
  }

  // The attempt read by this worker's process: the bundle goes as bytes,
  // the records come back as bytes. Instantiated only for encodable T and P
  // (see run_attempt).
  void run_remote_attempt(const std::shared_ptr<Bundle>& bundle, int worker)
      SPLITCHECK_EXCLUDES(mu_) {
    WorkerSlot& slot = *slots_[static_cast<std::size_t>(worker)];
    RemoteAttempt remote(&slot);
    int attempt = 0;
    std::string bytes;
    std::unique_ptr<AttemptOutput<T>> out;
    RemoteRecords records;
    std::int64_t count = 0;
    std::exception_ptr failure;
    // Whether the worker ended the attempt itself (a kDone, kError or kKillMe
    // answered): any other way out leaves it mid-bundle, with frames of this
    // attempt still coming, so it is killed and replaced.
    bool ended = false;
    char type = 0;  // of the last frame received
    const auto where = [&] {
      return " in bundle " + bundle->id + ", attempt " + std::to_string(attempt) + ", after " +
             std::to_string(count) + " records";
    };
    // The worker is gone (or its stream broke): bad luck, retried.
    const auto worker_died = [&](const std::string& how) {
      return InputError("worker process " + std::to_string(slot.process->pid()) + " " + how +
                        where());
    };
    try {
      {
        MutexLock lock(&bundle->mu);
        attempt = ++bundle->attempts;
        bytes = encode_bundle_to_bytes(
            SourceBundle<T, P>{bundle->weight, bundle->source, bundle->start, bundle->stop});
      }
      if (output_ != nullptr) {
        out = output_->open(AttemptInfo{bundle->id, attempt, worker});
        if (out == nullptr) {
          ended = true;  // nothing was sent
          throw UsageError("ReadOutput::open returned null for bundle " + bundle->id +
                           ", attempt " + std::to_string(attempt));
        }
      }
      ByteWriter request;
      request.put_varint(static_cast<std::uint64_t>(attempt));
      request.put_string(bundle->id);
      request.put_string(bytes);
      try {
        MutexLock write_lock(&slot.write_mu);
        slot.process->channel().send(frame::kBundle, request.bytes());
        slot.process->channel().flush();
      } catch (const InternalError& e) {
        throw worker_died(std::string("could not be sent its bundle (") + e.what() + ")");
      }
      {
        // Only now: a split request must reach the worker after its bundle.
        MutexLock lock(&bundle->mu);
        bundle->remote = &remote;
      }
      std::string_view payload;
      while (!ended) {
        bool got = false;
        try {
          got = slot.process->channel().receive(type, payload);
        } catch (const InternalError& e) {
          throw worker_died(std::string("broke its stream (") + e.what() + ")");
        }
        if (!got) throw worker_died("died (" + kill_and_describe(slot) + ")");
        ByteReader in(payload, "a frame from worker process");
        switch (type) {
          case frame::kRecords: {
            const std::size_t n = in.get_length("record count");
            remote.consumed = in.get_double("fraction consumed");
            // The loops count in a local (`count` is the lambdas'), and
            // `count` is exact however they end.
            std::size_t i = 0;
            try {
              if (out != nullptr) {
                for (; i < n; ++i) out->add(decode_value<T>(in));
              } else if constexpr (std::is_arithmetic_v<T>) {
                // Numbers go through a local array, then in bulk: a store
                // of a 64-bit integer into `records` could alias the
                // reader's offset (a size_t), so the compiler would reload
                // it after every value.
                std::array<T, 256> chunk;
                while (i < n) {
                  const std::size_t k = std::min(chunk.size(), n - i);
                  std::size_t j = 0;
                  try {
                    for (; j < k; ++j) chunk[j] = decode_value<T>(in);
                  } catch (...) {
                    i += j;
                    throw;
                  }
                  records.append(chunk.data(), k);
                  i += k;
                }
              } else {
                for (; i < n; ++i) records.push_back(decode_value<T>(in));
              }
            } catch (...) {
              count += static_cast<std::int64_t>(i);
              throw;
            }
            count += static_cast<std::int64_t>(n);
            break;
          }
          case frame::kSplitDone: {
            const bool requested = in.get_bool("requested");
            RemainderSplit<P> split{{decode_value<P>(in), in.get_double("fraction")},
                                    decode_value<P>(in)};
            if (!requested) ++splits_asked_;
            MutexLock lock(&bundle->mu);
            if (requested) remote.pending_splits = std::max(0, remote.pending_splits - 1);
            accept_split(*bundle, std::move(split));
            break;
          }
          case frame::kSplitRefused: {
            const bool requested = in.get_bool("requested");
            const std::string error = in.get_string("split error");
            if (!requested) ++splits_asked_;
            if (!error.empty()) {
              MutexLock lock(&mu_);
              if (stats_.split_errors++ == 0) stats_.first_split_error = error;
            }
            MutexLock lock(&bundle->mu);
            if (requested) remote.pending_splits = std::max(0, remote.pending_splits - 1);
            break;
          }
          case frame::kDone: {
            ended = true;
            const auto reported = static_cast<std::int64_t>(in.get_varint("records"));
            if (reported != count) {
              throw InternalError("worker process: bundle " + bundle->id + " read " +
                                  std::to_string(reported) + " records, " + std::to_string(count) +
                                  " arrived");
            }
            break;
          }
          case frame::kError: {
            ended = true;
            const auto kind = static_cast<ErrorKind>(in.get_varint("error kind"));
            throw_worker_error(kind, in.get_string("message"));
          }
          case frame::kKillMe: {
            ended = true;
            const pid_t pid = slot.process->pid();
            {
              MutexLock write_lock(&slot.write_mu);  // end_all_inputs() may touch it
              slot.process->kill();
            }
            {
              MutexLock lock(&mu_);
              ++stats_.injected_failures;
            }
            throw InjectedFailure("injected crash: worker process " + std::to_string(pid) +
                                  " killed (SIGKILL)" + where());
          }
          default:
            throw InternalError("worker process: unknown frame '" + std::string(1, type) + "'");
        }
        if (aborted_.load(std::memory_order_relaxed)) break;
      }
    } catch (...) {
      failure = std::current_exception();
    }
    int splits = 0;
    {
      MutexLock lock(&bundle->mu);
      bundle->remote = nullptr;  // no split request reaches this attempt any more
      splits = bundle->splits;
    }
    // A worker left mid-bundle, or killed, is replaced (not after an abort:
    // the run is over).
    const bool dead = !ended || type == frame::kKillMe;
    if (dead) {
      MutexLock write_lock(&slot.write_mu);
      slot.process->kill();
    }
    if (dead && !aborted_) {
      try {
        respawn(slot);
      } catch (...) {
        fail_run(std::current_exception());
      }
    }
    if (finish_attempt(bundle, worker, attempt, splits, count, std::move(records), failure)) {
      if (out != nullptr) commit(*out);
    } else {
      if (out != nullptr) out->discard();
      if (aborted_) end_all_inputs();  // this attempt's error may have ended the run
    }
  }

  // Ends the run with `error` (the first one wins).
  void fail_run(std::exception_ptr error) SPLITCHECK_EXCLUDES(mu_) {
    {
      MutexLock lock(&mu_);
      if (!error_) error_ = std::move(error);
      aborted_ = true;
      cv_.notify_all();
    }
    end_all_inputs();
  }

  // In process mode after an abort: closes every worker's channel, so that
  // a runner thread waiting for a worker (a slow or stuck one) wakes, sees
  // the end of its stream and leaves. Not under mu_ (write_mu comes first).
  void end_all_inputs() SPLITCHECK_EXCLUDES(mu_) {
    if (!options_.worker_processes) return;
    for (const auto& slot : slots_) {
      MutexLock write_lock(&slot->write_mu);
      if (slot->process != nullptr) slot->process->end_input();
    }
  }

  // Reaps the slot's worker, whose stream ended; how it ended. After an
  // abort the stream may have ended because end_all_inputs() closed it,
  // with the worker still running (stuck, say): it is killed first.
  std::string kill_and_describe(WorkerSlot& slot) {
    MutexLock write_lock(&slot.write_mu);
    if (aborted_) slot.process->kill();
    return slot.process->wait();
  }

  // Publishes the attempt's streamed records. Outside mu_: the output's
  // code never runs under the runner's locks. run() joins this worker, so
  // it returns after every commit.
  void commit(AttemptOutput<T>& out) SPLITCHECK_EXCLUDES(mu_) {
    try {
      out.commit();
    } catch (...) {
      fail_run(std::current_exception());
    }
  }

  // Records how the attempt ended; true if it is its bundle's output.
  template <typename Records>
  bool finish_attempt(const std::shared_ptr<Bundle>& bundle, int worker, int attempt, int splits,
                      std::int64_t count, Records records, std::exception_ptr failure)
      SPLITCHECK_EXCLUDES(mu_) {
    MutexLock lock(&mu_);
    ++stats_.attempts;
    --active_;
    running_.erase(std::find(running_.begin(), running_.end(), bundle));
    cv_.notify_all();
    if (aborted_) return false;
    if (!failure) {
      stats_.records_per_worker[static_cast<std::size_t>(worker)] += count;
      stats_.records += count;
      Committed c{BundleReport{bundle->id, count, attempt, splits}, {}, {}};
      if constexpr (std::is_same_v<Records, RemoteRecords>) {
        c.remote_records = std::move(records);
      } else {
        c.records = std::move(records);
      }
      committed_.push_back(std::move(c));
      return true;
    }
    ++stats_.failed_attempts;
    stats_.discarded_records += count;
    if (!retryable(failure) || attempt >= options_.max_attempts) {
      error_ = failure;
      aborted_ = true;
      return false;
    }
    pending_.push_front(bundle);  // retried next, with its shrunk range
    return false;
  }

  const RunnerOptions options_;
  const std::shared_ptr<const RunnerPolicy> policy_;
  const bool observes_;
  const bool rebalance_idle_;
  const std::shared_ptr<const BoundedSource<T, P>> source_;
  ReadOutput<T>* output_ = nullptr;  // null: collect into committed_

  Mutex mu_;
  std::condition_variable_any cv_;
  std::deque<std::shared_ptr<Bundle>> pending_ SPLITCHECK_GUARDED_BY(mu_);
  std::vector<std::shared_ptr<Bundle>> running_ SPLITCHECK_GUARDED_BY(mu_);
  int active_ SPLITCHECK_GUARDED_BY(mu_) = 0;
  std::vector<Committed> committed_ SPLITCHECK_GUARDED_BY(mu_);
  RunStats stats_ SPLITCHECK_GUARDED_BY(mu_);
  std::exception_ptr error_ SPLITCHECK_GUARDED_BY(mu_);
  std::atomic<bool> aborted_{false};
  std::atomic<std::int64_t> splits_asked_{0};

  // Process mode.
  SourceDecoder<T, P> decoder_;
  std::unique_ptr<ProcessSpawner> spawner_;  // outlives the slots' processes
  std::vector<std::unique_ptr<WorkerSlot>> slots_;
};

}  // namespace internal

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_RUNNER_INTERNAL_READ_EXECUTION_H_
