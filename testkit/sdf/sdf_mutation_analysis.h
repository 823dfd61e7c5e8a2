// Mutation analysis of the SDF gates: is my gate strong enough for my
// restriction tracker, or for my splittable DoFn?
//
//   MutationReport r = analyze_restriction_tracker_gate(factory, offset_restrictions());
//   MutationReport r = analyze_sdf_gate(dofn, elements);
//   std::cout << r;
//   SPLITCHECK_EXPECT_PASSED(to_check_result(r));
//
// As for sources, trackers and sinks (testkit/mutation_analysis.h), each
// analysis puts generic one-line bugs, *mutants*, into the user's own
// tracker or DoFn from outside (internal/sdf_mutants.h says how) and runs
// the same gate with the same options on each:
//
//   restriction trackers (check_restriction_tracker_contract): a split's
//     residual starting at the last claim; the first refused claim accepted;
//     check_done passing with work left; a checkpoint splitting at half; the
//     split fraction read as a share of the whole; completed work counted
//     from the last split; remaining work left after a refusal; progress
//     read in two steps (only the linearizability check can see it);
//   DoFns (check_sdf_exhaustive_split, check_sdf_checkpoints and
//     check_sdf_runner_schedules on every element): the three tracker bugs
//     a DoFn's outputs must show, put into the trackers the DoFn makes; a
//     residual's first output skipped or emitted twice; a resumed watermark
//     starting from the minimum; an initial split returned twice or lost;
//     stop returned where the DoFn asked to resume.
//
// First the gate runs on the connector itself (the control); a connector it
// rejects cannot be analysed (run_sdf_mutant then judges no mutant). A
// DoFn's control runs with its trackers wrapped in the mutants' wrapper
// without a bug, and each mutant runs the same way plus its bug, so that a
// rejection is the bug's, never the wrapper's; a DoFn the gate passes only
// with its own trackers (one that casts its tracker to its own type) is
// analysed with them, without the three tracker mutants, which are then
// not applicable with that reason (sdf_control says how each is decided).
// A mutant is *not applicable* when the bug cannot change anything this
// gate may demand of this connector, with the reason: the share-of-the-whole and torn-progress bugs
// when the contract does not check the domain's arithmetic; a checkpoint that keeps work, or stop
// for resume, in a DoFn that never checkpoints itself (a checkpoint from outside is followed by
// more claims, which take the kept work); a dropped watermark in a DoFn whose checkpoints carry
// none; a lost initial split in a DoFn that never makes more than one piece (asked by the runner
// schedules, or directly when the gate runs none of them, so that a gate without them is shown to
// miss the bug). The control run through the recording wrapper tells which (SdfMutantFacts).
//
// run_*_mutant runs one mutant (the gtest macros of sdf_gtest.h spread them
// over test cases, with one control per use of a macro in a test process). It resolves a seed of
// 0 once, for its own control and mutant runs; separate calls with seed 0
// see different scenarios, so pass a seed to compare them. Cost: the gate's
// once per mutant, plus the control's once more when run_sdf_mutant is not
// given the facts of a control.

#ifndef SPLITCHECK_TESTKIT_SDF_SDF_MUTATION_ANALYSIS_H_
#define SPLITCHECK_TESTKIT_SDF_SDF_MUTATION_ANALYSIS_H_

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/lib/internal/no_fuzz_coverage.h"
#include "splitcheck/lib/sdf/splittable_dofn.h"
#include "splitcheck/testkit/check_result.h"
#include "splitcheck/testkit/internal/property.h"
#include "splitcheck/testkit/mutation_report.h"
#include "splitcheck/testkit/sdf/internal/sdf_mutants.h"
#include "splitcheck/testkit/sdf/restriction_domain.h"
#include "splitcheck/testkit/sdf/restriction_tracker_contract.h"
#include "splitcheck/testkit/sdf/sdf_checks.h"

