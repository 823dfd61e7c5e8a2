// Checks of a whole splittable DoFn on one element: what no SDK checks.
//
//   SPLITCHECK_EXPECT_PASSED(check_sdf(dofn, element));
//
// check_sdf_exhaustive_split: reads the element's restriction whole (each
// process call until it stops, a checkpoint's residual resumed with its
// watermark state) for the reference outputs; then, for every number k of
// outputs from 0 to all of them (counted over all the calls of the read: a
// DoFn that checkpoints itself is split in whichever call emits the k-th)
// and every fraction of the options, splits the tracker with try_split(f)
// right after the k-th output (k = 0: before the first claim), finishes the
// primary, reads the residual whole, and requires
// primary plus residual to be exactly the reference outputs (as a multiset):
// nothing lost, nothing read twice. Distinct split outcomes are counted in
// the notes.
//
// check_sdf_checkpoints: RapidCheck schedules of splits and checkpoints
// (try_split(0) from outside, as a runner at a bundle deadline does), up to
// three in one process call, and of the order in which waiting residuals
// run (a runner runs them in any order), every residual resumed with the
// watermark state it was split with; the outputs must be the reference
// outputs exactly once. A failure shrinks to the shortest schedule.
//
// In every process call of both checks the watermark rules hold:
//   * a resumed restriction's estimator starts no earlier than the state it
//     was checkpointed with (a checkpoint that drops the watermark fails);
//   * the state a checkpoint or a split saves (state()) is no lower than
//     the watermark the call reported (an estimator that saves less fails);
//   * the watermark never goes back during a call (sampled after each
//     output and when process returns);
//   * no output's timestamp is before the watermark last reported (state())
//     when it is emitted (the watermark passed an element still to come);
// and check_done() passes after each call (a DoFn that stops early with
// work left fails), and process throws nothing. Outputs are compared as
// (value, timestamp) pairs.
//
// check_sdf_runner_schedules: the element through LocalRunner::run_sdf on
// 1 and 3 worker threads under seeded schedules of dynamic splits and
// injected failures (an attempt fails at an output with probability 0.15,
// each item at most twice; the failed attempts' outputs discarded and the
// items retried): every run's outputs must be the reference outputs exactly
// once, and no run may fail.
//
// check_sdf runs all three. The DoFn must use the tracker it is given (these
// checks split it from outside; BoundedSourceDoFn's reads claim through the
// range tracker inside it, which the source checks cover).

#ifndef SPLITCHECK_TESTKIT_SDF_SDF_CHECKS_H_
#define SPLITCHECK_TESTKIT_SDF_SDF_CHECKS_H_

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/describe.h"
#include "splitcheck/lib/internal/no_fuzz_coverage.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/lib/runner/sdf_result.h"
#include "splitcheck/lib/runner/seeded_schedule.h"
#include "splitcheck/lib/sdf/restriction_tracker.h"
#include "splitcheck/lib/sdf/splittable_dofn.h"
#include "splitcheck/testkit/check_result.h"
#include "splitcheck/testkit/internal/compare_records.h"
#include "splitcheck/testkit/internal/property.h"
#include "splitcheck/testkit/internal/rapidcheck_no_coverage.h"

SPLITCHECK_BEGIN_NO_FUZZ_COVERAGE

