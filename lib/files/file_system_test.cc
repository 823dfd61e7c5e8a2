// The FileSystem contract, checked on both implementations, plus what only
// one of them can do.

#include "splitcheck/lib/files/file_system.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/files/file_system_wrapper.h"
#include "splitcheck/lib/files/in_memory_file_system.h"
#include "splitcheck/testkit/error_matchers.h"

namespace splitcheck {
namespace {

using ::splitcheck::testkit::InputErrorOf;
using ::splitcheck::testkit::UsageErrorOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// Reads in 7-byte steps, so that partial reads are exercised.
std::string read_in_small_steps(ReadableFile& file) {
  std::string out;
  char buffer[7];
  for (std::size_t n; (n = file.read(buffer, sizeof buffer)) > 0;) out.append(buffer, n);
  return out;
}

void write(FileSystem& fs, const std::string& path, const std::string& bytes) {
  auto file = fs.create(path);
  file->append(bytes);
  file->close();
}

std::vector<std::string> paths(const std::vector<FileMetadata>& files) {
  std::vector<std::string> out;
  for (const auto& f : files) out.push_back(f.path);
  return out;
}

struct Fixture {
  std::shared_ptr<FileSystem> fs;
  std::string root;  // every path of the test lives under it
};

class FileSystemContractTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (GetParam()) {
      const char* tmp = std::getenv("TEST_TMPDIR");
      root_ = std::string(tmp != nullptr ? tmp : "/tmp") + "/fs_contract_" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name();
      std::filesystem::remove_all(root_);
      fs_ = local_file_system();
    } else {
      root_ = "/mem";
      fs_ = std::make_shared<InMemoryFileSystem>();
    }
  }
  std::string at(const std::string& relative) const { return root_ + "/" + relative; }

  std::shared_ptr<FileSystem> fs_;
  std::string root_;
};

TEST_P(FileSystemContractTest, CreateThenReadBackFromAnyOffset) {
  write(*fs_, at("d/e/f.txt"), "hello, world");
  EXPECT_EQ(fs_->read_all(at("d/e/f.txt"), 0), "hello, world");
  EXPECT_EQ(fs_->read_all(at("d/e/f.txt"), 7), "world");
  EXPECT_EQ(read_in_small_steps(*fs_->open(at("d/e/f.txt"), 1)), "ello, world");
  EXPECT_EQ(fs_->read_all(at("d/e/f.txt"), 12), "");
  EXPECT_EQ(fs_->stat(at("d/e/f.txt")), (FileMetadata{at("d/e/f.txt"), 12}));
  EXPECT_EQ(fs_->stat(at("d/e/missing.txt")), std::nullopt);
}

