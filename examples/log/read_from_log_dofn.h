// ReadFromLogDoFn: a splittable DoFn that reads the partitions of a
// PartitionedLog while writers append to it, as Beam's Kafka reader reads a
// topic. The element is a partition number; its restriction is the offsets
// [start, inf) of that partition, tracked by a GrowableOffsetRestrictionTracker
// whose end estimate is the partition's current end.
//
//   auto log = std::make_shared<PartitionedLog>(3);
//   SdfResult<LogRecord> r =
//       LocalRunner(o).run_sdf(ReadFromLogDoFn(log), std::vector<int>{0, 1, 2});
//
// How it reads:
//   * process claims each record's offset and outputs the record at its own
//     timestamp; the watermark is a MonotonicWatermarkEstimator's, the
//     largest timestamp output, which is safe because the log keeps
//     timestamps non-decreasing within a partition.
//   * When it has caught up with the partition's end it checkpoints
//     (resume_after(poll_delay)): the runner splits the tracker with
//     try_split(0) and calls it again on the residual, with the watermark
//     state, after the delay. Every max_records_per_call records it
//     checkpoints too (resume at once), so that no call holds a partition
//     for ever.
//   * A sealed log ends each partition: once caught up with a log that was
//     sealed when that read was made (LogBatch::sealed), process claims
//     kOffsetInfinity, which the tracker
//     refuses, and that closes the range (check_done passes), so a run over
//     a sealed log ends. A log that is never sealed is read for ever.
//   * A bounded restriction (a dynamic split's primary, [start, s) with s at
//     most the end the estimator said) ends at its end, sealed or not.
//   * initial_restriction starts at `start_offset` (default 0);
//     split_restriction returns the restriction whole (a partition is split
//     while it is read, never ahead); restriction_size is the records
//     between the restriction's start and the partition's end (its size
//     when bounded).
//
// A partition that is not one of the log's is a UsageError naming it, from
// initial_restriction; so are options out of range (a negative start,
// max_records_per_call or poll_delay, a batch of 0). The DoFn holds the log by shared_ptr and is
// itself immutable, so one instance serves every worker.
//
// Gated by examples/log/read_from_log_dofn_gate.cc (the SDF conformance
// battery and its mutation analysis on a sealed log) and
// read_from_log_dofn_test.cc (run_sdf with writers appending during the
// run).

#ifndef SPLITCHECK_EXAMPLES_LOG_READ_FROM_LOG_DOFN_H_
#define SPLITCHECK_EXAMPLES_LOG_READ_FROM_LOG_DOFN_H_

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/examples/log/partitioned_log.h"
#include "splitcheck/lib/error.h"
#include "splitcheck/lib/sdf/growable_offset_restriction_tracker.h"
#include "splitcheck/lib/sdf/splittable_dofn.h"
#include "splitcheck/lib/sdf/watermark_estimators.h"

namespace splitcheck::examples {

class ReadFromLogDoFn final : public SplittableDoFn<int, LogRecord, OffsetRange, std::int64_t> {
 public:
  struct Options {
    std::int64_t start_offset = 0;
    // Records read from the log at a time.
    std::size_t batch = 64;
    // Records one process call outputs before it checkpoints; 0: no limit.
    std::int64_t max_records_per_call = 0;
    // How long a caught-up reader waits before it looks again.
    std::chrono::milliseconds poll_delay{1};
  };

  explicit ReadFromLogDoFn(std::shared_ptr<const PartitionedLog> log)
      : ReadFromLogDoFn(std::move(log), Options{}) {}
  ReadFromLogDoFn(std::shared_ptr<const PartitionedLog> log, Options options)
      : log_(std::move(log)), options_(options) {
    if (log_ == nullptr) throw UsageError("ReadFromLogDoFn: a null log");
    if (options_.start_offset < 0) {
      throw UsageError("ReadFromLogDoFn: start_offset " + std::to_string(options_.start_offset) +
                       " is negative");
    }
    if (options_.batch == 0) throw UsageError("ReadFromLogDoFn: batch 0 (at least 1 record)");
    if (options_.max_records_per_call < 0) {
      throw UsageError("ReadFromLogDoFn: max_records_per_call " +
                       std::to_string(options_.max_records_per_call) +
                       " is negative (0 means no limit)");
    }
    if (options_.poll_delay.count() < 0) {
      throw UsageError("ReadFromLogDoFn: poll_delay " +
                       std::to_string(options_.poll_delay.count()) + " ms is negative");
    }
  }

  OffsetRange initial_restriction(const int& partition) const override {
    if (partition < 0 || partition >= log_->partitions()) {
      throw UsageError("ReadFromLogDoFn::initial_restriction: element " +
                       std::to_string(partition) + " is not a partition of the log's " +
                       std::to_string(log_->partitions()));
    }
    return {options_.start_offset, kOffsetInfinity};
  }

  std::vector<OffsetRange> split_restriction(const int&, const OffsetRange& r,
                                             double) const override {
    return {r};
  }

  double restriction_size(const int& partition, const OffsetRange& r) const override {
    if (r.bounded()) return static_cast<double>(r.size());
    return static_cast<double>(std::max<std::int64_t>(0, log_->end_offset(partition) - r.from));
  }

  std::unique_ptr<RestrictionTracker<OffsetRange, std::int64_t>> new_tracker(
      const int& partition, const OffsetRange& r) const override {
    std::shared_ptr<const PartitionedLog> log = log_;
    return std::make_unique<GrowableOffsetRestrictionTracker>(
        r, [log, partition] { return log->end_offset(partition); });
  }

  std::unique_ptr<WatermarkEstimator> new_watermark_estimator(const int&,
                                                              Timestamp state) const override {
    return std::make_unique<MonotonicWatermarkEstimator>(state);
  }

  ProcessContinuation process(const int& partition,
                              RestrictionTracker<OffsetRange, std::int64_t>& tracker,
                              WatermarkEstimator&, SdfOutput<LogRecord>& out) const override {
    std::int64_t next = tracker.current_restriction().from;
    std::int64_t output = 0;
    for (;;) {
      const LogBatch batch = log_->read(partition, next, options_.batch);
      for (const LogRecord& record : batch.records) {
        if (options_.max_records_per_call > 0 && output == options_.max_records_per_call) {
          return ProcessContinuation::resume_after();
        }
        if (!tracker.try_claim(record.offset)) return ProcessContinuation::stop();
        out.output(record, record.timestamp);
        ++output;
        next = record.offset + 1;
      }
      if (!batch.records.empty()) continue;
      // Caught up. A restriction that ends here (a split's primary) is done;
      // so is a partition of a log sealed when it was read (batch.sealed:
      // no record follows). Splits only lower the end, so an end at or below
      // `next` stays so.
      if (batch.sealed || tracker.current_restriction().to <= next) {
        const std::int64_t past_the_end = batch.sealed ? kOffsetInfinity : next;
        if (tracker.try_claim(past_the_end)) {
          throw InternalError("ReadFromLogDoFn: " + tracker.debug_string() +
                              " accepted a claim of " + std::to_string(past_the_end) +
                              ", past the end of the partition");
        }
        return ProcessContinuation::stop();
      }
      return ProcessContinuation::resume_after(options_.poll_delay);
    }
  }

  std::string debug_string() const override {
    return "ReadFromLogDoFn(" + log_->debug_string() + ")";
  }

 private:
  const std::shared_ptr<const PartitionedLog> log_;
  const Options options_;
};

}  // namespace splitcheck::examples

#endif  // SPLITCHECK_EXAMPLES_LOG_READ_FROM_LOG_DOFN_H_
