// SpinMutex and SpinMutexLock: a lock for critical sections of a few dozen
// instructions that are taken once per record (a tracker's try_claim).
//
// std::mutex costs two locked instructions per lock/unlock pair (about 24 ns
// on the 2-core development machine once the process has a second thread;
// glibc skips the atomics while there is only one, which flatters
// single-threaded benchmarks). SpinMutex costs one: lock() is an atomic
// exchange, unlock() a release store. A waiter spins briefly, then yields its
// time slice, so a holder preempted on a busy machine gets the CPU back; it
// never sleeps in the kernel. Use it only where every critical section is
// short and never blocks (no I/O, no user callbacks, no waiting); use Mutex
// everywhere else. Not recursive; unlocking a SpinMutex the caller does not
// hold is undefined behaviour, as for std::mutex. Carries the same clang
// thread-safety attributes as Mutex, and is held the same way (ScopedLock,
// mutex.h). Internal: do not include from user code.

#ifndef SPLITCHECK_LIB_INTERNAL_SPIN_MUTEX_H_
#define SPLITCHECK_LIB_INTERNAL_SPIN_MUTEX_H_

#include <atomic>
#include <thread>

#include "splitcheck/lib/internal/mutex.h"
#include "splitcheck/lib/internal/thread_annotations.h"

namespace splitcheck::internal {

class SPLITCHECK_CAPABILITY("mutex") SpinMutex {
 public:
  SpinMutex() = default;
  SpinMutex(const SpinMutex&) = delete;
  SpinMutex& operator=(const SpinMutex&) = delete;

  void lock() SPLITCHECK_ACQUIRE() {
    if (!locked_.exchange(true, std::memory_order_acquire)) [[likely]] {
      return;
    }
    lock_contended();
  }
  void unlock() SPLITCHECK_RELEASE() { locked_.store(false, std::memory_order_release); }

 private:
  [[gnu::noinline]] void lock_contended() {
    for (;;) {
      // Wait with plain loads (the cache line stays shared) until it looks
      // free, then try again.
      for (int spin = 0; locked_.load(std::memory_order_relaxed); ++spin) {
        if (spin < 64) {
          pause();
        } else {
          std::this_thread::yield();
        }
      }
      if (!locked_.exchange(true, std::memory_order_acquire)) return;
    }
  }

  static void pause() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
  }

  std::atomic<bool> locked_{false};
};

using SpinMutexLock = ScopedLock<SpinMutex>;  // mutex.h

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_INTERNAL_SPIN_MUTEX_H_
