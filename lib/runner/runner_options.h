// RunnerOptions: how a LocalRunner runs a Read or a Write (local_runner.h).

#ifndef SPLITCHECK_LIB_RUNNER_RUNNER_OPTIONS_H_
#define SPLITCHECK_LIB_RUNNER_RUNNER_OPTIONS_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

#include "splitcheck/lib/runner/runner_policy.h"
#include "splitcheck/lib/runner/write_checkpoint.h"
#include "splitcheck/lib/runner/write_policy.h"

namespace splitcheck {

struct RunnerOptions {
  int num_workers = 4;
  // In the unit of the source's estimate_size(); by default
  // estimate_size() / num_workers.
  std::optional<std::int64_t> desired_bundle_size = std::nullopt;
  // Attempts per bundle, the first included.
  int max_attempts = 4;
  // Null means the default RunnerPolicy (idle rebalancing, nothing injected).
  std::shared_ptr<const RunnerPolicy> policy = nullptr;
  // How long an idle worker waits before trying to rebalance again.
  std::chrono::microseconds idle_retry{200};
  // Faults injected into writes; null injects none.
  std::shared_ptr<const WritePolicy> write_policy = nullptr;
  // Bundles of a write whose sink leaves the count to the runner; by
  // default one per worker.
  std::optional<int> write_bundles = std::nullopt;
  // Where a write's progress is recorded, and resumed from
  // (write_checkpoint.h); null records it nowhere.
  std::shared_ptr<WriteCheckpoint> write_checkpoint = nullptr;
  // Reads run in worker processes, one per worker, each forked as its
  // worker thread starts (by a spawner forked before the source is split):
  // each receives its bundles and residuals only as bytes (the
  // source's encode() and decoder()), and sends its records back as bytes
  // (Coder<T>). The policy's fail_after is then a real crash: the worker
  // asks to be killed, the runner kills it (SIGKILL), starts another, and
  // retries the bundle. Writes likewise: each attempt goes to a worker as
  // the sink's bytes and the records' bytes, its result comes back as bytes,
  // and the write policy's failures are real crashes. A test harness for the
  // serialization contract, not a distributed engine: see local_runner.h.
  bool worker_processes = false;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_RUNNER_RUNNER_OPTIONS_H_
