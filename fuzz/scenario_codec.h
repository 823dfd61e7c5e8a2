// Bytes <-> TrackerScenario: how libFuzzer inputs become the same scenarios
// the testkit's RapidCheck properties generate.
//
// decode_scenario is total: any byte string decodes to a scenario that can be
// run (a valid range, then operations until the input ends, at most max_ops).
// Layout: the range (ByteDomain::read_range), then per operation a kind byte
// (value % 16, see kKindOfByte: half of them claims) and its argument: a position
// (ByteDomain::read_claim relative to the previous claim or set position, if
// the domain has it, for claims and set_current_position;
// ByteDomain::read_position otherwise) or a fraction (a tag byte: 7 mod 8, an
// 8-byte IEEE double, NaNs and infinities included; else a 16-bit fraction
// n / 65535). Raw doubles are rare because most are invalid fractions, and
// an invalid fraction costs an exception.
//
// encode_scenario writes a scenario back so that decoding gives it again
// exactly (for positions the domain can encode), which is how a RapidCheck
// counterexample becomes a corpus seed and a crash becomes a regression test.

#ifndef SPLITCHECK_FUZZ_SCENARIO_CODEC_H_
#define SPLITCHECK_FUZZ_SCENARIO_CODEC_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <optional>
#include <vector>

#include "splitcheck/fuzz/byte_domain.h"
#include "splitcheck/lib/internal/no_fuzz_coverage.h"
#include "splitcheck/testkit/tracker/tracker_scenario.h"

SPLITCHECK_BEGIN_NO_FUZZ_COVERAGE

namespace splitcheck::fuzz {

inline constexpr std::size_t kMaxOps = 64;
// The fraction tag (mod 8) that announces a raw IEEE double.
inline constexpr int kRawDoubleTag = 7;

// The operation a kind byte names (its value mod 16), weighted as the
// testkit's generator weights them: half claims, then splits, progress
// queries, and a sixteenth each of set_current_position (misuse before the
// first claim), position_at_fraction and split_points.
inline constexpr testkit::TrackerOpKind kKindOfByte[16] = {
    testkit::TrackerOpKind::kTryClaim,           testkit::TrackerOpKind::kTryClaim,
    testkit::TrackerOpKind::kTryClaim,           testkit::TrackerOpKind::kTryClaim,
    testkit::TrackerOpKind::kTryClaim,           testkit::TrackerOpKind::kTryClaim,
    testkit::TrackerOpKind::kTryClaim,           testkit::TrackerOpKind::kTryClaim,
    testkit::TrackerOpKind::kSetCurrentPosition, testkit::TrackerOpKind::kTrySplit,
    testkit::TrackerOpKind::kTrySplit,           testkit::TrackerOpKind::kTrySplit,
    testkit::TrackerOpKind::kFractionConsumed,   testkit::TrackerOpKind::kFractionConsumed,
    testkit::TrackerOpKind::kPositionAtFraction, testkit::TrackerOpKind::kSplitPoints,
};

// The first kind byte that decodes to `kind`.
inline std::uint8_t byte_of_kind(testkit::TrackerOpKind kind) {
  for (std::uint8_t b = 0; b < std::size(kKindOfByte); ++b) {
    if (kKindOfByte[b] == kind) return b;
  }
  return 0;
}

// Decodes `data`. The operations are stored in `ops`, cleared first: the
// fuzz harness passes the vector of its previous execution to reuse its
// capacity.
template <typename P>
testkit::TrackerScenario<P> decode_scenario(const std::uint8_t* data, std::size_t size,
                                            const ByteDomain<P>& domain,
                                            std::size_t max_ops = kMaxOps,
                                            std::vector<testkit::TrackerOp<P>> ops = {}) {
  using testkit::TrackerOp;
  using testkit::TrackerOpKind;
  ByteReader reader(data, size);
  auto [start, stop] = domain.read_range(reader);
  ops.clear();
  testkit::TrackerScenario<P> scenario{std::move(start), std::move(stop), std::move(ops)};
  std::optional<P> last;  // the previous claim or set position
  while (!reader.empty() && scenario.ops.size() < max_ops) {
    TrackerOp<P> op;
    op.kind = kKindOfByte[reader.byte() % std::size(kKindOfByte)];
    switch (op.kind) {
      case TrackerOpKind::kTryClaim:
      case TrackerOpKind::kSetCurrentPosition:
        op.position =
            domain.read_claim
                ? domain.read_claim(reader, scenario.start, scenario.stop, last ? &*last : nullptr)
                : domain.read_position(reader, scenario.start, scenario.stop);
        break;
      case TrackerOpKind::kTrySplit:
        op.position = domain.read_position(reader, scenario.start, scenario.stop);
        break;
      case TrackerOpKind::kPositionAtFraction:
        if (reader.byte() % 8 != kRawDoubleTag) {
          op.fraction = reader.u16() / 65535.0;
        } else {
          std::uint64_t bits = 0;
          for (int i = 0; i < 8; ++i) bits = bits << 8 | reader.byte();
          std::memcpy(&op.fraction, &bits, sizeof bits);
        }
        break;
      case TrackerOpKind::kFractionConsumed:
      case TrackerOpKind::kSplitPoints:
        break;
    }
    if (op.kind == TrackerOpKind::kTryClaim || op.kind == TrackerOpKind::kSetCurrentPosition) {
      last = op.position;
    }
    scenario.ops.push_back(std::move(op));
  }
  return scenario;
}

template <typename P>
std::vector<std::uint8_t> encode_scenario(const testkit::TrackerScenario<P>& scenario,
                                          const ByteDomain<P>& domain) {
  using testkit::TrackerOpKind;
  ByteWriter writer;
  domain.write_range(writer, scenario.start, scenario.stop);
  const P* last = nullptr;
  for (const auto& op : scenario.ops) {
    writer.byte(byte_of_kind(op.kind));
    switch (op.kind) {
      case TrackerOpKind::kTryClaim:
      case TrackerOpKind::kSetCurrentPosition:
        if (domain.write_claim) {
          domain.write_claim(writer, *op.position, scenario.start, scenario.stop, last);
        } else {
          domain.write_position(writer, *op.position, scenario.start, scenario.stop);
        }
        last = &*op.position;
        break;
      case TrackerOpKind::kTrySplit:
        domain.write_position(writer, *op.position, scenario.start, scenario.stop);
        break;
      case TrackerOpKind::kPositionAtFraction: {
        const double scaled = op.fraction * 65535.0;
        if (op.fraction >= 0.0 && op.fraction <= 1.0 && scaled == std::floor(scaled) &&
            scaled / 65535.0 == op.fraction) {
          writer.byte(0);
          writer.u16(static_cast<std::uint16_t>(scaled));
        } else {
          writer.byte(kRawDoubleTag);
          std::uint64_t bits = 0;
          std::memcpy(&bits, &op.fraction, sizeof bits);
          for (int i = 7; i >= 0; --i) writer.byte(static_cast<std::uint8_t>(bits >> (8 * i)));
        }
        break;
      }
      case TrackerOpKind::kFractionConsumed:
      case TrackerOpKind::kSplitPoints:
        break;
    }
  }
  return writer.data();
}

}  // namespace splitcheck::fuzz

SPLITCHECK_END_NO_FUZZ_COVERAGE

#endif  // SPLITCHECK_FUZZ_SCENARIO_CODEC_H_
