// The zoo's PostgreSQL connectors: each passes every check that runs without
// network faults, and is rejected by exactly the check that fails its
// connection at each call and acknowledgement. The same reader without its
// bug passes both.

#include "splitcheck/testkit/zoo/broken_postgres_connectors.h"

#include <iostream>
#include <memory>
#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/postgres/internal/pg_sink_under_test.h"
#include "splitcheck/lib/postgres/internal/pg_test_database.h"
#include "splitcheck/lib/postgres/internal/pg_through_proxy.h"
#include "splitcheck/testkit/gtest.h"
#include "splitcheck/testkit/sink_testkit.h"
#include "splitcheck/testkit/source_testkit.h"
#include "splitcheck/testkit/zoo/gate_verdicts.h"

namespace splitcheck::examples::broken {
namespace {

using testing::ElementsAre;
using testing::HasSubstr;
using testing::IsEmpty;

constexpr char kDatabase[] = "zoo";

const std::string& Database() {
  static const std::string conninfo = splitcheck::internal::pg_test_database(
      kDatabase,
      "CREATE TABLE t (id bigint PRIMARY KEY, name text);"
      "INSERT INTO t SELECT 2 * i, 'row ' || i FROM generate_series(0, 23) i;");
  return conninfo;
}

testkit::SourceFactory<PgRow, std::int64_t> direct(PgReaderBug bug) {
  return [bug] { return std::make_shared<const BrokenPgReader>(Database(), "t", bug); };
}

testkit::FaultedSourceFactory<PgRow, std::int64_t> through_proxy(PgReaderBug bug) {
  return [bug](std::shared_ptr<testkit::FaultPoints> faults)
             -> std::shared_ptr<const BoundedSource<PgRow, std::int64_t>> {
    Database();
    return splitcheck::internal::pg_through_proxy(
        std::move(faults), kDatabase, [bug](const std::string& conninfo) {
          return std::make_shared<const BrokenPgReader>(conninfo, "t", bug);
        });
  };
}

TEST(BrokenPostgresReaders, WithoutItsBugTheReaderPassesEveryCheck) {
  EXPECT_THAT(failed_source_checks(direct(PgReaderBug::kNone)), IsEmpty());
  SPLITCHECK_EXPECT_PASSED(testkit::check_source_fault_points(through_proxy(PgReaderBug::kNone)));
}

TEST(BrokenPostgresReaders, RestartingTheRangeAfterAReconnectIsRejected) {
  EXPECT_THAT(failed_source_checks(direct(PgReaderBug::kRestartsItsRange)), IsEmpty());
  const testkit::CheckResult result =
      testkit::check_source_fault_points(through_proxy(PgReaderBug::kRestartsItsRange));
  SPLITCHECK_EXPECT_REJECTED(result);
  // The rows of the first fetch come again.
  EXPECT_THAT(result.message, HasSubstr("the read returned other records than without faults: "
                                        "record 16 is (\"0\", \"row 0\")"));
}

TEST(BrokenPostgresReaders, EndingTheRangeOnALostConnectionIsRejected) {
  EXPECT_THAT(failed_source_checks(direct(PgReaderBug::kEndsOnALostConnection)), IsEmpty());
  const testkit::CheckResult result =
      testkit::check_source_fault_points(through_proxy(PgReaderBug::kEndsOnALostConnection));
  SPLITCHECK_EXPECT_REJECTED(result);
  EXPECT_THAT(result.message, HasSubstr("the first missing is"));
}

// A source that does not go through the points it is given: the check
// gives up rather than pass it.
TEST(BrokenPostgresReaders, ASourceThatBypassesTheFaultPointsMakesTheCheckGiveUp) {
  const testkit::FaultedSourceFactory<PgRow, std::int64_t> bypass =
      [](std::shared_ptr<testkit::FaultPoints>)
      -> std::shared_ptr<const BoundedSource<PgRow, std::int64_t>> {
    return std::make_shared<const BrokenPgReader>(Database(), "t", PgReaderBug::kNone);
  };
  const testkit::CheckResult result = testkit::check_source_fault_points(bypass);
  EXPECT_EQ(result.outcome, testkit::CheckResult::Outcome::kGaveUp) << result;
}

testkit::SinkUnderTest<PgRow> MakeRetriesLostCommit() {
  return splitcheck::internal::pg_sink_under_test(
      "zoo-retries-lost-commit",
      [](const std::string& conninfo, const std::string& schema, const std::string& table) {
        return std::make_shared<const RetriesLostCommitSink>(conninfo, schema, table);
      });
}

TEST(BrokenPostgresSinks, RetryingACommitWhoseAcknowledgementWasLostIsRejected) {
  std::set<std::string> failed;
  for (const testkit::SinkCheck check : testkit::kAllSinkChecks) {
    const testkit::CheckResult result = testkit::run_sink_check(check, MakeRetriesLostCommit(), {});
    std::cout << result << "\n";
    if (result.ok()) continue;
    failed.insert(result.check);
    if (check == testkit::SinkCheck::kCrashPoints) {
      EXPECT_THAT(result.message, HasSubstr("after query COMMIT"));
      EXPECT_THAT(result.message, HasSubstr("extra or duplicated"));
    }
  }
  EXPECT_THAT(failed, ElementsAre("sink_crash_points"));
}

}  // namespace
}  // namespace splitcheck::examples::broken
