// LocalRunner: executes a Read on N worker threads, the way a distributed
// runner would, so that a source's splitting, dynamic splitting and retries
// are exercised for real.
//
// run(Read(source)):
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
//      handed out are not read twice. A UsageError is not retried: it is a
//      bug, not bad luck.
// The output holds the records of each bundle's successful attempt, bundles
// in id order ("0", "0.1", "0.1.1", "0.2", "1", ...). If a bundle cannot
// succeed, run() stops the other workers and rethrows that bundle's last
// error unchanged.
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

#include <algorithm>
#include <atomic>
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
#include <utility>
#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/describe.h"
#include "splitcheck/lib/internal/mutex.h"
#include "splitcheck/lib/runner/run_stats.h"
#include "splitcheck/lib/runner/runner_policy.h"
#include "splitcheck/lib/runner/write_execution.h"
#include "splitcheck/lib/runner/write_policy.h"
#include "splitcheck/lib/sinks/write.h"
#include "splitcheck/lib/sources/bounded_source.h"
#include "splitcheck/lib/sources/read.h"

namespace splitcheck {

struct RunnerOptions {
  int num_workers = 4;
  // In the unit of the source's estimate_size(); by default
  // estimate_size() / num_workers.
  std::optional<std::int64_t> desired_bundle_size = std::nullopt;
  // Attempts per bundle, the first included.
  int max_attempts = 4;
  // Null means the default RunnerPolicy (idle rebalancing, nothing injected).
  std::shared_ptr<const RunnerPolicy> policy = nullptr;
  // How long an idle worker waits before trying to rebalance again.
  std::chrono::microseconds idle_retry{200};
  // Faults injected into writes; null injects none.
  std::shared_ptr<const WritePolicy> write_policy = nullptr;
  // Bundles of a write whose sink leaves the count to the runner; by
  // default one per worker.
  std::optional<int> write_bundles = std::nullopt;
};

// One bundle of a finished run.
struct BundleReport {
  std::string id;
  std::int64_t records = 0;
  int attempts = 0;
  int splits = 0;  // dynamic splits accepted while it was read
};

template <typename T>
struct ReadResult {
  std::vector<T> records;
  std::vector<BundleReport> bundles;  // in id order, as the records
  RunStats stats;
};

namespace internal {

// Orders bundle ids "2.10" after "2.9": component by component, numerically.
bool bundle_id_less(const std::string& a, const std::string& b);

template <typename T, typename P>
class ReadExecution {
 public:
  ReadExecution(const RunnerOptions& options, std::shared_ptr<const BoundedSource<T, P>> source)
      : options_(options),
        policy_(options.policy != nullptr ? options.policy : std::make_shared<RunnerPolicy>()),
        observes_(policy_->observes_records()),
        rebalance_idle_(policy_->rebalance_idle_workers()),
        source_(std::move(source)) {}

  ReadResult<T> run() SPLITCHECK_EXCLUDES(mu_) {
    const auto began = std::chrono::steady_clock::now();
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

    MutexLock lock(&mu_);
    if (error_) std::rethrow_exception(error_);
    ReadResult<T> result;
    std::sort(committed_.begin(), committed_.end(), [](const Committed& a, const Committed& b) {
      return bundle_id_less(a.report.id, b.report.id);
    });
    std::size_t total = 0;
    for (const Committed& c : committed_) total += c.records.size();
    result.records.reserve(total);
    for (Committed& c : committed_) {
      result.records.insert(result.records.end(), std::make_move_iterator(c.records.begin()),
                            std::make_move_iterator(c.records.end()));
      result.bundles.push_back(std::move(c.report));
    }
    stats_.splits_asked = splits_asked_.load();
    stats_.records = static_cast<std::int64_t>(result.records.size());
    stats_.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    result.stats = stats_;
    return result;
  }

 private:
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
  };

  struct Committed {
    BundleReport report;
    std::vector<T> records;
  };

