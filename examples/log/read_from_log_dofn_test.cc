// ReadFromLogDoFn's mutation analysis, its growable tracker and its misuse
// errors on a sealed log, and run_sdf while writers append to the log: every
// record read exactly once, at its timestamp, with the run ending once the
// log is sealed and read to its end. (Its gate is read_from_log_dofn_gate.cc.)

#include "splitcheck/examples/log/read_from_log_dofn.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "splitcheck/examples/log/partitioned_log.h"
#include "splitcheck/lib/error.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/lib/runner/seeded_schedule.h"
#include "splitcheck/lib/sdf/forwarding_dofn.h"
#include "splitcheck/lib/sdf/splittable_dofn.h"
#include "splitcheck/testkit/gtest.h"
#include "splitcheck/testkit/sdf_testkit.h"

namespace splitcheck::examples {
namespace {

using ::testing::HasSubstr;

// Three partitions of 0, 5 and 30 records, timestamps rising by 0 to 2 at a
// step, sealed. (The gate, read_from_log_dofn_gate.cc, has its own.)
std::shared_ptr<PartitionedLog> sealed_log() {
  auto log = std::make_shared<PartitionedLog>(3);
  for (int p = 0; p < 3; ++p) {
    for (int i = 0; i < std::vector<int>{0, 5, 30}[static_cast<std::size_t>(p)]; ++i) {
      log->append(p, 100 * p + i + i / 2, std::to_string(i));
    }
  }
  log->seal();
  return log;
}

// Every mutant of the SDF mutation analysis but one applies to a reader that
// checkpoints (the lost initial split cannot: a partition is never split
// ahead), and every one is rejected.
TEST(ReadFromLogDoFnTest, TheMutantsThatApply) {
  testkit::SdfCheckOptions o;
  o.schedule_runs = 40;
  o.runner_seeds = 4;
  const testkit::MutationReport report = testkit::analyze_sdf_gate(
      ReadFromLogDoFn(sealed_log(), {.max_records_per_call = 4}), std::vector<int>{0, 1, 2}, o);
  SPLITCHECK_EXPECT_PASSED(testkit::to_check_result(report));
  EXPECT_EQ(report.applied(), testkit::sdf_mutant_count() - 1) << report;
  for (const testkit::MutantOutcome& m : report.mutants) {
    const bool lost_split = m.mutation == "the last initial split lost";
    EXPECT_EQ(m.verdict, lost_split ? testkit::MutantOutcome::Verdict::kNotApplicable
                                    : testkit::MutantOutcome::Verdict::kRejected)
        << m.mutation;
  }
}

// The growable tracker's rules on this DoFn's trackers: a split never goes
// past the end the log had.
TEST(ReadFromLogDoFnTest, ASplitNeverGoesPastTheLogsEnd) {
  auto log = std::make_shared<PartitionedLog>(1);
  for (int i = 0; i < 10; ++i) log->append(0, i, "");
  const ReadFromLogDoFn dofn(log);
  auto tracker = dofn.new_tracker(0, dofn.initial_restriction(0));
  EXPECT_FALSE(tracker->is_bounded());
  ASSERT_TRUE(tracker->try_claim(3));
  const auto split = tracker->try_split(1);
  ASSERT_TRUE(split.has_value());
  EXPECT_EQ(split->primary, (OffsetRange{0, 10}));
  EXPECT_EQ(split->residual, (OffsetRange{10, kOffsetInfinity}));
  EXPECT_EQ(dofn.restriction_size(0, split->residual), 0);
  log->append(0, 10, "");
  EXPECT_EQ(dofn.restriction_size(0, split->residual), 1);
}

TEST(ReadFromLogDoFnTest, MisuseIsNamed) {
  const ReadFromLogDoFn dofn(sealed_log());
  try {
    dofn.initial_restriction(3);
    ADD_FAILURE() << "no UsageError";
  } catch (const UsageError& e) {
    EXPECT_THAT(e.what(), HasSubstr("ReadFromLogDoFn::initial_restriction: element 3 is not a "
                                    "partition of the log's 3"));
  }
  const auto error_of = [](ReadFromLogDoFn::Options options) -> std::string {
    try {
      ReadFromLogDoFn(sealed_log(), options);
    } catch (const UsageError& e) {
      return e.what();
    }
    return "no UsageError";
  };
  EXPECT_THROW(ReadFromLogDoFn(nullptr), UsageError);
  EXPECT_THAT(error_of({.start_offset = -1}), HasSubstr("start_offset -1 is negative"));
  EXPECT_THAT(error_of({.batch = 0}), HasSubstr("batch 0"));
  EXPECT_THAT(error_of({.max_records_per_call = -2}), HasSubstr("max_records_per_call -2"));
  EXPECT_THAT(error_of({.poll_delay = std::chrono::milliseconds(-1)}),
              HasSubstr("poll_delay -1 ms is negative"));
}

// The reader, counting per partition the calls that caught up and
// checkpointed, so that the test can seal the log only after every reader
// has been waiting on it.
class ObservedReader final : public ForwardingDoFn<int, LogRecord, OffsetRange, std::int64_t> {
 public:
  ObservedReader(std::shared_ptr<const PartitionedLog> log, std::vector<std::atomic<int>>& resumes)
      : ForwardingDoFn(std::make_shared<ReadFromLogDoFn>(std::move(log))), resumes_(resumes) {}
  ProcessContinuation process(const int& p, RestrictionTracker<OffsetRange, std::int64_t>& tracker,
                              WatermarkEstimator& watermark,
                              SdfOutput<LogRecord>& out) const override {
    const ProcessContinuation c = ForwardingDoFn::process(p, tracker, watermark, out);
    if (c.resume) ++resumes_[static_cast<std::size_t>(p)];
    return c;
  }

