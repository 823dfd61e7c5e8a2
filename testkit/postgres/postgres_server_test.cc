#include "splitcheck/testkit/postgres/postgres_server.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "splitcheck/lib/error.h"
#include "splitcheck/lib/postgres/internal/pg_connection.h"

namespace splitcheck::testkit {
namespace {

using internal::PgConnection;
namespace fs = std::filesystem;

constexpr auto kTimeout = std::chrono::seconds(10);

TEST(PostgresServer, StartsAcceptsQueriesAndRemovesEverythingAtStop) {
  auto server = PostgresServer::start();
  const std::string dir = server->directory();
  std::printf("server started in %.3f s at %s\n", server->startup_seconds(),
              server->endpoint().describe().c_str());
  EXPECT_LT(server->startup_seconds(), 5.0);
  ASSERT_TRUE(fs::exists(server->endpoint().unix_socket));

  server->create_database("orders");
  server->create_database("orders");  // a second time: already there, fine
  PgConnection conn(server->connection_info("orders"), kTimeout);
  conn.exec("CREATE TABLE t (id bigint PRIMARY KEY, v text)");
  conn.exec("INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 100) g");
  EXPECT_EQ(conn.exec("SELECT count(*) FROM t").int64(0, 0), 100);
  EXPECT_EQ(conn.exec("SELECT current_database()").value(0, 0), "orders");

  server->stop();
  EXPECT_FALSE(fs::exists(dir));
  EXPECT_THROW(PgConnection(server->connection_info("orders"), kTimeout),
               internal::PgConnectionLost);
}

TEST(PostgresServer, ListensOnNoTcpPort) {
  PostgresServer& server = shared_postgres_server();
  PgConnection conn(server.connection_info("postgres"), kTimeout);
  EXPECT_EQ(conn.exec("SHOW listen_addresses").value(0, 0), "");
}

TEST(PostgresServer, ServerErrorsNameTheStatementAndSqlstate) {
  PgConnection conn(shared_postgres_server().connection_info("postgres"), kTimeout);
  try {
    conn.exec("SELECT * FROM no_such_table");
    FAIL() << "no error";
  } catch (const internal::PgServerError& e) {
    EXPECT_EQ(e.sqlstate(), "42P01");
    EXPECT_NE(std::string(e.what()).find("no_such_table"), std::string::npos) << e.what();
  }
  // A server error outside a transaction leaves the connection usable.
  EXPECT_EQ(conn.exec("SELECT 7").int64(0, 0), 7);
}

// The test process dies without running any destructor (SIGKILL): the
// watchdog stops the server and removes its directory.
TEST(PostgresServer, WatchdogCleansUpWhenTheProcessIsKilled) {
  char path[] = "/tmp/splitcheck-postgres-test-XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ::close(fd);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto server = PostgresServer::start();
    std::ofstream(path) << server->directory() << "\n";
    ::kill(::getpid(), SIGKILL);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  std::string dir;
  std::ifstream(path) >> dir;
  fs::remove(path);
  ASSERT_TRUE(WIFSIGNALED(status));
  ASSERT_FALSE(dir.empty()) << "the child did not start its server";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (fs::exists(dir) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_FALSE(fs::exists(dir)) << dir << " is still there 20 s after its owner died";
}

// The watchdog killed with its owner (as Bazel kills a timed-out test's
// whole process tree): the next start removes what they left.
TEST(PostgresServer, TheNextStartRemovesWhatADeadOwnerLeft) {
  const pid_t dead = ::fork();
  ASSERT_GE(dead, 0);
  if (dead == 0) ::_exit(0);
  ::waitpid(dead, nullptr, 0);
  char pattern[] = "/tmp/splitcheck-postgres-leftXXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  const std::string left = pattern;
  fs::create_directories(left + "/data");
  std::ofstream(left + "/owner") << dead << "\n";
  std::ofstream(left + "/data/postmaster.pid") << dead << "\n";
  // Another test process's live server stays.
  char live_pattern[] = "/tmp/splitcheck-postgres-liveXXXXXX";
  ASSERT_NE(::mkdtemp(live_pattern), nullptr);
  const std::string live = live_pattern;
  std::ofstream(live + "/owner") << ::getpid() << "\n";
  auto server = PostgresServer::start();
  EXPECT_FALSE(fs::exists(left));
  EXPECT_TRUE(fs::exists(live));
  fs::remove_all(live);
}

TEST(PostgresServer, MissingBinariesAreAnErrorNamingTheDirectory) {
  PostgresServerOptions options;
  options.bin_dir = "/nonexistent/bin";
  try {
    PostgresServer::start(options);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/bin"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace splitcheck::testkit