namespace splitcheck::testkit {

struct SdfCheckOptions {
  // The fractions of the remainder the exhaustive check splits at, after
  // every number of outputs.
  std::vector<double> fractions = {0, 1e-9, 0.1, 0.25, 0.5, 0.75, 0.999999, 1};
  // The exhaustive check gives up on an element with more outputs (its cost
  // grows with their square).
  std::int64_t max_outputs = 2000;
  int schedule_runs = 100;  // checkpoint schedules
  int runner_seeds = 8;     // runner schedules, each on 1 and 3 workers
  std::uint64_t seed = 0;   // 0: $SPLITCHECK_SEED or random
  // process calls allowed for one read of the element (a DoFn that resumes
  // forever is a failure).
  int max_process_calls = 100000;
};

// A split the schedule makes in one process call: after `after_outputs`
// outputs (0: before the first claim), at `fraction` of the remainder.
struct SdfScheduledSplit {
  std::int64_t after_outputs = 0;
  double fraction = 0;
};

// What a schedule does in one process call: which waiting restriction it
// runs (`pick`, modulo how many wait: a runner runs residuals in any order)
// and the splits it makes while that call runs.
struct SdfCallPlan {
  std::size_t pick = 0;
  std::vector<SdfScheduledSplit> splits;
};

namespace internal {

inline std::string describe_fraction(double f) {
  std::ostringstream out;
  out.precision(17);
  out << f;
  return out.str();
}

// The tracker a DoFn is given when its claims are watched: every call goes
// to `inner`; try_claim also records whether a claim of this process call
// has been accepted yet, and whether one was refused.
template <typename R, typename P>
class ClaimWatch final : public RestrictionTracker<R, P> {
 public:
  explicit ClaimWatch(RestrictionTracker<R, P>& inner) : inner_(inner) {}
  bool try_claim(const P& position) override {
    const bool claimed = inner_.try_claim(position);
    (claimed ? accepted : refused) = true;
    return claimed;
  }
  std::optional<RestrictionSplit<R>> try_split(double fraction) override {
    return inner_.try_split(fraction);
  }
  void check_done() const override { inner_.check_done(); }
  R current_restriction() const override { return inner_.current_restriction(); }
  RestrictionProgress progress() const override { return inner_.progress(); }
  bool is_bounded() const override { return inner_.is_bounded(); }
  std::string debug_string() const override { return inner_.debug_string(); }

  std::atomic<bool> accepted{false};
  std::atomic<bool> refused{false};

 private:
  RestrictionTracker<R, P>& inner_;
};

template <typename In, typename Out, typename R, typename P>
class SdfProbe {
 public:
  using DoFn = SplittableDoFn<In, Out, R, P>;

  struct Read {
    std::vector<TimestampedValue<Out>> outputs;
    std::string violation;            // empty: none
    bool claim_rule = false;          // the violation is one of ClaimWatch's rules
    std::vector<std::string> splits;  // what each accepted split gave, as text
    int calls = 0;
    std::int64_t total_outputs = 0;  // over all calls so far
  };

  SdfProbe(const DoFn& dofn, const In& element) : dofn_(dofn), element_(element) {}

  // Reads `restriction` whole, from watermark `state`: each call's
  // checkpoint residual (the DoFn resumed) and every residual a schedule
  // split off wait, and are read in the order the schedule picks (the
  // oldest first by default). `schedule(call)` is the plan of the call-th
  // process call (0 the first).
  // `global`, if given, is one more split: after that many outputs of the
  // whole read, in whichever call emits the last of them (0: before the
  // first claim of the first call).
  Read read(const R& restriction, const std::function<SdfCallPlan(int call)>& schedule,
            std::optional<SdfScheduledSplit> global = std::nullopt) const {
    global_split_ = global;
    global_done_ = false;
    Read out;
    std::deque<std::pair<R, Timestamp>> queue{{restriction, kMinTimestamp}};
    while (!queue.empty() && out.violation.empty()) {
      if (out.calls >= options_max_calls_) {
        out.violation = "more than " + std::to_string(options_max_calls_) +
                        " process calls: the DoFn resumes forever";
        break;
      }
      const SdfCallPlan plan = schedule ? schedule(out.calls) : SdfCallPlan{};
      const auto at = queue.begin() + static_cast<std::ptrdiff_t>(plan.pick % queue.size());
      auto [r, state] = std::move(*at);
      queue.erase(at);
      ++out.calls;
      call(r, state, plan.splits, queue, out);
    }
    return out;
  }

  void set_max_calls(int n) { options_max_calls_ = n; }
  // Whether process is given a ClaimWatch around its tracker, and outputs
  // are held to the claim rules: none before the call's first accepted
  // claim, none after a refused one.
  void watch_claims(bool on) const { watch_claims_ = on; }

