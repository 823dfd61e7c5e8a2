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

// Vectors from Beam's Python range_trackers_test (exact values).
TEST(KeyToFractionTest, BeamVectors) {
  EXPECT_EQ(key_to_fraction("\x07", "", ""), 7 / 256.0);
  EXPECT_EQ(key_to_fraction("\xff", "", ""), 255 / 256.0);
  EXPECT_EQ(key_to_fraction("\x01\x02\x03", "", ""), (0x1p16 + 0x1p9 + 3) / 0x1p24);
  EXPECT_EQ(key_to_fraction("\x87", "\x80", ""), 7 / 128.0);
  EXPECT_EQ(key_to_fraction("\x07", "", "\x10"), 7 / 16.0);
  EXPECT_EQ(key_to_fraction("\x47", "\x40", "\x80"), 7 / 64.0);
  EXPECT_EQ(key_to_fraction("\x47\x80", "\x40", "\x80"), 15 / 128.0);
  const std::string a100(100, 'a');
  EXPECT_EQ(key_to_fraction(a100 + "b", a100 + "a", a100 + "c"), 0.5);
  EXPECT_EQ(key_to_fraction(a100 + "b", a100 + "a", a100 + "e"), 0.25);
  EXPECT_EQ(key_to_fraction(std::string(100, '\xff') + "\x40", std::string(100, '\xff'), ""), 0.25);
  EXPECT_EQ(key_to_fraction("foob", "fooa\xff\xff\xff\xff\xff\xff\xff\xff\xfe",
                            std::string("foob\0\0\0\0\0\0\0\0\x02", 13)),
            0.5);
  EXPECT_EQ(key_to_fraction(std::string(12, '\0') + "\x10", "", ""), 0x1p-100);
  EXPECT_EQ(key_to_fraction(std::string("a\0\0\x10", 4), "a", "b"), 0x1p-20);
}

// A key just above the start, far below the precision of the span's leading
// digits (Beam's vector for 1e-20 / e): its fraction is still exact, where
// ten leading digits of the span gave a relative error of 3.4e-4.
TEST(KeyToFractionTest, TinyOffsetsAreExact) {
  const std::string key("abcd_abc\0\0\0\0\0\x01\x91#\x17\x32N\xbb", 20);
  EXPECT_EQ(key_to_fraction(key, "abcd_abc", "abcd_xyz"), 3.678794411714419e-21);
}

TEST(KeyToFractionTest, RoundsDown) {
  // 1/3 of the key space is not a double; the answer is the double below.
  const double third = key_to_fraction("\x55", "", "\xff");
  EXPECT_LE(third, 1.0 / 3);
  EXPECT_EQ(third, 85.0 / 255);
}

TEST(FractionToKeyTest, EndsOfTheRange) {
  EXPECT_EQ(fraction_to_key(0.0, "a", "b"), "a");
  EXPECT_EQ(fraction_to_key(1.0, "a", "b"), "b");
  EXPECT_EQ(fraction_to_key(1.0, "a", ""), "");
}

TEST(FractionToKeyTest, ExactTargetsAreTheKeyItself) {
  EXPECT_EQ(fraction_to_key(0.5, "", ""), "\x80");
  EXPECT_EQ(fraction_to_key(0.25, "", ""), "\x40");
  EXPECT_EQ(fraction_to_key(0.5, "a", "b"), "a\x80");
  EXPECT_EQ(fraction_to_key(0.5, "a", "c"), "b");
  // Beam's tiny vectors.
  EXPECT_EQ(fraction_to_key(0x1p-20, "", ""), std::string("\0\0\x10", 3));
  EXPECT_EQ(fraction_to_key(0x1p-20, "a", "b"), std::string("a\0\0\x10", 4));
  EXPECT_EQ(fraction_to_key(0x1p-20, "a", "c"), std::string("a\0\0\x20", 4));
  EXPECT_EQ(fraction_to_key(0x1p-20, "xy_a", "xy_c"), std::string("xy_a\0\0\x20", 7));
  EXPECT_EQ(fraction_to_key(0x1p-20, "\xff\xff\x80", ""), std::string("\xff\xff\x80\0\x08", 5));
  EXPECT_EQ(fraction_to_key(0x1p-100, "", ""), std::string(12, '\0') + "\x10");
}

// The fraction a key maps back to is never below the one asked for and at
// most kKeyFractionTolerance above it.
void expect_round_trip(double f, const std::string& start, const std::string& stop) {
  const std::string key = fraction_to_key(f, start, stop);
  EXPECT_LT(start, key) << f;
  if (!stop.empty()) {
    EXPECT_LT(key, stop) << f;
  }
  const double back = key_to_fraction(key, start, stop);
  EXPECT_GE(back, f) << f;
  EXPECT_LE(back - f, f * kKeyFractionTolerance) << f;
}

