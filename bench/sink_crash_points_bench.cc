// Crash points explored per second by check_sink_crash_points on a TextSink
// write of 100 bundles (10 records each): every file operation of the write
// (about 300) under 3 fault modes, each a full write with recovery and a
// read-back. Prints the count and the rate.
//
//   ./bazelw run -c opt //bench:sink_crash_points_bench

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "splitcheck/lib/text/text_sink.h"
#include "splitcheck/testkit/sink/sink_crash_points.h"

int main(int argc, char** argv) {
  using namespace splitcheck;
  int bundles = 100;
  if (argc > 1) bundles = std::atoi(argv[1]);
  testkit::SinkUnderTest<std::string> sut;
  sut.make_sink = [](const testkit::SinkEnvironment& env, const std::string& place) {
    TextSinkOptions options;
    options.file_system = env.file_system;
    return std::make_shared<const TextSink>(place, options);
  };
  sut.read_back = [](const testkit::SinkEnvironment& env, const std::string& place) {
    return testkit::committed_lines(env, place + "-*");
  };
  for (int i = 0; i < bundles * 10; ++i) sut.records.push_back("record " + std::to_string(i));
  testkit::SinkCrashOptions options;
  options.bundles = bundles;
  const auto start = std::chrono::steady_clock::now();
  const testkit::CheckResult result = testkit::check_sink_crash_points(sut, options);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  std::printf("%s\n", result.to_string().c_str());
  std::printf("%d bundles: %lld crash cases in %.2f s, %.0f per second\n", bundles,
              static_cast<long long>(result.cases), took.count(),
              static_cast<double>(result.cases) / took.count());
  return result.ok() ? 0 : 1;
}
