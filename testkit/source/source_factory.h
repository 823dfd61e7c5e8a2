// SourceFactory<T, P>: how the checks get a source, a function returning a
// fresh one on every call.
//
//   const SourceFactory<std::string, ConcatPosition<std::int64_t>> make = [] {
//     return std::make_shared<const TextSource>("logs/*.txt", TextSourceOptions{});
//   };
//
// Checks that need a second, independent source (hygiene's "copy", the
// mutation analysis's mutants) call it more than once; the sources it
// returns must be equal (read the same records), not the same object.

#ifndef SPLITCHECK_TESTKIT_SOURCE_SOURCE_FACTORY_H_
#define SPLITCHECK_TESTKIT_SOURCE_SOURCE_FACTORY_H_

#include <functional>
#include <memory>

#include "splitcheck/lib/sources/bounded_source.h"

namespace splitcheck::testkit {

template <typename T, typename P>
using SourceFactory = std::function<std::shared_ptr<const BoundedSource<T, P>>()>;

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_SOURCE_SOURCE_FACTORY_H_
