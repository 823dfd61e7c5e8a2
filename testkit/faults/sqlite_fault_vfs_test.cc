#include "splitcheck/testkit/faults/sqlite_fault_vfs.h"

#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/error.h"
#include "splitcheck/testkit/faults/fault_points.h"

namespace splitcheck::testkit {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

std::string scratch(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string path = std::string(tmp != nullptr ? tmp : "/tmp") + "/" + name;
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-journal");
  return path;
}

// A connection, through `vfs` ("" for the default).
class Db {
 public:
  Db(const std::string& path, const std::string& vfs) {
    sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                    vfs.empty() ? nullptr : vfs.c_str());
  }
  ~Db() { sqlite3_close_v2(db_); }
  // Waits for a lock another connection holds instead of failing.
  void wait_for_locks() { sqlite3_busy_timeout(db_, 10000); }
  // SQLite's result code.
  int exec(const std::string& sql) {
    return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  }
  std::string one(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    std::string out = "<error>";
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    }
    sqlite3_finalize(s);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

const char* kInsert = "BEGIN IMMEDIATE; INSERT INTO t VALUES (2); COMMIT";

// A table with one row, durable (made without the VFS).
std::string one_row(const std::string& name) {
  const std::string path = scratch(name);
  Db db(path, "");
  EXPECT_EQ(db.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1)"), SQLITE_OK);
  return path;
}

TEST(SqliteFaultVfsTest, EveryChangeIsAPointWithoutAHook) {
  const std::string path = one_row("points.db");
  auto points = std::make_shared<FaultPoints>();
  SqliteFaultVfs vfs(points);
  {
    Db db(path, vfs.name());
    ASSERT_EQ(db.exec(kInsert), SQLITE_OK);
  }
  const std::vector<std::string> trace = points->trace();
  EXPECT_THAT(trace, Contains("sqlite lock points.db shared"));
  EXPECT_THAT(trace, Contains("sqlite lock points.db exclusive"));
  EXPECT_THAT(trace, Contains("sqlite sync points.db-journal"));
  EXPECT_THAT(trace, Contains("sqlite sync points.db"));
  EXPECT_THAT(trace, Contains("sqlite delete points.db-journal"));
  EXPECT_THAT(trace, Contains(HasSubstr("sqlite write points.db ")));
}

TEST(SqliteFaultVfsTest, AFailedWriteFailsTheTransactionAndLosesNothing) {
  const std::string path = one_row("fail.db");
  auto points = std::make_shared<FaultPoints>();
  SqliteFaultVfs vfs(points);
  points->inject(0, FaultMode::kFail, "sqlite write fail.db ");
  {
    Db db(path, vfs.name());
    EXPECT_NE(db.exec(kInsert), SQLITE_OK);
    db.exec("ROLLBACK");
  }
  EXPECT_TRUE(points->fired());
  Db check(path, "");
  EXPECT_EQ(check.one("SELECT count(*) FROM t"), "1");
  EXPECT_EQ(check.one("PRAGMA integrity_check"), "ok");
}

// A power loss at each point of a commit, then every state the VFS lists:
// SQLite's journal brings each back to the commit or to before it.
TEST(SqliteFaultVfsTest, TheJournalRecoversEveryCrashState) {
  std::int64_t n = 0;
  {
    const std::string path = one_row("count.db");
    auto points = std::make_shared<FaultPoints>();
    SqliteFaultVfs vfs(points);
    Db db(path, vfs.name());
    ASSERT_EQ(db.exec(kInsert), SQLITE_OK);
    n = points->operations();
  }
  ASSERT_GT(n, 5);
  std::int64_t states = 0;
  for (std::int64_t k = 0; k < n; ++k) {
    const std::string path = one_row("crash.db");
    std::vector<StoreCrashState> survivors;
    {
      auto points = std::make_shared<FaultPoints>();
      SqliteFaultVfs vfs(points);
      points->set_crash_handler([&] { survivors = vfs.crash_states({}); });
      points->inject(k, FaultMode::kCrash);
      Db db(path, vfs.name());
      EXPECT_NE(db.exec(kInsert), SQLITE_OK) << k;
      EXPECT_TRUE(points->crashed()) << k;
    }
    ASSERT_FALSE(survivors.empty()) << k;
    for (const StoreCrashState& state : survivors) {
      ++states;
      state.restore();
      Db db(path, "");
      const std::string count = db.one("SELECT count(*) FROM t");
      EXPECT_TRUE(count == "1" || count == "2") << "point " << k << ": " << count;
      EXPECT_EQ(db.one("PRAGMA integrity_check"), "ok") << "point " << k;
    }
  }
  EXPECT_GT(states, n);
}

// After COMMIT returned: with synchronous = FULL the journal's delete is
// not durable, so a power loss can roll the commit back; EXTRA syncs the
// directory and keeps it.
TEST(SqliteFaultVfsTest, ACommitIsDurableOnlyWithSynchronousExtra) {
  for (const bool extra : {false, true}) {
    const std::string path = one_row(extra ? "extra.db" : "full.db");
    std::vector<StoreCrashState> survivors;
    {
      SqliteFaultVfs vfs(nullptr);
      Db db(path, vfs.name());
      ASSERT_EQ(db.exec(extra ? "PRAGMA synchronous = EXTRA" : "PRAGMA synchronous = FULL"),
                SQLITE_OK);
      ASSERT_EQ(db.exec(kInsert), SQLITE_OK);
      survivors = vfs.crash_states({});
    }
    bool rolled_back = false;
    for (const StoreCrashState& state : survivors) {
      state.restore();
      Db db(path, "");
      rolled_back = rolled_back || db.one("SELECT count(*) FROM t") == "1";
    }
    EXPECT_EQ(rolled_back, !extra);
    if (!extra) {
      EXPECT_THAT(survivors[0].lost, Contains(HasSubstr("delete full.db-journal")));
    }
  }
}

// A crash before the database was first opened: its one state has no
// file, and restoring it removes what a recovery from another state made.
TEST(SqliteFaultVfsTest, RestoringAStateRemovesWhatALaterRecoveryMade) {
  const std::string path = scratch("later.db");
  std::vector<StoreCrashState> states;
  {
    SqliteFaultVfs crashed(nullptr);
    states = crashed.crash_states({});
  }
  ASSERT_EQ(states.size(), 1u);
  {
    SqliteFaultVfs recovery(nullptr);
    Db db(path, recovery.name());
    ASSERT_EQ(db.exec("CREATE TABLE t (x)"), SQLITE_OK);
  }
  ASSERT_TRUE(std::filesystem::exists(path));
  states[0].restore();
  EXPECT_FALSE(std::filesystem::exists(path));
}

// States left out by the model's bounds are reported: the check then says
// it sampled.
TEST(SqliteFaultVfsTest, StatesBoundByTheModelAreMarkedSampled) {
  const std::string path = one_row("sampled.db");
  SqliteFaultVfs vfs(nullptr);
  Db db(path, vfs.name());
  ASSERT_EQ(db.exec("PRAGMA synchronous = OFF"), SQLITE_OK);  // no sync: writes pending
  ASSERT_EQ(db.exec(kInsert), SQLITE_OK);
  const std::vector<StoreCrashState> all = vfs.crash_states({});
  ASSERT_GT(all.size(), 1u);
  EXPECT_FALSE(all.front().sampled);
  const std::vector<StoreCrashState> one = vfs.crash_states({.max_states = 1});
  ASSERT_EQ(one.size(), 1u);
  EXPECT_TRUE(one.front().sampled);
}

// Connections on several threads through one VFS, its states listed while
// they write (run under --config=tsan): every commit lands, and the states
// listed after the last one include the database as committed.
TEST(SqliteFaultVfsTest, ThreadsShareOneVfs) {
  const std::string path = one_row("threads.db");
  auto points = std::make_shared<FaultPoints>();
  SqliteFaultVfs vfs(points);
  constexpr int kThreads = 3, kRows = 20;
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      Db db(path, vfs.name());
      db.wait_for_locks();
      for (int i = 0; i < kRows; ++i) {
        EXPECT_EQ(db.exec("BEGIN IMMEDIATE; INSERT INTO t VALUES (" + std::to_string(100 * t + i) +
                          "); COMMIT"),
                  SQLITE_OK);
      }
    });
  }
  std::thread lister([&] {
    for (int i = 0; i < 20; ++i) EXPECT_FALSE(vfs.crash_states({}).empty());
  });
  for (std::thread& w : writers) w.join();
  lister.join();
  Db db(path, vfs.name());
  EXPECT_EQ(db.one("SELECT count(*) FROM t"), std::to_string(1 + kThreads * kRows));
  EXPECT_GT(points->operations(), kThreads * kRows);
}

TEST(SqliteFaultVfsTest, InstalledOnPointsItIsTheirStore) {
  auto points = std::make_shared<FaultPoints>();
  const std::string name = install_sqlite_fault_vfs(points);
  EXPECT_THAT(name, HasSubstr("splitcheck-faults-"));
  EXPECT_NE(sqlite3_vfs_find(name.c_str()), nullptr);
  EXPECT_EQ(points->stores().size(), 1u);
  EXPECT_EQ(install_sqlite_fault_vfs(nullptr), "");
  points.reset();  // the VFS goes with its points
  EXPECT_EQ(sqlite3_vfs_find(name.c_str()), nullptr);
}

}  // namespace
}  // namespace splitcheck::testkit