 private:
  // Records the outputs and holds the watermark rules: an output is late if
  // its timestamp is before the estimator's state() (the watermark last
  // reported; reading state() moves no wall clock forward); after each
  // output the watermark is sampled and must never go back.
  class Output final : public SdfOutput<Out> {
   public:
    Output(WatermarkEstimator& w, std::function<void()> after, const ClaimWatch<R, P>* claims)
        : w_(w), after_(std::move(after)), claims_(claims) {}
    void output(Out value, Timestamp timestamp) override {
      if (claims_ != nullptr && violation.empty()) {
        if (!claims_->accepted) {
          violation = "an output before the first successful try_claim of the process call (at " +
                      text(timestamp) +
                      "): output only for blocks the tracker accepted, claiming each block first";
          claim_rule = true;
        } else if (claims_->refused) {
          violation = "an output after a refused try_claim (at " + text(timestamp) +
                      "): a refused block is not the restriction's; return at the first refusal";
          claim_rule = true;
        }
      }
      const Timestamp reported = w_.state();
      if (timestamp < reported && violation.empty()) {
        violation = "an output at " + text(timestamp) + " is before the watermark " +
                    text(reported) + " (the watermark passed an element still to be output)";
      }
      w_.observe_timestamp(timestamp);
      values.push_back({std::move(value), timestamp});
      sample();
      after_();
    }
    // The watermark now: never below one sampled before.
    void sample() {
      const Timestamp wm = w_.current_watermark();
      if (wm < highest_ && violation.empty()) {
        violation = "the watermark went back from " + text(highest_) + " to " + text(wm);
      }
      highest_ = std::max(highest_, wm);
    }
    void start(Timestamp w) { highest_ = w; }
    // state() as a checkpoint or split saves it: never below the watermark
    // reported (else the resumed restriction's watermark goes back).
    Timestamp saved_state(const char* what) {
      const Timestamp st = w_.state();
      if (st < highest_ && violation.empty()) {
        violation = std::string("at ") + what + " the estimator's state() is " + text(st) +
                    ", below the watermark " + text(highest_) +
                    " it reported: the resumed restriction's watermark would go back";
      }
      return st;
    }

    std::vector<TimestampedValue<Out>> values;
    std::string violation;
    bool claim_rule = false;

   private:
    WatermarkEstimator& w_;
    std::function<void()> after_;
    const ClaimWatch<R, P>* claims_;  // null: claims not watched
    Timestamp highest_ = kMinTimestamp;
  };

  static std::string text(Timestamp t) {
    if (t == kMinTimestamp) return "min";
    if (t == kMaxTimestamp) return "max";
    return std::to_string(t);
  }

  void call(const R& r, Timestamp state, const std::vector<SdfScheduledSplit>& splits,
            std::deque<std::pair<R, Timestamp>>& queue, Read& out) const {
    const std::string where = "process call " + std::to_string(out.calls - 1) + " on " +
                              splitcheck::internal::describe_value(r) + ": ";
    try {
      auto tracker = dofn_.new_tracker(element_, r);
      auto estimator = dofn_.new_watermark_estimator(element_, state);
      if (tracker == nullptr || estimator == nullptr) {
        out.violation = where + "new_tracker or new_watermark_estimator returned null";
        return;
      }
      const Timestamp start = estimator->current_watermark();
      if (start < state) {
        out.violation = where + "resumed from the watermark state " + text(state) +
                        ", its estimator starts at " + text(start) +
                        ": the checkpoint dropped the watermark";
        return;
      }
      std::int64_t outputs = 0;
      std::size_t next = 0;  // the next split of `splits` to make
      Output* sink_ptr = nullptr;
      const auto split_at = [&](double fraction, const std::string& when) {
        if (auto s = tracker->try_split(fraction)) {
          out.splits.push_back("call " + std::to_string(out.calls - 1) + ", after " + when +
                               ", try_split(" + describe_fraction(fraction) + ") gave primary " +
                               splitcheck::internal::describe_value(s->primary) + ", residual " +
                               splitcheck::internal::describe_value(s->residual));
          queue.emplace_back(std::move(s->residual), sink_ptr->saved_state("a split"));
        }
      };
      const auto maybe_split = [&] {
        for (; next < splits.size() && splits[next].after_outputs <= outputs; ++next) {
          if (splits[next].after_outputs != outputs) continue;  // out of order: skipped
          split_at(splits[next].fraction, std::to_string(outputs) + " outputs");
        }
        if (global_split_ && !global_done_ &&
            out.total_outputs + outputs == global_split_->after_outputs) {
          global_done_ = true;
          split_at(global_split_->fraction,
                   std::to_string(out.total_outputs + outputs) + " outputs in all");
        }
      };
      std::optional<ClaimWatch<R, P>> watch;
      if (watch_claims_) watch.emplace(*tracker);
      Output sink(
          *estimator,
          [&] {
            ++outputs;
            maybe_split();
          },
          watch ? &*watch : nullptr);
      sink_ptr = &sink;
      sink.start(start);
      maybe_split();  // after 0 outputs: before the first claim
      const ProcessContinuation c =
          dofn_.process(element_, watch ? static_cast<RestrictionTracker<R, P>&>(*watch) : *tracker,
                        *estimator, sink);
      sink.sample();
      out.total_outputs += outputs;
      std::optional<std::pair<R, Timestamp>> checkpoint;
      if (c.resume) {
        if (auto s = tracker->try_split(0)) {
          checkpoint.emplace(std::move(s->residual), sink.saved_state("the checkpoint"));
        }
      }
      for (auto& v : sink.values) out.outputs.push_back(std::move(v));
      if (!sink.violation.empty()) {
        out.violation = where + sink.violation;
        out.claim_rule = sink.claim_rule;
        return;
      }
      if (checkpoint) queue.push_back(std::move(*checkpoint));
      try {
        tracker->check_done();
      } catch (const UsageError& e) {
        out.violation = where + "check_done() failed after process returned: " + e.what();
      }
    } catch (const std::exception& e) {
      out.violation = where + "threw " + e.what();
    }
  }

