// PartitionedLog: an in-process, append-only log of partitions, standing in
// for a Kafka topic in the examples and tests. Each partition is a sequence
// of records at offsets 0, 1, 2, ...; writers append while readers read.
//
//   auto log = std::make_shared<PartitionedLog>(3);
//   log->append(0, /*timestamp=*/1000, "a");   // offset 0 of partition 0
//   log->read(0, /*from=*/0, /*max=*/64);      // the records that exist now
//   log->seal();                               // no more appends
//
// Contract:
//   * append(p, t, payload) returns the record's offset, the partition's
//     end before the call. Timestamps are event times, non-decreasing within
//     a partition (an append earlier than the partition's last record is a
//     UsageError naming both): that order is what lets a reader's watermark
//     follow the timestamps it has output.
//   * read(p, from, max) returns the records at offsets from, from + 1, ...
//     that exist now, at most `max` (>= 1) of them (none when from >= the
//     end), and whether the log was sealed when they were read: then no
//     record will be appended any more, so an empty sealed batch is the
//     partition's end (a full one may be followed by records already there).
//   * end_offset(p) is the offset the next append to p will get: it only
//     grows. Once seal() has returned, no append succeeds (a UsageError), so
//     a reader that has read to end_offset(p) of a sealed log has read all
//     of p.
//   * A partition outside [0, partitions()), a negative offset or a read of
//     at most 0 records is a UsageError naming it.
//
// Thread-safe: any number of writers and readers, from any threads. Reads
// copy the records out, so a reader never sees a record change. Each
// partition has a lock of its own: writers to different partitions never
// wait for each other, and seal() takes each partition's lock in turn.

#ifndef SPLITCHECK_EXAMPLES_LOG_PARTITIONED_LOG_H_
#define SPLITCHECK_EXAMPLES_LOG_PARTITIONED_LOG_H_

#include <atomic>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <ostream>
#include <string>
#include <vector>

#include "splitcheck/lib/sdf/watermark_estimator.h"

namespace splitcheck::examples {

struct LogRecord {
  int partition = 0;
  std::int64_t offset = 0;
  Timestamp timestamp = 0;
  std::string payload;

  friend auto operator<=>(const LogRecord&, const LogRecord&) = default;
  friend std::ostream& operator<<(std::ostream& os, const LogRecord& r) {
    return os << "p" << r.partition << "@" << r.offset << " t=" << r.timestamp << " \"" << r.payload
              << "\"";
  }
};

// What a read returns.
struct LogBatch {
  std::vector<LogRecord> records;
  // The partition was sealed when the records were read: no append will
  // follow (records already written may, past `max`).
  bool sealed = false;
};

class PartitionedLog {
 public:
  // REQUIRES: partitions >= 1, else a UsageError.
  explicit PartitionedLog(int partitions);

  PartitionedLog(const PartitionedLog&) = delete;
  PartitionedLog& operator=(const PartitionedLog&) = delete;

  int partitions() const { return static_cast<int>(partitions_.size()); }

  std::int64_t append(int partition, Timestamp timestamp, std::string payload);
  LogBatch read(int partition, std::int64_t from, std::size_t max) const;
  std::int64_t end_offset(int partition) const;

  void seal();
  // True once seal() has sealed every partition. While a seal() runs, a
  // read may already say sealed (LogBatch::sealed) when this is still false.
  bool sealed() const;

  std::string debug_string() const;

 private:
  struct Partition {
    mutable std::mutex mu;
    std::deque<LogRecord> records;  // guarded by mu; records[i].offset == i
    bool sealed = false;            // guarded by mu
  };

  Partition& partition(int p, const char* what);
  const Partition& partition(int p, const char* what) const;

  std::vector<Partition> partitions_;
  std::atomic<bool> sealed_{false};  // set once seal() has sealed every partition
};

}  // namespace splitcheck::examples

#endif  // SPLITCHECK_EXAMPLES_LOG_PARTITIONED_LOG_H_
