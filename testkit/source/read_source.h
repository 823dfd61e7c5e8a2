// Reading helpers: what a source yields for a range, read the plain way.
//
//   read_from_source(source)               the whole source
//   read_from_source(source, start, stop)  the range [start, stop)
//   read_bundles(bundles)                  each bundle's range, one after another
//
// Each makes a fresh tracker with get_range_tracker and drains read(). Errors
// the source throws pass through unchanged.

#ifndef SPLITCHECK_TESTKIT_SOURCE_READ_SOURCE_H_
#define SPLITCHECK_TESTKIT_SOURCE_READ_SOURCE_H_

#include <optional>
#include <type_traits>
#include <vector>

#include "splitcheck/lib/error.h"
#include "splitcheck/lib/sources/bounded_source.h"

namespace splitcheck::testkit {

template <typename T, typename P>
std::vector<T> read_from_source(const BoundedSource<T, P>& source,
                                std::type_identity_t<std::optional<P>> start = std::nullopt,
                                std::type_identity_t<std::optional<P>> stop = std::nullopt) {
  auto tracker = source.get_range_tracker(std::move(start), std::move(stop));
  if (tracker == nullptr) {
    throw UsageError(source.debug_string() + ": get_range_tracker returned null");
  }
  std::vector<T> records;
  for (T& record : source.read(*tracker)) records.push_back(std::move(record));
  return records;
}

template <typename T, typename P>
std::vector<T> read_bundles(const std::vector<SourceBundle<T, P>>& bundles) {
  std::vector<T> records;
  for (const SourceBundle<T, P>& bundle : bundles) {
    if (bundle.source == nullptr) throw UsageError("read_bundles: a bundle has a null source");
    for (T& record : read_from_source(*bundle.source, bundle.start, bundle.stop)) {
      records.push_back(std::move(record));
    }
  }
  return records;
}

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_SOURCE_READ_SOURCE_H_
