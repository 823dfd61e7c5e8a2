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

// Only the serialization check rejects them: every other check of the
// battery runs in one address space.
TEST(UnserializableSourcesTest, OnlyTheSerializationCheckRejectsEachBug) {
  for (const LedgerBug bug : {LedgerBug::kForgetsTheLabel, LedgerBug::kSavesAResumePoint,
                              LedgerBug::kDefaultsMissingFields, LedgerBug::kNotSerializable}) {
    EXPECT_THAT((failed_source_checks<std::string, std::int64_t>(ledger(bug))),
                ElementsAre("source_serialization"));
  }
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

TEST(UnserializableSourcesTest, NoDecoderIsAFailure) {
  const testkit::CheckResult result =
      testkit::check_source_serialization(ledger(LedgerBug::kNone), SourceDecoder<std::string>());
  EXPECT_EQ(result.outcome, testkit::CheckResult::Outcome::kFailed) << result;
  EXPECT_THAT(result.message, HasSubstr("no decoder was given"));
}

}  // namespace
}  // namespace splitcheck::examples::broken