TEST_P(FileSystemContractTest, ReadAllReadsPastItsBuffer) {
  std::string big;
  for (int i = 0; big.size() < 200'000; ++i) big += std::to_string(i) + ",";
  write(*fs_, at("big"), big);
  EXPECT_EQ(fs_->read_all(at("big")), big);
  EXPECT_EQ(fs_->read_all(at("big"), 70'000), big.substr(70'000));
  EXPECT_THROW(fs_->read_all(at("missing")), InputError);
}

TEST_P(FileSystemContractTest, CreateTruncates) {
  write(*fs_, at("f"), "long contents");
  write(*fs_, at("f"), "short");
  EXPECT_EQ(fs_->read_all(at("f"), 0), "short");
}

TEST_P(FileSystemContractTest, ListIsRecursiveAndSorted) {
  write(*fs_, at("b/2"), "x");
  write(*fs_, at("a"), "xy");
  write(*fs_, at("b/1/z"), "");
  EXPECT_THAT(paths(fs_->list(root_)), ElementsAre(at("a"), at("b/1/z"), at("b/2")));
  EXPECT_THAT(paths(fs_->list(at("b"))), ElementsAre(at("b/1/z"), at("b/2")));
  EXPECT_THAT(fs_->list(at("nothing-here")), IsEmpty());
}

TEST_P(FileSystemContractTest, RenameReplacesAndRemoveReports) {
  write(*fs_, at("tmp/x"), "new");
  write(*fs_, at("out/x"), "old");
  fs_->rename(at("tmp/x"), at("out/x"));
  EXPECT_EQ(fs_->read_all(at("out/x"), 0), "new");
  EXPECT_EQ(fs_->stat(at("tmp/x")), std::nullopt);
  EXPECT_THAT(InputErrorOf([&] { fs_->rename(at("tmp/x"), at("out/y")); }), HasSubstr(at("tmp/x")));
  EXPECT_TRUE(fs_->remove(at("out/x")));
  EXPECT_FALSE(fs_->remove(at("out/x")));
}

TEST_P(FileSystemContractTest, RemoveDirectoryOnlyWhenEmpty) {
  write(*fs_, at("d/f"), "x");
  EXPECT_THAT(InputErrorOf([&] { fs_->remove_directory(at("d")); }), HasSubstr(at("d")));
  fs_->remove(at("d/f"));
  fs_->remove_directory(at("d"));
  EXPECT_THAT(fs_->list(root_), IsEmpty());
  EXPECT_FALSE(fs_->remove_directory(at("never-was")));
}

TEST_P(FileSystemContractTest, OpeningAMissingFileNamesIt) {
  EXPECT_THAT(InputErrorOf([&] { fs_->open(at("absent.txt"), 0); }), HasSubstr(at("absent.txt")));
  EXPECT_THAT(UsageErrorOf([&] { fs_->open(at("absent.txt"), -1); }),
              HasSubstr("negative offset -1"));
}

TEST_P(FileSystemContractTest, WritableFileMisuseIsAUsageError) {
  auto file = fs_->create(at("w"));
  file->close();
  EXPECT_THAT(UsageErrorOf([&] { file->append("x"); }), HasSubstr("after close"));
  EXPECT_THAT(UsageErrorOf([&] { file->close(); }), HasSubstr("closed twice"));
}

TEST_P(FileSystemContractTest, MatchGlobsAndPlainPaths) {
  for (const char* p : {"in/part-0.txt", "in/part-1.txt", "in/part-1.gz", "in/sub/part-2.txt"}) {
    write(*fs_, at(p), "x");
  }
  EXPECT_THAT(paths(fs_->match(at("in/part-*.txt"))),
              ElementsAre(at("in/part-0.txt"), at("in/part-1.txt")));
  EXPECT_THAT(paths(fs_->match(at("in/**.txt"))),
              ElementsAre(at("in/part-0.txt"), at("in/part-1.txt"), at("in/sub/part-2.txt")));
  EXPECT_THAT(paths(fs_->match(at("in/part-[1-9].*"))),
              ElementsAre(at("in/part-1.gz"), at("in/part-1.txt")));
  EXPECT_THAT(paths(fs_->match(at("in/part-0.txt"))), ElementsAre(at("in/part-0.txt")));
}

TEST_P(FileSystemContractTest, EmptyMatchTreatment) {
  EXPECT_THAT(InputErrorOf([&] { fs_->match(at("none/*.txt")); }),
              HasSubstr("no file matches \"" + at("none/*.txt") + "\""));
  EXPECT_THAT(
      InputErrorOf([&] { fs_->match(at("none.txt"), EmptyMatchTreatment::kAllowIfWildcard); }),
      HasSubstr("no such file"));
  EXPECT_THAT(fs_->match(at("none/*.txt"), EmptyMatchTreatment::kAllowIfWildcard), IsEmpty());
  EXPECT_THAT(fs_->match(at("none.txt"), EmptyMatchTreatment::kAllow), IsEmpty());
  EXPECT_THAT(UsageErrorOf([&] { fs_->match(""); }), HasSubstr("empty"));
}

// A malformed pattern is a UsageError whether or not anything is there to
// match it, and whatever empty matches are allowed.
TEST_P(FileSystemContractTest, MalformedPatternsAreUsageErrorsEvenWhereNothingMatches) {
  for (const EmptyMatchTreatment empty :
       {EmptyMatchTreatment::kDisallow, EmptyMatchTreatment::kAllow,
        EmptyMatchTreatment::kAllowIfWildcard}) {
    EXPECT_THAT(UsageErrorOf([&] { fs_->match(at("none/[abc"), empty); }),
                HasSubstr("is not closed"));
    EXPECT_THAT(UsageErrorOf([&] { fs_->match(at("none/file\\"), empty); }),
                HasSubstr("unfinished escape"));
  }
  write(*fs_, at("in/a.txt"), "x");
  EXPECT_THAT(UsageErrorOf([&] { fs_->match(at("in/[abc")); }), HasSubstr("is not closed"));
}

// A path that names a directory is not "no such file", even where empty
// matches are allowed: the path is there, it is just not a file.
TEST_P(FileSystemContractTest, APlainPathToADirectorySaysSo) {
  write(*fs_, at("in/a.txt"), "x");
  for (const EmptyMatchTreatment empty :
       {EmptyMatchTreatment::kDisallow, EmptyMatchTreatment::kAllow}) {
    const std::string message = InputErrorOf([&] { fs_->match(at("in"), empty); });
    EXPECT_THAT(message, HasSubstr("\"" + at("in") + "\" is a directory, not a file"));
    EXPECT_THAT(message, Not(HasSubstr("no such file")));
  }
}

INSTANTIATE_TEST_SUITE_P(Both, FileSystemContractTest, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "Local" : "InMemory"; });

