#include "splitcheck/testkit/server/tcp_fault_proxy.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/postgres/internal/pg_connection.h"
#include "splitcheck/testkit/faults/fault_points.h"
#include "splitcheck/testkit/postgres/postgres_server.h"

namespace splitcheck::testkit {
namespace {

using internal::PgConnection;
using internal::PgConnectionLost;
using testing::ElementsAre;
using testing::HasSubstr;

constexpr auto kTimeout = std::chrono::seconds(10);

class TcpFaultProxyTest : public testing::Test {
 protected:
  void SetUp() override {
    PgConnection(direct(), kTimeout).exec("DROP TABLE IF EXISTS t; CREATE TABLE t (id bigint)");
  }
  std::string direct() const { return server_.connection_info("postgres"); }
  std::string via(const TcpFaultProxy& proxy) const {
    return server_.connection_info(proxy.endpoint(), "postgres");
  }
  std::int64_t rows() const {
    return PgConnection(direct(), kTimeout).exec("SELECT count(*) FROM t").int64(0, 0);
  }

  PostgresServer& server_ = shared_postgres_server();
  std::shared_ptr<FaultPoints> faults_ = std::make_shared<FaultPoints>();
};

TEST_F(TcpFaultProxyTest, ForwardsAndNumbersEveryCallAndItsAcknowledgement) {
  TcpFaultProxy proxy(server_.endpoint(), faults_, {postgres_framing()});
  EXPECT_EQ(proxy.endpoint().host, "127.0.0.1");
  PgConnection conn(via(proxy), kTimeout);
  EXPECT_EQ(conn.exec("SELECT 41 + 1").int64(0, 0), 42);
  const std::vector<std::optional<std::string>> params = {std::string("7")};
  conn.exec_params("INSERT INTO t VALUES ($1)", params);
  EXPECT_EQ(conn.copy_in("COPY t FROM STDIN", "1\n2\n"), 2);
  EXPECT_THAT(
      faults_->trace(),
      ElementsAre("before connect", "after connect", "before query SELECT 41 + 1", "receive row",
                  "after query SELECT 41 + 1", "before parse INSERT INTO t VALUES ($1)",
                  "after parse INSERT INTO t VALUES ($1)", "before query COPY t FROM STDIN",
                  "before copy data", "before copy done", "after copy done"));
  EXPECT_EQ(rows(), 3);
}

// A connection that drops in the middle of a result.
TEST_F(TcpFaultProxyTest, AFaultOnARowDropsTheConnectionInTheMiddleOfTheResult) {
  TcpFaultProxy proxy(server_.endpoint(), faults_, {postgres_framing()});
  PgConnection conn(via(proxy), kTimeout);
  faults_->inject(3, FaultMode::kFail);  // before query, rows 1, 2, 3
  EXPECT_THROW(conn.exec("SELECT generate_series(1, 5)"), PgConnectionLost);
  EXPECT_EQ(faults_->trace().back(), "! receive row");
  PgConnection again(via(proxy), kTimeout);
  std::int64_t rows = 0;
  again.copy_out("COPY (SELECT generate_series(1, 4)) TO STDOUT",
                 [&](std::string_view) { ++rows; });
  EXPECT_EQ(rows, 4);
  EXPECT_EQ(faults_->trace().back(), "after query COPY (SELECT generate_series(1, 4)) TO STDOUT");
}

TEST_F(TcpFaultProxyTest, AFaultBeforeACallMeansItNeverHappens) {
  TcpFaultProxy proxy(server_.endpoint(), faults_, {postgres_framing()});
  PgConnection conn(via(proxy), kTimeout);
  faults_->inject(0, FaultMode::kFail);
  EXPECT_THROW(conn.exec("INSERT INTO t VALUES (1)"), PgConnectionLost);
  EXPECT_TRUE(conn.broken());
  EXPECT_EQ(rows(), 0);
}

TEST_F(TcpFaultProxyTest, ATornMessageNeverHappensEither) {
  TcpFaultProxy proxy(server_.endpoint(), faults_, {postgres_framing()});
  PgConnection conn(via(proxy), kTimeout);
  faults_->inject(0, FaultMode::kTorn);
  EXPECT_THROW(conn.exec("INSERT INTO t VALUES (1)"), PgConnectionLost);
  EXPECT_EQ(rows(), 0);
}

// The lost acknowledgement: the server committed, the client cannot know.
TEST_F(TcpFaultProxyTest, AFaultAfterACallLosesOnlyItsAcknowledgement) {
  TcpFaultProxy proxy(server_.endpoint(), faults_, {postgres_framing()});
  PgConnection conn(via(proxy), kTimeout);
  conn.exec("BEGIN");
  conn.exec("INSERT INTO t VALUES (1)");
  faults_->inject(1, FaultMode::kFail);  // "before query COMMIT", then "after query COMMIT"
  EXPECT_THROW(conn.exec("COMMIT"), PgConnectionLost);
  EXPECT_EQ(faults_->trace().back(), "! after query COMMIT");
  EXPECT_EQ(rows(), 1);
}

TEST_F(TcpFaultProxyTest, ACrashTakesEveryConnectionDownForGood) {
  TcpFaultProxy proxy(server_.endpoint(), faults_, {postgres_framing()});
  PgConnection idle(via(proxy), kTimeout);
  PgConnection conn(via(proxy), kTimeout);
  std::atomic<bool> handled{false};  // set on the proxy's thread
  faults_->set_crash_handler([&] { handled.store(true); });
  faults_->inject(0, FaultMode::kCrash);
  EXPECT_THROW(conn.exec("INSERT INTO t VALUES (1)"), PgConnectionLost);
  EXPECT_TRUE(handled.load());
  EXPECT_THROW(idle.exec("SELECT 1"), PgConnectionLost);
  EXPECT_THROW(PgConnection(via(proxy), kTimeout), PgConnectionLost);
  EXPECT_EQ(rows(), 0);
}

TEST_F(TcpFaultProxyTest, AStalledLinkTimesTheClientOut) {
  TcpFaultProxy proxy(server_.endpoint(), faults_, {postgres_framing()});
  PgConnection conn(via(proxy), std::chrono::milliseconds(300));
  proxy.stall();
  const auto began = std::chrono::steady_clock::now();
  try {
    conn.exec("SELECT 1");
    FAIL() << "no timeout";
  } catch (const PgConnectionLost& e) {
    EXPECT_THAT(e.what(), HasSubstr("no answer from the server for 300 ms"));
  }
  EXPECT_LT(std::chrono::steady_clock::now() - began, std::chrono::seconds(5));
  proxy.resume();
  EXPECT_EQ(PgConnection(via(proxy), kTimeout).exec("SELECT 2").int64(0, 0), 2);
}

TEST_F(TcpFaultProxyTest, ResetAllEndsOpenConnectionsOnly) {
  TcpFaultProxy proxy(server_.endpoint(), faults_, {postgres_framing()});
  PgConnection conn(via(proxy), kTimeout);
  proxy.reset_all();
  EXPECT_THROW(conn.exec("SELECT 1"), PgConnectionLost);
  EXPECT_EQ(PgConnection(via(proxy), kTimeout).exec("SELECT 3").int64(0, 0), 3);
  EXPECT_EQ(proxy.connections(), 2);
}

TEST_F(TcpFaultProxyTest, DelaysEachClientMessage) {
  TcpFaultProxyOptions options{postgres_framing(), std::chrono::milliseconds(20)};
  TcpFaultProxy proxy(server_.endpoint(), faults_, options);
  PgConnection conn(via(proxy), kTimeout);
  const auto began = std::chrono::steady_clock::now();
  for (int i = 0; i < 5; ++i) conn.exec("SELECT 1");
  EXPECT_GE(std::chrono::steady_clock::now() - began, std::chrono::milliseconds(100));
}

TEST(TcpFaultProxy, RefusesAnUpstreamOffTheLoopback) {
  auto faults = std::make_shared<FaultPoints>();
  Endpoint far;
  far.host = "192.0.2.1";  // TEST-NET-1: never reached
  far.port = 5432;
  TcpFaultProxy proxy(far, faults);
  EXPECT_THROW(PgConnection(shared_postgres_server().connection_info(proxy.endpoint(), "postgres"),
                            std::chrono::seconds(5)),
               PgConnectionLost);
}

}  // namespace
}  // namespace splitcheck::testkit
