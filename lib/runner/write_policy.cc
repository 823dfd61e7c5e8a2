#include "splitcheck/lib/runner/write_policy.h"

#include "splitcheck/lib/error.h"

namespace splitcheck {
namespace {

std::uint64_t mix(std::uint64_t x) {  // splitmix64's finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

double unit(std::uint64_t x) { return static_cast<double>(x >> 11) * 0x1.0p-53; }

}  // namespace

SeededWritePolicy::SeededWritePolicy(std::uint64_t seed, double failure_probability,
                                     double duplicate_probability)
    : seed_(seed),
      failure_probability_(failure_probability),
      duplicate_probability_(duplicate_probability) {
  for (const double p : {failure_probability, duplicate_probability}) {
    if (!(p >= 0.0 && p <= 1.0)) {
      throw UsageError("SeededWritePolicy: a probability must be in [0, 1]");
    }
  }
}

bool SeededWritePolicy::fail_attempt(const WriteAttempt& attempt) const {
  const std::uint64_t h =
      mix(seed_ ^ mix(static_cast<std::uint64_t>(attempt.bundle) * 1000003 +
                      static_cast<std::uint64_t>(attempt.attempt) * 2 + attempt.speculative));
  if (unit(h) >= failure_probability_) return false;
  const auto at =
      static_cast<std::int64_t>(mix(h) % static_cast<std::uint64_t>(attempt.bundle_records + 1));
  return attempt.records_written == at;
}

bool SeededWritePolicy::duplicate(std::int64_t bundle) const {
  return unit(mix(seed_ ^ 0x5eed ^ mix(static_cast<std::uint64_t>(bundle)))) <
         duplicate_probability_;
}

}  // namespace splitcheck
