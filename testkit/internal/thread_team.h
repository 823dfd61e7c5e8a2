// ThreadTeam: a fixed set of worker threads that run one call each, started
// together, again and again. Internal.
//
// The concurrent tracker checks record thousands of short histories, each on
// two or three threads. Starting fresh threads for every history cost more
// than the history itself, and under AddressSanitizer (LLVM 14) every thread
// started and joined leaves about half a kilobyte of bookkeeping behind: a
// fuzzer starting nine per execution grew by 1.6 KB per execution and would
// reach libFuzzer's 2 GB memory limit in about half an hour. A team is made
// once per calling thread and reused.

#ifndef SPLITCHECK_TESTKIT_INTERNAL_THREAD_TEAM_H_
#define SPLITCHECK_TESTKIT_INTERNAL_THREAD_TEAM_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

#include "splitcheck/lib/internal/mutex.h"
#include "splitcheck/lib/internal/thread_annotations.h"

namespace splitcheck::testkit::internal {

class ThreadTeam {
 public:
  explicit ThreadTeam(int size);
  ~ThreadTeam();  // stops and joins the workers

  ThreadTeam(const ThreadTeam&) = delete;
  ThreadTeam& operator=(const ThreadTeam&) = delete;

  int size() const { return static_cast<int>(workers_.size()); }

  // Calls work(i) on worker i for every i in [0, n), n <= size(), and returns
  // once every call has returned. `work` must not throw. Not reentrant: one
  // run at a time (for_this_thread gives each calling thread its own team).
  void run(int n, const std::function<void(int)>& work) SPLITCHECK_EXCLUDES(mu_);

  // The same, but the calling thread is participant 0: it calls work(0)
  // itself while workers 0 .. n - 2 call work(1) .. work(n - 1), and it
  // returns once every call has returned. One thread fewer to wake and to
  // wait for: what a two-thread race (the exhaustive check's concurrent
  // trials) costs per run is one wake-up. 1 <= n (else std::invalid_argument)
  // and n - 1 <= size(). Here work(0) may throw: the exception reaches the
  // caller once the workers' calls have returned (they must not throw).
  void run_with_caller(int n, const std::function<void(int)>& work) SPLITCHECK_EXCLUDES(mu_);

  // The calling thread's team, with at least `size` workers.
  static ThreadTeam& for_this_thread(int size);

 private:
  void work_loop(int index) SPLITCHECK_EXCLUDES(mu_);

  splitcheck::internal::Mutex mu_;
  std::condition_variable_any start_;                        // a run began, or stop_
  std::condition_variable_any done_;                         // pending_ reached 0
  std::uint64_t generation_ SPLITCHECK_GUARDED_BY(mu_) = 0;  // one per run
  int active_ SPLITCHECK_GUARDED_BY(mu_) = 0;                // workers in the current run
  int pending_ SPLITCHECK_GUARDED_BY(mu_) = 0;               // of them, still working
  bool stop_ SPLITCHECK_GUARDED_BY(mu_) = false;
  const std::function<void(int)>* work_ SPLITCHECK_GUARDED_BY(mu_) = nullptr;
  std::vector<std::thread> workers_;
};

}  // namespace splitcheck::testkit::internal

#endif  // SPLITCHECK_TESTKIT_INTERNAL_THREAD_TEAM_H_
