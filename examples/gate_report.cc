#include "splitcheck/examples/gate_report.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "splitcheck/examples/counting/broken_counting_sources.h"
#include "splitcheck/examples/counting/counting_source.h"
#include "splitcheck/examples/counting/guide_counting_source.h"
#include "splitcheck/examples/kv/kv_commit_in_close_sink.h"
#include "splitcheck/examples/kv/kv_io.h"
#include "splitcheck/examples/kv/kv_two_transaction_sink.h"
#include "splitcheck/examples/kv/sqlite_database.h"
#include "splitcheck/lib/files/compression.h"
#include "splitcheck/lib/files/in_memory_file_system.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/lib/text/text_sink.h"
#include "splitcheck/lib/text/text_source.h"
#include "splitcheck/testkit/faults/sqlite_fault_vfs.h"
#include "splitcheck/testkit/mutation_analysis.h"
#include "splitcheck/testkit/sink_testkit.h"
#include "splitcheck/testkit/source_testkit.h"
#include "splitcheck/testkit/tracker_testkit.h"
#include "splitcheck/testkit/zoo/broken_key_trackers.h"
#include "splitcheck/testkit/zoo/broken_line_sink.h"
#include "splitcheck/testkit/zoo/broken_sequence_sources.h"
#include "splitcheck/testkit/zoo/broken_text_sources.h"
#include "splitcheck/testkit/zoo/named_codec_line_source.h"
#include "splitcheck/testkit/zoo/racy_offset_tracker.h"

