// Writes the seed corpora under fuzz/corpus: a few hand-made scenarios that
// reach every rule, and scenarios drawn from the testkit's RapidCheck
// generators, encoded with the fuzz codec. Run from the workspace root:
//
//   ./bazelw run //fuzz:make_seed_corpus -- "$PWD/fuzz/corpus"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "splitcheck/fuzz/scenario_codec.h"
#include "splitcheck/lib/trackers/offset_range_tracker.h"
#include "splitcheck/testkit/tracker/tracker_contract.h"

namespace {

namespace fs = std::filesystem;
using splitcheck::testkit::TrackerOp;
using splitcheck::testkit::TrackerOpKind;
using splitcheck::testkit::TrackerScenario;

template <typename P>
void write(const fs::path& dir, const std::string& name, const TrackerScenario<P>& scenario,
           const splitcheck::fuzz::ByteDomain<P>& bytes) {
  fs::create_directories(dir);
  const auto data = splitcheck::fuzz::encode_scenario(scenario, bytes);
  std::ofstream out(dir / name, std::ios::binary);
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
}

template <typename P>
void drawn(const fs::path& dir, const splitcheck::testkit::PositionDomain<P>& positions,
           const splitcheck::fuzz::ByteDomain<P>& bytes, int count) {
  const auto gen = splitcheck::testkit::internal::gen_scenario(positions, 24);
  for (int i = 0; i < count; ++i) {
    const auto scenario = gen(rc::Random(1000 + i), 30).value();
    write(dir, "drawn-" + std::to_string(i), scenario, bytes);
  }
}

TrackerOp<std::int64_t> at(TrackerOpKind kind, std::int64_t p) { return {kind, p, 0.0}; }
TrackerOp<std::int64_t> query(TrackerOpKind kind, double f = 0) { return {kind, std::nullopt, f}; }

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_seed_corpus OUTPUT_DIR\n");
    return 2;
  }
  const fs::path root = argv[1];
  const auto offsets = splitcheck::fuzz::offset_bytes();
  const auto keys = splitcheck::fuzz::key_bytes();
  using K = TrackerOpKind;

  // A read with a split in the middle, progress queries all along.
  TrackerScenario<std::int64_t> read_and_split{0, 10, {}};
  for (std::int64_t i = 0; i < 10; ++i) {
    read_and_split.ops.push_back(at(K::kTryClaim, i));
    read_and_split.ops.push_back(query(K::kFractionConsumed));
    if (i == 3) read_and_split.ops.push_back(at(K::kTrySplit, 6));
  }
  read_and_split.ops.push_back(query(K::kSplitPoints));
  write(root / "offsets", "read-and-split", read_and_split, offsets);

  // Splits at and around the last claim and the stop.
  TrackerScenario<std::int64_t> edges{
      5,
      9,
      {at(K::kTrySplit, 6), at(K::kTryClaim, 5), at(K::kTrySplit, 5), at(K::kTrySplit, 9),
       at(K::kSetCurrentPosition, 7), at(K::kTrySplit, 7), at(K::kTrySplit, 8), at(K::kTryClaim, 8),
       query(K::kFractionConsumed), query(K::kPositionAtFraction, 1.0), query(K::kSplitPoints)}};
  write(root / "offsets", "edges", edges, offsets);

  // Misuse: backwards, twice, before the start, bad fractions.
  TrackerScenario<std::int64_t> misuse{
      3,
      20,
      {at(K::kSetCurrentPosition, 4), at(K::kTryClaim, 2), at(K::kTryClaim, 5), at(K::kTryClaim, 5),
       at(K::kTryClaim, 4), query(K::kPositionAtFraction, -0.25),
       query(K::kPositionAtFraction, std::nan("")), query(K::kPositionAtFraction, 1.5)}};
  write(root / "offsets", "misuse", misuse, offsets);

  // Unknown end, and the top of the int64 range.
  TrackerScenario<std::int64_t> infinite{
      7,
      splitcheck::kOffsetInfinity,
      {at(K::kTryClaim, 7), at(K::kTrySplit, 100), query(K::kPositionAtFraction, 0.5),
       query(K::kFractionConsumed)}};
  write(root / "offsets", "unknown-end", infinite, offsets);
  const std::int64_t top = std::numeric_limits<std::int64_t>::max() - 1;
  TrackerScenario<std::int64_t> high{
      top - 5,
      top,
      {at(K::kTryClaim, top - 5), at(K::kTrySplit, top - 1), query(K::kPositionAtFraction, 0.999),
       at(K::kTryClaim, top - 1)}};
  write(root / "offsets", "top-of-range", high, offsets);
  drawn(root / "offsets", splitcheck::testkit::offset_positions(), offsets, 40);

  TrackerScenario<std::string> key_read{"a",
                                        "",
                                        {{K::kTrySplit, std::string("m"), 0},
                                         {K::kTryClaim, std::string("a"), 0},
                                         {K::kTryClaim, std::string("b\xff"), 0},
                                         {K::kPositionAtFraction, std::nullopt, 0.5},
                                         {K::kTrySplit, std::string("c"), 0},
                                         {K::kTryClaim, std::string("c"), 0},
                                         {K::kFractionConsumed, std::nullopt, 0},
                                         {K::kPositionAtFraction, std::nullopt, 1.0}}};
  write(root / "keys", "read-and-split", key_read, keys);
  TrackerScenario<std::string> adjacent{"a",
                                        std::string("a\0", 2),
                                        {{K::kPositionAtFraction, std::nullopt, 0.5},
                                         {K::kTrySplit, std::string("a"), 0},
                                         {K::kTryClaim, std::string("a"), 0}}};
  write(root / "keys", "adjacent", adjacent, keys);
  drawn(root / "keys", splitcheck::testkit::key_positions(), keys, 40);
  std::printf("wrote seed corpora under %s\n", root.c_str());
  return 0;
}
