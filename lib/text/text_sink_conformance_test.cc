// TextSink, as WriteToText makes it (three shards, gzip), through the whole
// sink conformance battery: the gate a connector author puts in CI. Compiled
// again as text_sink_conformance_test_mutants, the same file runs the
// mutation analysis of that gate.

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "splitcheck/lib/text/text_sink.h"
#include "splitcheck/testkit/gtest.h"
#include "splitcheck/testkit/sink/sink_conformance.h"

namespace splitcheck {
namespace {

testkit::SinkUnderTest<std::string> MakeTextSinkUnderTest() {
  testkit::SinkUnderTest<std::string> sut;
  sut.make_sink = [](const testkit::SinkEnvironment& env, const std::string& place) {
    TextSinkOptions options;
    options.file_system = env.file_system;
    options.num_shards = 3;
    options.file_name_suffix = ".txt";
    return std::make_shared<const TextSink>(place, options);
  };
  sut.read_back = [](const testkit::SinkEnvironment& env, const std::string& place) {
    return testkit::committed_lines(env, place + "-*");
  };
  for (int i = 0; i < 30; ++i) sut.records.push_back("line " + std::to_string(i));
  return sut;
}

SPLITCHECK_SINK_CONFORMANCE_TEST(TextSinkConformance, MakeTextSinkUnderTest);

}  // namespace
}  // namespace splitcheck
