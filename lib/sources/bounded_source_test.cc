// SourceBundle: equal when it names the same source object with the same
// bounds as written (the weight, an estimate, ignored); no == for a
// Position without one; described as "<source> [start, stop)".

#include "splitcheck/lib/sources/bounded_source.h"

#include <gtest/gtest.h>

#include <concepts>
#include <cstdint>
#include <memory>
#include <vector>

#include "splitcheck/lib/internal/in_memory_source.h"

namespace splitcheck {
namespace {

using Bundle = SourceBundle<std::int64_t>;

TEST(SourceBundleTest, EqualWhenTheSameSourceAndBounds) {
  const auto a =
      std::make_shared<internal::InMemorySource<std::int64_t>>(std::vector<std::int64_t>{1, 2, 3});
  const auto b =
      std::make_shared<internal::InMemorySource<std::int64_t>>(std::vector<std::int64_t>{1, 2, 3});
  EXPECT_EQ((Bundle{1.0, a, 0, 2}), (Bundle{0.25, a, 0, 2}));  // weight ignored
  EXPECT_NE((Bundle{1.0, a, 0, 2}), (Bundle{1.0, b, 0, 2}));   // another object
  EXPECT_NE((Bundle{1.0, a, 0, 2}), (Bundle{1.0, a, 1, 2}));
  EXPECT_NE((Bundle{1.0, a, 0, 2}), (Bundle{1.0, a, 0, std::nullopt}));  // as written
}

struct NoEquality {};
static_assert(!std::equality_comparable<SourceBundle<int, NoEquality>>);
static_assert(std::equality_comparable<Bundle>);

TEST(SourceBundleTest, Described) {
  const auto a =
      std::make_shared<internal::InMemorySource<std::int64_t>>(std::vector<std::int64_t>{1, 2, 3});
  EXPECT_EQ(splitcheck_describe(Bundle{1.0, a, 1, std::nullopt}),
            "InMemorySource(3 records) [1, its stop)");
  EXPECT_EQ(splitcheck_describe(Bundle{}), "a null source [its start, its stop)");
}

}  // namespace
}  // namespace splitcheck
