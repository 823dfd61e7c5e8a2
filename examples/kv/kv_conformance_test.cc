// ReadFromKV and WriteToKV through the source and sink conformance
// batteries, and (as <name>_mutants) the mutation analysis of both gates:
// the gates a connector author puts in CI, declared with bazel/defs.bzl.

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "gtest/gtest.h"
#include "splitcheck/examples/kv/kv_io.h"
#include "splitcheck/examples/kv/kv_test_support.h"
#include "splitcheck/examples/kv/sqlite_database.h"
#include "splitcheck/testkit/faults/sqlite_fault_vfs.h"
#include "splitcheck/testkit/gtest.h"
#include "splitcheck/testkit/sink_testkit.h"
#include "splitcheck/testkit/source_testkit.h"

namespace splitcheck::examples {
namespace {

std::shared_ptr<const BoundedSource<KeyValue, std::string>> MakeKvSource() {
  static const std::string database = make_table("conformance", 60);
  return ReadFromKV(database, "t").source();
}

testkit::SourceConformanceOptions MakeOptions() {
  testkit::SourceConformanceOptions options;
  options.schedules.seed = 1;
  options.exhaustive.max_positions = 500;  // key ranges have ~2^53 positions: sampled
  return options;
}

SPLITCHECK_SOURCE_CONFORMANCE_TEST(KvSourceConformance, MakeKvSource, MakeOptions);

testkit::SinkUnderTest<KeyValue> MakeKvSinkUnderTest() {
  static std::atomic<int> instances{0};
  const std::string tag = "kv-sink-" + std::to_string(instances++) + "-";
  testkit::SinkUnderTest<KeyValue> sut;
  sut.make_sink = [tag](const testkit::SinkEnvironment& env, const std::string& place) {
    // Every write, sync, lock and commit of the database a fault point,
    // with what a power loss would keep: no hook in the sink.
    WriteToKVOptions options;
    options.vfs = testkit::install_sqlite_fault_vfs(env.faults);
    return WriteToKV(scratch(tag + env.run_id + ".db"), place, options).sink();
  };
  sut.read_back = [tag](const testkit::SinkEnvironment& env, const std::string& place) {
    return table_rows(scratch(tag + env.run_id + ".db"), place);
  };
  sut.leftovers = [tag](const testkit::SinkEnvironment& env) -> std::optional<std::string> {
    const auto left = staging_tables_left(scratch(tag + env.run_id + ".db"));
    if (!left.empty()) return "staging table \"" + left.front() + "\"";
    return std::nullopt;
  };
  sut.records = rows(12);
  sut.destination = "kv";
  return sut;
}

SPLITCHECK_SINK_CONFORMANCE_TEST(KvSinkConformance, MakeKvSinkUnderTest);

}  // namespace
}  // namespace splitcheck::examples
