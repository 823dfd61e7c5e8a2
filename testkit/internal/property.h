// RapidCheck plumbing shared by the testkit's randomised checks: run a
// property with a given seed and number of cases and get the shrunk
// counterexample back as text instead of printed; choose a seed; bound the
// size of generated vectors. Internal to the testkit.

#ifndef SPLITCHECK_TESTKIT_INTERNAL_PROPERTY_H_
#define SPLITCHECK_TESTKIT_INTERNAL_PROPERTY_H_

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/testkit/internal/rapidcheck_no_coverage.h"

namespace splitcheck::testkit::internal {

// Vectors of at most `max` elements; shrinking drops any element.
template <typename T>
rc::Gen<std::vector<T>> up_to(int max, rc::Gen<T> element) {
  return rc::gen::map(rc::gen::container<std::vector<T>>(std::move(element)),
                      [max](std::vector<T> v) {
                        if (v.size() > static_cast<std::size_t>(max))
                          v.resize(static_cast<std::size_t>(max));
                        return v;
                      });
}

// RapidCheck's description of an RC_FAIL starts with the file, line and
// macro call; keep only the message.
inline std::string failure_message(const std::string& description) {
  const auto macro = description.find("RC_FAIL(");
  if (macro == std::string::npos) return description;
  const auto body = description.find("\n\n", macro);
  return body == std::string::npos ? description : description.substr(body + 2);
}

// $SPLITCHECK_SEED, else a random seed, unless `seed` is set.
inline std::uint64_t resolve_seed(std::uint64_t seed) {
  if (seed != 0) return seed;
  if (const char* env = std::getenv("SPLITCHECK_SEED")) return std::strtoull(env, nullptr, 10);
  std::random_device random;
  return (static_cast<std::uint64_t>(random()) << 32) ^ random();
}

// RapidCheck prints "Using configuration: seed=..." to std::cerr the first
// time its global configuration loads. The checks never use that seed (each
// passes its own, printed in its result), so the line would be a second seed
// that replays nothing: it is loaded here once with std::cerr silenced,
// unless RC_PARAMS is set (then whoever set it wants to see it).
inline void load_rapidcheck_configuration_quietly() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (std::getenv("RC_PARAMS") != nullptr) return;
    std::streambuf* const saved = std::cerr.rdbuf(nullptr);
    try {
      rc::detail::configuration();
    } catch (...) {
      std::cerr.rdbuf(saved);
      throw;
    }
    std::cerr.rdbuf(saved);
  });
}

struct PropertyOutcome {
  bool failed = false;
  bool gave_up = false;
  std::string counterexample;  // shrunk values that can be shown, then the failure
};

// Runs `testable` (a RapidCheck property body) on `runs` cases with `seed`.
template <typename Testable>
PropertyOutcome run_property(Testable&& testable, std::uint64_t seed, int runs) {
  load_rapidcheck_configuration_quietly();
  rc::detail::TestParams params;
  params.seed = seed;
  params.maxSuccess = runs;
  params.maxSize = 100;
  const auto checked = rc::detail::checkTestable(std::forward<Testable>(testable),
                                                 rc::detail::TestMetadata{}, params);
  PropertyOutcome out;
  rc::detail::FailureResult failure;
  rc::detail::GaveUpResult gave_up;
  if (checked.match(failure)) {
    out.failed = true;
    std::ostringstream text;
    for (const auto& [name, value] : failure.counterExample) {
      // RapidCheck shows a value it cannot print as three question marks in
      // angle brackets; leave those out.
      if (value.find("<?"
                     "?"
                     "?>") == std::string::npos)
        text << value << "\n";
    }
    text << failure_message(failure.description);
    out.counterexample = text.str();
  } else if (checked.match(gave_up)) {
    out.gave_up = true;
    out.counterexample = gave_up.description;
  }
  return out;
}

}  // namespace splitcheck::testkit::internal

#endif  // SPLITCHECK_TESTKIT_INTERNAL_PROPERTY_H_
