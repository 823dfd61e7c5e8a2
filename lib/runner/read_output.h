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
// ReadResult would give; sort by bundle_id_less (bundle_id.h) for that order.
// Records are moved in, never copied.
//
// Errors: an exception from open() or add() fails the attempt, as an error of
// the read would (retried when retryable(), error.h); one from commit() stops
// the run and is rethrown by run() (a half-done commit cannot be retried
// safely); discard() must not throw.
//
// A run that fails (a bundle out of attempts, a commit that threw, a usage
// error) may already have committed other bundles, and a bundle whose
// attempt had finished reading just before the failure may commit after it,
// concurrently with the failing one's discard(); attempts still reading are
// discarded. run() joins the workers, so nothing comes after it returns or
// throws. The commits of a failed run are some of the read's bundles, each
// committed once: an output that must be all-or-nothing publishes only once
// run() has returned without throwing.

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

// The records of one bundle attempt. Used by one thread, the worker's: add()
// for each record in read order, then exactly one of commit() or discard(),
// then destroyed. No call comes after commit() or discard().
template <typename T>
class AttemptOutput {
 public:
  virtual ~AttemptOutput() = default;

  // The attempt's next record, moved in. May throw: the attempt fails.
  virtual void add(T&& record) = 0;
  // The attempt succeeded; what add() gave is the bundle's output. Called
  // once per bundle of the run. May throw: the run stops, run() rethrows.
  virtual void commit() = 0;
  // The attempt failed or the run is stopping: forget what add() gave.
  virtual void discard() noexcept = 0;
};

// A Read's destination. open() is called concurrently from every worker
// thread, once per bundle attempt; it returns a fresh AttemptOutput (never
// null: a null one is a UsageError) or throws, which fails the attempt.
template <typename T>
class ReadOutput {
 public:
  virtual ~ReadOutput() = default;
  virtual std::unique_ptr<AttemptOutput<T>> open(const AttemptInfo& attempt) = 0;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_RUNNER_READ_OUTPUT_H_
