// Bytes <-> TrackerScenario: how libFuzzer inputs become the same scenarios
// the testkit's RapidCheck properties generate.
//
// decode_scenario is total: any byte string decodes to a scenario that can be
// run (a valid range, then operations until the input ends, at most max_ops).
// Layout: the range (ByteDomain::read_range), then per operation a kind byte
// (value % 6: claim, set current position, split, fraction consumed,
// position at fraction, split points) and its argument: a position
// (ByteDomain::read_position) or a fraction (a tag byte: even, a 16-bit
// fraction n / 65535; odd, an 8-byte IEEE double, NaNs and infinities
// included).
//
// encode_scenario writes a scenario back so that decoding gives it again
// exactly (for positions the domain can encode), which is how a RapidCheck
// counterexample becomes a corpus seed and a crash becomes a regression test.

#ifndef SPLITCHECK_FUZZ_SCENARIO_CODEC_H_
#define SPLITCHECK_FUZZ_SCENARIO_CODEC_H_

#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "splitcheck/fuzz/byte_domain.h"
#include "splitcheck/testkit/tracker_scenario.h"

namespace splitcheck::fuzz {

inline constexpr std::size_t kMaxOps = 64;

template <typename P>
testkit::TrackerScenario<P> decode_scenario(const std::uint8_t* data, std::size_t size,
                                            const ByteDomain<P>& domain,
                                            std::size_t max_ops = kMaxOps) {
  using testkit::TrackerOp;
  using testkit::TrackerOpKind;
  ByteReader reader(data, size);
  auto [start, stop] = domain.read_range(reader);
  testkit::TrackerScenario<P> scenario{start, stop, {}};
  while (!reader.empty() && scenario.ops.size() < max_ops) {
    TrackerOp<P> op;
    op.kind = static_cast<TrackerOpKind>(reader.byte() % 6);
    switch (op.kind) {
      case TrackerOpKind::kTryClaim:
      case TrackerOpKind::kSetCurrentPosition:
      case TrackerOpKind::kTrySplit:
        op.position = domain.read_position(reader, scenario.start, scenario.stop);
        break;
      case TrackerOpKind::kPositionAtFraction:
        if (reader.byte() % 2 == 0) {
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
  for (const auto& op : scenario.ops) {
    writer.byte(static_cast<std::uint8_t>(op.kind));
    switch (op.kind) {
      case TrackerOpKind::kTryClaim:
      case TrackerOpKind::kSetCurrentPosition:
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
          writer.byte(1);
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

#endif  // SPLITCHECK_FUZZ_SCENARIO_CODEC_H_
