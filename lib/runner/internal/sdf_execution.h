// SdfExecution: one LocalRunner::run_sdf, on threads. Internal to the
// runner.
//
// Work items (a restriction of an element, with its watermark state) wait
// in a queue; each worker takes the next one that is due, makes its tracker
// and watermark estimator, and calls process. While it runs:
//   * the policy is asked before the first output and after each
//     (ReadProgress: the item's id, the attempt, outputs so far):
//     split_after(f) splits the tracker at f of the remainder, fail_after
//     fails the attempt with an InjectedFailure;
//   * an idle worker (when the policy allows) splits a running item at half
//     of its remainder.
// Each accepted split's residual is a new item with the estimator's state
// at the split. An idle worker splits only attempts that have output
// something, and waits longer after each refusal (up to 32 x idle_retry); a
// split that throws stops the run with its error. When process returns resume(delay), the
// tracker is split with try_split(0) and the residual waits `delay`; then
// check_done() runs (a UsageError there fails the run: the DoFn lost work).
// A failed attempt's outputs are discarded and the item retried on the
// restriction its tracker held (residuals split off before the failure are
// already queued), up to max_attempts; a non-retryable error stops the run.

#ifndef SPLITCHECK_LIB_RUNNER_INTERNAL_SDF_EXECUTION_H_
#define SPLITCHECK_LIB_RUNNER_INTERNAL_SDF_EXECUTION_H_

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
#include "splitcheck/lib/internal/mutex.h"
#include "splitcheck/lib/runner/bundle_id.h"
#include "splitcheck/lib/runner/runner_options.h"
#include "splitcheck/lib/runner/runner_policy.h"
#include "splitcheck/lib/runner/sdf_result.h"
#include "splitcheck/lib/sdf/splittable_dofn.h"

namespace splitcheck::internal {

template <typename In, typename Out, typename R, typename P>
class SdfExecution {
  using Clock = std::chrono::steady_clock;

 public:
  SdfExecution(const RunnerOptions& options, const SplittableDoFn<In, Out, R, P>& dofn,
               const std::vector<In>& elements)
      : options_(options),
        policy_(options.policy ? options.policy : std::make_shared<const RunnerPolicy>()),
        observes_(policy_->observes_records()),
        dofn_(dofn),
        elements_(elements) {}

  SdfResult<Out> run() SPLITCHECK_EXCLUDES(mu_) {
    const auto began = Clock::now();
    start();
    std::vector<std::thread> workers;
    for (int w = 0; w < options_.num_workers; ++w) workers.emplace_back([this] { work(); });
    for (std::thread& t : workers) t.join();
    MutexLock lock(&mu_);
    if (error_) std::rethrow_exception(error_);
    std::sort(committed_.begin(), committed_.end(), [](const Committed& a, const Committed& b) {
      return bundle_id_less(a.report.id, b.report.id);
    });
    SdfResult<Out> result;
    if (committed_.size() == 1) result.outputs = std::move(committed_.front().outputs);
    std::size_t total = 0;
    for (const Committed& c : committed_) total += c.outputs.size();
    result.outputs.reserve(total);
    for (Committed& c : committed_) {
      result.items.push_back(c.report);
      if (committed_.size() > 1) {
        result.outputs.insert(result.outputs.end(), std::make_move_iterator(c.outputs.begin()),
                              std::make_move_iterator(c.outputs.end()));
      }
    }
    stats_.items = static_cast<std::int64_t>(committed_.size());
    stats_.seconds = std::chrono::duration<double>(Clock::now() - began).count();
    result.stats = stats_;
    return result;
  }

