// BatchLimit: how many records a worker process puts in its next batch.
// Internal: LocalRunner's process mode (process_worker.h).
//
// A worker sends its records in batches and answers the parent's split
// requests only between them, so a batch should be large for a fast source
// (few frames, few wakeups of the parent) and short in time for a slow one
// (a split is answered within a few milliseconds). A batch is full at
// kBytes of records, at the record limit, or once it has taken 2 * kTarget
// (the worker looks at the clock after records 1, 2, 4, 8, ..., every
// kClockEvery records, and after every record while the limit is under
// kClockEvery). The limit starts at kFirst; after
// a batch that took over 2 * kTarget it becomes the count that batch would
// have read in kTarget (at least 1); after one that reached the limit in
// under kTarget / 2 it doubles, up to kMax. A value type.

#ifndef SPLITCHECK_LIB_RUNNER_INTERNAL_BATCH_LIMIT_H_
#define SPLITCHECK_LIB_RUNNER_INTERNAL_BATCH_LIMIT_H_

#include <algorithm>
#include <chrono>
#include <cstddef>

namespace splitcheck::internal {

class BatchLimit {
 public:
  using Duration = std::chrono::steady_clock::duration;
  static constexpr int kFirst = 4096;
  static constexpr int kMax = 1 << 16;
  static constexpr std::size_t kBytes = 128 * 1024;
  static constexpr std::chrono::microseconds kTarget{2000};
  static constexpr int kClockEvery = 256;

  int records() const { return records_; }

  // Whether a batch of `count` records in `bytes` bytes is full by its size.
  bool full(int count, std::size_t bytes) const { return count >= records_ || bytes >= kBytes; }

  // Whether the worker looks at the clock after the batch's `count`th record.
  // Also at every power of two, so that the first records of a batch that
  // turn out slow are noticed after a few of them, not kClockEvery.
  bool time_to_look(int count) const {
    return records_ < kClockEvery || count % kClockEvery == 0 || (count & (count - 1)) == 0;
  }

  // Whether a batch that has taken `took` so far is full by its time.
  static bool overdue(Duration took) { return took > 2 * kTarget; }

  // After a batch of `count` records, read in `took`.
  void after_batch(int count, Duration took) {
    if (overdue(took)) {
      const auto at_target = static_cast<long long>(count) * Duration(kTarget).count() /
                             std::max<long long>(1, took.count());
      records_ = static_cast<int>(std::clamp<long long>(at_target, 1, kMax));
    } else if (count >= records_ && took < kTarget / 2) {
      records_ = std::min(2 * records_, kMax);
    }
  }

 private:
  int records_ = kFirst;
};

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_RUNNER_INTERNAL_BATCH_LIMIT_H_
