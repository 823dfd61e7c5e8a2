#include "splitcheck/lib/runner/write_policy.h"

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/seeded_hash.h"

namespace splitcheck {
namespace {

using internal::mix64;
using internal::unit_interval;

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
      mix64(seed_ ^ mix64(static_cast<std::uint64_t>(attempt.bundle) * 1000003 +
                          static_cast<std::uint64_t>(attempt.attempt) * 2 + attempt.speculative));
  if (unit_interval(h) >= failure_probability_) return false;
  const auto at =
      static_cast<std::int64_t>(mix64(h) % static_cast<std::uint64_t>(attempt.bundle_records + 1));
  return attempt.records_written == at;
}

bool SeededWritePolicy::duplicate(std::int64_t bundle) const {
  return unit_interval(mix64(seed_ ^ 0x5eed ^ mix64(static_cast<std::uint64_t>(bundle)))) <
         duplicate_probability_;
}

}  // namespace splitcheck
