#include "splitcheck/lib/internal/describe.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

#include "gtest/gtest.h"

// A user's record types, in a namespace of their own.
namespace user {

struct Customized {
  int id = 0;
};
std::string splitcheck_describe(const Customized& c) {
  return "Customized#" + std::to_string(c.id);
}

struct Streamed {
  int id = 0;
  friend std::ostream& operator<<(std::ostream& os, const Streamed& s) {
    return os << "Streamed(" << s.id << ")";
  }
};

// Both: the customization point wins.
struct Both {
  friend std::ostream& operator<<(std::ostream& os, const Both&) { return os << "stream"; }
};
std::string splitcheck_describe(const Both&) { return "custom"; }

struct Plain {
  std::int32_t a = 0;
  std::uint16_t b = 0, c = 0;
};

enum class Colour { kRed = 2 };

// Padding and no way to print: describe_value does not compile for it.
struct Padded {
  char c = 0;
  double d = 0;
};

}  // namespace user

namespace splitcheck::internal {
namespace {

// The rows of a CSV source printed `<value>` before: no record prints so.
TEST(DescribeValueTest, ContainersOfRecordsPrintTheirElements) {
  const std::vector<std::string> row{"id 3", "na\"me", std::string("\0", 1)};
  EXPECT_EQ(describe_value(row), "[\"id 3\", \"na\\\"me\", \"\\x00\"]");
  EXPECT_EQ(describe_value(std::vector<int>{}), "[]");
  EXPECT_EQ(describe_value(std::set<int>{3, 1}), "[1, 3]");
  EXPECT_EQ(describe_value(std::map<std::string, int>{{"a", 1}}), "[{\"a\", 1}]");
  EXPECT_EQ(describe_value(std::vector<std::vector<int>>{{1}, {2, 3}}), "[[1], [2, 3]]");
}

TEST(DescribeValueTest, LongRangesShowTheirFirstElementsAndCount) {
  const std::string shown = describe_value(std::vector<int>(100, 7));
  EXPECT_EQ(shown.substr(shown.size() - 21), "7, ...(100 elements)]");
}

TEST(DescribeValueTest, PairsTuplesOptionalsAndVariants) {
  EXPECT_EQ(describe_value(std::pair<std::string, int>{"k", 2}), "{\"k\", 2}");
  EXPECT_EQ(describe_value(std::tuple<int, bool, double>{1, true, 0.5}), "{1, true, 0.5}");
  EXPECT_EQ(describe_value(std::optional<int>{}), "nullopt");
  EXPECT_EQ(describe_value(std::optional<std::string>{"x"}), "\"x\"");
  EXPECT_EQ(describe_value(std::variant<int, std::string>{"v"}), "\"v\"");
  EXPECT_EQ(describe_value('a'), "\"a\"");
  EXPECT_EQ(describe_value(user::Colour::kRed), "2");
}

TEST(DescribeValueTest, UserTypesPrintThroughTheCustomizationPointOrStreaming) {
  EXPECT_EQ(describe_value(user::Customized{7}), "Customized#7");
  EXPECT_EQ(describe_value(user::Streamed{8}), "Streamed(8)");
  EXPECT_EQ(describe_value(user::Both{}), "custom");
  EXPECT_EQ(describe_value(std::vector<user::Customized>{{1}, {2}}),
            "[Customized#1, Customized#2]");
}

TEST(DescribeValueTest, AnythingElseWithoutPaddingPrintsItsBytes) {
  user::Plain p;
  p.a = 1;
  p.b = 0xabcd;
  EXPECT_EQ(describe_value(p), "<8 bytes: 01000000cdab0000>");
}

// A type with padding bytes (whose values are unspecified) and no printing
// is a compile-time error naming the fix, not a message of noise.
static_assert(!Describable<user::Padded>);
static_assert(Describable<std::vector<user::Customized>>);

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
