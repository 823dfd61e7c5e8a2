#include "splitcheck/lib/internal/describe.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "gtest/gtest.h"

namespace splitcheck::internal {
namespace {

TEST(DescribeBytesTest, QuotesAndEscapes) {
  EXPECT_EQ(describe_bytes("abc"), "\"abc\"");
  EXPECT_EQ(describe_bytes(std::string("a\0\xff\"\\", 5)), "\"a\\x00\\xff\\\"\\\\\"");
  EXPECT_EQ(describe_bytes(""), "\"\"");
}

TEST(DescribeBytesTest, CutsLongStringsAndStatesTheirSize) {
  EXPECT_EQ(describe_bytes(std::string(1 << 20, 'k'), 4), "\"kkkk\"...(1048576 bytes)");
}

TEST(DescribeDoubleTest, ShortestRoundTrip) {
  EXPECT_EQ(describe_double(0.5), "0.5");
  EXPECT_EQ(describe_double(0.1), "0.1");
  EXPECT_EQ(describe_double(std::nextafter(1.0, 2.0)), "1.0000000000000002");
  EXPECT_EQ(describe_double(std::nan("")), "nan");
  EXPECT_EQ(describe_double(-std::numeric_limits<double>::infinity()), "-inf");
  EXPECT_EQ(describe_double(1e300), "1e+300");
  EXPECT_EQ(describe_double(-2.5e-7), "-2.5e-07");
  EXPECT_EQ(describe_double(123456.0), "123456");
  EXPECT_EQ(describe_double(-std::numeric_limits<double>::denorm_min()), "-5e-324");
  EXPECT_EQ(describe_double(std::numeric_limits<double>::max()), "1.7976931348623157e+308");
}

TEST(InlineTextTest, HoldsAnyIntegerAndCutsLongText) {
  EXPECT_EQ(std::string_view(InlineText(std::numeric_limits<std::int64_t>::min())),
            "-9223372036854775808");
  EXPECT_EQ(std::string_view(InlineText(std::int64_t{0})), "0");
  EXPECT_EQ(std::string_view(InlineText("inf")), "inf");
  EXPECT_EQ(std::string_view(InlineText(std::string(40, 'x'))),
            std::string(InlineText::kCapacity, 'x'));
  EXPECT_EQ(str_cat("[", InlineText(std::int64_t{42}), ", ", InlineText("inf"), ")"), "[42, inf)");
}

TEST(StrCatTest, JoinsAnythingViewable) {
  const std::string owned = "b";
  EXPECT_EQ(str_cat("a", owned, std::string_view("c"), std::string("d")), "abcd");
  EXPECT_EQ(str_cat(), "");
  EXPECT_EQ(str_cat(std::string(100, 'x'), "y").size(), 101u);
}

}  // namespace
}  // namespace splitcheck::internal
