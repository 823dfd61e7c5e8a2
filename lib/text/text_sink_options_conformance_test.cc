// TextSink's options through the whole sink conformance battery: crash
// points, finalize retried and after a crash, retries and speculative
// attempts must still leave every record exactly once.
//   * unsharded (an empty shard name template: one file, the name given)
//     with a header and a footer;
//   * rollover at every record count (max_records_per_shard 1 to one past
//     the input) and at byte limits from below one record to the whole
//     input, each shard with a header and a footer;
//   * skip_if_empty on an empty input (nothing may be committed, nothing
//     left) and on a full one.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "splitcheck/lib/text/text_sink.h"
#include "splitcheck/testkit/gtest.h"
#include "splitcheck/testkit/sink/sink_conformance.h"

namespace splitcheck {
namespace {

constexpr char kHeader[] = "id,name";
constexpr char kFooter[] = "# end";

// The records of the files matching `pattern`, in path order: each file's
// lines without its header and footer (unless `whole`: every line is a
// record, so that any file committed at all reads back as records). A file
// that lacks either reads back with its first or last line as a record,
// which the battery reports.
std::vector<std::string> ReadShards(const testkit::SinkEnvironment& env, const std::string& pattern,
                                    bool whole) {
  std::vector<std::string> records;
  for (const FileMetadata& file : env.file_system->match(pattern, EmptyMatchTreatment::kAllow)) {
    std::vector<std::string> lines = testkit::committed_lines(env, file.path);
    if (!whole && !lines.empty() && lines.front() == kHeader) lines.erase(lines.begin());
    if (!whole && !lines.empty() && lines.back() == kFooter) lines.pop_back();
    records.insert(records.end(), lines.begin(), lines.end());
  }
  return records;
}

std::vector<std::string> Records(int n) {
  std::vector<std::string> records;
  for (int i = 0; i < n; ++i) records.push_back(std::to_string(i) + ",n" + std::to_string(i));
  return records;
}

testkit::SinkUnderTest<std::string> SinkWith(TextSinkOptions base, const std::string& suffix,
                                             int records, bool whole = false) {
  testkit::SinkUnderTest<std::string> sut;
  sut.make_sink = [base, suffix](const testkit::SinkEnvironment& env, const std::string& place) {
    TextSinkOptions options = base;
    options.file_system = env.file_system;
    options.file_name_suffix = suffix;
    options.header = kHeader;
    options.footer = kFooter;
    return std::make_shared<const TextSink>(place, options);
  };
  sut.read_back = [suffix, whole](const testkit::SinkEnvironment& env, const std::string& place) {
    return ReadShards(env, place + "*" + suffix, whole);
  };
  sut.records = Records(records);
  return sut;
}

testkit::SinkUnderTest<std::string> MakeUnshardedSinkUnderTest() {
  TextSinkOptions options;
  options.shard_name_template = "";
  return SinkWith(options, ".csv", 20);
}

SPLITCHECK_SINK_CONFORMANCE_TEST(UnshardedTextSink, MakeUnshardedSinkUnderTest);

testkit::SinkUnderTest<std::string> MakeRollingSinkUnderTest() {
  TextSinkOptions options;
  options.max_records_per_shard = 3;
  return SinkWith(options, ".csv", 20);
}

SPLITCHECK_SINK_CONFORMANCE_TEST(RollingTextSink, MakeRollingSinkUnderTest);

#ifndef SPLITCHECK_MUTATION_ANALYSIS

void ExpectTheBatteryPasses(const testkit::SinkUnderTest<std::string>& sut,
                            const std::string& what) {
  for (const testkit::CheckResult& result : testkit::check_sink_conformance(sut)) {
    EXPECT_TRUE(result.ok()) << what << ":\n" << result;
  }
}

constexpr int kRecords = 12;

TEST(RollingTextSink, TheBatteryPassesAtEveryRecordCount) {
  for (int limit = 1; limit <= kRecords + 1; ++limit) {
    TextSinkOptions options;
    options.max_records_per_shard = limit;
    ExpectTheBatteryPasses(SinkWith(options, ".csv", kRecords),
                           "max_records_per_shard " + std::to_string(limit));
  }
}

TEST(RollingTextSink, TheBatteryPassesAtEveryByteLimit) {
  // A record is 5 bytes with its delimiter ("0,n0\n"), 7 from "10,n10\n";
  // the header and footer 14. The limits run from below one record (every
  // shard one record, each over the limit: 1 and 18), through each packing
  // of one to five records, to the whole input in one shard (100).
  for (const std::int64_t limit : {1, 18, 19, 23, 24, 28, 29, 33, 34, 39, 45, 60, 100}) {
    TextSinkOptions options;
    options.max_bytes_per_shard = limit;
    ExpectTheBatteryPasses(SinkWith(options, ".csv", kRecords),
                           "max_bytes_per_shard " + std::to_string(limit));
  }
}

// Every committed line is a record here: an empty shard (its header and
// footer) would read back as two. Not a SPLITCHECK_SINK_CONFORMANCE_TEST: its
// mutation analysis would find the durability mutants equivalent (a write
// of nothing loses nothing however its directories are synced), which says
// nothing of the gate.
TEST(SkipIfEmptyTextSink, TheBatteryPassesOnAnEmptyInput) {
  TextSinkOptions options;
  options.skip_if_empty = true;
  for (const int shards : {0, 2}) {
    options.num_shards = shards;
    ExpectTheBatteryPasses(SinkWith(options, ".csv", 0, /*whole=*/true),
                           "skip_if_empty, num_shards " + std::to_string(shards));
  }
}

TEST(SkipIfEmptyTextSink, TheBatteryPassesOnAFullInputToo) {
  TextSinkOptions options;
  options.skip_if_empty = true;
  ExpectTheBatteryPasses(SinkWith(options, ".csv", kRecords), "skip_if_empty");
}

#endif  // SPLITCHECK_MUTATION_ANALYSIS

}  // namespace
}  // namespace splitcheck
