// libFuzzer harnesses for the restriction trackers of splittable DoFns: the
// restriction tracker contract checker's model, fed by bytes instead of
// RapidCheck.
//
// One line defines a fuzzer for any tracker over a built-in restriction:
//
//   SPLITCHECK_RESTRICTION_TRACKER_FUZZER(MakeTracker,
//                                         splitcheck::testkit::offset_restrictions());
//
// where MakeTracker(const R& restriction, splitcheck::testkit::EndEstimate)
// returns a std::unique_ptr to the tracker (the estimate is for growable
// trackers; others ignore it). The input decodes (RestrictionDomain::decode,
// total) into a scenario that runs on a fresh tracker, every answer
// validated by the model; on a violation the harness prints the scenario as
// C++ with the broken rule and aborts, so that libFuzzer keeps the input and
// a human can read it. Build it as //fuzz's restriction tracker fuzzers are
// built (fuzz/BUILD: a cc_library with alwayslink, linked with :fuzz_main
// into a corpus replay test and a _run binary for --config=libfuzzer).

#ifndef SPLITCHECK_FUZZ_RESTRICTION_TRACKER_FUZZER_H_
#define SPLITCHECK_FUZZ_RESTRICTION_TRACKER_FUZZER_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "splitcheck/lib/internal/no_fuzz_coverage.h"
#include "splitcheck/testkit/sdf_testkit.h"

SPLITCHECK_BEGIN_NO_FUZZ_COVERAGE

namespace splitcheck::fuzz {

// The violation the input shows in the tracker, or nothing.
template <typename R, typename P>
std::optional<std::string> restriction_tracker_violation(
    const testkit::RestrictionTrackerFactory<R, P>& factory,
    const testkit::RestrictionDomain<R, P>& domain,
    const testkit::internal::RestrictionModel<R, P>& model, const std::uint8_t* data,
    std::size_t size) {
  const auto scenario = domain.decode(std::string_view(reinterpret_cast<const char*>(data), size));
  return testkit::check_restriction_scenario(factory, domain, model, scenario);
}

// The harness body: 0, or the violation printed and an abort.
template <typename R, typename P>
int fuzz_restriction_tracker(const testkit::RestrictionTrackerFactory<R, P>& factory,
                             const testkit::RestrictionDomain<R, P>& domain,
                             const testkit::internal::RestrictionModel<R, P>& model,
                             const std::uint8_t* data, std::size_t size) {
  if (auto violation = restriction_tracker_violation(factory, domain, model, data, size)) {
    std::fprintf(stderr, "restriction tracker contract violated (%s restrictions):\n%s\n",
                 domain.name.c_str(), violation->c_str());
    std::abort();
  }
  return 0;
}

// A factory from a function of (restriction, estimate).
template <typename R, typename P, typename Make>
testkit::RestrictionTrackerFactory<R, P> restriction_factory_of(
    const testkit::RestrictionDomain<R, P>&, Make make) {
  return [make](const R& r, testkit::EndEstimate e) { return make(r, std::move(e)); };
}

}  // namespace splitcheck::fuzz

SPLITCHECK_END_NO_FUZZ_COVERAGE

#define SPLITCHECK_RESTRICTION_TRACKER_FUZZER(make_tracker, domain_expression)                 \
  extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {          \
    static const auto splitcheck_domain = (domain_expression);                                 \
    static const auto splitcheck_model = splitcheck_domain.model({});                          \
    static const auto splitcheck_factory =                                                     \
        ::splitcheck::fuzz::restriction_factory_of(splitcheck_domain, make_tracker);           \
    return ::splitcheck::fuzz::fuzz_restriction_tracker(splitcheck_factory, splitcheck_domain, \
                                                        *splitcheck_model, data, size);        \
  }

#endif  // SPLITCHECK_FUZZ_RESTRICTION_TRACKER_FUZZER_H_
