#include "splitcheck/lib/files/internal/crash_states.h"

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace splitcheck::internal {
namespace {

std::shared_ptr<InMemoryInode> inode(std::string durable, std::string applied,
                                     std::vector<std::size_t> ends = {}) {
  auto i = std::make_shared<InMemoryInode>();
  i->durable = std::make_shared<const std::string>(std::move(durable));
  i->applied = std::make_shared<const std::string>(std::move(applied));
  i->append_ends = std::move(ends);
  return i;
}

// The directories the tests' files lie in, all durable.
const Directories kDirectories{"d", "o", "t"};

// Each state as "path=bytes;..." for comparison.
std::set<std::string> images(const SurvivingStates& s) {
  std::set<std::string> out;
  for (const SurvivingState& state : s.states) {
    std::string image;
    for (const auto& [path, file] : state.files) image += path + "=" + *file.bytes + ";";
    out.insert(image);
  }
  return out;
}

TEST(CrashStatesTest, NothingPendingIsOneState) {
  Namespace durable{{"a", inode("x", "x")}};
  const SurvivingStates s = surviving_states(durable, kDirectories, {}, {});
  EXPECT_EQ(images(s), std::set<std::string>{"a=x;"});
  EXPECT_FALSE(s.sampled);
}

TEST(CrashStatesTest, ARenameSurvivesOnlyWithTheCreateItMoves) {
  auto file = inode("ab", "ab");
  const std::vector<NamespaceChange> pending = {
      {NamespaceChange::Kind::kCreate, "t/f", "", file},
      {NamespaceChange::Kind::kRename, "t/f", "o/f", file},
  };
  const SurvivingStates s = surviving_states({}, kDirectories, pending, {});
  // Nothing; the create alone; both. Never the rename alone.
  EXPECT_EQ(images(s), (std::set<std::string>{"", "t/f=ab;", "o/f=ab;"}));
}

TEST(CrashStatesTest, IndependentChangesSurviveInEveryCombination) {
  const std::vector<NamespaceChange> pending = {
      {NamespaceChange::Kind::kCreate, "d/a", "", inode("1", "1")},
      {NamespaceChange::Kind::kCreate, "d/b", "", inode("2", "2")},
  };
  EXPECT_EQ(images(surviving_states({}, kDirectories, pending, {})),
            (std::set<std::string>{"", "d/a=1;", "d/b=2;", "d/a=1;d/b=2;"}));
}

TEST(CrashStatesTest, UnsyncedAppendsAreCutAtAppendsAndTornInTheLast) {
  // Durable "ab"; appended "cd", "ef", "ghij" since.
  Namespace durable{{"f", inode("ab", "abcdefghij", {2, 4, 6, 10})}};
  CrashStateLimits limits;
  limits.cuts_per_file = 8;
  const std::set<std::string> got = images(surviving_states(durable, kDirectories, {}, limits));
  EXPECT_EQ(got, (std::set<std::string>{"f=ab;", "f=abcd;", "f=abcdef;", "f=abcdefgh;",
                                        "f=abcdefghij;"}));
}

TEST(CrashStatesTest, ARewriteKeepsTheOldBytesOrAPrefixOfTheNew) {
  Namespace durable{{"f", inode("old", "new!", {4})}};
  const std::set<std::string> got = images(surviving_states(durable, kDirectories, {}, {}));
  EXPECT_TRUE(got.count("f=old;"));
  EXPECT_TRUE(got.count("f=new!;"));
  EXPECT_TRUE(got.count("f=;"));
  EXPECT_TRUE(got.count("f=ne;"));  // torn
}

TEST(CrashStatesTest, TheFirstStateIsTheMostPessimistic) {
  const std::vector<NamespaceChange> pending = {
      {NamespaceChange::Kind::kCreate, "a", "", inode("", "data", {4})},
  };
  const SurvivingStates s = surviving_states({}, kDirectories, pending, {});
  ASSERT_FALSE(s.states.empty());
  EXPECT_TRUE(s.states[0].files.empty());
  EXPECT_EQ(s.states[0].lost, std::vector<std::string>{"create a"});
}

TEST(CrashStatesTest, ManyChangesAreSampledWithinTheLimit) {
  std::vector<NamespaceChange> pending;
  for (int i = 0; i < 20; ++i) {
    pending.push_back(
        {NamespaceChange::Kind::kCreate, "d/" + std::to_string(i), "", inode("x", "x")});
  }
  CrashStateLimits limits;
  limits.max_states = 50;  // at least 2 + 2 x 20: every change alone and lost alone
  const SurvivingStates s = surviving_states({}, kDirectories, pending, limits);
  EXPECT_TRUE(s.sampled);
  EXPECT_EQ(s.states.size(), 50u);
  EXPECT_TRUE(s.states[0].files.empty());
  EXPECT_EQ(s.states[1].files.size(), 20u);
  // Deterministic from the seed.
  EXPECT_EQ(images(s), images(surviving_states({}, kDirectories, pending, limits)));
  // The budget reaches the last change too: kept alone, and lost alone.
  bool last_alone = false, last_lost_alone = false;
  for (const SurvivingState& state : s.states) {
    last_alone = last_alone || (state.files.size() == 1 && state.files.count("d/19") == 1);
    last_lost_alone =
        last_lost_alone || (state.files.size() == 19 && state.files.count("d/19") == 0);
  }
  EXPECT_TRUE(last_alone);
  EXPECT_TRUE(last_lost_alone);
}

TEST(CrashStatesTest, ADirectoryLostTakesEverythingUnderItDurableOrNot) {
  // "n" made, then "n/f" created and made durable (its directory synced),
  // then "n/g" created; the parent of "n" never synced.
  Namespace durable{{"n/f", inode("F", "F")}};
  const std::vector<NamespaceChange> pending = {
      {NamespaceChange::Kind::kMakeDirectory, "n", "", nullptr},
      {NamespaceChange::Kind::kMakeDirectory, "n/s", "", nullptr},
      {NamespaceChange::Kind::kCreate, "n/s/g", "", inode("G", "G")},
  };
  const SurvivingStates s = surviving_states(durable, {}, pending, {});
  EXPECT_EQ(images(s), (std::set<std::string>{"", "n/f=F;", "n/f=F;n/s/g=G;"}));
  EXPECT_EQ(s.states[0].lost,
            (std::vector<std::string>{"create directory n", "create directory n/s", "create n/s/g",
                                      "n/f, with a directory above it"}));
  // A change is never kept without the directories it is under.
  for (const SurvivingState& state : s.states) {
    if (state.files.count("n/s/g")) {
      EXPECT_EQ(state.directories, (Directories{"n", "n/s"}));
    }
  }
  EXPECT_TRUE(pending[2].needs(pending[1]));
  EXPECT_TRUE(pending[2].needs(pending[0]));
  EXPECT_FALSE(pending[1].needs(pending[2]));
  // Not a durability dependency: syncing "n/s" makes "n/s/g" durable alone.
  EXPECT_EQ(with_dependencies(pending, 2), std::vector<std::size_t>{2});
}

TEST(CrashStatesTest, DependenciesAreTransitive) {
  auto file = inode("", "");
  const std::vector<NamespaceChange> pending = {
      {NamespaceChange::Kind::kCreate, "a", "", file},
      {NamespaceChange::Kind::kCreate, "z", "", inode("", "")},
      {NamespaceChange::Kind::kRename, "a", "b", file},
      {NamespaceChange::Kind::kRename, "b", "c", file},
  };
  EXPECT_EQ(with_dependencies(pending, 3), (std::vector<std::size_t>{0, 2, 3}));
  EXPECT_EQ(with_dependencies(pending, 1), (std::vector<std::size_t>{1}));
}

}  // namespace
}  // namespace splitcheck::internal
