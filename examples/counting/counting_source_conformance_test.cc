// CountingSource through the whole source conformance battery: the gate a
// connector author puts in CI. Sharded by Bazel (shard_count in BUILD).

#include <cstdint>
#include <memory>

#include "gtest/gtest.h"
#include "splitcheck/examples/counting/counting_source.h"
#include "splitcheck/testkit/gtest.h"
#include "splitcheck/testkit/source_testkit.h"

namespace splitcheck::examples {
namespace {

std::shared_ptr<internal::CountingSource> MakeCountingSource() {
  return std::make_shared<internal::CountingSource>(300);
}

testkit::SourceConformanceOptions MakeOptions() {
  testkit::SourceConformanceOptions options;
  options.schedules.seed = 1;  // fixed, so that a cached pass means something
  return options;
}

SPLITCHECK_SOURCE_CONFORMANCE_TEST(CountingSourceConformance, MakeCountingSource, MakeOptions);

}  // namespace
}  // namespace splitcheck::examples
