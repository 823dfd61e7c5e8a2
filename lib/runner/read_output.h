// ReadOutput<T>: where LocalRunner::run(read, output) delivers a Read's
// records while they are read, instead of collecting them all in a
// ReadResult. Use it for reads too large to hold in memory, or to count,
// aggregate or forward records as they come.
//
// The runner opens one AttemptOutput per bundle attempt, on the worker
// thread that reads the attempt, and hands it that attempt's records in
// read order with add(). When the attempt ends it calls exactly one of:
//   * commit(): the attempt succeeded; its records are the bundle's output.
//     Each bundle of the run is committed exactly once, so the records of
//     all commits are the read's output, every record exactly once.
//   * discard(): the attempt failed (its bundle is retried, with a new
//     AttemptOutput, and reads the same records again) or the run is
//     stopping; forget what add() gave it.
// This is the contract a distributed runner gives a downstream step: the
// output of a failed attempt never counts. An output that acts on records
// before commit() (prints them, sends them on) must be able to take them
// back; one that only buffers or counts per attempt and publishes in commit()
// is exactly-once for free.
//
// Threads: open() is called from every worker thread, concurrently; an
// AttemptOutput is used by one thread (its worker) and destroyed after
// commit() or discard(). Commits of different bundles come in any order and
// concurrently: `bundle_id` says where a bundle's records go in the order
// ReadResult would give ("0" < "0.1" < "0.1.1" < "0.2" < "1"; see
// local_runner.h). Records are moved in, never copied.
//
// Errors: an exception from open() or add() fails the attempt, as an error of
// the read would (retried when retryable(), error.h); one from commit() stops
// the run and is rethrown by run() (a half-done commit cannot be retried
// safely); discard() must not throw.

#ifndef SPLITCHECK_LIB_RUNNER_READ_OUTPUT_H_
#define SPLITCHECK_LIB_RUNNER_READ_OUTPUT_H_

#include <memory>
#include <string>

namespace splitcheck {

// What the runner tells an output about the attempt it opens.
struct AttemptInfo {
  std::string bundle_id;
  int attempt = 0;  // 1 for a bundle's first attempt
  int worker = 0;   // 0 .. num_workers - 1
};

template <typename T>
class AttemptOutput {
 public:
  virtual ~AttemptOutput() = default;
  virtual void add(T&& record) = 0;
  virtual void commit() = 0;
  virtual void discard() noexcept = 0;
};

template <typename T>
class ReadOutput {
 public:
  virtual ~ReadOutput() = default;
  virtual std::unique_ptr<AttemptOutput<T>> open(const AttemptInfo& attempt) = 0;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_RUNNER_READ_OUTPUT_H_
