// GoogleTest helpers for connector tests: the message of the UsageError (or
// InputError, or any Error type) a callable throws.
//
//   EXPECT_THAT(UsageErrorOf([&] { tracker.try_claim(5); }),
//               HasSubstr("cannot claim 5 after 10"));
//
// Adds a test failure (and returns "") when the callable returns normally or
// throws anything else, so an assertion on the message cannot pass by
// accident. Test-only (//testkit:error_matchers is testonly).

#ifndef SPLITCHECK_TESTKIT_ERROR_MATCHERS_H_
#define SPLITCHECK_TESTKIT_ERROR_MATCHERS_H_

#include <exception>
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "splitcheck/lib/error.h"

namespace splitcheck::testkit {

template <typename Error, typename F>
std::string ErrorOf(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected a different error type, got: " << e.what();
    return "";
  }
  ADD_FAILURE() << "expected an error, none was thrown";
  return "";
}

template <typename F>
std::string UsageErrorOf(F&& f) {
  return ErrorOf<UsageError>(std::forward<F>(f));
}

template <typename F>
std::string InputErrorOf(F&& f) {
  return ErrorOf<InputError>(std::forward<F>(f));
}

}  // namespace splitcheck::testkit

#endif  // SPLITCHECK_TESTKIT_ERROR_MATCHERS_H_