 private:
  struct Item {
    Item(std::string i, std::size_t e, R r, Timestamp w, Clock::time_point due)
        : id(std::move(i)), element(e), restriction(std::move(r)), watermark(w), due(due) {}
    const std::string id;
    const std::size_t element;
    R restriction;        // guarded by the execution's mu_ between attempts
    Timestamp watermark;  // likewise: the state an attempt starts from
    const Clock::time_point due;
    int attempts = 0;
    int splits = 0;  // accepted splits, checkpoints included: names residuals
    std::atomic<std::int64_t> outputs{
        0};    // of the attempt running; idle workers split only once > 0
    Mutex mu;  // guards `running` and `estimator` while an attempt runs
    RestrictionTracker<R, P>* running SPLITCHECK_GUARDED_BY(mu) = nullptr;
    WatermarkEstimator* estimator SPLITCHECK_GUARDED_BY(mu) = nullptr;
  };

  struct Committed {
    SdfWorkReport report;
    std::vector<TimestampedValue<Out>> outputs;
  };

  // Collects an attempt's outputs and asks the policy after each.
  class Output final : public SdfOutput<Out> {
   public:
    Output(SdfExecution& e, Item& item, int attempt, RestrictionTracker<R, P>& tracker,
           WatermarkEstimator& watermark)
        : e_(e), item_(item), attempt_(attempt), tracker_(tracker), watermark_(watermark) {}

    void output(Out value, Timestamp timestamp) override {
      watermark_.observe_timestamp(timestamp);
      item_.outputs.fetch_add(1, std::memory_order_relaxed);
      values_.push_back({std::move(value), timestamp});
      consult();
    }

    void consult() {
      if (!e_.observes_) return;
      const ReadProgress progress{item_.id, attempt_, static_cast<std::int64_t>(values_.size())};
      if (const auto f = e_.policy_->split_after(progress)) e_.split(item_, *f);
      if (e_.policy_->fail_after(progress)) {
        throw InjectedFailure("injected failure in work item " + item_.id + ", attempt " +
                              std::to_string(attempt_) + ", after " +
                              std::to_string(values_.size()) + " outputs");
      }
    }

    std::vector<TimestampedValue<Out>>& values() { return values_; }

   private:
    SdfExecution& e_;
    Item& item_;
    const int attempt_;
    RestrictionTracker<R, P>& tracker_;
    WatermarkEstimator& watermark_;
    std::vector<TimestampedValue<Out>> values_;
  };

  void start() SPLITCHECK_EXCLUDES(mu_) {
    std::vector<std::shared_ptr<Item>> initial;
    for (std::size_t e = 0; e < elements_.size(); ++e) {
      const R whole = dofn_.initial_restriction(elements_[e]);
      const double size = dofn_.restriction_size(elements_[e], whole);
      const double desired = options_.desired_bundle_size
                                 ? static_cast<double>(*options_.desired_bundle_size)
                                 : std::max(1.0, size / static_cast<double>(options_.num_workers));
      for (R& part : dofn_.split_restriction(elements_[e], whole, desired)) {
        initial.push_back(std::make_shared<Item>(std::to_string(initial.size()), e, std::move(part),
                                                 kMinTimestamp, Clock::now()));
      }
    }
    MutexLock lock(&mu_);
    stats_.elements = static_cast<std::int64_t>(elements_.size());
    stats_.initial_items = static_cast<std::int64_t>(initial.size());
    for (auto& item : initial) pending_.push_back(std::move(item));
  }

  void work() SPLITCHECK_EXCLUDES(mu_) {
    while (std::shared_ptr<Item> item = next_item()) run_attempt(*item, item);
  }

