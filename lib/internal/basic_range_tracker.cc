#include "splitcheck/lib/internal/basic_range_tracker.h"

namespace splitcheck::internal {

void check_fraction(std::string_view tracker, std::string_view method, double fraction) {
  if (fraction >= 0.0 && fraction <= 1.0) return;
  throw UsageError(str_cat(tracker, ": ", method, "(", describe_double(fraction),
                           "): a fraction must be a number in [0, 1]"));
}

}  // namespace splitcheck::internal
