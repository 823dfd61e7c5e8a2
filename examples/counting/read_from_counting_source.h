// ReadFromCountingSource(count): reads the integers [0, count).
//
// The user-facing transform of the counting example: run it with any runner,
// e.g. LocalRunner().run(ReadFromCountingSource(1'000'000)).

#ifndef SPLITCHECK_EXAMPLES_COUNTING_READ_FROM_COUNTING_SOURCE_H_
#define SPLITCHECK_EXAMPLES_COUNTING_READ_FROM_COUNTING_SOURCE_H_

#include <cstdint>
#include <memory>

#include "splitcheck/examples/counting/counting_source.h"
#include "splitcheck/lib/sources/read.h"

namespace splitcheck::examples {

// Throws UsageError for a negative count.
inline Read<std::int64_t> ReadFromCountingSource(std::int64_t count) {
  return Read<std::int64_t>(std::make_shared<internal::CountingSource>(count));
}

}  // namespace splitcheck::examples

#endif  // SPLITCHECK_EXAMPLES_COUNTING_READ_FROM_COUNTING_SOURCE_H_
