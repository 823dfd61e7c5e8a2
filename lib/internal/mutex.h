// Mutex and MutexLock: std::mutex with clang thread-safety annotations.
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

// Holds a Mutex for the lifetime of the object.
class SPLITCHECK_SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex* mu) SPLITCHECK_ACQUIRE(mu) : mu_(mu) { mu_->lock(); }
  ~MutexLock() SPLITCHECK_RELEASE() { mu_->unlock(); }

  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex* const mu_;
};

}  // namespace splitcheck::internal

#endif  // SPLITCHECK_LIB_INTERNAL_MUTEX_H_
