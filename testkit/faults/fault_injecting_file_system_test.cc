#include "splitcheck/testkit/faults/fault_injecting_file_system.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/error.h"
#include "splitcheck/lib/files/in_memory_file_system.h"

namespace splitcheck::testkit {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(FaultInjectingFileSystemTest, SyncsAreCountedPoints) {
  auto base = std::make_shared<InMemoryFileSystem>();
  base->set_directory("out");
  FaultInjectingFileSystem fs(base);
  auto file = fs.create("out/a");
  file->append("abc");
  file->close();
  fs.sync("out/a");
  fs.sync_directory("out");
  EXPECT_THAT(fs.trace(),
              ElementsAre("create out/a", "close out/a", "sync out/a", "sync_directory out"));
  base->crash();
  EXPECT_EQ(base->contents("out/a"), "abc");
}

TEST(FaultInjectingFileSystemTest, AFailedSyncLeavesItUndone) {
  auto base = std::make_shared<InMemoryFileSystem>();
  base->set_directory("out");
  FaultInjectingFileSystem fs(base);
  auto file = fs.create("out/a");
  file->append("abc");
  file->close();
  fs.inject(0, FaultMode::kFail, "sync");
  try {
    fs.sync("out/a");
    ADD_FAILURE() << "the injected fault did not fire";
  } catch (const InjectedFailure& e) {
    EXPECT_THAT(e.what(), HasSubstr("injected failure at \"sync out/a\""));
  }
  fs.sync_directory("out");
  base->crash();
  EXPECT_EQ(base->contents("out/a"), "");  // the entry survived, the bytes did not
}

TEST(FaultInjectingFileSystemTest, ACrashStopsTheMachineAndHandsOverWhatSurvives) {
  auto base = std::make_shared<InMemoryFileSystem>();
  base->set_directory("out");
  auto points = std::make_shared<FaultPoints>();
  FaultInjectingFileSystem fs(base, points);
  std::vector<CrashState> survivors;
  points->set_crash_handler([&] { survivors = base->crash_states(); });
  auto file = fs.create("out/a");
  file->append("abc");
  file->close();
  fs.sync("out/a");
  fs.inject(0, FaultMode::kCrash);
  try {
    fs.sync_directory("out");
    ADD_FAILURE() << "the injected crash did not fire";
  } catch (const MachineCrash& e) {
    EXPECT_THAT(e.what(), HasSubstr("injected crash at \"sync_directory out\""));
  }
  EXPECT_TRUE(points->crashed());
  // The machine is down: nothing else happens, and the trace stops.
  EXPECT_THROW(fs.remove("out/a"), MachineCrash);
  EXPECT_THROW(points->before("commit"), MachineCrash);
  EXPECT_EQ(base->contents("out/a"), "abc");
  EXPECT_THAT(fs.trace(),
              ElementsAre("create out/a", "close out/a", "sync out/a", "! sync_directory out"));
  // The create was never made durable: it survives or not.
  ASSERT_EQ(survivors.size(), 2u);
  EXPECT_EQ(survivors[0].file_system->contents("out/a"), std::nullopt);
  EXPECT_EQ(survivors[1].file_system->contents("out/a"), "abc");
}

// The base file system sees each append, so a crash can cut the bytes at
// the end of any of them (not only tear the whole close).
TEST(FaultInjectingFileSystemTest, AppendsReachTheBaseOneByOne) {
  auto base = std::make_shared<InMemoryFileSystem>();
  base->set_directory("out");
  FaultInjectingFileSystem fs(base);
  auto file = fs.create("out/a");
  file->append("line 1\n");
  file->append("line 2\n");
  file->close();
  fs.sync_directory("out");
  std::vector<std::string> contents;
  CrashModel model;
  model.cuts_per_file = 4;
  for (const CrashState& state : base->crash_states(model)) {
    contents.push_back(state.file_system->contents("out/a").value_or("(none)"));
  }
  EXPECT_THAT(contents, ::testing::Contains("line 1\n"));
}

}  // namespace
}  // namespace splitcheck::testkit
