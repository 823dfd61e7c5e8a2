// How fast check_sink_crash_points explores a write: crash states recovered
// per second, and what one fault case costs against one plain write of the
// same sink (the baseline, measured in the same run). Two sinks:
//   * TextSink, a 100-bundle write of 10 records per bundle, on the
//     in-memory file system: every file operation under a failure, a torn
//     close and a crash, each crash recovered on every state the file system
//     could come back in;
//   * WriteToKV (examples/kv), on SQLite files on the local disk, twice:
//     through the testkit's SQLite fault VFS (every write, truncate, sync,
//     lock and delete of the database and its journal a fault point, each
//     crash recovered on every state the disk could come back in), and with
//     the fault points only at the calls the sink marks with its hook.
// Each figure is taken over several runs: min, median and max.
//
//   ./bazelw run -c opt //bench:sink_crash_points_bench [text bundles] [kv bundles] [runs]

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "splitcheck/examples/kv/kv_io.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/lib/text/text_sink.h"
#include "splitcheck/testkit/faults/sqlite_fault_vfs.h"
#include "splitcheck/testkit/sink/sink_crash_points.h"

namespace splitcheck {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct Spread {
  double min, median, max;
};

Spread spread(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return {v.front(), v[v.size() / 2], v.back()};
}

testkit::SinkUnderTest<std::string> text_sink(int bundles) {
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
  return sut;
}

// `through_vfs`: fault points from the fault VFS; otherwise from the hook.
testkit::SinkUnderTest<examples::KeyValue> kv_sink(int bundles, const std::string& dir,
                                                   bool through_vfs) {
  testkit::SinkUnderTest<examples::KeyValue> sut;
  std::filesystem::create_directories(dir);
  auto db = [dir](const testkit::SinkEnvironment& env) { return dir + "/" + env.run_id + ".db"; };
  sut.make_sink = [db, through_vfs](const testkit::SinkEnvironment& env, const std::string& table) {
    examples::WriteToKVOptions options;
    auto faults = env.faults;
    if (through_vfs) {
      options.vfs = testkit::install_sqlite_fault_vfs(faults);
    } else {
      options.call_hook = [faults](std::string_view phase, std::string_view call) {
        if (phase == "before") faults->before(call);
        if (phase == "after") faults->after(call);
      };
    }
    return examples::WriteToKV(db(env), table, options).sink();
  };
  sut.read_back = [db](const testkit::SinkEnvironment& env, const std::string& table) {
    return examples::table_rows(db(env), table);
  };
  sut.leftovers = [db](const testkit::SinkEnvironment& env) -> std::optional<std::string> {
    const auto left = examples::staging_tables_left(db(env));
    if (!left.empty()) return "staging table \"" + left.front() + "\"";
    return std::nullopt;
  };
  for (int i = 0; i < bundles * 4; ++i) {
    sut.records.push_back({"key" + std::to_string(1000 + i), "value " + std::to_string(i)});
  }
  sut.destination = "kv";
  return sut;
}

// One plain write and its read-back, as the check makes for each case.
template <typename T>
double plain_write_seconds(const testkit::SinkUnderTest<T>& sut, int bundles, int n) {
  std::vector<double> times;
  for (int i = 0; i < n; ++i) {
    const auto start = Clock::now();
    testkit::SinkCrashOptions options;
    options.bundles = bundles;
    const testkit::internal::SinkRun run = testkit::internal::run_sink_once(
        sut, options, std::nullopt, "plain-" + std::to_string(i) + "-" + std::to_string(rand()));
    if (run.failed()) {
      std::fprintf(stderr, "the plain write failed\n");
      std::exit(1);
    }
    times.push_back(seconds_since(start));
  }
  return spread(times).median;
}

// `make(r)` is the sink of run r: runs must not share a store.
template <typename T>
bool measure(const char* name, const std::function<testkit::SinkUnderTest<T>(int)>& make,
             int bundles, int runs) {
  const double plain = plain_write_seconds(make(-1), bundles, 5);
  std::vector<double> states_per_second, cases_per_second, cost;
  testkit::CheckResult result;
  for (int r = 0; r < runs; ++r) {
    testkit::SinkCrashOptions options;
    options.bundles = bundles;
    const auto start = Clock::now();
    result = testkit::check_sink_crash_points(make(r), options);
    const double took = seconds_since(start);
    if (!result.ok()) {
      std::printf("%s\n", result.to_string().c_str());
      return false;
    }
    // Each case is a write; a crash case adds one recovery per state.
    cases_per_second.push_back(static_cast<double>(result.cases) / took);
    const auto& note = result.notes.front();
    const long long states = std::atoll(note.substr(note.rfind("; ") + 2).c_str());
    states_per_second.push_back(static_cast<double>(states) / took);
    cost.push_back(took / static_cast<double>(result.cases + states) / plain);
  }
  const Spread cases = spread(cases_per_second), crash = spread(states_per_second),
               ratio = spread(cost);
  std::printf("%s, %d bundles: %s\n", name, bundles, result.notes.front().c_str());
  std::printf("  crash states recovered per second: min %.0f, median %.0f, max %.0f\n", crash.min,
              crash.median, crash.max);
  std::printf("  fault cases per second:            min %.0f, median %.0f, max %.0f\n", cases.min,
              cases.median, cases.max);
  std::printf(
      "  one write of the check / one plain write (%.2f ms): min %.2fx, median %.2fx, max "
      "%.2fx\n",
      plain * 1e3, ratio.min, ratio.median, ratio.max);
  return true;
}

}  // namespace
}  // namespace splitcheck

int main(int argc, char** argv) {
  const int text_bundles = argc > 1 ? std::atoi(argv[1]) : 100;
  const int kv_bundles = argc > 2 ? std::atoi(argv[2]) : 20;
  const int runs = argc > 3 ? std::atoi(argv[3]) : 3;
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string dir = std::string(tmp != nullptr ? tmp : "/tmp") + "/sink_crash_points_bench-" +
                          std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  using splitcheck::examples::KeyValue;
  bool ok = splitcheck::measure<std::string>(
      "TextSink", [&](int) { return splitcheck::text_sink(text_bundles); }, text_bundles, runs);
  for (const bool vfs : {true, false}) {
    const std::string sub = dir + (vfs ? "/vfs-" : "/hook-");
    ok = splitcheck::measure<KeyValue>(
             vfs ? "WriteToKV through the fault VFS" : "WriteToKV through its hook",
             [&](int r) {
               return splitcheck::kv_sink(kv_bundles, sub + std::to_string(r + 1), vfs);
             },
             kv_bundles, runs) &&
         ok;
  }
  std::filesystem::remove_all(dir);
  return ok ? 0 : 1;
}
