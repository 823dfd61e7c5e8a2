#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/files/in_memory_file_system.h"
#include "splitcheck/lib/text/text_sink.h"
#include "splitcheck/lib/text/text_source.h"
#include "splitcheck/testkit/faults/fault_injecting_file_system.h"
#include "splitcheck/testkit/gtest.h"
#include "splitcheck/testkit/internal/forwarding_sink.h"
#include "splitcheck/testkit/internal/mutants.h"
#include "splitcheck/testkit/sink/sink_conformance.h"
#include "splitcheck/testkit/sink/sink_crash_points.h"

namespace splitcheck::testkit {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::vector<std::string> lines(int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back("record " + std::to_string(i));
  return out;
}

std::vector<std::string> read_lines(std::shared_ptr<FileSystem> fs, const std::string& pattern) {
  TextSourceOptions options;
  options.file_system = std::move(fs);
  options.empty_match = EmptyMatchTreatment::kAllow;
  return LocalRunner().run(ReadFromText(pattern, options)).records;
}

TEST(FaultInjectingFileSystemTest, CountsFailsOnceAndTraces) {
  auto memory = std::make_shared<InMemoryFileSystem>();
  FaultInjectingFileSystem fs(memory);
  fs.inject(1, FaultMode::kFail);
  auto file = fs.create("a");  // operation 0
  file->append("hello");
  EXPECT_THROW(file->close(), InjectedFailure);  // operation 1: never happens
  EXPECT_EQ(memory->contents("a"), "");
  auto again = fs.create("a");
  again->append("hello");
  again->close();  // the fault fired once: this one passes
  fs.rename("a", "b");
  EXPECT_EQ(memory->contents("b"), "hello");
  EXPECT_TRUE(fs.fired());
  EXPECT_EQ(fs.operations(), 5);
  EXPECT_THAT(fs.trace(),
              ElementsAre("create a", "! close a", "create a", "close a", "rename a -> b"));
}

TEST(FaultInjectingFileSystemTest, TheKthOperationOfOneKind) {
  auto memory = std::make_shared<InMemoryFileSystem>();
  FaultInjectingFileSystem fs(memory);
  fs.inject(1, FaultMode::kFail, "rename");
  for (const char* name : {"a", "b", "c"}) fs.create(name)->close();
  fs.rename("a", "a2");
  EXPECT_THROW(fs.rename("b", "b2"), InjectedFailure);
  fs.rename("c", "c2");
  EXPECT_EQ(fs.trace()[7], "! rename b -> b2");
  EXPECT_TRUE(memory->stat("b").has_value());
}

TEST(FaultInjectingFileSystemTest, ATornCloseLeavesHalfTheBytes) {
  auto memory = std::make_shared<InMemoryFileSystem>();
  FaultInjectingFileSystem fs(memory);
  fs.inject(1, FaultMode::kTorn);
  auto file = fs.create("t");
  file->append("0123456789");
  EXPECT_THROW(file->close(), InjectedFailure);
  EXPECT_EQ(memory->contents("t"), "01234");
}

SinkUnderTest<std::string> text_sink(int shards, const std::string& suffix) {
  SinkUnderTest<std::string> sut;
  sut.make_sink = [shards, suffix](const SinkEnvironment& env, const std::string& place) {
    TextSinkOptions options;
    options.file_system = env.file_system;
    options.num_shards = shards;
    options.file_name_suffix = suffix;
    return std::make_shared<const TextSink>(place, options);
  };
  sut.read_back = [](const SinkEnvironment& env, const std::string& place) {
    return read_lines(env.file_system, place + "-*");
  };
  sut.records = lines(40);
  return sut;
}

TEST(SinkCrashPointsTest, TextSinkSurvivesEveryCrashPoint) {
  for (int shards : {1, 3}) {
    for (const char* suffix : {".txt", ".txt.gz"}) {
      const CheckResult result = check_sink_crash_points(text_sink(shards, suffix));
      std::cout << result << "\n";
      EXPECT_TRUE(result.ok()) << result;
      EXPECT_GE(result.cases, 3 * (2 * shards + shards + 1));  // create+close, rename, cleanup
    }
  }
}

TEST(SinkUnderTestTest, CommittedLinesReadsEveryMatchingFileInOrder) {
  auto memory = std::make_shared<InMemoryFileSystem>();
  memory->set_contents("out/a-2", "c\n\na");
  memory->set_contents("out/a-1", "d\nb\n");
  memory->set_contents("out/other", "x\n");
  const SinkEnvironment env{memory, nullptr, "run"};
  EXPECT_THAT(committed_lines(env, "out/a-*"), ElementsAre("d", "b", "c", "", "a"));
  EXPECT_THAT(committed_lines(env, "out/none-*"), IsEmpty());
}

// Shards named by completion order, but reported in name order: the output
// names are the same whatever order the writers close in, and only the
// records read back in shard order show that they moved between shards.
class SortedNamesSink final : public internal::ForwardingSink<std::string> {
 public:
  using ForwardingSink::ForwardingSink;
  std::vector<std::string> finalize_write(const std::string& init,
                                          const std::vector<std::string>& results,
                                          const std::string& pre) const override {
    std::vector<std::string> outputs = inner().finalize_write(init, results, pre);
    std::sort(outputs.begin(), outputs.end());
    return outputs;
  }
};

TEST(SinkUnderTestTest, CommittedLinesKeepsOrderIndependenceStrict) {
  SinkUnderTest<std::string> sut;
  sut.make_sink = [](const SinkEnvironment& env, const std::string& place) {
    TextSinkOptions options;
    options.file_system = env.file_system;
    options.num_shards = 3;
    return std::make_shared<const SortedNamesSink>(
        std::make_shared<const internal::MutantSink<std::string>>(
            std::make_shared<const TextSink>(place, options),
            internal::SinkMutation::kShardNamesByCompletion));
  };
  sut.read_back = [](const SinkEnvironment& env, const std::string& place) {
    return committed_lines(env, place + "-*");
  };
  sut.destination = "out/s";
  sut.records = lines(12);
  const CheckResult result = check_sink_order_independence(sut);
  EXPECT_EQ(result.outcome, CheckResult::Outcome::kFailed) << result;
  EXPECT_THAT(result.message, HasSubstr("committed other records"));
}

// A store that is not a file system: named tables of rows, one store per
// run. Its sink stages each attempt's rows in a table of its own and commits
// by moving them into the place's table, marking every call as a fault point.
struct ToyStore {
  std::mutex mu;
  std::map<std::string, std::vector<std::string>> tables;
};

std::shared_ptr<ToyStore> store_for(const std::string& run) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<ToyStore>> stores;
  std::lock_guard<std::mutex> lock(mu);
  auto& store = stores[run];
  if (store == nullptr) store = std::make_shared<ToyStore>();
  return store;
}

