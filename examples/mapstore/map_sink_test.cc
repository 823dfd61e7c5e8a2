// MapSink on MapStore, the example of the wrapper API for a store that is
// neither files nor SQLite: the correct sink passes every sink check,
// surviving every crash state of the store at every point; each broken sink
// or store is rejected by the crash check, and by no other check.

#include "splitcheck/examples/mapstore/map_sink.h"

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/examples/mapstore/map_store.h"
#include "splitcheck/testkit/sink_testkit.h"

namespace splitcheck::examples {
namespace {

using ::testing::HasSubstr;
using testkit::CheckResult;
using testkit::SinkCheck;

testkit::SinkUnderTest<std::string> map_sink(MapSinkBug sink_bug = MapSinkBug::kNone,
                                             StoreBug store_bug = StoreBug::kNone,
                                             int records = 6) {
  // Run ids recur from one check to the next: a tag per sink under test.
  static std::atomic<int> instances{0};
  const std::string tag = "map-" + std::to_string(instances++) + "-";
  testkit::SinkUnderTest<std::string> sut;
  sut.make_sink = [=](const testkit::SinkEnvironment& env, const std::string& destination) {
    auto store = MapStore::named(tag + env.run_id, store_bug);
    store->attach(env.faults);  // its calls fault points, its states recovered
    return std::make_shared<const MapSink>(store, destination, sink_bug);
  };
  sut.read_back = [=](const testkit::SinkEnvironment& env, const std::string& destination) {
    return MapSink::committed(*MapStore::named(tag + env.run_id), destination);
  };
  sut.leftovers = [=](const testkit::SinkEnvironment& env) -> std::optional<std::string> {
    const auto left = MapSink::garbage(*MapStore::named(tag + env.run_id));
    if (left.empty()) return std::nullopt;
    return "entry \"" + left.front() + "\", which no reader sees";
  };
  for (int i = 0; i < records; ++i) sut.records.push_back("record " + std::to_string(i));
  sut.destination = "out";
  return sut;
}

// Every check but serialization, which a store in one process's memory
// cannot pass (below).
TEST(MapSinkTest, TheCorrectSinkPassesEverySinkCheckThatRunsInOneProcess) {
  for (const SinkCheck check : testkit::kAllSinkChecks) {
    if (check == SinkCheck::kSerialization) continue;
    const CheckResult result = testkit::run_sink_check(check, map_sink());
    EXPECT_TRUE(result.ok()) << result;
  }
}

// The sink encodes and decodes, but its store is this process's memory: the
// records written by workers in other processes reach their copies of it,
// and the parent's finalize commits nothing. The gate says so.
TEST(MapSinkTest, AStoreInOneProcessesMemoryFailsTheSerializationCheck) {
  const CheckResult result = testkit::run_sink_check(SinkCheck::kSerialization, map_sink());
  std::cout << result << "\n";
  EXPECT_EQ(result.outcome, CheckResult::Outcome::kFailed);
  EXPECT_THAT(result.message, HasSubstr("written by worker processes"));
  EXPECT_THAT(result.message, HasSubstr("is missing"));
}

TEST(MapSinkTest, ItSurvivesEveryCrashStateOfTheStoreAtEveryPoint) {
  const CheckResult result = testkit::check_sink_crash_points(map_sink());
  ASSERT_TRUE(result.ok()) << result;
  std::cout << result << "\n";
  // States beyond the pessimistic one at most points: prefixes of what was
  // not flushed were recovered, not only "all lost".
  ASSERT_FALSE(result.notes.empty());
  const std::string& note = result.notes.front();
  const long long states = std::atoll(note.substr(note.rfind("; ") + 2).c_str());
  EXPECT_GT(states, 2 * result.cases / 3) << note;
}

struct BrokenCase {
  MapSinkBug sink_bug;
  StoreBug store_bug;
  const char* message;
};

class MapSinkBrokenTest : public ::testing::TestWithParam<BrokenCase> {};

TEST_P(MapSinkBrokenTest, OnlyTheCrashCheckRejectsIt) {
  const BrokenCase& c = GetParam();
  const CheckResult crash = testkit::check_sink_crash_points(map_sink(c.sink_bug, c.store_bug));
  std::cout << crash << "\n";
  EXPECT_EQ(crash.outcome, CheckResult::Outcome::kFailed);
  EXPECT_THAT(crash.message, HasSubstr(c.message));
  for (const SinkCheck check : testkit::kAllSinkChecks) {
    if (check == SinkCheck::kCrashPoints || check == SinkCheck::kSerialization) continue;
    const CheckResult result = testkit::run_sink_check(check, map_sink(c.sink_bug, c.store_bug));
    EXPECT_TRUE(result.ok()) << result;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Zoo, MapSinkBrokenTest,
    ::testing::Values(
        // A writer's result recorded, its entries lost: records missing.
        BrokenCase{MapSinkBug::kNoFlushInClose, StoreBug::kNone, "lost:\n  put stage/out/"},
        // The commit kept, a copy it shows lost.
        BrokenCase{MapSinkBug::kNoFlushBeforeCommit, StoreBug::kNone,
                   "survived:\n  put commit/out/"},
        // The commit lost after the runner recorded it.
        BrokenCase{MapSinkBug::kNoFlushInFinalize, StoreBug::kNone,
                   "the runner had recorded: initialized, 1 of 1 bundle results, finalize "
                   "attempted once, committed"},
        // A store that lists nothing would have nothing recovered.
        BrokenCase{MapSinkBug::kNone, StoreBug::kListsNoStates,
                   "listed no crash states: a store lists at least the one state"},
        BrokenCase{MapSinkBug::kNone, StoreBug::kRestoreThrows, "threw: MapStore \"map-"}));

TEST(MapStoreTest, AStoreBoundByTheModelSaysItSampled) {
  auto store = MapStore::named("sampled-store");
  for (int i = 0; i < 10; ++i) store->put("k" + std::to_string(i), "v");
  const auto few = store->crash_states({.max_states = 4});
  ASSERT_EQ(few.size(), 4u);
  EXPECT_TRUE(few.front().sampled);
  EXPECT_EQ(few[0].lost.size(), 10u);                              // the most pessimistic first
  EXPECT_EQ(few[1].survived.size(), 10u);                          // then the most optimistic
  EXPECT_EQ(few[2].survived, std::vector<std::string>{"put k0"});  // then each alone
  // 2 + 10 alone + 10 all but one + 7 prefixes not listed yet, of 1024.
  const auto many = store->crash_states({.max_states = 64});
  EXPECT_EQ(many.size(), 29u);
  EXPECT_TRUE(many.front().sampled);
  auto two = MapStore::named("two-changes");
  two->put("a", "1");
  two->put("b", "2");
  const auto every = two->crash_states({});
  EXPECT_EQ(every.size(), 4u);  // every subset of two changes
  EXPECT_FALSE(every.front().sampled);
  store->flush();
  const auto none = store->crash_states({});
  ASSERT_EQ(none.size(), 1u);  // nothing pending: the one state it is in
  EXPECT_TRUE(none.front().lost.empty());
}

TEST(MapStoreTest, RestoringAStatePutsItsContentsInPlace) {
  auto store = MapStore::named("restore-store");
  store->put("a", "1");
  store->flush();
  store->put("b", "2");
  store->erase("a");
  const auto states = store->crash_states({});
  ASSERT_EQ(states.size(), 4u);  // none, both, the put alone, the erase alone
  ASSERT_EQ(states[3].survived, std::vector<std::string>{"erase a"});
  states[3].restore();  // the later change kept, the earlier lost
  EXPECT_EQ(store->contents(), MapStore::Contents{});
  states[2].restore();
  EXPECT_EQ(store->contents(), (MapStore::Contents{{"a", "1"}, {"b", "2"}}));
  states[0].restore();
  EXPECT_EQ(store->contents(), (MapStore::Contents{{"a", "1"}}));
  EXPECT_THROW(store->crash_states({.max_states = 0}), UsageError);
}

}  // namespace
}  // namespace splitcheck::examples
