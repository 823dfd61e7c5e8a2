// A write resumed from its checkpoint: nothing done twice that the
// checkpoint recorded, attempts numbered on, finalize rerun until committed.

#include "splitcheck/lib/runner/write_checkpoint.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/mutex.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/testkit/error_matchers.h"

namespace splitcheck {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Logs every call; dies (MachineCrash) at the call named `crash_at`.
class LoggingSink final : public Sink<int> {
 public:
  explicit LoggingSink(std::string crash_at = "", bool abort_fails = false)
      : crash_at_(std::move(crash_at)), abort_fails_(abort_fails) {}

  std::string initialize_write() const override {
    log("init");
    return "init";
  }
  std::unique_ptr<Writer<int>> open_writer(const std::string&,
                                           const std::string& uid) const override {
    log("open " + uid);
    return std::make_unique<LoggingWriter>(this, uid);
  }
  std::vector<std::string> finalize_write(const std::string&,
                                          const std::vector<std::string>& results,
                                          const std::string&) const override {
    std::string all;
    for (const std::string& r : results) all += r + ";";
    log("finalize " + all);
    return {all};
  }

  void abort_write(const std::string&, const std::vector<std::string>& results) const override {
    log("abort with " + std::to_string(results.size()) + " results");
    if (abort_fails_) throw InputError("the store is gone");
  }

  std::vector<std::string> calls() const {
    internal::MutexLock lock(&mu_);
    return calls_;
  }

 private:
  class LoggingWriter final : public Writer<int> {
   public:
    LoggingWriter(const LoggingSink* sink, std::string uid) : sink_(sink), uid_(std::move(uid)) {}
    void write(const int& record) override { records_ += std::to_string(record) + ","; }
    std::string close() override {
      sink_->log("close " + uid_);
      return uid_ + ":" + records_;
    }

   private:
    const LoggingSink* const sink_;
    const std::string uid_;
    std::string records_;
  };

  void log(const std::string& call) const {
    {
      internal::MutexLock lock(&mu_);
      calls_.push_back(call);
    }
    if (call == crash_at_) throw MachineCrash("crash at " + call);
  }

