// WriteCheckpoint: what a runner has recorded of a write in progress, kept
// where a crash of the machines that write cannot reach it (a distributed
// runner's own durable state), so that a relaunched run resumes the write
// instead of starting it over.
//
// Give one to RunnerOptions::write_checkpoint. As it goes, the LocalRunner
// records the init result once initialize_write returns, the number of
// bundles and records, each attempt it starts (so that no uid is used twice,
// across runs too), the result of each bundle's first successful attempt,
// and the outputs once finalize_write returns. A run given a checkpoint that
// holds progress resumes from it:
//   * initialize_write is not called again; the recorded init result is
//     used;
//   * a bundle with a recorded result is not written again; the others are
//     written by attempts numbered after those recorded;
//   * pre_finalize and finalize_write run (again) unless outputs are
//     recorded: a finalize interrupted by a crash is rerun, which the Sink
//     contract requires to be safe;
//   * a write whose outputs are recorded returns them, calling nothing;
//   * a write the runner gave up on (abort_write called) cannot resume: a
//     UsageError.
// It must be a run of the same sink with the same records: resuming with
// another number of records or bundles is a UsageError.
//
// A crash test copies the progress at the instant of the crash (progress())
// and resumes from the copy (WriteCheckpoint(progress)), once per state the
// machine could come back in. Thread-safe.

#ifndef SPLITCHECK_LIB_RUNNER_WRITE_CHECKPOINT_H_
#define SPLITCHECK_LIB_RUNNER_WRITE_CHECKPOINT_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace splitcheck {

struct WriteProgress {
  std::optional<std::string> init_result;
  // Set with the bundles, when they are cut.
  std::int64_t records = 0;
  std::int64_t bundles = 0;
  // Per bundle: the highest attempt number started, and the result that
  // counts, once there is one.
  std::vector<int> attempts_started;
  std::vector<std::optional<std::string>> results;
  int finalize_attempts = 0;
  std::optional<std::vector<std::string>> outputs;  // the write is committed
  bool aborted = false;  // the runner gave up on it and called abort_write

  // "init recorded, 2 of 3 bundle results, finalize attempted once, not
  // committed": for a failure message.
  std::string describe() const;
};

class WriteCheckpoint {
 public:
  explicit WriteCheckpoint(WriteProgress progress = {});
  ~WriteCheckpoint();
  WriteCheckpoint(const WriteCheckpoint&) = delete;
  WriteCheckpoint& operator=(const WriteCheckpoint&) = delete;

  // A copy of what is recorded now.
  WriteProgress progress() const;

  // Called by the runner.
  void record_init(const std::string& init_result);
  // The bundle count and records of the write; UsageError if the checkpoint
  // holds another write's.
  void record_bundles(std::int64_t records, std::int64_t bundles);
  // The number for a new attempt of `bundle` (1 for the first ever).
  int start_attempt(std::int64_t bundle);
  // Keeps the first result recorded for a bundle; returns whether this one
  // is it.
  bool record_result(std::int64_t bundle, const std::string& result);
  void record_finalize_attempt();
  void record_outputs(const std::vector<std::string>& outputs);
  void record_aborted();

 private:
  struct State;  // the progress, behind one lock
  const std::unique_ptr<State> state_;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_RUNNER_WRITE_CHECKPOINT_H_
