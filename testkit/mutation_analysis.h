// Mutation analysis of the gate: is my gate strong enough for my connector?
//
//   MutationReport r = analyze_source_gate(factory, source_options);
//   MutationReport r = analyze_tracker_gate(tracker_factory, domain, tracker_options);
//   MutationReport r = analyze_sink_gate(sink_under_test, sink_options);
//   std::cout << r;                          // one line per mutant, and the score
//   SPLITCHECK_EXPECT_PASSED(to_check_result(r));
//
// A gate can be too weak for the connector it guards: too few records, one
// file, options that leave a case out. Each analysis wraps the user's own
// connector in generic one-line bugs, *mutants* (internal/mutants.h says how
// each is put in from outside), and runs the same gate, the same checks with
// the same options as the conformance test, on each:
//
//   trackers  a split accepted at the last claim; position_at_fraction
//             rounded down; a split fraction of the remainder; progress that
//             jumps back; a refused claim that does not end the range;
//   sources   a record emitted after a refused claim; the first record of a
//             non-initial range skipped, or duplicated; split()'s last bundle
//             overrunning its stop; bundles overlapping by one record;
//             readers sharing a cursor; and the tracker bugs above, put into
//             the source's own trackers;
//   sinks     a writer that commits in close(); a finalize that fails when
//             rerun; attempts sharing temporary names; shards named in the
//             order writers closed.
//
// A mutant is *rejected* when some check fails (or breaks) on it, and the
// check is named; it *survived* when every check passed it: the gate, as
// configured, cannot see that bug on this connector, and the report says
// what to change (more records, more bundles, sub-ranges, ...). A mutant is
// *not applicable* when the bug cannot be put into this connector from
// outside, or cannot change anything this gate may demand; the reason is
// given (a tracker bug the reader must see, in a source whose read() needs
// its own tracker type, is the tracker gate's to judge). The score is
// rejected / applied; the gate is strong enough when it is 100%.
//
// First the gate runs on the connector itself (the *control*): a connector
// the gate rejects cannot be analysed, and the report is broken. Mutants are
// independent: run_*_mutant runs one, which is how the gtest macros spread
// them over Bazel test shards (SPLITCHECK_SOURCE_MUTATION_TEST in gtest.h).
// Cost: the gate's, once per mutant.

#ifndef SPLITCHECK_TESTKIT_MUTATION_ANALYSIS_H_
#define SPLITCHECK_TESTKIT_MUTATION_ANALYSIS_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/internal/describe.h"
#include "splitcheck/testkit/check_result.h"
#include "splitcheck/testkit/internal/forwarding_sink.h"
#include "splitcheck/testkit/internal/mutants.h"
#include "splitcheck/testkit/mutation_report.h"
#include "splitcheck/testkit/sink/sink_conformance.h"
#include "splitcheck/testkit/source/source_conformance.h"
#include "splitcheck/testkit/tracker/tracker_contract.h"

