// LocalRunner::run(read, output): the streamed records are exactly those of
// run(read), each attempt ends in exactly one commit or discard, and errors
// of the output are handled as read_output.h says.

#include "splitcheck/lib/runner/read_output.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/error.h"
#include "splitcheck/lib/internal/in_memory_source.h"
#include "splitcheck/lib/runner/bundle_id.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/lib/runner/scripted_schedule.h"
#include "splitcheck/lib/runner/seeded_schedule.h"
#include "splitcheck/testkit/error_matchers.h"

namespace splitcheck {
namespace {

using internal::InMemorySource;
using ::testing::HasSubstr;
using testkit::ErrorOf;
using testkit::UsageErrorOf;

std::vector<std::string> words(int n) { return internal::numbered_strings(n); }

Read<std::string> read_words(int n) {
  return Read<std::string>(std::make_shared<InMemorySource<std::string>>(words(n)));
}

// Keeps what every attempt was given and how it ended. Faults on request:
// open() returns null, add() throws after `add_throws_after` records of an
// attempt, commit() throws.
class RecordingOutput final : public ReadOutput<std::string> {
 public:
  struct Ended {
    AttemptInfo info;
    std::vector<std::string> records;
    bool committed = false;
  };

  std::unique_ptr<AttemptOutput<std::string>> open(const AttemptInfo& info) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++opened;
    }
    if (open_returns_null) return nullptr;
    return std::make_unique<Attempt>(this, info);
  }

  // Committed records, bundles in id order: what run(read) returns.
  std::vector<std::string> committed_records() const {
    std::vector<const Ended*> commits;
    for (const Ended& e : ended) {
      if (e.committed) commits.push_back(&e);
    }
    std::sort(commits.begin(), commits.end(), [](const Ended* a, const Ended* b) {
      return bundle_id_less(a->info.bundle_id, b->info.bundle_id);
    });
    std::vector<std::string> out;
    for (const Ended* e : commits) out.insert(out.end(), e->records.begin(), e->records.end());
    return out;
  }

  std::map<std::string, int> commits_per_bundle() const {
    std::map<std::string, int> out;
    for (const Ended& e : ended) {
      if (e.committed) ++out[e.info.bundle_id];
    }
    return out;
  }

  bool open_returns_null = false;
  std::int64_t add_throws_after = -1;  // in the first attempt of bundle 0
  bool commit_throws = false;
  int opened = 0;
  int destroyed_unended = 0;
  std::vector<Ended> ended;

 private:
  class Attempt final : public AttemptOutput<std::string> {
   public:
    Attempt(RecordingOutput* parent, AttemptInfo info) : parent_(parent), info_(std::move(info)) {}
    ~Attempt() override {
      if (!ended_) {
        std::lock_guard<std::mutex> lock(parent_->mu_);
        ++parent_->destroyed_unended;
      }
    }
    void add(std::string&& record) override {
      if (ended_) throw std::logic_error("add after the attempt ended");
      if (info_.bundle_id == "0" && info_.attempt == 1 &&
          static_cast<std::int64_t>(records_.size()) == parent_->add_throws_after) {
        throw InputError("the downstream queue is full");
      }
      records_.push_back(std::move(record));
    }
    void commit() override {
      end(true);
      if (parent_->commit_throws) throw InputError("the downstream store refused the commit");
    }
    void discard() noexcept override { end(false); }

   private:
    void end(bool committed) {
      if (ended_) throw std::logic_error("attempt ended twice");
      ended_ = true;
      std::lock_guard<std::mutex> lock(parent_->mu_);
      parent_->ended.push_back({info_, std::move(records_), committed});
    }

    RecordingOutput* const parent_;
    const AttemptInfo info_;
    std::vector<std::string> records_;
    bool ended_ = false;
  };

  std::mutex mu_;
};

