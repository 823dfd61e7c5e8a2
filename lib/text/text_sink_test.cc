#include "splitcheck/lib/text/text_sink.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "splitcheck/lib/files/file_system_wrapper.h"
#include "splitcheck/lib/files/in_memory_file_system.h"
#include "splitcheck/lib/runner/local_runner.h"
#include "splitcheck/lib/runner/write_policy.h"
#include "splitcheck/lib/text/text_source.h"
#include "splitcheck/testkit/error_matchers.h"
#include "splitcheck/testkit/sink_testkit.h"

namespace splitcheck {
namespace {

using ::splitcheck::testkit::InputErrorOf;
using ::splitcheck::testkit::UsageErrorOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

// An InMemoryFileSystem whose n-th rename fails once, as a crash half-way
// through finalize would.
class RenameFailsOnce final : public FileSystemWrapper {
 public:
  RenameFailsOnce(std::shared_ptr<InMemoryFileSystem> fs, int fail_at)
      : FileSystemWrapper(std::move(fs)), fail_at_(fail_at) {}
  void rename(const std::string& from, const std::string& to) override {
    if (++renames_ == fail_at_) throw InputError("injected: rename \"" + from + "\" failed");
    FileSystemWrapper::rename(from, to);
  }
  std::string debug_string() const override { return "rename-fails-once"; }