namespace splitcheck::testkit {

namespace internal {

// What to change in a source gate for a survivor of each mutation.
std::string source_advice(TrackerMutation tracker, SourceMutation source);
std::string tracker_advice(TrackerMutation mutation);
std::string sink_advice(SinkMutation mutation);

// The source checks in the order mutants are tried: cheap ones first; the
// run stops at the first failure.
inline constexpr SourceCheck kMutantSourceChecks[] = {
    SourceCheck::kReferenceEquality,     SourceCheck::kReentrantReads,
    SourceCheck::kProgressContract,      SourceCheck::kSourceHygiene,
    SourceCheck::kDynamicSplitSchedules, SourceCheck::kSplitAtFractionExhaustive,
};

template <typename T, typename P>
std::vector<CheckResult> run_source_gate(const SourceFactory<T, P>& factory,
                                         const SourceConformanceOptions& options,
                                         bool every_check = false) {
  std::vector<CheckResult> results;
  for (const SourceCheck check : kMutantSourceChecks) {
    results.push_back(run_source_check(check, factory, options));
    if (!results.back().ok() && !every_check) break;
  }
  return results;
}

// The mutations of a source gate: every tracker mutation, then every source
// mutation.
struct SourceMutant {
  TrackerMutation tracker = TrackerMutation::kNone;
  SourceMutation source = SourceMutation::kNone;
};

inline std::vector<SourceMutant> source_mutants() {
  std::vector<SourceMutant> out;
  for (const TrackerMutation m :
       {TrackerMutation::kSplitAtLastClaim, TrackerMutation::kFlooredPositions,
        TrackerMutation::kFractionOfRemainder, TrackerMutation::kProgressJumpsBack,
        TrackerMutation::kRefusedClaimNotFinal}) {
    out.push_back({m, SourceMutation::kNone});
  }
  for (const SourceMutation m :
       {SourceMutation::kEmitsAfterRefusedClaim, SourceMutation::kSkipsFirstRecordOfInnerRange,
        SourceMutation::kDuplicatesFirstRecordOfInnerRange, SourceMutation::kLastBundleOverrunsStop,
        SourceMutation::kBundlesOverlapByOne, SourceMutation::kSharedState}) {
    out.push_back({TrackerMutation::kNone, m});
  }
  return out;
}

inline constexpr TrackerMutation kTrackerMutants[] = {
    TrackerMutation::kSplitAtLastClaim,     TrackerMutation::kFlooredPositions,
    TrackerMutation::kFractionOfRemainder,  TrackerMutation::kProgressJumpsBack,
    TrackerMutation::kRefusedClaimNotFinal,
};

inline constexpr SinkMutation kSinkMutants[] = {
    SinkMutation::kCommitsInClose,       SinkMutation::kFinalizeNotIdempotent,
    SinkMutation::kSharedTemporaryNames, SinkMutation::kShardNamesByCompletion,
    SinkMutation::kAbortDoesNothing,     SinkMutation::kSyncsDropped,
    SinkMutation::kParentSyncsDropped,
};

// Why rounding position_at_fraction down by one position cannot show in a
// source check, if it cannot: the tracker names a position for almost every
// fraction (keys), so the fraction moves by less than the split checks'
// rounding allowance. Probed at sixteenths of the whole range: the width of
// the fractions that map to the position there.
template <typename T, typename P>
std::optional<std::string> flooring_is_rounding(const BoundedSource<T, P>& source) {
  double widest = 0;
  bool probed = false;
  try {
    const auto tracker = source.get_range_tracker(std::nullopt, std::nullopt);
    const P start = tracker->start_position();
    const P stop = tracker->stop_position();
    for (int i = 1; i < 16; ++i) {
      const double f = i / 16.0;
      const P p = tracker->position_at_fraction(f);
      if (p == start || p == stop) continue;
      double lo = 0.0;  // maps before p
      double hi = f;
      while (std::nextafter(lo, 2.0) < hi) {
        const double mid = lo + (hi - lo) / 2;
        (tracker->position_at_fraction(mid) < p ? lo : hi) = mid;
      }
      double below = f;  // maps to p
      double above = 1.0;
      while (std::nextafter(below, 2.0) < above) {
        const double mid = below + (above - below) / 2;
        (p < tracker->position_at_fraction(mid) ? above : below) = mid;
      }
      widest = std::max(widest, above - lo);
      probed = true;
    }
  } catch (const Error&) {
    return std::nullopt;  // no fractions to take: let the gate judge
  }
  if (!probed || widest >= SplitOracle<T, P>::kFractionSlack) return std::nullopt;
  return "the tracker names a position for almost every fraction (one position moves it by " +
         splitcheck::internal::describe_double(widest) +
         " at most), so rounding down by one position is below the split checks' rounding "
         "allowance; the tracker gate holds the mapping to its exact tolerance";
}

// Why dropping the sink's syncs, or its abort_write, cannot change anything,
// if it cannot: the calls they drop do not exist (a sink that writes no
// files syncs nothing; an abort_write that makes no call does nothing).
// Probed on a write whose first bundle fails every attempt, counting the
// fault points of abort_write, or the syncs of the whole write.
template <typename T>
std::optional<std::string> mutation_changes_no_call(const SinkUnderTest<T>& sut, SinkMutation m) {
  class CountsAbort final : public internal::ForwardingSink<T> {
   public:
    CountsAbort(std::shared_ptr<const Sink<T>> inner, std::shared_ptr<FaultPoints> points)
        : internal::ForwardingSink<T>(std::move(inner)), points_(std::move(points)) {}
    void abort_write(const std::string& init,
                     const std::vector<std::string>& results) const override {
      const std::int64_t before = points_->operations();
      this->inner().abort_write(init, results);
      abort_points = points_->operations() - before;
    }
    mutable std::int64_t abort_points = 0;  // one worker: no lock needed

   private:
    const std::shared_ptr<FaultPoints> points_;
  };
  try {
    auto memory = std::make_shared<InMemoryFileSystem>();
    auto points = std::make_shared<FaultPoints>();
    const SinkEnvironment env{std::make_shared<FaultInjectingFileSystem>(memory, points), points,
                              "abort-probe"};
    auto sink = std::make_shared<const CountsAbort>(sut.make_sink(env, sut.destination), points);
    RunnerOptions runner;
    runner.num_workers = 1;
    runner.max_attempts = 1;
    runner.write_bundles = 2;
    runner.write_policy = std::make_shared<BundleAlwaysFails>(0);
    try {
      LocalRunner(runner).run(Write<T>(sink), sut.records);
    } catch (...) {
    }
    if (m == SinkMutation::kAbortDoesNothing) {
      if (sink->abort_points > 0) return std::nullopt;
      return "the sink's abort_write makes no call a check can see (it stages nothing, or "
             "nothing through the environment)";
    }
    if (m == SinkMutation::kParentSyncsDropped) {
      // A clean write, through the mutant's file system: what it drops.
      auto dropping =
          std::make_shared<ParentSyncDroppingFileSystem>(std::make_shared<InMemoryFileSystem>());
      auto dropping_points = std::make_shared<FaultPoints>();
      const SinkEnvironment env{dropping, dropping_points, "parent-sync-probe"};
      RunnerOptions plain;
      plain.num_workers = 1;
      LocalRunner(plain).run(Write<T>(sut.make_sink(env, sut.destination)), sut.records);
      if (dropping->dropped.load() > 0) return std::nullopt;
      return "the sink never syncs a directory that holds only directories (it makes no "
             "directory, or syncs nothing through the environment's file system)";
    }
    // The syncs of a whole write: a clean one.
    auto clean_points = std::make_shared<FaultPoints>();
    const SinkEnvironment clean{std::make_shared<FaultInjectingFileSystem>(
                                    std::make_shared<InMemoryFileSystem>(), clean_points),
                                clean_points, "sync-probe"};
    RunnerOptions plain;
    plain.num_workers = 1;
    LocalRunner(plain).run(Write<T>(sut.make_sink(clean, sut.destination)), sut.records);
    for (const std::string& point : clean_points->trace()) {
      if (point.rfind("sync ", 0) == 0 || point.rfind("sync_directory ", 0) == 0) {
        return std::nullopt;
      }
    }
    return "the sink syncs nothing through the environment's file system (it writes no files)";
  } catch (...) {
    return std::nullopt;  // let the gate judge
  }
}

// Why shard names from completion order cannot change this sink's output, if
// they cannot: its committed records and outputs do not depend on the order of
// the writer results (a table sorted by key, say). Probed with the writers
// closed in reverse order, against bundle order.
template <typename T>
std::optional<std::string> result_order_is_invisible(const SinkUnderTest<T>& sut,
                                                     const SinkConformanceOptions& options) {
  SinkUnderTest<T> mutant = sut;
  mutant.make_sink = [inner = sut.make_sink](const SinkEnvironment& env, const std::string& place) {
    return std::make_shared<const MutantSink<T>>(inner(env, place),
                                                 SinkMutation::kShardNamesByCompletion);
  };
  try {
    const auto probe = sut.make_sink(fresh_env("order-probe"), sut.destination);
    if (probe->num_shards() == 1) {
      return std::string(
          "this sink writes exactly one shard (num_shards() is 1): one writer result has no "
          "order to get wrong, the bug changes nothing");
    }
    const int n = bundle_count(sut, options.checks.bundles);
    if (n < 2) return std::nullopt;
    const auto attempts = one_each(n);
    auto reverse = in_order(attempts);
    std::reverse(reverse.begin(), reverse.end());
    const SinkEnvironment a = fresh_env("order-probe-a");
    const SinkEnvironment b = fresh_env("order-probe-b");
    const HandWrite plain =
        write_by_hand(sut, a, sut.destination, sut.records, n, attempts, in_order(attempts));
    const HandWrite reordered =
        write_by_hand(mutant, b, sut.destination, sut.records, n, attempts, reverse);
    if (sut.read_back(a, sut.destination) != sut.read_back(b, sut.destination)) return std::nullopt;
    if (plain.outputs != reordered.outputs) return std::nullopt;
  } catch (...) {
    return std::nullopt;  // let the gate judge
  }
  return "this sink commits the same records under the same outputs whatever the order of the "
         "writer results (nothing is named by position): the bug changes nothing";
}

}  // namespace internal

// The control: the gate on the source itself. Broken (with the reason)
// unless every check passes.
template <typename T, typename P>
MutantOutcome run_source_control(const SourceFactory<T, P>& factory,
                                 const SourceConformanceOptions& options) {
  MutantOutcome control = internal::judge("control: the source itself",
                                          internal::run_source_gate(factory, options), "");
  return control;
}

// The number of source mutants; run_source_mutant takes 0 .. count - 1.
inline int source_mutant_count() { return static_cast<int>(internal::source_mutants().size()); }

// With `every_check`, every check runs on the mutant (not only up to the
// first rejection), and rejected_by lists all that reject it.
template <typename T, typename P>
MutantOutcome run_source_mutant(const SourceFactory<T, P>& factory,
                                const SourceConformanceOptions& options, int index,
                                bool every_check = false) {
  const internal::SourceMutant m = internal::source_mutants().at(static_cast<std::size_t>(index));
  const std::string name(m.tracker != internal::TrackerMutation::kNone
                             ? internal::mutation_name(m.tracker)
                             : internal::mutation_name(m.source));
  MutantOutcome outcome;
  outcome.mutation = name;
  if (m.tracker == internal::TrackerMutation::kRefusedClaimNotFinal) {
    outcome.verdict = MutantOutcome::Verdict::kNotApplicable;
    outcome.detail =
        "no source check may see it: a reader stops at its first refused claim, so no record "
        "changes, and a source's progress need not reach 1 (a reader may end at the end of its "
        "input without a refused claim); the tracker gate rejects it (analyze_tracker_gate)";
    return outcome;
  }
  if (internal::reader_sees(m.tracker)) {
    try {
      if (auto reason = internal::reader_refuses_wrapped_trackers(factory())) {
        outcome.verdict = MutantOutcome::Verdict::kNotApplicable;
        outcome.detail = "the bug must be seen by the reader, but " + *reason +
                         "; the tracker gate judges it (analyze_tracker_gate)";
        return outcome;
      }
    } catch (...) {
      outcome.verdict = MutantOutcome::Verdict::kNotApplicable;
      outcome.detail = "the source could not be made: " + internal::current_exception_message();
      return outcome;
    }
  }
  if (m.tracker == internal::TrackerMutation::kFlooredPositions) {
    try {
      if (auto reason = internal::flooring_is_rounding(*factory())) {
        outcome.verdict = MutantOutcome::Verdict::kNotApplicable;
        outcome.detail = *reason;
        return outcome;
      }
    } catch (...) {
      // The factory threw: the gate run below reports it.
    }
  }
  auto state = std::make_shared<internal::SourceMutantState<T, P>>();
  const SourceFactory<T, P> mutant = [factory, m, state] {
    return std::make_shared<const internal::MutantSource<T, P>>(factory(), m.tracker, m.source,
                                                                state);
  };
  return internal::judge(name, internal::run_source_gate(mutant, options, every_check),
                         internal::source_advice(m.tracker, m.source));
}

template <typename T, typename P>
MutationReport analyze_source_gate(const SourceFactory<T, P>& factory,
                                   const SourceConformanceOptions& options = {}) {
  MutationReport report;
  report.gate = "source gate";
  try {
    const auto source = factory();
    if (source == nullptr) {
      report.broken = "the factory returned null";
      return report;
    }
    report.connector = source->debug_string();
  } catch (...) {
    report.broken = "the factory threw: " + internal::current_exception_message();
    return report;
  }
  const MutantOutcome control = run_source_control(factory, options);
  if (control.verdict == MutantOutcome::Verdict::kRejected) {
    report.broken = "the gate rejects the source itself (" + control.check + "): " + control.detail;
    return report;
  }
  for (int i = 0; i < source_mutant_count(); ++i) {
    report.mutants.push_back(run_source_mutant(factory, options, i));
  }
  return report;
}

template <typename P>
MutantOutcome run_tracker_mutant(const TrackerFactory<P>& factory, const PositionDomain<P>& domain,
                                 const TrackerContractOptions& options, int index) {
  const internal::TrackerMutation m = internal::kTrackerMutants[index];
  const TrackerFactory<P> mutant = internal::mutant_tracker_factory<P>(factory, m);
  return internal::judge(std::string(internal::mutation_name(m)),
                         {check_tracker_contract(mutant, domain, options)},
                         internal::tracker_advice(m));
}

inline int tracker_mutant_count() { return static_cast<int>(std::size(internal::kTrackerMutants)); }

template <typename P>
MutationReport analyze_tracker_gate(const TrackerFactory<P>& factory,
                                    const PositionDomain<P>& domain,
                                    const TrackerContractOptions& options = {}) {
  MutationReport report;
  report.gate = "tracker gate";
  report.connector = domain.name + " tracker";
  const CheckResult control = check_tracker_contract(factory, domain, options);
  if (!control.ok()) {
    report.broken = "the gate rejects the tracker itself: " + internal::first_line(control.message);
    return report;
  }
  for (int i = 0; i < tracker_mutant_count(); ++i) {
    report.mutants.push_back(run_tracker_mutant(factory, domain, options, i));
  }
  return report;
}

// Compiled once, in mutation_analysis.cc, for offsets and keys (the
// positions of the built-in trackers), as the tracker contract is.
extern template MutationReport analyze_tracker_gate<std::int64_t>(
    const TrackerFactory<std::int64_t>&, const PositionDomain<std::int64_t>&,
    const TrackerContractOptions&);
extern template MutationReport analyze_tracker_gate<std::string>(const TrackerFactory<std::string>&,
                                                                 const PositionDomain<std::string>&,
                                                                 const TrackerContractOptions&);

namespace internal {

// `sut` with every write's run name prefixed: a store that keys its state by
// run name (a database file per run) starts fresh for each mutant, although
// the checks reuse their run names.
template <typename T>
SinkUnderTest<T> with_run_prefix(SinkUnderTest<T> sut, const std::string& prefix) {
  const auto renamed = [prefix](const SinkEnvironment& env) {
    return SinkEnvironment{env.file_system, env.faults, prefix + env.run_id};
  };
  sut.make_sink = [inner = sut.make_sink, renamed](const SinkEnvironment& env,
                                                   const std::string& place) {
    return inner(renamed(env), place);
  };
  sut.read_back = [inner = sut.read_back, renamed](const SinkEnvironment& env,
                                                   const std::string& place) {
    return inner(renamed(env), place);
  };
  if (sut.leftovers) {
    sut.leftovers = [inner = sut.leftovers, renamed](const SinkEnvironment& env) {
      return inner(renamed(env));
    };
  }
  return sut;
}

}  // namespace internal

// The sink checks in the order mutants are tried: cheap ones first, the
// crash points (every fault point of a write, every crash state) last; the
// run stops at the first failure. Not the serialization check: no mutation
// is of the encoding, and a write in worker processes per mutant would cost
// more than the rest of its gate (as for sources).
inline constexpr SinkCheck kMutantSinkChecks[] = {
    SinkCheck::kFinalizeIdempotence, SinkCheck::kRetriesAndSpeculation,
    SinkCheck::kOrderIndependence,   SinkCheck::kIsolation,
    SinkCheck::kFailedWriteCleanup,  SinkCheck::kCrashPoints,
};

template <typename T>
std::vector<CheckResult> run_sink_gate(const SinkUnderTest<T>& sut,
                                       const SinkConformanceOptions& options,
                                       bool every_check = false) {
  std::vector<CheckResult> results;
  for (const SinkCheck check : kMutantSinkChecks) {
    results.push_back(run_sink_check(check, sut, options));
    if (!results.back().ok() && !every_check) break;
  }
  return results;
}

inline int sink_mutant_count() { return static_cast<int>(std::size(internal::kSinkMutants)); }

template <typename T>
MutantOutcome run_sink_control(const SinkUnderTest<T>& sut,
                               const SinkConformanceOptions& options = {}) {
  return internal::judge("control: the sink itself",
                         run_sink_gate(internal::with_run_prefix(sut, "control-"), options), "");
}

template <typename T>
MutantOutcome run_sink_mutant(const SinkUnderTest<T>& sut, const SinkConformanceOptions& options,
                              int index, bool every_check = false) {
  const internal::SinkMutation m = internal::kSinkMutants[index];
  if (m == internal::SinkMutation::kAbortDoesNothing ||
      m == internal::SinkMutation::kSyncsDropped ||
      m == internal::SinkMutation::kParentSyncsDropped) {
    if (auto reason = internal::mutation_changes_no_call(
            internal::with_run_prefix(sut, "probe" + std::to_string(index) + "-"), m)) {
      MutantOutcome outcome;
      outcome.mutation = std::string(internal::mutation_name(m));
      outcome.verdict = MutantOutcome::Verdict::kNotApplicable;
      outcome.detail = *reason;
      return outcome;
    }
  }
  if (m == internal::SinkMutation::kShardNamesByCompletion) {
    if (auto reason = internal::result_order_is_invisible(
            internal::with_run_prefix(sut, "probe" + std::to_string(index) + "-"), options)) {
      MutantOutcome outcome;
      outcome.mutation = std::string(internal::mutation_name(m));
      outcome.verdict = MutantOutcome::Verdict::kNotApplicable;
      outcome.detail = *reason;
      return outcome;
    }
  }
  SinkUnderTest<T> mutant = internal::with_run_prefix(sut, "mutant" + std::to_string(index) + "-");
  mutant.make_sink = [inner = mutant.make_sink, m](
                         const SinkEnvironment& env,
                         const std::string& place) -> std::shared_ptr<const Sink<T>> {
    if (m == internal::SinkMutation::kSyncsDropped) {
      SinkEnvironment dropping = env;
      dropping.file_system = std::make_shared<internal::SyncDroppingFileSystem>(env.file_system);
      return inner(dropping, place);
    }
    if (m == internal::SinkMutation::kParentSyncsDropped) {
      SinkEnvironment dropping = env;
      dropping.file_system =
          std::make_shared<internal::ParentSyncDroppingFileSystem>(env.file_system);
      return inner(dropping, place);
    }
    return std::make_shared<const internal::MutantSink<T>>(inner(env, place), m);
  };
  return internal::judge(std::string(internal::mutation_name(m)),
                         run_sink_gate(mutant, options, every_check), internal::sink_advice(m));
}

template <typename T>
MutationReport analyze_sink_gate(const SinkUnderTest<T>& sut,
                                 const SinkConformanceOptions& options = {}) {
  MutationReport report;
  report.gate = "sink gate";
  const MutantOutcome control = run_sink_control(sut, options);
  if (control.verdict == MutantOutcome::Verdict::kRejected) {
    report.broken = "the gate rejects the sink itself (" + control.check + "): " + control.detail;
    return report;
  }
  for (int i = 0; i < sink_mutant_count(); ++i) {
    report.mutants.push_back(run_sink_mutant(sut, options, i));
  }
  return report;
}

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_MUTATION_ANALYSIS_H_
