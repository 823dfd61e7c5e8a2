#include "splitcheck/lib/error.h"

#include <exception>
#include <stdexcept>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace splitcheck {
namespace {

std::exception_ptr thrown(auto error) { return std::make_exception_ptr(error); }

TEST(ErrorTest, OnlyErrorsThatFailAgainAreNotRetryable) {
  EXPECT_FALSE(retryable(UsageError("claims must increase")));
  EXPECT_FALSE(retryable(InternalError("a bundle ended without a result")));
  EXPECT_FALSE(retryable(CorruptDataError("corrupt gzip data")));
  EXPECT_FALSE(retryable(MachineCrash("power lost at \"rename a -> b\"")));
  EXPECT_TRUE(retryable(InputError("no such file")));
  EXPECT_TRUE(retryable(InjectedFailure("injected failure")));
  EXPECT_TRUE(retryable(std::runtime_error("a connector's own error")));
}

TEST(ErrorTest, InFlightExceptionsAreJudgedTheSameWay) {
  EXPECT_FALSE(retryable(thrown(UsageError("x"))));
  EXPECT_FALSE(retryable(thrown(CorruptDataError("x"))));
  EXPECT_TRUE(retryable(thrown(InputError("x"))));
  EXPECT_TRUE(retryable(std::make_exception_ptr(42)));  // not a std::exception
}

TEST(ErrorTest, TheTaxonomyIsAHierarchyUnderError) {
  const CorruptDataError corrupt("x");
  EXPECT_NE(dynamic_cast<const InputError*>(&corrupt), nullptr);
  EXPECT_NE(dynamic_cast<const Error*>(&corrupt), nullptr);
  EXPECT_THAT(InternalError("an invariant").what(),
              ::testing::StartsWith("internal error (a bug in splitcheck"));
}

}  // namespace
}  // namespace splitcheck