TEST(LocalFileSystemTest, DirectoryIsNotAFile) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string dir = std::string(tmp != nullptr ? tmp : "/tmp") + "/a_directory";
  std::filesystem::create_directories(dir);
  EXPECT_EQ(local_file_system()->stat(dir), std::nullopt);
  EXPECT_THAT(InputErrorOf([&] { local_file_system()->open(dir, 0); }),
              HasSubstr("open \"" + dir + "\": Is a directory"));
}

TEST(LocalFileSystemTest, SpecialFilesAreNamedForWhatTheyAre) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string fifo = std::string(tmp != nullptr ? tmp : "/tmp") + "/a_fifo";
  std::filesystem::remove(fifo);
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_THAT(InputErrorOf([&] { local_file_system()->match(fifo); }),
              HasSubstr("\"" + fifo + "\" is a FIFO, not a regular file"));
  EXPECT_THAT(InputErrorOf([&] { local_file_system()->match("/dev/null"); }),
              HasSubstr("\"/dev/null\" is a device, not a regular file"));
  std::filesystem::remove(fifo);
}

TEST(LocalFileSystemTest, PermissionDeniedNamesTheFile) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads every file; the in-memory test covers this";
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string path = std::string(tmp != nullptr ? tmp : "/tmp") + "/unreadable";
  write(*local_file_system(), path, "secret");
  ::chmod(path.c_str(), 0);
  EXPECT_THAT(InputErrorOf([&] { local_file_system()->open(path, 0); }),
              HasSubstr("Permission denied"));
}

TEST(InMemoryFileSystemTest, OpenFilesSeeShrinkingVanishingAndPermissions) {
  InMemoryFileSystem fs;
  fs.set_contents("f", "0123456789");
  auto file = fs.open("f", 0);
  char buffer[4];
  ASSERT_EQ(file->read(buffer, 4), 4u);
  fs.set_contents("f", "012345");
  ASSERT_EQ(file->read(buffer, 4), 2u);  // the bytes left of the shorter file
  fs.set_readable("f", false);
  EXPECT_THAT(InputErrorOf([&] { file->read(buffer, 4); }),
              HasSubstr("read \"f\": permission denied"));
  EXPECT_THAT(InputErrorOf([&] { fs.open("f", 0); }), HasSubstr("open \"f\": permission denied"));
  fs.remove("f");
  EXPECT_THAT(InputErrorOf([&] { file->read(buffer, 4); }), HasSubstr("read \"f\": no such file"));
}