class ToyStoreSink final : public Sink<std::string> {
 public:
  // `copy_on_commit`: the bug where commit copies the staged rows and keeps
  // them until the cleanup at the end, so a commit retried after its
  // acknowledgement was lost repeats.
  ToyStoreSink(std::shared_ptr<ToyStore> store, std::shared_ptr<FaultPoints> faults,
               std::string table, bool copy_on_commit)
      : store_(std::move(store)),
        faults_(std::move(faults)),
        table_(std::move(table)),
        copy_on_commit_(copy_on_commit) {}

  std::string initialize_write() const override { return table_ + ".stage."; }

  std::unique_ptr<Writer<std::string>> open_writer(const std::string& init,
                                                   const std::string& uid) const override {
    return std::make_unique<StageWriter>(this, init + uid);
  }

  std::vector<std::string> finalize_write(const std::string& init,
                                          const std::vector<std::string>& results,
                                          const std::string&) const override {
    // One atomic commit of every stage: a finalize that fails leaves
    // nothing half-committed.
    faults_->before("commit " + table_);
    {
      std::lock_guard<std::mutex> lock(store_->mu);
      for (const std::string& stage : results) {
        auto it = store_->tables.find(stage);
        if (it == store_->tables.end()) continue;  // gone: committed by an earlier finalize
        auto& rows = store_->tables[table_];
        rows.insert(rows.end(), it->second.begin(), it->second.end());
        if (!copy_on_commit_) store_->tables.erase(it);
      }
    }
    faults_->after("commit " + table_);
    std::vector<std::string> abandoned;
    {
      std::lock_guard<std::mutex> lock(store_->mu);
      for (const auto& [name, rows] : store_->tables) {
        if (name.rfind(init, 0) == 0) abandoned.push_back(name);
      }
    }
    for (const std::string& name : abandoned) {
      faults_->before("drop " + name);
      std::lock_guard<std::mutex> lock(store_->mu);
      store_->tables.erase(name);
    }
    return {table_};
  }

