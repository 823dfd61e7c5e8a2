// PartitionedLog: offsets, reads of what exists, the seal, timestamps in
// order, bad partitions and offsets named, and writers and readers on many
// threads at once.

#include "splitcheck/examples/log/partitioned_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "splitcheck/lib/error.h"

namespace splitcheck::examples {
namespace {

using ::testing::HasSubstr;

template <typename F>
std::string usage_error(F f) {
  try {
    f();
  } catch (const UsageError& e) {
    return e.what();
  }
  return "no UsageError";
}

TEST(PartitionedLogTest, AppendsGetConsecutiveOffsetsPerPartition) {
  PartitionedLog log(2);
  EXPECT_EQ(log.append(0, 10, "a"), 0);
  EXPECT_EQ(log.append(0, 10, "b"), 1);
  EXPECT_EQ(log.append(1, 5, "c"), 0);
  EXPECT_EQ(log.end_offset(0), 2);
  EXPECT_EQ(log.end_offset(1), 1);
  const LogBatch all = log.read(0, 0, 10);
  ASSERT_EQ(all.records.size(), 2u);
  EXPECT_EQ(all.records[1], (LogRecord{0, 1, 10, "b"}));
  EXPECT_FALSE(all.sealed);
  EXPECT_EQ(log.read(0, 1, 10).records.size(), 1u);
  EXPECT_EQ(log.read(0, 0, 1).records.size(), 1u);
  EXPECT_TRUE(log.read(0, 2, 10).records.empty());
  EXPECT_TRUE(log.read(0, 100, 10).records.empty());
  EXPECT_EQ(log.debug_string(), "PartitionedLog(2, 1 records)");
}

TEST(PartitionedLogTest, ASealedLogTakesNoAppend) {
  PartitionedLog log(1);
  log.append(0, 1, "a");
  EXPECT_FALSE(log.sealed());
  log.seal();
  EXPECT_TRUE(log.sealed());
  EXPECT_THAT(usage_error([&] { log.append(0, 2, "b"); }), HasSubstr("sealed"));
  EXPECT_EQ(log.end_offset(0), 1);
  EXPECT_TRUE(log.read(0, 0, 10).sealed);
  EXPECT_TRUE(log.read(0, 1, 10).sealed);
}

TEST(PartitionedLogTest, MisuseIsNamed) {
  EXPECT_THAT(usage_error([] { PartitionedLog log(0); }), HasSubstr("0 partitions"));
  PartitionedLog log(2);
  EXPECT_THAT(usage_error([&] { log.append(2, 0, ""); }),
              HasSubstr("append: partition 2 is not one of the log's 2"));
  EXPECT_THAT(usage_error([&] { log.read(-1, 0, 1); }), HasSubstr("partition -1"));
  EXPECT_THAT(usage_error([&] { log.end_offset(7); }), HasSubstr("end_offset: partition 7"));
  EXPECT_THAT(usage_error([&] { log.read(0, -3, 1); }), HasSubstr("negative offset -3"));
  EXPECT_THAT(usage_error([&] { log.read(0, 0, 0); }), HasSubstr("at most 0 records"));
  log.append(1, 100, "x");
  EXPECT_THAT(usage_error([&] { log.append(1, 99, "y"); }),
              HasSubstr("timestamp 99 is before the partition's last record's, 100"));
  EXPECT_EQ(log.end_offset(1), 1);  // the refused append left nothing
}

// Writers on every partition and readers polling them: every reader sees
// each partition as a prefix of what was written, in offset order.
TEST(PartitionedLogTest, WritersAndReadersOnManyThreads) {
  constexpr int kPartitions = 3;
  constexpr int kPerWriter = 2000;
  PartitionedLog log(kPartitions);
  std::vector<std::thread> threads;
  for (int p = 0; p < kPartitions; ++p) {
    threads.emplace_back([&log, p] {
      for (int i = 0; i < kPerWriter; ++i) log.append(p, i, std::to_string(i));
    });
  }
  std::atomic<bool> disorder{false};
  for (int r = 0; r < 2; ++r) {
    threads.emplace_back([&log, &disorder] {
      for (int round = 0; round < 200; ++round) {
        for (int p = 0; p < kPartitions; ++p) {
          const std::vector<LogRecord> seen = log.read(p, 0, kPerWriter).records;
          for (std::size_t i = 0; i < seen.size(); ++i) {
            if (seen[i].offset != static_cast<std::int64_t>(i) ||
                seen[i].payload != std::to_string(i)) {
              disorder = true;
            }
          }
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_FALSE(disorder);
  for (int p = 0; p < kPartitions; ++p) EXPECT_EQ(log.end_offset(p), kPerWriter);
}

// Writers appending until the log refuses, and a seal in the middle: once
// seal() has returned, no partition grows, every writer is refused, and a
// read that says sealed is followed by no record.
TEST(PartitionedLogTest, NoAppendLandsAfterTheSeal) {
  constexpr int kPartitions = 3;
  PartitionedLog log(kPartitions);
  std::atomic<int> refused{0};
  std::vector<std::thread> writers;
  for (int p = 0; p < kPartitions; ++p) {
    writers.emplace_back([&log, &refused, p] {
      for (std::int64_t i = 0;; ++i) {
        try {
          log.append(p, i, "");
        } catch (const UsageError&) {
          ++refused;
          return;
        }
      }
    });
  }
  while (log.end_offset(kPartitions - 1) < 1000) std::this_thread::yield();
  log.seal();
  std::vector<std::int64_t> ends;
  for (int p = 0; p < kPartitions; ++p) ends.push_back(log.end_offset(p));
  for (std::thread& w : writers) w.join();
  EXPECT_EQ(refused, kPartitions);
  for (int p = 0; p < kPartitions; ++p) {
    EXPECT_EQ(log.end_offset(p), ends[static_cast<std::size_t>(p)]) << "partition " << p;
    const LogBatch tail = log.read(p, ends[static_cast<std::size_t>(p)], 10);
    EXPECT_TRUE(tail.sealed);
    EXPECT_TRUE(tail.records.empty());
  }
}

}  // namespace
}  // namespace splitcheck::examples
