#include "splitcheck/testkit/faults/fault_injecting_file_system.h"

#include <memory>
#include <string>

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

TEST(FaultInjectingFileSystemTest, AFaultOnASyncLeavesItUndone) {
  auto base = std::make_shared<InMemoryFileSystem>();
  FaultInjectingFileSystem fs(base);
  auto file = fs.create("out/a");
  file->append("abc");
  file->close();
  fs.inject(0, FaultMode::kCrash, "sync");
  try {
    fs.sync("out/a");
    ADD_FAILURE() << "the injected fault did not fire";
  } catch (const InjectedFailure& e) {
    EXPECT_THAT(e.what(), HasSubstr("injected crash at \"sync out/a\""));
  }
  fs.sync_directory("out");
  base->crash();
  EXPECT_EQ(base->contents("out/a"), "");  // the entry survived, the bytes did not
}

}  // namespace
}  // namespace splitcheck::testkit
