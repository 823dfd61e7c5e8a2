// BatchLimit: how many records a worker process puts in its next batch.
// Internal: LocalRunner's process mode (process_worker.h).
//
// A worker sends its records in batches and answers the parent's split
// requests only between them, so a batch should be large for a fast source
// (few frames, few wakeups of the parent) and short in time for a slow one
// (a split is answered within a few milliseconds). The limit starts at
// kFirst records; after each batch that reached it, it doubles (up to kMax)
// when the batch took under kTarget / 2, and halves (down to 1) when it
// took over 2 * kTarget. A batch also ends at kBytes of records, whatever
// its count. A value type.

#ifndef SPLITCHECK_LIB_RUNNER_INTERNAL_BATCH_LIMIT_H_
#define SPLITCHECK_LIB_RUNNER_INTERNAL_BATCH_LIMIT_H_

#include <chrono>
#include <cstddef>

namespace splitcheck::internal {

class BatchLimit {
 public:
  static constexpr int kFirst = 4096;
  static constexpr int kMax = 1 << 16;
  static constexpr std::size_t kBytes = 128 * 1024;
  static constexpr std::chrono::microseconds kTarget{2000};

  int records() const { return records_; }

  // Whether a batch of `count` records in `bytes` bytes is full.
  bool full(int count, std::size_t bytes) const { return count >= records_ || bytes >= kBytes; }

  // After a batch that was full, read in `took`.
  void after_batch(std::chrono::steady_clock::duration took) {
    if (took < kTarget / 2) {
      if (records_ < kMax) records_ *= 2;
    } else if (took > 2 * kTarget && records_ > 1) {
      records_ /= 2;
    }
  }

 private:
  int records_ = kFirst;
};

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_RUNNER_INTERNAL_BATCH_LIMIT_H_