  // The next item that is due, or null when the run is over. While none is
  // due, an idle worker splits a running item (if the policy allows).
  std::shared_ptr<Item> next_item() SPLITCHECK_EXCLUDES(mu_) {
    int refused = 0;  // idle splits refused in a row: the wait doubles, to 32 x idle_retry
    for (;;) {
      std::shared_ptr<Item> victim;
      {
        MutexLock lock(&mu_);
        if (aborted_ || (pending_.empty() && running_.empty())) {
          cv_.notify_all();
          return nullptr;
        }
        const auto now = Clock::now();
        auto due = std::find_if(pending_.begin(), pending_.end(),
                                [&](const auto& i) { return i->due <= now; });
        if (due != pending_.end()) {
          std::shared_ptr<Item> item = *due;
          pending_.erase(due);
          running_.push_back(item);
          return item;
        }
        // Only an attempt that has output something is split: one that has
        // not claimed yet would give everything away (a growable range at
        // once), and its residual would be split again as soon as it ran.
        if (!running_.empty() && policy_->rebalance_idle_workers()) {
          victim = running_[next_victim_++ % running_.size()];
          if (victim->outputs.load(std::memory_order_relaxed) == 0) victim = nullptr;
        }
        if (victim == nullptr) {
          auto wake = now + options_.idle_retry;
          for (const auto& i : pending_) wake = std::min(wake, i->due);
          cv_.wait_until(mu_, wake);
          continue;
        }
      }
      bool accepted = false;
      try {
        accepted = split(*victim, 0.5);
      } catch (...) {
        // A tracker (or its end estimator) that throws while splitting: the
        // run stops with that error.
        MutexLock lock(&mu_);
        if (!error_) error_ = std::current_exception();
        aborted_ = true;
        cv_.notify_all();
        return nullptr;
      }
      if (accepted) {
        refused = 0;
      } else {
        MutexLock lock(&mu_);
        cv_.wait_for(mu_, options_.idle_retry * (1 << std::min(refused++, 5)));
      }
    }
  }

  // Splits the item's running tracker at `fraction` of its remainder; the
  // residual becomes a new item. False if it was not running or refused.
  bool split(Item& item, double fraction) SPLITCHECK_EXCLUDES(mu_) {
    std::optional<RestrictionSplit<R>> s;
    Timestamp watermark = kMinTimestamp;
    std::string id;
    {
      MutexLock lock(&item.mu);
      if (item.running == nullptr) return false;
      // The tracker's split and the estimator's state are called with the
      // item's lock held, so that the attempt cannot end (and destroy them)
      // meanwhile; the DoFn's thread takes it only to start and end.
      s = item.running->try_split(fraction);
      if (!s) return false;
      watermark = item.estimator->state();
      id = item.id + "." + std::to_string(++item.splits);
    }
    enqueue(std::move(id), item.element, std::move(s->residual), watermark, Clock::now(), false);
    return true;
  }

  void enqueue(std::string id, std::size_t element, R residual, Timestamp watermark,
               Clock::time_point due, bool checkpoint) SPLITCHECK_EXCLUDES(mu_) {
    MutexLock lock(&mu_);
    pending_.push_back(
        std::make_shared<Item>(std::move(id), element, std::move(residual), watermark, due));
    if (checkpoint) {
      ++stats_.checkpoints;
    } else {
      ++stats_.dynamic_splits;
    }
    cv_.notify_all();
  }

  void run_attempt(Item& item, const std::shared_ptr<Item>& keep) SPLITCHECK_EXCLUDES(mu_) {
    R restriction;
    Timestamp state;
    int attempt;
    {
      MutexLock lock(&mu_);
      restriction = item.restriction;
      state = item.watermark;
      attempt = ++item.attempts;
    }
    const In& element = elements_[item.element];
    std::unique_ptr<RestrictionTracker<R, P>> tracker;
    std::unique_ptr<WatermarkEstimator> estimator;
    std::exception_ptr failure;
    std::vector<TimestampedValue<Out>> values;
    bool checkpointed = false;
    int splits_before = 0;
    try {
      tracker = dofn_.new_tracker(element, restriction);
      estimator = dofn_.new_watermark_estimator(element, state);
      if (tracker == nullptr || estimator == nullptr) {
        throw UsageError(dofn_.debug_string() +
                         ": new_tracker or new_watermark_estimator returned null");
      }
      item.outputs.store(0, std::memory_order_relaxed);
      {
        MutexLock lock(&item.mu);
        item.running = tracker.get();
        item.estimator = estimator.get();
        splits_before = item.splits;
      }
      Output out(*this, item, attempt, *tracker, *estimator);
      std::exception_ptr during;
      ProcessContinuation continuation;
      try {
        out.consult();
        continuation = dofn_.process(element, *tracker, *estimator, out);
      } catch (...) {
        during = std::current_exception();
      }
      {
        MutexLock lock(&item.mu);
        item.running = nullptr;  // no dynamic split from here on
        item.estimator = nullptr;
      }
      if (during) std::rethrow_exception(during);
      if (continuation.resume) {
        if (auto s = tracker->try_split(0)) {
          std::string id;
          {
            MutexLock lock(&item.mu);
            id = item.id + "." + std::to_string(++item.splits);
          }
          enqueue(std::move(id), item.element, std::move(s->residual), estimator->state(),
                  Clock::now() + continuation.delay, true);
          checkpointed = true;
        }
      }
      tracker->check_done();
      values = std::move(out.values());
    } catch (...) {
      failure = std::current_exception();
      MutexLock lock(&item.mu);
      item.running = nullptr;
      item.estimator = nullptr;
    }
    finish(item, keep, attempt, std::move(values), checkpointed, splits_before, tracker.get(),
           estimator.get(), failure);
  }

