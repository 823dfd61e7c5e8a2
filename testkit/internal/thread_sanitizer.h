// Whether this build runs under ThreadSanitizer (clang's or gcc's
// -fsanitize=thread), for the few places that must behave differently under
// it. Internal to the testkit.

#ifndef SPLITCHECK_TESTKIT_INTERNAL_THREAD_SANITIZER_H_
#define SPLITCHECK_TESTKIT_INTERNAL_THREAD_SANITIZER_H_

#if defined(__SANITIZE_THREAD__)
#define SPLITCHECK_THREAD_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SPLITCHECK_THREAD_SANITIZER 1
#endif
#endif
#ifndef SPLITCHECK_THREAD_SANITIZER
#define SPLITCHECK_THREAD_SANITIZER 0
#endif

namespace splitcheck::testkit::internal {

inline constexpr bool kThreadSanitizer = SPLITCHECK_THREAD_SANITIZER;

}  // namespace splitcheck::testkit::internal

#endif  // SPLITCHECK_TESTKIT_INTERNAL_THREAD_SANITIZER_H_
