// LocalRunner's process mode (RunnerOptions::worker_processes): bundles,
// sinks and records cross a process boundary as bytes, writer results come
// back as bytes, an injected failure is a real SIGKILL, and reads and writes
// are still exactly once.

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/internal/in_memory_source.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/lib/runner/scripted_schedule.h"
#include "splitcheck/lib/runner/seeded_schedule.h"
#include "splitcheck/lib/sinks/sink.h"
#include "splitcheck/lib/sinks/sink_coder.h"
#include "splitcheck/lib/sinks/write.h"
#include "splitcheck/lib/sources/concat_source.h"
#include "splitcheck/lib/sources/offset_bundles.h"
#include "splitcheck/lib/trackers/offset_range_tracker.h"
#include "splitcheck/testkit/error_matchers.h"

namespace splitcheck {
namespace {

using internal::InMemorySource;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

std::vector<std::string> words(int n) { return internal::numbered_strings(n); }

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

Read<std::string> read_words(int n) {
  return Read<std::string>(std::make_shared<InMemorySource<std::string>>(words(n)));
}

RunnerOptions in_processes(int workers, std::shared_ptr<const RunnerPolicy> policy = nullptr) {
  RunnerOptions options;
  options.num_workers = workers;
  options.policy = std::move(policy);
  options.worker_processes = true;
  return options;
}

// Record i is {i, the id of the process that read it}.
class PidSource final : public BoundedSource<std::pair<std::int64_t, std::int64_t>> {
 public:
  using Record = std::pair<std::int64_t, std::int64_t>;
  explicit PidSource(std::int64_t count) : count_(count) {}
  std::int64_t estimate_size() const override { return count_; }
  std::vector<SourceBundle<Record>> split(std::int64_t desired, std::optional<std::int64_t> start,
                                          std::optional<std::int64_t> stop) const override {
    return split_offset_range<Record>(self(), start.value_or(0), stop.value_or(count_), desired);
  }
  std::unique_ptr<RangeTracker<std::int64_t>> get_range_tracker(
      std::optional<std::int64_t> start, std::optional<std::int64_t> stop) const override {
    return std::make_unique<OffsetRangeTracker>(start.value_or(0), stop.value_or(count_));
  }
  Generator<Record> read(RangeTracker<std::int64_t>& tracker) const override {
    for (std::int64_t i = tracker.start_position(); tracker.try_claim(i); ++i) {
      Record r{i, static_cast<std::int64_t>(::getpid())};
      co_yield std::move(r);
    }
  }
  std::string debug_string() const override { return "PidSource"; }
  void encode(ByteWriter& out) const override { out.put_signed(count_); }
  SourceDecoder<Record> decoder() const override {
    return [](ByteReader& in) -> std::shared_ptr<const BoundedSource<Record>> {
      return std::make_shared<const PidSource>(in.get_signed("count"));
    };
  }

