#include "splitcheck/lib/trackers/offset_range_tracker.h"

#include <cmath>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/describe.h"

namespace splitcheck::internal {

void OffsetDomain::validate_range(std::int64_t start, std::int64_t stop) const {
  // The range is described only when it is wrong: trackers are built per
  // bundle and per fuzz execution, and the text costs allocations.
  const auto range = [&] {
    return str_cat(kName, "[", describe(start), ", ", describe_stop(stop), ")");
  };
  if (start < 0) throw UsageError(str_cat(range(), ": offsets must not be negative"));
  if (start > stop) throw UsageError(str_cat(range(), ": the start must not be after the stop"));
}

// Offsets are non-negative, so differences fit in int64 and are exact in a
// long double (64-bit mantissa on x86; elsewhere the result is clamped).
double OffsetDomain::to_fraction(std::int64_t position, std::int64_t start,
                                 std::int64_t stop) const {
  if (stop == start) return position > start ? 1.0 : 0.0;
  return static_cast<double>(static_cast<long double>(position - start) /
                             static_cast<long double>(stop - start));
}

// ceil(fraction * (stop - start)) exactly: fraction = m / 2^shift with m <
// 2^53, so the product m * span (< 2^116) fits in 128 bits.
std::int64_t OffsetDomain::from_fraction(double fraction, std::int64_t start,
                                         std::int64_t stop) const {
  if (fraction <= 0.0) return start;
  if (fraction >= 1.0) return stop;
  int exponent = 0;
  const double mantissa = std::frexp(fraction, &exponent);
  const auto m = static_cast<unsigned __int128>(std::ldexp(mantissa, 53));
  const int shift = 53 - exponent;  // > 53, since fraction < 1
  const unsigned __int128 product = m * static_cast<unsigned __int128>(stop - start);
  unsigned __int128 step = 0;
  if (shift >= 120) {
    step = product != 0 ? 1 : 0;  // product < 2^116 <= 2^shift
  } else {
    const unsigned __int128 unit = static_cast<unsigned __int128>(1) << shift;
    step = (product >> shift) + ((product & (unit - 1)) != 0 ? 1 : 0);
  }
  return start + static_cast<std::int64_t>(step);
}

InlineText OffsetDomain::describe_stop(std::int64_t stop) const {
  return stop == kOffsetInfinity ? InlineText("inf") : InlineText(stop);
}

template class BasicRangeTracker<OffsetDomain>;

}  // namespace splitcheck::internal