namespace splitcheck::examples {
namespace {

using testkit::CheckResult;

struct Row {
  std::string connector;
  CheckResult result;
  double seconds = 0;
};

struct Connector {
  std::string name;
  bool should_pass = true;
  std::function<std::vector<Row>(const std::function<void(const std::string&)>& progress)> run;
  // For a correct connector: the mutation analysis of its gate.
  std::function<testkit::MutationReport()> mutants;
};

// `expected`, when known, adds check_source_reads_records.
template <typename T, typename P>
Connector source(std::string name, bool should_pass, testkit::SourceFactory<T, P> factory,
                 testkit::SourceConformanceOptions options = {},
                 std::optional<std::vector<T>> expected = std::nullopt) {
  if (options.schedules.seed == 0) options.schedules.seed = 1;
  // The report prints text, not the exhaustive check's map: a broken
  // connector's check may stop at its first failure.
  options.exhaustive.stop_at_first_failure = true;
  return {name, should_pass,
          [=](const auto& progress) {
            std::vector<Row> rows;
            if (expected) {
              progress(name);
              const auto start = std::chrono::steady_clock::now();
              CheckResult result = testkit::check_source_reads_records(*factory(), *expected);
              const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
              rows.push_back({name, std::move(result), took.count()});
            }
            for (const testkit::SourceCheck check : testkit::kAllSourceChecks) {
              progress(name);
              const auto start = std::chrono::steady_clock::now();
              CheckResult result = testkit::run_source_check(check, factory, options);
              const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
              rows.push_back({name, std::move(result), took.count()});
            }
            return rows;
          },
          [=] { return testkit::analyze_source_gate(factory, options); }};
}

template <typename T>
Connector sink(std::string name, bool should_pass, testkit::SinkUnderTest<T> sut) {
  return {name, should_pass,
          [=](const auto& progress) {
            std::vector<Row> rows;
            for (const testkit::SinkCheck check : testkit::kAllSinkChecks) {
              progress(name);
              const auto start = std::chrono::steady_clock::now();
              CheckResult result = testkit::run_sink_check(check, sut);
              const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
              rows.push_back({name, std::move(result), took.count()});
            }
            return rows;
          },
          [=] { return testkit::analyze_sink_gate(sut); }};
}

// A fresh directory for this run's SQLite databases (one per write: the
// sink checks name every write they make differently).
std::string fresh_scratch() {
  const char* tmp = std::getenv("TEST_TMPDIR");
  if (tmp == nullptr) tmp = std::getenv("TMPDIR");
  const std::string dir = std::string(tmp != nullptr ? tmp : "/tmp") + "/splitcheck_gate";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::shared_ptr<InMemoryFileSystem> text_files() {
  auto fs = std::make_shared<InMemoryFileSystem>();
  std::string text;
  for (int i = 0; i < 30; ++i) text += "line " + std::to_string(i) + (i % 2 ? "\r\n" : "\n");
  fs->set_contents("text/a.txt", text);
  fs->set_contents("text/b.txt", "header\n\nlast line without newline");
  // Several gzip files: each is read whole, and ranges end between them.
  for (const char* name : {"gz/c.txt.gz", "gz/d.txt.gz", "gz/e.txt.gz"}) {
    auto gz = compress(fs->create(name), Compression::kGzip);
    gz->append(text);
    gz->close();
  }
  return fs;
}

std::vector<std::string> lines(int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back("record " + std::to_string(i));
  return out;
}

testkit::SinkUnderTest<std::string> line_sink(
    std::function<std::shared_ptr<const Sink<std::string>>(const testkit::SinkEnvironment&,
                                                           const std::string&)>
        make) {
  testkit::SinkUnderTest<std::string> sut;
  sut.make_sink = std::move(make);
  sut.read_back = [](const testkit::SinkEnvironment& env, const std::string& place) {
    return testkit::committed_lines(env, place + "-*");
  };
  sut.records = lines(12);
  return sut;
}

// A sink over a KV database file per write (`dir`/<prefix>-<run id>.db);
// what it committed is read back with ReadFromKV.
testkit::SinkUnderTest<KeyValue> kv_sink(
    const std::string& dir, const std::string& prefix,
    std::function<std::shared_ptr<const Sink<KeyValue>>(
        const testkit::SinkEnvironment&, const std::string& db, const std::string& table)>
        make) {
  const auto db_of = [dir, prefix](const testkit::SinkEnvironment& env) {
    return dir + "/" + prefix + "-" + env.run_id + ".db";
  };
  testkit::SinkUnderTest<KeyValue> sut;
  sut.make_sink = [db_of, make](const testkit::SinkEnvironment& env, const std::string& table) {
    return make(env, db_of(env), table);
  };
  sut.read_back = [db_of](const testkit::SinkEnvironment& env, const std::string& table) {
    try {
      // One reader, no runner: a read-back runs after every case.
      return testkit::read_from_source(*ReadFromKV(db_of(env), table).source());
    } catch (const InputError&) {
      return std::vector<KeyValue>{};  // no table: nothing committed
    }
  };
  sut.leftovers = [db_of](const testkit::SinkEnvironment& env) -> std::optional<std::string> {
    const auto left = staging_tables_left(db_of(env));
    if (!left.empty()) return "staging table \"" + left.front() + "\"";
    return std::nullopt;
  };
  for (int i = 0; i < 9; ++i) sut.records.push_back({"k" + std::to_string(i), "v"});
  sut.destination = "kv";
  return sut;
}

// A tracker through the tracker contract checker.
template <typename P>
Connector tracker(std::string name, testkit::TrackerFactory<P> factory,
                  testkit::PositionDomain<P> positions, testkit::TrackerContractOptions options) {
  return {name, false,
          [name, factory, positions, options](const auto& progress) {
            progress(name);
            const auto began = std::chrono::steady_clock::now();
            CheckResult result = testkit::check_tracker_contract(factory, positions, options);
            const std::chrono::duration<double> took = std::chrono::steady_clock::now() - began;
            return std::vector<Row>{{name, std::move(result), took.count()}};
          },
          nullptr};
}

using TextPosition = ConcatPosition<std::int64_t>;

// The example connectors, which the gate must accept.
void add_correct_connectors(std::uint64_t seed, const std::shared_ptr<InMemoryFileSystem>& fs,
                            const std::string& dir, std::vector<Connector>& all) {
  testkit::SourceConformanceOptions seeded;
  seeded.schedules.seed = seed;
  all.push_back(source<std::int64_t, std::int64_t>(
      "CountingSource", true, [] { return std::make_shared<internal::CountingSource>(200); },
      seeded));
  // "gz/*": three gzip files, each read whole by one reader; splits fall
  // between them.
  for (const auto& [name, pattern] : std::vector<std::pair<std::string, std::string>>{
           {"TextSource", "text/*"}, {"TextSource, gzip", "gz/*"}}) {
    const std::string p = pattern;
    all.push_back(source<std::string, TextPosition>(
        name, true,
        [fs, p] {
          TextSourceOptions options;
          options.file_system = fs;
          return std::make_shared<TextSource>(p, options);
        },
        seeded));
  }
  const std::string kv = dir + "/gate.db";
  std::vector<KeyValue> rows;
  for (int i = 0; i < 40; ++i) rows.push_back({"key" + std::to_string(1000 + i), "v"});
  LocalRunner().run(WriteToKV(kv, "t"), rows);
  testkit::SourceConformanceOptions sampled = seeded;
  sampled.exhaustive.max_positions = 300;
  all.push_back(source<KeyValue, std::string>(
      "ReadFromKV", true, [kv] { return ReadFromKV(kv, "t").source(); }, sampled));
  all.push_back(sink<std::string>("WriteToText", true,
                                  line_sink([](const auto& env, const auto& destination) {
                                    TextSinkOptions options;
                                    options.file_system = env.file_system;
                                    return std::make_shared<const TextSink>(destination, options);
                                  })));
  all.push_back(sink<KeyValue>("WriteToKV", true,
                               kv_sink(dir, "sink",
                                       [](const testkit::SinkEnvironment& env,
                                          const std::string& db, const std::string& table) {
                                         // Every SQLite write, sync, lock and
                                         // delete a fault point.
                                         WriteToKVOptions options;
                                         options.vfs =
                                             testkit::install_sqlite_fault_vfs(env.faults);
                                         return WriteToKV(db, table, options).sink();
                                       })));
}

// The zoo's sources, each of which the gate must reject.
void add_zoo_sources(const std::shared_ptr<InMemoryFileSystem>& fs, std::vector<Connector>& all) {
  all.push_back(source<std::int64_t, std::int64_t>("zoo: the guide's CountingSource", false, [] {
    return std::make_shared<broken::GuideCountingSource>(50);
  }));
  for (const auto& [name, bug, pattern] :
       std::vector<std::tuple<std::string, broken::LineBug, std::string>>{
           {"zoo: drops the line at a split", broken::LineBug::kDropsLineAtSplit, "text/*"},
           {"zoo: \\r\\n across a split", broken::LineBug::kCrLfAtSplit, "text/*"},
           {"zoo: gzip reported splittable", broken::LineBug::kSplittableGzip, "gz/*"}}) {
    const broken::LineBug b = bug;
    const std::string p = pattern;
    all.push_back(source<std::string, TextPosition>(
        name, false, [fs, b, p] { return std::make_shared<broken::BrokenTextSource>(p, fs, b); }));
  }
  for (const auto& [name, bug] : std::vector<std::pair<std::string, broken::CountingBug>>{
           {"zoo: emits after a refused claim", broken::CountingBug::kEmitsAfterRefusedClaim},
           {"zoo: progress jumps backwards", broken::CountingBug::kProgressJumpsBackwards},
           {"zoo: split at the last claim", broken::CountingBug::kSplitAtLastClaim}}) {
    const broken::CountingBug b = bug;
    all.push_back(source<std::int64_t, std::int64_t>(
        name, false, [b] { return std::make_shared<broken::BrokenCountingSource>(40, b); }));
  }
  for (const auto& [name, bug] : std::vector<std::pair<std::string, broken::SequenceBug>>{
           {"zoo: event log split at its last claim", broken::SequenceBug::kSplitAtTheLastClaim},
           {"zoo: event log mapping floors", broken::SequenceBug::kFloorsFractions},
           {"zoo: event log's last bundle to the end",
            broken::SequenceBug::kLastBundleToTheEstimate}}) {
    const broken::SequenceBug b = bug;
    all.push_back(source<std::string, std::int64_t>(
        name, false, [b] { return std::make_shared<broken::EventLogSource>(1000, 60, b); }));
  }
  auto gz = std::make_shared<InMemoryFileSystem>();
  std::vector<std::string> expected;
  auto file = compress(gz->create("events.txt.GZ"), Compression::kGzip);
  for (int i = 0; i < 20; ++i) {
    expected.push_back("event " + std::to_string(i));
    file->append(expected.back() + "\n");
  }
  file->close();
  const testkit::SourceFactory<std::string, std::int64_t> named = [gz] {
    return std::make_shared<broken::NamedCodecLineSource>(gz, "events.txt.GZ");
  };
  all.push_back(source<std::string, std::int64_t>("zoo: reads events.txt.GZ as plain bytes", false,
                                                  named, testkit::SourceConformanceOptions{},
                                                  expected));
}

// The zoo's sinks, each of which the gate must reject.
void add_zoo_sinks(const std::string& dir, std::vector<Connector>& all) {
  for (const auto& [name, bug] : std::vector<std::pair<std::string, broken::SinkBug>>{
           {"zoo: finalize fails when rerun", broken::SinkBug::kFinalizeFailsIfTempMissing},
           {"zoo: pre_finalize deletes moved shards", broken::SinkBug::kPreFinalizeDeletesOutputs},
           {"zoo: no cleanup", broken::SinkBug::kNoCleanup},
           {"zoo: writers share a temporary file", broken::SinkBug::kSharedTempName},
           {"zoo: commits inside close()", broken::SinkBug::kCommitInClose},
           {"zoo: shard names by completion", broken::SinkBug::kShardNamesByCompletion},
           {"zoo: renames before syncing the file", broken::SinkBug::kRenameBeforeSync},
           {"zoo: temporary directory never synced", broken::SinkBug::kNoTempDirectorySync},
           {"zoo: output directory never synced", broken::SinkBug::kNoOutputDirectorySync},
           {"zoo: new directories' parents never synced", broken::SinkBug::kNoNewDirectorySync},
           {"zoo: abort_write does nothing", broken::SinkBug::kNoAbort}}) {
    const broken::SinkBug b = bug;
    all.push_back(sink<std::string>(
        name, false, line_sink([b](const auto& env, const auto& destination) {
          return std::make_shared<const broken::BrokenLineSink>(env.file_system, destination, b);
        })));
  }
  all.push_back(sink<KeyValue>(
      "zoo: KV sink commits inside close()", false,
      kv_sink(dir, "close",
              [](const testkit::SinkEnvironment&, const std::string& db, const std::string& table) {
                return std::make_shared<const broken::KvCommitInCloseSink>(db, table);
              })));
  all.push_back(sink<KeyValue>(
      "zoo: KV finalize in two transactions", false,
      kv_sink(
          dir, "two-txn",
          [](const testkit::SinkEnvironment& env, const std::string& db, const std::string& table) {
            return std::make_shared<const broken::KvTwoTransactionSink>(
                db, table, testkit::install_sqlite_fault_vfs(env.faults));
          })));
}

// The zoo's trackers, each of which the tracker contract must reject.
void add_zoo_trackers(std::vector<Connector>& all) {
  for (const auto& [name, bug] : std::vector<std::pair<std::string, broken::KeyMappingBug>>{
           {"zoo: key tracker, tiny fractions to the start",
            broken::KeyMappingBug::kTinyFractionsToTheStart},
           {"zoo: key tracker, shortest key past the target",
            broken::KeyMappingBug::kShortestKeyPastTarget}}) {
    const broken::KeyMappingBug b = bug;
    all.push_back(tracker<std::string>(name,
                                       [b](const std::string& start, const std::string& stop) {
                                         return std::make_unique<broken::BrokenKeyTracker>(start,
                                                                                           stop, b);
                                       },
                                       testkit::key_positions(), {.seed = 1}));
  }
  all.push_back(tracker<std::int64_t>(
      "zoo: racy tracker (check, unlock, act)",
      [](const std::int64_t& start, const std::int64_t& stop) {
        return std::make_unique<broken::RacyOffsetTracker>(start, stop);
      },
      testkit::offset_positions(), {.concurrent_runs = 200, .repetitions = 30, .seed = 5}));
}

std::vector<Connector> connectors(std::uint64_t seed) {
  const auto fs = text_files();
  const std::string dir = fresh_scratch();
  std::vector<Connector> all;
  add_correct_connectors(seed, fs, dir, all);
  add_zoo_sources(fs, all);
  add_zoo_sinks(dir, all);
  add_zoo_trackers(all);
  return all;
}

std::string first_lines(const std::string& text, int n) {
  std::istringstream in(text);
  std::string line, out;
  for (int i = 0; i < n && std::getline(in, line); ++i) out += "      " + line + "\n";
  return out;
}

}  // namespace

int run_gate_report(const GateReportOptions& report_options) {
  const auto began = std::chrono::steady_clock::now();
  const bool progress_on_terminal = isatty(fileno(stderr)) == 1;
  const auto clear_progress = [&] {
    if (progress_on_terminal) std::fprintf(stderr, "\r%70s\r", "");
  };
  std::vector<Connector> all = connectors(report_options.seed);
  if (report_options.correct_only) {
    std::erase_if(all, [](const Connector& c) { return !c.should_pass; });
    for (Connector& c : all) c.mutants = nullptr;
  }
  std::vector<std::vector<Row>> results;
  int step = 0;
  for (const Connector& c : all) {
    ++step;
    bool announced = false;
    results.push_back(c.run([&](const std::string& name) {
      // On a terminal, one line rewritten per check; in a log, one line per
      // connector.
      if (progress_on_terminal) {
        std::fprintf(stderr, "\r[%2d/%zu] %-45s", step, all.size(), name.c_str());
      } else if (!announced) {
        std::fprintf(stderr, "[%2d/%zu] %s\n", step, all.size(), c.name.c_str());
        announced = true;
      }
      std::fflush(stderr);
    }));
  }
  clear_progress();
  std::printf("%-40s %-32s %-8s %8s %9s\n", "connector", "check", "verdict", "cases", "time");
  int wrong = 0;
  std::string rejections;
  for (std::size_t i = 0; i < all.size(); ++i) {
    bool passed = true;
    const Row* first_failure = nullptr;
    for (const Row& row : results[i]) {
      const char* verdict = row.result.ok() ? "pass" : "REJECT";
      if (row.result.outcome == CheckResult::Outcome::kGaveUp) verdict = "gave up";
      std::printf("%-40s %-32s %-8s %8lld %7.0fms\n", row.connector.c_str(),
                  row.result.check.c_str(), verdict, static_cast<long long>(row.result.cases),
                  row.seconds * 1000);
      if (!row.result.ok() && row.result.outcome != CheckResult::Outcome::kGaveUp) {
        passed = false;
        if (first_failure == nullptr) first_failure = &row;
      }
    }
    const bool as_expected = passed == all[i].should_pass;
    if (!as_expected) ++wrong;
    if (first_failure != nullptr) {
      rejections += "  " + all[i].name + ": rejected by " + first_failure->result.check +
                    (as_expected ? "" : "  <-- UNEXPECTED") + "\n" +
                    first_lines(first_failure->result.message, 6);
      if (!first_failure->result.replay.empty()) {
        rejections += "      replay: " + first_failure->result.replay + "\n";
      }
    } else if (!as_expected) {
      rejections += "  " + all[i].name + ": accepted  <-- UNEXPECTED: it should be rejected\n";
    }
  }
  std::printf("\nRejections (first failing check of each, shrunk):\n%s", rejections.c_str());

  // Is each correct connector's gate strong enough for it? Its mutants (the
  // gate's own bug classes, put into the connector) must all be rejected.
  if (!report_options.correct_only) {
    std::printf(
        "\nMutation analysis of the correct connectors' gates (mutants rejected / applied):\n");
  }
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (!all[i].should_pass || !all[i].mutants) continue;
    if (progress_on_terminal) {
      std::fprintf(stderr, "\r[mutants] %-55s", all[i].name.c_str());
    } else {
      std::fprintf(stderr, "[mutants] %s\n", all[i].name.c_str());
    }
    std::fflush(stderr);
    const testkit::MutationReport report = all[i].mutants();
    const int not_applicable = static_cast<int>(report.mutants.size()) - report.applied();
    const bool strong = !report.broken && report.applied() > 0 && report.survived() == 0;
    if (!strong) ++wrong;
    std::printf("  %-40s %-14s %s\n", all[i].name.c_str(),
                report.broken ? "broken" : report.score().c_str(),
                report.broken ? report.broken->c_str()
                : not_applicable > 0
                    ? (std::to_string(not_applicable) + " not applicable to this connector").c_str()
                    : "");
    for (const testkit::MutantOutcome& m : report.mutants) {
      if (m.verdict == testkit::MutantOutcome::Verdict::kSurvived) {
        std::printf("      SURVIVED %s: %s  <-- UNEXPECTED\n", m.mutation.c_str(),
                    m.advice.c_str());
      }
    }
  }
  clear_progress();
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - began;
  std::size_t correct = 0;
  for (const Connector& c : all) correct += c.should_pass ? 1 : 0;
  const std::string exceptions = wrong == 0 ? "" : ", EXCEPT " + std::to_string(wrong);
  std::printf(
      "\n%zu connectors: %zu correct ones accepted%s and %zu broken ones rejected, as "
      "expected%s, in %.1f s\n",
      all.size(), correct,
      report_options.correct_only ? "" : " (every mutant of their gates rejected)",
      all.size() - correct, exceptions.c_str(), took.count());
  return wrong;
}

}  // namespace splitcheck::examples
