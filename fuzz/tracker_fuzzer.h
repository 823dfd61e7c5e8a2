// libFuzzer harnesses for range trackers: the tracker contract checker's
// model, fed by bytes instead of RapidCheck.
//
// fuzz_tracker_sequential decodes the input into a TrackerScenario, runs it
// on a fresh tracker and validates every result with the testkit's model;
// fuzz_tracker_concurrent runs the decoded operations on three threads (a
// reader with the claims, a splitter with the splits, a monitor with the
// progress queries) and checks that the history is linearizable. On a
// violation both print the decoded scenario as C++ and the rule broken, then
// abort, so that libFuzzer records the input and a human can read it.
//
// One line defines a fuzzer for any tracker:
//
//   SPLITCHECK_TRACKER_FUZZER(std::int64_t, MakeTracker,
//                             splitcheck::fuzz::offset_bytes(),
//                             splitcheck::testkit::offset_positions());
//
// where MakeTracker(start, stop) returns a std::unique_ptr to the tracker.
// Build it with splitcheck_tracker_fuzz_test (bazel/fuzz.bzl).

#ifndef SPLITCHECK_FUZZ_TRACKER_FUZZER_H_
#define SPLITCHECK_FUZZ_TRACKER_FUZZER_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "splitcheck/fuzz/scenario_codec.h"
#include "splitcheck/lib/internal/no_fuzz_coverage.h"
#include "splitcheck/testkit/check_result.h"
#include "splitcheck/testkit/tracker/tracker_contract.h"
#ifdef SPLITCHECK_CONTRACT_TEST
#include "splitcheck/testkit/mutation_analysis.h"
#endif

SPLITCHECK_BEGIN_NO_FUZZ_COVERAGE

namespace splitcheck::fuzz {

// Prints `report` to stderr and aborts.
[[noreturn]] void report_violation(const std::string& report);

// Defined by SPLITCHECK_TRACKER_FUZZER and its variants when compiled with
// SPLITCHECK_CONTRACT_TEST: the tracker contract check of the fuzzed tracker
// (seed 0: $SPLITCHECK_SEED or a random seed).
testkit::CheckResult registered_tracker_contract(std::uint64_t seed = 0);

#ifdef SPLITCHECK_CONTRACT_TEST
// Likewise: the mutation analysis of that check on the fuzzed tracker
// (testkit/mutation_analysis.h), for a <name>_mutants test.
testkit::MutationReport registered_tracker_mutation_analysis(std::uint64_t seed = 0);
#endif

template <typename P>
int fuzz_tracker_sequential(const std::uint8_t* data, std::size_t size,
                            const testkit::TrackerFactory<P>& factory, const ByteDomain<P>& bytes,
                            const testkit::PositionDomain<P>& positions,
                            const testkit::TrackerContractOptions& options = {}) {
  // Storage reused across executions: under AddressSanitizer an allocation
  // costs more than the rest of a typical execution.
  thread_local std::vector<testkit::TrackerOp<P>> spare_ops;
  thread_local testkit::ScenarioBuffers<P> buffers;
  testkit::TrackerScenario<P> scenario =
      decode_scenario(data, size, bytes, kMaxOps, std::move(spare_ops));
  testkit::TrackerContractOptions run_options = options;
  if (!run_options.max_misuses) run_options.max_misuses = 1;  // see TrackerContractOptions
  std::optional<std::string> violation;
  try {
    violation = testkit::check_tracker_scenario(factory, positions, scenario, run_options, nullptr,
                                                buffers);
  } catch (const std::exception& e) {
    violation = std::string("the factory threw on a valid range: ") + e.what() + "\n" +
                testkit::to_cpp(scenario, positions);
  }
  // Free what this execution allocated before it returns, keeping the
  // capacity: libFuzzer runs an input again (looking for a leak) when it
  // allocated more than it freed.
  scenario.ops.clear();
  spare_ops = std::move(scenario.ops);
  if (violation) report_violation("tracker contract violated (sequential)\n" + *violation);
  return 0;
}

template <typename P>
int fuzz_tracker_concurrent(const std::uint8_t* data, std::size_t size,
                            const testkit::TrackerFactory<P>& factory, const ByteDomain<P>& bytes,
                            const testkit::PositionDomain<P>& positions,
                            const testkit::TrackerContractOptions& options = {},
                            int repetitions = 3) {
  using testkit::TrackerOpKind;
  const auto scenario = decode_scenario(data, size, bytes, 36);
  testkit::internal::ConcurrentCase<P> c{scenario.start, scenario.stop, {}, {{}, {}, {}}};
  for (const auto& op : scenario.ops) {
    switch (op.kind) {
      case TrackerOpKind::kTryClaim:
      case TrackerOpKind::kSetCurrentPosition:
        c.threads[0].push_back(op);
        break;
      case TrackerOpKind::kTrySplit:
      case TrackerOpKind::kPositionAtFraction:
        c.threads[1].push_back(op);
        break;
      case TrackerOpKind::kFractionConsumed:
      case TrackerOpKind::kSplitPoints:
        c.threads[2].push_back(op);
        break;
    }
  }
  testkit::internal::ModelOptions model_options = testkit::internal::model_options(options);
  model_options.check_monotone_positions = false;
  const testkit::internal::TrackerModel<P> model(positions, model_options);
  for (int rep = 0; rep < repetitions; ++rep) {
    const auto history = testkit::internal::record_history(factory, c);
    testkit::internal::LinearizabilitySearch<P> search(model, history);
    if (!search.run(model.initial(c.start, c.stop)).linearizable) {
      report_violation("tracker contract violated (no linearization of this history)\n" +
                       testkit::internal::history_to_string(history, positions) +
                       "operations as decoded:\n" + testkit::to_cpp(scenario, positions));
    }
  }
  return 0;
}

}  // namespace splitcheck::fuzz

