#include "splitcheck/examples/log/partitioned_log.h"

#include <algorithm>
#include <mutex>
#include <string>
#include <utility>

#include "splitcheck/lib/error.h"

namespace splitcheck::examples {

PartitionedLog::PartitionedLog(int partitions)
    : partitions_(partitions >= 1 ? static_cast<std::size_t>(partitions) : 0) {
  if (partitions < 1) {
    throw UsageError("PartitionedLog: " + std::to_string(partitions) +
                     " partitions (at least 1 needed)");
  }
}

PartitionedLog::Partition& PartitionedLog::partition(int p, const char* what) {
  return const_cast<Partition&>(std::as_const(*this).partition(p, what));
}

const PartitionedLog::Partition& PartitionedLog::partition(int p, const char* what) const {
  if (p < 0 || p >= partitions()) {
    throw UsageError(std::string("PartitionedLog::") + what + ": partition " + std::to_string(p) +
                     " is not one of the log's " + std::to_string(partitions()));
  }
  return partitions_[static_cast<std::size_t>(p)];
}

std::int64_t PartitionedLog::append(int p, Timestamp timestamp, std::string payload) {
  Partition& part = partition(p, "append");
  std::lock_guard<std::mutex> lock(part.mu);
  if (part.sealed) {
    throw UsageError("PartitionedLog::append to partition " + std::to_string(p) +
                     ": the log is sealed");
  }
  if (!part.records.empty() && timestamp < part.records.back().timestamp) {
    throw UsageError("PartitionedLog::append to partition " + std::to_string(p) + ": timestamp " +
                     std::to_string(timestamp) + " is before the partition's " + "last record's, " +
                     std::to_string(part.records.back().timestamp) +
                     " (timestamps are non-decreasing within a partition)");
  }
  const auto offset = static_cast<std::int64_t>(part.records.size());
  part.records.push_back({p, offset, timestamp, std::move(payload)});
  return offset;
}

LogBatch PartitionedLog::read(int p, std::int64_t from, std::size_t max) const {
  const Partition& part = partition(p, "read");
  if (from < 0) {
    throw UsageError("PartitionedLog::read of partition " + std::to_string(p) +
                     ": negative offset " + std::to_string(from));
  }
  if (max == 0) {
    throw UsageError("PartitionedLog::read of partition " + std::to_string(p) +
                     ": at most 0 records asked (an empty batch would look like the end)");
  }
  std::lock_guard<std::mutex> lock(part.mu);
  LogBatch batch;
  batch.sealed = part.sealed;
  const auto end = static_cast<std::int64_t>(part.records.size());
  if (from >= end) return batch;
  const auto first = part.records.begin() + from;
  const auto last = first + static_cast<std::ptrdiff_t>(
                                std::min<std::size_t>(max, static_cast<std::size_t>(end - from)));
  batch.records.assign(first, last);
  return batch;
}

std::int64_t PartitionedLog::end_offset(int p) const {
  const Partition& part = partition(p, "end_offset");
  std::lock_guard<std::mutex> lock(part.mu);
  return static_cast<std::int64_t>(part.records.size());
}

void PartitionedLog::seal() {
  for (Partition& part : partitions_) {
    std::lock_guard<std::mutex> lock(part.mu);
    part.sealed = true;
  }
  sealed_ = true;
}

bool PartitionedLog::sealed() const { return sealed_; }

std::string PartitionedLog::debug_string() const {
  std::string s = "PartitionedLog(";
  for (int p = 0; p < partitions(); ++p) {
    s += (p == 0 ? "" : ", ") + std::to_string(end_offset(p));
  }
  return s + (sealed() ? " records, sealed)" : " records)");
}

}  // namespace splitcheck::examples
