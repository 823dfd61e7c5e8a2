#include "splitcheck/fuzz/scenario_codec.h"

#include <cctype>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "rapidcheck/gtest.h"
#include "splitcheck/lib/trackers/offset_range_tracker.h"
#include "splitcheck/testkit/tracker/tracker_contract.h"

namespace splitcheck::fuzz {
namespace {

using testkit::TrackerOpKind;
using testkit::TrackerScenario;

template <typename P>
bool same(const TrackerScenario<P>& a, const TrackerScenario<P>& b) {
  if (!(a.start == b.start) || !(a.stop == b.stop) || a.ops.size() != b.ops.size()) return false;
  for (std::size_t i = 0; i < a.ops.size(); ++i) {
    const auto& x = a.ops[i];
    const auto& y = b.ops[i];
    if (x.kind != y.kind || x.position != y.position) return false;
    if (x.kind == TrackerOpKind::kPositionAtFraction &&
        !(x.fraction == y.fraction || (std::isnan(x.fraction) && std::isnan(y.fraction)))) {
      return false;
    }
  }
  return true;
}

template <typename P>
void round_trip(const testkit::PositionDomain<P>& positions, const ByteDomain<P>& bytes) {
  const auto scenario = *testkit::internal::gen_scenario(positions, 64);
  const auto encoded = encode_scenario(scenario, bytes);
  const auto decoded = decode_scenario(encoded.data(), encoded.size(), bytes);
  RC_ASSERT(same(scenario, decoded));
}

RC_GTEST_PROP(ScenarioCodecProperty, OffsetScenariosRoundTrip, ()) {
  round_trip(testkit::offset_positions(), offset_bytes());
}

RC_GTEST_PROP(ScenarioCodecProperty, KeyScenariosRoundTrip, ()) {
  round_trip(testkit::key_positions(), key_bytes());
}

RC_GTEST_PROP(ScenarioCodecProperty, AnyBytesDecodeToARunnableScenario,
              (const std::vector<std::uint8_t>& bytes)) {
  const auto offsets = decode_scenario(bytes.data(), bytes.size(), offset_bytes());
  RC_ASSERT(offsets.start <= offsets.stop);
  RC_ASSERT(offsets.ops.size() <= kMaxOps);
  const auto keys = decode_scenario(bytes.data(), bytes.size(), key_bytes());
  RC_ASSERT(keys.stop.empty() || keys.start <= keys.stop);
  // Running them never throws out of the check (misuse is recorded, not thrown).
  const testkit::TrackerFactory<std::int64_t> factory = [](const std::int64_t& s,
                                                           const std::int64_t& e) {
    return std::make_unique<OffsetRangeTracker>(s, e);
  };
  (void)testkit::check_tracker_scenario(factory, testkit::offset_positions(), offsets);
}

struct Seq {
  std::int64_t n = 0;
  friend bool operator==(const Seq&, const Seq&) = default;
};

TEST(ScenarioCodecTest, AMappedByteDomainReadsAndWritesLikeItsBase) {
  const auto seqs = map_byte_domain<Seq>(
      offset_bytes(), [](std::int64_t n) { return Seq{n}; }, [](const Seq& s) { return s.n; });
  ASSERT_TRUE(seqs.read_claim);  // the base's forward claims come along
  // Range [0, 16), then two claims: at 3 (one step byte after the start) and
  // at 4 (the next one), then a claim far before the start (an escape).
  const std::vector<std::uint8_t> bytes = {0, 0, 0, 16, 0, 3, 0, 0, 0, 255, 0xff, 0xf0};
  const auto s = decode_scenario(bytes.data(), bytes.size(), seqs);
  ASSERT_EQ(s.ops.size(), 3u);
  EXPECT_EQ(s.stop, Seq{16});
  EXPECT_EQ(*s.ops[0].position, Seq{3});
  EXPECT_EQ(*s.ops[1].position, Seq{4});
  EXPECT_EQ(*s.ops[2].position, Seq{-16});
  EXPECT_EQ(encode_scenario(s, seqs), bytes);
}

TEST(ScenarioCodecTest, FiniteOffsetsReadAnUnknownEndAsAnEmptyRange) {
  const std::vector<std::uint8_t> unknown_end = {7, 5, 0, 0};
  EXPECT_EQ(decode_scenario(unknown_end.data(), unknown_end.size(), offset_bytes()).stop,
            kOffsetInfinity);
  const auto finite =
      decode_scenario(unknown_end.data(), unknown_end.size(), finite_offset_bytes());
  EXPECT_EQ(finite.start, 5);
  EXPECT_EQ(finite.stop, 5);
  ASSERT_TRUE(finite_offset_bytes().read_claim);
}

TEST(ScenarioCodecTest, TheEmptyInputIsAnEmptyScenario) {
  const auto s = decode_scenario<std::int64_t>(nullptr, 0, offset_bytes());
  EXPECT_EQ(s.start, 0);
  EXPECT_EQ(s.stop, 0);
  EXPECT_TRUE(s.ops.empty());
}

// libFuzzer refuses a malformed dictionary at start-up; check ours here.
bool valid_dict_line(const std::string& line) {
  if (line.empty() || line[0] == '#') return true;
  const auto quote = line.find('"');
  if (quote == std::string::npos || line.back() != '"' || quote + 1 >= line.size()) return false;
  for (std::size_t i = 0; i < quote; ++i) {
    if (!(std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '_' ||
          (line[i] == '=' && i + 1 == quote))) {
      return false;
    }
  }
  for (std::size_t i = quote + 1; i + 1 < line.size(); ++i) {
    if (line[i] == '"') return false;
    if (line[i] != '\\') continue;
    const char next = line[++i];
    if (next == 'x') {
      if (i + 2 >= line.size() - 1 || !std::isxdigit(static_cast<unsigned char>(line[i + 1])) ||
          !std::isxdigit(static_cast<unsigned char>(line[i + 2]))) {
        return false;
      }
      i += 2;
    } else if (next != '\\' && next != '"') {
      return false;
    }
  }
  return true;
}

TEST(DictionaryTest, DictionariesAreWellFormed) {
  for (const char* path : {"fuzz/offsets.dict", "fuzz/keys.dict"}) {
    std::ifstream in(path);
    ASSERT_TRUE(in) << path;
    std::string line;
    int entries = 0;
    while (std::getline(in, line)) {
      EXPECT_TRUE(valid_dict_line(line)) << path << ": " << line;
      entries += !line.empty() && line[0] != '#';
    }
    EXPECT_GT(entries, 5) << path;
  }
  EXPECT_FALSE(valid_dict_line("bad=\"\\q\""));
  EXPECT_FALSE(valid_dict_line("bad=\"\\x4\""));
  EXPECT_FALSE(valid_dict_line("no quotes"));
}

// The bytes of a dictionary value ("\x00a" -> {0, 'a'}); the line is valid.
std::vector<std::uint8_t> dict_value(const std::string& line) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = line.find('"') + 1; i + 1 < line.size(); ++i) {
    if (line[i] != '\\') {
      out.push_back(static_cast<std::uint8_t>(line[i]));
    } else if (line[++i] == 'x') {
      out.push_back(static_cast<std::uint8_t>(std::stoi(line.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(static_cast<std::uint8_t>(line[i]));
    }
  }
  return out;
}

// An entry named for an operation must decode as that operation, after a
// range: the names document the format, so they must not drift from it.
template <typename P>
void expect_entries_decode_as_named(const char* path, const ByteDomain<P>& domain,
                                    const std::vector<std::uint8_t>& range) {
  const std::pair<const char*, testkit::TrackerOpKind> names[] = {
      {"claim", testkit::TrackerOpKind::kTryClaim},
      {"set_current", testkit::TrackerOpKind::kSetCurrentPosition},
      {"split", testkit::TrackerOpKind::kTrySplit},
      {"fraction_consumed", testkit::TrackerOpKind::kFractionConsumed},
      {"position_at", testkit::TrackerOpKind::kPositionAtFraction},
      {"points", testkit::TrackerOpKind::kSplitPoints},
  };
  std::ifstream in(path);
  ASSERT_TRUE(in) << path;
  std::string line;
  int checked = 0;
  while (std::getline(in, line)) {
    for (const auto& [name, kind] : names) {
      if (line.rfind(name, 0) != 0) continue;
      std::vector<std::uint8_t> input = range;
      const auto value = dict_value(line);
      input.insert(input.end(), value.begin(), value.end());
      const auto scenario = decode_scenario(input.data(), input.size(), domain);
      ASSERT_EQ(scenario.ops.size(), 1u) << path << ": " << line;
      EXPECT_EQ(scenario.ops[0].kind, kind) << path << ": " << line;
      ++checked;
    }
  }
  EXPECT_GT(checked, 5) << path;
}

TEST(DictionaryTest, EntriesDecodeAsTheOperationTheyName) {
  expect_entries_decode_as_named("fuzz/offsets.dict", offset_bytes(), {0, 0, 0, 16});
  expect_entries_decode_as_named("fuzz/keys.dict", key_bytes(), {0, 0});
  // A claim of the position after the last is one step byte.
  const std::vector<std::uint8_t> two_claims = {0, 0, 0, 16, 0, 3, 0, 0};
  const auto s = decode_scenario(two_claims.data(), two_claims.size(), offset_bytes());
  ASSERT_EQ(s.ops.size(), 2u);
  EXPECT_EQ(*s.ops[0].position, 3);
  EXPECT_EQ(*s.ops[1].position, 4);
}

}  // namespace
}  // namespace splitcheck::fuzz
