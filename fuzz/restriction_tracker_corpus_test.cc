// The restriction tracker seeds, replayed through the fuzz harness's path
// (bytes -> scenario -> model): no seed shows a violation in the built-in
// trackers, and each sequential bug of the zoo
// (testkit/zoo/broken_restriction_trackers.h) is shown by at least one seed,
// so that the corpus replay in CI is a check, not only a smoke test.
//
// Arguments: the seed files.

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "splitcheck/fuzz/restriction_tracker_fuzzer.h"
#include "splitcheck/testkit/sdf/built_in_tracker_factories.h"
#include "splitcheck/testkit/zoo/broken_restriction_trackers.h"

namespace splitcheck::fuzz {
namespace {

using examples::broken::BuggyByteKeyRestrictionTracker;
using examples::broken::BuggyOffsetRestrictionTracker;
using examples::broken::RestrictionBug;
using testkit::EndEstimate;

std::vector<std::string>& seeds() {
  static std::vector<std::string> s;
  return s;
}

// How many seeds show a violation.
template <typename R, typename P>
int violations(const testkit::RestrictionTrackerFactory<R, P>& factory,
               const testkit::RestrictionDomain<R, P>& domain) {
  const auto model = domain.model({});
  int n = 0;
  for (const std::string& s : seeds()) {
    n += restriction_tracker_violation(factory, domain, *model,
                                       reinterpret_cast<const std::uint8_t*>(s.data()), s.size())
             ? 1
             : 0;
  }
  return n;
}

testkit::RestrictionTrackerFactory<OffsetRange, std::int64_t> buggy_offsets(RestrictionBug bug,
                                                                            bool growable) {
  return [bug, growable](const OffsetRange& r, EndEstimate e) {
    return std::make_unique<BuggyOffsetRestrictionTracker>(r, growable ? std::move(e) : nullptr,
                                                           bug);
  };
}

TEST(RestrictionTrackerCorpusTest, TheSeedsAreThere) { ASSERT_GE(seeds().size(), 8u); }

TEST(RestrictionTrackerCorpusTest, NoSeedShowsAViolationInTheBuiltInTrackers) {
  const auto offsets = testkit::offset_tracker_factory();
  const auto growable = testkit::growable_offset_tracker_factory();
  const auto keys = testkit::byte_key_tracker_factory();
  EXPECT_EQ(violations(offsets, testkit::offset_restrictions()), 0);
  EXPECT_EQ(violations(growable, testkit::growable_offset_restrictions()), 0);
  EXPECT_EQ(violations(keys, testkit::byte_key_restrictions()), 0);
}

TEST(RestrictionTrackerCorpusTest, EachSequentialBugOfTheZooIsShownBySomeSeed) {
  for (const RestrictionBug bug :
       {RestrictionBug::kCheckDonePassesWithWorkLeft, RestrictionBug::kResidualOverlapsPrimary,
        RestrictionBug::kCompletedFromTheStop, RestrictionBug::kCheckpointKeepsUnclaimedWork,
        RestrictionBug::kClaimsAfterRefusal}) {
    EXPECT_GT(violations(buggy_offsets(bug, false), testkit::offset_restrictions()), 0)
        << "bug " << static_cast<int>(bug);
  }
  EXPECT_GT(violations(buggy_offsets(RestrictionBug::kSplitsPastTheEstimate, true),
                       testkit::growable_offset_restrictions()),
            0);
  for (const RestrictionBug bug :
       {RestrictionBug::kClaimsTheEndMarker, RestrictionBug::kCheckDoneAfterAnyClaim}) {
    const testkit::RestrictionTrackerFactory<ByteKeyRange, std::string> keys =
        [bug](const ByteKeyRange& r, EndEstimate) {
          return std::make_unique<BuggyByteKeyRestrictionTracker>(r, bug);
        };
    EXPECT_GT(violations(keys, testkit::byte_key_restrictions()), 0)
        << "bug " << static_cast<int>(bug);
  }
}

}  // namespace
}  // namespace splitcheck::fuzz

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    splitcheck::fuzz::seeds().emplace_back(std::istreambuf_iterator<char>(in),
                                           std::istreambuf_iterator<char>());
  }
  return RUN_ALL_TESTS();
}
