// bundle_id_less: the order of the runner's bundle ids, the order in which
// ReadResult holds their records.
//
// LocalRunner names the bundles of split() "0", "1", ... and the residual of
// a dynamic split of bundle "b" "b.1", "b.2", ... in the order they were
// split off. A bundle's records come before those of its residuals, and
// those before the next bundle's: ids compare component by component,
// numerically ("0" < "0.1" < "0.1.1" < "0.2" < "0.10" < "1"). A ReadOutput
// that wants ReadResult's order sorts committed bundles with this.
//
// An id that is not one or more decimal components separated by dots (as
// the runner never makes) is a UsageError naming it.

#ifndef SPLITCHECK_LIB_RUNNER_BUNDLE_ID_H_
#define SPLITCHECK_LIB_RUNNER_BUNDLE_ID_H_

#include <string_view>

namespace splitcheck {

// Whether bundle `a`'s records come before bundle `b`'s. A strict weak order
// (usable with std::sort); no allocation.
bool bundle_id_less(std::string_view a, std::string_view b);

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_RUNNER_BUNDLE_ID_H_