SPLITCHECK_END_NO_FUZZ_COVERAGE

// Defines LLVMFuzzerTestOneInput for a sequential fuzzer of `make_tracker`.
#define SPLITCHECK_TRACKER_FUZZER(P, make_tracker, byte_domain, position_domain)                \
  SPLITCHECK_TRACKER_FUZZER_WITH_OPTIONS(fuzz_tracker_sequential, P, make_tracker, byte_domain, \
                                         position_domain, {})

// The same, checking linearizability of the operations run on three threads.
#define SPLITCHECK_CONCURRENT_TRACKER_FUZZER(P, make_tracker, byte_domain, position_domain)     \
  SPLITCHECK_TRACKER_FUZZER_WITH_OPTIONS(fuzz_tracker_concurrent, P, make_tracker, byte_domain, \
                                         position_domain, {})

// Either harness, with TrackerContractOptions as a braced list (e.g.
// {.require_split_acceptance = false, .check_fraction_mapping = false} for a
// tracker that refuses every split).
//
// Compiled with SPLITCHECK_CONTRACT_TEST defined (splitcheck_tracker_fuzz_test
// does so for its <name>_contract test), each also defines
// registered_tracker_contract(), which runs the same tracker through
// RapidCheck's engine (check_tracker_contract: sequential scenarios with
// shrinking, then concurrent histories), so that one factory file serves both
// engines. The fuzzer's own build leaves it out: RapidCheck's generators and
// the linearizability search would double the coverage counters libFuzzer
// scans on every execution.
#define SPLITCHECK_TRACKER_FUZZER_WITH_OPTIONS(harness, P, make_tracker, byte_domain,  \
                                               position_domain, ...)                   \
  extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {  \
    static const ::splitcheck::testkit::TrackerFactory<P> factory =                    \
        [](const P& start, const P& stop) { return make_tracker(start, stop); };       \
    static const ::splitcheck::fuzz::ByteDomain<P> bytes = byte_domain;                \
    static const ::splitcheck::testkit::PositionDomain<P> positions = position_domain; \
    return ::splitcheck::fuzz::harness<P>(                                             \
        data, size, factory, bytes, positions,                                         \
        ::splitcheck::testkit::TrackerContractOptions __VA_ARGS__);                    \
  }                                                                                    \
  SPLITCHECK_TRACKER_CONTRACT_(P, make_tracker, position_domain, __VA_ARGS__)

#ifdef SPLITCHECK_CONTRACT_TEST
#define SPLITCHECK_TRACKER_CONTRACT_(P, make_tracker, position_domain, ...)                     \
  namespace splitcheck::fuzz::registered_tracker_ {                                             \
  inline ::splitcheck::testkit::TrackerFactory<P> factory() {                                   \
    return [](const P& start, const P& stop) { return make_tracker(start, stop); };             \
  }                                                                                             \
  inline ::splitcheck::testkit::TrackerContractOptions options(std::uint64_t seed) {            \
    ::splitcheck::testkit::TrackerContractOptions contract_options __VA_ARGS__;                 \
    contract_options.seed = seed;                                                               \
    return contract_options;                                                                    \
  }                                                                                             \
  }                                                                                             \
  ::splitcheck::testkit::CheckResult splitcheck::fuzz::registered_tracker_contract(             \
      std::uint64_t seed) {                                                                     \
    return ::splitcheck::testkit::check_tracker_contract<P>(                                    \
        registered_tracker_::factory(), position_domain, registered_tracker_::options(seed));   \
  }                                                                                             \
  ::splitcheck::testkit::MutationReport splitcheck::fuzz::registered_tracker_mutation_analysis( \
      std::uint64_t seed) {                                                                     \
    return ::splitcheck::testkit::analyze_tracker_gate<P>(                                      \
        registered_tracker_::factory(), position_domain, registered_tracker_::options(seed));   \
  }
#else
#define SPLITCHECK_TRACKER_CONTRACT_(P, make_tracker, position_domain, ...)
#endif

#endif  // SPLITCHECK_FUZZ_TRACKER_FUZZER_H_