  const DoFn& dofn_;
  const In& element_;
  int options_max_calls_ = 100000;
  mutable bool watch_claims_ = false;                      // of the reads that follow
  mutable std::optional<SdfScheduledSplit> global_split_;  // of the read running
  mutable bool global_done_ = false;
};

// The outputs as (value, timestamp) pairs: both must match.
template <typename Out>
std::vector<std::pair<Out, Timestamp>> output_values(
    const std::vector<TimestampedValue<Out>>& outputs) {
  std::vector<std::pair<Out, Timestamp>> v;
  v.reserve(outputs.size());
  for (const auto& o : outputs) v.emplace_back(o.value, o.timestamp);
  return v;
}

// The outputs of `whole` read with no split, into `expected`; or what was
// wrong with that read.
template <typename In, typename Out, typename R, typename P>
std::optional<std::string> reference_outputs(const SdfProbe<In, Out, R, P>& probe, const R& whole,
                                             std::vector<std::pair<Out, Timestamp>>& expected) {
  const auto reference = probe.read(whole, nullptr);
  if (!reference.violation.empty()) {
    return "reading " + splitcheck::internal::describe_value(whole) +
           " whole, with no split: " + reference.violation;
  }
  expected = output_values(reference.outputs);
  // The claim rules, on one more whole read with the DoFn's claims watched
  // (a bug they see can be self-consistent: an empty restriction with one
  // output every time). A DoFn that fails with the watching wrapper for
  // another reason (one that casts its tracker to its own type) is held to
  // them nowhere else; its reads above are the checks.
  probe.watch_claims(true);
  const auto watched = probe.read(whole, nullptr);
  probe.watch_claims(false);
  if (watched.claim_rule) {
    return "reading " + splitcheck::internal::describe_value(whole) +
           " whole, with no split: " + watched.violation;
  }
  return std::nullopt;
}

}  // namespace internal

template <typename In, typename Out, typename R, typename P>
CheckResult check_sdf_exhaustive_split(const SplittableDoFn<In, Out, R, P>& dofn, const In& element,
                                       const SdfCheckOptions& options = {}) {
  CheckResult result = CheckResult::passed("sdf_exhaustive_split");
  internal::SdfProbe<In, Out, R, P> probe(dofn, element);
  probe.set_max_calls(options.max_process_calls);
  const R whole = dofn.initial_restriction(element);
  std::vector<std::pair<Out, Timestamp>> expected;
  if (auto violation = internal::reference_outputs(probe, whole, expected)) {
    return result.fail(*violation);
  }
  const auto n = static_cast<std::int64_t>(expected.size());
  if (n > options.max_outputs) {
    return CheckResult::gave_up("sdf_exhaustive_split", std::to_string(n) +
                                                            " outputs, more than max_outputs " +
                                                            std::to_string(options.max_outputs));
  }
  std::int64_t accepted = 0;
  std::vector<std::string> distinct;
  for (std::int64_t k = 0; k <= n; ++k) {
    for (const double f : options.fractions) {
      const auto got = probe.read(whole, nullptr, SdfScheduledSplit{k, f});
      ++result.cases;
      const std::string what = "split after " + std::to_string(k) + " outputs at " +
                               internal::describe_fraction(f) + " of the remainder";
      if (!got.violation.empty()) return result.fail(what + ": " + got.violation);
      if (auto diff =
              internal::first_multiset_difference(expected, internal::output_values(got.outputs))) {
        return result.fail(what + (got.splits.empty() ? "" : " (" + got.splits.front() + ")") +
                           ": primary and residual together are not the outputs of the whole "
                           "restriction: " +
                           *diff);
      }
      if (!got.splits.empty()) {
        ++accepted;
        if (std::find(distinct.begin(), distinct.end(), got.splits.front()) == distinct.end()) {
          distinct.push_back(got.splits.front());
        }
      }
    }
  }
  result.records_read = static_cast<std::int64_t>(expected.size()) * (result.cases + 1);
  result.notes.push_back(std::to_string(n) + " outputs; " + std::to_string(accepted) +
                         " splits accepted, " + std::to_string(distinct.size()) +
                         " distinct outcomes");
  return result;
}

template <typename In, typename Out, typename R, typename P>
CheckResult check_sdf_checkpoints(const SplittableDoFn<In, Out, R, P>& dofn, const In& element,
                                  const SdfCheckOptions& options = {}) {
  CheckResult result = CheckResult::passed("sdf_checkpoints");
  internal::SdfProbe<In, Out, R, P> probe(dofn, element);
  probe.set_max_calls(options.max_process_calls);
  const R whole = dofn.initial_restriction(element);
  std::vector<std::pair<Out, Timestamp>> expected;
  if (auto violation = internal::reference_outputs(probe, whole, expected)) {
    return result.fail(*violation);
  }
  const auto n = static_cast<std::int64_t>(expected.size());
  const std::uint64_t seed = internal::resolve_seed(options.seed);
  std::int64_t cases = 0;
  const auto outcome = internal::run_property(
      [&] {
        const auto split = rc::gen::apply(
            [](std::int64_t after, int kind, int share) {
              return SdfScheduledSplit{after, kind < 5 ? 0.0 : kind < 7 ? 0.5 : share / 1000.0};
            },
            rc::gen::inRange<std::int64_t>(0, std::max<std::int64_t>(1, n / 2 + 2)),
            rc::gen::inRange(0, 10), rc::gen::inRange(0, 1001));
        const auto steps = *internal::up_to(
            12, rc::gen::apply(
                    [](int pick, std::vector<SdfScheduledSplit> v) {
                      std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
                        return a.after_outputs < b.after_outputs;
                      });
                      return SdfCallPlan{static_cast<std::size_t>(pick), std::move(v)};
                    },
                    rc::gen::inRange(0, 4), internal::up_to(3, split)));
        ++cases;
        const auto got = probe.read(whole, [&](int call) {
          return call < static_cast<int>(steps.size()) ? steps[static_cast<std::size_t>(call)]
                                                       : SdfCallPlan{};
        });
        std::string schedule;
        for (std::size_t i = 0; i < steps.size(); ++i) {
          schedule += "  call " + std::to_string(i) + ": run waiting restriction " +
                      std::to_string(steps[i].pick) + " (modulo how many wait)";
          for (const auto& sp : steps[i].splits) {
            schedule += ", split after " + std::to_string(sp.after_outputs) + " outputs at " +
                        internal::describe_fraction(sp.fraction);
          }
          schedule += "\n";
        }
        std::string splits;
        for (const auto& s : got.splits) splits += "  " + s + "\n";
        if (!got.violation.empty()) {
          RC_FAIL("schedule:\n" + schedule + "splits made:\n" + splits + got.violation);
        }
        if (auto diff = internal::first_multiset_difference(expected,
                                                            internal::output_values(got.outputs))) {
          RC_FAIL("schedule:\n" + schedule + "splits made:\n" + splits +
                  "the outputs are not those of the whole restriction: " + *diff);
        }
      },
      seed, options.schedule_runs);
  result.cases = cases;
  result.notes.push_back("seed " + std::to_string(seed) + ", " + std::to_string(n) + " outputs");
  if (outcome.failed) {
    result.outcome = CheckResult::Outcome::kFailed;
    result.message = outcome.counterexample;
    result.replay = "check_sdf_checkpoints(dofn, element, {.seed = " + std::to_string(seed) +
                    "}) or SPLITCHECK_SEED=" + std::to_string(seed);
  }
  return result;
}