  void finish(Item& item, const std::shared_ptr<Item>& keep, int attempt,
              std::vector<TimestampedValue<Out>> values, bool checkpointed, int splits_before,
              RestrictionTracker<R, P>* tracker, WatermarkEstimator* estimator,
              std::exception_ptr failure) SPLITCHECK_EXCLUDES(mu_) {
    std::optional<R> retry_on;
    if (failure && tracker != nullptr) {
      try {
        retry_on = tracker->current_restriction();
      } catch (...) {
      }
    }
    int splits_now;
    {
      MutexLock lock(&item.mu);
      splits_now = item.splits;
    }
    MutexLock lock(&mu_);
    ++stats_.attempts;
    running_.erase(std::find(running_.begin(), running_.end(), keep));
    cv_.notify_all();
    if (aborted_) return;
    if (!failure) {
      stats_.outputs += static_cast<std::int64_t>(values.size());
      SdfWorkReport report;
      report.id = item.id;
      report.element = item.element;
      report.outputs = static_cast<std::int64_t>(values.size());
      report.attempts = attempt;
      report.splits = splits_now - splits_before - (checkpointed ? 1 : 0);
      report.checkpointed = checkpointed;
      report.watermark = estimator->state();
      committed_.push_back({std::move(report), std::move(values)});
      return;
    }
    ++stats_.failed_attempts;
    // The attempt's outputs died with it (`values` holds only a successful
    // attempt's): their count is the item's.
    stats_.discarded_outputs += item.outputs.load(std::memory_order_relaxed);
    if (!retryable(failure) || attempt >= options_.max_attempts) {
      error_ = failure;
      aborted_ = true;
      cv_.notify_all();
      return;
    }
    if (retry_on) item.restriction = std::move(*retry_on);
    pending_.push_front(keep);
  }

  const RunnerOptions options_;
  const std::shared_ptr<const RunnerPolicy> policy_;
  const bool observes_;
  const SplittableDoFn<In, Out, R, P>& dofn_;
  const std::vector<In>& elements_;

  Mutex mu_;
  std::condition_variable_any cv_;
  std::deque<std::shared_ptr<Item>> pending_ SPLITCHECK_GUARDED_BY(mu_);
  std::vector<std::shared_ptr<Item>> running_ SPLITCHECK_GUARDED_BY(mu_);
  std::size_t next_victim_ SPLITCHECK_GUARDED_BY(mu_) = 0;
  std::vector<Committed> committed_ SPLITCHECK_GUARDED_BY(mu_);
  SdfStats stats_ SPLITCHECK_GUARDED_BY(mu_);
  std::exception_ptr error_ SPLITCHECK_GUARDED_BY(mu_);
  bool aborted_ SPLITCHECK_GUARDED_BY(mu_) = false;
};

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_RUNNER_INTERNAL_SDF_EXECUTION_H_