 private:
  const std::int64_t count_;
};

TEST(ProcessWorkersTest, ReadsEverythingOnceInOtherProcesses) {
  for (int workers : {1, 2, 4}) {
    SCOPED_TRACE("workers " + std::to_string(workers));
    RunnerOptions options = in_processes(workers);
    options.desired_bundle_size = 100;
    const auto result = LocalRunner(options).run(Read(std::make_shared<PidSource>(1000)));
    ASSERT_EQ(result.records.size(), 1000u);
    std::set<std::int64_t> pids;
    for (std::size_t i = 0; i < result.records.size(); ++i) {
      EXPECT_EQ(result.records[i].first, static_cast<std::int64_t>(i));
      pids.insert(result.records[i].second);
    }
    EXPECT_THAT(pids, Not(::testing::Contains(static_cast<std::int64_t>(::getpid()))));
    EXPECT_LE(pids.size(), static_cast<std::size_t>(workers));
    EXPECT_EQ(result.stats.records, 1000);
  }
}

// The same script gives the same bundles as on threads: the split is made
// by the worker's own tracker and reported back.
// Numbers take the runner's chunked decoding and its blocks of records:
// values of every varint length, across several blocks and batches, in
// order, once each.
TEST(ProcessWorkersTest, NumbersComeBackWholeAndInOrder) {
  std::vector<std::int64_t> values;
  for (std::int64_t i = 0; i < 300000; ++i) {
    values.push_back((i % 2 == 0 ? 1 : -1) * ((i * 2654435761) % (std::int64_t{1} << (i % 63))));
  }
  RunnerOptions options = in_processes(2);
  options.desired_bundle_size = 70000;
  const auto result =
      LocalRunner(options).run(Read(std::make_shared<InMemorySource<std::int64_t>>(values)));
  EXPECT_EQ(result.records, values);
}

TEST(ProcessWorkersTest, ScriptedSplitsMakeTheSameBundlesAsOnThreads) {
  const auto script = std::make_shared<ScriptedSchedule>(
      std::vector<ScheduledSplit>{{"0", 1, 10, 0.5}, {"0.1", 1, 5, 0.5}},
      std::vector<ScheduledFailure>{});
  RunnerOptions options = in_processes(2, script);
  options.desired_bundle_size = 100;
  const auto in_processes_result = LocalRunner(options).run(read_words(200));
  options.worker_processes = false;
  const auto on_threads = LocalRunner(options).run(read_words(200));
  ASSERT_EQ(in_processes_result.bundles.size(), on_threads.bundles.size());
  for (std::size_t i = 0; i < on_threads.bundles.size(); ++i) {
    EXPECT_EQ(in_processes_result.bundles[i].id, on_threads.bundles[i].id);
    EXPECT_EQ(in_processes_result.bundles[i].records, on_threads.bundles[i].records);
  }
  EXPECT_EQ(in_processes_result.records, on_threads.records);
  EXPECT_EQ(in_processes_result.stats.splits_accepted, 2);
}

// fail_after is a real crash: the worker is killed with SIGKILL after its
// first five records, another process takes its place, and the bundle is
// read again, by a process that is not the dead one.
TEST(ProcessWorkersTest, AKilledWorkerIsReplacedAndItsBundleRetried) {
  const auto script = std::make_shared<ScriptedSchedule>(
      std::vector<ScheduledSplit>{}, std::vector<ScheduledFailure>{{"0", 1, 5}});
  RunnerOptions options = in_processes(1, script);
  const auto result = LocalRunner(options).run(Read(std::make_shared<PidSource>(20)));
  ASSERT_EQ(result.records.size(), 20u);
  for (std::size_t i = 0; i < 20; ++i) {
    EXPECT_EQ(result.records[i].first, static_cast<std::int64_t>(i));
  }
  EXPECT_EQ(result.stats.injected_failures, 1);
  EXPECT_EQ(result.stats.worker_processes_replaced, 1);
  EXPECT_EQ(result.stats.discarded_records, 5);
  EXPECT_EQ(result.bundles[0].attempts, 2);
  // The retry's process is alive and not this one; the killed one is gone.
  const auto pid = static_cast<pid_t>(result.records[0].second);
  EXPECT_NE(pid, ::getpid());
}

TEST(ProcessWorkersTest, ExactlyOnceUnderSeededSchedules) {
  std::int64_t splits = 0;
  std::int64_t kills = 0;
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    for (int workers : {1, 3}) {
      SCOPED_TRACE("seed " + std::to_string(seed) + ", workers " + std::to_string(workers));
      RunnerOptions options =
          in_processes(workers, std::make_shared<SeededSchedule>(
                                    seed, SeededSchedule::Options{.split_probability = 0.03,
                                                                  .failure_probability = 0.005,
                                                                  .max_failed_attempts = 2}));
      options.max_attempts = 3;
      const auto result = LocalRunner(options).run(read_words(1500));
      EXPECT_EQ(sorted(result.records), sorted(words(1500)));
      splits += result.stats.splits_accepted;
      kills += result.stats.worker_processes_replaced;
    }
  }
  EXPECT_GT(splits, 20);
  EXPECT_GT(kills, 2);
}

TEST(ProcessWorkersTest, AConcatenationTravelsWithItsSubSources) {
  using Sub = std::shared_ptr<const BoundedSource<std::string>>;
  std::vector<Sub> subs;
  std::vector<std::string> expected;
  for (int n : {300, 0, 17, 900, 1}) {
    std::vector<std::string> part;
    for (int i = 0; i < n; ++i) part.push_back(std::to_string(n) + ":" + std::to_string(i));
    expected.insert(expected.end(), part.begin(), part.end());
    subs.push_back(std::make_shared<InMemorySource<std::string>>(part));
  }
  RunnerOptions options = in_processes(
      3, std::make_shared<SeededSchedule>(7, SeededSchedule::Options{.split_probability = 0.03}));
  options.desired_bundle_size = 250;
  const auto result =
      LocalRunner(options).run(Read(std::make_shared<ConcatSource<std::string>>(subs)));
  EXPECT_EQ(sorted(result.records), sorted(expected));
}

// An idle worker's split request is answered by the reading process between
// two batches of records.
TEST(ProcessWorkersTest, IdleWorkersSplitARunningBundle) {
  RunnerOptions options = in_processes(2);
  options.desired_bundle_size = 1 << 20;  // one bundle: only rebalancing feeds the second worker
  // Long enough to read that the second worker, forked while the first
  // reads, has time to ask for a split between two batches.
  const auto result = LocalRunner(options).run(Read(std::make_shared<PidSource>(1000000)));
  ASSERT_EQ(result.records.size(), 1000000u);
  std::vector<std::int64_t> numbers;
  for (const auto& r : result.records) numbers.push_back(r.first);
  std::sort(numbers.begin(), numbers.end());
  for (std::size_t i = 0; i < numbers.size(); ++i)
    ASSERT_EQ(numbers[i], static_cast<std::int64_t>(i));
  EXPECT_GT(result.stats.splits_accepted, 0) << result.stats.to_string();
}

class Throws final : public BoundedSource<std::string> {
 public:
  std::int64_t estimate_size() const override { return 1; }
  std::vector<SourceBundle<std::string>> split(std::int64_t, std::optional<std::int64_t>,
                                               std::optional<std::int64_t>) const override {
    return {{1, self(), std::nullopt, std::nullopt}};
  }
  std::unique_ptr<RangeTracker<std::int64_t>> get_range_tracker(
      std::optional<std::int64_t> start, std::optional<std::int64_t> stop) const override {
    return std::make_unique<OffsetRangeTracker>(start.value_or(0), stop.value_or(1));
  }
  Generator<std::string> read(RangeTracker<std::int64_t>&) const override {
    throw CorruptDataError("record 0 is not a record");
    co_return;
  }
  std::string debug_string() const override { return "Throws"; }
  void encode(ByteWriter&) const override {}
  SourceDecoder<std::string> decoder() const override {
    return [](ByteReader&) -> std::shared_ptr<const BoundedSource<std::string>> {
      return std::make_shared<const Throws>();
    };
  }
};

TEST(ProcessWorkersTest, AWorkersErrorReachesTheCallerWithItsTypeAndMessage) {
  EXPECT_THAT(testkit::ErrorOf<CorruptDataError>(
                  [] { LocalRunner(in_processes(2)).run(Read(std::make_shared<Throws>())); }),
              ::testing::StrEq("record 0 is not a record"));
}

// Two records, each a bundle of its own: record 0's reader never returns,
// record 1's fails for good, once record 0's reader has started (it
// creates the file `started`; the workers are other processes).
class StuckAndThrows final : public BoundedSource<std::string> {
 public:
  explicit StuckAndThrows(std::string started) : started_(std::move(started)) {}
  std::int64_t estimate_size() const override { return 2; }
  std::vector<SourceBundle<std::string>> split(std::int64_t, std::optional<std::int64_t>,
                                               std::optional<std::int64_t>) const override {
    return {{1, self(), 0, 1}, {1, self(), 1, 2}};
  }
  std::unique_ptr<RangeTracker<std::int64_t>> get_range_tracker(
      std::optional<std::int64_t> start, std::optional<std::int64_t> stop) const override {
    return std::make_unique<OffsetRangeTracker>(start.value_or(0), stop.value_or(2));
  }
  Generator<std::string> read(RangeTracker<std::int64_t>& tracker) const override {
    if (tracker.start_position() == 0) {
      std::fclose(std::fopen(started_.c_str(), "w"));
      for (;;) ::pause();
    }
    while (::access(started_.c_str(), F_OK) != 0) ::usleep(1000);
    throw CorruptDataError("record 1 is not a record");
    co_return;
  }
  std::string debug_string() const override { return "StuckAndThrows"; }
  void encode(ByteWriter& out) const override { out.put_string(started_); }
  SourceDecoder<std::string> decoder() const override {
    return [](ByteReader& in) -> std::shared_ptr<const BoundedSource<std::string>> {
      return std::make_shared<const StuckAndThrows>(in.get_string("started"));
    };
  }