  const std::string crash_at_;
  const bool abort_fails_;
  mutable internal::Mutex mu_;
  mutable std::vector<std::string> calls_ SPLITCHECK_GUARDED_BY(mu_);
};

RunnerOptions one_worker(std::shared_ptr<WriteCheckpoint> checkpoint) {
  RunnerOptions options;
  options.num_workers = 1;
  options.write_bundles = 3;
  options.write_checkpoint = std::move(checkpoint);
  return options;
}

const std::vector<int> kRecords = {1, 2, 3, 4, 5, 6};

TEST(WriteCheckpointTest, ACrashIsNeverRetriedAndTheResumedRunDoesOnlyWhatIsLeft) {
  auto checkpoint = std::make_shared<WriteCheckpoint>();
  auto crashing = std::make_shared<const LoggingSink>("close b1-a1");
  EXPECT_THROW(LocalRunner(one_worker(checkpoint)).run(Write<int>(crashing), kRecords),
               MachineCrash);
  EXPECT_THAT(crashing->calls(),
              ElementsAre("init", "open b0-a1", "close b0-a1", "open b1-a1", "close b1-a1"));
  EXPECT_EQ(checkpoint->progress().describe(),
            "initialized, 1 of 3 bundle results, finalize not attempted, not committed");

  // The relaunched run on a copy of the progress at the crash.
  auto resumed = std::make_shared<WriteCheckpoint>(checkpoint->progress());
  auto sink = std::make_shared<const LoggingSink>();
  const WriteResult result = LocalRunner(one_worker(resumed)).run(Write<int>(sink), kRecords);
  EXPECT_THAT(sink->calls(), ElementsAre("open b1-a2", "close b1-a2", "open b2-a1", "close b2-a1",
                                         "finalize b0-a1:1,2,;b1-a2:3,4,;b2-a1:5,6,;"));
  EXPECT_THAT(result.outputs, ElementsAre("b0-a1:1,2,;b1-a2:3,4,;b2-a1:5,6,;"));
  EXPECT_TRUE(resumed->progress().outputs.has_value());
}

TEST(WriteCheckpointTest, AFinalizeCutShortRunsAgainAndACommittedWriteRunsNothing) {
  auto checkpoint = std::make_shared<WriteCheckpoint>();
  auto crashing = std::make_shared<const LoggingSink>("finalize b0-a1:1,2,;b1-a1:3,4,;b2-a1:5,6,;");
  EXPECT_THROW(LocalRunner(one_worker(checkpoint)).run(Write<int>(crashing), kRecords),
               MachineCrash);
  auto resumed = std::make_shared<WriteCheckpoint>(checkpoint->progress());
  auto sink = std::make_shared<const LoggingSink>();
  LocalRunner(one_worker(resumed)).run(Write<int>(sink), kRecords);
  EXPECT_THAT(sink->calls(), ElementsAre("finalize b0-a1:1,2,;b1-a1:3,4,;b2-a1:5,6,;"));
  EXPECT_EQ(resumed->progress().finalize_attempts, 2);

  auto again = std::make_shared<const LoggingSink>();
  const WriteResult result = LocalRunner(one_worker(resumed)).run(Write<int>(again), kRecords);
  EXPECT_THAT(again->calls(), ElementsAre());
  EXPECT_THAT(result.outputs, ElementsAre("b0-a1:1,2,;b1-a1:3,4,;b2-a1:5,6,;"));
}

// Fails every attempt of bundle 1.
class FailBundleOne final : public WritePolicy {
 public:
  bool fail_attempt(const WriteAttempt& a) const override { return a.bundle == 1; }
};

TEST(WriteCheckpointTest, AGivenUpWriteIsAbortedOnceAndCannotResume) {
  auto checkpoint = std::make_shared<WriteCheckpoint>();
  RunnerOptions options = one_worker(checkpoint);
  options.max_attempts = 2;
  options.write_policy = std::make_shared<FailBundleOne>();
  auto sink = std::make_shared<const LoggingSink>();
  EXPECT_THROW(LocalRunner(options).run(Write<int>(sink), kRecords), InjectedFailure);
  // The retry of bundle 1 queues behind bundle 2.
  EXPECT_THAT(sink->calls(),
              ElementsAre("init", "open b0-a1", "close b0-a1", "open b1-a1", "open b2-a1",
                          "close b2-a1", "open b1-a2", "abort with 0 results"));
  EXPECT_TRUE(checkpoint->progress().aborted);
  EXPECT_THAT(testkit::UsageErrorOf([&] {
                LocalRunner(one_worker(checkpoint))
                    .run(Write<int>(std::make_shared<const LoggingSink>()), kRecords);
              }),
              HasSubstr("cannot resume a write that was given up"));
}

TEST(WriteCheckpointTest, AnAbortThatFailsIsAddedToTheError) {
  RunnerOptions options = one_worker(nullptr);
  options.max_attempts = 1;
  options.write_policy = std::make_shared<FailBundleOne>();
  auto sink = std::make_shared<const LoggingSink>("", /*abort_fails=*/true);
  try {
    LocalRunner(options).run(Write<int>(sink), kRecords);
    ADD_FAILURE() << "the write succeeded";
  } catch (const InjectedFailure& e) {
    EXPECT_THAT(e.what(), HasSubstr("injected failure: b1-a1; then abort_write failed: the store "
                                    "is gone"));
  }
}

TEST(WriteCheckpointTest, NothingRunsAfterACrash) {
  auto sink = std::make_shared<const LoggingSink>("close b0-a1");
  EXPECT_THROW(LocalRunner(one_worker(nullptr)).run(Write<int>(sink), kRecords), MachineCrash);
  EXPECT_THAT(sink->calls(), ElementsAre("init", "open b0-a1", "close b0-a1"));
}

TEST(WriteCheckpointTest, ResumingAnotherWriteIsAUsageError) {
  auto checkpoint = std::make_shared<WriteCheckpoint>();
  LocalRunner(one_worker(checkpoint))
      .run(Write<int>(std::make_shared<const LoggingSink>()), kRecords);
  EXPECT_THAT(testkit::UsageErrorOf([&] {
                LocalRunner(one_worker(checkpoint))
                    .run(Write<int>(std::make_shared<const LoggingSink>()), std::vector<int>{1});
              }),
              HasSubstr("resuming a write of 6 records in 3 bundles with 1 records in 1 bundles"));
  WriteProgress bad;
  bad.bundles = 2;
  EXPECT_THAT(testkit::UsageErrorOf([&] { WriteCheckpoint{bad}; }),
              HasSubstr("progress of 2 bundles with 0 attempt counts"));
}

}  // namespace
}  // namespace splitcheck
