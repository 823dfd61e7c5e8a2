// TextSink unsharded (an empty shard name template: one file, the name
// given) with a header and a footer, through the whole sink conformance
// battery: crash points, finalize retried and after a crash, retries and
// speculative attempts must still leave exactly one complete file.

#include <memory>
#include <string>
#include <vector>

#include "splitcheck/lib/text/text_sink.h"
#include "splitcheck/testkit/gtest.h"
#include "splitcheck/testkit/sink/sink_conformance.h"

namespace splitcheck {
namespace {

// The records of the one output file: its lines without the header and the
// footer. A file that lacks either reads back with its first or last line
// as a record, which the battery reports.
std::vector<std::string> ReadBack(const testkit::SinkEnvironment& env, const std::string& place) {
  std::vector<std::string> lines = testkit::committed_lines(env, place + ".csv");
  if (!lines.empty() && lines.front() == "id,name") lines.erase(lines.begin());
  if (!lines.empty() && lines.back() == "# end") lines.pop_back();
  return lines;
}

testkit::SinkUnderTest<std::string> MakeUnshardedSinkUnderTest() {
  testkit::SinkUnderTest<std::string> sut;
  sut.make_sink = [](const testkit::SinkEnvironment& env, const std::string& place) {
    TextSinkOptions options;
    options.file_system = env.file_system;
    options.file_name_suffix = ".csv";
    options.shard_name_template = "";
    options.header = "id,name";
    options.footer = "# end";
    return std::make_shared<const TextSink>(place, options);
  };
  sut.read_back = ReadBack;
  for (int i = 0; i < 20; ++i) sut.records.push_back(std::to_string(i) + ",n" + std::to_string(i));
  return sut;
}

SPLITCHECK_SINK_CONFORMANCE_TEST(UnshardedTextSink, MakeUnshardedSinkUnderTest);

}  // namespace
}  // namespace splitcheck
