// The errors splitcheck throws, split by whose fault they are and by whether
// trying again can help.
//
//   UsageError        the calling code broke an API contract: claiming
//                     backwards, a NaN fraction, a range whose start is past
//                     its stop. A bug in the caller (often the connector under
//                     test); it fails again. Never retried.
//   InternalError     splitcheck broke one of its own invariants: a bug in
//                     splitcheck, to be reported with the message. Never
//                     retried.
//   InputError        something outside the program is wrong: a missing path,
//                     a permission denied, a file that shrank while read, a
//                     store that refused a call. The environment may change,
//                     so a runner retries it.
//   CorruptDataError  an InputError whose data will read the same way again: a
//                     corrupt or truncated compressed stream, a file whose
//                     content contradicts its name. Never retried.
//   InjectedFailure   a failure a test injected (RunnerPolicy, WritePolicy,
//                     FaultPoints), standing for a transient one. Retried.
//   MachineCrash      a power loss a test injected: the process and all it
//                     held in memory are gone at once. Never retried by the
//                     process itself: a runner stops where it is, and a new
//                     run resumes from what the runner had recorded
//                     (lib/runner/write_checkpoint.h).
//
// retryable(e) says which is which; LocalRunner retries a bundle, and a
// finalize, exactly when it returns true. Any other exception (a
// std::runtime_error from a connector, say) is taken as transient and
// retried, as a distributed runner would.
//
// All derive from Error, so `catch (const splitcheck::Error&)` catches every
// error splitcheck raises on purpose. Messages name the object, the offending
// value and the rule broken, e.g.
//   "OffsetRangeTracker[100, 200): cannot claim 150 after 160: claims must
//    increase".
// `try_claim` returning false and `try_split` refusing are not errors: they
// are the normal end of a range and a normal answer.

#ifndef SPLITCHECK_LIB_ERROR_H_
#define SPLITCHECK_LIB_ERROR_H_

#include <exception>
#include <stdexcept>
#include <string>

namespace splitcheck {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class UsageError : public Error {
 public:
  using Error::Error;
};

class InternalError : public Error {
 public:
  explicit InternalError(const std::string& what)
      : Error("internal error (a bug in splitcheck; please report it): " + what) {}
};

class InputError : public Error {
 public:
  using Error::Error;
};

class CorruptDataError : public InputError {
 public:
  using InputError::InputError;
};

class InjectedFailure : public Error {
 public:
  using Error::Error;
};

class MachineCrash : public Error {
 public:
  using Error::Error;
};

// False for the errors that fail again (UsageError, InternalError,
// CorruptDataError) and for a MachineCrash, after which nothing runs;
// true for everything else.
inline bool retryable(const std::exception& e) {
  return dynamic_cast<const UsageError*>(&e) == nullptr &&
         dynamic_cast<const InternalError*>(&e) == nullptr &&
         dynamic_cast<const CorruptDataError*>(&e) == nullptr &&
         dynamic_cast<const MachineCrash*>(&e) == nullptr;
}

// The same for an exception in flight; true for one that is not a
// std::exception.
inline bool retryable(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& e) {
    return retryable(e);
  } catch (...) {
    return true;
  }
}

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_ERROR_H_