  void work(int worker) SPLITCHECK_EXCLUDES(mu_) {
    while (std::shared_ptr<Bundle> bundle = next_bundle()) run_attempt(bundle, worker);
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
    RangeTracker<P>* tracker = bundle.running;
    if (tracker == nullptr) return false;
    ++splits_asked_;
    std::optional<SplitResult<P>> split;
    P old_stop = tracker->stop_position();
    try {
      const double consumed = tracker->fraction_consumed();
      const double target = std::min(1.0, consumed + (1.0 - consumed) * fraction);
      split = tracker->try_split(tracker->position_at_fraction(target));
    } catch (const UsageError& e) {
      // For example, a range of unknown size has no position at a fraction.
      MutexLock lock(&mu_);
      if (stats_.split_errors++ == 0) stats_.first_split_error = e.what();
      return false;
    }
    if (!split.has_value()) return false;
    bundle.stop = split->position;
    ++bundle.splits;
    SourceBundle<T, P> residual{bundle.weight * (1.0 - split->fraction), bundle.source,
                                split->position, std::move(old_stop)};
    bundle.weight *= split->fraction;
    auto queued = std::make_shared<Bundle>(bundle.id + "." + std::to_string(bundle.splits),
                                           std::move(residual));
    MutexLock lock(&mu_);
    pending_.push_back(std::move(queued));
    ++stats_.splits_accepted;
    ++stats_.residual_bundles;
    cv_.notify_one();
    return true;
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
    int attempt = 0;
    std::optional<P> stop;
    {
      MutexLock lock(&bundle->mu);
      attempt = ++bundle->attempts;
      stop = bundle->stop;
    }
    std::unique_ptr<RangeTracker<P>> tracker;
    std::vector<T> records;
    std::exception_ptr failure;
    try {
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
        records.push_back(std::move(*it));
        if (observes_) consult_policy(*bundle, attempt, static_cast<std::int64_t>(records.size()));
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
    finish_attempt(bundle, worker, attempt, splits, std::move(records), failure);
  }

  void finish_attempt(const std::shared_ptr<Bundle>& bundle, int worker, int attempt, int splits,
                      std::vector<T> records, std::exception_ptr failure) SPLITCHECK_EXCLUDES(mu_) {
    MutexLock lock(&mu_);
    ++stats_.attempts;
    --active_;
    running_.erase(std::find(running_.begin(), running_.end(), bundle));
    cv_.notify_all();
    if (aborted_) return;
    if (!failure) {
      stats_.records_per_worker[static_cast<std::size_t>(worker)] +=
          static_cast<std::int64_t>(records.size());
      const auto count = static_cast<std::int64_t>(records.size());
      committed_.push_back({BundleReport{bundle->id, count, attempt, splits}, std::move(records)});
      return;
    }
    ++stats_.failed_attempts;
    stats_.discarded_records += static_cast<std::int64_t>(records.size());
    if (is_usage_error(failure) || attempt >= options_.max_attempts) {
      error_ = failure;
      aborted_ = true;
      return;
    }
    pending_.push_front(bundle);  // retried next, with its shrunk range
  }

  static bool is_usage_error(const std::exception_ptr& failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const UsageError&) {
      return true;
    } catch (...) {
      return false;
    }
  }

  const RunnerOptions options_;
  const std::shared_ptr<const RunnerPolicy> policy_;
  const bool observes_;
  const bool rebalance_idle_;
  const std::shared_ptr<const BoundedSource<T, P>> source_;

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
};

}  // namespace internal

class LocalRunner {
 public:
  // Throws UsageError for num_workers < 1, max_attempts < 1 or a
  // desired_bundle_size <= 0.
  explicit LocalRunner(RunnerOptions options = {});

  template <typename T, typename P>
  ReadResult<T> run(const Read<T, P>& read) const {
    return internal::ReadExecution<T, P>(options_, read.source()).run();
  }

  // Writes `records` through the sink: see write_execution.h.
  template <typename T>
  WriteResult run(const Write<T>& write, const std::vector<T>& records) const {
    return internal::WriteExecution<T>(
               options_.num_workers, options_.write_bundles.value_or(options_.num_workers),
               options_.max_attempts, options_.write_policy, write.sink(), records)
        .run();
  }

  const RunnerOptions& options() const { return options_; }

 private:
  RunnerOptions options_;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_RUNNER_LOCAL_RUNNER_H_