 private:
  int fail_at_;
  int renames_ = 0;
};

std::vector<std::string> lines(int n, int seed) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    out.push_back("line " + std::to_string(i) + " of " + std::to_string(seed) +
                  std::string(static_cast<std::size_t>((i * 7 + seed) % 5), 'x'));
  }
  if (n > 3) out[2] = "";  // an empty line is a record too
  return out;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

std::vector<std::string> paths(const std::vector<FileMetadata>& files) {
  std::vector<std::string> out;
  for (const auto& f : files) out.push_back(f.path);
  return out;
}

std::vector<std::string> read_back(const std::shared_ptr<InMemoryFileSystem>& fs,
                                   const std::string& pattern) {
  TextSourceOptions options;
  options.file_system = fs;
  options.empty_match = EmptyMatchTreatment::kAllow;
  return LocalRunner().run(ReadFromText(pattern, options)).records;
}

TEST(TextSinkTest, ShardNamesFollowTheTemplate) {
  auto fs = std::make_shared<InMemoryFileSystem>();
  TextSinkOptions options;
  options.file_system = fs;
  options.file_name_suffix = ".txt";
  options.num_shards = 3;
  const auto result = LocalRunner().run(WriteToText("out/part", options), lines(10, 1));
  EXPECT_THAT(result.outputs,
              ElementsAre("out/part-00000-of-00003.txt", "out/part-00001-of-00003.txt",
                          "out/part-00002-of-00003.txt"));
  EXPECT_THAT(paths(fs->list("out")),
              ElementsAre("out/part-00000-of-00003.txt", "out/part-00001-of-00003.txt",
                          "out/part-00002-of-00003.txt"));
  // Contiguous bundles: shard 0 holds the first records, in order.
  EXPECT_EQ(*fs->contents("out/part-00000-of-00003.txt"), "line 0 of 1x\nline 1 of 1xxx\n\n");
}

// Beam's shard_name_template = "": exactly one file, the name given.
TEST(TextSinkTest, AnEmptyShardTemplateWritesOneFileNamedAsGiven) {
  auto fs = std::make_shared<InMemoryFileSystem>();
  TextSinkOptions options;
  options.file_system = fs;
  options.file_name_suffix = ".csv";
  options.shard_name_template = "";
  options.header = "id";
  options.footer = "end";
  const auto result =
      LocalRunner({.num_workers = 2}).run(WriteToText("out/all", options), lines(6, 1));
  EXPECT_THAT(result.outputs, ElementsAre("out/all.csv"));
  EXPECT_THAT(paths(fs->list("out")), ElementsAre("out/all.csv"));
  const std::string bytes = *fs->contents("out/all.csv");
  EXPECT_EQ(bytes.substr(0, 3), "id\n");
  EXPECT_EQ(bytes.substr(bytes.size() - 4), "end\n");
  EXPECT_EQ(std::count(bytes.begin(), bytes.end(), '\n'), 6 + 2);
}

TEST(TextSinkTest, AFooterEndsEveryShard) {
  auto fs = std::make_shared<InMemoryFileSystem>();
  TextSinkOptions options;
  options.file_system = fs;
  options.num_shards = 2;
  options.footer = "-- end";
  options.delimiter = "\r\n";
  LocalRunner().run(WriteToText("o/p", options), lines(4, 1));
  for (const char* shard : {"o/p-00000-of-00002", "o/p-00001-of-00002"}) {
    const std::string bytes = *fs->contents(shard);
    EXPECT_EQ(bytes.substr(bytes.size() - 8), "-- end\r\n") << shard;
  }
}

// Write then read gives the same multiset, whatever the shards, workers,
// codec, injected failures and speculative duplicates; and no temporary
// file is left.
TEST(TextSinkTest, RoundTripsUnderFailuresAndDuplicates) {
  int runs = 0;
  for (int seed = 0; seed < 12; ++seed) {
    for (int shards : {0, 1, 3, 7}) {
      for (int workers : {1, 3}) {
        const char* suffix = seed % 3 == 0 ? ".txt" : seed % 3 == 1 ? ".txt.gz" : ".zst";
        auto fs = std::make_shared<InMemoryFileSystem>();
        TextSinkOptions options;
        options.file_system = fs;
        options.file_name_suffix = suffix;
        options.num_shards = shards;
        RunnerOptions runner;
        runner.num_workers = workers;
        runner.max_attempts = 20;
        runner.write_policy = std::make_shared<SeededWritePolicy>(seed, 0.4, 0.3);
        const auto input = lines(seed * 13, seed);
        const auto result = LocalRunner(runner).run(WriteToText("o/p", options), input);
        const std::string where = "seed " + std::to_string(seed) + ", shards " +
                                  std::to_string(shards) + ", workers " + std::to_string(workers);
        EXPECT_EQ(sorted(read_back(fs, "o/p*")), sorted(input)) << where;
        EXPECT_EQ(paths(fs->list("o")), result.outputs) << where << ": leftovers";
        ++runs;
      }
    }
  }
  EXPECT_EQ(runs, 96);
}

// Power loss after the write returned: every shard, with every record, is
// still there, and the temporary directory is gone, on the file system's
// most pessimistic crash state.
TEST(TextSinkTest, ACommittedWriteSurvivesACrash) {
  for (const char* suffix : {".txt", ".txt.gz"}) {
    auto fs = std::make_shared<InMemoryFileSystem>();
    TextSinkOptions options;
    options.file_system = fs;
    options.file_name_suffix = suffix;
    options.num_shards = 3;
    const auto input = lines(40, 7);
    const auto result = LocalRunner().run(WriteToText("out/part", options), input);
    fs->crash();
    EXPECT_EQ(sorted(read_back(fs, "out/part*")), sorted(input)) << suffix;
    EXPECT_EQ(paths(fs->list("out")), result.outputs) << suffix << ": leftovers after the crash";
  }
}

TEST(TextSinkTest, FailedAndDuplicateAttemptsAreCounted) {
  auto fs = std::make_shared<InMemoryFileSystem>();
  TextSinkOptions options;
  options.file_system = fs;
  options.num_shards = 8;
  RunnerOptions runner;
  runner.num_workers = 2;
  runner.max_attempts = 30;
  runner.write_policy = std::make_shared<SeededWritePolicy>(7, 0.5, 0.5);
  const auto result = LocalRunner(runner).run(WriteToText("o/p", options), lines(200, 7));
  int failed = 0, duplicated = 0;
  for (const auto& b : result.bundles) {
    failed += b.failed_attempts;
    duplicated += b.duplicated;
  }
  EXPECT_GT(failed, 0);
  EXPECT_GT(duplicated, 0);
  EXPECT_EQ(sorted(read_back(fs, "o/p*")), sorted(lines(200, 7)));
}

TEST(TextSinkTest, ABundleThatAlwaysFailsStopsTheRunAndLeavesNothing) {
  auto fs = std::make_shared<InMemoryFileSystem>();
  fs->set_contents("o/p-00000-of-00001", "an earlier write's output\n");
  TextSinkOptions options;
  options.file_system = fs;
  RunnerOptions runner;
  runner.max_attempts = 3;
  runner.write_policy = std::make_shared<SeededWritePolicy>(1, 1.0);
  EXPECT_THROW(LocalRunner(runner).run(WriteToText("o/p", options), lines(20, 1)), InjectedFailure);
  // abort_write removed every attempt's file; finalize never ran, so the
  // earlier output is untouched.
  std::vector<std::string> left;
  for (const auto& f : fs->list("o")) left.push_back(f.path);
  EXPECT_THAT(left, ElementsAre("o/p-00000-of-00001"));
}

// A disk of `capacity` bytes: an append past it fails with ENOSPC's message.
class FullDisk final : public FileSystemWrapper {
 public:
  FullDisk(std::shared_ptr<FileSystem> base, std::size_t capacity)
      : FileSystemWrapper(std::move(base)), capacity_(capacity) {}