TEST(FileSystemWrapperTest, ForwardsEveryCallItDoesNotOverride) {
  auto base = std::make_shared<InMemoryFileSystem>();
  write(*base, "/mem/in/a.txt", "abc");
  const FileSystemWrapper wrapper(base);
  EXPECT_EQ(wrapper.read_all("/mem/in/a.txt"), "abc");
  EXPECT_THAT(paths(wrapper.match("/mem/in/*.txt")), ElementsAre("/mem/in/a.txt"));
  EXPECT_THAT(InputErrorOf([&] { wrapper.match("/mem/in"); }), HasSubstr("is a directory"));
  FileSystemWrapper writable(base);
  writable.sync("/mem/in/a.txt");
  sync_directory_and_parents(writable, "/mem/in");
  base->crash();
  EXPECT_EQ(base->contents("/mem/in/a.txt"), "abc");
  EXPECT_THAT(UsageErrorOf([] { FileSystemWrapper(nullptr); }), HasSubstr("must not be null"));
}

// Durability: what a crash keeps.
class InMemoryDurabilityTest : public ::testing::Test {
 protected:
  // "out" and "tmp" exist, durably, as directories a test writes into do.
  InMemoryDurabilityTest() {
    fs_.set_directory("out");
    fs_.set_directory("tmp/");
  }
  void write_closed(const std::string& path, const std::string& bytes) {
    auto file = fs_.create(path);
    file->append(bytes);
    file->close();
  }
  InMemoryFileSystem fs_;
};

TEST_F(InMemoryDurabilityTest, AFileNeverSyncedIsGoneAfterACrash) {
  write_closed("out/a", "abc");
  EXPECT_EQ(fs_.contents("out/a"), "abc");  // applied: every call sees it
  fs_.crash();
  EXPECT_EQ(fs_.contents("out/a"), std::nullopt);
}

TEST_F(InMemoryDurabilityTest, SyncingTheFileButNotItsDirectoryLosesTheEntry) {
  write_closed("out/a", "abc");
  fs_.sync("out/a");
  fs_.crash();
  EXPECT_EQ(fs_.contents("out/a"), std::nullopt);
}

TEST_F(InMemoryDurabilityTest, SyncingTheDirectoryButNotTheFileKeepsAnEmptyFile) {
  write_closed("out/a", "abc");
  fs_.sync_directory("out");
  fs_.crash();
  EXPECT_EQ(fs_.contents("out/a"), "");
}

TEST_F(InMemoryDurabilityTest, FileAndDirectorySyncedSurvive) {
  write_closed("out/a", "abc");
  fs_.sync("out/a");
  fs_.sync_directory("out/");
  write_closed("out/a", "rewritten, not synced");
  fs_.crash();
  EXPECT_EQ(fs_.contents("out/a"), "abc");
}

TEST_F(InMemoryDurabilityTest, RenamesAndRemovesAreUndoneUntilTheirDirectoriesAreSynced) {
  fs_.set_contents("tmp/t", "data");  // durable, as a test's input is
  fs_.set_contents("out/old", "old");
  fs_.rename("tmp/t", "out/final");
  fs_.remove("out/old");
  fs_.sync_directory("out");  // the destination, not the source
  fs_.crash();
  EXPECT_EQ(fs_.contents("out/final"), "data");
  EXPECT_EQ(fs_.contents("tmp/t"), std::nullopt);  // one atomic change of both directories
  EXPECT_EQ(fs_.contents("out/old"), std::nullopt);
}

TEST_F(InMemoryDurabilityTest, SyncingARenamesSourceDirectoryAloneDoesNotMakeItDurable) {
  fs_.set_contents("tmp/t", "data");
  fs_.rename("tmp/t", "out/final");
  fs_.sync_directory("tmp");
  fs_.crash();
  EXPECT_EQ(fs_.contents("tmp/t"), "data");
  EXPECT_EQ(fs_.contents("out/final"), std::nullopt);
}