 private:
  std::vector<std::atomic<int>>& resumes_;
};

std::vector<LogRecord> sorted_values(const SdfResult<LogRecord>& r) {
  std::vector<LogRecord> got;
  for (const auto& v : r.outputs) {
    EXPECT_EQ(v.timestamp, v.value.timestamp) << v.value;
    got.push_back(v.value);
  }
  std::sort(got.begin(), got.end());
  return got;
}

// Joins its threads however the test leaves its scope (a run that throws
// or ends early must not leave a joinable thread behind: std::terminate, no
// message): it raises `stop` and seals the log, which ends every loop of
// the test's threads, then joins them.
class Threads {
 public:
  Threads(std::shared_ptr<PartitionedLog> log, std::atomic<bool>& stop)
      : log_(std::move(log)), stop_(stop) {}
  ~Threads() {
    stop_ = true;
    log_->seal();
    for (std::thread& t : threads_) t.join();
  }
  template <typename F>
  void start(F f) {
    threads_.emplace_back(std::move(f));
  }

 private:
  const std::shared_ptr<PartitionedLog> log_;
  std::atomic<bool>& stop_;
  std::vector<std::thread> threads_;
};

// Writers append to three partitions while two workers read them; the log
// is sealed once the writers are done and every partition's reader has
// caught up and checkpointed again since. The run reads every record
// exactly once, with failed attempts retried (a seeded schedule), ends
// within a minute (else it fails, not hangs), and every partition's
// watermark reaches its last record's timestamp.
TEST(ReadFromLogDoFnTest, ReadsALogThatGrowsWhileItIsRead) {
  for (const std::uint64_t seed : {1, 2, 3}) {
    constexpr int kWriters = 3;
    constexpr int kPerWriter = 3000;
    auto log = std::make_shared<PartitionedLog>(kWriters);
    RunnerOptions o;
    o.num_workers = 2;
    o.max_attempts = 4;
    o.policy = std::make_shared<SeededSchedule>(
        seed,
        SeededSchedule::Options{
            .split_probability = 0.001, .failure_probability = 0.0005, .max_failed_attempts = 2});
    std::vector<std::atomic<int>> resumes(kWriters);
    std::atomic<bool> finished{false};
    std::atomic<int> writers_done{0};
    Threads threads(log, finished);
    for (int p = 0; p < kWriters; ++p) {
      threads.start([log, p, &writers_done] {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));  // readers start first
        try {
          for (int i = 0; i < kPerWriter; ++i) {
            log->append(p, i, std::to_string(i));
            if (i % 500 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
          }
        } catch (const UsageError&) {
          return;  // sealed early: the test is failing already, the records will say so
        }
        ++writers_done;
      });
    }
    // Seals once every partition's reader has caught up with the writers'
    // last record: two more checkpoints each after they are done, so that
    // at least one whole call started after the last append.
    threads.start([&writers_done, &resumes, &finished, log] {
      const auto wait = [&finished](const auto& done) {
        while (!done() && !finished) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      };
      wait([&] { return writers_done == kWriters; });
      std::vector<int> caught_up;
      for (const std::atomic<int>& r : resumes) caught_up.push_back(r.load());
      for (std::size_t p = 0; p < resumes.size(); ++p) {
        wait([&] { return resumes[p].load() >= caught_up[p] + 2; });
      }
      log->seal();
    });
    // The watchdog: a run that does not end after the seal fails the test.
    threads.start([&finished] {
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
      while (!finished && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      if (!finished) {
        std::fprintf(stderr, "ReadsALogThatGrowsWhileItIsRead: run_sdf did not end in 60 s\n");
        std::abort();
      }
    });
    const SdfResult<LogRecord> r =
        LocalRunner(o).run_sdf(ObservedReader(log, resumes), std::vector<int>{0, 1, 2});
    finished = true;
    std::vector<LogRecord> want;
    for (int p = 0; p < kWriters; ++p) {
      for (int i = 0; i < kPerWriter; ++i) want.push_back({p, i, i, std::to_string(i)});
    }
    EXPECT_EQ(sorted_values(r), want) << "seed " << seed;
    EXPECT_GE(r.stats.checkpoints, kWriters) << "seed " << seed;
    std::vector<Timestamp> watermark(kWriters, kMinTimestamp);
    for (const SdfWorkReport& item : r.items) {
      auto& w = watermark[item.element];
      w = std::max(w, item.watermark);
    }
    for (int p = 0; p < kWriters; ++p) {
      EXPECT_EQ(watermark[static_cast<std::size_t>(p)], kPerWriter - 1)
          << "seed " << seed << ", partition " << p;
    }
  }
}

}  // namespace
}  // namespace splitcheck::examples