  std::unique_ptr<WritableFile> create(const std::string& path) override {
    class Counted final : public WritableFile {
     public:
      Counted(FullDisk* disk, std::unique_ptr<WritableFile> file)
          : disk_(disk), file_(std::move(file)) {}
      void append(std::string_view data) override {
        if (disk_->used_.fetch_add(data.size()) + data.size() > disk_->capacity_) {
          throw InputError("write \"" + file_->path() + "\": No space left on device");
        }
        file_->append(data);
      }
      void close() override { file_->close(); }
      const std::string& path() const override { return file_->path(); }

     private:
      FullDisk* const disk_;
      const std::unique_ptr<WritableFile> file_;
    };
    return std::make_unique<Counted>(this, base().create(path));
  }

 private:
  const std::size_t capacity_;
  std::atomic<std::size_t> used_{0};
};

// The case: WriteToText onto a disk that fills up. Every attempt
// fails; the write gives up and takes its attempts' files with it, so a
// later read of the directory finds no record that was never committed.
TEST(TextSinkTest, AWriteOntoAFullDiskLeavesNothingToReadBack) {
  auto memory = std::make_shared<InMemoryFileSystem>();
  TextSinkOptions options;
  options.file_system = std::make_shared<FullDisk>(memory, 64 * 1024);
  RunnerOptions runner;
  runner.num_workers = 2;
  runner.write_bundles = 12;
  runner.max_attempts = 3;
  std::vector<std::string> records;
  for (int i = 0; i < 12 * 1000; ++i) records.push_back("record " + std::to_string(i));
  EXPECT_THAT(InputErrorOf([&] { LocalRunner(runner).run(WriteToText("o/p", options), records); }),
              HasSubstr("No space left on device"));
  EXPECT_THAT(memory->list(""), IsEmpty());
}

// A finalize that fails for good after moving some shards: the output would
// be a mixture, so abort_write removes every shard of the write.
TEST(TextSinkTest, AFinalizeThatFailsForGoodAfterAShardLeavesNoShard) {
  auto memory = std::make_shared<InMemoryFileSystem>();
  auto points = std::make_shared<testkit::FaultPoints>();
  TextSinkOptions options;
  options.file_system = std::make_shared<testkit::FaultInjectingFileSystem>(memory, points);
  options.num_shards = 3;
  // Finalize's first point is the first rename: from the second on, every
  // point fails, in each finalize attempt.
  auto sink = std::make_shared<const testkit::internal::FinalizeFailsForGood<std::string>>(
      std::make_shared<const TextSink>("o/p", options), points, 1);
  RunnerOptions runner;
  runner.num_workers = 1;
  runner.max_attempts = 2;
  EXPECT_THROW(LocalRunner(runner).run(Write<std::string>(sink), lines(6, 1)), InjectedFailure);
  EXPECT_THAT(points->trace(), Contains(StartsWith("rename o/.temp-splitcheck-")));
  EXPECT_THAT(memory->list("o"), IsEmpty());
}

// The sink driven by hand, as a runner would, to retry finalize.
struct ByHand {
  std::shared_ptr<InMemoryFileSystem> memory = std::make_shared<InMemoryFileSystem>();
  std::string init;
  std::vector<std::string> results;

