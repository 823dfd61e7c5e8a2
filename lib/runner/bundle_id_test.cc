#include "splitcheck/lib/runner/bundle_id.h"

#include <algorithm>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/testkit/error_matchers.h"

namespace splitcheck {
namespace {

using ::testing::HasSubstr;
using testkit::UsageErrorOf;

TEST(BundleIdTest, ComponentsCompareNumerically) {
  EXPECT_TRUE(bundle_id_less("2.9", "2.10"));
  EXPECT_TRUE(bundle_id_less("2", "2.1"));
  EXPECT_TRUE(bundle_id_less("2.1.5", "10"));
  EXPECT_TRUE(bundle_id_less("9", "10"));
  EXPECT_FALSE(bundle_id_less("10", "9"));
  EXPECT_FALSE(bundle_id_less("2.1", "2"));
  EXPECT_FALSE(bundle_id_less("3", "3"));
  EXPECT_FALSE(bundle_id_less("3.0.1", "3.0.1"));
}

TEST(BundleIdTest, SortsIntoReadOrder) {
  std::vector<std::string> ids = {"1", "0.10", "0.2", "0", "0.1.1", "0.1", "18446744073709551615"};
  std::sort(ids.begin(), ids.end(),
            [](const std::string& a, const std::string& b) { return bundle_id_less(a, b); });
  EXPECT_EQ(ids, (std::vector<std::string>{"0", "0.1", "0.1.1", "0.2", "0.10", "1",
                                           "18446744073709551615"}));
}

TEST(BundleIdTest, AnIdThatIsNotDottedDecimalsIsAUsageError) {
  for (const char* bad : {"", ".", "1.", ".1", "1..2", "a", "1.x", "-1", "18446744073709551616"}) {
    EXPECT_THAT(UsageErrorOf([&] { bundle_id_less(bad, "1"); }),
                HasSubstr("bundle id \"" + std::string(bad) + "\""))
        << bad;
    EXPECT_THAT(UsageErrorOf([&] { bundle_id_less("1", bad); }),
                HasSubstr("bundle id \"" + std::string(bad) + "\""))
        << bad;
  }
  // Also when the other id decides the order first.
  EXPECT_THAT(UsageErrorOf([] { bundle_id_less("0", "1.x"); }), HasSubstr("\"1.x\""));
  EXPECT_THAT(UsageErrorOf([] { bundle_id_less("1", "1.x"); }), HasSubstr("\"1.x\""));
}

}  // namespace
}  // namespace splitcheck