// On ["a", "c") a request for 10% gets 10%, not the shortest key "b" (50%).
TEST(FractionToKeyTest, SmallFractionsAreNotRoundedUpToAShortKey) {
  for (const double f : {1e-6, 0.001, 0.1, 0.3, 0.49}) {
    EXPECT_NE(fraction_to_key(f, "a", "c"), "b") << f;
    expect_round_trip(f, "a", "c");
  }
}

TEST(FractionToKeyTest, BeamRoundTrips) {
  const std::string a100(100, 'a');
  for (const double f : {0.3, 1 / 3.0, 1 / std::exp(1.0), 0.001, 1e-30, 0.99, 0.999999, 0x1p-20 / 3,
                         1e-20 / std::exp(1.0), 0.5, 0.75, 7 / 512.0, 1 - 7 / 4096.0}) {
    expect_round_trip(f, "", "");
    expect_round_trip(f, "\x01", "");
    expect_round_trip(f, "", "\xf0");
    expect_round_trip(f, "0x75", "\x76");
    expect_round_trip(f, "0x75", "\x78");
    expect_round_trip(f, a100 + "\x80", a100 + "\x81");
    expect_round_trip(f, "abc_abc", "abc_xyz");
    expect_round_trip(f, std::string("abcd_abc\0\0\0\0\0_______________abc", 31),
                      std::string("abcd_xyz\0\0\0\0\0\0_______________abc", 32));
    expect_round_trip(f, "abcd_abc", "abcd_xyz");
  }
}

// Short keys: the key has no more bytes past the common prefix than a
// tolerance of 2^-40 of the span needs (5), plus one for rounding.
TEST(FractionToKeyTest, KeysStayShort) {
  EXPECT_LE(fraction_to_key(1 / 3.0, "", "").size(), 6u);
  EXPECT_LE(fraction_to_key(1 / 3.0, "abc_abc", "abc_xyz").size(), 4u + 6u);
}

// For f = 1e-30 the key must reach the target, not stop at "\0" (fraction 0).
TEST(FractionToKeyTest, TinyFractionsReachTheTarget) {
  for (const double f : {1e-30, 1e-300, 4.9e-324}) {
    const std::string key = fraction_to_key(f, "", "");
    EXPECT_GT(key_to_fraction(key, "", ""), 0.0) << f;
    EXPECT_GE(key_to_fraction(key, "", ""), f) << f;
  }
  expect_round_trip(1e-300, "a", "b");
}

TEST(FractionToKeyTest, AdjacentKeysCannotBeSplit) {
  const std::string next("a\0", 2);
  EXPECT_EQ(fraction_to_key(0.5, "a", next), "a");
  // "a" and "a\0\0" have the same value: the successor of the start is the
  // only key between them.
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

RC_GTEST_PROP(KeyArithmeticProperty, FractionToKeyIsMonotoneAndWithinTolerance, ()) {
  const KeyRange r = *key_ranges();
  const auto fractions = rc::gen::oneOf(
      rc::gen::map(rc::gen::inRange(1, 1000000), [](int n) { return n / 1e6; }),
      rc::gen::map(rc::gen::inRange(1, 300), [](int n) { return std::ldexp(1.0, -n); }));
  double f = *fractions;
  double g = *fractions;
  if (g < f) std::swap(f, g);
  const std::string kf = fraction_to_key(f, r.start, r.stop);
  const std::string kg = fraction_to_key(g, r.start, r.stop);
  RC_ASSERT(kf <= kg);
  // Ranges whose stop has the value of the start have no fractions.
  RC_PRE(key_to_fraction(r.stop, r.start, r.stop) > 0.0 || r.stop.empty());
  const double back = key_to_fraction(kf, r.start, r.stop);
  RC_ASSERT(back >= f);
  RC_ASSERT(back - f <= f * kKeyFractionTolerance);
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
  // For each shorter length, the smallest key of that length at or above
  // `key` is either past the tolerance or not below the stop; otherwise it
  // would have been a shorter answer.
  for (std::size_t length = 1; length < key.size(); ++length) {
    std::string rounded = key.substr(0, length);
    while (!rounded.empty() && rounded.back() == '\xff') rounded.pop_back();
    if (rounded.empty()) continue;  // rounds up to 1, the end of the key space
    rounded.back() = static_cast<char>(static_cast<unsigned char>(rounded.back()) + 1);
    const bool below_stop = r.stop.empty() || value_less(rounded, r.stop);
    const bool within = key_to_fraction(rounded, r.start, r.stop) - f <= f * kKeyFractionTolerance;
    RC_ASSERT(!(below_stop && within));
  }
}

}  // namespace
}  // namespace splitcheck::internal
