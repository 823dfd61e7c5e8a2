// AvroSink, as WriteToAvro makes it (three shards, deflate, small blocks),
// through the whole sink conformance battery, and (as
// avro_sink_conformance_test_mutants) its mutation analysis.

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "splitcheck/lib/avro/avro_sink.h"
#include "splitcheck/lib/avro/avro_source.h"
#include "splitcheck/lib/avro/internal/avro_test_files.h"
#include "splitcheck/testkit/gtest.h"
#include "splitcheck/testkit/sink/sink_conformance.h"
#include "splitcheck/testkit/source_testkit.h"

namespace splitcheck {
namespace {

testkit::SinkUnderTest<AvroRecord> MakeAvroSinkUnderTest() {
  testkit::SinkUnderTest<AvroRecord> sut;
  sut.make_sink = [](const testkit::SinkEnvironment& env, const std::string& place) {
    AvroSinkOptions options;
    options.schema = internal::kUserSchema;
    options.file_system = env.file_system;
    options.num_shards = 3;
    options.sync_interval = 64;
    return std::make_shared<const AvroSink>(place, options);
  };
  sut.read_back = [](const testkit::SinkEnvironment& env, const std::string& place) {
    AvroSourceOptions options;
    options.file_system = env.file_system;
    options.empty_match = EmptyMatchTreatment::kAllow;
    return testkit::read_from_source(*std::make_shared<const AvroSource>(place + "-*", options));
  };
  sut.records = internal::test_users(0, 30);
  return sut;
}

SPLITCHECK_SINK_CONFORMANCE_TEST(AvroSinkConformance, MakeAvroSinkUnderTest);

}  // namespace
}  // namespace splitcheck
