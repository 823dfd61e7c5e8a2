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
// Build it with splitcheck_tracker_fuzz_test (bazel/fuzz.bzl), which
// compiles the file once and links it into the corpus replay, the fuzzer,
// and the contract and mutation tests that run the same tracker through
// RapidCheck.
//
// A file (or a binary) may hold several such lines: a sequential and a
// concurrent fuzzer of one tracker, one tracker with two sets of options,
// two trackers. Each registers a fuzz target; the binary's
// LLVMFuzzerTestOneInput (tracker_fuzz_entry.cc) runs every input through
// all of them, or through the one $SPLITCHECK_FUZZ_TARGET names, and the
// contract test checks each distinct (tracker, options) once.
//
// Under --config=libfuzzer the checker carries no coverage instrumentation:
// its headers are no-coverage regions (SPLITCHECK_BEGIN_NO_FUZZ_COVERAGE),
// RapidCheck is included inside one, and the factory file is compiled with
// fuzz/coverage_ignorelist.inc for the library templates instantiated for
// their types (for offsets and keys the check is compiled once, in the
// testkit); the offset fuzzer has 1,155 counters, against 1,290 when the
// contract check was compiled apart (docs/fuzzing.md).

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
#include "splitcheck/testkit/mutation_analysis.h"
#include "splitcheck/testkit/tracker/tracker_contract.h"

SPLITCHECK_BEGIN_NO_FUZZ_COVERAGE

namespace splitcheck::fuzz {

// Prints `report` to stderr, with the fuzz target it came from when the
// binary holds several, and aborts.
[[noreturn]] void report_violation(const std::string& report);

// One SPLITCHECK_*TRACKER_FUZZER line: a harness over one tracker factory
// with one set of options, and the same tracker's contract check and
// mutation analysis through RapidCheck.
struct RegisteredTracker {
  // Filled by the macros from their arguments' spelling.
  std::string make_tracker;  // "MakeTracker"
  std::string harness;       // "fuzz_tracker_sequential" or "fuzz_tracker_concurrent"
  std::string options;       // "{}" or "{.max_misuses = 2}"
  int (*fuzz)(const std::uint8_t* data, std::size_t size) = nullptr;
  // Seed 0: $SPLITCHECK_SEED or a random seed.
  testkit::CheckResult (*contract)(std::uint64_t seed) = nullptr;
  testkit::MutationReport (*mutation_analysis)(std::uint64_t seed) = nullptr;

  // "MakeTracker", "MakeTracker/concurrent", "MakeTracker/{.max_misuses=2}".
  std::string name() const;
  // What the contract check depends on (the factory and the options, not
  // the harness): a sequential and a concurrent fuzzer of one tracker share
  // their contract.
  std::string contract_key() const;
};

// Adds `tracker` to this binary's fuzz targets; returns true. Called by the
// macros during static initialization.
bool register_tracker(RegisteredTracker tracker);

// This binary's fuzz targets, in registration order.
const std::vector<RegisteredTracker>& registered_trackers();

// The fuzz targets an input is run through: all of them, or the one that
// $SPLITCHECK_FUZZ_TARGET names. A name that matches none is an error
// listing the names (std::invalid_argument).
std::vector<const RegisteredTracker*> selected_trackers();

// The registered trackers with distinct contract_key(), in order: what a
// <name>_contract or <name>_mutants test runs.
std::vector<const RegisteredTracker*> distinct_contracts();

namespace internal {
// The fuzz target the current input runs through (set by
// tracker_fuzz_entry.cc), which report_violation names.
extern const RegisteredTracker* current_fuzz_target;
}  // namespace internal

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

// Registers a sequential fuzzer of `make_tracker` (and its contract check).
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
// Each line registers one fuzz target (RegisteredTracker) at static
// initialization: a file, or a binary, may hold several, at namespace scope
// outside any function. The fuzz target's name is the make_tracker
// expression, "/concurrent" for the concurrent harness, and "/" and the
// options when there are any (spaces dropped): "MakeTracker",
// "MakeTracker/concurrent", "MakeTracker/{.max_misuses=2}".
#define SPLITCHECK_TRACKER_FUZZER_WITH_OPTIONS(harness, P, make_tracker, byte_domain,             \
                                               position_domain, ...)                              \
  SPLITCHECK_TRACKER_FUZZER_AT_(SPLITCHECK_FUZZ_CAT_(splitcheck_fuzz_target_, __LINE__), harness, \
                                P, make_tracker, byte_domain, position_domain, __VA_ARGS__)

#define SPLITCHECK_FUZZ_CAT_(a, b) SPLITCHECK_FUZZ_CAT2_(a, b)
#define SPLITCHECK_FUZZ_CAT2_(a, b) a##b

#define SPLITCHECK_TRACKER_FUZZER_AT_(id, harness, P, make_tracker, byte_domain, position_domain, \
                                      ...)                                                        \
  namespace {                                                                                     \
  namespace id {                                                                                  \
  ::splitcheck::testkit::TrackerFactory<P> factory() {                                            \
    return [](const P& start, const P& stop) { return make_tracker(start, stop); };               \
  }                                                                                               \
  ::splitcheck::testkit::TrackerContractOptions options(std::uint64_t seed) {                     \
    ::splitcheck::testkit::TrackerContractOptions contract_options __VA_ARGS__;                   \
    contract_options.seed = seed;                                                                 \
    return contract_options;                                                                      \
  }                                                                                               \
  int fuzz(const std::uint8_t* data, std::size_t size) {                                          \
    static const ::splitcheck::testkit::TrackerFactory<P> tracker_factory = factory();            \
    static const ::splitcheck::fuzz::ByteDomain<P> bytes = byte_domain;                           \
    static const ::splitcheck::testkit::PositionDomain<P> positions = position_domain;            \
    return ::splitcheck::fuzz::harness<P>(data, size, tracker_factory, bytes, positions,          \
                                          options(0));                                            \
  }                                                                                               \
  ::splitcheck::testkit::CheckResult contract(std::uint64_t seed) {                               \
    return ::splitcheck::testkit::check_tracker_contract<P>(factory(), position_domain,           \
                                                            options(seed));                       \
  }                                                                                               \
  ::splitcheck::testkit::MutationReport mutants(std::uint64_t seed) {                             \
    return ::splitcheck::testkit::analyze_tracker_gate<P>(factory(), position_domain,             \
                                                          options(seed));                         \
  }                                                                                               \
  [[maybe_unused]] const bool registered = ::splitcheck::fuzz::register_tracker(                  \
      {#make_tracker, #harness, #__VA_ARGS__, &fuzz, &contract, &mutants});                       \
  }                                                                                               \
  }

#endif  // SPLITCHECK_FUZZ_TRACKER_FUZZER_H_
