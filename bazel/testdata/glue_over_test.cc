// Too much glue: many includes and helpers outside the factory.
#include <memory>
#include <string>
#include <vector>

#include "a.h"
#include "splitcheck/testkit/gtest.h"

namespace a {
namespace {

// splitcheck-glue: factory
std::shared_ptr<Source> MakeSource() { return std::make_shared<Source>(); }
// splitcheck-glue: end

int helper() { return 1; }

SPLITCHECK_SOURCE_CONFORMANCE_TEST(Source, MakeSource);

}  // namespace
}  // namespace a
