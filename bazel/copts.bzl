"""Copts that depend on how the tree is built, in one place (//bazel), so that
no library has to depend on //fuzz to know how it is compiled."""

# copts for a library that is fuzzing machinery, not code under test (a byte
# decoder, a main, the checker's own .cc files): under --config=libfuzzer it
# gets no coverage instrumentation, AddressSanitizer stays. Headers use
# SPLITCHECK_BEGIN_NO_FUZZ_COVERAGE instead (lib/internal/no_fuzz_coverage.h
# says why). The select's label is resolved in this repository.
NO_FUZZ_COVERAGE_COPTS = select({
    "//bazel:libfuzzer": [
        # Every kind of SanitizerCoverage, so that extra -fsanitize-coverage=
        # flags (trace-div, stack-depth, ...) in a user's config are off too.
        "-fno-sanitize-coverage=func,bb,edge,indirect-calls,trace-cmp,trace-div,trace-gep," +
        "trace-pc,trace-pc-guard,inline-8bit-counters,inline-bool-flag,pc-table,stack-depth",
    ],
    "//conditions:default": [],
})