TEST(ReadOutputTest, StreamsWhatRunReturnsUnderSeededSchedules) {
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    for (int workers : {1, 2, 5}) {
      SCOPED_TRACE("seed " + std::to_string(seed) + ", workers " + std::to_string(workers));
      RunnerOptions options;
      options.num_workers = workers;
      options.max_attempts = 3;
      options.desired_bundle_size = 300;
      options.policy = std::make_shared<SeededSchedule>(
          seed,
          SeededSchedule::Options{
              .split_probability = 0.03, .failure_probability = 0.005, .max_failed_attempts = 2});
      const LocalRunner runner(options);
      const ReadResult<std::string> collected = runner.run(read_words(1500));
      RecordingOutput output;
      const ReadReport report = runner.run(read_words(1500), output);

      EXPECT_EQ(output.committed_records(), collected.records);
      ASSERT_EQ(report.bundles.size(), collected.bundles.size());
      for (std::size_t i = 0; i < report.bundles.size(); ++i) {
        EXPECT_EQ(report.bundles[i].id, collected.bundles[i].id);
        EXPECT_EQ(report.bundles[i].records, collected.bundles[i].records);
        EXPECT_EQ(output.commits_per_bundle()[report.bundles[i].id], 1);
      }
      EXPECT_EQ(report.stats.records, 1500);
      EXPECT_EQ(report.stats.discarded_records, collected.stats.discarded_records);
      // Every attempt opened ended exactly once, and every discarded record
      // was one of a failed attempt.
      EXPECT_EQ(output.opened, static_cast<int>(output.ended.size()));
      EXPECT_EQ(output.destroyed_unended, 0);
      std::int64_t discarded = 0;
      for (const auto& e : output.ended) {
        if (!e.committed) discarded += static_cast<std::int64_t>(e.records.size());
      }
      EXPECT_EQ(discarded, report.stats.discarded_records);
    }
  }
}

TEST(ReadOutputTest, AFailedAttemptIsDiscardedAndItsRetryCommitted) {
  RunnerOptions options;
  options.num_workers = 1;
  options.policy = std::make_shared<ScriptedSchedule>(std::vector<ScheduledSplit>{},
                                                      std::vector<ScheduledFailure>{{"0", 1, 5}});
  RecordingOutput output;
  const ReadReport report = LocalRunner(options).run(read_words(20), output);
  ASSERT_EQ(output.ended.size(), 2u);
  EXPECT_FALSE(output.ended[0].committed);
  EXPECT_EQ(output.ended[0].records.size(), 5u);
  EXPECT_EQ(output.ended[0].info.attempt, 1);
  EXPECT_TRUE(output.ended[1].committed);
  EXPECT_EQ(output.ended[1].info.attempt, 2);
  EXPECT_EQ(output.ended[1].records, words(20));
  EXPECT_EQ(report.stats.discarded_records, 5);
  EXPECT_EQ(report.bundles[0].attempts, 2);
}

TEST(ReadOutputTest, AnAddErrorFailsTheAttemptLikeAReadError) {
  RunnerOptions options;
  options.num_workers = 1;
  RecordingOutput output;
  output.add_throws_after = 7;
  const ReadReport report = LocalRunner(options).run(read_words(20), output);
  EXPECT_EQ(output.committed_records(), words(20));
  EXPECT_EQ(report.stats.failed_attempts, 1);
  EXPECT_EQ(report.stats.discarded_records, 7);
}

TEST(ReadOutputTest, ACommitErrorStopsTheRunAndReachesTheCaller) {
  RunnerOptions options;
  options.num_workers = 2;
  RecordingOutput output;
  output.commit_throws = true;
  EXPECT_EQ(ErrorOf<InputError>([&] { LocalRunner(options).run(read_words(20), output); }),
            "the downstream store refused the commit");
  EXPECT_EQ(output.destroyed_unended, 0);
}

TEST(ReadOutputTest, AnOutputThatOpensNothingIsAUsageError) {
  RunnerOptions options;
  options.num_workers = 1;
  RecordingOutput output;
  output.open_returns_null = true;
  EXPECT_THAT(UsageErrorOf([&] { LocalRunner(options).run(read_words(3), output); }),
              HasSubstr("ReadOutput::open returned null for bundle 0, attempt 1"));
  EXPECT_EQ(output.opened, 1);  // a UsageError is not retried
}

}  // namespace
}  // namespace splitcheck