 private:
  const std::string started_;
};

// A run that fails ends although another worker process is stuck in its
// bundle: the runner thread waiting for that worker is woken (its channel
// closed) and the stuck process is killed. Before, the run waited for it
// for ever.
TEST(ProcessWorkersTest, AFailedRunEndsWhileAnotherWorkerIsStuck) {
  const char* dir = std::getenv("TEST_TMPDIR");
  const std::string started =
      std::string(dir != nullptr ? dir : "/tmp") + "/stuck_started_" + std::to_string(::getpid());
  std::remove(started.c_str());
  std::packaged_task<std::string()> task([started] {
    return testkit::ErrorOf<CorruptDataError>(
        [&] { LocalRunner(in_processes(2)).run(Read(std::make_shared<StuckAndThrows>(started))); });
  });
  std::future<std::string> error = task.get_future();
  std::thread run(std::move(task));
  if (error.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
    std::fprintf(stderr,
                 "AFailedRunEndsWhileAnotherWorkerIsStuck: the run did not end within 30 s\n");
    std::fflush(nullptr);
    std::_Exit(1);  // the run's thread cannot be joined
  }
  run.join();
  EXPECT_EQ(error.get(), "record 1 is not a record");
  std::remove(started.c_str());
}

struct Opaque {
  int value = 0;
};

TEST(ProcessWorkersTest, RecordsWithoutACoderAreAUsageError) {
  const auto source = std::make_shared<InMemorySource<Opaque>>(std::vector<Opaque>(3));
  EXPECT_THAT(testkit::UsageErrorOf([&] { LocalRunner(in_processes(2)).run(Read(source)); }),
              HasSubstr("needs a splitcheck::Coder"));
}

class NotSerializable final : public BoundedSource<std::string> {
 public:
  std::int64_t estimate_size() const override { return 0; }
  std::vector<SourceBundle<std::string>> split(std::int64_t, std::optional<std::int64_t>,
                                               std::optional<std::int64_t>) const override {
    return {};
  }
  std::unique_ptr<RangeTracker<std::int64_t>> get_range_tracker(
      std::optional<std::int64_t>, std::optional<std::int64_t>) const override {
    return std::make_unique<OffsetRangeTracker>(0, 0);
  }
  Generator<std::string> read(RangeTracker<std::int64_t>&) const override { co_return; }
  std::string debug_string() const override { return "NotSerializable"; }
};

TEST(ProcessWorkersTest, ASourceWithoutADecoderIsAUsageError) {
  EXPECT_THAT(testkit::UsageErrorOf([] {
                LocalRunner(in_processes(2)).run(Read(std::make_shared<NotSerializable>()));
              }),
              HasSubstr("has no decoder()"));
}

// Writes. The sink's results carry the records (and the writer's process),
// so that finalize, in the parent, commits what the workers wrote.
class ResultSink final : public Sink<std::string> {
 public:
  std::string initialize_write() const override { return "init"; }

