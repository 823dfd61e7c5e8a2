// Each ledger source with a serialization bug passes the battery run in one
// address space and is rejected by check_source_serialization, with the
// message naming what was lost; the ledger without a bug passes both.

#include "splitcheck/testkit/zoo/unserializable_sources.h"

#include <cstdint>
#include <iostream>
#include <memory>
#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/testkit/source_testkit.h"
#include "splitcheck/testkit/zoo/gate_verdicts.h"

namespace splitcheck::examples::broken {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

testkit::SourceFactory<std::string, std::int64_t> ledger(LedgerBug bug) {
  return [bug] { return std::make_shared<const LedgerSource>(500, 60, "invoice", bug); };
}

testkit::CheckResult serialization(LedgerBug bug) {
  return testkit::check_source_serialization(ledger(bug));
}

TEST(UnserializableSourcesTest, TheControlPassesEverything) {
  EXPECT_THAT((failed_source_checks<std::string, std::int64_t>(ledger(LedgerBug::kNone))),
              IsEmpty());
  const testkit::CheckResult result = serialization(LedgerBug::kNone);
  EXPECT_TRUE(result) << result;
  std::cout << result << "\n";
  EXPECT_GT(result.cases, 20);
  EXPECT_THAT(result.notes, IsEmpty());
}

// The checks that run in one address space pass them all. The
// serialization check rejects each; the schedules, whose workers are other
// processes, also see the two that read differently there (a decoder that
// only defaults fields of truncated bytes reads right from whole ones; a
// source with no decoder runs its schedules on threads).
TEST(UnserializableSourcesTest, TheSerializationCheckRejectsEachBug) {
  const auto failed = [](LedgerBug bug) {
    return failed_source_checks<std::string, std::int64_t>(ledger(bug));
  };
  EXPECT_THAT(failed(LedgerBug::kForgetsTheLabel),
              ElementsAre("dynamic_split_schedules", "source_serialization"));
  EXPECT_THAT(failed(LedgerBug::kSavesAResumePoint),
              ElementsAre("dynamic_split_schedules", "source_serialization"));
  EXPECT_THAT(failed(LedgerBug::kDefaultsMissingFields), ElementsAre("source_serialization"));
  EXPECT_THAT(failed(LedgerBug::kNotSerializable), ElementsAre("source_serialization"));
  EXPECT_THAT(failed(LedgerBug::kIgnoresTheVersion), ElementsAre("source_serialization"));
}

TEST(UnserializableSourcesTest, ADecoderThatIgnoresAFieldIsRejected) {
  const testkit::CheckResult result = serialization(LedgerBug::kIgnoresTheVersion);
  EXPECT_FALSE(result) << result;
  EXPECT_THAT(result.message, HasSubstr("the decoder ignores or defaults a field"));
}

TEST(UnserializableSourcesTest, AForgottenOptionIsRejected) {
  const testkit::CheckResult result = serialization(LedgerBug::kForgetsTheLabel);
  EXPECT_EQ(result.outcome, testkit::CheckResult::Outcome::kFailed) << result;
  EXPECT_THAT(result.message, HasSubstr("the decoded source reads differently"));
  std::cout << result << "\n";
  EXPECT_THAT(result.message, HasSubstr("invoice 500"));
}

TEST(UnserializableSourcesTest, AResumePointSavedByReadIsRejected) {
  const testkit::CheckResult result = serialization(LedgerBug::kSavesAResumePoint);
  EXPECT_EQ(result.outcome, testkit::CheckResult::Outcome::kFailed) << result;
  EXPECT_THAT(result.message, HasSubstr("reading the source changed its encoding"));
  std::cout << result << "\n";
}

TEST(UnserializableSourcesTest, ADecoderThatDefaultsMissingFieldsIsRejected) {
  const testkit::CheckResult result = serialization(LedgerBug::kDefaultsMissingFields);
  EXPECT_EQ(result.outcome, testkit::CheckResult::Outcome::kFailed) << result;
  EXPECT_THAT(result.message, HasSubstr("succeeded: a truncated encoding must be"));
  std::cout << result << "\n";
}

TEST(UnserializableSourcesTest, ASourceWithoutEncodeIsRejected) {
  // With a decoder given, encode() is what fails; the decoder is never
  // reached.
  const SourceDecoder<std::string, std::int64_t> decoder = [](ByteReader&) {
    return std::shared_ptr<const BoundedSource<std::string>>();
  };
  const testkit::CheckResult result =
      testkit::check_source_serialization(ledger(LedgerBug::kNotSerializable), decoder);
  EXPECT_EQ(result.outcome, testkit::CheckResult::Outcome::kFailed) << result;
  EXPECT_THAT(result.message, HasSubstr("encode() is not implemented"));
}

TEST(UnserializableSourcesTest, ASourceWithoutADecoderIsRejected) {
  const testkit::CheckResult result = serialization(LedgerBug::kNotSerializable);
  EXPECT_EQ(result.outcome, testkit::CheckResult::Outcome::kFailed) << result;
  EXPECT_THAT(result.message, HasSubstr("has no decoder()"));
}

// A part that lives in the parent's memory: the serialization check sees
// its encoding change from one split to the next, and the schedules in
// worker processes cannot decode it; with the workers on threads the
// schedules pass it.
TEST(UnserializableSourcesTest, AHandleToTheParentsMemoryIsRejectedAcrossProcesses) {
  const testkit::SourceFactory<std::string, std::int64_t> factory = [] {
    return std::make_shared<const LedgerPartsSource>(100, 40);
  };
  EXPECT_THAT((failed_source_checks<std::string, std::int64_t>(factory)),
              ElementsAre("dynamic_split_schedules", "source_serialization"));
  EXPECT_THAT(testkit::check_source_serialization(factory).message,
              HasSubstr("from one call to the next"));
  const testkit::CheckResult across =
      testkit::check_dynamic_split_schedules(factory(), {.seed = 1});
  EXPECT_EQ(across.outcome, testkit::CheckResult::Outcome::kFailed) << across;
  EXPECT_THAT(across.message, HasSubstr("in this process"));
  const testkit::CheckResult on_threads =
      testkit::check_dynamic_split_schedules(factory(), {.seed = 1, .worker_processes = false});
  EXPECT_TRUE(on_threads) << on_threads;
}

// A decoder that returns the source it came from: one address space is
// enough to see the original come back; a forked worker would still have it.
TEST(UnserializableSourcesTest, ADecoderThatReturnsTheOriginalIsRejected) {
  const testkit::CheckResult result = serialization(LedgerBug::kDecodesToItself);
  EXPECT_EQ(result.outcome, testkit::CheckResult::Outcome::kFailed) << result;
  EXPECT_THAT(result.message, HasSubstr("returns the original source itself"));
  EXPECT_THAT(
      (failed_source_checks<std::string, std::int64_t>(ledger(LedgerBug::kDecodesToItself))),
      ElementsAre("source_serialization"));
}

TEST(UnserializableSourcesTest, NoDecoderIsAFailure) {
  const testkit::CheckResult result =
      testkit::check_source_serialization(ledger(LedgerBug::kNone), SourceDecoder<std::string>());
  EXPECT_EQ(result.outcome, testkit::CheckResult::Outcome::kFailed) << result;
  EXPECT_THAT(result.message, HasSubstr("no decoder was given"));
}

}  // namespace
}  // namespace splitcheck::examples::broken