  std::shared_ptr<const TextSink> sink(std::shared_ptr<FileSystem> fs, int shards = 0) {
    TextSinkOptions options;
    options.file_system = std::move(fs);
    options.num_shards = shards;
    return std::make_shared<const TextSink>("out/s", options);
  }
  void write_bundles(const TextSink& sink, int bundles) {
    init = sink.initialize_write();
    for (int b = 0; b < bundles; ++b) {
      auto writer = sink.open_writer(init, "b" + std::to_string(b));
      writer->write("record " + std::to_string(b));
      results.push_back(writer->close());
    }
  }
};

TEST(TextSinkTest, FinalizeTwiceChangesNothing) {
  ByHand h;
  auto sink = h.sink(h.memory);
  h.write_bundles(*sink, 3);
  const auto first = sink->finalize_write(h.init, h.results, sink->pre_finalize(h.init, h.results));
  const auto contents = *h.memory->contents(first[1]);
  const auto second =
      sink->finalize_write(h.init, h.results, sink->pre_finalize(h.init, h.results));
  EXPECT_EQ(first, second);
  EXPECT_EQ(*h.memory->contents(first[1]), contents);
  EXPECT_EQ(paths(h.memory->list("out")), first);
}

TEST(TextSinkTest, FinalizeAfterACrashHalfWayCompletesTheOutput) {
  for (int fail_at = 1; fail_at <= 3; ++fail_at) {
    ByHand h;
    auto faulty = std::make_shared<RenameFailsOnce>(h.memory, fail_at);
    auto sink = h.sink(faulty);
    h.write_bundles(*sink, 3);
    EXPECT_THAT(InputErrorOf([&] {
                  sink->finalize_write(h.init, h.results, sink->pre_finalize(h.init, h.results));
                }),
                HasSubstr("injected"));
    const auto outputs =
        sink->finalize_write(h.init, h.results, sink->pre_finalize(h.init, h.results));
    EXPECT_EQ(paths(h.memory->list("out")), outputs) << "rename " << fail_at << " failed";
    EXPECT_EQ(sorted(read_back(h.memory, "out/s*")), sorted({"record 0", "record 1", "record 2"}));
  }
}

TEST(TextSinkTest, OnlyTheResultsHandedToFinalizeCount) {
  ByHand h;
  auto sink = h.sink(h.memory);
  h.write_bundles(*sink, 2);
  // A speculative duplicate of bundle 1, and an attempt that died unclosed.
  auto duplicate = sink->open_writer(h.init, "b1-dup");
  duplicate->write("record 1");
  duplicate->close();
  {
    auto died = sink->open_writer(h.init, "b0-died");
    died->write("half a rec");
  }
  const auto outputs =
      sink->finalize_write(h.init, h.results, sink->pre_finalize(h.init, h.results));
  EXPECT_EQ(sorted(read_back(h.memory, "out/s*")), sorted({"record 0", "record 1"}));
  EXPECT_EQ(paths(h.memory->list("out")), outputs) << "abandoned attempts' files are removed";
}

TEST(TextSinkTest, LostTemporaryFilesAreErrorsNotSilence) {
  ByHand h;
  auto sink = h.sink(h.memory);
  h.write_bundles(*sink, 2);
  // The result is "<records> <bytes> <path length> <path>\n".
  std::string temp = h.results[1];
  for (int field = 0; field < 3; ++field) temp.erase(0, temp.find(' ') + 1);
  temp.pop_back();
  h.memory->remove(temp);
  EXPECT_THAT(InputErrorOf([&] { sink->finalize_write(h.init, h.results, ""); }),
              HasSubstr("its records would be lost"));
  // A stale shard of the same name but another size is not taken for ours.
  h.memory->set_contents("out/s-00001-of-00002", "stale\n");
  EXPECT_THAT(InputErrorOf([&] { sink->finalize_write(h.init, h.results, ""); }),
              HasSubstr("not the 9 this write produced"));
}

TEST(TextSinkTest, EmptyInputWritesOneEmptyShardOrEveryFixedShard) {
  auto fs = std::make_shared<InMemoryFileSystem>();
  TextSinkOptions options;
  options.file_system = fs;
  options.header = "id,name";
  EXPECT_THAT(LocalRunner().run(WriteToText("a/x", options), {}).outputs,
              ElementsAre("a/x-00000-of-00001"));
  EXPECT_EQ(*fs->contents("a/x-00000-of-00001"), "id,name\n");
  options.num_shards = 3;
  EXPECT_EQ(LocalRunner().run(WriteToText("b/x", options), {}).outputs.size(), 3u);
}

// Rollover at every record limit, with every bundle count, under failed and
// duplicated attempts: each shard holds at most the limit, only the last
// shard of a bundle fewer, every shard starts with the header, the names
// count every file, and the shards in name order are the input in order.
TEST(TextSinkTest, RollsOverAtEveryRecordCount) {
  const auto input = lines(11, 5);
  for (int limit = 1; limit <= 12; ++limit) {
    for (int bundles : {1, 2, 3, 5}) {
      auto fs = std::make_shared<InMemoryFileSystem>();
      TextSinkOptions options;
      options.file_system = fs;
      options.header = "h";
      options.max_records_per_shard = limit;
      options.file_name_suffix = limit % 2 == 0 ? ".txt" : ".txt.gz";
      RunnerOptions runner;
      runner.write_bundles = bundles;
      runner.max_attempts = 20;
      runner.write_policy = std::make_shared<SeededWritePolicy>(limit * 7 + bundles, 0.3, 0.3);
      const auto result = LocalRunner(runner).run(WriteToText("o/p", options), input);
      const std::string where =
          "limit " + std::to_string(limit) + ", bundles " + std::to_string(bundles);
      std::int64_t expected_shards = 0;
      for (int b = 0; b < bundles; ++b) {
        const std::int64_t in_bundle = (b + 1) * 11 / bundles - b * 11 / bundles;
        expected_shards += std::max<std::int64_t>(1, (in_bundle + limit - 1) / limit);
      }
      ASSERT_EQ(std::ssize(result.outputs), expected_shards) << where;
      EXPECT_EQ(paths(fs->list("o")), result.outputs) << where << ": leftovers";
      std::vector<std::string> all;
      for (std::size_t i = 0; i < result.outputs.size(); ++i) {
        const std::string& shard = result.outputs[i];
        EXPECT_THAT(
            shard, HasSubstr("-of-" + std::string(5 - std::to_string(expected_shards).size(), '0') +
                             std::to_string(expected_shards)))
            << where;
        std::vector<std::string> records = read_back(fs, shard);
        ASSERT_FALSE(records.empty()) << shard;
        EXPECT_EQ(records.front(), "h") << where << ": " << shard << " has no header";
        records.erase(records.begin());
        EXPECT_LE(std::ssize(records), limit) << where << ": " << shard;
        all.insert(all.end(), records.begin(), records.end());
      }
      EXPECT_EQ(all, input) << where;
    }
  }
}

// The byte limit counts a shard's uncompressed bytes, header and footer
// included: a shard of two or more records stays within it, one record
// larger than the limit gets a shard of its own, and no shard could have
// taken the next record without passing the limit.
TEST(TextSinkTest, RollsOverAtEveryByteLimit) {
  const auto input = lines(15, 2);
  for (std::int64_t limit = 1; limit <= 90; ++limit) {
    for (const char* suffix : {".txt", ".txt.zst"}) {
      auto fs = std::make_shared<InMemoryFileSystem>();
      TextSinkOptions options;
      options.file_system = fs;
      options.header = "head";
      options.footer = "foot";
      options.file_name_suffix = suffix;
      options.max_bytes_per_shard = limit;
      RunnerOptions runner;
      runner.write_bundles = 2;
      const auto result = LocalRunner(runner).run(WriteToText("o/p", options), input);
      const std::string where = "limit " + std::to_string(limit) + suffix;
      std::vector<std::string> all;
      std::size_t next = 0;  // index in input of the shard's first record
      for (const std::string& shard : result.outputs) {
        std::vector<std::string> records = read_back(fs, shard);
        ASSERT_GE(records.size(), 3u) << where << ": " << shard;
        EXPECT_EQ(records.front(), "head");
        EXPECT_EQ(records.back(), "foot");
        records.erase(records.begin());
        records.pop_back();
        std::int64_t bytes = 10;  // "head\n" and "foot\n"
        for (const std::string& r : records) bytes += std::ssize(r) + 1;
        if (records.size() > 1) {
          EXPECT_LE(bytes, limit) << where << ": " << shard;
        }
        next += records.size();
        const bool bundle_ends = next == 7 || next == input.size();  // 15 records in 2 bundles
        if (!bundle_ends) {
          EXPECT_GT(bytes + std::ssize(input[next]) + 1, limit)
              << where << ": " << shard << " rolled over early";
        }
        all.insert(all.end(), records.begin(), records.end());
      }
      EXPECT_EQ(all, input) << where;
    }
  }
}

TEST(TextSinkTest, SkipIfEmptyWritesNothingAndRemovesEarlierOutput) {
  auto fs = std::make_shared<InMemoryFileSystem>();
  TextSinkOptions options;
  options.file_system = fs;
  options.header = "h";
  options.num_shards = 2;
  LocalRunner().run(WriteToText("o/p", options), {"earlier"});
  ASSERT_EQ(fs->list("o").size(), 2u);
  options.skip_if_empty = true;
  fs->set_contents("o/other", "kept\n");
  const auto result = LocalRunner().run(WriteToText("o/p", options), {});
  EXPECT_THAT(result.outputs, IsEmpty());
  EXPECT_EQ(paths(fs->list("o")), std::vector<std::string>{"o/other"})
      << "no shard, no temporary file, the earlier shards of the prefix removed";
  // Unsharded and with the runner's choice the same; a full input is written as without it.
  options.num_shards = 0;
  EXPECT_THAT(LocalRunner().run(WriteToText("o/q", options), {}).outputs, IsEmpty());
  options.shard_name_template = "";
  EXPECT_THAT(LocalRunner().run(WriteToText("o/r", options), {}).outputs, IsEmpty());
  EXPECT_THAT(LocalRunner().run(WriteToText("o/r", options), {"a"}).outputs, ElementsAre("o/r"));
  EXPECT_EQ(paths(fs->list("o")), (std::vector<std::string>{"o/other", "o/r"}));
}

// A rollover file is "<uid>~r<n>" and a '~' of a uid is written "~t": two
// attempts never share a temporary file, whatever their uids.
TEST(TextSinkTest, RolloverFilesNeverMeetAnotherAttemptsFile) {
  auto fs = std::make_shared<InMemoryFileSystem>();
  TextSinkOptions options;
  options.file_system = fs;
  options.max_records_per_shard = 1;
  TextSink sink("o/p", options);
  const std::string init = sink.initialize_write();
  std::vector<std::string> results;
  for (const char* uid : {"a", "a~r1", "a~tr1"}) {
    auto writer = sink.open_writer(init, uid);
    writer->write(std::string(uid) + " 1");
    writer->write(std::string(uid) + " 2");
    results.push_back(writer->close());
  }
  EXPECT_EQ(paths(fs->list(init)).size(), 6u);
  const auto outputs = sink.finalize_write(init, results, sink.pre_finalize(init, results));
  ASSERT_EQ(outputs.size(), 6u);
  std::vector<std::string> all;
  for (const std::string& shard : outputs) {
    for (const std::string& line : read_back(fs, shard)) all.push_back(line);
  }
  EXPECT_EQ(all,
            (std::vector<std::string>{"a 1", "a 2", "a~r1 1", "a~r1 2", "a~tr1 1", "a~tr1 2"}));
}

TEST(TextSinkTest, AResultThisSinkDidNotWriteIsAUsageError) {
  auto fs = std::make_shared<InMemoryFileSystem>();
  TextSinkOptions options;
  options.file_system = fs;
  TextSink sink("o/p", options);
  const std::string init = sink.initialize_write();
  for (const std::string bad : {"", "12 o/p", "1 2 99 o/p\n", "1 2 3 o/p", "x 2 3 o/p\n",
                                "1 2 0 \n", "99999999999999999999 2 3 o/p\n"}) {
    EXPECT_THAT(UsageErrorOf([&] { sink.finalize_write(init, {bad}, ""); }),
                HasSubstr("is not a writer result of this sink"))
        << bad;
  }
}

TEST(TextSinkTest, StaleShardsOfTheSamePrefixGoOthersStay) {
  auto fs = std::make_shared<InMemoryFileSystem>();
  TextSinkOptions options;
  options.file_system = fs;
  options.num_shards = 5;
  LocalRunner().run(WriteToText("o/p", options), lines(50, 1));
  LocalRunner().run(WriteToText("o/q", options), lines(50, 2));
  options.num_shards = 2;
  LocalRunner().run(WriteToText("o/p", options), lines(10, 3));
  EXPECT_EQ(sorted(read_back(fs, "o/p*")), sorted(lines(10, 3)));
  EXPECT_EQ(sorted(read_back(fs, "o/q*")), sorted(lines(50, 2)));
}

TEST(TextSinkTest, TwoWritesAtOnceDoNotInterfere) {
  auto fs = std::make_shared<InMemoryFileSystem>();
  TextSinkOptions options;
  options.file_system = fs;
  RunnerOptions runner;
  runner.num_workers = 3;
  std::thread other(
      [&] { LocalRunner(runner).run(WriteToText("o/left", options), lines(300, 1)); });
  LocalRunner(runner).run(WriteToText("o/right", options), lines(300, 2));
  other.join();
  EXPECT_EQ(sorted(read_back(fs, "o/left*")), sorted(lines(300, 1)));
  EXPECT_EQ(sorted(read_back(fs, "o/right*")), sorted(lines(300, 2)));
}

TEST(TextSinkTest, WritesTheLocalDisk) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string dir = std::string(tmp != nullptr ? tmp : "/tmp") + "/text_sink_local";
  TextSinkOptions options;
  options.file_name_suffix = ".txt.gz";
  options.num_shards = 2;
  const auto result = LocalRunner().run(WriteToText(dir + "/out", options), lines(100, 4));
  EXPECT_EQ(sorted(LocalRunner().run(ReadFromText(dir + "/out-*")).records), sorted(lines(100, 4)));
  EXPECT_EQ(paths(local_file_system()->list(dir)), result.outputs) << "no temporary file";
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    EXPECT_FALSE(entry.is_directory()) << entry.path() << ": the temporary directory remains";
  }
}