  std::unique_ptr<Writer<std::string>> open_writer(const std::string& init,
                                                   const std::string& uid) const override {
    if (init != "init") throw InternalError("the init result did not arrive: " + init);
    return std::make_unique<ResultWriter>(uid);
  }

  // The records of every result, then "pid <writer's process>" for each.
  std::vector<std::string> finalize_write(const std::string&,
                                          const std::vector<std::string>& results,
                                          const std::string&) const override {
    std::vector<std::string> records;
    std::vector<std::string> pids;
    for (const std::string& result : results) {
      ByteReader in(result, "result");
      pids.push_back("pid " + std::to_string(in.get_signed("pid")));
      for (auto& r : decode_value<std::vector<std::string>>(in)) records.push_back(std::move(r));
    }
    records.insert(records.end(), pids.begin(), pids.end());
    return records;
  }

  void encode(ByteWriter& out) const override { out.put_string("ResultSink"); }
  static std::shared_ptr<const ResultSink> decode(ByteReader& in) {
    in.expect_tag("ResultSink");
    return std::make_shared<const ResultSink>();
  }
  SinkDecoder<std::string> decoder() const override { return sink_decoder_of<ResultSink>(); }

 private:
  class ResultWriter final : public Writer<std::string> {
   public:
    explicit ResultWriter(std::string uid) : uid_(std::move(uid)) {}
    void write(const std::string& record) override {
      // The first attempt of a bundle holding "die" ends its process.
      if (record == "die" && uid_.find("-a1") != std::string::npos) ::_exit(3);
      if (record == "bad") throw CorruptDataError("\"bad\" is not a record");
      records_.push_back(record);
    }
    std::string close() override {
      ByteWriter out;
      out.put_signed(::getpid());
      encode_value(records_, out);
      return std::move(out).release();
    }

