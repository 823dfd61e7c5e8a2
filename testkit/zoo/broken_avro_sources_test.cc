// The gate rejects each broken Avro reader, and names the checks that catch
// it; the correct AvroSource passes the same battery on the same files
// (lib/avro/avro_source_conformance_test.cc runs it on more).

#include "splitcheck/testkit/zoo/broken_avro_sources.h"

#include <memory>
#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/avro/avro_source.h"
#include "splitcheck/lib/avro/internal/avro_test_files.h"
#include "splitcheck/lib/files/in_memory_file_system.h"
#include "splitcheck/testkit/source_testkit.h"
#include "splitcheck/testkit/zoo/gate_verdicts.h"

namespace splitcheck::examples::broken {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using Position = ConcatPosition<std::int64_t>;

// Blocks of 3 records (~60 bytes each with a 16-byte marker), so markers
// fall on every offset modulo the broken reader's 64-byte window.
std::shared_ptr<InMemoryFileSystem> files() {
  auto fs = std::make_shared<InMemoryFileSystem>();
  fs->set_contents("in/a.avro",
                   internal::avro_test_file(internal::kUserSchema, internal::test_users(0, 30), 3,
                                            internal::AvroCodec::kNull)
                       .bytes);
  fs->set_contents("in/b.avro",
                   internal::avro_test_file(internal::kUserSchema, internal::test_users(50, 10), 2,
                                            internal::AvroCodec::kDeflate)
                       .bytes);
  return fs;
}

std::set<std::string> failed_checks(AvroBug bug) {
  const auto fs = files();
  const testkit::SourceFactory<AvroRecord, Position> factory = [=] {
    return std::make_shared<BrokenAvroSource>("in/*", fs, bug);
  };
  return failed_source_checks(factory);
}

TEST(BrokenAvroSourcesTest, TheCorrectAvroSourcePasses) {
  const auto fs = files();
  AvroSourceOptions options;
  options.file_system = fs;
  const testkit::SourceFactory<AvroRecord, Position> control = [=] {
    return std::make_shared<AvroSource>("in/*", options);
  };
  EXPECT_THAT(failed_source_checks(control), IsEmpty());
}

TEST(BrokenAvroSourcesTest, AMarkerLostAcrossSearchWindowsIsRejected) {
  EXPECT_THAT(failed_checks(AvroBug::kStraddlingMarkerLost),
              ElementsAre("dynamic_split_schedules", "sources_equal_reference_source",
                          "split_at_fraction_exhaustive"));
}

TEST(BrokenAvroSourcesTest, TheBlockUnderTheSplitReadTwiceIsRejected) {
  EXPECT_THAT(failed_checks(AvroBug::kBlockUnderTheSplitTwice),
              ElementsAre("dynamic_split_schedules", "sources_equal_reference_source",
                          "split_at_fraction_exhaustive"));
}

TEST(BrokenAvroSourcesTest, ClaimingTheBlockAfterItsMarkerIsRejected) {
  EXPECT_THAT(failed_checks(AvroBug::kClaimsTheDataStart),
              ElementsAre("dynamic_split_schedules", "sources_equal_reference_source",
                          "split_at_fraction_exhaustive"));
}

// With the schema walk in front of avro-c, deflate bytes taken for records
// fail to decode: every read of the deflate file throws, and every check
// that reads it says so.
TEST(BrokenAvroSourcesTest, ACodecBlindReaderIsRejectedByEveryCheckThatReads) {
  EXPECT_THAT(failed_checks(AvroBug::kCodecIgnored),
              ElementsAre("dynamic_split_schedules", "progress_contract", "reentrant_reads",
                          "source_hygiene", "sources_equal_reference_source",
                          "split_at_fraction_exhaustive"));
}

}  // namespace
}  // namespace splitcheck::examples::broken
