#include "splitcheck/lib/coders/coder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/testkit/error_matchers.h"

namespace splitcheck {
namespace {

using ::splitcheck::testkit::ErrorOf;
using ::testing::HasSubstr;

template <typename V>
V round_trip(const V& value) {
  return decode_from_bytes<V>(encode_to_bytes(value), "value");
}

template <typename V>
void expect_round_trips(const char* name) {
  const bool ok = rc::check(std::string(name) + " round-trips", [](const V& value) {
    RC_ASSERT(round_trip(value) == value);
    RC_ASSERT(encode_to_bytes(value) == encode_to_bytes(V(value)));
  });
  EXPECT_TRUE(ok);
}

TEST(CoderTest, DecodeOfEncodeIsTheValue) {
  expect_round_trips<std::int64_t>("int64");
  expect_round_trips<std::uint64_t>("uint64");
  expect_round_trips<int>("int");
  expect_round_trips<bool>("bool");
  expect_round_trips<std::string>("string");
  expect_round_trips<std::vector<std::string>>("vector");
  expect_round_trips<std::pair<std::string, std::int64_t>>("pair");
  expect_round_trips<std::vector<std::pair<std::vector<int>, bool>>>("nested");
  for (const std::optional<std::int64_t>& value :
       {std::optional<std::int64_t>(), std::optional<std::int64_t>(0),
        std::optional<std::int64_t>(-7)}) {
    EXPECT_EQ(round_trip(value), value);
  }
}

TEST(CoderTest, ExtremesRoundTrip) {
  for (std::int64_t v : {std::numeric_limits<std::int64_t>::min(), std::int64_t{-1},
                         std::int64_t{0}, std::numeric_limits<std::int64_t>::max()}) {
    EXPECT_EQ(round_trip(v), v);
  }
  EXPECT_EQ(round_trip(std::numeric_limits<std::uint64_t>::max()),
            std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(encode_to_bytes(std::numeric_limits<std::uint64_t>::max()).size(), 10u);
  EXPECT_TRUE(std::signbit(round_trip(-0.0)));
  EXPECT_TRUE(std::isnan(round_trip(std::nan(""))));
  EXPECT_EQ(round_trip(1e300), 1e300);
}

TEST(CoderTest, SmallIntegersTakeOneByte) {
  EXPECT_EQ(encode_to_bytes(std::int64_t{-64}).size(), 1u);
  EXPECT_EQ(encode_to_bytes(std::int64_t{63}).size(), 1u);
  EXPECT_EQ(encode_to_bytes(std::int64_t{64}).size(), 2u);
}

TEST(CoderTest, TruncatedBytesAreCorruptDataNamingTheField) {
  const std::string bytes = encode_to_bytes(std::string("hello"));
  const std::string message = ErrorOf<CorruptDataError>(
      [&] { decode_from_bytes<std::string>(bytes.substr(0, 3), "greeting"); });
  EXPECT_THAT(message, HasSubstr("greeting"));
  EXPECT_THAT(message, HasSubstr("length 5 is more than the 2 bytes left allow"));
}

TEST(CoderTest, EveryTruncationOfAValueIsAnError) {
  const std::vector<std::pair<std::string, std::int64_t>> value = {{"a", 1}, {"bc", -300}};
  const std::string bytes = encode_to_bytes(value);
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    ErrorOf<CorruptDataError>([&] {
      decode_from_bytes<std::vector<std::pair<std::string, std::int64_t>>>(bytes.substr(0, cut),
                                                                           "value");
    });
  }
}

TEST(CoderTest, TrailingBytesAreAnError) {
  EXPECT_THAT(
      ErrorOf<CorruptDataError>([] { decode_from_bytes<bool>(std::string("\1\1", 2), "flag"); }),
      HasSubstr("1 bytes left after the last value"));
}

TEST(CoderTest, CorruptValuesAreErrors) {
  EXPECT_THAT(ErrorOf<CorruptDataError>([] { decode_from_bytes<bool>("\2", "flag"); }),
              HasSubstr("a boolean is 0 or 1, got 2"));
  EXPECT_THAT(ErrorOf<CorruptDataError>(
                  [] { decode_from_bytes<std::uint64_t>(std::string(10, '\xff'), "n"); }),
              HasSubstr("varint beyond 64 bits"));
  // Only the shortest form is ByteWriter's: 5 written in two bytes is not.
  EXPECT_THAT(ErrorOf<CorruptDataError>(
                  [] { decode_from_bytes<std::uint64_t>(std::string("\x85\x00", 2), "n"); }),
              HasSubstr("a varint longer than its value needs"));
  EXPECT_EQ(decode_from_bytes<std::uint64_t>(std::string("\x80\x01", 2), "n"), 128u);
  EXPECT_EQ(decode_from_bytes<std::uint64_t>(std::string("\x00", 1), "n"), 0u);
  EXPECT_THAT(
      ErrorOf<CorruptDataError>([] { decode_from_bytes<std::int8_t>(encode_to_bytes(300), "n"); }),
      HasSubstr("300 is out of the type's range"));
  // A count far beyond the input is refused before anything is allocated.
  ByteWriter out;
  out.put_varint(std::uint64_t{1} << 60);
  EXPECT_THAT(ErrorOf<CorruptDataError>(
                  [&] { decode_from_bytes<std::vector<std::int64_t>>(out.bytes(), "list"); }),
              HasSubstr("vector size"));
}

// get_varint has a fast path for when ten bytes are left: with bytes after
// it, a varint reads the same value, ends at the same byte, and fails with
// the same message as with none.
TEST(CoderTest, AVarintReadsTheSameWithBytesAfterIt) {
  const auto read = [](const std::string& bytes) -> std::string {
    ByteReader in(bytes, "test");
    try {
      const std::uint64_t v = in.get_varint("n");
      return std::to_string(v) + " left " + std::to_string(in.remaining());
    } catch (const CorruptDataError& e) {
      return e.what();
    }
  };
  std::vector<std::string> cases = {std::string("\x85\x00", 2),
                                    std::string("\x80\x80\x00", 3),
                                    std::string(10, '\xff'),
                                    std::string(11, '\xff'),
                                    std::string(9, '\x80') + std::string("\x02", 1),
                                    std::string(9, '\x80') + std::string("\x00", 1),
                                    std::string(9, '\xff') + std::string("\x01", 1)};
  for (const std::uint64_t v :
       {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{127}, std::uint64_t{128},
        (std::uint64_t{1} << 14) - 1, std::uint64_t{1} << 14, (std::uint64_t{1} << 28) - 1,
        std::uint64_t{1} << 28, std::uint64_t{1} << 35, std::uint64_t{1} << 56,
        std::uint64_t{1} << 63, ~std::uint64_t{0}}) {
    ByteWriter out;
    out.put_varint(v);
    cases.emplace_back(out.bytes());
  }
  for (const std::string& c : cases) {
    const std::string padding(12, '\x7f');
    std::string alone = read(c);
    std::string padded = read(c + padding);
    // The padded read has 12 more bytes left; say so in the alone one.
    const auto left = alone.rfind(" left ");
    if (left != std::string::npos && alone.find("varint") == std::string::npos) {
      alone = alone.substr(0, left) + " left " +
              std::to_string(std::stoul(alone.substr(left + 6)) + padding.size());
    }
    // Messages name the input's size ("of N"): left out of the comparison.
    const auto unsized = [](const std::string& m) {
      return std::regex_replace(m, std::regex(" of [0-9]+:"), ":");
    };
    EXPECT_EQ(unsized(padded), unsized(alone)) << "bytes of size " << c.size();
  }
}

// ByteWriter grows its buffer in steps: the bytes are the same whatever the
// sizes of the puts that cross a step, and clear() starts again from none.
TEST(CoderTest, AWritersBytesDoNotDependOnItsBuffer) {
  std::string expected;
  ByteWriter out;
  for (int i = 0; i < 5000; ++i) {
    const std::uint64_t v = static_cast<std::uint64_t>(i) * 2654435761u;
    std::uint64_t rest = v;
    while (rest >= 0x80) {
      expected.push_back(static_cast<char>((rest & 0x7f) | 0x80));
      rest >>= 7;
    }
    expected.push_back(static_cast<char>(rest));
    out.put_varint(v);
    const std::string raw(static_cast<std::size_t>(i % 7), static_cast<char>('a' + i % 26));
    expected += raw;
    out.put_raw(raw);
    expected.push_back(i % 2 == 0 ? '\1' : '\0');
    out.put_bool(i % 2 == 0);
  }
  EXPECT_EQ(out.bytes(), expected);
  out.clear();
  EXPECT_EQ(out.bytes(), "");
  out.put_string("ab");
  EXPECT_EQ(out.bytes(), std::string("\2ab", 3));
  EXPECT_EQ(std::move(out).release(), std::string("\2ab", 3));
}

// A writer moved from is empty and can be written again; a writer can
// append a view of its own bytes, across a growth of its buffer.
TEST(CoderTest, AMovedFromWriterIsEmptyAndAWriterCanRepeatItsOwnBytes) {
  ByteWriter a;
  a.put_string("first");
  ByteWriter b = std::move(a);
  EXPECT_EQ(b.bytes(), std::string("\5first", 6));
  EXPECT_EQ(a.bytes(), "");  // NOLINT(bugprone-use-after-move): the contract says so
  a.put_bool(true);
  EXPECT_EQ(a.bytes(), std::string("\1", 1));
  ByteWriter c;
  c = std::move(b);
  EXPECT_EQ(b.bytes(), "");  // NOLINT(bugprone-use-after-move)
  std::string expected(c.bytes());
  for (int i = 0; i < 12; ++i) {  // doubles the bytes each time: the buffer grows
    c.put_raw(c.bytes());
    expected += expected;
  }
  EXPECT_EQ(c.bytes(), expected);
}

TEST(CoderTest, RandomBytesNeverCrashTheDecoder) {
  const bool ok =
      rc::check("random bytes decode or throw CorruptDataError", [](const std::string& bytes) {
        try {
          decode_from_bytes<std::vector<std::pair<std::string, std::optional<std::int64_t>>>>(
              bytes, "random");
        } catch (const CorruptDataError&) {
        }
      });
  EXPECT_TRUE(ok);
}

TEST(CoderTest, ATagOfAnotherTypeIsNamed) {
  ByteWriter out;
  out.put_string("TextSource");
  ByteReader in(out.bytes(), "source");
  EXPECT_THAT(ErrorOf<CorruptDataError>([&] { in.expect_tag("CountingSource"); }),
              HasSubstr("expected \"CountingSource\", got \"TextSource\""));
}

}  // namespace
}  // namespace splitcheck
