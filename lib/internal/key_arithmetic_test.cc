#include "splitcheck/lib/internal/key_arithmetic.h"

#include <algorithm>
#include <cmath>
#include <ostream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "rapidcheck/gtest.h"

namespace splitcheck::internal {
namespace {

// Keys over a small alphabet that includes 0x00 and 0xff, so that trailing
// zeros, carries and adjacent keys come up often.
rc::Gen<std::string> small_keys() {
  return rc::gen::container<std::string>(
      rc::gen::element('\0', '\x01', 'a', 'b', '\x7f', '\x80', '\xfe', '\xff'));
}

// A range [start, stop) with start <= stop, or stop empty (the end).
struct KeyRange {
  std::string start;
  std::string stop;
};

void showValue(const KeyRange& r, std::ostream& os) {
  os << "[";
  rc::show(r.start, os);
  os << ", ";
  rc::show(r.stop, os);
  os << ")";
}

rc::Gen<KeyRange> key_ranges() {
  return rc::gen::map(rc::gen::tuple(small_keys(), small_keys(), rc::gen::arbitrary<bool>()),
                      [](auto t) {
                        auto [a, b, open] = t;
                        if (b < a) std::swap(a, b);
                        return KeyRange{a, open ? std::string() : b};
                      });
}

bool inside(const std::string& key, const KeyRange& r) {
  return r.start <= key && (r.stop.empty() || key < r.stop);
}

TEST(KeyToFractionTest, ReadsKeysAsBase256Fractions) {
  EXPECT_DOUBLE_EQ(key_to_fraction("\x80", "", ""), 0.5);
  EXPECT_DOUBLE_EQ(key_to_fraction("\x40", "", ""), 0.25);
  EXPECT_DOUBLE_EQ(key_to_fraction("a\x80", "a", "b"), 0.5);
  EXPECT_DOUBLE_EQ(key_to_fraction("b", "a", "c"), 0.5);
  EXPECT_DOUBLE_EQ(key_to_fraction("a", "a", "b"), 0.0);
  EXPECT_DOUBLE_EQ(key_to_fraction("b", "a", "b"), 1.0);
  // Keys before the start count as 0; keys past the stop exceed 1.
  EXPECT_DOUBLE_EQ(key_to_fraction("", "a", "b"), 0.0);
  EXPECT_DOUBLE_EQ(key_to_fraction("c", "a", "b"), 2.0);
}

TEST(KeyToFractionTest, LongCommonPrefixesKeepPrecision) {
  const std::string prefix(100000, '\x42');
  const std::string stop = prefix + "\x01";
  EXPECT_DOUBLE_EQ(key_to_fraction(prefix + std::string("\x00\x80", 2), prefix, stop), 0.5);
  EXPECT_DOUBLE_EQ(key_to_fraction(prefix + std::string("\x00\x00\x80", 3), prefix, stop),
                   0.5 / 256);
}

TEST(KeyToFractionTest, RangeOfZeroWidth) {
  // "a" and "a\0" have the same value: nothing lies between them.
  EXPECT_DOUBLE_EQ(key_to_fraction("a", "a", std::string("a\0", 2)), 0.0);
  EXPECT_DOUBLE_EQ(key_to_fraction("b", "a", std::string("a\0", 2)), 1.0);
}

TEST(FractionToKeyTest, EndsOfTheRange) {
  EXPECT_EQ(fraction_to_key(0.0, "a", "b"), "a");
  EXPECT_EQ(fraction_to_key(1.0, "a", "b"), "b");
  EXPECT_EQ(fraction_to_key(1.0, "a", ""), "");
}

TEST(FractionToKeyTest, ShortestKeyAtOrPastTheTarget) {
  EXPECT_EQ(fraction_to_key(0.5, "", ""), "\x80");
  EXPECT_EQ(fraction_to_key(0.25, "", ""), "\x40");
  EXPECT_EQ(fraction_to_key(0.5, "a", "b"), "a\x80");
  EXPECT_EQ(fraction_to_key(0.5, "a", "c"), "b");
  // 0.3 * 256 = 76.8: the shortest key at or past it is "M" (77).
  EXPECT_EQ(fraction_to_key(0.3, "", ""), "M");
}

TEST(FractionToKeyTest, AdjacentKeysCannotBeSplit) {
  const std::string next("a\0", 2);
  EXPECT_EQ(fraction_to_key(0.5, "a", next), "a");
}

TEST(FractionToKeyTest, TinyFractionGivesTheSuccessorOfTheStart) {
  EXPECT_EQ(fraction_to_key(1e-300, "a", "b"), std::string("a\0", 2));
  EXPECT_EQ(fraction_to_key(0.5, "a", std::string("a\0\0", 3)), std::string("a\0", 2));
}

TEST(FractionToKeyTest, HugeKeysAreHandled) {
  const std::string start(1 << 20, 'x');
  const std::string stop = start + "y";
  const std::string middle = fraction_to_key(0.5, start, stop);
  EXPECT_GT(middle, start);
  EXPECT_LT(middle, stop);
  EXPECT_NEAR(key_to_fraction(middle, start, stop), 0.5, 1e-2);
}

RC_GTEST_PROP(KeyArithmeticProperty, KeyToFractionIsMonotone, ()) {
  const KeyRange r = *key_ranges();
  std::string a = *small_keys();
  std::string b = *small_keys();
  if (b < a) std::swap(a, b);
  RC_PRE(inside(a, r) && inside(b, r));
  const double fa = key_to_fraction(a, r.start, r.stop);
  const double fb = key_to_fraction(b, r.start, r.stop);
  RC_ASSERT(0.0 <= fa);
  RC_ASSERT(fa <= fb);
  RC_ASSERT(fb <= 1.0);
}

RC_GTEST_PROP(KeyArithmeticProperty, FractionToKeyStaysStrictlyInsideWhenPossible, ()) {
  const KeyRange r = *key_ranges();
  const double f = *rc::gen::map(rc::gen::inRange(1, 1000000), [](int n) { return n / 1e6; });
  const std::string key = fraction_to_key(f, r.start, r.stop);
  const std::string successor = r.start + '\0';
  const bool room = r.stop.empty() || successor < r.stop;
  if (room) {
    RC_ASSERT(r.start < key);
    RC_ASSERT(r.stop.empty() || key < r.stop);
  } else {
    RC_ASSERT(key == r.start);
  }
}

RC_GTEST_PROP(KeyArithmeticProperty, FractionToKeyIsMonotoneAndReachesTheTarget, ()) {
  const KeyRange r = *key_ranges();
  double f = *rc::gen::map(rc::gen::inRange(1, 1000000), [](int n) { return n / 1e6; });
  double g = *rc::gen::map(rc::gen::inRange(1, 1000000), [](int n) { return n / 1e6; });
  if (g < f) std::swap(f, g);
  const std::string kf = fraction_to_key(f, r.start, r.stop);
  const std::string kg = fraction_to_key(g, r.start, r.stop);
  RC_ASSERT(kf <= kg);
  // The key is at or past the target, unless there was no room (the start
  // itself) or the target rounded to start (its successor).
  if (kf != r.start && kf != r.start + '\0') {
    RC_ASSERT(key_to_fraction(kf, r.start, r.stop) >= f * (1 - 1e-12));
  }
}

// Exact numeric comparison of keys as base-256 fractions: pad with zeros.
bool value_less(std::string a, std::string b) {
  const std::size_t width = std::max(a.size(), b.size());
  a.resize(width, '\0');
  b.resize(width, '\0');
  return a < b;
}

RC_GTEST_PROP(KeyArithmeticProperty, FractionToKeyIsTheShortestSuchKey, ()) {
  const KeyRange r = *key_ranges();
  const double f = *rc::gen::map(rc::gen::inRange(1, 1000000), [](int n) { return n / 1e6; });
  const std::string key = fraction_to_key(f, r.start, r.stop);
  RC_PRE(key != r.start && key != r.start + '\0');
  // For each shorter length, the smallest key of that length above `key`
  // (its prefix plus one unit in the last place) is not below the stop in
  // value; otherwise it would have been a shorter answer at or past the
  // target.
  for (std::size_t length = 1; length < key.size(); ++length) {
    std::string rounded = key.substr(0, length);
    while (!rounded.empty() && rounded.back() == '\xff') rounded.pop_back();
    if (rounded.empty()) continue;  // rounds up to 1, the end of the key space
    rounded.back() = static_cast<char>(static_cast<unsigned char>(rounded.back()) + 1);
    RC_ASSERT(!r.stop.empty());
    RC_ASSERT(!value_less(rounded, r.stop));
  }
}

}  // namespace
}  // namespace splitcheck::internal
