#include "splitcheck/testkit/mutation_analysis.h"

namespace splitcheck::testkit {
namespace internal {

std::string source_advice(TrackerMutation tracker, SourceMutation source) {
  switch (tracker) {
    case TrackerMutation::kSplitAtLastClaim:
      return "only a split after a record shows it: keep the exhaustive split check (it splits "
             "after every records-read count) on a source of at least 2 records";
    case TrackerMutation::kFlooredPositions:
      return "the split checks compare a split's fraction with position_at_fraction: the source "
             "must accept splits (expect_splittable) and have at least 3 distinct split "
             "positions";
    case TrackerMutation::kFractionOfRemainder:
      return "it shows in a split after at least one record: keep the exhaustive check, on a "
             "source of at least 3 records";
    case TrackerMutation::kProgressJumpsBack:
      return "the progress contract sees it once a read crosses an eighth of the range: give "
             "the source at least 9 split points";
    case TrackerMutation::kRefusedClaimNotFinal:
    case TrackerMutation::kNone:
      break;
  }
  switch (source) {
    case SourceMutation::kEmitsAfterRefusedClaim:
      return "it shows when a range ends before the end of the source: ask reference equality "
             "for more than one bundle (bundle_counts), keep the exhaustive check";
    case SourceMutation::kSkipsFirstRecordOfInnerRange:
    case SourceMutation::kDuplicatesFirstRecordOfInnerRange:
      return "it shows on ranges that do not start at the start: ask for several bundles "
             "(bundle_counts) and keep sub_ranges > 0";
    case SourceMutation::kLastBundleOverrunsStop:
      return "it shows only on ranges that end before the end: keep sub_ranges > 0";
    case SourceMutation::kBundlesOverlapByOne:
      return "it needs two bundles that each hold a record: ask for several bundles "
             "(bundle_counts) of a source with more records than bundles";
    case SourceMutation::kSharedState:
      return "reentrant reads (max_reentrant_cases > 0) and hygiene's concurrent reads see it: "
             "keep them, on a source of at least 2 records";
    case SourceMutation::kNone:
      break;
  }
  return "give the gate more to read: more records, several files, sub-ranges";
}

std::string tracker_advice(TrackerMutation mutation) {
  switch (mutation) {
    case TrackerMutation::kFlooredPositions:
      return "the checker compares position_at_fraction's answer with the domain's "
             "to_fraction: check that the domain's ranges have a size and that "
             "check_fraction_mapping is on";
    case TrackerMutation::kProgressJumpsBack:
      return "ranges must be long enough to cross an eighth of them in one scenario: widen the "
             "domain's ranges or raise max_ops";
    default:
      return "raise sequential_runs and max_ops, and check the domain's ranges and positions";
  }
}

std::string sink_advice(SinkMutation mutation) {
  switch (mutation) {
    case SinkMutation::kCommitsInClose:
      return "retries and speculation sees it: keep it, with bundles >= 1 and records to write";
    case SinkMutation::kFinalizeNotIdempotent:
      return "finalize idempotence and the crash points rerun finalize: keep them";
    case SinkMutation::kSharedTemporaryNames:
      return "retries and speculation runs a dropped and a speculative attempt beside the used "
             "one: keep it, with records in every bundle";
    case SinkMutation::kShardNamesByCompletion:
      return "order independence closes writers in other orders: keep it, with bundles >= 2, "
             "shuffles >= 1 and more records than bundles";
    case SinkMutation::kAbortDoesNothing:
      return "failed-write cleanup makes the runner give up: keep it, with records in every "
             "bundle";
    case SinkMutation::kSyncsDropped:
    case SinkMutation::kParentSyncsDropped:
      return "the crash points cut the power at every point and after the write: keep them, "
             "with modes including kCrash";
    case SinkMutation::kNone:
      break;
  }
  return "";
}

}  // namespace internal

template MutationReport analyze_tracker_gate<std::int64_t>(const TrackerFactory<std::int64_t>&,
                                                           const PositionDomain<std::int64_t>&,
                                                           const TrackerContractOptions&);
template MutationReport analyze_tracker_gate<std::string>(const TrackerFactory<std::string>&,
                                                          const PositionDomain<std::string>&,
                                                          const TrackerContractOptions&);

}  // namespace splitcheck::testkit