  void abort_write(const std::string& init, const std::vector<std::string>&) const override {
    std::vector<std::string> stages;
    {
      std::lock_guard<std::mutex> lock(store_->mu);
      for (const auto& [name, rows] : store_->tables) {
        if (name.rfind(init, 0) == 0) stages.push_back(name);
      }
    }
    for (const std::string& name : stages) {
      faults_->before("drop " + name);
      std::lock_guard<std::mutex> lock(store_->mu);
      store_->tables.erase(name);
    }
  }

 private:
  class StageWriter final : public Writer<std::string> {
   public:
    StageWriter(const ToyStoreSink* sink, std::string stage)
        : sink_(sink), stage_(std::move(stage)) {}
    void write(const std::string& row) override { rows_.push_back(row); }
    std::string close() override {
      sink_->faults_->before("insert into " + stage_);
      std::lock_guard<std::mutex> lock(sink_->store_->mu);
      sink_->store_->tables[stage_] = rows_;
      return stage_;
    }

   private:
    const ToyStoreSink* const sink_;
    const std::string stage_;
    std::vector<std::string> rows_;
  };

  const std::shared_ptr<ToyStore> store_;
  const std::shared_ptr<FaultPoints> faults_;
  const std::string table_;
  const bool copy_on_commit_;
};

SinkUnderTest<std::string> toy_store(bool copy_on_commit) {
  static std::atomic<int> instances{0};
  const std::string tag = "toy" + std::to_string(instances++) + "/";
  SinkUnderTest<std::string> sut;
  sut.make_sink = [tag, copy_on_commit](const SinkEnvironment& env, const std::string& place) {
    return std::make_shared<const ToyStoreSink>(store_for(tag + env.run_id), env.faults, place,
                                                copy_on_commit);
  };
  sut.read_back = [tag](const SinkEnvironment& env, const std::string& place) {
    auto store = store_for(tag + env.run_id);
    std::lock_guard<std::mutex> lock(store->mu);
    return store->tables[place];
  };
  sut.leftovers = [tag](const SinkEnvironment& env) -> std::optional<std::string> {
    auto store = store_for(tag + env.run_id);
    std::lock_guard<std::mutex> lock(store->mu);
    for (const auto& [name, rows] : store->tables) {
      if (name.find(".stage.") != std::string::npos) return "staging table \"" + name + "\"";
    }
    return std::nullopt;
  };
  sut.records = lines(9);
  sut.destination = "kv";
  return sut;
}

TEST(SinkChecksTest, AStoreSinkMarksItsCallsAsFaultPoints) {
  // (The toy store lives in this process's memory, which workers in other
  // processes do not share: the serialization check is not for it.)
  for (const CheckResult& result : check_sink_conformance(toy_store(false))) {
    if (result.check == "sink_serialization") continue;
    EXPECT_TRUE(result.ok()) << result;
  }
  const CheckResult crash = check_sink_crash_points(toy_store(false));
  // 3 inserts and a commit, before and after: 5 points, each failed and
  // crashed, and a crash after the write (one state each: no files).
  EXPECT_THAT(crash.notes.front(), HasSubstr("6 points (5 counted operations and the end)"));
  EXPECT_THAT(crash.notes.front(), HasSubstr("6 crash states recovered"));
  EXPECT_EQ(crash.cases, 2 * 5 + 1);
}

// Without a leftovers hook, a staging table left by a failed write would be
// invisible: the check says so rather than pass.
TEST(SinkChecksTest, AStoreSinkWithoutALeftoversHookCannotPassTheCleanupCheck) {
  SinkUnderTest<std::string> sut = toy_store(false);
  sut.leftovers = nullptr;
  const CheckResult result = check_sink_failed_write_cleanup(sut);
  EXPECT_EQ(result.outcome, CheckResult::Outcome::kGaveUp) << result;
  EXPECT_THAT(result.message, HasSubstr("give sut.leftovers"));
}

TEST(SinkChecksTest, ACommitRepeatedAfterALostAcknowledgementIsCaught) {
  const CheckResult result = check_sink_crash_points(toy_store(true));
  EXPECT_EQ(result.outcome, CheckResult::Outcome::kFailed);
  EXPECT_THAT(result.message, HasSubstr("after commit kv"));
  EXPECT_THAT(result.message, HasSubstr("is extra or duplicated"));
}

SinkUnderTest<std::string> MakeTextSinkUnderTest() { return text_sink(3, ".txt.gz"); }

SPLITCHECK_SINK_CONFORMANCE_TEST(TextSinkConformance, MakeTextSinkUnderTest);

}  // namespace
}  // namespace splitcheck::testkit
