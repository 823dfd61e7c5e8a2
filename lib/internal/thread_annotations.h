// Clang thread-safety annotations, spelled with a SPLITCHECK_ prefix.
//
// Under clang with -Wthread-safety (the `clang`, `asan`, `ubsan` and `tsan`
// configs) the compiler checks that every member marked GUARDED_BY is touched
// only with its lock held. Under other compilers the macros expand to nothing.
// This header is internal: include the public headers instead.

#ifndef SPLITCHECK_LIB_INTERNAL_THREAD_ANNOTATIONS_H_
#define SPLITCHECK_LIB_INTERNAL_THREAD_ANNOTATIONS_H_

#if defined(__clang__)
#define SPLITCHECK_THREAD_ANNOTATION_(x) __attribute__((x))
#else
#define SPLITCHECK_THREAD_ANNOTATION_(x)
#endif

#define SPLITCHECK_CAPABILITY(x) SPLITCHECK_THREAD_ANNOTATION_(capability(x))
#define SPLITCHECK_SCOPED_CAPABILITY SPLITCHECK_THREAD_ANNOTATION_(scoped_lockable)
#define SPLITCHECK_GUARDED_BY(x) SPLITCHECK_THREAD_ANNOTATION_(guarded_by(x))
#define SPLITCHECK_PT_GUARDED_BY(x) SPLITCHECK_THREAD_ANNOTATION_(pt_guarded_by(x))
#define SPLITCHECK_REQUIRES(...) SPLITCHECK_THREAD_ANNOTATION_(requires_capability(__VA_ARGS__))
#define SPLITCHECK_ACQUIRE(...) SPLITCHECK_THREAD_ANNOTATION_(acquire_capability(__VA_ARGS__))
#define SPLITCHECK_RELEASE(...) SPLITCHECK_THREAD_ANNOTATION_(release_capability(__VA_ARGS__))
#define SPLITCHECK_EXCLUDES(...) SPLITCHECK_THREAD_ANNOTATION_(locks_excluded(__VA_ARGS__))
#define SPLITCHECK_ASSERT_CAPABILITY(x) SPLITCHECK_THREAD_ANNOTATION_(assert_capability(x))
#define SPLITCHECK_NO_THREAD_SAFETY_ANALYSIS \
  SPLITCHECK_THREAD_ANNOTATION_(no_thread_safety_analysis)

#endif  // SPLITCHECK_LIB_INTERNAL_THREAD_ANNOTATIONS_H_