SPLITCHECK_BEGIN_NO_FUZZ_COVERAGE

namespace splitcheck::testkit {
namespace internal {

inline std::string restriction_tracker_advice(RestrictionMutation m) {
  switch (m) {
    case RestrictionMutation::kTornProgress:
      return "only concurrent histories show it: keep concurrent_runs and repetitions > 0, and "
             "restrictions long enough for a reader to claim while the monitor reads";
    case RestrictionMutation::kCompletedResetBySplit:
      return "a scenario must report progress, split, and report it again: raise "
             "sequential_runs and max_ops";
    case RestrictionMutation::kFractionOfWhole:
      return "it shows in a split after a claim, with check_arithmetic on: raise sequential_runs";
    default:
      return "raise sequential_runs and max_ops, and check the domain's restrictions";
  }
}

inline std::string sdf_advice(SdfMutation m) {
  switch (m) {
    case SdfMutation::kResidualOverlapsPrimary:
    case SdfMutation::kSkipsFirstOutputOfResidual:
    case SdfMutation::kDuplicatesFirstOutputOfResidual:
      return "a split after an output shows it: give elements with at least 2 outputs and keep "
             "fractions between 0 and 1 in the exhaustive check";
    case SdfMutation::kClaimPastEndAccepted:
      return "a split primary's reader must go on past its end: give elements with at least 2 "
             "outputs";
    case SdfMutation::kExtraInitialSplit:
    case SdfMutation::kInitialSplitDropped:
      return "only the runner schedules use the initial splits: keep runner_seeds > 0, with "
             "elements whose every initial split has output";
    case SdfMutation::kWatermarkStateDropped:
      return "the checkpoint schedules resume with the saved state: keep schedule_runs > 0";
    default:
      return "give the gate more elements, with more outputs";
  }
}

// One check of the DoFn gate on every element: the first failure, named by
// its element's index, into `results`. Whether it passed.
template <typename In, typename Check>
bool run_on_every_element(const Check& check, const std::vector<In>& elements,
                          std::vector<CheckResult>& results) {
  for (std::size_t i = 0; i < elements.size(); ++i) {
    CheckResult r = check(elements[i]);
    if (r.ok()) continue;
    r.message = "element " + std::to_string(i) + ": " + r.message;
    results.push_back(std::move(r));
    return false;
  }
  return true;
}

// The DoFn gate on every element: the three checks in turn, each on every
// element; stops at the first failure unless `every_check`.
template <typename In, typename Out, typename R, typename P>
std::vector<CheckResult> run_sdf_gate(const SplittableDoFn<In, Out, R, P>& dofn,
                                      const std::vector<In>& elements,
                                      const SdfCheckOptions& options, bool every_check = false) {
  std::vector<CheckResult> results;  // a pass is an empty list
  if (!run_on_every_element(
          [&](const In& e) { return check_sdf_exhaustive_split(dofn, e, options); }, elements,
          results) &&
      !every_check) {
    return results;
  }
  if (!run_on_every_element([&](const In& e) { return check_sdf_checkpoints(dofn, e, options); },
                            elements, results) &&
      !every_check) {
    return results;
  }
  run_on_every_element([&](const In& e) { return check_sdf_runner_schedules(dofn, e, options); },
                       elements, results);
  return results;
}

// The control: the gate on the DoFn through the recording wrapper, with its
// trackers wrapped without a bug. When that fails, the gate runs again with
// the DoFn's own trackers: a failure there too is the control's outcome
// (the DoFn is broken); a pass is checked by the wrapped run once more, and
// if that fails again, the DoFn needs its own trackers (wrapped_trackers_fail
// records why, and every mutant then runs with the DoFn's own trackers); if
// it passes, the gate's verdict changes from run to run and the control is
// rejected with both outcomes. A rejected control is recorded in the facts
// too (control_rejected), so that no mutant is judged on it. When the gate
// never called split_restriction (no runner schedules), it is asked
// directly, with a third of each element's size, so that the facts say
// whether the DoFn splits initially.
template <typename In, typename Out, typename R, typename P>
std::pair<MutantOutcome, std::shared_ptr<SdfMutantFacts>> sdf_control(
    const SplittableDoFn<In, Out, R, P>& dofn, const std::vector<In>& elements,
    SdfCheckOptions options) {
  options.seed = resolve_seed(options.seed);
  const char* const name = "control: the DoFn itself";
  const auto run = [&](bool wrap, std::shared_ptr<SdfMutantFacts>& facts) {
    facts = std::make_shared<SdfMutantFacts>();
    return run_sdf_gate(MutantDoFn<In, Out, R, P>(dofn, SdfMutation::kNone, facts, wrap), elements,
                        options);
  };
  std::shared_ptr<SdfMutantFacts> facts;
  std::vector<CheckResult> results = run(true, facts);
  if (!results.empty()) {
    const std::string wrapped_failure = results.front().message;
    results = run(false, facts);
    if (results.empty()) {
      std::shared_ptr<SdfMutantFacts> again;
      if (run(true, again).empty()) {
        results.push_back(CheckResult::failed(
            "sdf control",
            "the gate's verdict on the DoFn changes from run to run with the same seed: with its "
            "trackers wrapped (changing nothing) it failed once (" +
                first_line(wrapped_failure, 300) + ") and passed once"));
      } else {
        facts->wrapped_trackers_fail = wrapped_failure;
      }
    }
  }
  MutantOutcome control = judge(name, results, "");
  if (control.verdict == MutantOutcome::Verdict::kRejected) {
    facts->control_rejected = control.detail;
    return {std::move(control), std::move(facts)};
  }
  if (facts->split_restriction_calls == 0) {
    const MutantDoFn<In, Out, R, P> recorded(dofn, SdfMutation::kNone, facts);
    for (const In& element : elements) {
      try {
        const R whole = recorded.initial_restriction(element);
        recorded.split_restriction(element, whole,
                                   std::max(1.0, dofn.restriction_size(element, whole) / 3));
      } catch (...) {
        // Not the gate's question: the DoFn's errors are its checks' to report.
      }
    }
  }
  return {std::move(control), std::move(facts)};
}

// Why `m` cannot change anything the gate demands of this DoFn, if it cannot.
template <typename R, typename P>
std::optional<std::string> sdf_mutant_not_applicable(SdfMutation m, const SdfMutantFacts& facts) {
  if (tracker_mutation_of(m) && facts.wrapped_trackers_fail) {
    return "the gate fails the DoFn when its trackers are wrapped, even without a bug (does it "
           "cast its tracker to its own type?), so a tracker bug cannot be put in from "
           "outside; the tracker gate judges the tracker. With the wrapper: " +
           first_line(*facts.wrapped_trackers_fail, 400);
  }
  switch (m) {
    case SdfMutation::kResidualOverlapsPrimary:
    case SdfMutation::kClaimPastEndAccepted:
      if (!HasRestrictionBounds<R, P>) {
        return std::string(
            "the analysis does not know this restriction type's bounds (RestrictionBounds is "
            "defined for OffsetRange and ByteKeyRange); the tracker gate judges the tracker");
      }
      return std::nullopt;
    case SdfMutation::kSkipsFirstOutputOfResidual:
    case SdfMutation::kDuplicatesFirstOutputOfResidual:
      if (!std::equality_comparable<R>) {
        return std::string("the restriction type has no ==: a residual cannot be told apart");
      }
      return std::nullopt;
    case SdfMutation::kCheckpointSplitsAtHalf:
    case SdfMutation::kStopInsteadOfResume:
      if (facts.resumed) return std::nullopt;
      return std::string(
          "the DoFn never checkpoints itself (process never returned resume): a checkpoint "
          "from outside is followed by more claims, which take any work it keeps; the tracker "
          "gate judges the tracker");
    case SdfMutation::kWatermarkStateDropped:
      if (facts.resumed_with_watermark) return std::nullopt;
      return std::string(
          "no checkpoint of this DoFn carries a watermark state above the minimum: starting "
          "from the minimum changes nothing");
    case SdfMutation::kInitialSplitDropped:
      if (facts.most_initial_splits > 1) return std::nullopt;
      return std::string(
          "the DoFn never splits a restriction initially (split_restriction gave at most one "
          "piece whenever asked): there is none to lose");
    default:
      return std::nullopt;
  }
}

}  // namespace internal

inline int restriction_tracker_mutant_count() {
  return static_cast<int>(std::size(internal::kRestrictionMutants));
}

template <typename R, typename P>
MutantOutcome run_restriction_tracker_mutant(const RestrictionTrackerFactory<R, P>& factory,
                                             const RestrictionDomain<R, P>& domain,
                                             RestrictionContractOptions options, int index) {
  options.seed = internal::resolve_seed(options.seed);
  const internal::RestrictionMutation m =
      internal::kRestrictionMutants[static_cast<std::size_t>(index)];
  const std::string name(internal::mutation_name(m));
  const bool needs_arithmetic = m == internal::RestrictionMutation::kFractionOfWhole ||
                                m == internal::RestrictionMutation::kTornProgress;
  std::optional<std::string> not_applicable;
  if (needs_arithmetic && !options.check_arithmetic) {
    not_applicable =
        "with check_arithmetic off the contract allows a split anywhere in the remainder and "
        "progress in any unit: the bug breaks no rule it checks";
  }
  if (m == internal::RestrictionMutation::kResidualOverlapsPrimary &&
      !internal::HasRestrictionBounds<R, P>) {
    not_applicable =
        "the analysis cannot move this restriction type's bounds (RestrictionBounds is defined "
        "for OffsetRange and ByteKeyRange)";
  }
  if (not_applicable) {
    MutantOutcome outcome;
    outcome.mutation = name;
    outcome.verdict = MutantOutcome::Verdict::kNotApplicable;
    outcome.detail = *not_applicable;
    return outcome;
  }
  const RestrictionTrackerFactory<R, P> mutant = [factory, m](const R& r, EndEstimate e) {
    std::unique_ptr<RestrictionTracker<R, P>> inner = factory(r, std::move(e));
    if (inner == nullptr) return inner;
    return std::unique_ptr<RestrictionTracker<R, P>>(
        std::make_unique<internal::MutantRestrictionTracker<R, P>>(std::move(inner), m));
  };
  return internal::judge(name, {check_restriction_tracker_contract(mutant, domain, options)},
                         internal::restriction_tracker_advice(m));
}

template <typename R, typename P>
MutantOutcome run_restriction_tracker_control(const RestrictionTrackerFactory<R, P>& factory,
                                              const RestrictionDomain<R, P>& domain,
                                              const RestrictionContractOptions& options) {
  return internal::judge("control: the tracker itself",
                         {check_restriction_tracker_contract(factory, domain, options)}, "");
}

// The seed is resolved once, so that the control and every mutant see the
// same scenarios.
template <typename R, typename P>
MutationReport analyze_restriction_tracker_gate(const RestrictionTrackerFactory<R, P>& factory,
                                                const RestrictionDomain<R, P>& domain,
                                                RestrictionContractOptions options = {}) {
  options.seed = internal::resolve_seed(options.seed);
  MutationReport report;
  report.gate = "restriction tracker gate";
  report.connector = domain.name + " restriction tracker";
  const MutantOutcome control = run_restriction_tracker_control(factory, domain, options);
  if (control.verdict == MutantOutcome::Verdict::kRejected) {
    report.broken = "the gate rejects the tracker itself: " + control.detail;
    return report;
  }
  for (int i = 0; i < restriction_tracker_mutant_count(); ++i) {
    report.mutants.push_back(run_restriction_tracker_mutant(factory, domain, options, i));
  }
  return report;
}

inline int sdf_mutant_count() { return static_cast<int>(std::size(internal::kSdfMutants)); }

template <typename In, typename Out, typename R, typename P>
MutantOutcome run_sdf_control(const SplittableDoFn<In, Out, R, P>& dofn,
                              const std::vector<In>& elements, const SdfCheckOptions& options) {
  return internal::sdf_control(dofn, elements, options).first;
}

// `facts` from a control run with the same options (analyze_sdf_gate and
// the gtest macro pass their own); without them, the control runs first.
// After a rejected control no mutant is judged (Verdict::kNotJudged: a
// rejection would be no bug's).
template <typename In, typename Out, typename R, typename P>
MutantOutcome run_sdf_mutant(const SplittableDoFn<In, Out, R, P>& dofn,
                             const std::vector<In>& elements, SdfCheckOptions options, int index,
                             const internal::SdfMutantFacts* facts = nullptr,
                             bool every_check = false) {
  options.seed = internal::resolve_seed(options.seed);
  const internal::SdfMutation m = internal::kSdfMutants[static_cast<std::size_t>(index)];
  const std::string name(internal::mutation_name(m));
  std::shared_ptr<internal::SdfMutantFacts> probed;
  if (facts == nullptr) {
    probed = internal::sdf_control(dofn, elements, options).second;
    facts = probed.get();
  }
  if (facts->control_rejected) {
    // No bug ran in a rejection of a DoFn the gate rejects anyway.
    MutantOutcome outcome;
    outcome.mutation = name;
    outcome.verdict = MutantOutcome::Verdict::kNotJudged;
    outcome.detail = "not judged: the gate rejects the DoFn itself (fix the DoFn first): " +
                     *facts->control_rejected;
    return outcome;
  }
  if (auto reason = internal::sdf_mutant_not_applicable<R, P>(m, *facts)) {
    MutantOutcome outcome;
    outcome.mutation = name;
    outcome.verdict = MutantOutcome::Verdict::kNotApplicable;
    outcome.detail = *reason;
    return outcome;
  }
  // The control's setup plus the bug: trackers wrapped, unless the DoFn
  // needs its own (then the tracker mutants do not apply).
  const internal::MutantDoFn<In, Out, R, P> mutant(
      dofn, m, std::make_shared<internal::SdfMutantFacts>(),
      /*wrap_trackers=*/!facts->wrapped_trackers_fail.has_value());
  return internal::judge(name, internal::run_sdf_gate(mutant, elements, options, every_check),
                         internal::sdf_advice(m));
}

template <typename In, typename Out, typename R, typename P>
MutationReport analyze_sdf_gate(const SplittableDoFn<In, Out, R, P>& dofn,
                                const std::vector<In>& elements, SdfCheckOptions options = {}) {
  options.seed = internal::resolve_seed(options.seed);
  MutationReport report;
  report.gate = "SDF gate";
  report.connector = dofn.debug_string();
  if (elements.empty()) {
    report.broken = "no elements to run the gate on";
    return report;
  }
  auto [control, facts] = internal::sdf_control(dofn, elements, options);
  if (control.verdict == MutantOutcome::Verdict::kRejected) {
    report.broken = "the gate rejects the DoFn itself (" + control.check + "): " + control.detail;
    return report;
  }
  for (int i = 0; i < sdf_mutant_count(); ++i) {
    report.mutants.push_back(run_sdf_mutant(dofn, elements, options, i, facts.get()));
  }
  return report;
}

}  // namespace splitcheck::testkit

SPLITCHECK_END_NO_FUZZ_COVERAGE

#endif  // SPLITCHECK_TESTKIT_SDF_SDF_MUTATION_ANALYSIS_H_