TEST_F(InMemoryDurabilityTest, ARenameMadeDurableTakesTheCreateItMoves) {
  write_closed("tmp/t", "data");
  fs_.sync("tmp/t");
  fs_.rename("tmp/t", "out/final");
  fs_.sync_directory("out");  // tmp never synced: its create comes along
  fs_.crash();
  EXPECT_EQ(fs_.contents("out/final"), "data");
}

// "path=bytes;..." of each state.
std::vector<std::string> images(const std::vector<CrashState>& states) {
  std::vector<std::string> out;
  for (const CrashState& state : states) {
    std::string image;
    for (const FileMetadata& f : state.file_system->list("")) {
      image += f.path + "=" + *state.file_system->contents(f.path) + ";";
    }
    out.push_back(image);
  }
  return out;
}

TEST_F(InMemoryDurabilityTest, CrashStatesKeepAnySubsetOfWhatWasNotDurable) {
  fs_.set_contents("tmp/a", "A");
  fs_.set_contents("tmp/b", "B");
  fs_.rename("tmp/a", "out/a");
  fs_.rename("tmp/b", "out/b");
  const std::vector<CrashState> states = fs_.crash_states();
  EXPECT_THAT(images(states),
              ::testing::UnorderedElementsAre("tmp/a=A;tmp/b=B;", "out/a=A;out/b=B;",
                                              "out/a=A;tmp/b=B;", "out/b=B;tmp/a=A;"));
  EXPECT_EQ(images(states)[0], "tmp/a=A;tmp/b=B;");  // the most pessimistic first
  EXPECT_EQ(states[0].describe(),
            "survived: nothing that was not durable\nlost:\n  rename tmp/a -> out/a\n"
            "  rename tmp/b -> out/b");
  // Every state is durable through and through: a second crash keeps it.
  for (const CrashState& state : states) {
    const std::vector<std::string> before = images({state});
    state.file_system->crash();
    EXPECT_EQ(images({state}), before);
  }
}

TEST_F(InMemoryDurabilityTest, CrashStatesTearTheBytesNotSynced) {
  fs_.set_contents("out/a", "ab");
  {
    auto file = fs_.create("out/c");
    file->append("cd");
    file->append("efgh");
    file->close();
  }
  fs_.sync_directory("out");
  CrashModel model;
  model.cuts_per_file = 5;
  EXPECT_THAT(images(fs_.crash_states(model)),
              ::testing::UnorderedElementsAre("out/a=ab;out/c=;", "out/a=ab;out/c=cd;",
                                              "out/a=ab;out/c=cdef;", "out/a=ab;out/c=cdefgh;"));
  const std::vector<CrashState> states = fs_.crash_states(model);
  EXPECT_THAT(states[0].lost, ::testing::Contains("the 6 bytes of \"out/c\" not synced"));
  EXPECT_THAT(UsageErrorOf([&] {
                fs_.crash_states(CrashModel{0, 2, 0});
              }),
              HasSubstr("max_states 0 must be at least 1"));
}

TEST_F(InMemoryDurabilityTest, ARemoveNotMadeDurableIsUndone) {
  fs_.set_contents("out/a", "a");
  fs_.remove("out/a");
  fs_.crash();
  EXPECT_EQ(fs_.contents("out/a"), "a");
}

TEST_F(InMemoryDurabilityTest, SyncDirectoryCoversItsOwnEntriesOnly) {
  write_closed("out/sub/a", "a");
  fs_.sync("out/sub/a");
  fs_.sync_directory("out");
  fs_.crash();
  EXPECT_EQ(fs_.contents("out/sub/a"), std::nullopt);
  write_closed("top", "t");
  fs_.sync("top");
  fs_.sync_directory("");
  fs_.crash();
  EXPECT_EQ(fs_.contents("top"), "t");
}

