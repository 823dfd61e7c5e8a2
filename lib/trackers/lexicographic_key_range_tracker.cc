#include "splitcheck/lib/trackers/lexicographic_key_range_tracker.h"

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/describe.h"
#include "splitcheck/lib/internal/key_arithmetic.h"

namespace splitcheck::internal {

void LexicographicKeyDomain::validate_range(const std::string& start,
                                            const std::string& stop) const {
  if (!stop.empty() && stop < start) {
    throw UsageError(std::string(kName) + "[" + describe(start) + ", " + describe_stop(stop) +
                     "): the start must not be after the stop");
  }
}

double LexicographicKeyDomain::to_fraction(const std::string& key, const std::string& start,
                                           const std::string& stop) const {
  return key_to_fraction(key, start, stop);
}

std::string LexicographicKeyDomain::from_fraction(double fraction, const std::string& start,
                                                  const std::string& stop) const {
  return fraction_to_key(fraction, start, stop);
}

std::string LexicographicKeyDomain::describe(const std::string& key) const {
  return describe_bytes(key);
}

template class BasicRangeTracker<LexicographicKeyDomain>;

}  // namespace splitcheck::internal
