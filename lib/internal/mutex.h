// Mutex and MutexLock: std::mutex with clang thread-safety annotations.
// ScopedLock<M> holds any of the project's annotated mutexes; MutexLock is
// ScopedLock<Mutex>.
//
// libstdc++'s std::mutex carries no capability attributes, so members guarded
// by it cannot be checked. This wrapper adds them and nothing else: it is not
// recursive, lock() blocks, and unlocking a mutex the caller does not hold is
// undefined behaviour exactly as for std::mutex. Internal: do not include from
// user code.

#ifndef SPLITCHECK_LIB_INTERNAL_MUTEX_H_
#define SPLITCHECK_LIB_INTERNAL_MUTEX_H_

#include <mutex>

#include "splitcheck/lib/internal/thread_annotations.h"

namespace splitcheck::internal {

class SPLITCHECK_CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void lock() SPLITCHECK_ACQUIRE() { mu_.lock(); }
  void unlock() SPLITCHECK_RELEASE() { mu_.unlock(); }

 private:
  std::mutex mu_;
};

// Holds a mutex (Mutex, or SpinMutex from spin_mutex.h) for the lifetime of
// the object.
template <typename M>
class SPLITCHECK_SCOPED_CAPABILITY ScopedLock {
 public:
  explicit ScopedLock(M* mu) SPLITCHECK_ACQUIRE(mu) : mu_(mu) { mu_->lock(); }
  ~ScopedLock() SPLITCHECK_RELEASE() { mu_->unlock(); }

  ScopedLock(const ScopedLock&) = delete;
  ScopedLock& operator=(const ScopedLock&) = delete;

 private:
  M* const mu_;
};

using MutexLock = ScopedLock<Mutex>;

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_INTERNAL_MUTEX_H_
