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
#include "splitcheck/lib/offset_range_tracker.h"
#include "splitcheck/testkit/tracker_contract.h"

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

}  // namespace
}  // namespace splitcheck::fuzz
