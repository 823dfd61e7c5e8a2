// Each sink with a serialization bug passes every sink check that runs in
// one process and is rejected by check_sink_serialization, with the message
// naming what went wrong; the control passes all of them.

#include "splitcheck/testkit/zoo/unserializable_sinks.h"

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/testkit/sink_testkit.h"
#include "splitcheck/testkit/zoo/gate_verdicts.h"

namespace splitcheck::examples::broken {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testkit::SinkEnvironment;
using testkit::SinkUnderTest;

constexpr char kDelimiter[] = "\r\n";

// The records of every shard under `destination`, split at "\r\n" exactly,
// each without the spaces that pad it.
std::vector<std::string> records_at(const SinkEnvironment& env, const std::string& destination) {
  std::vector<std::string> records;
  for (const FileMetadata& file :
       env.file_system->match(destination + "-*", EmptyMatchTreatment::kAllow)) {
    const std::string bytes = env.file_system->read_all(file.path);
    std::size_t begin = 0;
    for (std::size_t end; (end = bytes.find(kDelimiter, begin)) != std::string::npos;
         begin = end + 2) {
      std::string record = bytes.substr(begin, end - begin);
      while (!record.empty() && record.back() == ' ') record.pop_back();
      records.push_back(std::move(record));
    }
    if (begin < bytes.size()) records.push_back(bytes.substr(begin));
  }
  return records;
}

std::vector<std::string> some_records() {
  std::vector<std::string> records;
  for (int i = 0; i < 7; ++i) records.push_back("record " + std::to_string(i));
  return records;
}

SinkUnderTest<std::string> record_sink(RecordSinkBug bug) {
  SinkUnderTest<std::string> sut;
  sut.make_sink = [bug](const SinkEnvironment& env, const std::string& destination) {
    return make_record_sink(env.file_system, destination, kDelimiter, 12, bug);
  };
  sut.read_back = records_at;
  sut.records = some_records();
  return sut;
}

SinkUnderTest<std::string> stashing_sink() {
  SinkUnderTest<std::string> sut;
  sut.make_sink = [](const SinkEnvironment& env, const std::string& destination) {
    return std::make_shared<const StashingSink>(env.file_system, destination);
  };
  sut.read_back = [](const SinkEnvironment& env, const std::string& destination) {
    return testkit::committed_lines(env, destination + "-*");
  };
  sut.records = some_records();
  return sut;
}

TEST(UnserializableSinksTest, TheControlPassesEverything) {
  EXPECT_THAT(failed_sink_checks([] { return record_sink(RecordSinkBug::kNone); }), IsEmpty());
}

TEST(UnserializableSinksTest, AForgottenOptionIsRejectedByTheWriteInWorkerProcesses) {
  EXPECT_THAT(failed_sink_checks([] { return record_sink(RecordSinkBug::kForgetsTheDelimiter); }),
              ElementsAre("sink_serialization"));
  const testkit::CheckResult result =
      testkit::check_sink_serialization(record_sink(RecordSinkBug::kForgetsTheDelimiter));
  EXPECT_THAT(result.message, HasSubstr("written by worker processes"));
  EXPECT_THAT(result.message, HasSubstr("is missing"));
}

TEST(UnserializableSinksTest, AForgottenOptionTheReaderCannotSeeIsRejectedByTheFileSizes) {
  EXPECT_THAT(failed_sink_checks([] { return record_sink(RecordSinkBug::kForgetsTheWidth); }),
              ElementsAre("sink_serialization"));
  const testkit::CheckResult result =
      testkit::check_sink_serialization(record_sink(RecordSinkBug::kForgetsTheWidth));
  std::cout << result << "\n";
  EXPECT_THAT(result.message, HasSubstr("is not the same write on threads in this process"));
  EXPECT_THAT(result.message, HasSubstr("bytes, "));
}

TEST(UnserializableSinksTest, ADecoderThatIgnoresAFieldIsRejected) {
  EXPECT_THAT(failed_sink_checks([] { return record_sink(RecordSinkBug::kIgnoresFileOptions); }),
              ElementsAre("sink_serialization"));
  const testkit::CheckResult result =
      testkit::check_sink_serialization(record_sink(RecordSinkBug::kIgnoresFileOptions));
  EXPECT_THAT(result.message, HasSubstr("the decoder ignores or defaults a field"));
}

TEST(UnserializableSinksTest, ADecoderThatCopiesItsSinkIsRejected) {
  EXPECT_THAT(failed_sink_checks([] { return record_sink(RecordSinkBug::kCopiesItsSink); }),
              ElementsAre("sink_serialization"));
  const testkit::CheckResult result =
      testkit::check_sink_serialization(record_sink(RecordSinkBug::kCopiesItsSink));
  EXPECT_THAT(result.message,
              HasSubstr("the decoder of a sink at \"out/data-other\" cannot decode its bytes"));
}

TEST(UnserializableSinksTest, ADecoderThatFindsItsSinkInMemoryIsRejected) {
  EXPECT_THAT(failed_sink_checks([] { return record_sink(RecordSinkBug::kDecodesToItself); }),
              ElementsAre("sink_serialization"));
  const testkit::CheckResult result =
      testkit::check_sink_serialization(record_sink(RecordSinkBug::kDecodesToItself));
  EXPECT_THAT(result.message, HasSubstr("returns the original sink itself"));
}

TEST(UnserializableSinksTest, AWriterResultNamingWorkerMemoryIsRejected) {
  EXPECT_THAT(failed_sink_checks(stashing_sink), ElementsAre("sink_serialization"));
  const testkit::CheckResult result = testkit::check_sink_serialization(stashing_sink());
  std::cout << result << "\n";
  EXPECT_THAT(result.message, HasSubstr("written by worker processes"));
  EXPECT_THAT(result.message, HasSubstr("nothing stashed under"));
}

}  // namespace
}  // namespace splitcheck::examples::broken
