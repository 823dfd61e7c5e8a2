#include "splitcheck/lib/postgres/internal/pg_text_bound.h"

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace splitcheck::internal {
namespace {

bool is_text(const std::string& s) {
  for (std::size_t at = 0; at < s.size();) {
    const std::size_t n = utf8_sequence_length(s, at);
    if (n == 0) return false;
    at += n;
  }
  return true;
}

// Unsigned byte order.
bool at_least(const std::string& a, const std::string& b) {
  return std::lexicographical_compare(b.begin(), b.end(), a.begin(), a.end(),
                                      [](char x, char y) {
                                        return static_cast<unsigned char>(x) <
                                               static_cast<unsigned char>(y);
                                      }) ||
         a == b;
}

TEST(SmallestTextAtLeast, TextIsItsOwnBound) {
  const std::vector<std::string> texts = {"",     "a",           "abc",
                                          "\x01", "caf\xC3\xA9", "\xF4\x8F\xBF\xBF"};
  for (const std::string& s : texts) {
    EXPECT_EQ(smallest_text_at_least(s), s);
  }
}

TEST(SmallestTextAtLeast, KnownCases) {
  EXPECT_EQ(smallest_text_at_least(std::string("a\0", 2)), "a\x01");
  EXPECT_EQ(smallest_text_at_least("a\xC3"), "a\xC3\x80");
  EXPECT_EQ(smallest_text_at_least("a\x80"), "a\xC2\x80");
  EXPECT_EQ(smallest_text_at_least("a\xED\xA0\x80"), "a\xEE\x80\x80");  // a surrogate
  EXPECT_EQ(smallest_text_at_least("a\xFF"), "b");                      // past every character
  EXPECT_EQ(smallest_text_at_least("\xF4\x8F\xBF\xBF\xFF"), std::nullopt);
  EXPECT_EQ(smallest_text_at_least("\xF5"), std::nullopt);
}

// The contract, over random bounds made of bytes near every UTF-8 boundary
// and random text values made of characters near them: a value is >= the
// bound exactly when it is >= the rounded bound, and the rounded bound is
// text (or absent, when no value is >= the bound).
TEST(SmallestTextAtLeast, SelectsTheSameValuesAsTheBound) {
  const unsigned seed = std::random_device{}();
  std::printf("seed %u\n", seed);
  std::mt19937 rng(seed);
  const std::vector<unsigned char> bytes = {0x00, 0x01, 0x61, 0x7F, 0x80, 0xBF, 0xC0,
                                            0xC2, 0xC3, 0xDF, 0xE0, 0xED, 0xEE, 0xEF,
                                            0xF0, 0xF4, 0xF5, 0xFF, 0x8F, 0x9F, 0xA0};
  const std::vector<std::string> chars = {"\x01",
                                          "a",
                                          "\x7F",
                                          "\xC2\x80",
                                          "\xC3\xBF",
                                          "\xDF\xBF",
                                          "\xE0\xA0\x80",
                                          "\xED\x9F\xBF",
                                          "\xEE\x80\x80",
                                          "\xEF\xBF\xBF",
                                          "\xF0\x90\x80\x80",
                                          "\xF4\x8F\xBF\xBF"};
  std::vector<std::string> values;
  for (int i = 0; i < 400; ++i) {
    std::string v;
    const int n = static_cast<int>(rng() % 4);
    for (int k = 0; k < n; ++k) v += chars[rng() % chars.size()];
    values.push_back(v);
  }
  for (int i = 0; i < 3000; ++i) {
    std::string bound;
    const int n = static_cast<int>(rng() % 6);
    for (int k = 0; k < n; ++k) {
      if (rng() % 2) {
        bound += chars[rng() % chars.size()];
      } else {
        bound += static_cast<char>(bytes[rng() % bytes.size()]);
      }
    }
    const std::optional<std::string> rounded = smallest_text_at_least(bound);
    if (rounded) {
      ASSERT_TRUE(is_text(*rounded)) << "seed " << seed;
    }
    for (const std::string& v : values) {
      const bool expected = at_least(v, bound);
      const bool got = rounded && at_least(v, *rounded);
      ASSERT_EQ(got, expected) << "seed " << seed << ", bound of " << bound.size() << " bytes";
    }
  }
}

}  // namespace
}  // namespace splitcheck::internal
