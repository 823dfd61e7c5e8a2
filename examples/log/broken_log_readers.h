// Broken readers of a PartitionedLog: the mistakes a Kafka-style SDF is
// written with, each one of ReadFromLogDoFn's rules broken, for the gate to
// reject (broken_log_readers_test.cc says which check and why). Test code.
//
//   kNone                        reads as ReadFromLogDoFn does.
//   kStopsWithoutClosingTheRange caught up with a sealed log, returns stop
//                                without claiming kOffsetInfinity: the
//                                unbounded range is left open, so check_done
//                                fails (the work [end, inf) is unclaimed,
//                                and a runner could not tell it from a lost
//                                reader).
//   kClaimsAfterOutput           outputs a record, then claims its offset:
//                                its first output comes before any claim,
//                                and the record at a split primary's end is
//                                output by the primary (its claim refused)
//                                and again by the residual.
//   kWatermarkAtTheLogsHead      sets the watermark to the timestamp of the
//                                partition's newest record when a call
//                                starts, before outputting the older ones:
//                                those are late.
//   kResumesWhenCaughtUpOnSealed caught up with a sealed log, resumes instead
//                                of ending: it asks to be called again for
//                                ever, and a run over the sealed log never
//                                ends (the checks stop it at their call
//                                limit).

#ifndef SPLITCHECK_EXAMPLES_LOG_BROKEN_LOG_READERS_H_
#define SPLITCHECK_EXAMPLES_LOG_BROKEN_LOG_READERS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "splitcheck/examples/log/partitioned_log.h"
#include "splitcheck/examples/log/read_from_log_dofn.h"
#include "splitcheck/lib/sdf/forwarding_dofn.h"
#include "splitcheck/lib/sdf/splittable_dofn.h"
#include "splitcheck/lib/sdf/watermark_estimators.h"

namespace splitcheck::examples::broken {

enum class LogReaderBug {
  kNone,
  kStopsWithoutClosingTheRange,
  kClaimsAfterOutput,
  kWatermarkAtTheLogsHead,
  kResumesWhenCaughtUpOnSealed,
};

class BrokenReadFromLogDoFn final
    : public ForwardingDoFn<int, LogRecord, OffsetRange, std::int64_t> {
 public:
  BrokenReadFromLogDoFn(std::shared_ptr<const PartitionedLog> log, LogReaderBug bug)
      : ForwardingDoFn(std::make_shared<ReadFromLogDoFn>(log)), log_(log), bug_(bug) {}

  std::unique_ptr<WatermarkEstimator> new_watermark_estimator(const int& p,
                                                              Timestamp state) const override {
    if (bug_ == LogReaderBug::kWatermarkAtTheLogsHead) {
      return std::make_unique<ManualWatermarkEstimator>(state);
    }
    return ForwardingDoFn::new_watermark_estimator(p, state);
  }

  ProcessContinuation process(const int& p, RestrictionTracker<OffsetRange, std::int64_t>& tracker,
                              WatermarkEstimator& watermark,
                              SdfOutput<LogRecord>& out) const override {
    if (bug_ == LogReaderBug::kNone) return ForwardingDoFn::process(p, tracker, watermark, out);
    if (bug_ == LogReaderBug::kWatermarkAtTheLogsHead) {
      const std::int64_t end = log_->end_offset(p);
      auto* manual = dynamic_cast<ManualWatermarkEstimator*>(&watermark);
      if (end > 0 && manual != nullptr) {
        const Timestamp head = log_->read(p, end - 1, 1).records.front().timestamp;
        if (head > manual->current_watermark()) manual->set_watermark(head);
      }
    }
    std::int64_t next = tracker.current_restriction().from;
    for (;;) {
      const LogBatch batch = log_->read(p, next, 64);
      const bool sealed = batch.sealed;
      for (const LogRecord& record : batch.records) {
        if (bug_ == LogReaderBug::kClaimsAfterOutput) {
          out.output(record, record.timestamp);
          if (!tracker.try_claim(record.offset)) return ProcessContinuation::stop();
        } else {
          if (!tracker.try_claim(record.offset)) return ProcessContinuation::stop();
          out.output(record, record.timestamp);
        }
        next = record.offset + 1;
      }
      if (!batch.records.empty()) continue;
      if (sealed && bug_ == LogReaderBug::kStopsWithoutClosingTheRange) {
        return ProcessContinuation::stop();
      }
      if (sealed && bug_ == LogReaderBug::kResumesWhenCaughtUpOnSealed) {
        return ProcessContinuation::resume_after();
      }
      if (sealed || tracker.current_restriction().to <= next) {
        tracker.try_claim(sealed ? kOffsetInfinity : next);
        return ProcessContinuation::stop();
      }
      return ProcessContinuation::resume_after();
    }
  }

  std::string debug_string() const override { return "Broken" + ForwardingDoFn::debug_string(); }

 private:
  const std::shared_ptr<const PartitionedLog> log_;
  const LogReaderBug bug_;
};

}  // namespace splitcheck::examples::broken

#endif  // SPLITCHECK_EXAMPLES_LOG_BROKEN_LOG_READERS_H_