TEST(TextSinkTest, BadOptionsAreUsageErrors) {
  TextSinkOptions options;
  options.shard_name_template = "-of-NNNNN";
  EXPECT_THAT(UsageErrorOf([&] { WriteToText("o/p", options); }), HasSubstr("no run of S"));
  options = {};
  options.num_shards = -1;
  EXPECT_THAT(UsageErrorOf([&] { WriteToText("o/p", options); }), HasSubstr("num_shards -1"));
  options = {};
  options.delimiter = "";
  EXPECT_THAT(UsageErrorOf([&] { WriteToText("o/p", options); }), HasSubstr("delimiter"));
  EXPECT_THAT(UsageErrorOf([&] { WriteToText("", {}); }), HasSubstr("prefix is empty"));
  options = {};
  options.shard_name_template = "";
  options.num_shards = 2;
  EXPECT_THAT(UsageErrorOf([&] { WriteToText("o/p", options); }),
              HasSubstr("an empty shard name template writes one file: num_shards 2"));
  // The temporary directory and the shards would land in the root directory.
  for (const char* root : {"/", "/part"}) {
    EXPECT_THAT(UsageErrorOf([&] { WriteToText(root, {}); }),
                HasSubstr("writes into the root directory"))
        << root;
  }
  options = {};
  options.max_records_per_shard = -1;
  EXPECT_THAT(UsageErrorOf([&] { WriteToText("o/p", options); }),
              HasSubstr("max_records_per_shard -1 and max_bytes_per_shard 0 must be >= 0"));
  options = {};
  options.max_bytes_per_shard = -5;
  EXPECT_THAT(UsageErrorOf([&] { WriteToText("o/p", options); }), HasSubstr("must be >= 0"));
  options = {};
  options.shard_name_template = "";
  options.max_bytes_per_shard = 100;
  EXPECT_THAT(UsageErrorOf([&] { WriteToText("o/p", options); }), HasSubstr("cannot roll over"));
}

}  // namespace
}  // namespace splitcheck
