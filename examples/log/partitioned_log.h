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
//     that exist now, at most `max` of them (none when from >= the end).
//   * end_offset(p) is the offset the next append to p will get: it only
//     grows. Once seal() is called, no append succeeds (a UsageError), so a
//     reader that has read to end_offset(p) of a sealed log has read all of
//     p.
//   * A partition outside [0, partitions()) or a negative offset is a
//     UsageError naming it.
//
// Thread-safe: any number of writers and readers, from any threads. Reads
// copy the records out, so a reader never sees a record change.

#ifndef SPLITCHECK_EXAMPLES_LOG_PARTITIONED_LOG_H_
#define SPLITCHECK_EXAMPLES_LOG_PARTITIONED_LOG_H_

#include <compare>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <ostream>
#include <shared_mutex>
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

class PartitionedLog {
 public:
  // REQUIRES: partitions >= 1, else a UsageError.
  explicit PartitionedLog(int partitions);

  PartitionedLog(const PartitionedLog&) = delete;
  PartitionedLog& operator=(const PartitionedLog&) = delete;

  int partitions() const { return static_cast<int>(partitions_.size()); }

  std::int64_t append(int partition, Timestamp timestamp, std::string payload);
  std::vector<LogRecord> read(int partition, std::int64_t from, std::size_t max) const;
  std::int64_t end_offset(int partition) const;

  void seal();
  bool sealed() const;

  std::string debug_string() const;

 private:
  struct Partition {
    mutable std::mutex mu;
    std::deque<LogRecord> records;  // guarded by mu; records[i].offset == i
  };

  Partition& partition(int p, const char* what);
  const Partition& partition(int p, const char* what) const;

  std::vector<Partition> partitions_;
  // Appends hold it shared (they run at once on different partitions);
  // seal() holds it exclusive, so no append lands after seal() returns.
  mutable std::shared_mutex seal_mu_;
  bool sealed_ = false;  // guarded by seal_mu_
};

}  // namespace splitcheck::examples

#endif  // SPLITCHECK_EXAMPLES_LOG_PARTITIONED_LOG_H_