template <typename In, typename Out, typename R, typename P>
CheckResult check_sdf_runner_schedules(const SplittableDoFn<In, Out, R, P>& dofn, const In& element,
                                       const SdfCheckOptions& options = {}) {
  CheckResult result = CheckResult::passed("sdf_runner_schedules");
  internal::SdfProbe<In, Out, R, P> probe(dofn, element);
  probe.set_max_calls(options.max_process_calls);
  std::vector<std::pair<Out, Timestamp>> expected;
  if (auto violation =
          internal::reference_outputs(probe, dofn.initial_restriction(element), expected)) {
    return result.fail(*violation);
  }
  const std::vector<In> elements = {element};
  const std::uint64_t base = internal::resolve_seed(options.seed);
  for (int i = 0; i < options.runner_seeds; ++i) {
    for (const int workers : {1, 3}) {
      const std::uint64_t seed = base + static_cast<std::uint64_t>(i);
      RunnerOptions o;
      o.num_workers = workers;
      o.max_attempts = 4;
      o.desired_bundle_size =
          std::max<std::int64_t>(1, static_cast<std::int64_t>(expected.size()) / 3);
      // Failures often (an attempt fails at each output with probability
      // 0.15, at most twice per item, so the third attempt always runs), so
      // that small elements see retries too.
      o.policy = std::make_shared<SeededSchedule>(
          seed,
          SeededSchedule::Options{
              .split_probability = 0.1, .failure_probability = 0.15, .max_failed_attempts = 2});
      const std::string where = "run_sdf on " + std::to_string(workers) +
                                " workers, SeededSchedule seed " + std::to_string(seed) + ": ";
      ++result.cases;
      try {
        const SdfResult<Out> run = LocalRunner(o).run_sdf(dofn, elements);
        const auto got = internal::output_values(run.outputs);
        result.records_read += static_cast<std::int64_t>(got.size());
        if (auto diff = internal::first_multiset_difference(expected, got)) {
          result.replay = "LocalRunner({.num_workers = " + std::to_string(workers) +
                          ", .policy = SeededSchedule(" + std::to_string(seed) + ", ...)})";
          return result.fail(where + "the outputs are not the element's: " + *diff);
        }
      } catch (const std::exception& e) {
        return result.fail(where + "the run failed: " + e.what());
      }
    }
  }
  result.notes.push_back(
      "seeds " + std::to_string(base) + ".." +
      std::to_string(base + static_cast<std::uint64_t>(options.runner_seeds) - 1));
  return result;
}

// All three checks: the first failure, or the exhaustive check's result
// with the other checks' notes.
template <typename In, typename Out, typename R, typename P>
CheckResult check_sdf(const SplittableDoFn<In, Out, R, P>& dofn, const In& element,
                      SdfCheckOptions options = {}) {
  options.seed = internal::resolve_seed(options.seed);
  CheckResult exhaustive = check_sdf_exhaustive_split(dofn, element, options);
  if (!exhaustive.ok()) return exhaustive;
  for (CheckResult other : {check_sdf_checkpoints(dofn, element, options),
                            check_sdf_runner_schedules(dofn, element, options)}) {
    if (!other.ok()) return other;
    exhaustive.cases += other.cases;
    for (auto& note : other.notes) exhaustive.notes.push_back(std::move(note));
  }
  exhaustive.check = "sdf";
  return exhaustive;
}

}  // namespace splitcheck::testkit

SPLITCHECK_END_NO_FUZZ_COVERAGE

#endif  // SPLITCHECK_TESTKIT_SDF_SDF_CHECKS_H_
