// The errors splitcheck throws, split by whose fault they are.
//
//   UsageError  the calling code broke an API contract: claiming backwards, a
//               NaN fraction, a range whose start is past its stop. It is a bug
//               in the caller (often the connector under test) and retrying
//               cannot help.
//   InputError  something outside the program is bad: a corrupt or truncated
//               file, a missing path, a permission denied. The program is
//               correct; the data or the environment is not.
//
// Both derive from Error, so `catch (const splitcheck::Error&)` catches every
// error splitcheck raises on purpose. Messages name the object, the offending
// value and the rule broken, e.g.
//   "OffsetRangeTracker[100, 200): cannot claim 150 after 160: claims must
//    increase".
// `try_claim` returning false and `try_split` refusing are not errors: they are
// the normal end of a range and a normal answer.

#ifndef SPLITCHECK_LIB_ERROR_H_
#define SPLITCHECK_LIB_ERROR_H_

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

class InputError : public Error {
 public:
  using Error::Error;
};

}  // namespace splitcheck

#endif  // SPLITCHECK_LIB_ERROR_H_
