"""splitcheck_benchmark: a benchmark binary and, optionally, its smoke test.

    splitcheck_benchmark(
        name = "tracker_bench",
        srcs = ["tracker_bench.cc"],
        deps = [...],
        smoke_args = ["--benchmark_min_time=0.001"],
    )

declares <name> (`./bazelw run -c opt //bench:<name>` prints the figures) and,
when smoke_args is given, <name>_smoke_test, the same code run once with
those arguments so that `bazel test //...` notices a benchmark that no longer
runs (smoke_tags are its tags). It never judges time. The sources are compiled once, into <name>_lib,
for both.
"""

load("@rules_cc//cc:defs.bzl", "cc_binary", "cc_library", "cc_test")

def splitcheck_benchmark(name, srcs, deps, smoke_args = None, smoke_tags = []):
    cc_library(
        name = name + "_lib",
        srcs = srcs,
        deps = deps,
        alwayslink = True,
    )
    cc_binary(
        name = name,
        deps = [":" + name + "_lib"],
    )
    if smoke_args != None:
        cc_test(
            name = name + "_smoke_test",
            size = "small",
            args = smoke_args,
            tags = smoke_tags,
            deps = [":" + name + "_lib"],
        )
