// SPLITCHECK_BEGIN_NO_FUZZ_COVERAGE / SPLITCHECK_END_NO_FUZZ_COVERAGE: the
// functions declared between them get no coverage instrumentation from
// -fsanitize=fuzzer (clang's SanitizerCoverage); AddressSanitizer and the
// other sanitizers still instrument them. Internal.
//
// The fuzz harness, the byte decoder, the contract model and the message
// joiner wrap themselves in these (and the .cc files of such machinery are
// compiled with NO_FUZZ_COVERAGE_COPTS, bazel/fuzz.bzl), so that libFuzzer's
// coverage is the coverage of the code under test: the tracker. Why:
//   * libFuzzer scans every counter after every execution and processes each
//     one that was hit; the offset harness had 9,116 counters, 1,155 now;
//   * a new path through the checker is not new tracker behaviour: inputs
//     kept for it only fill the corpus. Measured with one fully instrumented
//     build, a 30 s corpus grown with the checker uninstrumented reaches the
//     same tracker edges (134 of 377 against 137; the three are std::string
//     branches of message building) with half as many inputs. Chromium builds
//     libprotobuf-mutator without coverage for the same reason.
// A bug a tracker hides in a branch it lacks (a missing check) is still
// found: the model judges every result, instrumented or not.
//
// Template functions declared inside a region keep the attribute wherever
// they are instantiated (standard-library templates they call do not). With
// other compilers (GCC has no -fsanitize=fuzzer) the macros are empty.

#ifndef SPLITCHECK_LIB_INTERNAL_NO_FUZZ_COVERAGE_H_
#define SPLITCHECK_LIB_INTERNAL_NO_FUZZ_COVERAGE_H_

#if defined(__clang__)
// A region that declares no function (RapidCheck's header, included first,
// may have declared them all) would warn -Wpragma-clang-attribute ("unused
// attribute"), an error under -Werror: the region silences it for itself.
// One _Pragma per line, as written (clang-format would join them).
// clang-format off
#define SPLITCHECK_BEGIN_NO_FUZZ_COVERAGE \
  _Pragma("clang diagnostic push") \
  _Pragma("clang diagnostic ignored \"-Wpragma-clang-attribute\"") \
  _Pragma("clang attribute push(__attribute__((no_sanitize(\"coverage\"))), apply_to = function)")
#define SPLITCHECK_END_NO_FUZZ_COVERAGE \
  _Pragma("clang attribute pop") \
  _Pragma("clang diagnostic pop")
// clang-format on
#else
#define SPLITCHECK_BEGIN_NO_FUZZ_COVERAGE
#define SPLITCHECK_END_NO_FUZZ_COVERAGE
#endif

#endif  // SPLITCHECK_LIB_INTERNAL_NO_FUZZ_COVERAGE_H_