TEST_F(InMemoryDurabilityTest, ANewDirectoryNeedsItsParentSynced) {
  write_closed("new/sub/a", "abc");
  fs_.sync("new/sub/a");
  fs_.sync_directory("new/sub");
  fs_.sync_directory("new");  // "sub" durable in "new", but "new" not in ""
  fs_.crash();
  EXPECT_EQ(fs_.contents("new/sub/a"), std::nullopt);

  write_closed("new/sub/a", "abc");
  fs_.sync("new/sub/a");
  sync_directory_and_parents(fs_, "new/sub/");
  fs_.crash();
  EXPECT_EQ(fs_.contents("new/sub/a"), "abc");
  // Made once, a directory stays: a later file needs only its own entry.
  write_closed("new/sub/b", "b");
  fs_.sync("new/sub/b");
  fs_.sync_directory("new/sub");
  fs_.crash();
  EXPECT_EQ(fs_.contents("new/sub/b"), "b");
}

TEST_F(InMemoryDurabilityTest, CrashStatesLoseANewDirectoryWithWhatIsUnderIt) {
  write_closed("new/a", "abc");
  fs_.sync("new/a");
  fs_.sync_directory("new");
  const std::vector<CrashState> states = fs_.crash_states();
  EXPECT_THAT(images(states), ::testing::UnorderedElementsAre("", "new/a=abc;"));
  EXPECT_EQ(states[0].describe(),
            "survived: nothing that was not durable\nlost:\n  create directory new\n"
            "  new/a, with a directory above it");
}

TEST(InMemoryFileSystemTest, ASetDirectoryIsDurableAndEmpty) {
  InMemoryFileSystem fs;
  fs.set_directory("a/b/");
  EXPECT_TRUE(fs.list("a").empty());
  auto file = fs.create("a/b/f");
  file->append("x");
  file->close();
  fs.sync("a/b/f");
  fs.sync_directory("a/b");  // the only sync needed: "a" and "a/b" were there
  fs.crash();
  EXPECT_EQ(fs.contents("a/b/f"), "x");
}

TEST(SyncDirectoryAndParentsTest, SyncsEveryDirectoryUpToTheTop) {
  struct Recording final : FileSystemWrapper {
    using FileSystemWrapper::FileSystemWrapper;
    void sync_directory(const std::string& dir) override { synced.push_back(dir); }
    std::vector<std::string> synced;
  };
  Recording fs(std::make_shared<InMemoryFileSystem>());
  sync_directory_and_parents(fs, "a/b/");
  sync_directory_and_parents(fs, "/x/y");
  sync_directory_and_parents(fs, "");
  EXPECT_THAT(fs.synced, ::testing::ElementsAre("a/b", "a", "", "/x/y", "/x", "/", ""));
}

TEST_F(InMemoryDurabilityTest, SyncOfAMissingFileNamesIt) {
  EXPECT_THAT(InputErrorOf([&] { fs_.sync("out/none"); }),
              HasSubstr("sync \"out/none\": no such file"));
}

TEST(LocalFileSystemTest, SyncAndSyncDirectoryReachTheDisk) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string dir = std::string(tmp != nullptr ? tmp : "/tmp") + "/durable";
  std::filesystem::create_directories(dir);
  write(*local_file_system(), dir + "/a", "abc");
  local_file_system()->sync(dir + "/a");
  local_file_system()->sync_directory(dir);
  EXPECT_EQ(local_file_system()->read_all(dir + "/a"), "abc");
  EXPECT_THAT(InputErrorOf([&] { local_file_system()->sync(dir + "/none"); }),
              HasSubstr("sync \"" + dir + "/none\": No such file"));
  local_file_system()->sync_directory(dir + "/none");  // nothing there to make durable
  EXPECT_THAT(InputErrorOf([&] { local_file_system()->sync_directory(dir + "/a"); }),
              HasSubstr("sync directory \"" + dir + "/a\": Not a directory"));
}

TEST(InMemoryFileSystemTest, UnclosedFileIsEmpty) {
  InMemoryFileSystem fs;
  auto file = fs.create("f");
  file->append("lost in a crash");
  EXPECT_EQ(fs.contents("f"), "");
  file->close();
  EXPECT_EQ(fs.contents("f"), "lost in a crash");
}

}  // namespace
}  // namespace splitcheck