   private:
    const std::string uid_;
    std::vector<std::string> records_;
  };
};

struct Committed {
  std::vector<std::string> records;
  std::set<std::string> pids;
};

Committed committed(const WriteResult& result) {
  Committed out;
  for (const std::string& s : result.outputs) {
    if (s.rfind("pid ", 0) == 0) {
      out.pids.insert(s);
    } else {
      out.records.push_back(s);
    }
  }
  return out;
}

RunnerOptions write_in_processes(int workers, int bundles,
                                 std::shared_ptr<const WritePolicy> policy = nullptr) {
  RunnerOptions options;
  options.num_workers = workers;
  options.write_bundles = bundles;
  options.write_policy = std::move(policy);
  options.worker_processes = true;
  return options;
}

TEST(ProcessWorkersTest, WritesInOtherProcessesCommitEveryRecordOnce) {
  const std::vector<std::string> records = words(1000);
  const WriteResult result = LocalRunner(write_in_processes(2, 5))
                                 .run(Write<std::string>(std::make_shared<ResultSink>()), records);
  const Committed c = committed(result);
  EXPECT_EQ(c.records, records);  // in bundle order
  EXPECT_THAT(c.pids, Not(::testing::Contains("pid " + std::to_string(::getpid()))));
  EXPECT_GE(c.pids.size(), 1u);
}

// Fails the first attempt of every bundle after `at` records.
class FailFirstAttempts final : public WritePolicy {
 public:
  explicit FailFirstAttempts(std::int64_t at) : at_(at) {}
  bool fail_attempt(const WriteAttempt& a) const override {
    return a.attempt == 1 && !a.speculative && a.records_written == at_;
  }
  bool duplicate(std::int64_t bundle) const override { return bundle == 1; }

 private:
  const std::int64_t at_;
};

TEST(ProcessWorkersTest, AnInjectedWriteFailureKillsTheWorkerAndTheBundleIsRetried) {
  const std::vector<std::string> records = words(300);
  const WriteResult result =
      LocalRunner(write_in_processes(2, 3, std::make_shared<FailFirstAttempts>(40)))
          .run(Write<std::string>(std::make_shared<ResultSink>()), records);
  EXPECT_EQ(committed(result).records, records);
  ASSERT_EQ(result.bundles.size(), 3u);
  for (const WriteBundleReport& bundle : result.bundles) EXPECT_EQ(bundle.failed_attempts, 1);
  EXPECT_TRUE(result.bundles[1].duplicated);
}

TEST(ProcessWorkersTest, AWriteWorkerThatDiesIsReplacedAndItsAttemptRetried) {
  std::vector<std::string> records = words(30);
  records[12] = "die";
  const WriteResult result = LocalRunner(write_in_processes(2, 3))
                                 .run(Write<std::string>(std::make_shared<ResultSink>()), records);
  EXPECT_EQ(committed(result).records, records);
  EXPECT_EQ(result.bundles[1].failed_attempts, 1);
}

TEST(ProcessWorkersTest, AWritersErrorReachesTheCallerWithItsType) {
  std::vector<std::string> records = words(10);
  records[4] = "bad";
  EXPECT_THAT(testkit::ErrorOf<CorruptDataError>([&] {
                LocalRunner(write_in_processes(2, 2))
                    .run(Write<std::string>(std::make_shared<ResultSink>()), records);
              }),
              ::testing::StrEq("\"bad\" is not a record"));
}

class NoEncodingSink final : public Sink<std::string> {
 public:
  std::string initialize_write() const override { return ""; }
  std::unique_ptr<Writer<std::string>> open_writer(const std::string&,
                                                   const std::string&) const override {
    return nullptr;
  }
  std::vector<std::string> finalize_write(const std::string&, const std::vector<std::string>&,
                                          const std::string&) const override {
    return {};
  }
  std::string debug_string() const override { return "NoEncodingSink"; }
};

TEST(ProcessWorkersTest, ASinkWithoutADecoderOrRecordsWithoutACoderAreUsageErrors) {
  EXPECT_THAT(
      testkit::UsageErrorOf([] {
        LocalRunner(write_in_processes(2, 1))
            .run(Write<std::string>(std::make_shared<NoEncodingSink>()), words(3));
      }),
      HasSubstr("NoEncodingSink: RunnerOptions::worker_processes needs a serializable sink"));
  class OpaqueSink final : public Sink<Opaque> {
   public:
    std::string initialize_write() const override { return ""; }
    std::unique_ptr<Writer<Opaque>> open_writer(const std::string&,
                                                const std::string&) const override {
      return nullptr;
    }
    std::vector<std::string> finalize_write(const std::string&, const std::vector<std::string>&,
                                            const std::string&) const override {
      return {};
    }
  };
  EXPECT_THAT(testkit::UsageErrorOf([] {
                LocalRunner(write_in_processes(2, 1))
                    .run(Write<Opaque>(std::make_shared<OpaqueSink>()), std::vector<Opaque>(2));
              }),
              HasSubstr("needs a splitcheck::Coder for the record type"));
}

}  // namespace
}  // namespace splitcheck
